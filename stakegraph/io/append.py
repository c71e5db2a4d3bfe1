"""Add records to a workspace on disk without rewriting what the user typed.

Logging a visit, re-assessing a relationship or saving a plan adds records to a
workspace someone edits by hand, so appending keeps their text:

- YAML: the new records go at the end of ``<collection>.yaml`` (created with a
  short header comment when missing), indented like the records above them;
  every existing byte, comments included, stays as it was.
- CSV: rows are added at the end of ``<collection>.csv`` under its own header, in
  the file's own encoding (UTF-8 with or without BOM, or GB18030 from Chinese
  Excel) and line endings; a column the new rows need is added to the header.
- xlsx: rows are added under the last filled row of the sheet, whose formatting
  stays; a missing sheet is created with a bold, frozen header. Every formula in
  the workbook is written back as the value the spreadsheet application saved
  with it (openpyxl cannot compute formulas, and a formula saved without its value
  would read as empty), so every cell reads back as before.

Surveys hold their item scores in a mapping: YAML writes it as an indented block
(``scores:`` then ``产品质量: 4`` lines), the tables add one ``survey_scores`` row
per item beside the ``surveys`` row, in the same way as above.

The combined workspace is validated first; on any problem nothing is written.
After writing, the workspace is read back and must hold the new records exactly;
if not, every file this writer changed is restored and the problem reported. The
whole cycle holds the workspace's writer lock (:mod:`stakegraph.io.lock`), so two
people logging at once both keep their records.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from pathlib import Path
from typing import Any

import yaml

from stakegraph.errors import StakegraphError, WorkspaceInvalid
from stakegraph.io import detect_format, load_workspace
from stakegraph.io.cells import _csv_cell, _xlsx_cell
from stakegraph.io.common import ordered_fields, record_to_data
from stakegraph.io.lock import WorkspaceLock, workspace_lock
from stakegraph.io.tabular import _DATE_FORMAT, NESTED, TABLES, _child_rows
from stakegraph.io.tabular_periods import dated_fields
from stakegraph.io.xlsx_dress import refresh_name_formulas, shown_value
from stakegraph.io.yaml_folder import _Loader, _PlainDumper
from stakegraph.records.model import Record
from stakegraph.records.validate import check_workspace
from stakegraph.records.workspace import Workspace

_YAML_HEADERS = {
    "interactions": "# 互动记录 interactions：拜访、会议、活动、电话、投诉、签约。\n",
    "assessments": "# 关系复评 assessments：每次重新评估加一条，旧的不改不删。\n",
    "actions": "# 行动计划与改进措施 actions：责任人、对象、期限、状态。\n",
    "surveys": "# 满意度调查 surveys：每次调查一条，scores 下为各项得分 1–5。\n",
}

#: Record types with a nested field that can be appended, and the child table it
#: lives in. Survey scores are one row per item keyed by the survey id; persons'
#: tenures and opportunity chains (steps with derived ids, roles keyed by step) are
#: still edited in the files.
_CHILD_TABLES: dict[str, str] = {"surveys": "survey_scores"}

#: A planned write: the file, its new bytes.
_Write = tuple[Path, bytes]


def append_records(
    path: Path | str, records: Sequence[Record], lock_timeout: float | None = None
) -> list[Path]:
    """Validate ``records`` together with the workspace at ``path``, then append them.

    Parameters
    ----------
    path : a workspace folder (YAML or CSV) or an ``.xlsx`` workbook.
    records : new records of any flat record type (interactions, assessments,
        actions, relationships, ties, ...) or surveys (their scores go to the
        ``survey_scores`` table in CSV and xlsx); their ids must not exist yet.
        Records holding nested lists (persons, opportunities) are refused.
    lock_timeout : seconds to wait while another writer changes the workspace
        (None: ``$STAKEGRAPH_LOCK_TIMEOUT`` or 30 s); see :mod:`stakegraph.io.lock`.

    Returns
    -------
    list of Path
        The files written, one per table (``surveys.csv`` and
        ``survey_scores.csv`` for surveys in a CSV folder; the workbook once).

    Raises
    ------
    WorkspaceInvalid
        The workspace or the combined records have problems; nothing is written.
    StakegraphError
        A duplicate id, a nested record type, or a file that cannot take the new
        records without being rewritten; nothing is written.
    WorkspaceBusy
        Another writer held the workspace for longer than ``lock_timeout``.

    Notes
    -----
    Cost: one load and validation of the workspace before writing and one load
    after, O(size of the workspace); the text of untouched records is not parsed
    again except to check the appended YAML. The whole read, validate and write
    cycle holds the workspace's writer lock, so concurrent writers never lose a
    record.
    """
    path = Path(path)
    fmt = detect_format(path)
    with workspace_lock(path, lock_timeout) as lock:
        return _append_locked(lock, path, fmt, records)


def _append_locked(
    lock: WorkspaceLock, path: Path, fmt: str, records: Sequence[Record]
) -> list[Path]:
    workspace = load_workspace(path)
    combined = _combined(workspace, records)
    by_collection: dict[str, list[Record]] = {}
    for record in records:
        by_collection.setdefault(record.collection, []).append(record)
    if not by_collection:
        return []
    if fmt == "yaml":
        plans = [_yaml_write(path, c, items, combined) for c, items in by_collection.items()]
    elif fmt == "csv":
        plans = [
            plan
            for c, items in by_collection.items()
            for plan in _csv_writes(path, c, items, combined)
        ]
    else:
        plans = [(path, _xlsx_bytes(path, by_collection, combined))]
    _write_all(lock, path, plans, records)
    return [target for target, _ in plans]


def _combined(workspace: Workspace, records: Sequence[Record]) -> Workspace:
    seen: set[tuple[str, str]] = set()
    for record in records:
        key = (record.collection, record.id)
        if record.id in workspace.records[record.collection] or key in seen:
            raise StakegraphError(
                f"{record.noun} '{record.id}' already exists; nothing was written. "
                "Give the new record another id."
            )
        if dated_fields(record):
            raise StakegraphError(
                f"{record.noun} '{record.id}' has dated {', '.join(dated_fields(record))}, "
                "which cannot be appended; nothing was written. Edit the workspace files instead."
            )
        if record.collection in NESTED and record.collection not in _CHILD_TABLES:
            raise StakegraphError(
                f"{record.collection} cannot be appended (they hold nested lists); "
                "edit the workspace files instead."
            )
        seen.add(key)
        workspace.add(record)
    problems = check_workspace(workspace)
    if problems:
        raise WorkspaceInvalid(problems)
    return workspace


def _write_all(
    lock: WorkspaceLock, path: Path, plans: list[_Write], records: Sequence[Record]
) -> None:
    """Write every planned file; restore them all if a write fails or the result differs."""
    problem = _write_checked(lock, plans, lambda: _differs(path, records))
    if problem:
        raise StakegraphError(
            f"{path}: the appended records did not read back as written ({problem}); "
            "the files were restored and nothing was changed. Add the records by hand."
        )


def _write_checked(
    lock: WorkspaceLock, plans: list[_Write], check: Callable[[], str | None]
) -> str | None:
    """Write every planned file under ``lock``, then ``check`` what reads back.

    A write that fails or a ``check`` that names a problem (returned; None: the
    files stay as written) undoes this writer's own change, and only that (see
    :meth:`~stakegraph.io.lock.WorkspaceLock.write_files`). Shared by every writer
    that edits a workspace in place.
    """
    return lock.write_files(plans, check)


def _differs(path: Path, records: Sequence[Record]) -> str | None:
    """Why the workspace on disk does not hold ``records`` as given (None: it does)."""
    try:
        again = load_workspace(path)
    except StakegraphError as exc:
        return str(exc).splitlines()[0]
    for record in records:
        stored = again.records[record.collection].get(record.id)
        if stored != record:
            return f"{record.noun} '{record.id}'"
    return None


# --- YAML ------------------------------------------------------------------------------


class _AppendDumper(_PlainDumper):
    """Writes short lists of ids inline (``owners: [liu-kai, li-an]``), as people type them."""


def _represent_list(dumper: yaml.Dumper, data: list) -> yaml.Node:
    flow = bool(data) and all(isinstance(x, str | int | float) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_AppendDumper.add_representer(list, _represent_list)


def _dump(records: list[Record], workspace: Workspace) -> str:
    items = []
    for record in records:
        data = ordered_fields(record, record_to_data(record, workspace.settings))
        if "notes" in data:  # last, as people write them
            data["notes"] = data.pop("notes")
        items.append(data)
    # the top level stays a block list of records; only lists inside them go inline;
    # a blank line between records, as in the files people type
    return "\n".join(
        yaml.dump(
            [item],
            Dumper=_AppendDumper,
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=False,
            width=100,
        )
        for item in items
    )


def _yaml_write(folder: Path, collection: str, records: list[Record], ws: Workspace) -> _Write:
    target = folder / f"{collection}.yaml"
    if not target.is_file() and (folder / f"{collection}.yml").is_file():
        target = folder / f"{collection}.yml"
    old = target.read_text(encoding="utf-8") if target.is_file() else ""
    existing: Any = None
    indent = 0
    if old.strip():
        try:
            node = yaml.compose(old, Loader=_Loader)
        except yaml.YAMLError as exc:  # load_workspace reads it, so this is rare
            raise StakegraphError(f"{target}: is not valid YAML ({exc}).") from None
        if node is not None and not isinstance(node, yaml.SequenceNode):
            raise StakegraphError(
                f"{target}: holds sections, not a list of {collection}; move the "
                f"{collection} into their own list in {target.name} and try again."
            )
        if isinstance(node, yaml.SequenceNode):
            if node.flow_style or not node.value:
                raise StakegraphError(
                    f"{target}: the list is written in brackets ('[...]'); write it as "
                    "lines starting with '- ' and try again."
                )
            # appended records line up with the ones above them
            indent = node.start_mark.column
        existing = yaml.load(old, Loader=_Loader)
    else:
        old = _YAML_HEADERS.get(collection, "")
    if old and not old.endswith("\n"):
        old += "\n"
    added = _dump(records, ws)
    if indent:
        pad = " " * indent
        added = "".join(pad + line if line.strip() else line for line in added.splitlines(True))
    new = old + ("\n" if old.strip() else "") + added
    # the text must read as the old list followed by the new records, whatever the old
    # text ends with (a document end marker, an open block scalar, ...)
    try:
        reread = yaml.load(new, Loader=_Loader)
    except yaml.YAMLError:
        reread = None
    if reread != (existing or []) + yaml.load(added, Loader=_Loader):
        raise StakegraphError(
            f"{target}: the new records cannot be added at the end of this file without "
            "changing what it says; make sure it ends with the last record of the list "
            "(no '...' line) and try again."
        )
    return target, new.encode("utf-8")


# --- CSV -------------------------------------------------------------------------------


def _needed(records: list[Record], ws: Workspace) -> tuple[list[dict[str, Any]], set[str]]:
    """Each record's data, and the columns at least one of them fills."""
    rows = [record_to_data(record, ws.settings) for record in records]
    filled = {name for data in rows for name, value in data.items() if value not in (None, [])}
    return rows, filled


def _child_needed(
    collection: str, records: list[Record], ws: Workspace
) -> tuple[str, list[dict[str, Any]], set[str]] | None:
    """The child table of ``records``, its rows and filled columns (None: no child table)."""
    name = _CHILD_TABLES.get(collection)
    if name is None:
        return None
    table = TABLES[name]
    # the writer's own rows, so appended rows read like those of a saved workspace
    only = Workspace(ws.settings)
    for record in records:
        only.add(record)
    rows = [
        dict(zip(table.columns, row, strict=True)) for row in _child_rows(only, table, ws.settings)
    ]
    filled = {column for data in rows for column, value in data.items() if value is not None}
    return name, rows, filled


def _csv_writes(
    folder: Path, collection: str, records: list[Record], ws: Workspace
) -> list[_Write]:
    """The writes of one record type: its own table and, for surveys, their scores."""
    rows, filled = _needed(records, ws)
    plans = [_csv_write(folder, collection, rows, filled)]
    child = _child_needed(collection, records, ws)
    if child is not None and child[1]:
        plans.append(_csv_write(folder, *child))
    return plans


def _csv_write(
    folder: Path, name: str, data_rows: list[dict[str, Any]], filled: set[str]
) -> _Write:
    """Rows added at the end of the table's CSV file (created when missing)."""
    table = TABLES[name]
    target = next(
        (
            p
            for p in sorted(folder.iterdir())
            if p.suffix.lower() == ".csv" and p.is_file() and p.stem.strip().lower() == name
        ),
        folder / f"{name}.csv",
    )
    encoding, text = _csv_text(target)
    newline = "\n" if "\n" in text and "\r\n" not in text else "\r\n"

    def line(cells: list[str]) -> str:
        return _csv_line(cells, newline)

    if not text.strip():
        header = list(table.columns)
        text = line(header)
    else:
        text, header = _csv_with_columns(target, text, name, filled)
        if not text.endswith(("\n", "\r")):
            text += newline
    for data in data_rows:
        text += line([_csv_cell(data.get(name)) if name else "" for name in header])
    try:
        return target, text.encode(encoding)
    except UnicodeEncodeError:  # pragma: no cover - GB18030 encodes all of Unicode
        raise StakegraphError(f"{target}: cannot hold the new text in {encoding}.") from None


def _csv_text(target: Path) -> tuple[str, str]:
    """The encoding to write ``target`` back in, and its text ("" when it is missing).

    UTF-8 with or without a byte-order mark, else GB18030; a new file gets the mark,
    so Excel shows Chinese correctly.
    """
    if not target.is_file():
        return "utf-8-sig", ""
    raw = target.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", raw.decode("utf-8-sig")
    try:
        return "utf-8", raw.decode("utf-8")
    except UnicodeDecodeError:
        # what Excel writes for "CSV (逗号分隔)" on Chinese Windows; the reader takes it
        return "gb18030", raw.decode("gb18030")


def _csv_line(cells: list[str], newline: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerow(cells)
    return out.getvalue()


def _csv_with_columns(
    target: Path, text: str, name: str, filled: Iterable[str]
) -> tuple[str, list[str]]:
    """The text with the columns of ``filled`` missing from its header added, and the header.

    Only the header line changes; existing rows simply leave the new columns empty.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [cell.strip() for cell in next(reader)]
    filled = set(filled)
    missing = [c for c in TABLES[name].columns if c in filled and c not in header]
    if missing:
        if reader.line_num != 1:
            raise StakegraphError(
                f"{target}: the header row spans several lines; add the columns "
                f"{', '.join(missing)} by hand and try again."
            )
        end = len(text.splitlines(True)[0].rstrip("\r\n"))
        text = text[:end] + "," + _csv_line(missing, "") + text[end:]
        header += missing
    return text, header


# --- xlsx ------------------------------------------------------------------------------


def _xlsx_bytes(path: Path, by_collection: dict[str, list[Record]], ws: Workspace) -> bytes:
    book = _open_book(path)
    for collection, records in by_collection.items():
        _xlsx_append(book, path, collection, *_needed(records, ws))
        child = _child_needed(collection, records, ws)
        if child is not None and child[1]:
            _xlsx_append(book, path, *child)
    refresh_name_formulas(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _open_book(path: Path) -> Any:
    """The workbook at ``path``, formulas replaced by their saved values.

    Excel, WPS and LibreOffice save each formula with its value (LibreOffice
    writes every yes/no cell as ``=TRUE()``); a workbook written back by openpyxl
    keeps the formula but not the value, which then reads as empty. Taking the
    saved values keeps every cell reading as it did. Refused when saving again
    would lose charts or pictures.
    """
    from stakegraph.io.xlsx_book import open_workbook

    try:
        book = open_workbook(path)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise StakegraphError(
            f"{path}: cannot open the workbook to write into it ({exc}); nothing was "
            "written. Open it in Excel, WPS or LibreOffice and save it again."
        ) from None
    if any(getattr(s, "_charts", None) or getattr(s, "_images", None) for s in book.worksheets):
        raise StakegraphError(
            f"{path}: the workbook holds charts or pictures, which would be lost when "
            "it is written; keep them in another workbook, or make the change by hand."
        )
    return book


def _xlsx_append(
    book: Any, path: Path, name: str, data_rows: list[dict[str, Any]], filled: set[str]
) -> None:
    """Add rows under the last filled row of the table's sheet (created when missing)."""
    from stakegraph.io.xlsx_layout import sheet_name, table_of_sheet

    sheet = next((s for s in book.worksheets if table_of_sheet(s.title) == name), None)
    if sheet is None:
        chinese = any(table_of_sheet(s.title) not in (None, s.title.strip().lower()) for s in book)
        sheet = book.create_sheet(sheet_name(name, "zh" if chinese else "en"))
    header = _xlsx_header(sheet, name, filled)
    last = 1
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if any(v is not None and not (isinstance(v, str) and not v.strip()) for v in row):
            last = number
    for offset, data in enumerate(data_rows, start=1):
        for index, column in enumerate(header, start=1):
            value = data.get(column) if column else None
            if value is not None:
                value = shown_value(sheet, name, column, value)
                _xlsx_set(sheet, path, last + offset, index, column, value)


def _xlsx_header(sheet: Any, name: str, filled: Iterable[str]) -> list[str]:
    """The sheet's header, with the columns of ``filled`` it lacks added in its font.

    An empty sheet gets the header a saved workbook has: bold and frozen.
    """
    from openpyxl.styles import Font

    from stakegraph.io.xlsx_layout import header_code, header_text, table_of_sheet

    table = TABLES[name]
    first = [c.value for c in sheet[1]] if sheet.max_row >= 1 else []
    header = ["" if v is None else header_code(table, str(v)) for v in first]
    while header and not header[-1]:
        header.pop()
    if header:
        filled = set(filled)
        missing = [c for c in table.columns if c in filled and c not in header]
        font = copy(sheet.cell(row=1, column=1).font)
    else:
        missing = list(table.columns)
        font = Font(bold=True)
        sheet.freeze_panes = "A2"
    language = "en" if table_of_sheet(sheet.title) == sheet.title.strip().lower() else "zh"
    for column in missing:
        text = header_text(name, column, language)
        sheet.cell(row=1, column=len(header) + 1, value=text).font = copy(font)
        header.append(column)
    return header


def _xlsx_set(sheet: Any, path: Path, row: int, index: int, column: str, value: Any) -> None:
    """Set one cell to a field's value: text stays text, dates show as dates."""
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import IllegalCharacterError

    from stakegraph.io.xlsx_book import check_cell_text, xlsx_text

    value = _xlsx_cell(value)
    where = f"{path.name}: sheet {sheet.title}, row {row}, column {get_column_letter(index)}"
    check_cell_text(value, f"{where} ({column})")
    if isinstance(value, str):
        value = xlsx_text(value)  # a carriage return survives the XML
    try:
        cell = sheet.cell(row=row, column=index, value=value)
    except IllegalCharacterError:
        raise StakegraphError(
            f"{path.name}: sheet {sheet.title}: the text of '{column}' holds control "
            "characters, which a workbook cannot store; remove them."
        ) from None
    if isinstance(value, str) and ((len(value) > 1 and value[0] == "=") or value in ERROR_CODES):
        cell.data_type = "s"  # text, not a formula or an error value
    elif isinstance(value, dt.date):
        cell.number_format = _DATE_FORMAT
