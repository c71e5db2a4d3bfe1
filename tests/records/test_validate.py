"""Checks across records, at their boundaries: dates of a relationship, tenures, oversight."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakegraph.errors import WorkspaceInvalid
from stakegraph.io import load_workspace

ORGS = """\
- {id: province, name: 示例省人民政府, kind: government}
- {id: city, name: 示例市人民政府, kind: government, parent: province}
- {id: bureau, name: 示例市大数据管理局, parent: city}
- {id: division, name: 示例市大数据管理局信息化处, parent: bureau}
"""


def _problems(tmp_path: Path, **files: str) -> list[str]:
    texts = {
        "organisations": ORGS,
        "posts": "- {id: director, org: bureau, title: 局长, grade: 正处, seats: 3}\n",
        "persons": "- {id: li, name: 李明}\n",
        "owners": "- {id: zhang, name: 张伟, tier: manager}\n",
        **files,
    }
    for name, text in texts.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    try:
        load_workspace(tmp_path)
    except WorkspaceInvalid as exc:
        return [p.format() for p in exc.problems]
    return []


@pytest.mark.parametrize(
    ("last_contact", "bad"), [("2025-03-01", False), ("2025-02-28", True), ("2026-01-01", False)]
)
def test_last_contact_not_before_since(tmp_path: Path, last_contact: str, bad: bool) -> None:
    relationship = (
        f"- {{owner: zhang, person: li, since: 2025-03-01, last_contact: {last_contact}}}\n"
    )
    problems = _problems(tmp_path, relationships=relationship)
    assert bool(problems) == bad, problems
    if bad:
        assert problems == [
            "relationships.yaml:1: relationship 'zhang~li' field 'last_contact': last contact "
            "2025-02-28 is before the relationship began (2025-03-01). Fix: correct one of the "
            "dates: 'since' is when the relationship began, 'last_contact' the latest contact."
        ]


@pytest.mark.parametrize(
    ("tenures", "bad_index"),
    [
        # end is exclusive: starting again on the day the first ended is no overlap
        (
            "[{post: director, start: 2021-01-01, end: 2024-01-01}, "
            "{post: director, start: 2024-01-01}]",
            None,
        ),
        (
            "[{post: director, start: 2021-01-01, end: 2024-01-01}, "
            "{post: director, start: 2023-12-31}]",
            1,
        ),
        # undated tenures cover every day, so two of them always overlap
        ("[{post: director}, {post: director}]", 1),
        # a tenure inside a long one overlaps it though a shorter one lies between
        (
            "[{post: director, start: 2010-01-01, end: 2030-01-01}, "
            "{post: director, start: 2011-01-01, end: 2012-01-01}, "
            "{post: director, start: 2020-01-01, end: 2021-01-01}]",
            1,
        ),
    ],
)
def test_one_person_holding_one_post_twice(
    tmp_path: Path, tenures: str, bad_index: int | None
) -> None:
    problems = _problems(tmp_path, persons=f"- {{id: li, name: 李明, tenures: {tenures}}}\n")
    if bad_index is None:
        assert problems == []
    else:
        assert problems and all("holds post 'director' twice at once" in p for p in problems)
        assert f"field 'tenures[{bad_index}]'" in problems[0]


def test_two_overlapping_tenures_inside_a_long_one_are_each_reported(tmp_path: Path) -> None:
    tenures = (
        "[{post: director, start: 2010-01-01, end: 2030-01-01}, "
        "{post: director, start: 2011-01-01, end: 2012-01-01}, "
        "{post: director, start: 2020-01-01, end: 2021-01-01}]"
    )
    problems = _problems(tmp_path, persons=f"- {{id: li, name: 李明, tenures: {tenures}}}\n")
    assert len(problems) == 2
    assert "tenures[1]" in problems[0] and "tenures[2]" in problems[1]
    assert "overlaps tenures[0]" in problems[1]


@pytest.mark.parametrize(
    ("oversees", "problem"),
    [
        ("[division]", None),  # below the post's organisation: ordinary oversight
        ("[bureau]", None),  # its own organisation
        ("[city]", "oversees 'city', the parent organisation (块) of its own organisation"),
        ("[province]", "oversees 'province', the ancestor organisation (块)"),
    ],
)
def test_oversight_of_ones_own_parent(tmp_path: Path, oversees: str, problem: str | None) -> None:
    post = f"- {{id: director, org: bureau, title: 局长, grade: 正处, oversees: {oversees}}}\n"
    problems = _problems(tmp_path, posts=post)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0], problems
        assert "field 'oversees[0]'" in problems[0]


def test_oversight_check_stops_at_a_parent_cycle(tmp_path: Path) -> None:
    orgs = "- {id: a, name: A, parent: b}\n- {id: b, name: B, parent: a}\n"
    post = "- {id: p, org: a, title: 主任, grade: 正处, oversees: [b]}\n"
    problems = _problems(tmp_path, organisations=orgs, posts=post)
    assert any("cycle" in p for p in problems)
    assert any("oversees 'b', the parent organisation" in p for p in problems)
