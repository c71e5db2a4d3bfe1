"""Tables of the book of accounts that commands print: satisfaction, relationship kinds,
the portfolio and the dark horses.

Defined once as :class:`~stakegraph.views.tables.Table`, like the report's tables, and
rendered by :func:`stakegraph.views.terminal.rich_table`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from stakegraph.views.language import percent
from stakegraph.views.tables import (
    Cell,
    Table,
    dark_horses_table,
    portfolio_heatmap_table,
    portfolio_tables,
)

if TYPE_CHECKING:
    from stakegraph.analysis.darkhorses import DarkHorse
    from stakegraph.analysis.portfolio import Portfolio
    from stakegraph.records.workspace import Workspace


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _scored(value: float | None, change: float | None) -> Cell:
    """A mean score with its change since the previous period, coloured by direction."""
    if change is None:
        return Cell(_fmt(value))
    if abs(change) < 1e-9:
        return Cell(f"{_fmt(value)} (±0)")
    arrow = "▲" if change > 0 else "▼"
    return Cell(f"{_fmt(value)} {arrow}{abs(change):.2f}", "good" if change > 0 else "bad")


def _count(items: Any, alarm: bool = True) -> Cell:
    """A count, marked when it is not zero and should be."""
    n = items if isinstance(items, int) else len(items)
    return Cell(str(n), "bad" if n and alarm else "")


def names(ws: Any, collection: str, ids: list[str]) -> str:
    """The names of records (their ids when they have none), comma separated."""
    records = ws.records[collection]
    return ", ".join(getattr(records.get(i), "name", i) or i for i in ids)


def satisfaction_summary_table(data: dict[str, Any]) -> Table:
    """客户满意度: per account, surveys, the latest mean, the weakest items and the loop."""
    table = Table(
        key="satisfaction",
        title=f"客户满意度 satisfaction per account — {data['day']}",
        columns=[
            "客户 account",
            "调查 surveys",
            "回答者 respondents",
            "最新均分 latest",
            "最弱项 weakest",
            "投诉 complaints",
            "未整改 no action",
            "整改中 open",
            "逾期 overdue",
        ],
        numeric=frozenset({1, 2, 3, 5, 6, 7, 8}),
    )
    for row in data["accounts"]:
        table.rows.append(
            [
                Cell(row["name"]),
                Cell(str(len(row["surveys"]))),
                Cell(str(row["respondents"])),
                _scored(row["latest"], row["change"]),
                Cell(", ".join(row["weakest"])),
                Cell(str(len(row["complaints"]))),
                _count(row["complaints_without_action"]),
                Cell(str(row["open_actions"])),
                _count(row["overdue_actions"]),
            ]
        )
    return table


def score_series_table(name: str, periods: list[dict[str, Any]]) -> Table:
    """各项得分: one account's mean score per item and period, with the change."""
    table = Table(
        key="score-series",
        title=f"各项得分 per item over time — {name}",
        columns=["项目 item", *(p["period"] for p in periods)],
        numeric=frozenset(range(1, len(periods) + 1)),
    )
    items: list[str] = []
    for p in periods:
        items.extend(item for item in p["items"] if item not in items)
    for item in items:
        table.rows.append(
            [
                Cell(item),
                *(
                    _scored(p["items"][item], p["change"].get(item))
                    if item in p["items"]
                    else Cell("")
                    for p in periods
                ),
            ]
        )
    table.starts.add(len(table.rows))
    table.rows.append(
        [
            Cell("总体 overall", "step"),
            *(_scored(p["overall"], p["overall_change"]) for p in periods),
        ]
    )
    table.rows.append([Cell("回答者 respondents"), *(Cell(str(p["respondents"])) for p in periods)])
    return table


def complaints_table(ws: Any, complaints: list[dict[str, Any]]) -> Table:
    """投诉: each complaint, who made it, the improvements that answer it, the follow-up."""
    table = Table(
        key="complaints",
        title="投诉 complaints and their improvements",
        columns=[
            "日期 date",
            "投诉 complaint",
            "投诉方 from",
            "改进措施 actions",
            "回访 follow-up",
            "备注 notes",
        ],
    )
    for c in complaints:
        who = names(ws, "persons", c["persons"]) or names(ws, "organisations", c["orgs"])
        actions = ", ".join(c["actions"])
        table.rows.append(
            [
                Cell(str(c["date"])),
                Cell(c["id"]),
                Cell(who),
                Cell(actions) if actions else Cell("无整改 no action", "missing"),
                Cell(str(c["follow_up"] or "—")),
                Cell(c["notes"] or ""),
            ]
        )
    return table


def improvements_table(
    improvements: list[dict[str, Any]], status_labels: dict[str, str] | None = None
) -> Table:
    """改进措施: each improvement with its owner, what prompted it, deadline and status.

    ``status_labels`` defaults to the bilingual labels of the action statuses.
    """
    if status_labels is None:
        from stakegraph.views.labels import STATUS_LABELS

        status_labels = STATUS_LABELS
    table = Table(
        key="improvements",
        title="改进措施 improvements (owner, deadline, status)",
        columns=[
            "措施 action",
            "责任人 owner",
            "来源 prompted by",
            "期限 due",
            "状态 status",
            "逾期 overdue",
        ],
    )
    for item in improvements:
        source = ", ".join(
            x
            for x in (
                f"投诉 {item['complaint']}" if item["complaint"] else "",
                f"调查 {item['survey']}" if item["survey"] else "",
            )
            if x
        )
        table.rows.append(
            [
                Cell(f"{item['action']} ({item['id']})"),
                Cell(item["owner_name"]),
                Cell(source),
                Cell(str(item["due"] or "—")),
                Cell(status_labels.get(item["status"], item["status"])),
                Cell(f"{item['days_overdue']} 天 days", "bad") if item["overdue"] else Cell(""),
            ]
        )
    return table


def kinds_summary_table(data: dict[str, Any]) -> Table:
    """关系类型覆盖: per account, key persons covered, the general base reached, exchanges."""
    strong = data["strong_threshold"]
    table = Table(
        key="kinds",
        title=f"关系类型覆盖 coverage by relationship kind — {data['day']}",
        columns=[
            "客户 account",
            "关键人 key",
            f"强覆盖 ≥{strong:g}",
            "无覆盖 uncovered",
            "关键覆盖率 key cover",
            "普遍 general",
            "有关系 reached",
            "渗透率 penetration",
            f"组织往来 org exchanges ({data['window_days']}d)",
            "最近 last",
        ],
        numeric=frozenset(range(1, 9)),
    )
    for row in data["accounts"]:
        table.rows.append(
            [
                Cell(row["name"]),
                Cell(str(len(row["key_persons"]))),
                Cell(str(len(row["key_covered"]))),
                _count(row["key_uncovered"]),
                Cell(percent(row["key_share"])),
                Cell(str(len(row["general_persons"]))),
                Cell(str(len(row["general_reached"]))),
                Cell(percent(row["penetration"])),
                Cell(str(row["org_exchanges"])),
                Cell(str(row["org_last"] or "—")),
            ]
        )
    return table


def relationships_by_kind_table(
    ws: Any, relationships: list[dict[str, Any]], kind_labels: dict[str, str] | None = None
) -> Table:
    """关系: each relationship with its kind (关键, 普遍, …), strength and why.

    ``kind_labels`` (kind code → label) defaults to the labels of the relationship kinds.
    """
    if kind_labels is None:
        kind_labels = dict(_kind_labels())
    table = Table(
        key="relationships-by-kind",
        title="关系 relationships by kind",
        columns=["我方 owner", "对方 person", "类型 kind", "强度 strength", "依据 why"],
        numeric=frozenset({3}),
    )
    for rel in relationships:
        table.rows.append(
            [
                Cell(names(ws, "owners", [rel["owner"]])),
                Cell(names(ws, "persons", [rel["person"]])),
                Cell(kind_labels[rel["kind"]]),
                Cell(f"{rel['strength']:.2f}"),
                Cell("; ".join(rel["reasons"])),
            ]
        )
    return table


def _kind_labels() -> dict[str, str]:
    from stakegraph.views.labels import KIND_LABELS

    return KIND_LABELS


def organisational_table(ws: Any, data: dict[str, Any], title: str | None = None) -> Table:
    """组织: organisations we have exchanges with, how many in the window, our people.

    ``title`` defaults to the label of organisational relationships.
    """
    if title is None:
        label = _kind_labels()["organisational"]
        title = f"{label} relationships (org-level exchanges)"
    table = Table(
        key="organisational",
        title=title,
        columns=[
            "单位 organisation",
            "客户 account",
            f"往来 exchanges ({data['window_days']}d)",
            "最近 last",
            "我方 our people",
        ],
        numeric=frozenset({2}),
    )
    for org in data["organisational"]:
        table.rows.append(
            [
                Cell(org["name"]),
                Cell(names(ws, "organisations", [org["account"]]) if org["account"] else "—"),
                Cell(str(org["exchanges"])),
                Cell(str(org["last"] or "—")),
                Cell(names(ws, "owners", org["owners"])),
            ]
        )
    return table


def portfolio_command_tables(workspace: Workspace, result: Portfolio, day: dt.date) -> list[Table]:
    """客户组合 as ``stakegraph portfolio`` prints it.

    The segments (titled with the day), the funnel, the owner load with the names
    of each owner's key persons, and coverage per account and stage.

    Parameters
    ----------
    workspace : Workspace
        The workspace the names come from.
    result : Portfolio
        The book of accounts from :func:`~stakegraph.analysis.portfolio.portfolio`.
    day : datetime.date
        The day it was computed for.

    Returns
    -------
    list of Table
    """
    from stakegraph.analysis.portfolio import STAGES
    from stakegraph.views.json_out import portfolio_document
    from stakegraph.views.labels import STAGE_LABELS

    data = portfolio_document(result)
    for owner in data["owners"]:
        owner["key_person_names"] = [workspace.persons[p].name for p in owner["key_persons"]]
    tables = portfolio_tables(data)
    tables[0].title = f"客户组合 portfolio — {day} (value 万元)"
    tables.append(portfolio_heatmap_table(data, [(s.value, STAGE_LABELS[s]) for s in STAGES]))
    return tables


def dark_horses_command_table(horses: list[DarkHorse], day: dt.date) -> Table:
    """培养黑马 as ``stakegraph darkhorses`` prints it: with the ratios and scores, titled
    with the day."""
    table = dark_horses_table([h.as_dict() for h in horses], detail=True)
    table.title = f"培养黑马 dark horses — {day}"
    return table
