"""Draw one figure of a workspace to a PNG or SVG file (``stakegraph plot``)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

from matplotlib.axes import Axes

from stakegraph.errors import FigureError
from stakegraph.graph.network import PersonNetwork, network_of
from stakegraph.io.atomic import write_file_atomically
from stakegraph.records.workspace import Workspace
from stakegraph.views.figures.chain import plot_chain
from stakegraph.views.figures.common import DPI, FORMATS, root_figure
from stakegraph.views.figures.formal import plot_formal_informal
from stakegraph.views.figures.heatmap import plot_coverage_heatmap
from stakegraph.views.figures.influence import plot_influence
from stakegraph.views.figures.orgchart import plot_org_chart
from stakegraph.views.figures.radar import plot_radar
from stakegraph.views.figures.triangle import plot_triangle
from stakegraph.views.labels import (
    PAPER,
)

FIGURES: dict[str, Callable[..., Axes]] = {
    "chain": plot_chain,
    "influence": plot_influence,
    "radar": plot_radar,
    "heatmap": plot_coverage_heatmap,
    "triangle": plot_triangle,
    "orgchart": plot_org_chart,
    "formal": plot_formal_informal,
}

FIGURE_HELP = {
    "chain": "决策链：各步骤的角色、覆盖与缺口，我方人员连线",
    "influence": "影响力前十：正式/非正式/职位/决策构成",
    "radar": "关系六维雷达（--person 或 --owner）",
    "heatmap": "覆盖热力图：角色 × 我方人员的关系强度",
    "triangle": "倒三角推进图：对方职级 × 我方层级与渠道",
    "orgchart": "组织结构图：块（领导）与条（业务指导）",
    "formal": "正式与非正式：决策链上的汇报线与非正式关系分开画",
}

#: The same captions in English.
FIGURE_HELP_EN = {
    "chain": "Decision chain: roles, cover and gaps of each step, with our people's links",
    "influence": "Top ten by influence: formal, informal, position and decision parts",
    "radar": "Six-dimension relationship radar (--person or --owner)",
    "heatmap": "Coverage heatmap: roles × our people, relationship strength",
    "triangle": "Inverted-triangle plan: their grades × our tiers and channels",
    "orgchart": "Organisation chart: territory (led by) and line (guided by)",
    "formal": "Formal versus informal: the chain's reporting lines and informal ties apart",
}


def figure_help(kind: str, language: str = "zh") -> str:
    """A figure's caption in ``language``."""
    return (FIGURE_HELP_EN if language == "en" else FIGURE_HELP)[kind]


def _opportunity_id(ws: Workspace, opportunity: str | None, kind: str) -> str:
    if opportunity:
        if opportunity not in ws.opportunities:
            known = ", ".join(ws.opportunities) or "none"
            raise FigureError(
                f"no opportunity with id '{opportunity}' in {ws.name}; known: {known}."
            )
        return opportunity
    if len(ws.opportunities) == 1:
        return next(iter(ws.opportunities))
    known = ", ".join(ws.opportunities) or "none"
    raise FigureError(f"the {kind} figure needs an opportunity: name one (known: {known}).")


def render_figure(
    source: Workspace | PersonNetwork,
    kind: str,
    opportunity: str | None = None,
    as_of: dt.date | None = None,
    person: str | None = None,
    owner: str | None = None,
    *,
    out: Path | str,
    compare: dt.date | None = None,
) -> Path:
    """Draw one figure of a workspace and save it as PNG or SVG (by ``out``'s suffix).

    Builds what the figure needs (network, coverage, influence, plan) for the day
    ``as_of`` (default: the network's day, or today for a workspace), draws it at a size that reads well on a laptop
    screen and writes it at 150 dpi with a tight bounding box.

    Parameters
    ----------
    source : Workspace or PersonNetwork
        A loaded workspace, or a network already built for it (reused as it is).
    kind : str
        One of :data:`FIGURES`: chain, influence, radar, heatmap, triangle, orgchart,
        formal.
    opportunity : str, optional
        Needed by chain, heatmap, triangle and formal when the workspace has several;
        personalises the influence ranking when given.
    as_of : date, optional
    person, owner : str, optional
        Whose relationships the radar shows (one of them).
    out : path
        The file to write, ending in .png or .svg.
    compare : date, optional
        Radar only: overlay the scores on this date, dashed.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    FigureError
        Unknown kind, unsupported suffix, a missing or unknown opportunity, person
        or owner.
    TypeError, ValueError
        ``source`` is not a workspace or network, or is a network of another day.
    """
    if kind not in FIGURES:
        raise FigureError(f"unknown figure kind '{kind}'; choose one of: {', '.join(FIGURES)}.")
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise FigureError(
            f"{out}: cannot tell the format from the suffix '{out.suffix}'; use .png or .svg."
        )
    if kind == "orgchart" and isinstance(source, Workspace):
        # the org chart needs no network: do not build one
        ax = plot_org_chart(source, as_of=as_of or dt.date.today())
    else:
        network = network_of(source, as_of)
        ws = network.workspace
        if kind == "orgchart":
            ax = plot_org_chart(ws, as_of=network.day)
        elif kind == "radar":
            if not person and not owner:
                raise FigureError("the radar figure needs a person or an owner id.")
            if person and owner:
                raise FigureError("the radar figure shows a person or an owner, not both.")
            ax = plot_radar(network, person=person, owner=owner, compare=compare)
        elif kind == "influence":
            from stakegraph.analysis.influence import influence

            if opportunity and opportunity not in ws.opportunities:
                _opportunity_id(ws, opportunity, kind)
            ax = plot_influence(network, influence(network, opportunity))
        elif kind == "formal":
            from stakegraph.analysis.formal_informal import formal_informal

            opp = _opportunity_id(ws, opportunity, kind)
            ax = plot_formal_informal(network, opp, formal_informal(network))
        else:
            from stakegraph.analysis.coverage import coverage

            opp = _opportunity_id(ws, opportunity, kind)
            cov = coverage(network, opp)
            if kind == "chain":
                ax = plot_chain(network, cov)
            elif kind == "heatmap":
                ax = plot_coverage_heatmap(network, cov)
            else:
                from stakegraph.analysis.plan import engagement_plan

                ax = plot_triangle(network, engagement_plan(network, opp, coverage_result=cov))
    fig = root_figure(ax)
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, dpi=DPI, bbox_inches="tight", format=suffix[1:], facecolor=PAPER)
    finally:
        # the figure was never registered with pyplot; dropping its artists frees it now
        fig.clear()
    # all or nothing: a full disk must not leave half an image behind
    write_file_atomically(out, buffer.getvalue())
    return out
