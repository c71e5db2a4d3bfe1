"""One table from a file a person hands in: a CSV file or one sheet of a workbook.

The importers of appointments and of survey results both take such a table; this
reads its rows as they stand (cells as text from CSV, typed from a workbook) and
leaves the meaning of the columns to them.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from stakegraph.errors import Problem, StakegraphError
from stakegraph.io.csv_folder import DEFAULT_ENCODING, CsvRows, decode_csv
from stakegraph.io.xlsx_book import open_workbook, sheet_rows


def read_table_file(
    source: Path,
    sheets: Sequence[str],
    what: str,
    invalid: Callable[[list[Problem]], Exception],
    hint: str = "",
) -> tuple[list[Sequence[Any]], str | None]:
    """Every row of ``source``, and the sheet read (None for CSV).

    Parameters
    ----------
    source : Path
        A ``.csv`` file (UTF-8, or GB18030 for Chinese text, or the encoding chosen
        with ``--encoding``) or an ``.xlsx`` workbook.
    sheets : sequence of str
        Sheet names to look for, lower case, in order; else the first sheet.
    what : str
        What the table holds, for the message about a wrong kind of file.
    invalid : callable
        Makes the error raised for located problems (a bad encoding, an unclosed quote).
    hint : str, optional
        Appended to the message about a wrong kind of file.
    """
    suffix = source.suffix.lower()
    if suffix == ".csv":
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise StakegraphError(f"{source}: cannot be read: {exc.strerror or exc}.") from None
        text, problem = decode_csv(data, source.name, DEFAULT_ENCODING.get())
        if problem is not None:
            raise invalid([problem])
        csv_rows = CsvRows(text, source.name)
        try:
            return list(csv_rows), None
        except csv.Error as exc:
            raise invalid([csv_rows.problem(exc)]) from None
    if suffix == ".xlsx":
        try:
            book = open_workbook(source, read_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
            raise StakegraphError(f"{source}: cannot open the workbook: {exc}.") from None
        try:
            named = {s.title.strip().lower(): s for s in reversed(book.worksheets)}
            sheet = next((named[n] for n in sheets if n in named), book.worksheets[0])
            cells: list[Sequence[Any]] = list(sheet_rows(book, sheet, source))
            return cells, sheet.title
        finally:
            book.close()
    raise StakegraphError(f"{source}: give {what} as a .csv file or an .xlsx workbook{hint}.")
