"""Views of a portfolio as diagrams: systems as nodes, interfaces as edges provider -> user.

A view (AS-IS, TO-BE, gap, impact) becomes a `Diagram`: plain node and edge records with fixed
positions, a legend, the filter facets and a note. `snitgraf.render.pyvis_page` turns it into a
page. The layout is computed once over the FULL graph's systems (`layout`), so every view places
the same system at the same position and the eye can compare AS-IS with TO-BE.

Every view draws the finished results of one `snitgraf.assessment.Assessment` (its graphs,
categories, gap and impact) and computes none of them; for one municipality that is its part
with the catalogue's replacers of its systems, and the catalogue's categories.

Above `collapse_above` systems the diagram collapses the systems that are not monopoly systems
into one node per supplier or domain (with counts), and says so in the page.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from snitgraf.analysis.categorise import CATEGORIES, InterfaceCategory
from snitgraf.analysis.impact import Impact
from snitgraf.analysis.transition import STATUSES, GapRow
from snitgraf.graph import edges, nodes, per_graph
from snitgraf.i18n import N_, _, format_dkk, format_number
from snitgraf.problems import SnitgrafError
from snitgraf.render.palette import CATEGORY_COLOURS, GAP_STYLES, INK, WARNING, legend_entries
from snitgraf.schema import Label, PortfolioGraph, Rel, State

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from snitgraf.assessment import Assessment

    Positions = npt.NDArray[np.float64]
    """One (x, y) row per node, in the order of the layout's node list."""

View = Literal["as-is", "to-be", "gap", "impact"]
VIEWS: tuple[View, ...] = ("as-is", "to-be", "gap", "impact")
CollapseBy = Literal["domain", "supplier"]
LayoutMode = Literal["force", "lanes"]
LAYOUT_MODES: tuple[LayoutMode, ...] = ("force", "lanes")
"""force: a spring layout with domains kept together; lanes: one horizontal lane per domain."""
COLLAPSE_TEXT: dict[str, str] = {"domain": N_("domain"), "supplier": N_("supplier")}
ROLE_TEXT: dict[str, str] = {"provides": N_("provides"), "uses": N_("uses")}
COLLAPSE_ABOVE = 1500
"""Default: above this many systems, collapse local systems by domain or supplier."""


@dataclass(frozen=True)
class Kind:
    """How a kind of node is drawn."""

    code: str
    label: str
    shape: str
    color: str
    border: str


# Systems are drawn in greys and one yellow (the KOMBIT systems to come), so that colour on
# the edges means one thing: the category (or, in the gap view, the change).
MONOPOLY_AS_IS = Kind("monopoly", N_("Monopoly system (AS-IS)"), "square", "#34495E", "#17202A")
KOMBIT_TO_BE = Kind("kombit", N_("KOMBIT system (TO-BE)"), "diamond", "#F0E442", "#7D6608")
AUTHORITY = Kind("authority", N_("External authority"), "triangle", "#A0826D", "#4A3520")
LOCAL = Kind("local", N_("Local system"), "dot", "#AEB6BF", "#566573")
INTERFACE = Kind("interface", N_("Interface nobody uses"), "dot", "#ffffff", "#566573")
GROUP = Kind("group", N_("Collapsed systems"), "hexagon", "#D7BDE2", "#5B2C6F")
SUPPLIER_GROUP_COLOUR = "#F8C471"
"""The hexagon of a supplier's systems grouped in the page ("group by supplier")."""
SYSTEM_KINDS: tuple[Kind, ...] = (MONOPOLY_AS_IS, KOMBIT_TO_BE, AUTHORITY, LOCAL)
KINDS: dict[str, Kind] = {k.code: k for k in (*SYSTEM_KINDS, INTERFACE, GROUP)}
AUTHORITY_DOMAIN = "myndighed"

CATEGORY_COLORS: dict[str, str] = CATEGORY_COLOURS  # the one palette (render/palette.py)
STATUS_COLORS: dict[str, str] = {s: GAP_STYLES[s].colour for s in STATUSES}
"""The gap statuses of interfaces (the gap view's filter), in the gap view's colours."""
USE_STYLES: tuple[str, ...] = ("kept", "repointed", "ghost", "retired", "new", "broken")
"""How a use is drawn in the gap view (`palette.GAP_STYLES`), in legend order."""
STATUS_LABELS: dict[str, str] = {
    "kept": N_("kept: the same use in AS-IS and TO-BE (faint)"),
    "repointed": N_("repointed: a replacer takes over the role"),
    "ghost": N_("the old end of a repointed use (ghosted)"),
    "retired": N_("retired: the use ends in TO-BE"),
    "new": N_("new: stated for TO-BE only"),
    "broken": N_("broken need: nothing provides it in TO-BE"),
}
STATUS_SHORT: dict[str, str] = {
    "kept": N_("kept"),
    "repointed": N_("repointed"),
    "ghost": N_("old end"),
    "retired": N_("retired"),
    "new": N_("new"),
    "broken": N_("broken need"),
}
DISTANCE_COLORS: tuple[str, ...] = (WARNING, "#E69F00", "#F0E442", "#F9E79F")
"""Impact: the replaced system, then dependents at distance 1, 2, 3 and more."""
FADED = "rgba(200,205,210,0.35)"
FADED_TEXT = "rgba(120,130,140,0.5)"


@dataclass(frozen=True)
class DiagramNode:
    """A node: a system, a collapsed group of systems, or an interface nobody uses."""

    id: str
    label: str
    kind: str
    x: float
    y: float
    size: float
    tooltip: str
    suppliers: tuple[str, ...] = ()
    search: str = ""
    color: str | None = None
    border: str | None = None
    font_color: str | None = None
    border_width: float | None = None
    distance: int | None = None
    municipalities: tuple[str, ...] = ()
    """Codes of the municipalities that run the system (the page's municipality filter)."""
    lane_x: float | None = None
    lane_y: float | None = None
    """Where the node sits in the lanes layout (None: as in the force layout)."""

    def to_vis(self, mode: LayoutMode = "force") -> dict[str, Any]:
        """The node as vis-network takes it, placed by `mode` (extra keys are ours: kind,
        suppliers, search, and `at`: its place in either layout, for the page's switch)."""
        kind = KINDS[self.kind]
        force = (round(self.x, 1), round(self.y, 1))
        lanes = (
            force
            if self.lane_x is None or self.lane_y is None
            else (
                round(self.lane_x, 1),
                round(self.lane_y, 1),
            )
        )
        x, y = lanes if mode == "lanes" else force
        background = self.color or kind.color
        border = self.border or kind.border
        node: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "shape": kind.shape,
            "x": x,
            "y": y,
            "at": {"force": force, "lanes": lanes},
            "size": round(self.size, 1),
            "title": self.tooltip,
            "color": {
                "background": background,
                "border": border,
                "highlight": {"background": background, "border": "#000000"},
                "hover": {"background": background, "border": "#000000"},
            },
            "kind": self.kind,
            "suppliers": list(self.suppliers),
            "search": self.search.lower(),
            "searchLabel": self.search,
        }
        if self.font_color:
            node["font"] = {"color": self.font_color}
        if self.border_width is not None:
            node["borderWidth"] = self.border_width
        if self.distance is not None:
            node["distance"] = self.distance
        if self.municipalities:
            node["municipalities"] = list(self.municipalities)
        return node


@dataclass(frozen=True)
class DiagramEdge:
    """An edge provider -> user: one interface used by one system (or, collapsed, a bundle)."""

    id: str
    source: str
    target: str
    color: str
    tooltip: str
    category: str
    interface: str = ""
    status: str | None = None
    gap: str | None = None
    """The gap status of the edge's interface(s) (the gap view's filter), not of this use."""
    dashes: bool | list[int] = False
    width: float = 1.5
    roundness: float = 0.0
    search: str = ""
    label: str | None = None
    opacity: float = 1.0
    values: Mapping[str, tuple[str, ...]] | None = None
    """A bundle's filter values (attribute -> every value among its uses): the page hides it
    only when none of them is ticked."""

    def to_vis(self) -> dict[str, Any]:
        """The edge as vis-network takes it (extra keys are ours: category, status, search)."""
        colour: dict[str, Any] = {"color": self.color, "highlight": self.color, "hover": self.color}
        if self.opacity < 1:
            colour["opacity"] = self.opacity
        edge: dict[str, Any] = {
            "id": self.id,
            "from": self.source,
            "to": self.target,
            "title": self.tooltip,
            "color": colour,
            "width": self.width,
            "dashes": self.dashes,
            "category": self.category,
            "interface": self.interface,
            "search": self.search.lower(),
            "searchLabel": self.search,
        }
        if self.status is not None:
            edge["status"] = self.status
        if self.gap is not None:
            edge["gap"] = self.gap
        if self.roundness:
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": self.roundness}
        if self.label:
            edge["label"] = self.label
            edge["font"] = {"size": 11, "align": "middle", "strokeWidth": 3}
        if self.values:
            edge["values"] = {k: list(v) for k, v in self.values.items()}
        return edge


@dataclass(frozen=True)
class LegendItem:
    """One line of the legend: a swatch (dot, square, diamond, triangle, line, dashed)."""

    key: str
    label: str
    color: str
    swatch: str


@dataclass(frozen=True)
class LegendSection:
    """A titled block of the legend."""

    title: str
    items: tuple[LegendItem, ...]


@dataclass(frozen=True)
class FacetOption:
    """One value of a filter: its value, label and how many items carry it."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    """A filter in the page: items whose `attribute` has an unticked value are hidden."""

    title: str
    attribute: str
    target: Literal["node", "edge"]
    options: tuple[FacetOption, ...]


@dataclass(frozen=True)
class Lane:
    """A horizontal band of the lanes layout: one domain's systems, its label at the left."""

    key: str
    label: str
    top: float
    bottom: float
    left: float
    right: float
    systems: int

    def to_json(self) -> dict[str, Any]:
        """The band as the page script draws it (behind the network)."""
        return {
            "key": self.key,
            "label": self.label,
            "top": round(self.top, 1),
            "bottom": round(self.bottom, 1),
            "left": round(self.left, 1),
            "right": round(self.right, 1),
            "systems": self.systems,
        }


@dataclass(frozen=True)
class Diagram:
    """A view ready to draw: nodes with positions, edges, legend, filters and a note."""

    view: View
    title: str
    subtitle: str
    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]
    legend: tuple[LegendSection, ...]
    facets: tuple[Facet, ...]
    suppliers: tuple[tuple[str, str, int], ...]
    """(id, name, number of systems) of every supplier in the view, for the supplier filter."""
    note: str | None = None
    collapsed: bool = False
    municipalities: tuple[tuple[str, str, int], ...] = ()
    """(code, name, systems it runs) for the municipality filter (national pages only)."""
    layout_mode: LayoutMode = "force"
    """The layout the page opens with (its switch moves to the other)."""
    lanes: tuple[Lane, ...] = ()
    """The lanes layout's bands, by domain (drawn when the page shows that layout)."""
    edge_ids: bool = False
    """The page opens with each edge labelled by its interface id."""

    def vis_nodes(self) -> list[dict[str, Any]]:
        """The nodes as vis-network dicts, placed by the layout the page opens with."""
        return [n.to_vis(self.layout_mode) for n in self.nodes]

    def vis_edges(self) -> list[dict[str, Any]]:
        """The edges as vis-network dicts."""
        return [e.to_vis() for e in self.edges]

    def config(self) -> dict[str, Any]:
        """What the page script needs besides the data: titles, legend, filters, note."""
        return {
            "view": self.view,
            "title": self.title,
            "subtitle": self.subtitle,
            "note": self.note,
            "collapsed": self.collapsed,
            "supplierGrouping": not self.collapsed,
            "legend": [
                {"title": s.title, "items": [vars(i) for i in s.items]} for s in self.legend
            ],
            "facets": [
                {
                    "title": f.title,
                    "attribute": f.attribute,
                    "target": f.target,
                    "options": [vars(o) for o in f.options],
                }
                for f in self.facets
            ],
            "edgeFacets": [f.attribute for f in self.facets if f.target == "edge"],
            "suppliers": [{"id": i, "name": n, "count": c} for i, n, c in self.suppliers],
            "municipalities": [
                {"code": c, "name": n, "count": k} for c, n, k in self.municipalities
            ],
            "layout": self.layout_mode,
            "lanes": [lane.to_json() for lane in self.lanes],
            "laneLabels": LANE_LABELS,
            "edgeIds": self.edge_ids,
            "texts": page_texts(),
        }

    def to_json(self) -> dict[str, Any]:
        """Counts and the note (what `render` reports)."""
        return {
            "view": self.view,
            "nodes": len(self.nodes),
            "edges": len(self.edges),
            "collapsed": self.collapsed,
            "note": self.note,
        }


def page_texts() -> dict[str, str]:
    """The page script's texts in the active language (the script itself holds none)."""
    return {
        "supplier": _("Supplier"),
        "allSuppliers": _("All suppliers"),
        "municipality": _("Municipality"),
        "allMunicipalities": _("All municipalities"),
        "municipalityHint": _(
            "Shows the systems the municipality runs and the shared ones (KOMBIT, authorities)."
        ),
        "groupSystems": _("{n} systems"),
        "groupTitle": _("{name}: {n} systems (click to open)"),
        "exportTitle": _("diagram"),
        "laneSystems": _("{n} systems"),
        "laneSystem": _("{n} system"),
    }


# --- facts of the full graph -----------------------------------------------------------------


@dataclass(frozen=True)
class SystemFacts:
    """A system as diagrams show it."""

    id: str
    name: str
    kind: Kind
    supplier: str
    supplier_name: str
    ski: str | None
    domain: str | None
    lifecycle: str
    replaces: tuple[str, ...]
    replaced_by: tuple[str, ...]


def system_kind(attrs: Mapping[str, Any]) -> Kind:
    """Monopoly AS-IS, KOMBIT TO-BE, external authority (domain 'myndighed') or local."""
    if attrs.get("monopoly"):
        return KOMBIT_TO_BE if attrs.get("lifecycle") == "to-be" else MONOPOLY_AS_IS
    if attrs.get("domain") == AUTHORITY_DOMAIN:
        return AUTHORITY
    return LOCAL


def system_facts(graph: PortfolioGraph) -> dict[str, SystemFacts]:
    """Every system of a graph with its kind, supplier and replacements, by id."""
    supplier_of: dict[str, Any] = {}
    for supplier, system, _rel in edges(graph, Rel.SUPPLIES):
        supplier_of[system[1]] = graph.nodes[supplier]
    replaces: dict[str, list[str]] = defaultdict(list)
    replaced_by: dict[str, list[str]] = defaultdict(list)
    for new, old, _rel in edges(graph, Rel.REPLACES):
        replaces[new[1]].append(old[1])
        replaced_by[old[1]].append(new[1])
    result = {}
    for _key, attrs in nodes(graph, Label.SYSTEM):
        sid = attrs["id"]
        supplier = supplier_of.get(sid, {})
        result[sid] = SystemFacts(
            id=sid,
            name=attrs.get("name", sid),
            kind=system_kind(attrs),
            supplier=attrs.get("supplier", supplier.get("id", "")),
            supplier_name=supplier.get("name", attrs.get("supplier", "")),
            ski=supplier.get("ski"),
            domain=attrs.get("domain"),
            lifecycle=attrs.get("lifecycle", "both"),
            replaces=tuple(sorted(replaces.get(sid, ()))),
            replaced_by=tuple(sorted(replaced_by.get(sid, ()))),
        )
    return result


@dataclass(frozen=True)
class Use:
    """One edge of a diagram before styling: interface, provider, user and need."""

    interface: str
    provider: str
    user: str
    need: str
    repointed_from: str | None = None


def uses_of(graph: PortfolioGraph) -> Mapping[tuple[str, str], Use]:
    """(interface, user) -> the use; several usage rows of one pair make one (must wins)."""
    return per_graph(graph, "snitgraf.diagrams.uses", lambda: _uses_of(graph))


def _uses_of(graph: PortfolioGraph) -> dict[tuple[str, str], Use]:
    provider_of = {i[1]: s[1] for s, i, _ in edges(graph, Rel.PROVIDES)}
    result: dict[tuple[str, str], Use] = {}
    for system, interface, attrs in edges(graph, Rel.USES):
        iid, user = interface[1], system[1]
        provider = provider_of.get(iid)
        if provider is None:
            continue
        need = attrs.get("need", "must")
        current = result.get((iid, user))
        if current is None or (need == "must" and current.need != "must"):
            result[(iid, user)] = Use(iid, provider, user, need, attrs.get("repointed_from"))
    return result


def provided(graph: PortfolioGraph) -> dict[str, str]:
    """Interface id -> provider id."""
    return {i[1]: s[1] for s, i, _ in edges(graph, Rel.PROVIDES)}


@dataclass(frozen=True)
class ContractText:
    """A contract line for tooltips."""

    id: str
    supplier: str
    expires: str | None
    annual_cost_dkk: float | None

    def text(self) -> str:
        """'K-1 with KMD, expires 2016, 85.000 kr./year'."""
        expires = self.expires or _("unknown")
        cost = (
            _("cost unknown")
            if self.annual_cost_dkk is None
            else _("{amount}/year").format(amount=format_dkk(self.annual_cost_dkk))
        )
        return _("{id} with {supplier}, expires {expires}, {cost}").format(
            id=self.id, supplier=self.supplier, expires=expires, cost=cost
        )


def contract_texts(graph: PortfolioGraph) -> Mapping[str, list[ContractText]]:
    """Interface id -> its contracts (supplier by name), sorted by contract id."""
    return per_graph(graph, "snitgraf.diagrams.contracts", lambda: _contract_texts(graph))


def _contract_texts(graph: PortfolioGraph) -> dict[str, list[ContractText]]:
    supplier_names = {a["id"]: a.get("name", a["id"]) for _, a in nodes(graph, Label.SUPPLIER)}
    result: dict[str, list[ContractText]] = defaultdict(list)
    for contract, interface, _rel in edges(graph, Rel.COVERS):
        attrs = graph.nodes[contract]
        supplier = attrs.get("supplier", "")
        result[interface[1]].append(
            ContractText(
                attrs["id"],
                supplier_names.get(supplier, supplier),
                attrs.get("expires"),
                attrs.get("annual_cost_dkk"),
            )
        )
    for items in result.values():
        items.sort(key=lambda c: c.id)
    return result


# --- layout ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Fixed positions of the full graph's systems (or groups when collapsed), in pixels."""

    positions: Mapping[str, tuple[float, float]]
    """Node id (`system:ID` or `group:KEY`) -> (x, y)."""
    group_of: Mapping[str, str] = field(default_factory=dict)
    """When collapsed: system id -> its group node id (monopoly systems stay themselves)."""
    group_names: Mapping[str, str] = field(default_factory=dict)
    collapse_by: CollapseBy | None = None
    collapse_above: int = COLLAPSE_ABOVE
    lane_positions: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    """Node id -> (x, y) in the lanes layout (one horizontal lane per domain)."""
    lanes: tuple[Lane, ...] = ()
    mode: LayoutMode = "force"
    """The layout a page of this layout opens with; both are in every page."""

    @property
    def collapsed(self) -> bool:
        """True when systems are collapsed into groups."""
        return self.collapse_by is not None


def system_node_id(system: str) -> str:
    """The diagram node id of a system."""
    return f"system:{system}"


def _group_key(facts: SystemFacts, collapse_by: CollapseBy) -> tuple[str, str]:
    if collapse_by == "supplier":
        return f"group:supplier:{facts.supplier}", facts.supplier_name or facts.supplier
    domain = facts.domain or _("(no domain)")
    return f"group:domain:{domain}", domain


def layout(
    graph: PortfolioGraph,
    collapse_above: int = COLLAPSE_ABOVE,
    collapse_by: CollapseBy = "domain",
    seed: int = 7,
    mode: LayoutMode = "force",
) -> Layout:
    """Positions over the FULL graph's systems, computed once for every view.

    A seeded spring layout (networkx) of systems joined by the interfaces between them and by
    REPLACES (pulled close, so a replacement sits near what it replaces); it starts from domain
    clusters on a circle so a domain stays together. Above `collapse_above` systems the
    non-monopoly systems are laid out as one node per group. The lanes layout (`_lanes`) is
    computed beside it; `mode` says which of the two the pages open with.
    """
    facts = system_facts(graph)
    collapse = len(facts) > collapse_above
    group_of: dict[str, str] = {}
    group_names: dict[str, str] = {}
    for sid, fact in facts.items():
        if collapse and fact.kind not in (MONOPOLY_AS_IS, KOMBIT_TO_BE):
            group_id, name = _group_key(fact, collapse_by)
            group_of[sid] = group_id
            group_names[group_id] = name
        else:
            group_of[sid] = system_node_id(sid)

    skeleton: nx.Graph[str] = nx.Graph()
    cluster_of: dict[str, str] = {}
    for sid, fact in facts.items():
        node = group_of[sid]
        skeleton.add_node(node)
        cluster_of.setdefault(node, fact.domain or "")
    provider = provided(graph)
    for system, interface, _rel in edges(graph, Rel.USES):
        source = provider.get(interface[1])
        if source is None or source not in group_of:
            continue
        a, b = group_of[source], group_of[system[1]]
        if a != b:
            weight = skeleton.get_edge_data(a, b, {"weight": 0})["weight"]
            skeleton.add_edge(a, b, weight=min(weight + 0.5, 2.5) if weight else 1)
    for replacer, replaced, _rel in edges(graph, Rel.REPLACES):
        here, there = group_of.get(replacer[1]), group_of.get(replaced[1])
        if here and there and here != there:
            skeleton.add_edge(here, there, weight=3)

    ordered = sorted(skeleton.nodes)
    count = len(ordered)
    if count == 0:
        return Layout(
            {}, group_of, group_names, collapse_by if collapse else None, collapse_above, mode=mode
        )
    clusters = sorted(set(cluster_of.values()))
    members: dict[str, list[str]] = defaultdict(list)
    for node in ordered:
        members[cluster_of[node]].append(node)
    initial: dict[str, tuple[float, float]] = {}
    spread = 1.6 / math.sqrt(max(len(clusters), 1))
    for c, cluster in enumerate(clusters):
        angle = 2 * math.pi * c / len(clusters)
        cx, cy = math.cos(angle), math.sin(angle)
        size = len(members[cluster])
        for m, node in enumerate(members[cluster]):  # a sunflower inside each domain
            radius = spread * math.sqrt((m + 0.5) / size)
            theta = m * GOLDEN_ANGLE
            initial[node] = (cx + radius * math.cos(theta), cy + radius * math.sin(theta))
    raw = _force_layout(ordered, skeleton, initial, seed)
    scale = 85 * math.sqrt(count) + 150
    ends: dict[str, set[str]] = defaultdict(set)
    for rel in (Rel.PROVIDES, Rel.USES):
        for system, interface, _attrs in edges(graph, rel):
            if system[1] in group_of:
                ends[group_of[system[1]]].add(interface[1])
    group_size: dict[str, int] = defaultdict(int)
    for node in group_of.values():
        group_size[node] += 1
    sizes = [
        _size(len(ends.get(n, ())))
        if n.startswith("system:")
        else 14 + 3 * math.sqrt(group_size[n])
        for n in ordered
    ]
    widths = [
        max(
            _label_width(
                facts[n[len("system:") :]].name if n.startswith("system:") else group_names[n]
            ),
            2 * size + 20,
        )
        for n, size in zip(ordered, sizes, strict=True)
    ]
    heights = [2 * size + 40 for size in sizes]
    raw = _separate(raw * scale, widths, heights)
    positions = {n: (float(p[0]), float(p[1])) for n, p in zip(ordered, raw, strict=True)}
    # A TO-BE replacement sits close beside what it replaces (in TO-BE it takes that place):
    # the nearest spot where its box (node and label) overlaps no other box, preferring the
    # side facing the systems it connects with (so their edges do not cross the old node).
    box = {n: (w / 2, h / 2) for n, w, h in zip(ordered, widths, heights, strict=True)}
    for sid, fact in sorted(facts.items()):
        node = group_of[sid]
        old = [group_of[r] for r in fact.replaces if r in group_of]
        if fact.lifecycle != "to-be" or not old or node != system_node_id(sid):
            continue
        x = sum(positions[o][0] for o in old) / len(old)
        y = sum(positions[o][1] for o in old) / len(old)
        near = {n for o in (*old, node) for n in skeleton.neighbors(o)} - {node, *old}
        if near:
            tx = sum(positions[n][0] for n in near) / len(near)
            ty = sum(positions[n][1] for n in near) / len(near)
        else:
            tx, ty = 0.0, 0.0
        others = [(positions[n], box[n]) for n in positions if n != node]
        half_w, half_h = box[node]

        def overlaps(
            c: tuple[float, float],
            others: list[tuple[tuple[float, float], tuple[float, float]]] = others,
            hw: float = half_w,
            hh: float = half_h,
        ) -> int:
            return sum(
                1
                for (px, py), (w, h) in others
                if abs(c[0] - px) < hw + w and abs(c[1] - py) < hh + h
            )

        def score(c: tuple[float, float], tx: float = tx, ty: float = ty) -> tuple[int, float]:
            return (overlaps(c), math.dist(c, (tx, ty)))

        for distance in (REPLACER_DISTANCE, 1.5 * REPLACER_DISTANCE, 2 * REPLACER_DISTANCE):
            candidates = [
                (x + distance * math.cos(a), y + distance * math.sin(a))
                for a in (math.pi / 8 * i for i in range(16))
            ]
            best = min(candidates, key=score)
            if overlaps(best) == 0:
                break
        positions[node] = best
    lane_positions, lanes = _lanes(ordered, positions, box, facts, group_of)
    return Layout(
        positions,
        group_of,
        group_names,
        collapse_by if collapse else None,
        collapse_above,
        lane_positions,
        lanes,
        mode,
    )


LANE_LABELS = 260.0
"""The column at the left of the lanes that holds their labels (pixels): beside the systems
rather than above them, as a national diagram is taller than the screen is."""
LANE_GAP = 36.0
"""Room between two systems of a lane, beside their label boxes (pixels)."""
LANE_ROW_PAD = 34.0
"""Room above a lane's row of systems for the interfaces nobody uses (pixels)."""


def _lanes(
    ordered: list[str],
    positions: Mapping[str, tuple[float, float]],
    box: Mapping[str, tuple[float, float]],
    facts: Mapping[str, SystemFacts],
    group_of: Mapping[str, str],
) -> tuple[dict[str, tuple[float, float]], tuple[Lane, ...]]:
    """The lanes layout: one horizontal lane per domain (the systems' `domain` field), in rows.

    Lanes holding monopoly or KOMBIT systems come first (most of them first), then the other
    domains by name, the external authorities last. Inside a lane systems keep the left-to-right
    order of the force layout (so edges cross little), a replacer right after what it replaces;
    a lane wider than about 1.5·√(nodes) systems wraps into rows. A group node takes the lane of
    most of its systems.
    """
    domains: dict[str, Counter[str]] = defaultdict(Counter)
    monopoly: Counter[str] = Counter()
    authority: dict[str, bool] = {}
    for sid, fact in facts.items():
        node = group_of[sid]
        domains[node][fact.domain or ""] += 1
        if fact.kind in (MONOPOLY_AS_IS, KOMBIT_TO_BE):
            monopoly[node] += 1
        authority[node] = authority.get(node, True) and fact.kind is AUTHORITY
    lane_of = {n: min(domains[n].items(), key=lambda kv: (-kv[1], kv[0]))[0] for n in ordered}
    members: dict[str, list[str]] = defaultdict(list)
    for node in sorted(ordered, key=lambda n: (positions[n][0], n)):
        members[lane_of[node]].append(node)
    after: dict[str, str] = {}  # replacer -> the system it sits after
    for sid, fact in sorted(facts.items()):
        node = group_of[sid]
        for old in fact.replaces:
            there = group_of.get(old)
            if there and there != node and lane_of[there] == lane_of[node]:
                after.setdefault(node, there)
                break
    for key, row in members.items():
        moving = [n for n in row if n in after]
        for node in moving:  # a chain (A replaced by B replaced by C) stays in order
            row.remove(node)
        for node in moving:
            anchor = after[node]
            index = row.index(anchor) + 1 if anchor in row else len(row)
            while index < len(row) and after.get(row[index]) == anchor:
                index += 1
            row.insert(index, node)
        members[key] = row

    def order(key: str) -> tuple[int, int, str]:
        nodes_ = members[key]
        held = sum(monopoly[n] for n in nodes_)
        external = all(authority.get(n, False) for n in nodes_)
        return (2 if external else (0 if held else 1), -held, key or "\uffff")

    systems_of = Counter(group_of.values())
    per_row = max(8, math.ceil(1.5 * math.sqrt(len(ordered))))
    lane_positions: dict[str, tuple[float, float]] = {}
    bands: list[tuple[str, float, float, int]] = []
    top = 0.0
    for key in sorted(members, key=order):
        nodes_ = members[key]
        y = top
        for start in range(0, len(nodes_), per_row):
            row = nodes_[start : start + per_row]
            height = max(2 * box[n][1] for n in row) + LANE_ROW_PAD
            # each system as near its force-layout x as the boxes before it allow, the row
            # then shifted back to where the force layout had it on average
            xs: list[float] = []
            for index, node in enumerate(row):
                want = positions[node][0]
                if index:
                    before = row[index - 1]
                    want = max(want, xs[-1] + box[before][0] + box[node][0] + LANE_GAP)
                xs.append(want)
            shift = sum(positions[n][0] for n in row) / len(row) - sum(xs) / len(xs)
            # one centre line per row (an edge along it arcs in the page), below room for the
            # interfaces nobody uses; each label hangs below its node
            centre = y + LANE_ROW_PAD + max(box[n][1] for n in row) - 20
            for node, x in zip(row, xs, strict=True):
                lane_positions[node] = (x + shift, centre)
            y += height + 10
        bands.append((key, top, y + 6, sum(systems_of[n] for n in nodes_)))
        top = y + 6
    if lane_positions:
        left = min(p[0] - box[n][0] for n, p in lane_positions.items()) - LANE_GAP - LANE_LABELS
        right = max(p[0] + box[n][0] for n, p in lane_positions.items()) + LANE_GAP
    else:
        left = right = 0.0
    lanes = tuple(
        Lane(key, key or _("(no domain)"), band_top, bottom, left, right, count)
        for key, band_top, bottom, count in bands
    )
    return lane_positions, lanes


def _force_layout(
    ordered: list[str],
    skeleton: nx.Graph[str],
    initial: Mapping[str, tuple[float, float]],
    seed: int,
) -> Positions:
    """Fruchterman-Reingold with numpy (dense, deterministic), scaled to [-1, 1].

    networkx's spring_layout needs scipy above 500 nodes; this needs only numpy. Above
    `DENSE_LIMIT` nodes the domain-cluster start is kept as it is (no O(n²) iterations).
    """
    import numpy as np

    count = len(ordered)
    index = {n: i for i, n in enumerate(ordered)}
    rng = np.random.default_rng(seed)
    pos = np.array([initial[n] for n in ordered], dtype=float)
    pos += rng.uniform(-0.05, 0.05, size=pos.shape)
    if count > DENSE_LIMIT or count < 2:
        return _normalise(pos)
    weights = np.zeros((count, count))
    for a, b, attrs in skeleton.edges(data=True):
        weights[index[a], index[b]] = weights[index[b], index[a]] = attrs.get("weight", 1)
    # Hubs pull less per edge (degree-normalised), so a dense market does not collapse to a ball.
    degree = np.maximum((weights > 0).sum(axis=1), 1)
    weights = weights * 3 / np.sqrt(np.outer(degree, degree))
    k = 3.0 / math.sqrt(count)
    iterations = 150 if count <= 300 else 60
    temperature = 0.25
    cooling = temperature / (iterations + 1)
    for _round in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.sqrt((delta**2).sum(axis=-1))
        np.clip(distance, 0.01, None, out=distance)
        force = k * k / distance**2 - weights * distance / k
        np.fill_diagonal(force, 0)
        displacement = (delta * force[:, :, None]).sum(axis=1)
        length = np.sqrt((displacement**2).sum(axis=1))
        length = np.where(length < 0.01, 0.1, length)
        pos += displacement * (temperature / length)[:, None]
        pos -= 0.06 * pos  # a little gravity keeps disconnected parts near the middle
        temperature -= cooling
    return _normalise(pos)


def _label_width(label: str) -> float:
    """About how wide a node's label is drawn (pixels at zoom 1)."""
    return min(max(60.0, 10.5 * len(label) + 24), 340.0)


def _separate(
    pos: Positions, widths: list[float], heights: list[float], rounds: int = 120
) -> Positions:
    """Push apart nodes whose boxes (node and label) overlap, a little at a time (pixels)."""
    import numpy as np

    count = len(widths)
    if count < 2 or count > DENSE_LIMIT:
        return pos
    pos = pos.copy()
    half = np.array(widths) / 2
    reach_x = half[:, None] + half[None, :]
    half_h = np.array(heights) / 2
    height = half_h[:, None] + half_h[None, :]
    for _round in range(rounds):
        dx = pos[:, None, 0] - pos[None, :, 0]
        dy = pos[:, None, 1] - pos[None, :, 1]
        over_x = reach_x - np.abs(dx)
        over_y = height - np.abs(dy)
        overlap = (over_x > 0) & (over_y > 0)
        np.fill_diagonal(overlap, False)
        if not overlap.any():
            break
        # move along the axis that needs the smaller push; ties broken by index
        along_x = over_x / reach_x < over_y / height
        sign_x = np.where(
            dx == 0, np.sign(np.subtract.outer(np.arange(count), np.arange(count))), np.sign(dx)
        )
        sign_y = np.where(
            dy == 0, np.sign(np.subtract.outer(np.arange(count), np.arange(count))), np.sign(dy)
        )
        push_x = np.where(overlap & along_x, over_x * sign_x, 0).sum(axis=1)
        push_y = np.where(overlap & ~along_x, over_y * sign_y, 0).sum(axis=1)
        pos[:, 0] += 0.25 * push_x
        pos[:, 1] += 0.25 * push_y
    return pos


def _normalise(pos: Positions) -> Positions:
    pos = pos - pos.mean(axis=0)
    extent = abs(pos).max()
    return pos / extent if extent > 0 else pos


REPLACER_DISTANCE = 150.0
"""Where a replacement system sits relative to the system it replaces (pixels)."""
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))

DENSE_LIMIT = 2500
"""Above this many layout nodes, the O(n²) force iterations are skipped."""


# --- building a diagram ------------------------------------------------------------------------


def _systems_text(count: int) -> str:
    text = _("{n} system") if count == 1 else _("{n} systems")
    return text.format(n=count)


def _size(interfaces: int) -> float:
    """Node size by number of interfaces: logarithmic, so a hub does not cover its neighbours."""
    return min(10 + 6 * math.log2(1 + interfaces), 50.0)


def _category_text(category: InterfaceCategory | None) -> list[str]:
    if category is None:
        return [_("Category: not in this state")]
    c = category.category
    return [
        _("Category: {code} – {label}").format(code=c.code, label=_(c.label)),
        "  "
        + _("negotiates {negotiates}, signs {signs}, pays {pays}").format(
            negotiates=_(c.negotiates), signs=_(c.signs), pays=_(c.pays)
        ),
        _("Why:"),
        *(f"  • {reason}" for reason in category.reasons),
    ]


def _contract_lines(contracts: Iterable[ContractText]) -> list[str]:
    items = list(contracts)
    if not items:
        return [_("Contracts: none recorded")]
    return [_("Contracts:"), *(f"  • {c.text()}" for c in items)]


@dataclass
class _Builder:
    """Collects the nodes and edges of one view from a state graph."""

    full: PortfolioGraph
    layout: Layout
    facts: dict[str, SystemFacts]
    contracts: Mapping[str, list[ContractText]]
    interface_attrs: dict[str, dict[str, Any]]
    deployed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """System id -> codes of the municipalities that run it."""
    node_list: list[DiagramNode] = field(default_factory=list)
    edge_list: list[DiagramEdge] = field(default_factory=list)

    @classmethod
    def of(cls, full: PortfolioGraph, layout_: Layout) -> _Builder:
        deployed: dict[str, list[str]] = defaultdict(list)
        for municipality, system, _attrs in edges(full, Rel.DEPLOYS):
            deployed[system[1]].append(municipality[1])
        return cls(
            full=full,
            layout=layout_,
            facts=system_facts(full),
            contracts=contract_texts(full),
            interface_attrs={a["id"]: a for _k, a in nodes(full, Label.INTERFACE)},
            deployed={s: tuple(sorted(set(m))) for s, m in deployed.items()},
        )

    def name(self, system: str) -> str:
        fact = self.facts.get(system)
        return fact.name if fact else system

    def node_name(self, node_id: str) -> str:
        """The name of a diagram node: a group's name or a system's."""
        if node_id in self.layout.group_names:
            return self.layout.group_names[node_id]
        return self.name(node_id.removeprefix("system:"))

    def position(self, node_id: str) -> tuple[float, float]:
        return self.layout.positions.get(node_id, (0.0, 0.0))

    def lane_position(self, node_id: str) -> tuple[float, float]:
        """Where the node sits in the lanes layout (as in the force layout when it has none)."""
        return self.layout.lane_positions.get(node_id) or self.position(node_id)

    def system_tooltip(self, fact: SystemFacts, provides: int, uses: int) -> str:
        lines = [
            f"{fact.name} ({fact.id})",
            _("Kind: {kind}").format(kind=_(fact.kind.label)),
            _("Supplier: {name} ({id})").format(name=fact.supplier_name, id=fact.supplier)
            + (f", SKI {fact.ski}" if fact.ski else ""),
            _("Domain: {domain}").format(domain=fact.domain or "—"),
            _("Lifecycle: {lifecycle}").format(lifecycle=fact.lifecycle),
        ]
        if fact.replaces:
            names = ", ".join(self.name(s) for s in fact.replaces)
            lines.append(_("Replaces: {names}").format(names=names))
        if fact.replaced_by:
            names = ", ".join(self.name(s) for s in fact.replaced_by)
            lines.append(_("Replaced by: {names}").format(names=names))
        lines.append(
            _("Interfaces: provides {provides}, uses {uses}").format(provides=provides, uses=uses)
        )
        return "\n".join(lines)

    def interface_tooltip(
        self,
        interface: str,
        provider: str,
        user: str | None,
        need: str | None,
        category: InterfaceCategory | None,
        extra: Iterable[str] = (),
    ) -> str:
        attrs = self.interface_attrs.get(interface, {})
        if user is None:
            flow = f"{self.name(provider)} → " + _("(nobody uses it)")
        else:
            flow = f"{self.name(provider)} → {self.name(user)}" + (f" ({need})" if need else "")
        lines = [
            f"{interface} {attrs.get('name', '')}".rstrip(),
            flow,
            _("Data: {data}").format(data=attrs.get("data", "—")),
            *extra,
            *_category_text(category),
            *_contract_lines(self.contracts.get(interface, ())),
        ]
        return "\n".join(lines)


def _roundness(edges_: list[tuple[str, str]]) -> list[float]:
    """Parallel edges between one pair curve apart: 0, 0.15, 0.3, ... (first one straight)."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    result = []
    for source, target in edges_:
        key = (min(source, target), max(source, target))
        index = seen[key]
        seen[key] += 1
        bend = min(0.15 * ((index + 1) // 2), 0.6)
        result.append(0.0 if index == 0 else bend * (1 if index % 2 else -1))
    return result


def _view_nodes(
    builder: _Builder,
    systems: Iterable[str],
    interface_counts: Mapping[str, tuple[int, int]],
    styles: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    """Add one node per system (or per group when collapsed)."""
    styles = styles or {}
    groups: dict[str, list[str]] = defaultdict(list)
    for sid in sorted(systems):
        node_id = builder.layout.group_of.get(sid, system_node_id(sid))
        if node_id.startswith("group:"):
            groups[node_id].append(sid)
            continue
        fact = builder.facts[sid]
        provides, uses = interface_counts.get(sid, (0, 0))
        x, y = builder.position(node_id)
        lane_x, lane_y = builder.lane_position(node_id)
        style = dict(styles.get(sid, {}))
        tooltip = builder.system_tooltip(fact, provides, uses)
        if "tooltip" in style:
            tooltip += "\n" + style.pop("tooltip")
        builder.node_list.append(
            DiagramNode(
                id=node_id,
                label=fact.name,
                kind=fact.kind.code,
                x=x,
                y=y,
                size=_size(provides + uses),
                tooltip=tooltip,
                suppliers=(fact.supplier,),
                search=f"{fact.id} {fact.name}",
                municipalities=builder.deployed.get(sid, ()),
                lane_x=lane_x,
                lane_y=lane_y,
                **style,
            )
        )
    for group_id, members in sorted(groups.items()):
        x, y = builder.position(group_id)
        lane_x, lane_y = builder.lane_position(group_id)
        name = builder.layout.group_names.get(group_id, group_id)
        kinds: dict[str, int] = defaultdict(int)
        suppliers: dict[str, int] = defaultdict(int)
        interfaces = 0
        for sid in members:
            kinds[builder.facts[sid].kind.label] += 1
            suppliers[builder.facts[sid].supplier] += 1
            interfaces += sum(interface_counts.get(sid, (0, 0)))
        by = _(COLLAPSE_TEXT[builder.layout.collapse_by or "domain"])
        examples = ", ".join(builder.name(s) for s in members[:8]) + (
            " …" if len(members) > 8 else ""
        )
        lines = [
            _("{name}: {systems} collapsed by {by}").format(
                name=name, systems=_systems_text(len(members)), by=by
            ),
            *(f"  {_(label)}: {n}" for label, n in sorted(kinds.items())),
            _("Suppliers: {n}; interface ends: {ends}").format(n=len(suppliers), ends=interfaces),
            _("Examples: {names}").format(names=examples),
        ]
        style = dict(styles.get(group_id, {}))
        if "tooltip" in style:
            lines.append(style.pop("tooltip"))
        builder.node_list.append(
            DiagramNode(
                id=group_id,
                label=f"{name} ({_systems_text(len(members))})",
                kind=GROUP.code,
                x=x,
                y=y,
                size=14 + 3 * math.sqrt(len(members)),
                tooltip="\n".join(lines),
                suppliers=tuple(sorted(suppliers)),
                search=f"{name} {_systems_text(len(members))}",
                lane_x=lane_x,
                lane_y=lane_y,
                **style,
            )
        )


@dataclass(frozen=True)
class _Line:
    """An edge before collapsing: one use of an interface, its colour key and tooltip."""

    use: Use
    category: str
    color: str
    tooltip: str
    status: str | None = None
    width: float = 1.6
    gap: str | None = None
    """The gap status of the interface (gap view), for the filter by interface status."""
    dashes: bool | None = None
    """Dashed or not; None: by need (dashed when a system would only appreciate it)."""
    opacity: float = 1.0


def _add_edges(builder: _Builder, lines: list[_Line], unused: list[_Line]) -> list[_Line]:
    """Edges provider -> user and the stubs of unused interfaces; returns the lines drawn
    (counted, when not drawn one by one), from which the filters count interfaces.

    Uses between two nodes are bundled into one edge per category (and status and colour)
    when the nodes are collapsed groups, or when more than `MAX_PARALLEL` uses join the same
    two systems: forty curves between two systems would hide everything else. Above
    `BUNDLE_ABOVE` uses (a national portfolio) every pair of systems gets one edge (in the gap
    view one per kind of change), its width and label the number of uses, and interfaces nobody
    uses get no stub: the page stays readable and its filters still count every interface.
    """
    group_of = builder.layout.group_of
    large = not builder.layout.collapsed and len(lines) > BUNDLE_ABOVE

    def end(system: str) -> str:
        return group_of.get(system, system_node_id(system))

    ends = [(end(line.use.provider), end(line.use.user)) for line in lines]
    per_pair: dict[tuple[str, str], int] = defaultdict(int)
    for pair in ends:
        per_pair[pair] += 1
    singles: list[tuple[_Line, str, str]] = []
    bundles: dict[tuple[str, ...], list[_Line]] = defaultdict(list)
    for line, (source, target) in zip(lines, ends, strict=True):
        if large:
            bundles[(source, target, line.status or "")].append(line)
        elif builder.layout.collapsed or per_pair[(source, target)] > MAX_PARALLEL:
            key: tuple[str, ...] = (
                source,
                target,
                line.category,
                line.status or "",
                line.color,
                line.gap or "",
            )
            bundles[key].append(line)
        else:
            singles.append((line, source, target))
    ordered = sorted(bundles.items(), key=lambda kv: kv[0])
    pairs = [(s, t) for _, s, t in singles] + [(k[0], k[1]) for k, _ in ordered]
    curves = _roundness(pairs)
    for (line, source, target), roundness in zip(singles, curves, strict=False):
        name = builder.interface_attrs.get(line.use.interface, {}).get("name", "")
        builder.edge_list.append(
            DiagramEdge(
                id=f"use:{line.use.interface}:{line.use.user}",
                source=source,
                target=target,
                color=line.color,
                tooltip=line.tooltip,
                category=line.category,
                interface=line.use.interface,
                status=line.status,
                gap=line.gap,
                dashes=line.use.need == "nice" if line.dashes is None else line.dashes,
                width=line.width,
                roundness=roundness,
                search=f"{line.use.interface} {name}",
                opacity=line.opacity,
            )
        )
    for number, ((key, items), roundness) in enumerate(
        zip(ordered, curves[len(singles) :], strict=True)
    ):
        builder.edge_list.append(_bundle(builder, number, key[0], key[1], items, roundness))
    if builder.layout.collapsed:
        return list(lines)
    if not large:
        _add_stubs(builder, unused)
    return [*lines, *unused]


def _bundle(
    builder: _Builder,
    number: int,
    source: str,
    target: str,
    items: list[_Line],
    roundness: float,
) -> DiagramEdge:
    """One edge for several uses between two nodes: the most common colour, a width and label
    by count, a tooltip with the uses per category (and status) and their filter values."""
    ids = sorted({i.use.interface for i in items})
    categories = Counter(i.category for i in items)
    statuses = Counter(i.status for i in items if i.status)
    main = Counter(i.color for i in items).most_common(1)[0][0]
    first = next(i for i in items if i.color == main)
    category = categories.most_common(1)[0][0]
    head = _("{uses} uses of {n} interfaces").format(uses=len(items), n=len(ids))
    tooltip = "\n".join(
        [
            head,
            f"{builder.node_name(source)} → {builder.node_name(target)}",
            _("By category: {counts}").format(
                counts=", ".join(f"{c} {n}" for c, n in categories.most_common())
            ),
            *(
                [
                    _("By change: {counts}").format(
                        counts=", ".join(
                            f"{_(STATUS_SHORT.get(s, s))} {n}" for s, n in statuses.most_common()
                        )
                    )
                ]
                if statuses
                else []
            ),
            _("Interfaces: {ids}").format(
                ids=", ".join(ids[:10]) + (" …" if len(ids) > 10 else "")
            ),
        ]
    )
    values: dict[str, tuple[str, ...]] = {"category": tuple(sorted(categories))}
    gaps = {i.gap for i in items if i.gap}
    if gaps:
        values["gap"] = tuple(sorted(gaps))
    dashed = [i.dashes if i.dashes is not None else i.use.need == "nice" for i in items]
    return DiagramEdge(
        id=f"bundle:{number}",
        source=source,
        target=target,
        color=main,
        tooltip=tooltip,
        category=category,
        status=first.status,
        gap=first.gap,
        dashes=all(dashed),
        width=min(first.width * (0.6 + 0.4 * math.log2(len(items))), first.width * 3, 9.0),
        roundness=roundness,
        search=" ".join(ids[:10]),
        label=str(len(items)) if len(items) > 2 else None,
        opacity=first.opacity * (0.7 if first.status == "kept" else 1.0),
        values=values,
    )


MAX_PARALLEL = 4
"""More uses than this between two systems are drawn as one bundle per category."""
BUNDLE_ABOVE = 600
"""Above this many uses in a view, every pair of systems is drawn as one edge (a national
portfolio's thousands of uses would otherwise be a hairball)."""


def _add_stubs(builder: _Builder, unused: list[_Line]) -> None:
    """Interfaces nobody uses: a small node beside the provider, joined by its category colour."""
    by_provider: dict[str, list[_Line]] = defaultdict(list)
    for line in unused:
        by_provider[line.use.provider].append(line)
    sizes = {n.id: n.size for n in builder.node_list}
    for provider, items in sorted(by_provider.items()):
        px, py = builder.position(system_node_id(provider))
        lx, ly = builder.lane_position(system_node_id(provider))
        top = ly - sizes.get(system_node_id(provider), _size(0))
        cx, cy = _centre(builder.layout)
        base = math.atan2(py - cy, px - cx)
        for index, line in enumerate(sorted(items, key=lambda i: i.use.interface)):
            angle = base + (index - (len(items) - 1) / 2) * 0.6
            # in a lane: side by side above the provider (its label is below it)
            lane_dx = (index - (len(items) - 1) / 2) * 70
            iid = line.use.interface
            name = builder.interface_attrs.get(iid, {}).get("name", "")
            node_id = f"interface:{iid}"
            builder.node_list.append(
                DiagramNode(
                    id=node_id,
                    label=iid,
                    kind=INTERFACE.code,
                    x=px + 90 * math.cos(angle),
                    y=py + 90 * math.sin(angle),
                    lane_x=lx + lane_dx,
                    lane_y=top - 36,
                    size=5,
                    tooltip=line.tooltip,
                    suppliers=(builder.facts[provider].supplier,),
                    search=f"{iid} {name}",
                    border=line.color,
                    border_width=2,
                    font_color=FADED_TEXT if line.color == FADED else "#566573",
                )
            )
            builder.edge_list.append(
                DiagramEdge(
                    id=f"provides:{iid}",
                    source=system_node_id(provider),
                    target=node_id,
                    color=line.color,
                    tooltip=line.tooltip,
                    category=line.category,
                    interface=iid,
                    status=line.status,
                    gap=line.gap,
                    dashes=[4, 4],
                    width=1.2,
                    search=f"{iid} {name}",
                )
            )


def _centre(layout_: Layout) -> tuple[float, float]:
    if not layout_.positions:
        return (0.0, 0.0)
    xs = [p[0] for p in layout_.positions.values()]
    ys = [p[1] for p in layout_.positions.values()]
    return (sum(xs) / len(xs), sum(ys) / len(ys))


def _counts(graph: PortfolioGraph) -> dict[str, tuple[int, int]]:
    provides: dict[str, set[str]] = defaultdict(set)
    uses: dict[str, set[str]] = defaultdict(set)
    for system, interface, _rel in edges(graph, Rel.PROVIDES):
        provides[system[1]].add(interface[1])
    for system, interface, _rel in edges(graph, Rel.USES):
        uses[system[1]].add(interface[1])
    return {s: (len(provides.get(s, ())), len(uses.get(s, ()))) for s in provides.keys() | uses}


def _systems(graph: PortfolioGraph) -> set[str]:
    return {a["id"] for _, a in nodes(graph, Label.SYSTEM)}


def _legend(
    kinds: Iterable[Kind],
    edge_title: str,
    edge_items: Iterable[LegendItem],
    collapsed: bool,
    stubs: bool = False,
    needs: bool = True,
    bundled: bool = False,
) -> tuple[LegendSection, ...]:
    """The legend: the kinds of systems (and what a group node is), then the edges."""
    system_items = [LegendItem(k.code, _(k.label), k.color, k.shape) for k in kinds]
    if collapsed:
        system_items.append(
            LegendItem(
                GROUP.code,
                _("Hexagon: a group of systems (by domain or supplier), with its count"),
                GROUP.color,
                "hexagon",
            )
        )
    else:
        system_items.append(
            LegendItem(
                "supplier-group",
                _(
                    "Hexagon (when grouped by supplier): one supplier's local systems; "
                    "monopoly and KOMBIT systems and external authorities stay visible; click it "
                    "to open"
                ),
                SUPPLIER_GROUP_COLOUR,
                "hexagon",
            )
        )
    if stubs:
        system_items.append(
            LegendItem(
                INTERFACE.code, _("Interface nobody uses (beside its provider)"), "#ffffff", "dot"
            )
        )
    system_items.append(
        LegendItem("size", _("Size: number of interfaces it provides or uses"), "#aab7b8", "dot")
    )
    lines = list(edge_items)
    if bundled:
        lines.append(
            LegendItem(
                "bundle",
                _("thick with a number: that many uses between two systems (hover for them)"),
                "#566573",
                "line",
            )
        )
    if needs:
        lines += [
            LegendItem("need-must", _("solid: a system must use it (skal)"), "#566573", "line"),
            LegendItem("need-nice", _("dashed: would appreciate it (nice)"), "#566573", "dashed"),
        ]
    return (
        LegendSection(_("Systems (nodes)"), tuple(system_items)),
        LegendSection(edge_title, tuple(lines)),
    )


def _category_items() -> list[LegendItem]:
    """The one category legend (`palette.legend_entries`), as lines."""
    return [LegendItem(e.code, e.text, e.colour, "line") for e in legend_entries()]


def _interface_counts(lines: Iterable[_Line], value: Callable[[_Line], str | None]) -> Counter[str]:
    """How many distinct interfaces the drawn lines show per value (an interface drawn as
    several uses counts once): a filter's counts are interface counts, as in summary.json."""
    seen = {(value(line), line.use.interface) for line in lines}
    return Counter(key for key, _interface in seen if key is not None)


def _facets(diagram_nodes: Iterable[DiagramNode], drawn: Iterable[_Line]) -> list[Facet]:
    node_kinds: dict[str, int] = defaultdict(int)
    for n in diagram_nodes:
        node_kinds[n.kind] += 1
    categories = _interface_counts(drawn, lambda line: line.category)
    return [
        Facet(
            _("Interfaces by category"),
            "category",
            "edge",
            tuple(
                FacetOption(code, f"{code}", categories[code])
                for code in CATEGORIES
                if categories.get(code)
            ),
        ),
        Facet(
            _("System kind"),
            "kind",
            "node",
            tuple(
                FacetOption(k.code, _(k.label), node_kinds[k.code])
                for k in (*SYSTEM_KINDS, GROUP, INTERFACE)
                if node_kinds.get(k.code)
            ),
        ),
    ]


def _suppliers(builder: _Builder, systems: Iterable[str]) -> tuple[tuple[str, str, int], ...]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for sid in systems:
        fact = builder.facts[sid]
        counts[(fact.supplier, fact.supplier_name)] += 1
    return tuple(
        (sid, name, n) for (sid, name), n in sorted(counts.items(), key=lambda kv: kv[0][1])
    )


def _note(layout_: Layout, systems: int) -> str | None:
    if not layout_.collapsed:
        return None
    groups = len(set(g for g in layout_.group_of.values() if g.startswith("group:")))
    return _(
        "Collapsed: the portfolio has {systems} systems, more than {limit} "
        "(--collapse-above), so the systems that are not monopoly systems are drawn as "
        "{groups} groups by {by}, with counts; edges bundle the interfaces "
        "between groups. Render with a higher --collapse-above to see every system."
    ).format(
        systems=format_number(systems, 0),
        limit=format_number(layout_.collapse_above, 0),
        groups=format_number(groups, 0),
        by=_(COLLAPSE_TEXT[layout_.collapse_by or "domain"]),
    )


def _bundle_note(edges_: int, uses: int) -> str | None:
    """What the page says when a large view draws one edge per pair of systems."""
    if uses <= BUNDLE_ABOVE:
        return None
    return _(
        "Bundled: {uses} uses, more than {limit}, so every pair of systems is drawn as one "
        "edge ({edges} edges), its width and number the uses between them; interfaces nobody "
        "uses get no stub (the filters count them)."
    ).format(
        uses=format_number(uses, 0),
        limit=format_number(BUNDLE_ABOVE, 0),
        edges=format_number(edges_, 0),
    )


def _notes(*notes: str | None) -> str | None:
    joined = " ".join(n for n in notes if n)
    return joined or None


def _state_diagram(
    full: PortfolioGraph,
    graph: PortfolioGraph,
    view: View,
    title: str,
    layout_: Layout,
    node_styles: Mapping[str, Mapping[str, Any]] | None = None,
    edge_style: Callable[[_Line], _Line] | None = None,
    extra_systems: Iterable[str] = (),
    decided: Iterable[InterfaceCategory] = (),
    scope: str = "",
    used_elsewhere: Collection[str] = frozenset(),
) -> Diagram:
    """A state's diagram; `decided`: the categories of the whole catalogue (for one
    municipality's graph), else they are decided on `graph` itself. An interface nobody in
    `graph` uses but that is in `used_elsewhere` gets no stub (counted in the subtitle)."""
    builder = _Builder.of(full, layout_)
    present = {a["id"] for _, a in nodes(graph, Label.INTERFACE)}
    categories = {c.interface: c for c in decided if c.interface in present}
    systems = _systems(graph)
    _view_nodes(builder, systems | set(extra_systems), _counts(graph), node_styles)
    uses = uses_of(graph)
    lines = []
    for (iid, user), use in sorted(uses.items()):
        category = categories.get(iid)
        code = category.category.code if category else "unclassified"
        extra = []
        if use.repointed_from:
            extra.append(
                _("Repointed: {old} used it in AS-IS; {new} replaces it").format(
                    old=builder.name(use.repointed_from), new=builder.name(user)
                )
            )
        tooltip = (  # collapsed or large: edges are bundles with their own tooltips
            ""
            if layout_.collapsed or len(uses) > BUNDLE_ABOVE
            else builder.interface_tooltip(iid, use.provider, user, use.need, category, extra)
        )
        lines.append(_Line(use, code, CATEGORY_COLORS[code], tooltip))
    used = {iid for iid, _ in uses}
    unused = []
    left_out = 0
    for iid, provider in sorted(provided(graph).items()):
        if iid in used or provider not in systems:
            continue
        if iid in used_elsewhere:
            left_out += 1
            continue
        category = categories.get(iid)
        code = category.category.code if category else "unclassified"
        tooltip = builder.interface_tooltip(iid, provider, None, None, category)
        unused.append(_Line(Use(iid, provider, "", "must"), code, CATEGORY_COLORS[code], tooltip))
    if edge_style is not None:
        lines = [edge_style(line) for line in lines]
        unused = [edge_style(line) for line in unused]
    drawn = _add_edges(builder, lines, unused)
    kinds = [k for k in SYSTEM_KINDS if any(n.kind == k.code for n in builder.node_list)]
    n_interfaces = len(categories)
    subtitle = (
        scope
        + _("{systems} systems, {interfaces} interfaces, {uses} uses. ").format(
            systems=len(systems), interfaces=n_interfaces, uses=len(uses)
        )
        + _left_out_text(left_out)
        + _("Arrows run provider → user; colour = category. Hover for details.")
    )
    return Diagram(
        view=view,
        title=title,
        subtitle=subtitle,
        nodes=tuple(builder.node_list),
        edges=tuple(builder.edge_list),
        legend=_legend(
            kinds,
            _("Interfaces (edges) by category"),
            _category_items(),
            layout_.collapsed,
            any(n.kind == INTERFACE.code for n in builder.node_list),
            bundled=any(e.id.startswith("bundle:") for e in builder.edge_list),
        ),
        facets=tuple(_facets(builder.node_list, drawn)),
        suppliers=_suppliers(builder, systems),
        note=_notes(
            _note(layout_, len(builder.facts)),
            None if layout_.collapsed else _bundle_note(len(builder.edge_list), len(lines)),
        ),
        collapsed=layout_.collapsed,
        municipalities=_municipality_options(full, builder, systems),
    )


def _source(full: PortfolioGraph) -> str:
    """The portfolio's name; for one municipality's part, and which municipality."""
    source = str(full.graph.get("source", "portfolio"))
    name = Path(source).name or source
    code = full.graph.get("municipality")
    if code is None:
        return name
    return f"{name}, {_municipality_name(full, code)}"


def _municipality_name(full: PortfolioGraph, code: str) -> str:
    """'kommune 101 København' (the name when the portfolio knows it)."""
    attrs = full.nodes.get((Label.MUNICIPALITY.value, code), {})
    return f"kommune {code} {attrs.get('name', '')}".rstrip()


def _scope(full: PortfolioGraph, catalogue: PortfolioGraph | None) -> str:
    """The subtitle's opening for one municipality's part: what is drawn, and whose categories."""
    code = full.graph.get("municipality")
    if catalogue is None or code is None:
        return ""
    name = _municipality_name(full, code)
    return _("{name}'s own part; categories from the whole catalogue. ").format(
        name=f"{name[0].upper()}{name[1:]}"
    )


def _used_in(catalogue: PortfolioGraph | None) -> frozenset[str]:
    """The interfaces some system of the catalogue uses (in any municipality or state)."""
    if catalogue is None:
        return frozenset()
    return frozenset(interface[1] for _s, interface, _e in edges(catalogue, Rel.USES))


def _left_out_text(count: int) -> str:
    if not count:
        return ""
    if count == 1:
        return _("Not drawn: {n} interface only other municipalities use. ").format(n=count)
    return _("Not drawn: {n} interfaces only other municipalities use. ").format(n=count)


def _municipality_options(
    full: PortfolioGraph, builder: _Builder, systems: Iterable[str]
) -> tuple[tuple[str, str, int], ...]:
    """(code, name, systems it runs) of every municipality running a system of the view, for
    the page's municipality filter; none for one municipality's part or a single one."""
    if full.graph.get("municipality") is not None:
        return ()
    counts: Counter[str] = Counter()
    for sid in systems:
        counts.update(builder.deployed.get(sid, ()))
    if len(counts) < 2:
        return ()
    names = {a["id"]: a.get("name", "") for _k, a in nodes(full, Label.MUNICIPALITY)}
    return tuple((code, names.get(code, ""), counts[code]) for code in sorted(counts))


def _catalogue(assessment: Assessment) -> PortfolioGraph | None:
    """The whole catalogue when one municipality's part is drawn, else None."""
    return None if assessment.municipality is None else assessment.catalogue


def as_is_diagram(assessment: Assessment, layout_: Layout | None = None) -> Diagram:
    """AS-IS: the systems `as-is`/`both` and their interfaces, coloured by category."""
    full, catalogue = assessment.graph, _catalogue(assessment)
    layout_ = layout_ or layout(full)
    return _state_diagram(
        full,
        assessment.transition.as_is,
        "as-is",
        _("AS-IS: {source}").format(source=_source(full)),
        layout_,
        decided=assessment.categorised("as-is"),
        scope=_scope(full, catalogue),
        used_elsewhere=_used_in(catalogue),
    )


def to_be_diagram(assessment: Assessment, layout_: Layout | None = None) -> Diagram:
    """TO-BE: the derived TO-BE graph (repointed uses say from whom), coloured by category."""
    full, catalogue = assessment.graph, _catalogue(assessment)
    layout_ = layout_ or layout(full)
    return _state_diagram(
        full,
        assessment.transition.to_be,
        "to-be",
        _("TO-BE: {source}").format(source=_source(full)),
        layout_,
        decided=assessment.categorised("to-be"),
        scope=_scope(full, catalogue),
        used_elsewhere=_used_in(catalogue),
    )


def gap_diagram(assessment: Assessment, layout_: Layout | None = None) -> Diagram:
    """Gap: every use in AS-IS or TO-BE, coloured kept / repointed / retired / new."""
    full, catalogue = assessment.graph, _catalogue(assessment)
    layout_ = layout_ or layout(full)
    result = assessment.transition
    as_is, to_be = result.as_is, result.to_be
    rows = {row.interface: row for row in assessment.gap}
    cat_as_is = cat_to_be = assessment.categories
    builder = _Builder.of(full, layout_)
    systems = _systems(as_is) | _systems(to_be)
    counts_as_is, counts_to_be = _counts(as_is), _counts(to_be)
    counts = {
        s: (
            max(counts_as_is.get(s, (0, 0))[0], counts_to_be.get(s, (0, 0))[0]),
            max(counts_as_is.get(s, (0, 0))[1], counts_to_be.get(s, (0, 0))[1]),
        )
        for s in systems
    }
    _view_nodes(builder, systems, counts)
    before, after = uses_of(as_is), uses_of(to_be)
    provider_before, provider_after = provided(as_is), provided(to_be)
    taken_over = {
        (iid, new.repointed_from) for (iid, _u), new in after.items() if new.repointed_from
    }
    broken = {
        (need.interface, system)
        for need in assessment.broken_needs
        for system in (need.system, need.taken_over_from)
        if system
    }
    lines = []
    large = layout_.collapsed or len(before.keys() | after.keys()) > BUNDLE_ABOVE
    for key in sorted(before.keys() | after.keys()):
        iid, user = key
        old, new = before.get(key), after.get(key)
        if old and new:
            moved = new.repointed_from or new.provider != old.provider
            status = "repointed" if moved else "kept"
        elif new:
            status = "repointed" if new.repointed_from else "new"
        elif key in taken_over or (rows.get(iid) and rows[iid].status == "repointed"):
            status = "ghost"  # the replacer's use of it is drawn repointed
        else:
            status = "retired"
        if key in broken:
            status = "broken"
        use = new or old
        assert use is not None
        category = cat_to_be.get(iid) if new else cat_as_is.get(iid)
        code = category.category.code if category else "unclassified"
        style = GAP_STYLES[status]
        lines.append(
            _Line(
                use,
                code,
                style.colour,
                ""  # drawn as bundles, which have their own tooltips
                if large
                else builder.interface_tooltip(
                    iid,
                    use.provider,
                    user,
                    use.need,
                    category,
                    _gap_text(builder, rows.get(iid), status, old, new),
                ),
                status,
                style.width,
                _interface_status(rows.get(iid), status),
                dashes=style.dashes,
                opacity=style.opacity,
            )
        )
    used = {iid for iid, _ in before.keys() | after.keys()}
    used_elsewhere = _used_in(catalogue)
    unused = []
    left_out = 0
    for iid in sorted((provider_before.keys() | provider_after.keys()) - used):
        if iid in used_elsewhere:
            left_out += 1
            continue
        provider = provider_after.get(iid) or provider_before[iid]
        row = rows.get(iid)
        status = row.status if row else "kept"
        category = cat_to_be.get(iid) or cat_as_is.get(iid)
        code = category.category.code if category else "unclassified"
        tooltip = builder.interface_tooltip(
            iid, provider, None, None, category, _gap_text(builder, row, status, None, None)
        )
        style = GAP_STYLES[status]
        unused.append(
            _Line(
                Use(iid, provider, "", "must"),
                code,
                style.colour,
                tooltip,
                status,
                gap=_interface_status(row, status),
                opacity=max(style.opacity, 0.6),
            )
        )
    drawn = _add_edges(builder, lines, unused)
    statuses = _interface_counts(drawn, lambda line: line.gap)
    kinds = [k for k in SYSTEM_KINDS if any(n.kind == k.code for n in builder.node_list)]
    status_items = [
        LegendItem(
            s,
            _(STATUS_LABELS[s]),
            GAP_STYLES[s].colour,
            "dashed" if GAP_STYLES[s].dashes else ("line-thin" if s == "kept" else "line"),
        )
        for s in USE_STYLES
    ]
    facets = [
        Facet(
            _("Interfaces by gap status"),
            "gap",
            "edge",
            tuple(
                FacetOption(s, _(STATUS_SHORT[s]), statuses[s])
                for s in STATUS_COLORS
                if statuses.get(s)
            ),
        ),
        *_facets(builder.node_list, drawn),
    ]
    changed = sum(1 for r in result.gap if r.status != "kept")
    return Diagram(
        view="gap",
        title=_("Gap AS-IS → TO-BE: {source}").format(source=_source(full)),
        subtitle=(
            _scope(full, catalogue)
            + _("{n} interfaces: ").format(n=len(rows))
            + ", ".join(
                f"{n} {_(STATUS_SHORT[s])}"
                for s, n in sorted(
                    _count_status(result.gap).items(),
                    key=lambda kv: list(STATUS_COLORS).index(kv[0]),
                )
            )
            + _(" ({n} change). ").format(n=changed)
            + _left_out_text(left_out)
            + _("Faint: kept; strong: what changes; hover for the moves.")
        ),
        nodes=tuple(builder.node_list),
        edges=tuple(builder.edge_list),
        legend=_legend(
            kinds,
            _("Uses (edges) by change"),
            status_items,
            layout_.collapsed,
            any(n.kind == INTERFACE.code for n in builder.node_list),
            needs=False,
            bundled=any(e.id.startswith("bundle:") for e in builder.edge_list),
        ),
        facets=tuple(facets),
        suppliers=_suppliers(builder, systems),
        note=_notes(
            _note(layout_, len(builder.facts)),
            None if layout_.collapsed else _bundle_note(len(builder.edge_list), len(lines)),
        ),
        collapsed=layout_.collapsed,
        municipalities=_municipality_options(full, builder, systems),
    )


def _interface_status(row: GapRow | None, use_status: str) -> str:
    """The gap status of an interface (the gap's row), which the gap view filters by; a use's
    own status (its style) can differ: a repointed interface's old use is drawn ghosted."""
    return row.status if row is not None else use_status


def _count_status(rows: Iterable[GapRow]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.status] += 1
    return dict(counts)


def _gap_text(
    builder: _Builder, row: GapRow | None, status: str, old: Use | None, new: Use | None
) -> list[str]:
    label = _(STATUS_LABELS[status]) if status in STATUS_LABELS else status
    lines = [_("This use: {status}").format(status=label)]
    if old and new and new.provider != old.provider:
        lines.append(
            _("Provider: {old} → {new}").format(
                old=builder.name(old.provider), new=builder.name(new.provider)
            )
        )
    if new and new.repointed_from:
        lines.append(_("Takes over from: {name}").format(name=builder.name(new.repointed_from)))
    if row is not None:
        lines.append(
            _("Interface: {status}; category AS-IS {as_is}, TO-BE {to_be}").format(
                status=_(STATUS_SHORT.get(row.status, row.status)),
                as_is=row.category_as_is or "—",
                to_be=row.category_to_be or "—",
            )
        )
        lines.extend(f"  • {reason}" for reason in row.reasons[:6])
    return lines


def diagram(
    assessment: Assessment,
    view: View,
    layout_: Layout | None = None,
    impact: Impact | None = None,
    edge_ids: bool = False,
) -> Diagram:
    """The diagram of a view of an assessment (the impact view draws `impact`, the result of
    `Assessment.impact`). Lay out `assessment.graph` once to share positions across views;
    the page opens with the layout's mode (force or lanes) and, with `edge_ids`, each edge
    labelled by its interface id. The subtitle opens with the what-if go-live dates when a
    scenario is in force (first, as the page cuts a long subtitle at its end)."""
    layout_ = layout_ or layout(assessment.graph)
    drawn = _view_diagram(assessment, view, layout_, impact)
    lanes = _lanes_of_view(layout_, drawn.nodes)
    drawn = replace(drawn, layout_mode=layout_.mode, lanes=lanes, edge_ids=edge_ids)
    if not assessment.scenario:
        return drawn
    return replace(drawn, subtitle=f"{assessment.scenario.text()} · {drawn.subtitle}")


def _lanes_of_view(layout_: Layout, drawn: Iterable[DiagramNode]) -> tuple[Lane, ...]:
    """The layout's lanes, each with the number of systems this view draws in it (a group
    node counts its systems): AS-IS and TO-BE share the lanes but not every system."""
    members = Counter(layout_.group_of.values())
    counts: Counter[str] = Counter()
    for node in drawn:
        if node.kind == INTERFACE.code or node.lane_y is None:
            continue
        for lane in layout_.lanes:
            if lane.top <= node.lane_y <= lane.bottom:
                counts[lane.key] += members.get(node.id, 1)
                break
    return tuple(replace(lane, systems=counts[lane.key]) for lane in layout_.lanes)


def _view_diagram(
    assessment: Assessment, view: View, layout_: Layout, impact: Impact | None
) -> Diagram:
    if view == "as-is":
        return as_is_diagram(assessment, layout_)
    if view == "to-be":
        return to_be_diagram(assessment, layout_)
    if view == "gap":
        return gap_diagram(assessment, layout_)
    if view == "impact":
        if impact is None:
            raise SnitgrafError(_("the impact view needs --system ID (the system to replace)"))
        return impact_diagram(assessment, impact, layout_)
    raise SnitgrafError(
        _("unknown view {view!r}; use one of {views}").format(view=view, views=", ".join(VIEWS))
    )


def impact_diagram(
    assessment: Assessment, result: Impact, layout_: Layout | None = None
) -> Diagram:
    """Impact of replacing a system (`result`): it, the affected interfaces and the dependent
    systems by distance are highlighted; everything else fades."""
    drawn, catalogue = assessment.graph, _catalogue(assessment)
    full = drawn
    layout_ = layout_ or layout(drawn)
    state: State = "as-is" if result.state == "as-is" else "to-be"
    graph = assessment.state_graph(state)
    decided = assessment.categorised(state)
    target = result.system
    distance: dict[str, int] = {target: 0}
    paths: dict[str, str] = {}
    for affected in result.affected_systems:
        distance[affected.system] = affected.distance
        paths[affected.system] = " → ".join(affected.path)
    affected_interfaces = {i.interface: i for i in result.affected_interfaces}
    node_styles: dict[str, dict[str, Any]] = {}
    by_node: dict[str, int] = {}
    for sid in _systems(graph) | set(result.replaced_by):
        node_id = layout_.group_of.get(sid, system_node_id(sid))
        key = node_id if node_id.startswith("group:") else sid
        current = by_node.get(key, -1)
        if sid in distance:  # a group takes the nearest distance of its members
            by_node[key] = distance[sid] if current < 0 else min(current, distance[sid])
        else:
            by_node[key] = current
    replacers = set(result.replaced_by)
    counterparts = {c for i in result.affected_interfaces for c in i.counterparts}
    counterparts |= {layout_.group_of.get(c, "") for c in counterparts if c in layout_.group_of}
    for key, d in by_node.items():
        if d == 0:
            node_styles[key] = {
                "color": DISTANCE_COLORS[0],
                "border": "#000000",
                "border_width": 4,
                "distance": 0,
                "tooltip": (
                    _("Impact: this system is replaced by {names}").format(
                        names=", ".join(_name(drawn, r) for r in result.replaced_by)
                    )
                    if result.replaced_by
                    else _("Impact: this system is replaced (nothing replaces it)")
                ),
            }
        elif d > 0:
            node_styles[key] = {
                "color": DISTANCE_COLORS[min(d, len(DISTANCE_COLORS) - 1)],
                "border": "#000000",
                "distance": d,
                "tooltip": _("Impact: depends on it at distance {d}").format(d=d)
                + ("\n" + _("Path: {path}").format(path=paths[key]) if key in paths else ""),
            }
        elif key in replacers:
            node_styles[key] = {"tooltip": _("Impact: takes over the replaced system's roles")}
        elif key in counterparts:
            node_styles[key] = {
                "tooltip": _("Impact: at the other end of an interface of {system}").format(
                    system=target
                )
            }
        else:
            node_styles[key] = {"color": FADED, "border": FADED, "font_color": FADED_TEXT}

    def edge_style(line: _Line) -> _Line:
        item = affected_interfaces.get(line.use.interface)
        if item is None:
            return replace(line, color=FADED, width=1.0)
        text = _(
            "Impact: {system} {role} it; after: {after}, role {role_after}{moved}; "
            "negotiates {negotiates}"
        ).format(
            system=target,
            role=_(ROLE_TEXT[item.role]) if item.role in ROLE_TEXT else item.role,
            after=item.status_after,
            role_after=item.role_after,
            moved=(" " + _("to {names}").format(names=", ".join(item.moved_to)))
            if item.moved_to
            else "",
            negotiates=_(item.negotiates),
        )
        return replace(line, width=3.5, tooltip=line.tooltip + "\n" + text)

    base = _state_diagram(
        drawn,
        graph,
        "impact",
        _("Impact of replacing {name}: {source}").format(name=result.name, source=_source(full)),
        layout_,
        node_styles,
        edge_style,
        extra_systems=replacers,
        decided=decided,
        used_elsewhere=_used_in(catalogue),
    )
    extra_edges = [
        DiagramEdge(
            id=f"replaces:{r}:{target}",
            source=layout_.group_of.get(r, system_node_id(r)),
            target=layout_.group_of.get(target, system_node_id(target)),
            color=INK,
            tooltip=_("{new} replaces {old}").format(new=_name(drawn, r), old=result.name),
            category="replaces",
            dashes=True,
            width=3,
            label=_("replaces"),
        )
        for r in sorted(replacers)
    ]
    levels: dict[int, int] = defaultdict(int)
    for affected in result.affected_systems:
        levels[affected.distance] += 1
    by = ", ".join(_name(drawn, r) for r in result.replaced_by) or _("nothing")
    known = result.cost_total.known_dkk
    subtitle = _scope(full, catalogue) + _(
        "{name} replaced by {by}: {interfaces} interfaces, {systems} dependent systems "
        "({levels}), {contracts} contracts, {known}/year known. Faded: not affected."
    ).format(
        name=result.name,
        by=by,
        interfaces=len(affected_interfaces),
        systems=len(result.affected_systems),
        levels=", ".join(
            _("distance {d}: {n}").format(d=d, n=n) for d, n in sorted(levels.items())
        ),
        contracts=len(result.contracts),
        known=format_dkk(known),
    )
    impact_items = (
        LegendItem("distance-0", _("the replaced system"), DISTANCE_COLORS[0], "square"),
        *(
            LegendItem(f"distance-{d}", _(label), DISTANCE_COLORS[d], "dot")
            for d, label in (
                (1, N_("uses it directly (distance 1)")),
                (2, N_("distance 2")),
                (3, N_("distance 3 or more")),
            )
        ),
        LegendItem("affected", _("thick: an affected interface"), "#566573", "line"),
        LegendItem("replaces", _("replaces (dashed)"), INK, "dashed"),
        LegendItem(
            "counterpart",
            _("own colour: at the other end of an affected interface"),
            LOCAL.color,
            "dot",
        ),
        LegendItem("faded", _("faded: not affected"), "#d5d8dc", "dot"),
    )
    return replace(
        base,
        subtitle=subtitle,
        edges=(*base.edges, *extra_edges),
        legend=(LegendSection(_("Impact"), impact_items), *base.legend),
    )


def _name(full: PortfolioGraph, system: str) -> str:
    attrs = full.nodes.get((Label.SYSTEM.value, system), {})
    return str(attrs.get("name", system))
