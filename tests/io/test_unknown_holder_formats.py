"""A role whose holder is not known yet (人选未明) survives every format: YAML, CSV,
xlsx (with help and drop-downs on its columns), GraphML and the property graph, and
a private copy drops its description as it drops notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.graphml import read_graphml, write_graphml
from stakegraph.io.property_graph import build_graph, graph_to_workspace
from stakegraph.records.model import Opportunity, Organisation, Post
from stakegraph.records.workspace import Workspace

UNKNOWN = {
    "unknown_org": "fin",
    "unknown_grade": 3,
    "unknown_description": "预算评审中心一位评审",
    "role": "evaluator",
    "weight": 0.5,
}


def with_unknown_holder() -> Workspace:
    ws = Workspace()
    ws.add(Organisation(id="bdb", name="大数据局"))
    ws.add(Organisation(id="fin", name="财政局"))
    ws.add(Post(id="director", org="bdb", title="局长", grade=6))
    chain = [
        {"id": "budget", "name": "预算审批", "roles": [{"post": "director", "role": "approver"}]},
        {
            "id": "review",
            "name": "评审",
            "roles": [UNKNOWN, {"unknown_org": "fin", "role": "user"}],
        },
    ]
    ws.add(Opportunity(id="opp", name="项目", client="bdb", chain=chain))
    return ws


def _roles(ws: Workspace) -> list:
    return ws.opportunities["opp"].chain[1].roles


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_the_unknown_holder_round_trips_through_files(tmp_path: Path, fmt: str) -> None:
    ws = with_unknown_holder()
    dest = tmp_path / ("book.xlsx" if fmt == "xlsx" else "out")
    save_workspace(ws, dest, fmt)
    back = load_workspace(dest)
    assert back == ws
    first, second = _roles(back)
    assert (first.unknown_org, first.unknown_grade, first.unknown_description) == (
        "fin",
        3,
        "预算评审中心一位评审",
    )
    assert (second.unknown_org, second.unknown_grade, second.unknown_description) == (
        "fin",
        None,
        None,
    )


def test_the_yaml_writes_the_expected_grade_by_its_name(tmp_path: Path) -> None:
    save_workspace(with_unknown_holder(), tmp_path / "out", "yaml")
    text = (tmp_path / "out" / "opportunities.yaml").read_text(encoding="utf-8")
    assert "unknown_grade: 正科" in text and "unknown_org: fin" in text


def test_the_workbook_explains_the_columns_and_offers_organisations_and_grades(
    tmp_path: Path,
) -> None:
    save_workspace(with_unknown_holder(), tmp_path / "book.xlsx", "xlsx")
    book = load_workbook(tmp_path / "book.xlsx")
    sheet = book["决策角色"]
    headers = [str(c.value) for c in sheet[1]]

    def letter(header: str) -> str:
        return sheet.cell(row=1, column=headers.index(header) + 1).column_letter

    def formula(col: str) -> str | None:
        for check in sheet.data_validations.dataValidation:
            if any(str(r).startswith(f"{col}2:") for r in check.sqref.ranges):
                return check.formula1
        return None

    org, grade = letter("未明人选单位\nunknown_org"), letter("未明人选职级\nunknown_grade")
    assert formula(org) == "ids_organisations"
    posts = book["岗位"]
    post_headers = [str(c.value) for c in posts[1]]
    post_grade = posts.cell(row=1, column=post_headers.index("职级\ngrade") + 1).column_letter
    post_formula = next(
        c.formula1
        for c in posts.data_validations.dataValidation
        if any(str(r).startswith(f"{post_grade}2:") for r in c.sqref.ranges)
    )
    # the same drop-down of grade names as a post's grade
    assert formula(grade) == post_formula and "列表" in post_formula
    for header in ("未明人选单位\nunknown_org", "未明人选描述\nunknown_description"):
        comment = sheet.cell(row=1, column=headers.index(header) + 1).comment
        assert comment is not None and "人选未明" in comment.text


def test_the_unknown_holder_round_trips_through_graphml_and_the_property_graph(
    tmp_path: Path,
) -> None:
    ws = with_unknown_holder()
    write_graphml(ws, tmp_path / "ws.graphml")
    assert read_graphml(tmp_path / "ws.graphml").opportunities == ws.opportunities
    graph = build_graph(ws)
    roles = [
        (u, d)
        for u, _, d in graph.edges(data=True)
        if d["type"] == "ROLE" and graph.nodes[u]["label"] == "Organisation"
    ]
    assert len(roles) == 2 and {d.get("unknown_grade") for _, d in roles} == {3, None}
    assert graph_to_workspace(graph).opportunities == ws.opportunities


def test_a_private_copy_drops_the_description_and_keeps_the_holder_unknown() -> None:
    from stakegraph.io.pseudonymise import pseudonymise
    from stakegraph.records.validate import check_workspace

    private = pseudonymise(with_unknown_holder(), b"k" * 32)
    first, _ = _roles(private)
    assert first.unknown_org in private.organisations and first.unknown_grade == 3
    assert first.unknown_description is None
    assert check_workspace(private) == []
    kept = pseudonymise(with_unknown_holder(), b"k" * 32, keep={"notes"})
    assert _roles(kept)[0].unknown_description == "预算评审中心一位评审"
