"""A workspace as a folder of CSV files, one per table (layout: :mod:`stakegraph.io.tabular`)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from stakegraph._gc import gc_paused
from stakegraph.errors import Location, Problem
from stakegraph.io.tabular import TABLES, _csv_cell, _Reader, _table_rows
from stakegraph.records.workspace import RawRecord, Workspace


def csv_files(folder: Path) -> list[Path]:
    """The CSV files of a folder, by name."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file())


def read_csv_folder(folder: Path) -> tuple[list[RawRecord], list[Problem]]:
    """Read the CSV files of a folder into raw records (not yet validated).

    Parameters
    ----------
    folder
        A folder of ``<table>.csv`` files (see the module documentation).

    Returns
    -------
    The raw records, and the problems found while reading (unknown files,
    columns without a header, child rows naming a missing parent, ...).
    """
    with gc_paused():
        return _read_csv_folder(folder)


def _read_csv_folder(folder: Path) -> tuple[list[RawRecord], list[Problem]]:
    reader = _Reader()
    by_table: dict[str, Path] = {}
    for path in csv_files(folder):
        table = TABLES.get(path.stem.strip().lower())
        if table is None or table.name in by_table:
            reader.unknown_table(path.name, Location(path.name), "file")
            continue
        by_table[table.name] = path
    for name, table in TABLES.items():
        found = by_table.get(name)
        if found is None:
            continue
        path = found
        text, problem = _decode(path)
        if problem is not None:
            reader.problems.append(problem)
            continue
        rows = csv.reader(io.StringIO(text, newline=""))
        try:
            reader.read_table(table, path.name, name, rows)
        except csv.Error as exc:
            reader.problems.append(
                Problem(
                    f"is not valid CSV: {exc}.",
                    Location(path.name, sheet=name, row=rows.line_num),
                    hint="save the sheet again as 'CSV UTF-8'.",
                )
            )
    return reader.raws, reader.problems


def _decode(path: Path) -> tuple[str, Problem | None]:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        first_error = exc
    try:
        # What Excel writes for "CSV (逗号分隔)" on Chinese Windows.
        return data.decode("gb18030"), None
    except UnicodeDecodeError:
        return "", Problem(
            f"is not UTF-8 text (byte {first_error.start}).",
            Location(path.name),
            hint="save the file as 'CSV UTF-8'.",
        )


def write_csv_folder(workspace: Workspace, folder: Path) -> list[Path]:
    """Write one CSV file per table (see the module documentation); return them.

    Files are UTF-8 with a byte-order mark so Excel reads Chinese correctly.
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
