"""The coverage heat map: chain roles against our owners, by relationship strength."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Polygon

from stakegraph.analysis.coverage import Coverage, HolderCover
from stakegraph.graph.network import PersonNetwork
from stakegraph.records.workspace import Workspace
from stakegraph.views.figures.common import COVER_CMAP, _prepare, post_label
from stakegraph.views.figures.language import say, tier_word
from stakegraph.views.labels import (
    BAD,
    BLACK,
    EMPTY_EDGE,
    FIGURE_NOTE,
    FIGURE_TEXT,
    HEADER_FILL,
    HEATMAP_GRID,
    PAPER,
)
from stakegraph.views.language import speaking


def heatmap_cells(
    network: PersonNetwork, coverage_result: Coverage, max_owners: int = 15
) -> tuple[list[str], dict[tuple[int, str], float], int]:
    """The heat map's columns and cells: (owners shown, strength by (holder row, owner),
    owners left out).

    Owners are ordered senior first. With more than ``max_owners`` owners, only those
    who know someone on the chain are shown (the five most senior when nobody does).
    Shared by the drawn figure and its HTML form (:mod:`stakegraph.views.html_charts`),
    so both show the same cells. O(holders × owners) sparse look-ups.
    """
    ws = network.workspace
    everyone = sorted(ws.owners, key=lambda o: (-ws.owners[o].tier, o))
    rel = network.relationship.tocsr()
    strengths: dict[tuple[int, str], float] = {}
    for i, h in enumerate(coverage_result.holders):
        if h.person is None:
            continue
        p = network.person_index[h.person]
        for o in everyone:
            s = rel[network.owner_index[o], p]
            if s > 0:
                strengths[(i, o)] = s
    owners = everyone
    if len(everyone) > max_owners:
        # a large sales force would make a mostly blank sheet metres wide
        known = {o for _, o in strengths}
        owners = [o for o in everyone if o in known] or everyone[: min(5, max_owners)]
    return owners, strengths, len(everyone) - len(owners)


def holder_label(ws: Workspace, holder: HolderCover) -> str:
    """A heat map row's label: the holder's name (or 空缺 and the post) and the step."""
    name = ws.persons[holder.person].name if holder.person else say("空缺")
    post = post_label(ws, holder.post) if holder.post and holder.person is None else ""
    return say(
        "{name}（{step}）", name=f"{name}{('·' + post) if post else ''}", step=holder.step_name
    )


@speaking
def plot_coverage_heatmap(
    network: PersonNetwork,
    coverage_result: Coverage,
    ax: Axes | None = None,
    max_owners: int = 15,
) -> Axes:
    """Who of us knows whom on the chain: role holders × our owners, cell = strength.

    Rows are the chain's role holders in step order (name and step; a vacant post
    appears as a hatched row), columns our owners, senior first; a cell is the
    owner's relationship strength with the holder (blank when none), outlined when
    the owner is the named responsible owner (责任到人). With more than
    ``max_owners`` owners, only those who know someone on the chain get a column
    (the most senior ones when nobody does), and the caption counts the rest.

    Parameters
    ----------
    network : PersonNetwork
    coverage_result : Coverage
    ax : matplotlib Axes, optional
    max_owners : int
        Up to this many owners, every owner gets a column.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ws = network.workspace
    holders = coverage_result.holders
    owners, strengths, hidden = heatmap_cells(network, coverage_result, max_owners)
    ax = _prepare(ax, (2.8 + 0.78 * len(owners), 1.6 + 0.36 * max(len(holders), 3)))
    matrix = np.full((len(holders), len(owners)), np.nan)
    for j, o in enumerate(owners):
        for i in range(len(holders)):
            if (i, o) in strengths:
                matrix[i, j] = strengths[(i, o)]
    masked = np.ma.masked_invalid(matrix)
    image = ax.imshow(masked, cmap=COVER_CMAP, vmin=0, vmax=1, aspect="auto")
    ax.set_facecolor(PAPER)
    for i, h in enumerate(holders):
        if h.person is None:
            ax.add_patch(
                Polygon(
                    [
                        (-0.5, i - 0.5),
                        (len(owners) - 0.5, i - 0.5),
                        (len(owners) - 0.5, i + 0.5),
                        (-0.5, i + 0.5),
                    ],
                    closed=True,
                    facecolor=HEADER_FILL,
                    edgecolor=EMPTY_EDGE,
                    linewidth=0,
                    hatch="///",
                    zorder=0.5,
                )
            )
        for j, o in enumerate(owners):
            value = matrix[i, j]
            if not np.isnan(value):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8, color=BLACK)
                if h.person and o in h.responsible:
                    ax.add_patch(
                        Polygon(
                            [
                                (j - 0.46, i - 0.44),
                                (j + 0.46, i - 0.44),
                                (j + 0.46, i + 0.44),
                                (j - 0.46, i + 0.44),
                            ],
                            closed=True,
                            fill=False,
                            edgecolor=FIGURE_TEXT,
                            lw=1.8,
                            zorder=3,
                        )
                    )
    labels = [holder_label(ws, h) for h in holders]
    ax.set_yticks(range(len(holders)), labels, fontsize=8.5)
    for tick, h in zip(ax.get_yticklabels(), holders, strict=True):
        if h.cover <= 0:
            tick.set_color(BAD)
    ax.set_xticks(
        range(len(owners)),
        [f"{ws.owners[o].name}\n{tier_word(ws, ws.owners[o].tier)}" for o in owners],
        fontsize=8.5,
    )
    ax.xaxis.tick_top()
    ax.set_xticks(np.arange(-0.5, len(owners)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(holders)), minor=True)
    ax.grid(which="minor", color=HEATMAP_GRID, lw=0.6)
    ax.tick_params(which="minor", length=0)
    ax.tick_params(axis="x", which="major", labeltop=True, labelbottom=False)
    for i in range(1, len(holders)):
        if holders[i].step != holders[i - 1].step:
            ax.axhline(i - 0.5, color=FIGURE_NOTE, lw=1.2)
    bar = ax.figure.colorbar(image, ax=ax, fraction=0.035, pad=0.02)
    bar.set_label(say("关系强度 strength"), fontsize=9)
    opp = ws.opportunities.get(coverage_result.opportunity)
    note = say("\n另有 {hidden} 名我方人员与该链上的人无直接关系（未列出）", hidden=hidden)
    ax.set_xlabel(
        say("粗框 = 责任人（责任到人）；红色姓名 = 无覆盖；空白 = 无直接关系")
        + (note if hidden else ""),
        fontsize=8.5,
        color=FIGURE_NOTE,
    )
    ax.set_title(
        say(
            "决策链角色 × 我方人员：关系强度（{name}）",
            name=opp.name if opp else coverage_result.opportunity,
        ),
        fontsize=12,
        weight="bold",
        pad=12,
    )
    return ax
