"""One municipality's part of a national graph: its systems, interfaces, usages and contracts.

`municipality_graph(graph, code)` keeps
- the systems the municipality deploys (DEPLOYS edges); when the portfolio has no deployments at
  all, every system counts as deployed;
- national systems (systems no municipality deploys: authorities, støttesystemer), but only where
  they provide or use an interface the municipality's own systems take part in;
- the interfaces its systems provide, and those they use;
- usages (USES) whose `municipality` is the code or blank (blank = every municipality);
- contracts (COVERS) with the code or blank, covering a kept interface;
- the suppliers of kept systems and contracts, the data keys of kept interfaces, and the
  municipality itself.

Categories are NOT recomputed on this graph. A category is a property of the shared catalogue:
S(D) counts the suppliers that can expose D across the whole market, and must/nice look at every
monopoly system's needs anywhere. Restricting first would turn a `common-must` interface into
`kombit-98` in a municipality whose only provider happens to be one supplier. So: categorise the
unrestricted graph (of the same state), then keep the rows of the municipality's interfaces
(`restrict_categories`); the networkx backend does exactly that for `--municipality`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from snitgraf.graph import edges, nodes
from snitgraf.i18n import _
from snitgraf.problems import SnitgrafError
from snitgraf.schema import Label, NodeKey, PortfolioGraph, Rel, node_key

if TYPE_CHECKING:
    from snitgraf.analysis.categorise import InterfaceCategory


def municipality_codes(graph: PortfolioGraph) -> set[str]:
    """Every municipality code the graph knows: Municipality nodes and codes on usages/contracts."""
    codes = {attrs["id"] for _, attrs in nodes(graph, Label.MUNICIPALITY)}
    codes |= {a["municipality"] for _, _, a in edges(graph, Rel.USES) if a.get("municipality")}
    codes |= {a["municipality"] for _, a in nodes(graph, Label.CONTRACT) if a.get("municipality")}
    return codes


def check_municipality(graph: PortfolioGraph, code: str) -> None:
    """Raise a one-line SnitgrafError when the graph does not know the municipality code."""
    known = municipality_codes(graph)
    if code in known:
        return
    if not known:
        raise SnitgrafError(
            _("unknown municipality '{code}': the portfolio has no municipalities").format(
                code=code
            )
        )
    names = {attrs["id"]: attrs.get("name", "") for _, attrs in nodes(graph, Label.MUNICIPALITY)}
    code_of = {name.lower(): c for c, name in names.items() if name}
    close = [code_of[n] for n in difflib.get_close_matches(code.lower(), sorted(code_of), n=3)]
    close = close or difflib.get_close_matches(code, sorted(known), n=3, cutoff=0.6)
    shown = [f"{c} ({names[c]})" if names.get(c) else c for c in close]
    hint = _("; did you mean {codes}?").format(codes=_(" or ").join(shown)) if close else ""
    if not close and len(known) <= 10:
        listed = [f"{c} ({names[c]})" if names.get(c) else c for c in sorted(known)]
        hint = _("; known: {codes}").format(codes=", ".join(listed))
    raise SnitgrafError(_("unknown municipality '{code}'{hint}").format(code=code, hint=hint))


def deployed_systems(graph: PortfolioGraph, code: str) -> tuple[set[NodeKey], set[NodeKey]]:
    """(systems the municipality deploys, national systems nobody deploys)."""
    systems = {key for key, _ in nodes(graph, Label.SYSTEM)}
    deploys = list(edges(graph, Rel.DEPLOYS))
    if not deploys:
        return systems, set()
    mine = node_key(Label.MUNICIPALITY, code)
    deployed = {system for muni, system, _ in deploys if muni == mine}
    anyone = {system for _, system, _ in deploys}
    return deployed, systems - anyone


def municipality_graph(graph: PortfolioGraph, code: str) -> PortfolioGraph:
    """The part of `graph` that is municipality `code`'s own (see the module docstring).

    Linear in the size of the graph: one pass to classify edges, one to copy.
    """
    check_municipality(graph, code)
    deployed, national = deployed_systems(graph, code)
    mine = node_key(Label.MUNICIPALITY, code)
    provides: list[tuple[NodeKey, NodeKey]] = []
    uses: list[tuple[NodeKey, NodeKey]] = []
    covers: list[tuple[NodeKey, NodeKey]] = []
    for source, target, attrs in graph.edges(data=True):
        kind = attrs.get("type")
        if kind == Rel.PROVIDES.value:
            provides.append((source, target))
        elif kind == Rel.USES.value:
            if attrs.get("municipality") in (None, code) and (
                source in deployed or source in national
            ):
                uses.append((source, target))
        elif kind == Rel.COVERS.value:
            covers.append((source, target))
    interfaces = {i for s, i in provides if s in deployed}
    # a national system's interface takes part only when the municipality's systems use it
    interfaces |= {i for s, i in uses if s in deployed}
    systems = set(deployed)
    systems |= {s for s, i in provides if i in interfaces}
    systems |= {s for s, i in uses if i in interfaces}
    contracts = {
        c
        for c, i in covers
        if i in interfaces and graph.nodes[c].get("municipality") in (None, code)
    }
    keep: set[NodeKey] = systems | interfaces | contracts | {mine}
    for source, target, attrs in graph.edges(data=True):
        kind = attrs.get("type")
        if kind == Rel.CARRIES.value and source in interfaces:
            keep.add(target)
        elif (kind == Rel.SUPPLIES.value and target in systems) or (
            kind == Rel.WITH.value and source in contracts
        ):
            keep.add(source if kind == Rel.SUPPLIES.value else target)
    kept_uses = set(uses)
    result: PortfolioGraph = nx.MultiDiGraph(**graph.graph)
    result.graph["municipality"] = code
    result.add_nodes_from((key, graph.nodes[key]) for key in graph.nodes if key in keep)
    for u, v, k, attrs in graph.edges(keys=True, data=True):
        if u in keep and v in keep and _edge_kept(u, v, attrs, mine, kept_uses):
            result.add_edge(u, v, k, **attrs)
    return result


def _edge_kept(
    source: NodeKey,
    target: NodeKey,
    attrs: dict[str, Any],
    mine: NodeKey,
    uses: set[tuple[NodeKey, NodeKey]],
) -> bool:
    kind = attrs.get("type")
    if kind == Rel.USES.value:
        return (source, target) in uses and attrs.get("municipality") in (None, mine[1])
    if kind == Rel.DEPLOYS.value:
        return source == mine
    return True


def restrict_categories(
    categories: Iterable[InterfaceCategory], graph: PortfolioGraph
) -> list[InterfaceCategory]:
    """Keep the category rows (computed on the whole catalogue) of interfaces in `graph`."""
    present = {attrs["id"] for _, attrs in nodes(graph, Label.INTERFACE)}
    return [c for c in categories if c.interface in present]
