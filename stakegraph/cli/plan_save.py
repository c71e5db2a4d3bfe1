"""``plan --save``: the plan's actions appended to the workspace, in files or in Neo4j."""

from __future__ import annotations

import datetime as dt
from typing import Any

from stakegraph.cli.source import Source
from stakegraph.errors import StakegraphError


def save_plan(
    source: Source, ws: Any, network: Any, opp: str, plan_rows: list, due: dt.date | None
) -> tuple[list[str], list[str], list[Any]]:
    """Append the plan's actions to the workspace (files, or Neo4j in one transaction);
    refuse a plan already saved."""
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
    existing = [a.id for a in actions if a.id in ws.actions]
    if existing:
        more = f" and {len(existing) - 1} more" if len(existing) > 1 else ""
        raise StakegraphError(
            f"this plan was already saved: {workspace} has action '{existing[0]}'{more}; "
            f"nothing was written. Review it with `stakegraph review {workspace}`, or save "
            "a new plan on another day with --as-of."
        )
    if source.neo4j:
        from stakegraph.cli.source import team_store
        from stakegraph.engines.neo4j_team import append_records as append_to_neo4j

        with team_store(source) as (store, workspace_id):
            append_to_neo4j(store, workspace_id, actions)
            where = f"workspace '{workspace_id}' in Neo4j at {store.uri}"
        return [a.id for a in actions], skipped, [where]
    from stakegraph.io.append import append_records

    files = append_records(source.path, actions)  # type: ignore[arg-type]
    return [a.id for a in actions], skipped, files
