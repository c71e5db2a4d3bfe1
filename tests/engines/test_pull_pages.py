"""Pulling in pages: the same graph whatever the page size, and the decoding of raw values."""

from __future__ import annotations

import datetime as dt
import gc

import networkx as nx
import pytest

from stakegraph._gc import gc_paused
from stakegraph.engines.neo4j import SEQ, connect
from stakegraph.engines.neo4j_properties import from_properties, to_properties
from stakegraph.engines.neo4j_pull import _temporal_types, decode, read_graph
from stakegraph.io import load_workspace
from stakegraph.io.property_graph import build_graph, graph_to_workspace
from tests.builders import ROOT

EXAMPLES = ROOT / "examples"


def test_decode_converts_dates_lists_of_dates_and_flattened_fields():
    from neo4j.time import Date

    temporal = _temporal_types()
    props = {
        "start": Date(2024, 3, 1),
        "days": [Date(2024, 1, 2), Date(2025, 6, 30)],
        "tags": ["a", "b"],
        "grade": 5,
        "scores__keys": ["trust", "access"],
        "scores__values": [0.5, 0.75],
        "when__keys": ["first"],
        "when__values": [Date(2023, 12, 31)],
        "extra__json": '[1, "x"]',
        "empty": [],
    }
    assert decode(props, temporal) == {
        "start": dt.date(2024, 3, 1),
        "days": [dt.date(2024, 1, 2), dt.date(2025, 6, 30)],
        "tags": ["a", "b"],
        "grade": 5,
        "scores": {"trust": 0.5, "access": 0.75},
        "when": {"first": dt.date(2023, 12, 31)},
        "extra": [1, "x"],
        "empty": [],
    }


def test_decode_undoes_to_properties_as_from_properties_does():
    data = {
        "name": "王",
        "start": dt.date(2020, 1, 1),
        "scores": {"a": 1.0},
        "mixed": [1, "two"],
        "names": [{"name": "x", "start": dt.date(2021, 5, 4)}],
    }
    stored = to_properties(data)
    assert decode(stored, _temporal_types()) == from_properties(stored)


def test_gc_paused_restores_the_state_it_found():
    """Paused inside, nested or not; on again after, even after an error; left off when
    it was off."""
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block found it paused
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("stop")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.fixture(scope="module")
def store(neo4j_connection):
    with connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password) as s:
        yield s


def _shape(G: nx.MultiDiGraph) -> tuple[list, list]:
    """Node keys and (from, to, key, type) of the edges, in graph order."""
    return list(G.nodes), [(u, v, k, d["type"]) for u, v, k, d in G.edges(keys=True, data=True)]


@pytest.mark.neo4j
@pytest.mark.parametrize("example", ["smart-city", "harbor-county"])
def test_every_page_size_reads_the_pushed_graph(store, example):
    """Page sizes of one row, a few rows and more than a label holds give one graph:
    build_graph's nodes and edges in the same order, the same records back; progress
    counts every row."""
    ws = load_workspace(EXAMPLES / example)
    workspace_id = f"pages-{example}"
    store.push(ws, workspace_id)
    expected = build_graph(ws)
    try:
        whole = read_graph(store, workspace_id, nx.MultiDiGraph(), SEQ, 100_000)
        assert _shape(whole) == _shape(expected)
        assert graph_to_workspace(whole, ws.settings) == ws
        for page in (1, 2, 3, 7):
            counted: list[int] = []
            G = read_graph(store, workspace_id, nx.MultiDiGraph(), SEQ, page, counted.append)
            assert list(G.nodes(data=True)) == list(whole.nodes(data=True)), page
            assert list(G.edges(keys=True, data=True)) == list(whole.edges(keys=True, data=True)), (
                page
            )
            assert sum(counted) == expected.number_of_nodes() + expected.number_of_edges()
            if page == 1:  # one page per node, and per start node of relationships
                assert len(counted) >= expected.number_of_nodes()
    finally:
        store.drop(workspace_id)


@pytest.mark.neo4j
def test_pull_rebuilds_the_records_with_the_collector_paused_and_turns_it_back_on(
    store, monkeypatch
):
    """The records are rebuilt while the cyclic collector is paused, the pull equals the
    push, and the collector runs again afterwards."""
    import stakegraph.engines.neo4j as neo4j_store

    ws = load_workspace(EXAMPLES / "smart-city")
    store.push(ws, "pages-gc")
    seen: list[bool] = []
    rebuild = neo4j_store.graph_to_workspace

    def watched(G: nx.MultiDiGraph) -> object:
        seen.append(gc.isenabled())
        return rebuild(G)

    monkeypatch.setattr(neo4j_store, "graph_to_workspace", watched)
    try:
        assert store.pull("pages-gc") == ws
        assert seen == [False]
        assert gc.isenabled()
    finally:
        store.drop("pages-gc")
