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

Speed: what no question changes (the state's dependencies and contracts, the TO-BE rule's
indexes, the categories and their evidence per data key) is prepared on a graph's first question
and kept in its networkx cache; each question then applies the rule only to the interfaces X
(and a replacer new to the state) provides or uses, and re-decides only their data keys. On the
98 municipalities' portfolio: about 0.8 s for the first question, then some 50 ms each
(benchmarks/impact.py).
"""

from __future__ import annotations

import difflib
import gc
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

import networkx as nx

from snitgraf.analysis.categorise import (
    CATEGORIES,
    DataEvidence,
    InterfaceCategory,
    Source,
    Use,
    categorise,
    decide,
)
from snitgraf.analysis.needs import BrokenNeed
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
    LocalDerivation,
    Move,
    RoleIndex,
    Transition,
    contracts_by_interface,
    derive,
    derive_around,
    in_as_is,
    resolve_replacers,
    role_index,
    to_be_graph,
    to_be_parameters,
    with_replacers,
)
from snitgraf.graph import TO_BE_LIFECYCLES, as_is_graph, edges, nodes, per_graph
from snitgraf.i18n import _, ngettext
from snitgraf.problems import SnitgrafError
from snitgraf.schema import Label, NodeKey, PortfolioGraph, Rel, node_key
from snitgraf.values import PartialDate, json_amount
from snitgraf.words import word

if TYPE_CHECKING:  # the backends build on the analyses
    from snitgraf.backends import Backend

ReplacementSource = Literal["option", "portfolio", "none"]
Scenario = Literal["planned", "hypothetical"]
PAYERS = ("KOMBIT", "kommune", "undecided")


# --- resolving a system ---------------------------------------------------------------------


def resolve_system(graph: PortfolioGraph, text: str) -> str:
    """A system id from an id or an exact name; unknown -> SnitgrafError naming the closest."""
    return _resolve(_system_names(graph, _prepared(graph)), text)


def _resolve(names: Mapping[str, str], text: str) -> str:
    if text in names:
        return text
    by_name = [sid for sid, name in names.items() if name == text]
    if not by_name:
        by_name = [sid for sid, name in names.items() if name.casefold() == text.casefold()]
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        raise SnitgrafError(
            _("system name {name!r} is ambiguous: use one of the ids {ids}").format(
                name=text, ids=", ".join(sorted(by_name))
            )
        )
    candidates = {sid: sid for sid in names} | {name: sid for sid, name in names.items()}
    close = difflib.get_close_matches(text, list(candidates), n=5, cutoff=0.4)
    shown = list(dict.fromkeys(candidates[c] for c in close))
    hint = (
        _("closest: {systems}").format(systems=", ".join(f"{sid} ({names[sid]})" for sid in shown))
        if shown
        else _("no system has a similar id or name")
    )
    raise SnitgrafError(_("unknown system {name!r}; {hint}").format(name=text, hint=hint))


# --- facts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterfaceInfo:
    """An interface as impact analysis sees it."""

    id: str
    name: str
    data: str


@dataclass(frozen=True)
class DependencyIndex:
    """Who provides and uses what, looked up by system and by interface (facts' order kept)."""

    provided_by: Mapping[str, tuple[str, ...]]
    """System -> the interfaces it provides."""
    used_by: Mapping[str, tuple[tuple[str, str | None], ...]]
    """System -> (interface, need) of each of its uses."""
    providers_of: Mapping[str, tuple[str, ...]]
    """Interface -> its providers."""
    users_of: Mapping[str, tuple[str, ...]]
    """Interface -> its users, sorted (one entry per use)."""


def dependency_index(
    provides: Iterable[tuple[str, str]], uses: Iterable[tuple[str, str, str | None]]
) -> DependencyIndex:
    """Index (system, interface) provides and (system, interface, need) uses."""
    provided_by: dict[str, list[str]] = defaultdict(list)
    used_by: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    providers_of: dict[str, list[str]] = defaultdict(list)
    users_of: dict[str, list[str]] = defaultdict(list)
    for system, interface in provides:
        provided_by[system].append(interface)
        providers_of[interface].append(system)
    for system, interface, need in uses:
        used_by[system].append((interface, need))
        users_of[interface].append(system)
    return DependencyIndex(
        provided_by={k: tuple(v) for k, v in provided_by.items()},
        used_by={k: tuple(v) for k, v in used_by.items()},
        providers_of={k: tuple(v) for k, v in providers_of.items()},
        users_of={k: tuple(sorted(v)) for k, v in users_of.items()},
    )


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
    index: DependencyIndex | None = field(default=None, compare=False, repr=False)
    """`provides` and `uses` indexed (`dependency_index`), when the gatherer has it at hand;
    without it `compute_impact` builds it (linear in their size)."""


def _scenario(
    graph: PortfolioGraph, x: NodeKey, replacers: list[NodeKey], state: str
) -> tuple[PortfolioGraph, Derivation]:
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


def _interface_infos(graph: PortfolioGraph) -> dict[str, InterfaceInfo]:
    return {
        attrs["id"]: InterfaceInfo(
            attrs["id"], attrs.get("name", attrs["id"]), attrs.get("data", "")
        )
        for _, attrs in nodes(graph, Label.INTERFACE)
    }


def _check_replacers(graph: PortfolioGraph, state: str, sid: str, replacers: list[NodeKey]) -> None:
    """A TO-BE system's replacement is analysed in TO-BE: its replacers must be there too."""
    if state != "to-be":
        return
    for replacer in replacers:
        if graph.nodes[replacer].get("lifecycle", "both") not in TO_BE_LIFECYCLES:
            raise SnitgrafError(
                _(
                    "{system} is a TO-BE system: it can only be replaced by a TO-BE system "
                    "(lifecycle to-be or both), not by {replacer}"
                ).format(system=sid, replacer=replacer[1])
            )


def _gather_impact_reference(
    graph: PortfolioGraph,
    system: str,
    replaced_by: str | None = None,
    catalogue: PortfolioGraph | None = None,
) -> ImpactFacts:
    """`gather_impact` the direct way, kept as its reference: derive and categorise the whole
    scenario for every question (about a second on the national portfolio).

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
            raise SnitgrafError(_("a system cannot replace itself: {system}").format(system=sid))
        replacers = [node_key(Label.SYSTEM, rid)]
        source = "option"
    else:
        keep_to_be, resolved = to_be_parameters(graph)
        replacers = resolved.get(x, [])
        if not replacers:  # a to-be/both system: look at what replaces it directly
            replacers = resolve_replacers(graph, keep_to_be - {x}).get(x, [])
        source = "portfolio" if replacers else "none"

    state = "as-is" if in_as_is(graph.nodes[x]) else "to-be"
    _check_replacers(graph, state, sid, replacers)
    base, scenario = _scenario(graph, x, replacers, state)
    if catalogue is None:
        categories_base, categories_scenario = base, scenario.graph
    else:  # categories belong to the whole catalogue (see snitgraf.municipality)
        categories_base, derived = _scenario(catalogue, x, replacers, state)
        categories_scenario = derived.graph

    interfaces = _interface_infos(graph)
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


# --- prepared once per graph ----------------------------------------------------------------

_CACHE_KEY = "snitgraf.analysis.impact"
"""Where a graph keeps its `_Prepared` parts (`snitgraf.graph.per_graph`; after changing
attributes in place, call `snitgraf.graph.forget_per_graph`)."""


@dataclass(frozen=True)
class _BaseFacts:
    """The dependencies and contracts of one state: the same for every question."""

    provides: tuple[tuple[str, str], ...]
    uses: tuple[tuple[str, str, str | None], ...]
    contracts: Mapping[str, tuple[ContractRef, ...]]
    index: DependencyIndex


@dataclass(frozen=True)
class _Neutral:
    """The TO-BE rule of one state, prepared: who stays when nothing is replaced (`keep`), the
    roles by interface and by system, and which interfaces are then still there."""

    keep: frozenset[NodeKey]
    roles: RoleIndex
    in_after: frozenset[str]


@dataclass(frozen=True)
class _Evidence:
    """What `categorise.gather` reads of the systems: suppliers (for a `Source`) and monopoly
    flags (for a `Use`)."""

    source_of: Mapping[NodeKey, tuple[str, str, str, str]]
    """System -> (supplier id, supplier name, system id, system name)."""
    monopoly: Mapping[NodeKey, tuple[str, str]]
    """Monopoly system -> (id, name)."""

    def entries(
        self, roles: RoleIndex, local: LocalDerivation
    ) -> tuple[
        dict[str, set[Use]], dict[str, set[Use]], dict[str, set[Source]], dict[str, set[str]]
    ]:
        """Per data key: the must and nice uses, the sources, and the interfaces, of the
        interfaces `local` keeps (what `categorise.gather` finds on the graph `derive` builds:
        every provider of an interface is a source)."""
        data_of = roles.data_of
        must: dict[str, set[Use]] = defaultdict(set)
        nice: dict[str, set[Use]] = defaultdict(set)
        sources: dict[str, set[Source]] = defaultdict(set)
        members: dict[str, set[str]] = defaultdict(set)
        for interface in local.kept:
            members[data_of[interface]].add(interface[1])
        for system, interface, _edge in local.provides:
            if interface in local.kept and system in self.source_of:
                sources[data_of[interface]].add(Source(*self.source_of[system], interface[1]))
        for (system, interface, _muni), attrs in local.uses.items():
            if interface in local.kept and system in self.monopoly:
                use = Use(*self.monopoly[system], interface[1])
                (must if attrs.get("need") == "must" else nice)[data_of[interface]].add(use)
        return must, nice, sources, members


@dataclass(frozen=True)
class _Categories:
    """One state's categories before any replacement (`before`) and in the neutral scenario
    (`after`, nothing replaced), with that scenario's evidence per data key, so a question
    re-decides only the data keys its replacement touches."""

    before: Mapping[str, str]
    after: Mapping[str, str]
    evidence: Mapping[str, DataEvidence]
    members: Mapping[str, frozenset[str]]
    """Data key -> the neutral scenario's interfaces carrying it."""
    systems: _Evidence


@dataclass
class _Prepared:
    """What impact analysis needs of one graph that no question changes, built when first
    asked for and kept in the graph's networkx cache: the national graph is prepared once,
    then each question only looks at the replaced system's neighbourhood."""

    names: dict[str, str] | None = None
    systems: Mapping[str, SystemInfo] | None = None
    interfaces: Mapping[str, InterfaceInfo] | None = None
    replacements: tuple[set[NodeKey], dict[NodeKey, list[NodeKey]], PortfolioGraph] | None = None
    base: dict[str, _BaseFacts] = field(default_factory=dict)
    neutral: dict[str, _Neutral] = field(default_factory=dict)
    categories: dict[str, _Categories] = field(default_factory=dict)
    enlarged: tuple[_Prepared, PortfolioGraph] | None = None
    """For one municipality's graph: the catalogue's `_Prepared` and `with_replacers`' result."""


def _prepared(graph: PortfolioGraph) -> _Prepared:
    return per_graph(graph, _CACHE_KEY, _Prepared)


def _system_names(graph: PortfolioGraph, prepared: _Prepared) -> dict[str, str]:
    if prepared.names is None:
        prepared.names = {
            attrs["id"]: attrs.get("name", attrs["id"]) for _, attrs in nodes(graph, Label.SYSTEM)
        }
    return prepared.names


def _replacements(
    graph: PortfolioGraph, prepared: _Prepared
) -> tuple[set[NodeKey], dict[NodeKey, list[NodeKey]], PortfolioGraph]:
    """TO-BE systems, the replacers of every replaced system, and the graph's systems with
    only their REPLACES edges (all that `to_be_parameters` and `resolve_replacers` read)."""
    if prepared.replacements is None:
        replaces: PortfolioGraph = nx.MultiDiGraph()
        replaces.add_nodes_from(nodes(graph, Label.SYSTEM))
        replaces.add_edges_from(edges(graph, Rel.REPLACES))
        keep_to_be, resolved = to_be_parameters(replaces)
        prepared.replacements = (keep_to_be, resolved, replaces)
    return prepared.replacements


def _state_source(
    graph: PortfolioGraph, state: str, replaces: PortfolioGraph
) -> tuple[PortfolioGraph, PortfolioGraph, set[NodeKey]]:
    """The state X lives in (base), the graph its scenarios are derived from, and who stays
    there when nothing is replaced: for AS-IS, its systems and the new infrastructure (TO-BE
    systems that replace nothing); see `_scenario`."""
    if state == "as-is":
        base = as_is_graph(graph)
        replaced_anything = {r for r, _, _ in edges(replaces, Rel.REPLACES)}
        infrastructure = {
            key
            for key, attrs in nodes(replaces, Label.SYSTEM)
            if not in_as_is(attrs) and key not in replaced_anything
        }
        return base, graph, {k for k, _ in nodes(base, Label.SYSTEM)} | infrastructure
    base = to_be_graph(graph)
    return base, base, {k for k, _ in nodes(base, Label.SYSTEM)}


def _prepare_state(
    graph: PortfolioGraph, prepared: _Prepared, state: str, categories: bool
) -> None:
    """Build a state's base facts, its neutral scenario and (when asked) its categories.

    The neutral scenario is `derive(source, keep, {})` taken through `derive_around` on every
    interface: the same roles and kept interfaces, without building its graph."""
    if state in prepared.neutral and (not categories or state in prepared.categories):
        return
    # Preparing allocates some 10^5 long-lived objects; as when loading (see
    # snitgraf.backends), the cyclic GC would rescan them again and again: pause it meanwhile.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _build_state(graph, prepared, state, categories)
    finally:
        if collecting:
            gc.enable()


def _build_state(graph: PortfolioGraph, prepared: _Prepared, state: str, categories: bool) -> None:
    base, source, keep = _state_source(graph, state, _replacements(graph, prepared)[2])
    roles = role_index(source)
    everything = derive_around(roles, keep, {}, (k for k, _ in nodes(source, Label.INTERFACE)))
    prepared.neutral[state] = _Neutral(
        frozenset(keep), roles, frozenset(k[1] for k in everything.kept)
    )
    provides = tuple((s[1], i[1]) for s, i, _ in edges(base, Rel.PROVIDES))
    uses = tuple((s[1], i[1], a.get("need")) for s, i, a in edges(base, Rel.USES))
    prepared.base[state] = _BaseFacts(
        provides=provides,
        uses=uses,
        contracts={k: tuple(v) for k, v in contracts_by_interface(base).items()},
        index=dependency_index(provides, uses),
    )
    if categories:
        systems = _system_evidence(source)
        must, nice, sources, members = systems.entries(roles, everything)
        evidence = {
            data: DataEvidence(
                data,
                tuple(sorted(must.get(data, ()))),
                tuple(sorted(nice.get(data, ()))),
                tuple(sorted(sources.get(data, ()))),
            )
            for data in members
        }
        decided = {data: decide(ev).category.code for data, ev in evidence.items()}
        prepared.categories[state] = _Categories(
            before={c.interface: c.category.code for c in categorise(base)},
            after={iid: decided[data] for data, ids in members.items() for iid in ids},
            evidence=evidence,
            members={data: frozenset(ids) for data, ids in members.items()},
            systems=systems,
        )


def _system_evidence(source: PortfolioGraph) -> _Evidence:
    systems = dict(nodes(source, Label.SYSTEM))
    suppliers = {key: n for n, (key, _) in enumerate(nodes(source, Label.SUPPLIER))}
    source_of: dict[NodeKey, tuple[str, str, str, str]] = {}
    for system, sys_attrs in systems.items():
        found = [
            supplier
            for supplier, _, attrs in source.in_edges(system, data=True)
            if attrs.get("type") == Rel.SUPPLIES.value and supplier in suppliers
        ]
        if found:  # `gather` takes the last SUPPLIES edge in the graph's edge order
            sup = source.nodes[max(found, key=suppliers.__getitem__)]
            source_of[system] = (sup["id"], sup["name"], sys_attrs["id"], sys_attrs["name"])
    return _Evidence(
        source_of=source_of,
        monopoly={
            key: (attrs["id"], attrs["name"])
            for key, attrs in systems.items()
            if attrs.get("monopoly")
        },
    )


# --- one question ---------------------------------------------------------------------------


def _around(
    neutral: _Neutral, x: NodeKey, replacers: list[NodeKey]
) -> tuple[set[NodeKey], LocalDerivation]:
    """The TO-BE rule for this one replacement on the only interfaces it can change: those X
    provides or uses, and those of replacers the neutral scenario leaves out."""
    roles = neutral.roles
    touched = {*roles.provided.get(x, ()), *roles.used.get(x, ())}
    for replacer in replacers:
        if replacer not in neutral.keep:
            touched.update(roles.provided.get(replacer, ()), roles.used.get(replacer, ()))
    keep = (set(neutral.keep) - {x}) | set(replacers)
    return touched, derive_around(roles, keep, {x: replacers} if replacers else {}, touched)


def _categories_after(
    categories: _Categories, roles: RoleIndex, touched: set[NodeKey], local: LocalDerivation
) -> dict[str, str]:
    """The neutral scenario's categories with the touched data keys decided again: their
    evidence loses the touched interfaces' entries and gains those the rule gives them now."""
    must, nice, sources, kept = categories.systems.entries(roles, local)
    touched_ids = {i[1] for i in touched}
    after = dict(categories.after)
    for iid in touched_ids:
        after.pop(iid, None)
    for data in {roles.data_of[i] for i in touched if i in roles.data_of}:
        members = (categories.members.get(data, frozenset()) - touched_ids) | kept.get(data, set())
        if not members:
            continue
        neutral = categories.evidence.get(data)
        evidence = DataEvidence(
            data,
            _edited(neutral.must if neutral else (), touched_ids, must.get(data, set())),
            _edited(neutral.nice if neutral else (), touched_ids, nice.get(data, set())),
            _edited(neutral.sources if neutral else (), touched_ids, sources.get(data, set())),
        )
        code = decide(evidence).category.code
        for iid in members:
            after[iid] = code
    return after


_Entry = TypeVar("_Entry", Use, Source)


def _edited(entries: Iterable[_Entry], touched: set[str], added: set[_Entry]) -> tuple[_Entry, ...]:
    """Evidence entries without those of touched interfaces, plus the new ones, sorted."""
    return tuple(sorted({e for e in entries if e.interface not in touched} | added))


def gather_impact(
    graph: PortfolioGraph,
    system: str,
    replaced_by: str | None = None,
    catalogue: PortfolioGraph | None = None,
) -> ImpactFacts:
    """Collect the facts of an impact analysis from a full graph (every lifecycle).

    Dependencies are those of the state X lives in: AS-IS when X is `as-is`/`both`, else TO-BE.
    The replacement: `replaced_by` when given, else the portfolio's REPLACES, else none (X goes).
    The "after" state applies the TO-BE rule to this one replacement: every other system stays
    as it is, new infrastructure (TO-BE systems that replace nothing) comes in. `catalogue`:
    when `graph` is one municipality's part, the whole graph that categories are decided on.

    What no question changes is prepared once per graph and kept in its networkx cache; a
    question then derives only the interfaces X (and a replacer new to the state) touches, and
    re-decides only their data keys. The facts are exactly those of deriving and categorising
    the whole scenario (`_gather_impact_reference`, kept as the proof in the tests).
    """
    prepared = _prepared(graph)
    # Categories belong to the whole catalogue (see snitgraf.municipality).
    decided_on = prepared if catalogue is None else _prepared(catalogue)
    if catalogue is not None:
        if prepared.enlarged is None or prepared.enlarged[0] is not decided_on:
            prepared.enlarged = (decided_on, with_replacers(graph, catalogue))
        graph = prepared.enlarged[1]
        prepared = _prepared(graph)
    names = _system_names(graph, prepared)
    sid = _resolve(names, system)
    x = node_key(Label.SYSTEM, sid)
    source: ReplacementSource
    if replaced_by is not None:
        rid = _resolve(names, replaced_by)
        if rid == sid:
            raise SnitgrafError(_("a system cannot replace itself: {system}").format(system=sid))
        replacers = [node_key(Label.SYSTEM, rid)]
        source = "option"
    else:
        keep_to_be, resolved, replaces = _replacements(graph, prepared)
        replacers = resolved.get(x, [])
        if not replacers:  # a to-be/both system: look at what replaces it directly
            replacers = resolve_replacers(replaces, keep_to_be - {x}).get(x, [])
        source = "portfolio" if replacers else "none"

    state = "as-is" if in_as_is(graph.nodes[x]) else "to-be"
    _check_replacers(graph, state, sid, replacers)
    _prepare_state(graph, prepared, state, categories=catalogue is None)
    neutral = prepared.neutral[state]
    touched, local = _around(neutral, x, replacers)
    categories_touched, categories_local = touched, local
    if catalogue is not None:
        _prepare_state(catalogue, decided_on, state, categories=True)
        categories_touched, categories_local = _around(decided_on.neutral[state], x, replacers)
    categories = decided_on.categories[state]
    if prepared.systems is None:
        prepared.systems = system_infos(graph)
    if prepared.interfaces is None:
        prepared.interfaces = _interface_infos(graph)
    base = prepared.base[state]
    touched_ids = {i[1] for i in touched}
    return ImpactFacts(
        system=sid,
        replaced_by=tuple(sorted(r[1] for r in replacers)),
        replacement_source=source,
        state=state,
        # The prepared mappings are shared by every question: hand them out read-only.
        systems=MappingProxyType(prepared.systems),
        interfaces=MappingProxyType(prepared.interfaces),
        provides=base.provides,
        uses=base.uses,
        contracts=MappingProxyType(base.contracts),
        category_before=MappingProxyType(categories.before),
        category_after=_categories_after(
            categories, decided_on.neutral[state].roles, categories_touched, categories_local
        ),
        in_after=(neutral.in_after - touched_ids) | {i[1] for i in local.kept},
        moves=tuple(m for m in local.moves if m.from_system == sid),
        index=base.index,
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
    scenario: Scenario = "planned"
    """`planned`: the portfolio's TO-BE (every replacement applied); `hypothetical`: this one
    replacement (or removal) alone, which the portfolio does not plan."""
    broken_needs: tuple[BrokenNeed, ...] = ()
    departures: tuple[Departure, ...] = ()
    """Where a hypothetical's outcome departs from the plan (empty for `planned`)."""

    def to_json(self) -> dict[str, Any]:
        """The JSON object `impact --format json` prints (keys are a user contract)."""
        return {
            "system": self.system,
            "name": self.name,
            "scenario": self.scenario,
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
            "broken_needs": [n.to_json() for n in self.broken_needs],
            "departures": [d.to_json() for d in self.departures],
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Departure:
    """An interface whose outcome in a hypothetical differs from the portfolio's plan."""

    interface: str
    planned: str
    scenario: str

    def to_json(self) -> dict[str, Any]:
        """JSON object of a departure."""
        return {"interface": self.interface, "planned": self.planned, "scenario": self.scenario}


# --- the computation ------------------------------------------------------------------------


def dependents(
    provides: Iterable[tuple[str, str]],
    uses: Iterable[tuple[str, str, str | None]],
    start: str,
    depth: int | None = None,
) -> list[tuple[str, int, tuple[str, ...]]]:
    """Breadth-first search backwards along "depends on": (system, distance, path) for every
    system that depends on `start`, up to `depth` hops (None: unlimited). Linear; cycles safe."""
    return _dependents(dependency_index(provides, uses), start, depth)


def _dependents(
    index: DependencyIndex, start: str, depth: int | None
) -> list[tuple[str, int, tuple[str, ...]]]:
    provided_by, users_of = index.provided_by, index.users_of
    parent: dict[str, tuple[str, str]] = {}
    distance = {start: 0}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if depth is not None and distance[current] >= depth:
            continue
        for interface in sorted(provided_by.get(current, ())):
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
    pays = CATEGORIES[category].payer
    return pays if pays in ("KOMBIT", "kommune") else "undecided"


def _cost(contracts: Iterable[ContractRef]) -> Cost:
    contracts = list(contracts)
    return Cost(
        known_dkk=sum(c.annual_cost_dkk or 0.0 for c in contracts),
        contracts=tuple(c.id for c in contracts),
        unknown=tuple(c.id for c in contracts if c.annual_cost_dkk is None),
    )


def compute_impact(
    facts: ImpactFacts,
    depth: int | None = None,
    today: date | None = None,
    kombit_offer_date: PartialDate | None = None,
    status_of_interface: Mapping[str, str] | None = None,
) -> Impact:
    """Join the facts into the impact: affected interfaces, systems, contracts, actors, cost.

    `status_of_interface`: the interfaces' statuses when they are known already (the gap of
    the planned TO-BE), so impact and gap say the same."""
    if depth is not None and depth < 0:
        raise SnitgrafError(_("depth must be 0 or more (got {depth})").format(depth=depth))
    today = today or date.today()
    sid = facts.system
    systems = facts.systems
    name = systems[sid].name
    replacement = _(" and ").join(f"{systems[r].name} ({r})" for r in facts.replaced_by)
    go_lives = [as_partial(systems[r].go_live) for r in facts.replaced_by]
    known = [g for g in go_lives if g is not None]
    go_live: PartialDate | None = None
    if known and len(known) == len(go_lives):
        go_live = max(known, key=lambda d: d.last_day())

    index = facts.index or dependency_index(facts.provides, facts.uses)
    providers_of, users_of = index.providers_of, index.users_of
    moves_of: dict[tuple[str, str], list[Move]] = defaultdict(list)
    for move in facts.moves:
        moves_of[(move.interface, move.role)].append(move)

    # One role per interface: usages of several municipalities count once, strongest need.
    role_need: dict[tuple[str, str], str | None] = {}
    for interface in index.provided_by.get(sid, ()):
        role_need[(interface, "provides")] = None
    for interface, need in index.used_by.get(sid, ()):
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
        if status_of_interface is not None and interface in status_of_interface:
            status = status_of_interface[interface]
        elif interface not in facts.in_after:
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
            tuple(sorted(set(users_of.get(interface, ())) - {sid}))
            if role == "provides"
            else tuple(sorted(set(providers_of.get(interface, ())) - {sid}))
        )
        reasons = list(dict.fromkeys(m.reason for m in moves))
        if status == "retired":
            reasons.append(
                _("{interface} is retired after the replacement").format(interface=interface)
            )
        if before and after and before != after:
            reasons.append(
                _("category changes from {before} to {after}").format(before=before, after=after)
            )
        actor, why = (
            negotiator(after, facts.contracts.get(interface, ()), kombit_offer_date)
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

    found = _dependents(index, sid, depth)
    affected_systems = tuple(
        AffectedSystem(system, systems[system].name, dist, path) for system, dist, path in found
    )

    contracts: list[AffectedContract] = []
    actors: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for item in affected:
        if item.status_after == "repointed" and item.negotiates != "—":
            actors[item.negotiates][item.interface].append(
                _("negotiate {interface} with {systems} (category {category})").format(
                    interface=item.interface,
                    systems=", ".join(item.moved_to),
                    category=item.category_after,
                )
            )
        if item.category_after == "unclassified":
            actors["kommune"][item.interface].append(
                _("decide the category of {interface} (unclassified)").format(
                    interface=item.interface
                )
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
            codes: list[str] = [a.action for a in found_actions]
            reasons = [r for a in found_actions for r in a.reasons]
            if status_of[interface] == "repointed":
                codes.append("negotiate")
                reasons.append(
                    _(
                        "{interface} is repointed to {replacement}: the contract must cover the "
                        "interface with the new system"
                    ).format(interface=interface, replacement=replacement)
                )
            if not codes:
                codes.append("keep")
                reasons.append(
                    _("{interface} is {status}: the contract continues").format(
                        interface=interface, status=word(status_of[interface])
                    )
                )
            dues = [a.due for a in found_actions if a.due is not None]
            if "negotiate" in codes and go_live is not None:
                dues.append(go_live)
            due = min(dues, key=lambda d: d.first_day()) if dues else None
            if retired:
                payer = "kommune"
                reasons.append(
                    _(
                        "payer kommune: the municipality holds the contract until it ends "
                        "(the interface retires)"
                    )
                )
            else:
                payer = _payer(category)
                reasons.append(
                    _("payer {payer}: category {category} after the replacement").format(
                        payer=word(payer), category=category
                    )
                )
            contracts.append(
                AffectedContract(
                    contract, payer, tuple(codes), str(due) if due else None, tuple(reasons)
                )
            )
            for action in found_actions:
                actors["kommune"][interface].append(
                    _("{action}: contract {contract}").format(
                        action=_(ACTION_TITLES[action.action]), contract=contract.id
                    )
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
    given = _("given") if facts.replacement_source == "option" else _("stated in the portfolio")
    reasons = [
        _("{name} ({system}) is analysed in its {state} dependencies").format(
            name=name, system=sid, state=facts.state.upper()
        ),
        (
            _("replaced by {replacement} ({given})").format(replacement=replacement, given=given)
            if facts.replaced_by
            else _("nothing replaces {name}: its roles end").format(name=name)
        ),
        (
            _(
                "affected systems: those depending on it through interfaces it provides, at any "
                "distance"
            )
            if depth is None
            else ngettext(
                "affected systems: those depending on it through interfaces it provides, up to "
                "{depth} hop",
                "affected systems: those depending on it through interfaces it provides, up to "
                "{depth} hops",
                depth,
            ).format(depth=depth)
        ),
    ]
    total = _cost(all_contracts)
    if total.unknown:
        reasons.append(
            ngettext(
                "{n} contract with unknown annual cost is not in the sum: {contracts}",
                "{n} contracts with unknown annual cost are not in the sum: {contracts}",
                len(total.unknown),
            ).format(n=len(total.unknown), contracts=", ".join(total.unknown))
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
    graph: PortfolioGraph,
    system: str,
    replaced_by: str | None = None,
    depth: int | None = None,
    today: date | None = None,
    catalogue: PortfolioGraph | None = None,
) -> Impact:
    """The impact of this one replacement of `system` (id or exact name) alone in a full graph
    (see the module doc); the CLI's `impact` is `Assessment.impact`, which sits in the planned
    TO-BE where the portfolio plans the replacement. `catalogue`: see `gather_impact`."""
    return compute_impact(gather_impact(graph, system, replaced_by, catalogue), depth, today)


# --- impact in the portfolio's plan ---------------------------------------------------------


class PlannedTransition(Protocol):
    """What `impact_in_plan` reads of an assessment (`snitgraf.assessment.Assessment`)."""

    @property
    def graph(self) -> PortfolioGraph: ...
    @property
    def catalogue(self) -> PortfolioGraph: ...
    @property
    def municipality(self) -> str | None: ...
    @property
    def transition(self) -> Transition: ...
    @property
    def categories(self) -> Mapping[str, InterfaceCategory]: ...
    @property
    def broken_needs(self) -> tuple[BrokenNeed, ...]: ...
    @property
    def replacers(self) -> Mapping[str, tuple[str, ...]]: ...
    @property
    def systems(self) -> Mapping[str, SystemInfo]: ...
    @property
    def backend(self) -> Backend: ...

    today: date
    kombit_offer_date: PartialDate | None


def impact_in_plan(
    assessment: PlannedTransition,
    system: str,
    replaced_by: str | None = None,
    depth: int | None = None,
) -> Impact:
    """The impact of replacing `system` as the portfolio plans it, or as a hypothetical.

    Planned: the portfolio replaces or drops the system (lifecycle `as-is`) and no other
    replacer is named: the planned TO-BE with every replacement applied, so each interface's
    status is the gap's. Hypothetical: another replacer, or a system the portfolio keeps
    (removed): this replacement alone, with where it departs from the plan."""
    graph = assessment.graph
    names = {sid: info.name for sid, info in assessment.systems.items()}
    sid = _resolve(names, system)
    planned_replacers = tuple(assessment.replacers.get(sid, ()))
    leaves = assessment.systems[sid].lifecycle == "as-is"
    rid = None if replaced_by is None else _resolve(names, replaced_by)
    if rid == sid:
        raise SnitgrafError(_("a system cannot replace itself: {system}").format(system=sid))
    planned = leaves and (rid is None or planned_replacers == (rid,))
    gap = {row.interface: row for row in assessment.transition.gap}
    codes = {iid: c.category.code for iid, c in assessment.categories.items()}
    if planned:
        facts = _planned_facts(assessment, sid, planned_replacers, codes)
        result = compute_impact(
            facts,
            depth,
            assessment.today,
            assessment.kombit_offer_date,
            {iid: row.status for iid, row in gap.items()},
        )
        touched = {i.interface for i in result.affected_interfaces}
        involved = {sid, *planned_replacers}
        needs = tuple(
            n
            for n in assessment.broken_needs
            if n.interface in touched or n.system in involved or n.taken_over_from == sid
        )
        return replace(result, scenario="planned", broken_needs=needs)
    if assessment.municipality is None:
        facts = gather_impact(graph, sid, rid)
    else:
        facts = gather_impact(assessment.backend.graph("all"), sid, rid, assessment.catalogue)
    facts = replace(facts, category_before=MappingProxyType(codes))
    result = compute_impact(facts, depth, assessment.today, assessment.kombit_offer_date)
    departures = tuple(
        Departure(item.interface, gap[item.interface].status, item.status_after)
        for item in result.affected_interfaces
        if item.interface in gap and gap[item.interface].status != item.status_after
    )
    needs = _scenario_needs(facts, assessment.categories)
    why = _(
        "hypothetical: the portfolio does not plan this; it departs from the plan for {n} "
        "interface(s)"
    ).format(n=len({d.interface for d in departures}))
    return replace(
        result,
        scenario="hypothetical",
        broken_needs=needs,
        departures=tuple(sorted(set(departures), key=lambda d: d.interface)),
        reasons=(why, *result.reasons),
    )


def _planned_facts(
    assessment: PlannedTransition,
    sid: str,
    replacers: tuple[str, ...],
    codes: Mapping[str, str],
) -> ImpactFacts:
    """The impact's facts in the planned transition: AS-IS dependencies, the TO-BE's
    interfaces, X's moves, and the one category of every interface."""
    state = assessment.transition
    base = state.as_is
    return ImpactFacts(
        system=sid,
        replaced_by=replacers,
        replacement_source="portfolio" if replacers else "none",
        state="as-is",
        systems=assessment.systems,
        interfaces=_interface_infos(assessment.graph),
        provides=tuple((s[1], i[1]) for s, i, _edge in edges(base, Rel.PROVIDES)),
        uses=tuple((s[1], i[1], a.get("need")) for s, i, a in edges(base, Rel.USES)),
        contracts={k: tuple(v) for k, v in contracts_by_interface(base).items()},
        category_before=codes,
        category_after=codes,
        in_after=frozenset(k[1] for k, _a in nodes(state.to_be, Label.INTERFACE)),
        moves=tuple(m for m in state.derivation.moves if m.from_system == sid),
    )


def _scenario_needs(
    facts: ImpactFacts, categories: Mapping[str, InterfaceCategory]
) -> tuple[BrokenNeed, ...]:
    """Broken needs of a hypothetical: the users of X's interfaces that retire (and X's own
    uses its replacers take over) whose data nothing provides after the replacement."""
    sid = facts.system
    data_of = {iid: info.data for iid, info in facts.interfaces.items()}
    available = {data_of.get(i, "") for i in facts.in_after}
    provided = {i for s, i in facts.provides if s == sid}
    wanted: dict[tuple[str, str], tuple[str, str | None]] = {}
    for system, interface, stated_need in facts.uses:
        if interface in facts.in_after or data_of.get(interface, "") in available:
            continue
        holders: list[tuple[str, str | None]]
        if system == sid:
            holders = [(r, sid) for r in facts.replaced_by]
        elif interface in provided:
            holders = [(system, None)]
        else:
            continue
        for holder, origin in holders:
            key = (holder, interface)
            if key not in wanted or (stated_need == "must" and wanted[key][0] != "must"):
                wanted[key] = (stated_need or "must", origin)
    result = []
    for (holder, interface), (need, origin) in sorted(wanted.items()):
        name = facts.systems[holder].name if holder in facts.systems else holder
        data = data_of.get(interface, "")
        category = categories.get(interface)
        verb = _("must use") if need == "must" else _("would like to use")
        reasons = (
            _(
                "{name} ({system}) {verb} data '{data}', but nothing provides it after the "
                "change: {interface} retires and no other interface carries the data"
            ).format(name=name, system=holder, verb=verb, data=data, interface=interface),
        )
        result.append(
            BrokenNeed(
                holder,
                name,
                data,
                interface,
                need,
                origin,
                category.category.code if category else None,
                reasons,
            )
        )
    return tuple(result)
