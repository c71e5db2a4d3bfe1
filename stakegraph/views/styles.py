"""The report's and the map's page style: the CSS and its Chinese-first font stack.

The layout is written here; every colour comes from :mod:`stakegraph.views.labels`.
"""

from __future__ import annotations

from stakegraph.views.labels import (
    ACCENT,
    CELL_SIGNALS,
    COVER_LEVEL_COLOURS,
    PAGE_BACKGROUND,
    PAGE_BAR_TRACK,
    PAGE_CARD_BORDER,
    PAGE_FAINT,
    PAGE_GROUP_RULE,
    PAGE_HEADER_FILL,
    PAGE_INK,
    PAGE_LEGEND_INK,
    PAGE_MUTED,
    PAGE_RULE,
    PAPER,
    SIGNAL_COLOURS,
    STANCE_COLOURS,
)

FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", '
    '"Microsoft YaHei", sans-serif'
)


def _cell_css() -> str:
    """The coloured table cells: signals (bold when bad), stances and cover levels."""
    rules = [
        f"td.{cls} {{ color: {SIGNAL_COLOURS[signal]};"
        + (" font-weight: 600;" if signal == "bad" else "")
        + " }"
        for cls, signal in CELL_SIGNALS.items()
    ]
    rules += [f"td.stance-{stance} {{ color: {c}; }}" for stance, c in STANCE_COLOURS.items()]
    rules += [
        f"td.cover-{level} {{ background: {c}; }}" for level, c in COVER_LEVEL_COLOURS.items()
    ]
    return "".join(rule + "\n" for rule in rules)


BASE_CSS = f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
body {{ font-family: {FONT_STACK}; font-size: 15px; line-height: 1.5; color: {PAGE_INK};
  background: {PAGE_BACKGROUND}; margin: 0; }}
main {{ max-width: 1280px; margin: 0 auto; padding: 1rem 1.4rem 3rem; background: {PAPER}; }}
body.map-page main {{ max-width: none; }}
header h1 {{ font-size: 1.5rem; margin: 0.2rem 0 0.3rem; }}
.meta {{ color: {PAGE_MUTED}; margin: 0 0 0.6rem; }}
h2 {{ font-size: 1.3rem; margin: 2rem 0 0.4rem; padding-top: 0.6rem; border-top: 3px solid {ACCENT}; }}
h3 {{ font-size: 1.08rem; margin: 1.4rem 0 0.4rem; }}
h4 {{ margin: 0.8rem 0 0.2rem; font-size: 0.95rem; }}
nav ul {{ margin: 0.3rem 0; padding-left: 1.2rem; columns: 2; }}
.coverage-list {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
  gap: 0.5rem 1rem; margin: 0.6rem 0 0.4rem; padding: 0; list-style: none; }}
.coverage-list li {{ border: 1px solid {PAGE_CARD_BORDER}; border-radius: 6px; padding: 0.4rem 0.6rem; }}
.bar {{ height: 0.55rem; background: {PAGE_BAR_TRACK}; border-radius: 3px; overflow: hidden; margin-top: 0.25rem; }}
.bar span {{ display: block; height: 100%; }}
.table-wrap {{ overflow-x: auto; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.86rem; margin: 0.3rem 0 0.6rem; }}
caption {{ text-align: left; font-weight: 600; padding: 0.2rem 0; }}
th, td {{ border-bottom: 1px solid {PAGE_RULE}; padding: 0.28rem 0.45rem; text-align: left;
  vertical-align: top; }}
th {{ background: {PAGE_HEADER_FILL}; font-weight: 600; white-space: nowrap; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
tr.group-start td {{ border-top: 2px solid {PAGE_GROUP_RULE}; }}
td.step, td.nowrap {{ font-weight: 600; white-space: nowrap; }}
td.nowrap {{ font-weight: 400; }}
{_cell_css()}.gap {{ display: inline-block; color: {PAPER}; border-radius: 3px; padding: 0 0.35em; margin: 0.05em 0.15em 0.05em 0;
  font-size: 0.78rem; font-weight: 600; letter-spacing: 0.01em; white-space: nowrap; }}
.legend {{ font-size: 0.82rem; color: {PAGE_LEGEND_INK}; margin: 0.2rem 0 0.5rem; }}
.note {{ color: {PAGE_MUTED}; font-size: 0.85rem; }}
figure {{ margin: 0.6rem 0 1.2rem; text-align: center; }}
figure img {{ max-width: 100%; height: auto; max-height: 85vh; border: 1px solid {PAGE_RULE}; }}
figcaption {{ color: {PAGE_MUTED}; font-size: 0.85rem; margin-top: 0.2rem; }}
footer {{ color: {PAGE_FAINT}; font-size: 0.8rem; margin-top: 2rem; }}
@media print {{
  @page {{ size: A4 landscape; margin: 12mm; }}
  body {{ background: {PAPER}; font-size: 10pt; }}
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


def notebook_css() -> str:
    """The tables' share of the page style for a notebook, scoped to ``.stakegraph``.

    A notebook page holds other output (pandas frames, widgets): every rule here
    applies only inside the ``<div class="stakegraph">`` a result is shown in.
    """
    scope = ".stakegraph"
    return f"""
{scope} table {{ border-collapse: collapse; font-size: 0.86rem; margin: 0.3rem 0 0.6rem; font-family: {FONT_STACK}; }}
{scope} caption {{ text-align: left; font-weight: 600; padding: 0.2rem 0; }}
{scope} th, {scope} td {{ border-bottom: 1px solid {PAGE_RULE}; padding: 0.28rem 0.45rem; text-align: left;
  vertical-align: top; }}
{scope} th {{ font-weight: 600; white-space: nowrap; }}
{scope} td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
{scope} tr.group-start td {{ border-top: 2px solid {PAGE_GROUP_RULE}; }}
{scope} td.step {{ font-weight: 600; white-space: nowrap; }}
{scope} .gap {{ display: inline-block; color: {PAPER}; border-radius: 3px; padding: 0 0.35em;
  margin: 0.05em 0.15em 0.05em 0; font-size: 0.78rem; font-weight: 600; white-space: nowrap; }}
{scope} .note {{ color: {PAGE_MUTED}; font-size: 0.85rem; }}
""" + "".join(f"{scope} {rule}" for rule in _cell_css().splitlines(keepends=True))
