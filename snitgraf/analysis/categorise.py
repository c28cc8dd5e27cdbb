"""Categorisation of interfaces (the seed's rules), each result with the evidence that decided it.

Categories are decided per data key D and given to every interface carrying D:
must(D) / nice(D): a monopoly system USES an interface carrying D with need must / nice;
S(D): the number of distinct suppliers of the systems that PROVIDE an interface carrying D.
Providing an interface never makes a monopoly system a user.

The evidence is counted over the whole transition (`categorise_transition`): the portfolio as
stated, every lifecycle, and the derived TO-BE (where replacers take over roles), so the new
monopoly systems' needs count and an interface has one category in every output. Each piece of
evidence says which lifecycle its system has.

Backends only gather `DataEvidence` (networkx here, Cypher in `snitgraf.backends.neo4j`); the
decision and its reasons are made once, by `decide`, so both backends say the same words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from snitgraf.graph import edges, nodes
from snitgraf.i18n import N_, _, ngettext
from snitgraf.schema import Label, NodeKey, PortfolioGraph, Rel


@dataclass(frozen=True)
class Category:
    """A category of the seed: who negotiates, signs and pays.

    `negotiator`, `signer` and `payer` are party codes programs compare (`KOMBIT`, `kommune`,
    `—` for nobody yet); `label`, `rule` and `negotiates` are text for people, in the active
    language (their English msgids are the `*_msgid` fields).
    """

    code: str
    label_msgid: str
    rule_msgid: str
    negotiator: str
    signer: str
    payer: str
    negotiates_msgid: str | None = None
    """How `negotiates` reads when it says more than the party code (common-nice: KOMBIT offers)."""

    @property
    def label(self) -> str:
        """The category's name for people: 98'-potentiale, Fælles behov – flere leverandører ..."""
        return _(self.label_msgid)

    @property
    def rule(self) -> str:
        """The seed's rule in short: must and S = 1, ..."""
        return _(self.rule_msgid)

    @property
    def negotiates(self) -> str:
        """Who negotiates, for people: the party, or what the party does (KOMBIT offers)."""
        return _(self.negotiates_msgid) if self.negotiates_msgid else self.negotiator

    @property
    def signs(self) -> str:
        """Who signs the contract (a party code: it reads the same in every language)."""
        return self.signer

    @property
    def pays(self) -> str:
        """Who pays (a party code: it reads the same in every language)."""
        return self.payer


KOMBIT_98 = Category(
    "kombit-98", N_("98'-potentiale"), N_("must and S = 1"), "KOMBIT", "KOMBIT", "KOMBIT"
)
COMMON_MUST = Category(
    "common-must",
    N_("Common need – several suppliers (must)"),
    N_("must and S ≥ 2"),
    "KOMBIT",
    "kommune",
    "kommune",
)
COMMON_NICE = Category(
    "common-nice",
    N_("Common need – several suppliers (nice)"),
    N_("nice, not must, S ≥ 2"),
    "kommune",
    "kommune",
    "kommune",
    N_("kommune (KOMBIT offers)"),
)
MUNICIPAL = Category(
    "municipal",
    N_("Municipality-specific"),
    N_("neither must nor nice"),
    "kommune",
    "kommune",
    "kommune",
)
UNCLASSIFIED = Category(
    "unclassified",
    N_("Needs a decision"),
    N_("not covered by the rules (e.g. nice, not must, S = 1)"),
    "—",
    "—",
    "—",
)
CATEGORIES: dict[str, Category] = {
    c.code: c for c in (KOMBIT_98, COMMON_MUST, COMMON_NICE, MUNICIPAL, UNCLASSIFIED)
}
COMMON_CODES = frozenset({COMMON_MUST.code, COMMON_NICE.code})
KOMBIT_NEGOTIATES = frozenset({KOMBIT_98.code, COMMON_MUST.code})
KOMMUNE_SIGNS = frozenset({COMMON_MUST.code, COMMON_NICE.code, MUNICIPAL.code})

MAX_EVIDENCE = 10
"""How many users or suppliers a reason names before it says 'and N more'."""


@dataclass(frozen=True, order=True)
class Use:
    """A monopoly system using an interface: the edge that counts as a need."""

    system: str
    system_name: str
    interface: str
    lifecycle: str = "both"
    assumptions: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class Source:
    """A supplier that can expose the data: through which system and interface."""

    supplier: str
    supplier_name: str
    system: str
    system_name: str
    interface: str
    lifecycle: str = "both"
    assumptions: tuple[str, ...] = ()
    taken_over_from: str | None = None
    """In a derived TO-BE: the replaced system whose providing role this system took over."""


@dataclass(frozen=True)
class DataEvidence:
    """Everything the rules look at for one data key."""

    data: str
    must: tuple[Use, ...]
    nice: tuple[Use, ...]
    sources: tuple[Source, ...]

    @property
    def suppliers(self) -> tuple[str, ...]:
        """The distinct suppliers that can expose the data, sorted."""
        return tuple(sorted({s.supplier for s in self.sources}))

    @property
    def assumptions(self) -> tuple[str, ...]:
        """What the counted uses and sources rest on rather than on stated facts, sorted."""
        items: tuple[Use | Source, ...] = (*self.must, *self.nice, *self.sources)
        found = {a for item in items for a in item.assumptions}
        return tuple(sorted(found))


def merge_evidence(*found: dict[str, DataEvidence]) -> dict[str, DataEvidence]:
    """The evidence of several graphs (e.g. the portfolio as stated and its TO-BE) per data key:
    the union of their uses and sources. A providing role a replacer took over counts once, as
    the replacer's: the old and the new system are one source over time, not two alternatives."""
    keys = sorted({data for evidence in found for data in evidence})
    merged: dict[str, DataEvidence] = {}
    for data in keys:
        parts = [evidence[data] for evidence in found if data in evidence]
        sources = {s for p in parts for s in p.sources}
        moved = {(s.taken_over_from, s.interface) for s in sources if s.taken_over_from}
        merged[data] = DataEvidence(
            data,
            tuple(sorted({u for p in parts for u in p.must})),
            tuple(sorted({u for p in parts for u in p.nice})),
            tuple(sorted(s for s in sources if (s.system, s.interface) not in moved)),
        )
    return merged


@dataclass(frozen=True)
class InterfaceFacts:
    """An interface as the rules see it: id, name, data key, provider (id and name)."""

    interface: str
    name: str
    data: str
    provider: str
    provider_name: str
    provider_monopoly: bool
    assumptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """The category of a data key and the reasons, in plain words."""

    category: Category
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class InterfaceCategory:
    """The category of one interface, with who acts and the evidence."""

    interface: str
    name: str
    data: str
    provider: str
    category: Category
    suppliers: tuple[str, ...]
    must_users: tuple[str, ...]
    nice_users: tuple[str, ...]
    reasons: tuple[str, ...]
    assumptions: tuple[str, ...] = ()
    """What the category rests on besides stated facts (importers' defaults), sorted codes."""

    @property
    def supplier_count(self) -> int:
        """S(D): how many distinct suppliers can expose the interface's data."""
        return len(self.suppliers)

    def to_json(self) -> dict[str, Any]:
        """The JSON object `categorize --format json` prints (keys are a user contract)."""
        return {
            "interface": self.interface,
            "name": self.name,
            "data": self.data,
            "provider": self.provider,
            "category": self.category.code,
            "label": self.category.label,
            "negotiates": self.category.negotiates,
            "signs": self.category.signs,
            "pays": self.category.pays,
            "supplier_count": self.supplier_count,
            "suppliers": list(self.suppliers),
            "must_users": list(self.must_users),
            "nice_users": list(self.nice_users),
            "reasons": list(self.reasons),
            "assumptions": list(self.assumptions),
        }


def _named(items: list[str]) -> str:
    shown = items[:MAX_EVIDENCE]
    text = ", ".join(shown)
    if len(items) > MAX_EVIDENCE:
        text += _(" and {n} more").format(n=len(items) - MAX_EVIDENCE)
    return text


def _uses(uses: tuple[Use, ...]) -> list[str]:
    by_system: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for use in uses:
        by_system[(use.system_name, use.system, use.lifecycle)].add(use.interface)
    return [
        _("{name} ({system}, {lifecycle}) via {interfaces}").format(
            name=name, system=system, lifecycle=lifecycle, interfaces=", ".join(sorted(found))
        )
        for (name, system, lifecycle), found in sorted(by_system.items())
    ]


def _sources(sources: tuple[Source, ...]) -> list[str]:
    by_supplier: dict[tuple[str, str], set[str]] = defaultdict(set)
    for source in sources:
        by_supplier[(source.supplier_name, source.supplier)].add(
            f"{source.system_name} ({source.lifecycle})"
        )
    return [
        _("{name} ({supplier}) through {systems}").format(
            name=name, supplier=supplier, systems=", ".join(sorted(systems))
        )
        for (name, supplier), systems in sorted(by_supplier.items())
    ]


def decide(evidence: DataEvidence) -> Decision:
    """Apply the seed's rules to one data key; every reason names its evidence."""
    data = evidence.data
    count = len(evidence.suppliers)
    must, nice = bool(evidence.must), bool(evidence.nice)
    reasons: list[str] = []
    if must:
        reasons.append(
            _("must: monopoly system(s) must use data '{data}': {users}").format(
                data=data, users=_named(_uses(evidence.must))
            )
        )
    if nice:
        text = (
            _("nice: monopoly system(s) also would appreciate data '{data}': {users}")
            if must
            else _("nice: monopoly system(s) would appreciate data '{data}': {users}")
        )
        reasons.append(text.format(data=data, users=_named(_uses(evidence.nice))))
    if not must and not nice:
        reasons.append(
            _("no monopoly system uses an interface carrying data '{data}'").format(data=data)
        )
    supply = ngettext(
        "S = {count}: {count} supplier can expose data '{data}'",
        "S = {count}: {count} suppliers can expose data '{data}'",
        count,
    ).format(count=count, data=data)
    reasons.append(supply + (f": {_named(_sources(evidence.sources))}" if count else ""))
    if must and count == 1:
        category = KOMBIT_98
        rule = _("a monopoly system must use it and only one supplier can expose the data")
    elif must and count >= 2:
        category = COMMON_MUST
        rule = _("a monopoly system must use it and several suppliers can expose the data")
    elif nice and count >= 2:
        category = COMMON_NICE
        rule = _("a monopoly system would appreciate it and several suppliers can expose the data")
    elif not must and not nice:
        category = MUNICIPAL
        rule = _("no monopoly system needs it; it serves the municipality's own work")
    elif nice:
        category = UNCLASSIFIED
        rule = _(
            "a monopoly system would appreciate it but only one supplier can expose the "
            "data; the rules do not cover this case, so it needs a decision"
        )
    else:
        category = UNCLASSIFIED
        rule = _("no supplier can expose the data; the rules do not cover this case")
    reasons.append(
        _(
            "rule {code} ({label}): {rule}: negotiates {negotiates}, signs {signs}, pays {pays}"
        ).format(
            code=category.code,
            label=category.label,
            rule=rule,
            negotiates=category.negotiates,
            signs=category.signs,
            pays=category.pays,
        )
    )
    return Decision(category, tuple(reasons))


def categorise_facts(
    interfaces: Iterable[InterfaceFacts], evidence: dict[str, DataEvidence]
) -> list[InterfaceCategory]:
    """Give every interface the decision of its data key, sorted by interface id."""
    decisions = {data: decide(ev) for data, ev in evidence.items()}
    result = []
    for facts in sorted(interfaces, key=lambda f: f.interface):
        ev = evidence[facts.data]
        decision = decisions[facts.data]
        reasons = decision.reasons
        if facts.provider_monopoly:
            reasons = (
                *reasons[:-1],
                _(
                    "{name} ({system}) is a monopoly system but only provides {interface}; "
                    "providing does not count as a need"
                ).format(
                    name=facts.provider_name, system=facts.provider, interface=facts.interface
                ),
                reasons[-1],
            )
        assumptions = tuple(sorted({*facts.assumptions, *ev.assumptions}))
        if assumptions:
            reasons = (
                *reasons,
                _("rests on assumptions, not stated facts: {codes}; check them").format(
                    codes=", ".join(assumptions)
                ),
            )
        result.append(
            InterfaceCategory(
                interface=facts.interface,
                name=facts.name,
                data=facts.data,
                provider=facts.provider,
                category=decision.category,
                suppliers=ev.suppliers,
                must_users=tuple(sorted({u.system for u in ev.must})),
                nice_users=tuple(sorted({u.system for u in ev.nice})),
                reasons=reasons,
                assumptions=assumptions,
            )
        )
    return result


def assumptions_of(attrs: Mapping[str, Any]) -> tuple[str, ...]:
    """The `assumptions` codes of a node or edge (a list, or `|`-separated text), sorted."""
    value = attrs.get("assumptions")
    if not value:
        return ()
    items = value.split("|") if isinstance(value, str) else value
    return tuple(sorted({str(item).strip() for item in items if str(item).strip()}))


def _use(system: Mapping[str, Any], interface: str, edge: Mapping[str, Any]) -> Use:
    """A monopoly system's use of an interface as evidence (its lifecycle and assumptions)."""
    return Use(
        system["id"],
        system["name"],
        interface,
        system.get("lifecycle", "both"),
        tuple(sorted({*assumptions_of(edge), *assumptions_of(system)})),
    )


def _source(
    supplier: Mapping[str, Any],
    system: Mapping[str, Any],
    interface: str,
    taken_over_from: str | None,
) -> Source:
    """A supplier able to expose data through a system's interface, as evidence."""
    return Source(
        supplier["id"],
        supplier["name"],
        system["id"],
        system["name"],
        interface,
        system.get("lifecycle", "both"),
        assumptions_of(supplier),
        taken_over_from,
    )


def _evidence(
    keys: Iterable[str],
    must: Mapping[str, set[Use]],
    nice: Mapping[str, set[Use]],
    sources: Mapping[str, set[Source]],
) -> dict[str, DataEvidence]:
    """The evidence of each data key, its uses and sources sorted."""
    return {
        data: DataEvidence(
            data,
            tuple(sorted(must.get(data, ()))),
            tuple(sorted(nice.get(data, ()))),
            tuple(sorted(sources.get(data, ()))),
        )
        for data in keys
    }


def gather(graph: PortfolioGraph) -> tuple[list[InterfaceFacts], dict[str, DataEvidence]]:
    """Collect the rules' evidence from a networkx graph in one pass over its edges."""
    system_attrs = {key: attrs for key, attrs in nodes(graph, Label.SYSTEM)}
    supplier_of: dict[NodeKey, NodeKey] = {}
    for supplies, system, _attrs in edges(graph, Rel.SUPPLIES):
        supplier_of[system] = supplies
    providers_of: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    taken_over: dict[tuple[NodeKey, NodeKey], str | None] = {}
    for system, interface, edge in edges(graph, Rel.PROVIDES):
        providers_of[interface].append(system)
        taken_over[(system, interface)] = edge.get("repointed_from")
    data_of: dict[NodeKey, str] = {}
    for interface, carried, _attrs in edges(graph, Rel.CARRIES):
        data_of[interface] = graph.nodes[carried]["id"]
    must: dict[str, set[Use]] = defaultdict(set)
    nice: dict[str, set[Use]] = defaultdict(set)
    for system, interface, attrs in edges(graph, Rel.USES):
        sys_attrs = system_attrs[system]
        if not sys_attrs.get("monopoly") or interface not in data_of:
            continue
        use = _use(sys_attrs, interface[1], attrs)
        (must if attrs.get("need") == "must" else nice)[data_of[interface]].add(use)
    sources: dict[str, set[Source]] = defaultdict(set)
    facts: list[InterfaceFacts] = []
    for interface, attrs in nodes(graph, Label.INTERFACE):
        # One provider, except in a derived TO-BE graph where an old system has several
        # replacers: every provider counts in S, the one with the smallest id is named.
        providers = sorted(providers_of.get(interface, ()), key=lambda key: key[1])
        data = data_of[interface]
        prov_attrs = system_attrs[providers[0]] if providers else {}
        facts.append(
            InterfaceFacts(
                interface=attrs["id"],
                name=attrs["name"],
                data=data,
                provider=prov_attrs.get("id", ""),
                provider_name=prov_attrs.get("name", ""),
                provider_monopoly=bool(prov_attrs.get("monopoly")),
                assumptions=assumptions_of(attrs),
            )
        )
        for provider in providers:
            supplier = supplier_of.get(provider)
            if supplier is None:
                continue
            sup_attrs, sys_attrs = graph.nodes[supplier], system_attrs[provider]
            sources[data].add(
                _source(sup_attrs, sys_attrs, attrs["id"], taken_over.get((provider, interface)))
            )
    return facts, _evidence({f.data for f in facts}, must, nice, sources)


def gather_after(
    graph: PortfolioGraph,
    kept: Iterable[NodeKey],
    provides: Mapping[tuple[NodeKey, NodeKey, str], Mapping[str, Any]],
    uses: Mapping[tuple[NodeKey, NodeKey, str], Mapping[str, Any]],
) -> dict[str, DataEvidence]:
    """The rules' evidence of a derived TO-BE from the roles the TO-BE rule gives (`kept`
    interfaces, `provides` and `uses` after the rule) and the graph it was derived from: what
    `gather` finds on the TO-BE graph, without building that graph."""
    kept = set(kept)
    system_attrs = {key: attrs for key, attrs in nodes(graph, Label.SYSTEM)}
    supplier_of = {system: supplier for supplier, system, _e in edges(graph, Rel.SUPPLIES)}
    data_of = {i: graph.nodes[d]["id"] for i, d, _e in edges(graph, Rel.CARRIES) if i in kept}
    must: dict[str, set[Use]] = defaultdict(set)
    nice: dict[str, set[Use]] = defaultdict(set)
    for (system, interface, _m), attrs in uses.items():
        sys_attrs = system_attrs[system]
        if interface not in data_of or not sys_attrs.get("monopoly"):
            continue
        use = _use(sys_attrs, interface[1], attrs)
        (must if attrs.get("need") == "must" else nice)[data_of[interface]].add(use)
    sources: dict[str, set[Source]] = defaultdict(set)
    for (system, interface, _m), attrs in provides.items():
        supplier = supplier_of.get(system)
        if interface not in data_of or supplier is None:
            continue
        sup_attrs, sys_attrs = graph.nodes[supplier], system_attrs[system]
        sources[data_of[interface]].add(
            _source(sup_attrs, sys_attrs, interface[1], attrs.get("repointed_from"))
        )
    return _evidence(set(data_of.values()), must, nice, sources)


def categorise(graph: PortfolioGraph) -> list[InterfaceCategory]:
    """The category of every interface in one graph, with reasons, sorted by interface id."""
    facts, evidence = gather(graph)
    return categorise_facts(facts, evidence)


def categorise_transition(stated: PortfolioGraph, to_be: PortfolioGraph) -> list[InterfaceCategory]:
    """The category of every interface of the portfolio as stated (every lifecycle), on the
    evidence of the whole transition: the stated graph and its derived TO-BE together."""
    facts, evidence = gather(stated)
    _facts, later = gather(to_be)
    return categorise_facts(facts, merge_evidence(evidence, later))


def category_counts(results: Iterable[InterfaceCategory]) -> dict[str, int]:
    """How many interfaces fall in each category (every category listed, in rule order)."""
    counts = dict.fromkeys(CATEGORIES, 0)
    for result in results:
        counts[result.category.code] += 1
    return counts
