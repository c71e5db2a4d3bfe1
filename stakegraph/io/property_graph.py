"""Workspace → one networkx MultiDiGraph, as-of views, and the way back.

Nodes are keyed ``"<Label>:<id>"`` (``"Person:zhang-wei"``, steps
``"Step:<opportunity>/<step>"``) and carry ``label``, ``id`` and the record's own
fields. Edges carry ``type``. Labels and types are those of the Neo4j store, so a
question means the same thing on both engines:

=============  =====================================  ===============================
type           from → to                              attributes
=============  =====================================  ===============================
PART_OF        Organisation → parent Organisation     (块: led by) [order, start, end]
GUIDED_BY      Organisation → Organisation            order (条: line guidance) [start, end]
IN             Post → Organisation
REPORTS_TO     Post → Post, Owner → Owner             (our own line for owners)
                                                      [order, start, end]
OVERSEES       Post → Organisation                    order (分管) [start, end]
HOLDS          Person → Post                          start, end, order, title, acting,
                                                      concurrent, on_leave
TIE            Person → Person                        kind, strength, directed, ...
RELATES        Owner → Person                         the six scores, level, dates, ...
FOR            Opportunity → Organisation             (the client)
STEP_OF        Step → Opportunity                     order
NEXT           Step → Step
ROLE           Person|Post → Step                     role, weight, stance, ...
               Organisation → Step                    an unknown holder (人选未明):
                                                      unknown_grade, unknown_description, ...
INVOLVES       Interaction → Owner|Person|Org         order
RESPONDENT     Survey → Person|Organisation
ASSESSED_BY    Assessment → Owner
ASSESSES       Assessment → Person
ASSIGNED_TO    Action → Owner
TARGETS        Action → Person|Organisation
ON             Action → Opportunity
ADDRESSES      Action → Interaction|Survey                (the complaint or survey)
REFORM_OF      Reform → Organisation|Post             order (a predecessor)
REFORM_INTO    Reform → Organisation|Post             order, continues (a successor)
SUCCEEDED_BY   Organisation|Post → Organisation|Post  reform, kind, day, order,
                                                      follows (derived)
=============  =====================================  ===============================

A Reform node (机构改革) carries its kind, scope (``of``), day and notes; its
predecessors and successors are its REFORM_OF and REFORM_INTO edges, and the
successor it names in ``continued_by`` has ``continues`` on its edge.
SUCCEEDED_BY is derived from those (every predecessor to every successor) so a
query can follow lineage in one hop; it is not read back. Its ``order`` is the
successor's place in the reform's list and ``follows`` says whether a chain naming
the predecessor goes on to it (the successor in ``continued_by``, else every one).

The attributes in brackets are set on the edges of dated structure only
(:mod:`stakegraph.records.periods`): a reporting line, parent, guide or oversight
that held for a period has an edge with its ``start`` and exclusive ``end``, and
the entries of a dated single value are numbered by ``order``. A person's dated
names are the ``names`` attribute of the Person node (present only when set).

Owner → Owner ``REPORTS_TO`` and the Interaction, Survey, Assessment and Action
nodes go beyond the design's minimum so that :func:`graph_to_workspace` can
rebuild every record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from stakegraph._gc import gc_paused
from stakegraph.config import DEFAULT_SETTINGS, Settings
from stakegraph.records.model import (
    Action,
    Assessment,
    Interaction,
    Opportunity,
    Organisation,
    Owner,
    Person,
    Post,
    Reform,
    Relationship,
    Survey,
    Tenure,
    Tie,
)
from stakegraph.records.periods import Period
from stakegraph.records.workspace import Workspace

LABELS = (
    "Organisation",
    "Post",
    "Person",
    "Owner",
    "Opportunity",
    "Step",
    "Interaction",
    "Survey",
    "Assessment",
    "Action",
    "Reform",
)
EDGE_TYPES = (
    "PART_OF",
    "GUIDED_BY",
    "IN",
    "REPORTS_TO",
    "OVERSEES",
    "HOLDS",
    "TIE",
    "RELATES",
    "FOR",
    "STEP_OF",
    "NEXT",
    "ROLE",
    "INVOLVES",
    "RESPONDENT",
    "ASSESSED_BY",
    "ASSESSES",
    "ASSIGNED_TO",
    "TARGETS",
    "ON",
    "ADDRESSES",
    "REFORM_OF",
    "REFORM_INTO",
    "SUCCEEDED_BY",
)


@dataclass(frozen=True)
class _Link:
    """A reference field of a record, kept as an edge ``edge`` to a ``target`` node.

    ``many``: a list of ids, each edge carrying its position as ``order``;
    ``required``: the edge is written whatever the value (a field without default).
    """

    field: str
    edge: str
    target: str
    many: bool = False
    required: bool = False


#: Node label → the workspace collection of its records, in the order nodes are added.
_COLLECTIONS: dict[str, str] = {
    "Organisation": "organisations",
    "Post": "posts",
    "Person": "persons",
    "Owner": "owners",
    "Opportunity": "opportunities",
    "Interaction": "interactions",
    "Survey": "surveys",
    "Assessment": "assessments",
    "Action": "actions",
}

#: Action fields that are references, with the edge type and target label of each.
_ACTION_LINKS: tuple[tuple[str, str, str], ...] = (
    ("owner", "ASSIGNED_TO", "Owner"),
    ("person", "TARGETS", "Person"),
    ("org", "TARGETS", "Organisation"),
    ("opportunity", "ON", "Opportunity"),
    ("complaint", "ADDRESSES", "Interaction"),
    ("survey", "ADDRESSES", "Survey"),
)

#: The plain references of each label, in the order their edges are written. Tenures
#: (HOLDS edges with attributes) and an opportunity's client and chain are written
#: with the nodes they need; see ``_NOT_ATTRIBUTES``.
_LINKS: dict[str, tuple[_Link, ...]] = {
    "Organisation": (
        _Link("parent", "PART_OF", "Organisation"),
        _Link("guided_by", "GUIDED_BY", "Organisation", many=True),
    ),
    "Post": (
        _Link("org", "IN", "Organisation", required=True),
        _Link("reports_to", "REPORTS_TO", "Post"),
        _Link("oversees", "OVERSEES", "Organisation", many=True),
    ),
    "Owner": (_Link("manager", "REPORTS_TO", "Owner"),),
    "Interaction": (
        _Link("owners", "INVOLVES", "Owner", many=True),
        _Link("persons", "INVOLVES", "Person", many=True),
        _Link("orgs", "INVOLVES", "Organisation", many=True),
    ),
    "Survey": (
        _Link("person", "RESPONDENT", "Person"),
        _Link("org", "RESPONDENT", "Organisation"),
    ),
    "Assessment": (
        _Link("owner", "ASSESSED_BY", "Owner", required=True),
        _Link("person", "ASSESSES", "Person", required=True),
    ),
    "Action": tuple(_Link(field, edge, target) for field, edge, target in _ACTION_LINKS),
}

#: Structural references that may be dated: their edges carry ``start``/``end``.
_DATED_FIELDS = frozenset({"parent", "guided_by", "reports_to", "oversees"})

#: Fields that are neither node attributes nor in ``_LINKS``.
_NOT_ATTRIBUTES: dict[str, set[str]] = {"Person": {"tenures"}, "Opportunity": {"client", "chain"}}


#: The fields of a tenure carried on its HOLDS edge.
_TENURE_FIELDS = tuple(f for f in Tenure.model_fields if f != "post")


def node_key(label: str, record_id: str) -> str:
    """The graph key of a record: ``node_key("Person", "zhang")`` → ``"Person:zhang"``."""
    return f"{label}:{record_id}"


def step_key(opportunity_id: str, step_id: str) -> str:
    return f"Step:{opportunity_id}/{step_id}"


def _fields(record: Any, exclude: set[str]) -> dict[str, Any]:
    return record.model_dump(mode="python", exclude=exclude)


@gc_paused()
def build_graph(workspace: Workspace, as_of: dt.date | None = None) -> nx.MultiDiGraph:
    """Build the graph of a workspace.

    Parameters
    ----------
    workspace : Workspace
        A validated workspace.
    as_of : date, optional
        When given, only tenures active on that day become ``HOLDS`` edges, and each
        Post node gets ``holders`` (person ids) and ``vacant`` (bool). Without it the
        graph keeps the whole history and round-trips to the workspace.

    Returns
    -------
    networkx.MultiDiGraph
        ``graph.graph`` holds ``name``, ``as_of`` and ``settings``.

    Notes
    -----
    Linear in the number of records and references.
    """
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph(
        name=workspace.name, as_of=None, settings=workspace.settings
    )
    G.graph["settings_text"] = workspace.settings_text
    # every record's node first, then the edges in a fixed order: node and edge order
    # are what a GraphML file and a Neo4j push list, so they must not move
    _add_record_nodes(G, workspace)
    _add_organisation_edges(G, workspace, as_of)
    _add_network_edges(G, workspace)
    _add_chains(G, workspace)
    _add_journal_edges(G, workspace)
    _add_reform_edges(G, workspace)
    if as_of is not None:
        mark_holders(G, as_of)
    return G


def _add_record_nodes(G: nx.MultiDiGraph[str], ws: Workspace) -> None:
    """One node per record, by collection; references become edges later."""
    for label, collection in _COLLECTIONS.items():
        exclude = {link.field for link in _LINKS.get(label, ())} | _NOT_ATTRIBUTES.get(label, set())
        for record in getattr(ws, collection).values():
            # dated names only when there are any, so graphs of other workspaces stay as they were
            left_out = exclude | {"names"} if label == "Person" and not record.names else exclude
            G.add_node(node_key(label, record.id), label=label, **_fields(record, left_out))
    for reform in ws.reforms.values():
        G.add_node(
            node_key("Reform", reform.id),
            label="Reform",
            **_fields(reform, {"predecessors", "successors", "continued_by"}),
        )


def _add_links(G: nx.MultiDiGraph[str], ws: Workspace, labels: tuple[str, ...]) -> None:
    """The ``_LINKS`` edges of every record of these labels, record by record."""
    for label in labels:
        links = _LINKS[label]
        for record in getattr(ws, _COLLECTIONS[label]).values():
            key = node_key(label, record.id)
            for link in links:
                value = getattr(record, link.field)
                if link.field in _DATED_FIELDS:
                    _add_dated_edges(G, key, link.target, value, link.edge)
                elif link.many:
                    for order, ref in enumerate(value):
                        G.add_edge(key, node_key(link.target, ref), type=link.edge, order=order)
                elif value or link.required:
                    G.add_edge(key, node_key(link.target, value), type=link.edge)


def _add_organisation_edges(G: nx.MultiDiGraph[str], ws: Workspace, as_of: dt.date | None) -> None:
    """Both organisations: theirs (units, posts, who holds them) and ours (owners)."""
    _add_links(G, ws, ("Organisation", "Post"))
    for person in ws.persons.values():
        for order, tenure in enumerate(person.tenures):
            if as_of is not None and not tenure.holds_on(as_of):
                continue
            G.add_edge(
                node_key("Person", person.id),
                node_key("Post", tenure.post),
                type="HOLDS",
                order=order,
                **tenure_attributes(tenure),
            )
    _add_links(G, ws, ("Owner",))


def _add_dated_edges(
    G: nx.MultiDiGraph[str],
    key: str,
    label: str,
    value: str | Sequence[str | Period] | None,
    edge_type: str,
    listed: bool = False,
) -> None:
    """Edges of a structural field; a dated entry's edge carries its ``start``/``end``.

    A plain single value is one edge without ``order`` (as it always was); the
    entries of a list, or of a dated single value, are numbered by ``order``.
    """
    if value is None:
        return
    if isinstance(value, str):
        G.add_edge(key, node_key(label, value), type=edge_type)
        return
    for order, item in enumerate(value):
        if isinstance(item, str):
            G.add_edge(key, node_key(label, item), type=edge_type, order=order)
            continue
        dates = {k: d for k, d in (("start", item.start), ("end", item.end)) if d is not None}
        G.add_edge(key, node_key(label, item.value), type=edge_type, order=order, **dates)


def _dated_refs(
    G: nx.MultiDiGraph, edges: list[tuple[str, dict]], field: str
) -> list[str | dict[str, Any]]:
    """The entries of a structural field from its edges (in ``order``): ids, or dated ids."""
    out: list[str | dict[str, Any]] = []
    for node, data in edges:
        dates = {k: data[k] for k in ("start", "end") if data.get(k) is not None}
        ref = G.nodes[node]["id"]
        out.append({field: ref, **dates} if dates else ref)
    return out


def _add_network_edges(G: nx.MultiDiGraph[str], ws: Workspace) -> None:
    """Informal ties between officials and our relationships with them."""
    # ``order`` keeps the file order of these records, which a graph's adjacency
    # (grouped by node) loses; analyses break ties by record order
    for order, tie in enumerate(ws.ties.values()):
        G.add_edge(
            node_key("Person", tie.a),
            node_key("Person", tie.b),
            type="TIE",
            order=order,
            **_fields(tie, {"a", "b"}),
        )
    for order, rel in enumerate(ws.relationships.values()):
        G.add_edge(
            node_key("Owner", rel.owner),
            node_key("Person", rel.person),
            type="RELATES",
            order=order,
            **_fields(rel, {"owner", "person"}),
        )


#: The field a ROLE edge's start names, by the start's label.
_ROLE_HOLDER = {"Post": "post", "Person": "person", "Organisation": "unknown_org"}


def _add_chains(G: nx.MultiDiGraph[str], ws: Workspace) -> None:
    """Each opportunity's decision chain: step nodes in order and the roles on them."""
    for opp in ws.opportunities.values():
        opp_key = node_key("Opportunity", opp.id)
        G.add_edge(opp_key, node_key("Organisation", opp.client), type="FOR")
        previous = None
        for order, step in enumerate(opp.chain):
            skey = step_key(opp.id, step.id)
            G.add_node(
                skey,
                label="Step",
                id=f"{opp.id}/{step.id}",
                step=step.id,
                name=step.name,
                opportunity=opp.id,
                order=order,
            )
            G.add_edge(skey, opp_key, type="STEP_OF", order=order)
            if previous is not None:
                G.add_edge(previous, skey, type="NEXT")
            previous = skey
            for role_order, role in enumerate(step.roles):
                # a validated role names a post, a person or an unknown holder's
                # organisation (人选未明): the ROLE edge starts at that organisation
                holder = (
                    node_key("Post", role.post)
                    if role.post
                    else node_key("Person", role.person)
                    if role.person
                    else node_key("Organisation", str(role.unknown_org))
                )
                fields = _fields(role, {"post", "person", "unknown_org"})
                G.add_edge(holder, skey, type="ROLE", order=role_order, **fields)


def _add_journal_edges(G: nx.MultiDiGraph[str], ws: Workspace) -> None:
    """Who took part in each interaction, survey, assessment and action."""
    _add_links(G, ws, ("Interaction", "Survey", "Assessment", "Action"))


def _reform_label(reform: Reform) -> str:
    return "Post" if reform.of.value == "posts" else "Organisation"


def _add_reform_edges(G: nx.MultiDiGraph[str], ws: Workspace) -> None:
    """Each reform's predecessors and successors, and the derived SUCCEEDED_BY links."""
    for reform in ws.reforms.values():
        key = node_key("Reform", reform.id)
        label = _reform_label(reform)
        for order, rid in enumerate(reform.predecessors):
            G.add_edge(key, node_key(label, rid), type="REFORM_OF", order=order)
        for order, rid in enumerate(reform.successors):
            G.add_edge(
                key,
                node_key(label, rid),
                type="REFORM_INTO",
                order=order,
                continues=rid == reform.continued_by,
            )
        for before in reform.predecessors:
            for order, after in enumerate(reform.successors):
                # ``follows``: a chain naming the predecessor goes on to this successor
                # (the one that continues a split, else every one); see lineage.stands_for
                G.add_edge(
                    node_key(label, before),
                    node_key(label, after),
                    type="SUCCEEDED_BY",
                    reform=reform.id,
                    kind=reform.kind.value,
                    day=reform.day,
                    order=order,
                    follows=reform.continued_by in (None, after),
                )


def tenure_attributes(tenure: Tenure) -> dict[str, Any]:
    """The attributes of a HOLDS edge: every field of the tenure but its post.

    A title left out is not written (graph formats and Neo4j drop null values);
    the reader's Tenure defaults restore it.
    """
    data = tenure.model_dump(mode="python", exclude={"post"})
    if data["title"] is None:
        del data["title"]
    return data


def mark_holders(G: nx.MultiDiGraph, as_of: dt.date) -> None:
    """Set ``live``, ``holders`` and ``vacant`` on every Post from the HOLDS edges.

    A post is live when the day falls inside its own lifetime and its
    organisation's; a post that is not live holds no one and is not vacant.
    """
    G.graph["as_of"] = as_of
    for node, data in G.nodes(data=True):
        if data["label"] == "Post":
            data["holders"] = []
            orgs = [G.nodes[v] for v, _ in out_edges_of_type(G, node, "IN")]
            data["live"] = _active(data, as_of) and all(_active(o, as_of) for o in orgs)
    for u, v, data in G.edges(data=True):
        holds = data["type"] == "HOLDS" and _active(data, as_of) and not data.get("on_leave")
        if holds and G.nodes[v]["live"]:
            G.nodes[v]["holders"].append(G.nodes[u]["id"])
    for _, data in G.nodes(data=True):
        if data["label"] == "Post":
            data["vacant"] = data["live"] and not data["holders"]


def _active(item: dict[str, Any], day: dt.date) -> bool:
    """Whether a record or edge with ``start``/``end`` (exclusive) covers ``day``."""
    start, end = item.get("start"), item.get("end")
    return (start is None or start <= day) and (end is None or day < end)


def as_of_view(G: nx.MultiDiGraph, as_of: dt.date) -> nx.MultiDiGraph:
    """A copy of a full-history graph keeping only the tenures active on ``as_of``.

    Vacant posts stay in the graph with ``vacant=True``. O(nodes + edges).
    """
    H = G.copy()
    stale = [
        (u, v, k)
        for u, v, k, d in H.edges(keys=True, data=True)
        if d["type"] == "HOLDS" and (not _active(d, as_of) or d.get("on_leave"))
    ]
    H.remove_edges_from(stale)
    mark_holders(H, as_of)
    return H


def nodes_with_label(G: nx.MultiDiGraph, label: str) -> list[str]:
    return [n for n, d in G.nodes(data=True) if d["label"] == label]


def out_edges_of_type(G: nx.MultiDiGraph, node: str, edge_type: str) -> list[tuple[str, dict]]:
    return [(v, d) for _, v, d in G.out_edges(node, data=True) if d["type"] == edge_type]


def in_edges_of_type(G: nx.MultiDiGraph, node: str, edge_type: str) -> list[tuple[str, dict]]:
    return [(u, d) for u, _, d in G.in_edges(node, data=True) if d["type"] == edge_type]


def graph_to_workspace(G: nx.MultiDiGraph, settings: Settings | None = None) -> Workspace:
    """Rebuild the records of a full-history graph made by :func:`build_graph`.

    ``graph_to_workspace(build_graph(ws)) == ws`` for every valid workspace.
    """
    settings = settings or G.graph.get("settings") or DEFAULT_SETTINGS
    ws = Workspace(settings, G.graph.get("name", "workspace"))
    ws.settings_text = G.graph.get("settings_text")
    context = {"settings": settings}

    def attrs(node: str) -> dict[str, Any]:
        return {
            k: v
            for k, v in G.nodes[node].items()
            if k not in ("label", "holders", "vacant", "live")
        }

    def ordered(node: str, edge_type: str, direction: str = "out") -> list[tuple[str, dict]]:
        edges = (out_edges_of_type if direction == "out" else in_edges_of_type)(G, node, edge_type)
        return sorted(edges, key=lambda e: e[1].get("order", 0))

    def ref(node: str) -> str:
        return G.nodes[node]["id"]

    by_label: dict[str, list[str]] = {label: [] for label in LABELS}
    for node, data in G.nodes(data=True):
        by_label[data["label"]].append(node)

    for node in by_label["Organisation"]:
        data = attrs(node)
        data["parent"] = _dated_refs(G, ordered(node, "PART_OF"), "org") or None
        data["guided_by"] = _dated_refs(G, ordered(node, "GUIDED_BY"), "org")
        ws.add(Organisation.model_validate(data, context=context))
    for node in by_label["Post"]:
        data = attrs(node)
        data["org"] = ref(out_edges_of_type(G, node, "IN")[0][0])
        data["reports_to"] = _dated_refs(G, ordered(node, "REPORTS_TO"), "post") or None
        data["oversees"] = _dated_refs(G, ordered(node, "OVERSEES"), "org")
        ws.add(Post.model_validate(data, context=context))
    for node in by_label["Person"]:
        data = attrs(node)
        data["tenures"] = [
            {"post": ref(v), **{k: d[k] for k in _TENURE_FIELDS if k in d}}
            for v, d in ordered(node, "HOLDS")
        ]
        ws.add(Person.model_validate(data, context=context))
    for node in by_label["Owner"]:
        data = attrs(node)
        up = out_edges_of_type(G, node, "REPORTS_TO")
        data["manager"] = ref(up[0][0]) if up else None
        ws.add(Owner.model_validate(data, context=context))

    def records(edge_type: str) -> list[tuple[str, str, dict]]:
        found = [(u, v, d) for u, v, d in G.edges(data=True) if d["type"] == edge_type]
        found.sort(key=lambda e: e[2].get("order", 0))  # stable: older graphs keep adjacency
        return [
            (u, v, {k: x for k, x in d.items() if k not in ("type", "order")}) for u, v, d in found
        ]

    for u, v, data in records("RELATES"):
        ws.add(
            Relationship.model_validate(
                {**data, "owner": ref(u), "person": ref(v)}, context=context
            )
        )
    for u, v, data in records("TIE"):
        ws.add(Tie.model_validate({**data, "a": ref(u), "b": ref(v)}, context=context))
    for node in by_label["Opportunity"]:
        data = attrs(node)
        data["client"] = ref(out_edges_of_type(G, node, "FOR")[0][0])
        chain = []
        for step_node, _ in ordered(node, "STEP_OF", "in"):
            step = G.nodes[step_node]
            roles = []
            for holder, role in ordered(step_node, "ROLE", "in"):
                item = {k: x for k, x in role.items() if k not in ("type", "order")}
                item[_ROLE_HOLDER[G.nodes[holder]["label"]]] = ref(holder)
                roles.append(item)
            chain.append({"id": step["step"], "name": step["name"], "roles": roles})
        data["chain"] = chain
        ws.add(Opportunity.model_validate(data, context=context))
    for node in by_label["Interaction"]:
        data = attrs(node)
        for field, label in (("owners", "Owner"), ("persons", "Person"), ("orgs", "Organisation")):
            data[field] = [
                ref(v) for v, _ in ordered(node, "INVOLVES") if G.nodes[v]["label"] == label
            ]
        ws.add(Interaction.model_validate(data, context=context))
    for node in by_label["Survey"]:
        data = attrs(node)
        for v, _ in out_edges_of_type(G, node, "RESPONDENT"):
            field = "person" if G.nodes[v]["label"] == "Person" else "org"
            data[field] = ref(v)
        ws.add(Survey.model_validate(data, context=context))
    for node in by_label["Assessment"]:
        data = attrs(node)
        data["owner"] = ref(out_edges_of_type(G, node, "ASSESSED_BY")[0][0])
        data["person"] = ref(out_edges_of_type(G, node, "ASSESSES")[0][0])
        ws.add(Assessment.model_validate(data, context=context))
    for node in by_label["Action"]:
        data = attrs(node)
        for field, edge_type, label in _ACTION_LINKS:
            data[field] = next(
                (
                    ref(v)
                    for v, _ in out_edges_of_type(G, node, edge_type)
                    if G.nodes[v]["label"] == label
                ),
                None,
            )
        ws.add(Action.model_validate(data, context=context))
    for node in by_label["Reform"]:
        data = attrs(node)
        data["predecessors"] = [ref(v) for v, _ in ordered(node, "REFORM_OF")]
        successors = ordered(node, "REFORM_INTO")
        data["successors"] = [ref(v) for v, _ in successors]
        data["continued_by"] = next((ref(v) for v, d in successors if d.get("continues")), None)
        ws.add(Reform.model_validate(data, context=context))
    return ws
