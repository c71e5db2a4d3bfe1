"""The table layout shared by CSV folders and xlsx workbooks: the same records as tables
people edit in Excel, and the rules for their cells.

Reading and writing live in :mod:`stakegraph.io.csv_folder` and
:mod:`stakegraph.io.xlsx_book`.

Layout
------
One table per record type, a CSV file ``<records>.csv`` in a folder or a sheet
``<records>`` in one workbook::

    organisations  posts  persons  owners  relationships  ties
    opportunities  interactions  surveys

Row 1 holds the field names; every further row is one record. Columns run
``id``, ``name``/``title``, the fields of the record type, then ``aliases``,
``tags``, ``notes``. Columns may come in any order and may be left out.

Lists of records inside a record live in child tables, one row per item, keyed
by the parent's id. Row order is list order:

=================  =========================================================
table              columns
=================  =========================================================
``tenures``        person, post, start, end, title, acting, concurrent, on_leave
``steps``          opportunity, order, step, name
``roles``          opportunity, step, order, post, person, role, weight, stance,
                   competitor_leaning, notes
``survey_scores``  survey, item, score
``names``          person, name, start, end (dated names)
=================  =========================================================

Dated ``reports_to``, ``oversees``, ``parent`` and ``guided_by`` have child
tables of their own, ``post_lines`` and ``organisation_lines``
(:mod:`stakegraph.io.tabular_periods`); plain values stay in their cells.

``order`` numbers the steps of each opportunity, and the roles of each step, 1,
2, 3, ...: readers put them in that order, so sorting a sheet cannot reorder a
chain; a repeated or missing number is a located problem. Without an ``order``
column (an older table) row order is chain order. A step left without an id in
``steps`` is ``s1``, ``s2``, ... by its position in its opportunity's chain,
which is what ``roles`` then name in their ``step`` column. Writers always spell
the step id and the order out.

Cells
-----
- An empty cell means the field is absent (its default applies). A text field
  therefore cannot hold the empty string.
- Lists of ids or words (aliases, tags, guided_by, oversees, owners, persons,
  orgs, competitors) go in one cell separated by ``"; "``. A literal ``;`` or
  ``\\`` inside an item is written ``\\;`` or ``\\\\``. Readers also split on the
  full-width ``；`` that Chinese input methods type (written ``\\；`` when
  literal), drop empty items and strip spaces around each item.
- Grades and tiers are written by name (``正处``, ``vp``); numbers are accepted.
- Dates are ISO text (``2024-03-01``) in CSV; in a workbook they are real date
  cells shown as ``yyyy-mm-dd`` (dates before 1900-03-01, which Excel cannot
  count, stay ISO text). Readers also accept ``2024/3/1`` and ``2024-3-1``, the
  forms Excel writes when it re-saves a CSV file.
- Numbers are number cells in a workbook, except the rare float that needs more
  than the 15 significant digits Excel keeps: it is written as text, exactly.
- Yes/no fields are written ``true``/``false`` in CSV and as real booleans in a
  workbook; readers accept ``true/false``, ``yes/no``, ``y/n``, ``1/0`` and
  ``是/否`` in any case.
- A workbook cell typed as a number in a text field (an id ``2024``) reads as
  its text. Text starting with ``=`` is stored as text, never as a formula.
- In CSV, text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return (after any apostrophes) is written with one more leading apostrophe,
  so a spreadsheet shows it as text instead of running it; readers take that
  one apostrophe off again. Numbers such as ``-1`` are written as they are.

Files
-----
CSV files are written as UTF-8 with a byte-order mark, so Excel shows Chinese
correctly when it opens them; readers accept UTF-8 with or without the mark and
fall back to GB18030, the encoding Excel uses for "CSV" on Chinese Windows, when
the text is plausibly Chinese; any other encoding must be named (``--encoding``).
Workbooks carry ``stakegraph.toml`` in a ``settings`` sheet (``设置``), one line
per row in column A. Every table is written, even when empty, so a written
workspace is also a template to fill in. Their sheet names and headers are
Chinese by default, with a help sheet, drop-down lists, name columns and header
comments: see :mod:`stakegraph.io.xlsx_layout` and :mod:`stakegraph.io.xlsx_dress`.

Problems
--------
Each record and field remembers its file, sheet, row (the header is row 1, as a
spreadsheet shows it) and column letter, so validation problems point at one
cell. A column whose name is not a field is reported as an unknown field of
every record that fills it. Reported while reading: unknown tables (empty extra
sheets, such as Excel's ``Sheet1``, are ignored), filled columns without a
header, repeated headers, child rows without a parent key or naming a parent
that is not in the parent table, roles naming a step that is not in ``steps``,
survey items scored twice, and columns of ``survey_scores`` other than its three.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from stakegraph.config import Settings
from stakegraph.errors import Location, Problem
from stakegraph.io.cells import _cell_value, _text_key, column_letter
from stakegraph.io.cells import escape_cell as escape_cell
from stakegraph.io.cells import join_list as join_list
from stakegraph.io.cells import split_list as split_list
from stakegraph.io.cells import unescape_cell as unescape_cell
from stakegraph.io.common import record_to_data
from stakegraph.io.tabular_periods import (
    PERIOD_KINDS,
    PERIOD_TABLE_OF,
    PERIOD_TABLES,
    add_period_row,
    dated_fields,
    period_rows,
)
from stakegraph.records.model import RECORD_BY_COLLECTION, RECORD_TYPES, Record, Role, Step, Tenure
from stakegraph.records.periods import NamePeriod
from stakegraph.records.workspace import RawRecord, Workspace

SETTINGS_SHEET = "settings"

#: The fields of a record type that hold a list of records (or item scores) and
#: so live in child tables: collection -> field.
NESTED: dict[str, str] = {"persons": "tenures", "opportunities": "chain", "surveys": "scores"}
#: Further such fields, each with a child table of its own (collection -> fields).
NESTED_MORE: dict[str, tuple[str, ...]] = {"persons": ("names",)}

#: Fields every record shares, put last because they matter least when editing.
_TRAILING = ("aliases", "tags", "notes")

_DATE_FORMAT = "yyyy-mm-dd"
_WIDTH_SAMPLE = 200
#: Cell kinds whose text needs converting before pydantic sees it.
_CONVERTED_TEXT = frozenset({"list", "bool", "date"})


# --- the layout ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    """One sheet or CSV file: its columns and, for a child table, its parent."""

    name: str
    columns: tuple[str, ...]
    kinds: dict[str, str]
    #: Collection whose records the rows belong to (the parent for a child table).
    parent: str | None = None
    #: Key columns naming the parent record (and step, for roles).
    keys: tuple[str, ...] = ()
    #: Columns a child table cannot do without.
    required: tuple[str, ...] = ()

    @property
    def parent_collection(self) -> str:
        """The collection a child table's rows belong to."""
        if self.parent is None:
            raise ValueError(f"the {self.name} table has no parent table")
        return self.parent


def _kind(annotation: Any) -> str:
    """How a field's cells are converted: 'text', 'list', 'bool', 'date' or 'other'."""
    origin = get_origin(annotation)
    if origin is Annotated:  # a date with its validator, say
        return _kind(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        if len(inner) > 1 and "text" in {_kind(a) for a in inner}:
            return "text"  # an id, or its dated form (records.periods): the cell holds the id
        return _kind(inner[0]) if len(inner) == 1 else "other"
    if origin is list and "text" in {_kind(a) for a in get_args(annotation)}:
        return "list"
    if annotation is bool:
        return "bool"
    if annotation is dt.date:
        return "date"
    if annotation is str:
        return "text"
    return "other"


def _kinds(model: type[BaseModel]) -> dict[str, str]:
    return {name: _kind(info.annotation) for name, info in model.model_fields.items()}


def _record_table(cls: type[Record]) -> _Table:
    nested = {NESTED.get(cls.collection), *NESTED_MORE.get(cls.collection, ())}
    fields = [f for f in cls.model_fields if f not in nested]
    head = [f for f in ("id", "name", "title") if f in fields]
    middle = [f for f in fields if f not in head and f not in _TRAILING]
    columns = (*head, *middle, *(f for f in _TRAILING if f in fields))
    return _Table(cls.collection, columns, _kinds(cls))


def _child_table(
    name: str,
    parent: str,
    keys: tuple[str, ...],
    model: type[BaseModel],
    skip: set[str],
    required: tuple[str, ...],
) -> _Table:
    fields = [f for f in model.model_fields if f not in skip]
    kinds = {**_kinds(model), **dict.fromkeys(keys, "text")}
    return _Table(name, (*keys, *fields), kinds, parent, keys, required)


def _layout() -> dict[str, _Table]:
    tables = {cls.collection: _record_table(cls) for cls in RECORD_TYPES}
    children = {
        "persons": _child_table("tenures", "persons", ("person",), Tenure, set(), ("person",)),
        # the step id is optional: a step without one is s<position>
        "opportunities": _child_table(
            "steps",
            "opportunities",
            ("opportunity", "order", "step"),
            Step,
            {"id", "roles"},
            ("opportunity",),
        ),
        "surveys": _Table(
            "survey_scores",
            ("survey", "item", "score"),
            {"survey": "text", "item": "text", "score": "other"},
            "surveys",
            ("survey", "item", "score"),
            ("survey", "item", "score"),
        ),
    }
    names = _child_table("names", "persons", ("person",), NamePeriod, set(), ("person",))
    ordered: dict[str, _Table] = {}
    for name, table in tables.items():
        ordered[name] = table
        child = children.get(name)
        if child is not None:
            ordered[child.name] = child
            if name == "opportunities":
                keys = ("opportunity", "step", "order")
                required = ("opportunity", "step")
                roles = _child_table("roles", "opportunities", keys, Role, set(), required)
                ordered[roles.name] = roles
        if name == "persons":
            ordered[names.name] = names
        if name in PERIOD_TABLE_OF:
            spec = PERIOD_TABLES[PERIOD_TABLE_OF[name]]
            kinds = {spec.key: "text", **PERIOD_KINDS}
            lines = _Table(spec.name, spec.columns, kinds, name, (spec.key,), (spec.key,))
            ordered[lines.name] = lines
    return ordered


#: Every table in the order it is written (children right after their parent).
TABLES: dict[str, _Table] = _layout()


# --- reading ---------------------------------------------------------------------------


@dataclass
class _Sheet:
    """One table being read: where it is and what each column holds."""

    table: _Table
    file: str
    sheet: str
    #: column index -> field name, for every column with a usable header
    columns: dict[int, str]
    #: column index -> (field name, cell kind, column letter), key columns left out
    fields: dict[int, tuple[str, str, str]]
    #: key column name -> column index
    keys: dict[str, int]
    #: columns whose header was already reported (repeated, or unknown in survey_scores)
    ignored: set[int] = field(default_factory=set)

    def at(self, row: int, index: int | None = None) -> Location:
        column = None if index is None else column_letter(index + 1)
        return Location(self.file, sheet=self.sheet, row=row, column=column)


class _Reader:
    """Turns the rows of each table into raw records, children into nested lists.

    Tables must arrive parents first (the order of :data:`TABLES`); each row is
    handled once, and children find their parent through an id index, so reading
    is linear in the number of cells.
    """

    def __init__(self) -> None:
        self.raws: list[RawRecord] = []
        self.problems: list[Problem] = []
        # first record of each id, per collection: where child rows go
        self.by_id: dict[str, dict[str, RawRecord]] = {c: {} for c in RECORD_BY_COLLECTION}
        # (opportunity id, step id) -> index of the step in its chain
        self.steps: dict[tuple[str, str], int] = {}
        # (survey id, item) already scored
        self.scored: set[tuple[str, str]] = set()
        #: the field a header cell names ("" for a column to skip); None: the text itself
        self.header_code: Callable[[_Table, str], str] | None = None

    def read_table(
        self, table: _Table, file: str, sheet: str, rows: Iterator[Sequence[Any]]
    ) -> set[int]:
        """Read one table's rows; return the indexes of the columns it skipped."""
        header_row = next(rows, None)
        if header_row is None:
            return set()
        ctx = self._header(table, file, sheet, header_row)
        missing = [k for k in table.required if k not in ctx.keys]
        handle = self._row_handler(table)
        ordered = _Ordered(self, ctx, handle) if "order" in ctx.keys else None
        if ordered is not None:
            handle = ordered.add
        columns = ctx.columns
        reported: set[int] = set()  # filled columns that are not read
        has_rows = False
        for number, row in enumerate(rows, start=2):
            cells = {}
            for index, value in enumerate(row):
                if value is None or value == "" or (value.__class__ is str and value.isspace()):
                    continue
                if index in columns:
                    cells[index] = value
                elif index not in reported:
                    reported.add(index)
                    self._no_header(ctx, index, number)
            if not cells:
                continue
            has_rows = True
            if not missing:
                handle(ctx, number, cells)
        if ordered is not None and not missing:
            ordered.finish()
        if missing and has_rows:
            self.problems.append(
                Problem(
                    f"table '{table.name}' has no column '{missing[0]}'.",
                    ctx.at(1),
                    hint=f"name the columns in row 1: {', '.join(table.columns)}.",
                )
            )
        return ctx.ignored

    def _header(self, table: _Table, file: str, sheet: str, row: Sequence[Any]) -> _Sheet:
        ctx = _Sheet(table, file, sheet, {}, {}, {})
        seen: dict[str, int] = {}
        for index, value in enumerate(row):
            name = "" if value is None else str(value).strip()
            if not name:
                continue  # reported only if a row fills the column
            if self.header_code is not None:
                name = self.header_code(table, name)
                if not name:  # a column the reader skips (names shown beside ids)
                    ctx.ignored.add(index)
                    continue
            if name in seen:
                first = column_letter(seen[name] + 1)
                self.problems.append(
                    Problem(
                        f"column '{name}' appears twice (first in column {first}).",
                        ctx.at(1, index),
                        hint="remove or rename one of them.",
                    )
                )
                ctx.ignored.add(index)
                continue
            seen[name] = index
            if table.name == "survey_scores" and name not in table.columns:
                # scores are a mapping, so pydantic cannot name a stray column
                self.problems.append(
                    Problem(
                        f"unknown column '{name}'.",
                        ctx.at(1, index),
                        hint=f"survey_scores has the columns {', '.join(table.columns)}.",
                    )
                )
                ctx.ignored.add(index)
                continue
            ctx.columns[index] = name
            if name in table.keys:
                ctx.keys[name] = index
            else:
                kind = table.kinds.get(name, "other")
                ctx.fields[index] = (name, kind, column_letter(index + 1))
        return ctx

    def _no_header(self, ctx: _Sheet, index: int, row: int) -> None:
        if index in ctx.ignored:
            return
        letter = column_letter(index + 1)
        self.problems.append(
            Problem(
                f"column {letter} has values (from row {row}) but no field name in row 1.",
                ctx.at(1, index),
                hint="write the field name in row 1, or delete the column.",
            )
        )

    def _row_handler(self, table: _Table) -> Callable[[_Sheet, int, dict[int, Any]], None]:
        if table.parent is None:
            return self._record_row
        if table.name in PERIOD_TABLES:
            return self._period_row
        return {
            "tenures": self._tenure_row,
            "names": self._name_row,
            "steps": self._step_row,
            "roles": self._role_row,
            "survey_scores": self._score_row,
        }[table.name]

    def _fields(
        self, ctx: _Sheet, number: int, cells: dict[int, Any], prefix: tuple[str | int, ...]
    ) -> tuple[dict[str, Any], dict[tuple, Location]]:
        """Data and field locations of one row, key columns left out."""
        data: dict[str, Any] = {}
        where: dict[tuple, Location] = {}
        fields = ctx.fields
        file, sheet = ctx.file, ctx.sheet
        for index, value in cells.items():
            spec = fields.get(index)
            if spec is None:
                continue
            name, kind, letter = spec
            if value.__class__ is not str or kind in _CONVERTED_TEXT:
                value = _cell_value(kind, value)
                if value is None:
                    continue
            data[name] = value
            where[(*prefix, name)] = Location(file, sheet=sheet, row=number, column=letter)
        return data, where

    def _record_row(self, ctx: _Sheet, number: int, cells: dict[int, Any]) -> None:
        collection = ctx.table.name
        data, where = self._fields(ctx, number, cells, ())
        for nested in (NESTED.get(collection), *NESTED_MORE.get(collection, ())):
            if nested is not None and nested in data:
                self._nested_in_cell(collection, nested, data, where)
        raw = RawRecord(collection, data, ctx.at(number), where)
        self.raws.append(raw)
        record_id = data.get("id")
        if isinstance(record_id, str):
            self.by_id[collection].setdefault(record_id.strip(), raw)

    def _nested_in_cell(
        self, collection: str, nested: str, data: dict[str, Any], where: dict[tuple, Location]
    ) -> None:
        """Report (and drop) a nested list written in a cell of the record's own table."""
        if nested == "names":
            child = "names"
        else:
            child = next(t.name for t in TABLES.values() if t.parent == collection)
        self.problems.append(
            Problem(
                f"'{nested}' cannot be written in a cell.",
                where[(nested,)],
                RECORD_BY_COLLECTION[collection].noun,
                data.get("id") if isinstance(data.get("id"), str) else None,
                nested,
                f"put one row per item in the '{child}' table, keyed by the record's id.",
            )
        )
        del data[nested]

    def _key(self, ctx: _Sheet, cells: dict[int, Any], key: str) -> str | None:
        index = ctx.keys.get(key)
        return None if index is None else _text_key(cells.get(index))

    def _parent(self, ctx: _Sheet, number: int, cells: dict[int, Any]) -> RawRecord | None:
        """The record a child row belongs to, or None after reporting why not."""
        table = ctx.table
        key = table.keys[0]
        parent_id = self._key(ctx, cells, key)
        noun = RECORD_BY_COLLECTION[table.parent_collection].noun
        if parent_id is None:
            self.problems.append(
                Problem(
                    f"this {table.name} row names no {noun}.",
                    ctx.at(number, ctx.keys[key]),
                    hint=f"write the id of its {noun} in the '{key}' column.",
                )
            )
            return None
        raw = self.by_id[table.parent_collection].get(parent_id)
        if raw is None:
            self.problems.append(
                Problem(
                    f"this {table.name} row names {noun} '{parent_id}', "
                    f"which is not in the {table.parent} table.",
                    ctx.at(number, ctx.keys[key]),
                    hint=f"add the {noun} to {table.parent}, or correct the id.",
                )
            )
        return raw

    def _attach(
        self, ctx: _Sheet, number: int, cells: dict[int, Any], raw: RawRecord, items: list, prefix
    ) -> dict[str, Any]:
        data, where = self._fields(ctx, number, cells, prefix)
        items.append(data)
        raw.field_locations[prefix] = ctx.at(number)
        raw.field_locations.update(where)
        return data

    def _tenure_row(self, ctx: _Sheet, number: int, cells: dict[int, Any]) -> None:
        raw = self._parent(ctx, number, cells)
        if raw is not None:
            items = raw.data.setdefault("tenures", [])
            self._attach(ctx, number, cells, raw, items, ("tenures", len(items)))

    def _name_row(self, ctx: _Sheet, number: int, cells: dict[int, Any]) -> None:
        raw = self._parent(ctx, number, cells)
        if raw is not None:
            items = raw.data.setdefault("names", [])
            self._attach(ctx, number, cells, raw, items, ("names", len(items)))

    def _period_row(self, ctx: _Sheet, number: int, cells: dict[int, Any]) -> None:
        raw = self._parent(ctx, number, cells)
        if raw is not None:
            data, where = self._fields(ctx, number, cells, ())
            spec = PERIOD_TABLES[ctx.table.name]
            problem = add_period_row(spec, raw, data, where, ctx.at(number))
            if problem is not None:
                self.problems.append(problem)

    def _step_row(self, ctx: _Sheet, number: int, cells: dict[int, Any]) -> None:
        raw = self._parent(ctx, number, cells)
        if raw is None:
            return
        chain_ = raw.data.setdefault("chain", [])
        position = len(chain_)
        data = self._attach(ctx, number, cells, raw, chain_, ("chain", position))
        step_id = self._key(ctx, cells, "step")
        if step_id is not None:
            chain_[position] = {"id": step_id, **data}
            raw.field_locations[("chain", position, "id")] = ctx.at(number, ctx.keys["step"])
        # a step without an id is s<position>, as the model names it
        key = (raw.data["id"].strip(), step_id or f"s{position + 1}")
        self.steps.setdefault(key, position)

    def _role_row(self, ctx: _Sheet, number: int, cells: dict[int, Any]) -> None:
        raw = self._parent(ctx, number, cells)
        if raw is None:
            return
        step_id = self._key(ctx, cells, "step")
        opportunity = raw.data["id"].strip()
        position = self.steps.get((opportunity, step_id)) if step_id else None
        if position is None:
            what = f"step '{step_id}'" if step_id else "no step"
            self.problems.append(
                Problem(
                    f"this role names {what} of opportunity '{opportunity}', "
                    "which is not in the steps table.",
                    ctx.at(number, ctx.keys["step"]),
                    hint="write the id of a step listed for this opportunity in 'steps' "
                    "(a step without an id is s1, s2, ... by its position).",
                )
            )
            return
        roles = raw.data["chain"][position].setdefault("roles", [])
        self._attach(ctx, number, cells, raw, roles, ("chain", position, "roles", len(roles)))

    def _score_row(self, ctx: _Sheet, number: int, cells: dict[int, Any]) -> None:
        raw = self._parent(ctx, number, cells)
        if raw is None:
            return
        item = self._key(ctx, cells, "item")
        survey = raw.data["id"].strip()
        if item is None or (survey, item) in self.scored:
            self.problems.append(
                Problem(
                    f"item '{item}' of survey '{survey}' is scored twice."
                    if item
                    else "this score names no item.",
                    ctx.at(number, ctx.keys["item"]),
                    "survey",
                    survey,
                    "scores",
                    "give each item one row per survey." if item else "write the item's name.",
                )
            )
            return
        self.scored.add((survey, item))
        index = ctx.keys["score"]
        raw.data.setdefault("scores", {})[item] = _cell_value("other", cells.get(index))
        raw.field_locations[("scores", item)] = ctx.at(number, index)

    def unknown_table(self, name: str, location: Location, what: str) -> None:
        known = [*TABLES, SETTINGS_SHEET] if what == "sheet" else [f"{t}.csv" for t in TABLES]
        self.problems.append(
            Problem(
                f"unknown {what} '{name}'; use one of: {', '.join(known)}.",
                location,
                hint=f"rename or remove the {what}.",
            )
        )


class _Ordered:
    """Rows of steps or roles held back and handled in the order their ``order`` column gives.

    Steps are numbered within their opportunity, roles within their step, 1, 2,
    3, ...; a number that is not a whole number, repeated or skipped is reported
    at its cell, and the rows are still handled (in number order) so that their
    other problems are found too.
    """

    def __init__(self, reader: _Reader, ctx: _Sheet, handle: Callable) -> None:
        self.reader, self.ctx, self.handle = reader, ctx, handle
        self.index = ctx.keys["order"]
        #: group (opportunity, or opportunity and step) -> (order, row, cells)
        self.groups: dict[tuple[str | None, ...], list[tuple[int, int, dict[int, Any]]]] = {}

    def add(self, ctx: _Sheet, number: int, cells: dict[int, Any]) -> None:
        keys = ("opportunity",) if ctx.table.name == "steps" else ("opportunity", "step")
        group = tuple(self.reader._key(ctx, cells, key) for key in keys)
        value = _cell_value("other", cells.get(self.index))
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value.__class__ is not int or value < 1:
            shown = "nothing" if value is None else repr(value)
            self._problem(
                f"the order of this {self._noun()} is {shown}, not a whole number from 1.",
                number,
                "number the rows 1, 2, 3, ... in chain order.",
                group[0],
            )
            value = 0
        self.groups.setdefault(group, []).append((value, number, cells))

    def _noun(self) -> str:
        return "step" if self.ctx.table.name == "steps" else "role"

    def _problem(self, message: str, number: int, hint: str, opportunity: str | None) -> None:
        where = self.ctx.at(number, self.index)
        self.reader.problems.append(
            Problem(
                message, where, "opportunity", opportunity, "order" if opportunity else None, hint
            )
        )

    def finish(self) -> None:
        for group, rows in self.groups.items():
            rows.sort(key=lambda item: (item[0], item[1]))
            within = "its chain" if len(group) == 1 else f"step '{group[1]}'"
            seen: dict[int, int] = {}
            for order, number, _ in rows:
                if order in seen:
                    self._problem(
                        f"{self._noun()} number {order} in {within} appears twice "
                        f"(first in row {seen[order]}).",
                        number,
                        "give each row of the group its own number: 1, 2, 3, ...",
                        group[0],
                    )
                seen.setdefault(order, number)
            numbers = sorted(n for n in seen if n > 0)
            gap = next((n for n in range(1, len(numbers) + 1) if n not in seen), None)
            if gap is not None and numbers:
                self._problem(
                    f"the {self._noun()}s in {within} are numbered "
                    f"{', '.join(map(str, numbers))}: number {gap} is missing.",
                    seen[numbers[-1]],
                    "renumber them 1, 2, 3, ... in chain order, or add the missing row.",
                    group[0],
                )
            for _, number, cells in rows:
                self.handle(self.ctx, number, cells)


# --- writing ---------------------------------------------------------------------------


def _table_rows(workspace: Workspace) -> dict[str, Iterator[list[Any]]]:
    """Rows of every table as plain values (lists, dates, numbers), lazily."""
    settings = workspace.settings
    return {
        name: (
            _record_rows(workspace, table, settings)
            if table.parent is None
            else _child_rows(workspace, table, settings)
        )
        for name, table in TABLES.items()
    }


def _record_rows(workspace: Workspace, table: _Table, settings: Settings) -> Iterator[list[Any]]:
    for record in workspace.records[table.name].values():
        data = record_to_data(record, settings)
        for name in dated_fields(record):  # written whole to the table of dated structure
            data.pop(name, None)
        yield [data.get(column) for column in table.columns]


def _child_rows(workspace: Workspace, table: _Table, settings: Settings) -> Iterator[list[Any]]:
    for record in workspace.records[table.parent_collection].values():
        if table.name in PERIOD_TABLES:
            yield from period_rows(record, PERIOD_TABLES[table.name])
            continue
        data = record_to_data(record, settings)
        if table.name in ("tenures", "names"):
            for item in data.get(table.name, []):
                yield [record.id, *(item.get(c) for c in table.columns[1:])]
        elif table.name == "survey_scores":
            for item, score in data.get("scores", {}).items():
                yield [record.id, item, score]
        else:
            for position, step in enumerate(data.get("chain", []), start=1):
                step_id = step.get("id", f"s{position}")
                if table.name == "steps":
                    yield [record.id, position, step_id, *(step.get(c) for c in table.columns[3:])]
                    continue
                for order, role in enumerate(step.get("roles", []), start=1):
                    yield [record.id, step_id, order, *(role.get(c) for c in table.columns[3:])]
