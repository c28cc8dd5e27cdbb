"""ArchiMate Model Exchange File Format (The Open Group, ArchiMate 3): export and import.

The mapping (what Archi shows, and what reads back into a portfolio):

| snitgraf | ArchiMate |
|---|---|
| Supplier | BusinessActor (property `id`, `ski`) |
| Municipality | BusinessActor with property `code` |
| System | ApplicationComponent (`id`, `monopoly`, `lifecycle`, `go_live`, `domain`) |
| Interface | ApplicationInterface, composed into its provider (Composition) |
| Data | DataObject, accessed by the interfaces that carry it (Access) |
| USES | Flow interface -> system (`in`), system -> interface (`out`), else Serving |
| SUPPLIES | Association supplier -> system, named `leverer` |
| REPLACES | Association new system -> old system, named `erstatter` |
| Contract | Contract, Association to its interface (`dækker`) and supplier (`med`) |
| DEPLOYS | Serving system -> municipality |
| AS-IS, TO-BE | Plateau aggregating its systems, Triggering AS-IS -> TO-BE, a Gap between |

Every value is a property typed by a propertyDefinition (boolean, date, currency, number,
string); derived facts (category, who negotiates, signs and pays, S) are properties named
`snitgraf: ...` that import ignores. Ids are XML ids built from the snitgraf ids, the same on
every export. One diagram per plateau lays out its systems with their interfaces below them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from snitgraf.analysis.categorise import InterfaceCategory
from snitgraf.i18n import _
from snitgraf.io.atomic import atomic_path
from snitgraf.io.csv_export import cell_text, readable
from snitgraf.io.tables import RawRow, RawTable
from snitgraf.loader import FILE_SPECS, build_portfolio
from snitgraf.model import Portfolio, Row, System, Usage
from snitgraf.problems import PortfolioError, Problem
from snitgraf.schema import PortfolioGraph

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"
LANG = "da"
XSI_TYPE = f"{{{XSI}}}type"

DERIVED_PREFIX = "snitgraf: "
"""Properties with this prefix are derived by snitgraf on export and ignored on import."""

PROPERTY_TYPES: dict[str, str] = {
    "monopoly": "boolean",
    "go_live": "date",
    "expires": "date",
    "annual_cost_dkk": "currency",
    f"{DERIVED_PREFIX}S": "number",
}
"""ArchiMate data types of the typed properties; every other property is a string."""

SUPPLIES_NAME = "leverer"
REPLACES_NAMES = ("erstatter", "replaces")
COVERS_NAME = "dækker"
WITH_NAME = "med"

RELATIONSHIP_FIELDS: dict[str, tuple[str, ...]] = {
    "systems": ("supplier", "replaces"),
    "interfaces": ("provider", "data"),
    "contracts": ("interface", "supplier"),
    "usages": ("interface", "system"),
}
"""Columns carried by relationships rather than properties."""

PLATEAUS = (("as-is", "AS-IS"), ("to-be", "TO-BE"))

CARRIES_ACCESS = "Read"
"""The accessType of interface -> data (CARRIES): the interface makes the data available to
read. Written always: Archi reads a missing accessType as Write, the schema as Access."""

DATE_PROPERTIES = frozenset({"go_live", "expires"})
"""Typed `date` only when every value is a full date: xs:date cannot hold `2017` or `2017-06`
(nor can Archi's date fields), so a year or month makes the definition `string`."""
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


# ---------------------------------------------------------------------------------------------
# Identifiers


_PLAIN_ID = re.compile(r"^[A-Za-z0-9._-]+$")


def xml_id(kind: str, raw: str) -> str:
    """A valid, stable XML id for a snitgraf id: `id-<kind>-<id>` when the id is plain ASCII,
    else a transliteration plus a short hash of the id (so distinct ids stay distinct)."""
    if _PLAIN_ID.match(raw):
        return f"id-{kind}-{raw}"
    folded = raw.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    folded = folded.replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa")
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    folded = re.sub(r"[^A-Za-z0-9._-]+", "_", folded).strip("_")
    digest = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:8]
    return f"id-{kind}-{folded}-{digest}" if folded else f"id-{kind}-{digest}"


class XmlIds:
    """Unique XML ids for one document: `xml_id`, and where two snitgraf ids would meet (`a b`
    gives `id-system-a_b-7dbde935`, which is also the plain id `a_b-7dbde935`) the later one
    gets `-2`, `-3`, ...; in the same order, the same ids on every export."""

    def __init__(self) -> None:
        self.assigned: dict[tuple[str, str], str] = {}
        self.taken: set[str] = set()

    def get(self, kind: str, raw: str) -> str:
        """The id of (kind, raw), made on first use."""
        key = (kind, raw)
        if key in self.assigned:
            return self.assigned[key]
        base = candidate = xml_id(kind, raw)
        number = 2
        while candidate in self.taken:
            candidate = f"{base}-{number}"
            number += 1
        self.taken.add(candidate)
        self.assigned[key] = candidate
        return candidate


def _relationship_id(kind: str, *parts: str | None) -> str:
    key = "\x1f".join(p or "" for p in (kind, *parts))
    return f"id-{kind}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"


# ---------------------------------------------------------------------------------------------
# Export


@dataclass
class _Element:
    identifier: str
    type: str
    name: str
    properties: list[tuple[str, str]] = field(default_factory=list)
    documentation: str | None = None


@dataclass
class _Relationship:
    identifier: str
    type: str
    source: str
    target: str
    name: str | None = None
    properties: list[tuple[str, str]] = field(default_factory=list)
    access_type: str | None = None


@dataclass(frozen=True)
class ExportCounts:
    """What an export wrote: elements and relationships per ArchiMate type, views, nodes."""

    elements: dict[str, int]
    relationships: dict[str, int]
    views: int
    nodes: int
    connections: int

    def to_json(self) -> dict[str, Any]:
        """Counts as JSON."""
        return {
            "elements": self.elements,
            "relationships": self.relationships,
            "views": self.views,
            "nodes": self.nodes,
            "connections": self.connections,
        }


def _row_properties(row: Row, kind: str) -> list[tuple[str, str]]:
    skip = {"name", *RELATIONSHIP_FIELDS.get(kind, ())}
    spec = FILE_SPECS[kind]
    props: list[tuple[str, str]] = []
    for column in spec.columns:
        if column in skip:
            continue
        text = cell_text(getattr(row, column))
        if text:
            props.append((column, text))
    props += [(header, text) for header, text in row.extra.items() if text]
    return props


def to_be_system_ids(portfolio: Portfolio, graph: PortfolioGraph | None = None) -> set[str]:
    """The systems of the TO-BE state: those whose lifecycle is `to-be` or `both` (exactly the
    systems the TO-BE rule keeps; `graph` is accepted for older callers and not read)."""
    return {s.id for s in portfolio.systems if s.lifecycle in ("to-be", "both")}


def _derived(category: InterfaceCategory | None, state: str = "") -> list[tuple[str, str]]:
    """The category facts of an interface as properties (`snitgraf: category`, or
    `snitgraf: category TO-BE` for the TO-BE state's)."""
    if category is None:
        return []
    c = category.category
    suffix = f" {state}" if state else ""
    return [
        (f"{DERIVED_PREFIX}category{suffix}", c.code),
        (f"{DERIVED_PREFIX}label{suffix}", c.label),
        (f"{DERIVED_PREFIX}negotiates{suffix}", c.negotiates),
        (f"{DERIVED_PREFIX}signs{suffix}", c.signs),
        (f"{DERIVED_PREFIX}pays{suffix}", c.pays),
        (f"{DERIVED_PREFIX}S{suffix}", str(category.supplier_count)),
        (f"{DERIVED_PREFIX}reasons{suffix}", " / ".join(category.reasons)),
    ]


class _Model:
    """Collects elements, relationships and views before they are written as XML."""

    def __init__(self) -> None:
        self.elements: list[_Element] = []
        self.relationships: list[_Relationship] = []
        self.seen: set[str] = set()

    def element(self, element: _Element) -> str:
        if element.identifier not in self.seen:
            self.seen.add(element.identifier)
            self.elements.append(element)
        return element.identifier

    def relationship(self, rel: _Relationship) -> None:
        if rel.identifier not in self.seen:
            self.seen.add(rel.identifier)
            self.relationships.append(rel)


def _usage_relationship(usage: Usage, interface_id: str, system_id: str) -> _Relationship:
    props = [(k, v) for k, v in _row_properties(usage, "usages") if k != "direction"]
    identifier = _relationship_id("uses", usage.interface, usage.system, usage.municipality)
    if usage.direction == "in":
        return _Relationship(identifier, "Flow", interface_id, system_id, "ind", props)
    if usage.direction == "out":
        return _Relationship(identifier, "Flow", system_id, interface_id, "ud", props)
    return _Relationship(identifier, "Serving", interface_id, system_id, None, props)


def build_model(
    portfolio: Portfolio,
    categories: Sequence[InterfaceCategory] = (),
    to_be: set[str] | None = None,
    name: str | None = None,
    to_be_categories: Sequence[InterfaceCategory] = (),
) -> etree._Element:
    """The exchange document of a portfolio (an lxml element tree, not yet written).
    `categories` are the AS-IS categories, `to_be_categories` those of the TO-BE state."""
    model = _Model()
    category_of = {c.interface: c for c in categories}
    to_be_category_of = {c.interface: c for c in to_be_categories}
    ids = XmlIds()
    supplier_ids = {s.id: ids.get("supplier", s.id) for s in portfolio.suppliers}
    system_ids = {s.id: ids.get("system", s.id) for s in portfolio.systems}
    interface_ids = {i.id: ids.get("interface", i.id) for i in portfolio.interfaces}
    municipality_ids = {m.code: ids.get("municipality", m.code) for m in portfolio.municipalities}
    contract_ids = {c.id: ids.get("contract", c.id) for c in portfolio.contracts}
    for supplier in portfolio.suppliers:
        model.element(
            _Element(
                supplier_ids[supplier.id],
                "BusinessActor",
                supplier.name,
                _row_properties(supplier, "suppliers"),
            )
        )
    for municipality in portfolio.municipalities:
        model.element(
            _Element(
                municipality_ids[municipality.code],
                "BusinessActor",
                municipality.name,
                _row_properties(municipality, "municipalities"),
            )
        )
    for system in portfolio.systems:
        model.element(
            _Element(
                system_ids[system.id],
                "ApplicationComponent",
                system.name,
                _row_properties(system, "systems"),
            )
        )
    data_ids: dict[str, str] = {}
    for interface in portfolio.interfaces:
        model.element(
            _Element(
                interface_ids[interface.id],
                "ApplicationInterface",
                interface.name,
                _row_properties(interface, "interfaces")
                + _derived(category_of.get(interface.id))
                + _derived(to_be_category_of.get(interface.id), "TO-BE"),
            )
        )
    for interface in portfolio.interfaces:
        if interface.data not in data_ids:
            data_ids[interface.data] = model.element(
                _Element(
                    ids.get("data", interface.data),
                    "DataObject",
                    interface.data,
                    [("id", interface.data)],
                )
            )
    for contract in portfolio.contracts:
        model.element(
            _Element(
                contract_ids[contract.id],
                "Contract",
                contract.note or contract.id,
                _row_properties(contract, "contracts"),
            )
        )
    # Plateaus and the gap between them.
    to_be_ids = to_be if to_be is not None else to_be_system_ids(portfolio)
    members = {
        "as-is": [s for s in portfolio.systems if s.lifecycle in ("as-is", "both")],
        "to-be": [s for s in portfolio.systems if s.id in to_be_ids],
    }
    plateau_ids = {}
    for key, label in PLATEAUS:
        plateau_ids[key] = model.element(
            _Element(
                f"id-plateau-{key}",
                "Plateau",
                label,
                [(f"{DERIVED_PREFIX}systems", str(len(members[key])))],
            )
        )
    leaving = sorted(
        {s.name for s in members["as-is"]} - {s.name for s in members["to-be"]}, key=str.lower
    )
    arriving = sorted(
        {s.name for s in members["to-be"]} - {s.name for s in members["as-is"]}, key=str.lower
    )
    gap_id = model.element(
        _Element(
            "id-gap-as-is-to-be",
            "Gap",
            "AS-IS → TO-BE",
            [
                (f"{DERIVED_PREFIX}leaving", " | ".join(leaving)),
                (f"{DERIVED_PREFIX}arriving", " | ".join(arriving)),
            ],
            documentation=_("Systems leaving: {leaving}. Systems arriving: {arriving}.").format(
                leaving=", ".join(leaving) or _("none"), arriving=", ".join(arriving) or _("none")
            ),
        )
    )
    # Relationships, in portfolio order.
    for system in portfolio.systems:
        model.relationship(
            _Relationship(
                _relationship_id("supplies", system.supplier, system.id),
                "Association",
                supplier_ids[system.supplier],
                system_ids[system.id],
                SUPPLIES_NAME,
            )
        )
    for system in portfolio.systems:
        for replaced in system.replaces:
            model.relationship(
                _Relationship(
                    _relationship_id("replaces", system.id, replaced),
                    "Association",
                    system_ids[system.id],
                    system_ids[replaced],
                    REPLACES_NAMES[0],
                )
            )
    for interface in portfolio.interfaces:
        model.relationship(
            _Relationship(
                _relationship_id("provides", interface.provider, interface.id),
                "Composition",
                system_ids[interface.provider],
                interface_ids[interface.id],
            )
        )
        model.relationship(
            _Relationship(
                _relationship_id("carries", interface.id, interface.data),
                "Access",
                interface_ids[interface.id],
                data_ids[interface.data],
                access_type=CARRIES_ACCESS,
            )
        )
    for usage in portfolio.usages:
        model.relationship(
            _usage_relationship(usage, interface_ids[usage.interface], system_ids[usage.system])
        )
    for contract in portfolio.contracts:
        contract_id = contract_ids[contract.id]
        model.relationship(
            _Relationship(
                _relationship_id("covers", contract.id, contract.interface),
                "Association",
                contract_id,
                interface_ids[contract.interface],
                COVERS_NAME,
            )
        )
        model.relationship(
            _Relationship(
                _relationship_id("with", contract.id, contract.supplier),
                "Association",
                contract_id,
                supplier_ids[contract.supplier],
                WITH_NAME,
            )
        )
    for deployment in portfolio.deployments:
        model.relationship(
            _Relationship(
                _relationship_id("deploys", deployment.municipality, deployment.system),
                "Serving",
                system_ids[deployment.system],
                municipality_ids[deployment.municipality],
            )
        )
    for key, _label in PLATEAUS:
        for system in members[key]:
            model.relationship(
                _Relationship(
                    _relationship_id("plateau", key, system.id),
                    "Aggregation",
                    plateau_ids[key],
                    system_ids[system.id],
                )
            )
    model.relationship(
        _Relationship(
            _relationship_id("transition", "as-is", "to-be"),
            "Triggering",
            plateau_ids["as-is"],
            plateau_ids["to-be"],
        )
    )
    for key, _label in PLATEAUS:
        model.relationship(
            _Relationship(_relationship_id("gap", key), "Association", gap_id, plateau_ids[key])
        )
    views = [
        _layout(key, label, members[key], portfolio, model, system_ids, interface_ids)
        for key, label in PLATEAUS
    ]
    return _to_xml(
        model,
        views,
        name or f"snitgraf: {Path(portfolio.source).name}",
        read_model_properties(portfolio.source),
    )


@dataclass
class _Node:
    identifier: str
    element: str
    x: int
    y: int
    w: int
    h: int


@dataclass
class _View:
    identifier: str
    name: str
    nodes: list[_Node]
    connections: list[tuple[str, str, str, str]]
    """(identifier, relationship, source node, target node)."""
    documentation: str | None = None


SYSTEM_W, SYSTEM_H = 180, 60
INTERFACE_W, INTERFACE_H = 160, 45
COLUMN_W, ROW_GAP = 220, 55
COLUMNS_PER_BAND = 6
MAX_VIEW_NODES = 500
"""A plateau with more systems and interfaces than this (a national portfolio) gets a view of
its systems only: thousands of boxes help nobody in Archi; the model tree holds them all."""
MARGIN = 20


def _layout(
    key: str,
    label: str,
    systems: Sequence[System],
    portfolio: Portfolio,
    model: _Model,
    system_ids: dict[str, str],
    interface_ids: dict[str, str],
) -> _View:
    """A plateau's diagram: its systems in bands of columns (monopoly systems first), each
    with the interfaces it provides stacked below it; compositions and usages connect them."""
    provided: dict[str, list[str]] = defaultdict(list)
    for interface in portfolio.interfaces:
        provided[interface.provider].append(interface.id)
    ordered = sorted(systems, key=lambda s: (not s.monopoly, s.name.lower(), s.id))
    interface_count = sum(len(provided.get(s.id, [])) for s in systems)
    documentation = None
    if len(systems) + interface_count > MAX_VIEW_NODES:
        provided = defaultdict(list)
        documentation = _(
            "{n} interfaces are left out of this view (more than {limit} boxes); they are all "
            "in the model."
        ).format(n=interface_count, limit=MAX_VIEW_NODES)
    nodes: list[_Node] = []
    node_of: dict[str, str] = {}
    band_y = MARGIN
    for start in range(0, len(ordered), COLUMNS_PER_BAND):
        band = ordered[start : start + COLUMNS_PER_BAND]
        tallest = 0
        for column, system in enumerate(band):
            x = MARGIN + column * COLUMN_W
            element = system_ids[system.id]
            node_id = f"id-node-{key}-{element[3:]}"
            nodes.append(_Node(node_id, element, x, band_y, SYSTEM_W, SYSTEM_H))
            node_of[element] = node_id
            stack = sorted(provided.get(system.id, []))
            for row, interface_id in enumerate(stack):
                element = interface_ids[interface_id]
                node_id = f"id-node-{key}-{element[3:]}"
                y = band_y + SYSTEM_H + 30 + row * ROW_GAP
                nodes.append(_Node(node_id, element, x + 10, y, INTERFACE_W, INTERFACE_H))
                node_of[element] = node_id
            tallest = max(tallest, len(stack))
        band_y += SYSTEM_H + 30 + tallest * ROW_GAP + 60
    connections = []
    for rel in model.relationships:
        if rel.type not in ("Composition", "Flow", "Serving"):
            continue
        if rel.source in node_of and rel.target in node_of:
            connections.append(
                (
                    f"id-conn-{key}-{rel.identifier[3:]}",
                    rel.identifier,
                    node_of[rel.source],
                    node_of[rel.target],
                )
            )
    return _View(f"id-view-{key}", label, nodes, connections, documentation)


def _name(parent: etree._Element, text: str, tag: str = "name") -> None:
    child = etree.SubElement(parent, _q(tag))
    child.set(XML_LANG, LANG)
    child.text = text


def _properties(
    parent: etree._Element, props: Iterable[tuple[str, str]], definitions: dict[str, str]
) -> None:
    props = [(k, v) for k, v in props if v]
    if not props:
        return
    container = etree.SubElement(parent, _q("properties"))
    for key, value in props:
        prop = etree.SubElement(container, _q("property"))
        prop.set("propertyDefinitionRef", definitions[key])
        _name(prop, value, "value")


def _property_type(key: str, values: Sequence[str]) -> str:
    """The propertyDefinition type of a key: dates only when every value is a full date."""
    kind = PROPERTY_TYPES.get(key, "string")
    if key in DATE_PROPERTIES and not all(_FULL_DATE.match(v) for v in values):
        return "string"
    return kind


def read_model_properties(folder: str | Path) -> list[tuple[str, str]]:
    """The model properties kept beside a portfolio's files (archimate-model.csv), if any."""
    from snitgraf.io.tables import read_csv

    path = Path(folder) / MODEL_PROPERTIES_FILE
    if not path.is_file():
        return []
    table, _problems = read_csv(path)
    return [
        (row.cells.get("property", "").strip(), row.cells.get("value", "").strip())
        for row in table.rows
        if row.cells.get("property", "").strip()
    ]


def _to_xml(
    model: _Model,
    views: Sequence[_View],
    name: str,
    model_properties: Sequence[tuple[str, str]] = (),
) -> etree._Element:
    keys: list[str] = []
    values: dict[str, list[str]] = defaultdict(list)
    described: list[_Element | _Relationship] = [*model.elements, *model.relationships]
    for concept in described:
        for k, v in concept.properties:
            if v:
                values[k].append(v)
                if k not in keys:
                    keys.append(k)
    keys += [k for k, v in model_properties if v and k not in keys]
    ids = XmlIds()
    definitions = {k: ids.get("propdef", k) for k in keys}
    root = etree.Element(_q("model"), nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    root.set("identifier", "id-snitgraf-model")
    _name(root, name)
    _name(root, _("Exported by snitgraf: systems, interfaces and contracts"), "documentation")
    _properties(root, model_properties, definitions)
    elements = etree.SubElement(root, _q("elements"))
    for element in model.elements:
        node = etree.SubElement(elements, _q("element"))
        node.set("identifier", element.identifier)
        node.set(XSI_TYPE, element.type)
        _name(node, element.name)
        if element.documentation:
            _name(node, element.documentation, "documentation")
        _properties(node, element.properties, definitions)
    relationships = etree.SubElement(root, _q("relationships"))
    for rel in model.relationships:
        node = etree.SubElement(relationships, _q("relationship"))
        node.set("identifier", rel.identifier)
        node.set("source", rel.source)
        node.set("target", rel.target)
        node.set(XSI_TYPE, rel.type)
        if rel.access_type:
            node.set("accessType", rel.access_type)
        if rel.name:
            _name(node, rel.name)
        _properties(node, rel.properties, definitions)
    if definitions:
        container = etree.SubElement(root, _q("propertyDefinitions"))
        for key, identifier in definitions.items():
            definition = etree.SubElement(container, _q("propertyDefinition"))
            definition.set("identifier", identifier)
            definition.set("type", _property_type(key, values.get(key, [])))
            _name(definition, key)
    views_node = etree.SubElement(root, _q("views"))
    diagrams = etree.SubElement(views_node, _q("diagrams"))
    for view in views:
        node = etree.SubElement(diagrams, _q("view"))
        node.set("identifier", view.identifier)
        node.set(XSI_TYPE, "Diagram")
        _name(node, view.name)
        if view.documentation:
            _name(node, view.documentation, "documentation")
        for item in view.nodes:
            child = etree.SubElement(node, _q("node"))
            child.set("identifier", item.identifier)
            child.set("elementRef", item.element)
            child.set(XSI_TYPE, "Element")
            for attr in ("x", "y", "w", "h"):
                child.set(attr, str(getattr(item, attr)))
        for identifier, relationship, source, target in view.connections:
            child = etree.SubElement(node, _q("connection"))
            child.set("identifier", identifier)
            child.set("relationshipRef", relationship)
            child.set(XSI_TYPE, "Relationship")
            child.set("source", source)
            child.set("target", target)
    return root


def to_xml_bytes(root: etree._Element) -> bytes:
    """The document as UTF-8 bytes with an XML declaration, indented."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_archimate(
    portfolio: Portfolio,
    target: str | Path,
    categories: Sequence[InterfaceCategory] = (),
    to_be: set[str] | None = None,
    to_be_categories: Sequence[InterfaceCategory] = (),
) -> ExportCounts:
    """Export a portfolio to an exchange file (atomically); returns what it holds."""
    root = build_model(portfolio, categories, to_be, to_be_categories=to_be_categories)
    with atomic_path(target) as temporary:
        temporary.write_bytes(to_xml_bytes(root))
        readable(temporary)
    return counts(root)


def counts(root: etree._Element) -> ExportCounts:
    """Elements and relationships per type, views, nodes and connections of a document."""
    elements: dict[str, int] = defaultdict(int)
    for node in root.iterfind(f"{_q('elements')}/{_q('element')}"):
        elements[node.get(XSI_TYPE, "")] += 1
    relationships: dict[str, int] = defaultdict(int)
    for node in root.iterfind(f"{_q('relationships')}/{_q('relationship')}"):
        relationships[node.get(XSI_TYPE, "")] += 1
    views = list(root.iter(_q("view")))
    return ExportCounts(
        dict(sorted(elements.items())),
        dict(sorted(relationships.items())),
        len(views),
        sum(1 for v in views for _ in v.iter(_q("node"))),
        sum(1 for v in views for _ in v.iter(_q("connection"))),
    )


# ---------------------------------------------------------------------------------------------
# Import


@dataclass
class _Concept:
    identifier: str
    type: str
    name: str
    properties: dict[str, str]
    index: int
    source: str = ""
    target: str = ""


def _text(node: etree._Element, tag: str) -> str:
    child = node.find(_q(tag))
    return (child.text or "").strip() if child is not None else ""


SPECIALIZATION_REF = "specialization"
"""The propertyDefinition Archi writes for a concept's Specialization (its profile)."""

MODEL_PROPERTIES_FILE = "archimate-model.csv"
"""Where import-archimate keeps the model's own properties (property,value), and where
export --to archimate finds them again beside a portfolio's CSV files."""


def _read_properties(
    node: etree._Element, definitions: dict[str, str], left_out: dict[str, int] | None = None
) -> dict[str, str]:
    """A concept's properties by name; `snitgraf: ...` ones are derived and dropped, Archi's
    Specialization is counted in `left_out` (snitgraf has no such notion)."""
    props: dict[str, str] = {}
    for prop in node.iterfind(f"{_q('properties')}/{_q('property')}"):
        ref = prop.get("propertyDefinitionRef", "")
        key = definitions.get(ref)
        if key is None or key.startswith(DERIVED_PREFIX):
            continue
        if ref == SPECIALIZATION_REF:
            if left_out is not None:
                left_out[key] = left_out.get(key, 0) + 1
            continue
        props[key] = _text(prop, "value")
    return props


@dataclass(frozen=True)
class ImportResult:
    """A portfolio read from an exchange file, and what was left out and why."""

    portfolio: Portfolio
    ignored_elements: dict[str, int]
    ignored_relationships: dict[str, int]
    assumed: tuple[str, ...] = ()
    """Defaults used for what was drawn without snitgraf's properties, one line each."""
    skipped: tuple[str, ...] = ()
    """Modelled concepts left out, with why."""
    ignored_properties: dict[str, int] = field(default_factory=dict)
    """Properties snitgraf has no column for (Archi's Specialization), by name."""
    model_properties: tuple[tuple[str, str], ...] = ()
    """The model's own properties (kept in archimate-model.csv)."""

    def to_json(self) -> dict[str, Any]:
        """Counts as JSON."""
        return {
            "counts": self.portfolio.counts(),
            "ignored_elements": self.ignored_elements,
            "ignored_relationships": self.ignored_relationships,
            "ignored_properties": self.ignored_properties,
            "assumed": list(self.assumed),
            "skipped": list(self.skipped),
            "model_properties": dict(self.model_properties),
        }


ELEMENT_KINDS = {
    "ApplicationComponent": "system",
    "ApplicationInterface": "interface",
    "Contract": "contract",
}
"""The kind in our XML ids, for elements whose snitgraf id falls back to their XML id."""

MAPPED_ELEMENTS = frozenset(
    {"BusinessActor", "ApplicationComponent", "ApplicationInterface", "DataObject", "Contract"}
)
DERIVED_ELEMENTS = frozenset({"Plateau", "Gap"})


def read_archimate(path: str | Path) -> ImportResult:
    """Read an exchange file (ours, or one re-saved by Archi) back into a validated portfolio.

    Elements and relationships snitgraf does not model are counted and left out; a concept
    it models but cannot complete (a system with no supplier) is a problem naming the element.
    """
    path = Path(path)
    display = str(path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise PortfolioError(
            display, [Problem(display, _("not readable XML ({error})").format(error=error))]
        ) from None
    if root.tag != _q("model"):
        raise PortfolioError(
            display,
            [Problem(display, _("not an ArchiMate exchange file"), value=str(root.tag))],
        )
    definitions = {
        d.get("identifier", ""): _text(d, "name")
        for d in root.iterfind(f"{_q('propertyDefinitions')}/{_q('propertyDefinition')}")
    }
    left_out: dict[str, int] = {}
    model_properties = tuple(
        (key, value) for key, value in _read_properties(root, definitions, left_out).items()
    )
    elements: dict[str, _Concept] = {}
    ignored_elements: dict[str, int] = defaultdict(int)
    for index, node in enumerate(root.iterfind(f"{_q('elements')}/{_q('element')}"), start=1):
        kind = node.get(XSI_TYPE, "")
        concept = _Concept(
            node.get("identifier", ""),
            kind,
            _text(node, "name"),
            _read_properties(node, definitions, left_out),
            index,
        )
        elements[concept.identifier] = concept
        if kind not in MAPPED_ELEMENTS and kind not in DERIVED_ELEMENTS:
            ignored_elements[kind] += 1
    relationships: list[_Concept] = []
    for index, node in enumerate(
        root.iterfind(f"{_q('relationships')}/{_q('relationship')}"), start=1
    ):
        relationships.append(
            _Concept(
                node.get("identifier", ""),
                node.get(XSI_TYPE, ""),
                _text(node, "name"),
                _read_properties(node, definitions, left_out),
                index,
                node.get("source", ""),
                node.get("target", ""),
            )
        )
    tables, ignored_relationships, findings = _tables(display, elements, relationships)
    portfolio = build_portfolio(display, tables)
    return ImportResult(
        portfolio,
        dict(ignored_elements),
        dict(ignored_relationships),
        tuple(findings.assumed),
        tuple(findings.skipped),
        left_out,
        model_properties,
    )


class _TableBuilder:
    """Rows of one portfolio file, each remembering the concept it came from."""

    def __init__(self, display: str, kind: str) -> None:
        self.display = display
        self.kind = kind
        self.rows: list[dict[str, str]] = []
        self.origin: list[str] = []

    def add(self, origin: str, row: dict[str, str]) -> None:
        self.rows.append(row)
        self.origin.append(origin)

    def table(self) -> RawTable:
        headers: list[str] = list(FILE_SPECS[self.kind].required_columns)
        for row in self.rows:
            headers += [h for h in row if h not in headers]
        rows = tuple(
            RawRow(n, {h: row.get(h, "") for h in headers})
            for n, row in enumerate(self.rows, start=1)
        )
        origin = self.origin
        display = self.display

        def where(line: int, _header: str | None) -> str:
            if 1 <= line <= len(origin):
                return f"{display}: {origin[line - 1]}"
            return display

        return RawTable(display, tuple(headers), rows, 0, where)


def _describe(concept: _Concept) -> str:
    return f"{concept.type} {concept.identifier} ({concept.name!r})"


PLACEHOLDER_SUPPLIER = ("ukendt", "Ukendt leverandør (udfyldes)")
"""The supplier assumed for a system drawn without one (the same stand-in import-kmd uses)."""

ASSUME_PLACEHOLDER_SUPPLIER = "placeholder-supplier"
ASSUME_DATA_KEY = "data-key-per-interface"
ASSUME_NEED = "need-default-must"
ASSUME_CONTRACT_SUPPLIER = "supplier-default-provider"
ASSUME_LIFECYCLE = "lifecycle-default-both"


@dataclass
class _Findings:
    """What the import assumed and what it left out, one line each, naming the element."""

    assumed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _tables(
    display: str, elements: dict[str, _Concept], relationships: Sequence[_Concept]
) -> tuple[dict[str, RawTable], dict[str, int], _Findings]:
    findings = _Findings()

    def snit_id(concept: _Concept, key: str = "id") -> str:
        # An element added in Archi has no snitgraf id: a data object is keyed by its name
        # (as snitgraf names them), anything else by its XML id.
        fallback = concept.name if concept.type == "DataObject" else concept.identifier
        kind = ELEMENT_KINDS.get(concept.type)
        if kind and fallback == concept.identifier and fallback.startswith(f"id-{kind}-"):
            # Our own id with the property deleted: `id-system-kmd-aktiv` is `kmd-aktiv`.
            fallback = fallback.removeprefix(f"id-{kind}-")
        return concept.properties.get(key) or fallback

    actors = [c for c in elements.values() if c.type == "BusinessActor"]
    municipalities = {c.identifier for c in actors if "code" in c.properties}
    supplier_of: dict[str, list[str]] = defaultdict(list)
    replaces: dict[str, list[str]] = defaultdict(list)
    provider_of: dict[str, list[str]] = defaultdict(list)
    data_of: dict[str, list[str]] = defaultdict(list)
    contract_interface: dict[str, list[str]] = defaultdict(list)
    contract_supplier: dict[str, list[str]] = defaultdict(list)
    plateau_members: dict[str, set[str]] = defaultdict(set)
    usage_relationships: list[tuple[_Concept, _Concept, _Concept]] = []
    deployments = _TableBuilder(display, "deployments")
    ignored: dict[str, int] = defaultdict(int)
    for rel in relationships:
        source, target = elements.get(rel.source), elements.get(rel.target)
        pair = (rel.type, source.type if source else "", target.type if target else "")
        s = source.identifier if source else ""
        t = target.identifier if target else ""
        if pair == ("Association", "BusinessActor", "ApplicationComponent"):
            if s not in municipalities:
                supplier_of[t].append(s)
                continue
        elif pair == ("Association", "ApplicationComponent", "ApplicationComponent"):
            if rel.name.strip().lower() in REPLACES_NAMES:
                replaces[s].append(t)
                continue
        elif pair in (
            ("Composition", "ApplicationComponent", "ApplicationInterface"),
            ("Assignment", "ApplicationComponent", "ApplicationInterface"),
        ):
            provider_of[t].append(s)
            continue
        elif pair[0] in ("Access", "Association") and pair[1:] == (
            "ApplicationInterface",
            "DataObject",
        ):
            data_of[s].append(t)
            continue
        elif pair == ("Association", "Contract", "ApplicationInterface"):
            contract_interface[s].append(t)
            continue
        elif pair == ("Association", "Contract", "BusinessActor") and t not in municipalities:
            contract_supplier[s].append(t)
            continue
        elif pair in (
            ("Flow", "ApplicationInterface", "ApplicationComponent"),
            ("Flow", "ApplicationComponent", "ApplicationInterface"),
            ("Serving", "ApplicationInterface", "ApplicationComponent"),
        ):
            assert source is not None and target is not None
            interface, system = (
                (source, target) if pair[1] == "ApplicationInterface" else (target, source)
            )
            usage_relationships.append((rel, interface, system))
            continue
        elif pair == ("Serving", "ApplicationComponent", "BusinessActor") and t in municipalities:
            assert source is not None and target is not None
            deployments.add(
                f"relationship {rel.identifier}",
                {"municipality": snit_id(target, "code"), "system": snit_id(source)},
            )
            continue
        elif pair == ("Aggregation", "Plateau", "ApplicationComponent"):
            assert source is not None
            plateau_members[source.name.strip().upper()].add(t)
            continue
        if {pair[1], pair[2]} & DERIVED_ELEMENTS:
            continue  # the plateaus, their transition and the gap are derived on export
        ignored[rel.type] += 1

    def one(concept: _Concept, found: list[str], column: str, key: str = "id") -> str:
        if len(found) > 1:
            # Several candidates: keep the first, the validator cannot tell which is meant.
            problems.append(
                Problem(
                    f"{display}: {_describe(concept)}",
                    _("{n} relationships give it a {column}; expected one").format(
                        n=len(found), column=column
                    ),
                    column,
                    ", ".join(found),
                )
            )
        return snit_id(elements[found[0]], key) if found else ""

    problems: list[Problem] = []
    builders = {kind: _TableBuilder(display, kind) for kind in FILE_SPECS}
    builders["deployments"] = deployments
    ordered = sorted(elements.values(), key=lambda c: c.index)
    supplier_ids = {
        snit_id(c)
        for c in ordered
        if c.type == "BusinessActor" and c.identifier not in municipalities
    }
    placeholder_added = PLACEHOLDER_SUPPLIER[0] in supplier_ids
    system_supplier: dict[str, str] = {}
    interface_provider: dict[str, str] = {}
    for concept in ordered:  # suppliers, municipalities and systems first: others need them
        origin = f"element {concept.identifier}"
        props = dict(concept.properties)
        if concept.type == "BusinessActor" and concept.identifier in municipalities:
            builders["municipalities"].add(origin, {**props, "name": concept.name})
        elif concept.type == "BusinessActor":
            builders["suppliers"].add(
                origin, {**props, "id": snit_id(concept), "name": concept.name}
            )
        elif concept.type == "ApplicationComponent":
            row = {**props, "id": snit_id(concept), "name": concept.name}
            row["supplier"] = one(concept, supplier_of[concept.identifier], "supplier")
            assumptions = [a for a in props.get("assumptions", "").split("|") if a.strip()]
            if not row["supplier"]:
                row["supplier"] = PLACEHOLDER_SUPPLIER[0]
                if not placeholder_added:
                    placeholder_added = True
                    builders["suppliers"].add(
                        origin,
                        {
                            "id": PLACEHOLDER_SUPPLIER[0],
                            "name": PLACEHOLDER_SUPPLIER[1],
                            "assumptions": ASSUME_PLACEHOLDER_SUPPLIER,
                        },
                    )
                findings.assumed.append(
                    _("{element}: no supplier drawn; supplier {id!r} assumed").format(
                        element=_describe(concept), id=PLACEHOLDER_SUPPLIER[0]
                    )
                )
            system_supplier[concept.identifier] = row["supplier"]
            replaced = [snit_id(elements[r]) for r in replaces[concept.identifier]]
            if replaced:
                row["replaces"] = "|".join(replaced)
            if "lifecycle" not in props:
                as_is = concept.identifier in plateau_members["AS-IS"]
                to_be = concept.identifier in plateau_members["TO-BE"]
                row["lifecycle"] = {(True, False): "as-is", (False, True): "to-be"}.get(
                    (as_is, to_be), "both"
                )
                if not (as_is or to_be):
                    assumptions.append(ASSUME_LIFECYCLE)
                    findings.assumed.append(
                        _("{element}: no lifecycle and in no plateau; 'both' assumed").format(
                            element=_describe(concept)
                        )
                    )
            if assumptions:
                row["assumptions"] = "|".join(dict.fromkeys(assumptions))
            builders["systems"].add(origin, row)
    for concept in ordered:
        origin = f"element {concept.identifier}"
        props = dict(concept.properties)
        if concept.type != "ApplicationInterface":
            continue
        row = {**props, "id": snit_id(concept), "name": concept.name}
        row["provider"] = one(concept, provider_of[concept.identifier], "provider")
        if not row["provider"]:
            findings.skipped.append(
                _(
                    "{element}: no system provides it (draw a Composition from its system); "
                    "left out with its usages and contracts"
                ).format(element=_describe(concept))
            )
            continue
        interface_provider[concept.identifier] = provider_of[concept.identifier][0]
        row["data"] = one(concept, data_of[concept.identifier], "data")
        if not row["data"]:
            row["data"] = row["id"]
            _assume(row, ASSUME_DATA_KEY)
            findings.assumed.append(
                _("{element}: no data object drawn; its own data key {key!r} assumed").format(
                    element=_describe(concept), key=row["id"]
                )
            )
        builders["interfaces"].add(origin, row)
    for concept in ordered:
        origin = f"element {concept.identifier}"
        if concept.type != "Contract":
            continue
        row = {**concept.properties, "id": snit_id(concept)}
        covered = contract_interface[concept.identifier]
        row["interface"] = one(concept, covered, "interface")
        if not row["interface"] or covered[0] not in interface_provider:
            reason = (
                _("covers no interface (draw an Association to it)")
                if not row["interface"]
                else _("its interface is left out")
            )
            findings.skipped.append(
                _("{element}: {reason}; left out").format(element=_describe(concept), reason=reason)
            )
            continue
        row["supplier"] = one(concept, contract_supplier[concept.identifier], "supplier")
        if not row["supplier"]:
            provider = interface_provider[covered[0]]
            row["supplier"] = system_supplier.get(provider, PLACEHOLDER_SUPPLIER[0])
            _assume(row, ASSUME_CONTRACT_SUPPLIER)
            findings.assumed.append(
                _("{element}: no supplier drawn; the provider's ({id}) assumed").format(
                    element=_describe(concept), id=row["supplier"]
                )
            )
        builders["contracts"].add(origin, row)
    usages = builders["usages"]
    for rel, interface, system in usage_relationships:
        if interface.identifier not in interface_provider:
            findings.skipped.append(
                _("relationship {id} ({type}): its interface is left out").format(
                    id=rel.identifier, type=rel.type
                )
            )
            continue
        row = {"interface": snit_id(interface), "system": snit_id(system)}
        if rel.type == "Flow":
            row["direction"] = "in" if rel.source == interface.identifier else "out"
        row.update({k: v for k, v in rel.properties.items() if k not in row})
        if not row.get("need", "").strip():
            row["need"] = "must"
            _assume(row, ASSUME_NEED)
            findings.assumed.append(
                _(
                    "relationship {id} ({type} {system} - {interface}): no need; 'must' assumed"
                ).format(
                    id=rel.identifier,
                    type=rel.type,
                    system=row["system"],
                    interface=row["interface"],
                )
            )
        usages.add(f"relationship {rel.identifier}", row)
    if problems:
        raise PortfolioError(display, problems)
    tables = {kind: b.table() for kind, b in builders.items()}
    for kind in ("municipalities", "deployments"):
        if not builders[kind].rows:
            del tables[kind]
    return tables, dict(ignored), findings


def _assume(row: dict[str, str], code: str) -> None:
    """Add an assumption code to a row's `assumptions` cell."""
    codes = [c for c in row.get("assumptions", "").split("|") if c.strip()]
    row["assumptions"] = "|".join(dict.fromkeys([*codes, code]))


def import_archimate(path: str | Path, out: str | Path) -> tuple[ImportResult, list[Path]]:
    """Read an exchange file and write the portfolio it holds as a CSV folder."""
    from snitgraf.io.csv_export import write_csv_table, write_portfolio_folder

    result = read_archimate(path)
    written = write_portfolio_folder(result.portfolio, out)
    if result.model_properties:
        written.append(
            write_csv_table(
                Path(out) / MODEL_PROPERTIES_FILE,
                (
                    ["property", "value"],
                    [{"property": k, "value": v} for k, v in result.model_properties],
                ),
            )
        )
    return result, written
