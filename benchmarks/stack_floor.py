"""A second floor: the least work on the card's own stack (pydantic for the domain model, a
networkx MultiDiGraph for the embedded backend), reading a portfolio folder and applying the
seed's categorisation rule, JSON out.

    python benchmarks/stack_floor.py PORTFOLIO > categories.json

`floor.py` says what plain CPython needs; this says what any tool built on the card's
packages needs at the least, so a ratio shows how much of snitgraf's time is the stack and
how much is snitgraf. It is a lower bound, not a rival: every column is plain text (no dates,
amounts, lists or needs parsed), a bad row stops it with pydantic's traceback, nothing is
checked across files, no reason is kept and no TO-BE derived. It uses what the stack does
fastest: each file validated as one list by pydantic-core, the cyclic collector paused, and
an edge key given to each edge.
"""

from __future__ import annotations

import csv
import gc
import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import TypeVar

import networkx as nx
from pydantic import BaseModel, ConfigDict, TypeAdapter

TRUE = {"true", "ja", "yes", "1", "x"}
MUST = {"must", "skal"}


class Row(BaseModel):
    """A row of a portfolio file: the columns the rule and the graph need, as text."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class Supplier(Row):
    id: str


class System(Row):
    id: str
    supplier: str
    monopoly: str = ""
    lifecycle: str = "both"


class Interface(Row):
    id: str
    provider: str
    data: str


class Usage(Row):
    system: str
    interface: str
    need: str = "must"
    lifecycle: str = "both"


class Contract(Row):
    id: str
    interface: str
    supplier: str


class Municipality(Row):
    code: str


class Deployment(Row):
    municipality: str
    system: str


M = TypeVar("M", bound=Row)


def rows(folder: Path, name: str, model: type[M]) -> list[M]:
    """One file's rows validated by pydantic as one list (its fastest path); none when the
    portfolio has no such file (municipalities and deployments are optional)."""
    if not (folder / name).exists():
        return []
    with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
        return TypeAdapter(list[model]).validate_python(list(csv.DictReader(handle)))


def graph_of(folder: Path) -> tuple[nx.MultiDiGraph, list[Interface]]:
    """Every file of the portfolio in one MultiDiGraph, as snitgraf's schema lays it out."""
    graph = nx.MultiDiGraph()
    key = itertools.count()
    for supplier in rows(folder, "suppliers.csv", Supplier):
        graph.add_node(("Supplier", supplier.id))
    for system in rows(folder, "systems.csv", System):
        node = ("System", system.id)
        graph.add_node(node, monopoly=system.monopoly.lower() in TRUE, supplier=system.supplier)
        graph.add_edge(("Supplier", system.supplier), node, next(key), type="SUPPLIES")
    interfaces = rows(folder, "interfaces.csv", Interface)
    for interface in interfaces:
        node = ("Interface", interface.id)
        graph.add_node(node, data=interface.data)
        graph.add_edge(("System", interface.provider), node, next(key), type="PROVIDES")
    for usage in rows(folder, "usages.csv", Usage):
        source, target = ("System", usage.system), ("Interface", usage.interface)
        graph.add_edge(source, target, next(key), type="USES", need=usage.need)
    for contract in rows(folder, "contracts.csv", Contract):
        node = ("Contract", contract.id)
        graph.add_node(node)
        graph.add_edge(node, ("Interface", contract.interface), next(key), type="COVERS")
        graph.add_edge(node, ("Supplier", contract.supplier), next(key), type="WITH")
    for municipality in rows(folder, "municipalities.csv", Municipality):
        graph.add_node(("Municipality", municipality.code))
    for deployment in rows(folder, "deployments.csv", Deployment):
        source, target = ("Municipality", deployment.municipality), ("System", deployment.system)
        graph.add_edge(source, target, next(key), type="DEPLOYS")
    return graph, interfaces


def categorise(folder: Path) -> list[dict[str, object]]:
    """Every interface's category by the seed's rule, counted over the graph's edges."""
    graph, interfaces = graph_of(folder)
    nodes = graph.nodes
    must: dict[str, set[str]] = defaultdict(set)
    nice: dict[str, set[str]] = defaultdict(set)
    suppliers: dict[str, set[str]] = defaultdict(set)
    for source, target, attrs in graph.edges(data=True):
        if attrs["type"] == "USES" and nodes[source].get("monopoly"):
            chosen = must if attrs["need"].lower() in MUST else nice
            chosen[nodes[target]["data"]].add(source[1])
        elif attrs["type"] == "PROVIDES":
            suppliers[nodes[target]["data"]].add(nodes[source]["supplier"])
    result = []
    for interface in interfaces:
        count = len(suppliers[interface.data])
        if must[interface.data]:
            code = "kombit-98" if count == 1 else "common-must"
        elif nice[interface.data]:
            code = "common-nice" if count >= 2 else "unclassified"
        else:
            code = "municipal"
        result.append({"interface": interface.id, "category": code, "supplier_count": count})
    return result


if __name__ == "__main__":
    gc.disable()  # as snitgraf runs: some 100,000 long-lived acyclic objects
    json.dump(categorise(Path(sys.argv[1])), sys.stdout, ensure_ascii=False)
