"""GraphML export and import of the workspace graph, for Gephi, Cytoscape and yEd.

:func:`write_graphml` writes the graph of :func:`~stakegraph.io.property_graph.build_graph` as
one UTF-8 GraphML file; :func:`read_graphml` turns such a file back into records.
For the full-history graph (no ``as_of``) the round trip is lossless:
``read_graphml(write_graphml(ws, path)) == ws``.

What the file holds
-------------------
Nodes keep their graph keys as XML ids (``Person:zhang-wei``); edges get ids
``e0``, ``e1``, ... so the parallel edges of the multigraph stay apart. Each node
carries

* ``label``: a human label (the name, a post's title with its organisation, the
  kind and date of an interaction). Gephi shows it as the node label.
* ``name``: the same human text on records without a name of their own (posts,
  interactions, surveys), so Cytoscape, which labels nodes by ``name``, shows it.
* ``kind``: the stakegraph label (``Organisation``, ``Post``, ``Person``, ...).
* ``record_id``: the record's id, and ``record_kind`` for the record's own ``kind``
  field (an organisation's ``bureau``, an interaction's ``visit``). Both are
  renamed because Gephi reserves ``id`` and ``kind`` names the stakegraph label.
* every other field of the record under its own name.

Edges carry ``type`` (``HOLDS``, ``TIE``, ...), ``label`` (the same text, for
Gephi's edge labels), ``record_id`` on ties and relationships, and their fields.

Values are written as GraphML types: booleans as ``boolean``, whole numbers as
``int``/``long``, other numbers as ``double``, dates as ISO text (``2026-03-02``),
enums by their values (``bureau``). Lists and mappings are JSON text
(``["省大数据局"]``); their keys have ids ending in ``.json`` so the reader knows
to decode them. ``None`` values are left out. The graph itself carries the
workspace ``name``, the ``as_of`` day of an as-of export and ``settings`` (the
text of ``stakegraph.toml``, when the workspace has one).

yEd
---
yEd reads the attributes (Edit > Properties Mapper can map ``label`` to the node
label) but shows no labels by itself. With ``yed=True`` each node and edge also gets
yEd's own graphics (``y:ShapeNode`` with a ``y:NodeLabel``, ``y:PolyLineEdge`` with
a ``y:EdgeLabel``), so yEd shows the labels on opening (use Layout to place the
nodes). Those graphics keys have no ``attr.name``, which some readers warn about,
so they are off by default.

An as-of export (``as_of`` given) keeps only the tenures active that day and adds
``holders`` and ``vacant`` to posts; reading it back gives a workspace with those
tenures only.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import ValidationError

from stakegraph.errors import StakegraphError, WorkspaceInvalid
from stakegraph.io.atomic import write_file_atomically
from stakegraph.io.property_graph import build_graph, graph_to_workspace
from stakegraph.records.workspace import Workspace

NS = "http://graphml.graphdrawing.org/xmlns"
NS_Y = "http://www.yworks.com/xml/graphml"
SCHEMA = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"

#: Graph labels whose records have no ``name`` field: the ``name`` written for
#: Cytoscape is dropped again on reading.
_UNNAMED = ("Post", "Interaction", "Survey", "Assessment", "Action", "Reform")
#: Node fill colours for the yEd graphics, by stakegraph label.
_COLOURS = {
    "Organisation": "#C6DBEF",
    "Post": "#FDD0A2",
    "Person": "#C7E9C0",
    "Owner": "#DADAEB",
    "Opportunity": "#FCBBA1",
    "Step": "#FFF7BC",
    "Interaction": "#D9D9D9",
    "Survey": "#F0F0F0",
    "Assessment": "#E5F5E0",
    "Action": "#FEE6CE",
    "Reform": "#BCBDDC",
}
# Characters XML 1.0 cannot hold at all, even escaped.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_INT32 = (-(2**31), 2**31 - 1)


# --- writing -----------------------------------------------------------------------------
def write_graphml(
    workspace: Workspace, path: Path | str, as_of: dt.date | None = None, yed: bool = False
) -> Path:
    """Write the graph of a workspace as a GraphML file (UTF-8); all or nothing.

    Parameters
    ----------
    workspace : Workspace
        A validated workspace.
    path : path
        The file to write (replaced when it exists, only once fully written).
    as_of : date, optional
        Keep only the tenures active that day (see :func:`~stakegraph.io.property_graph.build_graph`).
        Without it the file keeps the whole history and reads back losslessly.
    yed : bool
        Also write yEd's node and edge graphics so yEd shows the labels.

    Returns
    -------
    Path
        The written file.
    """
    G = build_graph(workspace, as_of=as_of)
    data = graph_to_graphml_bytes(G, yed=yed)
    # never leave a file the readers reject: parse it before it replaces anything
    try:
        ET.fromstring(data)
    except ET.ParseError as exc:  # pragma: no cover - guarded by the writer itself
        raise StakegraphError(
            f"internal error: the GraphML written is not well-formed: {exc}"
        ) from None
    return write_file_atomically(Path(path), data)


def graph_to_graphml_bytes(G: nx.MultiDiGraph, yed: bool = False) -> bytes:
    """The GraphML document of a graph made by :func:`~stakegraph.io.property_graph.build_graph`."""
    nodes = [(key, _node_attributes(G, key, data)) for key, data in G.nodes(data=True)]
    edges = [(u, v, _edge_attributes(data)) for u, v, data in G.edges(data=True)]
    graph_attrs = {
        "name": G.graph.get("name"),
        "as_of": G.graph.get("as_of"),
        "settings": G.graph.get("settings_text"),
    }
    keys = {
        "graph": _keys("g", [graph_attrs]),
        "node": _keys("n", [a for _, a in nodes]),
        "edge": _keys("e", [a for _, _, a in edges]),
    }
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>']
    ns_y = f' xmlns:y="{NS_Y}"' if yed else ""
    out.append(
        f'<graphml xmlns="{NS}"{ns_y} '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{NS} {SCHEMA}">'
    )
    for domain in ("graph", "node", "edge"):
        for name, (key_id, gtype, _) in keys[domain].items():
            out.append(
                f'  <key id="{_attr(key_id)}" for="{domain}" attr.name="{_attr(name)}" '
                f'attr.type="{gtype}"/>'
            )
    if yed:
        out.append('  <key id="y.node" for="node" yfiles.type="nodegraphics"/>')
        out.append('  <key id="y.edge" for="edge" yfiles.type="edgegraphics"/>')
    out.append('  <graph id="G" edgedefault="directed">')
    out.extend(_data_lines(graph_attrs, keys["graph"], "    "))
    for index, (key, attrs) in enumerate(nodes):
        out.append(f'    <node id="{_attr(key)}">')
        out.extend(_data_lines(attrs, keys["node"], "      "))
        if yed:
            out.append(_yed_node(attrs, index))
        out.append("    </node>")
    for index, (u, v, attrs) in enumerate(edges):
        out.append(f'    <edge id="e{index}" source="{_attr(u)}" target="{_attr(v)}">')
        out.extend(_data_lines(attrs, keys["edge"], "      "))
        if yed:
            out.append(_yed_edge(attrs))
        out.append("    </edge>")
    out.append("  </graph>")
    out.append("</graphml>")
    return ("\n".join(out) + "\n").encode("utf-8")


def human_label(G: nx.MultiDiGraph, key: str) -> str:
    """The text a viewer should show for a node: a name, a title, a kind and date."""
    data = G.nodes[key]
    label = data["label"]
    if label == "Post":
        orgs = [v for _, v, d in G.out_edges(key, data=True) if d["type"] == "IN"]
        org_name = G.nodes[orgs[0]].get("name") if orgs else None
        return f"{data['title']} · {org_name}" if org_name else str(data["title"])
    if label == "Interaction":
        return f"{_plain(data['kind'])} {data['date'].isoformat()}"
    if label == "Survey":
        who = data.get("person") or data.get("org") or data["id"]
        return f"survey {who} {data['date'].isoformat()}"
    if label == "Assessment":
        return f"assessment {data['date'].isoformat()}"
    if label == "Action":
        return str(data["action"])
    if label == "Reform":
        return f"{_plain(data['kind'])} {data['day'].isoformat()}"
    return str(data.get("name") or data["id"])


def _node_attributes(G: nx.MultiDiGraph, key: str, data: dict[str, Any]) -> dict[str, Any]:
    label = data["label"]
    text = human_label(G, key)
    attrs: dict[str, Any] = {"label": text, "kind": label}
    if label in _UNNAMED:
        attrs["name"] = text
    for field, value in data.items():
        if field == "label":
            continue
        attrs[_OUT_NAMES.get(field, field)] = value
    return attrs


def _edge_attributes(data: dict[str, Any]) -> dict[str, Any]:
    attrs: dict[str, Any] = {"type": data["type"], "label": data["type"]}
    for field, value in data.items():
        if field != "type":
            attrs[_EDGE_OUT_NAMES.get(field, field)] = value
    return attrs


_OUT_NAMES = {"id": "record_id", "kind": "record_kind"}
_EDGE_OUT_NAMES = {"id": "record_id"}


def _plain(value: Any) -> Any:
    """Enums to their values, dates to ISO text, recursively through lists and dicts."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _keys(prefix: str, items: Iterable[dict[str, Any]]) -> dict[str, tuple[str, str, bool]]:
    """Attribute name → (key id, GraphML type, JSON-encoded) for one domain."""
    seen: dict[str, list[Any]] = {}
    for attrs in items:
        for name, value in attrs.items():
            if value is not None:
                seen.setdefault(name, []).append(_plain(value))
    keys = {}
    for name, values in seen.items():
        gtype, as_json = _graphml_type(values)
        key_id = f"{prefix}.{name}" + (".json" if as_json else "")
        keys[name] = (key_id, gtype, as_json)
    return keys


def _graphml_type(values: list[Any]) -> tuple[str, bool]:
    if all(isinstance(v, bool) for v in values):
        return "boolean", False
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        small = all(_INT32[0] <= v <= _INT32[1] for v in values)
        return ("int" if small else "long"), False
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "double", False
    if all(isinstance(v, str) for v in values):
        return "string", False
    return "string", True


def _data_lines(
    attrs: dict[str, Any], keys: dict[str, tuple[str, str, bool]], indent: str
) -> list[str]:
    lines = []
    for name, value in attrs.items():
        if value is None:
            continue
        key_id, gtype, as_json = keys[name]
        text = _encode(_plain(value), gtype, as_json)
        lines.append(f'{indent}<data key="{_attr(key_id)}">{_text(text)}</data>')
    return lines


def _encode(value: Any, gtype: str, as_json: bool) -> str:
    if as_json:
        return json.dumps(value, ensure_ascii=False, sort_keys=False)
    if gtype == "boolean":
        return "true" if value else "false"
    if gtype == "double":
        value = float(value)
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        return repr(value)
    return str(value)


def _check_text(value: str) -> str:
    bad = _ILLEGAL_XML.search(value)
    if bad:
        raise StakegraphError(
            f"the text {value[:40]!r} holds the control character "
            f"U+{ord(bad.group()):04X}, which GraphML (XML) cannot store; remove it."
        )
    return value


def _text(value: str) -> str:
    # \r would be normalised away by XML parsers: keep it as a character reference
    return (
        _check_text(value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _yed_node(attrs: dict[str, Any], index: int) -> str:
    label = str(attrs["label"])
    width = max(60.0, 7.0 * sum(2 if ord(c) > 0x2E7F else 1 for c in label) + 16)
    colour = _COLOURS.get(attrs["kind"], "#FFFFFF")
    x, y = (index % 10) * 220.0, (index // 10) * 80.0
    return (
        f'      <data key="y.node"><y:ShapeNode>'
        f'<y:Geometry height="40.0" width="{width:.1f}" x="{x:.1f}" y="{y:.1f}"/>'
        f'<y:Fill color="{colour}" transparent="false"/>'
        f"<y:NodeLabel>{_text(label)}</y:NodeLabel>"
        f'<y:Shape type="roundrectangle"/>'
        f"</y:ShapeNode></data>"
    )


def _yed_edge(attrs: dict[str, Any]) -> str:
    return (
        f'      <data key="y.edge"><y:PolyLineEdge>'
        f'<y:Arrows source="none" target="standard"/>'
        f"<y:EdgeLabel>{_text(str(attrs['type']))}</y:EdgeLabel>"
        f"</y:PolyLineEdge></data>"
    )


# --- reading -----------------------------------------------------------------------------
def read_graphml(path: Path | str) -> Workspace:
    """Read a GraphML file written by :func:`write_graphml` back into a workspace.

    Raises :class:`~stakegraph.errors.StakegraphError` when the file is not
    well-formed XML or not a stakegraph graph, and
    :class:`~stakegraph.errors.WorkspaceInvalid` when its records do not validate.
    """
    from stakegraph.io import load_settings_text

    path = Path(path)
    G = read_graphml_graph(path)
    settings = load_settings_text(G.graph.get("settings_text"), path)
    try:
        workspace = graph_to_workspace(G, settings)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise StakegraphError(
            f"{path}: a {exc.title} record does not validate ({where}: {first['msg']})."
        ) from None
    except (KeyError, IndexError) as exc:
        raise StakegraphError(
            f"{path}: not a graph written by stakegraph (missing {exc}); "
            "read it with networkx.read_graphml instead."
        ) from None
    workspace.name = G.graph.get("name") or path.stem
    workspace.settings_text = G.graph.get("settings_text")
    from stakegraph.records.validate import check_workspace

    problems = check_workspace(workspace)
    if problems:
        raise WorkspaceInvalid(problems)
    return workspace


def read_graphml_graph(path: Path | str) -> nx.MultiDiGraph:
    """The graph of a stakegraph GraphML file, with the attributes of ``build_graph``."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise StakegraphError(f"{path}: not well-formed XML: {exc}.") from None
    except OSError as exc:
        raise StakegraphError(f"{path}: cannot be read: {exc.strerror or exc}.") from None
    if root.tag != f"{{{NS}}}graphml":
        raise StakegraphError(f"{path}: not a GraphML file (root element {root.tag!r}).")
    keys: dict[str, tuple[str, str, bool]] = {}
    for key in root.findall(f"{{{NS}}}key"):
        name = key.get("attr.name")
        if name is None:  # yEd graphics and other extensions
            continue
        key_id = key.get("id", "")
        keys[key_id] = (name, key.get("attr.type", "string"), key_id.endswith(".json"))
    graph = root.find(f"{{{NS}}}graph")
    if graph is None:
        raise StakegraphError(f"{path}: holds no <graph> element.")
    # node ids come from XML attributes, which may be missing (None) in a foreign file
    G: nx.MultiDiGraph[str | None] = nx.MultiDiGraph()
    meta = _decode_data(graph, keys)
    G.graph["name"] = meta.get("name")
    G.graph["settings_text"] = meta.get("settings")
    if meta.get("as_of"):
        G.graph["as_of"] = dt.date.fromisoformat(meta["as_of"])
    for node in graph.findall(f"{{{NS}}}node"):
        data = _decode_data(node, keys)
        label = data.pop("kind", None)
        if label is None:
            raise StakegraphError(
                f"{path}: node {node.get('id')!r} has no 'kind'; only files written by "
                "stakegraph can be read back into a workspace."
            )
        data.pop("label", None)
        if label in _UNNAMED:
            data.pop("name", None)
        attrs = {"label": label}
        for name, value in data.items():
            attrs[_IN_NAMES.get(name, name)] = value
        G.add_node(node.get("id"), **attrs)
    for edge in graph.findall(f"{{{NS}}}edge"):
        data = _decode_data(edge, keys)
        data.pop("label", None)
        attrs = {("id" if k == "record_id" else k): v for k, v in data.items()}
        if attrs.get("type") == "HOLDS":
            attrs.setdefault("start", None)
            attrs.setdefault("end", None)
        # the edge ids of the file are the keys; the networkx stubs allow only int keys
        edge_id: Any = edge.get("id")
        G.add_edge(edge.get("source"), edge.get("target"), key=edge_id, **attrs)
    return G


_IN_NAMES = {"record_id": "id", "record_kind": "kind"}


def _decode_data(element: ET.Element, keys: dict[str, tuple[str, str, bool]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for data in element.findall(f"{{{NS}}}data"):
        key = keys.get(data.get("key", ""))
        if key is None:
            continue
        name, gtype, as_json = key
        out[name] = _decode(data.text or "", gtype, as_json)
    return out


def _decode(text: str, gtype: str, as_json: bool) -> Any:
    if as_json:
        return json.loads(text)
    if gtype == "boolean":
        return text.strip().lower() == "true"
    if gtype in ("int", "long"):
        return int(text)
    if gtype in ("double", "float"):
        return float(text)
    return text


__all__ = ["graph_to_graphml_bytes", "read_graphml", "read_graphml_graph", "write_graphml"]
