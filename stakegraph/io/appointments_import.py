"""``stakegraph import appointments``: an appointments table into a new or existing workspace.

The table is read (:mod:`stakegraph.io.appointments`), merged into the
workspace (:mod:`stakegraph.io.appointments_merge`), and the whole result is
validated; on any problem nothing is written. A new workspace is written like
``convert`` writes one; an existing one gets the files of the record types that
changed rewritten under its writer lock (:mod:`stakegraph.io.rewrite`). A
re-run with the same table finds nothing to change and writes nothing, so every
file stays byte for byte as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stakegraph._gc import gc_paused
from stakegraph.config import Settings, load_settings
from stakegraph.errors import ImportInvalid, Problem, StakegraphError
from stakegraph.io import detect_format, load_workspace, save_workspace
from stakegraph.io.appointments import Mapping, read_appointments
from stakegraph.io.appointments_merge import KINDS, Change, merge_appointments
from stakegraph.io.lock import workspace_lock
from stakegraph.io.rewrite import plan_rewrite, write_planned
from stakegraph.records.validate import check_workspace
from stakegraph.records.workspace import Workspace


@dataclass
class ImportResult:
    """What an import did (or, with ``dry_run``, would do)."""

    workspace: Path
    source: str
    created: bool
    dry_run: bool
    changes: list[Change] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    rows: int = 0
    merged: Workspace | None = None

    def counts(self) -> dict[str, dict[str, int]]:
        """``{kind: {"added": n, "changed": m}}`` for every kind of record."""
        out = {kind: {"added": 0, "changed": 0, "removed": 0} for kind in KINDS}
        for change in self.changes:
            out[change.kind][change.action] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "workspace": str(self.workspace),
            "source": self.source,
            "rows": self.rows,
            "created": self.created,
            "dry_run": self.dry_run,
            "written": [str(p) for p in self.written],
            "counts": self.counts(),
            "changes": [c.to_dict() for c in self.changes],
            "notes": [n.to_dict() for n in self.notes],
            "warnings": [w.to_dict() for w in self.warnings],
        }


def _exists(path: Path) -> bool:
    if path.is_dir():
        return any(path.iterdir())
    return path.exists()


def import_appointments(
    workspace: Path | str,
    source: Path | str,
    *,
    mapping: Mapping | None = None,
    default_grade: int | str | None = None,
    fmt: str | None = None,
    settings_file: Path | None = None,
    dry_run: bool = False,
    lock_timeout: float | None = None,
) -> ImportResult:
    """Import an appointments table into ``workspace`` (created when missing or empty).

    Parameters
    ----------
    workspace : a workspace folder (YAML or CSV) or ``.xlsx`` workbook; when it
        does not exist (or is an empty folder) a new one is written.
    source : the appointments table, ``.csv`` or ``.xlsx``.
    mapping : column names, rank words and a default grade beyond the defaults.
    default_grade : grade of new posts whose rows give no rank (overrides the
        mapping's).
    fmt : format of a new workspace ('yaml', 'csv', 'xlsx'; default: xlsx for a
        ``*.xlsx`` path, else yaml). An existing workspace keeps its format.
    settings_file : a ``stakegraph.toml`` for a new workspace (its grade scale
        reads the ranks, and it is copied in).
    dry_run : compute and validate everything, write nothing.
    lock_timeout : seconds to wait for another writer (see :mod:`stakegraph.io.lock`).

    Returns
    -------
    ImportResult
        The changes by kind, notes, the workspace's warnings (handover
        overlaps) and the files written.

    Raises
    ------
    ImportInvalid
        Problems of the table or of the merged workspace, each located by file,
        row and column; nothing is written.
    WorkspaceInvalid
        The existing workspace does not load; nothing is written.

    Notes
    -----
    Cost: reading the table and merging are linear in rows and records; the
    merged workspace is validated once, and an existing one is read once
    before and once after writing.
    """
    workspace, source = Path(workspace), Path(source)
    mapping = mapping or Mapping()
    grade = default_grade if default_grade is not None else mapping.default_grade
    created = not _exists(workspace)
    if created and fmt is None:
        fmt = "xlsx" if workspace.suffix.lower() == ".xlsx" else "yaml"
    if not created and settings_file is not None:
        raise StakegraphError(
            f"{workspace}: already has its settings; --settings applies to a new workspace only."
        )
    with workspace_lock(workspace, lock_timeout) as lock:
        if created:
            settings: Settings = (
                load_settings(settings_file) if settings_file else load_settings(None)
            )
            before = Workspace(settings, workspace.stem or workspace.name)
            if settings_file is not None:
                before.settings_text = settings_file.read_text(encoding="utf-8")
        else:
            before = load_workspace(workspace)
            existing = detect_format(workspace)
            if fmt is not None and fmt != existing:
                raise StakegraphError(
                    f"{workspace}: is a {existing} workspace; --to applies to a new workspace only."
                )
            fmt = existing
        table = read_appointments(source, before.settings, mapping)
        with gc_paused():
            merge = merge_appointments(before, table, grade)
        if merge.problems:
            raise ImportInvalid(_ordered(merge.problems))
        after = merge.workspace
        with gc_paused():
            problems = check_workspace(after)
        errors = [p for p in problems if not p.is_warning]
        warnings = [p for p in problems if p.is_warning]
        if errors:
            raise ImportInvalid(_ordered(errors), warnings)
        result = ImportResult(
            workspace,
            table.source,
            created,
            dry_run,
            merge.changes,
            table.notes + merge.notes,
            warnings,
            rows=len(table.rows),
            merged=after,
        )
        if dry_run or not merge.changes:
            return result
        assert fmt is not None
        with gc_paused():
            if created:
                result.written = save_workspace(after, workspace, fmt)
            else:
                plans = plan_rewrite(workspace, fmt, before, after, merge.collections)
                result.written = write_planned(lock, workspace, plans, after, merge.collections)
        return result


def _ordered(problems: list[Problem]) -> list[Problem]:
    """Problems in reading order: by file, then row, then column."""

    def key(p: Problem) -> tuple:
        loc = p.location
        if loc is None:
            return ("", 0, 0, "")
        return (loc.file, loc.row or loc.line or 0, len(loc.column or ""), loc.column or "")

    return sorted(problems, key=key)


__all__ = ["ImportResult", "import_appointments"]
