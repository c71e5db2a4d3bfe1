"""The account portfolio: segments, funnel, owner load and heatmap by hand; its figures."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from stakegraph.analysis.portfolio import portfolio
from stakegraph.analysis.relationship_kinds import key_persons
from stakegraph.config import PortfolioSettings, Settings
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.records.model import Opportunity, Organisation, Owner, Person, Post, Relationship
from stakegraph.records.workspace import Workspace
from stakegraph.views.figures import FigureError
from stakegraph.views.figures.portfolio import plot_funnel, plot_portfolio_heatmap, render_portfolio
from stakegraph.views.json_out import portfolio_document
from tests.builders import DAY, EXAMPLES

FULL = dict(acceptance=5, participation=5, information=5, guidance=5, support=5, preference=5)
HALF = {k: 2.5 for k in FULL}
VALUES = {"a1": 3_000_000, "a2": 1_000_000, "b1": 2_000_000, "c1": None}  # 300, 100, 200 万元


def _ws(settings: Settings | None = None, values: dict | None = None) -> Workspace:
    """Three accounts, one role per chain, strengths 1 (full scores), 0.5 (half) or 0.

    * a (局a): a1 pursuit 300 万元 held by a-p (o1, full) → cover 1; a2 early 100 万元 held by
      a-d (nobody) → 0. A clerk a-x holds a post but no role.
    * b (局b): b1 delivery 200 万元 held by b-p (o1, half) → 0.5.
    * c (局c): c1 delivery, value unknown, held by c-p, whose relationship with o2
      only starts on 2026-12-01.
    """
    values = VALUES if values is None else values
    ws = Workspace(settings)
    for org in ("a", "b", "c"):
        ws.add(Organisation(id=org, name=f"局{org}"))
        ws.add(Post(id=f"{org}-head", org=org, title="局长", grade=5, leadership=True))
        ws.add(Person(id=f"{org}-p", name=f"人{org}", tenures=[{"post": f"{org}-head"}]))
    ws.add(Post(id="a-deputy", org="a", title="副局长", grade=4))
    ws.add(Person(id="a-d", name="副a", tenures=[{"post": "a-deputy"}]))
    ws.add(Post(id="a-clerk", org="a", title="科员", grade=1))
    ws.add(Person(id="a-x", name="员a", tenures=[{"post": "a-clerk"}]))
    ws.add(Owner(id="o1", name="甲", tier=3, capacity=1))
    ws.add(Owner(id="o2", name="乙", tier=2, capacity=2))
    ws.add(Owner(id="o3", name="丙", tier=1, capacity=0))
    ws.add(Relationship(owner="o1", person="a-p", responsible=True, **FULL))
    ws.add(Relationship(owner="o1", person="b-p", responsible=True, **HALF))
    ws.add(Relationship(owner="o2", person="a-x", responsible=True, **FULL))
    ws.add(
        Relationship(owner="o2", person="c-p", responsible=True, since=dt.date(2026, 12, 1), **FULL)
    )

    def opp(oid: str, client: str, stage: str, post: str) -> None:
        chain = [{"name": "决策", "roles": [{"post": post, "role": "decision_maker"}]}]
        ws.add(
            Opportunity(
                id=oid, name=oid, client=client, stage=stage, value=values[oid], chain=chain
            )
        )

    opp("a1", "a", "pursuit", "a-head")
    opp("a2", "a", "early", "a-deputy")
    opp("b1", "b", "delivery", "b-head")
    opp("c1", "c", "delivery", "c-head")
    return ws


@pytest.fixture(scope="module")
def result():
    return portfolio(build_network(_ws(), DAY))


def test_accounts_value_weighted_coverage_and_segments(result):
    rows = {r.org: r for r in result.accounts}
    # a: (300·1 + 100·0) / 400 (万元); c: its only value unknown → counted 0, equal weights
    assert (rows["a"].value, rows["a"].unknown_value, rows["a"].coverage) == (4e6, 0, 0.75)
    assert (rows["b"].value, rows["b"].coverage) == (2e6, 0.5)
    assert (rows["c"].value, rows["c"].unknown_value, rows["c"].coverage) == (0, 1, 0.0)
    assert rows["a"].by_stage == {"early": 1, "pursuit": 1, "delivery": 0, "collection": 0}
    assert result.opportunity_coverage == {"a1": 1.0, "a2": 0.0, "b1": 0.5, "c1": 0.0}
    # top 20 % of three accounts = ceil(0.6) = 1 key account: a; covered at 0.6
    assert [(r.org, r.segment, r.covered) for r in result.accounts] == [
        ("a", "key", True),
        ("b", "general", False),
        ("c", "general", False),
    ]
    assert result.key_threshold == 4e6 and result.covered_threshold == 0.6
    assert result.key_rule == "关键 key: the top 20% of accounts by value, at least one (1 of 3)"
    shown = {r["org"]: r for r in portfolio_document(result)["accounts"]}
    assert shown["a"]["stance"].startswith("守 defend")
    assert (
        shown["b"]["stance"].startswith("养 nurture")
        and shown["c"]["stance"] == shown["b"]["stance"]
    )
    assert [(q.segment, q.covered, q.accounts, q.value) for q in result.quadrants] == [
        ("key", False, [], 0),
        ("key", True, ["a"], 4e6),
        ("general", True, [], 0),
        ("general", False, ["b", "c"], 2e6),
    ]
    assert result.notes == ["局c: 1 opportunity value(s) missing, counted as 0"]


def test_funnel_and_heatmap(result):
    assert [
        (f["stage"], f["label"], f["opportunities"], f["value"], f["unknown_value"])
        for f in portfolio_document(result)["funnel"]
    ] == [
        ("early", "早期 early", 1, 1e6, 0),
        ("pursuit", "前期 pursuit", 1, 3e6, 0),
        ("delivery", "中期 delivery", 2, 2e6, 1),
        ("collection", "后期 collection", 0, 0, 0),
    ]
    assert result.heatmap == {
        "a": {"early": 0.0, "pursuit": 1.0, "delivery": None, "collection": None},
        "b": {"early": None, "pursuit": None, "delivery": 0.5, "collection": None},
        "c": {"early": None, "pursuit": None, "delivery": 0.0, "collection": None},
    }


def test_owner_load_counts_key_persons_named_on_the_day(result):
    # key: the four role holders; the clerk a-x is not (top 10 % of 5 post holders
    # by influence = 1 person, a role holder)
    network = build_network(_ws(), DAY)
    assert result.key_persons == ["a-d", "a-p", "b-p", "c-p"]
    assert result.key_persons == sorted(key_persons(network))
    loads = [(o.owner, o.key_persons, o.capacity, o.load, o.over) for o in result.owners]
    assert loads == [
        ("o1", ["a-p", "b-p"], 1, 2.0, True),  # over capacity first
        ("o2", [], 2, 0.0, False),  # a-x is not key; c-p not yet (since 2026-12-01)
        ("o3", [], 0, None, False),  # no capacity: no ratio
    ]
    later = portfolio(build_network(_ws(), dt.date(2026, 12, 2)))
    o2 = next(o for o in later.owners if o.owner == "o2")
    assert (o2.key_persons, o2.load, o2.over) == (["c-p"], 0.5, False)


def test_value_threshold_replaces_the_share():
    settings = Settings(portfolio=PortfolioSettings(key_account_value=1_500_000, covered=0.4))
    result = portfolio(build_network(_ws(settings), DAY))
    assert {r.org: (r.segment, r.covered) for r in result.accounts} == {
        "a": ("key", True),
        "b": ("key", True),
        "c": ("general", False),
    }
    assert result.key_threshold == 1.5e6 and result.key_rule == "关键 key: value ≥ 150 万元"
    # a fixed threshold may leave no key account at all
    settings = Settings(portfolio=PortfolioSettings(key_account_value=5_000_000))
    result = portfolio(build_network(_ws(settings), DAY))
    assert {r.segment for r in result.accounts} == {"general"}


def test_a_larger_share_makes_an_under_covered_key_account_to_invest_in():
    settings = Settings(portfolio=PortfolioSettings(key_account_share=0.5))
    result = portfolio(build_network(_ws(settings), DAY))
    # ceil(0.5 × 3) = 2 key accounts: a (400) and b (200); b is under-covered
    rows = {r.org: r for r in result.accounts}
    assert (rows["b"].segment, rows["b"].covered) == ("key", False)
    shown = portfolio_document(result)
    stance = next(r["stance"] for r in shown["accounts"] if r["org"] == "b")
    assert stance.startswith("攻 invest") and "压强" in stance
    assert shown["quadrants"][0]["stance"] == stance
    assert result.quadrants[0].accounts == ["b"] and result.key_threshold == 2e6


def test_equal_weights_when_no_value_is_known():
    values = dict.fromkeys(VALUES)
    result = portfolio(build_network(_ws(values=values), DAY))
    rows = {r.org: r for r in result.accounts}
    assert (rows["a"].value, rows["a"].unknown_value, rows["a"].coverage) == (0, 2, 0.5)
    assert [f["value"] for f in result.funnel] == [0, 0, 0, 0]
    # every account is worth 0: the share rule still names one key account (by id)
    assert [r.org for r in result.accounts if r.segment == "key"] == ["a"]


def test_to_dict_is_json_ready(result):
    data = json.loads(json.dumps(result.to_dict(), default=str))
    assert data["day"] == "2026-11-28"
    assert data["accounts"][0]["org"] == "a" and data["quadrants"][1]["accounts"] == ["a"]
    assert data["owners"][0]["over"] is True and data["heatmap"]["b"]["delivery"] == 0.5


# --- figures ------------------------------------------------------------------------------


def _draw(ax) -> str:
    """Draw with every warning an error (a missing glyph warns); return all texts."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax.figure.canvas.draw()
    return "\n".join(t.get_text() for t in ax.figure.findobj(Text))


def test_heatmap_on_a_given_ax(result):
    ax = Figure(figsize=(9, 4)).add_subplot()
    assert plot_portfolio_heatmap(result, ax=ax) is ax
    text = _draw(ax)
    assert "局a" in text and "关键 key" in text and "普遍 general" in text and "早期 early" in text
    cells = [t.get_text() for t in ax.texts]
    assert sorted(cells) == ["0%", "0%", "100%", "50%"]  # a early, a pursuit, b, c
    hatched = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_hatch()]
    assert len(hatched) == 4 * 3 - 4  # every empty cell is hatched
    # the under-covered accounts b and c are in red
    colours = [t.get_color() for t in ax.get_yticklabels()]
    assert colours[0] != colours[1] and colours[1] == colours[2]


def test_funnel_on_a_given_ax(result):
    ax = Figure(figsize=(7, 4)).add_subplot()
    assert plot_funnel(result, ax=ax) is ax
    text = _draw(ax)
    assert "客户漏斗" in text and "后期 collection" in text
    assert "2 个商机, 200 万元 (+1 金额未知 unknown)" in "\n".join(t.get_text() for t in ax.texts)
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    widths = sorted(round(b.get_width(), 3) for b in bars)
    assert widths == [0.333, 0.667, 1.0]  # values 100, 200, 300; no bar for collection


def test_standalone_axes_when_none_given(result):
    ax = plot_portfolio_heatmap(result)
    assert ax.figure is not None and ax.get_title("left").startswith("客户组合覆盖度")
    assert plot_funnel(result).get_title("left").startswith("客户漏斗")


def test_render_portfolio_png_svg_and_bad_suffix(result, tmp_path: Path):
    png = render_portfolio(result, tmp_path / "p.png")
    pixels = mpimg.imread(png)
    assert pixels.shape[0] > 300 and pixels.shape[1] > 300
    assert float(np.std(pixels[..., :3])) > 0.05
    svg = render_portfolio(result, tmp_path / "p.svg")
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    with pytest.raises(FigureError, match=r"\.png or \.svg"):
        render_portfolio(result, tmp_path / "p.pdf")
    assert not (tmp_path / "p.pdf").exists()


def test_example_smoke_run():
    ws = load_workspace(EXAMPLES / "smart-city")
    result = portfolio(build_network(ws, DAY))
    assert {r.org for r in result.accounts} == {o.client for o in ws.opportunities.values()}
    assert sum(f["opportunities"] for f in result.funnel) == len(ws.opportunities)
    assert sum(f["value"] for f in result.funnel) == sum(r.value for r in result.accounts)
    assert any(r.segment == "key" for r in result.accounts)
    assert sum(len(q.accounts) for q in result.quadrants) == len(result.accounts)
    for row in result.accounts:
        filled = [v for v in result.heatmap[row.org].values() if v is not None]
        assert len(filled) == sum(1 for n in row.by_stage.values() if n)
        assert all(0 <= v <= 1 for v in filled)
    assert len(result.owners) == len(ws.owners)
    for o in result.owners:
        assert set(o.key_persons) <= set(result.key_persons)
        assert o.over == (len(o.key_persons) > o.capacity)


def test_given_opportunity_coverage_is_used_and_the_rest_computed():
    # b1 given as 1.0 (computed: 0.5); a1, a2, c1 computed as in the hand values above
    ticks = []
    given = portfolio(
        build_network(_ws(), DAY),
        progress=lambda: ticks.append(1),
        opportunity_coverage={"b1": 1.0},
    )
    assert given.opportunity_coverage == {"a1": 1.0, "a2": 0.0, "b1": 1.0, "c1": 0.0}
    assert given.heatmap["b"]["delivery"] == 1.0
    assert len(ticks) == 4


def test_the_report_reuses_the_diff_coverage_and_agrees_with_a_plain_run():
    from stakegraph.views.report import accounts_report

    ws = load_workspace(EXAMPLES / "smart-city")
    network = build_network(ws, DAY)
    section = accounts_report(network)
    assert section["since_review"] is not None  # the example has a saved plan
    plain = portfolio_document(portfolio(build_network(ws, DAY)))
    assert section["portfolio"]["opportunity_coverage"] == plain["opportunity_coverage"]
    assert section["portfolio"]["accounts"] == plain["accounts"]
