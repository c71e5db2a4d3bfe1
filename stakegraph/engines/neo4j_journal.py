"""The journal on a workspace stored in Neo4j: ``log``, ``assess``, ``act``, the imports.

Each function builds its record as the file journal does (:mod:`stakegraph.io.journal`,
names resolved in the pulled workspace), then writes it in one transaction with
:func:`~stakegraph.engines.neo4j_team.append_records` or
:func:`~stakegraph.engines.neo4j_team.update_record`, so the checks and messages are
those of the files and a stale change is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stakegraph.engines.neo4j_team import (
    Store,
    TeamWrite,
    append_records,
    node_writes,
    pull_with_versions,
    record_fields,
    update_record,
)
from stakegraph.errors import WorkspaceInvalid
from stakegraph.records.model import Action, Interaction, Record
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
) -> tuple[Action, str, TeamWrite]:
    """Change the status (and done day) of one stored action, refused when stale.

    The action is read with its version; the change is written only if nobody changed
    it since (:func:`update_record`). Returns the action as written, how to say the
    change (as :func:`stakegraph.io.journal.set_action_status` does) and the write.
    """
    from stakegraph.engines.neo4j_properties import from_properties
    from stakegraph.io.journal import status_change, status_target

    target = status_target(mark_done, status, action_id)
    ws, versions = pull_with_versions(store, workspace_id)
    where = f"workspace '{workspace_id}' at {store.uri}"
    changes, shown = status_change(ws, action_id, target, day=day, today=today, where=where)
    action = ws.actions[action_id]
    updated = type(action).model_validate({**action.model_dump(), **changes})
    base = record_fields(from_properties(node_writes([action])[0].props))
    done = update_record(store, workspace_id, updated, versions[f"Action:{action_id}"], base)
    return updated, shown, done
