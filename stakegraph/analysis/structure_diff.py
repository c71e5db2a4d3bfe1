"""Changes of dated structure between two days: reporting lines, 分管, 块 and 条.

:func:`~stakegraph.analysis.diff.diff` lists them beside rotations: a 分工调整
(reshuffle of the vice-mayors' portfolios) reads as one oversight ending and
another beginning on the same day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from stakegraph.records.naming import post_label
from stakegraph.records.periods import Period
from stakegraph.records.workspace import Workspace

_FIELDS: tuple[tuple[str, str], ...] = (
    ("posts", "reports_to"),
    ("posts", "oversees"),
    ("organisations", "parent"),
    ("organisations", "guided_by"),
)


@dataclass
class StructureChange:
    """One dated line beginning or ending: ``source`` → ``target`` of ``kind`` on ``date``.

    ``source`` is a post (``reports_to``, ``oversees``) or an organisation
    (``parent``, ``guided_by``); ``target`` the post or organisation it names.
    """

    kind: str
    source: str
    source_label: str
    target: str
    target_label: str
    change: str
    date: dt.date

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "source_label": self.source_label,
            "target": self.target,
            "target_label": self.target_label,
            "change": self.change,
            "date": self.date.isoformat(),
        }


def structure_changes(
    workspace: Workspace, from_day: dt.date, to_day: dt.date
) -> list[StructureChange]:
    """Every dated line that begins or ends in the interval (``from_day``, ``to_day``].

    Definition
    ----------
    A dated entry of ``reports_to``, ``oversees``, ``parent`` or ``guided_by``
    begins on its ``start`` and ends on its ``end`` (the first day it no longer
    holds), as a tenure does; both count when they fall after ``from_day`` and on
    or before ``to_day``, so the list is exactly what differs between the two
    days (plus lines that began and ended in between). Sorted by date, endings
    before beginnings on one day (a reshuffle reads old portfolio first), then
    by kind, source and target. O(dated entries log dated entries).

    Examples
    --------
    >>> from stakegraph.records.model import Organisation, Post
    >>> from stakegraph.records.periods import OrgPeriod
    >>> ws = Workspace()
    >>> for org in ("gov", "dsj"):
    ...     ws.add(Organisation(id=org, name=org))
    >>> day = dt.date(2026, 6, 1)
    >>> ws.add(Post(id="vm", org="gov", title="副市长", grade=6,
    ...             oversees=[OrgPeriod(org="dsj", start=day)]))
    >>> [(c.kind, c.target, c.change) for c in structure_changes(ws, day - dt.timedelta(1), day)]
    [('oversees', 'dsj', 'begins')]
    >>> structure_changes(ws, day, day + dt.timedelta(1))
    []
    """
    out: list[StructureChange] = []
    for collection, field in _FIELDS:
        for record in workspace.records[collection].values():
            value = getattr(record, field)
            if not isinstance(value, list):
                continue
            for item in value:
                if not isinstance(item, Period):
                    continue
                for change, when in (("begins", item.start), ("ends", item.end)):
                    if when is not None and from_day < when <= to_day:
                        label = _label(workspace, collection, record.id, when, change)
                        out.append(_change(workspace, label, record.id, field, item, change, when))
    out.sort(key=lambda c: (c.date, c.change != "ends", c.kind, c.source, c.target))
    return out


def _change(
    ws: Workspace,
    label: str,
    source: str,
    field: str,
    item: Period,
    change: str,
    when: dt.date,
) -> StructureChange:
    return StructureChange(
        field,
        source,
        label,
        item.value,
        _label(ws, "posts" if field == "reports_to" else "organisations", item.value, when, change),
        change,
        when,
    )


def _label(ws: Workspace, collection: str, record_id: str, when: dt.date, change: str) -> str:
    """A post with its holders (two vice-mayors share a title), or an organisation's name.

    Holders are those of the last day the line held: the day before an ending,
    the day of a beginning; each named by the name they went by that day.
    """
    if collection == "posts":
        if record_id not in ws.posts:
            return record_id
        day = when - dt.timedelta(days=1) if change == "ends" else when
        names = [ws.persons[p].name_on(day) for p in ws.holders(record_id, day)]
        return post_label(ws, record_id) + (f"（{'、'.join(names)}）" if names else "")
    org = ws.organisations.get(record_id)
    return org.name if org is not None else record_id
