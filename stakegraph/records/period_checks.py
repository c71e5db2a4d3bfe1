"""Checks of dated structure and names: periods that overlap, and lines naming a record
that does not exist on any day of their period."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from stakegraph.errors import Problem
from stakegraph.records.cross_checks import located_problem, reads
from stakegraph.records.model import Record
from stakegraph.records.periods import OrgPeriod, Period

if TYPE_CHECKING:  # the workspace calls these checks, so only its type is needed here
    from stakegraph.records.workspace import Workspace


def span_text(first: dt.date | None, after: dt.date | None) -> str:
    """A lifetime in words: "from A until B", "from A" or "until B"."""
    if first and after:
        return f"from {first} until {after}"
    return f"from {first}" if first else f"until {after}"


@reads("organisations", "posts", "persons")
def check_periods(ws: Workspace) -> list[Problem]:
    """Dated structure and names: no value of one field in force twice at once.

    ``reports_to`` and ``parent`` hold one value a day, so their periods must not
    overlap; an organisation listed in ``oversees`` or ``guided_by`` more than
    once (dated at least once) must not be listed for overlapping periods; a
    person's dated names must not overlap. ``end`` is exclusive: a period may
    start on the day the previous one ends. O(Σ entries log entries).
    """
    from stakegraph.records.periods import overlaps

    problems: list[Problem] = []
    single = (("organisations", "parent"), ("posts", "reports_to"), ("persons", "names"))
    for collection, field in single:
        for record in ws.records[collection].values():
            value = getattr(record, field)
            if not isinstance(value, list):
                continue
            spans = [(i, p) for i, p in enumerate(value) if isinstance(p, Period)]
            for index, earlier in overlaps(spans):
                problems.append(_overlap(ws, record, field, index, earlier, value[index]))
    for collection, field in (("organisations", "guided_by"), ("posts", "oversees")):
        for record in ws.records[collection].values():
            value = getattr(record, field)
            if not any(isinstance(v, Period) for v in value):
                continue
            by_id: dict[str, list[tuple[int, Period]]] = defaultdict(list)
            for i, item in enumerate(value):
                period = item if isinstance(item, Period) else OrgPeriod(org=item)
                by_id[item if isinstance(item, str) else item.value].append((i, period))
            for spans in by_id.values():
                for index, earlier in overlaps(spans):
                    problems.append(_overlap(ws, record, field, index, earlier, value[index]))
    return problems


#: Dated structure: (collection, field, the collection its values name).
_DATED_LINES = (
    ("organisations", "parent", "organisations"),
    ("organisations", "guided_by", "organisations"),
    ("posts", "reports_to", "posts"),
    ("posts", "oversees", "organisations"),
)


@reads("organisations", "posts")
def check_period_targets(ws: Workspace) -> list[Problem]:
    """Dated lines naming a record that does not exist on any day of the period.

    A period of ``parent``, ``guided_by``, ``reports_to`` or ``oversees`` holds
    from its ``start`` until the day before its ``end``, within the lifetime of
    the record carrying it; the record it names must be live on at least one of
    those days (a 分管 of a bureau abolished before the 分工调整 is a mistake).
    O(dated entries).
    """
    problems: list[Problem] = []
    for collection, field, target_collection in _DATED_LINES:
        for record in ws.records[collection].values():
            value = getattr(record, field)
            items = value if isinstance(value, list) else []
            source = _lifetime(ws, collection, record.id)
            for index, item in enumerate(items):
                if not isinstance(item, Period) or item.value not in ws.records[target_collection]:
                    continue
                # the days the line can hold: its period, while the record carrying it lives
                days = _meet((item.start, item.end), source)
                target = _lifetime(ws, target_collection, item.value)
                if days is None or _meet(days, target) is not None:
                    continue
                problems.append(
                    located_problem(
                        ws,
                        record,
                        (field, index),
                        f"'{item.value}' does not exist on any day of this period "
                        f"({span_text(item.start, item.end) if item.start or item.end else 'always'}"
                        f"; it exists {span_text(*target) if any(target) else 'never'}).",
                        f"correct the period's 'start'/'end', name the {target_collection[:-1]} "
                        "that stood in its place then, or correct its lifetime.",
                    )
                )
    return problems


Span = tuple[dt.date | None, dt.date | None]


def _lifetime(ws: Workspace, collection: str, record_id: str) -> Span:
    if collection == "posts":
        return ws.post_lifetime(record_id)
    org = ws.organisations[record_id]
    return org.start, org.end


def _meet(a: Span, b: Span) -> Span | None:
    """The days two spans share (end exclusive, None open), or None when there are none."""
    start = max((d for d in (a[0], b[0]) if d is not None), default=None)
    end = min((d for d in (a[1], b[1]) if d is not None), default=None)
    return None if start is not None and end is not None and end <= start else (start, end)


def _overlap(
    ws: Workspace, record: Record, field: str, index: int, earlier: int, item: Any
) -> Problem:
    value = item if isinstance(item, str) else item.value
    start = "" if isinstance(item, str) or item.start is None else f" from {item.start}"
    return located_problem(
        ws,
        record,
        (field, index),
        f"'{value}'{start} overlaps {field}[{earlier}]: two periods of '{field}' "
        "hold on the same days.",
        "end the earlier period on the day the later one starts ('end' is the first day "
        "it no longer holds), or merge the two entries.",
    )


__all__ = ["check_period_targets", "check_periods", "span_text"]
