"""The coverage heat map and the influence bars as HTML (a book's opportunity pages):
the same cells, values, labels and scale as the drawn figures, in both languages."""

from __future__ import annotations

import re
from html import unescape

import pytest

from stakegraph.analysis.coverage import coverage
from stakegraph.analysis.influence import influence
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.views.figures.heatmap import heatmap_cells
from stakegraph.views.html_charts import (
    BAR_HEADROOM,
    cover_colour,
    heatmap_html,
    influence_html,
)
from stakegraph.views.labels import COVER_STOPS
from stakegraph.views.language import LANGUAGE, has_cjk
from tests.builders import DAY, SMART_CITY


@pytest.fixture(scope="module")
def network():
    return build_network(load_workspace(SMART_CITY), DAY)


def _rows(fragment: str) -> list[list[str]]:
    """The heat table's body: each row's header text then its cells' text."""
    body = fragment[fragment.index("<tbody>") : fragment.index("</tbody>")]
    return [
        [unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<t[hd][^>]*>.*?</t[hd]>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)
    ]


def _owners(fragment: str) -> list[str]:
    head = fragment[fragment.index("<thead>") : fragment.index("</thead>")]
    return re.findall(r'<th scope="col">([^<]+)<br>', head)


def test_the_heat_map_holds_the_figure_s_cells(network):
    cov = coverage(network, "smart-city")
    fragment = heatmap_html(network, cov)
    ws = network.workspace
    owners, strengths, hidden = heatmap_cells(network, cov)
    assert hidden == 0 and _owners(fragment) == [ws.owners[o].name for o in owners]
    rows = _rows(fragment)
    assert len(rows) == len(cov.holders)
    for i, row in enumerate(rows):
        expected = [f"{strengths[(i, o)]:.2f}" if (i, o) in strengths else "" for o in owners]
        assert row[1:] == expected
    # read off the drawn figure: 许志恒 (需求立项) knows 王立 0.61 and 刘凯 0.94, framed
    first = dict(zip(_owners(fragment), rows[0][1:], strict=True))
    assert rows[0][0] == "许志恒（需求立项）"
    assert {k: v for k, v in first.items() if v} == {"王立": "0.61", "刘凯": "0.94"}
    framed = sum(
        1
        for i, h in enumerate(cov.holders)
        if h.person
        for o in h.responsible
        if (i, o) in strengths
    )
    assert fragment.count("sg-owner") == framed > 0
    # each cell coloured on the cover scale at its value
    for value in strengths.values():
        assert f'style="background:{cover_colour(value)}">{value:.2f}<' in fragment
    # a vacant post is hatched, an uncovered holder's name red
    vacant = sum(1 for h in cov.holders if h.person is None)
    assert len(re.findall(r'<tr class="[^"]*sg-vacant', fragment)) == vacant > 0
    uncovered = sum(1 for h in cov.holders if h.cover <= 0)
    assert fragment.count('<th scope="row" class="sg-uncovered">') == uncovered > 0


def test_owners_beyond_the_limit_are_only_those_who_know_someone(network):
    cov = coverage(network, "smart-city")
    everyone = len(network.workspace.owners)
    knowing = len({o for _, o in heatmap_cells(network, cov)[1]})
    assert knowing == everyone - 1, "one owner of the example knows nobody on this chain"
    at_limit = heatmap_html(network, cov, max_owners=everyone)
    below = heatmap_html(network, cov, max_owners=everyone - 1)
    assert len(_owners(at_limit)) == everyone and "另有" not in at_limit
    assert len(_owners(below)) == knowing and "另有 1 名我方人员" in below


def test_the_cover_scale_runs_red_to_green_and_clamps():
    assert cover_colour(0.0) == COVER_STOPS[0] and cover_colour(1.0) == COVER_STOPS[-1]
    assert cover_colour(-0.5) == cover_colour(0.0) and cover_colour(1.5) == cover_colour(1.0)
    assert cover_colour(0.39) != cover_colour(0.41)


def test_influence_bars_are_the_parts_on_one_scale(network):
    infl = influence(network, "smart-city")
    fragment = influence_html(network, infl)
    ids = infl.top(10)
    rows = re.findall(r"<li>(.*?)</li>", fragment)
    assert len(rows) == len(ids) == 10
    totals = [100 * sum(infl.parts_of(p).values()) for p in ids]
    scale = max(totals) * BAR_HEADROOM
    for row, pid, total in zip(rows, ids, totals, strict=True):
        assert network.workspace.persons[pid].name in row
        widths = [float(w) for w in re.findall(r"width:([0-9.]+)%", row)]
        # the segments are the non-zero parts, and together as long as the score
        parts = [100 * v for v in infl.parts_of(pid).values() if v > 0]
        assert len(widths) == len(parts)
        assert sum(widths) == pytest.approx(100 * total / scale, abs=0.01)
        assert f'<b class="sg-total">{total:.1f}</b>' in row
    # the longest bar ends at 1/1.12 of the track, as the figure's x limit leaves room
    first = [float(w) for w in re.findall(r"width:([0-9.]+)%", rows[0])]
    assert sum(first) == pytest.approx(100 / BAR_HEADROOM, abs=0.01)
    # read off the drawn figure: 林书远 19.1, then 陆承平 17.1
    assert "林书远" in rows[0] and ">19.1<" in rows[0] and ">17.1<" in rows[1]


def test_english_charts_hold_no_fixed_chinese(network):
    names = {p.name for p in network.workspace.persons.values()} | {
        o.name for o in network.workspace.owners.values()
    }
    token = LANGUAGE.set("en")
    try:
        cov = coverage(network, "smart-city")
        fragments = [
            heatmap_html(network, cov),
            influence_html(network, influence(network, "smart-city")),
        ]
    finally:
        LANGUAGE.reset(token)
    for fragment in fragments:
        assert "strength" in fragment or "parts" in fragment
        # the fixed words: title's frame, legend, notes and caption
        for text in re.findall(r'class="sg-chart-(?:note|title)">([^<]*)<', fragment) + re.findall(
            r"<figcaption>([^<]*)<", fragment
        ):
            assert not has_cjk(
                re.sub("|".join(map(re.escape, names)) + r"|（.*）|\(.*\)", "", text)
            ), text
