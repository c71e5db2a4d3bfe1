"""The brief drawn by matplotlib on one 16:9 page: PDF, PNG or SVG."""

from __future__ import annotations

import io
import re

from matplotlib.figure import Figure

from stakegraph.views.brief.content import Brief
from stakegraph.views.brief.figures import plot_brief_chain, plot_brief_coverage
from stakegraph.views.brief.layout import PAGE_HEIGHT, PAGE_WIDTH, fraction, inches
from stakegraph.views.figures.common import _cover_colour
from stakegraph.views.fonts import use_cjk_font
from stakegraph.views.labels import ACCENT, BAD_INK, FIGURE_TEXT, FIGURE_TEXT_SOFT, PAPER
from stakegraph.views.language import percent

#: The formats matplotlib writes, and the DPI of the PNG.
FORMATS = (".pdf", ".png", ".svg")
DPI = 150


_TOKENS = re.compile(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+")


def _ems(text: str) -> float:
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def wrap(text: str, ems: float) -> list[str]:
    """Lines of about ``ems`` ems: Latin words stay whole, Chinese breaks anywhere.

    A CJK character counts one em and a Latin one about half.
    """
    lines: list[str] = []
    current, used = "", 0.0
    for token in _TOKENS.findall(text):
        width = _ems(token.rstrip())
        if current and used + width > ems:
            lines.append(current.rstrip())
            current, used = "", 0.0
            token = token.lstrip()
        current += token
        used += _ems(token)
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]


def _heading(fig: Figure, box: str, text: str) -> None:
    left, bottom, _, height = fraction(box)
    fig.text(left, bottom + height / 2, text, fontsize=12, weight="bold", color=ACCENT, va="center")


def _entries(fig: Figure, box: str, entries: list[tuple[str, str, str]], size: float) -> None:
    """Numbered entries (tag, body, note) stacked down from the top of ``box``."""
    left, top, width, _ = inches(box)
    line = size * 1.4 / 72
    y = top
    indent = 0.32
    ems = (width - indent) * 72 / size
    for i, (tag, body, note) in enumerate(entries, start=1):
        fig.text(
            left / PAGE_WIDTH,
            1 - (y + line * 0.5) / PAGE_HEIGHT,
            f"{i}.",
            fontsize=size,
            weight="bold",
            color=FIGURE_TEXT,
            va="center",
        )
        lines = wrap(f"{tag}{body}", ems)
        for j, text in enumerate(lines):
            fig.text(
                (left + indent) / PAGE_WIDTH,
                1 - (y + line * (j + 0.5)) / PAGE_HEIGHT,
                text,
                fontsize=size,
                color=FIGURE_TEXT,
                va="center",
            )
        y += line * len(lines)
        if note:
            fig.text(
                (left + indent) / PAGE_WIDTH,
                1 - (y + line * 0.5) / PAGE_HEIGHT,
                note,
                fontsize=size * 0.92,
                color=FIGURE_TEXT_SOFT,
                va="center",
            )
            y += line
        y += line * 0.35


def brief_figure(brief: Brief) -> Figure:
    """The whole brief page as a matplotlib figure (13.333 × 7.5 in, no pyplot).

    Parameters
    ----------
    brief : Brief
        From :func:`stakegraph.views.brief.brief_content`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    use_cjk_font()
    fig = Figure(figsize=(PAGE_WIDTH, PAGE_HEIGHT), facecolor=PAPER)
    FigureCanvasAgg(fig)
    words = brief.words
    left, bottom, _, height = fraction("title")
    fig.text(
        left,
        bottom + height / 2,
        brief.title,
        fontsize=22,
        weight="bold",
        color=FIGURE_TEXT,
        va="center",
    )
    left, bottom, _, height = fraction("subtitle")
    fig.text(
        left, bottom + height / 2, brief.subtitle, fontsize=11, color=FIGURE_TEXT_SOFT, va="center"
    )
    _heading(fig, "chain_heading", words["chain"])
    _heading(fig, "coverage_heading", words["coverage"])
    _heading(fig, "gaps_heading", words["gaps"])
    _heading(fig, "actions_heading", words["actions"])
    plot_brief_chain(brief, fig.add_axes(fraction("chain")))
    left, bottom, _, height = fraction("overall")
    fig.text(
        left,
        bottom + height / 2,
        percent(brief.overall),
        fontsize=30,
        weight="bold",
        va="center",
        color=FIGURE_TEXT,
        bbox={
            "boxstyle": "round,pad=0.25",
            "facecolor": _cover_colour(brief.overall),
            "edgecolor": "none",
        },
    )
    fig.text(
        left + 0.1,
        bottom + height / 2,
        words["overall"],
        fontsize=11,
        color=FIGURE_TEXT_SOFT,
        va="center",
    )
    cov_left, cov_bottom, cov_width, cov_height = fraction("coverage")
    # the bars' labels stand left of the bars, inside the box
    plot_brief_coverage(
        brief, fig.add_axes((cov_left + cov_width * 0.36, cov_bottom, cov_width * 0.62, cov_height))
    )
    gaps = [(words["tag"].format(g.label), g.reason, "") for g in brief.gaps]
    if not gaps:
        fig.text(*fraction("gaps")[:2], words["no_gaps"], fontsize=10, color=FIGURE_TEXT)
    _entries(fig, "gaps", gaps, 9.5)
    actions = [(a.text, "", f"{words['owner']}{words['colon']}{a.owner}") for a in brief.actions]
    _entries(fig, "actions", [(t, b, n) for t, b, n in actions], 9.5)
    if not brief.actions:
        fig.text(*fraction("actions")[:2], words["no_actions"], fontsize=10, color=BAD_INK)
    return fig


def render_slide(brief: Brief, fmt: str) -> bytes:
    """The brief page as the bytes of a PDF, PNG or SVG file (SVG text stays text).

    Parameters
    ----------
    brief : Brief
    fmt : {"pdf", "png", "svg"}

    Returns
    -------
    bytes
    """
    import matplotlib as mpl

    fig = brief_figure(brief)
    buffer = io.BytesIO()
    try:
        with mpl.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
            fig.savefig(buffer, format=fmt, dpi=DPI, facecolor=PAPER)
    finally:
        fig.clear()
    return buffer.getvalue()
