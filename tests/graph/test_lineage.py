"""Chains written before a reform (机构改革) resolve across it: the cabinet fixture, where a
ministry is renamed, two are merged and a vice-minister's post is split, pinned on the day
before, the day of and the day after the reform."""

from __future__ import annotations

import datetime as dt

import pytest

from stakegraph.analysis.coverage import coverage
from stakegraph.analysis.diff import diff
from stakegraph.graph.chains import chain_problems, resolve_chain
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.records.lineage import ancestors, career_start, reforms_between, stands_for
from stakegraph.records.model import Reform, ReformScope
from stakegraph.records.naming import describe_reform
from stakegraph.records.workspace import Workspace
from tests.builders import DATA

CABINET = DATA / "structure" / "cabinet"
REFORM = dt.date(2018, 3, 20)
BEFORE, AFTER = REFORM - dt.timedelta(days=1), REFORM + dt.timedelta(days=1)


@pytest.fixture
def cabinet() -> Workspace:
    return load_workspace(CABINET)


def _roles(ws: Workspace, day: dt.date) -> list[tuple[str | None, str | None, tuple, float]]:
    return [
        (r.named_post, r.post, r.holders, round(r.weight, 6))
        for step in resolve_chain(ws, "egov", day)
        for r in step.roles
    ]


def test_the_day_before_the_reform_the_chain_is_as_written(cabinet: Workspace) -> None:
    assert _roles(cabinet, BEFORE) == [
        (None, "info-min", ("gao",), 1.0),
        (None, "info-vice", ("he",), 0.6),
        (None, "labour-min", ("lin",), 0.8),
    ]


@pytest.mark.parametrize(
    "day", [REFORM, AFTER, dt.date(2026, 11, 28)], ids=["of", "after", "later"]
)
def test_from_the_reform_day_each_role_resolves_to_the_live_successors(
    cabinet: Workspace, day: dt.date
) -> None:
    assert _roles(cabinet, day) == [
        ("info-min", "digital-min", ("gao",), 1.0),  # renamed: the minister goes on
        ("info-vice", "digital-vice-infra", ("xu",), 0.3),  # split: both halves, weight shared
        ("info-vice", "digital-vice-data", ("he",), 0.3),
        ("labour-min", "hr-min", ("qian",), 0.8),  # merged: the new ministry's head
    ]
    assert chain_problems(cabinet, "egov", day) == []


def test_a_split_naming_the_successor_that_continues_resolves_to_it_alone(
    cabinet: Workspace,
) -> None:
    cabinet.reforms["r-info-vice"].continued_by = "digital-vice-data"
    assert _roles(cabinet, REFORM)[1:2] == [("info-vice", "digital-vice-data", ("he",), 0.6)]
    assert _roles(cabinet, BEFORE)[1] == (None, "info-vice", ("he",), 0.6)


def test_lineage_is_followed_transitively(cabinet: Workspace) -> None:
    later = dt.date(2022, 1, 1)
    cabinet.posts["hr-min"].end = later
    cabinet.posts["hr-min-2"] = cabinet.posts["hr-min"].model_copy(
        update={"id": "hr-min-2", "title": "部长（党组书记）", "start": later, "end": None}
    )
    cabinet.add(
        Reform.model_validate(
            {
                "id": "r-2022",
                "kind": "rename",
                "of": "posts",
                "day": later,
                "predecessors": ["hr-min"],
                "successors": ["hr-min-2"],
            }
        )
    )
    assert stands_for(cabinet, "labour-min", later - dt.timedelta(days=1)) == ("hr-min",)
    assert stands_for(cabinet, "labour-min", later) == ("hr-min-2",)
    assert ancestors(cabinet, "hr-min-2") == ["hr-min", "labour-min", "personnel-min"]


def test_a_post_abolished_without_successor_or_not_yet_created_is_a_located_problem(
    cabinet: Workspace,
) -> None:
    del cabinet.reforms["r-hr-min"]
    cabinet.add(cabinet.reforms["r-hr"])  # drop cached indexes
    assert stands_for(cabinet, "labour-min", REFORM) == ()
    (problem,) = chain_problems(cabinet, "egov", REFORM)
    assert problem.field == "chain[1].roles[0].post"
    assert "abolished on 2018-03-20 without a successor" in problem.message
    assert problem.location is not None and "opportunities.yaml" in str(problem.location)
    assert chain_problems(cabinet, "egov", BEFORE) == []
    # a post of the new ministry named before it exists
    assert stands_for(cabinet, "hr-min", BEFORE) == ()


def test_organisations_stand_for_their_successors(cabinet: Workspace) -> None:
    orgs = ReformScope.ORGANISATIONS
    assert stands_for(cabinet, "m-info", BEFORE, orgs) == ("m-info",)
    assert stands_for(cabinet, "m-info", REFORM, orgs) == ("m-digital",)
    assert stands_for(cabinet, "m-personnel", AFTER, orgs) == ("m-hr",)


def test_a_career_runs_across_the_reform(cabinet: Workspace) -> None:
    gao = cabinet.persons["gao"].tenures[1]
    assert career_start(cabinet, "gao", "digital-min", gao) == dt.date(2015, 6, 1)
    xu = cabinet.persons["xu"].tenures[0]
    assert career_start(cabinet, "xu", "digital-vice-infra", xu) == REFORM


def test_rotated_follows_the_merged_posts_but_not_a_minister_who_goes_on(
    cabinet: Workspace,
) -> None:
    def rotated(day: dt.date) -> dict[str, str]:
        result = coverage(build_network(cabinet, day), "egov")
        return {g.person: g.reason for g in result.gaps if g.kind.value == "ROTATED"}

    assert rotated(BEFORE) == {}
    for day in (REFORM, AFTER):
        gaps = rotated(day)
        assert set(gaps) == {"qian", "xu"}  # not gao: he is the same minister
        assert "took over 部长 on 2018-03-20" in gaps["qian"]
        assert "predecessor 林部长" in gaps["qian"]


def test_diff_reports_each_reform_and_no_rotation_for_holders_who_go_on(
    cabinet: Workspace,
) -> None:
    assert diff(cabinet, BEFORE - dt.timedelta(days=1), BEFORE).reforms == []
    result = diff(cabinet, BEFORE, REFORM)
    assert [r.reform for r in result.reforms] == [
        "r-digital",
        "r-hr",
        "r-digital-min",
        "r-hr-min",
        "r-info-vice",
    ]
    merge = next(r for r in result.reforms if r.reform == "r-hr")
    assert merge.zh == "劳动部、人事部于 2018-03-20 合并组建人力资源部"
    assert merge.en == "劳动部 and 人事部 merged into 人力资源部 on 2018-03-20"
    moves = {(r.person, r.change, r.post) for r in result.rotations}
    assert moves == {("lin", "out", "labour-min"), ("xu", "in", "digital-vice-infra")}
    assert diff(cabinet, REFORM, AFTER).reforms == []
    data = result.to_dict()
    assert data["reforms"][0]["day"] == "2018-03-20"


def test_functions_of_a_body_that_lives_on_are_told_as_functions(cabinet: Workspace) -> None:
    reform = Reform.model_validate(
        {
            "id": "r-data",
            "kind": "transfer",
            "day": REFORM,
            "predecessors": ["m-labour", "cab"],
            "successors": ["m-hr"],
            "functions": "编制管理职责",
        }
    )
    zh, en = describe_reform(cabinet, reform)
    assert zh == "劳动部、国务院的编制管理职责于 2018-03-20 划入人力资源部"
    assert en == (
        "劳动部 and the functions (编制管理职责) of 国务院 moved to 人力资源部 on 2018-03-20"
    )
    assert [r.id for r in reforms_between(cabinet, BEFORE, REFORM)][:2] == ["r-digital", "r-hr"]
