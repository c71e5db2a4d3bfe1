"""`check`: chain roles on posts dead in their opportunity's window, dated lines to dead records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from stakegraph.errors import Location, WorkspaceInvalid
from stakegraph.records import validate
from stakegraph.records.validate import check_chain_posts, opportunity_window
from stakegraph.records.workspace import RawRecord, Workspace, build_workspace

CLOSE = dt.date(2027, 4, 30)
OPENED = dt.date(2026, 10, 8)  # the first action's `created`


def _raws(
    post: dict[str, Any],
    *,
    close: dt.date | None = CLOSE,
    opened: dt.date | None = OPENED,
    reforms: list[dict[str, Any]] = (),  # type: ignore[assignment]
    extra_posts: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> list[RawRecord]:
    raws = [
        RawRecord("organisations", {"id": "bdb", "name": "市大数据局"}, Location("o.yaml", 1)),
        RawRecord(
            "owners", {"id": "liu", "name": "刘凯", "tier": "manager"}, Location("w.yaml", 1)
        ),
    ]
    for line, data in enumerate([post, *extra_posts], start=1):
        record = {"org": "bdb", "grade": "正科", "title": data["id"], **data}
        raws.append(RawRecord("posts", record, Location("posts.yaml", line)))
    opportunity = {
        "id": "brain",
        "name": "城市大脑",
        "client": "bdb",
        "chain": [{"name": "立项", "roles": [{"post": post["id"], "role": "user"}]}],
        **({"close": close.isoformat()} if close else {}),
    }
    raws.append(RawRecord("opportunities", opportunity, Location("opportunities.yaml", 1)))
    if opened:
        action = {"id": "a", "opportunity": "brain", "owner": "liu", "action": "拜访"}
        action["created"] = opened.isoformat()
        raws.append(RawRecord("actions", action, Location("actions.yaml", 1)))
    for line, reform in enumerate(reforms, start=1):
        raws.append(RawRecord("reforms", reform, Location("reforms.yaml", line)))
    return raws


def _problems(raws: list[RawRecord]) -> list[str]:
    try:
        build_workspace(raws)
    except WorkspaceInvalid as error:
        return [p.format() for p in error.problems]
    return []


def _day(day: dt.date, offset: int) -> str:
    return (day + dt.timedelta(days=offset)).isoformat()


def test_the_window_runs_from_the_first_action_to_the_close() -> None:
    ws: Workspace = build_workspace(_raws({"id": "chief"}))
    assert opportunity_window(ws, "brain") == (OPENED, CLOSE)
    ws = build_workspace(_raws({"id": "chief"}, close=None, opened=None))
    assert opportunity_window(ws, "brain") == (None, None)
    assert check_chain_posts(ws) == []


@pytest.mark.parametrize(
    ("offset", "dead"),
    [(0, False), (1, True)],
    ids=["created-on-the-close-day", "created-the-day-after"],
)
def test_a_post_created_around_the_close(offset: int, dead: bool) -> None:
    problems = _problems(_raws({"id": "chief", "start": _day(CLOSE, offset)}))
    if not dead:
        assert problems == []
        return
    assert problems == [
        "opportunities.yaml:1: opportunity 'brain' field 'chain[0].roles[0].post': post 'chief' "
        f"is created on {_day(CLOSE, 1)}, after the window of its opportunity "
        f"({OPENED} to {CLOSE}), so this role has nobody to hold it. Fix: name the post that "
        "carries this decision right in the window, record the reform that gave the post to a "
        "successor (reforms), or correct the post's dates or the opportunity's 'close'."
    ]


@pytest.mark.parametrize(
    ("offset", "dead"),
    [(0, True), (1, False)],
    ids=["ends-on-the-first-day", "ends-the-day-after"],
)
def test_a_post_abolished_around_the_first_day(offset: int, dead: bool) -> None:
    # `end` is the first day the post no longer exists
    problems = _problems(_raws({"id": "chief", "end": _day(OPENED, offset)}))
    assert bool(problems) is dead
    if dead:
        assert f"is abolished on {OPENED} without a successor" in problems[0]


def test_without_a_first_action_an_old_post_is_live_in_the_window() -> None:
    assert _problems(_raws({"id": "chief", "end": "2019-03-01"}, opened=None)) == []


def test_without_a_close_a_new_post_is_live_in_the_window() -> None:
    assert _problems(_raws({"id": "chief", "start": "2030-01-01"}, close=None)) == []


def test_a_post_carried_by_a_reform_is_fine_and_one_without_is_not() -> None:
    old = {"id": "chief", "end": "2019-03-01"}
    new = {"id": "new-chief", "start": "2019-03-01"}
    rename = {
        "id": "r",
        "kind": "rename",
        "of": "posts",
        "day": "2019-03-01",
        "predecessors": ["chief"],
        "successors": ["new-chief"],
    }
    assert _problems(_raws(old, extra_posts=[new], reforms=[rename])) == []
    # the successor itself abolished before the window: the lineage reaches nobody
    gone = {**new, "end": _day(OPENED, 0)}
    problems = _problems(_raws(old, extra_posts=[gone], reforms=[rename]))
    assert len(problems) == 1 and "'chief' is abolished on 2019-03-01" in problems[0]


# --- dated lines naming records that do not exist in the period ---------------------------


def _oversight(start: str) -> list[str]:
    raws = [
        RawRecord("organisations", {"id": "gov", "name": "市政府"}, Location("o.yaml", 1)),
        RawRecord(
            "organisations",
            {"id": "xxzx", "name": "信息中心", "end": "2019-03-01"},
            Location("o.yaml", 2),
        ),
        RawRecord(
            "posts",
            {
                "id": "vm",
                "org": "gov",
                "title": "副市长",
                "grade": "副厅",
                "oversees": [{"org": "xxzx", "start": start}],
            },
            Location("posts.yaml", 1),
        ),
    ]
    return _problems(raws)


def test_an_oversight_from_the_day_its_organisation_ends_is_an_error() -> None:
    assert _oversight("2019-03-01") == [
        "posts.yaml:1: post 'vm' field 'oversees[0]': 'xxzx' does not exist on any day of this "
        "period (from 2019-03-01; it exists until 2019-03-01). Fix: correct the period's "
        "'start'/'end', name the organisation that stood in its place then, or correct its "
        "lifetime."
    ]


def test_an_oversight_from_its_organisations_last_day_is_fine() -> None:
    assert _oversight("2019-02-28") == []


@pytest.mark.parametrize("start", [None, -3, 0, 3])
@pytest.mark.parametrize("end", [None, -2, 0, 1, 4])
def test_the_check_agrees_with_resolving_the_role_on_every_day_of_the_window(
    start: int | None, end: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Independently: a role is dead when it resolves to no live post on any day."""
    from stakegraph.graph.chains import role_posts

    first, last = OPENED, OPENED + dt.timedelta(days=2)
    post: dict[str, Any] = {"id": "chief"}
    if start is not None:
        post["start"] = _day(first, start)
    if end is not None:
        post["end"] = _day(last, end)
    if start is not None and end is not None and post["end"] <= post["start"]:
        pytest.skip("not a lifetime")
    # loaded without this check, to run it beside the day-by-day resolution
    others = tuple(c for c in validate.CROSS_CHECKS if c.run is not check_chain_posts)
    monkeypatch.setattr(validate, "CROSS_CHECKS", others)
    ws = build_workspace(_raws(post, close=last))
    role = ws.opportunities["brain"].chain[0].roles[0]
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    resolves = any(role_posts(ws, role, day) for day in days)
    assert (check_chain_posts(ws) == []) is resolves
