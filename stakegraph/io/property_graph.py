"""Workspace → one networkx MultiDiGraph, as-of views, and the way back.

Nodes are keyed ``"<Label>:<id>"`` (``"Person:zhang-wei"``, steps
``"Step:<opportunity>/<step>"``) and carry ``label``, ``id`` and the record's own
fields. Edges carry ``type``. Labels and types are those of the Neo4j store, so a
question means the same thing on both engines:

=============  =====================================  ===============================
type           from → to                              attributes
=============  =====================================  ===============================
PART_OF        Organisation → parent Organisation     (块: led by)
GUIDED_BY      Organisation → Organisation            order (条: line guidance)
IN             Post → Organisation
REPORTS_TO     Post → Post, Owner → Owner             (our own line for owners)
OVERSEES       Post → Organisation                    order (分管)
HOLDS          Person → Post                          start, end, order, title, acting,
                                                      concurrent, on_leave
TIE            Person → Person                        kind, strength, directed, ...
RELATES        Owner → Person                         the six scores, level, dates, ...
FOR            Opportunity → Organisation             (the client)
STEP_OF        Step → Opportunity                     order
NEXT           Step → Step
ROLE           Person|Post → Step                     role, weight, stance, ...
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
SUCCEEDED_BY   Organisation|Post → Organisation|Post  reform, kind, day (derived)
=============  =====================================  ===============================

A Reform node (机构改革) carries its kind, scope (``of``), day and notes; its
predecessors and successors are its REFORM_OF and REFORM_INTO edges, and the
successor it names in ``continued_by`` has ``continues`` on its edge.
SUCCEEDED_BY is derived from those (every predecessor to every successor) so a
query can follow lineage in one hop; it is not read back.

Owner → Owner ``REPORTS_TO`` and the Interaction, Survey, Assessment and Action
nodes go beyond the design's minimum so that :func:`graph_to_workspace` can
rebuild every record.
"""

from __future__ import annotations

import datetime as dt
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

#: Action fields that are references, with the edge type and target label of each.
_ACTION_LINKS: tuple[tuple[str, str, str], ...] = (
    ("owner", "ASSIGNED_TO", "Owner"),
    ("person", "TARGETS", "Person"),
    ("org", "TARGETS", "Organisation"),
    ("opportunity", "ON", "Opportunity"),
    ("complaint", "ADDRESSES", "Interaction"),
    ("survey", "ADDRESSES", "Survey"),
)


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
    for org in ws.organisations.values():
        G.add_node(
            node_key("Organisation", org.id),
            label="Organisation",
            **_fields(org, {"parent", "guided_by"}),
        )
    for post in ws.posts.values():
        G.add_node(
            node_key("Post", post.id),
            label="Post",
            **_fields(post, {"org", "reports_to", "oversees"}),
        )
    for person in ws.persons.values():
        G.add_node(node_key("Person", person.id), label="Person", **_fields(person, {"tenures"}))
    for owner in ws.owners.values():
        G.add_node(node_key("Owner", owner.id), label="Owner", **_fields(owner, {"manager"}))
    for opp in ws.opportunities.values():
        G.add_node(
            node_key("Opportunity", opp.id),
            label="Opportunity",
            **_fields(opp, {"client", "chain"}),
        )
    for interaction in ws.interactions.values():
        G.add_node(
            node_key("Interaction", interaction.id),
            label="Interaction",
            **_fields(interaction, {"owners", "persons", "orgs"}),
        )
    for survey in ws.surveys.values():
        G.add_node(
            node_key("Survey", survey.id), label="Survey", **_fields(survey, {"person", "org"})
        )
    for assessment in ws.assessments.values():
        G.add_node(
            node_key("Assessment", assessment.id),
            label="Assessment",
            **_fields(assessment, {"owner", "person"}),
        )
    for action in ws.actions.values():
        G.add_node(
            node_key("Action", action.id),
            label="Action",
            **_fields(action, {field for field, _, _ in _ACTION_LINKS}),
        )
    for reform in ws.reforms.values():
        G.add_node(
            node_key("Reform", reform.id),
            label="Reform",
            **_fields(reform, {"predecessors", "successors", "continued_by"}),
        )


def _add_organisation_edges(G: nx.MultiDiGraph[str], ws: Workspace, as_of: dt.date | None) -> None:
    """Both organisations: theirs (units, posts, who holds them) and ours (owners)."""
    for org in ws.organisations.values():
        key = node_key("Organisation", org.id)
        if org.parent:
            G.add_edge(key, node_key("Organisation", org.parent), type="PART_OF")
        for order, line in enumerate(org.guided_by):
            G.add_edge(key, node_key("Organisation", line), type="GUIDED_BY", order=order)
    for post in ws.posts.values():
        key = node_key("Post", post.id)
        G.add_edge(key, node_key("Organisation", post.org), type="IN")
        if post.reports_to:
            G.add_edge(key, node_key("Post", post.reports_to), type="REPORTS_TO")
        for order, org_id in enumerate(post.oversees):
            G.add_edge(key, node_key("Organisation", org_id), type="OVERSEES", order=order)
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
    for owner in ws.owners.values():
        if owner.manager:
            G.add_edge(
                node_key("Owner", owner.id), node_key("Owner", owner.manager), type="REPORTS_TO"
            )


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
                # a validated role names a post or, failing that, a person
                holder = (
                    node_key("Post", role.post)
                    if role.post
                    else node_key("Person", str(role.person))
                )
                G.add_edge(
                    holder, skey, type="ROLE", order=role_order, **_fields(role, {"post", "person"})
                )


def _add_journal_edges(G: nx.MultiDiGraph[str], ws: Workspace) -> None:
    """Who took part in each interaction, survey, assessment and action."""
    for interaction in ws.interactions.values():
        key = node_key("Interaction", interaction.id)
        for field, label in (("owners", "Owner"), ("persons", "Person"), ("orgs", "Organisation")):
            for order, ref in enumerate(getattr(interaction, field)):
                G.add_edge(key, node_key(label, ref), type="INVOLVES", order=order)
    for survey in ws.surveys.values():
        key = node_key("Survey", survey.id)
        if survey.person:
            G.add_edge(key, node_key("Person", survey.person), type="RESPONDENT")
        if survey.org:
            G.add_edge(key, node_key("Organisation", survey.org), type="RESPONDENT")
    for assessment in ws.assessments.values():
        key = node_key("Assessment", assessment.id)
        G.add_edge(key, node_key("Owner", assessment.owner), type="ASSESSED_BY")
        G.add_edge(key, node_key("Person", assessment.person), type="ASSESSES")
    for action in ws.actions.values():
        key = node_key("Action", action.id)
        for field, edge_type, label in _ACTION_LINKS:
            ref = getattr(action, field)
            if ref:
                G.add_edge(key, node_key(label, ref), type=edge_type)


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
            for after in reform.successors:
                G.add_edge(
                    node_key(label, before),
                    node_key(label, after),
                    type="SUCCEEDED_BY",
                    reform=reform.id,
                    kind=reform.kind.value,
                    day=reform.day,
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
        parents = out_edges_of_type(G, node, "PART_OF")
        data["parent"] = ref(parents[0][0]) if parents else None
        data["guided_by"] = [ref(v) for v, _ in ordered(node, "GUIDED_BY")]
        ws.add(Organisation.model_validate(data, context=context))
    for node in by_label["Post"]:
        data = attrs(node)
        data["org"] = ref(out_edges_of_type(G, node, "IN")[0][0])
        up = out_edges_of_type(G, node, "REPORTS_TO")
        data["reports_to"] = ref(up[0][0]) if up else None
        data["oversees"] = [ref(v) for v, _ in ordered(node, "OVERSEES")]
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
                field = "post" if G.nodes[holder]["label"] == "Post" else "person"
                item[field] = ref(holder)
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
