"""``relationships`` and ``history`` about one official or owner read only our part from Neo4j.

Against a real server: for both examples, every person and every owner, the
``--json`` of ``relationships`` and ``history`` with ``--neo4j`` is the folder's
apart from the ``source`` it states; the read leaves the formal structure on the
server.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from stakegraph.engines.neo4j import connect
from stakegraph.engines.neo4j_person import read_relationships
from stakegraph.io import load_workspace
from tests.builders import DAY, HARBOR_COUNTY, SMART_CITY, cli_runner

invoke = cli_runner()
EXAMPLES = {"p-smart-city": SMART_CITY, "p-harbor-county": HARBOR_COUNTY}
TARGETED = {"engine": "neo4j", "read": "targeted"}
WHOLE = {"engine": "neo4j", "read": "whole"}


@pytest.fixture(scope="module")
def database(neo4j_connection):
    with connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password) as db:
        for wid, folder in EXAMPLES.items():
            db.push(load_workspace(folder), wid)
        yield db


def _json(*args: Any) -> Any:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _rows(data: Any, read: dict[str, str]) -> list[dict[str, Any]]:
    """The rows of a Neo4j answer, checking the read it states."""
    assert isinstance(data, dict) and set(data) == {"source", "rows"}, data
    assert data["source"] == read
    return data["rows"]


def _relationships(folder, wid: str, *args: Any) -> tuple[Any, Any]:
    when = ("--as-of", DAY.isoformat(), "--json")
    local = _json("relationships", folder, *args, *when)
    remote = _json("relationships", "--neo4j", "--workspace", wid, *args, *when)
    return local, remote


def _history(folder, wid: str, *args: Any) -> tuple[Any, Any]:
    local = _json("history", folder, *args, "--json")
    remote = _json("history", "--neo4j", "--workspace", wid, *args, "--json")
    return local, remote


@pytest.mark.neo4j
@pytest.mark.parametrize("wid", sorted(EXAMPLES))
def test_relationships_of_every_person_and_owner_read_our_part(neo4j_env, database, wid):
    folder = EXAMPLES[wid]
    ws = load_workspace(folder)
    local, remote = _relationships(folder, wid)
    assert local and _rows(remote, TARGETED) == local
    related = {r.person for r in ws.relationships.values()}
    for pid in ws.persons:
        local, remote = _relationships(folder, wid, "--person", pid)
        assert _rows(remote, TARGETED) == local, pid
        assert bool(local) == (pid in related), pid
    for oid in ws.owners:
        local, remote = _relationships(folder, wid, "--owner", oid)
        assert _rows(remote, TARGETED) == local, oid
        for pid in sorted({r.person for r in ws.relationships.values() if r.owner == oid})[:3]:
            local, remote = _relationships(folder, wid, "--owner", oid, "--person", pid)
            assert local and _rows(remote, TARGETED) == local, (oid, pid)


@pytest.mark.neo4j
@pytest.mark.parametrize("wid", sorted(EXAMPLES))
def test_history_of_every_person_reads_our_part(neo4j_env, database, wid):
    folder = EXAMPLES[wid]
    ws = load_workspace(folder)
    assessed = {a.person for a in ws.assessments.values()}
    # smart-city's assessments move the scores; harbor-county has the records' own only
    assert assessed or wid == "p-harbor-county"
    for pid in ws.persons:
        local, remote = _history(folder, wid, "--person", pid)
        assert _rows(remote, TARGETED) == local, pid
        if pid in assessed:
            assert any(row["assessment"] for row in local), pid
    for rel in list(ws.relationships.values())[:5]:
        local, remote = _history(folder, wid, "--person", rel.person, "--owner", rel.owner)
        assert local and _rows(remote, TARGETED) == local, rel.id


@pytest.mark.neo4j
def test_a_name_reads_the_whole_workspace(neo4j_env, database):
    ws = load_workspace(SMART_CITY)
    rel = next(iter(ws.relationships.values()))
    name = ws.persons[rel.person].name
    local, remote = _relationships(SMART_CITY, "p-smart-city", "--person", name)
    assert local and _rows(remote, WHOLE) == local
    local, remote = _history(SMART_CITY, "p-smart-city", "--person", name)
    assert local and _rows(remote, WHOLE) == local
    # a folder states no source: its rows are a plain list, as before
    assert isinstance(local, list)


@pytest.mark.neo4j
def test_the_read_leaves_the_structure_on_the_server(database):
    ws = load_workspace(SMART_CITY)
    rel = next(iter(ws.relationships.values()))
    read = read_relationships(database, "p-smart-city", person=rel.person)
    assert set(read.nodes) <= {"Owner", "Person", "Interaction", "Assessment"}, read.nodes
    assert read.nodes["Person"] == 1
    assert read.nodes["Owner"] == len(ws.owners)
    assert read.nodes_read < read.stored_nodes / 2
    # every relationship with the person, and no other
    assert {r.id for r in read.workspace.relationships.values()} == {
        r.id for r in ws.relationships.values() if r.person == rel.person
    }
