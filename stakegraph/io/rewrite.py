"""Writing whole record types of a workspace in place, for imports that change records.

Appending (:mod:`stakegraph.io.append`) and single-field edits
(:mod:`stakegraph.io.update`) keep every byte a person typed. An import that
adds tenures to existing persons, raises a post's seats or removes derived
ties changes nested lists and whole records, so it rewrites the files of the
record types it changes, and only those:

- YAML: ``<collection>.yaml`` is written as ``convert`` writes it (comments in
  that file are not kept). Records of that type kept in another file (a file
  of sections) are refused: move them into ``<collection>.yaml`` first.
- CSV: the record type's table and its child table (``persons.csv`` and
  ``tenures.csv``) are written in the file's own encoding (UTF-8, with a
  byte-order mark when it had one or is new, or GB18030).
- xlsx: the workbook is written anew, with its settings sheet.

The writes go through the workspace's writer lock and undo journal
(:mod:`stakegraph.io.lock`): the workspace is read and validated under the lock,
the new files are written atomically, and the workspace is read back and must
hold exactly the new records, or every file is restored.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path

from stakegraph.errors import StakegraphError
from stakegraph.io import load_workspace
from stakegraph.io.atomic import scratch_file
from stakegraph.io.cells import _csv_cell
from stakegraph.io.lock import WorkspaceLock
from stakegraph.io.tabular import TABLES, _table_rows
from stakegraph.io.xlsx_book import write_xlsx
from stakegraph.io.yaml_folder import collection_yaml
from stakegraph.records.workspace import Workspace

#: A planned write: the file, its new bytes.
Write = tuple[Path, bytes]


def plan_rewrite(
    path: Path, fmt: str, before: Workspace, after: Workspace, collections: Iterable[str]
) -> list[Write]:
    """The files to write so that the workspace at ``path`` holds ``after``.

    Parameters
    ----------
    path : the workspace folder or workbook, holding ``before``.
    fmt : its format ('yaml', 'csv' or 'xlsx').
    before : the workspace as loaded (its record locations name the files).
    after : the workspace to write.
    collections : the record types that changed.

    Raises
    ------
    StakegraphError
        Records of a changed type live in a file that cannot be rewritten alone.
    """
    collections = sorted(set(collections))
    if not collections:
        return []
    if fmt == "xlsx":
        return [(path, _xlsx_bytes(path, after))]
    if fmt == "yaml":
        return [_yaml_plan(path, before, after, c) for c in collections]
    plans: list[Write] = []
    tables = _table_rows(after)
    for name, table in TABLES.items():
        owner = table.parent or name
        if owner in collections:
            plans.append(_csv_plan(path, name, tables[name]))
    return plans


def _yaml_plan(folder: Path, before: Workspace, after: Workspace, collection: str) -> Write:
    target = folder / f"{collection}.yaml"
    if not target.is_file() and (folder / f"{collection}.yml").is_file():
        target = folder / f"{collection}.yml"
    elsewhere = sorted(
        {
            raw.location.file
            for (c, _), raw in before.locations.items()
            if c == collection and raw.location.file != target.name
        }
    )
    if elsewhere:
        raise StakegraphError(
            f"{folder}: the {collection} are kept in {', '.join(elsewhere)}, which also holds "
            f"other records; move the {collection} into {target.name} (a list of them) and "
            "try again. Nothing was written."
        )
    text = collection_yaml(after, collection) if after.records[collection] else "[]\n"
    return target, text.encode("utf-8")


def _csv_plan(folder: Path, name: str, rows: Iterable[list]) -> Write:
    target = next(
        (
            p
            for p in sorted(folder.iterdir())
            if p.suffix.lower() == ".csv" and p.is_file() and p.stem.strip().lower() == name
        ),
        folder / f"{name}.csv",
    )
    encoding = "utf-8-sig"
    if target.is_file():
        raw = target.read_bytes()
        if raw and not raw.startswith(b"\xef\xbb\xbf"):
            try:
                raw.decode("utf-8")
                encoding = "utf-8"
            except UnicodeDecodeError:
                encoding = "gb18030"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TABLES[name].columns)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return target, out.getvalue().encode(encoding)


def _xlsx_bytes(path: Path, workspace: Workspace) -> bytes:
    tmp = scratch_file(path)
    try:
        write_xlsx(workspace, tmp, workspace.settings_text, label=path.name)
        return tmp.read_bytes()
    finally:
        tmp.unlink(missing_ok=True)


def write_planned(
    lock: WorkspaceLock,
    path: Path,
    plans: list[Write],
    after: Workspace,
    collections: Iterable[str],
) -> list[Path]:
    """Write ``plans`` under ``lock``; read back, and restore everything unless the
    workspace then holds the records of ``collections`` exactly as in ``after``."""
    collections = list(collections)

    def differs() -> str | None:
        try:
            again = load_workspace(path)
        except StakegraphError as exc:
            return str(exc).splitlines()[0]
        for collection in collections:
            if again.records[collection] != after.records[collection]:
                return f"the {collection}"
        return None

    problem = lock.write_files(plans, differs)
    if problem:
        raise StakegraphError(
            f"{path}: the workspace did not read back as written ({problem}); the files were "
            "restored and nothing was changed."
        )
    return [target for target, _ in plans]


def same_bytes(plans: list[Write]) -> bool:
    """Whether every planned file already holds exactly its new bytes."""
    return all(os.path.isfile(t) and Path(t).read_bytes() == data for t, data in plans)


__all__ = ["Write", "plan_rewrite", "same_bytes", "write_planned"]
