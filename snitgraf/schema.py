"""The graph schema: labels, keys and relationship types, declared once for every backend.

The networkx builder, the Neo4j loader, the Cypher files and the README all follow this module;
nothing else spells a label or a relationship type.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

State = Literal["all", "as-is", "to-be"]
"""A state of the portfolio: as stated (every lifecycle), AS-IS, or the derived TO-BE."""
STATES: tuple[State, ...] = ("all", "as-is", "to-be")


class Label(StrEnum):
    """Node labels. Every node is keyed by (label, id); in Neo4j also by scope."""

    SUPPLIER = "Supplier"
    SYSTEM = "System"
    INTERFACE = "Interface"
    DATA = "Data"
    CONTRACT = "Contract"
    MUNICIPALITY = "Municipality"


class Rel(StrEnum):
    """Relationship types."""

    SUPPLIES = "SUPPLIES"
    PROVIDES = "PROVIDES"
    USES = "USES"
    CARRIES = "CARRIES"
    REPLACES = "REPLACES"
    COVERS = "COVERS"
    WITH = "WITH"
    DEPLOYS = "DEPLOYS"


KEY = "id"
"""The key property of every node."""

SCOPE = "scope"
"""In Neo4j, the property that keeps several portfolios (municipalities, scenarios) apart."""


@dataclass(frozen=True)
class NodeSpec:
    """A node type: its label and the properties every node of it carries (besides extras)."""

    label: Label
    properties: tuple[str, ...]


@dataclass(frozen=True)
class RelSpec:
    """A relationship type: its direction (source and target labels) and its properties."""

    type: Rel
    source: Label
    target: Label
    properties: tuple[str, ...] = ()


NODES: tuple[NodeSpec, ...] = (
    NodeSpec(Label.SUPPLIER, ("id", "name", "ski", "assumptions")),
    NodeSpec(
        Label.SYSTEM,
        ("id", "name", "supplier", "monopoly", "lifecycle", "go_live", "domain", "assumptions"),
    ),
    NodeSpec(
        Label.INTERFACE,
        (
            "id",
            "name",
            "provider",
            "data",
            "nettoliste",
            "bruttoliste",
            "klippekort",
            "assumptions",
        ),
    ),
    NodeSpec(Label.DATA, ("id",)),
    NodeSpec(
        Label.CONTRACT,
        (
            "id",
            "interface",
            "supplier",
            "expires",
            "annual_cost_dkk",
            "note",
            "municipality",
            "assumptions",
        ),
    ),
    NodeSpec(Label.MUNICIPALITY, ("id", "name")),
)

RELATIONSHIPS: tuple[RelSpec, ...] = (
    RelSpec(Rel.SUPPLIES, Label.SUPPLIER, Label.SYSTEM),
    RelSpec(Rel.PROVIDES, Label.SYSTEM, Label.INTERFACE),
    RelSpec(
        Rel.USES,
        Label.SYSTEM,
        Label.INTERFACE,
        ("need", "direction", "municipality", "assumptions"),
    ),
    RelSpec(Rel.CARRIES, Label.INTERFACE, Label.DATA),
    RelSpec(Rel.REPLACES, Label.SYSTEM, Label.SYSTEM),
    RelSpec(Rel.COVERS, Label.CONTRACT, Label.INTERFACE),
    RelSpec(Rel.WITH, Label.CONTRACT, Label.SUPPLIER),
    RelSpec(Rel.DEPLOYS, Label.MUNICIPALITY, Label.SYSTEM),
)

NODE_SPECS: dict[Label, NodeSpec] = {spec.label: spec for spec in NODES}
REL_SPECS: dict[Rel, RelSpec] = {spec.type: spec for spec in RELATIONSHIPS}

NodeKey = tuple[str, str]
"""A networkx node: (label, id). Ids are only unique within a label."""


def node_key(label: Label, id_: str) -> NodeKey:
    """The networkx node for a label and id."""
    return (label.value, id_)
