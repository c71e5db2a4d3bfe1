"""The what-if scenario (假设分析) as a JSON document and as table definitions.

:func:`whatif_data` names what :func:`~stakegraph.analysis.whatif.what_if` returns
(the ``--json`` document); :func:`whatif_tables` defines its tables once as
:class:`~stakegraph.views.tables.Table`, for the terminal, HTML and Markdown alike.
"""

from __future__ import annotations

from typing import Any

from stakegraph.analysis.coverage import Coverage, Gap
from stakegraph.analysis.plan import PlanRow
from stakegraph.analysis.whatif import Change, WhatIf
from stakegraph.graph.relation_filter import applied_filter
from stakegraph.records.model import DIMENSION_LABELS
from stakegraph.records.naming import post_label
from stakegraph.records.workspace import Workspace
from stakegraph.views.language import GONE_LABEL, ShownRow, current_language, shown
from stakegraph.views.phrases import gap_reason
from stakegraph.views.tables import Cell, Table

#: Rows of the influence rank moves shown in the table (the JSON has them all).
RANK_MOVES_SHOWN = 15


def describe_change(workspace: Workspace, change: Change, language: str | None = None) -> str:
    """One change of a scenario in words of ``language`` (default: the run's), with the
    names in ``workspace``.

    An id that names no record is shown as it is.

    >>> from stakegraph.records.sample import sample_workspace
    >>> describe_change(sample_workspace(), Change("remove_person", "zhao"), "en")
    '赵强 leaves'
    >>> describe_change(sample_workspace(), Change("remove_person", "zhao"), "zh")
    '赵强离开'
    >>> describe_change(sample_workspace(), Change("owner_leaves", "nobody"), "en")
    'owner nobody leaves'
    """
    zh = (language or current_language()) == "zh"

    def name(collection: str, record_id: str | None) -> str:
        record = workspace.records[collection].get(record_id or "")
        return getattr(record, "name", None) or (record_id or "?")

    person = name("persons", change.subject)
    if change.kind == "remove_person":
        return f"{person}离开" if zh else f"{person} leaves"
    if change.kind == "rotate":
        post = workspace.posts.get(change.target or "")
        where = workspace.organisations[post.org].name + post.title if post else change.target
        return f"{person}调任{where}" if zh else f"{person} rotates to {where}"
    if change.kind == "leave_post":
        post = workspace.posts.get(change.target or "")
        where = post_label(workspace, post.id) if post else change.target
        return f"{person}离开{where}" if zh else f"{person} leaves {where}"
    owner = name("owners", change.subject)
    if change.kind == "owner_leaves":
        return f"我方{owner}离开" if zh else f"owner {owner} leaves"
    target = name("persons", change.target)
    if zh:
        scores = "、".join(f"{DIMENSION_LABELS[k]} {v:g}" for k, v in change.scores)
        return f"{owner}与{target}的关系设为{scores}"
    scores = ", ".join(f"{k} {v:g}" for k, v in change.scores)
    return f"relationship {owner} → {target} set to {scores}"


def _gap(workspace: Workspace, g: Gap, cover: Coverage) -> dict[str, Any]:
    """A gap as ``--json`` gives it; the table shows its reason phrased in the run's language."""
    name = None
    if g.person:
        person = workspace.persons.get(g.person)
        name = person.name if person else g.person
    who = name or (post_label(workspace, g.post) if g.post in workspace.posts else g.post)
    data = {
        "kind": g.kind.value,
        "step_name": g.step_name,
        "person": g.person,
        "name": name,
        "post": g.post,
        "who": who,
        "severity": round(g.severity, 4),
        "reason": g.reason,
    }
    if cover.network is None:
        return data
    holder = next((h for h in cover.holders if h.step == g.step and h.person == g.person), None)
    return ShownRow(data, {"reason": gap_reason(cover.network, g, holder)})


def _responsible(rows: list[PlanRow]) -> dict[str, str | None]:
    return {r.target: r.responsible for r in rows}


def _owner_name(workspace: Workspace, owner: str | None) -> str | None:
    record = workspace.owners.get(owner or "")
    return record.name if record else owner


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
        ``opportunity``, ``changes`` (in English words), ``coverage`` before, after
        and change, ``steps``, ``gaps_added`` and ``gaps_removed`` (the plain
        differences), ``gap_moves`` (the same gaps sorted: ``opened``, ``closed``,
        ``changed_kind`` as before/after pairs, ``gone_with_owner``,
        ``gone_with_holder``), ``rank_changes`` and ``plan_changes`` (responsible
        owners that change, ids and names), and ``relations`` when the scenario
        read only some ties. The tables show the changes and the gap reasons in the
        run's language.
    """
    before, after = result.before, result.after
    before_plan = _responsible(result.plan_before)
    after_plan = _responsible(result.plan_after)
    plan_changes = [
        {
            "target": t,
            "name": workspace.persons[t].name,
            "before": before_plan.get(t),
            "after": after_plan.get(t),
            "before_name": _owner_name(workspace, before_plan.get(t)),
            "after_name": _owner_name(workspace, after_plan.get(t)),
        }
        for t in dict.fromkeys([*before_plan, *after_plan])
        if before_plan.get(t) != after_plan.get(t)
    ]
    step_names = {h.step: h.step_name for h in before.holders}
    steps = [
        {
            "step": sid,
            "name": step_names.get(sid, sid),
            "before": round(before.steps[sid], 4),
            "after": round(after.steps.get(sid, 0.0), 4),
        }
        for sid in before.steps
    ]
    moves = result.gap_moves
    data = {
        "opportunity": before.opportunity,
        "changes": [describe_change(workspace, c, "en") for c in result.changes],
        "coverage": {
            "before": round(before.overall, 4),
            "after": round(after.overall, 4),
            "change": round(after.overall - before.overall, 4),
        },
        "steps": steps,
        "gaps_added": [_gap(workspace, g, after) for g in result.gaps_added],
        "gaps_removed": [_gap(workspace, g, before) for g in result.gaps_removed],
        "gap_moves": {
            "opened": [_gap(workspace, g, after) for g in moves.opened],
            "closed": [_gap(workspace, g, before) for g in moves.closed],
            "changed_kind": [
                {
                    "before": _gap(workspace, c.before, before),
                    "after": _gap(workspace, c.after, after),
                }
                for c in moves.changed_kind
            ],
            "gone_with_owner": [_gap(workspace, g, before) for g in moves.gone_with_owner],
            "gone_with_holder": [_gap(workspace, g, before) for g in moves.gone_with_holder],
        },
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
    relations = applied_filter(before.network) if before.network is not None else None
    if relations is not None and relations.active:  # only when asked for: defaults unchanged
        data["relations"] = relations.to_dict()
    said = [describe_change(workspace, c) for c in result.changes]
    return ShownRow(data, {"changes": ("；" if current_language() == "zh" else "; ").join(said)})


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def whatif_heading(data: dict[str, Any], language: str | None = None) -> tuple[str, str]:
    """The scenario in words and the change of coverage, the two lines above its tables.

    >>> whatif_heading({"changes": ["A leaves"],
    ...                 "coverage": {"before": 0.52, "after": 0.5, "change": -0.016}}, "en")
    ('A leaves', 'coverage 52% → 50% (-1.6 points)')
    >>> whatif_heading({"changes": ["A leaves"],
    ...                 "coverage": {"before": 0.52, "after": 0.5, "change": -0.016}}, "zh")[1]
    '覆盖率 52% → 50%（-1.6 个百分点）'
    """
    cov = data["coverage"]
    sign = "+" if cov["change"] >= 0 else ""
    changes = getattr(data, "shown", {}).get("changes") or "; ".join(data["changes"])
    moved = f"{_pct(cov['before'])} → {_pct(cov['after'])}"
    points = f"{sign}{100 * cov['change']:.1f}"
    if (language or current_language()) == "zh":
        return changes, f"覆盖率 {moved}（{points} 个百分点）"
    return changes, f"coverage {moved} ({points} points)"


def steps_table(data: dict[str, Any]) -> Table:
    """Coverage of each step of the chain before and after the changes."""
    table = Table(
        key="whatif-steps",
        title="各环节覆盖 coverage per step",
        columns=["环节 step", "之前 before", "之后 after"],
    )
    for step in data["steps"]:
        table.rows.append(
            [Cell(step["name"]), Cell(_pct(step["before"])), Cell(_pct(step["after"]))]
        )
    return table


#: The gap tables of a scenario: key, title and the ``gap_moves`` list each shows.
GAP_MOVE_TABLES = (
    ("whatif-gaps-opened", "新增缺口 gaps that open", "opened"),
    ("whatif-gaps-closed", "关闭的缺口 gaps that close", "closed"),
    ("whatif-gaps-owner", "随我方人员离开而消失的缺口 gaps gone with the owner", "gone_with_owner"),
    (
        "whatif-gaps-holder",
        "随任职者离开而消失的缺口 gaps gone with the holder",
        "gone_with_holder",
    ),
)


def gap_change_table(gaps: list[dict[str, Any]], key: str, title: str) -> Table:
    """Gaps of one kind of move (opened, closed, gone with the owner or the holder)."""
    table = Table(
        key=key, title=title, columns=["缺口 kind", "环节 step", "对象 who", "原因 reason"]
    )
    for gap in gaps:
        table.rows.append(
            [
                Cell(gap["kind"], "gaps", (gap["kind"],)),
                Cell(gap["step_name"]),
                Cell(gap["who"] or ""),
                Cell(shown(gap, "reason")),
            ]
        )
    return table


def kind_change_table(changes: list[dict[str, Any]]) -> Table:
    """Gaps that changed kind on the same holder (WEAK → UNCOVERED), with the new reason."""
    table = Table(
        key="whatif-gaps-changed",
        title="类型改变的缺口 gaps that change kind",
        columns=["之前 before", "之后 after", "环节 step", "对象 who", "原因 reason"],
    )
    for change in changes:
        old, new = change["before"], change["after"]
        table.rows.append(
            [
                Cell(old["kind"], "gaps", (old["kind"],)),
                Cell(new["kind"], "gaps", (new["kind"],)),
                Cell(new["step_name"]),
                Cell(new["who"] or ""),
                Cell(shown(new, "reason")),
            ]
        )
    return table


def rank_moves_table(moves: list[dict[str, Any]]) -> Table:
    """The first :data:`RANK_MOVES_SHOWN` influence rank moves; "gone" for a person who left."""
    table = Table(
        key="whatif-ranks",
        title="影响力排名变化 influence rank moves",
        columns=["人员 person", "之前 before", "之后 after"],
    )
    for row in moves[:RANK_MOVES_SHOWN]:
        table.rows.append(
            [
                Cell(row["name"]),
                Cell(str(row["before"])),
                Cell(str(row["after"]) if row["after"] else GONE_LABEL),
            ]
        )
    return table


def plan_changes_table(changes: list[dict[str, Any]]) -> Table:
    """Targets of the plan whose responsible owner changes, by name (— for none)."""
    table = Table(
        key="whatif-plan",
        title="计划：责任人变化 plan: responsible owner changes",
        columns=["对象 target", "之前 before", "之后 after"],
    )
    for row in changes:
        table.rows.append(
            [
                Cell(row["name"]),
                Cell(row.get("before_name") or row["before"] or "—"),
                Cell(row.get("after_name") or row["after"] or "—"),
            ]
        )
    return table


def whatif_tables(data: dict[str, Any]) -> list[Table]:
    """The scenario's tables in print order: coverage per step, then those with rows of
    gaps that open, that change kind, that close, that go with an owner or a holder,
    influence rank moves and plan changes."""
    moves = data["gap_moves"]
    gap_tables = [
        gap_change_table(moves[field], key, title) for key, title, field in GAP_MOVE_TABLES
    ]
    tables = [
        steps_table(data),
        gap_tables[0],
        kind_change_table(moves["changed_kind"]),
        *gap_tables[1:],
        rank_moves_table(data["rank_changes"]),
        plan_changes_table(data["plan_changes"]),
    ]
    return tables[:1] + [t for t in tables[1:] if t.rows]
