"""Structure over time: lifetimes of organisations and posts, richer tenures, handovers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from stakegraph.config import Settings, StructureSettings
from stakegraph.errors import Location, WorkspaceInvalid
from stakegraph.records.model import Organisation, Post, Tenure
from stakegraph.records.workspace import RawRecord, Workspace, build_workspace
from tests.builders import DAY


def _day(offset: int) -> str:
    return (DAY + dt.timedelta(days=offset)).isoformat()


def _build(
    posts: list[dict[str, Any]] | None = None,
    persons: list[dict[str, Any]] | None = None,
    org: dict[str, Any] | None = None,
    settings: Settings | None = None,
) -> Workspace:
    raws = [RawRecord("organisations", {"id": "bdb", "name": "市大数据局", **(org or {})}, _at(1))]
    for index, post in enumerate(posts or [{"id": "director"}]):
        data = {"org": "bdb", "title": "局长", "grade": "正处", **post}
        raws.append(RawRecord("posts", data, _at(10 + index, "posts.yaml")))
    for index, (pid, tenures) in enumerate((persons or []), start=1):
        raws.append(
            RawRecord(
                "persons",
                {"id": pid, "name": pid, "tenures": tenures},
                _at(20 + index, "persons.yaml"),
            )
        )
    return build_workspace(raws, settings)


def _at(line: int, file: str = "organisations.yaml") -> Location:
    return Location(file, line)


def _problems(**kwargs: Any) -> list[str]:
    with pytest.raises(WorkspaceInvalid) as info:
        _build(**kwargs)
    return [p.format() for p in info.value.problems]


# --- lifetimes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "live"),
    [(-1, False), (0, False), (1, True)],
    ids=["ended-the-day-before", "ends-on-the-day", "ends-the-day-after"],
)
def test_a_post_ending_around_the_day(end: int, live: bool) -> None:
    ws = _build(posts=[{"id": "director", "end": _day(end)}])
    assert ws.post_live("director", DAY) is live
    assert [p.id for p in ws.live_posts(DAY)] == (["director"] if live else [])


@pytest.mark.parametrize(("start", "live"), [(-1, True), (0, True), (1, False)])
def test_a_post_starting_around_the_day(start: int, live: bool) -> None:
    ws = _build(posts=[{"id": "director", "start": _day(start)}])
    assert ws.post_live("director", DAY) is live


def test_a_post_lives_only_while_its_organisation_does() -> None:
    ws = _build(org={"end": _day(0)}, persons=[("liu", [{"post": "director"}])])
    assert ws.post_lifetime("director") == (None, DAY)
    assert not ws.post_live("director", DAY)
    assert ws.post_live("director", DAY - dt.timedelta(days=1))
    # an open tenure on an abolished post holds nothing once it is gone
    assert ws.holders("director", DAY) == []
    assert ws.holders("director", DAY - dt.timedelta(days=1)) == ["liu"]


def test_no_lifetimes_means_every_post_is_live() -> None:
    ws = _build(posts=[{"id": "a"}, {"id": "b"}])
    assert ws._lifetime_index() == {}
    assert [p.id for p in ws.live_posts(dt.date(1900, 1, 1))] == ["a", "b"]


@pytest.mark.parametrize("cls", [Organisation, Post])
def test_a_lifetime_must_last_at_least_a_day(cls: type) -> None:
    fields = {"id": "x", "name": "n"} if cls is Organisation else {"id": "x", "org": "o"}
    if cls is Post:
        fields.update(title="t", grade=1)
    with pytest.raises(ValidationError, match="end 2020-01-01 is not after start 2020-01-01"):
        cls(**fields, start="2020-01-01", end="2020-01-01")
    assert cls(**fields, start="2020-01-01", end="2020-01-02").live_on(dt.date(2020, 1, 1))


def test_a_post_outside_its_organisations_lifetime_is_located() -> None:
    problems = _problems(
        org={"start": "2019-03-01", "end": "2024-01-01"},
        posts=[{"id": "director", "start": "2018-01-01", "end": "2024-01-02"}],
    )
    assert problems == [
        "posts.yaml:10: post 'director' field 'start': start 2018-01-01 is outside the "
        "lifetime of its organisation 'bdb' (from 2019-03-01 until 2024-01-01). Fix: correct "
        "the post's 'start', or the organisation's dates; leave it out to follow the "
        "organisation's.",
        "posts.yaml:10: post 'director' field 'end': end 2024-01-02 is outside the lifetime "
        "of its organisation 'bdb' (from 2019-03-01 until 2024-01-01). Fix: correct the "
        "post's 'end', or the organisation's dates; leave it out to follow the "
        "organisation's.",
    ]


def test_a_post_may_end_with_its_organisation() -> None:
    ws = _build(org={"end": "2024-01-01"}, posts=[{"id": "director", "end": "2024-01-01"}])
    assert ws.post_lifetime("director") == (None, dt.date(2024, 1, 1))


@pytest.mark.parametrize(
    ("tenure", "field"),
    [
        ({"start": "2019-02-28"}, "start"),
        ({"start": "2023-12-31", "end": "2024-01-02"}, "end"),
        ({"start": "2024-01-01"}, "start"),
        ({"end": "2019-03-01"}, "end"),
    ],
    ids=["starts-before", "ends-after", "starts-on-the-end", "ends-on-the-start"],
)
def test_a_tenure_outside_its_posts_lifetime_is_located(tenure: dict, field: str) -> None:
    problems = _problems(
        posts=[{"id": "director", "start": "2019-03-01", "end": "2024-01-01"}],
        persons=[("liu", [{"post": "director", **tenure}])],
    )
    assert len(problems) == 1
    assert problems[0].startswith(f"persons.yaml:21: person 'liu' field 'tenures[0].{field}': ")
    assert (
        "outside the lifetime of post 'director' (from 2019-03-01 until 2024-01-01)"
        in (problems[0])
    )


def test_a_tenure_may_fill_its_posts_whole_lifetime_or_leave_dates_out() -> None:
    ws = _build(
        posts=[{"id": "director", "start": "2019-03-01", "end": "2024-01-01"}],
        persons=[
            ("liu", [{"post": "director", "start": "2019-03-01", "end": "2021-01-01"}]),
            ("wang", [{"post": "director", "start": "2021-01-01"}]),
        ],
    )
    assert ws.holders("director", dt.date(2023, 12, 31)) == ["wang"]
    assert ws.holders("director", dt.date(2024, 1, 1)) == []


# --- richer tenures ----------------------------------------------------------------------


def test_tenure_fields_default_to_a_plain_substantive_tenure() -> None:
    tenure = Tenure(post="p")
    assert (tenure.title, tenure.acting, tenure.concurrent, tenure.on_leave) == (
        None,
        False,
        False,
        False,
    )


def test_a_tenure_on_leave_does_not_hold_the_post_and_an_acting_one_does() -> None:
    ws = _build(
        persons=[
            ("chen", [{"post": "director", "start": "2020-01-01", "end": _day(-10)}]),
            ("liu", [{"post": "director", "start": _day(-10), "end": _day(30), "acting": True}]),
        ]
    )
    assert ws.holders("director", DAY) == ["liu"]
    (_, tenure), *_ = ws.holder_tenures("director", DAY)
    assert tenure.acting
    ws = _build(
        persons=[
            (
                "chen",
                [
                    {"post": "director", "start": "2020-01-01", "end": _day(-10)},
                    {"post": "director", "start": _day(-10), "end": _day(30), "on_leave": True},
                ],
            ),
            ("liu", [{"post": "director", "start": _day(-10), "end": _day(30), "acting": True}]),
        ]
    )
    assert ws.holders("director", DAY) == ["liu"]
    assert ws.warnings == []
    assert ws.holders("director", dt.date(2021, 1, 1)) == ["chen"]


def test_an_acting_tenure_beside_a_substantive_holder_is_an_error() -> None:
    problems = _problems(
        persons=[
            ("chen", [{"post": "director", "start": "2020-01-01"}]),
            ("liu", [{"post": "director", "start": "2026-03-01", "acting": True}]),
        ]
    )
    assert problems == [
        "persons.yaml:22: person 'liu' field 'tenures[0]': acts for single-seat post "
        "'director' from 2026-03-01 while chen still holds it. Fix: end the acting tenure "
        "when the post is filled, or mark the holder's tenure 'on_leave: true' for the days "
        "they are away."
    ]


def test_a_holder_appointed_while_someone_still_acts_is_an_error() -> None:
    problems = _problems(
        persons=[
            ("liu", [{"post": "director", "start": "2026-03-01", "acting": True}]),
            ("wang", [{"post": "director", "start": "2026-06-01"}]),
        ]
    )
    assert problems == [
        "persons.yaml:22: person 'wang' field 'tenures[0]': holds single-seat post "
        "'director' from 2026-06-01 while liu still acts for it. Fix: end the acting tenure "
        "the day before this one starts, or raise the post's 'seats'."
    ]


# --- handover overlaps -------------------------------------------------------------------


def _handover(overlap: int, settings: Settings | None = None, **successor: Any) -> Workspace:
    return _build(
        persons=[
            ("li", [{"post": "director", "start": "2021-01-01", "end": _day(overlap)}]),
            ("wang", [{"post": "director", "start": _day(0), **successor}]),
        ],
        settings=settings,
    )


def test_a_handover_on_one_day_is_clean() -> None:
    assert _handover(0).warnings == []


@pytest.mark.parametrize("overlap", [1, 2, 31])
def test_a_handover_overlap_is_a_warning_with_its_length(overlap: int) -> None:
    ws = _handover(overlap)
    assert [w.severity for w in ws.warnings] == ["warning"]
    days = "1 day" if overlap == 1 else f"{overlap} days"
    assert ws.warnings[0].format() == (
        f"persons.yaml:22: person 'wang' field 'tenures[0]': handover overlap of {days}: "
        f"takes over single-seat post 'director' on {DAY} while li still holds it "
        f"(end {_day(overlap)}). Fix: if the handover was on one day, write that day as "
        "li's 'end' and this 'start'; otherwise nothing to fix."
    )
    assert ws.holders("director", DAY) == ["li", "wang"]  # both, as the records say


def test_an_overlap_longer_than_handover_days_is_an_error() -> None:
    with pytest.raises(WorkspaceInvalid) as info:
        _handover(32)
    assert "while li still holds it" in info.value.problems[0].message
    strict = Settings(structure=StructureSettings(handover_days=0))
    with pytest.raises(WorkspaceInvalid):
        _handover(1, strict)


def test_a_successor_who_leaves_first_is_no_handover() -> None:
    with pytest.raises(WorkspaceInvalid):
        _handover(2, end=_day(1))


def test_errors_carry_the_warnings_found_beside_them() -> None:
    with pytest.raises(WorkspaceInvalid) as info:
        _build(
            posts=[
                {"id": "director"},
                {"id": "deputy", "start": "2030-01-01", "end": "2020-01-01"},
            ],
            persons=[
                ("li", [{"post": "director", "start": "2021-01-01", "end": _day(1)}]),
                ("wang", [{"post": "director", "start": _day(0)}]),
            ],
        )
    assert [p.field for p in info.value.problems] == [None]
    assert [w.severity for w in info.value.warnings] == ["warning"]


def test_a_handover_overlap_on_a_post_with_seats() -> None:
    ws = _build(
        posts=[{"id": "deputy", "seats": 2}],
        persons=[
            ("a", [{"post": "deputy", "start": "2020-01-01"}]),
            ("b", [{"post": "deputy", "start": "2020-01-01", "end": _day(2)}]),
            ("c", [{"post": "deputy", "start": _day(0)}]),
        ],
    )
    assert [(w.record_id, "2 days" in w.message) for w in ws.warnings] == [("c", True)]
