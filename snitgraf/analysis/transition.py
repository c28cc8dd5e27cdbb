"""AS-IS -> TO-BE: the derived TO-BE graph and the gap between the two states.

The TO-BE rule, exactly (see docs/readme/transition.md):

1. TO-BE systems are those with lifecycle `to-be` or `both`. A system left out (lifecycle
   `as-is`) is *replaced* when a TO-BE system REPLACES it (directly, or through a chain of
   replaced systems); otherwise it is *dropped*.
2. Every PROVIDES and USES edge of a replaced system passes to each of its replacers, keeping
   `need`, `direction` and `municipality`, and carrying `repointed_from` (the replaced id),
   unless the portfolio already states that role for that data in TO-BE:
   - a USES of interface I (data D) is *superseded* when the replacer already USES another
     interface carrying D whose stated provider is a TO-BE system;
   - a PROVIDES of I (data D) is *superseded* when the replacer already PROVIDES another
     interface carrying D;
   - the role is *already stated* when the replacer has the same role on I itself.
   Several replaced systems moving the same role to one replacer make one edge: the strongest
   need wins (must over nice).
3. Roles of dropped systems end. An interface is in TO-BE when it has a provider and a user
   there; an interface nobody uses in any state is kept with its provider. Everything else is
   retired, with the contracts covering it.
4. DEPLOYS of a replaced system pass to its replacers too (a municipality running KMD
   Dagpenge runs KSD); Suppliers and Municipalities are kept.

`derive` is the pure core (which systems stay, who replaces whom -> graph and moves); impact
analysis reuses it for a single hypothetical replacement.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from snitgraf.analysis.categorise import InterfaceCategory, categorise_transition
from snitgraf.graph import (
    AS_IS_LIFECYCLES,
    TO_BE_LIFECYCLES,
    State,
    as_is_graph,
    edges,
    nodes,
)
from snitgraf.i18n import _
from snitgraf.schema import Label, NodeKey, PortfolioGraph, Rel, node_key
from snitgraf.values import json_amount
from snitgraf.words import need_word, role_word

if TYPE_CHECKING:  # needs builds on transition
    from snitgraf.analysis.needs import BrokenNeed

Role = Literal["provider", "user"]
MoveKind = Literal["moved", "superseded", "already-stated", "dropped"]
Status = Literal["kept", "repointed", "retired", "new"]
STATUSES: tuple[Status, ...] = ("kept", "repointed", "retired", "new")
NEED_RANK = {"must": 2, "nice": 1}


@dataclass(frozen=True, order=True)
class Move:
    """What happened to one role (provider or user) of an interface in the transition."""

    interface: str
    role: Role
    from_system: str
    to_system: str | None
    kind: MoveKind
    need: str | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        """JSON object of a move (inside `gap` rows)."""
        return {
            "role": self.role,
            "from": self.from_system,
            "to": self.to_system,
            "kind": self.kind,
            "need": self.need,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ContractRef:
    """A contract as transition analyses show it."""

    id: str
    interface: str
    supplier: str
    expires: str | None
    annual_cost_dkk: float | None

    def to_json(self) -> dict[str, Any]:
        """JSON object of a contract reference."""
        return {
            "id": self.id,
            "supplier": self.supplier,
            "expires": self.expires,
            "annual_cost_dkk": json_amount(self.annual_cost_dkk),
        }


# (system, interface, municipality of a usage or "") -> edge attributes: usages of several
# municipalities stay apart; several replaced systems passing one usage to a replacer merge.
EdgeKey = tuple[NodeKey, NodeKey, str]


@dataclass(frozen=True)
class Derivation:
    """The result of the TO-BE rule: every move, why interfaces retired, the roles after the
    rule, and the TO-BE graph (built when first asked for: the categories need only the roles)."""

    build: Callable[[], PortfolioGraph] = field(repr=False, compare=False)
    """Builds the TO-BE graph (see `graph`)."""
    moves: tuple[Move, ...]
    retired: Mapping[str, str] = field(default_factory=dict)
    """Interface id -> why it is not in TO-BE (only interfaces that had a stated provider)."""
    replacers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Replaced system id -> ids of the TO-BE systems that take over its roles."""
    ever_used: frozenset[NodeKey] = frozenset()
    """Interfaces some system uses in the input graph (any state)."""
    stranded: tuple[StrandedUse, ...] = ()
    """Uses the rule gives a TO-BE system on an interface that is not in TO-BE."""
    kept: frozenset[NodeKey] = frozenset()
    """The interfaces in TO-BE."""
    provides_after: Mapping[EdgeKey, Mapping[str, Any]] = field(
        default_factory=dict, repr=False, compare=False
    )
    """Every PROVIDES role after the rule (those of retired interfaces too)."""
    uses_after: Mapping[EdgeKey, Mapping[str, Any]] = field(
        default_factory=dict, repr=False, compare=False
    )
    """Every USES role after the rule (those of retired interfaces too)."""

    @cached_property
    def graph(self) -> PortfolioGraph:
        """The TO-BE graph, same schema as the input (edges moved carry `repointed_from`)."""
        return self.build()


@dataclass(frozen=True, order=True)
class StrandedUse:
    """A TO-BE system's use (stated, or taken over from a replaced system) of an interface that
    retires: the need it serves may be left without a source (see `snitgraf.analysis.needs`)."""

    system: str
    interface: str
    need: str | None
    repointed_from: str | None
    municipality: str | None


def _system_ids(keys: Iterable[NodeKey]) -> list[str]:
    return sorted(k[1] for k in keys)


def resolve_replacers(graph: PortfolioGraph, keep: set[NodeKey]) -> dict[NodeKey, list[NodeKey]]:
    """Every system outside `keep` that some kept system replaces, directly or via a chain.

    A replaced system's replacers are the kept systems reachable from it along "is replaced
    by" through systems that are not kept. Decided on the strongly connected components of
    those systems, so a REPLACES cycle gives the same answer whatever the order of rows, and
    a chain of any length needs no recursion.
    """
    replaced_by: dict[NodeKey, set[NodeKey]] = defaultdict(set)
    for replacer, replaced, _attrs in edges(graph, Rel.REPLACES):
        if replaced not in keep:
            replaced_by[replaced].add(replacer)
    if not replaced_by:
        return {}
    chain: nx.DiGraph[NodeKey] = nx.DiGraph()
    chain.add_nodes_from(replaced_by)
    chain.add_edges_from(
        (replaced, replacer)
        for replaced, found in replaced_by.items()
        for replacer in found
        if replacer not in keep and replacer in replaced_by
    )
    components = nx.condensation(chain)
    members = components.graph["mapping"]  # system -> component
    direct: dict[int, set[NodeKey]] = defaultdict(set)
    for system, found in replaced_by.items():
        direct[members[system]] |= {r for r in found if r in keep}
    reached: dict[int, set[NodeKey]] = {}
    for component in reversed(list(nx.topological_sort(components))):
        found = set(direct.get(component, ()))
        for successor in components.successors(component):
            found |= reached[successor]
        reached[component] = found
    return {
        system: sorted(reached[members[system]])
        for system in sorted(replaced_by)
        if reached[members[system]]
    }


def to_be_parameters(
    graph: PortfolioGraph,
) -> tuple[set[NodeKey], dict[NodeKey, list[NodeKey]]]:
    """TO-BE systems (`to-be`/`both`) and the replacers of every replaced system."""
    keep = {
        key
        for key, attrs in nodes(graph, Label.SYSTEM)
        if attrs.get("lifecycle", "both") in TO_BE_LIFECYCLES
    }
    return keep, resolve_replacers(graph, keep)


def derive(
    graph: PortfolioGraph,
    keep: set[NodeKey],
    replacers: Mapping[NodeKey, list[NodeKey]],
) -> Derivation:
    """Apply the TO-BE rule: `keep` systems stay, `replacers` take over the roles of the others.

    Linear in the size of the graph. See the module docstring for the rule.
    """
    names = {key: attrs.get("name", key[1]) for key, attrs in nodes(graph, Label.SYSTEM)}
    data_of: dict[NodeKey, str] = {}
    for interface, data, _edge in edges(graph, Rel.CARRIES):
        data_of[interface] = data[1]
    provides = list(edges(graph, Rel.PROVIDES))
    uses = list(edges(graph, Rel.USES))
    provider_of: dict[NodeKey, NodeKey] = {i: s for s, i, _ in provides}

    # What the portfolio already states for TO-BE systems, per data key.
    stated_provides: dict[NodeKey, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    stated_uses: dict[NodeKey, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for system, interface, _edge in provides:
        if system in keep:
            stated_provides[system][data_of.get(interface, "")].add(interface[1])
    for system, interface, _edge in uses:
        if system in keep and provider_of.get(interface) in keep:
            stated_uses[system][data_of.get(interface, "")].add(interface[1])

    rule = _RoleRule(names, data_of, keep, replacers, stated_provides, stated_uses)
    ever_used: set[NodeKey] = set()
    for system, interface, attrs in provides:
        rule.carry("provider", system, interface, dict(attrs))
    for system, interface, attrs in uses:
        ever_used.add(interface)
        rule.carry("user", system, interface, dict(attrs))
    moves, new_provides, new_uses = rule.moves, rule.provides, rule.uses

    has_provider = {i for _, i, _ in new_provides}
    has_user = {i for _, i, _ in new_uses}
    kept_interfaces: set[NodeKey] = set()
    retired: dict[str, str] = {}
    for interface, _attrs in nodes(graph, Label.INTERFACE):
        why = _retired_because(
            interface in has_provider, interface in has_user, interface in ever_used
        )
        if why is None:
            kept_interfaces.add(interface)
        else:
            retired[interface[1]] = why

    def build() -> PortfolioGraph:
        # Each edge takes its key from one counter and is added by `add_edge` itself, as in
        # `snitgraf.graph.build_graph`: no search for a free key, no lookups per edge.
        result: PortfolioGraph = nx.MultiDiGraph(**graph.graph)
        serial = itertools.count()
        add_edge = result.add_edge
        kept_labels = (Label.SUPPLIER.value, Label.MUNICIPALITY.value)
        result.add_nodes_from(
            (key, attrs)
            for key, attrs in graph.nodes(data=True)
            if key in keep or attrs.get("label") in kept_labels
        )
        carries = Rel.CARRIES.value
        for interface in kept_interfaces:
            result.add_node(interface, **graph.nodes[interface])
            data = node_key(Label.DATA, data_of[interface]) if interface in data_of else None
            if data is not None:
                result.add_node(data, **graph.nodes[data])
                add_edge(interface, data, next(serial), type=carries)
        for (system, interface, _muni), attrs in sorted(new_provides.items()):
            if interface in kept_interfaces:
                add_edge(system, interface, next(serial), **attrs)
        for (system, interface, _muni), attrs in sorted(new_uses.items()):
            if interface in kept_interfaces:
                add_edge(system, interface, next(serial), **attrs)
        new_providers: dict[NodeKey, list[str]] = defaultdict(list)
        for system, interface, _edge in new_provides:
            new_providers[interface].append(system[1])
        for interface in kept_interfaces:
            providers = sorted(new_providers.get(interface, ()))
            if providers and graph.nodes[interface].get("provider") not in providers:
                result.nodes[interface]["provider"] = providers[0]
        for s, t, a in edges(graph, Rel.SUPPLIES):
            if t in keep:
                add_edge(s, t, next(serial), **a)
        for s, t, a in edges(graph, Rel.REPLACES):
            if s in keep and t in keep:
                add_edge(s, t, next(serial), **a)
        with_of: dict[NodeKey, list[tuple[NodeKey, dict[str, Any]]]] = defaultdict(list)
        for contract, supplier, wattrs in edges(graph, Rel.WITH):
            with_of[contract].append((supplier, wattrs))
        for contract, interface, attrs in edges(graph, Rel.COVERS):
            if interface in kept_interfaces:
                result.add_node(contract, **graph.nodes[contract])
                add_edge(contract, interface, next(serial), **attrs)
                for supplier, wattrs in with_of.get(contract, ()):
                    add_edge(contract, supplier, next(serial), **wattrs)
        deploys: set[tuple[NodeKey, NodeKey, str | None]] = set()
        for source, target, _attrs in edges(graph, Rel.DEPLOYS):
            if target in keep:
                deploys.add((source, target, None))
            for replacer in replacers.get(target, ()):
                deploys.add((source, replacer, target[1]))
        seen: set[tuple[NodeKey, NodeKey]] = set()
        for municipality, system, origin in sorted(deploys, key=lambda d: (d[0], d[1], d[2] or "")):
            if (municipality, system) in seen:
                continue
            seen.add((municipality, system))
            extra = {} if origin is None else {"repointed_from": origin}
            add_edge(municipality, system, next(serial), type=Rel.DEPLOYS.value, **extra)
        return result

    stranded = {
        StrandedUse(
            system[1],
            interface[1],
            attrs.get("need"),
            attrs.get("repointed_from"),
            attrs.get("municipality"),
        )
        for (system, interface, _muni), attrs in new_uses.items()
        if interface not in kept_interfaces
    }
    return Derivation(
        build=build,
        moves=tuple(sorted(set(moves))),  # usages of several municipalities move alike
        retired=retired,
        replacers={k[1]: tuple(_system_ids(v)) for k, v in replacers.items()},
        ever_used=frozenset(ever_used),
        stranded=tuple(
            sorted(stranded, key=lambda u: (u.system, u.interface, u.municipality or ""))
        ),
        kept=frozenset(kept_interfaces),
        provides_after=new_provides,
        uses_after=new_uses,
    )


@dataclass
class _RoleRule:
    """Step 2 of the TO-BE rule for one role edge at a time; `derive` and `derive_around`
    share it, so the whole graph and the neighbourhood of a few systems follow one rule."""

    names: Mapping[NodeKey, str]
    data_of: Mapping[NodeKey, str]
    keep: set[NodeKey]
    replacers: Mapping[NodeKey, list[NodeKey]]
    stated_provides: dict[NodeKey, dict[str, set[str]]]
    stated_uses: dict[NodeKey, dict[str, set[str]]]
    moves: list[Move] = field(default_factory=list)
    provides: dict[EdgeKey, dict[str, Any]] = field(default_factory=dict)
    uses: dict[EdgeKey, dict[str, Any]] = field(default_factory=dict)

    def carry(self, role: Role, system: NodeKey, interface: NodeKey, attrs: dict[str, Any]) -> None:
        """Keep, move, or end one PROVIDES (`provider`) or USES (`user`) edge."""
        target = self.provides if role == "provider" else self.uses
        stated = self.stated_provides if role == "provider" else self.stated_uses
        iid, data = interface[1], self.data_of.get(interface, "")
        need = attrs.get("need") if role == "user" else None
        municipality = str(attrs.get("municipality") or "")
        if system in self.keep:
            key = (system, interface, municipality)
            if key not in target or _stronger(attrs, target[key]):
                target[key] = (
                    {k: v for k, v in attrs.items() if k != "repointed_from"}
                    if "repointed_from" in attrs
                    else attrs
                )
            return
        provides = role == "provider"
        who = f"{self.names[system]} ({system[1]})"
        found = self.replacers.get(system, [])
        if not found:
            reason = (
                _("{who} provides {interface}; it is not in TO-BE and nothing replaces it")
                if provides
                else _("{who} uses {interface}; it is not in TO-BE and nothing replaces it")
            ).format(who=who, interface=iid)
            self.moves.append(Move(iid, role, system[1], None, "dropped", need, reason))
            return
        for replacer in found:
            by = f"{self.names[replacer]} ({replacer[1]})"
            others = stated[replacer].get(data, set()) - {iid}
            if iid in stated[replacer].get(data, set()):
                kind: MoveKind = "already-stated"
                reason = (
                    _("{who} provides {interface}; its replacer {by} already provides it")
                    if provides
                    else _("{who} uses {interface}; its replacer {by} already uses it")
                ).format(who=who, interface=iid, by=by)
            elif others:
                kind = "superseded"
                reason = (
                    _(
                        "{who} provides {interface} (data '{data}'); its replacer {by} already "
                        "provides {alternatives} carrying the same data in TO-BE, so the role "
                        "does not pass"
                    )
                    if provides
                    else _(
                        "{who} uses {interface} (data '{data}'); its replacer {by} already "
                        "uses {alternatives} carrying the same data in TO-BE, so the role "
                        "does not pass"
                    )
                ).format(
                    who=who, interface=iid, data=data, by=by, alternatives=", ".join(sorted(others))
                )
            else:
                kind = "moved"
                reason = (
                    _("{who} provides {interface}; {by} replaces it, so the role passes to {by}")
                    if provides
                    else _("{who} uses {interface}; {by} replaces it, so the role passes to {by}")
                ).format(who=who, interface=iid, by=by)
                key = (replacer, interface, municipality)
                moved = {**attrs, "repointed_from": system[1]}
                if key not in target or _stronger(moved, target[key]):
                    target[key] = moved
            self.moves.append(Move(iid, role, system[1], replacer[1], kind, need, reason))


def _retired_because(has_provider: bool, has_user: bool, ever_used: bool) -> str | None:
    """Step 3 of the TO-BE rule: None when the interface stays, else why it retires."""
    if has_provider and (has_user or not ever_used):
        return None
    if has_provider:
        return _("no system uses it in TO-BE")
    if has_user:
        return _("no system provides it in TO-BE")
    return _("no system provides or uses it in TO-BE")


def _stronger(candidate: dict[str, Any], current: dict[str, Any]) -> bool:
    return NEED_RANK.get(candidate.get("need", ""), 0) > NEED_RANK.get(current.get("need", ""), 0)


def derive_to_be(graph: PortfolioGraph) -> Derivation:
    """The TO-BE derivation of a full graph (every lifecycle)."""
    keep, replacers = to_be_parameters(graph)
    return derive(graph, keep, replacers)


def state_graph(graph: PortfolioGraph, state: State) -> PortfolioGraph:
    """The graph of one state: `all` (as stated), `as-is` or `to-be` (derived)."""
    if state == "all":
        return graph
    if state == "as-is":
        return as_is_graph(graph)
    return to_be_graph(graph)


def to_be_graph(graph: PortfolioGraph) -> PortfolioGraph:
    """TO-BE: the full graph's `to-be`/`both` systems, with the roles of replaced systems
    passed to their replacers (edges carry `repointed_from`); same schema as the input."""
    return derive_to_be(graph).graph


# --- the rule around a few systems ----------------------------------------------------------


@dataclass(frozen=True)
class RoleIndex:
    """The PROVIDES and USES edges of a graph by interface and by system, in the graph's edge
    order, and what the TO-BE rule looks up: built once, it lets `derive_around` apply the rule
    to a few interfaces without walking the whole graph."""

    names: Mapping[NodeKey, str]
    data_of: Mapping[NodeKey, str]
    providers: Mapping[NodeKey, tuple[tuple[NodeKey, ...], tuple[dict[str, Any], ...]]]
    """Interface -> the systems and the edge attributes of the PROVIDES edges into it (two
    tuples rather than one per edge: fewer objects for the cyclic GC to scan)."""
    users: Mapping[NodeKey, tuple[tuple[NodeKey, ...], tuple[dict[str, Any], ...]]]
    """Interface -> the systems and the edge attributes of the USES edges into it."""
    provided: Mapping[NodeKey, tuple[NodeKey, ...]]
    """System -> the interfaces it PROVIDES."""
    used: Mapping[NodeKey, tuple[NodeKey, ...]]
    """System -> the interfaces it USES."""
    provider_of: Mapping[NodeKey, NodeKey]
    """Interface -> its provider as `derive` sees it (the last PROVIDES edge)."""
    ever_used: frozenset[NodeKey]


def role_index(graph: PortfolioGraph) -> RoleIndex:
    """Index a graph's roles for `derive_around` (one pass over its edges)."""
    names = {key: attrs.get("name", key[1]) for key, attrs in nodes(graph, Label.SYSTEM)}
    data_of: dict[NodeKey, str] = {}
    providers: dict[NodeKey, tuple[list[NodeKey], list[dict[str, Any]]]] = {}
    users: dict[NodeKey, tuple[list[NodeKey], list[dict[str, Any]]]] = {}
    provided: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    used: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    provider_of: dict[NodeKey, NodeKey] = {}
    provides_type, uses_type, carries_type = Rel.PROVIDES.value, Rel.USES.value, Rel.CARRIES.value
    for source, target, attrs in graph.edges(data=True):
        kind = attrs.get("type")
        if kind == provides_type:
            systems, all_attrs = providers.setdefault(target, ([], []))
            systems.append(source)
            all_attrs.append(attrs)
            provided[source].append(target)
            provider_of[target] = source
        elif kind == uses_type:
            systems, all_attrs = users.setdefault(target, ([], []))
            systems.append(source)
            all_attrs.append(attrs)
            used[source].append(target)
        elif kind == carries_type:
            data_of[source] = target[1]
    return RoleIndex(
        names=names,
        data_of=data_of,
        providers={k: (tuple(v), tuple(a)) for k, (v, a) in providers.items()},
        users={k: (tuple(v), tuple(a)) for k, (v, a) in users.items()},
        provided={k: tuple(v) for k, v in provided.items()},
        used={k: tuple(v) for k, v in used.items()},
        provider_of=provider_of,
        ever_used=frozenset(users),
    )


@dataclass(frozen=True)
class LocalDerivation:
    """`derive` restricted to some interfaces: their roles after the rule, the moves of those
    roles, and which of the interfaces stay or retire (and why). Edge attributes a role keeps
    unchanged are the input graph's own dicts: read them, do not change them."""

    provides: Mapping[EdgeKey, Mapping[str, Any]]
    uses: Mapping[EdgeKey, Mapping[str, Any]]
    moves: tuple[Move, ...]
    kept: frozenset[NodeKey]
    retired: Mapping[str, str]


def derive_around(
    index: RoleIndex,
    keep: set[NodeKey],
    replacers: Mapping[NodeKey, list[NodeKey]],
    interfaces: Iterable[NodeKey],
) -> LocalDerivation:
    """`derive(graph, keep, replacers)` for `interfaces` only (`index` = `role_index(graph)`).

    The rule decides each interface from its own PROVIDES/USES edges and what the replacers
    already state, so for these interfaces the edges, moves and kept/retired status are exactly
    `derive`'s; the cost is their edges plus the replacers' roles, not the whole graph.
    """
    wanted = sorted(set(interfaces))
    stated_provides: dict[NodeKey, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    stated_uses: dict[NodeKey, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for replacer in {r for found in replacers.values() for r in found}:
        if replacer not in keep:
            continue
        for interface in index.provided.get(replacer, ()):
            stated_provides[replacer][index.data_of.get(interface, "")].add(interface[1])
        for interface in index.used.get(replacer, ()):
            if index.provider_of.get(interface) in keep:
                stated_uses[replacer][index.data_of.get(interface, "")].add(interface[1])
    rule = _RoleRule(index.names, index.data_of, keep, replacers, stated_provides, stated_uses)
    none: tuple[tuple[NodeKey, ...], tuple[dict[str, Any], ...]] = ((), ())
    for interface in wanted:  # `carry` copies what it changes, so no copy here
        for system, attrs in zip(*index.providers.get(interface, none), strict=True):
            rule.carry("provider", system, interface, attrs)
    for interface in wanted:
        for system, attrs in zip(*index.users.get(interface, none), strict=True):
            rule.carry("user", system, interface, attrs)
    has_provider = {i for _, i, _ in rule.provides}
    has_user = {i for _, i, _ in rule.uses}
    kept: set[NodeKey] = set()
    retired: dict[str, str] = {}
    for interface in wanted:
        why = _retired_because(
            interface in has_provider, interface in has_user, interface in index.ever_used
        )
        if why is None:
            kept.add(interface)
        else:
            retired[interface[1]] = why
    return LocalDerivation(
        provides=rule.provides,
        uses=rule.uses,
        moves=tuple(sorted(set(rule.moves))),
        kept=frozenset(kept),
        retired=retired,
    )


# --- the gap -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GapRow:
    """One interface across the transition: its status, categories, moves and contracts."""

    interface: str
    name: str
    data: str
    status: Status
    providers_as_is: tuple[str, ...]
    providers_to_be: tuple[str, ...]
    users_as_is: tuple[str, ...]
    users_to_be: tuple[str, ...]
    category_as_is: str | None
    category_to_be: str | None
    moves: tuple[Move, ...]
    contracts: tuple[ContractRef, ...]
    reasons: tuple[str, ...]
    broken_needs: tuple[BrokenNeed, ...] = ()
    """The interface's broken needs, when assessed."""

    @property
    def in_as_is(self) -> bool:
        """True when the interface is part of AS-IS (its provider is an AS-IS system)."""
        return bool(self.providers_as_is)

    @property
    def in_to_be(self) -> bool:
        """True when the interface is part of TO-BE."""
        return self.status in ("kept", "repointed", "new")

    @property
    def category_changed(self) -> bool:
        """True when the interface is in both states with different categories."""
        return (
            self.category_as_is is not None
            and self.category_to_be is not None
            and self.category_as_is != self.category_to_be
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON object `gap --format json` prints (keys are a user contract)."""
        return {
            "interface": self.interface,
            "name": self.name,
            "data": self.data,
            "status": self.status,
            "providers_as_is": list(self.providers_as_is),
            "providers_to_be": list(self.providers_to_be),
            "users_as_is": list(self.users_as_is),
            "users_to_be": list(self.users_to_be),
            "category_as_is": self.category_as_is,
            "category_to_be": self.category_to_be,
            "category_changed": self.category_changed,
            "moves": [m.to_json() for m in self.moves],
            "contracts": [c.to_json() for c in self.contracts],
            "broken_needs": [n.to_json() for n in self.broken_needs],
            "reasons": list(self.reasons),
        }


def contracts_by_interface(graph: PortfolioGraph) -> dict[str, list[ContractRef]]:
    """Every contract of a graph, by the id of the interface it covers (sorted by id)."""
    result: dict[str, list[ContractRef]] = defaultdict(list)
    for contract, interface, _edge in edges(graph, Rel.COVERS):
        attrs = graph.nodes[contract]
        result[interface[1]].append(
            ContractRef(
                attrs["id"],
                interface[1],
                attrs.get("supplier", ""),
                attrs.get("expires"),
                attrs.get("annual_cost_dkk"),
            )
        )
    for refs in result.values():
        refs.sort(key=lambda c: c.id)
    return result


def _roles(graph: PortfolioGraph) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    providers: dict[str, set[str]] = defaultdict(set)
    users: dict[str, set[str]] = defaultdict(set)
    for system, interface, _edge in edges(graph, Rel.PROVIDES):
        providers[interface[1]].add(system[1])
    for system, interface, _edge in edges(graph, Rel.USES):
        users[interface[1]].add(system[1])
    return (
        {k: sorted(v) for k, v in providers.items()},
        {k: sorted(v) for k, v in users.items()},
    )


def gap_rows(
    graph: PortfolioGraph,
    as_is: PortfolioGraph,
    derivation: Derivation,
    categories: Iterable[InterfaceCategory],
) -> list[GapRow]:
    """Join both states, the moves and the categories into one row per interface.

    An interface has one category, decided on the whole transition (`categorise_transition`):
    `category_as_is` and `category_to_be` are that category in each state it is part of."""
    to_be = derivation.graph
    cat_as_is = cat_to_be = {c.interface: c for c in categories}
    prov_as_is, users_as_is = _roles(as_is)
    prov_to_be, users_to_be = _roles(to_be)
    moves_of: dict[str, list[Move]] = defaultdict(list)
    for move in derivation.moves:
        moves_of[move.interface].append(move)
    contracts = contracts_by_interface(graph)
    to_be_by_data: dict[str, list[str]] = defaultdict(list)
    for interface, attrs in nodes(to_be, Label.INTERFACE):
        to_be_by_data[attrs.get("data", "")].append(interface[1])
    rows = []
    for key, attrs in nodes(graph, Label.INTERFACE):
        iid = attrs["id"]
        in_as_is, in_to_be = key in as_is, key in to_be
        moves = tuple(moves_of.get(iid, ()))
        moved = [m for m in moves if m.kind == "moved"]
        reasons: list[str] = []
        status: Status
        if in_as_is and in_to_be:
            status = "repointed" if moved else "kept"
            if moved:
                reasons.append(
                    _("repointed: {moves}").format(
                        moves="; ".join(
                            f"{role_word(m.role)} {m.from_system} -> {m.to_system}" for m in moved
                        )
                    )
                )
            elif key not in derivation.ever_used:
                reasons.append(
                    _("kept: no system uses it in any state; it stays with its provider")
                )
            else:
                reasons.append(_("kept: its provider and users stay in TO-BE"))
        elif in_as_is:
            status = "retired"
            reasons.append(
                _("retired: {why}").format(why=derivation.retired.get(iid) or _("not in TO-BE"))
            )
            stranded = [m for m in moved if m.role == "user"]
            data = attrs.get("data", "")
            alternatives = sorted(set(to_be_by_data.get(data, ())) - {iid})
            source = (
                _("use {interfaces} (same data in TO-BE)").format(
                    interfaces=", ".join(alternatives)
                )
                if alternatives
                else _("find another source")
            )
            if stranded and iid not in prov_to_be:
                reasons.append(
                    _(
                        "the need does not go away: {users} took over the use but nothing "
                        "provides data '{data}' through this interface in TO-BE; {source}"
                    ).format(
                        users=", ".join(f"{m.to_system} ({need_word(m.need)})" for m in stranded),
                        data=data,
                        source=source,
                    )
                )
            staying = [u for u in users_as_is.get(iid, ()) if (Label.SYSTEM.value, u) in to_be]
            if staying and iid not in prov_to_be:
                reasons.append(
                    _("{systems} stay(s) in TO-BE and still use(s) data '{data}': {source}").format(
                        systems=", ".join(staying), data=data, source=source
                    )
                )
        elif in_to_be:
            status = "new"
            reasons.append(_("new: stated for TO-BE systems only; not in AS-IS"))
        else:
            status = "retired"
            reasons.append(
                _("retired: never in AS-IS (its provider is not an AS-IS system) and {why}").format(
                    why=derivation.retired.get(iid) or _("not in TO-BE")
                )
            )
        reasons.extend(m.reason for m in moves)
        before = cat_as_is.get(iid) if in_as_is else None
        after = cat_to_be.get(iid) if in_to_be else None
        decided = after or before
        if decided is not None:
            reasons.append(_("category: {rule}").format(rule=decided.reasons[-1]))
        rows.append(
            GapRow(
                interface=iid,
                name=attrs.get("name", iid),
                data=attrs.get("data", ""),
                status=status,
                providers_as_is=tuple(prov_as_is.get(iid, ())),
                providers_to_be=tuple(prov_to_be.get(iid, ())),
                users_as_is=tuple(users_as_is.get(iid, ())),
                users_to_be=tuple(users_to_be.get(iid, ())),
                category_as_is=before.category.code if before else None,
                category_to_be=after.category.code if after else None,
                moves=moves,
                contracts=tuple(contracts.get(iid, ())),
                reasons=tuple(reasons),
            )
        )
    rows.sort(key=lambda r: (STATUSES.index(r.status), r.interface))
    return rows


def with_replacers(local: PortfolioGraph, catalogue: PortfolioGraph) -> PortfolioGraph:
    """A municipality's part of a graph plus, from the catalogue, every system that replaces
    one of its systems (directly or in a chain), with its supplier and the REPLACES edges: a
    municipality running KMD Dagpenge gets KSD even when it does not list KSD itself."""
    replacers_of: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    for replacer, replaced, _edge in edges(catalogue, Rel.REPLACES):
        replacers_of[replaced].append(replacer)
    result = local.copy()
    todo = [key for key, _ in nodes(local, Label.SYSTEM)]
    while todo:
        replaced = todo.pop()
        for replacer in replacers_of.get(replaced, ()):
            if replacer not in result:
                result.add_node(replacer, **catalogue.nodes[replacer])
                for supplier, _, attrs in catalogue.in_edges(replacer, data=True):
                    if attrs.get("type") == Rel.SUPPLIES.value:
                        if supplier not in result:
                            result.add_node(supplier, **catalogue.nodes[supplier])
                        result.add_edge(supplier, replacer, **attrs)
                todo.append(replacer)
            if not any(
                target == replaced and attrs.get("type") == Rel.REPLACES.value
                for _, target, attrs in result.out_edges(replacer, data=True)
            ):
                result.add_edge(replacer, replaced, type=Rel.REPLACES.value)
    return result


@dataclass(frozen=True)
class Transition:
    """Both states of a full graph, the derivation between them and the gap rows."""

    graph: PortfolioGraph
    """The full graph analysed (for a municipality: its part, with its replacers added)."""
    as_is: PortfolioGraph
    derivation: Derivation
    categories: tuple[InterfaceCategory, ...]
    """The interfaces of `graph` with their one category (decided on the whole catalogue)."""
    gap: tuple[GapRow, ...]

    @property
    def to_be(self) -> PortfolioGraph:
        """The TO-BE graph."""
        return self.derivation.graph


def transition(
    graph: PortfolioGraph,
    categories: Iterable[InterfaceCategory] | None = None,
    derivation: Derivation | None = None,
    as_is: PortfolioGraph | None = None,
) -> Transition:
    """Derive AS-IS, TO-BE and the gap from a full graph (every lifecycle).

    `categories`: the categories decided on the whole catalogue (default: decided on `graph`
    and its TO-BE, see `categorise_transition`); `derivation` and `as_is` when already derived.
    """
    as_is = as_is if as_is is not None else as_is_graph(graph)
    derivation = derivation if derivation is not None else derive_to_be(graph)
    if categories is None:
        categories = categorise_transition(graph, derivation.graph)
    present = {attrs["id"] for _, attrs in nodes(graph, Label.INTERFACE)}
    decided = tuple(c for c in categories if c.interface in present)
    rows = gap_rows(graph, as_is, derivation, decided)
    return Transition(graph, as_is, derivation, decided, tuple(rows))


def gap(graph: PortfolioGraph) -> list[GapRow]:
    """Every interface of a full graph once: kept, repointed, retired or new, with its category,
    the moves of its roles and the contracts covering it (see `snitgraf.assessment` for one
    municipality's part of a national graph)."""
    return list(transition(graph).gap)


def in_as_is(attrs: Mapping[str, Any]) -> bool:
    """True when a system node belongs to AS-IS."""
    return attrs.get("lifecycle", "both") in AS_IS_LIFECYCLES
