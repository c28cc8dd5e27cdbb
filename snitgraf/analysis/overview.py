"""The seed's overview: System | Snitflade | Udløbsdato på kontrakt | SKI | KOMMUNE | KOMBIT.

One row per monopoly system involved in an interface (providing or using it) and per contract
covering that interface; an interface with no contract gets one row with unknown expiry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from snitgraf.analysis.categorise import (
    COMMON_CODES,
    KOMBIT_NEGOTIATES,
    KOMMUNE_SIGNS,
    InterfaceCategory,
    categorise,
)
from snitgraf.graph import edges, nodes
from snitgraf.schema import Label, Rel
from snitgraf.values import json_amount


@dataclass(frozen=True)
class Involvement:
    """A monopoly system's part in an interface: it provides it or uses it (with a need)."""

    system: str
    system_name: str
    interface: str
    role: str
    need: str | None


@dataclass(frozen=True)
class ContractFacts:
    """A contract as the overview shows it."""

    id: str
    interface: str
    supplier: str
    expires: str | None
    annual_cost_dkk: float | None


@dataclass(frozen=True)
class OverviewRow:
    """One row of the overview, with the marks and why they are set."""

    system: str
    system_name: str
    role: str
    need: str | None
    interface: str
    name: str
    category: str
    contract: str | None
    supplier: str | None
    expires: str | None
    annual_cost_dkk: float | None
    ski: bool
    kommune: bool
    kombit: bool
    provider_ski: str | None

    def to_json(self) -> dict[str, Any]:
        """The JSON object `overview --format json` prints (keys are a user contract)."""
        return {
            "system": self.system,
            "system_name": self.system_name,
            "role": self.role,
            "need": self.need,
            "interface": self.interface,
            "name": self.name,
            "category": self.category,
            "contract": self.contract,
            "supplier": self.supplier,
            "expires": self.expires,
            "annual_cost_dkk": json_amount(self.annual_cost_dkk),
            "ski": self.ski,
            "kommune": self.kommune,
            "kombit": self.kombit,
            "provider_ski": self.provider_ski,
        }


def overview_rows(
    categories: Iterable[InterfaceCategory],
    involvements: Iterable[Involvement],
    contracts: Iterable[ContractFacts],
    provider_ski: dict[str, str | None],
    system: str | None = None,
) -> list[OverviewRow]:
    """Join categories, monopoly involvements and contracts into overview rows (sorted)."""
    by_interface = {c.interface: c for c in categories}
    contracts_of: dict[str, list[ContractFacts]] = defaultdict(list)
    for contract in contracts:
        contracts_of[contract.interface].append(contract)
    rows = []
    for inv in involvements:
        if system is not None and inv.system != system:
            continue
        cat = by_interface.get(inv.interface)
        if cat is None:
            continue
        code = cat.category.code
        ski_agreement = provider_ski.get(inv.interface)
        marks = {
            "ski": code in COMMON_CODES and bool(ski_agreement),
            "kommune": code in KOMMUNE_SIGNS,
            "kombit": code in KOMBIT_NEGOTIATES,
        }
        covering = sorted(contracts_of.get(inv.interface, []), key=lambda c: c.id) or [None]
        for contract in covering:
            rows.append(
                OverviewRow(
                    system=inv.system,
                    system_name=inv.system_name,
                    role=inv.role,
                    need=inv.need,
                    interface=inv.interface,
                    name=cat.name,
                    category=code,
                    contract=contract.id if contract else None,
                    supplier=contract.supplier if contract else None,
                    expires=contract.expires if contract else None,
                    annual_cost_dkk=contract.annual_cost_dkk if contract else None,
                    provider_ski=ski_agreement,
                    **marks,
                )
            )
    rows.sort(
        key=lambda r: (r.system_name, r.system, r.interface, r.role, r.need or "", r.contract or "")
    )
    return rows


def gather(
    graph: nx.MultiDiGraph,
) -> tuple[list[Involvement], list[ContractFacts], dict[str, str | None]]:
    """Monopoly involvements, contracts and each interface's provider SKI from a graph."""
    systems = {key: attrs for key, attrs in nodes(graph, Label.SYSTEM)}
    ski_of_system: dict[Any, str | None] = {}
    for supplier, system, _edge in edges(graph, Rel.SUPPLIES):
        ski_of_system[system] = graph.nodes[supplier].get("ski")
    involvements: set[Involvement] = set()
    provider_ski: dict[str, str | None] = {}
    named_provider: dict[str, str] = {}
    for system, interface, _edge in edges(graph, Rel.PROVIDES):
        # several providers only in a derived TO-BE graph: the smallest id is the one named
        if interface[1] not in named_provider or system[1] < named_provider[interface[1]]:
            named_provider[interface[1]] = system[1]
            provider_ski[interface[1]] = ski_of_system.get(system)
        attrs = systems[system]
        if attrs.get("monopoly"):
            involvements.add(
                Involvement(attrs["id"], attrs["name"], interface[1], "provides", None)
            )
    for system, interface, edge in edges(graph, Rel.USES):
        attrs = systems[system]
        if attrs.get("monopoly"):
            involvements.add(
                Involvement(attrs["id"], attrs["name"], interface[1], "uses", edge.get("need"))
            )
    contracts = []
    for contract, interface, _edge in edges(graph, Rel.COVERS):
        attrs = graph.nodes[contract]
        contracts.append(
            ContractFacts(
                attrs["id"],
                interface[1],
                attrs.get("supplier", ""),
                attrs.get("expires"),
                attrs.get("annual_cost_dkk"),
            )
        )
    return (
        sorted(involvements, key=lambda i: (i.system, i.interface, i.role)),
        contracts,
        provider_ski,
    )


def overview(graph: nx.MultiDiGraph, system: str | None = None) -> list[OverviewRow]:
    """The overview of a graph, optionally of one monopoly system."""
    involvements, contracts, provider_ski = gather(graph)
    return overview_rows(categorise(graph), involvements, contracts, provider_ski, system)
