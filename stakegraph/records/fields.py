"""The value types and checks the records share: days, scales, lifetimes, hinted errors."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo

from stakegraph.config import DEFAULT_SETTINGS, Settings
from stakegraph.errors import shown as _shown


class HintedError(ValueError):
    """A validation error that also says how to fix it (shown after "Fix:")."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


_NUMBER_TEXT = re.compile(r"\s*[-+]?\d+(\.\d*)?\s*")
#: 2019-11-04, 2019/11/4, 2019.11.04 (any of the three separators).
_SEPARATED_DAY = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
#: 2019年11月4日 (日 or 号, or nothing after the day) and 2019年11月 (the first of the month).
_CHINESE_DAY = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号]?)?")


def parse_day(text: str) -> dt.date | None:
    """The day a text names in one of the forms people type, or None for another text.

    Accepted: ``2019-11-04``, ``2019/11/4``, ``2019.11.04``, ``2019年11月4日``
    (also with 号, full-width digits or spaces) and ``2019年11月``, which is the
    first day of that month.

    Raises
    ------
    ValueError
        The text has one of these forms but names no real day (``2019年2月30日``).

    >>> parse_day("2019年11月4日"), parse_day("2019年11月"), parse_day("2019.11.04")
    (datetime.date(2019, 11, 4), datetime.date(2019, 11, 1), datetime.date(2019, 11, 4))
    >>> parse_day("yesterday") is None
    True
    """
    text = unicodedata.normalize("NFKC", text).strip()
    match = _SEPARATED_DAY.fullmatch(text) or _CHINESE_DAY.fullmatch(text)
    if match is None:
        return None
    year, month, day = match.groups()
    return dt.date(int(year), int(month), int(day or 1))


def _date_not_a_number(value: Any) -> Any:
    """Refuse a number where a date belongs; read the date forms of :func:`parse_day`.

    pydantic would read ``20240301`` or ``1700006400`` as seconds since 1970 and
    quietly make a date of it; nobody writes dates that way here.
    """
    shown: object
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = value
    elif isinstance(value, str) and _NUMBER_TEXT.fullmatch(value):
        shown = value.strip()
    elif isinstance(value, str):
        try:
            day = parse_day(value)
        except ValueError as exc:
            if "年" not in value:
                return value  # pydantic explains an impossible YYYY-MM-DD in its words
            raise HintedError(
                f"{value.strip()} is not a real date ({exc})",
                "correct the day or month; write dates as YYYY-MM-DD, e.g. 2024-03-01.",
            ) from None
        return value if day is None else day
    else:
        return value
    raise HintedError(
        f"{shown} is a number, not a date",
        "write the date as YYYY-MM-DD, e.g. 2024-03-01.",
    )


#: A calendar day, also typed ``2019年11月4日`` or ``2019/11/4`` (see :func:`parse_day`);
#: a number is refused rather than read as Unix seconds.
Day = Annotated[dt.date, BeforeValidator(_date_not_a_number)]


def _settings(info: ValidationInfo) -> Settings:
    ctx = info.context or {}
    return ctx.get("settings", DEFAULT_SETTINGS)


def _scale_value(value: Any, table: dict[str, int], what: str) -> int:
    low, high = min(table.values()), max(table.values())
    names = ", ".join(dict.fromkeys(table))
    scale = f"the scale is set in stakegraph.toml [{what}s]"
    if isinstance(value, bool):
        raise HintedError(
            f"expected a {what} name or number, got {_shown(value)}",
            f"use one of: {names}, or a number {low}–{high}; {scale}.",
        )
    if isinstance(value, str):
        name = value.strip()
        if name in table:
            return table[name]
        if re.fullmatch(r"-?\d+", name):
            value = int(name)
        else:
            raise HintedError(
                f"unknown {what} {_shown(value)}; use one of: {names} (or a number {low}–{high})",
                f"correct the name; to use other names, list the whole scale in "
                f"stakegraph.toml [{what}s].",
            )
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise HintedError(
            f"expected a {what} name or whole number, got {_shown(value)}",
            f"use one of: {names}, or a number {low}–{high}; {scale}.",
        )
    if not low <= value <= high:
        raise HintedError(
            f"{what} {value} is outside the scale {low}–{high}",
            f"use a number from {low} to {high} or one of: {names}; {scale}.",
        )
    return value


def _within(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    """``start <= day < end``, an open bound (None) holding on every day."""
    return (start is None or start <= day) and (end is None or day < end)


def _ordered_lifetime(record: Any) -> Any:
    """The lifetime check shared by organisations and posts: ``end`` after ``start``."""
    if record.start and record.end and record.end <= record.start:
        raise HintedError(
            f"end {record.end} is not after start {record.start}",
            f"correct one of the dates: 'end' is the first day the {record.noun} no longer exists.",
        )
    return record
