"""The named influence queries follow dated reporting lines and oversight (分管) on the
server as the embedded engine does: the reshuffle of tests/data/structure/dated, on the
day before, of and after it."""

from __future__ import annotations

import datetime as dt

import pytest

from stakegraph.analysis.influence import influence
from stakegraph.engines.neo4j import connect
from stakegraph.engines.queries import influence_from_neo4j, run_query
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from tests.builders import DATA

pytestmark = pytest.mark.neo4j

SWITCH = dt.date(2026, 6, 1)
DAYS = [SWITCH - dt.timedelta(days=1), SWITCH, SWITCH + dt.timedelta(days=1)]
TOL = 1e-6


@pytest.fixture(scope="module")
def dated(neo4j_connection):
    ws = load_workspace(DATA / "structure" / "dated")
    with connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password) as s:
        s.push(ws, "q-dated")
        yield s, ws
        s.drop("q-dated")


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_influence_on_the_server_follows_the_reshuffle(dated, day: dt.date) -> None:
    store, ws = dated
    expected = influence(build_network(ws, day), "brain")
    got = influence_from_neo4j(store, "q-dated", day, "brain")
    for pid in expected.persons:
        assert got.of(pid) == pytest.approx(expected.of(pid), abs=TOL), pid
        for part, value in expected.parts_of(pid).items():
            assert got.parts_of(pid)[part] == pytest.approx(value, abs=TOL), (pid, part)
    rows = run_query(
        store, "influence_pagerank", {"workspace": "q-dated", "as_of": day, "opportunity": "brain"}
    )
    scores = {r["person"]: r["score"] for r in rows}
    for pid in expected.persons:
        assert scores[pid] == pytest.approx(expected.of(pid), abs=TOL), pid
    first = "wang" if day < SWITCH else "li"
    second = "li" if first == "wang" else "wang"
    assert scores[first] > scores[second]
