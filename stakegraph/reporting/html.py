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

from ..analysis.coverage import GAP_LABELS, GapKind
from .figures import Figure
from .netmap import GAP_COLOURS, MAP_CSS, MAP_JS, MapData, map_fragment, vis_assets
from .tables import GAP_ORDER, Table, opportunity_heading, opportunity_tables

FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", '
    '"Microsoft YaHei", sans-serif'
)

#: Which figure follows which table.
FIGURE_AFTER = {"chain": "chain", "gaps": "heatmap", "influence": "influence", "plan": "triangle"}

BASE_CSS = f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
body {{ font-family: {FONT_STACK}; font-size: 15px; line-height: 1.5; color: #1d2430;
  background: #f4f6f9; margin: 0; }}
main {{ max-width: 1280px; margin: 0 auto; padding: 1rem 1.4rem 3rem; background: #fff; }}
body.map-page main {{ max-width: none; }}
header h1 {{ font-size: 1.5rem; margin: 0.2rem 0 0.3rem; }}
.meta {{ color: #556; margin: 0 0 0.6rem; }}
h2 {{ font-size: 1.3rem; margin: 2rem 0 0.4rem; padding-top: 0.6rem; border-top: 3px solid #234e86; }}
h3 {{ font-size: 1.08rem; margin: 1.4rem 0 0.4rem; }}
h4 {{ margin: 0.8rem 0 0.2rem; font-size: 0.95rem; }}
nav ul {{ margin: 0.3rem 0; padding-left: 1.2rem; columns: 2; }}
.coverage-list {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
  gap: 0.5rem 1rem; margin: 0.6rem 0 0.4rem; padding: 0; list-style: none; }}
.coverage-list li {{ border: 1px solid #e0e5eb; border-radius: 6px; padding: 0.4rem 0.6rem; }}
.bar {{ height: 0.55rem; background: #eceff3; border-radius: 3px; overflow: hidden; margin-top: 0.25rem; }}
.bar span {{ display: block; height: 100%; }}
.table-wrap {{ overflow-x: auto; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.86rem; margin: 0.3rem 0 0.6rem; }}
caption {{ text-align: left; font-weight: 600; padding: 0.2rem 0; }}
th, td {{ border-bottom: 1px solid #e3e7ec; padding: 0.28rem 0.45rem; text-align: left;
  vertical-align: top; }}
th {{ background: #eef2f7; font-weight: 600; white-space: nowrap; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
tr.group-start td {{ border-top: 2px solid #b8c3d1; }}
td.step, td.nowrap {{ font-weight: 600; white-space: nowrap; }}
td.nowrap {{ font-weight: 400; }}
td.vacant, td.missing {{ color: #c0392b; font-weight: 600; }}
td.cover-poor {{ background: #fbe3e0; }}
td.cover-fair {{ background: #fdf3d6; }}
td.cover-good {{ background: #e2f3e4; }}
td.bad {{ color: #c0392b; font-weight: 600; }}
td.good {{ color: #1a7f37; }}
td.stance-opponent {{ color: #c0392b; }}
td.stance-skeptic {{ color: #b7791f; }}
td.stance-champion, td.stance-supporter {{ color: #1a7f37; }}
.gap {{ display: inline-block; color: #fff; border-radius: 3px; padding: 0 0.35em; margin: 0.05em 0.15em 0.05em 0;
  font-size: 0.78rem; font-weight: 600; letter-spacing: 0.01em; white-space: nowrap; }}
.legend {{ font-size: 0.82rem; color: #445; margin: 0.2rem 0 0.5rem; }}
.note {{ color: #556; font-size: 0.85rem; }}
figure {{ margin: 0.6rem 0 1.2rem; text-align: center; }}
figure img {{ max-width: 100%; height: auto; max-height: 85vh; border: 1px solid #e3e7ec; }}
figcaption {{ color: #556; font-size: 0.85rem; margin-top: 0.2rem; }}
footer {{ color: #778; font-size: 0.8rem; margin-top: 2rem; }}
@media print {{
  @page {{ size: A4 landscape; margin: 12mm; }}
  body {{ background: #fff; font-size: 10pt; }}
  main {{ max-width: none; padding: 0; }}
  nav {{ display: none; }}
  h2 {{ break-before: page; }}
  h2, h3, caption {{ break-after: avoid; }}
  .table-wrap {{ overflow: visible; }}
  table {{ font-size: 8.5pt; }}
  thead {{ display: table-header-group; }}
  tr, td, th {{ break-inside: avoid; }}
  figure {{ break-inside: avoid; }}
  figure img {{ max-height: 17cm; border: 0; }}
  .gap, .bar span, td.cover-poor, td.cover-fair, td.cover-good, th {{
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""


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
    return f'<span class="gap gap-{_e(kind)}" title="{_e(label)}">{_e(kind)}</span>'


def gap_legend() -> str:
    """The gap kinds with their colours and Chinese labels."""
    tags = " ".join(f"{_gap_tag(k)} {_e(GAP_LABELS[GapKind(k)].split(' ')[0])}" for k in GAP_ORDER)
    return f'<p class="legend">缺口类型 gap kinds: {tags}</p>'


def table_html(table: Table) -> str:
    """One table; numbers right-aligned, gap kinds as coloured tags, rows kept whole in print."""
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in table.columns)
    body = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, cell in enumerate(row):
            classes = [cell.cls] if cell.cls else []
            if c in table.numeric:
                classes.append("num")
            attr = f' class="{_e(" ".join(classes))}"' if classes else ""
            inner = " ".join(_gap_tag(t) for t in cell.tags) if cell.tags else _e(cell.text)
            cells.append(f"<td{attr}>{inner}</td>")
        tr = ' class="group-start"' if r in table.starts and r else ""
        body.append(f"<tr{tr}>{''.join(cells)}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(table.columns)}" class="note">none</td></tr>')
    note = f'<p class="note">{_e(table.note)}</p>' if table.note else ""
    return (
        f'<div class="table-wrap"><table class="t-{_e(table.key)}">'
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
    from .netmap import _hex

    return _hex(value)


def report_page(
    report: dict[str, Any],
    figures: dict[str, dict[str, Figure]],
    extra_figures: Sequence[Figure],
    map_data: MapData | None,
    portfolio_figure: Figure | None = None,
) -> str:
    """The whole report page; ``figures`` maps opportunity id → kind → figure."""
    title = f"stakegraph 报告 report — {report['workspace']}"
    opps = report["opportunities"]
    anchors = {opp["id"]: f"opp-{i}" for i, opp in enumerate(opps, start=1)}
    parts = [
        "<header>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">数据日期 as of <b>{_e(report["as_of"])}</b> · {_e(report["persons"])} '
        f"officials · betweenness {_e(report['betweenness'])}</p>",
    ]
    if opps:
        parts.append('<ul class="coverage-list">')
        for opp in opps:
            pct = 100 * opp["coverage"]
            parts.append(
                f'<li><a href="#{anchors[opp["id"]]}">{_e(opp["name"])}</a> '
                f'<span class="note">({_e(opp["id"])}, {_e(opp["stage"])})</span><br>'
                f"覆盖率 coverage <b>{pct:.0f}%</b> · {len(opp['gaps'])} gaps"
                f'<div class="bar"><span style="width:{pct:.1f}%;background:'
                f'{_coverage_colour(opp["coverage"])}"></span></div></li>'
            )
        parts.append("</ul>")
    parts.append("</header>")

    nav = [f'<li><a href="#{anchors[o["id"]]}">{_e(o["name"])}</a></li>' for o in opps]
    if map_data is not None:
        nav.append('<li><a href="#map">关系地图 stakeholder map</a></li>')
    if report.get("accounts"):
        nav.append('<li><a href="#portfolio">客户组合 Portfolio</a></li>')
        nav.append('<li><a href="#health">关系健康 relationship health</a></li>')
    if extra_figures:
        nav.append('<li><a href="#orgchart">组织结构 organisations</a></li>')
    parts.append(f"<nav><b>目录 contents</b><ul>{''.join(nav)}</ul></nav>")

    for opp in opps:
        parts.append(f'<section id="{anchors[opp["id"]]}">')
        parts.append(f"<h2>{_e(opportunity_heading(opp))}</h2>")
        parts.append(f'<p class="meta">覆盖率 coverage <b>{100 * opp["coverage"]:.0f}%</b></p>')
        drawn = figures.get(opp["id"], {})
        for table in opportunity_tables(opp):
            if table.key == "gaps":
                parts.append(gap_legend())
            parts.append(table_html(table))
            kind = FIGURE_AFTER.get(table.key)
            if kind and kind in drawn:
                parts.append(figure_html(drawn[kind]))
        parts.append("</section>")
    if report.get("influence"):
        from .tables import influence_table

        parts.append('<section id="influence"><h2>影响力 influence</h2>')
        parts.append(table_html(influence_table(report["influence"])))
        parts.append("</section>")
    if report.get("accounts"):
        from .tables import PORTFOLIO_TABLES, account_tables

        tables = account_tables(report["accounts"])
        parts.append('<section id="portfolio"><h2>客户组合 Portfolio</h2>')
        parts += [table_html(t) for t in tables if t.key in PORTFOLIO_TABLES]
        if portfolio_figure is not None:
            parts.append(figure_html(portfolio_figure))
        parts.append("</section>")
        parts.append('<section id="health"><h2>关系健康 relationship health</h2>')
        parts += [table_html(t) for t in tables if t.key not in PORTFOLIO_TABLES]
        parts.append("</section>")
    if map_data is not None:
        parts.append('<section id="map"><h2>关系地图 stakeholder map</h2>')
        parts.append(f'<p class="meta">{_e(map_data.subtitle)}</p>')
        parts.append(map_fragment(map_data, "sg-map"))
        parts.append("</section>")
    for figure in extra_figures:
        parts.append(f'<section id="{_e(figure.kind)}"><h2>组织结构 organisations</h2>')
        parts.append(figure_html(figure))
        parts.append("</section>")
    parts.append(
        "<footer>stakegraph — figures are also written as PNG files beside report.md.</footer>"
    )

    head_assets = ""
    tail_script = ""
    if map_data is not None:
        js, vis_css = vis_assets()
        head_assets = f"<style>{vis_css}</style><script>{js}</script>"
        tail_script = f"<script>{MAP_JS}</script>"
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)} ({_e(report['as_of'])})</title>"
        f"<style>{BASE_CSS}{_gap_css()}{MAP_CSS if map_data is not None else ''}</style>"
        f"{head_assets}</head><body><main>{''.join(parts)}</main>{tail_script}</body></html>\n"
    )
