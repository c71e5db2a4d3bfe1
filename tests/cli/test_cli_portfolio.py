"""The portfolio command: tables, JSON, the figure, errors, help, and the example."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from stakegraph.io import load_workspace, save_workspace
from tests.analysis.test_portfolio import _ws
from tests.builders import DAY, EXAMPLES, cli_runner


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The three accounts of test_portfolio, written to disk."""
    save_workspace(_ws(), tmp_path / "ws")
    return tmp_path / "ws"


run = cli_runner()


def test_tables_in_order_with_hand_computed_rows(folder):
    result = run("portfolio", folder, "--as-of", DAY)
    assert result.exit_code == 0, result.output
    out = result.output
    titles = ["客户组合 portfolio", "客户漏斗 funnel", "负责人负荷 owner load", "覆盖度 coverage"]
    positions = [out.index(t) for t in titles]
    assert positions == sorted(positions)
    lines = out.splitlines()

    def row(start: str) -> list[str]:
        line = next(x for x in lines if x.startswith(f"│ {start}"))
        return [c.strip() for c in line.strip("│").split("│")]

    assert row("局a ")[:5] == ["局a", "关键 key", "2", "400", "75%"]
    assert row("局a ")[5].startswith("守 defend")
    assert row("局b ")[:5] == ["局b", "普遍 general · 覆盖不足 under-covered", "1", "200", "50%"]
    assert row("局c ")[3] == "0 (+1 unknown)"
    assert row("中期 delivery") == ["中期 delivery", "2", "200 (+1 unknown)"]
    assert row("后期 collection") == ["后期 collection", "0", "0"]
    assert row("甲") == ["甲", "2", "人a, 人b", "1", "200% 超负荷 over"]
    assert row("丙") == ["丙", "0", "—", "0", "—"]
    # heatmap rows come after the funnel's, so take the last line for each account
    heat_a = [x for x in lines if x.startswith("│ 局a ")][-1]
    assert [c.strip() for c in heat_a.strip("│").split("│")] == ["局a", "0%", "100%", "—", "—"]
    flat = " ".join(out.split())
    assert "局c: 1 opportunity value(s) missing, counted as 0" in flat
    assert "the top 20% of accounts by value, at least one (1 of 3); 覆盖 covered" in flat


def test_json_and_both_figure_formats(folder, tmp_path):
    png = tmp_path / "fig" / "portfolio.png"
    result = run("portfolio", folder, "--as-of", DAY, "--json", "--out", png)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["day"] == DAY.isoformat() and data["figure"] == str(png)
    assert [(a["org"], a["segment"], a["covered"], a["coverage"]) for a in data["accounts"]] == [
        ("a", "key", True, 0.75),
        ("b", "general", False, 0.5),
        ("c", "general", False, 0.0),
    ]
    assert [f["opportunities"] for f in data["funnel"]] == [1, 1, 2, 0]
    assert data["owners"][0]["owner"] == "o1" and data["owners"][0]["load"] == 2.0
    assert data["heatmap"]["a"] == {
        "early": 0.0,
        "pursuit": 1.0,
        "delivery": None,
        "collection": None,
    }
    image = Image.open(png).convert("L")
    assert image.size[0] > 1000 and image.getextrema()[0] < 100  # drawn, not blank
    svg = tmp_path / "portfolio.svg"
    result = run("portfolio", folder, "--as-of", DAY, "--out", svg)
    assert result.exit_code == 0, result.output
    assert f"已写入 {svg}。" in result.output and svg.stat().st_size > 0


def test_a_bad_figure_name_is_one_line_and_writes_nothing(folder, tmp_path):
    out = tmp_path / "portfolio.pdf"
    result = run("portfolio", folder, "--as-of", DAY, "--out", out)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"error: {out}: use a .png or .svg file name."]
    assert not out.exists()


def test_a_broken_workspace_is_one_line(folder):
    text = (folder / "opportunities.yaml").read_text(encoding="utf-8")
    (folder / "opportunities.yaml").write_text(
        text.replace("client: c", "client: nowhere"), encoding="utf-8"
    )
    result = run("portfolio", folder, "--as-of", DAY)
    assert result.exit_code == 1
    assert "nowhere" in result.output and "Traceback" not in result.output


def test_help_has_an_example():
    result = run("portfolio", "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "stakegraph portfolio examples/smart-city" in result.output
    assert "--as-of" in result.output and "--json" in result.output and "--out" in result.output


@pytest.mark.filterwarnings("error::UserWarning")
def test_the_example(tmp_path):
    ws = load_workspace(EXAMPLES / "smart-city")
    out = tmp_path / "portfolio.png"
    args = ["portfolio", EXAMPLES / "smart-city", "--as-of", DAY]
    result = run(*args, "--out", out, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    clients = {o.client for o in ws.opportunities.values()}
    assert {a["org"] for a in data["accounts"]} == clients
    assert sum(f["opportunities"] for f in data["funnel"]) == len(ws.opportunities)
    assert any(a["segment"] == "key" for a in data["accounts"])
    assert Image.open(out).convert("L").getextrema()[0] < 100
    table = run(*args)
    assert table.exit_code == 0, table.output
    assert "客户漏斗" in table.output
    for org in clients:
        assert ws.organisations[org].name in table.output
