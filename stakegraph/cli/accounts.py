"""Commands that look across accounts: satisfaction, relationship kinds, dark horses.

``surveys`` summarises satisfaction surveys, complaints and improvement actions
(seed 004), first importing a survey tool's results file with ``--import``;
``kinds`` reports coverage per account by relationship kind (关键 / 普遍 / 组织);
``darkhorses`` lists the juniors to cultivate (培养黑马). Register them on the
main group with :func:`register`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from stakegraph.cli.common import (
    _console,
    _fail,
    _json,
    _today,
    as_of_option,
    handle_errors,
    json_option,
    load,
    quiet_option,
)
from stakegraph.cli.source import Source, workspace_source
from stakegraph.errors import StakegraphError, WorkspaceInvalid


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _delta(value: float | None) -> str:
    if value is None:
        return ""
    if abs(value) < 1e-9:
        return " (±0)"
    arrow = "▲" if value > 0 else "▼"
    colour = "green" if value > 0 else "red"
    return f" [{colour}]{arrow}{abs(value):.2f}[/]"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _esc(text: str | None) -> str:
    from rich.markup import escape

    return escape(text or "")


def _names(ws: Any, collection: str, ids: list[str]) -> str:
    records = ws.records[collection]
    return _esc(", ".join(getattr(records.get(i), "name", i) or i for i in ids))


# ---------------------------------------------------------------------- surveys
@click.command("surveys")
@workspace_source
@click.option(
    "--account",
    default=None,
    metavar="ORG",
    help="Only this account (the client organisation id of an opportunity).",
)
@click.option(
    "--period",
    type=click.Choice(["date", "month", "quarter", "half", "year"]),
    default="quarter",
    show_default=True,
    help="How survey dates are grouped into periods for the trend.",
)
@click.option(
    "--import",
    "results",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="First add the surveys of a results file (.csv or .xlsx, one row per respondent).",
)
@as_of_option
@json_option
@quiet_option
@handle_errors
def surveys(
    source: Source,
    account: str | None,
    period: str,
    results: Path | None,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Satisfaction (客户满意度): surveys per account and item over time, complaints, fixes.

    Survey scores (1–5 per item) are averaged per period with the change on the
    period before; complaints (投诉, the passive voice) are listed with the
    improvement actions (改进措施) linked to them, their owner (责任人), deadline
    and status; overdue actions and complaints nobody acted on are flagged.

    --import FILE first appends the surveys of a results file as survey tools
    export it: a .csv (UTF-8 or GB18030) or .xlsx (sheet surveys, 调查 or
    满意度调查, else the first), one row per respondent. Row 1 names the columns
    date (日期), person (回答人) and/or org (回答单位), optional id (made as
    DATE-RESPONDENT when empty) and notes (备注); every other column is an item
    scored 1–5, an empty cell meaning the item was not asked. Every bad cell is
    reported by row and column, and nothing is written unless all rows are good.

    \b
    Example:
      stakegraph surveys examples/smart-city --as-of 2026-11-28
      stakegraph surveys examples/smart-city --account jc-bdb --period half
      stakegraph surveys examples/smart-city --import survey-results.csv
      stakegraph surveys --neo4j --workspace smart-city --as-of 2026-11-28
    """
    from stakegraph.analysis.satisfaction import satisfaction

    imported: list[str] = []
    written: list[Path] = []
    if results is not None:
        workspace = source.path
        if workspace is None or not source.is_folder:
            raise StakegraphError(
                "--import adds the surveys to a workspace on disk; give its folder or "
                "workbook instead of --neo4j."
            )
        imported, written = _import_surveys(workspace, results)
    ws = source.load(quiet or as_json)
    day = as_of or _today()
    result = satisfaction(ws, day, period=period, account=account)
    data = result.as_dict()
    if as_json:
        if results is not None:
            # the summary keeps its usual shape, under its own key
            data = {"imported": imported, "files": [str(p) for p in written], "surveys": data}
        click.echo(_json(data))
        return
    if results is not None:
        n = len(imported)
        click.echo(
            f"Imported {n} survey{'s' if n != 1 else ''} from {results} into "
            f"{', '.join(str(p) for p in written)}."
        )
    _print_surveys(ws, data)


def _import_surveys(workspace: Path, results: Path) -> tuple[list[str], list[Path]]:
    """Append the surveys of a results file; their ids and the files written."""
    from stakegraph.io.append import append_records
    from stakegraph.io.survey_import import locate_problems, read_survey_results

    found = read_survey_results(results, load(workspace, quiet=True))
    try:
        written = append_records(workspace, found.surveys)
    except WorkspaceInvalid as exc:
        raise locate_problems(exc, found.rows) from None
    return [s.id for s in found.surveys], written


def _print_surveys(ws: Any, data: dict[str, Any]) -> None:
    from rich.table import Table

    from stakegraph.analysis.satisfaction import STATUS_LABELS

    console = _console()
    table = Table(
        title=f"客户满意度 satisfaction per account — {data['day']}", title_justify="left"
    )
    for column in (
        "客户 account",
        "调查 surveys",
        "回答者 respondents",
        "最新均分 latest",
        "最弱项 weakest",
        "投诉 complaints",
        "未整改 no action",
        "整改中 open",
        "逾期 overdue",
    ):
        table.add_column(column, overflow="fold")
    for row in data["accounts"]:
        table.add_row(
            _esc(row["name"]),
            str(len(row["surveys"])),
            str(row["respondents"]),
            _fmt(row["latest"]) + _delta(row["change"]),
            _esc(", ".join(row["weakest"])),
            str(len(row["complaints"])),
            f"[red]{len(row['complaints_without_action'])}[/]"
            if row["complaints_without_action"]
            else "0",
            str(row["open_actions"]),
            f"[red]{row['overdue_actions']}[/]" if row["overdue_actions"] else "0",
        )
    console.print(table)

    for row in data["accounts"]:
        if not row["periods"]:
            continue
        console.print()
        console.print(_series_table(row["name"], row["periods"]))

    complaints = data["complaints"]
    console.print()
    if not complaints:
        console.print("投诉 complaints: none logged up to this day.")
    else:
        table = Table(title="投诉 complaints and their improvements", title_justify="left")
        for column in (
            "日期 date",
            "投诉 complaint",
            "投诉方 from",
            "改进措施 actions",
            "回访 follow-up",
            "备注 notes",
        ):
            table.add_column(column, overflow="fold")
        for c in complaints:
            who = _names(ws, "persons", c["persons"]) or _names(ws, "organisations", c["orgs"])
            actions = _esc(", ".join(c["actions"])) or "[red]无整改 no action[/]"
            table.add_row(
                str(c["date"]),
                _esc(c["id"]),
                who,
                actions,
                str(c["follow_up"] or "—"),
                _esc(c["notes"]),
            )
        console.print(table)

    improvements = data["improvements"]
    console.print()
    if not improvements:
        console.print("改进措施 improvements: none recorded up to this day.")
        return
    table = Table(title="改进措施 improvements (owner, deadline, status)", title_justify="left")
    for column in (
        "措施 action",
        "责任人 owner",
        "来源 prompted by",
        "期限 due",
        "状态 status",
        "逾期 overdue",
    ):
        table.add_column(column, overflow="fold")
    for item in improvements:
        source = ", ".join(
            x
            for x in (
                f"投诉 {item['complaint']}" if item["complaint"] else "",
                f"调查 {item['survey']}" if item["survey"] else "",
            )
            if x
        )
        table.add_row(
            _esc(f"{item['action']} ({item['id']})"),
            _esc(item["owner_name"]),
            _esc(source),
            str(item["due"] or "—"),
            STATUS_LABELS.get(item["status"], item["status"]),
            f"[red]{item['days_overdue']} 天 days[/]" if item["overdue"] else "",
        )
    console.print(table)
    if data["overdue"]:
        console.print(
            f"[red]逾期 overdue: {len(data['overdue'])}[/] — "
            + "; ".join(
                _esc(f"{i['id']} ({i['owner_name']}, due {i['due']}, {i['days_overdue']} days)")
                for i in data["overdue"]
            )
        )


def _series_table(name: str, periods: list[dict[str, Any]]):
    from rich.table import Table

    table = Table(title=f"各项得分 per item over time — {_esc(name)}", title_justify="left")
    table.add_column("项目 item", overflow="fold")
    for p in periods:
        table.add_column(p["period"], overflow="fold")
    items: list[str] = []
    for p in periods:
        for item in p["items"]:
            if item not in items:
                items.append(item)
    for item in items:
        cells = []
        for p in periods:
            if item in p["items"]:
                cells.append(_fmt(p["items"][item]) + _delta(p["change"].get(item)))
            else:
                cells.append("")
        table.add_row(_esc(item), *cells)
    table.add_row(
        "[bold]总体 overall[/]",
        *(f"[bold]{_fmt(p['overall'])}[/]" + _delta(p["overall_change"]) for p in periods),
    )
    table.add_row("回答者 respondents", *(str(p["respondents"]) for p in periods))
    return table


# ---------------------------------------------------------------------- kinds
@click.command("kinds")
@workspace_source
@click.option(
    "--share",
    type=click.FloatRange(0, 1),
    default=0.1,
    show_default=True,
    help="Top share of post holders by influence counted as key, besides chain role holders.",
)
@click.option(
    "--window",
    "window_days",
    type=click.IntRange(1),
    default=365,
    show_default=True,
    help="Days back in which organisation-level exchanges are counted.",
)
@click.option(
    "--relationships",
    "list_relationships",
    is_flag=True,
    help="Also list each relationship with its kind and why, and each organisation we "
    "have exchanges with.",
)
@as_of_option
@json_option
@quiet_option
@handle_errors
def kinds(
    source: Source,
    share: float,
    window_days: int,
    list_relationships: bool,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Coverage per account by relationship kind: 关键 key, 普遍 general, 组织 organisational.

    Key persons hold a role on a decision chain or rank in the top --share by
    influence; key coverage is the share of them we cover strongly. General
    penetration is the share of the other officials we have any relationship
    with. Organisational relationships are org-level exchanges (events,
    agreements, visits naming only organisations) in the last --window days.

    \b
    Example:
      stakegraph kinds examples/smart-city --as-of 2026-11-28
      stakegraph kinds examples/smart-city --relationships
      stakegraph kinds --neo4j --workspace smart-city --as-of 2026-11-28
    """
    from stakegraph.analysis.relationship_kinds import relationship_kinds
    from stakegraph.graph.network import build_network

    ws = source.load(quiet or as_json)
    day = as_of or _today()
    network = build_network(ws, day)
    result = relationship_kinds(network, share=share, window_days=window_days)
    data = result.as_dict()
    if not list_relationships:
        for name in ("key", "relationships", "organisational", "exchanges"):
            data.pop(name)
    if as_json:
        click.echo(_json(data))
        return
    _print_kinds(ws, data)


def _print_kinds(ws: Any, data: dict[str, Any]) -> None:
    from rich.table import Table

    from stakegraph.analysis.relationship_kinds import KIND_LABELS, RelationshipKind

    console = _console()
    strong = data["strong_threshold"]
    table = Table(
        title=f"关系类型覆盖 coverage by relationship kind — {data['day']}", title_justify="left"
    )
    for column in (
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
    ):
        table.add_column(column, overflow="fold")
    for row in data["accounts"]:
        uncovered = len(row["key_uncovered"])
        table.add_row(
            _esc(row["name"]),
            str(len(row["key_persons"])),
            str(len(row["key_covered"])),
            f"[red]{uncovered}[/]" if uncovered else "0",
            _pct(row["key_share"]),
            str(len(row["general_persons"])),
            str(len(row["general_reached"])),
            _pct(row["penetration"]),
            str(row["org_exchanges"]),
            str(row["org_last"] or "—"),
        )
    console.print(table)
    uncovered_lines = [
        f"{_esc(row['name'])}: {_names(ws, 'persons', row['key_uncovered'])}"
        for row in data["accounts"]
        if row["key_uncovered"]
    ]
    if uncovered_lines:
        console.print("无覆盖的关键人 uncovered key persons: " + "; ".join(uncovered_lines))
    if "relationships" not in data:
        return

    console.print()
    table = Table(title="关系 relationships by kind", title_justify="left")
    for column in ("我方 owner", "对方 person", "类型 kind", "强度 strength", "依据 why"):
        table.add_column(column, overflow="fold")
    for rel in data["relationships"]:
        table.add_row(
            _names(ws, "owners", [rel["owner"]]),
            _names(ws, "persons", [rel["person"]]),
            KIND_LABELS[RelationshipKind(rel["kind"])],
            f"{rel['strength']:.2f}",
            _esc("; ".join(rel["reasons"])),
        )
    console.print(table)
    console.print()
    if not data["organisational"]:
        console.print("组织 organisational: no organisation-level exchange logged up to this day.")
        return
    table = Table(
        title=f"{KIND_LABELS[RelationshipKind.ORGANISATIONAL]} relationships (org-level exchanges)",
        title_justify="left",
    )
    for column in (
        "单位 organisation",
        "客户 account",
        f"往来 exchanges ({data['window_days']}d)",
        "最近 last",
        "我方 our people",
    ):
        table.add_column(column, overflow="fold")
    for org in data["organisational"]:
        table.add_row(
            _esc(org["name"]),
            _names(ws, "organisations", [org["account"]]) if org["account"] else "—",
            str(org["exchanges"]),
            str(org["last"] or "—"),
            _names(ws, "owners", org["owners"]),
        )
    console.print(table)


# ---------------------------------------------------------------------- dark horses
@click.command("darkhorses")
@workspace_source
@click.option(
    "--top",
    type=click.IntRange(1),
    default=None,
    help="How many to list (default [dark_horses] top in stakegraph.toml, 10).",
)
@as_of_option
@json_option
@quiet_option
@handle_errors
def darkhorses(
    source: Source,
    top: int | None,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Dark horses to cultivate (培养黑马): juniors high for their grade, weakly covered.

    Officials without a leadership post whose influence or brokerage is at least
    [dark_horses] ratio times their grade's median, or who were promoted within
    [dark_horses] promoted_days, and whom we cover below [coverage]
    strong_threshold; ranked by potential × (1 − cover), with the reason.

    \b
    Example:
      stakegraph darkhorses examples/smart-city --as-of 2026-11-28 --top 5
      stakegraph darkhorses --neo4j --workspace smart-city --as-of 2026-11-28
    """
    from stakegraph.analysis.darkhorses import assess_candidates, dark_horses
    from stakegraph.graph.network import build_network

    ws = source.load(quiet or as_json)
    day = as_of or _today()
    network = build_network(ws, day)
    rows = dark_horses(network, top=top)
    data = {"day": day, "dark_horses": [r.as_dict() for r in rows]}
    if as_json:
        click.echo(_json(data))
        return
    console = _console()
    if not rows:
        settings = ws.settings
        candidates = len(assess_candidates(network))
        console.print(
            f"没有黑马 No dark horses on {day}: of {candidates} officials without a "
            f"leadership post, none has influence or brokerage ≥ {settings.dark_horses.ratio:g}× "
            f"the median of their grade, or a promotion in the last "
            f"{settings.dark_horses.promoted_days} days, while covered below "
            f"{settings.coverage.strong_threshold:g}."
        )
        return
    from rich.table import Table

    table = Table(title=f"培养黑马 dark horses — {day}", title_justify="left")
    for column in (
        "#",
        "姓名 name",
        "岗位 post",
        "职级 grade",
        "影响力比 influence ×",
        "中介度比 brokerage ×",
        "覆盖 cover",
        "得分 score",
        "理由 reason",
    ):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            str(row.rank),
            _esc(row.name),
            _esc("; ".join(row.post_labels)),
            row.grade_name or str(row.grade),
            f"{row.influence_ratio:.2f}",
            f"{row.brokerage_ratio:.2f}" + ("" if row.brokerage_basis == "median" else " (mean)"),
            f"{row.cover:.2f}",
            f"{row.score:.2f}",
            f"{_esc(row.reason_zh)}\n[dim]{_esc(row.reason_en)}[/]",
        )
    console.print(table)


__all__ = ["COMMANDS", "darkhorses", "kinds", "register", "surveys"]


@click.command("portfolio")
@workspace_source
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also draw the accounts × stages heatmap and the funnel to this .png or .svg file.",
)
@as_of_option
@json_option
@quiet_option
@handle_errors
def portfolio_command(
    source: Source,
    out: Path | None,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """The account portfolio (客户组合): segments, funnel, owner load, heatmap.

    Accounts (client organisations) are key (关键) or general (普遍) by value and
    covered or under-covered (覆盖不足) by value-weighted coverage ([portfolio] in
    stakegraph.toml); each of the four cells has a stance (攻 invest, 守 defend,
    保 maintain, 养 nurture). The funnel (客户漏斗) counts opportunities and value
    per stage (早期, 前期, 中期, 后期); owner load (责任到人) sets the key persons each
    owner is named for (role holders and the most influential) against their
    capacity; the heatmap gives coverage per account and stage.

    \b
    Example:
      stakegraph portfolio examples/smart-city --as-of 2026-11-28 --out portfolio.png
      stakegraph portfolio --neo4j --workspace smart-city --as-of 2026-11-28
    """
    from stakegraph.analysis.portfolio import STAGE_LABELS, STAGES, portfolio
    from stakegraph.graph.network import build_network
    from stakegraph.progress import Progress

    if out is not None and out.suffix.lower() not in (".png", ".svg"):
        # refuse before loading, so a long run does not end in this error
        _fail(f"{out}: use a .png or .svg file name.")
    ws = source.load(quiet or as_json)
    day = as_of or _today()
    network = build_network(ws, day)
    with Progress(
        "covering opportunities", total=len(ws.opportunities), quiet=quiet or as_json
    ) as bar:
        result = portfolio(network, progress=bar.advance)
    written = None
    if out is not None:
        from stakegraph.views.figures.portfolio import render_portfolio

        written = render_portfolio(result, out)
    if as_json:
        data = result.to_dict()
        data["figure"] = str(written) if written else None
        click.echo(_json(data))
        return
    from rich.table import Table

    console = _console()
    table = Table(title=f"客户组合 portfolio — {day}", title_justify="left")
    for column in (
        "客户 account",
        "分类 segment",
        "商机 opportunities",
        "金额 value (万元)",
        "覆盖 coverage",
        "策略 stance",
    ):
        table.add_column(column)
    for row in result.accounts:
        table.add_row(
            row.name,
            ("关键 key" if row.segment == "key" else "普遍 general")
            + ("" if row.covered else " · 覆盖不足"),
            str(len(row.opportunities)),
            f"{row.value / 10000:,.0f}"
            + (f" (+{row.unknown_value} unknown)" if row.unknown_value else ""),
            f"{row.coverage:.0%}",
            row.stance,
        )
    console.print(table)
    console.print(
        f"{result.key_rule}; 覆盖 covered: value-weighted coverage ≥ {result.covered_threshold:.0%}"
    )
    funnel = Table(title="客户漏斗 funnel", title_justify="left")
    for column in ("阶段 stage", "商机 count", "金额 value (万元)"):
        funnel.add_column(column)
    for stage in result.funnel:
        funnel.add_row(
            stage["label"], str(stage["opportunities"]), f"{stage['value'] / 10000:,.0f}"
        )
    console.print(funnel)
    owners = Table(title="负责人负荷 owner load (key persons vs capacity)", title_justify="left")
    columns = ["负责人 owner", "关键人 key persons", "容量 capacity", "负荷 load"]
    # the flag column only when someone is over capacity: an empty column reads as a glitch
    flagged = any(o.over for o in result.owners)
    for column in columns + (["超负荷 over"] if flagged else []):
        owners.add_column(column)
    for o in result.owners:
        cells = [
            o.name,
            ", ".join(ws.persons[p].name for p in o.key_persons) or "—",
            str(o.capacity),
            f"{o.load:.0%}" if o.load is not None else "—",
        ]
        owners.add_row(*cells, *(["超负荷 over capacity" if o.over else ""] if flagged else []))
    console.print(owners)
    heat = Table(title="覆盖度 coverage by account × stage", title_justify="left")
    heat.add_column("客户 account")
    for stage in STAGES:
        heat.add_column(STAGE_LABELS[stage])
    for row in result.accounts:
        cells = result.heatmap[row.org]
        heat.add_row(
            row.name,
            *(f"{cells[s.value]:.0%}" if cells[s.value] is not None else "—" for s in STAGES),
        )
    console.print(heat)
    for note in result.notes:
        console.print(f"note: {note}")
    if written:
        click.echo(f"Wrote {written}.")


COMMANDS = (
    surveys,
    kinds,
    darkhorses,
    portfolio_command,
)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
