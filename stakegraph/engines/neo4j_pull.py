"""Reading a stored workspace back as the graph :func:`build_graph` makes, in one pass.

:meth:`~stakegraph.engines.neo4j.Store.pull_graph` used to take each row through the
driver's ``Record.data()`` (a recursive copy of every value) and then through a generic
property decoder testing every value's type; this module reads the rows as the tuples
the driver already holds and converts only what needs converting: Neo4j ``DATE``
values (to :class:`datetime.date`) and the flattened properties (``__json``,
``__keys``/``__values``). The result is the same graph, node for node and edge for
edge in the same order, so :func:`~stakegraph.io.property_graph.graph_to_workspace`
gives the same records.

Rows come in pages of :data:`PAGE` start nodes, each page one list in one Bolt
message and one read transaction, keyed on the ``(workspace, id)`` index, so the
driver's per-message work is paid per page, not per row. The pages are one state of
the workspace: a write committed while they were read makes the pull read them again
(:func:`read_graph`). Cost: O(n + m) values decoded once per read, O(n log n + m log m)
to restore the push order.

A pull makes hundreds of thousands of small objects that all stay alive until it
ends and hardly any of them in a reference cycle, so the pull runs under
:func:`stakegraph._gc.gc_paused`, which keeps Python's cyclic collector from scanning
them again and again while they are made (at 10^4 officials it took more than half of
the pull's client CPU).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from typing import Any

import networkx as nx

from stakegraph.engines.neo4j_properties import (
    _EDGE_ATTRIBUTES,
    NOT_RECORD_FIELDS,
    VERSION,
    WORKSPACE_LABEL,
)
from stakegraph.io.property_graph import EDGE_TYPES, LABELS


def _temporal_types() -> frozenset[type]:
    from neo4j.time import Date, DateTime, Time

    return frozenset((Date, DateTime, Time))


def decode(props: dict[str, Any], temporal: frozenset[type]) -> dict[str, Any]:
    """Neo4j properties → graph attributes: :func:`from_properties` for raw driver values.

    Only the driver's temporal values (``temporal``: ``neo4j.time`` types) and lists of
    them (Neo4j lists hold one type) are converted; every other value the driver hands
    over (str, int, float, bool, list) is already the Python value.
    O(number of values).
    """
    out: dict[str, Any] = {}
    for name, value in props.items():
        kind = type(value)
        if kind in temporal:
            value = value.to_native()
        elif kind is list and value and type(value[0]) in temporal:
            value = [item.to_native() for item in value]
        if "__" in name:  # flattened: only these names carry the marker
            if name.endswith("__json"):
                out[name[:-6]] = json.loads(value)
                continue
            if name.endswith("__keys"):
                base = name[:-6]
                values = props.get(f"{base}__values", [])
                if values and type(values[0]) in temporal:
                    values = [item.to_native() for item in values]
                out[base] = dict(zip(value, values, strict=False))
                continue
            if name.endswith("__values"):
                continue
        out[name] = value
    return out


#: Start nodes per page: one Bolt message per page instead of one per row, so the
#: driver's per-message work is paid a few hundred times rather than once a row.
PAGE = 2000


def _node_page_query(label: str) -> str:
    return (
        f"MATCH (n:{label}) WHERE n.workspace = $workspace AND n.id > $after "
        "WITH n ORDER BY n.id LIMIT $page "
        "RETURN collect([n.id, properties(n)]) AS rows"
    )


def _edge_page_query(label: str) -> str:
    # The page is its start nodes (those without relationships too), so the next one
    # begins after the last of them; collect() skips the nulls they give.
    return (
        f"MATCH (a:{label}) WHERE a.workspace = $workspace AND a.id > $after "
        "WITH a ORDER BY a.id LIMIT $page "
        "WITH collect(a) AS starts "
        "UNWIND starts AS a "
        "OPTIONAL MATCH (a)-[r]->(b) WHERE b.workspace = $workspace "
        "RETURN last(starts).id AS last, size(starts) AS size, "
        "collect(CASE WHEN r IS NULL THEN null "
        "ELSE [a.id, type(r), labels(b), b.id, properties(r)] END) AS rows"
    )


def _paged(
    store: Any, query: str, workspace_id: str, page: int, tx: Any = None
) -> Iterator[list[Any]]:
    """The rows of a paged query (``$after``, ``$page``), page after page by id.

    Each page is one read transaction (or a statement of ``tx``, when given): a page
    of ids is a range seek on the ``(workspace, id)`` constraint's index, so the whole
    read is O(rows), and a server never holds more than a page. An empty label gives
    one empty page.
    """

    def work(tx: Any, after: str) -> tuple[Any, ...]:
        record = tx.run(query, workspace=workspace_id, after=after, page=page).single()
        return tuple(record) if record is not None else ()

    after = ""  # ids are non-empty strings: every id sorts after ""
    with contextlib.ExitStack() as stack:
        if tx is None:
            session = stack.enter_context(store._session())
        while True:
            values = work(tx, after) if tx is not None else session.execute_read(work, after)
            if len(values) == 1:  # node page: [rows]
                rows = values[0]
                yield rows
                if len(rows) < page:
                    return
                after = rows[-1][0]
            else:  # edge page: last start id, number of starts, rows
                if not values or values[0] is None:
                    return
                last, size, rows = values
                yield rows
                if size < page:
                    return
                after = last


#: Times a pull reads the workspace again when writes came in while it read, before
#: it reads once holding the workspace's lock.
ATTEMPTS = 4
#: Takes the workspace node's write lock (written and unwritten: nothing changes).
_LOCK_FOR_PULL = (
    f"MATCH (w:{WORKSPACE_LABEL} {{id: $workspace}}) SET w._pulling = true REMOVE w._pulling "
    "RETURN w.complete AS complete, w.pushes AS pushes"
)


def _write_stamp(store: Any, workspace_id: str) -> tuple[Any, ...]:
    """What changes whenever a write to the workspace commits: its team-write and push
    counters, and whether a push is under way. One read."""

    def work(tx: Any) -> tuple[Any, ...]:
        row = tx.run(
            f"MATCH (w:{WORKSPACE_LABEL} {{id: $workspace}}) "
            "RETURN w.team_writes AS writes, w.pushes AS pushes, w.complete AS complete",
            workspace=workspace_id,
        ).single()
        return tuple(row) if row is not None else ()

    with store._session() as session:
        return session.execute_read(work)


def read_graph(
    store: Any,
    workspace_id: str,
    G: nx.MultiDiGraph,
    seq: str,
    page: int = PAGE,
    progress: Callable[[int], None] | None = None,
    attempts: int = ATTEMPTS,
    meta: dict[str, Any] | None = None,
) -> nx.MultiDiGraph:
    """Fill ``G`` with the workspace's nodes and edges, in the order they were pushed,
    as one state of the workspace, whatever is written meanwhile.

    ``seq`` is the property holding the push order; ``page`` the start nodes read per
    transaction; ``progress`` is called with the rows of each page read. Each node's
    version goes into ``G.graph["versions"]`` (``"<label>:<id>"`` → version, 0 when
    never written by a team write), for the next push to compare.

    One state: the pages are read in several transactions, and Neo4j reads committed
    data, so a write committed between two pages would show in one label and not in
    another. Every write to a workspace bumps a counter on its workspace node in its
    own transaction (a team write ``team_writes``, a push ``pushes``, and a push marks
    the workspace incomplete until it ends), so the pull reads the counters before
    and after the pages: when they are equal and no push ran, no write committed in
    between and the pages are one state; otherwise the pages are read again, up to
    ``attempts`` times (the readers' check of Lamport, "Concurrent reading and
    writing", Communications of the ACM 20(11), 1977; the seqlock pattern), so writers
    do not wait for a pull. When writes came in at every attempt, the pull reads once
    more in one write transaction that first takes the workspace node's lock, which
    every write takes first: writes wait for that one read, and it cannot starve (this
    needs write access to the database). ``meta``, the workspace node as read for ``G``'s name and
    settings, is checked the same way: a push since then refuses the pull. O(n + m)
    per attempt.

    Raises
    ------
    IncompletePush
        A push is under way, or the workspace was pushed again since ``meta`` was read.
    """
    from stakegraph.errors import IncompletePush

    pushed_again = IncompletePush(
        f"workspace '{workspace_id}' in Neo4j at {store.uri} is being pushed, or was pushed "
        "again while it was being pulled; nothing was written, pull again"
    )
    for _ in range(attempts):
        before = _write_stamp(store, workspace_id)
        if meta is not None and before and before[1] != meta.get("pushes"):
            raise pushed_again
        nodes, edges, versions = _read_rows(store, workspace_id, seq, page, progress)
        if before and before[2] and _write_stamp(store, workspace_id) == before:
            break
    else:
        # writes kept coming in: read once holding the workspace lock that every write
        # takes first, so they wait for this one read instead of starving it
        def locked(tx: Any) -> tuple[list, list, dict[str, int]]:
            row = tx.run(_LOCK_FOR_PULL, workspace=workspace_id).single()
            if row is None or not row["complete"] or (meta and row["pushes"] != meta.get("pushes")):
                raise pushed_again
            return _read_rows(store, workspace_id, seq, page, progress, tx)

        with store._session() as session:
            nodes, edges, versions = session.execute_write(locked)
    G.graph.setdefault("versions", {}).update(versions)
    return _fill(G, nodes, edges)


def _read_rows(
    store: Any,
    workspace_id: str,
    seq: str,
    page: int,
    progress: Callable[[int], None] | None,
    tx: Any = None,
) -> tuple[list, list, dict[str, int]]:
    """Every node and edge row of the workspace, with the order keys and versions."""
    temporal = _temporal_types()
    labels = set(LABELS)
    versions: dict[str, int] = {}
    nodes: list[tuple[tuple[Any, ...], str, dict[str, Any]]] = []
    for rank, label in enumerate(LABELS):
        for rows in _paged(store, _node_page_query(label), workspace_id, page, tx):
            if progress is not None:
                progress(len(rows))
            for record_id, props in rows:
                data: dict[str, Any] = {"label": label}
                data.update(decode(props, temporal))
                key = f"{label}:{record_id}"
                versions[key] = int(data.get(VERSION) or 0)
                for name in NOT_RECORD_FIELDS.intersection(data):
                    del data[name]
                position = data.pop(seq, None)
                order: tuple[Any, ...] = (0, position) if position is not None else (1, rank)
                nodes.append((order, key, data))
    edges: list[tuple[tuple[Any, ...], str, str, dict[str, Any]]] = []
    for label in LABELS:
        for rows in _paged(store, _edge_page_query(label), workspace_id, page, tx):
            if progress is not None:
                progress(len(rows))
            for a, edge_type, end_labels, b, props in rows:
                target = end_labels[0] if end_labels and end_labels[0] in labels else None
                if target is None:  # a node with several labels, one of them ours
                    target = next((x for x in end_labels if x in labels), None)
                if edge_type not in EDGE_TYPES or target is None:
                    continue  # not ours: another tool's relationship
                attrs: dict[str, Any] = {"type": edge_type, **_EDGE_ATTRIBUTES.get(edge_type, {})}
                attrs.update(decode(props, temporal))
                key = str(attrs.pop("key", ""))
                attrs.pop(VERSION, None)
                u, v = f"{label}:{a}", f"{target}:{b}"
                position = attrs.pop(seq, None)
                ident = (edge_type, u, v, key)
                order = (0, position, ident) if position is not None else (1, 0, ident)
                edges.append((order, u, v, attrs))
    return nodes, edges, versions


def _fill(G: nx.MultiDiGraph, nodes: list, edges: list) -> nx.MultiDiGraph:
    """Add the rows read to ``G`` in the order of the push."""
    # The order of the push (the workspace's record order, on which tie-breaks in the
    # analyses depend), else a stable order whatever the database returns.
    nodes.sort(key=lambda n: n[0])
    G.add_nodes_from((key, data) for _, key, data in nodes)
    edges.sort(key=lambda e: e[0])
    # Keys as networkx numbers parallel edges (0, 1, ... per pair), counted here once.
    parallel: dict[tuple[str, str], int] = {}
    keyed = []
    for _, u, v, data in edges:
        if u not in G or v not in G:
            continue  # an end the pull did not read: left out, as a push would not write it
        number = parallel.get((u, v), 0)
        parallel[(u, v)] = number + 1
        keyed.append((u, v, number, data))
    G.add_edges_from(keyed)  # type: ignore[arg-type]  # the stubs miss (u, v, key, data)
    return G
