"""Figures: every kind renders the Chinese example with real glyphs, to PNG and SVG."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import subprocess
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import matplotlib
import matplotlib.image as mpimg
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from stakegraph.analysis.coverage import coverage
from stakegraph.analysis.influence import influence
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.views import figures as viz
from stakegraph.views import fonts
from tests.builders import DATA, DAY, EXAMPLES, run_cli

OPP = "smart-city"
CJK = re.compile(r"[\u4e00-\u9fff]")
HAS_PLAN = importlib.util.find_spec("stakegraph.analysis.paths") is not None


@pytest.fixture(scope="module")
def ws():
    return load_workspace(EXAMPLES / "smart-city")


@pytest.fixture(scope="module")
def network(ws):
    return build_network(ws, DAY)


@pytest.fixture(scope="module")
def cov(network):
    return coverage(network, OPP)


@pytest.fixture(scope="module")
def stub_plan(network, cov):
    """Plan rows shaped like engagement_plan's, built from coverage alone."""
    ws = network.workspace
    rows, seen = [], set()
    for h in cov.holders:
        if h.person is None or h.person in seen:
            continue
        seen.add(h.person)
        grade = int(network.grade[network.person_index[h.person]])
        channel = (
            SimpleNamespace(owner=h.channel_owner, persons=list(h.channel), strength=h.cover)
            if h.cover > 0
            else None
        )
        rows.append(
            SimpleNamespace(
                phase="senior" if grade >= 6 else "middle" if grade >= 4 else "base",
                target=h.person,
                name=ws.persons[h.person].name,
                posts=network.posts.get(h.person, []),
                grade=grade,
                influence=h.influence,
                cover=h.cover,
                paired_tier=None,
                paired_owner=None,
                channel=channel,
                introducer=None,
                responsible=(h.responsible or h.owners or ["meng-xiaodong"])[0],
            )
        )
    rows.sort(key=lambda r: -r.grade)
    return rows


@contextmanager
def no_missing_glyphs():
    """Every warning is an error: 'Glyph … missing from font(s)' must not happen."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def texts_of(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(Text))


def draw(ax) -> None:
    with no_missing_glyphs():
        ax.figure.canvas.draw()


def assert_not_blank(path: Path) -> None:
    pixels = mpimg.imread(path)
    assert pixels.ndim == 3 and pixels.shape[0] > 300 and pixels.shape[1] > 300
    assert float(np.std(pixels[..., :3])) > 0.05, f"{path} looks blank"


# --- fonts --------------------------------------------------------------------------------


@pytest.fixture
def fresh_fonts(monkeypatch):
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    fonts._reset()
    yield
    fonts._reset()  # the next figure searches again, with the real environment


def test_a_cjk_font_is_found_and_configured(fresh_fonts):
    found = fonts.use_cjk_font()
    assert found is not None, fonts.INSTALL_HINT
    assert found.path.is_file()
    assert fonts._has_chinese(found.path) or found.path.suffix.lower() == ".ttc"
    assert matplotlib.rcParams["font.sans-serif"][0] == found.name
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_env_var_names_the_font(fresh_fonts, monkeypatch):
    found = fonts.find_cjk_font()
    assert found is not None, fonts.INSTALL_HINT
    monkeypatch.setenv(fonts.ENV_VAR, str(found.path))
    again = fonts.find_cjk_font()
    assert again is not None and again.path == found.path.resolve()


def test_a_bad_env_var_warns_and_falls_back(fresh_fonts, monkeypatch, tmp_path):
    monkeypatch.setenv(fonts.ENV_VAR, str(tmp_path / "nope.otf"))
    with pytest.warns(fonts.MissingCJKFontWarning, match="not a file"):
        found = fonts.find_cjk_font()
    assert found is not None and found.path.is_file()


def test_no_font_warns_once_with_install_advice(fresh_fonts, monkeypatch):
    monkeypatch.setattr(fonts, "_known_to_matplotlib", lambda: None)
    monkeypatch.setattr(fonts, "_search_files", lambda: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert fonts.find_cjk_font() is None
        assert fonts.use_cjk_font() is None
        assert fonts.find_cjk_font() is None
    missing = [w for w in caught if issubclass(w.category, fonts.MissingCJKFontWarning)]
    assert len(missing) == 1
    text = str(missing[0].message)
    assert "apt-get install fonts-noto-cjk" in text
    assert "STAKEGRAPH_FONT" in text


def test_without_a_font_a_figure_warns_once_not_per_character(tmp_path):
    # A fresh process: the glyph warnings are silenced process-wide once the one
    # warning is given, which must not leak into the other tests.
    script = """
import warnings, sys
warnings.simplefilter("always")
import stakegraph.views.fonts as fonts
fonts._known_to_matplotlib = lambda: None
fonts._search_files = lambda: None
import matplotlib
matplotlib.use("Agg")
matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans"]
from matplotlib.figure import Figure
fonts.use_cjk_font()
for _ in range(3):
    fig = Figure()
    fig.add_subplot().set_title("决策链覆盖 市大数据管理局")
    fig.savefig(sys.argv[1])
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "f.png")],
        capture_output=True,
        text=True,
        env={**os.environ, fonts.ENV_VAR: ""},
        check=True,
    )
    assert done.stderr.count("MissingCJKFontWarning") == 1, done.stderr
    assert "Glyph" not in done.stderr, done.stderr[:500]


# --- each plot: draws on a given ax, returns it, Chinese renders ----------------------------


def _plain_ax(size=(12, 8)):
    fig = Figure(figsize=size)
    return fig.add_subplot()


def test_chain_draws_on_the_given_ax(network, cov):
    ax = _plain_ax((14, 9))
    assert viz.plot_chain(network, cov, ax=ax) is ax
    draw(ax)
    text = texts_of(ax.figure)
    assert CJK.search(text)
    assert "需求立项" in text and "空缺" in text and "许志恒" in text
    assert "覆盖 51%" in text  # overall coverage in the title
    assert len(ax.patches) > 20


def test_influence_draws_on_the_given_ax(network):
    infl = influence(network, OPP)
    ax = _plain_ax()
    assert viz.plot_influence(network, infl, top=8, ax=ax) is ax
    draw(ax)
    assert len(ax.get_yticklabels()) == 8
    text = texts_of(ax.figure)
    assert "林书远" in text and "正式 formal" in text and "决策 decision" in text


def test_radar_for_a_person_and_for_an_owner(network):
    fig = Figure(figsize=(7, 7))
    ax = fig.add_subplot(projection="polar")
    assert viz.plot_radar(network, person="xu-zhiheng", ax=ax) is ax
    draw(ax)
    text = texts_of(fig)
    assert "接受认可度" in text and "竞争偏向度" in text
    assert "刘凯" in text and "王立" in text  # both owners who know him
    own = viz.plot_radar(network, owner="wang-li")
    assert own.name == "polar"
    draw(own)
    assert "沈嘉禾" in texts_of(own.figure)


def test_radar_overlays_an_earlier_date_dashed(network):
    ax = viz.plot_radar(network, person="he-jing", compare=dt.date(2026, 7, 31))
    draw(ax)
    solid = [line for line in ax.get_lines() if line.get_linestyle() == "-"]
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(solid) == len(dashed) == 1
    # 谢婷 ↔ 何静: re-assessed after the July complaint, then recovered by 2026-10-31
    assert list(dashed[0].get_ydata())[:6] == [3, 2, 3, 3, 2, 2]
    assert list(solid[0].get_ydata())[:6] == [4, 3, 4, 3, 4, 3]
    assert "2026-07-31" in texts_of(ax.figure)
    plain = viz.plot_radar(network, person="he-jing")
    assert all(line.get_linestyle() == "-" for line in plain.get_lines())


def test_radar_rejects_a_cartesian_ax(network):
    with pytest.raises(ValueError, match="polar"):
        viz.plot_radar(network, person="xu-zhiheng", ax=_plain_ax())


def test_radar_needs_one_of_person_or_owner(network):
    with pytest.raises(ValueError, match="exactly one"):
        viz.plot_radar(network)
    with pytest.raises(ValueError, match="exactly one"):
        viz.plot_radar(network, person="xu-zhiheng", owner="wang-li")
    with pytest.raises(ValueError, match="no person"):
        viz.plot_radar(network, person="nobody")


def test_heatmap_cells_are_strengths(network, cov):
    ax = _plain_ax()
    assert viz.plot_coverage_heatmap(network, cov, ax=ax) is ax
    draw(ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == len(cov.holders)
    assert labels[0].startswith("许志恒") and "需求立项" in labels[0]
    cells = {t.get_text() for t in ax.texts}
    assert "0.94" in cells  # 刘凯 ↔ 许志恒


def test_triangle_from_a_plan(network, stub_plan):
    ax = _plain_ax((15, 9.5))
    assert viz.plot_triangle(network, stub_plan, ax=ax) is ax
    draw(ax)
    text = texts_of(ax.figure)
    assert "高层对接" in text and "责任到人" in text
    assert "无渠道" in text  # 彭飞 has no channel
    assert "林书远" in text and "陈振华" in text


def test_org_chart(ws):
    ax = _plain_ax((16, 7))
    assert viz.plot_org_chart(ws, as_of=DAY, ax=ax) is ax
    draw(ax)
    text = texts_of(ax.figure)
    assert "江川市人民政府" in text and "预算科" in text and "许志恒" in text
    assert "条：业务指导" in text
    arrows = [t.arrow_patch for t in ax.texts if getattr(t, "arrow_patch", None)]
    dashed = [a for a in arrows if a.get_linestyle() not in ("-", "solid")]
    assert len(dashed) == 3  # 条: the city's big-data, finance and development bureaus


@pytest.mark.parametrize(
    ("day", "shown", "gone"),
    [
        (dt.date(2019, 2, 28), "江川市信息中心", "江川市大数据管理局"),
        (dt.date(2019, 3, 1), "江川市大数据管理局", "江川市信息中心"),
    ],
)
def test_org_chart_draws_the_organisations_of_the_day(day, shown, gone):
    ws = load_workspace(DATA / "structure")
    ax = _plain_ax((8, 5))
    viz.plot_org_chart(ws, as_of=day, ax=ax)
    draw(ax)
    text = texts_of(ax.figure)
    assert shown in text and gone not in text


def test_harbor_county_english_chain(tmp_path):
    hc = load_workspace(EXAMPLES / "harbor-county")
    opp = next(iter(hc.opportunities))
    with no_missing_glyphs():
        out = viz.render_figure(hc, "chain", opportunity=opp, as_of=DAY, out=tmp_path / "c.png")
    assert_not_blank(out)


# --- render_figure ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".png", ".svg"])
@pytest.mark.parametrize("kind", list(viz.FIGURES))
def test_render_every_kind(ws, kind, suffix, tmp_path):
    if kind == "triangle" and not HAS_PLAN:
        pytest.skip("the engagement plan (stakegraph.analysis.paths) is not available yet")
    out = tmp_path / f"{kind}{suffix}"
    with no_missing_glyphs():
        written = viz.render_figure(
            ws, kind, opportunity=OPP, as_of=DAY, person="xu-zhiheng", out=out
        )
    assert written == out and out.stat().st_size > 5000
    if suffix == ".png":
        assert_not_blank(out)
    else:
        assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_render_from_a_network_and_leaves_no_open_figures(ws, tmp_path):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    network = build_network(ws, DAY)
    for kind in ("orgchart", "influence"):
        out = viz.render_figure(network, kind, out=tmp_path / f"{kind}.png")
        assert_not_blank(out)
    assert plt.get_fignums() == before
    # the network's own day, and no other
    viz.render_figure(network, "influence", as_of=DAY, out=tmp_path / "same-day.png")
    with pytest.raises(ValueError, match=f"the network is of {DAY}, not 2026-06-01"):
        viz.render_figure(
            network, "influence", as_of=dt.date(2026, 6, 1), out=tmp_path / "other.png"
        )
    assert not (tmp_path / "other.png").exists()


def test_render_is_handed_a_workspace_not_a_path(tmp_path):
    out = tmp_path / "o.png"
    with pytest.raises(TypeError, match=r"not PosixPath; load a folder first"):
        viz.render_figure(EXAMPLES / "smart-city", "orgchart", as_of=DAY, out=out)
    with pytest.raises(TypeError, match=r"not str"):
        viz.render_figure(str(EXAMPLES / "smart-city"), "chain", opportunity=OPP, out=out)
    assert not out.exists()


def test_render_rejects_an_unknown_kind(ws, tmp_path):
    out = tmp_path / "x.png"
    with pytest.raises(viz.FigureError, match=r"unknown figure kind 'pie'.*chain, influence"):
        viz.render_figure(ws, "pie", out=out)
    assert not out.exists()


def test_render_rejects_an_unknown_suffix(ws, tmp_path):
    with pytest.raises(viz.FigureError, match=r"\.png or \.svg"):
        viz.render_figure(ws, "chain", opportunity=OPP, out=tmp_path / "x.jpg")


def test_render_needs_an_opportunity_when_there_are_several(ws, tmp_path):
    with pytest.raises(viz.FigureError, match="smart-city, gov-cloud"):
        viz.render_figure(ws, "chain", as_of=DAY, out=tmp_path / "x.png")
    with pytest.raises(viz.FigureError, match="person or an owner"):
        viz.render_figure(ws, "radar", as_of=DAY, out=tmp_path / "x.png")


def test_labels():
    ws = load_workspace(EXAMPLES / "smart-city")
    assert viz.post_label(ws, "jc-party-secretary") == "江川市委书记"
    assert viz.post_label(ws, "jc-bdb-director") == "市大数据局局长"
    assert viz.post_label(ws, "jc-fin-budget-chief") == "江川市财政局预算科科长"
    assert viz.post_label(ws, "jc-vice-mayor") == "江川市政府副市长"


def test_plot_radar_compare_writes_both_dates_to_the_legend(tmp_path):
    out = tmp_path / "he-jing.png"
    args = ["plot", EXAMPLES / "smart-city", "radar", "--person", "he-jing"]
    args += ["--compare", "2026-07-31", "--as-of", DAY, "--out", out, "-q"]
    result = run_cli(args)
    assert result.exit_code == 0, result.output
    assert_not_blank(out)
    ax = viz.plot_radar(build_network(load_workspace(EXAMPLES / "smart-city"), DAY), "he-jing")
    assert all(DAY.isoformat() not in t.get_text() for t in ax.get_legend().get_texts())
    ax = viz.plot_radar(
        build_network(load_workspace(EXAMPLES / "smart-city"), DAY),
        "he-jing",
        compare=dt.date(2026, 7, 31),
    )
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(legend) == 2
    assert DAY.isoformat() in legend[0] and "2026-07-31" in legend[1]
    chain = ["plot", EXAMPLES / "smart-city", "chain", "--compare", "2026-07-31"]
    bad = run_cli([*chain, "--out", tmp_path / "c.png", "-q"])
    assert bad.exit_code == 1 and "radar only" in bad.output
    assert not (tmp_path / "c.png").exists()


def test_heatmap_of_a_large_sales_force_shows_only_owners_who_know_the_chain(network, cov):
    ax = _plain_ax()
    viz.plot_coverage_heatmap(network, cov, ax=ax, max_owners=1)
    draw(ax)
    ws = network.workspace
    holders = {h.person for h in cov.holders if h.person}
    knowing = {ws.owners[r.owner].name for r in ws.relationships.values() if r.person in holders}
    shown = [t.get_text().split("\n")[0] for t in ax.get_xticklabels()]
    assert 1 < len(shown) < len(ws.owners) and set(shown) == knowing
    assert f"另有 {len(ws.owners) - len(shown)} 名我方人员" in ax.get_xlabel()
    everyone = _plain_ax()
    viz.plot_coverage_heatmap(network, cov, ax=everyone)
    draw(everyone)
    assert len(everyone.get_xticklabels()) == len(ws.owners) and "另有" not in everyone.get_xlabel()
