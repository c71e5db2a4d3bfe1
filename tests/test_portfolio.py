"""The account portfolio: segments, funnel, owner load and heatmap, by hand."""

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from stakegraph.analysis.network import build_network
from stakegraph.analysis.portfolio import portfolio
from stakegraph.cli import main
from stakegraph.config import PortfolioSettings, Settings
from stakegraph.model import Opportunity, Organisation, Owner, Person, Post, Relationship
from stakegraph.workspace import Workspace

DAY = dt.date(2026, 11, 28)
FULL = dict(acceptance=5, participation=5, information=5, guidance=5, support=5, preference=5)


def _ws(settings: Settings | None = None) -> Workspace:
    ws = Workspace(settings)
    for org in ("a", "b", "c"):
        ws.add(Organisation(id=org, name=f"局{org}"))
        ws.add(Post(id=f"{org}-head", org=org, title="局长", grade=5, leadership=True))
        ws.add(Person(id=f"{org}-p", name=f"人{org}", tenures=[{"post": f"{org}-head"}]))
    ws.add(Owner(id="o1", name="甲", tier=3, capacity=1))
    ws.add(Owner(id="o2", name="乙", tier=2, capacity=0))
    # a-p fully covered (strength 1), b-p half, c-p not at all
    ws.add(Relationship(owner="o1", person="a-p", responsible=True, **FULL))
    ws.add(Relationship(owner="o1", person="b-p", responsible=True, **{k: 2.5 for k in FULL}))

    def opp(oid, client, stage, value):
        chain = [{"name": "决策", "roles": [{"post": f"{client}-head", "role": "decision_maker"}]}]
        ws.add(Opportunity(id=oid, name=oid, client=client, stage=stage, value=value, chain=chain))

    opp("a1", "a", "pursuit", 300)
    opp("a2", "a", "early", 100)
    opp("b1", "b", "delivery", 200)
    opp("c1", "c", "delivery", None)
    return ws


def test_segments_funnel_heatmap_and_load_by_hand():
    result = portfolio(build_network(_ws(), DAY))
    rows = {r.org: r for r in result.accounts}
    # cover: a = 1.0 on both, b = 0.5, c = 0 (value unknown: counted 0, equal weights)
    assert (rows["a"].value, rows["a"].coverage) == (400, 1.0)
    assert (rows["b"].value, rows["b"].coverage) == (200, 0.5)
    assert (rows["c"].value, rows["c"].unknown_value, rows["c"].coverage) == (0, 1, 0.0)
    # top 20 % of three accounts = ceil(0.6) = 1 key account: a
    assert [(r.org, r.segment, r.covered) for r in result.accounts] == [
        ("a", "key", True),
        ("b", "general", False),
        ("c", "general", False),
    ]
    assert rows["a"].stance.startswith("守") and rows["b"].stance.startswith("养")
    assert [(f["stage"], f["opportunities"], f["value"]) for f in result.funnel] == [
        ("early", 1, 100),
        ("pursuit", 1, 300),
        ("delivery", 2, 200),
        ("collection", 0, 0),
    ]
    assert result.heatmap["a"] == {
        "early": 1.0,
        "pursuit": 1.0,
        "delivery": None,
        "collection": None,
    }
    assert result.heatmap["b"]["delivery"] == 0.5
    # o1 is the named owner of two key persons with capacity 1: over, load 2.0
    loads = {o.owner: o for o in result.owners}
    assert (loads["o1"].key_persons, loads["o1"].load, loads["o1"].over) == (
        ["a-p", "b-p"],
        2.0,
        True,
    )
    assert (loads["o2"].key_persons, loads["o2"].load, loads["o2"].over) == ([], None, False)
    assert result.notes == ["局c: 1 opportunity value(s) missing, counted as 0"]


def test_value_threshold_replaces_the_share():
    settings = Settings(portfolio=PortfolioSettings(key_account_value=150, covered=0.4))
    result = portfolio(build_network(_ws(settings), DAY))
    assert {r.org: (r.segment, r.covered) for r in result.accounts} == {
        "a": ("key", True),
        "b": ("key", True),
        "c": ("general", False),
    }


@pytest.mark.filterwarnings("error::UserWarning")
def test_command_on_the_example_writes_the_figure(tmp_path: Path):
    out = tmp_path / "portfolio.png"
    result = CliRunner().invoke(
        main,
        ["portfolio", "examples/smart-city", "--as-of", "2026-11-28", "--out", str(out), "--json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["accounts"]) == 3 and sum(f["opportunities"] for f in data["funnel"]) == 4
    assert {a["segment"] for a in data["accounts"]} == {"key", "general"}
    image = Image.open(out).convert("L")
    assert image.getextrema()[0] < 100  # something dark was drawn
    table = CliRunner().invoke(main, ["portfolio", "examples/smart-city", "--as-of", "2026-11-28"])
    assert "客户漏斗" in table.output and "江川市大数据管理局" in table.output
