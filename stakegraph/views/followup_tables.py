"""Tables of the follow-up: progress against the plan, and what needs correcting.

Defined once as :class:`~stakegraph.views.tables.Table`, like the report's tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from stakegraph.views.tables import Cell, Table


def _cover(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _short(text: str, limit: int = 60) -> str:
    """The first part of an action's text (plan lines join their parts with ' | ')."""
    head = text.split(" | ")[0]
    return head if len(head) <= limit else head[: limit - 1] + "…"


def review_table(actions: list[dict[str, Any]], day: dt.date) -> Table:
    """行动计划执行: each action's status, evidence, cover then → now and what to correct."""
    table = Table(
        key="review",
        title=f"行动计划执行 progress against the plan — as of {day}",
        columns=[
            "对象 target",
            "责任人 owner",
            "行动 action",
            "状态 status",
            "期限 due",
            "互动 evidence",
            "覆盖 cover then→now",
            "需纠偏 needs correction",
        ],
        numeric=frozenset({5}),
    )
    for row in actions:
        due = str(row["due"] or "—")
        reasons = "\n".join(r["label"] for r in row["reasons"])
        table.rows.append(
            [
                Cell(row["person_name"] or row["org_name"] or ""),
                Cell(row["owner_name"] or row["owner"]),
                Cell(_short(row["action"])),
                Cell(row["status_label"]),
                Cell(f"{due} (+{row['days_overdue']}d)", "bad") if row["overdue"] else Cell(due),
                Cell(str(row["evidence_count"])),
                Cell(f"{_cover(row['baseline_cover'])} → {_cover(row['cover'])}"),
                Cell(reasons, "stance-skeptic") if reasons else Cell("✓", "good"),
            ]
        )
    return table


def review_totals_table(data: dict[str, Any]) -> Table:
    """执行 vs 计划: executed against planned, in total, per opportunity and per owner."""
    table = Table(
        key="review-totals",
        title="执行 vs 计划 executed vs planned",
        columns=["", "planned", "executed", "done", "overdue", "needs correction", "rate"],
        numeric=frozenset(range(1, 7)),
    )

    def add(label: Cell, tally: dict[str, Any]) -> None:
        table.rows.append(
            [
                label,
                *(
                    Cell(str(tally[k]))
                    for k in ("planned", "executed", "done", "overdue", "needs_correction")
                ),
                Cell(_pct(tally["rate"])),
            ]
        )

    add(Cell("合计 total", "step"), data["totals"])
    table.starts.add(len(table.rows))
    for row in data["by_opportunity"]:
        add(Cell(f"商机 {row['name']}" if row["opportunity"] else row["name"]), row)
    table.starts.add(len(table.rows))
    for row in data["by_owner"]:
        add(Cell(f"责任人 {row['name']}"), row)
    return table
