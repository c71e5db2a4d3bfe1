"""Read from Neo4j only the part of a workspace that one opportunity or one person needs.

A *targeted read* answers a question about one opportunity (``gaps``, ``plan``) or one
official (``paths``) without pulling the whole book: a few parameterised Cypher reads
find the records the answer depends on, and only those are read and rebuilt into a
:class:`~stakegraph.records.workspace.Workspace` (the same property mapping as
:meth:`stakegraph.engines.neo4j.Store.pull`, :mod:`stakegraph.engines.neo4j_properties`).

Which records
-------------
* **Seeds**: the opportunity, its steps and client, the posts and persons its roles
  name, every post that succeeds them through a reform, and everyone who held those
  posts (or, for one official, that person).
* **Neighbourhood**: ``hops`` rounds from the persons on the chain on the day, each
  adding the persons one channel step away from those found so far: informal ties,
  the holders of the nearest post held on the day above or below one of their posts
  (a formal line passes vacant posts), and the two sides of 分管 oversight. Each
  round over-approximates a step of :func:`stakegraph.analysis.paths.warm_channels`
  and of :func:`stakegraph.analysis.coverage.warm_cover` (tenures are taken by their
  dates, leave or not), so every channel of at most ``hops`` steps ending at a seed
  lies inside.
* **Structure closure**: the posts kept persons hold on the day, every post above a
  kept post and everyone whose tenure of a kept post covers the day, until nothing
  is added; the organisations of those posts with their parents and guides; every
  reform with what it reorganised. With every holder of every kept post present,
  "the nearest held post above" is found as in the whole book, so each formal and
  oversight edge between kept persons is the edge of the whole book. A person's
  tenures of posts not kept are not read.
* **Ours**: every owner and every interaction, and either (``every_relationship``)
  every relationship, the persons they relate to (as persons only, with no posts
  unless the closure kept them) and the surveys, assessments and actions whose
  references all lie in the part read; or only the relationships, surveys,
  assessments and actions of the persons the part holds anyway, with each owner's
  responsible load on the day counted on the server (one aggregate instead of every
  relationship: an owner's capacity is held against all of them). A channel from an
  owner to the chain runs through persons of the neighbourhood only, so the
  relationships of persons outside it change no answer but that count.

Partial workspace
-----------------
The rebuilt workspace holds only those records. No check across records runs on it
(as on a pulled workspace); an edge to a record that was not read is left out, so an
interaction lists only the persons read. References a record cannot do without (a
post's organisation, an opportunity's client, an assessment's two ends) are always
read. Quantities of the whole book are not computed from the part: the influence
scores are those of the region streamed in columns (:func:`region_influence`).

Complexity: O(hops) rounds of queries, each linear in the persons and posts found;
the rows read are those of the part, not of the book.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from stakegraph.engines.neo4j_properties import (
    _EDGE_ATTRIBUTES,
    NOT_RECORD_FIELDS,
    VERSION,
    from_properties,
)
from stakegraph.errors import IncompletePush
from stakegraph.io.property_graph import EDGE_TYPES, LABELS, graph_to_workspace

if TYPE_CHECKING:
    from stakegraph.analysis.influence import Influence
    from stakegraph.config import Settings
    from stakegraph.engines.neo4j import Store as Database
    from stakegraph.engines.neo4j_columns import RegionColumns, ScanProgress
    from stakegraph.graph.network import PersonNetwork
    from stakegraph.records.workspace import Workspace

#: Property holding a node's or relationship's position in the pushed graph.
_SEQ = "_seq"

# A post is held on the day when a tenure covers the day, its holder is not on leave
# and the post lives; the same test as the named queries (queries/*.cypher).
_HELD = (
    "EXISTS { MATCH (:Person)-[h:HOLDS]->(c) "
    "WHERE (h.start IS NULL OR h.start <= $day) AND (h.end IS NULL OR $day < h.end) "
    "AND NOT coalesce(h.on_leave, false) } "
    "AND (c.live_start IS NULL OR c.live_start <= $day) "
    "AND (c.live_end IS NULL OR $day < c.live_end)"
)

_SEEDS = (
    "MATCH (o:Opportunity {workspace: $workspace, id: $opportunity})-[:FOR]->(client) "
    "OPTIONAL MATCH (s:Step)-[:STEP_OF]->(o) "
    "OPTIONAL MATCH (h)-[:ROLE]->(s) "
    "RETURN client.id AS client, collect(DISTINCT s.id) AS steps, "
    "collect(DISTINCT CASE WHEN h:Post THEN h.id END) AS posts, "
    "collect(DISTINCT CASE WHEN h:Person THEN h.id END) AS persons"
)
_SUCCESSORS = (
    "UNWIND $ids AS id MATCH (:Post {workspace: $workspace, id: id})"
    "-[:SUCCEEDED_BY*1..]->(after:Post) RETURN DISTINCT after.id AS id"
)
_TIED = (
    "UNWIND $ids AS id MATCH (:Person {workspace: $workspace, id: id})-[:TIE]-(q:Person) "
    "RETURN DISTINCT q.id AS id"
)
_HOLDERS_OF = (
    "UNWIND $ids AS id MATCH (:Post {workspace: $workspace, id: id})<-[:HOLDS]-(p:Person) "
    "RETURN DISTINCT p.id AS id"
)
# Tenures whose dates cover the day (on leave or not: a superset of the holders)
_ON_DAY = "(h.start IS NULL OR h.start <= $day) AND (h.end IS NULL OR $day < h.end)"
_POSTS_ON_DAY = (
    "UNWIND $ids AS id MATCH (:Person {workspace: $workspace, id: id})-[h:HOLDS]->(post:Post) "
    f"WHERE {_ON_DAY} RETURN DISTINCT post.id AS id"
)
_HOLDERS_ON_DAY = (
    "UNWIND $ids AS id MATCH (:Post {workspace: $workspace, id: id})<-[h:HOLDS]-(p:Person) "
    f"WHERE {_ON_DAY} RETURN DISTINCT p.id AS id"
)
_UP = (
    "UNWIND $ids AS id MATCH (:Post {workspace: $workspace, id: id})-[:REPORTS_TO]->(c:Post) "
    f"WITH DISTINCT c RETURN c.id AS id, {_HELD} AS held"
)
_ABOVE = (
    "UNWIND $ids AS id MATCH (:Post {workspace: $workspace, id: id})"
    "-[:REPORTS_TO*1..]->(up:Post) RETURN DISTINCT up.id AS id"
)
_DOWN = (
    "UNWIND $ids AS id MATCH (:Post {workspace: $workspace, id: id})<-[:REPORTS_TO]-(c:Post) "
    f"WITH DISTINCT c RETURN c.id AS id, {_HELD} AS held"
)
_OVERSEEN_LEADERS = (
    "UNWIND $ids AS id MATCH (:Post {workspace: $workspace, id: id})-[:OVERSEES]->"
    "(:Organisation)<-[:IN]-(lead:Post) WHERE lead.leadership RETURN DISTINCT lead.id AS id"
)
_OVERSEERS = (
    "UNWIND $ids AS id MATCH (lead:Post {workspace: $workspace, id: id}) "
    "WHERE lead.leadership MATCH (lead)-[:IN]->(:Organisation)<-[:OVERSEES]-(boss:Post) "
    "RETURN DISTINCT boss.id AS id"
)
_ORGS_OF_POSTS = (
    "UNWIND $ids AS id MATCH (:Post {workspace: $workspace, id: id})-[:IN|OVERSEES]->"
    "(o:Organisation) RETURN DISTINCT o.id AS id"
)
_ORG_CLOSURE = (
    "UNWIND $ids AS id MATCH (:Organisation {workspace: $workspace, id: id})"
    "-[:PART_OF|GUIDED_BY*0..]->(o:Organisation) RETURN DISTINCT o.id AS id"
)
_REFORMED = (
    "MATCH (r:Reform {workspace: $workspace})-[:REFORM_OF|REFORM_INTO]->(x) "
    "RETURN DISTINCT r.id AS reform, labels(x) AS labels, x.id AS id"
)
_REFORMS = "MATCH (r:Reform {workspace: $workspace}) RETURN r.id AS id"
_OURS = (
    "MATCH (o:Owner {workspace: $workspace}) OPTIONAL MATCH (o)-[:RELATES]->(p:Person) "
    "RETURN o.id AS owner, collect(DISTINCT p.id) AS persons"
)
# Every owner, with how many of the day's relationships name them responsible: the
# load their capacity is held against, counted where the relationships are.
_OWNERS_AND_LOAD = (
    "MATCH (o:Owner {workspace: $workspace}) "
    "OPTIONAL MATCH (o)-[r:RELATES]->(:Person) "
    "WHERE coalesce(r.responsible, false) AND (r.since IS NULL OR r.since <= $day) "
    "RETURN o.id AS owner, count(r) AS load"
)
# Records of ours about persons (assessments, actions) whose every person was read
_ABOUT_READ_PERSONS = (
    "MATCH (x:{label} {{workspace: $workspace}}) "
    "WHERE NOT EXISTS {{ MATCH (x)-->(p:Person) WHERE NOT p.id IN $persons }} "
    "RETURN x.id AS id"
)
#: Labels of records of ours read only when every person they name is in the part.
_ABOUT_PERSONS = ("Assessment", "Action")
#: Labels of records left out whole when one of their references was not read.
_WHOLE_OR_NOTHING = frozenset({"Survey", "Assessment", "Action"})
_ALL_IDS = "MATCH (n:{label} {{workspace: $workspace}}) RETURN n.id AS id"


def _nodes_query(label: str) -> str:
    return (
        f"UNWIND $ids AS id MATCH (n:{label} {{workspace: $workspace, id: id}}) "
        "RETURN n.id AS id, properties(n) AS props"
    )


def _edges_query(label: str) -> str:
    # a record kept whole or not at all must see its references that were not read
    kept = "" if label in _WHOLE_OR_NOTHING else "AND b.id IN $kept "
    return (
        f"UNWIND $ids AS id MATCH (a:{label} {{workspace: $workspace, id: id}})-[r]->(b) "
        f"WHERE b.workspace = $workspace {kept}"
        "RETURN a.id AS a, type(r) AS type, labels(b) AS labels, b.id AS b, "
        "properties(r) AS props"
    )


@dataclass
class Part:
    """The ids of the records a targeted read keeps, by node label."""

    ids: dict[str, set[str]] = field(default_factory=lambda: {label: set() for label in LABELS})
    #: Persons only our relationships brought in: read as persons, without their posts.
    light: set[str] = field(default_factory=set)

    def add(self, label: str, ids: Iterable[str | None]) -> set[str]:
        """Add ids; return those that were new."""
        new = {i for i in ids if i is not None} - self.ids[label]
        self.ids[label] |= new
        return new

    @property
    def size(self) -> int:
        return sum(len(v) for v in self.ids.values())


@dataclass
class TargetedRead:
    """A partial workspace read around some seeds, and what was read."""

    workspace: Workspace
    #: Nodes read, by label.
    nodes: dict[str, int]
    #: Nodes the whole stored workspace has (from the last push).
    stored_nodes: int
    #: Owner id → responsible relationships on the day in the whole book, when only
    #: the relationships of the persons read were read (see :func:`read_around`).
    responsible_load: dict[str, int] | None = None

    @property
    def nodes_read(self) -> int:
        return sum(self.nodes.values())


class _Reader:
    def __init__(self, db: Database, workspace_id: str, day: dt.date) -> None:
        self.db, self.workspace_id, self.day = db, workspace_id, day

    def ids(self, query: str, ids: Iterable[str] | None = None, **params: Any) -> list[str]:
        if ids is not None:
            ids = sorted(ids)
            if not ids:
                return []
            params["ids"] = ids
        rows = self.db._read_rows(query, workspace=self.workspace_id, **params)
        return [row["id"] for row in rows if row["id"] is not None]

    def along(self, query: str, posts: Iterable[str]) -> set[str]:
        """Posts along reporting lines from ``posts`` (up with ``_UP``, down with ``_DOWN``),
        through vacant ones to the nearest held on the day, those held included."""
        found: set[str] = set()
        frontier, seen = set(posts), set(posts)
        while frontier:
            rows = self.db._read_rows(
                query, workspace=self.workspace_id, ids=sorted(frontier), day=self.day
            )
            frontier = set()
            for row in rows:
                if row["id"] in seen:
                    continue
                seen.add(row["id"])
                found.add(row["id"])
                if not row["held"]:
                    frontier.add(row["id"])  # vacant: the line goes on to the posts below
        return found


def read_around(
    db: Database,
    workspace_id: str,
    day: dt.date,
    hops: int | None = None,
    opportunity: str | None = None,
    persons: Iterable[str] = (),
    every_relationship: bool = True,
) -> TargetedRead:
    """Read the part of a stored workspace one opportunity or some officials need.

    Parameters
    ----------
    db : stakegraph.engines.neo4j.Store
        The database.
    workspace_id : str
        The stored workspace.
    day : date
        The day of the analysis (which posts are held, for formal lines).
    hops : int, optional
        Channel steps to cover around the seeds; at least the stored workspace's
        ``[coverage] max_hops`` (a command's ``--max-hops`` may ask for more).
    opportunity : str, optional
        An opportunity id: its chain and holders are the seeds.
    persons : iterable of str
        Person ids that are seeds as well.
    every_relationship : bool
        True: read every relationship and the persons they name, so the part counts
        each owner's load itself (what a what-if that changes our relationships
        needs). False: read only the relationships, assessments and actions of the
        persons the part holds, and each owner's load on the day as a count from the
        server (``responsible_load``; :func:`give_counts` hands it to a network).
        Channels from an owner to the chain pass only persons of the neighbourhood,
        so the answers of ``gaps``, ``plan`` and ``paths`` are the same.

    Returns
    -------
    TargetedRead
        The partial workspace (see the module notes) and the nodes read.

    Raises
    ------
    WorkspaceNotStored, IncompletePush
        As :meth:`stakegraph.engines.neo4j.Store.pull`.

    Notes
    -----
    The neighbourhood is a breadth-first search to depth ``hops`` over the union of
    the channel steps, run on the server one level per query. O(hops + depth of the
    post tree) queries; rows proportional to the part read, not to the book.

    References
    ----------
    Moore, "The shortest path through a maze", Proc. Int. Symp. on the Theory of
    Switching, 1959 (breadth-first search); Page, Brin, Motwani, Winograd, "The
    PageRank citation ranking", Stanford InfoLab 1999 (why influence needs the region).
    """
    meta = db.info(workspace_id)
    if not meta.get("complete"):
        raise IncompletePush(
            f"the last push of workspace '{workspace_id}' to {db.uri} did not finish; push it again"
        )
    from stakegraph.io import load_settings_text

    settings = load_settings_text(meta.get("settings_text"), f"neo4j workspace {workspace_id}")
    hops = max(hops or 0, settings.coverage.max_hops)
    reader = _Reader(db, workspace_id, day)
    part = Part()
    load: dict[str, int] | None = None
    with db._errors():
        frontier = _seed(reader, part, opportunity, persons)
        _neighbourhood(reader, part, frontier, hops)
        if every_relationship:
            _ours(reader, part)
            _structure(reader, part)
        else:
            load = _owners_and_load(reader, part)
            _structure(reader, part)
            _ours_about_part(reader, part)
        G = _graph(reader, part, meta, settings)
    counts = {label: len(ids) for label, ids in part.ids.items() if ids}
    return TargetedRead(graph_to_workspace(G), counts, int(meta.get("nodes") or 0), load)


def give_counts(read: TargetedRead, network: PersonNetwork) -> None:
    """Give a network built on ``read.workspace`` the counts of the whole book the part
    cannot make: each owner's responsible load (when the read counted it on the server).
    """
    from stakegraph.analysis.coverage import ResponsibleLoad

    if read.responsible_load is not None:
        load = read.responsible_load
        network.memo.get_or_build(ResponsibleLoad(), lambda: dict(load))


def _seed(reader: _Reader, part: Part, opportunity: str | None, persons: Iterable[str]) -> set[str]:
    """Add the seeds; return the persons whose neighbourhood the answer needs."""
    part.add("Person", persons)
    if opportunity is None:
        return set(part.ids["Person"])
    rows = reader.db._read_rows(_SEEDS, workspace=reader.workspace_id, opportunity=opportunity)
    if not rows:
        return set(part.ids["Person"])
    row = rows[0]
    part.add("Opportunity", [opportunity])
    part.add("Organisation", [row["client"]])
    part.add("Step", row["steps"])
    posts = set(row["posts"])
    posts |= set(reader.ids(_SUCCESSORS, posts))
    part.add("Post", posts)
    part.add("Person", row["persons"])
    part.add("Person", reader.ids(_HOLDERS_ON_DAY, posts, day=reader.day))
    frontier = set(part.ids["Person"])
    # earlier holders too (a rotation is a gap), without their neighbourhood
    part.add("Person", reader.ids(_HOLDERS_OF, posts))
    return frontier


def _neighbourhood(reader: _Reader, part: Part, frontier: set[str], hops: int) -> None:
    """``hops`` rounds of channel steps (ties, formal lines, oversight) from ``frontier``."""
    for _ in range(hops):
        if not frontier:
            return
        posts = set(reader.ids(_POSTS_ON_DAY, frontier, day=reader.day))
        near: set[str] = set(reader.ids(_TIED, frontier))
        related_posts = reader.along(_UP, posts) | reader.along(_DOWN, posts)
        related_posts |= set(reader.ids(_OVERSEEN_LEADERS, posts))
        related_posts |= set(reader.ids(_OVERSEERS, posts))
        near |= set(reader.ids(_HOLDERS_ON_DAY, related_posts, day=reader.day))
        frontier = part.add("Person", near)


def _ours(reader: _Reader, part: Part) -> None:
    """Every owner and the persons our relationships reach."""
    for row in reader.db._read_rows(_OURS, workspace=reader.workspace_id):
        part.add("Owner", [row["owner"]])
        part.light |= part.add("Person", row["persons"])
    for label in ("Interaction", "Survey", "Assessment", "Action"):
        part.add(label, reader.ids(_ALL_IDS.format(label=label)))


def _owners_and_load(reader: _Reader, part: Part) -> dict[str, int]:
    """Every owner; return their responsible load on the day (owners with none absent)."""
    rows = reader.db._read_rows(_OWNERS_AND_LOAD, workspace=reader.workspace_id, day=reader.day)
    part.add("Owner", [row["owner"] for row in rows])
    return {row["owner"]: row["load"] for row in rows if row["load"]}


def _ours_about_part(reader: _Reader, part: Part) -> None:
    """Interactions and surveys, and the assessments and actions about persons read."""
    for label in ("Interaction", "Survey"):
        part.add(label, reader.ids(_ALL_IDS.format(label=label)))
    persons = sorted(part.ids["Person"])
    for label in _ABOUT_PERSONS:
        query = _ABOUT_READ_PERSONS.format(label=label)
        part.add(label, reader.ids(query, persons=persons))


def _structure(reader: _Reader, part: Part) -> None:
    """Posts, holders and organisations closed so formal lines are those of the book."""
    part.add("Reform", reader.ids(_REFORMS))
    for row in reader.db._read_rows(_REFORMED, workspace=reader.workspace_id):
        part.add("Post" if "Post" in row["labels"] else "Organisation", [row["id"]])
    # Persons only a relationship brought in keep no posts: nothing they hold enters
    # a channel within the bound, unless they hold a kept post (then the loop takes them).
    persons = part.ids["Person"] - part.light
    posts = set(part.ids["Post"])
    done_persons: set[str] = set()
    done_posts: set[str] = set()
    while persons or posts:
        posts |= set(reader.ids(_POSTS_ON_DAY, persons, day=reader.day))
        done_persons |= persons
        posts -= done_posts
        posts |= set(reader.ids(_ABOVE, posts)) - done_posts
        part.add("Post", posts)
        done_posts |= posts
        persons = set(reader.ids(_HOLDERS_ON_DAY, posts, day=reader.day)) - done_persons
        part.add("Person", persons)
        posts = set()
    orgs = set(reader.ids(_ORGS_OF_POSTS, part.ids["Post"])) | part.ids["Organisation"]
    part.add("Organisation", reader.ids(_ORG_CLOSURE, orgs))


def _graph(
    reader: _Reader, part: Part, meta: dict[str, Any], settings: Settings
) -> nx.MultiDiGraph:
    """The kept nodes and the edges between them, in the order of the push."""
    settings_text = meta.get("settings_text")
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph(
        name=meta.get("name", reader.workspace_id), as_of=None, settings=settings
    )
    G.graph["settings_text"] = settings_text
    nodes: list[tuple[tuple[int, int], str, dict[str, Any]]] = []
    for rank, label in enumerate(LABELS):
        for row in (
            reader.db._read_rows(
                _nodes_query(label), workspace=reader.workspace_id, ids=sorted(part.ids[label])
            )
            if part.ids[label]
            else []
        ):
            data = from_properties(row["props"])
            for name in NOT_RECORD_FIELDS.intersection(data):
                del data[name]
            seq = data.pop(_SEQ, None)
            order = (0, seq) if seq is not None else (1, rank)
            nodes.append((order, f"{label}:{row['id']}", {"label": label, **data}))
    kept = {key for _, key, _ in nodes}
    # most ties of a kept person lead out of the part: leave them on the server
    kept_ids = sorted({key.split(":", 1)[1] for key in kept})
    labels = set(LABELS)
    edges: list[tuple[Any, tuple[str, str, str, str], dict[str, Any]]] = []
    cut: set[str] = set()
    for label in LABELS:
        if not part.ids[label]:
            continue
        for row in reader.db._read_rows(
            _edges_query(label),
            workspace=reader.workspace_id,
            ids=sorted(part.ids[label]),
            kept=kept_ids,
        ):
            target = next((x for x in row["labels"] if x in labels), None)
            if row["type"] not in EDGE_TYPES or target is None:
                continue
            u, v = f"{label}:{row['a']}", f"{target}:{row['b']}"
            if v not in kept:
                cut.add(u)  # a reference to a record outside the part
                continue
            data = {**_EDGE_ATTRIBUTES.get(row["type"], {}), **from_properties(row["props"])}
            key = str(data.pop("key", ""))
            data.pop(VERSION, None)
            edges.append((data.pop(_SEQ, None), (row["type"], u, v, key), data))
    # a survey, assessment or action that refers to a record not read is left out
    # whole rather than changed; an interaction keeps the persons that were read
    dropped = {key for key in cut if key.split(":", 1)[0] in _WHOLE_OR_NOTHING}
    for _, key, data in sorted(nodes, key=lambda n: n[0]):
        if key not in dropped:
            G.add_node(key, **data)
    edges.sort(key=lambda e: (0, e[0], e[1]) if e[0] is not None else (1, 0, e[1]))
    for _, (edge_type, u, v, _), data in edges:
        if u not in dropped and v not in dropped:
            G.add_edge(u, v, type=edge_type, **data)
    return G


def read_records_of(
    db: Database, workspace_id: str, day: dt.date, persons: Iterable[str]
) -> Workspace:
    """The records that name some persons: the persons, the posts whose tenure covers
    the day, and the organisations of those posts with their parents and guides.

    What a list of officials shows (names, post labels) without their neighbourhood;
    O(persons + their posts + organisations above) rows.
    """
    meta = db.info(workspace_id)
    from stakegraph.io import load_settings_text

    settings = load_settings_text(meta.get("settings_text"), f"neo4j workspace {workspace_id}")
    reader = _Reader(db, workspace_id, day)
    part = Part()
    with db._errors():
        part.add("Person", persons)
        part.add("Post", reader.ids(_POSTS_ON_DAY, part.ids["Person"], day=day))
        orgs = set(reader.ids(_ORGS_OF_POSTS, part.ids["Post"]))
        part.add("Organisation", reader.ids(_ORG_CLOSURE, orgs))
        G = _graph(reader, part, meta, settings)
    return graph_to_workspace(G)


def streamed_influence(
    db: Database,
    workspace_id: str,
    day: dt.date,
    top: int | None,
    progress: ScanProgress | None = None,
    opportunity: str | None = None,
) -> tuple[PersonNetwork, Influence]:
    """The influence of every person of a stored region, from the streamed columns.

    The region's network (:func:`~stakegraph.engines.neo4j_columns.region_network`) is ranked by
    :func:`stakegraph.analysis.influence.influence` as on a folder, with an
    ``opportunity``'s decision weights from the server
    (:func:`~stakegraph.engines.neo4j_columns.decision_weights_of`); then only the
    records the ``top`` rows show (the persons, their posts of the day and the
    organisations above) are read, and the network stands on them as they were on
    the day (:func:`~stakegraph.graph.timeline.workspace_on`). No record of anyone
    else passes through Python objects.

    Parameters
    ----------
    db, workspace_id, day
        The database, the stored workspace and the day.
    top : int or None
        How many of the ranked persons are shown (None: everyone).
    progress : callable, optional
        Told after each page of each scan (:data:`~stakegraph.engines.neo4j_columns.ScanProgress`).
    opportunity : str, optional
        A stored opportunity id: the ranking is personalised by its chain.

    Returns
    -------
    tuple
        The network and its :class:`~stakegraph.analysis.influence.Influence`.

    Complexity: O(rows of the region) read, O(iterations × edges) to rank, O(roles ×
    holders) for the decision weights, O(top) records read.

    References
    ----------
    Page, Brin, Motwani, Winograd, "The PageRank citation ranking", Stanford InfoLab 1999.
    """
    from stakegraph.analysis.influence import influence
    from stakegraph.engines.neo4j_columns import decision_weights_of, read_columns, region_network
    from stakegraph.engines.queries import _stored_settings
    from stakegraph.graph.timeline import workspace_on

    settings = _stored_settings(db, workspace_id)
    network = region_network(read_columns(db, workspace_id, day, progress), settings, day)
    weights = (
        decision_weights_of(db, workspace_id, network, opportunity, settings)
        if opportunity
        else None
    )
    result = influence(network, opportunity, weights=weights)
    shown = read_records_of(db, workspace_id, day, result.top(top))
    network.workspace = workspace_on(shown, day)
    return network, result


# --- the influence of the whole book -------------------------------------------------------
def read_around_and_region(
    db: Database,
    workspace_id: str,
    day: dt.date,
    hops: int | None,
    opportunity: str | None,
    persons: Iterable[str] = (),
    progress: ScanProgress | None = None,
) -> tuple[TargetedRead, RegionColumns | None]:
    """:func:`read_around` (only the relationships of the persons read) and, for an
    opportunity, the region's columns (:func:`~stakegraph.engines.neo4j_columns.read_columns`)
    read at the same time on a second connection.

    The part read is many small queries, mostly waiting on the server; the column
    scans are a few large ones, mostly server work: side by side, the time of the
    shorter is hidden. Either's error is raised as it would be alone (the scans end
    first). ``progress`` follows the scans' pages. Returns the read and the columns
    (None without an opportunity).
    """
    from concurrent.futures import ThreadPoolExecutor

    from stakegraph.engines.neo4j_columns import read_columns

    def part() -> TargetedRead:
        return read_around(db, workspace_id, day, hops, opportunity, persons, False)

    if opportunity is None:
        return part(), None
    with ThreadPoolExecutor(max_workers=1) as pool:
        columns = pool.submit(read_columns, db, workspace_id, day, progress)
        read = part()
        return read, columns.result()


def region_influence(
    db: Database,
    workspace_id: str,
    network: PersonNetwork,
    opportunity: str | None,
    progress: ScanProgress | None = None,
    columns: RegionColumns | None = None,
) -> None:
    """Give ``network`` the influence scores of the whole stored book.

    Influence is a PageRank over the whole region, which a part cannot compute. The
    region's network is streamed from the server as columns
    (:func:`stakegraph.engines.neo4j_columns.read_columns`: persons, posts, holdings,
    reporting lines, oversight and ties of the day) and built with the embedded
    engine's own functions, so its matrices are those of
    :func:`~stakegraph.graph.network.build_network` on the folder; the opportunity's
    decision weights come from the ``decision`` rows of the ``influence_ranking``
    named query. :func:`stakegraph.analysis.influence.influence` ranks the region and
    the scores of the persons of ``network`` are kept in its memo, where
    :func:`~stakegraph.analysis.influence.influence` finds them.

    O(persons + posts + holdings + lines + ties of the region) on the server and here.
    """
    import numpy as np

    from stakegraph.analysis.influence import Influence, RegionInfluence, influence
    from stakegraph.engines.neo4j_columns import (
        decision_weights_of,
        read_columns,
        region_network,
    )
    from stakegraph.engines.queries import _stored_settings

    settings = _stored_settings(db, workspace_id)
    if columns is None:
        columns = read_columns(db, workspace_id, network.day, progress)
    region = region_network(columns, settings, network.day)
    weights = (
        decision_weights_of(db, workspace_id, region, opportunity, settings)
        if opportunity
        else None
    )
    ranked = influence(region, opportunity, weights=weights)
    at = np.asarray([region.person_index[pid] for pid in network.persons], dtype=np.int64)
    network.memo.get_or_build(
        RegionInfluence(opportunity),
        lambda: Influence(
            network.persons,
            ranked.score[at],
            ranked.formal[at],
            ranked.informal[at],
            ranked.position[at],
            ranked.decision[at],
            ranked.iterations,
            opportunity,
            network.person_index,
            network,
        ),
    )
