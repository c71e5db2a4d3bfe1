"""Figures for account managers: the chain, influence, relationships, the plan, the org chart.

Every plotting function takes an optional ``ax=`` and returns the axes it drew on.
Without one it makes a standalone :class:`~matplotlib.figure.Figure` on the Agg
canvas (never a GUI window, never ``plt.show()``); get it with ``ax.figure``. In a
notebook, ``display(ax.figure)`` shows it. Each figure is drawn in one language:
the run's (``--lang``), else its workspace's; its fixed words come from
:mod:`stakegraph.views.figures.language`, names are drawn as typed. Names may be
Chinese in any language, so each function first makes matplotlib use a CJK font
(:func:`stakegraph.views.fonts.use_cjk_font`).

:func:`render_figure` builds what a figure needs from a workspace (or reuses a
network) and writes a PNG or SVG; ``stakegraph plot`` calls it.
"""

from stakegraph.views.figures.chain import plot_chain
from stakegraph.views.figures.common import (
    COVER_CMAP,
    DPI,
    FORMATS,
    FigureError,
    person_label,
    post_label,
)
from stakegraph.views.figures.heatmap import plot_coverage_heatmap
from stakegraph.views.figures.influence import plot_influence
from stakegraph.views.figures.orgchart import plot_org_chart
from stakegraph.views.figures.portfolio import plot_funnel, plot_portfolio_heatmap, render_portfolio
from stakegraph.views.figures.radar import plot_radar
from stakegraph.views.figures.render import FIGURE_HELP, FIGURES, render_figure
from stakegraph.views.figures.triangle import plot_triangle

__all__ = [
    "COVER_CMAP",
    "DPI",
    "FIGURES",
    "FIGURE_HELP",
    "FORMATS",
    "FigureError",
    "person_label",
    "plot_chain",
    "plot_coverage_heatmap",
    "plot_funnel",
    "plot_influence",
    "plot_org_chart",
    "plot_portfolio_heatmap",
    "plot_radar",
    "plot_triangle",
    "post_label",
    "render_figure",
    "render_portfolio",
]
