"""Derived ties: strengths computed by hand, typed ties winning, and the evidence."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from stakegraph.analysis.derived_ties import colleague_strength, derive_ties
from stakegraph.records.model import Organisation, Person, Post, Tenure, Tie
from stakegraph.records.workspace import Workspace


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _workspace(kind: str = "department") -> Workspace:
    ws = Workspace()
    ws.add(Organisation(id="mof", name="Ministry of Finance", kind=kind))
    ws.add(Organisation(id="moh", name="Ministry of Health"))
    ws.add(Post(id="min", org="mof", title="Minister", grade=9))
    ws.add(Post(id="dep", org="mof", title="Deputy Minister", grade=8, seats=2))
    ws.add(Post(id="div", org="mof", title="Division chief", grade=5))
    ws.add(Post(id="hmin", org="moh", title="Minister", grade=9))

    def person(pid: str, *tenures: tuple[str, str, str | None]) -> None:
        ws.add(
            Person(
                id=pid,
                name=pid.upper(),
                tenures=[
                    Tenure(post=p, start=_day(s), end=_day(e) if e else None) for p, s, e in tenures
                ],
            )
        )

    person("a", ("min", "2000-01-01", "2004-01-01"), ("hmin", "2004-01-01", None))
    # b overlaps a for 365 days at the same grade? no: one grade apart, 730 days
    person("b", ("dep", "2002-01-01", "2004-01-01"))
    # c overlaps a for 100 days, four grades apart
    person("c", ("div", "2003-09-23", "2006-01-01"))
    # d takes over from a with a two-day handover: not colleagues
    person("d", ("min", "2003-12-30", "2008-01-01"))
    return ws


def test_strength_by_hand() -> None:
    # min(1, d/730) / (1 + |Δgrade|)
    assert colleague_strength(365, 7, 7) == 0.5
    assert colleague_strength(730, 9, 8) == 0.5
    assert colleague_strength(1460, 9, 8) == 0.5  # the overlap term saturates at 1
    assert colleague_strength(100, 9, 5) == round(100 / 730 / 5, 3) == 0.027
    assert colleague_strength(73, 9, 9) == 0.1
    assert colleague_strength(100, 9, 5, body=True) == 0.137


def test_colleagues_with_evidence() -> None:
    ties = {t.id: t for t in derive_ties(_workspace()).ties}
    ab = ties["a~b~former_colleague"]
    assert (ab.strength, ab.confidence, ab.source, ab.since) == (
        0.5,
        0.6,
        "derived",
        _day("2002-01-01"),
    )
    assert ab.notes == ("colleagues at Ministry of Finance (mof) 2002-01-01 – 2004-01-01, 730 days")
    assert ties["a~c~former_colleague"].strength == 0.027
    assert "100 days" in (ties["a~c~former_colleague"].notes or "")
    assert "a~d~former_colleague" not in ties  # 2 days: a handover, below min_days
    # b and d overlap 2003-12-30 – 2004-01-01 only
    assert "b~d~former_colleague" not in ties
    # c and d: 2003-12-30 – 2006-01-01 = 733 days, grades 5 and 9
    assert ties["c~d~former_colleague"].strength == 0.2
    assert all(t.confidence < 1 for t in ties.values())


def test_a_decision_body_ignores_grades() -> None:
    ties = {t.id: t for t in derive_ties(_workspace("committee")).ties}
    assert ties["a~c~former_colleague"].strength == 0.137
    assert ties["a~c~former_colleague"].notes.startswith("served together on Ministry of Finance")


def test_typed_ties_win_in_either_direction() -> None:
    ws = _workspace()
    ws.add(Tie(a="b", b="a", kind="former_colleague", strength=0.9, source="interview"))
    ws.add(Tie(a="c", b="a", kind="friend", strength=0.9))
    ties = {t.id for t in derive_ties(ws).ties}
    assert "a~b~former_colleague" not in ties
    assert "a~c~former_colleague" in ties  # a friend tie is another kind


def test_classmates_and_hometown_from_tags() -> None:
    ws = _workspace()
    for pid, tags in {
        "a": ["school:PKU", "hometown:Wuxi"],
        "b": ["school:PKU"],
        "c": ["hometown:Wuxi"],
    }.items():
        ws.add(ws.persons[pid].model_copy(update={"tags": tags}))
    result = derive_ties(ws, max_group=2)
    kinds = {(t.a, t.b, t.kind.value): t for t in result.ties}
    assert kinds[("a", "b", "classmate")].strength == 0.4
    assert kinds[("a", "c", "hometown")].confidence == 0.3
    many = Workspace()
    for index in range(4):
        many.add(Person(id=f"p{index}", name=f"P{index}", tags=["school:Big"]))
    skipped = derive_ties(many, max_group=3)
    assert skipped.ties == [] and skipped.skipped_groups == {"school:Big": 4}


def test_against_a_brute_force_pair_scan() -> None:
    """Every pair of tenures in one organisation, compared directly."""
    ws = _workspace()
    as_of = _day("2010-01-01")
    expected: dict[tuple[str, str], float] = {}
    tenures = [(p.id, t, ws.posts[t.post]) for p in ws.persons.values() for t in p.tenures]
    for (pa, ta, posta), (pb, tb, postb) in itertools.combinations(tenures, 2):
        if pa == pb or posta.org != postb.org:
            continue
        start = max(ta.start, tb.start)
        end = min(ta.end or as_of, tb.end or as_of)
        days = (end - start).days
        if days >= 30:
            key = (min(pa, pb), max(pa, pb))
            value = colleague_strength(days, posta.grade, postb.grade)
            expected[key] = max(expected.get(key, 0), value)
    found = {(t.a, t.b): t.strength for t in derive_ties(ws, as_of=as_of).ties}
    assert found == pytest.approx(expected)
