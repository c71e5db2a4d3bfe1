"""Two of an opportunity's figures as HTML: the coverage heat map and the influence bars.

Both figures are tables at heart (a grid of strengths, a list of scores split into
parts), so on a book's opportunity pages they are written as HTML and CSS instead of
pictures: a table with coloured cells, bars whose segments are widths. They then use
the page's own fonts (its text already needs a CJK font, so the page stays as
self-contained as before), can be searched and copied, and cost next to nothing to
make, where drawing them took about half a CPU second per opportunity (see
benchmarks/README.md, "The report of a book").

They carry what the pictures carry: the same rows, columns, values, labels, colour
scale and legend, from the same functions (:func:`~stakegraph.views.figures.heatmap.heatmap_cells`,
:func:`~stakegraph.views.figures.influence.influence_labels`), in the figure's language.
"""

from __future__ import annotations

import html
from typing import Any

from matplotlib.colors import to_hex

from stakegraph.analysis.coverage import Coverage
from stakegraph.analysis.influence import Influence
from stakegraph.graph.network import PersonNetwork
from stakegraph.views.figures.common import COVER_CMAP, INFLUENCE_PARTS
from stakegraph.views.figures.heatmap import heatmap_cells, holder_label
from stakegraph.views.figures.influence import influence_labels, influence_title
from stakegraph.views.figures.language import say, tier_word
from stakegraph.views.figures.render import figure_help
from stakegraph.views.labels import (
    BAD,
    BLACK,
    COVER_STOPS,
    EMPTY_EDGE,
    FIGURE_GRID,
    FIGURE_NOTE,
    FIGURE_TEXT,
    HEADER_FILL,
    HEATMAP_GRID,
    PAGE_MUTED,
    PAPER,
)
from stakegraph.views.language import current_language

#: The kinds of opportunity figure a book's pages write as HTML instead of a picture.
HTML_FIGURES = ("heatmap", "influence")

#: The chart's share of its row left free after the longest bar (the figure's x limit).
BAR_HEADROOM = 1.12


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def cover_colour(value: float) -> str:
    """The heat map's colour of a strength in [0, 1] (the figures' cover scale)."""
    return str(to_hex(COVER_CMAP(min(max(value, 0.0), 1.0))))


def _scale_legend() -> str:
    """The strength scale: the colour ramp with 0, 0.4 weak, 0.6 strong and 1 under it."""
    ramp = ", ".join(COVER_STOPS)
    ticks = "".join(
        f'<span style="left:{100 * at:.0f}%">{_e(text)}</span>'
        for at, text in ((0, "0"), (0.4, say("0.4 弱")), (0.6, say("0.6 强")), (1, "1"))
    )
    return (
        f'<div class="sg-scale"><span class="sg-scale-name">{_e(say("关系强度 strength"))}</span>'
        '<span class="sg-scale-bar">'
        f'<span class="sg-ramp" style="background:linear-gradient(to right, {ramp})"></span>'
        f'<span class="sg-ticks">{ticks}</span></span></div>'
    )


def heatmap_html(network: PersonNetwork, coverage_result: Coverage, max_owners: int = 15) -> str:
    """The coverage heat map as an HTML table: role holders × our owners, cell = strength.

    The same rows, columns and cells as
    :func:`~stakegraph.views.figures.heatmap.plot_coverage_heatmap`: holders in step
    order (a rule between steps, a hatched row for a vacant post, the name in red when
    nobody covers them), owners senior first (only those who know someone on the chain
    beyond ``max_owners``), each cell coloured on the cover scale with its strength
    written in it, a frame around the named responsible owner's cell, and the scale
    and notes under the table. O(holders × owners).
    """
    ws = network.workspace
    holders = coverage_result.holders
    owners, strengths, hidden = heatmap_cells(network, coverage_result, max_owners)
    opp = ws.opportunities.get(coverage_result.opportunity)
    title = say(
        "决策链角色 × 我方人员：关系强度（{name}）",
        name=opp.name if opp else coverage_result.opportunity,
    )
    head = "".join(
        f'<th scope="col">{_e(ws.owners[o].name)}<br>'
        f'<span class="sg-tier">{_e(tier_word(ws, ws.owners[o].tier))}</span></th>'
        for o in owners
    )
    rows = []
    for i, h in enumerate(holders):
        classes = []
        if i and h.step != holders[i - 1].step:
            classes.append("sg-step")
        if h.person is None:
            classes.append("sg-vacant")
        label_class = ' class="sg-uncovered"' if h.cover <= 0 else ""
        cells = []
        for o in owners:
            value = strengths.get((i, o))
            if value is None:
                cells.append("<td></td>")
                continue
            framed = " sg-owner" if h.person and o in h.responsible else ""
            cells.append(
                f'<td class="num{framed}" style="background:{cover_colour(value)}">{value:.2f}</td>'
            )
        row_class = f' class="{" ".join(classes)}"' if classes else ""
        rows.append(
            f'<tr{row_class}><th scope="row"{label_class}>{_e(holder_label(ws, h))}</th>'
            f"{''.join(cells)}</tr>"
        )
    note = say("粗框 = 责任人（责任到人）；红色姓名 = 无覆盖；空白 = 无直接关系")
    more = say("\n另有 {hidden} 名我方人员与该链上的人无直接关系（未列出）", hidden=hidden)
    notes = f'<p class="sg-chart-note">{_e(note)}</p>'
    if hidden:
        notes += f'<p class="sg-chart-note">{_e(more.strip())}</p>'
    return (
        '<figure class="sg-chart sg-heatmap">'
        f'<div class="sg-chart-title">{_e(title)}</div>'
        '<div class="sg-heat-wrap"><table class="sg-heat">'
        f"<thead><tr><td></td>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f"{_scale_legend()}{notes}"
        f"<figcaption>{_e(figure_help('heatmap', current_language()))}</figcaption></figure>"
    )


def influence_html(network: PersonNetwork, influence_result: Influence, top: int = 10) -> str:
    """The influence ranking as HTML bars: each official's score split into its parts.

    The same bars as :func:`~stakegraph.views.figures.influence.plot_influence`: the
    ``top`` officials, most influential first, each bar's segments the score's parts
    (formal, informal, position, decision; ×100, adding up to the score, written at
    the bar's end), segment widths on one scale whose end is :data:`BAR_HEADROOM`
    times the longest bar, and the parts' legend. O(top).
    """
    ids = influence_result.top(top)
    labels = influence_labels(network, ids)
    parts = [
        [100 * influence_result.parts_of(pid)[part] for part, _, _ in INFLUENCE_PARTS]
        for pid in ids
    ]
    totals = [sum(values) for values in parts]
    scale = (max(totals) if totals and max(totals) > 0 else 1.0) * BAR_HEADROOM
    rows = []
    for label, values, total in zip(labels, parts, totals, strict=True):
        segments = "".join(
            f'<span style="width:{100 * value / scale:.3f}%;background:{colour}" '
            f'title="{_e(say(name))} {value:.1f}"></span>'
            for (_, name, colour), value in zip(INFLUENCE_PARTS, values, strict=True)
            if value > 0
        )
        rows.append(
            f'<li><span class="sg-who">{_e(label)}</span>'
            f'<span class="sg-track">{segments}'
            f'<b class="sg-total">{total:.1f}</b></span></li>'
        )
    legend = "".join(
        f'<span class="sg-key"><i style="background:{colour}"></i>{_e(say(name))}</span>'
        for _, name, colour in INFLUENCE_PARTS
    )
    return (
        '<figure class="sg-chart sg-influence">'
        f'<div class="sg-chart-title">{_e(influence_title(network, influence_result, len(ids)))}'
        f'</div><ol class="sg-bars">{"".join(rows)}</ol>'
        f'<p class="sg-chart-note">{_e(say("影响力（×100，各部分相加）"))} · '
        f"{_e(say('构成'))} {legend}</p>"
        f"<figcaption>{_e(figure_help('influence', current_language()))}</figcaption></figure>"
    )


def opportunity_charts(network: PersonNetwork, opportunity: str) -> dict[str, str]:
    """The HTML figures of one opportunity by kind (:data:`HTML_FIGURES`), from the
    analyses the report already made (kept in the network's memo)."""
    from stakegraph.analysis.coverage import coverage
    from stakegraph.analysis.influence import influence

    infl = influence(network, opportunity)
    cov = coverage(network, opportunity, infl)
    return {"heatmap": heatmap_html(network, cov), "influence": influence_html(network, infl)}


#: The charts' style; every colour from :mod:`stakegraph.views.labels`.
CHART_CSS = f"""
.sg-chart {{ text-align: left; border: 1px solid {FIGURE_GRID}; border-radius: 4px;
  padding: 0.6rem 0.8rem; background: {PAPER}; }}
.sg-chart-title {{ font-weight: 700; font-size: 1rem; margin-bottom: 0.5rem; color: {FIGURE_TEXT}; }}
.sg-chart-note {{ font-size: 0.8rem; color: {FIGURE_NOTE}; margin: 0.4rem 0 0; }}
.sg-heat-wrap {{ overflow-x: auto; }}
table.sg-heat {{ border-collapse: collapse; font-size: 0.82rem; width: auto; margin: 0; }}
table.sg-heat th, table.sg-heat td {{ border: 1px solid {HEATMAP_GRID}; padding: 0.2rem 0.45rem; }}
table.sg-heat thead th {{ text-align: center; font-weight: 600; vertical-align: bottom;
  background: {PAPER}; }}
table.sg-heat .sg-tier {{ font-weight: 400; color: {PAGE_MUTED}; font-size: 0.75rem; }}
table.sg-heat tbody th {{ text-align: right; font-weight: 400; white-space: nowrap;
  background: {PAPER}; }}
/* on a narrow screen the owners scroll sideways under the holders' names */
table.sg-heat tbody th, table.sg-heat thead td {{ position: sticky; left: 0; z-index: 1; }}
table.sg-heat th.sg-uncovered {{ color: {BAD}; }}
table.sg-heat td {{ min-width: 3.2em; text-align: center; color: {BLACK};
  font-variant-numeric: tabular-nums; }}
table.sg-heat td.sg-owner {{ box-shadow: inset 0 0 0 2px {FIGURE_TEXT}; }}
table.sg-heat tr.sg-step > * {{ border-top: 2px solid {FIGURE_NOTE}; }}
table.sg-heat tr.sg-vacant td {{ background: repeating-linear-gradient(135deg, {HEADER_FILL} 0 5px,
  {EMPTY_EDGE} 5px 6px); }}
.sg-scale {{ display: flex; align-items: flex-start; gap: 0.6rem; font-size: 0.75rem;
  color: {FIGURE_NOTE}; margin-top: 0.5rem; }}
.sg-scale-bar {{ display: block; width: 16rem; max-width: 60%; }}
.sg-ramp {{ display: block; height: 0.7rem; border: 1px solid {EMPTY_EDGE}; }}
.sg-ticks {{ position: relative; display: block; height: 1.2em; }}
.sg-ticks span {{ position: absolute; white-space: nowrap; }}
/* the two middle ticks sit close: each leans away from the other, as in the figures */
.sg-ticks span:nth-child(odd) {{ transform: none; padding-left: 0.25em; }}
.sg-ticks span:nth-child(even) {{ transform: translateX(-100%); padding-right: 0.25em; }}
ol.sg-bars {{ list-style: none; margin: 0; padding: 0; }}
ol.sg-bars li {{ display: grid; grid-template-columns: minmax(9rem, 40%) 1fr; gap: 0.6rem;
  align-items: center; font-size: 0.82rem; padding: 0.12rem 0;
  border-bottom: 1px solid {HEATMAP_GRID}; }}
.sg-who {{ text-align: right; overflow-wrap: anywhere; }}
.sg-track {{ display: flex; align-items: center; height: 1.1rem; }}
/* fixed widths (never shrunk to make room for the total), so all bars share one scale */
.sg-track span {{ display: block; flex: none; box-sizing: border-box; height: 100%;
  border-right: 1px solid {PAPER}; }}
.sg-total {{ font-weight: 400; font-size: 0.78rem; padding-left: 0.3rem;
  font-variant-numeric: tabular-nums; }}
.sg-key {{ white-space: nowrap; margin-left: 0.5rem; }}
.sg-key i {{ display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.25em;
  vertical-align: -0.05em; }}
@media print {{ .sg-chart {{ break-inside: avoid; }}
  .sg-chart * {{ print-color-adjust: exact; -webkit-print-color-adjust: exact; }} }}
"""
