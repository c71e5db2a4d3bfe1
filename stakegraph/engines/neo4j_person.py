"""Read from Neo4j only the relationships of one official or one owner of ours.

``relationships --person/--owner`` and ``history --person`` show our relationships
with one official (or of one owner): their scores as they stood on a day, strength,
levels and every assessment. Nothing of the formal structure enters those answers, so
this read leaves it on the server (unlike
:func:`stakegraph.engines.neo4j_subgraph.read_around`, which keeps the neighbourhood
of a chain).

Which records
-------------
* every owner of ours (names, and the owner of each relationship);
* the official asked about, and every official one of the relationships asked about
  relates to (all of an owner's, or all of the official's);
* every interaction involving one of those officials (the logged contacts that move a
  relationship's last contact, :func:`stakegraph.graph.timeline.contact_dates`) and
  every assessment of one of them (the scores in force on a day,
  :func:`stakegraph.graph.timeline.history`).

The officials are read without their posts and tenures, and an interaction keeps only
the owners and officials read; an assessment is kept whole (both its ends are read).
Each relationship (a ``RELATES`` edge) between an owner and an official read is read.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from stakegraph.engines.neo4j_subgraph import Part, TargetedRead, _graph, _Reader
from stakegraph.errors import IncompletePush
from stakegraph.io.property_graph import graph_to_workspace

if TYPE_CHECKING:
    from stakegraph.engines.neo4j import Store as Database

_OWNERS = "MATCH (o:Owner {workspace: $workspace}) RETURN o.id AS id"
_RELATED = (
    "MATCH (o:Owner {workspace: $workspace})-[:RELATES]->(p:Person) "
    "WHERE ($person IS NULL OR p.id = $person) AND ($owner IS NULL OR o.id = $owner) "
    "RETURN DISTINCT p.id AS id"
)
_INTERACTIONS = (
    "UNWIND $ids AS id MATCH (:Person {workspace: $workspace, id: id})<-[:INVOLVES]-"
    "(i:Interaction) RETURN DISTINCT i.id AS id"
)
_ASSESSMENTS = (
    "UNWIND $ids AS id MATCH (:Person {workspace: $workspace, id: id})<-[:ASSESSES]-"
    "(a:Assessment) RETURN DISTINCT a.id AS id"
)


def read_relationships(
    db: Database,
    workspace_id: str,
    person: str | None = None,
    owner: str | None = None,
) -> TargetedRead:
    """Read the part of a stored workspace our relationships with one official need.

    Parameters
    ----------
    db : stakegraph.engines.neo4j.Store
        The database.
    workspace_id : str
        The stored workspace.
    person : str, optional
        A person id: their relationships (and the person, related or not).
    owner : str, optional
        An owner id: only their relationships. With neither, every relationship.

    Returns
    -------
    TargetedRead
        The partial workspace (see the module notes) and the nodes read. On it,
        :func:`stakegraph.analysis.relationships.relationship_levels` and
        :func:`stakegraph.analysis.evidence.trend` of ``person``/``owner`` give the
        answers of the whole workspace: a relationship's standing on a day depends on
        its own record, the assessments of its pair and the interactions naming its
        pair, all of which are read.

    Raises
    ------
    WorkspaceNotStored, IncompletePush
        As :meth:`stakegraph.engines.neo4j.Store.pull`.

    Notes
    -----
    Five queries, then one per label read; rows proportional to the relationships
    asked about and the interactions and assessments of their officials, not to the
    book. O(owners + those relationships + their interactions and assessments).

    References
    ----------
    The relationship record and its history: :func:`stakegraph.graph.timeline.relationship_on`
    (scores overlaid by assessments in date order, last contact from logged contacts).
    """
    meta = db.info(workspace_id)
    if not meta.get("complete"):
        raise IncompletePush(
            f"the last push of workspace '{workspace_id}' to {db.uri} did not finish; push it again"
        )
    from stakegraph.io import load_settings_text

    settings = load_settings_text(meta.get("settings_text"), f"neo4j workspace {workspace_id}")
    reader = _Reader(db, workspace_id, dt.date.min)  # none of these queries asks the day
    part = Part()
    with db._errors():
        part.add("Owner", reader.ids(_OWNERS))
        part.add("Person", [person])
        part.add("Person", reader.ids(_RELATED, person=person, owner=owner))
        persons = part.ids["Person"]
        part.add("Interaction", reader.ids(_INTERACTIONS, persons))
        part.add("Assessment", reader.ids(_ASSESSMENTS, persons))
        G = _graph(reader, part, meta, settings)
    counts = {label: len(ids) for label, ids in part.ids.items() if ids}
    return TargetedRead(graph_to_workspace(G), counts, int(meta.get("nodes") or 0))
