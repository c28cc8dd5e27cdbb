"""Helpers that read a scope's whole graph back from Neo4j, to compare with networkx."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from snitgraf.backends.scopes import live_graph
from snitgraf.schema import NODES, RELATIONSHIPS

Snapshot = tuple[dict[tuple[str, str], dict[str, Any]], Counter[Any]]


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _frozen_props(props: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, _freeze(v)) for k, v in props.items()))


def snapshot(driver: Any, scope: str) -> Snapshot:
    """A scope's live graph as data: nodes {(label, id): props} and a multiset of edges."""
    labels = [spec.label.value for spec in NODES]
    scope = live_graph(driver, scope) or scope
    records, _, _ = driver.execute_query(
        "MATCH (n {scope: $scope}) RETURN labels(n) AS labels, properties(n) AS props",
        scope=scope,
    )
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        (label,) = [x for x in record["labels"] if x in labels] or record["labels"]
        props = dict(record["props"])
        props.pop("scope")
        found[(label, props["id"])] = props
    records, _, _ = driver.execute_query(
        "MATCH (a {scope: $scope})-[r]->(b) "
        "RETURN type(r) AS type, labels(a)[0] AS a, a.id AS a_id, labels(b)[0] AS b, "
        "b.id AS b_id, b.scope AS b_scope, properties(r) AS props",
        scope=scope,
    )
    rels: Counter[Any] = Counter()
    for r in records:
        assert r["b_scope"] == scope, "a relationship leaves its scope"
        rels[(r["type"], (r["a"], r["a_id"]), (r["b"], r["b_id"]), _frozen_props(r["props"]))] += 1
    return found, rels


def graph_snapshot(graph: nx.MultiDiGraph) -> Snapshot:
    """The same view of a networkx graph (what the push must have written)."""
    found = {
        key: {k: v for k, v in attrs.items() if k != "label"}
        for key, attrs in graph.nodes(data=True)
    }
    rels: Counter[Any] = Counter()
    for source, target, attrs in graph.edges(data=True):
        props = {k: v for k, v in attrs.items() if k != "type"}
        rels[(attrs["type"], source, target, _frozen_props(props))] += 1
    return found, rels


RELATIONSHIP_TYPES = tuple(spec.type.value for spec in RELATIONSHIPS)
