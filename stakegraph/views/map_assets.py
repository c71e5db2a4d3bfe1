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
from stakegraph.views.language import current_language
from stakegraph.views.styles import NARROW


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


#: The map on a phone held upright: the controls fold behind a button into a sheet
#: below the bar, the details rise over the map's foot only while a person is selected
#: (a tap on the map or on × lowers them), tap targets are 44 px, and the standalone
#: map fills the screen under a one-line title.
NARROW_MAP_CSS = f"""
@media screen and (max-width: {NARROW}) {{
  .sg-map {{ margin: 0.4rem -0.75rem 1rem; border-radius: 0; border-left: 0; border-right: 0; }}
  .sg-map-bar {{ position: relative; flex-wrap: nowrap; gap: 0.4rem; padding: 0.35rem 0.5rem;
    font-size: 0.875rem; }}
  .sg-map-bar button, .sg-search {{ min-height: 44px; min-width: 44px; font-size: 1rem; }}
  .sg-toggle {{ display: block; flex: none; padding: 0 0.6rem; }}
  .sg-search {{ flex: 1 1 auto; width: auto; min-width: 0; }}
  .sg-controls {{ display: none; position: absolute; top: 100%; left: 0; right: 0; z-index: 20;
    flex-direction: column; align-items: stretch; gap: 0.6rem; padding: 0.6rem 0.75rem;
    background: {PAPER}; border-bottom: 1px solid {MAP_BORDER};
    box-shadow: 0 6px 12px {MAP_BORDER}; max-height: 70vh; overflow-y: auto; }}
  .sg-map.sg-controls-open .sg-controls {{ display: flex; }}
  .sg-controls select {{ font-size: 1rem; min-height: 44px; width: 100%; max-width: none; }}
  .sg-legend {{ gap: 0.3rem 0.9rem; }}
  .sg-touch-hint {{ display: block; margin: 0; color: {PAGE_FAINT}; }}
  .sg-canvas {{ height: 70vh; height: 70svh; min-height: 320px; }}
  .sg-panel {{ display: none; position: absolute; left: 0; right: 0; bottom: 0; z-index: 10;
    height: auto; min-height: 0; max-height: 55%; border: 0; border-top: 1px solid {MAP_BORDER};
    box-shadow: 0 -6px 12px {MAP_BORDER}; background: {PAPER}; font-size: 0.9rem;
    padding: 0.5rem 0.9rem 0.8rem; }}
  .sg-map.sg-has-detail .sg-panel {{ display: block; }}
  .sg-panel dt {{ font-size: 0.8rem; }}
  .sg-close {{ display: block; float: right; position: sticky; top: 0; width: 44px; height: 44px;
    margin: -0.3rem -0.5rem 0 0.4rem; border: 0; background: {PAPER}; color: inherit;
    font-size: 1.6rem; line-height: 1; cursor: pointer; }}
  body.map-page main {{ display: flex; flex-direction: column; height: 100vh; height: 100svh;
    padding: 0; overflow: hidden; }}
  body.map-page header {{ flex: none; padding: 0.3rem 0.75rem 0; }}
  body.map-page header h1 {{ font-size: 1.05rem; margin: 0; white-space: nowrap; overflow: hidden;
    text-overflow: ellipsis; }}
  body.map-page header .meta {{ font-size: 0.875rem; margin: 0 0 0.2rem; }}
  body.map-page .sg-map {{ flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column;
    margin: 0; border-bottom: 0; }}
  body.map-page .sg-map-body {{ flex: 1 1 auto; min-height: 0; }}
  body.map-page .sg-canvas {{ flex: 1 1 auto; height: auto; min-height: 0; }}
}}
"""

MAP_CSS = f"""
.sg-map {{ border: 1px solid {MAP_BORDER}; border-radius: 6px; background: {PAPER}; margin: 0.6rem 0 1rem; }}
.sg-map-bar {{ display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center;
  padding: 0.45rem 0.7rem; border-bottom: 1px solid {MAP_RULE}; font-size: 0.85rem; }}
.sg-map-bar select {{ font: inherit; max-width: min(26rem, 100%); }}
.sg-map-bar button, .sg-search {{ font: inherit; min-height: 2rem; border: 1px solid {MAP_BORDER};
  border-radius: 4px; background: {PAPER}; color: inherit; }}
.sg-search {{ width: 12rem; padding: 0 0.4rem; }}
.sg-fit {{ min-width: 2rem; cursor: pointer; }}
.sg-toggle, .sg-close, .sg-touch-hint {{ display: none; }}
/* on a wide screen the menu and legend sit in the bar itself; a phone folds them */
.sg-controls {{ display: contents; }}
.sg-legend {{ display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; color: {FIGURE_NOTE}; }}
.sg-legend span {{ white-space: nowrap; }}
.sg-line {{ display: inline-block; width: 1.8em; height: 0; vertical-align: middle;
  border-top: 2px solid; margin-right: 0.3em; }}
.sg-swatch {{ display: inline-block; width: 0.9em; height: 0.9em; vertical-align: -0.1em;
  border-radius: 50%; margin-right: 0.3em; border: 1px solid {NODE_BORDER}; }}
.sg-map-body {{ display: flex; min-height: 0; position: relative; }}
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
{NARROW_MAP_CSS}@media print {{
  .sg-map-bar select, .sg-map-bar button, .sg-search, .sg-panel {{ display: none; }}
  .sg-canvas {{ height: 16cm; min-height: 0; }}
  .sg-map {{ break-inside: avoid; }}
}}
"""

_MAP_JS = r"""
(function () {
  "use strict";
  // below this width (CSS px) the map opens on a readable part rather than all of it
  var NARROW = 640;
  // the smallest label, in CSS px, drawn on a narrow screen; smaller ones are left out
  var SMALLEST_LABEL = 12;
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
    var container = root.querySelector(".sg-canvas");
    var narrow = container.clientWidth < NARROW;
    if (narrow) {
      // a tap shows the details below; a tooltip as well would only cover the map
      data.nodes.concat(data.edges).forEach(function (item) { delete item.title; });
    }
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var nodeView = new vis.DataView(nodes, { filter: function (n) { return visible(n.id); } });
    var edgeView = new vis.DataView(edges, {
      filter: function (e) { return visible(e.from) && visible(e.to); }
    });
    var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, {
      autoResize: true,
      layout: { hierarchical: { enabled: true, direction: "UD", sortMethod: "directed",
        levelSeparation: 100, nodeSpacing: 130, treeSpacing: 150,
        blockShifting: true, edgeMinimization: true, parentCentralization: true } },
      physics: { enabled: false },
      interaction: { hover: true, tooltipDelay: 120, navigationButtons: false, keyboard: false,
        multiselect: false, zoomView: true, dragView: true, dragNodes: !narrow },
      nodes: { font: { face: getComputedStyle(document.body).fontFamily, strokeWidth: 4,
        strokeColor: "@LABEL_HALO@" },
        scaling: { label: { drawThreshold: narrow ? SMALLEST_LABEL + 1 : 5 } } },
      edges: { smooth: { enabled: true, type: "cubicBezier", forceDirection: "vertical",
        roundness: 0.4 }, arrows: { to: { scaleFactor: 0.6 } } }
    });
    var panel = root.querySelector(".sg-panel");
    var detail = root.querySelector(".sg-detail");
    var pinned = null;
    function show(id) {
      var d = details[id];
      if (!d) return;
      detail.replaceChildren(text("h3", d.name));
      var dl = document.createElement("dl");
      d.rows.forEach(function (row) { dl.append(text("dt", row[0]), text("dd", row[1])); });
      detail.append(dl);
      if (d.gaps.length) {
        detail.append(text("h4", "缺口 gaps"));
        var ul = document.createElement("ul");
        d.gaps.forEach(function (g) {
          var li = document.createElement("li");
          var tag = text("span", g.kind, "gap");
          tag.style.background = data.gapColours[g.kind] || "@TAG_FALLBACK@";
          li.append(tag, document.createTextNode(" " + g.reason));
          ul.append(li);
        });
        detail.append(ul);
      }
    }
    function pin(id) {
      pinned = id;
      root.classList.toggle("sg-has-detail", !!id);
      if (id) {
        show(id);
        panel.scrollTop = 0;
      } else {
        network.unselectAll();
      }
    }
    function openControls(open) {
      root.classList.toggle("sg-controls-open", open);
      var toggle = root.querySelector(".sg-toggle");
      if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    // a click, or a tap on a touch screen (vis-network reads pointer events)
    network.on("click", function (p) {
      openControls(false);
      pin(p.nodes.length ? p.nodes[0] : null);
    });
    network.on("hoverNode", function (p) { show(p.node); });
    network.on("blurNode", function () { if (pinned) show(pinned); });
    root.querySelector(".sg-close").addEventListener("click", function () { pin(null); });
    root.querySelector(".sg-toggle").addEventListener("click", function () {
      openControls(!root.classList.contains("sg-controls-open"));
    });
    root.querySelector(".sg-fit").addEventListener("click", function () { network.fit(); });
    var search = root.querySelector(".sg-search");
    function find(query) {
      var q = query.trim().toLowerCase();
      if (!q) return null;
      var ids = Object.keys(details).filter(function (id) {
        return details[id].name.toLowerCase().indexOf(q) >= 0;
      });
      var exact = ids.filter(function (id) { return details[id].name.toLowerCase() === q; });
      return exact[0] || ids[0] || null;
    }
    search.addEventListener("change", function () {
      var id = find(search.value);
      if (!id) return;
      if (!nodeView.get(id) && select) {
        select.value = "";
        select.dispatchEvent(new Event("change"));
      }
      network.selectNodes([id]);
      network.focus(id, { scale: Math.max(network.getScale(), readableScale()) });
      openControls(false);
      pin(id);
    });
    function readableScale() {
      var smallest = Math.min.apply(null, nodes.map(function (n) {
        return (n.font && n.font.size) || 14;
      }));
      return SMALLEST_LABEL / smallest;
    }
    // On a narrow screen the whole map would shrink its names below legibility:
    // open instead at a readable size on the most senior official, top of the view.
    function openReadable() {
      var scale = readableScale();
      if (container.clientWidth >= NARROW || network.getScale() >= scale) return;
      var top = null;
      var positions = network.getPositions();
      nodeView.forEach(function (n) {
        var at = positions[n.id];
        if (at && (!top || at.y < top.y - 1 || (Math.abs(at.y - top.y) <= 1 && n.size > top.size)))
          top = { x: at.x, y: at.y, size: n.size || 0 };
      });
      if (!top) return;
      var down = (container.clientHeight / 2 - 40) / scale;
      network.moveTo({ position: { x: top.x, y: top.y + down }, scale: scale });
    }
    if (select) {
      select.addEventListener("change", function () {
        filter = select.value;
        nodeView.refresh();
        edgeView.refresh();
        network.fit();
        openReadable();
      });
    }
    network.once("afterDrawing", function () {
      openReadable();
      root.setAttribute("data-drawn", "1");
    });
    window.stakegraphMaps = window.stakegraphMaps || {};
    window.stakegraphMaps[root.id] = { network: network, nodes: nodeView, edges: edgeView };
  }
  document.querySelectorAll(".sg-map").forEach(init);
})();
"""

#: The map's script, with the two colours it sets itself taken from the labels.
MAP_JS = _MAP_JS.replace("@TAG_FALLBACK@", GAP_FALLBACK).replace("@LABEL_HALO@", LABEL_HALO)


def map_hint() -> str:
    """The line under the map saying how to read and move it."""
    if current_language() == "en":
        return (
            "Hover over, click or tap a person to see post, grade, influence, cover and "
            "gaps; scroll or pinch to zoom, drag to pan."
        )
    return "悬停、点击或轻点人员查看职位、级别、影响力、覆盖和缺口；滚动或双指缩放，拖动平移。"


def touch_hint() -> str:
    """The shorter hint for touch screens."""
    if current_language() == "en":
        return "Tap a person for details; pinch to zoom, drag to pan; ⤢ shows the whole map."
    return "轻点人员查看详情，双指缩放，拖动平移；⤢ 显示全图。"
