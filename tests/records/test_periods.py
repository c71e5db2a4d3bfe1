"""Dated structure and names in the records: plain and dated forms, the value of a day,
finding a person by any name, and the located problems of bad periods."""

from __future__ import annotations

import datetime as dt

import pytest

from stakegraph.errors import Location, WorkspaceInvalid
from stakegraph.records.model import Organisation, Person, Post
from stakegraph.records.periods import NamePeriod, PostPeriod
from stakegraph.records.workspace import RawRecord, build_workspace

SWITCH = dt.date(2026, 6, 1)
BEFORE, AFTER = SWITCH - dt.timedelta(days=1), SWITCH + dt.timedelta(days=1)


def _post(**fields: object) -> Post:
    return Post.model_validate({"id": "p", "org": "gov", "title": "局长", "grade": 5, **fields})


def test_plain_values_stay_plain() -> None:
    post = _post(reports_to="boss", oversees=["a", "b"])
    assert post.reports_to == "boss" and post.oversees == ["a", "b"]
    assert post.reports_to_on(BEFORE) == "boss" and post.oversees_on(AFTER) == ["a", "b"]


def test_undated_entries_collapse_to_the_plain_form() -> None:
    post = _post(reports_to=[{"post": "boss"}], oversees=[{"org": "a"}, "b"])
    assert post.reports_to == "boss" and post.oversees == ["a", "b"]
    org = Organisation.model_validate({"id": "o", "name": "局", "parent": ["gov"]})
    assert org.parent == "gov"


def test_a_dated_reporting_line_changes_on_its_day() -> None:
    post = _post(
        reports_to=[{"post": "wang", "end": "2026-06-01"}, {"post": "li", "start": "2026-06-01"}]
    )
    assert post.reports_to == [
        PostPeriod(post="wang", end=SWITCH),
        PostPeriod(post="li", start=SWITCH),
    ]
    assert [post.reports_to_on(d) for d in (BEFORE, SWITCH, AFTER)] == ["wang", "li", "li"]


def test_dated_oversight_holds_from_start_until_the_day_before_end() -> None:
    post = _post(oversees=["edu", {"org": "data", "start": "2026-06-01", "end": "2026-06-02"}])
    assert post.oversees_on(BEFORE) == ["edu"]
    assert post.oversees_on(SWITCH) == ["edu", "data"]
    assert post.oversees_on(AFTER) == ["edu"]


def test_one_dated_entry_may_be_written_without_its_list() -> None:
    post = _post(reports_to={"post": "li", "start": "2026-06-01"})
    assert post.reports_to == [PostPeriod(post="li", start=SWITCH)]
    assert [post.reports_to_on(d) for d in (BEFORE, SWITCH)] == [None, "li"]


def test_a_gap_between_periods_has_no_value() -> None:
    org = Organisation.model_validate(
        {
            "id": "o",
            "name": "局",
            "parent": [{"org": "a", "end": "2026-06-01"}, {"org": "b", "start": "2026-06-02"}],
        }
    )
    assert [org.parent_on(d) for d in (BEFORE, SWITCH, AFTER)] == ["a", None, "b"]


def test_name_of_the_day() -> None:
    person = Person(
        id="chen", name="陈晓", names=[NamePeriod(name="陈小红", end=SWITCH)], aliases=["陈局"]
    )
    assert [person.name_on(d) for d in (BEFORE, SWITCH, None)] == ["陈小红", "陈晓", "陈晓"]
    assert person.every_name() == ["陈晓", "陈小红", "陈局"]


def _raw(collection: str, data: dict, line: int) -> RawRecord:
    return RawRecord(collection, data, Location("f.yaml", line=line))


def _problems(raws: list[RawRecord]) -> list[str]:
    with pytest.raises(WorkspaceInvalid) as info:
        build_workspace(raws)
    return [f"{p.field}: {p.message}" for p in info.value.problems]


def _city(*posts: dict) -> list[RawRecord]:
    orgs = [{"id": "gov", "name": "市政府"}, {"id": "dsj", "name": "大数据局", "parent": "gov"}]
    return [_raw("organisations", o, i) for i, o in enumerate(orgs, 1)] + [
        _raw("posts", {"org": "gov", "title": "x", "grade": 5, **p}, 10 + i)
        for i, p in enumerate(posts)
    ]


def test_overlapping_reporting_lines_are_a_problem_and_touching_ones_are_not() -> None:
    touching = [{"post": "a", "end": "2026-06-01"}, {"post": "b", "start": "2026-06-01"}]
    build_workspace(_city({"id": "a"}, {"id": "b"}, {"id": "c", "reports_to": touching}))
    overlapping = [{"post": "a", "end": "2026-06-02"}, {"post": "b", "start": "2026-06-01"}]
    assert _problems(_city({"id": "a"}, {"id": "b"}, {"id": "c", "reports_to": overlapping})) == [
        "reports_to[1]: 'b' from 2026-06-01 overlaps reports_to[0]: two periods of "
        "'reports_to' hold on the same days."
    ]


def test_an_end_not_after_its_start_is_a_problem() -> None:
    bad = {"id": "a", "oversees": [{"org": "dsj", "start": "2026-06-01", "end": "2026-06-01"}]}
    assert _problems(_city(bad)) == ["oversees[0]: end 2026-06-01 is not after start 2026-06-01."]


def test_a_cycle_on_one_day_only_is_a_problem_naming_that_day() -> None:
    a = {"id": "a", "reports_to": [{"post": "b", "start": "2026-06-01"}]}
    b = {"id": "b", "reports_to": "a"}
    assert _problems(_city(a, b)) == ["reports_to: reports-to cycle from 2026-06-01: a → b → a."]
    # the same lines, one ending the day the other begins: never a cycle
    a = {"id": "a", "reports_to": [{"post": "b", "start": "2026-06-01"}]}
    b = {"id": "b", "reports_to": [{"post": "a", "end": "2026-06-01"}]}
    build_workspace(_city(a, b))


def test_a_dated_reference_to_an_unknown_record_is_located() -> None:
    bad = {"id": "a", "oversees": ["dsj", {"org": "nowhere", "start": "2026-06-01"}]}
    assert _problems(_city(bad)) == [
        "oversees[1].org: refers to organisation 'nowhere', which does not exist."
    ]


def test_overseeing_the_own_parent_is_checked_on_the_days_the_parent_holds() -> None:
    orgs = [
        {"id": "gov", "name": "市政府"},
        {
            "id": "zwb",
            "name": "政务办",
            "parent": [{"org": "gov", "end": "2026-06-01"}, {"org": "dsj", "start": "2026-06-01"}],
        },
        {"id": "dsj", "name": "大数据局", "parent": "gov"},
    ]
    raws = [_raw("organisations", o, i) for i, o in enumerate(orgs, 1)]
    later = {
        "id": "zr",
        "org": "zwb",
        "title": "主任",
        "grade": 5,
        "oversees": [{"org": "dsj", "start": "2026-06-01"}],
    }
    with pytest.raises(WorkspaceInvalid, match="oversees 'dsj', the parent organisation"):
        build_workspace([*raws, _raw("posts", later, 9)])
    earlier = {**later, "oversees": [{"org": "dsj", "end": "2026-06-01"}]}
    build_workspace([*raws, _raw("posts", earlier, 9)])


def test_overlapping_names_and_repeated_oversight_are_problems() -> None:
    person = {
        "id": "p",
        "name": "新名",
        "names": [{"name": "旧名", "end": "2026-06-01"}, {"name": "曾用名", "start": "2026-05-01"}],
    }
    twice = {"id": "a", "oversees": ["dsj", {"org": "dsj", "start": "2026-06-01"}]}
    problems = _problems([*_city(twice), _raw("persons", person, 20)])
    assert problems == [
        "names[1]: '曾用名' from 2026-05-01 overlaps names[0]: two periods of 'names' hold "
        "on the same days.",
        "oversees[1]: 'dsj' from 2026-06-01 overlaps oversees[0]: two periods of 'oversees' "
        "hold on the same days.",
    ]


def test_a_wrong_type_names_the_field_not_the_form() -> None:
    problems = _problems(_city({"id": "a", "reports_to": 5}, {"id": "b", "oversees": [{"x": 1}]}))
    assert problems[0].startswith("reports_to: wrong type")
    assert any(p.startswith("oversees[0].x: unknown field 'x'") for p in problems)
    assert any(p.startswith("oversees[0].org: required field") for p in problems)
