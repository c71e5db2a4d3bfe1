"""A workspace as one xlsx workbook, a sheet per table (layout: :mod:`stakegraph.io.tabular`).

Workbooks come back from Excel, WPS and LibreOffice, so cells are read as the
application left them:

- a formula is read as the value the application saved with it; a formula saved
  without a value (a workbook written by a script and never opened) is a located
  problem, as is a merged range (only its first cell holds the value);
- text escapes of the file format (``_x000D_`` for a carriage return, ``_x005F_``
  for a literal underscore) are decoded, and written for text that needs them;
- a whole number shown with leading zeros (number format ``0000``) reads as the
  text shown, ``0571``;
- text longer than :data:`MAX_CELL_TEXT` characters, which the applications cut
  when they save, is a located problem when read and an error when written;
- a damaged sheet is an error naming the sheet, never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from stakegraph._gc import gc_paused
from stakegraph.errors import Location, Problem, StakegraphError, WorkspaceInvalid
from stakegraph.io.cells import _csv_cell, _display_width, _number_text, _xlsx_cell
from stakegraph.io.tabular import (
    _DATE_FORMAT,
    _WIDTH_SAMPLE,
    SETTINGS_SHEET,
    TABLES,
    _Reader,
    _table_rows,
)
from stakegraph.io.xlsx_dress import (
    add_validations,
    define_id_lists,
    enumeration,
    header_comment,
    name_formula,
    term_text,
    write_help_sheet,
    write_lists_sheet,
)
from stakegraph.io.xlsx_layout import (
    HELP_SHEET,
    LISTS_SHEET,
    Column,
    header_code,
    sheet_name,
    table_of_sheet,
    written_columns,
)
from stakegraph.records.vocabulary import VOCABULARY
from stakegraph.records.workspace import RawRecord, Workspace

#: The most characters a cell holds in Excel; LibreOffice and WPS cut longer text too.
MAX_CELL_TEXT = 32767

#: An escaped character in the text of a cell (``_x000D_``), as the file format spells it.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
#: Number formats that only pad a whole number with zeros (``0000``).
_PADDING = re.compile(r"0{2,}")
_STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"
#: Sheets a written workbook has besides its tables (lower case).
_OWN_SHEETS = frozenset(n.lower() for n in (*HELP_SHEET.values(), *LISTS_SHEET.values()))


def read_xlsx(path: Path) -> tuple[list[RawRecord], list[Problem], str | None]:
    """Read a workbook into raw records (not yet validated) and its settings text.

    Returns
    -------
    The raw records, the problems found while reading, and the text of
    ``stakegraph.toml`` from the ``settings`` sheet (None without one).

    Raises
    ------
    StakegraphError
        The file is not a workbook, or a sheet of it is damaged.
    """
    try:
        book = open_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise StakegraphError(f"{path}: cannot open the workbook: {exc}.") from None
    label = path.name
    reader = _Reader()
    reader.header_code = header_code
    settings_text: str | None = None
    try:
        with gc_paused():
            padded = _padded_styles(book)
            sheets = {}
            for sheet in book.worksheets:
                key = table_of_sheet(sheet.title)
                if key == SETTINGS_SHEET:
                    rows = _SheetRows(book, sheet, path, padded)
                    settings_text = _settings_text(rows)
                    reader.problems.extend(rows.problems(label))
                elif key in TABLES and key not in sheets:
                    sheets[key] = sheet
                elif sheet.title.strip().lower() in _OWN_SHEETS:
                    continue  # the help and the drop-down lists
                elif any(any(_filled(v) for v in row) for row in _SheetRows(book, sheet, path)):
                    reader.unknown_table(sheet.title, Location(label, sheet=sheet.title), "sheet")
            for name, table in TABLES.items():
                found = sheets.get(name)
                if found is not None:
                    rows = _SheetRows(book, found, path, padded)
                    cells = iter(rows)
                    skipped = reader.read_table(table, label, found.title, cells)
                    for _ in cells:  # to the end of the sheet: merges come after the cells
                        pass
                    letters = {get_column_letter(i + 1) for i in skipped}
                    reader.problems.extend(
                        p for p in rows.problems(label) if not _skipped(p, letters)
                    )
    finally:
        book.close()
    return reader.raws, reader.problems, settings_text


def _skipped(problem: Problem, letters: set[str]) -> bool:
    """A formula without its value in a column the reader skips (a name column)."""
    where = problem.location
    return where is not None and where.column in letters and "formula" in problem.message


def sheet_rows(book: Any, sheet: Any, path: Path) -> list[tuple[Any, ...]]:
    """Every row of one sheet of a book from :func:`open_workbook` (read-only).

    Raises
    ------
    WorkspaceInvalid
        A cell the read cannot take as it stands (a formula without its value, a
        merged range, text too long for a cell), each located.
    StakegraphError
        The sheet is damaged.
    """
    rows = _SheetRows(book, sheet, path, _padded_styles(book))
    values = list(rows)
    problems = rows.problems(path.name)
    if problems:
        raise WorkspaceInvalid(problems)
    return values


class _RawStringsReader(ExcelReader):
    """openpyxl's workbook reader keeping shared strings as the file spells them.

    openpyxl drops the ``x005F_`` of every escaped underscore but decodes no other
    escape, which makes ``_x005F_x000D_`` (the text "_x000D_") and ``_x000D_`` (a
    carriage return) the same; kept as stored, they are decoded once, correctly,
    when read, and written back unchanged by the in-place writers.
    """

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        strings = []
        with self.archive.open(part.PartName[1:]) as src:
            for _, node in iterparse(src):
                if node.tag == _STRING_TAG:
                    text = Text.from_tree(node)
                    strings.append(text.content if text is not None else "")
                    node.clear()
        self.shared_strings = strings


def open_workbook(path: Path, read_only: bool = False) -> Any:
    """The workbook at ``path`` with formulas as their saved values, text as stored.

    Text keeps the file format's ``_xHHHH_`` escapes (see :func:`xlsx_text`), so
    cells written back unchanged stay byte for byte what they were.
    """
    reader = _RawStringsReader(path, read_only=read_only, data_only=True)
    reader.read()
    return reader.wb


class _Parser(WorkSheetParser):
    """openpyxl's sheet parser, noting what a plain read would lose without a word.

    Formula cells saved without a value, text over :data:`MAX_CELL_TEXT`
    characters and (after the last row) merged ranges are kept for reporting;
    text escapes are decoded and zero-padded whole numbers become their text.
    """

    def __init__(self, src: Any, book: Any, sheet: Any, padded: dict[int, int]) -> None:
        super().__init__(
            src,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        self.padded = padded
        #: (row, column) of formula cells without a saved value
        self.uncached: list[tuple[int, int]] = []
        #: (row, column, length) of text too long for a workbook
        self.long: list[tuple[int, int, int]] = []

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell = super().parse_cell(element)
        value = cell["value"]
        if value is None:
            # a formula whose result is empty text is saved as type "str" with an empty
            # value; an empty value of any other type was never computed (openpyxl
            # writes formulas that way)
            if element.find(FORMULA_TAG) is not None and (
                element.find(VALUE_TAG) is None or element.get("t") != "str"
            ):
                self.uncached.append((cell["row"], cell["column"]))
        elif value.__class__ is str:
            if "_x" in value:
                value = cell["value"] = _unescape(value)
            if len(value) > MAX_CELL_TEXT:
                self.long.append((cell["row"], cell["column"], len(value)))
        elif (
            cell["style_id"] in self.padded
            and value.__class__ in (int, float)
            and value >= 0
            and float(value).is_integer()
        ):
            cell["value"] = f"{int(value):0{self.padded[cell['style_id']]}d}"
        return cell


class _SheetRows:
    """The rows of one sheet as tuples of values (row 1 first, empty rows as ``()``).

    After iterating, :meth:`problems` names every cell a plain read would have
    got wrong without a word.
    """

    def __init__(self, book: Any, sheet: Any, path: Path, padded: dict[int, int] | None = None):
        self.book, self.sheet, self.path = book, sheet, path
        self.padded = padded or {}
        self.parser: _Parser | None = None

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        try:
            yield from self._rows()
        except StakegraphError:
            raise
        except Exception as exc:  # the XML parser and openpyxl raise many types
            raise StakegraphError(
                f"{self.path}: sheet '{self.sheet.title}' is damaged and cannot be read "
                f"({exc}). Open the workbook in Excel, WPS or LibreOffice and save it "
                "again, or go back to an earlier copy."
            ) from None

    def _rows(self) -> Iterator[tuple[Any, ...]]:
        # The sheet's recorded size is not trusted: some writers get it wrong.
        with self.sheet._get_source() as src:
            self.parser = parser = _Parser(src, self.book, self.sheet, self.padded)
            expected = 1
            for number, cells in parser.parse():
                if number < expected:
                    continue  # a row repeated out of order: the first one counts
                for _ in range(expected, number):
                    yield ()
                row: list[Any] = [None] * max((c["column"] for c in cells), default=0)
                for cell in cells:
                    row[cell["column"] - 1] = cell["value"]
                yield tuple(row)
                expected = number + 1

    def problems(self, label: str) -> list[Problem]:
        """What the read could not take as it stands, each at its cell."""
        parser = self.parser
        if parser is None:
            return []
        title = self.sheet.title
        found = []

        def at(row: int, column: int) -> Location:
            return Location(label, sheet=title, row=row, column=get_column_letter(column))

        for row, column in parser.uncached:
            found.append(
                Problem(
                    "the formula in this cell was saved without its value, so it reads as empty.",
                    at(row, column),
                    hint="open the workbook in Excel, WPS or LibreOffice and save it (which "
                    "stores each formula's value), or type the value instead of the formula.",
                )
            )
        for row, column, length in parser.long:
            found.append(
                Problem(
                    f"the text has {length:,} characters; a workbook cell holds at most "
                    f"{MAX_CELL_TEXT:,} and Excel, WPS and LibreOffice cut the rest when saving.",
                    at(row, column),
                    hint="shorten the text, or keep the workspace as YAML.",
                )
            )
        merged = parser.merged_cells.mergeCell if parser.merged_cells else []
        for merge in merged:
            ref = str(merge.ref)
            if ":" not in ref:
                continue
            first = ref.split(":", 1)[0]
            row, column = coordinate_to_tuple(first)
            found.append(
                Problem(
                    f"cells {ref} are merged: only {first} holds the value, the others read "
                    "as empty.",
                    at(row, column),
                    hint="unmerge the cells and write the value into each of them.",
                )
            )
        return found


def _unescape(text: str) -> str:
    """Text with the file format's ``_xHHHH_`` escapes decoded (``_x000D_`` is a CR)."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def xlsx_text(text: str) -> str:
    r"""Text as a cell stores it: carriage returns and literal ``_xHHHH_`` escaped.

    XML readers turn a stored carriage return into a line feed, so it is written
    the way Excel writes it (``_x000D_``); text that looks like an escape gets its
    underscore escaped (``_x005F_``), so it reads back as typed.

    >>> xlsx_text("a\r\nb")
    'a_x000D_\nb'
    """
    if "_x" in text:
        text = _ESCAPED.sub(lambda m: "_x005F" + m.group(0), text)
    return text.replace("\r", "_x000D_")


def _padded_styles(book: Any) -> dict[int, int]:
    """Style index -> digits, for the styles whose number format pads with zeros."""
    custom = list(getattr(book, "_number_formats", []))
    padded = {}
    for index, style in enumerate(getattr(book, "_cell_styles", [])):
        number = style.numFmtId
        fmt = BUILTIN_FORMATS.get(number) if number < 164 else None
        if number >= 164 and number - 164 < len(custom):
            fmt = custom[number - 164]
        if fmt and _PADDING.fullmatch(fmt):
            padded[index] = len(fmt)
    return padded


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _settings_text(rows: Any) -> str | None:
    lines = []
    for row in rows:
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


def write_xlsx(
    workspace: Workspace, path: Path, settings_text: str | None, label: str | None = None
) -> None:
    """Write a workbook with one sheet per table and, given settings text, a settings sheet.

    The header row is bold and frozen, columns are sized to their first rows, and
    the columns of text fields are formatted as text, so that an id or a word
    typed there later (``0571``, ``1-2``) stays as typed instead of becoming a
    number or a date. Raises :class:`~stakegraph.errors.StakegraphError` for text
    a workbook cannot hold (control characters, more than :data:`MAX_CELL_TEXT`
    characters); nothing is written then.
    """
    book = Workbook(write_only=True)
    try:
        with _lxml_errors_as_os_errors(path):
            _fill_book(book, workspace, label or path.name, settings_text)
    except BaseException:
        # the sheets write to temporary files; closing them leaves nothing behind (and
        # a close that fails on the same full disk must not hide the first error)
        for sheet in book.worksheets:
            with contextlib.suppress(Exception):
                sheet.close()
        raise
    with _lxml_errors_as_os_errors(path):
        book.save(path)


@contextlib.contextmanager
def _lxml_errors_as_os_errors(path: Path) -> Iterator[None]:
    """An I/O failure while openpyxl writes through lxml, as the OSError it is.

    With lxml installed openpyxl writes XML through it, and a full disk or a file
    size limit arrives as ``lxml.etree.SerialisationError("IO_ENOSPC")`` rather than
    an OSError; translated, it gets the same one-line advice as every other write.
    """
    try:
        yield
    except Exception as exc:
        if type(exc).__module__.startswith("lxml") and type(exc).__name__ == "SerialisationError":
            code = getattr(errno, str(exc).removeprefix("IO_"), None)
            if isinstance(code, int):
                raise OSError(code, os.strerror(code), str(path)) from None
        raise


def _fill_book(book: Any, workspace: Workspace, label: str, settings_text: str | None) -> None:
    # the workbook keeps Chinese as its default: it reads back in either language
    language = workspace.settings.language or "zh"
    write_help_sheet(book, language)
    word_lists = write_lists_sheet(book, workspace.settings, language)
    id_lists = define_id_lists(book, language)
    for name, rows in _table_rows(workspace).items():
        table = TABLES[name]
        columns = written_columns(table, language)
        sheet = book.create_sheet(sheet_name(name, language), len(book.worksheets) - 1)
        sample = [
            _written_row(table, columns, row, number, language)
            for number, row in enumerate(islice(rows, _WIDTH_SAMPLE), start=2)
        ]
        _size_columns(sheet, table, columns, sample, _names(workspace, sample, columns))
        add_validations(sheet, table, columns, word_lists, id_lists, language)
        sheet.freeze_panes = "B2"
        sheet.row_dimensions[1].height = 32 if language == "zh" else 18
        sheet.append(_header_cells(sheet, table, columns))
        last = len(sample) + 1
        for number, row in enumerate(sample, start=2):
            _append(sheet, row, label, number, columns)
        for last, row in enumerate(rows, start=len(sample) + 2):
            _append(sheet, _written_row(table, columns, row, last, language), label, last, columns)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(last, 2)}"
    if settings_text:
        sheet = book.create_sheet(sheet_name(SETTINGS_SHEET, language), len(book.worksheets) - 1)
        sheet.column_dimensions["A"].width = 80
        for number, line in enumerate(settings_text.splitlines(), start=1):
            _append(sheet, [line or None], label, number, ())


_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_NAME_FONT = Font(italic=True, color="595959")


def _header_cells(sheet: Any, table: Any, columns: list[Column]) -> list[Any]:
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True, italic=column.names is not None)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column.names is None:
            cell.comment = header_comment(table, column.code)
        header.append(cell)
    return header


def _written_row(
    table: Any, columns: list[Column], row: list[Any], number: int, language: str
) -> list[Any]:
    """The cells of one row as written: enumerations by their words, name formulas."""
    values = dict(zip(table.columns, row, strict=True))
    out: list[Any] = []
    for index, column in enumerate(columns, start=1):
        value = values.get(column.code)
        if column.names is not None:
            ref = get_column_letter(index - 1)
            out.append(_Formula(name_formula(number, ref, column.names, language)))
            continue
        listed = enumeration(table, column.code) if isinstance(value, str) else None
        if listed is not None:
            found = next((t for t in VOCABULARY[listed] if t.code == value), None)
            value = term_text(found, language) if found is not None else value
        out.append(value)
    return out


class _Formula(str):
    """A formula to write as one (every other text starting with '=' is written as text)."""


def check_cell_text(value: Any, where: str) -> None:
    """Refuse text longer than a workbook cell holds; ``where`` names the cell.

    Raises
    ------
    StakegraphError
        The text has more than :data:`MAX_CELL_TEXT` characters.
    """
    if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
        raise StakegraphError(
            f"{where}: the text has {len(value):,} characters, but a workbook cell holds at "
            f"most {MAX_CELL_TEXT:,} (Excel, WPS and LibreOffice cut the rest); nothing was "
            "written. Shorten the text, or keep the workspace as YAML."
        )


def _append(
    sheet: Any, values: list[Any], label: str, number: int, columns: Sequence[Column]
) -> None:
    cells = []
    for index, value in enumerate(values):
        if isinstance(value, _Formula):
            cell = WriteOnlyCell(sheet, value=str(value))
            cell.font = _NAME_FONT
            cells.append(cell)
            continue
        value = _xlsx_cell(value)
        name = f" ({columns[index].code})" if index < len(columns) else ""
        where = f"{label}: sheet {sheet.title}, row {number}, column "
        check_cell_text(value, where + get_column_letter(index + 1) + name)
        cells.append(_xlsx_write_cell(sheet, value))
    try:
        sheet.append(cells)
    except IllegalCharacterError:
        raise StakegraphError(
            f"{label}: sheet {sheet.title}, row {number}: the text holds control "
            "characters, which a workbook cannot store; remove them or save as YAML."
        ) from None


def _xlsx_write_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, str):
        value = xlsx_text(value)
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


def _names(workspace: Workspace, sample: list[list[Any]], columns: list[Column]) -> list[int]:
    """The widest name each name column shows in the sample rows (0 for other columns)."""
    widths = []
    for index, column in enumerate(columns):
        widest = 0
        if column.names is not None:
            records = workspace.records.get(column.names, {})
            for row in sample:
                record = records.get(row[index - 1]) if isinstance(row[index - 1], str) else None
                if record is not None:
                    widest = max(widest, _display_width(str(getattr(record, "name", ""))))
        widths.append(widest)
    return widths


def _size_columns(
    sheet: Any, table: Any, columns: list[Column], sample: list[list[Any]], names: list[int]
) -> None:
    """Widths from the header and the first rows as written, Chinese characters counting double."""
    for index, column in enumerate(columns, start=1):
        widest = max(_display_width(line) for line in column.header.split("\n"))
        widest = max(widest, names[index - 1])
        for row in sample if column.names is None else ():
            value = row[index - 1]
            if value is not None:
                text = "2024-01-01" if isinstance(value, dt.date) else _csv_cell(value)
                widest = max(widest, _display_width(text.split("\n", 1)[0]))
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(widest + 2, 8), 50)
        if table.kinds.get(column.code) in ("text", "list") and column.names is None:
            sheet.column_dimensions[letter].number_format = "@"
