"""The what-if document and its tables: names from the workspace as it was, one definition."""

from __future__ import annotations

import io
import json

from rich.console import Console

from stakegraph.analysis.whatif import Change, what_if
from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
from stakegraph.views.markdown import table_markdown
from stakegraph.views.terminal import print_whatif
from stakegraph.views.whatif_tables import (
    RANK_MOVES_SHOWN,
    describe_change,
    rank_moves_table,
    whatif_data,
    whatif_tables,
)


def _data(*changes: Change) -> dict:
    ws = sample_workspace()
    return whatif_data(ws, what_if(ws, "portal", SAMPLE_DAY, list(changes)))


def test_removing_the_only_bridge_shows_coverage_falling_to_nothing():
    data = _data(Change("remove_person", "zhao"))
    assert data["changes"] == ["赵强 leaves"]
    assert data["coverage"] == {"before": 0.4, "after": 0.0, "change": -0.4}
    gone = [r for r in data["rank_changes"] if r["person"] == "zhao"]
    assert gone == [{"person": "zhao", "name": "赵强", "before": gone[0]["before"], "after": None}]
    json.dumps(data)  # JSON-ready as it is
    keys = [t.key for t in whatif_tables(data)]
    assert keys[0] == "whatif-steps" and "whatif-ranks" in keys


def test_every_change_is_described_with_names_and_an_unknown_id_as_given():
    ws = sample_workspace()
    assert describe_change(ws, Change("rotate", "li", "chief")) == "李明 rotates to 市数据局科长"
    assert describe_change(ws, Change("rotate", "li", "nowhere")) == "李明 rotates to nowhere"
    assert describe_change(ws, Change("owner_leaves", "liu")) == "owner 小刘 leaves"
    change = Change("set_relationship", "chen", "wang", (("acceptance", 4.0), ("support", 2.5)))
    assert (
        describe_change(ws, change) == "relationship 陈总 → 王芳 set to acceptance 4, support 2.5"
    )


def test_empty_tables_are_left_out_but_coverage_per_step_always_shows():
    data = _data(Change("set_relationship", "chen", "li", (("support", 3.0),)))
    tables = whatif_tables(data)
    assert tables[0].key == "whatif-steps" and len(tables[0].rows) == 1
    assert all(t.rows for t in tables[1:])


def test_rank_moves_show_the_first_rows_and_gone_for_one_who_left():
    moves = [{"name": f"p{i}", "before": i, "after": i + 1} for i in range(1, 20)]
    moves[0]["after"] = None
    table = rank_moves_table(moves)
    assert len(table.rows) == RANK_MOVES_SHOWN
    assert [c.text for c in table.rows[0]] == ["p1", "1", "gone"]
    assert "| p15 | 15 | 16 |" in table_markdown(table)


def test_the_terminal_prints_the_heading_and_every_table():
    data = _data(Change("remove_person", "zhao"))
    out = io.StringIO()
    print_whatif(Console(file=out, width=200, color_system=None), data)
    text = out.getvalue()
    assert text.startswith("假设分析 what-if: 赵强 leaves\ncoverage 40% → 0% (-40.0 points)\n")
    flat = "".join(text.split())
    for table in whatif_tables(data):
        # a title wider than its table wraps over lines
        assert "".join(table.title.split()) in flat


def test_a_name_with_markup_is_printed_as_written():
    ws = sample_workspace()
    ws.persons["zhao"].name = "[bold]赵强[/]"
    data = whatif_data(ws, what_if(ws, "portal", SAMPLE_DAY, [Change("remove_person", "zhao")]))
    out = io.StringIO()
    print_whatif(Console(file=out, width=200, color_system=None), data)
    assert "what-if: [bold]赵强[/] leaves" in out.getvalue()
