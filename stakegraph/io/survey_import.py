"""Satisfaction-survey results as survey tools export them: one row per respondent.

Layout
------
A CSV file (UTF-8 with or without a byte-order mark, or GB18030 from Chinese
Excel) or a workbook (the sheet ``surveys``, ``调查`` or ``满意度调查``, else the
first sheet). Row 1 names the columns:

=====================  ========================================================
column                 holds
=====================  ========================================================
``date`` / 日期          the survey date: ``2026-11-27`` (also ``2026/11/27``, a
                       time after it, or a real Excel date)
``person`` / 回答人      the respondent: person id, name, alias or pinyin, and/or
``org`` / 回答单位       the respondent's organisation, named the same ways (one of
                       them per row; the survey holds the id)
``id``                 optional; made as ``<date>-<person or org>`` when empty
``notes`` / 备注         optional text
anything else          an item (产品质量, 服务态度, ...) scored 1–5 per row; an
                       empty cell means the item was not asked
=====================  ========================================================

Every problem (a missing date, a row without respondent or scores, a score
outside 1–5, an id already used, a person or organisation the workspace does
not have) is reported at its file, row and column, all of them at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from stakegraph.errors import (
    AmbiguousName,
    Location,
    Problem,
    StakegraphError,
    UnknownRecord,
    WorkspaceInvalid,
)
from stakegraph.io.cells import _cell_value, _text_key
from stakegraph.io.common import unique_id
from stakegraph.io.table_file import read_table_file
from stakegraph.io.xlsx_book import _filled
from stakegraph.records.lookup import resolve
from stakegraph.records.model import RECORD_BY_COLLECTION, Survey
from stakegraph.records.naming import id_slug
from stakegraph.records.workspace import RawRecord, Workspace, problems_from

#: Header (lower case) -> the survey field its column fills; every other header is an item.
COLUMNS: dict[str, str] = {
    "id": "id",
    "date": "date",
    "日期": "date",
    "person": "person",
    "回答人": "person",
    "org": "org",
    "回答单位": "org",
    "notes": "notes",
    "备注": "notes",
}

#: Sheet names taken before the first sheet of a workbook.
SHEETS = ("surveys", "满意度调查", "调查")

_LAYOUT = (
    "row 1 names the columns: date (日期), person (回答人) and/or org (回答单位), "
    "optionally id and notes (备注), then one column per item scored 1–5"
)
# survey tools export a submission time after the date ("2026/11/27 10:21:33")
_DATE_TIME = re.compile(r"(\S+)[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?")


@dataclass
class SurveyResults:
    """Surveys read from a results file.

    ``rows`` holds the row each survey came from, by id, so that problems found
    later (when the workspace is validated with them) still point at a cell.
    """

    surveys: list[Survey]
    rows: dict[str, RawRecord] = field(default_factory=dict)


@dataclass
class _Row:
    """One respondent's row while it is read."""

    number: int
    data: dict[str, Any]
    raw: RawRecord
    ok: bool = True


def read_survey_results(source: Path, workspace: Workspace) -> SurveyResults:
    """Read a wide survey-results file into surveys that fit ``workspace``.

    Parameters
    ----------
    source : a ``.csv`` file or an ``.xlsx`` workbook laid out as the module says.
    workspace : the workspace the surveys go into (not changed); ids are made
        unique against its surveys and respondents must exist in it.

    Returns
    -------
    SurveyResults
        The surveys in row order, each with its row.

    Raises
    ------
    WorkspaceInvalid
        Every problem of the file, each at its file, row and column.
    StakegraphError
        The file is neither CSV nor xlsx, cannot be opened, or holds no rows.

    Notes
    -----
    Cost: linear in the cells of the file; the workspace is only looked up.
    """
    source = Path(source)
    rows, sheet = _read_rows(source)
    if not rows or not any(_filled(v) for v in rows[0]):
        raise StakegraphError(f"{source}: no survey results found; {_LAYOUT}.")
    problems: list[Problem] = []

    def at(number: int, index: int | None = None) -> Location:
        column = None if index is None else get_column_letter(index + 1)
        return Location(source.name, sheet=sheet, row=number, column=column)

    fields, items, unnamed = _header(rows[0], at, problems)
    read: list[_Row] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(_filled(v) for v in cells):
            continue
        for index, value in enumerate(cells):
            if index in fields or index in items or index in unnamed or not _filled(value):
                continue
            unnamed.add(index)  # reported once (a repeated name already was)
            problems.append(
                Problem(
                    f"column {get_column_letter(index + 1)} has values (from row {number}) "
                    "but no item name in row 1.",
                    at(1, index),
                    hint="write the item's name in row 1, or delete the column.",
                )
            )
        read.append(_read_row(number, cells, fields, items, at, problems, workspace))
    if not read and not problems:
        raise StakegraphError(f"{source}: no survey rows below the header; {_LAYOUT}.")

    # ids: those given first, so that a made one never takes an id a later row gives
    taken = set(workspace.surveys)
    first_row: dict[str, int] = {}
    for row in read:
        given = row.data.get("id")
        if given is None:
            continue
        if given in taken:
            message = f"survey '{given}' is already in the workspace."
            hint = "give this survey another id, or leave the cell empty to have one made."
        elif given in first_row:
            message = f"id '{given}' is also given in row {first_row[given]}."
            hint = "give each row its own id, or leave the cells empty to have ids made."
        else:
            first_row[given] = row.number
            continue
        row.ok = False
        problems.append(_problem(message, row.raw.locate(("id",)), given, "id", hint))
    taken |= set(first_row)
    surveys: list[Survey] = []
    by_id: dict[str, RawRecord] = {}
    for row in read:
        day, who = row.data.get("date"), row.data.get("person") or row.data.get("org")
        if not row.ok or not isinstance(day, dt.date) or not who:
            continue  # its problem is reported (a missing column is, at the header)
        if "id" not in row.data:
            row.data["id"] = unique_id(id_slug(f"{day.isoformat()}-{who}"), taken)
            taken.add(row.data["id"])
        try:
            survey = Survey.model_validate(row.data)
        except ValidationError as exc:
            problems.extend(problems_from(exc, row.raw, Survey))
            continue
        surveys.append(survey)
        by_id[survey.id] = row.raw
    if problems:
        raise WorkspaceInvalid(sorted(problems, key=_reading_order))
    return SurveyResults(surveys, by_id)


def locate_problems(exc: WorkspaceInvalid, rows: dict[str, RawRecord]) -> WorkspaceInvalid:
    """Point problems about imported surveys at their row and column in the results file."""
    problems = []
    for p in exc.problems:
        raw = rows.get(p.record_id or "") if p.record_type == Survey.noun else None
        if raw is not None and p.location is None:
            # "scores.产品质量": an item name may itself hold a dot
            path = tuple((p.field or "").split(".", 1)) if p.field else ()
            p = replace(p, location=raw.locate(path))
        problems.append(p)
    return WorkspaceInvalid(problems)


# --- reading the file ----------------------------------------------------------------


def _read_rows(source: Path) -> tuple[list[Sequence[Any]], str | None]:
    """Every row of the file, and the sheet read (None for CSV)."""
    return read_table_file(source, SHEETS, "the survey results", WorkspaceInvalid, f"; {_LAYOUT}")


def _header(
    header: Sequence[Any], at: Any, problems: list[Problem]
) -> tuple[dict[int, str], dict[int, str], set[int]]:
    """Column index -> survey field, column index -> item name, and the columns reported."""
    fields: dict[int, str] = {}
    items: dict[int, str] = {}
    repeated: set[int] = set()
    seen: dict[str, int] = {}
    for index, value in enumerate(header):
        name = _text_key(value)
        if name is None:
            continue  # reported only if a row fills the column
        target = COLUMNS.get(name.lower())
        # 'date' and '日期' name the same field, so they clash like two '服务态度' columns
        key = f"field:{target}" if target else f"item:{name}"
        if key in seen:
            what = f"the {target}" if target else f"the item '{name}'"
            first = get_column_letter(seen[key] + 1)
            problems.append(
                Problem(
                    f"column '{name}' gives {what} again (first in column {first}).",
                    at(1, index),
                    hint="remove or rename one of them.",
                )
            )
            repeated.add(index)
            continue
        seen[key] = index
        if target:
            fields[index] = target
        else:
            items[index] = name
    given = set(fields.values())
    if "date" not in given:
        problems.append(
            Problem(
                "there is no 'date' (日期) column.",
                at(1),
                hint="add a 'date' column with each survey's date (YYYY-MM-DD).",
            )
        )
    if not given & {"person", "org"}:
        problems.append(
            Problem(
                "there is no 'person' (回答人) or 'org' (回答单位) column.",
                at(1),
                hint="add a 'person' column with the respondent's person id, or an 'org' "
                "column with the organisation's id.",
            )
        )
    if not items:
        problems.append(
            Problem(
                "there are no item columns to score.",
                at(1),
                hint="add one column per item (产品质量, 服务态度, ...) with scores 1–5.",
            )
        )
    return fields, items, repeated


def _read_row(
    number: int,
    cells: Sequence[Any],
    fields: dict[int, str],
    items: dict[int, str],
    at: Any,
    problems: list[Problem],
    workspace: Workspace,
) -> _Row:
    """One respondent's survey data, with a problem for each bad cell."""

    def cell(index: int) -> Any:
        return cells[index] if index < len(cells) else None

    data: dict[str, Any] = {}
    raw = RawRecord(Survey.collection, data, at(number))
    row = _Row(number, data, raw)
    columns = {name: index for index, name in fields.items()}
    for name, index in columns.items():
        raw.field_locations[(name,)] = at(number, index)
        value = cell(index)
        if not _filled(value):
            continue
        if name == "date":
            data[name] = value
        elif name == "notes":
            data[name] = _cell_value("text", value)  # a number typed as a note stays text
        else:
            data[name] = _text_key(value)
    record_id = data.get("id")

    def report(message: str, where: Location, path: str | None, hint: str) -> None:
        row.ok = False
        problems.append(_problem(message, where, record_id, path, hint))

    if "date" in columns:
        day = _date(data.get("date"))
        if day is None:
            missing = "date" not in data
            report(
                "the date is missing." if missing else f"'{data['date']}' is not a date.",
                at(number, columns["date"]),
                "date",
                "write the survey date as YYYY-MM-DD, e.g. 2026-11-27.",
            )
        else:
            data["date"] = day
    if ("person" in columns or "org" in columns) and not (data.get("person") or data.get("org")):
        report(
            "this row names no respondent.",
            at(number, columns.get("person", columns.get("org"))),
            "person" if "person" in columns else "org",
            "write the respondent's person id in 'person' (回答人) or the organisation's "
            "id in 'org' (回答单位).",
        )
    # checked here, not by validating the workspace, so a row with a bad score still
    # has its unknown respondent reported
    for name, collection in Survey.references.items():
        ref = data.get(name)
        if not ref or ref in workspace.records[collection]:
            continue
        noun = RECORD_BY_COLLECTION[collection].noun
        try:  # a respondent may be named by name, alias or pinyin as well
            data[name] = resolve(workspace, noun, str(ref), _date(data.get("date")))
        except AmbiguousName as exc:
            report(str(exc), at(number, columns[name]), name, "write the id in this cell.")
        except UnknownRecord:
            article = "an" if noun[0] in "aeiou" else "a"
            report(
                f"refers to {noun} '{ref}', which does not exist.",
                at(number, columns[name]),
                name,
                f"add {article} {noun} with id '{ref}' to {collection}, or correct the id or name.",
            )
    scores: dict[str, int] = {}
    answered = False
    for index, item in items.items():
        value = cell(index)
        if not _filled(value):
            continue  # the item was not asked
        answered = True
        where = at(number, index)
        raw.field_locations[("scores", item)] = where
        score, why = _score(value)
        if why:
            report(
                why,
                where,
                f"scores.{item}",
                "give a whole number from 1 to 5, or leave the cell empty when the item "
                "was not asked.",
            )
        elif score is not None:
            scores[item] = score
    if items and not answered:
        report(
            "this row has no scores.",
            at(number, min(items)),
            "scores",
            "fill in at least one item's score (1–5), or delete the row.",
        )
    if scores:
        data["scores"] = scores
    return row


def _date(value: Any) -> dt.date | None:
    """A survey date from a cell (None when it holds none)."""
    if isinstance(value, str):
        match = _DATE_TIME.fullmatch(value.strip())
        if match:
            value = match.group(1)
    value = _cell_value("date", value)
    if isinstance(value, dt.datetime):
        return value.date()  # a submission time; the survey date is its day
    return value if isinstance(value, dt.date) else None


def _score(value: Any) -> tuple[int | None, str | None]:
    """A score 1–5 from a cell, or why the cell holds none."""
    number: Any = value
    if isinstance(value, str):
        text = value.strip()
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return None, f"'{text}' is not a score."
    if isinstance(number, bool) or not isinstance(number, int | float):
        return None, f"'{value}' is not a score."
    if isinstance(number, float):
        if not number.is_integer():
            return None, f"{number:g} is not a whole number."
        number = int(number)  # 4.0 from Excel
    if not 1 <= number <= 5:
        return None, f"score {number} is out of range 1–5."
    return number, None


def _reading_order(problem: Problem) -> tuple[int, int, str]:
    """Top to bottom, left to right, as the file reads (AA after Z)."""
    where = problem.location
    column = (where.column or "") if where else ""
    return ((where.row or 0) if where else 0, len(column), column)


def _problem(
    message: str, where: Location, record_id: str | None, path: str | None, hint: str
) -> Problem:
    return Problem(message, where, Survey.noun, record_id, path, hint)
