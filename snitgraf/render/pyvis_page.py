"""The one module that touches pyvis: a `Diagram` in, a self-contained offline HTML page out.

pyvis 0.3.2 has traps, each handled here and nowhere else:
- only `cdn_resources="in_line"` embeds vis-network, and every mode still links bootstrap from a
  CDN: we render in_line, drop every remote `<link>`/`<script>`, and neutralise the URLs inside
  the inlined vis-network (its licence comment and three string constants), so the page holds no
  `http(s)` reference at all and works offline;
- `show()` fails outside Jupyter and `write_html` uses the platform encoding: we render the
  template ourselves and write UTF-8 atomically (`snitgraf.io.atomic`);
- `from_nx` is quadratic and mutates its input: the node and edge lists are filled directly;
- a node's `color` is dropped when it has a `group`: no `group` key ever reaches pyvis;
- dates (and other non-JSON values) break its JSON: one encoder turns them into text;
- when any tooltip contains `href`, its template sets tooltips with `innerHTML`: we render with
  that mode off, so vis-network shows every tooltip as plain text. All portfolio text reaches the
  page only as JSON inside `<script>` (with `<`, `>`, `&` escaped) and is put into the DOM with
  `textContent`, never as markup.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader
from pyvis.network import Network

from snitgraf.i18n import _, language
from snitgraf.io.atomic import write_text_atomic
from snitgraf.render.diagrams import SUPPLIER_GROUP_COLOUR, Diagram, LayoutMode, View
from snitgraf.values import show_controls

if TYPE_CHECKING:
    from snitgraf.assessment import Assessment

VIS_JS = "lib/vis-9.1.2/vis-network.min.js"
"""The vis-network build pyvis inlines (its template includes this path)."""

_URL = re.compile(r"(?i)\b(h)(ttps?:)")
_REMOTE_TAG = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>"
    r"|<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>",
    re.IGNORECASE,
)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")
_COMMENTED_TAGS = re.compile(r"<!--\s*<(?:link|script)\b.*?-->", re.DOTALL)
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=\S*$", re.MULTILINE)
_ANY_URL = re.compile(r"(?i)\bhttps?:")


def _default(value: Any) -> Any:
    """JSON for what json cannot encode: dates and anything else as their text."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def _no_scheme(text: str) -> str:
    """Write 'http:' as '\\u0068ttp:' so no URL scheme appears in the file (JSON/JS strings only):
    a name holding a URL stays text, and the offline guard below holds."""
    if "http" not in text.lower():  # the common case, without a regex over a big text
        return text
    return _URL.sub(lambda m: f"\\u{ord(m.group(1)):04x}{m.group(2)}", text)


def to_json(value: Any) -> str:
    """JSON safe to put inside `<script>`: no `<`, `>`, `&`, line separators or URL schemes."""
    text = json.dumps(value, ensure_ascii=False, default=_default, separators=(",", ":"))
    text = (
        show_controls(text)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return _no_scheme(text)


@cache
def _offline_vis_js(template_dir: str) -> str:
    """vis-network's JS without URL schemes: the licence comment keeps its text, the three
    string constants (SVG namespace, two messages) are written with a JS unicode escape."""
    source = (Path(template_dir) / VIS_JS).read_text(encoding="utf-8")
    end = source.find("*/")
    header, body = source[: end + 2], source[end + 2 :]
    header = re.sub(r"(?i)https?://", "", header)
    return header + _no_scheme(_SOURCE_MAP.sub("", body))


@cache
def _environment(template_dir: str) -> Environment:
    """pyvis's template environment, with the offline vis-network and our JSON encoder: one
    for the run, so its template (vis-network inlined, 1 MB) is compiled once, not per page."""
    env = Environment(
        loader=ChoiceLoader(
            [
                DictLoader({VIS_JS: _offline_vis_js(template_dir)}),
                FileSystemLoader(template_dir),
            ]
        ),
        autoescape=False,
    )
    env.policies["json.dumps_function"] = lambda value, **_: to_json(value)
    env.policies["json.dumps_kwargs"] = {}
    return env


def _vis_node(node: dict[str, Any]) -> dict[str, Any]:
    """A node as pyvis takes it: never a `group` key (it would drop the node's colour)."""
    if "group" in node:
        node = {("snitgraf_group" if k == "group" else k): v for k, v in node.items()}
    return node


def vis_options(diagram: Diagram) -> dict[str, Any]:
    """vis-network options: fixed layout (positions from Python), physics off, text tooltips."""
    big = len(diagram.edges) > 3000
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {
            "hover": not big,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "multiselect": True,
            "navigationButtons": False,
        },
        "nodes": {
            "font": {
                "size": 17,
                "face": "DejaVu Sans, Arial, sans-serif",
                "strokeWidth": 4,
                "strokeColor": "#ffffff",
                # a box behind every label: node labels are drawn after the edges, so no
                # edge runs over a label and the box keeps crossing edges from its text
                "background": "rgba(255,255,255,0.82)",
            },
            "borderWidth": 2,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "smooth": False,
            "selectionWidth": 2,
            "hoverWidth": 1.5,
        },
    }


def page_html(diagram: Diagram) -> str:
    """The diagram as one self-contained HTML page (vis-network inlined, no http(s) anywhere)."""
    network = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    # Filled directly: from_nx is quadratic and mutates its input.
    network.nodes = [_vis_node(n) for n in diagram.vis_nodes()]
    network.edges = diagram.vis_edges()
    network.node_ids = [n["id"] for n in network.nodes]
    network.options = vis_options(diagram)
    template = _environment(network.template_dir).get_template(network.path)
    html = template.render(
        height="100%",
        width="100%",
        nodes=network.nodes,
        edges=network.edges,
        heading="",
        options=to_json(network.options),
        physics_enabled=False,
        use_DOT=False,
        dot_lang="",
        widget=False,
        bgcolor="#ffffff",
        conf=False,
        tooltip_link=False,  # pyvis would set tooltips as HTML: never
        neighborhood_highlight=False,
        select_menu=False,
        filter_menu=False,
        notebook=False,
        cdn_resources="in_line",
    )
    html = _REMOTE_TAG.sub("", html)
    html = _EMPTY_HEADING.sub("", html)
    html = _COMMENTED_TAGS.sub("", html)
    html = html.replace("<html>", f'<!DOCTYPE html>\n<html lang="{language()}">', 1)
    head = (
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_escape(diagram.title)}</title>\n<style>{PAGE_CSS}</style>\n</head>"
    )
    html = html.replace("</head>", head, 1)
    config = {**diagram.config(), "supplierGroupColour": SUPPLIER_GROUP_COLOUR}
    body = (
        f'<script id="sg-config" type="application/json">{to_json(config)}</script>\n{page_body()}'
    )
    html = html.replace("<body>", "<body>\n" + body, 1)
    index = html.rfind("</body>")
    html = html[:index] + f"<script>{PAGE_JS}</script>\n" + html[index:]
    # A guard, not a feature: the page must work offline.
    if "http" in html.lower() and _ANY_URL.search(html):
        raise RuntimeError("internal error: the diagram page would reference the network")
    return html


def _escape(text: str) -> str:
    """HTML text: markup escaped, bidi controls shown, 'http:' written '&#104;ttp:'."""
    text = show_controls(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _URL.sub(lambda m: f"&#{ord(m.group(1))};{m.group(2)}", text)


def write_page(diagram: Diagram, path: str | Path) -> Path:
    """Write the diagram's page to `path` as UTF-8, whole or not at all."""
    return write_text_atomic(path, page_html(diagram), encoding="utf-8")


PAGE_CSS = """
html, body { margin: 0; padding: 0; height: 100%; overflow: hidden;
  font-family: "DejaVu Sans", Arial, sans-serif; font-size: 13px; color: #1c2833; }
#sg-header { position: fixed; top: 0; left: 0; right: 0; height: 54px; padding: 6px 14px;
  box-sizing: border-box; border-bottom: 1px solid #d5d8dc; background: #f8f9f9; }
#sg-title { font-size: 18px; font-weight: bold; margin: 0; }
#sg-subtitle { color: #566573; margin-top: 3px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.card { position: fixed !important; top: 54px; left: 0; right: 310px; bottom: 0;
  width: auto !important; z-index: 1; }
#mynetwork { position: absolute !important; top: 0; left: 0; right: 0; bottom: 0;
  width: auto !important; height: auto !important; border: none !important;
  float: none !important; }
#sg-panel { position: fixed; top: 54px; right: 0; bottom: 0; width: 310px; overflow-y: auto;
  box-sizing: border-box; padding: 8px 12px; border-left: 1px solid #d5d8dc;
  background: #fdfefe; z-index: 2; }
#sg-panel h2 { font-size: 13px; margin: 10px 0 4px; text-transform: uppercase;
  letter-spacing: 0.04em; color: #566573; }
#sg-panel label { display: block; margin: 1px 0; cursor: pointer; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
#sg-search { width: 100%; box-sizing: border-box; padding: 4px 6px; font-size: 13px; }
#sg-results { margin: 4px 0 0; padding: 0; list-style: none; max-height: 140px;
  overflow-y: auto; }
#sg-results li { padding: 2px 4px; cursor: pointer; border-radius: 3px; }
#sg-results li:hover { background: #eaf2f8; }
#sg-supplier { width: 100%; }
#sg-note { margin: 8px 0; padding: 6px 8px; background: #fef9e7; border: 1px solid #f7dc6f;
  border-radius: 4px; }
#sg-note:empty { display: none; }
.sg-legend-item { display: flex; align-items: center; gap: 8px; margin: 3px 0; }
.sg-swatch { flex: none; width: 26px; height: 16px; position: relative; }
.sg-swatch.dot::after, .sg-swatch.square::after, .sg-swatch.diamond::after {
  content: ""; position: absolute; left: 6px; top: 1px; width: 13px; height: 13px;
  background: var(--c); border: 1px solid rgba(0,0,0,0.35); box-sizing: border-box; }
.sg-swatch.dot::after { border-radius: 50%; }
.sg-swatch.diamond::after { transform: rotate(45deg) scale(0.85); }
.sg-swatch.triangle::after { content: ""; position: absolute; left: 5px; top: 1px; width: 0;
  height: 0; border-left: 8px solid transparent; border-right: 8px solid transparent;
  border-bottom: 14px solid var(--c); }
.sg-swatch.line::after, .sg-swatch.dashed::after { content: ""; position: absolute; left: 0;
  right: 0; top: 7px; border-top: 3px solid var(--c); }
.sg-swatch.dashed::after { border-top-style: dashed; }
.vis-tooltip { white-space: pre-wrap !important; max-width: 520px; font-size: 12px !important;
  font-family: "DejaVu Sans", Arial, sans-serif !important; line-height: 1.35;
  padding: 6px 8px !important; background: #fdfefe !important; color: #1c2833 !important;
  border: 1px solid #85929e !important; box-shadow: 2px 2px 6px rgba(0,0,0,0.2); }
button.sg-small { font-size: 12px; padding: 2px 8px; margin-top: 4px; }
#sg-header { padding-right: 250px; }
#sg-export { position: absolute; top: 12px; right: 14px; display: flex; gap: 6px; }
#sg-export button { margin: 0; padding: 4px 10px; }
#sg-municipality { width: 100%; }
.sg-hint { color: #566573; font-size: 11px; margin: 2px 0 4px; }
.sg-swatch.hexagon::after { content: ""; position: absolute; left: 5px; top: 0; width: 16px;
  height: 16px; background: var(--c);
  clip-path: polygon(25% 5%, 75% 5%, 100% 50%, 75% 95%, 25% 95%, 0 50%); }
.sg-swatch.line-thin::after { content: ""; position: absolute; left: 0; right: 0; top: 8px;
  border-top: 1px solid var(--c); }
@media print { #sg-export, #sg-panel { display: none; } .card { right: 0; } }
"""


def page_body() -> str:
    """The page's header and side panel, in the active language (filled by the script)."""
    t = {
        key: _escape(text)
        for key, text in {
            "search": _("Search"),
            "placeholder": _("System or interface: id or name"),
            "legend": _("Legend"),
            "grouping": _("Grouping"),
            "group": _("Group local systems by supplier"),
            "layout": _("Layout"),
            "force": _("Free: systems that work together close"),
            "lanes": _("Lanes by domain"),
            "edge_ids": _("Show interface ids on edges"),
            "fit": _("Fit to window"),
            "export": _("Export for slides"),
            "png": _("Download PNG"),
            "svg": _("Download SVG"),
            "png_title": _("The diagram as you see it, as a PNG image"),
            "svg_title": _("The visible systems and edges as an SVG drawing (scalable)"),
        }.items()
    }
    return f"""<div id="sg-header"><h1 id="sg-title"></h1><div id="sg-subtitle"></div>
  <div id="sg-export"><button class="sg-small" id="sg-png" type="button"
    title="{t["png_title"]}">{t["png"]}</button>
  <button class="sg-small" id="sg-svg" type="button"
    title="{t["svg_title"]}">{t["svg"]}</button></div></div>
<div id="sg-panel">
  <div id="sg-note"></div>
  <h2>{t["search"]}</h2>
  <input id="sg-search" type="search" placeholder="{t["placeholder"]}" autocomplete="off">
  <ul id="sg-results"></ul>
  <h2>{t["legend"]}</h2>
  <div id="sg-legend"></div>
  <div id="sg-filters"></div>
  <h2>{t["layout"]}</h2>
  <label><input type="radio" name="sg-layout" id="sg-layout-force" value="force">
    {t["force"]}</label>
  <label><input type="radio" name="sg-layout" id="sg-layout-lanes" value="lanes">
    {t["lanes"]}</label>
  <label><input type="checkbox" id="sg-edge-ids"> {t["edge_ids"]}</label>
  <h2>{t["grouping"]}</h2>
  <label><input type="checkbox" id="sg-group-suppliers"> {t["group"]}</label>
  <button class="sg-small" id="sg-fit" type="button">{t["fit"]}</button>
</div>
"""


PAGE_JS = r"""
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("sg-config").textContent);
  var texts = config.texts || {};
  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  document.getElementById("sg-title").textContent = config.title;
  document.getElementById("sg-subtitle").textContent = config.subtitle;
  document.getElementById("sg-note").textContent = config.note || "";

  // Legend: one block per section, each item a swatch and its text.
  var legend = document.getElementById("sg-legend");
  config.legend.forEach(function (section) {
    legend.appendChild(el("div", section.title, "sg-legend-title"));
    section.items.forEach(function (item) {
      var row = el("div", null, "sg-legend-item");
      row.dataset.key = item.key;
      var swatch = el("span", null, "sg-swatch " + item.swatch);
      swatch.style.setProperty("--c", item.color);
      row.appendChild(swatch);
      row.appendChild(el("span", item.label));
      legend.appendChild(row);
    });
  });

  // Filters: checkbox facets (edges by category/status, nodes by kind) and a supplier choice.
  var filters = document.getElementById("sg-filters");
  var state = { supplier: "" };
  config.facets.forEach(function (facet) {
    filters.appendChild(el("h2", facet.title));
    state[facet.attribute] = {};
    facet.options.forEach(function (option) {
      var label = el("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.facet = facet.attribute;
      box.value = option.value;
      state[facet.attribute][option.value] = true;
      box.addEventListener("change", function () {
        state[facet.attribute][option.value] = box.checked;
        applyFilters();
      });
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + option.label + " (" + option.count + ")"));
      filters.appendChild(label);
    });
  });
  if (config.municipalities && config.municipalities.length) {
    filters.appendChild(el("h2", texts.municipality));
    var municipalitySelect = el("select");
    municipalitySelect.id = "sg-municipality";
    municipalitySelect.appendChild(new Option(texts.allMunicipalities, ""));
    config.municipalities.forEach(function (m) {
      municipalitySelect.appendChild(
        new Option(m.code + " " + m.name + " (" + m.count + ")", m.code));
    });
    municipalitySelect.addEventListener("change", function () {
      state.municipality = municipalitySelect.value;
      applyFilters();
    });
    filters.appendChild(municipalitySelect);
    filters.appendChild(el("div", texts.municipalityHint, "sg-hint"));
  }
  filters.appendChild(el("h2", texts.supplier));
  var supplierSelect = el("select");
  supplierSelect.id = "sg-supplier";
  supplierSelect.appendChild(new Option(texts.allSuppliers, ""));
  config.suppliers.forEach(function (s) {
    supplierSelect.appendChild(new Option(s.name + " (" + s.count + ")", s.id));
  });
  supplierSelect.addEventListener("change", function () {
    state.supplier = supplierSelect.value;
    applyFilters();
  });
  filters.appendChild(supplierSelect);

  function nodeVisible(n) {
    var kinds = state.kind || {};
    if (n.kind in kinds && !kinds[n.kind]) { return false; }
    if (state.supplier && (n.suppliers || []).indexOf(state.supplier) < 0) { return false; }
    // a municipality shows the systems it runs; systems nobody deploys (shared) stay
    if (state.municipality && n.municipalities &&
        n.municipalities.indexOf(state.municipality) < 0) { return false; }
    return true;
  }
  function applyFilters() {
    var shown = {};
    var nodeUpdates = [];
    nodes.forEach(function (n) {
      var visible = nodeVisible(n);
      shown[n.id] = visible;
      if (!!n.hidden === visible) { nodeUpdates.push({ id: n.id, hidden: !visible }); }
    });
    var edgeUpdates = [];
    edges.forEach(function (e) {
      var visible = shown[e.from] && shown[e.to];
      config.edgeFacets.forEach(function (attribute) {
        var ticked = state[attribute];
        if (e.values && e.values[attribute]) {  // a bundle: hidden when none of its is ticked
          if (!e.values[attribute].some(function (v) { return !(v in ticked) || ticked[v]; })) {
            visible = false;
          }
        } else if (e[attribute] in ticked && !ticked[e[attribute]]) {
          visible = false;
        }
      });
      if (!!e.hidden === visible) { edgeUpdates.push({ id: e.id, hidden: !visible }); }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
  }

  // Search by id or name: systems (nodes) and interfaces (edges).
  var search = document.getElementById("sg-search");
  var results = document.getElementById("sg-results");
  function focusOn(item) {
    if (item.isEdge) {
      var e = edges.get(item.id);
      network.setSelection({ nodes: [e.from, e.to], edges: [item.id] },
        { highlightEdges: false });
      network.fit({ nodes: [e.from, e.to], animation: false });
    } else {
      network.selectNodes([item.id]);
      network.focus(item.id, { scale: 1.2, animation: false });
    }
  }
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    results.textContent = "";
    if (q.length < 1) { return; }
    var found = [];
    nodes.forEach(function (n) {
      if (found.length < 50 && (n.search || "").indexOf(q) >= 0) {
        found.push({ id: n.id, text: n.searchLabel, isEdge: false });
      }
    });
    edges.forEach(function (e) {
      if (found.length < 50 && (e.search || "").indexOf(q) >= 0) {
        found.push({ id: e.id, text: e.searchLabel, isEdge: true });
      }
    });
    found.forEach(function (item) {
      var li = el("li", item.text);
      li.addEventListener("click", function () { focusOn(item); });
      results.appendChild(li);
    });
    if (found.length === 1) { focusOn(found[0]); }
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && results.firstChild) { results.firstChild.click(); }
  });

  // Suppliers as a grouping the user can switch on: vis-network clusters, one per supplier.
  // Monopoly and KOMBIT systems are what the page is about: they are never grouped away, and
  // neither are the external authorities (not a supplier's local systems).
  var groupBox = document.getElementById("sg-group-suppliers");
  if (!config.supplierGrouping) { groupBox.disabled = true; }
  var STAY = { monopoly: true, kombit: true, authority: true, interface: true, group: true };
  function groupable(n, supplier) {
    return !STAY[n.kind] && !n.hidden && n.suppliers && n.suppliers.length === 1 &&
      n.suppliers[0] === supplier;
  }
  function group() {
    config.suppliers.forEach(function (s) {
      var members = nodes.get({ filter: function (n) { return groupable(n, s.id); } });
      if (members.length < 2) { return; }
      // the group takes the place of its biggest system: a spot the layout kept free (the
      // average of its systems' places may be on top of another system)
      var biggest = members.reduce(function (a, b) {
        return (b.size || 0) > (a.size || 0) ? b : a;
      });
      var at = network.getPosition(biggest.id);
      network.cluster({
        joinCondition: function (n) { return groupable(n, s.id); },
        clusterNodeProperties: {
          id: "supplier-cluster:" + s.id, kind: "supplier-group",
          label: s.name + " (" + fmt(texts.groupSystems, { n: members.length }) + ")",
          title: fmt(texts.groupTitle, { name: s.name, n: members.length }),
          shape: "hexagon", size: 20 + 3 * Math.sqrt(members.length), x: at.x, y: at.y,
          color: { background: config.supplierGroupColour, border: "#7d6608" },
          borderWidth: 2
        }
      });
    });
  }
  function release(clusterPosition, contained) {
    // a system leaves its group for its own place in the layout shown
    var placed = {};
    Object.keys(contained).forEach(function (id) {
      var n = nodes.get(id);
      placed[id] = n && n.at ? { x: n.at[layoutMode][0], y: n.at[layoutMode][1] } : contained[id];
    });
    return placed;
  }
  function ungroup() {
    Object.keys(network.body.nodes).forEach(function (id) {
      if (network.isCluster(id)) { network.openCluster(id, { releaseFunction: release }); }
    });
  }
  groupBox.addEventListener("change", function () {
    if (groupBox.checked) { group(); } else { ungroup(); }
  });

  // Layout: the force layout's positions, or lanes by domain (bands drawn behind the network).
  // Both are computed in Python (each node's `at`); physics stays off in either.
  var lanes = config.lanes || [];
  var layoutMode = config.layout === "lanes" && lanes.length ? "lanes" : "force";
  var forceSmooth = {};
  edges.forEach(function (e) { forceSmooth[e.id] = e.smooth || { enabled: false }; });
  function laneSmooth(e) {
    // an edge along a lane row would run through the systems between its ends: it arcs
    var own = forceSmooth[e.id];
    if (own.enabled) { return own; }
    var a = nodes.get(e.from), b = nodes.get(e.to);
    if (!a || !b || !a.at || !b.at) { return own; }
    var pa = a.at.lanes, pb = b.at.lanes;
    if (Math.abs(pa[1] - pb[1]) > 1) { return own; }
    var low = Math.min(pa[0], pb[0]), high = Math.max(pa[0], pb[0]);
    var between = false;
    nodes.forEach(function (n) {
      if (!between && n.at && Math.abs(n.at.lanes[1] - pa[1]) < 1 && n.at.lanes[0] > low + 1 &&
          n.at.lanes[0] < high - 1) { between = true; }
    });
    return between ? { enabled: true, type: "curvedCW", roundness: 0.22 } : own;
  }
  function setLayout(mode) {
    if (mode === "lanes" && !lanes.length) { mode = "force"; }
    layoutMode = mode;
    var regroup = groupBox.checked;
    if (regroup) { ungroup(); }
    var moves = [];
    nodes.forEach(function (n) {
      if (n.at) { moves.push({ id: n.id, x: n.at[mode][0], y: n.at[mode][1] }); }
    });
    nodes.update(moves);
    var shapes = [];
    edges.forEach(function (e) {
      shapes.push({ id: e.id, smooth: mode === "lanes" ? laneSmooth(e) : forceSmooth[e.id] });
    });
    edges.update(shapes);
    if (regroup) { group(); }
    document.getElementById("sg-layout-" + mode).checked = true;
    document.body.dataset.layout = mode;
    fit();
  }
  function fit() {
    // lanes: the whole bands with their labels in view (vis-network fits the nodes only)
    if (layoutMode !== "lanes") { network.fit(); return; }
    var first = lanes[0], last = lanes[lanes.length - 1];
    var frame = network.canvas.frame.canvas;
    var width = first.right - first.left, height = last.bottom - first.top;
    var scale = 0.98 * Math.min(frame.clientWidth / width, frame.clientHeight / height);
    network.moveTo({
      position: { x: (first.left + first.right) / 2, y: (first.top + last.bottom) / 2 },
      scale: scale, animation: false
    });
  }
  ["force", "lanes"].forEach(function (mode) {
    var radio = document.getElementById("sg-layout-" + mode);
    if (mode === "lanes" && !lanes.length) { radio.disabled = true; }
    radio.addEventListener("change", function () { if (radio.checked) { setLayout(mode); } });
  });
  function laneCount(lane) {
    return fmt(lane.systems === 1 ? texts.laneSystem : texts.laneSystems, { n: lane.systems });
  }
  function laneText(lane) { return lane.label + " · " + laneCount(lane); }
  network.on("beforeDrawing", function (ctx) {
    if (layoutMode !== "lanes") { return; }
    var size = Math.min(Math.max(18, 13 / network.getScale()), 32);
    ctx.save();
    lanes.forEach(function (lane, i) {
      ctx.fillStyle = i % 2 ? "#ffffff" : "#eef1f2";
      ctx.fillRect(lane.left, lane.top, lane.right - lane.left, lane.bottom - lane.top);
      ctx.strokeStyle = "#bfc9ca";
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(lane.left, lane.top);
      ctx.lineTo(lane.right, lane.top);
      ctx.stroke();
      // the label in the column at the left: the domain, its count below (clipped to the
      // column, so a long domain name never runs under the systems)
      ctx.save();
      ctx.beginPath();
      ctx.rect(lane.left, lane.top, config.laneLabels - 12, lane.bottom - lane.top);
      ctx.clip();
      ctx.fillStyle = "#2e4053";
      ctx.textBaseline = "top";
      ctx.font = "bold " + size.toFixed(0) + "px DejaVu Sans, Arial, sans-serif";
      ctx.fillText(lane.label, lane.left + 10, lane.top + 8);
      ctx.font = (size * 0.8).toFixed(0) + "px DejaVu Sans, Arial, sans-serif";
      ctx.fillText(laneCount(lane), lane.left + 10, lane.top + 12 + size);
      ctx.restore();
    });
    ctx.restore();
  });

  // Interface ids on the edges (a switch): drawn after everything else, each on a white box,
  // so no edge runs over an id. A bundle keeps its count (its ids are in its tooltip).
  var idsBox = document.getElementById("sg-edge-ids");
  var showIds = !!config.edgeIds;
  idsBox.checked = showIds;
  idsBox.addEventListener("change", function () {
    showIds = idsBox.checked;
    document.body.dataset.edgeIds = String(showIds);
    network.redraw();
  });
  function edgeIdLabels() {
    var body = network.body, shown = [];
    body.edgeIndices.forEach(function (id) {
      var e = body.edges[id];
      if (!e || !e.connected || e.options.hidden || e.clustered) { return; }
      var data = edges.get(id);
      if (!data || !data.interface || data.values || data.to.indexOf("interface:") === 0) {
        return;  // a bundle keeps its count; a stub is labelled by its interface node
      }
      var from = body.nodes[e.fromId], to = body.nodes[e.toId];
      if (!from || !to || from.options.hidden || to.options.hidden) { return; }
      var point = e.edgeType && e.edgeType.getPoint ? e.edgeType.getPoint(0.5) :
        { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 };
      shown.push({ id: id, text: data.interface, x: point.x, y: point.y });
    });
    return shown;
  }
  network.on("afterDrawing", function (ctx) {
    if (!showIds) { return; }
    // about 11 px on the screen however far the diagram is zoomed out (up to twice the size)
    var size = Math.min(Math.max(11, 11 / network.getScale()), 22);
    ctx.save();
    ctx.font = size.toFixed(1) + "px DejaVu Sans, Arial, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    edgeIdLabels().forEach(function (label) {
      var w = ctx.measureText(label.text).width + size / 2;
      ctx.fillStyle = "rgba(255,255,255,0.9)";
      ctx.fillRect(label.x - w / 2, label.y - size * 0.7, w, size * 1.4);
      ctx.fillStyle = "#1c2833";
      ctx.fillText(label.text, label.x, label.y);
    });
    ctx.restore();
    // the systems and their names again, over the ids: an id never hides a system's name
    var body = network.body;
    body.nodeIndices.forEach(function (id) {
      var node = body.nodes[id];
      if (!node || node.options.hidden || typeof node.draw !== "function") { return; }
      var drawn = node.draw(ctx);
      if (drawn && typeof drawn.drawExternalLabel === "function") { drawn.drawExternalLabel(); }
    });
  });
  network.on("selectNode", function (params) {
    if (params.nodes.length === 1 && network.isCluster(params.nodes[0])) {
      network.openCluster(params.nodes[0], { releaseFunction: release });
    }
  });
  document.getElementById("sg-fit").addEventListener("click", fit);

  // Export for slides: the canvas as PNG (on white), and an SVG drawn from the positions of
  // the visible nodes and edges. Both are made in the page: nothing is fetched.
  function download(name, url) {
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  function fileName(extension) {
    return "snitgraf-" + (config.view || "diagram") + "." + extension;
  }
  function pngDataUrl() {
    var source = network.canvas.frame.canvas;
    var image = document.createElement("canvas");
    image.width = source.width;
    image.height = source.height;
    var context = image.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, image.width, image.height);
    context.drawImage(source, 0, 0);
    return image.toDataURL("image/png");
  }
  function xml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }
  function shapePath(shape, x, y, r) {
    var points = [];
    if (shape === "square") {
      points = [[-r, -r], [r, -r], [r, r], [-r, r]];
    } else if (shape === "diamond") {
      points = [[0, -r * 1.3], [r * 1.3, 0], [0, r * 1.3], [-r * 1.3, 0]];
    } else if (shape === "triangle") {
      points = [[0, -r * 1.2], [r * 1.1, r * 0.8], [-r * 1.1, r * 0.8]];
    } else if (shape === "hexagon") {
      for (var k = 0; k < 6; k++) {
        points.push([r * Math.cos(Math.PI / 3 * k), r * Math.sin(Math.PI / 3 * k)]);
      }
    } else {
      return null;
    }
    return points.map(function (p) { return (x + p[0]).toFixed(1) + "," + (y + p[1]).toFixed(1); })
      .join(" ");
  }
  function svgText() {
    var body = network.body;
    var clustered = (network.clustering && network.clustering.clusteredNodes) || {};
    var shown = {};
    var nodeParts = [];
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    body.nodeIndices.forEach(function (id) {
      var n = body.nodes[id];
      if (!n || n.options.hidden || clustered[id]) { return; }
      shown[id] = n;
      var r = n.options.size || 10;
      var colour = n.options.color || {};
      var fill = colour.background || "#aeb6bf";
      var stroke = colour.border || "#566573";
      var width = n.options.borderWidth || 1;
      var points = shapePath(n.options.shape, n.x, n.y, r);
      var tip = n.options.title ? "<title>" + xml(n.options.title) + "</title>" : "";
      nodeParts.push(points
        ? '<polygon points="' + points + '" fill="' + fill + '" stroke="' + stroke +
          '" stroke-width="' + width + '">' + tip + "</polygon>"
        : '<circle cx="' + n.x.toFixed(1) + '" cy="' + n.y.toFixed(1) + '" r="' + r +
          '" fill="' + fill + '" stroke="' + stroke + '" stroke-width="' + width + '">' + tip +
          "</circle>");
      if (n.options.label) {
        var fontColour = (n.options.font && n.options.font.color) || "#1c2833";
        nodeParts.push('<text x="' + n.x.toFixed(1) + '" y="' + (n.y + r + 16).toFixed(1) +
          '" class="label" fill="' + fontColour + '">' + xml(n.options.label) + "</text>");
      }
      minX = Math.min(minX, n.x - r - 120); maxX = Math.max(maxX, n.x + r + 120);
      minY = Math.min(minY, n.y - r - 20); maxY = Math.max(maxY, n.y + r + 30);
    });
    var edgeParts = [];
    body.edgeIndices.forEach(function (id) {
      var e = body.edges[id];
      if (!e || e.options.hidden || !shown[e.fromId] || !shown[e.toId]) { return; }
      var a = shown[e.fromId], b = shown[e.toId];
      var colour = e.options.color || {};
      var stroke = colour.color || "#566573";
      var opacity = colour.opacity === undefined ? 1 : colour.opacity;
      var dx = b.x - a.x, dy = b.y - a.y, length = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / length, uy = dy / length;
      var bend = (e.options.smooth && e.options.smooth.enabled) ?
        (e.options.smooth.roundness || 0) : 0;
      var cx = (a.x + b.x) / 2 - uy * bend * length, cy = (a.y + b.y) / 2 + ux * bend * length;
      var end = (b.options.size || 10) + 3;
      var tx = b.x - ux * end, ty = b.y - uy * end;
      var dash = e.options.dashes ? ' stroke-dasharray="6,4"' : "";
      var width = e.options.width || 1;
      var tip = e.options.title ? "<title>" + xml(e.options.title) + "</title>" : "";
      edgeParts.push('<path d="M' + a.x.toFixed(1) + "," + a.y.toFixed(1) + " Q" +
        cx.toFixed(1) + "," + cy.toFixed(1) + " " + tx.toFixed(1) + "," + ty.toFixed(1) +
        '" fill="none" stroke="' + stroke + '" stroke-width="' + width + '" stroke-opacity="' +
        opacity + '"' + dash + ">" + tip + "</path>");
      var hx = tx - ux * 9, hy = ty - uy * 9;
      edgeParts.push('<polygon points="' + tx.toFixed(1) + "," + ty.toFixed(1) + " " +
        (hx - uy * 4).toFixed(1) + "," + (hy + ux * 4).toFixed(1) + " " +
        (hx + uy * 4).toFixed(1) + "," + (hy - ux * 4).toFixed(1) + '" fill="' + stroke +
        '" fill-opacity="' + opacity + '"/>');
      if (e.options.label) {
        edgeParts.push('<text x="' + cx.toFixed(1) + '" y="' + cy.toFixed(1) +
          '" class="edge-label">' + xml(e.options.label) + "</text>");
      }
    });
    if (showIds) {
      edgeIdLabels().forEach(function (label) {
        edgeParts.push('<text x="' + label.x.toFixed(1) + '" y="' + (label.y + 4).toFixed(1) +
          '" class="edge-label">' + xml(label.text) + "</text>");
      });
    }
    var laneParts = [];
    if (layoutMode === "lanes") {
      lanes.forEach(function (lane, i) {
        laneParts.push('<rect x="' + lane.left + '" y="' + lane.top + '" width="' +
          (lane.right - lane.left) + '" height="' + (lane.bottom - lane.top) + '" fill="' +
          (i % 2 ? "#ffffff" : "#eef1f2") + '" stroke="#bfc9ca" stroke-width="1"/>' +
          '<text x="' + (lane.left + 8) + '" y="' + (lane.top + 24) + '" class="lane">' +
          xml(laneText(lane)) + "</text>");
        minX = Math.min(minX, lane.left); maxX = Math.max(maxX, lane.right);
        minY = Math.min(minY, lane.top); maxY = Math.max(maxY, lane.bottom);
      });
    }
    if (minX === Infinity) { minX = 0; minY = 0; maxX = 100; maxY = 100; }
    var top = minY - 40;
    var w = maxX - minX, h = maxY - top;
    return '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<svg xmlns="\u0068ttp://www.w3.org/2000/svg" viewBox="' + minX.toFixed(0) + " " +
      top.toFixed(0) + " " + w.toFixed(0) + " " + h.toFixed(0) + '" width="' + w.toFixed(0) +
      '" height="' + h.toFixed(0) + '" font-family="DejaVu Sans, Arial, sans-serif">' +
      "<style>.label{font-size:14px;text-anchor:middle;paint-order:stroke;stroke:#fff;" +
      "stroke-width:4px}.edge-label{font-size:11px;text-anchor:middle;paint-order:stroke;" +
      "stroke:#fff;stroke-width:3px;fill:#1c2833}" +
      ".lane{font-size:20px;font-weight:bold;fill:#2e4053}</style>" +
      '<rect x="' + minX.toFixed(0) + '" y="' + top.toFixed(0) + '" width="' + w.toFixed(0) +
      '" height="' + h.toFixed(0) + '" fill="#ffffff"/>' +
      '<text x="' + (minX + 10).toFixed(0) + '" y="' + (top + 26).toFixed(0) +
      '" font-size="20" font-weight="bold" fill="#1c2833">' + xml(config.title) + "</text>" +
      '<g class="lanes">' + laneParts.join("") + "</g>" +
      '<g class="edges">' + edgeParts.join("") + '</g><g class="nodes">' +
      nodeParts.join("") + "</g></svg>\n";
  }
  document.getElementById("sg-png").addEventListener("click", function () {
    download(fileName("png"), pngDataUrl());
  });
  document.getElementById("sg-svg").addEventListener("click", function () {
    var blob = new Blob([svgText()], { type: "image/svg+xml" });
    var url = URL.createObjectURL(blob);
    download(fileName("svg"), url);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });

  if (layoutMode === "lanes") { setLayout("lanes"); }
  document.getElementById("sg-layout-" + layoutMode).checked = true;
  document.body.dataset.layout = layoutMode;
  document.body.dataset.edgeIds = String(showIds);
  window.snitgraf = { config: config, network: network, nodes: nodes, edges: edges,
    applyFilters: applyFilters, svgText: svgText, pngDataUrl: pngDataUrl, setLayout: setLayout,
    edgeIdLabels: edgeIdLabels, drawn: false };
  network.once("afterDrawing", function () {
    window.snitgraf.drawn = true;
    document.body.dataset.drawn = "true";
  });
  fit();
  network.redraw();
})();
"""


MAIN_JOB_VIEWS: tuple[View, ...] = ("as-is", "to-be", "gap")


def write_diagrams(
    assessment: Assessment,
    out: Path,
    layout_mode: LayoutMode = "force",
    edge_ids: bool = False,
) -> list[Path]:
    """The main job's step: as-is.html, to-be.html and gap.html in `out`, one layout for all,
    each page opening in `layout_mode` (and with interface ids on the edges with `edge_ids`)."""
    from snitgraf.render.diagrams import diagram, layout

    positions = layout(assessment.graph, mode=layout_mode)
    return [
        write_page(
            diagram(assessment, view, positions, edge_ids=edge_ids), Path(out) / f"{view}.html"
        )
        for view in MAIN_JOB_VIEWS
    ]
