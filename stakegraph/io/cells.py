"""The cells of CSV files and workbook sheets: lists, yes/no, dates, numbers and escapes.

The rules are those of :mod:`stakegraph.io.tabular` ("Cells").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from stakegraph.records.fields import parse_day

_SEPARATORS = frozenset(";；")
_ESCAPE = re.compile(r"([;；\\])")
_TRUE = frozenset({"true", "yes", "y", "1", "是", "t"})
_FALSE = frozenset({"false", "no", "n", "0", "否", "f"})
#: Excel counts days from 1900 with a phantom 29 February; earlier dates stay text.
_FIRST_EXCEL_DATE = dt.date(1900, 3, 1)
#: CSV text a spreadsheet would take for a formula (or, after apostrophes, an escaped one).
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def column_letter(number: int) -> str:
    """The spreadsheet name of column ``number`` (1: A, 26: Z, 27: AA), as openpyxl's
    ``get_column_letter`` gives it; here so reading a CSV folder never imports openpyxl.

    Bijective base 26. O(log n).

    >>> [column_letter(n) for n in (1, 26, 27, 52, 53, 702, 703, 16384)]
    ['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA', 'XFD']
    """
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def join_list(items: Iterable[str]) -> str:
    """One cell for a list of words: items joined by '; ', separators escaped.

    >>> join_list(["a;b", "c"])
    'a\\\\;b; c'
    """
    return "; ".join(_ESCAPE.sub(r"\\\1", item) for item in items)


def split_list(text: str) -> list[str]:
    """The items of a list cell (the inverse of :func:`join_list`); empty items dropped.

    >>> split_list("a\\\\;b; c；d;")
    ['a;b', 'c', 'd']
    """
    if "\\" not in text:  # the common case, without escapes
        parts = text.replace("；", ";").split(";")
        return [p.strip() for p in parts if p.strip()]
    items: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            # a backslash ending the cell stands for itself
            current.append(next(chars, "\\"))
        elif char in _SEPARATORS:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell_value(kind: str, value: Any) -> Any:
    """A cell read from a file as the value pydantic should validate (None: absent)."""
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        if kind == "list":
            return split_list(value)
        if kind == "bool":
            word = value.strip().lower()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
        elif kind == "date":
            try:
                day = parse_day(value)
            except ValueError:
                return value  # the date field explains an impossible date
            return value if day is None else day
        return value
    # Typed cells only come from workbooks, where a day is a date-time at midnight.
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.datetime) and kind in ("date", "other"):
        return value
    if isinstance(value, bool):
        return [str(value).lower()] if kind == "list" else value
    if isinstance(value, int | float) and kind in ("text", "list"):
        text = _number_text(value)
        return [text] if kind == "list" else text
    if isinstance(value, dt.date) and kind in ("text", "list"):
        text = value.isoformat()
        return [text] if kind == "list" else text
    return value


def _text_key(value: Any) -> str | None:
    """A key cell (a parent id, a step id, a survey item) as text, None when empty."""
    value = _cell_value("text", value)
    return value.strip() if isinstance(value, str) else None


def escape_cell(text: str) -> str:
    """A CSV text cell as written: an apostrophe before text a spreadsheet would run.

    >>> escape_cell("=HYPERLINK(x)"), escape_cell("'=x"), escape_cell("a=b")
    ("'=HYPERLINK(x)", "''=x", 'a=b')
    """
    return "'" + text if _FORMULA_START.match(text) else text


def unescape_cell(text: str) -> str:
    """The inverse of :func:`escape_cell`: one apostrophe off an escaped cell.

    >>> unescape_cell("'=x"), unescape_cell("''=x"), unescape_cell("'quoted'")
    ('=x', "'=x", "'quoted'")
    """
    return text[1:] if text[:1] == "'" and _FORMULA_START.match(text, 1) else text


def _csv_cell(value: Any) -> str:
    """A value as CSV text; text and lists are escaped, numbers such as -1 are not."""
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_cell(value)
    if isinstance(value, list):
        return escape_cell(join_list(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, list):
        return join_list(value)
    if isinstance(value, float) and float(f"{value:.15g}") != value:
        # Excel keeps 15 significant digits; text keeps the exact value
        return repr(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value if value >= _FIRST_EXCEL_DATE else value.isoformat()
    return value


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
