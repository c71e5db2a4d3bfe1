"""The influence figure: the top officials and the parts of each score."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from stakegraph.analysis.influence import Influence
from stakegraph.graph.network import PersonNetwork
from stakegraph.views.figures.common import INFLUENCE_PARTS, _prepare, person_label
from stakegraph.views.figures.language import say
from stakegraph.views.labels import (
    FIGURE_GRID,
    PAPER,
)
from stakegraph.views.language import speaking


def influence_labels(network: PersonNetwork, ids: list[str]) -> list[str]:
    """The bars' labels: each official's name and most senior post (or background).

    Shared by the drawn figure and its HTML form (:mod:`stakegraph.views.html_charts`).
    """
    ws = network.workspace
    labels = []
    for pid in ids:
        post = person_label(network, pid)
        labels.append(f"{ws.persons[pid].name}  {post}" if post else ws.persons[pid].name)
    return labels


def influence_title(network: PersonNetwork, influence_result: Influence, count: int) -> str:
    """The chart's title: the top count, and the opportunity it is weighted by."""
    ws = network.workspace
    opp = influence_result.opportunity
    what = (
        say("（按商机 {name} 加权）", name=ws.opportunities[opp].name)
        if opp in ws.opportunities
        else ""
    )
    return say("影响力排名 前 {count} 位{weighted}", count=count, weighted=what)


@speaking
def plot_influence(
    network: PersonNetwork,
    influence_result: Influence,
    top: int = 10,
    ax: Axes | None = None,
) -> Axes:
    """The most influential officials as horizontal bars split into the score's parts.

    The parts (正式 formal line, 非正式 informal ties, 职位 position, 决策 decision
    role) add up to the score (×100), so the bar says why someone ranks high.

    Parameters
    ----------
    network : PersonNetwork
    influence_result : Influence
        From :func:`stakegraph.analysis.influence.influence`.
    top : int
        How many officials, most influential at the top.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ids = influence_result.top(top)
    ax = _prepare(ax, (10.0, 1.6 + 0.42 * max(len(ids), 3)))
    labels = influence_labels(network, ids)
    y = np.arange(len(ids))
    left = np.zeros(len(ids))
    for part, label, colour in INFLUENCE_PARTS:
        values = np.array([100 * influence_result.parts_of(pid)[part] for pid in ids])
        ax.barh(
            y,
            values,
            left=left,
            color=colour,
            label=say(label),
            height=0.68,
            edgecolor=PAPER,
            linewidth=0.5,
        )
        left += values
    for yi, total in zip(y, left, strict=True):
        ax.text(total, float(yi), f" {total:.1f}", va="center", ha="left", fontsize=8.5)
    ax.set_yticks(y, labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, (left.max() if len(left) else 1) * 1.12)
    ax.set_xlabel(say("影响力（×100，各部分相加）"))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color=FIGURE_GRID, lw=0.6)
    ax.set_axisbelow(True)
    ax.legend(loc="lower right", fontsize=8.5, frameon=False, title=say("构成"), title_fontsize=9)
    ax.set_title(influence_title(network, influence_result, len(ids)), fontsize=12, weight="bold")
    return ax
