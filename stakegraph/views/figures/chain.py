"""The decision chain (决策链) figure: steps left to right, role holders under each step."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes

from stakegraph.analysis.coverage import Coverage, GapKind, HolderCover
from stakegraph.graph.network import PersonNetwork
from stakegraph.views.figures.common import (
    _TAG_BOX,
    OWNER_COLOURS,
    _box,
    _cover_colour,
    _cover_colourbar,
    _fit_post,
    _lines_in_box,
    _owner_title,
    _prepare,
    _scale,
    _wrap_to,
    post_label,
)
from stakegraph.views.figures.language import gap_tag, say, vocabulary_word
from stakegraph.views.labels import (
    BAD_INK,
    FIGURE_LINE,
    FIGURE_NOTE,
    FIGURE_TEXT,
    FIGURE_TEXT_SOFT,
    HEADER_FILL,
    NEUTRAL_FILL,
    PAPER,
    VACANT_EDGE,
    VACANT_HATCH,
)
from stakegraph.views.language import percent, speaking
from stakegraph.views.phrases import unknown_holder_label


@speaking
def plot_chain(network: PersonNetwork, coverage_result: Coverage, ax: Axes | None = None) -> Axes:
    """The decision chain (决策链): steps left to right, role holders under each step.

    Each step's header shows its name and coverage. Each role holder is a box
    coloured by its cover (red → amber → green), with post, role, stance, the way
    we reach them and short tags for the gaps on them; a vacant post is a grey
    hatched box "空缺". Our owners form a row at the bottom, wired to the holders
    they have a direct relationship with; the line width is the relationship
    strength and each owner has a colour.

    Parameters
    ----------
    network : PersonNetwork
        The network of the analysis day (its relationship strengths are drawn).
    coverage_result : Coverage
        From :func:`stakegraph.analysis.coverage.coverage` on the same network.
    ax : matplotlib Axes, optional
        Where to draw; a new 14×9.5 in figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ws = network.workspace
    steps: list[tuple[str, str]] = []
    by_step: dict[str, list[HolderCover]] = {}
    for h in coverage_result.holders:
        if h.step not in by_step:
            steps.append((h.step, h.step_name))
            by_step[h.step] = []
        by_step[h.step].append(h)
    n_steps = max(len(steps), 1)
    rows = max((len(v) for v in by_step.values()), default=1)
    ax = _prepare(ax, (max(9.0, 2.8 * n_steps), 3.6 + 1.15 * rows))
    k = _scale(ax, (2.8 * n_steps, 3.6 + 1.15 * rows))

    half_w, box_h, pitch = 0.34, 0.88, 1.0
    header_y = 0.0
    first_y = -1.05

    # owners in the chain: anyone with a direct relationship to a holder
    rel = network.relationship.tocoo()
    links: list[tuple[str, int, int, float]] = []  # owner, column, row, strength
    person_slots: dict[str, list[tuple[int, int]]] = {}
    for col, (step_id, _) in enumerate(steps):
        for row, h in enumerate(by_step[step_id]):
            if h.person:
                person_slots.setdefault(h.person, []).append((col, row))
    for owner_row, p, s in zip(rel.row, rel.col, rel.data, strict=True):
        pid = network.persons[p]
        if s <= 0 or pid not in person_slots:
            continue
        for col, row in person_slots[pid]:
            links.append((network.owners[owner_row], col, row, float(s)))
    owner_ids = sorted(
        {link[0] for link in links},
        key=lambda o: (
            np.mean([c for oo, c, _, _ in links if oo == o]),
            -ws.owners[o].tier,
            o,
        ),
    )
    colour = {o: OWNER_COLOURS[i % len(OWNER_COLOURS)] for i, o in enumerate(owner_ids)}

    bottom_box = first_y - (rows - 1) * pitch - box_h / 2
    bus_top = bottom_box - 0.25
    bus_height = 0.35 + 0.06 * len(owner_ids)
    owner_y = bus_top - bus_height - 0.45
    left, right = -0.5, n_steps - 0.5
    ax.set_xlim(left - 0.05, right + 0.05)
    ax.set_ylim(owner_y - 0.75, header_y + 0.45)

    # step headers and arrows between them
    for col, (step_id, name) in enumerate(steps):
        value = coverage_result.steps.get(step_id, 0.0)
        _box(ax, col, header_y, 2 * half_w + 0.1, 0.62, HEADER_FILL, FIGURE_NOTE, 1.0)
        ax.text(
            col,
            header_y + 0.1,
            f"{col + 1}. {name}",
            ha="center",
            va="center",
            fontsize=12 * k,
            weight="bold",
            zorder=5,
        )
        ax.text(
            col,
            header_y - 0.17,
            say("覆盖 {value}", value=percent(value)),
            ha="center",
            va="center",
            fontsize=10 * k,
            zorder=5,
            color=FIGURE_TEXT,
            bbox={
                "boxstyle": "round,pad=0.2",
                "facecolor": _cover_colour(value),
                "edgecolor": "none",
            },
        )
        if col:
            ax.annotate(
                "",
                (col - half_w - 0.05, header_y),
                (col - 1 + half_w + 0.05, header_y),
                arrowprops={"arrowstyle": "-|>", "color": FIGURE_NOTE, "lw": 1.5},
                zorder=4,
            )

    # role holders
    for col, (step_id, _) in enumerate(steps):
        for row, h in enumerate(by_step[step_id]):
            y = first_y - row * pitch
            top = y + box_h / 2
            role = vocabulary_word("RoleKind", h.role)
            stance = vocabulary_word("Stance", h.stance)
            if h.person is None:
                _box(ax, col, y, 2 * half_w, box_h, NEUTRAL_FILL, VACANT_HATCH, 0.8, hatch="///")
                _box(ax, col, y, 2 * half_w, box_h, "none", VACANT_EDGE, 1.0, zorder=3.5)
                where = post_label(ws, h.post) if h.post else ""
                if h.unknown is not None:
                    where = unknown_holder_label(ws, h.unknown)
                lines: list[tuple[str, float, dict[str, Any]]] = [
                    (
                        say("人选未明" if h.unknown else "空缺"),
                        10.5 * k,
                        {"weight": "bold", "color": FIGURE_LINE},
                    ),
                    (where, 8 * k, {"color": FIGURE_TEXT_SOFT}),
                    (f"{role} · {stance}", 8 * k, {"color": FIGURE_TEXT_SOFT}),
                    *[
                        (line, 7.5 * k, {"color": BAD_INK})
                        for line in _wrap_to(
                            ax,
                            say("人选未明：摸清人选" if h.unknown else "岗位空缺：了解主持工作者"),
                            2 * half_w - 0.04,
                            7.5 * k,
                        )
                    ],
                ]
                _lines_in_box(ax, col, top, lines, first_gap=3 * k)
                continue
            _box(ax, col, y, 2 * half_w, box_h, _cover_colour(h.cover), FIGURE_LINE, 0.9)
            how = ""
            if h.cover > 0 and len(h.channel) > 1:
                names = say("、").join(ws.persons[p].name for p in h.channel[:-1])
                how = say(" 经{names}", names=names)
            elif h.cover <= 0:
                how = say(" 无渠道")
            tags = [gap_tag(g.kind) for g in h.gaps if g.kind != GapKind.VACANT]
            lines = [
                (ws.persons[h.person].name, 10.5 * k, {"weight": "bold"}),
                (
                    _fit_post(ax, network, h.person, 2 * half_w - 0.04, 7.5 * k),
                    7.5 * k,
                    {"color": FIGURE_TEXT},
                ),
                (f"{role} · {stance}", 7.5 * k, {"color": FIGURE_TEXT}),
                (
                    say("覆盖 {value}", value=percent(h.cover)) + how,
                    7.5 * k,
                    {"color": FIGURE_TEXT},
                ),
                (
                    " ".join(tags),
                    7 * k,
                    {"color": BAD_INK, "weight": "bold", "bbox": _TAG_BOX} if tags else {},
                ),
            ]
            _lines_in_box(ax, col, top, lines, first_gap=2 * k)

    # owners, and their wires: owner → bus level → lane left of the column → box edge
    if owner_ids:
        span = right - left
        step_x = span / len(owner_ids)
        owner_x = {o: left + step_x * (i + 0.5) for i, o in enumerate(owner_ids)}
        owner_w = min(step_x * 0.9, 0.9)
        level = {
            o: bus_top - 0.2 - (bus_height - 0.3) * i / max(len(owner_ids) - 1, 1)
            for i, o in enumerate(owner_ids)
        }
        lane: dict[tuple[str, int], float] = {}
        for col in range(n_steps):
            entering = [o for o in owner_ids if any(lk[0] == o and lk[1] == col for lk in links)]
            lane_left, lane_right = col - 0.5 + 0.03, col - half_w - 0.03
            for i, o in enumerate(entering):
                frac = (i + 0.5) / len(entering)
                lane[(o, col)] = lane_left + frac * (lane_right - lane_left)
        for o, col, row, s in sorted(links, key=lambda lk: lk[3]):
            y = first_y - row * pitch
            x_lane = lane[(o, col)]
            xs = [owner_x[o], owner_x[o], x_lane, x_lane, col - half_w]
            ys = [owner_y + 0.3, level[o], level[o], y, y]
            ax.plot(
                xs,
                ys,
                color=colour[o],
                lw=0.6 + 4.0 * s,
                alpha=0.8,
                solid_joinstyle="round",
                solid_capstyle="round",
                zorder=2,
            )
            ax.plot([col - half_w], [y], marker=">", ms=4 * k, color=colour[o], zorder=4)
        for o in owner_ids:
            _box(ax, owner_x[o], owner_y, owner_w, 0.6, PAPER, colour[o], 2.0)
            ax.text(
                owner_x[o],
                owner_y + 0.1,
                ws.owners[o].name,
                ha="center",
                va="center",
                fontsize=9.5 * k,
                weight="bold",
                color=colour[o],
                zorder=5,
            )
            ax.text(
                owner_x[o],
                owner_y - 0.14,
                _owner_title(ws, o),
                ha="center",
                va="center",
                fontsize=7 * k,
                color=FIGURE_TEXT_SOFT,
                zorder=5,
            )
        ax.text(
            left,
            owner_y - 0.42,
            say("我方人员：线宽 = 关系强度，颜色区分人员"),
            ha="left",
            va="top",
            fontsize=8.5 * k,
            color=FIGURE_TEXT_SOFT,
        )

    opp = ws.opportunities.get(coverage_result.opportunity)
    title = opp.name if opp else coverage_result.opportunity
    ax.set_title(
        say(
            "决策链覆盖：{title}（整体覆盖 {overall}，{day}）",
            title=title,
            overall=percent(coverage_result.overall),
            day=coverage_result.day,
        ),
        fontsize=13 * k,
        weight="bold",
        pad=10,
    )
    ax.set_axis_off()
    _cover_colourbar(ax, (0.78, 0.015, 0.2, 0.018), say("覆盖度 cover"), 8 * k)
    return ax
