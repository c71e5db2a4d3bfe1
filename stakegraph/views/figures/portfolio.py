"""Portfolio figures: the accounts × stages coverage heatmap and the funnel.

Both take ``ax=`` and return it; :func:`render_portfolio` draws them side by side
into a PNG or SVG file.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle

from stakegraph.analysis.portfolio import STAGES, Portfolio
from stakegraph.errors import FigureError
from stakegraph.io.atomic import write_file_atomically
from stakegraph.views.figures.common import COVER_CMAP, DPI, FORMATS, _prepare
from stakegraph.views.figures.language import say
from stakegraph.views.fonts import use_cjk_font
from stakegraph.views.labels import (
    BAD,
    BLACK,
    EMPTY_EDGE,
    EMPTY_FILL,
    FIGURE_NOTE,
    FUNNEL_BAND,
    FUNNEL_COLOUR,
    PAPER,
    STAGE_LABELS,
)
from stakegraph.views.language import money, money_unit, percent, shown_label

#: The width of a stage bar whose opportunities have no known value (axis units).
MIN_BAR = 0.04


def _wan(value: float) -> str:
    return f"{money(value)} {money_unit()[0]}".rstrip()


def plot_portfolio_heatmap(result: Portfolio, ax: Axes | None = None) -> Axes:
    """Accounts (rows, key accounts first) × stages; cell = mean coverage, hatched when empty.

    Each row is labelled with the account, its segment and value; each filled cell
    prints its coverage and is coloured on the shared cover scale (red weak, green
    strong); a hatched grey cell means the account has no opportunity at that stage.

    Parameters
    ----------
    result : Portfolio
        From :func:`~stakegraph.analysis.portfolio.portfolio`.
    ax : matplotlib Axes, optional
        Drawn on when given; otherwise a new figure is made.

    Returns
    -------
    matplotlib.axes.Axes
    """
    rows = result.accounts
    ax = _prepare(ax, (8.5, 1.6 + 0.55 * max(len(rows), 2)))
    matrix = np.full((len(rows), len(STAGES)), np.nan)
    for i, row in enumerate(rows):
        for j, stage in enumerate(STAGES):
            value = result.heatmap[row.org][stage.value]
            if value is not None:
                matrix[i, j] = value
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=COVER_CMAP, vmin=0, vmax=1, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(STAGES)):
            if np.isnan(matrix[i, j]):
                ax.add_patch(
                    Rectangle(
                        (j - 0.5, i - 0.5),
                        1,
                        1,
                        facecolor=EMPTY_FILL,
                        edgecolor=EMPTY_EDGE,
                        hatch="///",
                        linewidth=0,
                    )
                )
            else:
                ax.text(j, i, percent(matrix[i, j]), ha="center", va="center", fontsize=10)
    ax.set_xticks(range(len(STAGES)), [shown_label(STAGE_LABELS[s]) for s in STAGES], fontsize=9)
    labels = []
    for r in rows:
        segment = say("关键 key" if r.segment == "key" else "普遍 general")
        unknown = say(" (+{count} 未知)", count=r.unknown_value) if r.unknown_value else ""
        labels.append(f"{r.name}\n{segment}, {_wan(r.value)}{unknown}")
    ax.set_yticks(range(len(rows)), labels, fontsize=9)
    for tick, r in zip(ax.get_yticklabels(), rows, strict=True):
        if not r.covered:
            tick.set_color(BAD)
    # white grid lines between cells keep neighbouring colours apart
    ax.set_xticks(np.arange(-0.5, len(STAGES)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
    ax.grid(which="minor", color=PAPER, lw=2)
    ax.tick_params(which="minor", length=0)
    ax.set_xlim(-0.5, len(STAGES) - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    bar = ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label(say("覆盖度 coverage"), fontsize=9)
    bar.ax.axhline(result.covered_threshold, color=BLACK, lw=1)
    bar.ax.tick_params(labelsize=8)
    ax.set_xlabel(
        say(
            "斜线 = 该阶段无商机 (no opportunity); 红色客户 = 覆盖不足 (under {threshold})",
            threshold=percent(result.covered_threshold),
        ),
        fontsize=8.5,
        color=FIGURE_NOTE,
    )
    ax.set_title(
        say("客户组合覆盖度 portfolio coverage — {day}", day=result.day), fontsize=11, loc="left"
    )
    return ax


def plot_funnel(result: Portfolio, ax: Axes | None = None) -> Axes:
    """The funnel (客户漏斗): one centred bar per stage, width ∝ value, with counts.

    Stages run top to bottom from 早期 early to 后期 collection; a stage with
    opportunities but no known value keeps a thin bar so it does not vanish; light
    bands join neighbouring bars into the funnel outline.

    Parameters
    ----------
    result : Portfolio
        From :func:`~stakegraph.analysis.portfolio.portfolio`.
    ax : matplotlib Axes, optional
        Drawn on when given; otherwise a new figure is made.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _prepare(ax, (6.5, 3.4))
    stages = result.funnel
    top = max((s["value"] for s in stages), default=0) or 1.0
    half = 0.7 / 2
    widths = [max(s["value"] / top, MIN_BAR if s["opportunities"] else 0.0) for s in stages]
    for i in range(len(stages) - 1):
        upper, lower = widths[i], widths[i + 1]
        ax.add_patch(
            Polygon(
                [
                    (-upper / 2, i + half),
                    (upper / 2, i + half),
                    (lower / 2, i + 1 - half),
                    (-lower / 2, i + 1 - half),
                ],
                closed=True,
                facecolor=FUNNEL_BAND,
                edgecolor="none",
            )
        )
    for i, (stage, width) in enumerate(zip(stages, widths, strict=True)):
        if width:
            ax.barh(i, width, left=-width / 2, height=2 * half, color=FUNNEL_COLOUR)
        unknown = (
            say(" (+{count} 金额未知 unknown)", count=stage["unknown_value"])
            if stage["unknown_value"]
            else ""
        )
        ax.text(
            0.56,
            i,
            say(
                "{count} 个商机, {value}{unknown}",
                count=stage["opportunities"],
                value=_wan(stage["value"]),
                unknown=unknown,
            ),
            ha="left",
            va="center",
            fontsize=9,
        )
    ax.set_yticks(
        range(len(stages)), [shown_label(STAGE_LABELS[s["stage"]]) for s in stages], fontsize=9.5
    )
    ax.tick_params(axis="y", length=0)
    ax.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_ylim(len(stages) - 0.5, -0.5)
    ax.set_xlim(-0.52, 1.25)
    ax.set_title(say("客户漏斗 funnel: opportunities and value by stage"), fontsize=11, loc="left")
    return ax


def render_portfolio(result: Portfolio, out: Path | str) -> Path:
    """Write the heatmap and the funnel side by side to a .png or .svg file."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise FigureError(f"{out}: use a .png or .svg file name.")
    use_cjk_font()
    fig = Figure(figsize=(15.0, 2.0 + 0.55 * max(len(result.accounts), 4)))
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    plot_portfolio_heatmap(result, ax=left)
    plot_funnel(result, ax=right)
    fig.tight_layout()
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, dpi=DPI, bbox_inches="tight", format=suffix[1:], facecolor=PAPER)
    finally:
        fig.clear()
    # all or nothing: a full disk must not leave half an image behind
    write_file_atomically(out, buffer.getvalue())
    return out


__all__ = ["plot_funnel", "plot_portfolio_heatmap", "render_portfolio"]
