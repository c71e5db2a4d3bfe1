"""report.md: the report's tables in Markdown, with the figures as PNG files beside it.

Cells are escaped so that workspace text stays text: ``|`` cannot end a cell,
``<`` and ``&`` cannot open HTML (Markdown renderers pass HTML through), and
``*``, ``_``, backticks and brackets cannot start emphasis, code or links.
:func:`unescape_cell` undoes it (tests read the tables back with it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from stakegraph.views.figures.report import Figure
from stakegraph.views.language import shown_label, shown_table
from stakegraph.views.tables import (
    Table,
    influence_table,
    opportunity_heading,
    opportunity_tables,
)

_SPECIAL = re.compile(r"([\\`*_\[\]|#])")
_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
FIGURE_AFTER = {"chain": "chain", "gaps": "heatmap", "influence": "influence", "plan": "triangle"}


def escape_cell(text: str) -> str:
    """Escape ``text`` for one Markdown table cell (a single line)."""
    for raw, entity in _ENTITIES:
        text = text.replace(raw, entity)
    text = _SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())  # line breaks would end the row


def unescape_cell(text: str) -> str:
    """The text :func:`escape_cell` was given (up to whitespace runs)."""
    text = re.sub(r"\\(.)", r"\1", text.strip())
    for raw, entity in reversed(_ENTITIES):
        text = text.replace(entity, raw)
    return text


def table_markdown(table: Table) -> str:
    """A GFM table with its title as a bold line above it."""
    table = shown_table(table)
    lines = [f"**{escape_cell(table.title)}**", ""]
    lines.append("| " + " | ".join(escape_cell(c) for c in table.columns) + " |")
    lines.append(
        "|"
        + "|".join("---:" if i in table.numeric else "---" for i in range(len(table.columns)))
        + "|"
    )
    for row in table.rows:
        lines.append("| " + " | ".join(escape_cell(cell.text) for cell in row) + " |")
    if not table.rows:
        lines.append("| " + " | ".join(["none"] + [""] * (len(table.columns) - 1)) + " |")
    if table.note:
        lines += ["", escape_cell(table.note)]
    return "\n".join(lines)


def figure_markdown(figure: Figure) -> str:
    """An image reference to ``figures/<name>.png``."""
    return f"![{escape_cell(figure.caption)}]({figure.path})"


def report_markdown(
    report: dict[str, Any],
    figures: dict[str, dict[str, Figure]],
    extra_figures: Sequence[Figure],
    portfolio_figure: Figure | None = None,
) -> str:
    """The whole report as Markdown."""
    out = [f"# stakegraph {shown_label('报告 report')} — {escape_cell(report['workspace'])}", ""]
    out.append(
        f"{shown_label('数据日期 as of')} **{report['as_of']}** · {report['persons']} officials · "
        f"betweenness {report['betweenness']}"
    )
    graph_line = getattr(report, "shown", {}).get("graph")
    if graph_line:
        out += ["", escape_cell(graph_line)]
    out.append("")
    for opp in report["opportunities"]:
        out.append(
            f"- {escape_cell(opp['name'])} ({escape_cell(opp['id'])}): {shown_label('覆盖率 coverage')} "
            f"**{100 * opp['coverage']:.0f}%**, {len(opp['gaps'])} gaps"
        )
    for opp in report["opportunities"]:
        out += ["", f"## {escape_cell(opportunity_heading(opp))}", ""]
        out.append(f"{shown_label('覆盖率 coverage')} **{100 * opp['coverage']:.0f}%**")
        drawn = figures.get(opp["id"], {})
        for table in opportunity_tables(opp):
            out += ["", table_markdown(table)]
            kind = FIGURE_AFTER.get(table.key)
            if kind and kind in drawn:
                out += ["", figure_markdown(drawn[kind])]
    if report.get("influence"):
        out += [
            "",
            "## " + shown_label("影响力 influence"),
            "",
            table_markdown(influence_table(report["influence"])),
        ]
    if report.get("accounts"):
        from stakegraph.views.tables import PORTFOLIO_TABLES, account_tables

        tables = account_tables(report["accounts"])
        out += ["", "## " + shown_label("客户组合 Portfolio")]
        for table in (t for t in tables if t.key in PORTFOLIO_TABLES):
            out += ["", table_markdown(table)]
        if portfolio_figure is not None:
            out += ["", figure_markdown(portfolio_figure)]
        out += ["", "## " + shown_label("关系健康 relationship health")]
        for table in (t for t in tables if t.key not in PORTFOLIO_TABLES):
            out += ["", table_markdown(table)]
    if report.get("formal_informal"):
        from stakegraph.views.tables import organisation_findings_table

        out += [
            "",
            "## " + shown_label("正式与非正式 formal versus informal"),
            "",
            table_markdown(organisation_findings_table(report["formal_informal"])),
        ]
    for figure in extra_figures:
        out += ["", "## " + shown_label("组织结构 organisations"), "", figure_markdown(figure)]
    out.append("")
    return "\n".join(out)
