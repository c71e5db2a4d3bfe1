"""A targeted read counts each owner's load on the server and scans from indexes.

Against a real server: a synthetic province whose owners may each be responsible for
one person only, so that capacities are exceeded. Read with only the relationships of
the persons the answer needs, the part's own count of an owner's load is short of the
book's, the count the server gives is the book's on every day, and ``gaps`` and
``plan`` give the folder's answers. The push creates the range indexes on
``workspace`` the whole-workspace scans start from.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from stakegraph.analysis.coverage import responsible_load
from stakegraph.engines.neo4j import WORKSPACE_SCAN_LABELS, connect
from stakegraph.engines.neo4j_subgraph import read_around
from stakegraph.graph.chains import resolve_chain
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace, save_workspace
from tests.builders import DAY, cli_runner

invoke = cli_runner()
WID = "tc-province"
#: A day before many relationships began (``since``): they do not count yet.
EARLY = dt.date(2022, 6, 1)


@pytest.fixture(scope="module")
def province(neo4j_connection, tmp_path_factory):
    """A synthetic province with every owner's capacity 1, as a folder and stored."""
    from benchmarks.synthetic import generate_workspace

    ws = generate_workspace(3000, seed=5)
    for owner_id, owner in list(ws.owners.items()):
        ws.owners[owner_id] = owner.model_copy(update={"capacity": 1})
    folder = tmp_path_factory.mktemp("counts") / "province"
    save_workspace(ws, folder)
    with connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password) as db:
        db.push(load_workspace(folder), WID)
        yield db, folder, load_workspace(folder)


def _busiest(ws) -> str:
    holders = {
        opp: {pid for step in resolve_chain(ws, opp, DAY) for r in step.roles for pid in r.holders}
        for opp in ws.opportunities
    }
    return max(holders, key=lambda opp: (len(holders[opp]), opp))


@pytest.mark.neo4j
@pytest.mark.parametrize("day", [DAY, EARLY])
def test_the_server_counts_each_owners_load_of_the_whole_book(province, day):
    db, _, ws = province
    book = responsible_load(build_network(ws, day))
    opportunity = _busiest(ws)
    read = read_around(db, WID, day, None, opportunity=opportunity, every_relationship=False)
    assert read.responsible_load == book
    # the part alone would count less: the server's count is what keeps it right
    part = responsible_load(build_network(read.workspace, day))
    assert sum(part.values()) < sum(book.values())
    whole = read_around(db, WID, day, None, opportunity=opportunity)
    assert whole.responsible_load is None
    assert read.nodes["Person"] < whole.nodes["Person"]
    assert responsible_load(build_network(whole.workspace, day)) == book


@pytest.mark.neo4j
def test_a_later_day_counts_relationships_begun_since(province):
    db, _, ws = province
    opportunity = _busiest(ws)
    early, late = (
        read_around(db, WID, day, None, opportunity=opportunity, every_relationship=False)
        for day in (EARLY, DAY)
    )
    assert early.responsible_load is not None and late.responsible_load is not None
    assert sum(early.responsible_load.values()) < sum(late.responsible_load.values())


@pytest.mark.neo4j
@pytest.mark.parametrize("command", ["gaps", "plan"])
def test_over_capacity_owners_are_the_folders(neo4j_env, province, command):
    _, folder, ws = province
    opportunity = _busiest(ws)
    common = ["-o", opportunity, "--as-of", DAY.isoformat(), "--json"]
    local = invoke(command, folder, *common)
    remote = invoke(command, "--neo4j", "--workspace", WID, *common)
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    answer = json.loads(remote.output)
    assert answer.pop("source") == {"engine": "neo4j", "read": "targeted"}
    expected = json.loads(local.output)
    if set(answer) == {"rows"}:
        answer = answer["rows"]
    if isinstance(expected, dict) and "graph" in expected:
        for data in (answer, expected):
            data["graph"] = {k: v for k, v in data["graph"].items() if k not in ("n", "isolates")}
    assert answer == expected
    if command == "gaps":
        assert "over capacity" in local.output  # the count decides a gap here


@pytest.mark.neo4j
def test_the_push_creates_the_workspace_indexes_the_scans_use(province):
    db, _, _ = province
    names = {row["name"] for row in db.read("SHOW INDEXES YIELD name RETURN name")}
    assert {f"stakegraph_{label.lower()}_workspace" for label in WORKSPACE_SCAN_LABELS} <= names
    with db._session() as session:
        plan = session.run(
            "EXPLAIN MATCH (p:Person {workspace: $workspace}) RETURN count(p)", workspace=WID
        ).consume()
    operators: list[str] = []
    stack = [plan.plan]
    while stack:
        step = stack.pop()
        operators.append(step["operatorType"])
        stack.extend(step.get("children", []))
    assert any(op.startswith("NodeIndexSeek") for op in operators), operators


@pytest.mark.neo4j
def test_the_region_read_beside_the_part_is_the_region_read_alone(province):
    from stakegraph.engines.neo4j_columns import read_columns
    from stakegraph.engines.neo4j_subgraph import read_around_and_region

    db, _, ws = province
    opportunity = _busiest(ws)
    read, columns = read_around_and_region(db, WID, DAY, None, opportunity)
    assert columns == read_columns(db, WID, DAY)
    assert read.responsible_load == responsible_load(build_network(ws, DAY))
    person = next(iter(ws.persons))
    read, columns = read_around_and_region(db, WID, DAY, None, None, [person])
    assert columns is None
    assert person in read.workspace.persons
