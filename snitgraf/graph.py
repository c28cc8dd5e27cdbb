"""Portfolio -> networkx graph (the embedded backend's store), and the AS-IS state of it.

Nodes are keyed (label, id) and carry `label`, `id` and their properties (None left out, dates as
text, extra columns as they were); edges carry `type` and their properties. The schema is
`snitgraf.schema`; the Neo4j backend writes exactly the same labels, types and properties.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx

from snitgraf.model import Portfolio, Row
from snitgraf.schema import STATES, Label, NodeKey, Rel, State, node_key
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


def build_graph(portfolio: Portfolio) -> nx.MultiDiGraph:
    """The whole portfolio as one graph (every lifecycle); see `snitgraf.schema`."""
    graph = nx.MultiDiGraph(source=portfolio.source)
    for supplier in portfolio.suppliers:
        graph.add_node(
            node_key(Label.SUPPLIER, supplier.id),
            label=Label.SUPPLIER.value,
            **properties(supplier),
        )
    for system in portfolio.systems:
        key = node_key(Label.SYSTEM, system.id)
        graph.add_node(key, label=Label.SYSTEM.value, **properties(system, ("replaces",)))
        graph.add_edge(node_key(Label.SUPPLIER, system.supplier), key, type=Rel.SUPPLIES.value)
    for system in portfolio.systems:
        for replaced in system.replaces:
            graph.add_edge(
                node_key(Label.SYSTEM, system.id),
                node_key(Label.SYSTEM, replaced),
                type=Rel.REPLACES.value,
            )
    for interface in portfolio.interfaces:
        key = node_key(Label.INTERFACE, interface.id)
        data = node_key(Label.DATA, interface.data)
        graph.add_node(key, label=Label.INTERFACE.value, **properties(interface))
        if data not in graph:
            graph.add_node(data, label=Label.DATA.value, id=interface.data)
        graph.add_edge(node_key(Label.SYSTEM, interface.provider), key, type=Rel.PROVIDES.value)
        graph.add_edge(key, data, type=Rel.CARRIES.value)
    system, interface, uses = Label.SYSTEM.value, Label.INTERFACE.value, Rel.USES.value
    graph.add_edges_from(
        (
            (system, usage.system),
            (interface, usage.interface),
            {"type": uses, **properties(usage, ("interface", "system"))},
        )
        for usage in portfolio.usages
    )
    for contract in portfolio.contracts:
        key = node_key(Label.CONTRACT, contract.id)
        graph.add_node(key, label=Label.CONTRACT.value, **properties(contract))
        graph.add_edge(key, node_key(Label.INTERFACE, contract.interface), type=Rel.COVERS.value)
        graph.add_edge(key, node_key(Label.SUPPLIER, contract.supplier), type=Rel.WITH.value)
    for municipality in portfolio.municipalities:
        graph.add_node(
            node_key(Label.MUNICIPALITY, municipality.code),
            label=Label.MUNICIPALITY.value,
            id=municipality.code,
            name=municipality.name,
            **municipality.extra,
        )
    for deployment in portfolio.deployments:
        graph.add_edge(
            node_key(Label.MUNICIPALITY, deployment.municipality),
            node_key(Label.SYSTEM, deployment.system),
            type=Rel.DEPLOYS.value,
        )
    return graph


_INDEX = "snitgraf.graph.index"
"""Where a graph keeps its nodes by label and edges by type: networkx's per-graph cache, which
networkx empties whenever a node or edge is added or removed. Attribute dicts are shared with
the graph, so changed attribute values show through (a node's label or an edge's type never
changes)."""

_Index = tuple[
    dict[Any, list[tuple[NodeKey, dict[str, Any]]]],
    dict[Any, list[tuple[NodeKey, NodeKey, dict[str, Any]]]],
]


def _index(graph: nx.MultiDiGraph) -> _Index:
    """The graph's nodes by label and edges by type, built in one pass and kept in its cache:
    every analysis asks for a few kinds at a time, so each asks only for what it reads."""
    cache = graph.__networkx_cache__
    found: _Index | None = cache.get(_INDEX)
    if found is None:
        by_label: dict[Any, list[tuple[NodeKey, dict[str, Any]]]] = {}
        for key, attrs in graph.nodes(data=True):
            by_label.setdefault(attrs.get("label"), []).append((key, attrs))
        by_type: dict[Any, list[tuple[NodeKey, NodeKey, dict[str, Any]]]] = {}
        for source, target, attrs in graph.edges(data=True):
            by_type.setdefault(attrs.get("type"), []).append((source, target, attrs))
        found = (by_label, by_type)
        cache[_INDEX] = found
    return found


def nodes(graph: nx.MultiDiGraph, label: Label) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
    """Every node with a label, and its attributes (in the graph's node order)."""
    return iter(_index(graph)[0].get(label.value, ()))


def edges(graph: nx.MultiDiGraph, rel: Rel) -> Iterator[tuple[NodeKey, NodeKey, dict[str, Any]]]:
    """Every edge of a relationship type: (source, target, attributes), in the graph's order."""
    return iter(_index(graph)[1].get(rel.value, ()))


def as_is_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """AS-IS: systems `as-is`/`both`, the interfaces they provide, their usages and contracts."""
    keep_systems = {
        key
        for key, attrs in nodes(graph, Label.SYSTEM)
        if attrs.get("lifecycle", "both") in AS_IS_LIFECYCLES
    }
    return _restrict(graph, keep_systems)


def _restrict(graph: nx.MultiDiGraph, systems: set[NodeKey]) -> nx.MultiDiGraph:
    interfaces = {i for s, i, _ in edges(graph, Rel.PROVIDES) if s in systems}
    contracts = {c for c, i, _ in edges(graph, Rel.COVERS) if i in interfaces}
    data = {d for i, d, _ in edges(graph, Rel.CARRIES) if i in interfaces}
    keep = systems | interfaces | contracts | data
    keep |= {k for k, _ in nodes(graph, Label.SUPPLIER)}
    keep |= {k for k, _ in nodes(graph, Label.MUNICIPALITY)}
    result = nx.MultiDiGraph(**graph.graph)
    result.add_nodes_from((k, graph.nodes[k]) for k in graph.nodes if k in keep)
    result.add_edges_from(
        (u, v, k, attrs)
        for u, v, k, attrs in graph.edges(keys=True, data=True)
        if u in keep and v in keep
    )
    return result
