"""Terminal rendering (rich) of the plain data the library returns.

Views only format: every number and list comes from a library function, so the
table and the ``--json`` document always say the same thing.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from stakegraph.views.labels import ROLE_LABELS, STANCE_LABELS, holder_name
from stakegraph.views.tables import (
    account_tables,
    influence_table,
    opportunity_heading,
    opportunity_tables,
)
from stakegraph.views.terminal_text import terminal_text


class SafeConsole(Console):
    """A rich console that shows control characters in what it renders as escapes.

    Every string rich prints (plain or markup, table cells, titles, tree labels)
    passes through :meth:`render_str`, so names from a workspace cannot send
    escape sequences to the terminal, whichever view prints them.
    """

    def render_str(self, text: str, **kwargs: Any) -> Any:
        return super().render_str(terminal_text(text), **kwargs)


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
    if data.get("reforms"):
        console.print()
        console.print("[bold]机构改革 reforms[/] (up to this day)")
        for reform in data["reforms"]:
            console.print(f"  {reform['zh']}", markup=False)
            console.print(f"    {reform['en']}", markup=False, style="dim")
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
            if role.get("named_post"):
                post += f" [dim](原 {escape(role['named_post'])})[/]"
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
        print_heading(console, opp)
        for table in opportunity_tables(opp):
            console.print()
            console.print(rich_table(table))
    if report.get("influence"):
        console.print(rich_table(influence_table(report["influence"])))
    if report.get("accounts"):
        console.print()
        console.print("[bold]客户组合 the book of accounts[/]")
        for table in account_tables(report["accounts"]):
            if table.key in ("level-changes", "dark-horses", "complaints") and not table.rows:
                continue
            console.print()
            console.print(rich_table(table))


#: How a cell's style class (see :class:`stakegraph.views.tables.Cell`) shows on a terminal.
CELL_STYLE = {
    "vacant": "red",
    "missing": "red",
    "bad": "red",
    "good": "green",
    "stance-opponent": "red",
    "stance-skeptic": "yellow",
    "cover-poor": "red",
    "cover-fair": "yellow",
    "step": "bold",
}


def print_heading(console: Console, opp: dict[str, Any]) -> None:
    """An opportunity's name, client, stage and value above its tables."""
    console.print(Text(terminal_text(opportunity_heading(opp)), style="bold underline"))


def rich_table(table: Any) -> Table:
    """A table definition (:mod:`stakegraph.views.tables`) for the terminal.

    The same definition gives the HTML and Markdown tables, so the three show the
    same columns and cells; here gap kinds are coloured, style classes become rich
    styles, a new group (a chain step, a plan phase) starts a new section and the
    table's note follows it as its caption.
    """
    out = Table(
        title=Text(terminal_text(table.title), style="bold"),
        title_justify="left",
        caption=Text(terminal_text(table.note), style="dim") if table.note else None,
        caption_justify="left",
    )
    for index, column in enumerate(table.columns):
        out.add_column(
            column, justify="right" if index in table.numeric else "left", overflow="fold"
        )
    for number, row in enumerate(table.rows):
        out.add_row(
            *(_rich_cell(cell) for cell in row),
            end_section=number + 1 in table.starts,
        )
    return out


def _rich_cell(cell: Any) -> Text:
    if cell.tags:
        text = Text()
        for index, kind in enumerate(cell.tags):
            if index:
                text.append(" ")
            text.append(terminal_text(kind), style=GAP_STYLE.get(kind, ""))
        return text
    return Text(terminal_text(cell.text), style=CELL_STYLE.get(cell.cls, ""))


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
