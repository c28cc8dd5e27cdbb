"""Portfolio -> networkx graph (the embedded backend's store), and the AS-IS state of it.

Nodes are keyed (label, id) and carry `label`, `id` and their properties (None left out, dates as
text, extra columns as they were); edges carry `type` and their properties. The schema is
`snitgraf.schema`; the Neo4j backend writes exactly the same labels, types and properties.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import networkx as nx

from snitgraf.model import Portfolio, Row
from snitgraf.schema import STATES, Label, NodeKey, PortfolioGraph, Rel, State
from snitgraf.values import PartialDate

__all__ = ["STATES", "State", "as_is_graph", "build_graph", "edges", "nodes", "properties"]

AS_IS_LIFECYCLES = frozenset({"as-is", "both"})
TO_BE_LIFECYCLES = frozenset({"to-be", "both"})


def _property(value: Any) -> Any:
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def properties(row: Row, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """A row's graph properties: extras first, then known fields (which win), without None."""
    props: dict[str, Any] = dict(row.extra) if row.extra else {}
    for name, value in row.__dict__.items():  # the fields, in their declared order
        if value is None or value == () or name == "extra" or name in exclude:
            continue
        if isinstance(value, PartialDate):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        props[name] = value
    return props


def build_graph(portfolio: Portfolio) -> PortfolioGraph:
    """The whole portfolio as one graph (every lifecycle); see `snitgraf.schema`.

    Each edge gets its own key from one counter (networkx would otherwise search the lowest
    free key between the two nodes for each of a national portfolio's 66,000 edges); nothing
    reads edge keys, and graphs made from this one keep them."""
    graph: PortfolioGraph = nx.MultiDiGraph(source=portfolio.source)
    serial = itertools.count()
    add_node, add_edge = graph.add_node, graph.add_edge
    supplier_label, system_label = Label.SUPPLIER.value, Label.SYSTEM.value
    interface_label, data_label = Label.INTERFACE.value, Label.DATA.value
    contract_label, municipality_label = Label.CONTRACT.value, Label.MUNICIPALITY.value
    for supplier in portfolio.suppliers:
        add_node((supplier_label, supplier.id), label=supplier_label, **properties(supplier))
    supplies, replaces = Rel.SUPPLIES.value, Rel.REPLACES.value
    for system in portfolio.systems:
        key = (system_label, system.id)
        add_node(key, label=system_label, **properties(system, ("replaces",)))
        add_edge((supplier_label, system.supplier), key, next(serial), type=supplies)
    for system in portfolio.systems:
        for replaced in system.replaces:
            add_edge(
                (system_label, system.id), (system_label, replaced), next(serial), type=replaces
            )
    provides, carries = Rel.PROVIDES.value, Rel.CARRIES.value
    for interface in portfolio.interfaces:
        key, data = (interface_label, interface.id), (data_label, interface.data)
        add_node(key, label=interface_label, **properties(interface))
        if data not in graph:
            add_node(data, label=data_label, id=interface.data)
        add_edge((system_label, interface.provider), key, next(serial), type=provides)
        add_edge(key, data, next(serial), type=carries)
    uses, ends = Rel.USES.value, ("interface", "system")
    for usage in portfolio.usages:
        add_edge(
            (system_label, usage.system),
            (interface_label, usage.interface),
            next(serial),
            type=uses,
            **properties(usage, ends),
        )
    covers, with_ = Rel.COVERS.value, Rel.WITH.value
    for contract in portfolio.contracts:
        key = (contract_label, contract.id)
        add_node(key, label=contract_label, **properties(contract))
        add_edge(key, (interface_label, contract.interface), next(serial), type=covers)
        add_edge(key, (supplier_label, contract.supplier), next(serial), type=with_)
    for municipality in portfolio.municipalities:
        add_node(
            (municipality_label, municipality.code),
            label=municipality_label,
            id=municipality.code,
            name=municipality.name,
            **municipality.extra,
        )
    deploys = Rel.DEPLOYS.value
    for deployment in portfolio.deployments:
        add_edge(
            (municipality_label, deployment.municipality),
            (system_label, deployment.system),
            next(serial),
            type=deploys,
        )
    return graph


_T = TypeVar("_T")


def per_graph(graph: PortfolioGraph, name: str, make: Callable[[], _T]) -> _T:
    """`make()` once for a graph, kept in networkx's own per-graph cache under `name`: networkx
    empties it whenever a node or edge is added or removed (`forget_per_graph` empties it when
    attribute values change), so what is kept is never stale."""
    cache = graph.__networkx_cache__
    if name not in cache:
        cache[name] = make()
    found: _T = cache[name]
    return found


def forget_per_graph(graph: PortfolioGraph) -> None:
    """Drop everything `per_graph` kept for a graph (after its attribute values changed)."""
    graph.__networkx_cache__.clear()


_Index = tuple[
    dict[str | None, list[tuple[NodeKey, dict[str, Any]]]],
    dict[str | None, list[tuple[NodeKey, NodeKey, dict[str, Any]]]],
]


def _index(graph: PortfolioGraph) -> _Index:
    """The graph's nodes by label and edges by type, built in one pass and kept with the graph:
    every analysis asks for a few kinds at a time, so each asks only for what it reads.
    Attribute dicts are shared with the graph, so changed attribute values show through (a
    node's label or an edge's type never changes)."""
    return per_graph(graph, "snitgraf.graph.index", lambda: _build_index(graph))


def _build_index(graph: PortfolioGraph) -> _Index:
    by_label: dict[str | None, list[tuple[NodeKey, dict[str, Any]]]] = {}
    for key, attrs in graph.nodes(data=True):
        by_label.setdefault(attrs.get("label"), []).append((key, attrs))
    by_type: dict[str | None, list[tuple[NodeKey, NodeKey, dict[str, Any]]]] = {}
    for source, target, attrs in graph.edges(data=True):
        by_type.setdefault(attrs.get("type"), []).append((source, target, attrs))
    return by_label, by_type


def nodes(graph: PortfolioGraph, label: Label) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
    """Every node with a label, and its attributes (in the graph's node order)."""
    return iter(_index(graph)[0].get(label.value, ()))


def edges(graph: PortfolioGraph, rel: Rel) -> Iterator[tuple[NodeKey, NodeKey, dict[str, Any]]]:
    """Every edge of a relationship type: (source, target, attributes), in the graph's order."""
    return iter(_index(graph)[1].get(rel.value, ()))


def as_is_graph(graph: PortfolioGraph) -> PortfolioGraph:
    """AS-IS: systems `as-is`/`both`, the interfaces they provide, their usages and contracts."""
    keep_systems = {
        key
        for key, attrs in nodes(graph, Label.SYSTEM)
        if attrs.get("lifecycle", "both") in AS_IS_LIFECYCLES
    }
    return _restrict(graph, keep_systems)


def _restrict(graph: PortfolioGraph, systems: set[NodeKey]) -> PortfolioGraph:
    interfaces = {i for s, i, _ in edges(graph, Rel.PROVIDES) if s in systems}
    contracts = {c for c, i, _ in edges(graph, Rel.COVERS) if i in interfaces}
    data = {d for i, d, _ in edges(graph, Rel.CARRIES) if i in interfaces}
    keep = systems | interfaces | contracts | data
    keep |= {k for k, _ in nodes(graph, Label.SUPPLIER)}
    keep |= {k for k, _ in nodes(graph, Label.MUNICIPALITY)}
    result: PortfolioGraph = nx.MultiDiGraph(**graph.graph)
    result.add_nodes_from((k, graph.nodes[k]) for k in graph.nodes if k in keep)
    for u, v, k, attrs in graph.edges(keys=True, data=True):
        if u in keep and v in keep:
            result.add_edge(u, v, k, **attrs)
    return result
