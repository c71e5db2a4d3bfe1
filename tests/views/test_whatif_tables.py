"""The what-if document and its tables: names from the workspace as it was, one definition."""

from __future__ import annotations

import io
import json

from rich.console import Console

from stakegraph.analysis.whatif import Change, what_if
from stakegraph.config import LANGUAGE
from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
from stakegraph.views.language import english_title, shown_table
from stakegraph.views.markdown import table_markdown
from stakegraph.views.terminal import print_whatif
from stakegraph.views.whatif_tables import (
    RANK_MOVES_SHOWN,
    describe_change,
    rank_moves_table,
    whatif_data,
    whatif_tables,
)


def _data(*changes: Change, language: str = "en") -> dict:
    ws = sample_workspace()
    token = LANGUAGE.set(language)
    try:
        return whatif_data(ws, what_if(ws, "portal", SAMPLE_DAY, list(changes)))
    finally:
        LANGUAGE.reset(token)


def _printed(data: dict, language: str) -> str:
    out = io.StringIO()
    token = LANGUAGE.set(language)
    try:
        print_whatif(Console(file=out, width=200, color_system=None), data)
    finally:
        LANGUAGE.reset(token)
    return out.getvalue()


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
    change = Change("set_relationship", "chen", "wang", (("acceptance", 4.0), ("support", 2.5)))
    said = {
        "en": [
            "李明 rotates to 市数据局科长",
            "李明 rotates to nowhere",
            "owner 小刘 leaves",
            "relationship 陈总 → 王芳 set to acceptance 4, support 2.5",
            "李明 leaves 市数据局科长",
        ],
        "zh": [
            "李明调任市数据局科长",
            "李明调任nowhere",
            "我方小刘离开",
            "陈总与王芳的关系设为接受认可度 4、项目支持度 2.5",
            "李明离开市数据局科长",
        ],
    }
    for language, expected in said.items():
        assert [
            describe_change(ws, Change("rotate", "li", "chief"), language),
            describe_change(ws, Change("rotate", "li", "nowhere"), language),
            describe_change(ws, Change("owner_leaves", "liu"), language),
            describe_change(ws, change, language),
            describe_change(ws, Change("leave_post", "li", "chief"), language),
        ] == expected


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
    assert [c.text for c in table.rows[0]] == ["p1", "1", "已离开 gone"]
    assert [c.text for c in shown_table(table, "en").rows[0]] == ["p1", "1", "gone"]
    assert "| p15 | 15 | 16 |" in table_markdown(table)


def test_the_terminal_prints_the_heading_and_every_table():
    data = _data(Change("remove_person", "zhao"))
    text = _printed(data, "en")
    assert text.startswith("what-if: 赵强 leaves\ncoverage 40% → 0% (-40.0 points)\n")
    flat = "".join(text.split())
    for table in whatif_tables(data):
        # a title wider than its table wraps over lines
        assert "".join(english_title(table.title).split()) in flat


def test_a_chinese_workspace_gets_the_scenario_in_chinese_and_json_stays_english():
    zh = _data(Change("remove_person", "zhao"), language="zh")
    en = _data(Change("remove_person", "zhao"), language="en")
    assert json.dumps(zh, ensure_ascii=False) == json.dumps(en, ensure_ascii=False)
    assert zh["changes"] == ["赵强 leaves"]
    text = _printed(zh, "zh")
    assert text.startswith("假设分析 what-if: 赵强离开\n覆盖率 40% → 0%（-40.0 个百分点）\n")
    assert "各环节覆盖 coverage per step" in text and "影响力排名变化" in text
    assert "已离开 gone" in text
    # the gap reason is phrased in Chinese for the table, in English for --json
    opened = zh["gap_moves"]["opened"][0]
    assert "我方无人认识" in text and "none of us knows" in opened["reason"]


def test_a_name_with_markup_is_printed_as_written():
    ws = sample_workspace()
    ws.persons["zhao"].name = "[bold]赵强[/]"
    data = whatif_data(ws, what_if(ws, "portal", SAMPLE_DAY, [Change("remove_person", "zhao")]))
    out = io.StringIO()
    print_whatif(Console(file=out, width=200, color_system=None), data)
    assert "假设分析 what-if: [bold]赵强[/]离开" in out.getvalue()
