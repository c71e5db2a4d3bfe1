"""The interactive map: officials, our owners and the links between them, in one HTML file.

Drawn with vis-network, the JavaScript library that the ``pyvis`` package ships
inside itself; it is read from the installed package and written inline, so the
file needs no network to open (pyvis's own ``cdn_resources="in_line"`` template
still links Bootstrap from a CDN, so its template is not used).

Layout: a hierarchical layout with one row per grade, the most senior at the top,
and our owners in a row beneath, so a chain reads top-down. Hover over a person
or click it to see post, grade, influence, cover and gaps; a menu narrows the
map to one opportunity's chain or one informal circle.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matplotlib.colors import to_hex

from stakegraph.analysis.circles import Circle, kept_circles
from stakegraph.analysis.coverage import Coverage, coverage
from stakegraph.analysis.influence import Influence, influence
from stakegraph.errors import MapError
from stakegraph.graph.chains import UnknownHolder
from stakegraph.graph.network import PersonNetwork, network_of
from stakegraph.graph.relation_filter import applied_filter
from stakegraph.io.atomic import write_file_atomically
from stakegraph.records.naming import post_label
from stakegraph.records.workspace import Workspace
from stakegraph.views.figures.common import COVER_CMAP, TIER_LABELS
from stakegraph.views.labels import (
    ACCENT,
    GAP_COLOURS,
    GAP_LABELS,
    LINK_COLOURS,
    NODE_BORDER,
    NODE_SELECTED_BORDER,
    OFF_CHAIN_FILL,
    OWNER_BORDER,
    OWNER_HIGHLIGHT,
    PAPER,
    ROLE_LABELS,
    STANCE_LABELS,
    TIE_KIND_LABELS,
    VACANT_INK,
)
from stakegraph.views.language import current_language, has_cjk, page_language, shown_label
from stakegraph.views.map_assets import (
    MAP_CSS,
    MAP_JS,
    map_hint,
    script_json,
    touch_hint,
    vis_assets,
)
from stakegraph.views.map_selection import select_persons
from stakegraph.views.phrases import circle_name, gap_reason, relations_phrase, unknown_holder_label

#: Above this many officials the map keeps the chain's persons, their neighbours
#: (one step along a reporting line, 分管 or tie) and our owners, and says how many
#: it left out: thousands of nodes would be a hairball nobody can read.
MAP_PERSON_LIMIT = 250

#: The map's edges, in legend order: their colour (from the labels) and their label.
EDGE_STYLES = {
    kind: {"color": LINK_COLOURS[kind], "label": label}
    for kind, label in (
        ("formal", "汇报 reports to"),
        ("oversight", "分管 oversees"),
        ("tie", "非正式关系 tie"),
        ("relationship", "我方关系 our relationship"),
    )
}


@dataclass
class MapData:
    """Everything the page needs: vis nodes and edges, details per node, filter menu."""

    title: str
    subtitle: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, dict[str, Any]] = field(default_factory=dict)
    filters: list[dict[str, str]] = field(default_factory=list)
    note: str | None = None
    #: filter the page opens with ("" = everyone drawn); set for trimmed large maps
    initial_filter: str = ""
    persons_total: int = 0
    persons_shown: int = 0
    left_out: int = 0

    def to_json(self) -> dict[str, Any]:
        """The document embedded in the page (plain JSON types only)."""
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "details": self.details,
            "filters": self.filters,
            "gapColours": GAP_COLOURS,
        }


# ---------------------------------------------------------------------------
# data


def _hex(value: float) -> str:
    return to_hex(COVER_CMAP(max(0.0, min(1.0, value))))


def _fmt(value: float) -> str:
    return f"{value:.2f}"


#: One of our relationships on the map: owner, person, strength, relationship id.
_Relation = tuple[str, str, float, str | None]


@dataclass
class _Marks:
    """What the map shows about its persons beyond the network: roles, gaps, groups."""

    #: person id → one entry per role held on a drawn chain
    roles: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: post id → {"roles": [...]} for each vacant post on a drawn chain
    vacant: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: node id → {"unknown": UnknownHolder, "roles": [...]} per unknown holder (人选未明)
    unknown: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: node id → the filter groups (``opp:…``, ``circle:…``) it belongs to
    groups: dict[str, set[str]] = field(default_factory=dict)
    #: person id → names of the informal circles they belong to
    circle_names: dict[str, list[str]] = field(default_factory=dict)


def map_data(
    network: PersonNetwork,
    opportunity: str | None = None,
    circle: str | None = None,
    limit: int = MAP_PERSON_LIMIT,
) -> MapData:
    """Nodes, edges and details of the map on the network's day.

    Parameters
    ----------
    network : PersonNetwork
    opportunity : str, optional
        Draw only this opportunity's chain (its role holders, the persons its warm
        channels pass through, its vacant posts) and the owners who relate to them.
    circle : str, optional
        Draw only this informal circle (``circle-1``, ... as in the report).
    limit : int
        Most officials drawn; above it the chains' persons (or, without any, the
        most influential) and their one-step neighbours are kept.

    Returns
    -------
    MapData
        ``left_out`` counts the officials not drawn because of ``limit``.
    """
    ws = network.workspace
    if opportunity is not None:
        ws.get("opportunities", opportunity)
    circles = kept_circles(network)
    circle_by_id = {c.id: c for c in circles}
    if circle is not None and circle not in circle_by_id:
        known = ", ".join(circle_by_id) or "none"
        raise MapError(
            f"no informal circle '{circle}' in {ws.name} on {network.day}; known: {known}."
        )

    opp_ids = [opportunity] if opportunity else list(ws.opportunities)
    infl = influence(network, opportunity)
    covs: dict[str, Coverage] = {o: coverage(network, o) for o in opp_ids}
    chain_persons = _chain_persons(covs)

    if circle is not None:
        candidates = list(circle_by_id[circle].members)
    elif opportunity is not None:
        candidates = list(chain_persons)
    else:
        candidates = list(network.persons)
    persons, left_out = select_persons(network, candidates, list(chain_persons), infl, limit)
    kept = set(persons)
    relations = _relations_to(network, kept)
    owners = [o for o in network.owners if any(r[0] == o for r in relations)]
    marks = _marks(network, covs, circles, kept, relations, with_vacant=circle is None)

    # rows: one per grade (senior at the top), our owners beneath
    index = network.person_index
    grades = sorted(
        {int(network.grade[index[p]]) for p in persons}
        | {ws.posts[p].grade for p in marks.vacant}
        | {_unknown_grade(network, n["unknown"]) for n in marks.unknown.values()},
        reverse=True,
    )
    level = {g: i for i, g in enumerate(grades)}

    data = MapData(title="", subtitle="")
    top_score = max((infl.of(p) for p in persons), default=0.0) or 1.0
    for person in persons:
        _add_person(data, network, person, infl, top_score, level, marks)
    for post_id, node in marks.vacant.items():
        _add_open(data, network, f"v:{post_id}", node, level, marks.groups, post_id)
    for node_id, node in marks.unknown.items():
        _add_open(data, network, node_id, node, level, marks.groups)
    responsible_count: dict[str, int] = {}
    for owner_id, _, _, rel_id in relations:
        if rel_id and ws.relationships[rel_id].responsible:
            responsible_count[owner_id] = responsible_count.get(owner_id, 0) + 1
    for owner_id in owners:
        _add_owner(data, network, owner_id, len(grades), relations, responsible_count, marks)

    # on a trimmed map, ties between two off-chain neighbours are noise
    tie_anchor = set(chain_persons) if left_out else None
    data.edges.extend(_edges(network, kept, relations, tie_anchor))
    _add_filters(data, network, opp_ids, circles)
    data.persons_total = len(candidates)
    data.persons_shown = len(persons)
    data.left_out = left_out
    _describe(data, network, opportunity, circle_by_id.get(circle or ""), len(owners), limit)
    return data


def _chain_persons(covs: dict[str, Coverage]) -> dict[str, None]:
    """Role holders and the persons their warm channels pass through, in first-seen order."""
    chain_persons: dict[str, None] = {}
    for cov in covs.values():
        for h in cov.holders:
            if h.person:
                chain_persons[h.person] = None
                chain_persons.update(dict.fromkeys(h.channel[:-1]))
    return chain_persons


def _relations_to(network: PersonNetwork, kept: set[str]) -> list[_Relation]:
    """Our relationships (of positive strength) with the drawn persons."""
    rel = network.relationship.tocoo()
    return [
        (network.owners[o], network.persons[p], float(s), network.relationship_id.get((o, p)))
        for o, p, s in zip(rel.row.tolist(), rel.col.tolist(), rel.data.tolist(), strict=True)
        if network.persons[p] in kept and s > 0
    ]


def _marks(
    network: PersonNetwork,
    covs: dict[str, Coverage],
    circles: list[Circle],
    kept: set[str],
    relations: list[_Relation],
    with_vacant: bool,
) -> _Marks:
    """Each person's roles and gaps, the vacant posts, and every node's filter groups."""
    ws = network.workspace
    marks = _Marks()
    groups = marks.groups
    for opp_id, cov in covs.items():
        opp_name = ws.opportunities[opp_id].name
        for h in cov.holders:
            entry = {
                "opportunity": opp_name,
                "step": h.step_name,
                "role": shown_label(ROLE_LABELS.get(h.role, h.role)),
                "stance": shown_label(STANCE_LABELS.get(h.stance, h.stance)),
                "cover": h.cover,
                "gaps": [
                    {
                        "kind": g.kind.value,
                        "label": shown_label(GAP_LABELS[g.kind]),
                        "reason": gap_reason(network, g, h),
                    }
                    for g in h.gaps
                ],
            }
            if h.person:
                marks.roles.setdefault(h.person, []).append(entry)
                groups.setdefault(f"p:{h.person}", set()).add(f"opp:{opp_id}")
                for via in h.channel[:-1]:
                    groups.setdefault(f"p:{via}", set()).add(f"opp:{opp_id}")
            elif h.unknown is not None and with_vacant:
                node_id = f"u:{opp_id}:{h.step}:{h.role_index}"
                marks.unknown[node_id] = {"unknown": h.unknown, "roles": [entry]}
                groups.setdefault(node_id, set()).add(f"opp:{opp_id}")
            elif h.post and with_vacant:
                node = marks.vacant.setdefault(h.post, {"roles": []})
                node["roles"].append(entry)
                groups.setdefault(f"v:{h.post}", set()).add(f"opp:{opp_id}")
    for c in circles:
        for member in c.members:
            if member in kept:
                groups.setdefault(f"p:{member}", set()).add(f"circle:{c.id}")
                marks.circle_names.setdefault(member, []).append(circle_name(c))
    # an owner shows under every chain or circle of the persons it relates to
    for owner, person, _, _ in relations:
        groups.setdefault(f"o:{owner}", set()).update(groups.get(f"p:{person}", set()))
    return marks


def _add_person(
    data: MapData,
    network: PersonNetwork,
    person: str,
    infl: Influence,
    top_score: float,
    level: dict[int, int],
    marks: _Marks,
) -> None:
    """One official's node, sized by influence and coloured by cover, with its details."""
    ws = network.workspace
    i = network.person_index[person]
    record = ws.persons[person]
    post_names = [post_label(ws, post) for post in network.posts.get(person, [])]
    grade = int(network.grade[i])
    grade_name = ws.settings.grade_name_in(grade, current_language()) if grade else None
    score = infl.of(person)
    its_roles = marks.roles.get(person, [])
    # the same gap shows on every opportunity the person is on; list it once
    gaps = list({(g["kind"], g["reason"]): g for r in its_roles for g in r["gaps"]}.values())
    cover = max((r["cover"] for r in its_roles), default=None)
    node_id = f"p:{person}"
    title_lines = [record.name, *post_names[:2]]
    title_lines.append(
        " · ".join(
            x for x in (grade_name, f"{shown_label('影响力 influence')} {100 * score:.2f}") if x
        )
    )
    if cover is not None:
        title_lines.append(f"{shown_label('覆盖 cover')} {_fmt(cover)}")
    if gaps:
        title_lines.append(
            shown_label("缺口 gaps") + " " + " ".join(sorted({g["kind"] for g in gaps}))
        )
    data.nodes.append(
        {
            "id": node_id,
            "label": record.name,
            "level": level[grade],
            "shape": "dot",
            "size": round(9 + 21 * math.sqrt(score / top_score), 1),
            "color": {
                "background": _hex(cover) if cover is not None else OFF_CHAIN_FILL,
                "border": GAP_COLOURS["UNCOVERED"] if gaps else NODE_BORDER,
                "highlight": {
                    "background": _hex(cover) if cover is not None else OFF_CHAIN_FILL,
                    "border": NODE_SELECTED_BORDER,
                },
            },
            "borderWidth": 3 if gaps else 1,
            "title": "\n".join(title_lines),
            "font": {"size": 20 if cover is not None else 17},
        }
    )
    rows = [
        [shown_label("职位 post"), "; ".join(post_names) or "—"],
        [shown_label("级别 grade"), grade_name or "—"],
        [
            shown_label("影响力 influence"),
            f"{100 * score:.2f} (#{int(infl.rank[infl.index[person]])})",
        ],
    ]
    if record.background:
        rows.append([shown_label("出身 background"), record.background.value])
    for r in its_roles:
        rows.append(
            [
                f"{r['step']} · {r['role']}",
                f"{shown_label('覆盖 cover')} {_fmt(r['cover'])}; {r['stance']}",
            ]
        )
    if person in marks.circle_names:
        rows.append([shown_label("圈子 circle"), "; ".join(marks.circle_names[person])])
    data.details[node_id] = {
        "kind": "person",
        "name": record.name,
        "rows": rows,
        "gaps": gaps,
        "groups": sorted(marks.groups.get(node_id, ())),
    }


def _unknown_grade(network: PersonNetwork, unknown: UnknownHolder) -> int:
    """The row of an unknown holder: its expected grade, else the lowest of the scale."""
    low = min(network.workspace.settings.grades.values())
    return unknown.grade if unknown.grade is not None else low


def _add_open(
    data: MapData,
    network: PersonNetwork,
    node_id: str,
    node: dict[str, Any],
    level: dict[int, int],
    groups: dict[str, set[str]],
    post_id: str | None = None,
) -> None:
    """A dashed box for a role no known person holds, on its grade's row, with the roles
    it leaves open: the vacant post ``post_id``, or else the unknown holder (人选未明)
    that ``node`` carries, on its expected grade's row."""
    ws = network.workspace
    if post_id is not None:
        post = ws.posts[post_id]
        label = post_label(ws, post_id)
        word = shown_label("空缺 vacant")
        grade = ws.settings.grade_name_in(post.grade, current_language()) or str(post.grade)
        boxed, row, gap, dashes = post.title, post.grade, "VACANT", [5, 4]
        title = f"{label}\n{word} on {network.day.isoformat()}"
        rows = [[shown_label("职位 post"), label], [shown_label("级别 grade"), grade]]
    else:
        known: UnknownHolder = node["unknown"]
        label = unknown_holder_label(ws, known)
        word = shown_label(GAP_LABELS["UNKNOWN_HOLDER"])
        boxed, row = ws.organisations[known.org].name, _unknown_grade(network, known)
        gap, dashes = "UNKNOWN_HOLDER", [2, 4]
        title = f"{word}: {label}"
        rows = [[shown_label("对象 who"), label]]
    data.nodes.append(
        {
            "id": node_id,
            "label": word + "\n" + boxed,
            "level": level[row],
            "shape": "box",
            "color": {"background": PAPER, "border": GAP_COLOURS[gap]},
            "shapeProperties": {"borderDashes": dashes},
            "borderWidth": 2,
            "font": {"size": 16, "color": VACANT_INK},
            "title": title,
        }
    )
    rows += [
        [f"{r['step']} · {r['role']}", f"{shown_label('覆盖 cover')} {_fmt(r['cover'])}"]
        for r in node["roles"]
    ]
    data.details[node_id] = {
        "kind": "vacant",
        "name": f"{word}: {label}",
        "rows": rows,
        "gaps": [g for r in node["roles"] for g in r["gaps"]],
        "groups": sorted(groups.get(node_id, ())),
    }


def _add_owner(
    data: MapData,
    network: PersonNetwork,
    owner_id: str,
    row: int,
    relations: list[_Relation],
    responsible_count: dict[str, int],
    marks: _Marks,
) -> None:
    """One of our owners, on the bottom row, with the relationships it holds."""
    ws = network.workspace
    owner = ws.owners[owner_id]
    tier = ws.settings.tier_name(owner.tier) or str(owner.tier)
    node_id = f"o:{owner_id}"
    data.nodes.append(
        {
            "id": node_id,
            "label": owner.name,
            "level": row,
            "shape": "box",
            "color": {
                "background": ACCENT,
                "border": OWNER_BORDER,
                "highlight": {"background": OWNER_HIGHLIGHT, "border": OWNER_BORDER},
            },
            "font": {"color": PAPER, "size": 18, "strokeWidth": 0},
            "margin": 8,
            "title": f"{owner.name}\n{owner.title or ''} · {shown_label('我方 ours')} {_tier(tier)}",
        }
    )
    mine = sorted(
        ((s, ws.persons[p].name) for o, p, s, _ in relations if o == owner_id), reverse=True
    )
    data.details[node_id] = {
        "kind": "owner",
        "name": owner.name,
        "rows": [
            [shown_label("职务 title"), owner.title or "—"],
            [shown_label("层级 tier"), _tier(tier)],
            [
                shown_label("责任人 named owner of"),
                f"{responsible_count.get(owner_id, 0)} / capacity {owner.capacity}",
            ],
            [shown_label("关系 relationships"), "; ".join(f"{n} {_fmt(s)}" for s, n in mine)],
        ],
        "gaps": [],
        "groups": sorted(marks.groups.get(node_id, ())),
    }


def _add_filters(
    data: MapData, network: PersonNetwork, opp_ids: list[str], circles: list[Circle]
) -> None:
    """The filter menu: each chain and each circle that has a node on the map."""
    ws = network.workspace
    for opp_id in opp_ids:
        if any(f"opp:{opp_id}" in d["groups"] for d in data.details.values()):
            data.filters.append(
                {
                    "id": f"opp:{opp_id}",
                    "label": f"{shown_label('决策链 chain')} {ws.opportunities[opp_id].name}",
                }
            )
    for c in circles:
        if any(f"circle:{c.id}" in d["groups"] for d in data.details.values()):
            data.filters.append(
                {"id": f"circle:{c.id}", "label": f"{shown_label('圈子 circle')} {circle_name(c)}"}
            )


def _describe(
    data: MapData,
    network: PersonNetwork,
    opportunity: str | None,
    circle: Circle | None,
    owner_count: int,
    limit: int,
) -> None:
    """Title, subtitle and, on a trimmed map, the note saying what was left out."""
    ws = network.workspace
    scope = []
    if opportunity:
        scope.append(f"{shown_label('决策链 chain')} {ws.opportunities[opportunity].name}")
    if circle:
        scope.append(f"{shown_label('圈子 circle')} {circle_name(circle)}")
    relations = applied_filter(network)
    if relations.active:
        scope.append(relations_phrase(relations.to_dict()))
    data.title = f"{shown_label('关系地图 stakeholder map')} — {ws.name}"
    data.subtitle = " · ".join(
        [
            f"as of {network.day.isoformat()}",
            *scope,
            f"{data.persons_shown} officials, {owner_count} owners",
        ]
    )
    if data.left_out:
        data.note = (
            f"{data.left_out} of {data.persons_total} officials left out: the map shows the "
            f"chains' persons and their one-step neighbours (reporting line, oversight, ties), "
            f"at most {limit}; filter with an opportunity or a circle to see others."
        )
        if data.filters:
            data.initial_filter = data.filters[0]["id"]
            data.note += (
                " Opened on the first chain; choose "
                + shown_label("全部 all")
                + " in the menu for everyone."
            )


def _edges(
    network: PersonNetwork,
    kept: set[str],
    relations: list[tuple[str, str, float, str | None]],
    tie_anchor: set[str] | None = None,
) -> list[dict[str, Any]]:
    ws = network.workspace
    edges: list[dict[str, Any]] = []
    for kind, matrix, dashes in (
        ("formal", network.formal, False),
        ("oversight", network.oversight, [6, 4]),
    ):
        coo = matrix.tocoo()
        for u, v in sorted(zip(coo.row.tolist(), coo.col.tolist(), strict=True)):
            a, b = network.persons[u], network.persons[v]
            if a in kept and b in kept and a != b:
                edges.append(
                    {
                        "from": f"p:{a}",
                        "to": f"p:{b}",
                        "arrows": "to",
                        "dashes": dashes,
                        "color": {"color": EDGE_STYLES[kind]["color"]},
                        "width": 1.5,
                        "title": f"{ws.persons[a].name} → {ws.persons[b].name}: "
                        f"{EDGE_STYLES[kind]['label']}",
                        "kind": kind,
                    }
                )
    for tie in ws.ties.values():
        if (
            tie.a in kept
            and tie.b in kept
            and (tie_anchor is None or tie.a in tie_anchor or tie.b in tie_anchor)
        ):
            label = TIE_KIND_LABELS.get(tie.kind.value, tie.kind.value)
            edges.append(
                {
                    "from": f"p:{tie.a}",
                    "to": f"p:{tie.b}",
                    "arrows": "to" if tie.directed else "",
                    "dashes": [2, 4],
                    "color": {"color": EDGE_STYLES["tie"]["color"]},
                    "width": round(1 + 3 * tie.strength, 2),
                    "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.12},
                    "title": f"{ws.persons[tie.a].name} — {ws.persons[tie.b].name}: {label} "
                    f"({tie.strength:.2f})",
                    "kind": "tie",
                }
            )
    for owner, person, strength, rel_id in relations:
        responsible = bool(rel_id and ws.relationships[rel_id].responsible)
        edges.append(
            {
                "from": f"o:{owner}",
                "to": f"p:{person}",
                "arrows": "to",
                "color": {
                    "color": EDGE_STYLES["relationship"]["color"],
                    "opacity": 0.55 + 0.45 * strength,
                },
                "width": round(1 + 3 * strength, 2),
                "title": f"{ws.owners[owner].name} → {ws.persons[person].name}: strength "
                f"{strength:.2f}"
                + (" · " + shown_label("责任人 named owner") if responsible else ""),
                "kind": "relationship",
            }
        )
    for i, edge in enumerate(edges):
        edge["id"] = f"e{i}"
    return edges


def _legend() -> str:
    items = [
        f'<span><i class="sg-line" style="border-color:{s["color"]};'
        f'{"border-top-style:dashed;" if k in ("oversight", "tie") else ""}"></i>'
        f"{html.escape(shown_label(s['label']))}</span>"
        for k, s in EDGE_STYLES.items()
    ]
    items.append(
        f'<span><i class="sg-swatch" style="background:{_hex(0.1)}"></i>'
        f'<i class="sg-swatch" style="background:{_hex(0.5)}"></i>'
        f'<i class="sg-swatch" style="background:{_hex(0.9)}"></i>{shown_label("覆盖 cover")} low → high</span>'
    )
    items.append(
        f'<span><i class="sg-swatch" style="background:{PAPER};border:3px solid '
        f'{GAP_COLOURS["UNCOVERED"]}"></i>{shown_label("有缺口 has gaps")}</span>'
    )
    items.append(
        f'<span><i class="sg-swatch" style="background:{ACCENT};border-radius:2px">'
        f"</i>{shown_label('我方 our owner')}</span>"
    )
    return '<div class="sg-legend">' + "".join(items) + "</div>"


def _tier(tier: str) -> str:
    label = TIER_LABELS.get(tier, tier)
    return str(tier) if current_language() == "en" and has_cjk(label) else label


def map_fragment(data: MapData, dom_id: str = "sg-map") -> str:
    """The map as an HTML fragment: bar, canvas, detail panel and its data.

    The bar holds a search box, a button that fits the whole map in view and the
    controls (the filter menu and the legend); on a narrow screen the controls fold
    behind a button and the detail panel rises over the map's foot only while a person
    is selected. Needs :func:`vis_assets`, :data:`MAP_CSS` and :data:`MAP_JS` on the
    page (the script initialises every ``.sg-map`` element, so include it after the
    fragment).
    """
    dom = html.escape(dom_id)
    options = [f'<option value="">{shown_label("全部 all")}</option>'] + [
        f'<option value="{html.escape(f["id"])}"'
        f"{' selected' if f['id'] == data.initial_filter else ''}>{html.escape(f['label'])}</option>"
        for f in data.filters
    ]
    menu = (
        f'<label>{shown_label("显示 show")} <select aria-label="filter">{"".join(options)}</select></label>'
        if data.filters
        else ""
    )
    names = sorted({d["name"] for d in data.details.values() if d["kind"] != "vacant"})
    choices = "".join(f'<option value="{html.escape(n)}"></option>' for n in names)
    note = f'<div class="sg-note">{html.escape(data.note)}</div>' if data.note else ""
    return (
        f'<div class="sg-map" id="{dom}">'
        '<div class="sg-map-bar">'
        f'<button type="button" class="sg-toggle" aria-expanded="false" '
        f'aria-controls="{dom}-controls">☰ {shown_label("筛选 filter")}</button>'
        f'<input type="search" class="sg-search" list="{dom}-names" '
        f'placeholder="{shown_label("查找 find")}…" aria-label="find a person" autocomplete="off">'
        f'<datalist id="{dom}-names">{choices}</datalist>'
        f'<button type="button" class="sg-fit" title="{shown_label("全图 whole map")}" '
        'aria-label="whole map">⤢</button>'
        f'<div class="sg-controls" id="{dom}-controls">{menu}{_legend()}'
        f'<p class="sg-touch-hint">{touch_hint()}</p></div></div>'
        f"{note}"
        '<div class="sg-map-body"><div class="sg-canvas"></div>'
        '<div class="sg-panel" aria-live="polite">'
        '<button type="button" class="sg-close" aria-label="close details">×</button>'
        f'<div class="sg-detail"><p class="sg-hint">{map_hint()}</p></div></div></div>'
        f'<script type="application/json" class="sg-map-data">{script_json(data.to_json())}'
        "</script></div>"
    )


def map_page(data: MapData, base_css: str) -> str:
    """A complete, self-contained HTML page holding only the map."""
    js, vis_css = vis_assets()
    return (
        f'<!DOCTYPE html>\n<html lang="{page_language()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(data.title)}</title>"
        f"<style>{vis_css}</style><style>{base_css}{MAP_CSS}</style>"
        f'<script>{js}</script></head><body class="map-page"><main>'
        f"<header><h1>{html.escape(data.title)}</h1>"
        f'<p class="meta">{html.escape(data.subtitle)}</p></header>'
        f"{map_fragment(data)}</main><script>{MAP_JS}</script></body></html>\n"
    )


def write_map(
    source: Workspace | PersonNetwork,
    day: dt.date | None,
    out: Path | str,
    opportunity: str | None = None,
    circle: str | None = None,
) -> Path:
    """Write the interactive map of a workspace on ``day`` as one self-contained HTML file.

    Parameters
    ----------
    source : Workspace or PersonNetwork
        A loaded workspace, or a network already built for it (reused as it is).
    day : date or None
        Who holds each post, and how fresh each relationship is, on this day; None
        means the network's day, or today for a workspace.
    out : path
        The HTML file to write (replaced in one step; never left half-written).
    opportunity : str, optional
        Only this opportunity's chain and the owners relating to it.
    circle : str, optional
        Only this informal circle (``circle-1``, ... as in ``stakegraph report``).

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    UnknownRecord
        ``opportunity`` is not in the workspace.
    MapError
        ``circle`` is not one of the workspace's circles, or pyvis is missing.
    TypeError, ValueError
        ``source`` is not a workspace or network, or is a network of another day.
    """
    from stakegraph.views.styles import BASE_CSS

    network = network_of(source, day)
    data = map_data(network, opportunity, circle)
    page = map_page(data, BASE_CSS)
    return write_file_atomically(Path(out), page.encode("utf-8"))
