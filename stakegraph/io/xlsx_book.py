"""A workspace as one xlsx workbook, a sheet per table (layout: :mod:`stakegraph.io.tabular`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

from stakegraph._gc import gc_paused
from stakegraph.errors import Location, Problem, StakegraphError
from stakegraph.io.tabular import (
    _DATE_FORMAT,
    _WIDTH_SAMPLE,
    SETTINGS_SHEET,
    TABLES,
    _csv_cell,
    _display_width,
    _number_text,
    _Reader,
    _table_rows,
    _xlsx_cell,
)
from stakegraph.records.workspace import RawRecord, Workspace


def read_xlsx(path: Path) -> tuple[list[RawRecord], list[Problem], str | None]:
    """Read a workbook into raw records (not yet validated) and its settings text.

    Returns
    -------
    The raw records, the problems found while reading, and the text of
    ``stakegraph.toml`` from the ``settings`` sheet (None without one).
    """
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise StakegraphError(f"{path}: cannot open the workbook: {exc}.") from None
    label = path.name
    reader = _Reader()
    settings_text: str | None = None
    try:
        with gc_paused():
            sheets = {}
            for sheet in book.worksheets:
                key = sheet.title.strip().lower()
                if key == SETTINGS_SHEET:
                    settings_text = _settings_text(sheet)
                elif key in TABLES and key not in sheets:
                    sheets[key] = sheet
                elif any(any(_filled(v) for v in row) for row in _sheet_rows(sheet)):
                    reader.unknown_table(sheet.title, Location(label, sheet=sheet.title), "sheet")
            for name, table in TABLES.items():
                found = sheets.get(name)
                if found is not None:
                    reader.read_table(table, label, found.title, _sheet_rows(found))
    finally:
        book.close()
    return reader.raws, reader.problems, settings_text


def _sheet_rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    # Some writers record a wrong sheet size; measuring while reading is safe.
    sheet.reset_dimensions()
    yield from sheet.iter_rows(values_only=True)


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _settings_text(sheet: Any) -> str | None:
    lines = []
    for row in _sheet_rows(sheet):
        value = row[0] if row else None
        if value is None:
            lines.append("")
        elif _is_number(value):
            lines.append(_number_text(value))
        else:
            lines.append(str(value))
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n" if lines else None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def write_xlsx(workspace: Workspace, path: Path, settings_text: str | None) -> None:
    """Write a workbook with one sheet per table and, given settings text, a settings sheet.

    The header row is bold and frozen and columns are sized to their first rows.
    Raises :class:`~stakegraph.errors.StakegraphError` for text a workbook cannot
    hold (control characters).
    """
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, rows in _table_rows(workspace).items():
        table = TABLES[name]
        sheet = book.create_sheet(name)
        sample = list(islice(rows, _WIDTH_SAMPLE))
        _size_columns(sheet, table.columns, sample)
        sheet.freeze_panes = "A2"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for number, row in enumerate(chain(sample, rows), start=2):
            _append(sheet, row, path, number)
    if settings_text:
        sheet = book.create_sheet(SETTINGS_SHEET)
        sheet.column_dimensions["A"].width = 80
        for number, line in enumerate(settings_text.splitlines(), start=1):
            _append(sheet, [line or None], path, number)
    book.save(path)


def _append(sheet: Any, values: list[Any], path: Path, number: int) -> None:
    try:
        sheet.append([_xlsx_write_cell(sheet, v) for v in values])
    except IllegalCharacterError:
        raise StakegraphError(
            f"{path.name}: sheet {sheet.title}, row {number}: the text holds control "
            "characters, which a workbook cannot store; remove them or save as YAML."
        ) from None


def _xlsx_write_cell(sheet: Any, value: Any) -> Any:
    value = _xlsx_cell(value)
    if isinstance(value, str) and ((len(value) > 1 and value[0] == "=") or value in ERROR_CODES):
        # openpyxl would store these as a formula or an error value
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    if isinstance(value, dt.date):
        # openpyxl stores a date as a date serial; its stubs name only datetime
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
        cell.number_format = _DATE_FORMAT
        return cell
    return value


def _size_columns(sheet: Any, columns: Sequence[str], sample: list[list[Any]]) -> None:
    for index, column in enumerate(columns):
        widest = _display_width(column)
        for row in sample:
            value = row[index]
            if value is not None:
                text = "2024-01-01" if isinstance(value, dt.date) else _csv_cell(value)
                widest = max(widest, _display_width(text.split("\n", 1)[0]))
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(widest + 2, 8), 50)
