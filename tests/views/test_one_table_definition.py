"""Each report table is defined once and rendered three ways that agree cell for cell."""

from __future__ import annotations

import html
import io
import re

import pytest
from rich.console import Console

from stakegraph.analysis.centrality import centrality
from stakegraph.analysis.darkhorses import dark_horses
from stakegraph.analysis.influence import influence
from stakegraph.analysis.paths import warm_channels
from stakegraph.analysis.plan import engagement_plan
from stakegraph.analysis.portfolio import portfolio
from stakegraph.analysis.relationships import relationship_levels
from stakegraph.analysis.whatif import Change, what_if
from stakegraph.engines.equivalents import answer
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.views.account_tables import dark_horses_command_table, portfolio_command_tables
from stakegraph.views.centrality_tables import centrality_data, centrality_table
from stakegraph.views.html import table_html
from stakegraph.views.markdown import table_markdown, unescape_cell
from stakegraph.views.query_tables import query_table
from stakegraph.views.relationship_tables import relationships_table, warm_channels_table
from stakegraph.views.report import build_report, influence_rows
from stakegraph.views.rows import channel_rows, plan_rows, relationship_rows
from stakegraph.views.summary import workspace_summary
from stakegraph.views.summary_tables import holders_chain_table, opportunities_summary_table
from stakegraph.views.tables import (
    Table,
    account_tables,
    influence_table,
    opportunity_tables,
    organisation_findings_table,
)
from stakegraph.views.tables import plan_table as plan_view
from stakegraph.views.terminal import rich_table
from stakegraph.views.whatif_tables import whatif_data, whatif_tables
from tests.builders import DAY, HARBOR_COUNTY, SMART_CITY

EXAMPLES = pytest.mark.parametrize(
    "path", [SMART_CITY, HARBOR_COUNTY], ids=["smart-city", "harbor-county"]
)


def _tables(path):
    report = build_report(load_workspace(path), DAY)
    tables = [t for opp in report["opportunities"] for t in opportunity_tables(opp)]
    findings = organisation_findings_table(report["formal_informal"])
    return [*tables, *account_tables(report["accounts"]), findings]


def _terminal_text(table) -> str:
    out = io.StringIO()
    # a table that cuts long cells instead of folding them gets room for all of them
    width = 400 if table.fold else 4000
    Console(file=out, width=width, color_system=None).print(rich_table(table))
    return out.getvalue()


def _assert_same_cells(table: Table) -> None:
    terminal = _terminal_text(table)
    page = html.unescape(re.sub(r"<[^>]+>", " ", table_html(table)))
    markdown = unescape_cell(table_markdown(table))
    for text in [table.title, *table.columns, *(c.text for row in table.rows for c in row)]:
        # the terminal folds long cells over lines: compare without spaces and breaks
        flat = re.sub(r"[\s│┃|]+", "", text)
        assert flat in re.sub(r"[\s│┃|]+", "", terminal), (table.key, text)
        assert flat in re.sub(r"\s+", "", page), (table.key, text)
        assert flat in re.sub(r"[\s|]+", "", markdown), (table.key, text)


@EXAMPLES
def test_terminal_html_and_markdown_show_the_same_cells(path):
    tables = _tables(path)
    assert len(tables) >= 10
    for table in tables:
        _assert_same_cells(table)


def _command_tables(path) -> list[Table]:
    """The tables the drill-down commands print, from the same definitions."""
    ws = load_workspace(path)
    network = build_network(ws, DAY)
    opp = next(iter(ws.opportunities))
    report = build_report(ws, DAY, network=network)
    tables = [
        *(holders_chain_table(o) for o in workspace_summary(ws, DAY)["opportunities"]),
        opportunities_summary_table(report["opportunities"]),
        influence_table(influence_rows(network, influence(network, opp), 20)),
        plan_view(plan_rows(network, engagement_plan(network, opp))),
        relationships_table(relationship_rows(network, relationship_levels(network))),
        centrality_table(network, centrality_data(network, centrality(network, "in-degree"), 10)),
    ]
    for holder in report["opportunities"][0]["chain"][0]["roles"]:
        if holder["person"]:
            channels = channel_rows(network, warm_channels(network, holder["person"], 3))
            if channels:
                tables.append(warm_channels_table(channels, holder["name"]))
    tables += portfolio_command_tables(ws, portfolio(network), DAY)
    horses = dark_horses(network)
    if horses:
        tables.append(dark_horses_command_table(horses, DAY))
    owner = next(iter(ws.owners))
    scenario = what_if(ws, opp, DAY, [Change("owner_leaves", owner)])
    tables += whatif_tables(whatif_data(ws, scenario))
    for name, params in (
        ("decision_chain", {"opportunity": opp}),
        ("influence_ranking", {"opportunity": opp}),
    ):
        rows = answer(ws, name, {"as_of": DAY, **params})
        tables.append(query_table(name, list(rows[0]) if rows else [], rows))
    return tables


@EXAMPLES
def test_the_command_tables_show_the_same_cells_everywhere(path):
    tables = _command_tables(path)
    keys = {t.key for t in tables}
    assert {"holders-chain", "opportunities-summary", "whatif-steps", "warm-channels"} <= keys
    assert any(k.startswith("query-") for k in keys)
    for table in tables:
        assert table.rows, table.key
        _assert_same_cells(table)


def test_a_cell_missing_from_one_rendering_is_caught():
    """The comparison is live: a cell the terminal would not show fails it."""
    table = _tables(SMART_CITY)[0]
    terminal = re.sub(r"[\s│┃|]+", "", _terminal_text(table))
    assert "NOT-IN-ANY-TABLE" not in terminal
    assert re.sub(r"\s+", "", table.rows[0][3].text) in terminal
