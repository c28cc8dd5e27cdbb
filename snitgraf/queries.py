"""The shipped architects' queries: Cypher in `cypher/queries/`, a Python twin of each here.

On Neo4j `snitgraf query` runs the `.cypher` file; on a folder or workbook it runs the twin of the
same name over the networkx graph of the whole portfolio (every lifecycle, as pushed). A twin
returns the same columns, in the same order, as its Cypher (proven by the parity tests).

    >>> result = run_twin(graph, "systems-within-hops", {"system": "kmd-sag", "hops": 1})
    >>> result.columns
    ('system', 'name', 'hops')
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from snitgraf import cypher
from snitgraf.graph import edges, nodes
from snitgraf.problems import SnitgrafError
from snitgraf.schema import Label, NodeKey, PortfolioGraph, Rel
from snitgraf.values import parse_date


@dataclass(frozen=True)
class QueryResult:
    """The rows of a query: its columns, and each row's values in column order."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts (column -> value)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


Twin = Callable[..., list[dict[str, Any]]]
TWINS: dict[str, Twin] = {}


def twin(name: str) -> Callable[[Twin], Twin]:
    """Register the Python twin of `cypher/queries/<name>.cypher`."""

    def register(func: Twin) -> Twin:
        TWINS[name] = func
        return func

    return register


def run_twin(graph: PortfolioGraph, name: str, given: Mapping[str, str]) -> QueryResult:
    """Run a shipped query's twin over a networkx graph, with parameters as `query` gets them."""
    statements = cypher.named_queries()
    if name not in statements or name not in TWINS:
        raise SnitgrafError(f"no shipped query {name!r} (shipped: {', '.join(sorted(TWINS))})")
    statement = statements[name]
    params = statement.arguments({k: str(v) for k, v in given.items()})
    rows = TWINS[name](graph, **params)
    return QueryResult(
        name, statement.columns, tuple(tuple(row[c] for c in statement.columns) for row in rows)
    )


def _systems(graph: PortfolioGraph) -> dict[NodeKey, dict[str, Any]]:
    return dict(nodes(graph, Label.SYSTEM))


def _monopoly_must_uses(graph: PortfolioGraph) -> set[tuple[NodeKey, NodeKey]]:
    systems = _systems(graph)
    return {
        (system, interface)
        for system, interface, attrs in edges(graph, Rel.USES)
        if systems[system].get("monopoly") is True and attrs.get("need") == "must"
    }


@twin("expiring-before-replacement")
def expiring_before_replacement(graph: PortfolioGraph) -> list[dict[str, Any]]:
    """Must-interfaces of monopoly systems whose contracts end before the replacement is live."""
    covers: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    for contract, interface, _ in edges(graph, Rel.COVERS):
        covers[interface].append(contract)
    replaced_by: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    for new, old, _ in edges(graph, Rel.REPLACES):
        replaced_by[old].append(new)
    rows = set()
    for system, interface in _monopoly_must_uses(graph):
        for contract in covers[interface]:
            expires = graph.nodes[contract].get("expires")
            for replacement in replaced_by[system]:
                go_live = graph.nodes[replacement].get("go_live")
                if expires is None or go_live is None:
                    continue
                expiry, live = parse_date(expires), parse_date(go_live)
                if expiry and live and expiry.last_day() < live.first_day():
                    rows.add((system, interface, contract, replacement))
    result = []
    for system, interface, contract, replacement in rows:
        sys_a, if_a = graph.nodes[system], graph.nodes[interface]
        c_a, r_a = graph.nodes[contract], graph.nodes[replacement]
        result.append(
            {
                "system": sys_a["id"],
                "system_name": sys_a["name"],
                "interface": if_a["id"],
                "interface_name": if_a["name"],
                "contract": c_a["id"],
                "supplier": c_a.get("supplier"),
                "expires": c_a["expires"],
                "replacement": r_a["id"],
                "replacement_name": r_a["name"],
                "go_live": r_a["go_live"],
            }
        )
    return sorted(
        result, key=lambda r: (r["system"], r["interface"], r["contract"], r["replacement"])
    )


@twin("single-source-suppliers")
def single_source_suppliers(graph: PortfolioGraph) -> list[dict[str, Any]]:
    """Suppliers that alone can expose data a monopoly system must use."""
    data_of = {i: d for i, d, _ in edges(graph, Rel.CARRIES)}
    must_users: dict[NodeKey, set[str]] = defaultdict(set)
    for system, interface in _monopoly_must_uses(graph):
        if interface in data_of:
            must_users[data_of[interface]].add(graph.nodes[system]["id"])
    supplier_of = {system: supplier for supplier, system, _ in edges(graph, Rel.SUPPLIES)}
    suppliers: dict[NodeKey, set[NodeKey]] = defaultdict(set)
    interfaces: dict[NodeKey, set[str]] = defaultdict(set)
    for system, interface, _ in edges(graph, Rel.PROVIDES):
        data = data_of.get(interface)
        if data in must_users and system in supplier_of:
            suppliers[data].add(supplier_of[system])
            interfaces[data].add(interface[1])
    result = []
    for data, found in suppliers.items():
        if len(found) != 1:
            continue
        supplier = graph.nodes[next(iter(found))]
        result.append(
            {
                "supplier": supplier["id"],
                "supplier_name": supplier["name"],
                "data": graph.nodes[data]["id"],
                "interfaces": sorted(interfaces[data]),
                "must_users": sorted(must_users[data]),
            }
        )
    return sorted(result, key=lambda r: (r["supplier"], r["data"]))


@twin("systems-within-hops")
def systems_within_hops(graph: PortfolioGraph, system: str, hops: int) -> list[dict[str, Any]]:
    """Systems that meet the system at an interface, directly or through others, within hops."""
    attached: dict[NodeKey, set[NodeKey]] = defaultdict(set)
    for rel in (Rel.PROVIDES, Rel.USES):
        for source, interface, _ in edges(graph, rel):
            attached[source].add(interface)
            attached[interface].add(source)
    start = (Label.SYSTEM.value, system)
    if start not in graph:
        return []
    distance = {start: 0}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if distance[current] >= hops:
            continue
        for interface in attached[current]:
            for other in attached[interface]:
                if other not in distance:
                    distance[other] = distance[current] + 1
                    queue.append(other)
    result = [
        {"system": key[1], "name": graph.nodes[key]["name"], "hops": hops_away}
        for key, hops_away in distance.items()
        if key != start
    ]
    return sorted(result, key=lambda r: (r["hops"], r["system"]))


@twin("unknown-expiry")
def unknown_expiry(graph: PortfolioGraph) -> list[dict[str, Any]]:
    """Contracts without a known expiry."""
    result = []
    for contract, interface, _ in edges(graph, Rel.COVERS):
        attrs = graph.nodes[contract]
        if attrs.get("expires") is None:
            result.append(
                {
                    "contract": attrs["id"],
                    "interface": interface[1],
                    "interface_name": graph.nodes[interface]["name"],
                    "supplier": attrs.get("supplier"),
                    "note": attrs.get("note"),
                }
            )
    return sorted(result, key=lambda r: r["contract"])


@twin("monopoly-dependencies")
def monopoly_dependencies(graph: PortfolioGraph, system: str) -> list[dict[str, Any]]:
    """Every interface each monopoly system uses, its need and its provider's supplier."""
    systems = _systems(graph)
    provider_of = {i: s for s, i, _ in edges(graph, Rel.PROVIDES)}
    supplier_of = {s: sup for sup, s, _ in edges(graph, Rel.SUPPLIES)}
    rows = set()
    for user, interface, attrs in edges(graph, Rel.USES):
        user_attrs = systems[user]
        if user_attrs.get("monopoly") is not True or (system and user[1] != system):
            continue
        provider = provider_of.get(interface)
        if provider is None or provider not in supplier_of:
            continue
        rows.add(
            (
                user[1],
                user_attrs["name"],
                interface[1],
                graph.nodes[interface]["name"],
                attrs.get("need"),
                provider[1],
                systems[provider]["name"],
                supplier_of[provider][1],
            )
        )
    columns = cypher.named_queries()["monopoly-dependencies"].columns
    result = [dict(zip(columns, row, strict=True)) for row in rows]
    return sorted(result, key=lambda r: (r["system"], r["interface"], r["need"] or ""))


@twin("replacements")
def replacements(graph: PortfolioGraph) -> list[dict[str, Any]]:
    """Which system replaces which, and the replacement's go-live."""
    result = []
    for new, old, _ in edges(graph, Rel.REPLACES):
        old_attrs, new_attrs = graph.nodes[old], graph.nodes[new]
        result.append(
            {
                "system": old_attrs["id"],
                "system_name": old_attrs["name"],
                "replacement": new_attrs["id"],
                "replacement_name": new_attrs["name"],
                "go_live": new_attrs.get("go_live"),
            }
        )
    return sorted(result, key=lambda r: (r["system"], r["replacement"]))


@twin("impact")
def impact_dependents(graph: PortfolioGraph, system: str, depth: int) -> list[dict[str, Any]]:
    """The systems depending on the system, with their distance (`snitgraf impact`'s search)."""
    from snitgraf.analysis.impact import dependents, gather_impact

    if (Label.SYSTEM.value, system) not in graph:
        return []
    facts = gather_impact(graph, system)
    found = dependents(facts.provides, facts.uses, facts.system, None if depth < 0 else depth)
    return [
        {"system": sid, "name": graph.nodes[(Label.SYSTEM.value, sid)]["name"], "distance": hops}
        for sid, hops, _path in found
    ]
