"""What the map's page carries inline: vis-network, the map's style and its script.

Kept apart from :mod:`stakegraph.views.map` (which builds the map's data) because
these are fixed texts, shared by the standalone map and the report page.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from stakegraph.errors import MapError
from stakegraph.views.labels import (
    FIGURE_NOTE,
    GAP_FALLBACK,
    LABEL_HALO,
    MAP_BORDER,
    MAP_RULE,
    NODE_BORDER,
    NOTE_FILL,
    NOTE_RULE,
    PAGE_FAINT,
    PAGE_LABEL_INK,
    PAPER,
)


@cache
def vis_assets() -> tuple[str, str]:
    """(JavaScript, CSS) of vis-network, read from the installed pyvis package."""
    try:
        lib = resources.files("pyvis") / "templates" / "lib"
        candidates = sorted(
            (d for d in lib.iterdir() if d.name.startswith("vis-") and d.is_dir()),
            key=lambda d: tuple(int(x) for x in re.findall(r"\d+", d.name)),
        )
        folder = candidates[-1]
        return (
            (folder / "vis-network.min.js").read_text(encoding="utf-8"),
            (folder / "vis-network.css").read_text(encoding="utf-8"),
        )
    except (ModuleNotFoundError, IndexError, FileNotFoundError, OSError) as exc:
        raise MapError(
            "the map needs vis-network, which ships inside the 'pyvis' package: "
            f"pip install pyvis ({exc})"
        ) from exc


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


MAP_CSS = f"""
.sg-map {{ border: 1px solid {MAP_BORDER}; border-radius: 6px; background: {PAPER}; margin: 0.6rem 0 1rem; }}
.sg-map-bar {{ display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center;
  padding: 0.45rem 0.7rem; border-bottom: 1px solid {MAP_RULE}; font-size: 0.85rem; }}
.sg-map-bar select {{ font: inherit; max-width: 26rem; }}
.sg-legend {{ display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; color: {FIGURE_NOTE}; }}
.sg-legend span {{ white-space: nowrap; }}
.sg-line {{ display: inline-block; width: 1.8em; height: 0; vertical-align: middle;
  border-top: 2px solid; margin-right: 0.3em; }}
.sg-swatch {{ display: inline-block; width: 0.9em; height: 0.9em; vertical-align: -0.1em;
  border-radius: 50%; margin-right: 0.3em; border: 1px solid {NODE_BORDER}; }}
.sg-map-body {{ display: flex; min-height: 0; }}
.sg-canvas {{ flex: 1 1 auto; height: 72vh; min-height: 420px; min-width: 0; }}
.sg-panel {{ flex: 0 0 19rem; border-left: 1px solid {MAP_RULE}; padding: 0.6rem 0.8rem;
  font-size: 0.85rem; overflow-y: auto; height: 72vh; min-height: 420px; box-sizing: border-box; }}
.sg-panel h3 {{ margin: 0 0 0.4rem; font-size: 1.05rem; }}
.sg-panel dl {{ margin: 0; }}
.sg-panel dt {{ color: {PAGE_LABEL_INK}; font-size: 0.78rem; margin-top: 0.35rem; }}
.sg-panel dd {{ margin: 0; overflow-wrap: anywhere; }}
.sg-panel .sg-hint {{ color: {PAGE_FAINT}; }}
.sg-panel ul {{ padding-left: 1.1rem; margin: 0.4rem 0; }}
.sg-panel li {{ margin: 0.25rem 0; }}
.sg-note {{ padding: 0.35rem 0.7rem; background: {NOTE_FILL}; border-bottom: 1px solid {NOTE_RULE};
  font-size: 0.85rem; }}
div.vis-tooltip {{ white-space: pre-line; font-family: inherit; max-width: 24rem; }}
@media (max-width: 900px) {{
  .sg-map-body {{ flex-direction: column; }}
  .sg-panel {{ flex: none; height: auto; border-left: 0; border-top: 1px solid {MAP_RULE}; }}
}}
@media print {{
  .sg-map-bar select, .sg-panel {{ display: none; }}
  .sg-canvas {{ height: 16cm; min-height: 0; }}
  .sg-map {{ break-inside: avoid; }}
}}
"""

_MAP_JS = r"""
(function () {
  "use strict";
  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) el.className = cls;
    return el;
  }
  function init(root) {
    var data = JSON.parse(root.querySelector("script.sg-map-data").textContent);
    var details = data.details;
    var select = root.querySelector("select");
    var filter = select ? select.value : "";
    var visible = function (id) {
      return !filter || (details[id] && details[id].groups.indexOf(filter) >= 0);
    };
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var nodeView = new vis.DataView(nodes, { filter: function (n) { return visible(n.id); } });
    var edgeView = new vis.DataView(edges, {
      filter: function (e) { return visible(e.from) && visible(e.to); }
    });
    var container = root.querySelector(".sg-canvas");
    var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, {
      autoResize: true,
      layout: { hierarchical: { enabled: true, direction: "UD", sortMethod: "directed",
        levelSeparation: 100, nodeSpacing: 130, treeSpacing: 150,
        blockShifting: true, edgeMinimization: true, parentCentralization: true } },
      physics: { enabled: false },
      interaction: { hover: true, tooltipDelay: 120, navigationButtons: false, keyboard: false,
        multiselect: false, zoomView: true, dragView: true },
      nodes: { font: { face: getComputedStyle(document.body).fontFamily, strokeWidth: 4,
        strokeColor: "@LABEL_HALO@" } },
      edges: { smooth: { enabled: true, type: "cubicBezier", forceDirection: "vertical",
        roundness: 0.4 }, arrows: { to: { scaleFactor: 0.6 } } }
    });
    var panel = root.querySelector(".sg-panel");
    var pinned = null;
    function show(id) {
      var d = details[id];
      if (!d) return;
      panel.replaceChildren(text("h3", d.name));
      var dl = document.createElement("dl");
      d.rows.forEach(function (row) { dl.append(text("dt", row[0]), text("dd", row[1])); });
      panel.append(dl);
      if (d.gaps.length) {
        panel.append(text("h4", "缺口 gaps"));
        var ul = document.createElement("ul");
        d.gaps.forEach(function (g) {
          var li = document.createElement("li");
          var tag = text("span", g.kind, "gap");
          tag.style.background = data.gapColours[g.kind] || "@TAG_FALLBACK@";
          li.append(tag, document.createTextNode(" " + g.reason));
          ul.append(li);
        });
        panel.append(ul);
      }
    }
    network.on("click", function (p) {
      pinned = p.nodes.length ? p.nodes[0] : null;
      if (pinned) show(pinned);
    });
    network.on("hoverNode", function (p) { show(p.node); });
    network.on("blurNode", function () { if (pinned) show(pinned); });
    if (select) {
      select.addEventListener("change", function () {
        filter = select.value;
        nodeView.refresh();
        edgeView.refresh();
        network.fit();
      });
    }
    network.once("afterDrawing", function () { root.setAttribute("data-drawn", "1"); });
    window.stakegraphMaps = window.stakegraphMaps || {};
    window.stakegraphMaps[root.id] = { network: network, nodes: nodeView, edges: edgeView };
  }
  document.querySelectorAll(".sg-map").forEach(init);
})();
"""

#: The map's script, with the two colours it sets itself taken from the labels.
MAP_JS = _MAP_JS.replace("@TAG_FALLBACK@", GAP_FALLBACK).replace("@LABEL_HALO@", LABEL_HALO)
