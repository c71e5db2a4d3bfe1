"""How workspace records are stored as Neo4j properties, and read back.

Dates stay Neo4j ``DATE`` values, enums their string value, lists of one scalar type
lists; a mapping becomes two parallel lists ``<field>__keys``/``<field>__values`` and
anything else Neo4j cannot hold a JSON string ``<field>__json``. :func:`from_properties`
undoes :func:`to_properties`. The :data:`DERIVED` properties are written for the named
queries only and dropped on the way back.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from typing import Any

import networkx as nx

from stakegraph.errors import StoreError
from stakegraph.io.property_graph import EDGE_TYPES, LABELS

#: Label of the node holding a workspace's name, settings and push status.
WORKSPACE_LABEL = "StakegraphWorkspace"
#: Node and relationship property holding the version (see :mod:`stakegraph.engines.neo4j_team`).
VERSION = "_version"
#: Node property holding the fingerprint of the other properties.
HASH = "_hash"
#: Node property naming the team writer, until the next push.
WRITER = "_by"

#: Node properties derived at push time for the queries; :meth:`Store.pull` drops them.
DERIVED = ("live_start", "live_end", "name_history", "name_starts", "name_ends")

#: Node properties that are not record fields: every read of records drops them (the
#: version is kept apart by a pull, for the next push to compare).
NOT_RECORD_FIELDS = frozenset(("workspace", *DERIVED, WRITER, HASH, VERSION))

#: Edge attributes build_graph always sets, even to None (which is not stored).
_EDGE_ATTRIBUTES: dict[str, dict[str, Any]] = {"HOLDS": {"start": None, "end": None}}

# --- values ------------------------------------------------------------------------------
_SCALARS = (str, bool, int, float, dt.date)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _storable_list(items: list[Any]) -> bool:
    """Neo4j stores a list only when its items share one scalar type."""
    kinds = {type(item) for item in items}
    return len(kinds) <= 1 and all(issubclass(kind, _SCALARS) for kind in kinds)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot store {type(value).__name__}")


def to_properties(data: dict[str, Any]) -> dict[str, Any]:
    """Graph attributes → Neo4j properties (see the module notes on flattening)."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        value = _plain(value)
        if value is None:
            continue
        if isinstance(value, dict):
            keys = [str(k) for k in value]
            values = [_plain(v) for v in value.values()]
            if _storable_list(values):
                out[f"{name}__keys"] = keys
                out[f"{name}__values"] = values
            else:
                out[f"{name}__json"] = json.dumps(value, default=_json_default, ensure_ascii=False)
        elif isinstance(value, list | tuple):
            items = [_plain(v) for v in value]
            if _storable_list(items):
                out[name] = items
            else:
                out[f"{name}__json"] = json.dumps(items, default=_json_default, ensure_ascii=False)
        elif isinstance(value, _SCALARS):
            out[name] = value
        else:
            out[f"{name}__json"] = json.dumps(value, default=_json_default, ensure_ascii=False)
    return out


def _native(value: Any) -> Any:
    if isinstance(value, list):
        return [_native(v) for v in value]
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def from_properties(props: dict[str, Any]) -> dict[str, Any]:
    """Neo4j properties → graph attributes, undoing :func:`to_properties`."""
    out: dict[str, Any] = {}
    for name, value in props.items():
        if name.endswith("__json"):
            out[name[: -len("__json")]] = json.loads(value)
        elif name.endswith("__keys"):
            base = name[: -len("__keys")]
            out[base] = dict(zip(value, _native(props.get(f"{base}__values", [])), strict=False))
        elif name.endswith("__values"):
            continue
        else:
            out[name] = _native(value)
    return out


def _derived(G: nx.MultiDiGraph, node: str, data: dict[str, Any]) -> dict[str, Any]:
    """The :data:`DERIVED` properties of a node (a post lives while its organisation does,
    as in :meth:`~stakegraph.records.workspace.Workspace.post_lifetime`). O(degree)."""
    out: dict[str, Any] = {}
    if data["label"] == "Post":
        orgs = [G.nodes[v] for _, v, d in G.out_edges(node, data=True) if d["type"] == "IN"]
        starts = [d for d in (data.get("start"), *(o.get("start") for o in orgs)) if d]
        ends = [d for d in (data.get("end"), *(o.get("end") for o in orgs)) if d]
        if starts:
            out["live_start"] = max(starts)
        if ends:
            out["live_end"] = min(ends)
    elif data["label"] == "Person" and data.get("names"):
        out["name_history"] = [n["name"] for n in data["names"]]
        for field in ("start", "end"):
            out[f"name_{field}s"] = [
                n[field].isoformat() if n.get(field) else "" for n in data["names"]
            ]
    return out


def edge_key(data: dict[str, Any]) -> str:
    """What tells apart edges of one type between the same two nodes.

    The record id for edges that are records (TIE, RELATES), else ``#<order>`` for
    edges from a list (HOLDS, ROLE, GUIDED_BY, ...), else ``""`` (at most one such
    edge per pair). With the two end nodes and the type it identifies the edge.
    """
    if data.get("id") is not None:
        return str(data["id"])
    if data.get("order") is not None:
        return f"#{data['order']}"
    return ""


# --- query text: labels and relationship types only from the allow-lists ---------------
def query_label(label: str) -> str:
    """A node label for query text, only from :data:`~stakegraph.io.property_graph.LABELS`."""
    if label not in LABELS:
        raise StoreError(f"unknown node label {label!r}; stakegraph knows {', '.join(LABELS)}")
    return label


def query_edge_type(edge_type: str) -> str:
    """A relationship type for query text, only from
    :data:`~stakegraph.io.property_graph.EDGE_TYPES`."""
    if edge_type not in EDGE_TYPES:
        raise StoreError(f"unknown relationship type {edge_type!r}")
    return edge_type
