"""The national picture across municipalities: reach per interface, per category, per supplier.

Three questions KOMBIT asks of the 98 inventories together:
- per interface: how many municipalities use it, and which suppliers serve them (the provider's
  supplier and the suppliers the municipalities hold contracts with);
- per category: how many municipalities take part and the total annual cost of the contracts;
- per supplier: how many municipalities depend on it for data a monopoly system MUST have.

A usage with a blank `municipality` belongs to every municipality that deploys the using system
(to every municipality when the portfolio has no deployments). Categories come from the whole
catalogue (`categorise`), as everywhere else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from snitgraf.analysis.categorise import CATEGORIES, InterfaceCategory, categorise
from snitgraf.graph import nodes
from snitgraf.i18n import _, format_dkk, ngettext
from snitgraf.schema import Label, NodeKey, PortfolioGraph, Rel
from snitgraf.values import json_amount

MAX_NAMED = 10
"""How many municipalities a reason names before it says 'and N more'."""


@dataclass(frozen=True)
class InterfaceReach:
    """One interface across the country: who uses it, who serves it, what it costs."""

    interface: str
    name: str
    data: str
    category: str
    provider: str
    provider_supplier: str | None
    municipalities: tuple[str, ...]
    suppliers: tuple[str, ...]
    contracts: int
    annual_cost_dkk: float
    reasons: tuple[str, ...]

    @property
    def municipality_count(self) -> int:
        """How many municipalities use the interface."""
        return len(self.municipalities)

    def to_json(self) -> dict[str, Any]:
        """The JSON object `national --view interfaces --format json` prints."""
        return {
            "interface": self.interface,
            "name": self.name,
            "data": self.data,
            "category": self.category,
            "provider": self.provider,
            "provider_supplier": self.provider_supplier,
            "municipality_count": self.municipality_count,
            "municipalities": list(self.municipalities),
            "suppliers": list(self.suppliers),
            "contracts": self.contracts,
            "annual_cost_dkk": json_amount(self.annual_cost_dkk),
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class CategoryReach:
    """One category across the country: interfaces, municipalities, contracts and their cost."""

    category: str
    label: str
    interfaces: int
    municipalities: int
    contracts: int
    annual_cost_dkk: float
    contracts_without_cost: int
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The JSON object `national --view categories --format json` prints."""
        return {
            "category": self.category,
            "label": self.label,
            "interfaces": self.interfaces,
            "municipalities": self.municipalities,
            "contracts": self.contracts,
            "annual_cost_dkk": json_amount(self.annual_cost_dkk),
            "contracts_without_cost": self.contracts_without_cost,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class SupplierDependence:
    """A supplier whose systems expose data a monopoly system must have, and who depends on it."""

    rank: int
    supplier: str
    name: str
    municipalities: tuple[str, ...]
    data: tuple[str, ...]
    interfaces: int
    reasons: tuple[str, ...]

    @property
    def municipality_count(self) -> int:
        """How many municipalities depend on the supplier for must-data."""
        return len(self.municipalities)

    def to_json(self) -> dict[str, Any]:
        """The JSON object `national --view suppliers --format json` prints."""
        return {
            "rank": self.rank,
            "supplier": self.supplier,
            "name": self.name,
            "municipality_count": self.municipality_count,
            "municipalities": list(self.municipalities),
            "data": list(self.data),
            "interfaces": self.interfaces,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class NationalView:
    """The three national tables of one graph."""

    municipalities: int
    interfaces: tuple[InterfaceReach, ...]
    categories: tuple[CategoryReach, ...]
    suppliers: tuple[SupplierDependence, ...]


def _named(codes: Iterable[str]) -> str:
    items = sorted(codes, key=_code_order)
    text = ", ".join(items[:MAX_NAMED])
    if len(items) > MAX_NAMED:
        text += _(" and {n} more").format(n=len(items) - MAX_NAMED)
    return text


def _code_order(code: str) -> tuple[int, str]:
    return (int(code), code) if code.isdigit() else (10**9, code)


class _Facts:
    """What the national tables look at, gathered in one pass over the graph's edges."""

    def __init__(self, graph: PortfolioGraph) -> None:
        self.names = {a["id"]: a.get("name", a["id"]) for _, a in nodes(graph, Label.MUNICIPALITY)}
        self.systems = {k: a for k, a in nodes(graph, Label.SYSTEM)}
        self.supplier_of: dict[NodeKey, NodeKey] = {}
        self.provider_of: dict[NodeKey, NodeKey] = {}
        self.deployers: dict[NodeKey, set[str]] = defaultdict(set)
        self.users: dict[NodeKey, set[str]] = defaultdict(set)  # interface -> municipalities
        self.must_uses: list[tuple[NodeKey, NodeKey, str | None]] = []  # (system, interface, muni)
        self.contracts: dict[NodeKey, list[dict[str, Any]]] = defaultdict(list)
        blank_uses: list[tuple[NodeKey, NodeKey]] = []
        any_deploys = False
        for source, target, attrs in graph.edges(data=True):
            kind = attrs.get("type")
            if kind == Rel.USES.value:
                code = attrs.get("municipality")
                if code is None:
                    blank_uses.append((source, target))
                else:
                    self.users[target].add(code)
                if attrs.get("need") == "must" and self.systems[source].get("monopoly"):
                    self.must_uses.append((source, target, code))
            elif kind == Rel.PROVIDES.value:
                self.provider_of[target] = source
            elif kind == Rel.SUPPLIES.value:
                self.supplier_of[target] = source
            elif kind == Rel.DEPLOYS.value:
                any_deploys = True
                self.deployers[target].add(graph.nodes[source]["id"])
            elif kind == Rel.COVERS.value:
                self.contracts[target].append(graph.nodes[source])
        seen = {code for codes in self.users.values() for code in codes}
        self.all_codes = (
            frozenset(self.names)
            | seen
            | {
                c["municipality"]
                for cs in self.contracts.values()
                for c in cs
                if c.get("municipality")
            }
        )
        self.any_deploys = any_deploys
        for system, interface in blank_uses:
            self.users[interface] |= self.municipalities_of(system)

    def municipalities_of(self, system: NodeKey) -> set[str] | frozenset[str]:
        """The municipalities a blank-municipality usage by `system` belongs to."""
        if self.any_deploys:
            return self.deployers.get(system, set())
        return self.all_codes


def national_view(
    graph: PortfolioGraph, categories: Iterable[InterfaceCategory] | None = None
) -> NationalView:
    """The national tables of a graph (categories computed on it unless given)."""
    cats = list(categorise(graph) if categories is None else categories)
    facts = _Facts(graph)
    supplier_attrs = {k: a for k, a in nodes(graph, Label.SUPPLIER)}
    interface_key = {a["id"]: k for k, a in nodes(graph, Label.INTERFACE)}

    reach: list[InterfaceReach] = []
    by_category: dict[str, list[InterfaceReach]] = defaultdict(list)
    for cat in cats:
        key = interface_key[cat.interface]
        provider = facts.provider_of.get(key)
        provider_supplier = facts.supplier_of.get(provider) if provider else None
        supplier_id = supplier_attrs[provider_supplier]["id"] if provider_supplier else None
        municipalities = tuple(sorted(facts.users.get(key, ()), key=_code_order))
        contracts = facts.contracts.get(key, [])
        suppliers = {c["supplier"] for c in contracts if c.get("supplier")}
        if supplier_id:
            suppliers.add(supplier_id)
        cost = sum(c.get("annual_cost_dkk") or 0.0 for c in contracts)
        used = ngettext(
            "used in {n} municipality", "used in {n} municipalities", len(municipalities)
        ).format(n=len(municipalities))
        reasons = [
            used + (f": {_named(municipalities)}" if municipalities else ""),
            ngettext(
                "provided by {provider} of supplier {supplier}; {n} contract with {parties}",
                "provided by {provider} of supplier {supplier}; {n} contracts with {parties}",
                len(contracts),
            ).format(
                provider=cat.provider,
                supplier=supplier_id or _("unknown"),
                n=len(contracts),
                parties=", ".join(sorted(suppliers)) or _("nobody"),
            ),
        ]
        row = InterfaceReach(
            interface=cat.interface,
            name=cat.name,
            data=cat.data,
            category=cat.category.code,
            provider=cat.provider,
            provider_supplier=supplier_id,
            municipalities=municipalities,
            suppliers=tuple(sorted(suppliers)),
            contracts=len(contracts),
            annual_cost_dkk=cost,
            reasons=tuple(reasons),
        )
        reach.append(row)
        by_category[row.category].append(row)
    reach.sort(key=lambda r: (-r.municipality_count, r.interface))

    category_rows = []
    for code, category in CATEGORIES.items():
        rows = by_category.get(code, [])
        municipalities = tuple(sorted({m for r in rows for m in r.municipalities}))
        contracts = [c for r in rows for c in facts.contracts.get(interface_key[r.interface], [])]
        without = sum(1 for c in contracts if c.get("annual_cost_dkk") is None)
        cost = sum(r.annual_cost_dkk for r in rows)
        category_rows.append(
            CategoryReach(
                category=code,
                label=category.label,
                interfaces=len(rows),
                municipalities=len(municipalities),
                contracts=len(contracts),
                annual_cost_dkk=cost,
                contracts_without_cost=without,
                reasons=(
                    ngettext(
                        "{n} interface(s) in {category} are used by {count} municipality",
                        "{n} interface(s) in {category} are used by {count} municipalities",
                        len(municipalities),
                    ).format(n=len(rows), category=code, count=len(municipalities)),
                    _("{n} contract(s) cost {amount} a year").format(
                        n=len(contracts), amount=format_dkk(cost)
                    )
                    + (_("; {n} without a stated cost").format(n=without) if without else ""),
                ),
            )
        )

    return NationalView(
        municipalities=len(facts.all_codes),
        interfaces=tuple(reach),
        categories=tuple(category_rows),
        suppliers=tuple(_supplier_ranking(graph, facts, supplier_attrs)),
    )


def _supplier_ranking(
    graph: PortfolioGraph, facts: _Facts, supplier_attrs: dict[NodeKey, dict[str, Any]]
) -> list[SupplierDependence]:
    depends: dict[NodeKey, set[str]] = defaultdict(set)
    data_of: dict[NodeKey, set[str]] = defaultdict(set)
    interfaces_of: dict[NodeKey, set[NodeKey]] = defaultdict(set)
    monopoly_of: dict[NodeKey, set[str]] = defaultdict(set)
    for system, interface, code in facts.must_uses:
        provider = facts.provider_of.get(interface)
        supplier = facts.supplier_of.get(provider) if provider else None
        if supplier is None:
            continue
        users = {code} if code is not None else facts.municipalities_of(system)
        depends[supplier] |= users
        data_of[supplier].add(graph.nodes[interface].get("data", ""))
        interfaces_of[supplier].add(interface)
        monopoly_of[supplier].add(facts.systems[system]["name"])
    ranked = sorted(
        depends,
        key=lambda s: (-len(depends[s]), -len(interfaces_of[s]), supplier_attrs[s]["id"]),
    )
    result = []
    for rank, supplier in enumerate(ranked, start=1):
        attrs = supplier_attrs[supplier]
        codes = tuple(sorted(depends[supplier], key=_code_order))
        result.append(
            SupplierDependence(
                rank=rank,
                supplier=attrs["id"],
                name=attrs.get("name", attrs["id"]),
                municipalities=codes,
                data=tuple(sorted(data_of[supplier])),
                interfaces=len(interfaces_of[supplier]),
                reasons=(
                    (
                        ngettext(
                            "{n} municipality needs data from {supplier} that a monopoly "
                            "system must have: {codes}",
                            "{n} municipalities need data from {supplier} that a monopoly "
                            "system must have: {codes}",
                            len(codes),
                        ).format(
                            n=len(codes),
                            supplier=attrs.get("name", attrs["id"]),
                            codes=_named(codes),
                        )
                    )
                    if codes
                    else _("the portfolio records no municipalities"),
                    _("must-users: {systems}; {data} data key(s) through {n} interface(s)").format(
                        systems=", ".join(sorted(monopoly_of[supplier])),
                        data=len(data_of[supplier]),
                        n=len(interfaces_of[supplier]),
                    ),
                ),
            )
        )
    return result
