"""The journal on a workspace stored in Neo4j: ``log``, ``assess``, ``act``, the imports.

Each function builds its record as the file journal does (:mod:`stakegraph.io.journal`,
names resolved in the pulled workspace), then writes it in one transaction with
:func:`~stakegraph.engines.neo4j_team.append_records` or
:func:`~stakegraph.engines.neo4j_team.update_record`, so the checks and messages are
those of the files and a stale change is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from stakegraph.engines.neo4j_team import (
    Store,
    TeamWrite,
    Update,
    append_records,
    pull_with_versions,
    stored_fields,
    update_record,
    write_records,
)
from stakegraph.errors import WorkspaceInvalid
from stakegraph.records.model import Action, Assessment, Interaction, Record
from stakegraph.records.workspace import Workspace


def log_interaction(
    store: Store, workspace_id: str, ws: Workspace, **fields: Any
) -> tuple[Interaction, TeamWrite]:
    """Add one interaction, built by :func:`stakegraph.io.journal.build_interaction` on
    ``ws`` (the pulled workspace); without ``record_id`` the next free id is taken."""
    from stakegraph.io.journal import build_interaction

    record = build_interaction(ws, **fields)
    done = append_records(store, workspace_id, [record], allocate_ids=not fields.get("record_id"))
    if done.ids[0] != record.id:
        record = record.model_copy(update={"id": done.ids[0]})
    return record, done


def import_interactions(
    store: Store, workspace_id: str, ws: Workspace, source: Path
) -> tuple[list[Interaction], TeamWrite]:
    """Add every interaction of a CSV file or workbook; problems point at its cells."""
    from stakegraph.io.journal import located, participants_named, read_interactions

    records, rows = read_interactions(source)
    named = participants_named(ws, records, rows)
    try:
        return list(named), append_records(store, workspace_id, named)
    except WorkspaceInvalid as exc:
        raise located(_without_server(exc), rows) from None


def import_surveys(
    store: Store, workspace_id: str, ws: Workspace, results: Path
) -> tuple[list[Record], TeamWrite]:
    """Add the surveys of a results file; problems point at its rows and columns."""
    from stakegraph.io.survey_import import locate_problems, read_survey_results

    found = read_survey_results(results, ws)
    try:
        return list(found.surveys), append_records(store, workspace_id, found.surveys)
    except WorkspaceInvalid as exc:
        raise locate_problems(_without_server(exc), found.rows) from None


def _without_server(exc: WorkspaceInvalid) -> WorkspaceInvalid:
    """The problems with no location, so an import can point them at its file."""
    from dataclasses import replace

    return WorkspaceInvalid([replace(p, location=None) for p in exc.problems])


def set_action_status(
    store: Store,
    workspace_id: str,
    action_id: str,
    *,
    mark_done: bool = False,
    status: str | None = None,
    day: Any = None,
    today: Any = None,
    on_read: Callable[[Workspace], object] | None = None,
) -> tuple[Action, str, TeamWrite]:
    """Change the status (and done day) of one stored action, refused when stale.

    The action is read with its version; the change is written only if nobody changed
    it since (:func:`update_record`). Returns the action as written, how to say the
    change (as :func:`stakegraph.io.journal.set_action_status` does) and the write.
    ``on_read`` is called with the workspace as read (a command settles its language).
    """
    from stakegraph.io.journal import status_change, status_target

    target = status_target(mark_done, status, action_id)
    ws, versions = pull_with_versions(store, workspace_id)
    if on_read is not None:
        on_read(ws)
    where = f"workspace '{workspace_id}' at {store.uri}"
    changes, shown = status_change(ws, action_id, target, day=day, today=today, where=where)
    action = ws.actions[action_id]
    updated = type(action).model_validate({**action.model_dump(), **changes})
    base = stored_fields(action)
    done = update_record(store, workspace_id, updated, versions[f"Action:{action_id}"], base)
    return updated, shown, done


def record_assessment(
    store: Store,
    workspace_id: str,
    ws: Workspace,
    versions: dict[str, int],
    record: Assessment,
) -> tuple[Assessment, TeamWrite, bool]:
    """Add an assessment, or update the one its owner made of that person that day.

    ``ws`` and ``versions`` are the workspace as pulled (:func:`pull_with_versions`).
    On an update the scores, level, source and notes given replace those of the
    stored assessment and the others stay, as a later assessment's would carry over;
    the write is refused if someone changed that assessment since the pull. Returns
    the record written, the write, and whether it was an update.
    """
    existing = ws.assessments.get(record.id)
    if existing is None:
        return record, append_records(store, workspace_id, [record]), False
    given = {k: v for k, v in record.model_dump().items() if v is not None}
    merged = Assessment.model_validate({**existing.model_dump(), **given})
    version = versions.get(f"Assessment:{record.id}", 0)
    done = update_record(store, workspace_id, merged, version, stored_fields(existing))
    return merged, done, True


#: What a plan saved again on its day keeps of the action saved first: the progress.
KEPT_ON_RESAVE = ("status", "done", "notes")


def save_plan(
    store: Store, workspace_id: str, ws: Workspace, actions: list[Action]
) -> tuple[list[Action], list[str], TeamWrite]:
    """Add a plan's actions in one transaction; those saved before update theirs.

    An action whose id is taken is the same plan saved again on its day: its owner,
    text, due day and baseline become the new plan's, its status, done day and notes
    (:data:`KEPT_ON_RESAVE`) stay. Each such update is refused, with nothing written,
    if that action changed on the server since ``ws`` was read: its version is read
    first and, in the transaction, both it and the fields of ``ws`` are compared with
    the stored ones. Returns the actions as written, the ids updated and the write.
    """
    taken = [a.id for a in actions if a.id in ws.actions]
    versions = _versions(store, workspace_id, "Action", taken) if taken else {}
    new, updates, written = [], [], []
    for action in actions:
        old = ws.actions.get(action.id)
        if old is None:
            new.append(action)
            written.append(action)
            continue
        kept = {name: getattr(old, name) for name in KEPT_ON_RESAVE}
        again = Action.model_validate({**action.model_dump(), **kept})
        updates.append(Update(again, versions.get(action.id), stored_fields(old)))
        written.append(again)
    done = write_records(store, workspace_id, new, updates)
    return written, [u.record.id for u in updates], done


def _versions(store: Store, workspace_id: str, label: str, ids: list[str]) -> dict[str, int]:
    """The stored versions of some records of one label (one read)."""
    from stakegraph.engines.neo4j_properties import VERSION, query_label

    rows = store.read(
        f"MATCH (n:{query_label(label)}) WHERE n.workspace = $workspace AND n.id IN $ids "
        f"RETURN n.id AS id, n.{VERSION} AS version",
        workspace=workspace_id,
        ids=ids,
    )
    return {row["id"]: int(row["version"] or 0) for row in rows}
