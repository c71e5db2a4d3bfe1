"""Tables of the follow-up: progress against the plan, and what needs correcting.

Defined once as :class:`~stakegraph.views.tables.Table`, like the report's tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from stakegraph.views.labels import holder_name
from stakegraph.views.language import current_language, percent
from stakegraph.views.tables import Cell, Table


def _cover(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _holders(names: list[str], acting: list[str]) -> str:
    """The holders of a role, acting heads flagged; 空缺 when nobody fills it."""
    return ", ".join(holder_name(n, n in acting) for n in names) or "空缺 vacant"


def _pct(value: float | None) -> str:
    return percent(value, 1)


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


def correction_lines(actions: list[dict[str, Any]]) -> list[str]:
    """需纠偏: one line per reason an action needs correcting, naming target, owner and id.

    >>> correction_lines([{"id": "a1", "person_name": "王芳", "org_name": None,
    ...     "owner_name": "小刘", "owner": "liu",
    ...     "reasons": [{"label": "逾期 overdue", "text": "due 2026-11-01"}]}])
    ['  • 王芳 (小刘, a1) 逾期 overdue: due 2026-11-01']
    """
    lines = []
    for row in actions:
        target = row["person_name"] or row["org_name"] or ""
        who = f"{target} ({row['owner_name'] or row['owner']}, {row['id']})"
        lines += [f"  • {who} {r['label']}: {r['text']}" for r in row["reasons"]]
    return lines


def _points(change: float | None) -> str:
    if change is None:
        return "—"
    return f"{'+' if change >= 0 else ''}{100 * change:.1f} pts"


def diff_heading(data: dict[str, Any]) -> str:
    """变化: the two days (or workspaces) a diff compares."""
    label = "what changed" if current_language() == "en" else "变化 what changed"
    if data["mode"] == "dates":
        return f"{label}: {data['from']} → {data['to']}"
    return f"{label}: {data['before']} → {data['after']} (as of {data['to']})"


def diff_tables(data: dict[str, Any]) -> list[Table | str]:
    """The tables of a diff, one per kind of change that happened, in reading order.

    An opportunity's tables follow a line (a ``str``) naming it and its coverage
    before and after.
    """
    out: list[Table | str] = []

    def table(title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        if rows:
            key = "diff-" + str(len(out))
            out.append(
                Table(
                    key=key,
                    title=title,
                    columns=list(columns),
                    rows=[[Cell(str(c)) for c in row] for row in rows],
                )
            )

    table(
        "机构改革 reforms",
        ("day", "what changed 变化"),
        [(r["day"], r[current_language()]) for r in data.get("reforms", [])],
    )
    table(
        "轮岗 rotations",
        ("date", "person", "change", "post"),
        [
            (
                r["date"] or "—",
                holder_name(r["name"], r.get("acting", False)),
                r["change_label"],
                r["post_label"],
            )
            for r in data["rotations"]
        ],
    )
    table(
        "结构变化 structure (汇报关系、分管、块、条)",
        ("date", "kind", "from", "change", "to"),
        [
            (c["date"], c["kind_label"], c["source_label"], c["change_label"], c["target_label"])
            for c in data.get("structure", [])
        ],
    )
    table(
        "关系层级变化 relationship levels",
        ("owner", "person", "before", "after", "", "strength"),
        [
            (
                c["owner_name"],
                c["person_name"],
                c["before_label"],
                c["after_label"],
                "↑ up" if c["direction"] == "up" else "↓ down",
                f"{c['strength_before']:.2f} → {c['strength_after']:.2f}",
            )
            for c in data["level_changes"]
        ],
    )
    for key, title in (
        ("relationships_added", "新增关系 relationships added"),
        ("relationships_removed", "移除关系 relationships removed"),
    ):
        table(
            title,
            ("owner", "person", "since", "level"),
            [(x["a_name"], x["b_name"], x["since"] or "—", x["detail"]) for x in data[key]],
        )
    for key, title in (
        ("ties_added", "新增非正式关系 ties added"),
        ("ties_removed", "移除非正式关系 ties removed"),
    ):
        table(
            title,
            ("person", "person", "since", "kind"),
            [(x["a_name"], x["b_name"], x["since"] or "—", x["detail"]) for x in data[key]],
        )
    for opp in data["opportunities"]:
        out.append(
            f"{'opportunity' if current_language() == 'en' else '商机'} {opp['name']} "
            f"({opp['opportunity']}): coverage "
            f"{_pct(opp['coverage_before'])} → {_pct(opp['coverage_after'])} "
            f"({_points(opp['coverage_change'])})"
        )
        table(
            "覆盖 coverage per step",
            ("step", "before", "after", "change"),
            [
                (s["name"], _pct(s["before"]), _pct(s["after"]), _points(s["change"]))
                for s in opp["steps"]
                if s["change"] != 0
            ],
        )
        table(
            "角色人员变化 role holders",
            ("step", "post", "before", "after"),
            [
                (
                    h["step_name"],
                    h["post_label"] or "—",
                    _holders(h["before"], h.get("acting_before", [])),
                    _holders(h["after"], h.get("acting_after", [])),
                )
                for h in opp["holders"]
            ],
        )
        moved = [r for r in opp["ranks"] if r["change"] != 0]
        table(
            f"影响力排名 influence ranks (top {data['top']} and role holders that moved)",
            ("person", "before", "after", "move"),
            [
                (
                    r["name"],
                    str(r["before"] or "—"),
                    str(r["after"] or "—"),
                    _rank_move(r, data["top"]),
                )
                for r in moved
            ],
        )
    return out


def _rank_move(row: dict[str, Any], top: int) -> str:
    text = "" if row["change"] is None else f"{'+' if row['change'] > 0 else ''}{row['change']}"
    if row["top_after"] and not row["top_before"]:
        text += f" entered top {top}"
    elif row["top_before"] and not row["top_after"]:
        text += f" left top {top}"
    return text.strip()
