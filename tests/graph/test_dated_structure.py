"""The structure and names in force on a day: a 分工调整 on 2026-06-01 moves oversight of
the big-data bureau from vice-mayor 王强 to vice-mayor 李敏 (and the bureau director's
reporting line with it); the bureau director went by 陈小红 until 2026-04-15.

Each is pinned on the day before, the day of and the day after the change, through the
day's view, the network, influence, coverage, the plan, show and the command line."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from stakegraph.analysis.coverage import coverage
from stakegraph.analysis.diff import diff
from stakegraph.analysis.influence import influence
from stakegraph.analysis.plan import engagement_plan
from stakegraph.graph.network import PersonNetwork, build_network
from stakegraph.graph.timeline import structure_on, workspace_on
from stakegraph.io import load_workspace
from stakegraph.records.workspace import Workspace
from stakegraph.views.summary import chain_table, organisation_tree
from tests.builders import DATA, run_cli

DATED = DATA / "structure" / "dated"
SWITCH = dt.date(2026, 6, 1)
RENAMED = dt.date(2026, 4, 15)
ONE = dt.timedelta(days=1)
AROUND = (SWITCH - ONE, SWITCH, SWITCH + ONE)


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return load_workspace(DATED)


@pytest.fixture(scope="module")
def networks(ws: Workspace) -> dict[dt.date, PersonNetwork]:
    return {day: build_network(ws, day) for day in AROUND}


def test_the_view_of_a_day_holds_the_plain_structure_of_that_day(ws: Workspace) -> None:
    seen = []
    for day in AROUND:
        view = workspace_on(ws, day)
        posts, orgs = view.posts, view.organisations
        seen.append(
            (
                posts["vm-wang"].oversees,
                posts["vm-li"].oversees,
                posts["dsj-jz"].reports_to,
                orgs["zwb"].parent,
                orgs["dsj"].guided_by,
            )
        )
    before = (["czj", "dsj"], ["jyj"], "vm-wang", "gov", [])
    after = (["czj"], ["jyj", "dsj"], "vm-li", "dsj", ["yl-dsj"])
    assert seen == [before, after, after]
    # the loaded workspace keeps its dated form
    assert isinstance(ws.posts["dsj-jz"].reports_to, list)


def test_the_view_names_each_person_by_the_name_of_the_day(ws: Workspace) -> None:
    names = [workspace_on(ws, d).persons["chen"].name for d in (RENAMED - ONE, RENAMED)]
    assert names == ["陈小红", "陈晓"]
    assert ws.persons["chen"].name == "陈晓"


def test_a_workspace_without_dated_values_is_its_own_view(ws: Workspace) -> None:
    plain = load_workspace(DATA / "structure")
    assert structure_on(plain, SWITCH) is plain
    assert structure_on(ws, SWITCH) is not ws


def _edges(network: PersonNetwork, matrix: str) -> set[tuple[str, str]]:
    m = getattr(network, matrix).tocoo()
    return {(network.persons[r], network.persons[c]) for r, c in zip(m.row, m.col, strict=True)}


def test_the_network_follows_the_reshuffle(networks: dict[dt.date, PersonNetwork]) -> None:
    oversight = [_edges(networks[d], "oversight") for d in AROUND]
    formal = [_edges(networks[d], "formal") for d in AROUND]
    assert ("chen", "wang") in oversight[0] and ("chen", "li") not in oversight[0]
    assert ("chen", "li") in oversight[1] and ("chen", "wang") not in oversight[1]
    assert oversight[1] == oversight[2]
    assert ("chen", "wang") in formal[0] and ("chen", "li") in formal[1]
    assert formal[1] == formal[2]


def test_influence_moves_to_the_overseeing_vice_mayor(
    networks: dict[dt.date, PersonNetwork],
) -> None:
    scores = []
    for day in AROUND:
        result = influence(networks[day], "brain")
        scores.append((result.score[result.index["wang"]], result.score[result.index["li"]]))
    (wang0, li0), (wang1, li1), (wang2, li2) = scores
    assert wang0 > li0 and li1 > wang1 and (wang1, li1) == (wang2, li2)
    # the two vice-mayors are alike but for the bureau: their scores swap exactly
    assert (wang0, li0) == pytest.approx((li1, wang1))


def test_coverage_falls_when_our_vice_mayor_no_longer_oversees_the_bureau(
    networks: dict[dt.date, PersonNetwork],
) -> None:
    # our executive's contact is 王强: his part of the chain weighs less after the reshuffle
    overall = [coverage(networks[d], "brain").overall for d in AROUND]
    assert overall[0] > overall[1]
    assert overall[1] == pytest.approx(overall[2], abs=0.01)


def test_the_plan_puts_the_overseeing_vice_mayor_first(
    networks: dict[dt.date, PersonNetwork],
) -> None:
    orders = [[row.target for row in engagement_plan(networks[d], "brain")] for d in AROUND]
    assert orders[0][:3] == ["zhou", "wang", "li"]
    assert orders[1][:3] == ["zhou", "li", "wang"] and orders[2][:3] == orders[1][:3]


def test_the_plan_names_the_target_by_the_name_of_the_day(ws: Workspace) -> None:
    names = []
    for day in (RENAMED - ONE, RENAMED):
        rows = engagement_plan(build_network(ws, day), "brain")
        names.append(next(row.name for row in rows if row.target == "chen"))
    assert names == ["陈小红", "陈晓"]


def _tree(ws: Workspace, day: dt.date) -> dict[str, tuple[str | None, list[str]]]:
    out: dict[str, tuple[str | None, list[str]]] = {}

    def walk(nodes: list[dict], parent: str | None) -> None:
        for node in nodes:
            out[node["id"]] = (parent, node["guided_by"])
            walk(node["children"], node["id"])

    walk(organisation_tree(ws, day), None)
    return out


def test_show_draws_the_tree_of_the_day(ws: Workspace) -> None:
    trees = [_tree(ws, day) for day in AROUND]
    assert [t["zwb"] for t in trees] == [("gov", []), ("dsj", []), ("dsj", [])]
    assert [t["dsj"] for t in trees] == [("gov", []), ("gov", ["yl-dsj"]), ("gov", ["yl-dsj"])]


def test_show_names_holders_by_the_name_of_the_day(ws: Workspace) -> None:
    holders = []
    for day in (RENAMED - ONE, RENAMED, RENAMED + ONE):
        step = chain_table(ws, "brain", day)["steps"][0]
        holders.append(step["roles"][0]["holders"][0]["name"])
    assert holders == ["陈小红", "陈晓", "陈晓"]


def test_diff_lists_the_reshuffle_on_its_day_only(ws: Workspace) -> None:
    result = diff(ws, SWITCH - ONE, SWITCH, opportunities=[])
    rows = [(c.kind, c.source, c.change, c.target) for c in result.structure]
    assert rows == [
        ("oversees", "vm-wang", "ends", "dsj"),
        ("parent", "zwb", "ends", "gov"),
        ("reports_to", "dsj-jz", "ends", "vm-wang"),
        ("guided_by", "dsj", "begins", "yl-dsj"),
        ("oversees", "vm-li", "begins", "dsj"),
        ("parent", "zwb", "begins", "dsj"),
        ("reports_to", "dsj-jz", "begins", "vm-li"),
    ]
    assert result.structure[0].source_label == "江川市人民政府副市长（王强）"
    assert result.structure[4].source_label == "江川市人民政府副市长（李敏）"
    assert diff(ws, SWITCH, SWITCH + ONE, opportunities=[]).structure == []
    assert diff(ws, SWITCH - 2 * ONE, SWITCH - ONE, opportunities=[]).empty


def test_the_command_line_shows_the_day(ws: Workspace) -> None:
    shown = run_cli(["show", DATED, "--as-of", RENAMED - ONE, "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    holder = data["opportunities"][0]["steps"][0]["roles"][0]["holders"][0]
    assert holder == {"id": "chen", "name": "陈小红"}
    changed = run_cli(["diff", DATED, "--from", SWITCH - ONE, "--to", SWITCH])
    assert changed.exit_code == 0, changed.output
    assert "分管 oversight" in changed.output and "结束 ends" in changed.output
    assert "江川市人民政府副市长（李敏）" in changed.output
    as_json = json.loads(
        run_cli(["diff", DATED, "--from", SWITCH - ONE, "--to", SWITCH, "--json"]).output
    )
    assert [c["kind_label"] for c in as_json["structure"]][:1] == ["分管 oversight"]
    gaps = run_cli(["gaps", DATED, "-o", "brain", "--as-of", RENAMED - ONE])
    assert gaps.exit_code == 0 and "陈小红" in gaps.output and "陈晓" not in gaps.output
    paths = run_cli(["paths", DATED, "--to", "chen", "--as-of", RENAMED - ONE])
    assert paths.exit_code == 0 and "陈晓" not in paths.output
    assert "warm channels to 陈小红" in paths.output
