"""An unknown holder (人选未明) in the views: its gap label after the code, its reason and
the plan's next action (identify who, 摸清人选) in both languages, the chain row, the map."""

from __future__ import annotations

import json

import pytest

from stakegraph.analysis.coverage import GapKind, coverage
from stakegraph.analysis.plan import engagement_plan
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.views.phrases import gap_reason, unknown_action
from stakegraph.views.report import chain_rows, gap_rows
from stakegraph.views.rows import plan_rows
from tests.builders import DAY, SMART_CITY, run_cli

OPP = "gov-cloud"
LABEL = "江川市财政局（正科，预算评审中心评审人员）"


@pytest.fixture(scope="module")
def network():
    return build_network(load_workspace(SMART_CITY), DAY)


def test_the_gap_is_phrased_in_both_languages(network):
    cov = coverage(network, OPP)
    (gap,) = [g for g in cov.gaps if g.kind is GapKind.UNKNOWN_HOLDER]
    assert gap_reason(network, gap, None, "zh") == f"{LABEL}：人选未明；摸清人选，补填岗位或人员。"
    english = gap_reason(network, gap, None, "en")
    assert english.startswith("江川市财政局 (section chief, 预算评审中心评审人员): ")
    assert "identify who holds it" in english and "人选未明" not in english


def test_the_plan_lists_it_with_identify_who(network):
    plan = engagement_plan(network, OPP)
    (target,) = plan.unknown
    assert (target.phase, target.step, target.role) == ("base", "budget", "evaluator")
    assert all(row.target in network.workspace.persons for row in plan)  # no person row for it
    assert unknown_action(network, target, "zh").startswith("摸清人选：查明「预算审批」环节")
    assert unknown_action(network, target, "en").startswith("Identify who: find out who at ")
    last = plan_rows(network, plan)[-1]
    assert last["target"] is None and last["name"] == LABEL and last["grade"] == "正科"
    assert last["unknown"] == {
        "org": "jc-fin",
        "grade": 3,
        "description": "预算评审中心评审人员",
        "step": "budget",
        "role": "evaluator",
    }


def test_json_rows_carry_the_label_after_the_code_and_what_we_know(network):
    cov = coverage(network, OPP)
    rows = gap_rows(network, cov)
    (row,) = [r for r in rows if r["kind"] == "UNKNOWN_HOLDER"]
    assert list(row)[:2] == ["kind", "label"] and row["label"] == "人选未明 holder unknown"
    assert row["who"] == LABEL and row["unknown"]["org"] == "jc-fin"
    assert all("unknown" not in r for r in rows if r is not row)
    budget = next(s for s in chain_rows(network, cov) if s["id"] == "budget")
    unknown = [r for r in budget["roles"] if "unknown" in r]
    assert len(unknown) == 1 and unknown[0]["org"] == "江川市财政局"
    assert unknown[0]["grade"] == "正科" and unknown[0]["gaps"] == ["UNKNOWN_HOLDER"]


def test_the_gaps_command_shows_it_in_both_languages():
    day = DAY.isoformat()
    zh = run_cli(["--lang", "zh", "gaps", SMART_CITY, "-o", OPP, "--as-of", day])
    assert zh.exit_code == 0 and "人选未明" in zh.output and "UNKNOWN_HOLDER" in zh.output
    en = run_cli(["--lang", "en", "gaps", SMART_CITY, "-o", OPP, "--as-of", day])
    assert "holder unknown" in en.output and "人选未明 " not in en.output
    data = json.loads(run_cli(["gaps", SMART_CITY, "-o", OPP, "--as-of", day, "--json"]).output)
    kinds = [g["kind"] for g in data["gaps"]]
    assert kinds.count("UNKNOWN_HOLDER") == 1


def test_the_map_draws_the_unknown_holder(network):
    from stakegraph.views.map import map_data

    data = map_data(network, OPP)
    (node,) = [n for n in data.nodes if str(n["id"]).startswith("u:")]
    assert node["label"].startswith("人选未明") and "江川市财政局" in node["label"]
    assert data.details[node["id"]]["gaps"][0]["kind"] == "UNKNOWN_HOLDER"
