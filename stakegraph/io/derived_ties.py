"""Writing derived ties: add, update and remove the ties whose ``source`` is ``derived``.

The ties are computed by a function given by the caller (the command line passes
:func:`stakegraph.analysis.derived_ties.derive_ties`, which lives above this
layer), called on the workspace as read under the writer lock. Only ties with
``source: derived`` are ever changed or removed; a tie typed by a person (any
other source) is never touched, and no derived tie is kept for a pair and kind
that has one. A second run on the same records finds nothing to change and
writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stakegraph.errors import WorkspaceInvalid
from stakegraph.io import detect_format, load_workspace
from stakegraph.io.appointments_merge import Change, shallow_copy
from stakegraph.io.lock import workspace_lock
from stakegraph.io.rewrite import plan_rewrite, write_planned
from stakegraph.records.model import Tie
from stakegraph.records.validate import check_workspace
from stakegraph.records.workspace import Workspace

#: The source of every tie this module adds.
DERIVED = "derived"


@dataclass
class TieSync:
    """What a run did (or would do): changes, every derived tie after it, files written."""

    changes: list[Change] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    dry_run: bool = False
    skipped_groups: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = {"added": 0, "changed": 0, "removed": 0}
        for change in self.changes:
            out[change.action] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "counts": self.counts(),
            "changes": [c.to_dict() for c in self.changes],
            "ties": [t.model_dump(mode="json", exclude_defaults=True) for t in self.ties],
            "skipped_groups": self.skipped_groups,
            "written": [str(p) for p in self.written],
        }


def _key(tie: Tie) -> tuple[str, str, str]:
    return (min(tie.a, tie.b), max(tie.a, tie.b), tie.kind.value)


def merge_derived(workspace: Workspace, derived: list[Tie]) -> tuple[Workspace, list[Change]]:
    """``workspace`` with its derived ties replaced by ``derived``, and the changes.

    Ties of any other source stay, in their order; a derived tie for a pair and
    kind that has such a tie is dropped. Kept derived ties stay where they are,
    new ones follow in id order.
    """
    typed = {_key(t) for t in workspace.ties.values() if t.source != DERIVED}
    wanted = {t.id: t for t in derived if _key(t) not in typed}
    after = shallow_copy(workspace)
    ties: dict[str, Tie] = {}
    changes: list[Change] = []
    for tie_id, tie in workspace.ties.items():
        if tie.source != DERIVED:
            ties[tie_id] = tie
            continue
        new = wanted.pop(tie_id, None)
        if new is None:
            changes.append(Change("tie", "removed", tie_id, (), tie.notes or ""))
            continue
        if new != tie:
            fields = [name for name in Tie.model_fields if getattr(new, name) != getattr(tie, name)]
            changes.append(Change("tie", "changed", tie_id, tuple(fields), new.notes or ""))
        ties[tie_id] = new
    for tie_id in sorted(wanted):
        ties[tie_id] = wanted[tie_id]
        changes.append(Change("tie", "added", tie_id, (), wanted[tie_id].notes or ""))
    after.records["ties"] = dict(ties)
    return after, changes


def sync_derived_ties(
    path: Path | str,
    derive: Callable[[Workspace], tuple[list[Tie], dict[str, int]]] | None,
    *,
    dry_run: bool = False,
    lock_timeout: float | None = None,
) -> TieSync:
    """Bring the derived ties of the workspace at ``path`` up to date with ``derive``.

    Parameters
    ----------
    path : a workspace folder or workbook.
    derive : called with the workspace read under the lock; returns the derived
        ties and the tag groups it left out. None removes every derived tie.
    dry_run : compute and validate, write nothing.
    lock_timeout : seconds to wait for another writer.

    Raises
    ------
    WorkspaceInvalid
        The workspace, or the workspace with the new ties, has problems;
        nothing is written.
    """
    path = Path(path)
    fmt = detect_format(path)
    with workspace_lock(path, lock_timeout) as lock:
        before = load_workspace(path)
        derived, skipped = derive(before) if derive is not None else ([], {})
        after, changes = merge_derived(before, derived)
        problems = [p for p in check_workspace(after) if not p.is_warning]
        if problems:
            raise WorkspaceInvalid(problems)
        result = TieSync(
            changes,
            [t for t in after.ties.values() if t.source == DERIVED],
            dry_run=dry_run,
            skipped_groups=skipped,
        )
        if dry_run or not changes:
            return result
        plans = plan_rewrite(path, fmt, before, after, ["ties"])
        result.written = write_planned(lock, path, plans, after, ["ties"])
        return result


__all__ = ["DERIVED", "TieSync", "merge_derived", "sync_derived_ties"]
