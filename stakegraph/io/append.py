"""Add records to a workspace on disk without rewriting what the user typed.

Logging a visit, re-assessing a relationship or saving a plan adds records to a
workspace someone edits by hand, so appending keeps their text: YAML comments and
layout stay byte for byte (the new records go at the end of
``<collection>.yaml``), workbook formatting stays (rows are added to the sheet).
The combined workspace is validated first; on any problem nothing is written.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ..errors import StakegraphError, WorkspaceInvalid
from ..model import Record
from ..validate import check_workspace
from ..workspace import Workspace
from . import detect_format, load_workspace
from .atomic import write_file_atomically
from .common import ordered_fields, record_to_data
from .tabular import NESTED, TABLES, _csv_cell, _decode, _xlsx_cell
from .yaml_folder import _Loader, _PlainDumper

_YAML_HEADERS = {
    "interactions": "# 互动记录 interactions：拜访、会议、活动、电话、投诉、签约。\n",
    "assessments": "# 关系复评 assessments：每次重新评估加一条，旧的不改不删。\n",
    "actions": "# 行动计划与改进措施 actions：责任人、对象、期限、状态。\n",
}


def append_records(path: Path | str, records: list[Record]) -> list[Path]:
    """Validate ``records`` together with the workspace at ``path``, then append them.

    Parameters
    ----------
    path : a workspace folder (YAML or CSV) or an ``.xlsx`` workbook.
    records : new records (any flat record type: interactions, assessments,
        actions, relationships, ties, ...); ids must not exist yet.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    WorkspaceInvalid
        The workspace or the combined records have problems; nothing is written.
    StakegraphError
        A duplicate id, or a record type that lives in child tables.
    """
    path = Path(path)
    fmt = detect_format(path)
    workspace = load_workspace(path)
    combined = _combined(workspace, records)
    by_collection: dict[str, list[Record]] = {}
    for record in records:
        by_collection.setdefault(record.collection, []).append(record)
    if fmt == "yaml":
        return [_append_yaml(path, c, items, combined) for c, items in by_collection.items()]
    if fmt == "csv":
        return [_rewrite_csv(path, c, combined) for c in by_collection]
    _append_xlsx(path, by_collection, combined)
    return [path]


def _combined(workspace: Workspace, records: list[Record]) -> Workspace:
    seen: set[tuple[str, str]] = set()
    for record in records:
        key = (record.collection, record.id)
        if record.id in workspace.records[record.collection] or key in seen:
            raise StakegraphError(
                f"{record.noun} '{record.id}' already exists; nothing was written. "
                "Give the new record another id."
            )
        if record.collection in NESTED:
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
    # the top level stays a block list of records; only lists inside them go inline
    return "".join(
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


def _append_yaml(folder: Path, collection: str, records: list[Record], ws: Workspace) -> Path:
    target = folder / f"{collection}.yaml"
    old = target.read_text(encoding="utf-8") if target.is_file() else ""
    if old.strip():
        existing = yaml.load(old, Loader=_Loader)
        if existing is not None and not isinstance(existing, list):
            raise StakegraphError(
                f"{target}: holds sections, not a list of {collection}; move the "
                f"{collection} into their own list in {target.name} and try again."
            )
        if old.rstrip().endswith("[]"):
            raise StakegraphError(
                f"{target}: ends with an empty list '[]'; remove it and try again."
            )
    else:
        old = _YAML_HEADERS.get(collection, "")
    if old and not old.endswith("\n"):
        old += "\n"
    separator = "\n" if old.strip() else ""
    write_file_atomically(target, (old + separator + _dump(records, ws)).encode("utf-8"))
    return target


def _rewrite_csv(folder: Path, collection: str, ws: Workspace) -> Path:
    """Rewrite one table's CSV with every record; extra columns the user added stay."""
    target = folder / f"{collection}.csv"
    table = TABLES[collection]
    columns = list(table.columns)
    if target.is_file():
        text, problem = _decode(target)
        if problem is not None:
            raise StakegraphError(f"{target}: {problem.message} Fix: {problem.hint}")
        header = next(csv.reader(io.StringIO(text)), [])
        columns = [c for c in header if c in table.columns] + [
            c for c in table.columns if c not in header
        ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for record in ws.records[collection].values():
        data = record_to_data(record, ws.settings)
        writer.writerow([_csv_cell(data.get(c)) for c in columns])
    write_file_atomically(target, out.getvalue().encode("utf-8-sig"))
    return target


def _append_xlsx(path: Path, by_collection: dict[str, list[Record]], ws: Workspace) -> None:
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    book = load_workbook(path)
    for collection, records in by_collection.items():
        table = TABLES[collection]
        if collection in book.sheetnames:
            sheet = book[collection]
            header = [c.value for c in sheet[1]] if sheet.max_row >= 1 else []
        else:
            sheet = book.create_sheet(collection)
            header = []
        header = [h for h in header if h is not None]
        missing = [c for c in table.columns if c not in header]
        for column in missing:
            cell = sheet.cell(row=1, column=len(header) + 1, value=column)
            cell.font = Font(bold=True)
            header.append(column)
        for record in records:
            data = record_to_data(record, ws.settings)
            row = [_cell(data.get(h)) for h in header]
            sheet.append(row)
    fd, tmp_name = tempfile.mkstemp(suffix=".xlsx", dir=path.parent, prefix=".stakegraph-")
    os.close(fd)
    try:
        book.save(tmp_name)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _cell(value: Any) -> Any:
    return None if value is None else _xlsx_cell(value)
