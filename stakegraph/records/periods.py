"""Values that hold for a period: dated reporting lines, oversight, parents and names.

A structural field (``reports_to``, ``oversees``, ``parent``, ``guided_by``) keeps
its plain form (an id, or a list of ids) for a value that always held. A value
that held only for a while is written with its period::

    reports_to:
      - {post: mayor, end: 2026-06-01}
      - {post: executive-vice-mayor, start: 2026-06-01}
    oversees:
      - finance
      - {org: big-data-bureau, start: 2026-06-01}

``end`` is exclusive, as for tenures and lifetimes: the first day the value no
longer holds. A dated entry without either date is the plain value, and is
written back plainly, so a file without periods reads and writes as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from stakegraph.records.fields import Day, HintedError, _within


class Period(BaseModel):
    """A value that holds from ``start`` until the day before ``end`` (None: open)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    #: The field holding the value (``post``, ``org`` or ``name``).
    value_field: ClassVar[str] = ""

    if TYPE_CHECKING:  # declared by each subclass after its value, so files read value first
        start: dt.date | None
        end: dt.date | None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start and self.end and self.end <= self.start:
            raise HintedError(
                f"end {self.end} is not after start {self.start}",
                "correct one of the dates: 'end' is the first day the value no longer holds.",
            )
        return self

    @property
    def value(self) -> str:
        """The id (or name) that holds during the period."""
        return str(getattr(self, self.value_field))

    @property
    def dated(self) -> bool:
        """Whether the period has a start or an end."""
        return self.start is not None or self.end is not None

    def holds_on(self, day: dt.date) -> bool:
        """Whether ``day`` falls in the period (``start <= day < end``)."""
        return _within(self.start, self.end, day)


class PostPeriod(Period):
    """A post that is the superior for a period (an item of a dated ``reports_to``)."""

    value_field: ClassVar[str] = "post"

    post: str = Field(min_length=1)
    start: Day | None = None
    end: Day | None = None


class OrgPeriod(Period):
    """An organisation named for a period (``oversees``, ``parent``, ``guided_by``)."""

    value_field: ClassVar[str] = "org"

    org: str = Field(min_length=1)
    start: Day | None = None
    end: Day | None = None


class NamePeriod(Period):
    """A name a person went by for a period (an item of ``names``)."""

    value_field: ClassVar[str] = "name"

    name: str = Field(min_length=1)
    start: Day | None = None
    end: Day | None = None


P = TypeVar("P", bound=Period)


def one_on(value: str | Sequence[Period] | None, day: dt.date) -> str | None:
    """The id a single-valued field holds on ``day`` (None: none holds).

    >>> one_on("mayor", dt.date(2026, 1, 1))
    'mayor'
    >>> lines = [PostPeriod(post="a", end=dt.date(2026, 6, 1)), PostPeriod(post="b",
    ...          start=dt.date(2026, 6, 1))]
    >>> one_on(lines, dt.date(2026, 5, 31)), one_on(lines, dt.date(2026, 6, 1))
    ('a', 'b')
    """
    if value is None or isinstance(value, str):
        return value
    return next((p.value for p in value if p.holds_on(day)), None)


def many_on(values: Iterable[str | Period], day: dt.date) -> list[str]:
    """The ids of a list field that hold on ``day``, in list order, each once."""
    out = [v if isinstance(v, str) else v.value for v in values if _holds(v, day)]
    return list(dict.fromkeys(out))


def _holds(item: str | Period, day: dt.date) -> bool:
    return isinstance(item, str) or item.holds_on(day)


def every_value(value: str | Iterable[str | Period] | None) -> list[str]:
    """Every id a field names on any day, in order, each once."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(dict.fromkeys(v if isinstance(v, str) else v.value for v in value))


def is_dated(value: object) -> bool:
    """Whether a field's value has any dated entry."""
    return isinstance(value, list) and any(isinstance(v, Period) for v in value)


def change_days(value: object) -> set[dt.date]:
    """The days a field's value changes: every start and end of its entries."""
    days: set[dt.date] = set()
    if isinstance(value, list):
        for item in value:
            if isinstance(item, Period):
                days.update(d for d in (item.start, item.end) if d is not None)
    return days


def plain_one(value: Any, field: str) -> Any:
    """Before validation: list items of a single-valued field written as bare ids, and
    one dated entry written without its list."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [{field: item} if isinstance(item, str) else item for item in value]
    return value


def collapse_one(value: str | list[P] | None) -> str | list[P] | None:
    """After validation: one undated entry is the plain id, no entry is None."""
    if isinstance(value, list):
        if not value:
            return None
        if len(value) == 1 and not value[0].dated:
            return value[0].value
    return value


def collapse_many(values: list[Any]) -> list[Any]:
    """After validation: undated entries of a list field become plain ids."""
    if any(isinstance(v, Period) and not v.dated for v in values):
        return [v.value if isinstance(v, Period) and not v.dated else v for v in values]
    return values


def name_on(name: str, names: Sequence[NamePeriod], day: dt.date | None) -> str:
    """The name in force on ``day``: the dated name that holds, else ``name``."""
    if day is not None:
        for item in names:
            if item.holds_on(day):
                return item.name
    return name


def overlaps(items: Sequence[tuple[int, Period]]) -> list[tuple[int, int]]:
    """(later index, earlier index) of each period starting before an earlier one ends.

    ``items`` are (index, period) pairs of one value; ``end`` is exclusive, so a
    period starting on the day another ends does not overlap it.
    """
    out = []
    latest: tuple[int, dt.date] | None = None
    for index, period in sorted(items, key=lambda p: (p[1].start or dt.date.min, p[0])):
        start = period.start or dt.date.min
        end = period.end or dt.date.max
        if latest is not None and start < latest[1]:
            out.append((index, latest[0]))
        if latest is None or end > latest[1]:
            latest = (index, end)
    return out


def latest(value: str | Sequence[str | Period] | None) -> str | None:
    """The plain value, or the last one a dated field lists (None when empty).

    For code that reads a field outside a day's view; a day's view
    (``graph.timeline.structure_on``) holds plain values only.
    """
    values = every_value(value)
    return values[-1] if values else None
