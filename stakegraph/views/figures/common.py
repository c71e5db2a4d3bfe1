"""What every figure shares: colours, labels, the CJK font, boxes and text fitting."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from stakegraph.errors import FigureError
from stakegraph.graph.network import PersonNetwork
from stakegraph.records.periods import latest
from stakegraph.records.vocabulary import zh_labels
from stakegraph.records.workspace import Workspace
from stakegraph.views.fonts import use_cjk_font
from stakegraph.views.labels import (
    BAD,
    COVER_STOPS,
    FIGURE_LINE,
    GAP_LABELS,
    INFLUENCE_PART_COLOURS,
    OWNER_PALETTE,
    PAPER,
)

#: Cover and strength colours: red (none) → amber → green (strong).
COVER_CMAP = LinearSegmentedColormap.from_list("stakegraph_cover", list(COVER_STOPS))

#: Chinese labels from the one table of each enumeration (stakegraph.records.vocabulary).
ROLE_LABELS = zh_labels("RoleKind")

STANCE_LABELS = zh_labels("Stance")

BACKGROUND_LABELS = zh_labels("Background")

#: Short Chinese tags of the gap kinds (the first word of GAP_LABELS).
GAP_TAGS = {kind: label.split(" ")[0] for kind, label in GAP_LABELS.items()}

PHASE_LABELS = {"senior": "高层对接", "middle": "持续互动", "base": "责任到人"}

INFLUENCE_PARTS = tuple(
    (part, label, INFLUENCE_PART_COLOURS[part])
    for part, label in (
        ("formal", "正式 formal"),
        ("informal", "非正式 informal"),
        ("position", "职位 position"),
        ("decision", "决策 decision"),
    )
)

OWNER_COLOURS = OWNER_PALETTE

DPI = 150
FORMATS = (".png", ".svg")


# --- shared helpers -------------------------------------------------------------------


#: The figures drawn here without pyplot, which Jupyter would not show by itself.
_OWN_FIGURES: weakref.WeakSet[Figure] = weakref.WeakSet()


def new_figure(figsize: tuple[float, float]) -> Figure:
    """A fresh standalone figure on the Agg canvas (no pyplot, no window)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    _OWN_FIGURES.add(fig)
    return fig


def is_stakegraph_figure(figure: Any) -> bool:
    """Whether a ``plot_*`` function made ``figure`` (rather than the caller's pyplot)."""
    return figure in _OWN_FIGURES


def _new_axes(figsize: tuple[float, float], polar: bool = False) -> Axes:
    """A fresh standalone figure on the Agg canvas (no pyplot, no window)."""
    fig = new_figure(figsize)
    return fig.add_subplot(projection="polar" if polar else None)


def _prepare(ax: Axes | None, figsize: tuple[float, float], polar: bool = False) -> Axes:
    use_cjk_font()
    return ax if ax is not None else _new_axes(figsize, polar)


def root_figure(ax: Axes) -> Figure:
    """The top-level figure ``ax`` is drawn on (also for axes inside a subfigure)."""
    figure = ax.get_figure(root=True)
    if figure is None:
        raise FigureError("the axes belong to no figure.")
    return figure


def _scale(ax: Axes, design: tuple[float, float]) -> float:
    """Font scale for a diagram drawn in data units: 1 at the size it was designed for."""
    fig_w, fig_h = root_figure(ax).get_size_inches()
    pos = ax.get_position()
    ratio = min(fig_w * pos.width / design[0], fig_h * pos.height / design[1])
    return float(min(max(ratio, 0.5), 1.3))


def _short_org(workspace: Workspace, org_id: str) -> str:
    org = workspace.organisations[org_id]
    return org.aliases[0] if org.aliases else org.name


def _local_org_name(workspace: Workspace, org_id: str) -> str:
    """An organisation's name without its parent's name in front (预算科, not 江川市财政局预算科)."""
    org = workspace.organisations[org_id]
    parent_id = latest(org.parent)
    parent = workspace.organisations.get(parent_id) if parent_id else None
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
    parent_id = latest(org.parent)
    if local != org.name and parent_id:
        prefix = _short_org(workspace, parent_id)
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
    edge: Any = FIGURE_LINE,
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


def _cover_colourbar(
    ax: Axes, bounds: tuple[float, float, float, float], label: str, size: float
) -> None:
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
    "facecolor": PAPER,
    "edgecolor": BAD,
    "linewidth": 0.6,
    "alpha": 0.9,
}
