"""report.html: one self-contained page (inline CSS, figures and map; no network needed).

Every string from the workspace is escaped with :func:`html.escape`; data for the
map travels as JSON inside a ``<script type="application/json">`` element with
``<``, ``>`` and ``&`` escaped, so a name like ``<script>`` stays a name.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from typing import Any

from stakegraph.analysis.coverage import GapKind
from stakegraph.views.figures.report import Figure
from stakegraph.views.labels import GAP_COLOURS, GAP_LABELS
from stakegraph.views.language import (
    current_language,
    english,
    page_language,
    shown_label,
    shown_table,
)
from stakegraph.views.map import MapData, map_fragment
from stakegraph.views.map_assets import MAP_CSS, MAP_JS, vis_assets
from stakegraph.views.styles import BASE_CSS, notebook_css
from stakegraph.views.tables import GAP_ORDER, Table, opportunity_heading, opportunity_tables

#: Which figure follows which table.
FIGURE_AFTER = {"chain": "chain", "gaps": "heatmap", "influence": "influence", "plan": "triangle"}

#: Tables read as cards on a narrow screen: each row a block of "column: value" lines.
#: They hold few rows of long text (who, why, what next), which a phone reads best top
#: to bottom. The other tables are grids of numbers compared down a column, so they keep
#: their columns and scroll sideways inside their own frame.
CARD_TABLES = frozenset(
    {
        "chain",
        "gaps",
        "plan",
        "circles",
        "level-changes",
        "since-review",
        "complaints",
        "improvements",
        "review",
    }
)


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _gap_css() -> str:
    return "".join(
        f".gap-{kind} {{ background: {colour}; }}\n" for kind, colour in GAP_COLOURS.items()
    )


def _gap_tag(kind: str) -> str:
    try:
        label = GAP_LABELS[GapKind(kind)]
    except ValueError:
        label = kind
    if current_language() == "en":
        label = english(label)
    return f'<span class="gap gap-{_e(kind)}" title="{_e(label)}">{_e(kind)}</span>'


def table_css() -> str:
    """The style of :func:`table_html` tables inside ``<div class="stakegraph">``:
    the notebook rules, the gap tags' colours and the cells' signal colours."""
    gaps = "".join(f".stakegraph {rule}" for rule in _gap_css().splitlines(keepends=True))
    return notebook_css() + gaps


def gap_legend() -> str:
    """The gap kinds with their colours and labels (Chinese, or English in English)."""
    if current_language() == "en":
        tags = " ".join(f"{_gap_tag(k)} {_e(english(GAP_LABELS[GapKind(k)]))}" for k in GAP_ORDER)
        return f'<p class="legend">gap kinds: {tags}</p>'
    tags = " ".join(f"{_gap_tag(k)} {_e(GAP_LABELS[GapKind(k)].split(' ')[0])}" for k in GAP_ORDER)
    return f'<p class="legend">缺口类型 gap kinds: {tags}</p>'


def table_html(table: Table) -> str:
    """One table; numbers right-aligned, gap kinds as coloured tags, rows kept whole in print.

    Every cell carries its column's name in ``data-label``, which the narrow-screen
    style shows beside the value when a table of :data:`CARD_TABLES` becomes cards.
    """
    table = shown_table(table)
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in table.columns)
    labels = [f' data-label="{_e(c)}"' for c in table.columns]
    body = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, cell in enumerate(row):
            classes = [cell.cls] if cell.cls else []
            if c in table.numeric:
                classes.append("num")
            attr = f' class="{_e(" ".join(classes))}"' if classes else ""
            if cell.tags:
                # one element, so the tags flow together beside the label on a card
                inner = f'<span class="tags">{" ".join(_gap_tag(t) for t in cell.tags)}</span>'
            elif cell.link:
                inner = f'<a href="{_e(cell.link)}">{_e(cell.text)}</a>'
            else:
                inner = _e(cell.text)
            label = labels[c] if c < len(labels) else ""
            cells.append(f"<td{attr}{label}>{inner}</td>")
        tr = ' class="group-start"' if r in table.starts and r else ""
        body.append(f"<tr{tr}>{''.join(cells)}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(table.columns)}" class="note">none</td></tr>')
    note = f'<p class="note">{_e(table.note)}</p>' if table.note else ""
    layout = "cards" if table.key in CARD_TABLES else "scroll"
    return (
        f'<div class="table-wrap {layout}"><table class="t-{_e(table.key)} {layout}">'
        f"<caption>{_e(table.title)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>{note}"
    )


def figure_html(figure: Figure) -> str:
    """A figure as an inline base64 PNG with its caption."""
    data = base64.b64encode(figure.png).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{_e(figure.caption)}">'
        f"<figcaption>{_e(figure.caption)}</figcaption></figure>"
    )


def _coverage_colour(value: float) -> str:
    from stakegraph.views.map import _hex

    return _hex(value)


def _footer(charted: bool = False) -> str:
    """What the page's footer says of its figures; ``charted``: some are HTML charts,
    which have no PNG beside report.md."""
    if current_language() == "en":
        if charted:
            return (
                "the pictures are also written as PNG files beside report.md; the heat map "
                "and the influence ranking are part of the page."
            )
        return "figures are also written as PNG files beside report.md."
    if charted:
        return "图片另存为 PNG 文件，与 report.md 同目录；热力图和影响力排名直接呈现在本页中。"
    return "图表另存为 PNG 文件，与 report.md 同目录。"


def report_page(
    report: dict[str, Any],
    figures: dict[str, dict[str, Figure]],
    extra_figures: Sequence[Figure],
    map_data: MapData | None,
    portfolio_figure: Figure | None = None,
    owner_names: dict[str, str] | None = None,
) -> str:
    """The whole report page; ``figures`` maps opportunity id → kind → figure.

    With ``owner_names`` (a book: see :mod:`stakegraph.views.book`) the page is the
    index: one sortable, searchable row per opportunity linking to its own page,
    and the book-wide sections; the opportunities' tables are on their pages.
    """
    title = f"stakegraph {shown_label('报告 report')} — {report['workspace']}"
    opps = report["opportunities"]
    book = owner_names is not None
    anchors = {opp["id"]: f"opp-{i}" for i, opp in enumerate(opps, start=1)}
    parts = [
        "<header>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{shown_label("数据日期 as of")} <b>{_e(report["as_of"])}</b> · {_e(report["persons"])} '
        f"officials · betweenness {_e(report['betweenness'])}</p>",
    ]
    graph_line = getattr(report, "shown", {}).get("graph")
    if graph_line:
        parts.append(f'<p class="meta">{_e(graph_line)}</p>')
    if opps and not book:
        parts.append('<ul class="coverage-list">')
        for opp in opps:
            pct = 100 * opp["coverage"]
            parts.append(
                f'<li><a href="#{anchors[opp["id"]]}">{_e(opp["name"])}</a> '
                f'<span class="note">({_e(opp["id"])}, {_e(opp["stage"])})</span><br>'
                f"{shown_label('覆盖率 coverage')} <b>{pct:.0f}%</b> · {len(opp['gaps'])} gaps"
                f'<div class="bar"><span style="width:{pct:.1f}%;background:'
                f'{_coverage_colour(opp["coverage"])}"></span></div></li>'
            )
        parts.append("</ul>")
    parts.append("</header>")

    if book:
        nav = [f'<li><a href="#index">{shown_label("商机索引 opportunities")}</a></li>']
    else:
        nav = [f'<li><a href="#{anchors[o["id"]]}">{_e(o["name"])}</a></li>' for o in opps]
    if map_data is not None:
        nav.append(f'<li><a href="#map">{shown_label("关系地图 stakeholder map")}</a></li>')
    if report.get("accounts"):
        nav.append(f'<li><a href="#portfolio">{shown_label("客户组合 Portfolio")}</a></li>')
        nav.append(f'<li><a href="#health">{shown_label("关系健康 relationship health")}</a></li>')
    if report.get("formal_informal"):
        nav.append(
            f'<li><a href="#formal-informal">{shown_label("正式与非正式 formal versus informal")}'
            "</a></li>"
        )
    if extra_figures:
        nav.append(f'<li><a href="#orgchart">{shown_label("组织结构 organisations")}</a></li>')
    parts.append(f"<nav><b>{shown_label('目录 contents')}</b><ul>{''.join(nav)}</ul></nav>")

    if book:
        parts.append(index_section(opps, owner_names or {}))
    else:
        for opp in opps:
            parts.append(_opportunity_section(opp, anchors[opp["id"]], figures.get(opp["id"], {})))
    if report.get("influence"):
        from stakegraph.views.tables import influence_table

        parts.append('<section id="influence"><h2>' + shown_label("影响力 influence") + "</h2>")
        parts.append(table_html(influence_table(report["influence"])))
        parts.append("</section>")
    if report.get("accounts"):
        from stakegraph.views.tables import PORTFOLIO_TABLES, account_tables

        tables = account_tables(report["accounts"])
        parts.append('<section id="portfolio"><h2>' + shown_label("客户组合 Portfolio") + "</h2>")
        parts += [table_html(t) for t in tables if t.key in PORTFOLIO_TABLES]
        if portfolio_figure is not None:
            parts.append(figure_html(portfolio_figure))
        parts.append("</section>")
        parts.append(
            '<section id="health"><h2>' + shown_label("关系健康 relationship health") + "</h2>"
        )
        parts += [table_html(t) for t in tables if t.key not in PORTFOLIO_TABLES]
        parts.append("</section>")
    if report.get("formal_informal"):
        from stakegraph.views.tables import organisation_findings_table

        parts.append(
            '<section id="formal-informal"><h2>'
            + shown_label("正式与非正式 formal versus informal")
            + "</h2>"
        )
        parts.append(table_html(organisation_findings_table(report["formal_informal"])))
        parts.append("</section>")
    if map_data is not None:
        parts.append('<section id="map"><h2>' + shown_label("关系地图 stakeholder map") + "</h2>")
        parts.append(f'<p class="meta">{_e(map_data.subtitle)}</p>')
        parts.append(map_fragment(map_data, "sg-map"))
        parts.append("</section>")
    for figure in extra_figures:
        parts.append(
            f'<section id="{_e(figure.kind)}"><h2>'
            + shown_label("组织结构 organisations")
            + "</h2>"
        )
        parts.append(figure_html(figure))
        parts.append("</section>")
    parts.append(f"<footer>stakegraph — {_e(_footer())}</footer>")

    head_assets = ""
    tail_script = ""
    if map_data is not None:
        js, vis_css = vis_assets()
        head_assets = f"<style>{vis_css}</style><script>{js}</script>"
        tail_script = f"<script>{MAP_JS}</script>"
    if book:
        from stakegraph.views.book import INDEX_CSS, INDEX_JS

        head_assets += f"<style>{INDEX_CSS}</style>"
        tail_script += f"<script>{INDEX_JS}</script>"
    return (
        f'<!DOCTYPE html>\n<html lang="{page_language()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)} ({_e(report['as_of'])})</title>"
        f"<style>{BASE_CSS}{_gap_css()}{MAP_CSS if map_data is not None else ''}</style>"
        f"{head_assets}</head><body><main>{''.join(parts)}</main>{tail_script}</body></html>\n"
    )


def _opportunity_section(
    opp: dict[str, Any],
    anchor: str,
    drawn: dict[str, Figure],
    charts: dict[str, str] | None = None,
) -> str:
    """One opportunity: heading, coverage, its tables each followed by its figure (a
    picture from ``drawn``, else its HTML form from ``charts``)."""
    parts = [f'<section id="{anchor}">', f"<h2>{_e(opportunity_heading(opp))}</h2>"]
    parts.append(
        f'<p class="meta">{shown_label("覆盖率 coverage")} <b>{100 * opp["coverage"]:.0f}%</b></p>'
    )
    for table in opportunity_tables(opp):
        if table.key == "gaps":
            parts.append(gap_legend())
        parts.append(table_html(table))
        kind = FIGURE_AFTER.get(table.key)
        if kind and kind in drawn:
            parts.append(figure_html(drawn[kind]))
        elif kind and charts and kind in charts:
            parts.append(charts[kind])
    parts.append("</section>")
    return "".join(parts)


def opportunity_page(
    report: dict[str, Any],
    opp: dict[str, Any],
    drawn: dict[str, Figure],
    charts: dict[str, str] | None = None,
) -> str:
    """One opportunity's own page of a book report, linking back to the index; figures
    in ``charts`` are HTML (:mod:`stakegraph.views.html_charts`), the others pictures."""
    title = f"{opp['name']} — stakegraph {shown_label('报告 report')}"
    back = shown_label("返回索引 back to the index")
    parts = [
        f'<p class="meta"><a href="../report.html#index">← {back}</a> · '
        f"{_e(report['workspace'])} · {shown_label('数据日期 as of')} "
        f"<b>{_e(report['as_of'])}</b></p>",
        _opportunity_section(opp, "opportunity", drawn, charts),
        f"<footer>stakegraph — {_e(_footer(bool(charts)))}</footer>",
    ]
    chart_css = ""
    if charts:
        from stakegraph.views.html_charts import CHART_CSS

        chart_css = CHART_CSS
    return (
        f'<!DOCTYPE html>\n<html lang="{page_language()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)} ({_e(report['as_of'])})</title>"
        f"<style>{BASE_CSS}{_gap_css()}{chart_css}</style></head><body><main>"
        f"{''.join(parts)}</main></body></html>\n"
    )


def index_section(opportunities: list[dict[str, Any]], owner_names: dict[str, str]) -> str:
    """The index's search box and table, as HTML."""
    from stakegraph.views.book import index_table

    search = shown_label("搜索 search")
    placeholder = (
        "名称、客户、缺口、责任人…" if current_language() == "zh" else "name, client, gap, owner…"
    )
    return (
        '<section id="index">'
        f'<p><label>{search} <input id="book-filter" type="search" '
        f'placeholder="{placeholder}"></label> '
        f'<span class="note"><span id="book-count">{len(opportunities)}</span> / '
        f"{len(opportunities)}</span></p>"
        f"{table_html(index_table(opportunities, owner_names))}</section>"
    )
