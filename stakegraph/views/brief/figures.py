"""The brief's two pictures: the chain coloured by cover, and coverage by step."""

from __future__ import annotations

from matplotlib.axes import Axes

from stakegraph.views.brief.content import Brief
from stakegraph.views.figures.common import _box, _cover_colour, _prepare
from stakegraph.views.labels import (
    BAND_FILL,
    FIGURE_LINE,
    FIGURE_NOTE,
    FIGURE_TEXT,
    FIGURE_TEXT_SOFT,
    HEADER_FILL,
    NEUTRAL_FILL,
    VACANT_EDGE,
    VACANT_HATCH,
)
from stakegraph.views.language import percent

#: The fewest columns, rows of holders and coverage bars the pictures are laid out for.
MIN_COLUMNS = 4
MIN_ROWS = 4
MIN_BARS = 6


def _fit(text: str, ems: float) -> str:
    """``text`` cut to about ``ems`` ems (a CJK character is one em, a Latin one half)."""
    used, out = 0.0, ""
    for ch in text:
        used += 1.0 if ord(ch) > 0x2E80 else 0.55
        if used > ems:
            return out.rstrip() + "…"
        out += ch
    return out


def plot_brief_chain(brief: Brief, ax: Axes | None = None, scale: float = 1.0) -> Axes:
    """The decision chain in brief: steps left to right, holders coloured by cover.

    Each step's header shows its name and coverage; under it one box per role
    holder (name, role, cover) in the cover colours of the chain figure (red →
    amber → green); a vacant post is a grey hatched box.

    Parameters
    ----------
    brief : Brief
        From :func:`stakegraph.views.brief.brief_content`.
    ax : matplotlib Axes, optional
        Where to draw; a new 8.3×3.4 in figure when omitted.
    scale : float
        Font scale (1 at 8.3 in wide).

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _prepare(ax, (8.3, 3.4))
    steps = brief.steps
    n = max(len(steps), 1)
    # a short chain keeps the boxes of a long one, centred, rather than growing them
    columns = max(n, MIN_COLUMNS)
    rows = max(max((len(s.holders) for s in steps), default=1), MIN_ROWS)
    half_w = 0.44
    margin = (columns - n) / 2
    ax.set_xlim(-0.5 - margin, n - 0.5 + margin)
    ax.set_ylim(-rows - 0.05, 1.06)
    # a column is 8.3/n inches wide: fit names to it
    ems = 8.3 / columns * 72 * 0.85 / (9 * scale)
    for col, step in enumerate(steps):
        _box(ax, col, 0.62, 2 * half_w, 0.82, HEADER_FILL, FIGURE_NOTE, 0.8)
        ax.text(
            col,
            0.85,
            _fit(step.name, ems * 0.95),
            ha="center",
            va="center",
            fontsize=9.5 * scale,
            weight="bold",
            color=FIGURE_TEXT,
            zorder=5,
        )
        ax.text(
            col,
            0.39,
            percent(step.cover),
            ha="center",
            va="center",
            fontsize=9 * scale,
            color=FIGURE_TEXT,
            zorder=5,
            bbox={
                "boxstyle": "round,pad=0.2",
                "facecolor": _cover_colour(step.cover),
                "edgecolor": "none",
            },
        )
        if col:
            ax.annotate(
                "",
                (col - half_w, 0.62),
                (col - 1 + half_w, 0.62),
                arrowprops={"arrowstyle": "-|>", "color": FIGURE_NOTE, "lw": 1.2},
            )
        for row, holder in enumerate(step.holders):
            y = -row - 0.45
            if holder.vacant:
                _box(ax, col, y, 2 * half_w, 0.84, NEUTRAL_FILL, VACANT_HATCH, 0.8, hatch="///")
                _box(ax, col, y, 2 * half_w, 0.84, "none", VACANT_EDGE, 1.0, zorder=3.5)
                second = holder.role
            else:
                _box(ax, col, y, 2 * half_w, 0.84, _cover_colour(holder.cover), FIGURE_LINE, 0.8)
                second = f"{holder.role} · {percent(holder.cover)}"
            ax.text(
                col,
                y + 0.16,
                _fit(holder.name, ems),
                ha="center",
                va="center",
                fontsize=9 * scale,
                weight="bold",
                color=FIGURE_TEXT,
                zorder=5,
            )
            ax.text(
                col,
                y - 0.17,
                _fit(second, ems * 1.1),
                ha="center",
                va="center",
                fontsize=7.5 * scale,
                color=FIGURE_TEXT_SOFT,
                zorder=5,
            )
    ax.set_axis_off()
    return ax


def plot_brief_coverage(brief: Brief, ax: Axes | None = None, scale: float = 1.0) -> Axes:
    """Coverage in brief: one bar for the whole chain, then one per step.

    Parameters
    ----------
    brief : Brief
    ax : matplotlib Axes, optional
        Where to draw; a new 4×3.4 in figure when omitted.
    scale : float
        Font scale.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _prepare(ax, (4.0, 3.4))
    words = brief.words
    bars = [(words["overall"], brief.overall, True)]
    bars += [(_fit(s.name, 9), s.cover, False) for s in brief.steps]
    for i, (label, value, bold) in enumerate(bars):
        y = -i * 1.0 - (0.3 if i else 0.0)
        height = 0.72 if bold else 0.55
        ax.barh(y, 1.0, height=height, color=BAND_FILL, zorder=1)
        ax.barh(y, value, height=height, color=_cover_colour(value), zorder=2)
        ax.text(
            -0.03,
            y,
            label,
            ha="right",
            va="center",
            fontsize=(9.5 if bold else 8.5) * scale,
            weight="bold" if bold else "normal",
            color=FIGURE_TEXT,
        )
        ax.text(
            min(value, 0.82) + 0.02,
            y,
            percent(value),
            ha="left",
            va="center",
            fontsize=(9.5 if bold else 8.5) * scale,
            weight="bold" if bold else "normal",
            color=FIGURE_TEXT,
            zorder=3,
        )
    ax.set_xlim(0, 1.0)
    ax.set_ylim(-max(len(bars), MIN_BARS) - 0.1, 0.6)
    ax.set_axis_off()
    return ax
