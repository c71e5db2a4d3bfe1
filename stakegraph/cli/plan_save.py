"""``plan --save``: the plan's actions appended to the workspace, in files or in Neo4j."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from stakegraph.cli.source import Source
from stakegraph.errors import StakegraphError


@dataclass
class SavedPlan:
    """What ``plan --save`` wrote: the action ids, the targets skipped, where, and on
    Neo4j the ids of the actions saved before and updated."""

    saved: list[str]
    skipped: list[str]
    written: list[Any]
    neo4j: bool = False
    updated: list[str] = field(default_factory=list)

    def document(self) -> dict[str, Any]:
        """The keys ``plan --save --json`` adds (``updated`` on Neo4j only)."""
        data: dict[str, Any] = {"saved": self.saved, "skipped": self.skipped}
        if self.neo4j:
            data["updated"] = self.updated
        return data


def save_plan(
    source: Source, ws: Any, network: Any, opp: str, plan_rows: list, due: dt.date | None
) -> SavedPlan:
    """Append the plan's actions to the workspace (files, or Neo4j in one transaction).

    A plan already saved on its day is refused in files (the file journal
    only appends; edit actions.yaml to change one), and on Neo4j updates the actions
    saved first, keeping their progress (versioned: a colleague's change since the
    plan was read is refused with what changed).
    """
    from stakegraph.analysis.review import plan_actions

    workspace = source.path or "--neo4j"

    day = network.day
    if due is not None and due < day:
        raise StakegraphError(
            f"--due {due} is before the plan day {day}; give a later date (YYYY-MM-DD)."
        )
    actions, skipped = plan_actions(network, opp, plan_rows, due)
    if not actions:
        raise StakegraphError(
            f"nothing to save: the plan of {opp} on {day} has no target with an owner of ours."
        )
    if source.neo4j:
        # on Neo4j a plan saved again on its day updates the actions saved first
        from stakegraph.cli.source import team_store
        from stakegraph.engines.neo4j_journal import save_plan as save_to_neo4j
        from stakegraph.views.write_lines import team_line

        with team_store(source) as (store, workspace_id):
            written, updated, _ = save_to_neo4j(store, workspace_id, ws, actions)
            where = team_line("wrote", workspace=workspace_id, uri=store.uri)
        return SavedPlan([a.id for a in written], skipped, [where], True, updated)
    existing = [a.id for a in actions if a.id in ws.actions]
    if existing:
        more = f" and {len(existing) - 1} more" if len(existing) > 1 else ""
        raise StakegraphError(
            f"this plan was already saved: {workspace} has action '{existing[0]}'{more}; "
            f"nothing was written. Review it with `stakegraph review {workspace}`, save "
            "a new plan on another day with --as-of, or edit actions.yaml."
        )
    from stakegraph.io.append import append_records

    files = append_records(source.path, actions)  # type: ignore[arg-type]
    return SavedPlan([a.id for a in actions], skipped, files)


def say_saved(saved: SavedPlan, ws: Any, opp: str, day: dt.date, workspace: Any) -> None:
    """The lines ``plan --save`` prints under the plan: what was saved, who was not."""

    from stakegraph.cli.common import echo

    if saved.neo4j:
        from stakegraph.views.write_lines import team_line

        updated = team_line("plan_updated", count=len(saved.updated)) if saved.updated else ""
        said: dict[str, Any] = {
            "count": len(saved.saved),
            "updated": updated,
            "opp": opp,
            "day": day,
        }
        echo(team_line("plan_saved", wrote=saved.written[0], **said))
        _say_skipped(saved, ws)
        return
    from stakegraph.views.write_lines import team_line

    files = ", ".join(str(f) for f in saved.written) or workspace
    said = {"count": len(saved.saved), "opp": opp, "day": day, "files": files}
    updated = f" ({len(saved.updated)} updated)" if saved.updated else ""
    echo(team_line("plan_saved_files", updated=updated, workspace=workspace, **said))
    _say_skipped(saved, ws)


def _say_skipped(saved: SavedPlan, ws: Any) -> None:
    from stakegraph.cli.common import echo

    for pid in saved.skipped:
        echo(
            f"Not saved: {ws.persons[pid].name} ({pid}) has no owner of ours with spare "
            "capacity; raise an owner's capacity or add an owner, then save again.",
            err=True,
        )
