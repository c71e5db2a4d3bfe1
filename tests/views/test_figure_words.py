"""Figures are drawn in their language: fixed words asked for, user data untouched, no overlaps."""

from __future__ import annotations

import itertools
import re
import shutil
import string
from pathlib import Path

import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from stakegraph.analysis.coverage import GapKind, coverage
from stakegraph.analysis.influence import influence
from stakegraph.analysis.plan import engagement_plan
from stakegraph.config import LANGUAGE
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.views import figures as viz
from stakegraph.views.figures.common import _text_points_drawn, _wrap_to
from stakegraph.views.figures.language import (
    FIGURE_WORDS,
    dimension_word,
    gap_tag,
    grade_word,
    phase_word,
    say,
    tier_word,
    vocabulary_word,
)
from stakegraph.views.fonts import use_cjk_font
from tests.builders import DAY, HARBOR_COUNTY, SMART_CITY

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_figure_word_has_english_with_the_same_fields():
    for zh, en in FIGURE_WORDS.items():
        assert CJK.search(zh), zh
        assert not CJK.search(en), (zh, en)
        assert _fields(zh) == _fields(en), (zh, en)


def test_say_picks_the_language_then_fills_in_the_values():
    assert say("覆盖 {value}", "zh", value="74%") == "覆盖 74%"
    assert say("覆盖 {value}", "en", value="74%") == "cover 74%"
    # a value holding a phrase word is inserted as given, never read
    name = "市人民政府政府采购科科长"
    assert say("责任人 {name}", "en", name=name) == f"owner {name}"
    assert say("无渠道 经{name}引荐", "en", name="政府") == "no channel, introduced by 政府"
    with pytest.raises(KeyError):
        say("不在表里的话", "en")


def test_enumerations_in_each_language():
    ws = load_workspace(SMART_CITY)
    assert vocabulary_word("RoleKind", "budget_holder", "zh") == "预算把控"
    assert vocabulary_word("RoleKind", "budget_holder", "en") == "budget holder"
    assert vocabulary_word("Stance", "champion", "en") == "champion"
    assert gap_tag(GapKind.WEAK, "zh") == "关系弱" and gap_tag(GapKind.WEAK, "en") == "weak"
    assert phase_word("base", "zh") == "责任到人" and phase_word("base", "en") == "named owners"
    assert tier_word(ws, ws.settings.tiers["vp"], "zh") == "副总裁"
    assert tier_word(ws, ws.settings.tiers["vp"], "en") == "VP"
    assert grade_word(ws, 7, "zh") == "正厅" and grade_word(ws, 7, "en") == "director-general"
    assert dimension_word("acceptance", "zh") == "接受认可度"
    assert dimension_word("acceptance", "en") == "acceptance"


def _ruled_ax(width_in: float = 4.0) -> Axes:
    fig = Figure(figsize=(width_in, 2.0), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width_in)  # one data unit per inch: 72 points
    return ax


def test_wrapping_breaks_english_between_words_and_chinese_anywhere():
    ax = _ruled_ax()
    # 1 unit = 72 pt; at 10 pt a Latin letter counts 5.5 pt, so 13 letters fit a line
    assert _wrap_to(ax, "vacant post: find who acts for it", 1.0, 10.0) == [
        "vacant post:",
        "find who acts…",
    ]
    assert _wrap_to(ax, "vacant post: find who", 1.4, 10.0) == ["vacant post: find", "who"]
    # a Chinese character counts one em: 7 fit at 10 pt, the split is made even
    assert _wrap_to(ax, "江川市发展和改革委员会", 1.0, 10.0) == ["江川市发展和", "改革委员会"]
    # one line only: filled to the brim, whatever the word
    assert _wrap_to(ax, "Deputy County Executive", 1.0, 10.0, max_lines=1) == ["Deputy County…"]


def test_text_width_is_measured_in_the_font():
    use_cjk_font()
    one = _text_points_drawn("副厅", 10.0)
    assert one == pytest.approx(20.0, rel=0.05)  # two ems
    assert _text_points_drawn("副厅\n副厅副厅", 10.0) == pytest.approx(2 * one, rel=0.01)
    assert _text_points_drawn("deputy director-general", 10.0) > 4 * one


def _draw(folder: Path, kind: str, language: str, opportunity: str | None = None) -> Axes:
    ws = load_workspace(folder)
    network = build_network(ws, DAY)
    opp = opportunity or next(iter(ws.opportunities))
    token = LANGUAGE.set(language)
    try:
        if kind in ("chain", "heatmap", "triangle"):
            cov = coverage(network, opp)
            if kind == "triangle":
                ax = viz.plot_triangle(network, engagement_plan(network, opp, coverage_result=cov))
            elif kind == "chain":
                ax = viz.plot_chain(network, cov)
            else:
                ax = viz.plot_coverage_heatmap(network, cov)
        elif kind == "influence":
            ax = viz.plot_influence(network, influence(network, opp))
        elif kind == "radar":
            ax = viz.plot_radar(network, owner=next(iter(ws.owners)))
        else:
            ax = viz.plot_org_chart(ws, as_of=DAY)
    finally:
        LANGUAGE.reset(token)
    ax.figure.canvas.draw()
    return ax


def _texts(ax: Axes) -> list[Text]:
    return [t for t in ax.figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.fixture
def names_with_phrase_words(tmp_path: Path) -> Path:
    """smart-city with an organisation 市人民政府 and a post 政府采购科科长."""
    folder = tmp_path / "smart-city"
    shutil.copytree(SMART_CITY, folder)
    for name, old, new in (
        ("organisations.yaml", "name: 江川市人民政府", "name: 市人民政府"),
        ("posts.yaml", "title: 政府采购管理科科长", "title: 政府采购科科长"),
    ):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


#: Where each figure shows the renamed records: the chain a post's bare title, the
#: org chart the organisation and its leaders, the triangle the (shortened) post label.
SHOWN_AS_TYPED = {
    "chain": ["政府采购科科长"],
    "orgchart": ["市人民政府", "彭飞 政府采购科科长"],
    "triangle": ["江川市财政局政府采购管理科政府"],
}


@pytest.mark.parametrize("kind", sorted(SHOWN_AS_TYPED))
def test_names_holding_figure_words_come_out_unchanged_in_english(names_with_phrase_words, kind):
    ax = _draw(names_with_phrase_words, kind, "en", "smart-city")
    texts = [t.get_text() for t in _texts(ax)]
    joined = "".join(texts)  # wrapped names are consecutive lines
    for name in SHOWN_AS_TYPED[kind]:
        assert name in joined
    # no fixed word was put into a name: English never touches a Chinese character
    glued = [t for t in texts if re.search(r"[\u3400-\u9fff][A-Za-z]|[A-Za-z][\u3400-\u9fff]", t)]
    assert not glued
    assert not any("government" in t and t != "government" for t in texts)


FIGURE_KINDS = ["chain", "triangle", "heatmap", "influence", "orgchart", "radar"]


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("kind", FIGURE_KINDS)
@pytest.mark.parametrize("folder", [SMART_CITY, HARBOR_COUNTY], ids=lambda f: f.name)
def test_no_two_texts_of_a_figure_overlap(folder, kind, language):
    ax = _draw(folder, kind, language)
    renderer = ax.figure.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in _texts(ax)]
    overlapping = [
        (a, b)
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
        if box_a.overlaps(box_b)
    ]
    assert not overlapping


def test_the_english_triangle_keeps_phase_and_grade_words_apart():
    ax = _draw(SMART_CITY, "triangle", "en", "smart-city")
    renderer = ax.figure.canvas.get_renderer()
    by_text = {t.get_text(): t.get_window_extent(renderer) for t in _texts(ax)}
    # the longest grade sits right of its phase bracket, the phase word left of it
    assert by_text["named owners"].x1 < by_text["deputy section chief"].x0
    assert by_text["senior pairing"].x1 < by_text["deputy director-general"].x0
    assert "executive\n↔ director-general" in by_text  # our tier, in English


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_radar_words_stay_outside_its_circle(language):
    ax = _draw(SMART_CITY, "radar", language)
    renderer = ax.figure.canvas.get_renderer()
    circle = ax.get_window_extent(renderer)
    cx, cy, radius = (circle.x0 + circle.x1) / 2, (circle.y0 + circle.y1) / 2, circle.width / 2
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    assert len(labels) == 6
    for label in labels:
        box = label.get_window_extent(renderer)
        # the point of the label's box nearest the centre lies beyond the outer circle
        nx, ny = min(max(cx, box.x0), box.x1), min(max(cy, box.y0), box.y1)
        assert ((nx - cx) ** 2 + (ny - cy) ** 2) ** 0.5 > radius, label.get_text()
