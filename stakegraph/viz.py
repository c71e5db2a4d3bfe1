"""Figures for account managers: the chain, influence, relationships, the plan, the org chart.

Every plotting function takes an optional ``ax=`` and returns the axes it drew on.
Without one it makes a standalone :class:`~matplotlib.figure.Figure` on the Agg
canvas (never a GUI window, never ``plt.show()``); get it with ``ax.figure``. In a
notebook, ``display(ax.figure)`` shows it. Labels are Chinese, so each function
first makes matplotlib use a CJK font (:func:`stakegraph.fonts.use_cjk_font`).

:func:`render_figure` builds what a figure needs from a workspace and writes a PNG
or SVG; ``stakegraph plot`` calls it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch, Polygon

from .analysis.coverage import GAP_LABELS, Coverage, GapKind, HolderCover
from .analysis.influence import Influence
from .analysis.network import PersonNetwork
from .errors import StakegraphError
from .fonts import use_cjk_font
from .model import DIMENSION_LABELS, SCORE_DIMENSIONS
from .workspace import Workspace

#: Cover and strength colours: red (none) → amber → green (strong).
COVER_CMAP = LinearSegmentedColormap.from_list(
    "stakegraph_cover", ["#e4574a", "#f5b841", "#f3e27a", "#8fcf7e", "#3f9f5a"]
)

ROLE_LABELS = {
    "decision_maker": "决策者",
    "approver": "审批者",
    "budget_holder": "预算把控",
    "evaluator": "评估者",
    "influencer": "影响者",
    "user": "使用者",
    "gatekeeper": "把关者",
}

STANCE_LABELS = {
    "champion": "坚定支持",
    "supporter": "倾向支持",
    "neutral": "中立",
    "skeptic": "怀疑",
    "opponent": "反对",
}

STANCE_COLOURS = {
    "champion": "#1a7f37",
    "supporter": "#4f9a5a",
    "neutral": "#555555",
    "skeptic": "#b7791f",
    "opponent": "#c0392b",
}

BACKGROUND_LABELS = {
    "military": "军队出身",
    "academia": "学者/专家",
    "rotation": "交流干部",
    "career": "公务员",
    "recruited": "选调生",
    "business": "企业出身",
    "other": "其他",
}

#: Short Chinese tags of the gap kinds (the first word of GAP_LABELS).
GAP_TAGS = {kind: label.split(" ")[0] for kind, label in GAP_LABELS.items()}

PHASE_LABELS = {"senior": "高层对接", "middle": "持续互动", "base": "责任到人"}
PHASE_COLOURS = {"senior": "#c9daf8", "middle": "#dde8f7", "base": "#eef3fa"}

INFLUENCE_PARTS = (
    ("formal", "正式 formal", "#3d6fb6"),
    ("informal", "非正式 informal", "#e08a3c"),
    ("position", "职位 position", "#8c8c8c"),
    ("decision", "决策 decision", "#c0504d"),
)

OWNER_COLOURS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#393b79",
    "#637939",
)

DPI = 150
FORMATS = (".png", ".svg")


class FigureError(StakegraphError, ValueError):
    """A figure cannot be drawn with the arguments given (unknown kind, wrong axes, …)."""


# --- shared helpers -------------------------------------------------------------------


def _new_axes(figsize: tuple[float, float], polar: bool = False) -> Axes:
    """A fresh standalone figure on the Agg canvas (no pyplot, no window)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    return fig.add_subplot(projection="polar" if polar else None)


def _prepare(ax: Axes | None, figsize: tuple[float, float], polar: bool = False) -> Axes:
    use_cjk_font()
    return ax if ax is not None else _new_axes(figsize, polar)


def _scale(ax: Axes, design: tuple[float, float]) -> float:
    """Font scale for a diagram drawn in data units: 1 at the size it was designed for."""
    fig_w, fig_h = ax.figure.get_size_inches()
    pos = ax.get_position()
    ratio = min(fig_w * pos.width / design[0], fig_h * pos.height / design[1])
    return float(min(max(ratio, 0.5), 1.3))


def _short_org(workspace: Workspace, org_id: str) -> str:
    org = workspace.organisations[org_id]
    return org.aliases[0] if org.aliases else org.name


def _local_org_name(workspace: Workspace, org_id: str) -> str:
    """An organisation's name without its parent's name in front (预算科, not 江川市财政局预算科)."""
    org = workspace.organisations[org_id]
    parent = workspace.organisations.get(org.parent) if org.parent else None
    if parent is not None and org.name.startswith(parent.name) and org.name != parent.name:
        return org.name[len(parent.name) :]
    return org.name


def post_label(workspace: Workspace, post_id: str, full: bool = False) -> str:
    """A compact Chinese label of a post: 市财政局预算科科长, 江川市政府副市长.

    The remark in brackets ("副市长（分管大数据）") is dropped unless ``full``; a
    division's post is named after the division's parent (市财政局预算科科长).
    """
    post = workspace.posts[post_id]
    title = post.title if full else post.title.split("（")[0].split("(")[0].strip()
    org = workspace.organisations[post.org]
    local = _local_org_name(workspace, org.id)
    if local != org.name and org.parent:
        prefix = _short_org(workspace, org.parent)
        if local not in title:
            prefix += local
    else:
        prefix = _short_org(workspace, org.id)
    for n in range(min(len(prefix), len(title)), 1, -1):
        if prefix.endswith(title[:n]):
            return prefix + title[n:]
    # Chinese runs together (市财政局局长); Latin words need a space
    space = " " if prefix[-1:].isascii() and title[:1].isascii() else ""
    return f"{prefix}{space}{title}"


def person_label(network: PersonNetwork, person_id: str) -> str:
    """The post of a person on the network's day (their most senior one), or their background."""
    ws = network.workspace
    posts = network.posts.get(person_id, [])
    if posts:
        best = max(posts, key=lambda p: (ws.posts[p].grade, p))
        return post_label(ws, best)
    person = ws.persons[person_id]
    if person.background is not None:
        return BACKGROUND_LABELS.get(person.background.value, "")
    return ""


def _fit_post(ax: Axes, network: PersonNetwork, person_id: str, width: float, size: float) -> str:
    """The person's post label on one line; the bare title when the full label is too long."""
    label = person_label(network, person_id)
    lines = _wrap_to(ax, label, width, size, max_lines=1)
    posts = network.posts.get(person_id, [])
    if lines and lines[0] != label and posts:
        ws = network.workspace
        best = max(posts, key=lambda p: (ws.posts[p].grade, p))
        lines = _wrap_to(ax, ws.posts[best].title, width, size, max_lines=1)
    return lines[0] if lines else ""


def _owner_title(workspace: Workspace, owner_id: str) -> str:
    owner = workspace.owners[owner_id]
    if owner.title:
        return owner.title.split("（")[0].split("(")[0].split("、")[-1].strip()
    return workspace.settings.tier_name(owner.tier) or ""


def _box(
    ax: Axes,
    x: float,
    y: float,
    w: float,
    h: float,
    face: Any,
    edge: Any = "#555555",
    lw: float = 0.8,
    hatch: str | None = None,
    zorder: float = 3,
) -> FancyBboxPatch:
    patch = FancyBboxPatch(
        (x - w / 2, y - h / 2),
        w,
        h,
        boxstyle="round,pad=0,rounding_size=0.04",
        facecolor=face,
        edgecolor=edge,
        linewidth=lw,
        hatch=hatch,
        zorder=zorder,
        mutation_aspect=1,
    )
    ax.add_patch(patch)
    return patch


def _lines_in_box(
    ax: Axes,
    x: float,
    top: float,
    lines: Sequence[tuple[str, float, dict]],
    zorder: float = 5,
    first_gap: float = 4.0,
) -> None:
    """Write lines of text centred under ``(x, top)``, stacked downwards in points."""
    offset = -first_gap
    for text, size, style in lines:
        if not text:
            continue
        offset -= size * 0.55
        ax.annotate(
            text,
            (x, top),
            xytext=(0, offset),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=size,
            zorder=zorder,
            annotation_clip=False,
            **style,
        )
        offset -= size * 0.85


def _wrap_to(ax: Axes, text: str, width: float, size: float, max_lines: int = 2) -> list[str]:
    """Split text into lines that fit ``width`` data units at ``size`` points.

    A CJK character is about one em wide, a Latin one about half; the limits of
    the axes must already be set.
    """
    x0 = ax.transData.transform((0, 0))[0]
    x1 = ax.transData.transform((width, 0))[0]
    points = abs(x1 - x0) * 72.0 / ax.figure.dpi

    def greedy(limit: float) -> list[str]:
        out: list[str] = []
        current, used = "", 0.0
        for ch in text:
            w = size * (1.0 if ord(ch) > 0x2E80 else 0.55)
            if current and used + w > limit:
                out.append(current)
                current, used = "", 0.0
            current += ch
            used += w
        if current:
            out.append(current)
        return out

    lines = greedy(points)
    if 1 < len(lines) <= max_lines:
        # even lines read better than a full line and an orphan (江川市发展和 / 改革委员会)
        total = sum(size * (1.0 if ord(ch) > 0x2E80 else 0.55) for ch in text)
        even = greedy(total / len(lines) + size * 0.6)
        if len(even) == len(lines):
            lines = even
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


TIER_LABELS = {
    "executive": "总裁",
    "vp": "副总裁",
    "director": "总监",
    "manager": "经理",
    "rep": "客户经理",
}


def _tier_label(workspace: Workspace, tier: int) -> str:
    name = workspace.settings.tier_name(tier) or str(tier)
    return TIER_LABELS.get(name, name)


def _points_to_dy(ax: Axes, points: float) -> float:
    """Height in data units of ``points`` of text on these axes (limits must be set)."""
    y0 = ax.transData.transform((0, 0))[1]
    y1 = ax.transData.transform((0, 1))[1]
    per_unit = abs(y1 - y0) * 72.0 / ax.figure.dpi
    return points / per_unit if per_unit else 0.0


def _cover_colour(value: float) -> tuple[float, float, float, float]:
    return COVER_CMAP(float(min(max(value, 0.0), 1.0)))


def _cover_colourbar(ax: Axes, bounds: Sequence[float], label: str, size: float) -> None:
    """A small horizontal cover colour bar inside the axes (axes-fraction bounds)."""
    from matplotlib.cm import ScalarMappable

    cax = ax.inset_axes(bounds)
    mappable = ScalarMappable(norm=Normalize(0, 1), cmap=COVER_CMAP)
    bar = ax.figure.colorbar(mappable, cax=cax, orientation="horizontal")
    bar.set_ticks([0, 0.4, 0.6, 1.0])
    bar.set_ticklabels(["0", "0.4 弱", "0.6 强", "1"])
    bar.ax.tick_params(labelsize=size * 0.85, length=2)
    bar.ax.set_title(label, fontsize=size, pad=3)


_TAG_BOX = {
    "boxstyle": "round,pad=0.18",
    "facecolor": "white",
    "edgecolor": "#c0392b",
    "linewidth": 0.6,
    "alpha": 0.9,
}

# --- the decision chain ---------------------------------------------------------------


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
    for o, p, s in zip(rel.row, rel.col, rel.data, strict=True):
        pid = network.persons[p]
        if s <= 0 or pid not in person_slots:
            continue
        for col, row in person_slots[pid]:
            links.append((network.owners[o], col, row, float(s)))
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
        _box(ax, col, header_y, 2 * half_w + 0.1, 0.62, "#f4f4f4", "#444444", 1.0)
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
            f"覆盖 {value:.0%}",
            ha="center",
            va="center",
            fontsize=10 * k,
            zorder=5,
            color="#222222",
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
                arrowprops={"arrowstyle": "-|>", "color": "#444444", "lw": 1.5},
                zorder=4,
            )

    # role holders
    for col, (step_id, _) in enumerate(steps):
        for row, h in enumerate(by_step[step_id]):
            y = first_y - row * pitch
            top = y + box_h / 2
            role = ROLE_LABELS.get(h.role, h.role)
            stance = STANCE_LABELS.get(h.stance, h.stance)
            if h.person is None:
                _box(ax, col, y, 2 * half_w, box_h, "#eeeeee", "#cccccc", 0.8, hatch="///")
                _box(ax, col, y, 2 * half_w, box_h, "none", "#8a8a8a", 1.0, zorder=3.5)
                lines = [
                    ("空缺", 10.5 * k, {"weight": "bold", "color": "#555555"}),
                    (post_label(ws, h.post) if h.post else "", 8 * k, {"color": "#333333"}),
                    (f"{role} · {stance}", 8 * k, {"color": "#333333"}),
                    ("岗位空缺：了解主持工作者", 7.5 * k, {"color": "#8b1a1a"}),
                ]
                _lines_in_box(ax, col, top, lines, first_gap=3 * k)
                continue
            _box(ax, col, y, 2 * half_w, box_h, _cover_colour(h.cover), "#555555", 0.9)
            how = ""
            if h.cover > 0 and len(h.channel) > 1:
                how = " 经" + "、".join(ws.persons[p].name for p in h.channel[:-1])
            elif h.cover <= 0:
                how = " 无渠道"
            tags = [GAP_TAGS[g.kind] for g in h.gaps if g.kind != GapKind.VACANT]
            lines = [
                (ws.persons[h.person].name, 10.5 * k, {"weight": "bold"}),
                (
                    _fit_post(ax, network, h.person, 2 * half_w - 0.04, 7.5 * k),
                    7.5 * k,
                    {"color": "#222222"},
                ),
                (f"{role} · {stance}", 7.5 * k, {"color": "#222222"}),
                (f"覆盖 {h.cover:.0%}{how}", 7.5 * k, {"color": "#222222"}),
                (
                    " ".join(tags),
                    7 * k,
                    {"color": "#8b1a1a", "weight": "bold", "bbox": _TAG_BOX} if tags else {},
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
            _box(ax, owner_x[o], owner_y, owner_w, 0.6, "white", colour[o], 2.0)
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
                color="#333333",
                zorder=5,
            )
        ax.text(
            left,
            owner_y - 0.42,
            "我方人员：线宽 = 关系强度，颜色区分人员",
            ha="left",
            va="top",
            fontsize=8.5 * k,
            color="#333333",
        )

    opp = ws.opportunities.get(coverage_result.opportunity)
    title = opp.name if opp else coverage_result.opportunity
    ax.set_title(
        f"决策链覆盖：{title}（整体覆盖 {coverage_result.overall:.0%}，{coverage_result.day}）",
        fontsize=13 * k,
        weight="bold",
        pad=10,
    )
    ax.set_axis_off()
    _cover_colourbar(ax, [0.78, 0.015, 0.2, 0.018], "覆盖度 cover", 8 * k)
    return ax


# --- influence ------------------------------------------------------------------------


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
    ws = network.workspace
    ids = influence_result.top(top)
    ax = _prepare(ax, (10.0, 1.6 + 0.42 * max(len(ids), 3)))
    labels = []
    for pid in ids:
        post = person_label(network, pid)
        labels.append(f"{ws.persons[pid].name}  {post}" if post else ws.persons[pid].name)
    y = np.arange(len(ids))
    left = np.zeros(len(ids))
    for part, label, colour in INFLUENCE_PARTS:
        values = np.array([100 * influence_result.parts_of(pid)[part] for pid in ids])
        ax.barh(
            y,
            values,
            left=left,
            color=colour,
            label=label,
            height=0.68,
            edgecolor="white",
            linewidth=0.5,
        )
        left += values
    for yi, total in zip(y, left, strict=True):
        ax.text(total, yi, f" {total:.1f}", va="center", ha="left", fontsize=8.5)
    ax.set_yticks(y, labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, (left.max() if len(left) else 1) * 1.12)
    ax.set_xlabel("影响力（×100，各部分相加）")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    ax.legend(loc="lower right", fontsize=8.5, frameon=False, title="构成", title_fontsize=9)
    opp = influence_result.opportunity
    what = f"（按商机 {ws.opportunities[opp].name} 加权）" if opp in ws.opportunities else ""
    ax.set_title(f"影响力排名 前 {len(ids)} 位{what}", fontsize=12, weight="bold")
    return ax


# --- relationship radar ---------------------------------------------------------------


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
    ax = _prepare(ax, (7.5, 7.0), polar=True)
    from .analysis.strength import relationship_strength

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
    ax.set_xticks(angles, [DIMENSION_LABELS[d] for d in SCORE_DIMENSIONS], fontsize=10)
    ax.tick_params(axis="x", pad=14)
    ax.spines["polar"].set_color("#bbbbbb")
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5], ["1", "2", "3", "4", "5"], fontsize=7, color="#777777")
    ax.set_rlabel_position(90 / 6)
    earlier = {}
    if compare is not None:
        from .analysis.timeline import assessments_by_pair, relationship_on

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
            who = f"{ws.owners[rel.owner].name}（{_owner_title(ws, rel.owner)}）"
        else:
            who = ws.persons[rel.person].name
        mark = " ★责任人" if rel.responsible else ""
        # with a second date the legend names both, so the two outlines read apart
        when = f" {network.day.isoformat()}" if rel.id in earlier else ""
        ax.plot(
            closed,
            values + values[:1],
            color=colour,
            lw=2,
            label=f"{who}{when} 强度 {strength:.2f}{mark}",
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
                label=f"{who} {compare.isoformat()}",
            )
    if person is not None:
        post = person_label(network, person)
        title = f"{ws.persons[person].name}" + (f" · {post}" if post else "")
        subtitle = "我方各人与其关系的六维评分"
        if compare is not None:
            subtitle += f"：{network.day} 实线 vs {compare} 虚线"
        legend_title = "我方人员"
    else:
        title = f"{ws.owners[owner].name} · {_owner_title(ws, owner)}"
        subtitle = "其所有客户关系的六维评分"
        if compare is not None:
            subtitle += f"：{network.day} 实线 vs {compare} 虚线"
        legend_title = "客户"
    ax.set_title(f"{title}\n{subtitle}（0–5）", fontsize=12, weight="bold", pad=24)
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
        ax.text(0, 0, "无关系记录", ha="center", va="center", fontsize=11, color="#8b1a1a")
    return ax


def _source_relationship(network: PersonNetwork, rel_id: str):
    """The relationship record as typed (before re-assessments), from the source workspace."""
    source = network.cache.get("source_workspace")
    if source is not None and rel_id in source.relationships:
        return source.relationships[rel_id]
    return network.workspace.relationships[rel_id]


# --- coverage heat map ----------------------------------------------------------------


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
    everyone = sorted(ws.owners, key=lambda o: (-ws.owners[o].tier, o))
    rel = network.relationship.tocsr()
    strengths: dict[tuple[int, str], float] = {}
    for i, h in enumerate(holders):
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
    hidden = len(everyone) - len(owners)
    ax = _prepare(ax, (2.8 + 0.78 * len(owners), 1.6 + 0.36 * max(len(holders), 3)))
    matrix = np.full((len(holders), len(owners)), np.nan)
    for j, o in enumerate(owners):
        for i in range(len(holders)):
            if (i, o) in strengths:
                matrix[i, j] = strengths[(i, o)]
    masked = np.ma.masked_invalid(matrix)
    image = ax.imshow(masked, cmap=COVER_CMAP, vmin=0, vmax=1, aspect="auto")
    ax.set_facecolor("white")
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
                    facecolor="#f4f4f4",
                    edgecolor="#c8c8c8",
                    linewidth=0,
                    hatch="///",
                    zorder=0.5,
                )
            )
        for j, o in enumerate(owners):
            value = matrix[i, j]
            if not np.isnan(value):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8, color="black")
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
                            edgecolor="#222222",
                            lw=1.8,
                            zorder=3,
                        )
                    )
    labels = []
    for h in holders:
        name = ws.persons[h.person].name if h.person else "空缺"
        post = post_label(ws, h.post) if h.post and h.person is None else ""
        labels.append(f"{name}{('·' + post) if post else ''}（{h.step_name}）")
    ax.set_yticks(range(len(holders)), labels, fontsize=8.5)
    for tick, h in zip(ax.get_yticklabels(), holders, strict=True):
        if h.cover <= 0:
            tick.set_color("#c0392b")
    ax.set_xticks(
        range(len(owners)),
        [f"{ws.owners[o].name}\n{_tier_label(ws, ws.owners[o].tier)}" for o in owners],
        fontsize=8.5,
    )
    ax.xaxis.tick_top()
    ax.set_xticks(np.arange(-0.5, len(owners)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(holders)), minor=True)
    ax.grid(which="minor", color="#e6e6e6", lw=0.6)
    ax.tick_params(which="minor", length=0)
    ax.tick_params(axis="x", which="major", labeltop=True, labelbottom=False)
    for i in range(1, len(holders)):
        if holders[i].step != holders[i - 1].step:
            ax.axhline(i - 0.5, color="#444444", lw=1.2)
    bar = ax.figure.colorbar(image, ax=ax, fraction=0.035, pad=0.02)
    bar.set_label("关系强度 strength", fontsize=9)
    opp = ws.opportunities.get(coverage_result.opportunity)
    note = f"\n另有 {hidden} 名我方人员与该链上的人无直接关系（未列出）" if hidden else ""
    ax.set_xlabel(
        "粗框 = 责任人（责任到人）；红色姓名 = 无覆盖；空白 = 无直接关系" + note,
        fontsize=8.5,
        color="#444444",
    )
    ax.set_title(
        f"决策链角色 × 我方人员：关系强度（{opp.name if opp else coverage_result.opportunity}）",
        fontsize=12,
        weight="bold",
        pad=12,
    )
    return ax


# --- inverted-triangle plan ----------------------------------------------------------


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
        From :func:`stakegraph.analysis.engagement.engagement_plan`; any objects
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
    our_w = max((len(v) for v in per_tier.values()), default=1) * 1.4 + 0.2
    own_w, own_h = 1.2, 0.62
    bracket_x = -their_half - 1.25
    top_y = pitch * 0.75
    ax.set_xlim(bracket_x - 1.7, our_left + our_w + 1.6)
    ax.set_ylim(min(y_of.values(), default=0) - pitch * 1.05, top_y + 0.55)

    # their side: phase-shaded pyramid bands and target positions
    target_pos: dict[str, tuple[float, float]] = {}
    for idx, g in enumerate(levels):
        y = y_of[g]
        members = by_grade[g]
        w_top = band_w[levels[idx - 1]] if idx else band_w[g] * 0.6
        phase = members[0].phase if members else None
        ax.add_patch(
            Polygon(
                [
                    (-w_top / 2, y + pitch / 2),
                    (w_top / 2, y + pitch / 2),
                    (band_w[g] / 2, y - pitch / 2),
                    (-band_w[g] / 2, y - pitch / 2),
                ],
                closed=True,
                facecolor=PHASE_COLOURS.get(phase, "#f5f5f5"),
                edgecolor="white",
                lw=2,
                zorder=0,
            )
        )
        ax.text(
            -their_half - 0.25,
            y,
            (settings.grade_name(g) if g else "无职级") or str(g),
            ha="right",
            va="center",
            fontsize=9.5 * k,
            color="#34495e",
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
            color="#34495e",
            lw=1.4,
        )
        ax.text(
            bracket_x - 0.15,
            (top + bottom) / 2,
            PHASE_LABELS.get(phase, phase),
            ha="right",
            va="center",
            fontsize=11.5 * k,
            weight="bold",
            color="#34495e",
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
                facecolor="#f3efe6",
                edgecolor="none",
                zorder=0,
            )
        )
        paired = settings.tier_grade_of(t)
        pair_text = f"\n↔ {settings.grade_name(paired)}" if paired is not None else ""
        ax.text(
            our_left + our_w,
            y,
            f"{_tier_label(ws, t)}{pair_text}",
            ha="left",
            va="center",
            fontsize=8.5 * k,
            color="#6b5b3e",
        )
        for i, o in enumerate(per_tier[t]):
            owner_pos[o] = (our_left + 0.6 + i * 1.4, y)

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
                    label += " 经" + "、".join(ws.persons[p].name for p in via)
                colour = "#222222"
            else:
                ax.plot(xs, ys, color="#c0392b", lw=1.3, ls=(0, (1.5, 1.5)), zorder=1)
                intro = getattr(r, "introducer", None)
                label = (
                    f"无渠道 经{ws.persons[intro].name}引荐" if intro in ws.persons else "无渠道"
                )
                colour = "#8b1a1a"
            ax.text(
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
                    "facecolor": "white",
                    "edgecolor": "none",
                    "alpha": 0.85,
                },
            )

    for r in rows:
        x, y = target_pos[r.target]
        uncovered = getattr(r, "channel", None) is None or float(r.cover) <= 0
        face = "#f8d7d3" if uncovered else _cover_colour(float(r.cover))
        _box(
            ax,
            x,
            y,
            box_w,
            box_h,
            face,
            "#c0392b" if uncovered else "#555555",
            2.2 if uncovered else 0.8,
            zorder=3,
        )
        responsible = getattr(r, "responsible", None)
        post = _wrap_to(ax, person_label(network, r.target), box_w - 0.08, 6.5 * k)
        lines = [
            (r.name, 9.5 * k, {"weight": "bold", "color": "#8b1a1a" if uncovered else "black"}),
            *[(line, 6.5 * k, {"color": "#222222"}) for line in post],
            (f"覆盖 {float(r.cover):.0%}", 6.5 * k, {"color": "#333333"}),
            (
                "责任人 " + (ws.owners[responsible].name if responsible in ws.owners else "待定"),
                6.5 * k,
                {"color": "#333333"},
            ),
        ]
        _lines_in_box(ax, x, y + box_h / 2, lines, first_gap=2.0 * k)

    for o, (x, y) in owner_pos.items():
        _box(ax, x, y, own_w, own_h, "white", "#6b5b3e", 1.4, zorder=3)
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
            color="#444444",
            zorder=5,
        )

    ax.text(
        0,
        top_y,
        "客户方：按职级（高 → 低）",
        ha="center",
        va="bottom",
        fontsize=11 * k,
        weight="bold",
        color="#34495e",
    )
    ax.text(
        our_left + our_w / 2,
        top_y,
        "我方：按层级（与对方职级配对）",
        ha="center",
        va="bottom",
        fontsize=11 * k,
        weight="bold",
        color="#6b5b3e",
    )
    legend = [
        Line2D([0], [0], color=_cover_colour(0.8), lw=4, label="直接渠道（颜色/线宽 = 强度）"),
        Line2D(
            [0], [0], color=_cover_colour(0.4), lw=2.4, ls=(0, (4, 1.5)), label="经人引荐的渠道"
        ),
        Line2D([0], [0], color="#c0392b", lw=1.3, ls=(0, (1.5, 1.5)), label="无渠道：待建立"),
        Patch(facecolor="#f8d7d3", edgecolor="#c0392b", lw=2, label="未覆盖的目标"),
    ]
    ax.legend(handles=legend, loc="lower right", fontsize=8 * k, frameon=False, ncols=2)
    ax.set_title(
        "倒三角推进图：高层对接 → 持续互动 → 责任到人", fontsize=13 * k, weight="bold", pad=8
    )
    ax.set_axis_off()
    return ax


# --- organisation chart ---------------------------------------------------------------


def _leaders(workspace: Workspace, day: dt.date) -> dict[str, list[tuple[str, str, int]]]:
    """Per organisation: (person name, post title, grade) of its top leadership posts."""
    out: dict[str, list[tuple[str, str, int]]] = {}
    for post in workspace.posts.values():
        boss = workspace.posts.get(post.reports_to) if post.reports_to else None
        if not post.leadership or (boss is not None and boss.org == post.org):
            continue
        for pid in workspace.holders(post.id, day):
            title = post.title.split("（")[0].split("(")[0]
            out.setdefault(post.org, []).append((workspace.persons[pid].name, title, post.grade))
    for items in out.values():
        items.sort(key=lambda t: -t[2])
    return out


def _tree_layout(children: dict[str | None, list[str]]) -> dict[str, tuple[float, int]]:
    """(x, depth) of every node: leaves evenly spaced in order, parents over their children."""
    pos: dict[str, tuple[float, int]] = {}
    next_x = [0.0]

    def place(node: str, depth: int) -> float:
        kids = children.get(node, [])
        if not kids:
            x = next_x[0]
            next_x[0] += 1.0
        else:
            xs = [place(kid, depth + 1) for kid in kids]
            x = (xs[0] + xs[-1]) / 2
        pos[node] = (x, depth)
        return x

    for root in children.get(None, []):
        place(root, 0)
        next_x[0] += 0.3  # a little air between separate trees
    return pos


_KIND_COLOURS = {
    "party_committee": ("#f6d5d1", "党委"),
    "government": ("#f9e2c8", "政府"),
    "congress": ("#f9e2c8", "人大"),
    "department": ("#d6e4f5", "厅/局/委"),
    "bureau": ("#d6e4f5", "厅/局/委"),
    "committee": ("#d6e4f5", "厅/局/委"),
    "agency": ("#dcefd9", "机构/中心"),
    "institution": ("#dcefd9", "机构/中心"),
    "division": ("#eeeeee", "处室/科室"),
    "soe": ("#e7dcf2", "国企/企业"),
    "company": ("#e7dcf2", "国企/企业"),
    "other": ("#eeeeee", "其他"),
}


def plot_org_chart(
    workspace: Workspace,
    as_of: dt.date | None = None,
    ax: Axes | None = None,
    leaders: bool = True,
) -> Axes:
    """Organisations as a tree: 块 (``parent``, leads) solid, 条 (``guided_by``) dashed.

    A simple layered layout: each depth of the 块 tree is a row, leaves are spaced
    evenly in file order and every parent sits centred over its children; 条
    guidance is drawn as dashed curves between the trees. A division's name is
    shortened to the part after its parent's name (预算科).

    Parameters
    ----------
    workspace : Workspace
    as_of : date, optional
        Day whose leaders are shown (default today).
    ax : matplotlib Axes, optional
    leaders : bool
        Label each organisation with the holders of its top leadership posts and
        their grades.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ws = workspace
    day = as_of or dt.date.today()
    children: dict[str | None, list[str]] = {}
    for org in ws.organisations.values():
        parent = org.parent if org.parent in ws.organisations else None
        children.setdefault(parent, []).append(org.id)
    pos = _tree_layout(children)
    width = max((x for x, _ in pos.values()), default=0) + 1
    depth = max((d for _, d in pos.values()), default=0) + 1
    size = (min(max(8.0, 1.4 * width), 22.0), min(max(4.0, 1.35 * depth + 1.2), 11.0))
    ax = _prepare(ax, size)
    k = _scale(ax, size)
    heads = _leaders(ws, day) if leaders else {}

    row_h = 1.0
    box_w = 0.92
    ax.set_xlim(-0.6, width - 0.4)
    ax.set_ylim(-(depth - 1) * row_h - 0.5, 0.5)

    def xy(org_id: str) -> tuple[float, float]:
        x, d = pos[org_id]
        return x, -d * row_h

    contents: dict[str, list[tuple[str, float, dict]]] = {}
    kinds_seen: dict[str, str] = {}
    for org in ws.organisations.values():
        name = _local_org_name(ws, org.id)
        name_lines = _wrap_to(ax, name, box_w - 0.06, 8.5 * k, max_lines=3)
        if len(name_lines) > 2 and org.aliases:
            name_lines = _wrap_to(ax, org.aliases[0], box_w - 0.06, 8.5 * k)
        lines = [(line, 8.5 * k, {"weight": "bold"}) for line in name_lines]
        for person, title, grade in heads.get(org.id, [])[:2]:
            grade_name = ws.settings.grade_name(grade) or ""
            for line in _wrap_to(ax, f"{person} {title}·{grade_name}", box_w - 0.04, 6.5 * k):
                lines.append((line, 6.5 * k, {"color": "#333333"}))
        contents[org.id] = lines
    height = {
        oid: min(
            max(_points_to_dy(ax, sum(size * 1.4 for _, size, _ in lines) + 8 * k), 0.28), 0.85
        )
        for oid, lines in contents.items()
    }

    for org in ws.organisations.values():
        if org.parent in pos:
            (x0, y0), (x1, y1) = xy(org.parent), xy(org.id)
            mid = (y0 + y1) / 2
            ax.plot(
                [x0, x0, x1, x1],
                [y0 - height[org.parent] / 2, mid, mid, y1 + height[org.id] / 2],
                color="#555555",
                lw=1.2,
                zorder=1,
            )
    for org in ws.organisations.values():
        for guide in org.guided_by:
            if guide not in pos:
                continue
            (x0, y0), (x1, y1) = xy(guide), xy(org.id)
            rad = -0.08 if x1 > x0 else 0.08
            ax.annotate(
                "",
                (x1, y1 + height[org.id] / 2),
                (x0 + (0.2 if x1 > x0 else -0.2), y0 - height[guide] / 2),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": "#2e6db4",
                    "lw": 1.1,
                    "linestyle": (0, (4, 3)),
                    "connectionstyle": f"arc3,rad={rad}",
                    "shrinkA": 0,
                    "shrinkB": 2,
                },
                zorder=2,
            )

    for org in ws.organisations.values():
        x, y = xy(org.id)
        face, kind_label = _KIND_COLOURS.get(org.kind.value, ("#eeeeee", "其他"))
        kinds_seen[kind_label] = face
        _box(ax, x, y, box_w, height[org.id], face, "#666666", 0.9)
        _lines_in_box(ax, x, y + height[org.id] / 2, contents[org.id], first_gap=4 * k)

    legend = [
        Line2D([0], [0], color="#555555", lw=1.2, label="块：属地领导（parent）"),
        Line2D(
            [0], [0], color="#2e6db4", lw=1.1, ls=(0, (4, 3)), label="条：业务指导（guided_by）"
        ),
    ]
    legend += [
        Patch(facecolor=face, edgecolor="#666666", label=label)
        for label, face in kinds_seen.items()
    ]
    ax.legend(
        handles=legend,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        fontsize=8 * k,
        frameon=False,
        ncols=min(len(legend), 4),
    )
    when = f"（负责人：{day}）" if leaders else ""
    ax.set_title(f"组织结构：{ws.name}{when}", fontsize=13 * k, weight="bold")
    ax.set_axis_off()
    return ax


# --- rendering to files ---------------------------------------------------------------

FIGURES: dict[str, Callable[..., Axes]] = {
    "chain": plot_chain,
    "influence": plot_influence,
    "radar": plot_radar,
    "heatmap": plot_coverage_heatmap,
    "triangle": plot_triangle,
    "orgchart": plot_org_chart,
}

FIGURE_HELP = {
    "chain": "决策链：各步骤的角色、覆盖与缺口，我方人员连线",
    "influence": "影响力前十：正式/非正式/职位/决策构成",
    "radar": "关系六维雷达（--person 或 --owner）",
    "heatmap": "覆盖热力图：角色 × 我方人员的关系强度",
    "triangle": "倒三角推进图：对方职级 × 我方层级与渠道",
    "orgchart": "组织结构图：块（领导）与条（业务指导）",
}


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
    workspace: Workspace | Path | str,
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
    ``as_of`` (default today), draws it at a size that reads well on a laptop
    screen and writes it at 150 dpi with a tight bounding box.

    Parameters
    ----------
    workspace : Workspace or path
        A loaded workspace or the path of one.
    kind : str
        One of :data:`FIGURES`: chain, influence, radar, heatmap, triangle, orgchart.
    opportunity : str, optional
        Needed by chain, heatmap and triangle when the workspace has several;
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
    """
    if kind not in FIGURES:
        raise FigureError(f"unknown figure kind '{kind}'; choose one of: {', '.join(FIGURES)}.")
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise FigureError(
            f"{out}: cannot tell the format from the suffix '{out.suffix}'; use .png or .svg."
        )
    if not isinstance(workspace, Workspace):
        from .io import load_workspace

        workspace = load_workspace(workspace)
    ws = workspace
    day = as_of or dt.date.today()

    if kind == "orgchart":
        ax = plot_org_chart(ws, as_of=day)
    else:
        from .analysis.network import build_network

        network = build_network(ws, day)
        if kind == "radar":
            if not person and not owner:
                raise FigureError("the radar figure needs a person or an owner id.")
            if person and owner:
                raise FigureError("the radar figure shows a person or an owner, not both.")
            ax = plot_radar(network, person=person, owner=owner, compare=compare)
        elif kind == "influence":
            from .analysis.influence import influence

            if opportunity and opportunity not in ws.opportunities:
                _opportunity_id(ws, opportunity, kind)
            ax = plot_influence(network, influence(network, opportunity))
        else:
            from .analysis.coverage import coverage

            opp = _opportunity_id(ws, opportunity, kind)
            cov = coverage(network, opp)
            if kind == "chain":
                ax = plot_chain(network, cov)
            elif kind == "heatmap":
                ax = plot_coverage_heatmap(network, cov)
            else:
                from .analysis.engagement import engagement_plan

                ax = plot_triangle(network, engagement_plan(network, opp, coverage_result=cov))
    fig = ax.figure
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        fig.savefig(out, dpi=DPI, bbox_inches="tight", format=suffix[1:], facecolor="white")
    finally:
        # the figure was never registered with pyplot; dropping its artists frees it now
        fig.clear()
    return out


__all__ = [
    "COVER_CMAP",
    "FIGURES",
    "FigureError",
    "person_label",
    "plot_chain",
    "plot_coverage_heatmap",
    "plot_influence",
    "plot_org_chart",
    "plot_radar",
    "plot_triangle",
    "post_label",
    "render_figure",
]
