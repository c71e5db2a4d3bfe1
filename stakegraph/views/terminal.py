"""Terminal rendering (rich) of the plain data the library returns.

Views only format: every number and list comes from a library function, so the
table and the ``--json`` document always say the same thing.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from stakegraph.views.labels import ROLE_LABELS, STANCE_LABELS, holder_name


def print_summary(console: Console, data: dict[str, Any]) -> None:
    counts = data["counts"]
    console.print(f"[bold]{data['workspace']}[/] as of {data['as_of']}")
    console.print("  " + ", ".join(f"{n} {name}" for name, n in counts.items() if n), markup=False)
    if data["vacant_posts"]:
        console.print(f"  vacant posts (空缺): {', '.join(data['vacant_posts'])}", markup=False)
    for problem in data.get("problems", []):
        where = f"{problem['file']}:{problem['line']}" if problem["line"] else problem["file"]
        console.print(f"  [yellow]warning:[/] {where}: {problem['message']}", markup=True)
    console.print()
    tree = Tree("[bold]Organisations[/] (块: parent lines; 条: guided by)")
    for root in data["organisations"]:
        _add_org(tree, root)
    console.print(tree)
    for opp in data["opportunities"]:
        console.print()
        console.print(chain_table(opp))


def _add_org(parent: Tree, org: dict[str, Any]) -> None:
    label = f"{org['name']} [dim]({org['id']}, {org['kind']}"
    label += f", {org['level']}" if org["level"] else ""
    label += f", {org['posts']} posts)[/]"
    if org["guided_by"]:
        label += f" [cyan]条→ {', '.join(org['guided_by'])}[/]"
    branch = parent.add(label)
    for child in org["children"]:
        _add_org(branch, child)


def chain_table(opp: dict[str, Any]) -> Table:
    value = f", {opp['value']:,.0f}" if opp.get("value") else ""
    table = Table(
        title=f"决策链 {opp['name']} ({opp['id']}; {opp['client_name']}; {opp['stage']}{value})",
        title_justify="left",
        show_lines=False,
    )
    for column in ("step", "role", "post", "grade", "holder", "stance", "weight"):
        table.add_column(column, overflow="fold")
    for number, step in enumerate(opp["steps"], start=1):
        for index, role in enumerate(step["roles"]):
            holder = (
                ", ".join(holder_name(h["name"], h.get("acting", False)) for h in role["holders"])
                or "[red]空缺 vacant[/]"
            )
            post = role["post_label"] if role["post"] else "(named person)"
            stance = STANCE_LABELS.get(role["stance"], role["stance"])
            if role["competitor_leaning"]:
                stance += f" [yellow]→ {role['competitor_leaning']}[/]"
            table.add_row(
                f"{number}. {step['name']}" if index == 0 else "",
                ROLE_LABELS.get(role["role"], role["role"]),
                post,
                role["grade"] or "",
                holder,
                stance,
                f"{role['weight']:.2f}",
            )
    return table


GAP_STYLE = {
    "UNCOVERED": "bold red",
    "VACANT": "red",
    "OPPONENT": "magenta",
    "ACTING": "yellow",
    "ROTATED": "yellow",
    "WEAK": "yellow",
    "STALE": "yellow",
    "RANK_MISMATCH": "cyan",
    "NO_OWNER": "cyan",
    "SINGLE_THREADED": "cyan",
}


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def covered_chain_table(opp: dict[str, Any]) -> Table:
    table = Table(
        title=f"决策链 decision chain — {opp['name']} ({opp['id']}; {opp['client_name']}; "
        f"{opp['stage']}) coverage {_pct(opp['coverage'])}",
        title_justify="left",
    )
    for column in ("step", "role", "post", "holder", "stance", "w", "cover", "via", "gaps"):
        table.add_column(column, overflow="fold")
    for number, step in enumerate(opp["chain"], start=1):
        for index, role in enumerate(step["roles"]):
            holder = (
                holder_name(role["name"], role.get("acting", False))
                if role["name"]
                else "[red]空缺 vacant[/]"
            )
            if role["low_confidence"]:
                holder += " [dim](?)[/]"
            post = role["post_label"] if role["post"] else "(named person)"
            stance = STANCE_LABELS.get(role["stance"], role["stance"]) + (
                f" → {role['competitor_leaning']}" if role["competitor_leaning"] else ""
            )
            via = role["channel_owner_name"] or ""
            if role["via"]:
                via += " → " + " → ".join(role["via"])
            gaps = " ".join(f"[{GAP_STYLE.get(g, '')}]{g}[/]" for g in role["gaps"])
            table.add_row(
                f"{number}. {step['name']} {_pct(step['coverage'])}" if index == 0 else "",
                ROLE_LABELS.get(role["role"], role["role"]),
                post,
                holder,
                stance,
                f"{role['weight']:.2f}",
                f"{role['cover']:.2f}",
                via,
                gaps,
            )
    return table


def gaps_table(opp: dict[str, Any], limit: int | None = None) -> Table:
    table = Table(title=f"缺口 gaps by severity — {opp['name']}", title_justify="left")
    for column in ("severity", "kind", "step", "who", "reason"):
        table.add_column(column, overflow="fold")
    for gap in opp["gaps"][:limit]:
        table.add_row(
            f"{gap['severity']:.3f}",
            f"[{GAP_STYLE.get(gap['kind'], '')}]{gap['kind']}[/]",
            gap["step_name"],
            gap["who"],
            gap["reason"],
        )
    return table


def influence_rows_table(rows: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in (
        "#",
        "person",
        "post",
        "grade",
        "score",
        "正式 formal",
        "非正式 informal",
        "职位 position",
        "决策 decision",
        "betweenness",
        "constraint",
    ):
        table.add_column(column, overflow="fold")
    for row in rows:
        parts = row["parts"]
        table.add_row(
            str(row["rank"]),
            row["name"],
            "; ".join(row["posts"]),
            row["grade"] or "",
            f"{row['score']:.2f}",
            f"{parts['formal']:.2f}",
            f"{parts['informal']:.2f}",
            f"{parts['position']:.2f}",
            f"{parts['decision']:.2f}",
            f"{row.get('betweenness', 0):.3f}" if "betweenness" in row else "",
            "" if row.get("constraint") is None else f"{row['constraint']:.3f}",
        )
    return table


def circles_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="非正式组织 informal circles", title_justify="left")
    for column in ("circle", "members", "ties", "chain weight", "our way in"):
        table.add_column(column, overflow="fold")
    for row in rows:
        way = row.get("way_in")
        way_text = (
            f"{way['owner_name']} → {way['member_name']} ({way['strength']:.2f})"
            if way
            else "[red]none[/]"
        )
        name = row["name"] + (" [dim](low confidence)[/]" if row.get("low_confidence") else "")
        table.add_row(
            name,
            ", ".join(row["member_names"]),
            ", ".join(f"{k} {n}" for k, n in row["kinds"].items()),
            f"{row['chain_weight']:.2f}",
            way_text,
        )
    return table


def plan_rows_table(rows: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("phase", "target", "grade", "paired", "channel", "owner", "next action"):
        table.add_column(column, overflow="fold")
    for row in rows:
        channel = row["channel"]
        if channel:
            path = " → ".join([channel["owner_name"], *channel["names"]])
            channel_text = f"{path} ({channel['strength']:.2f})"
        else:
            channel_text = "[red]none[/]"
        table.add_row(
            row["phase_label"],
            f"{row['name']}",
            row["grade"] or "",
            row["paired_tier"] or "",
            channel_text,
            row["responsible_name"] or "[red]—[/]",
            row["action"],
        )
    return table


def opportunities_summary_table(opportunities: list[dict[str, Any]]) -> Table:
    """One row per opportunity: where it stands, its cover and its worst gap."""
    table = Table(title="商机一览 opportunities at a glance", title_justify="left")
    columns = (
        "商机 opportunity",
        "客户 client",
        "阶段 stage",
        "金额 value (万元)",
        "覆盖 coverage",
    )
    for column in columns:
        table.add_column(column, justify="right" if "value" in column else "left")
    table.add_column("缺口 gaps", justify="right")
    table.add_column("最严重 worst gap", overflow="fold")
    ordered = sorted(opportunities, key=lambda o: (o["coverage"], -(o["value"] or 0), o["id"]))
    for opp in ordered:
        worst = max(opp["gaps"], key=lambda g: g["severity"], default=None)
        table.add_row(
            f"{opp['name']} ({opp['id']})",
            opp["client_name"],
            opp["stage"],
            f"{(opp['value'] or 0) / 10000:,.0f}",
            _pct(opp["coverage"]),
            str(len(opp["gaps"])),
            f"{worst['label']}: {worst['who']} ({worst['step_name']})" if worst else "—",
        )
    return table


def print_report(console: Console, report: dict[str, Any], summary: bool = False) -> None:
    """The report on a terminal; ``summary`` gives one line per opportunity instead of
    its five tables, for books too large to read through."""
    console.print(f"[bold]stakegraph report[/] — {report['workspace']} as of {report['as_of']}")
    if summary:
        console.print()
        console.print(opportunities_summary_table(report["opportunities"]))
    for opp in [] if summary else report["opportunities"]:
        console.print()
        console.print(covered_chain_table(opp))
        console.print()
        console.print(gaps_table(opp))
        console.print()
        console.print(influence_rows_table(opp["influence"], "影响力 influence (top, ×100)"))
        console.print()
        console.print(circles_table(opp["circles"]))
        console.print()
        console.print(plan_rows_table(opp["plan"], "倒三角 inverted-triangle plan"))
        if opp["low_confidence"]:
            names = ", ".join(p["name"] for p in opp["low_confidence"])
            console.print(f"[dim](?) cover of {names} rests on low-confidence evidence.[/]")
    if report.get("influence"):
        console.print(influence_rows_table(report["influence"], "影响力 influence (top, ×100)"))
    if report.get("accounts"):
        from stakegraph.views.tables import account_tables

        console.print()
        console.print("[bold]客户组合 the book of accounts[/]")
        for table in account_tables(report["accounts"]):
            if table.key in ("level-changes", "dark-horses", "complaints") and not table.rows:
                continue
            console.print()
            console.print(_rich_table(table))


def _rich_table(table: Any) -> Table:
    """A report table (:mod:`stakegraph.views.tables`) as a rich table."""
    out = Table(title=table.title, title_justify="left")
    for index, column in enumerate(table.columns):
        out.add_column(column, justify="right" if index in table.numeric else "left")
    for row in table.rows:
        out.add_row(*(cell.text for cell in row))
    return out


def print_whatif(console: Console, data: dict[str, Any]) -> None:
    console.print("[bold]假设分析 what-if[/]: " + "; ".join(data["changes"]), markup=True)
    cov = data["coverage"]
    sign = "+" if cov["change"] >= 0 else ""
    console.print(
        f"coverage {_pct(cov['before'])} → {_pct(cov['after'])} "
        f"({sign}{100 * cov['change']:.1f} points)"
    )
    table = Table(title="coverage per step", title_justify="left")
    for column in ("step", "before", "after"):
        table.add_column(column)
    for step in data["steps"]:
        table.add_row(step["name"], _pct(step["before"]), _pct(step["after"]))
    console.print(table)
    for title, key in (("gaps that open", "gaps_added"), ("gaps that close", "gaps_removed")):
        rows = data[key]
        if rows:
            table = Table(title=title, title_justify="left")
            for column in ("kind", "step", "who", "reason"):
                table.add_column(column, overflow="fold")
            for gap in rows:
                table.add_row(gap["kind"], gap["step_name"], gap["who"] or "", gap["reason"])
            console.print(table)
    if data["rank_changes"]:
        table = Table(title="influence rank moves", title_justify="left")
        for column in ("person", "before", "after"):
            table.add_column(column)
        for row in data["rank_changes"][:15]:
            table.add_row(
                row["name"], str(row["before"]), str(row["after"]) if row["after"] else "gone"
            )
        console.print(table)
    if data["plan_changes"]:
        table = Table(title="plan: responsible owner changes", title_justify="left")
        for column in ("target", "before", "after"):
            table.add_column(column)
        for row in data["plan_changes"]:
            table.add_row(row["name"], row["before"] or "—", row["after"] or "—")
        console.print(table)
