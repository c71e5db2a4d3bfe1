"""The what-if scenario (假设分析) as a JSON document and as table definitions.

:func:`whatif_data` names what :func:`~stakegraph.analysis.whatif.what_if` returns
(the ``--json`` document); :func:`whatif_tables` defines its tables once as
:class:`~stakegraph.views.tables.Table`, for the terminal, HTML and Markdown alike.
"""

from __future__ import annotations

from typing import Any

from stakegraph.analysis.coverage import Gap
from stakegraph.analysis.plan import PlanRow
from stakegraph.analysis.whatif import Change, WhatIf
from stakegraph.records.naming import post_label
from stakegraph.records.workspace import Workspace
from stakegraph.views.tables import Cell, Table

#: Rows of the influence rank moves shown in the table (the JSON has them all).
RANK_MOVES_SHOWN = 15


def describe_change(workspace: Workspace, change: Change) -> str:
    """One change of a scenario in words, with the names in ``workspace``.

    An id that names no record is shown as it is.

    >>> from stakegraph.records.sample import sample_workspace
    >>> describe_change(sample_workspace(), Change("remove_person", "zhao"))
    '赵强 leaves'
    >>> describe_change(sample_workspace(), Change("owner_leaves", "nobody"))
    'owner nobody leaves'
    """

    def name(collection: str, record_id: str | None) -> str:
        record = workspace.records[collection].get(record_id or "")
        return getattr(record, "name", None) or (record_id or "?")

    if change.kind == "remove_person":
        return f"{name('persons', change.subject)} leaves"
    if change.kind == "rotate":
        post = workspace.posts.get(change.target or "")
        where = workspace.organisations[post.org].name + post.title if post else change.target
        return f"{name('persons', change.subject)} rotates to {where}"
    if change.kind == "leave_post":
        post = workspace.posts.get(change.target or "")
        where = post_label(workspace, post.id) if post else change.target
        return f"{name('persons', change.subject)} leaves {where}"
    if change.kind == "owner_leaves":
        return f"owner {name('owners', change.subject)} leaves"
    scores = ", ".join(f"{k} {v:g}" for k, v in change.scores)
    return (
        f"relationship {name('owners', change.subject)} → {name('persons', change.target)} "
        f"set to {scores}"
    )


def _gap(workspace: Workspace, g: Gap) -> dict[str, Any]:
    name = None
    if g.person:
        person = workspace.persons.get(g.person)
        name = person.name if person else g.person
    who = name or (post_label(workspace, g.post) if g.post in workspace.posts else g.post)
    return {
        "kind": g.kind.value,
        "step_name": g.step_name,
        "person": g.person,
        "name": name,
        "post": g.post,
        "who": who,
        "severity": round(g.severity, 4),
        "reason": g.reason,
    }


def _responsible(rows: list[PlanRow]) -> dict[str, str | None]:
    return {r.target: r.responsible for r in rows}


def whatif_data(workspace: Workspace, result: WhatIf) -> dict[str, Any]:
    """A scenario's before and after as one JSON-ready document.

    Parameters
    ----------
    workspace : Workspace
        The workspace as it is, before the changes: names come from it.
    result : WhatIf
        The scenario from :func:`~stakegraph.analysis.whatif.what_if`.

    Returns
    -------
    dict
        ``opportunity``, ``changes`` (in words), ``coverage`` before, after and
        change, ``steps``, ``gaps_added``, ``gaps_removed``, ``rank_changes`` and
        ``plan_changes`` (responsible owners that change).
    """
    before_plan = _responsible(result.plan_before)
    after_plan = _responsible(result.plan_after)
    plan_changes = [
        {
            "target": t,
            "name": workspace.persons[t].name,
            "before": before_plan.get(t),
            "after": after_plan.get(t),
        }
        for t in dict.fromkeys([*before_plan, *after_plan])
        if before_plan.get(t) != after_plan.get(t)
    ]
    step_names = {h.step: h.step_name for h in result.before.holders}
    steps = [
        {
            "step": sid,
            "name": step_names.get(sid, sid),
            "before": round(result.before.steps[sid], 4),
            "after": round(result.after.steps.get(sid, 0.0), 4),
        }
        for sid in result.before.steps
    ]
    return {
        "opportunity": result.before.opportunity,
        "changes": [describe_change(workspace, c) for c in result.changes],
        "coverage": {
            "before": round(result.before.overall, 4),
            "after": round(result.after.overall, 4),
            "change": round(result.after.overall - result.before.overall, 4),
        },
        "steps": steps,
        "gaps_added": [_gap(workspace, g) for g in result.gaps_added],
        "gaps_removed": [_gap(workspace, g) for g in result.gaps_removed],
        "rank_changes": [
            {
                "person": m.person,
                "name": workspace.persons[m.person].name,
                "before": m.before,
                "after": m.after,
            }
            for m in result.rank_changes
        ],
        "plan_changes": plan_changes,
    }


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def whatif_heading(data: dict[str, Any]) -> tuple[str, str]:
    """The scenario in words and the change of coverage, the two lines above its tables.

    >>> whatif_heading({"changes": ["A leaves"],
    ...                 "coverage": {"before": 0.52, "after": 0.5, "change": -0.016}})
    ('A leaves', 'coverage 52% → 50% (-1.6 points)')
    """
    cov = data["coverage"]
    sign = "+" if cov["change"] >= 0 else ""
    return (
        "; ".join(data["changes"]),
        f"coverage {_pct(cov['before'])} → {_pct(cov['after'])} "
        f"({sign}{100 * cov['change']:.1f} points)",
    )


def steps_table(data: dict[str, Any]) -> Table:
    """Coverage of each step of the chain before and after the changes."""
    table = Table(
        key="whatif-steps", title="coverage per step", columns=["step", "before", "after"]
    )
    for step in data["steps"]:
        table.rows.append(
            [Cell(step["name"]), Cell(_pct(step["before"])), Cell(_pct(step["after"]))]
        )
    return table


def gap_change_table(gaps: list[dict[str, Any]], opened: bool) -> Table:
    """The gaps the changes open (``opened``) or close."""
    table = Table(
        key="whatif-gaps-opened" if opened else "whatif-gaps-closed",
        title="gaps that open" if opened else "gaps that close",
        columns=["kind", "step", "who", "reason"],
    )
    for gap in gaps:
        table.rows.append(
            [
                Cell(gap["kind"], "gaps", (gap["kind"],)),
                Cell(gap["step_name"]),
                Cell(gap["who"] or ""),
                Cell(gap["reason"]),
            ]
        )
    return table


def rank_moves_table(moves: list[dict[str, Any]]) -> Table:
    """The first :data:`RANK_MOVES_SHOWN` influence rank moves; "gone" for a person who left."""
    table = Table(
        key="whatif-ranks", title="influence rank moves", columns=["person", "before", "after"]
    )
    for row in moves[:RANK_MOVES_SHOWN]:
        table.rows.append(
            [
                Cell(row["name"]),
                Cell(str(row["before"])),
                Cell(str(row["after"]) if row["after"] else "gone"),
            ]
        )
    return table


def plan_changes_table(changes: list[dict[str, Any]]) -> Table:
    """Targets of the plan whose responsible owner changes (owner ids; — for none)."""
    table = Table(
        key="whatif-plan",
        title="plan: responsible owner changes",
        columns=["target", "before", "after"],
    )
    for row in changes:
        table.rows.append(
            [Cell(row["name"]), Cell(row["before"] or "—"), Cell(row["after"] or "—")]
        )
    return table


def whatif_tables(data: dict[str, Any]) -> list[Table]:
    """The scenario's tables in print order: coverage per step, then those with rows of
    gaps that open, gaps that close, influence rank moves and plan changes."""
    tables = [
        steps_table(data),
        gap_change_table(data["gaps_added"], opened=True),
        gap_change_table(data["gaps_removed"], opened=False),
        rank_moves_table(data["rank_changes"]),
        plan_changes_table(data["plan_changes"]),
    ]
    return tables[:1] + [t for t in tables[1:] if t.rows]
