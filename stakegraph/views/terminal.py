"""Terminal rendering (rich) of the plain data the library returns.

Views only format: every number and list comes from a library function, so the
table and the ``--json`` document always say the same thing.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from stakegraph.views.labels import (
    GAP_TERMINAL,
    ORG_LINK_TERMINAL,
    SIGNAL_TERMINAL,
    cell_terminal_styles,
)
from stakegraph.views.language import current_language, shown_label, shown_table
from stakegraph.views.phrases import relations_phrase
from stakegraph.views.summary_tables import holders_chain_table, opportunities_summary_table
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
        console.print(
            f"  {shown_label('空缺 vacant posts')}: {', '.join(data['vacant_posts'])}", markup=False
        )
    for problem in data.get("problems", []):
        where = f"{problem['file']}:{problem['line']}" if problem["line"] else problem["file"]
        console.print(
            f"  [{SIGNAL_TERMINAL['warn']}]warning:[/] {where}: {problem['message']}", markup=True
        )
    console.print()
    tree = Tree(
        "[bold]Organisations[/] (parent lines; guided by)"
        if current_language() == "en"
        else "[bold]组织 Organisations[/] (块: parent lines; 条: guided by)"
    )
    for root in data["organisations"]:
        _add_org(tree, root)
    console.print(tree)
    if data.get("reforms"):
        console.print()
        language = current_language()
        heading = "Reforms" if language == "en" else "机构改革 reforms"
        console.print(
            f"[bold]{heading}[/] ({'up to this day' if language == 'en' else '截至当天'})"
        )
        for reform in data["reforms"]:
            console.print(f"  {reform[language]}", markup=False)
    for opp in data["opportunities"]:
        console.print()
        console.print(rich_table(holders_chain_table(opp)))


def _add_org(parent: Tree, org: dict[str, Any]) -> None:
    label = f"{org['name']} [dim]({org['id']}, {org['kind']}"
    label += f", {org['level']}" if org["level"] else ""
    label += f", {org['posts']} posts)[/]"
    if org["guided_by"]:
        label += f" [{ORG_LINK_TERMINAL['guided_by']}]{shown_label('条 guided by')}→ {', '.join(org['guided_by'])}[/]"
    if org.get("overseen_by"):
        label += f" [dim]{shown_label('分管 overseen by')}→ {', '.join(org['overseen_by'])}[/]"
    branch = parent.add(label)
    for child in org["children"]:
        _add_org(branch, child)


#: How a gap kind shows on a terminal (the terminal column of its colour table in labels).
GAP_STYLE = GAP_TERMINAL


def print_report(console: Console, report: dict[str, Any], summary: bool = False) -> None:
    """The report on a terminal; ``summary`` gives one line per opportunity instead of
    its five tables, for books too large to read through."""
    console.print(f"[bold]stakegraph report[/] — {report['workspace']} as of {report['as_of']}")
    graph_line = getattr(report, "shown", {}).get("graph")
    if graph_line:
        console.print(graph_line, markup=False, highlight=False)
    if summary:
        console.print()
        console.print(rich_table(opportunities_summary_table(report["opportunities"])))
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
        console.print(f"[bold]{shown_label('客户组合 the book of accounts')}[/]")
        for table in account_tables(report["accounts"]):
            if table.key in ("level-changes", "dark-horses", "complaints") and not table.rows:
                continue
            console.print()
            console.print(rich_table(table))
    if report.get("formal_informal"):
        from stakegraph.views.tables import organisation_findings_table

        console.print()
        console.print(rich_table(organisation_findings_table(report["formal_informal"])))


#: How a cell's style class (see :class:`stakegraph.views.tables.Cell`) shows on a terminal.
CELL_STYLE = cell_terminal_styles()


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
    table = shown_table(table)
    out = Table(
        title=Text(terminal_text(table.title), style="bold"),
        title_justify="left",
        caption=Text(terminal_text(table.note), style="dim") if table.note else None,
        caption_justify="left",
    )
    for index, column in enumerate(table.columns):
        out.add_column(
            column,
            justify="right" if index in table.numeric else "left",
            overflow="fold" if table.fold else "ellipsis",
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
    """A what-if scenario: the changes, the change of coverage, then its tables."""
    from stakegraph.views.whatif_tables import whatif_heading, whatif_tables

    changes, coverage_line = whatif_heading(data)
    heading = Text(shown_label("假设分析 what-if"), style="bold")
    heading.append(": " + terminal_text(changes))
    console.print(heading)
    console.print(coverage_line, markup=False)
    if data.get("relations"):
        console.print(relations_phrase(data["relations"]), markup=False, highlight=False)
    for table in whatif_tables(data):
        console.print(rich_table(table))
