"""Dated structure in tables: the child tables of reporting lines, oversight and parents.

A plain ``reports_to``, ``oversees``, ``parent`` or ``guided_by`` stays in its
cell of the ``posts`` or ``organisations`` table. A field with a dated entry is
written whole to a child table instead, one row per entry in list order, and
its cell is left empty:

======================  ===========================================================
table                   columns
======================  ===========================================================
``post_lines``          post, field (``reports_to`` or ``oversees``), value, start, end
``organisation_lines``  organisation, field (``parent`` or ``guided_by``), value,
                        start, end
======================  ===========================================================

``field`` may also be written in Chinese: ``汇报`` (reports_to), ``分管``
(oversees), ``隶属`` or ``块`` (parent), ``业务指导`` or ``条`` (guided_by).
``value`` is the id of the post or organisation; ``end`` is exclusive. Rows
are appended to whatever the cell holds, so a hand-written workbook may keep
the plain value in the cell and add dated rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from stakegraph.errors import Location, Problem
from stakegraph.records.model import Record
from stakegraph.records.periods import Period, is_dated
from stakegraph.records.workspace import RawRecord


@dataclass(frozen=True)
class PeriodTable:
    """One child table of dated structure: its parent collection and fields."""

    name: str
    parent: str
    key: str
    #: field name -> the key of its value in a dated entry (``post`` or ``org``)
    fields: dict[str, str]
    #: fields holding one value (the others hold a list)
    single: frozenset[str]

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.key, "field", "value", "start", "end")


PERIOD_TABLES: dict[str, PeriodTable] = {
    "post_lines": PeriodTable(
        "post_lines",
        "posts",
        "post",
        {"reports_to": "post", "oversees": "org"},
        frozenset({"reports_to"}),
    ),
    "organisation_lines": PeriodTable(
        "organisation_lines",
        "organisations",
        "organisation",
        {"parent": "org", "guided_by": "org"},
        frozenset({"parent"}),
    ),
}

#: Parent collection -> its table of dated structure.
PERIOD_TABLE_OF: dict[str, str] = {t.parent: t.name for t in PERIOD_TABLES.values()}

#: Chinese words accepted in the ``field`` column, and the field each stands for.
FIELD_WORDS: dict[str, str] = {
    "汇报": "reports_to",
    "上级": "reports_to",
    "分管": "oversees",
    "隶属": "parent",
    "块": "parent",
    "业务指导": "guided_by",
    "条": "guided_by",
}

#: How the cells of a dated-structure row are converted (see ``tabular._kind``).
PERIOD_KINDS: dict[str, str] = {"field": "text", "value": "text", "start": "date", "end": "date"}


def add_period_row(
    table: PeriodTable,
    raw: RawRecord,
    data: dict[str, Any],
    where: dict[tuple, Location],
    row: Location,
) -> Problem | None:
    """Append one row's entry to its record's field; a problem when the row is unusable.

    ``data`` holds the row's cells by column (key left out), ``where`` their
    locations keyed by column name, ``row`` the row's location.
    """
    field = data.get("field")
    if isinstance(field, str):
        field = FIELD_WORDS.get(field.strip(), field.strip())
    record_id = raw.data.get("id") if isinstance(raw.data.get("id"), str) else None
    noun = table.key
    if not isinstance(field, str) or field not in table.fields:
        message = (
            f"'{field}' is not a field of a {noun} that can be dated."
            if isinstance(field, str)
            else f"this {table.name} row names no field."
        )
        return Problem(
            message,
            where.get(("field",), row),
            noun,
            record_id,
            "field",
            f"write one of: {', '.join(table.fields)} (or "
            f"{', '.join(w for w, f in FIELD_WORDS.items() if f in table.fields)}).",
        )
    if data.get("value") is None:
        return Problem(
            f"this {table.name} row gives no value for '{field}'.",
            row,
            noun,
            record_id,
            field,
            f"write the id of the {table.fields[field]} in the 'value' column.",
        )
    entry = {table.fields[field]: data["value"]}
    entry.update({k: data[k] for k in ("start", "end") if data.get(k) is not None})
    current = raw.data.get(field)
    if current is None:
        items: list[Any] = []
    elif isinstance(current, list):
        items = current
    else:
        items = [current]
    index = len(items)
    items.append(entry)
    raw.data[field] = items
    raw.field_locations[(field, index)] = row
    for column in ("start", "end"):
        if (column,) in where:
            raw.field_locations[(field, index, column)] = where[(column,)]
    if ("value",) in where:
        raw.field_locations[(field, index, table.fields[field])] = where[("value",)]
    return None


def dated_fields(record: Record) -> list[str]:
    """The fields of a record that go to its dated-structure table (not to cells)."""
    name = PERIOD_TABLE_OF.get(record.collection)
    if name is None:
        return []
    return [f for f in PERIOD_TABLES[name].fields if is_dated(getattr(record, f))]


def period_rows(record: Record, table: PeriodTable) -> Iterator[list[Any]]:
    """The rows of one record in a dated-structure table (its dated fields, whole)."""
    for field in dated_fields(record):
        for item in getattr(record, field):
            if isinstance(item, Period):
                yield [record.id, field, item.value, item.start, item.end]
            else:
                yield [record.id, field, item, None, None]
