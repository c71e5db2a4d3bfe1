"""Portfolio figures: the accounts × stages coverage heatmap and the funnel.

Both take ``ax=`` and return it; :func:`render_portfolio` draws them side by side
into a PNG or SVG file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from .analysis.portfolio import STAGE_LABELS, STAGES, Portfolio
from .fonts import use_cjk_font
from .viz import COVER_CMAP, DPI, FORMATS, FigureError, _prepare


def plot_portfolio_heatmap(result: Portfolio, ax: Axes | None = None) -> Axes:
    """Accounts (rows, key accounts first) × stages; cell = mean coverage, hatched when empty.

    Parameters
    ----------
    result : Portfolio
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    rows = result.accounts
    ax = _prepare(ax, (7.5, 1.4 + 0.45 * max(len(rows), 2)))
    matrix = np.full((len(rows), len(STAGES)), np.nan)
    for i, row in enumerate(rows):
        for j, stage in enumerate(STAGES):
            value = result.heatmap[row.org][stage.value]
            if value is not None:
                matrix[i, j] = value
    ax.imshow(np.ma.masked_invalid(matrix), cmap=COVER_CMAP, vmin=0, vmax=1, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(STAGES)):
            if np.isnan(matrix[i, j]):
                ax.add_patch(
                    Polygon(
                        [
                            (j - 0.5, i - 0.5),
                            (j + 0.5, i - 0.5),
                            (j + 0.5, i + 0.5),
                            (j - 0.5, i + 0.5),
                        ],
                        closed=True,
                        facecolor="#f4f4f4",
                        edgecolor="#d0d0d0",
                        hatch="///",
                        linewidth=0,
                    )
                )
            else:
                ax.text(j, i, f"{matrix[i, j]:.0%}", ha="center", va="center", fontsize=9)
    ax.set_xticks(range(len(STAGES)), [STAGE_LABELS[s] for s in STAGES], fontsize=9)
    labels = [f"{r.name}\n{'关键 key' if r.segment == 'key' else '普遍 general'}" for r in rows]
    ax.set_yticks(range(len(rows)), labels, fontsize=9)
    ax.set_xlim(-0.5, len(STAGES) - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_title(f"客户组合覆盖度 portfolio coverage — {result.day}", fontsize=11, loc="left")
    return ax


def plot_funnel(result: Portfolio, ax: Axes | None = None) -> Axes:
    """The funnel (客户漏斗): one centred bar per stage, width ∝ value, with counts.

    Parameters
    ----------
    result : Portfolio
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _prepare(ax, (6.0, 3.2))
    stages = result.funnel
    top = max((s["value"] for s in stages), default=0) or 1.0
    for i, stage in enumerate(stages):
        width = max(stage["value"] / top, 0.04 if stage["opportunities"] else 0.0)
        ax.barh(i, width, left=-width / 2, height=0.7, color="#4c78a8", alpha=0.85)
        value = stage["value"]
        text = f"{stage['label']}: {stage['opportunities']} · {value / 10000:,.0f} 万元"
        ax.text(
            0,
            i,
            text,
            ha="center",
            va="center",
            fontsize=9,
            color="black",
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1.5},
        )
    ax.set_ylim(len(stages) - 0.5, -0.5)
    ax.set_xlim(-0.55, 0.55)
    ax.axis("off")
    ax.set_title("客户漏斗 funnel by stage (count · value)", fontsize=11, loc="left")
    return ax


def render_portfolio(result: Portfolio, out: Path | str) -> Path:
    """Write the heatmap and the funnel side by side to a .png or .svg file."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise FigureError(f"{out}: use a .png or .svg file name.")
    use_cjk_font()
    fig = Figure(figsize=(13.5, 1.6 + 0.45 * max(len(result.accounts), 4)))
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    plot_portfolio_heatmap(result, ax=left)
    plot_funnel(result, ax=right)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        fig.savefig(out, dpi=DPI, bbox_inches="tight", format=suffix[1:], facecolor="white")
    finally:
        fig.clear()
    return out


__all__ = ["plot_funnel", "plot_portfolio_heatmap", "render_portfolio"]
