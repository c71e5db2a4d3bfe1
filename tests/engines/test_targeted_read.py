"""Commands about one opportunity or one official read only what they need from Neo4j.

Against a real server: for both examples and every opportunity, ``gaps``, ``plan``,
``paths``, ``whatif`` and ``report -o`` with ``--neo4j`` give the folder's ``--json``
apart from the ``source`` they state; the targeted read of a synthetic province reads
a small part of it and still gives the folder's answers.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from stakegraph.engines.neo4j import connect
from stakegraph.engines.neo4j_subgraph import read_around
from stakegraph.graph.chains import resolve_chain
from stakegraph.io import load_workspace, save_workspace
from tests.builders import DAY, HARBOR_COUNTY, SMART_CITY, cli_runner

invoke = cli_runner()
EXAMPLES = {"t-smart-city": SMART_CITY, "t-harbor-county": HARBOR_COUNTY}
TARGETED = {"engine": "neo4j", "read": "targeted"}
WHOLE = {"engine": "neo4j", "read": "whole"}


@pytest.fixture(scope="module")
def database(neo4j_connection):
    with connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password) as db:
        for wid, folder in EXAMPLES.items():
            db.push(load_workspace(folder), wid)
        yield db


@pytest.fixture(scope="module")
def province(database, tmp_path_factory):
    """A synthetic province of 3,000 officials, as a folder and stored."""
    from benchmarks.synthetic import generate_workspace

    ws = generate_workspace(3000, seed=5)
    folder = tmp_path_factory.mktemp("province") / "province"
    save_workspace(ws, folder)
    database.push(ws, "t-province")
    return folder, load_workspace(folder)


def _both(folder, wid: str, *args: Any) -> tuple[Any, Any]:
    """The ``--json`` of a command on the folder and on the stored workspace."""
    local = invoke(args[0], folder, *args[1:], "--as-of", DAY.isoformat(), "--json")
    remote = invoke(
        args[0], "--neo4j", "--workspace", wid, *args[1:], "--as-of", DAY.isoformat(), "--json"
    )
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    return json.loads(local.output), json.loads(remote.output)


def _without_source(data: Any, read: dict[str, str]) -> Any:
    """The answer without the read it states, checking that it states ``read``."""
    assert isinstance(data, dict) and data["source"] == read, data
    if set(data) == {"source", "rows"}:
        return data["rows"]
    return {k: v for k, v in data.items() if k != "source"}


#: What a stated graph counts: on a targeted read, the persons of the part read.
PART_COUNTS = ("n", "isolates")


def _same_answer(remote: Any, local: Any) -> bool:
    """A targeted read's answer is the folder's: the same rows, the same graph settings.

    The graph it states was searched on the part read, so its person and isolate
    counts are the part's, at most the book's.
    """
    remote = _without_source(remote, TARGETED)
    if isinstance(local, dict) and "graph" in local:
        assert remote["graph"]["n"] <= local["graph"]["n"]
        remote, local = (
            {**d, "graph": {k: v for k, v in d["graph"].items() if k not in PART_COUNTS}}
            for d in (remote, local)
        )
    return bool(remote == local)


def _chain_holders(ws, opportunity: str) -> list[str]:
    return sorted(
        {
            pid
            for step in resolve_chain(ws, opportunity, DAY)
            for r in step.roles
            for pid in r.holders
        }
    )


@pytest.mark.neo4j
@pytest.mark.parametrize("wid", sorted(EXAMPLES))
def test_gaps_plan_and_paths_of_every_opportunity_read_the_part(neo4j_env, database, wid):
    folder = EXAMPLES[wid]
    ws = load_workspace(folder)
    assert len(ws.opportunities) >= 1
    for opp in ws.opportunities:
        for command in ("gaps", "plan"):
            local, remote = _both(folder, wid, command, "-o", opp)
            assert local, (command, opp)
            assert _same_answer(remote, local), (command, opp)
        for person in _chain_holders(ws, opp)[:3]:
            local, remote = _both(folder, wid, "paths", "--to", person, "-k", "3")
            assert _same_answer(remote, local), (opp, person)


@pytest.mark.neo4j
@pytest.mark.parametrize("wid", sorted(EXAMPLES))
def test_report_of_every_opportunity_reads_the_whole_book(neo4j_env, database, wid):
    folder = EXAMPLES[wid]
    ws = load_workspace(folder)
    for opp in ws.opportunities:
        local, remote = _both(folder, wid, "report", "-o", opp)
        assert local["opportunities"], opp
        remote = _without_source(remote, WHOLE)
        remote["workspace"] = local["workspace"]  # the stored id is not the folder's name
        assert remote == local, opp


def _whatif_cases(ws, opp: str) -> list[tuple[str, ...]]:
    """Every owner leaving, and new or changed relationships with the chain's holders,
    someone off the chain and someone already ours."""
    cases: list[tuple[str, ...]] = [("--owner-leaves", owner) for owner in ws.owners]
    owner = next(iter(ws.owners))
    holders = _chain_holders(ws, opp)
    off_chain = next(pid for pid in reversed(list(ws.persons)) if pid not in holders)
    ours = next(iter(ws.relationships.values()))
    for pid in [*holders[:2], off_chain]:
        cases.append(("--relationship", f"{owner}:{pid}:5"))
    cases.append(("--relationship", f"{ours.owner}:{ours.person}:support=1,information=1"))
    other = list(ws.owners)[1]
    cases.append(("--owner-leaves", owner, "--relationship", f"{other}:{holders[0]}:4"))
    return cases


@pytest.mark.neo4j
@pytest.mark.parametrize("wid", sorted(EXAMPLES))
def test_whatif_of_owners_and_relationships_reads_the_part(neo4j_env, database, wid):
    folder = EXAMPLES[wid]
    ws = load_workspace(folder)
    moved = 0
    for opp in ws.opportunities:
        for case in _whatif_cases(ws, opp):
            local, remote = _both(folder, wid, "whatif", "-o", opp, *case)
            assert _without_source(remote, TARGETED) == local, (opp, case)
            moved += local["coverage"]["change"] != 0 or bool(local["plan_changes"])
    assert moved, "no scenario moved anything: the comparison would prove little"


@pytest.mark.neo4j
def test_whatif_that_moves_influence_reads_the_whole_book(neo4j_env, database):
    ws = load_workspace(SMART_CITY)
    holder = _chain_holders(ws, "smart-city")[0]
    for case in (("--remove", holder), ("--horizon", "6m")):
        local, remote = _both(SMART_CITY, "t-smart-city", "whatif", "-o", "smart-city", *case)
        assert _without_source(remote, WHOLE) == local, case
    # a relation filter changes influence over the region: the whole book as well
    owner = next(iter(ws.owners))
    args = ("whatif", "-o", "smart-city", "--owner-leaves", owner, "--kind", "mentor")
    local, remote = _both(SMART_CITY, "t-smart-city", *args)
    assert _without_source(remote, WHOLE) == local


@pytest.mark.neo4j
def test_a_name_or_a_relation_filter_reads_the_whole_book(neo4j_env, database):
    ws = load_workspace(SMART_CITY)
    opp = next(iter(ws.opportunities.values()))
    local, remote = _both(SMART_CITY, "t-smart-city", "gaps", "-o", opp.name)
    assert _without_source(remote, WHOLE) == local
    local, remote = _both(SMART_CITY, "t-smart-city", "plan", "-o", opp.id, "--kind", "mentor")
    assert _without_source(remote, WHOLE) == local


@pytest.mark.neo4j
def test_a_folder_states_no_source(neo4j_env, database):
    local = invoke("gaps", SMART_CITY, "-o", "smart-city", "--as-of", DAY.isoformat(), "--json")
    assert "source" not in json.loads(local.output)


@pytest.mark.neo4j
def test_the_targeted_read_of_a_province_is_a_small_part_with_the_same_answers(
    neo4j_env, database, province
):
    folder, ws = province
    day_holders = {opp: _chain_holders(ws, opp) for opp in ws.opportunities}
    opp = max(day_holders, key=lambda o: len(day_holders[o]))
    read = read_around(database, "t-province", DAY, None, opportunity=opp)
    assert read.stored_nodes > 6000
    # the chain's holders and their two-step neighbourhood, not the book (at 3,000
    # officials with ten ties each, two steps reach a good part of the province)
    assert read.nodes["Person"] < len(ws.persons) / 2, read.nodes
    assert read.nodes_read < read.stored_nodes / 2, (read.nodes_read, read.stored_nodes)
    assert set(day_holders[opp]) <= set(read.workspace.persons)
    assert read.nodes["Opportunity"] == 1
    for command in ("gaps", "plan"):
        local, remote = _both(folder, "t-province", command, "-o", opp)
        assert local, command
        assert _same_answer(remote, local), command
    for person in day_holders[opp][:3]:
        local, remote = _both(folder, "t-province", "paths", "--to", person, "-k", "3")
        assert _same_answer(remote, local), person


def _tie_line_workspace():
    """The sample workspace with a line of ties from the director: wang - p1 - p2 - p3."""
    from stakegraph.errors import Location
    from stakegraph.io import load_settings_text
    from stakegraph.records.sample import _RECORDS
    from stakegraph.records.workspace import RawRecord, build_workspace

    records = {k: [dict(r) for r in v] for k, v in _RECORDS.items()}
    records["persons"] += [{"id": f"p{i}", "name": f"官员{i}"} for i in (1, 2, 3)]
    records["ties"] += [
        {"a": a, "b": b, "kind": "friend", "strength": 0.9}
        for a, b in (("wang", "p1"), ("p1", "p2"), ("p2", "p3"))
    ]
    raws = [
        RawRecord(collection, data, Location(f"test {collection}"))
        for collection, items in records.items()
        for data in items
    ]
    # the stored settings bound no channel, so the bound is the one asked for
    text = "[coverage]\nmax_hops = 0\n"
    ws = build_workspace(raws, load_settings_text(text, "test"), name="tie-line")
    ws.settings_text = text
    return ws


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("hops", "read", "left"), [(1, "p1", "p2"), (2, "p2", "p3"), (3, "p3", None)]
)
def test_the_neighbourhood_ends_at_the_hop_bound(database, hops, read, left):
    """A person ``hops`` ties from the chain's holder is read; one more tie away is not."""
    from stakegraph.records.sample import SAMPLE_DAY

    database.push(_tie_line_workspace(), "t-tie-line")
    part = read_around(database, "t-tie-line", SAMPLE_DAY, hops, opportunity="portal")
    persons = set(part.workspace.persons)
    assert read in persons
    assert left is None or left not in persons
    # the holder, the deputy one formal line below, and zhao whom we know, at any bound
    assert {"wang", "li", "zhao"} <= persons
