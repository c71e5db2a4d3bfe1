"""The relationship radar: six scores of a person's or an owner's relationships."""

from __future__ import annotations

import datetime as dt
from typing import cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.projections.polar import PolarAxes

from stakegraph.graph.network import PersonNetwork
from stakegraph.records.model import SCORE_DIMENSIONS
from stakegraph.views.figures.common import (
    OWNER_COLOURS,
    FigureError,
    _owner_title,
    _prepare,
    _text_points_drawn,
    person_label,
)
from stakegraph.views.figures.language import dimension_word, say
from stakegraph.views.labels import (
    BAD_INK,
    FIGURE_SPINE,
    FIGURE_TICK,
)
from stakegraph.views.language import speaking


@speaking
def plot_radar(
    network: PersonNetwork,
    person: str | None = None,
    owner: str | None = None,
    ax: Axes | None = None,
    compare: dt.date | None = None,
) -> Axes:
    """The six-dimension relationship radar (接受认可度 … 竞争偏向度), scores 0–5.

    Give ``person`` to overlay every owner's relationship with that person
    (legend by owner), or ``owner`` to overlay all of that owner's relationships
    (legend by person). Scores are those in force on the network's day; with
    ``compare``, each relationship's scores on that earlier (or later) date are
    drawn dashed in the same colour, so a re-assessment shows as the gap between
    the two outlines.

    Parameters
    ----------
    network : PersonNetwork
    person, owner : str
        Exactly one of them: a person id or an owner id.
    ax : matplotlib Axes, optional
        Must be polar (``projection="polar"``); a new polar figure when omitted.
    compare : date, optional
        A second date whose scores are overlaid dashed.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    FigureError
        When ``ax`` is not polar, when neither or both of person/owner are given, or
        when the id is unknown.
    """
    ws = network.workspace
    if (person is None) == (owner is None):
        raise FigureError("the radar needs exactly one of person= or owner= (an id).")
    if person is not None and person not in ws.persons:
        raise FigureError(f"no person with id '{person}' in {ws.name}.")
    if owner is not None and owner not in ws.owners:
        raise FigureError(f"no owner with id '{owner}' in {ws.name}.")
    if ax is not None and getattr(ax, "name", "") != "polar":
        raise FigureError(
            "plot_radar needs polar axes: create them with "
            "fig.add_subplot(projection='polar') or leave ax out."
        )
    # checked polar above, or made polar here
    ax = cast(PolarAxes, _prepare(ax, (7.5, 7.0), polar=True))
    from stakegraph.graph.strength import relationship_strength

    rels = [
        r
        for r in ws.relationships.values()
        if (person is not None and r.person == person) or (owner is not None and r.owner == owner)
    ]
    rels.sort(key=lambda r: -relationship_strength(r, network.day, ws.settings))
    angles = np.linspace(0, 2 * np.pi, len(SCORE_DIMENSIONS), endpoint=False)
    closed = np.concatenate([angles, angles[:1]])
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    dimensions = [dimension_word(d) for d in SCORE_DIMENSIONS]
    ax.set_xticks(angles, dimensions, fontsize=10)
    # the side labels would touch the outer circle when wider than five Chinese characters
    widest = max(_text_points_drawn(label, 10) for label in dimensions)
    ax.tick_params(axis="x", pad=14 + max(0.0, widest - 5 * 10))
    ax.spines["polar"].set_color(FIGURE_SPINE)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5], ["1", "2", "3", "4", "5"], fontsize=7, color=FIGURE_TICK)
    ax.set_rlabel_position(90 / 6)
    earlier = {}
    if compare is not None:
        from stakegraph.graph.timeline import assessments_by_pair, relationship_on

        pairs = assessments_by_pair(ws)
        for rel in rels:
            original = network.workspace.relationships[rel.id]
            if original.since is None or original.since <= compare:
                base = _source_relationship(network, rel.id)
                then = relationship_on(base, compare, pairs.get((rel.owner, rel.person), []))
                earlier[rel.id] = [then.scores()[d] for d in SCORE_DIMENSIONS]
    for i, rel in enumerate(rels):
        values = [rel.scores()[d] for d in SCORE_DIMENSIONS]
        colour = OWNER_COLOURS[i % len(OWNER_COLOURS)]
        strength = relationship_strength(rel, network.day, ws.settings)
        if person is not None:
            who = say(
                "{name}（{title}）",
                name=ws.owners[rel.owner].name,
                title=_owner_title(ws, rel.owner),
            )
        else:
            who = ws.persons[rel.person].name
        mark = say(" ★责任人") if rel.responsible else ""
        # with a second date the legend names both, so the two outlines read apart
        when = f" {network.day.isoformat()}" if rel.id in earlier else ""
        ax.plot(
            closed,
            values + values[:1],
            color=colour,
            lw=2,
            label=say(
                "{who}{when} 强度 {strength}{mark}",
                who=who,
                when=when,
                strength=f"{strength:.2f}",
                mark=mark,
            ),
        )
        ax.fill(closed, values + values[:1], color=colour, alpha=0.12)
        if rel.id in earlier:
            old = earlier[rel.id]
            ax.plot(
                closed,
                old + old[:1],
                color=colour,
                lw=1.4,
                ls="--",
                label=f"{who} {compare}",  # a date prints in ISO form
            )
    if person is not None:
        post = person_label(network, person)
        title = f"{ws.persons[person].name}" + (f" · {post}" if post else "")
        subtitle = say("我方各人与其关系的六维评分")
        if compare is not None:
            subtitle += say("：{day} 实线 vs {compare} 虚线", day=network.day, compare=compare)
        legend_title = say("我方人员")
    else:
        owner_id = cast(str, owner)  # exactly one of person and owner is given (checked above)
        title = f"{ws.owners[owner_id].name} · {_owner_title(ws, owner_id)}"
        subtitle = say("其所有客户关系的六维评分")
        if compare is not None:
            subtitle += say("：{day} 实线 vs {compare} 虚线", day=network.day, compare=compare)
        legend_title = say("客户")
    ax.set_title(
        say("{title}\n{subtitle}（0–5）", title=title, subtitle=subtitle),
        fontsize=12,
        weight="bold",
        pad=24,
    )
    if rels:
        ax.legend(
            loc="upper left",
            bbox_to_anchor=(0.93, 1.08),
            fontsize=8.5,
            frameon=False,
            title=legend_title,
            title_fontsize=9,
        )
    else:
        ax.text(0, 0, say("无关系记录"), ha="center", va="center", fontsize=11, color=BAD_INK)
    return ax


def _source_relationship(network: PersonNetwork, rel_id: str):
    """The relationship record as typed (before re-assessments), from the source workspace."""
    source = network.source_workspace
    if source is not None and rel_id in source.relationships:
        return source.relationships[rel_id]
    return network.workspace.relationships[rel_id]
