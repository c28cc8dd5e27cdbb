"""Impact analysis: what breaks, and what must be renegotiated, if system X is replaced by Y?

Two halves, so another backend can reuse the second:
- `gather_impact(graph, system, replaced_by)` collects plain facts from a networkx graph: the
  dependency edges of the state X lives in (PROVIDES/USES), the contracts, and the categories
  and moves before and after the replacement (the TO-BE rule of `snitgraf.analysis.transition`
  applied to this one replacement);
- `compute_impact(facts, depth)` runs the breadth-first search over those facts (linear in
  their size, safe on cycles) and joins everything into an `Impact`.

A system depends on the providers of the interfaces it USES; the affected systems are found by
following that relation backwards from X: distance 1 uses an interface X provides, distance 2
uses an interface a distance-1 system provides, and so on.
"""

from __future__ import annotations

import difflib
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import networkx as nx

from snitgraf.analysis.categorise import CATEGORIES, categorise
from snitgraf.analysis.plan import (
    ACTION_TITLES,
    SystemInfo,
    as_partial,
    contract_actions,
    negotiator,
    system_infos,
)
from snitgraf.analysis.transition import (
    ContractRef,
    Derivation,
    Move,
    contracts_by_interface,
    derive,
    in_as_is,
    resolve_replacers,
    to_be_graph,
    to_be_parameters,
    with_replacers,
)
from snitgraf.graph import as_is_graph, edges, nodes
from snitgraf.problems import SnitgrafError
from snitgraf.schema import Label, NodeKey, Rel, node_key
from snitgraf.values import PartialDate, json_amount

ReplacementSource = Literal["option", "portfolio", "none"]
PAYERS = ("KOMBIT", "kommune", "undecided")


# --- resolving a system ---------------------------------------------------------------------


def resolve_system(graph: nx.MultiDiGraph, text: str) -> str:
    """A system id from an id or an exact name; unknown -> SnitgrafError naming the closest."""
    names: dict[str, str] = {}
    for _, attrs in nodes(graph, Label.SYSTEM):
        names[attrs["id"]] = attrs.get("name", attrs["id"])
    if text in names:
        return text
    by_name = [sid for sid, name in names.items() if name == text]
    if not by_name:
        by_name = [sid for sid, name in names.items() if name.casefold() == text.casefold()]
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        raise SnitgrafError(
            f"system name {text!r} is ambiguous: use one of the ids {', '.join(sorted(by_name))}"
        )
    candidates = {sid: sid for sid in names} | {name: sid for sid, name in names.items()}
    close = difflib.get_close_matches(text, list(candidates), n=5, cutoff=0.4)
    shown = list(dict.fromkeys(candidates[c] for c in close))
    hint = (
        "closest: " + ", ".join(f"{sid} ({names[sid]})" for sid in shown)
        if shown
        else "no system has a similar id or name"
    )
    raise SnitgrafError(f"unknown system {text!r}; {hint}")


# --- facts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterfaceInfo:
    """An interface as impact analysis sees it."""

    id: str
    name: str
    data: str


@dataclass(frozen=True)
class ImpactFacts:
    """Everything `compute_impact` needs, as plain data (any backend can gather it)."""

    system: str
    replaced_by: tuple[str, ...]
    replacement_source: ReplacementSource
    state: str
    systems: Mapping[str, SystemInfo]
    interfaces: Mapping[str, InterfaceInfo]
    provides: tuple[tuple[str, str], ...]
    """(system, interface): who provides what, in the state X lives in."""
    uses: tuple[tuple[str, str, str | None], ...]
    """(system, interface, need): who uses what, in the state X lives in."""
    contracts: Mapping[str, tuple[ContractRef, ...]]
    category_before: Mapping[str, str]
    category_after: Mapping[str, str]
    in_after: frozenset[str]
    """Interfaces still there after the replacement."""
    moves: tuple[Move, ...]
    """What happened to X's roles in the replacement."""


def _scenario(
    graph: nx.MultiDiGraph, x: NodeKey, replacers: list[NodeKey], state: str
) -> tuple[nx.MultiDiGraph, Derivation]:
    """The state X lives in, and that state after replacing X by `replacers` alone."""
    if state == "as-is":
        base = as_is_graph(graph)
        replaced_anything = {r for r, _, _ in edges(graph, Rel.REPLACES)}
        infrastructure = {
            key
            for key, attrs in nodes(graph, Label.SYSTEM)
            if not in_as_is(attrs) and key not in replaced_anything
        }
        keep = {k for k, _ in nodes(base, Label.SYSTEM)} | infrastructure
        source = graph
    else:
        base = to_be_graph(graph)
        keep = {k for k, _ in nodes(base, Label.SYSTEM)}
        source = base
    keep = (keep - {x}) | set(replacers)
    return base, derive(source, keep, {x: replacers} if replacers else {})


def gather_impact(
    graph: nx.MultiDiGraph,
    system: str,
    replaced_by: str | None = None,
    catalogue: nx.MultiDiGraph | None = None,
) -> ImpactFacts:
    """Collect the facts of an impact analysis from a full graph (every lifecycle).

    Dependencies are those of the state X lives in: AS-IS when X is `as-is`/`both`, else TO-BE.
    The replacement: `replaced_by` when given, else the portfolio's REPLACES, else none (X goes).
    The "after" state applies the TO-BE rule to this one replacement: every other system stays
    as it is, new infrastructure (TO-BE systems that replace nothing) comes in. `catalogue`:
    when `graph` is one municipality's part, the whole graph that categories are decided on.
    """
    if catalogue is not None:
        graph = with_replacers(graph, catalogue)
    sid = resolve_system(graph, system)
    x = node_key(Label.SYSTEM, sid)
    source: ReplacementSource
    if replaced_by is not None:
        rid = resolve_system(graph, replaced_by)
        if rid == sid:
            raise SnitgrafError(f"a system cannot replace itself: {sid}")
        replacers = [node_key(Label.SYSTEM, rid)]
        source = "option"
    else:
        keep_to_be, resolved = to_be_parameters(graph)
        replacers = resolved.get(x, [])
        if not replacers:  # a to-be/both system: look at what replaces it directly
            replacers = resolve_replacers(graph, keep_to_be - {x}).get(x, [])
        source = "portfolio" if replacers else "none"

    state = "as-is" if in_as_is(graph.nodes[x]) else "to-be"
    base, scenario = _scenario(graph, x, replacers, state)
    if catalogue is None:
        categories_base, categories_scenario = base, scenario.graph
    else:  # categories belong to the whole catalogue (see snitgraf.municipality)
        categories_base, derived = _scenario(catalogue, x, replacers, state)
        categories_scenario = derived.graph

    interfaces = {
        attrs["id"]: InterfaceInfo(
            attrs["id"], attrs.get("name", attrs["id"]), attrs.get("data", "")
        )
        for _, attrs in nodes(graph, Label.INTERFACE)
    }
    return ImpactFacts(
        system=sid,
        replaced_by=tuple(sorted(r[1] for r in replacers)),
        replacement_source=source,
        state=state,
        systems=system_infos(graph),
        interfaces=interfaces,
        provides=tuple((s[1], i[1]) for s, i, _ in edges(base, Rel.PROVIDES)),
        uses=tuple((s[1], i[1], a.get("need")) for s, i, a in edges(base, Rel.USES)),
        contracts={k: tuple(v) for k, v in contracts_by_interface(base).items()},
        category_before={c.interface: c.category.code for c in categorise(categories_base)},
        category_after={c.interface: c.category.code for c in categorise(categories_scenario)},
        in_after=frozenset(k[1] for k, _ in nodes(scenario.graph, Label.INTERFACE)),
        moves=tuple(m for m in scenario.moves if m.from_system == sid),
    )


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AffectedInterface:
    """An interface X provides or uses, and what the replacement does to it."""

    interface: str
    name: str
    data: str
    role: str
    need: str | None
    counterparts: tuple[str, ...]
    category_before: str | None
    category_after: str | None
    status_after: str
    role_after: str
    """What happens to X's role: moved, superseded, already-stated or dropped."""
    moved_to: tuple[str, ...]
    negotiates: str
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """JSON object of an affected interface."""
        return {
            "interface": self.interface,
            "name": self.name,
            "data": self.data,
            "role": self.role,
            "need": self.need,
            "counterparts": list(self.counterparts),
            "category_before": self.category_before,
            "category_after": self.category_after,
            "status_after": self.status_after,
            "role_after": self.role_after,
            "moved_to": list(self.moved_to),
            "negotiates": self.negotiates,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class AffectedSystem:
    """A system that depends on X, directly (distance 1) or through others."""

    system: str
    name: str
    distance: int
    path: tuple[str, ...]
    """System, interface, system, ...: from X to this system, each hop a use of a provided
    interface."""

    @property
    def via(self) -> str:
        """The interface of the last hop."""
        return self.path[-2]

    def to_json(self) -> dict[str, Any]:
        """JSON object of an affected system."""
        return {
            "system": self.system,
            "name": self.name,
            "distance": self.distance,
            "via": self.via,
            "path": list(self.path),
        }


@dataclass(frozen=True)
class AffectedContract:
    """A contract covering an affected interface: what it costs, who pays, what to do."""

    contract: ContractRef
    payer: str
    actions: tuple[str, ...]
    due: str | None
    reasons: tuple[str, ...]

    @property
    def action(self) -> str:
        """The actions as one line of plain words."""
        return " + ".join(ACTION_TITLES.get(a, a) for a in self.actions)

    def to_json(self) -> dict[str, Any]:
        """JSON object of an affected contract."""
        return {
            "id": self.contract.id,
            "interface": self.contract.interface,
            "supplier": self.contract.supplier,
            "expires": self.contract.expires,
            "annual_cost_dkk": json_amount(self.contract.annual_cost_dkk),
            "payer": self.payer,
            "action": self.action,
            "actions": list(self.actions),
            "due": self.due,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Actor:
    """A party that must act, on which interfaces, and why."""

    actor: str
    interfaces: tuple[str, ...]
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """JSON object of an actor."""
        return {
            "actor": self.actor,
            "interfaces": list(self.interfaces),
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Cost:
    """Annual cost at stake: known sum, and the contracts whose cost is unknown."""

    known_dkk: float
    contracts: tuple[str, ...]
    unknown: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """JSON object of a cost."""
        return {
            "known_dkk": json_amount(self.known_dkk),
            "unknown_count": len(self.unknown),
            "unknown_contracts": list(self.unknown),
            "contracts": list(self.contracts),
        }


@dataclass(frozen=True)
class Impact:
    """The impact of replacing (or removing) one system."""

    system: str
    name: str
    replaced_by: tuple[str, ...]
    replacement_source: ReplacementSource
    state: str
    depth: int | None
    affected_interfaces: tuple[AffectedInterface, ...]
    affected_systems: tuple[AffectedSystem, ...]
    contracts: tuple[AffectedContract, ...]
    must_act: tuple[Actor, ...]
    cost_total: Cost
    cost_per_payer: Mapping[str, Cost]
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The JSON object `impact --format json` prints (keys are a user contract)."""
        return {
            "system": self.system,
            "name": self.name,
            "replaced_by": list(self.replaced_by),
            "replacement_source": self.replacement_source,
            "state": self.state,
            "depth": self.depth,
            "affected_interfaces": [i.to_json() for i in self.affected_interfaces],
            "affected_systems": [s.to_json() for s in self.affected_systems],
            "contracts": [c.to_json() for c in self.contracts],
            "must_act": [a.to_json() for a in self.must_act],
            "annual_cost_at_stake": {
                "total": self.cost_total.to_json(),
                "per_payer": {p: c.to_json() for p, c in self.cost_per_payer.items()},
            },
            "reasons": list(self.reasons),
        }


# --- the computation ------------------------------------------------------------------------


def dependents(
    provides: Iterable[tuple[str, str]],
    uses: Iterable[tuple[str, str, str | None]],
    start: str,
    depth: int | None = None,
) -> list[tuple[str, int, tuple[str, ...]]]:
    """Breadth-first search backwards along "depends on": (system, distance, path) for every
    system that depends on `start`, up to `depth` hops (None: unlimited). Linear; cycles safe."""
    provided_by: dict[str, list[str]] = defaultdict(list)
    users_of: dict[str, list[str]] = defaultdict(list)
    for system, interface in provides:
        provided_by[system].append(interface)
    for system, interface, _need in uses:
        users_of[interface].append(system)
    for values in (*provided_by.values(), *users_of.values()):
        values.sort()
    parent: dict[str, tuple[str, str]] = {}
    distance = {start: 0}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if depth is not None and distance[current] >= depth:
            continue
        for interface in provided_by.get(current, ()):
            for user in users_of.get(interface, ()):
                if user not in distance:
                    distance[user] = distance[current] + 1
                    parent[user] = (current, interface)
                    queue.append(user)
    result = []
    for system, dist in distance.items():
        if system == start:
            continue
        path: list[str] = [system]
        node = system
        while node != start:
            previous, interface = parent[node]
            path[:0] = [previous, interface]
            node = previous
        result.append((system, dist, tuple(path)))
    result.sort(key=lambda r: (r[1], r[0]))
    return result


def _payer(category: str | None) -> str:
    if category is None or category not in CATEGORIES:
        return "undecided"
    pays = CATEGORIES[category].pays
    return pays if pays in ("KOMBIT", "kommune") else "undecided"


def _cost(contracts: Iterable[ContractRef]) -> Cost:
    contracts = list(contracts)
    return Cost(
        known_dkk=sum(c.annual_cost_dkk or 0.0 for c in contracts),
        contracts=tuple(c.id for c in contracts),
        unknown=tuple(c.id for c in contracts if c.annual_cost_dkk is None),
    )


def compute_impact(
    facts: ImpactFacts, depth: int | None = None, today: date | None = None
) -> Impact:
    """Join the facts into the impact: affected interfaces, systems, contracts, actors, cost."""
    if depth is not None and depth < 0:
        raise SnitgrafError(f"depth must be 0 or more (got {depth})")
    today = today or date.today()
    sid = facts.system
    systems = facts.systems
    name = systems[sid].name
    replacement = " and ".join(f"{systems[r].name} ({r})" for r in facts.replaced_by)
    go_lives = [as_partial(systems[r].go_live) for r in facts.replaced_by]
    go_live: PartialDate | None = None
    if go_lives and all(g is not None for g in go_lives):
        go_live = max(go_lives, key=lambda d: d.last_day())  # type: ignore[union-attr]

    providers_of: dict[str, list[str]] = defaultdict(list)
    users_of: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for system, interface in facts.provides:
        providers_of[interface].append(system)
    for system, interface, need in facts.uses:
        users_of[interface].append((system, need))
    moves_of: dict[tuple[str, str], list[Move]] = defaultdict(list)
    for move in facts.moves:
        moves_of[(move.interface, move.role)].append(move)

    # One role per interface: usages of several municipalities count once, strongest need.
    role_need: dict[tuple[str, str], str | None] = {}
    for system, interface in facts.provides:
        if system == sid:
            role_need[(interface, "provides")] = None
    for system, interface, need in facts.uses:
        if system == sid:
            current = role_need.get((interface, "uses"))
            if (interface, "uses") not in role_need or (current != "must" and need == "must"):
                role_need[(interface, "uses")] = need
    roles = sorted((interface, role, need) for (interface, role), need in role_need.items())

    affected: list[AffectedInterface] = []
    status_of: dict[str, str] = {}
    for interface, role, need in roles:
        info = facts.interfaces[interface]
        moves = moves_of.get((interface, "provider" if role == "provides" else "user"), [])
        moved = tuple(sorted({m.to_system for m in moves if m.kind == "moved" and m.to_system}))
        if interface not in facts.in_after:
            status = "retired"
        elif moved:
            status = "repointed"
        else:
            status = "kept"
        # An interface X both provides and uses is repointed if either role moved.
        if status_of.get(interface) != "repointed":
            status_of[interface] = status
        before = facts.category_before.get(interface)
        after = facts.category_after.get(interface) if interface in facts.in_after else None
        counterparts = (
            tuple(sorted({u for u, _ in users_of.get(interface, ())} - {sid}))
            if role == "provides"
            else tuple(sorted(set(providers_of.get(interface, ())) - {sid}))
        )
        reasons = list(dict.fromkeys(m.reason for m in moves))
        if status == "retired":
            reasons.append(f"{interface} is retired after the replacement")
        if before and after and before != after:
            reasons.append(f"category changes from {before} to {after}")
        actor, why = (
            negotiator(after, facts.contracts.get(interface, ()), None)
            if status == "repointed"
            else ("—", ())
        )
        affected.append(
            AffectedInterface(
                interface=interface,
                name=info.name,
                data=info.data,
                role=role,
                need=need,
                counterparts=counterparts,
                category_before=before,
                category_after=after,
                status_after=status,
                role_after="+".join(sorted({m.kind for m in moves})) or "kept",
                moved_to=moved,
                negotiates=actor,
                reasons=(*reasons, *why),
            )
        )

    found = dependents(facts.provides, facts.uses, sid, depth)
    affected_systems = tuple(
        AffectedSystem(system, systems[system].name, dist, path) for system, dist, path in found
    )

    contracts: list[AffectedContract] = []
    actors: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for item in affected:
        if item.status_after == "repointed" and item.negotiates != "—":
            actors[item.negotiates][item.interface].append(
                f"negotiate {item.interface} with {', '.join(item.moved_to)} "
                f"(category {item.category_after})"
            )
        if item.category_after == "unclassified":
            actors["kommune"][item.interface].append(
                f"decide the category of {item.interface} (unclassified)"
            )
    seen: set[str] = set()
    for interface in sorted(status_of):
        retired = status_of[interface] == "retired"
        category = facts.category_after.get(interface) or facts.category_before.get(interface)
        for contract in facts.contracts.get(interface, ()):
            if contract.id in seen:
                continue
            seen.add(contract.id)
            found_actions = contract_actions(contract, retired, go_live, replacement, today)
            codes = [a.action for a in found_actions]
            reasons = [r for a in found_actions for r in a.reasons]
            if status_of[interface] == "repointed":
                codes.append("negotiate")
                reasons.append(
                    f"{interface} is repointed to {replacement}: the contract must cover the "
                    "interface with the new system"
                )
            if not codes:
                codes.append("keep")
                reasons.append(f"{interface} is {status_of[interface]}: the contract continues")
            dues = [a.due for a in found_actions if a.due is not None]
            if "negotiate" in codes and go_live is not None:
                dues.append(go_live)
            due = min(dues, key=lambda d: d.first_day()) if dues else None
            if retired:
                payer = "kommune"
                reasons.append(
                    "payer kommune: the municipality holds the contract until it ends "
                    "(the interface retires)"
                )
            else:
                payer = _payer(category)
                reasons.append(f"payer {payer}: category {category} after the replacement")
            contracts.append(
                AffectedContract(
                    contract, payer, tuple(codes), str(due) if due else None, tuple(reasons)
                )
            )
            for action in found_actions:
                actors["kommune"][interface].append(
                    f"{ACTION_TITLES[action.action]}: contract {contract.id}"
                )
    must_act = tuple(
        Actor(
            actor,
            tuple(sorted(per_interface)),
            tuple(r for i in sorted(per_interface) for r in per_interface[i]),
        )
        for actor, per_interface in sorted(actors.items())
    )
    all_contracts = [c.contract for c in contracts]
    per_payer = {
        payer: _cost(c.contract for c in contracts if c.payer == payer)
        for payer in PAYERS
        if any(c.payer == payer for c in contracts)
    }
    given = "given" if facts.replacement_source == "option" else "stated in the portfolio"
    reasons = [
        f"{name} ({sid}) is analysed in its {facts.state.upper()} dependencies",
        (
            f"replaced by {replacement} ({given})"
            if facts.replaced_by
            else f"nothing replaces {name}: its roles end"
        ),
        "affected systems: those depending on it through interfaces it provides, "
        + ("at any distance" if depth is None else f"up to {depth} hop(s)"),
    ]
    total = _cost(all_contracts)
    if total.unknown:
        reasons.append(
            f"{len(total.unknown)} contract(s) with unknown annual cost are not in the sum: "
            + ", ".join(total.unknown)
        )
    return Impact(
        system=sid,
        name=name,
        replaced_by=facts.replaced_by,
        replacement_source=facts.replacement_source,
        state=facts.state,
        depth=depth,
        affected_interfaces=tuple(affected),
        affected_systems=affected_systems,
        contracts=tuple(contracts),
        must_act=must_act,
        cost_total=total,
        cost_per_payer=per_payer,
        reasons=tuple(reasons),
    )


def impact(
    graph: nx.MultiDiGraph,
    system: str,
    replaced_by: str | None = None,
    depth: int | None = None,
    today: date | None = None,
    catalogue: nx.MultiDiGraph | None = None,
) -> Impact:
    """The impact of replacing `system` (id or exact name) in a full graph; see module doc.
    `catalogue`: see `gather_impact`."""
    return compute_impact(gather_impact(graph, system, replaced_by, catalogue), depth, today)
