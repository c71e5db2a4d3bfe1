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
    PAGE_LABEL_INK,
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


#: Below this width the page is laid out for a phone held upright.
NARROW = "40rem"

#: The phone layout (screen only, so print keeps the wide tables): a narrower margin,
#: one column of contents, text no smaller than 14 px, and the tables of
#: :data:`stakegraph.views.html.CARD_TABLES` as cards. A card is one row: each cell on
#: its own line after its column's name (the ``data-label`` the HTML writer puts on it);
#: empty cells are left out, and a chain step's name heads its first role's card.
NARROW_CSS = f"""
@media screen and (max-width: {NARROW}) {{
  main {{ padding: 0.6rem 0.75rem 2rem; overflow-wrap: break-word; }}
  header h1 {{ font-size: 1.3rem; }}
  nav ul {{ columns: 1; }}
  .note, .legend, figcaption, footer, table {{ font-size: 0.875rem; }}
  figure {{ margin: 0.6rem 0 1rem; }}
  figure img {{ width: 100%; max-height: none; }}
  .table-wrap.scroll {{ border-right: 2px solid {PAGE_GROUP_RULE}; }}
  table.scroll td:not(.num) {{ min-width: 7.5em; }}
  table.cards, table.cards caption, table.cards tbody, table.cards tr {{ display: block; }}
  table.cards thead {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); white-space: nowrap; }}
  table.cards tr {{ border: 1px solid {PAGE_CARD_BORDER}; border-radius: 6px;
    margin: 0 0 0.5rem; padding: 0.35rem 0.6rem; break-inside: avoid; }}
  table.cards tr.group-start {{ margin-top: 1rem; border-top: 3px solid {PAGE_GROUP_RULE}; }}
  table.cards td {{ display: grid; grid-template-columns: minmax(5.5rem, 34%) 1fr;
    gap: 0 0.6rem; border: 0; padding: 0.12rem 0; text-align: left; white-space: normal;
    overflow-wrap: anywhere; }}
  table.cards td::before {{ content: attr(data-label); color: {PAGE_LABEL_INK};
    font-weight: 400; }}
  table.cards td:empty {{ display: none; }}
  table.cards td.step {{ display: block; font-size: 1rem; padding-bottom: 0.2rem; }}
  table.cards td.step::before, table.cards td.note::before {{ content: none; }}
  table.cards td.note {{ display: block; }}
  table.cards tr.group-start td {{ border-top: 0; }}
  table.cards td[class*="cover-"] {{ border-radius: 3px; padding: 0.12rem 0.3rem;
    margin: 0 -0.3rem; }}
}}
"""

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
{NARROW_CSS}@media print {{
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
