"""The inverted-triangle plan (倒三角) figure: their grades against our tiers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch, Polygon

from stakegraph.graph.network import PersonNetwork
from stakegraph.views.figures.common import (
    _box,
    _cover_colour,
    _lines_in_box,
    _owner_title,
    _points_to_dx,
    _prepare,
    _scale,
    _text_points_drawn,
    _wrap_to,
    person_label,
)
from stakegraph.views.figures.language import grade_word, phase_word, say, tier_word
from stakegraph.views.labels import (
    BAD,
    BAD_INK,
    BAND_FILL,
    BLACK,
    FIGURE_LINE,
    FIGURE_NOTE,
    FIGURE_TEXT,
    FIGURE_TEXT_SOFT,
    OUR_SIDE_FILL,
    OUR_SIDE_INK,
    PAPER,
    PHASE_COLOURS,
    THEIR_SIDE_INK,
    UNCOVERED_FILL,
)
from stakegraph.views.language import percent, speaking


@speaking
def plot_triangle(network: PersonNetwork, plan_rows: Sequence[Any], ax: Axes | None = None) -> Axes:
    """The inverted-triangle plan (倒三角) at a glance: their grades against our tiers.

    Their side (left) is a pyramid of the plan's targets by grade, senior at the
    top, grouped in the phases 高层对接 (senior pairing), 持续互动 (channels) and
    责任到人 (named owners). Our side (right) shows the owners the plan involves
    by tier, each tier at the height of the grade it is paired with
    (``[tier_grade]``), so a level link is a grade-matched pairing. A link joins
    each target to the owner of its best channel: colour and width show the
    channel strength, written beside the target, dashed when the channel runs
    through an introducer (经…). A target without a channel is red, with a dotted
    red link to the owner responsible for opening one.

    Parameters
    ----------
    network : PersonNetwork
    plan_rows : sequence of PlanRow
        From :func:`stakegraph.analysis.plan.engagement_plan`; any objects
        with ``phase, target, name, grade, influence, cover, channel`` (with
        ``owner, persons, strength``), ``introducer``, ``responsible`` and
        ``paired_owner`` will do.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ws = network.workspace
    settings = ws.settings
    rows = [r for r in plan_rows if r.target in ws.persons]
    ax = _prepare(ax, (15.0, 9.5))
    k = _scale(ax, (15.0, 9.5))

    def owner_of(r: Any) -> str | None:
        channel = getattr(r, "channel", None)
        if channel is not None and channel.owner in ws.owners:
            return channel.owner
        for oid in (getattr(r, "responsible", None), getattr(r, "paired_owner", None)):
            if oid in ws.owners:
                return oid
        return None

    involved = {o for r in rows for o in (owner_of(r), getattr(r, "responsible", None)) if o}
    owners = sorted((o for o in involved if o in ws.owners), key=lambda o: (-ws.owners[o].tier, o))
    tiers = sorted({ws.owners[o].tier for o in owners}, reverse=True)
    target_grades = {int(r.grade) for r in rows}

    def tier_grade(tier: int) -> int:
        paired = settings.tier_grade_of(tier)
        if paired is not None:
            return paired
        # a tier without a paired grade sits with the nearest tier that has one
        known = [
            (abs(t - tier), g)
            for t, g in ((settings.tiers[n], g) for n, g in settings.tier_grade.items())
        ]
        return min(known)[1] if known else max(target_grades, default=0)

    levels = sorted(target_grades | {tier_grade(t) for t in tiers}, reverse=True)
    pitch, box_w, box_h, gap = 1.3, 1.55, 0.98, 0.14
    y_of = {g: -i * pitch for i, g in enumerate(levels)}
    by_grade = {
        g: sorted((r for r in rows if int(r.grade) == g), key=lambda r: (-r.influence, r.target))
        for g in levels
    }
    band_w: dict[int, float] = {}
    previous = 0.0
    for g in levels:
        need = len(by_grade[g]) * (box_w + gap) + 0.5
        band_w[g] = max(need, previous + 0.8, 2.4)
        previous = band_w[g]
    their_half = max(band_w.values(), default=box_w) / 2
    exit_x = their_half + 0.5
    our_left = their_half + 4.0
    per_tier = {t: [o for o in owners if ws.owners[o].tier == t] for t in tiers}
    most_per_tier = max((len(v) for v in per_tier.values()), default=1)
    own_w, own_h = 1.2, 0.62
    our_w = most_per_tier * (own_w + 0.2) + 0.2
    top_y = pitch * 0.75
    grade_label = {g: (grade_word(ws, g) if g else say("无职级")) for g in levels}
    tier_text = {}
    for t in tiers:
        paired = settings.tier_grade_of(t)
        pair_text = f"\n↔ {grade_word(ws, paired)}" if paired is not None else ""
        tier_text[t] = f"{tier_word(ws, t)}{pair_text}"
    phases = [
        phase_word(p) for p in ("senior", "middle", "base") if any(r.phase == p for r in rows)
    ]
    # the margins hold the longest grade, phase and tier words (English ones are longer)
    grade_pt = max(
        (_text_points_drawn(s, 9.5 * k, "bold") for s in grade_label.values()), default=0
    )
    phase_pt = max((_text_points_drawn(s, 11.5 * k, "bold") for s in phases), default=0)
    tier_pt = max((_text_points_drawn(s, 8.5 * k) for s in tier_text.values()), default=0)
    # an owner's box holds their whole name (Latin names are wider than Chinese ones)
    name_pt = max(
        (_text_points_drawn(ws.owners[o].name, 9.5 * k, "bold") for o in owners), default=0
    )
    bracket_gap, left_margin, right_margin = 1.25, 1.7, 1.6
    for _ in range(3):  # the scale depends on the limits: settle them in a few rounds
        ax.set_xlim(-their_half - bracket_gap - left_margin, our_left + our_w + right_margin)
        bracket_gap = max(1.25, 0.25 + _points_to_dx(ax, grade_pt) + 0.3)
        left_margin = max(1.7, 0.15 + _points_to_dx(ax, phase_pt) + 0.2)
        right_margin = max(1.6, _points_to_dx(ax, tier_pt) + 0.2)
        own_w = max(1.2, _points_to_dx(ax, name_pt) + 0.16)
        our_w = most_per_tier * (own_w + 0.2) + 0.2
    bracket_x = -their_half - bracket_gap
    ax.set_xlim(bracket_x - left_margin, our_left + our_w + right_margin)
    ax.set_ylim(min(y_of.values(), default=0) - pitch * 1.05, top_y + 0.55)

    # their side: phase-shaded pyramid bands and target positions
    target_pos: dict[str, tuple[float, float]] = {}
    for idx, g in enumerate(levels):
        y = y_of[g]
        members = by_grade[g]
        w_top = band_w[levels[idx - 1]] if idx else band_w[g] * 0.6
        phase = members[0].phase if members else ""  # no phase: the neutral band colour
        ax.add_patch(
            Polygon(
                [
                    (-w_top / 2, y + pitch / 2),
                    (w_top / 2, y + pitch / 2),
                    (band_w[g] / 2, y - pitch / 2),
                    (-band_w[g] / 2, y - pitch / 2),
                ],
                closed=True,
                facecolor=PHASE_COLOURS.get(phase, BAND_FILL),
                edgecolor=PAPER,
                lw=2,
                zorder=0,
            )
        )
        ax.text(
            -their_half - 0.25,
            y,
            grade_label[g],
            ha="right",
            va="center",
            fontsize=9.5 * k,
            color=THEIR_SIDE_INK,
            weight="bold",
        )
        start = -(len(members) * (box_w + gap) - gap) / 2 + box_w / 2
        for i, r in enumerate(members):
            target_pos[r.target] = (start + i * (box_w + gap), y)

    for phase in ("senior", "middle", "base"):
        ys = [y_of[int(r.grade)] for r in rows if r.phase == phase]
        if not ys:
            continue
        top, bottom = max(ys) + box_h / 2, min(ys) - box_h / 2
        ax.plot(
            [bracket_x + 0.15, bracket_x, bracket_x, bracket_x + 0.15],
            [top, top, bottom, bottom],
            color=THEIR_SIDE_INK,
            lw=1.4,
        )
        ax.text(
            bracket_x - 0.15,
            (top + bottom) / 2,
            phase_word(phase),
            ha="right",
            va="center",
            fontsize=11.5 * k,
            weight="bold",
            color=THEIR_SIDE_INK,
        )

    # our side: tier bands at the height of the paired grade
    owner_pos: dict[str, tuple[float, float]] = {}
    for t in tiers:
        y = y_of[tier_grade(t)]
        ax.add_patch(
            FancyBboxPatch(
                (our_left - 0.1, y - 0.45),
                our_w,
                0.9,
                boxstyle="round,pad=0,rounding_size=0.1",
                facecolor=OUR_SIDE_FILL,
                edgecolor="none",
                zorder=0,
            )
        )
        ax.text(
            our_left + our_w,
            y,
            tier_text[t],
            ha="left",
            va="center",
            fontsize=8.5 * k,
            color=OUR_SIDE_INK,
        )
        for i, o in enumerate(per_tier[t]):
            owner_pos[o] = (our_left + own_w / 2 + i * (own_w + 0.2), y)

    placed: list[Any] = []  # window extents of the channel labels drawn so far
    # links: riser from the target's top, along the gap above its row, out to the owner;
    # the leftmost box takes the highest lane so its lane never crosses a neighbour's riser
    for g in levels:
        members = [r for r in by_grade[g] if r.target in target_pos]
        for i, r in enumerate(members):
            oid = owner_of(r)
            if oid not in owner_pos:
                continue
            tx, ty = target_pos[r.target]
            ox, oy = owner_pos[oid]
            lane = ty + box_h / 2 + (pitch - box_h) * (len(members) - i) / (len(members) + 1)
            channel = getattr(r, "channel", None)
            xs = [tx, tx, exit_x, ox - own_w / 2]
            ys = [ty + box_h / 2, lane, lane, oy]
            if channel is not None:
                strength = float(channel.strength)
                via = [p for p in list(channel.persons)[:-1] if p in ws.persons]
                ax.plot(
                    xs,
                    ys,
                    color=_cover_colour(strength),
                    lw=1.0 + 3.5 * strength,
                    ls="-" if not via else (0, (4, 1.5)),
                    alpha=0.9,
                    zorder=1,
                    solid_joinstyle="round",
                )
                label = f"{strength:.2f}"
                if via:
                    label += say(
                        " 经{names}", names=say("、").join(ws.persons[p].name for p in via)
                    )
                colour = FIGURE_TEXT
            else:
                ax.plot(xs, ys, color=BAD, lw=1.3, ls=(0, (1.5, 1.5)), zorder=1)
                intro = getattr(r, "introducer", None)
                label = (
                    say("无渠道 经{name}引荐", name=ws.persons[intro].name)
                    if intro in ws.persons
                    else say("无渠道")
                )
                colour = BAD_INK
            text = ax.text(
                tx + 0.06,
                lane,
                label,
                ha="left",
                va="center",
                fontsize=6.5 * k,
                color=colour,
                zorder=6,
                bbox={
                    "boxstyle": "round,pad=0.12",
                    "facecolor": PAPER,
                    "edgecolor": "none",
                    "alpha": 0.85,
                },
            )
            _slide_clear(ax, text, placed, exit_x)

    for r in rows:
        x, y = target_pos[r.target]
        uncovered = getattr(r, "channel", None) is None or float(r.cover) <= 0
        face = UNCOVERED_FILL if uncovered else _cover_colour(float(r.cover))
        _box(
            ax,
            x,
            y,
            box_w,
            box_h,
            face,
            BAD if uncovered else FIGURE_LINE,
            2.2 if uncovered else 0.8,
            zorder=3,
        )
        responsible = getattr(r, "responsible", None)
        post = _wrap_to(ax, person_label(network, r.target), box_w - 0.08, 6.5 * k)
        lines = [
            (r.name, 9.5 * k, {"weight": "bold", "color": BAD_INK if uncovered else BLACK}),
            *[(line, 6.5 * k, {"color": FIGURE_TEXT}) for line in post],
            (
                say("覆盖 {value}", value=percent(r.cover)),
                6.5 * k,
                {"color": FIGURE_TEXT_SOFT},
            ),
            (
                say(
                    "责任人 {name}",
                    name=ws.owners[responsible].name if responsible in ws.owners else say("待定"),
                ),
                6.5 * k,
                {"color": FIGURE_TEXT_SOFT},
            ),
        ]
        _lines_in_box(ax, x, y + box_h / 2, lines, first_gap=2.0 * k)

    for o, (x, y) in owner_pos.items():
        _box(ax, x, y, own_w, own_h, PAPER, OUR_SIDE_INK, 1.4, zorder=3)
        ax.text(
            x,
            y + 0.11,
            ws.owners[o].name,
            ha="center",
            va="center",
            fontsize=9.5 * k,
            weight="bold",
            zorder=5,
        )
        title = _wrap_to(ax, _owner_title(ws, o), own_w - 0.06, 6.5 * k, max_lines=1)
        ax.text(
            x,
            y - 0.15,
            title[0] if title else "",
            ha="center",
            va="center",
            fontsize=6.5 * k,
            color=FIGURE_NOTE,
            zorder=5,
        )

    ax.text(
        0,
        top_y,
        say("客户方：按职级（高 → 低）"),
        ha="center",
        va="bottom",
        fontsize=11 * k,
        weight="bold",
        color=THEIR_SIDE_INK,
    )
    ax.text(
        our_left + our_w / 2,
        top_y,
        say("我方：按层级（与对方职级配对）"),
        ha="center",
        va="bottom",
        fontsize=11 * k,
        weight="bold",
        color=OUR_SIDE_INK,
    )
    legend = [
        Line2D([0], [0], color=_cover_colour(0.8), lw=4, label=say("直接渠道（颜色/线宽 = 强度）")),
        Line2D(
            [0],
            [0],
            color=_cover_colour(0.4),
            lw=2.4,
            ls=(0, (4, 1.5)),
            label=say("经人引荐的渠道"),
        ),
        Line2D([0], [0], color=BAD, lw=1.3, ls=(0, (1.5, 1.5)), label=say("无渠道：待建立")),
        Patch(facecolor=UNCOVERED_FILL, edgecolor=BAD, lw=2, label=say("未覆盖的目标")),
    ]
    ax.legend(handles=legend, loc="lower right", fontsize=8 * k, frameon=False, ncols=2)
    ax.set_title(
        say("倒三角推进图：高层对接 → 持续互动 → 责任到人"), fontsize=13 * k, weight="bold", pad=8
    )
    ax.set_axis_off()
    return ax


def _slide_clear(ax: Axes, text: Any, placed: list[Any], limit: float, step: float = 0.1) -> None:
    """Slide a channel label right along its lane until it overlaps no label placed
    before (a long "via" list can reach its neighbour's lane), at most to ``limit``;
    then add its extent to ``placed``."""
    x, y = text.get_position()
    box = text.get_window_extent()  # the figure's own renderer
    while any(box.overlaps(other) for other in placed) and x + step < limit:
        x += step
        text.set_position((x, y))
        box = text.get_window_extent()
    placed.append(box)
