"""The organisation chart: 块 (led by) and 条 (guided by) lines between organisations."""

from __future__ import annotations

import datetime as dt

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from stakegraph.graph.timeline import structure_on
from stakegraph.records.workspace import Workspace
from stakegraph.views.figures.common import (
    _box,
    _lines_in_box,
    _local_org_name,
    _points_to_dy,
    _prepare,
    _scale,
    _wrap_to,
)
from stakegraph.views.figures.language import grade_word, say
from stakegraph.views.labels import (
    FIGURE_EDGE,
    FIGURE_TEXT_SOFT,
    ORG_KIND_COLOURS,
    ORG_LINK_COLOURS,
)
from stakegraph.views.language import speaking


def _leaders(workspace: Workspace, day: dt.date) -> dict[str, list[tuple[str, str, int]]]:
    """Per organisation: (person name, post title, grade) of its top leadership posts."""
    out: dict[str, list[tuple[str, str, int]]] = {}
    for post in workspace.posts.values():
        superior = post.reports_to_on(day)
        boss = workspace.posts.get(superior) if superior else None
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


#: The legend's group of each organisation kind; its fill is ORG_KIND_COLOURS in labels.
_KIND_GROUPS = {
    "party_committee": "党委",
    "government": "政府",
    "congress": "人大",
    "department": "厅/局/委",
    "bureau": "厅/局/委",
    "committee": "厅/局/委",
    "agency": "机构/中心",
    "institution": "机构/中心",
    "division": "处室/科室",
    "soe": "国企/企业",
    "company": "国企/企业",
    "other": "其他",
}


@speaking
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
        Day whose organisations and leaders are shown (default today); organisations
        not live that day are left out.
    ax : matplotlib Axes, optional
    leaders : bool
        Label each organisation with the holders of its top leadership posts and
        their grades.

    Returns
    -------
    matplotlib.axes.Axes
    """
    day = as_of or dt.date.today()
    ws = structure_on(workspace, day)  # the tree in force that day
    # only the organisations that exist on the day (an abolished bureau is not drawn)
    live = [org for org in ws.organisations.values() if org.live_on(day)]
    live_ids = {org.id for org in live}
    children: dict[str | None, list[str]] = {}
    parent_of = {org.id: org.parent_on(day) for org in live}
    for org in live:
        parent = parent_of[org.id] if parent_of[org.id] in live_ids else None
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
    for org in live:
        name = _local_org_name(ws, org.id)
        name_lines = _wrap_to(ax, name, box_w - 0.06, 8.5 * k, max_lines=3)
        if len(name_lines) > 2 and org.aliases:
            name_lines = _wrap_to(ax, org.aliases[0], box_w - 0.06, 8.5 * k)
        lines = [(line, 8.5 * k, {"weight": "bold"}) for line in name_lines]
        for person, title, grade in heads.get(org.id, [])[:2]:
            grade_name = grade_word(ws, grade) if ws.settings.grade_name(grade) else ""
            for line in _wrap_to(ax, f"{person} {title}·{grade_name}", box_w - 0.04, 6.5 * k):
                lines.append((line, 6.5 * k, {"color": FIGURE_TEXT_SOFT}))
        contents[org.id] = lines
    height = {
        oid: min(
            max(_points_to_dy(ax, sum(size * 1.4 for _, size, _ in lines) + 8 * k), 0.28), 0.85
        )
        for oid, lines in contents.items()
    }

    for org in live:
        up = parent_of[org.id]
        if up is not None and up in pos:
            (x0, y0), (x1, y1) = xy(up), xy(org.id)
            mid = (y0 + y1) / 2
            ax.plot(
                [x0, x0, x1, x1],
                [y0 - height[up] / 2, mid, mid, y1 + height[org.id] / 2],
                color=ORG_LINK_COLOURS["parent"],
                lw=1.2,
                zorder=1,
            )
    for org in live:
        for guide in org.guided_by_on(day):
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
                    "color": ORG_LINK_COLOURS["guided_by"],
                    "lw": 1.1,
                    "linestyle": (0, (4, 3)),
                    "connectionstyle": f"arc3,rad={rad}",
                    "shrinkA": 0,
                    "shrinkB": 2,
                },
                zorder=2,
            )

    for org in live:
        x, y = xy(org.id)
        kind = org.kind.value if org.kind.value in _KIND_GROUPS else "other"
        face, kind_label = ORG_KIND_COLOURS[kind], say(_KIND_GROUPS[kind])
        kinds_seen[kind_label] = face
        _box(ax, x, y, box_w, height[org.id], face, FIGURE_EDGE, 0.9)
        _lines_in_box(ax, x, y + height[org.id] / 2, contents[org.id], first_gap=4 * k)

    legend: list[Artist] = [
        Line2D(
            [0], [0], color=ORG_LINK_COLOURS["parent"], lw=1.2, label=say("块：属地领导（parent）")
        ),
        Line2D(
            [0],
            [0],
            color=ORG_LINK_COLOURS["guided_by"],
            lw=1.1,
            ls=(0, (4, 3)),
            label=say("条：业务指导（guided_by）"),
        ),
    ]
    legend += [
        Patch(facecolor=face, edgecolor=FIGURE_EDGE, label=label)
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
    when = say("（负责人：{day}）", day=day) if leaders else ""
    ax.set_title(
        say("组织结构：{name}{when}", name=ws.name, when=when), fontsize=13 * k, weight="bold"
    )
    ax.set_axis_off()
    return ax
