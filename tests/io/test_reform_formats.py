"""Reforms (机构改革) survive every format: YAML, CSV, xlsx, GraphML, the property graph
and Popolo, with their order of predecessors and successors and the one that continues."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.graphml import read_graphml, write_graphml
from stakegraph.io.popolo import from_popolo, popolo_part, to_popolo
from stakegraph.io.property_graph import build_graph, graph_to_workspace, node_key
from stakegraph.records.workspace import Workspace
from tests.builders import DATA

CABINET = DATA / "structure" / "cabinet"


@pytest.fixture
def cabinet() -> Workspace:
    ws = load_workspace(CABINET)
    # every field set somewhere: the split names the successor that continues it
    split = ws.reforms["r-info-vice"]
    split.continued_by = "digital-vice-data"
    split.functions = "数据管理职责"
    split.tags = ["2018"]
    split.aliases = ["副部长分设"]
    return ws


def test_the_fixture_has_every_kind_of_lineage(cabinet: Workspace) -> None:
    kinds = {(r.of.value, r.kind.value) for r in cabinet.reforms.values()}
    assert kinds == {
        ("organisations", "rename"),
        ("organisations", "merge"),
        ("posts", "rename"),
        ("posts", "merge"),
        ("posts", "split"),
    }


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_reforms_round_trip_through_files(cabinet: Workspace, tmp_path: Path, fmt: str) -> None:
    dest = tmp_path / ("book.xlsx" if fmt == "xlsx" else "out")
    save_workspace(cabinet, dest, fmt)
    back = load_workspace(dest)
    assert back == cabinet
    assert back.reforms["r-hr"].predecessors == ["m-labour", "m-personnel"]
    assert back.reforms["r-info-vice"].continued_by == "digital-vice-data"


def test_reforms_round_trip_through_the_property_graph_and_graphml(
    cabinet: Workspace, tmp_path: Path
) -> None:
    G = build_graph(cabinet)
    assert graph_to_workspace(G) == cabinet
    node = G.nodes[node_key("Reform", "r-hr")]
    assert (node["label"], node["kind"].value, node["of"].value) == (
        "Reform",
        "merge",
        "organisations",
    )
    succeeded = sorted(
        (G.nodes[u]["id"], G.nodes[v]["id"], d["reform"])
        for u, v, d in G.edges(data=True)
        if d["type"] == "SUCCEEDED_BY"
    )
    assert ("labour-min", "hr-min", "r-hr-min") in succeeded
    assert ("m-info", "m-digital", "r-digital") in succeeded
    into = [
        (G.nodes[v]["id"], d["continues"])
        for _, v, d in G.out_edges(node_key("Reform", "r-info-vice"), data=True)
        if d["type"] == "REFORM_INTO"
    ]
    assert into == [("digital-vice-infra", False), ("digital-vice-data", True)]
    # a chain naming the split post goes on only to the successor that continues it
    split = sorted(
        (G.nodes[v]["id"], d["order"], d["follows"])
        for u, v, d in G.edges(data=True)
        if d["type"] == "SUCCEEDED_BY" and d["reform"] == "r-info-vice"
    )
    assert split == [("digital-vice-data", 1, True), ("digital-vice-infra", 0, False)]
    path = write_graphml(cabinet, tmp_path / "g.graphml")
    assert read_graphml(path) == cabinet


def test_reforms_round_trip_through_popolo(cabinet: Workspace) -> None:
    data = json.loads(json.dumps(to_popolo(cabinet), ensure_ascii=False))
    info = next(o for o in data["organizations"] if o["id"] == "m-info")
    assert info["dissolution_date"] == "2018-03-20"
    digital = next(o for o in data["organizations"] if o["id"] == "m-digital")
    assert digital["founding_date"] == "2018-03-20"
    split = next(r for r in data["stakegraph:reforms"] if r["id"] == "r-info-vice")
    assert split["continued_by"] == "digital-vice-data" and split["of"] == "posts"
    notes: list = []
    back = from_popolo(data, notes=notes)
    assert popolo_part(back) == popolo_part(cabinet)
    assert notes == []


def test_popolo_reforms_follow_ids_made_valid(cabinet: Workspace) -> None:
    data = to_popolo(cabinet)
    for org in data["organizations"]:
        if org["id"] == "m-hr":
            org["id"] = "m hr"
    for post in data["posts"]:
        if post["organization_id"] == "m-hr":
            post["organization_id"] = "m hr"
    for reform in data["stakegraph:reforms"]:
        reform["successors"] = ["m hr" if s == "m-hr" else s for s in reform["successors"]]
    back = from_popolo(data, notes=[])
    assert back.reforms["r-hr"].successors == ["m-hr"]
