"""A workspace as a folder of CSV files, one per table (layout: :mod:`stakegraph.io.tabular`).

Encodings are told apart strictly: UTF-8 (with or without a byte-order mark),
else the encoding named by the caller (``--encoding``), else GB18030 only when
the text it gives is plausibly Chinese, else a problem asking for the encoding. A Windows-1252 file with
"Hélène" thus stops with that problem instead of reading as "H閘鑞e".

Quotes are read strictly too: a quote that is never closed, or a quoted cell
followed by more text, is a problem at the line where its row starts, where a
lenient reader would swallow the following rows into one cell.

Cells starting with ``= + - @`` (or a tab or carriage return) are written with a
leading apostrophe, so a spreadsheet opening the file shows text instead of
running a formula such as ``=HYPERLINK(...)``; readers take exactly one
apostrophe off such cells, so every text reads back as it was.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from stakegraph._gc import gc_paused
from stakegraph.errors import Location, Problem
from stakegraph.io.cells import _csv_cell, unescape_cell
from stakegraph.io.tabular import TABLES, _Reader, _table_rows
from stakegraph.records.workspace import RawRecord, Workspace

#: The encoding CSV files are read in when a caller names none; ``None`` detects it.
#: The command line sets it from ``--encoding``.
DEFAULT_ENCODING: ContextVar[str | None] = ContextVar("csv_encoding", default=None)

#: Share of the non-ASCII characters of GB18030 text that must be common Chinese
#: (in GB2312) for the text to count as Chinese rather than another code page.
PLAUSIBLE_SHARE = 0.9

_ENCODING_HINT = (
    "save it as 'CSV UTF-8', or name its encoding, e.g. "
    "'stakegraph --encoding cp1252 COMMAND ...' (gb18030 for Chinese Windows)."
)


def csv_files(folder: Path) -> list[Path]:
    """The CSV files of a folder, by name."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file())


def read_csv_folder(
    folder: Path, encoding: str | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """Read the CSV files of a folder into raw records (not yet validated).

    Parameters
    ----------
    folder
        A folder of ``<table>.csv`` files (see the module documentation).
    encoding
        The files' encoding (a Python codec name such as ``cp1252``); by default
        :data:`DEFAULT_ENCODING`, else detected (see the module documentation).

    Returns
    -------
    The raw records, and the problems found while reading (unknown files,
    columns without a header, child rows naming a missing parent, ...).
    """
    with gc_paused():
        return _read_csv_folder(folder, encoding or DEFAULT_ENCODING.get())


def _read_csv_folder(folder: Path, encoding: str | None) -> tuple[list[RawRecord], list[Problem]]:
    found, problems = csv_tables(folder)
    raws, more = read_csv_tables(
        {name: (path.name, path.read_bytes()) for name, path in found.items()}, encoding
    )
    return raws, problems + more


def csv_tables(folder: Path) -> tuple[dict[str, Path], list[Problem]]:
    """The file of each table in a folder, and a problem for each file that is none."""
    reader = _Reader()
    by_table: dict[str, Path] = {}
    for path in csv_files(folder):
        table = TABLES.get(path.stem.strip().lower())
        if table is None or table.name in by_table:
            reader.unknown_table(path.name, Location(path.name), "file")
            continue
        by_table[table.name] = path
    return by_table, reader.problems


def read_csv_tables(
    tables: dict[str, tuple[str, bytes]], encoding: str | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """Raw records from the bytes of CSV tables, by table name: (file name, bytes).

    A child table (tenures, steps, roles, survey scores) is read together with its
    parent's table; tables of different collections can be read apart.
    """
    reader = _Reader()
    for name, table in TABLES.items():
        found = tables.get(name)
        if found is None:
            continue
        label, data = found
        text, problem = decode_csv(data, label, encoding)
        if problem is not None:
            reader.problems.append(problem)
            continue
        rows = CsvRows(text, label)
        try:
            reader.read_table(table, label, name, rows)
        except csv.Error as exc:
            reader.problems.append(rows.problem(exc))
    return reader.raws, reader.problems


def decode_csv(data: bytes, label: str, encoding: str | None = None) -> tuple[str, Problem | None]:
    """The text of a CSV file's bytes, or a problem saying how to read them.

    Parameters
    ----------
    data
        The file's bytes.
    label
        The file's name in problems.
    encoding
        A codec name for files that are not UTF-8; ``None`` accepts only
        plausible Chinese GB18030 besides UTF-8. UTF-8 (a byte-order mark is
        dropped) is always read as such, so one file re-saved in another
        encoding does not spoil the others of a folder.

    Returns
    -------
    The text and ``None``, or ``""`` and the problem.
    """
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        first_error = exc
    if encoding is not None:
        try:
            return data.decode(encoding), None
        except LookupError:
            return "", Problem(
                f"cannot be read: '{encoding}' is not an encoding Python knows.",
                Location(label),
                hint="give a name such as utf-8, gb18030, cp1252 or latin-1.",
            )
        except UnicodeDecodeError as exc:
            return "", Problem(
                f"is neither UTF-8 nor {encoding} text (byte {exc.start}).",
                Location(label, _line_of(data, exc.start)),
                hint="name the encoding the file was saved in, or save it as 'CSV UTF-8'.",
            )
    try:
        # What Excel writes for "CSV (逗号分隔)" on Chinese Windows.
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and plausibly_chinese(text):
        return text, None
    return "", Problem(
        f"is not UTF-8 text (byte {first_error.start}), nor Chinese text in GB18030.",
        Location(label, _line_of(data, first_error.start)),
        hint=_ENCODING_HINT,
    )


def _line_of(data: bytes, offset: int) -> int:
    """The line holding byte ``offset`` (1 = the first line)."""
    return data.count(b"\n", 0, offset) + 1


def plausibly_chinese(text: str) -> bool:
    """Whether GB18030-decoded text reads as Chinese rather than another code page.

    Western code pages decoded as GB18030 give rare characters of GBK's
    extension (Windows-1252 "Hélène" gives "H閘鑞e": 閘 and 鑞 sit outside
    GB2312), while Chinese text is mostly the common characters of GB2312.
    """
    counts = Counter(re.findall(r"[^\x00-\x7f]", text))
    total = sum(counts.values())
    if not total:
        return True
    common = sum(n for char, n in counts.items() if _in_gb2312(char))
    return common >= PLAUSIBLE_SHARE * total


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


class CsvRows:
    """The rows of CSV text, read strictly, remembering the line each row starts on.

    Iterating yields each row as a list of cells, with the apostrophe that
    protects a formula-like cell taken off (see the module documentation).
    """

    def __init__(self, text: str, label: str) -> None:
        self._reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        self.label = label
        #: the line the row being read starts on (1 = the first line)
        self.start = 1

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        reader = self._reader
        self.start = reader.line_num + 1
        row = next(reader)
        for index, cell in enumerate(row):
            if cell[:1] == "'":
                row[index] = unescape_cell(cell)
        return row

    def problem(self, exc: csv.Error) -> Problem:
        """The located problem for an error the reader raised."""
        where = Location(self.label, self.start)
        text = str(exc)
        if "unexpected end of data" in text:
            return Problem(
                'a quote (") in the row starting on this line is never closed, '
                "so every later line would be read into one cell.",
                where,
                hint='close the quote where the cell ends; write a quote inside text as "".',
            )
        if "expected after" in text:
            return Problem(
                f"a quoted cell in the row starting on this line ends on line "
                f"{self._reader.line_num} and is followed by more text; a quote left open "
                "swallows the lines between.",
                where,
                hint='close the quote where the cell ends; write a quote inside text as "".',
            )
        return Problem(
            f"is not valid CSV: {text}.", where, hint="save the sheet again as 'CSV UTF-8'."
        )


def write_csv_folder(workspace: Workspace, folder: Path) -> list[Path]:
    """Write one CSV file per table (see the module documentation); return them.

    Files are UTF-8 with a byte-order mark so Excel reads Chinese correctly, and
    formula-like text is escaped (:func:`~stakegraph.io.tabular.escape_cell`).
    """
    written = []
    for name, rows in _table_rows(workspace).items():
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(TABLES[name].columns)
            out.writerows([_csv_cell(v) for v in row] for row in rows)
        written.append(path)
    return written
