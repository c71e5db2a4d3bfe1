"""The brief as one editable PowerPoint slide (python-pptx).

The title, the subtitle, the overall coverage, the gap list and the actions are
text boxes and tables a manager can edit in PowerPoint or WPS; only the chain and
the coverage bars are pictures. Every run names an East-Asian font (Microsoft
YaHei, the font WPS and PowerPoint on Chinese Windows have) and its language, so
an office suite without that font substitutes a Chinese one instead of boxes.
"""

from __future__ import annotations

import io
from typing import Any

from stakegraph.errors import StakegraphError
from stakegraph.views.brief.content import Brief
from stakegraph.views.brief.figures import plot_brief_chain, plot_brief_coverage
from stakegraph.views.brief.layout import PAGE_HEIGHT, PAGE_WIDTH, inches
from stakegraph.views.labels import (
    ACCENT,
    FIGURE_TEXT,
    FIGURE_TEXT_SOFT,
    PAGE_HEADER_FILL,
    PAPER,
)
from stakegraph.views.language import percent

#: The East-Asian font of every run, and the Latin font beside it.
EAST_ASIAN_FONT = "Microsoft YaHei"
LATIN_FONT = {"zh": "Microsoft YaHei", "en": "Calibri"}
#: The language each run is tagged with (how an office suite picks a substitute font).
RUN_LANGUAGE = {"zh": "zh-CN", "en": "en-US"}

INSTALL_HINT = (
    "writing a .pptx brief needs python-pptx: pip install 'stakegraph[pptx]' "
    "(or write .pdf, .png or .svg)."
)


def require_pptx() -> Any:
    """The python-pptx package; a StakegraphError saying how to install it when missing."""
    try:
        import pptx
    except ImportError:
        raise StakegraphError(INSTALL_HINT) from None
    return pptx


def _rgb(colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour.lstrip("#").upper())


def _style_run(
    run: Any, language: str, size: float, bold: bool = False, colour: str = FIGURE_TEXT
) -> None:
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.name = LATIN_FONT[language]
    font.color.rgb = _rgb(colour)
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", RUN_LANGUAGE[language])
    rpr.set("altLang", "en-US")
    east_asian = rpr.find(qn("a:ea"))
    if east_asian is None:
        east_asian = rpr.makeelement(qn("a:ea"), {})
        # a:ea follows a:latin in the schema's order
        latin = rpr.find(qn("a:latin"))
        if latin is not None:
            latin.addnext(east_asian)
        else:
            rpr.append(east_asian)
    east_asian.set("typeface", EAST_ASIAN_FONT)


def _write(frame: Any, lines: list[tuple[str, float, bool, str]], language: str) -> None:
    """Fill a text frame with one paragraph per (text, size, bold, colour)."""
    frame.word_wrap = True
    for i, (text, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        _style_run(run, language, size, bold, colour)


def _textbox(slide: Any, box: str, lines: list[tuple[str, float, bool, str]], language: str) -> Any:
    from pptx.util import Inches

    left, top, width, height = inches(box)
    shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    _write(shape.text_frame, lines, language)
    return shape


def _picture(slide: Any, box: str, draw: Any, brief: Brief) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from pptx.util import Inches

    left, top, width, height = inches(box)
    fig = Figure(figsize=(width, height), facecolor=PAPER)
    FigureCanvasAgg(fig)
    draw(brief, fig.add_axes((0.0, 0.0, 1.0, 1.0)))
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", dpi=200, facecolor=PAPER)
    finally:
        fig.clear()
    buffer.seek(0)
    slide.shapes.add_picture(buffer, Inches(left), Inches(top), Inches(width), Inches(height))


def _table(
    slide: Any,
    box: str,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    language: str,
) -> Any:
    from pptx.util import Inches

    left, top, width, height = inches(box)
    row_height = height / (len(rows) + 1)
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), Inches(left), Inches(top), Inches(width), Inches(row_height)
    )
    table = shape.table
    for j, share in enumerate(widths):
        table.columns[j].width = Inches(width * share)
    for j, text in enumerate(header):
        cell = table.cell(0, j)
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb(PAGE_HEADER_FILL)
        _write(cell.text_frame, [(text, 10, True, FIGURE_TEXT)], language)
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(PAPER)
            _write(cell.text_frame, [(text, 9, False, FIGURE_TEXT)], language)
    return shape


def _cover_picture(brief: Brief, ax: Any) -> None:
    plot_brief_coverage(brief, ax.inset_axes((0.36, 0.0, 0.62, 1.0)))
    ax.set_axis_off()


def render_deck(brief: Brief) -> bytes:
    """The brief as the bytes of a one-slide 16:9 .pptx file.

    Parameters
    ----------
    brief : Brief
        From :func:`stakegraph.views.brief.brief_content`.

    Returns
    -------
    bytes

    Raises
    ------
    StakegraphError
        python-pptx is not installed (the message says how to install it).
    """
    pptx = require_pptx()
    from pptx.util import Inches

    language = brief.language
    words = brief.words
    deck = pptx.Presentation()
    deck.slide_width, deck.slide_height = Inches(PAGE_WIDTH), Inches(PAGE_HEIGHT)
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    _textbox(slide, "title", [(brief.title, 28, True, FIGURE_TEXT)], language)
    _textbox(slide, "subtitle", [(brief.subtitle, 12, False, FIGURE_TEXT_SOFT)], language)
    for box, key in (
        ("chain_heading", "chain"),
        ("coverage_heading", "coverage"),
        ("gaps_heading", "gaps"),
        ("actions_heading", "actions"),
    ):
        _textbox(slide, box, [(words[key], 14, True, ACCENT)], language)
    _picture(slide, "chain", plot_brief_chain, brief)
    _textbox(
        slide,
        "overall",
        [(f"{words['overall']} {percent(brief.overall)}", 24, True, FIGURE_TEXT)],
        language,
    )
    _picture(slide, "coverage", _cover_picture, brief)
    gap_rows = [[g.label, g.who, g.reason] for g in brief.gaps] or [[words["no_gaps"], "", ""]]
    _table(
        slide,
        "gaps",
        [words["kind"], words["who"], words["reason"]],
        gap_rows,
        [0.15, 0.15, 0.70],
        language,
    )
    action_rows = [[str(i), a.text, a.owner] for i, a in enumerate(brief.actions, 1)] or [
        ["", words["no_actions"], ""]
    ]
    _table(
        slide,
        "actions",
        ["#", words["action"], words["owner"]],
        action_rows,
        [0.07, 0.68, 0.25],
        language,
    )
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
