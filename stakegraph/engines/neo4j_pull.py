"""Reading a stored workspace back as the graph :func:`build_graph` makes, in one pass.

:meth:`~stakegraph.engines.neo4j.Store.pull_graph` used to take each row through the
driver's ``Record.data()`` (a recursive copy of every value) and then through a generic
property decoder testing every value's type; this module reads the rows as the tuples
the driver already holds and converts only what needs converting: Neo4j ``DATE``
values (to :class:`datetime.date`) and the flattened properties (``__json``,
``__keys``/``__values``). The result is the same graph, node for node and edge for
edge in the same order, so :func:`~stakegraph.io.property_graph.graph_to_workspace`
gives the same records.

Cost: one read per label for nodes and one per label for relationships, each row
decoded once; O(n + m) values converted, O(n log n + m log m) to restore the push
order.
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from stakegraph.engines.neo4j_properties import _EDGE_ATTRIBUTES, DERIVED
from stakegraph.io.property_graph import EDGE_TYPES, LABELS

#: Node properties that are not record fields: the workspace id and the derived ones.
_DROPPED = frozenset(("workspace", *DERIVED))


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


def _rows(store: Any, query: str, workspace_id: str) -> list[tuple[Any, ...]]:
    """Rows of one read query as the driver's tuples (no per-value copy)."""

    def work(tx: Any) -> list[tuple[Any, ...]]:
        return [tuple(record) for record in tx.run(query, workspace=workspace_id)]

    with store._session() as session:
        return session.execute_read(work)


def read_graph(
    store: Any,
    workspace_id: str,
    G: nx.MultiDiGraph,
    node_query: Any,
    edge_query: Any,
    seq: str,
) -> nx.MultiDiGraph:
    """Fill ``G`` with the workspace's nodes and edges, in the order they were pushed.

    ``node_query(label)``/``edge_query(label)`` give the read queries (id and
    properties per node; start id, type, end labels, end id and properties per
    relationship), ``seq`` the property holding the push order.
    """
    temporal = _temporal_types()
    labels = set(LABELS)
    nodes: list[tuple[tuple[int, int], str, dict[str, Any]]] = []
    for rank, label in enumerate(LABELS):
        for record_id, props in _rows(store, node_query(label), workspace_id):
            data = {"label": label}
            data.update(decode(props, temporal))
            for name in _DROPPED.intersection(data):
                del data[name]
            position = data.pop(seq, None)
            order = (0, position) if position is not None else (1, rank)
            nodes.append((order, f"{label}:{record_id}", data))
    edges: list[tuple[tuple[Any, ...], str, str, dict[str, Any]]] = []
    for label in LABELS:
        for a, edge_type, end_labels, b, props in _rows(store, edge_query(label), workspace_id):
            target = next((x for x in end_labels if x in labels), None)
            if edge_type not in EDGE_TYPES or target is None:
                continue  # not ours: another tool's relationship
            data = {"type": edge_type, **_EDGE_ATTRIBUTES.get(edge_type, {})}
            data.update(decode(props, temporal))
            key = str(data.pop("key", ""))
            u, v = f"{label}:{a}", f"{target}:{b}"
            position = data.pop(seq, None)
            ident = (edge_type, u, v, key)
            order = (0, position, ident) if position is not None else (1, 0, ident)
            edges.append((order, u, v, data))
    # The order of the push (the workspace's record order, on which tie-breaks in the
    # analyses depend), else a stable order whatever the database returns.
    nodes.sort(key=lambda n: n[0])
    G.add_nodes_from((key, data) for _, key, data in nodes)
    edges.sort(key=lambda e: e[0])
    # Keys as networkx numbers parallel edges (0, 1, ... per pair), counted here once.
    parallel: dict[tuple[str, str], int] = {}
    keyed = []
    for _, u, v, data in edges:
        number = parallel.get((u, v), 0)
        parallel[(u, v)] = number + 1
        keyed.append((u, v, number, data))
    G.add_edges_from(keyed)
    return G
