"""Each report table is defined once and rendered three ways that agree cell for cell."""

from __future__ import annotations

import html
import io
import re

import pytest
from rich.console import Console

from stakegraph.io import load_workspace
from stakegraph.views.html import table_html
from stakegraph.views.markdown import table_markdown, unescape_cell
from stakegraph.views.report import build_report
from stakegraph.views.tables import account_tables, opportunity_tables
from stakegraph.views.terminal import rich_table
from tests.builders import DAY, HARBOR_COUNTY, SMART_CITY


def _tables(path):
    report = build_report(load_workspace(path), DAY)
    tables = [t for opp in report["opportunities"] for t in opportunity_tables(opp)]
    return tables + account_tables(report["accounts"])


def _terminal_text(table) -> str:
    out = io.StringIO()
    Console(file=out, width=400, color_system=None).print(rich_table(table))
    return out.getvalue()


@pytest.mark.parametrize("path", [SMART_CITY, HARBOR_COUNTY], ids=["smart-city", "harbor-county"])
def test_terminal_html_and_markdown_show_the_same_cells(path):
    tables = _tables(path)
    assert len(tables) >= 10
    for table in tables:
        terminal = _terminal_text(table)
        page = html.unescape(re.sub(r"<[^>]+>", " ", table_html(table)))
        markdown = unescape_cell(table_markdown(table))
        for text in [table.title, *table.columns, *(c.text for row in table.rows for c in row)]:
            # the terminal folds long cells over lines: compare without spaces and breaks
            flat = re.sub(r"[\s│┃|]+", "", text)
            assert flat in re.sub(r"[\s│┃|]+", "", terminal), (table.key, text)
            assert flat in re.sub(r"\s+", "", page), (table.key, text)
            assert flat in re.sub(r"[\s|]+", "", markdown), (table.key, text)


def test_a_cell_missing_from_one_rendering_is_caught():
    """The comparison is live: a cell the terminal would not show fails it."""
    table = _tables(SMART_CITY)[0]
    terminal = re.sub(r"[\s│┃|]+", "", _terminal_text(table))
    assert "NOT-IN-ANY-TABLE" not in terminal
    assert re.sub(r"\s+", "", table.rows[0][3].text) in terminal
