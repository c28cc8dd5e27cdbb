"""ArchiMate exchange: every export valid against the Open Group schema, round trips lossless."""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from lxml import etree

from snitgraf.assessment import Assessment
from snitgraf.cli import cli
from snitgraf.io.archimate import (
    NS,
    XSI_TYPE,
    build_model,
    read_archimate,
    to_be_system_ids,
    to_xml_bytes,
    xml_id,
)
from snitgraf.loader import load_portfolio
from tests.portfolios import SAMPLE, portfolio
from tests.roundtrip import awkward, build_drawn, content, small_portfolios
from tests.shared_files import shared_file

SCHEMA = "schemas/archimate/archimate3_Diagram.xsd"
N = {"a": NS}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    path = shared_file(SCHEMA, "The Open Group's ArchiMate 3.1 exchange-format XSD")
    return etree.XMLSchema(etree.parse(str(path)))


def export(portfolio_path: Path, target: Path) -> etree._ElementTree:
    result = CliRunner().invoke(
        cli, ["export", str(portfolio_path), "--to", "archimate", "--out", str(target)]
    )
    assert result.exit_code == 0, result.output
    return etree.parse(str(target))


def assert_valid(schema: etree.XMLSchema, doc: etree._ElementTree) -> None:
    assert schema.validate(doc), str(schema.error_log)


def types(doc: etree._ElementTree, path: str) -> Counter[str]:
    return Counter(e.get(XSI_TYPE) for e in doc.iterfind(path, N))


def test_sample_export_is_valid_and_counts_what_the_portfolio_holds(
    tmp_path: Path, schema: etree.XMLSchema
) -> None:
    doc = export(SAMPLE, tmp_path / "model.xml")
    assert_valid(schema, doc)
    assert types(doc, "a:elements/a:element") == {
        "ApplicationComponent": 33,
        "ApplicationInterface": 39,
        "BusinessActor": 14,
        "Contract": 10,
        "DataObject": 26,
        "Plateau": 2,
        "Gap": 1,
    }
    p = load_portfolio(SAMPLE)
    to_be = to_be_system_ids(p)
    as_is = [s for s in p.systems if s.lifecycle in ("as-is", "both")]
    relationships = types(doc, "a:relationships/a:relationship")
    assert relationships == {
        "Association": 33 + 3 + 2 * 10 + 2,  # supplies, replaces, covers+with, gap
        "Composition": 39,
        "Access": 39,
        "Flow": 41,  # every usage of the sample states its direction
        "Aggregation": len(as_is) + len(to_be),
        "Triggering": 1,
    }
    assert len(doc.findall("a:views/a:diagrams/a:view", N)) == 2


def test_every_reference_points_at_something_that_exists(
    tmp_path: Path, schema: etree.XMLSchema
) -> None:
    doc = export(SAMPLE, tmp_path / "model.xml")
    elements = {e.get("identifier"): e for e in doc.iterfind("a:elements/a:element", N)}
    relationships = {
        r.get("identifier"): r for r in doc.iterfind("a:relationships/a:relationship", N)
    }
    definitions = {
        d.get("identifier") for d in doc.iterfind("a:propertyDefinitions/a:propertyDefinition", N)
    }
    for rel in relationships.values():
        assert rel.get("source") in elements and rel.get("target") in elements
    for prop in doc.iter(f"{{{NS}}}property"):
        assert prop.get("propertyDefinitionRef") in definitions
    for view in doc.iterfind("a:views/a:diagrams/a:view", N):
        nodes = {n.get("identifier"): n.get("elementRef") for n in view.iter(f"{{{NS}}}node")}
        assert all(ref in elements for ref in nodes.values())
        connections = view.findall("a:connection", N)
        assert connections
        for connection in connections:
            rel = relationships[connection.get("relationshipRef")]
            assert nodes[connection.get("source")] == rel.get("source")
            assert nodes[connection.get("target")] == rel.get("target")


def test_plateaus_aggregate_their_systems_with_a_gap_between(tmp_path: Path) -> None:
    doc = export(SAMPLE, tmp_path / "model.xml")
    p = load_portfolio(SAMPLE)

    def members(plateau: str) -> set[str]:
        return {
            r.get("target")
            for r in doc.iterfind("a:relationships/a:relationship", N)
            if r.get(XSI_TYPE) == "Aggregation" and r.get("source") == plateau
        }

    as_is = {xml_id("system", s.id) for s in p.systems if s.lifecycle in ("as-is", "both")}
    assert members("id-plateau-as-is") == as_is
    assert members("id-plateau-to-be") == {xml_id("system", s) for s in to_be_system_ids(p)}
    assert "id-system-ky" in members("id-plateau-to-be")
    assert "id-system-kmd-aktiv" not in members("id-plateau-to-be")
    gap = {
        r.get("target")
        for r in doc.iterfind("a:relationships/a:relationship", N)
        if r.get("source") == "id-gap-as-is-to-be"
    }
    assert gap == {"id-plateau-as-is", "id-plateau-to-be"}
    view_names = [v.findtext("a:name", namespaces=N) for v in doc.iter(f"{{{NS}}}view")]
    assert view_names == ["AS-IS", "TO-BE"]


def test_categories_needs_expiry_and_costs_are_typed_properties(tmp_path: Path) -> None:
    doc = export(SAMPLE, tmp_path / "model.xml")
    definitions = {
        d.get("identifier"): (d.findtext("a:name", namespaces=N), d.get("type"))
        for d in doc.iterfind("a:propertyDefinitions/a:propertyDefinition", N)
    }
    typed = {name: kind for name, kind in definitions.values()}
    assert typed["monopoly"] == "boolean"
    assert typed["expires"] == "string"  # '2016', '2017-06': xs:date holds full dates only
    assert typed["go_live"] == "string"
    assert typed["annual_cost_dkk"] == "currency"
    assert typed["need"] == "string"
    assert typed["snitgraf: category"] == "string"
    assert typed["snitgraf: S"] == "number"

    def props(xpath: str) -> dict[str, str]:
        node = doc.find(xpath, N)
        assert node is not None
        return {
            definitions[p.get("propertyDefinitionRef")][0]: p.findtext("a:value", namespaces=N)
            for p in node.iterfind("a:properties/a:property", N)
        }

    sid001 = props("a:elements/a:element[@identifier='id-interface-SID001']")
    assert sid001["snitgraf: category"] == "kombit-98"
    assert sid001["snitgraf: negotiates"] == "KOMBIT"
    assert sid001["snitgraf: S"] == "1"
    contract = props("a:elements/a:element[@identifier='id-contract-K-DP-UDBETALING']")
    assert (contract["expires"], contract["annual_cost_dkk"]) == ("2016", "85000")
    usage = doc.find(
        "a:relationships/a:relationship[@source='id-system-kmd-dagpenge']"
        "[@target='id-interface-SID001']",
        N,
    )
    assert usage is not None and usage.get(XSI_TYPE) == "Flow"
    assert usage.get("target") == "id-interface-SID001"


def test_ids_are_valid_xml_ids_and_stable_across_exports(
    tmp_path: Path, schema: etree.XMLSchema
) -> None:
    p = portfolio(
        tmp_path / "p",
        suppliers=[{"id": "Ærø IT", "name": "Ærø"}, {"id": "aeroe_IT", "name": "Other"}],
        systems=[
            {"id": "Sag 1", "name": "Sag", "supplier": "Ærø IT"},
            {"id": "sag-1", "name": "Sag 2", "supplier": "aeroe_IT"},
        ],
        interfaces=[{"id": "1", "name": "Første", "provider": "Sag 1", "data": "ø/å"}],
        usages=[{"interface": "1", "system": "sag-1", "need": "kan"}],
    )
    first = to_xml_bytes(build_model(p))
    second = to_xml_bytes(build_model(load_portfolio(tmp_path / "p")))
    assert first == second
    doc = etree.ElementTree(etree.fromstring(first))
    assert_valid(schema, doc)
    ids = [e.get("identifier") for e in doc.iter() if e.get("identifier")]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9._-]*", i) for i in ids)
    assert xml_id("supplier", "Ærø IT") != xml_id("supplier", "Aeroe IT")
    usage = types(doc, "a:relationships/a:relationship")
    assert usage["Serving"] == 1  # a usage without direction is Serving


def test_export_then_import_is_lossless_for_the_sample(tmp_path: Path) -> None:
    export(SAMPLE, tmp_path / "model.xml")
    assert content(read_archimate(tmp_path / "model.xml").portfolio) == content(
        load_portfolio(SAMPLE)
    )


def test_export_then_import_is_lossless_for_awkward_values(
    tmp_path: Path, schema: etree.XMLSchema
) -> None:
    original = awkward(tmp_path / "csv")
    doc = export(tmp_path / "csv", tmp_path / "model.xml")
    assert_valid(schema, doc)
    result = CliRunner().invoke(
        cli, ["import-archimate", str(tmp_path / "model.xml"), "--out", str(tmp_path / "back")]
    )
    assert result.exit_code == 0, result.output
    assert content(load_portfolio(tmp_path / "back")) == content(original)


def archi_resave(source: Path, target: Path) -> None:
    """What Archi does when it saves a model again: its own property definition ids, folders,
    styles; here also what a user adds: an element, a property, a relationship, a view node."""
    text = source.read_text(encoding="utf-8")
    definitions = re.findall(r'identifier="(id-propdef-[^"]+)"', text)
    for number, identifier in enumerate(definitions, start=1):
        text = text.replace(f'"{identifier}"', f'"propid-{number}"')
    doc = etree.fromstring(text.encode("utf-8"))
    q = f"{{{NS}}}"
    elements = doc.find(f"{q}elements")
    process = etree.SubElement(elements, f"{q}element", identifier="id-abc123")
    process.set(XSI_TYPE, "BusinessProcess")
    etree.SubElement(process, f"{q}name").text = "Udbetal dagpenge"
    system = doc.find(f"{q}elements/{q}element[@identifier='id-system-kmd-dagpenge']")
    new_definition = etree.SubElement(doc.find(f"{q}propertyDefinitions"), f"{q}propertyDefinition")
    new_definition.set("identifier", f"propid-{len(definitions) + 1}")
    new_definition.set("type", "string")
    etree.SubElement(new_definition, f"{q}name").text = "ejer"
    prop = etree.SubElement(system.find(f"{q}properties"), f"{q}property")
    prop.set("propertyDefinitionRef", f"propid-{len(definitions) + 1}")
    etree.SubElement(prop, f"{q}value").text = "Jobcentret"
    relationships = doc.find(f"{q}relationships")
    talks = etree.SubElement(
        relationships,
        f"{q}relationship",
        identifier="id-def456",
        source="id-system-kmd-dagpenge",
        target="id-system-prisme",
    )
    talks.set(XSI_TYPE, "Association")
    etree.SubElement(talks, f"{q}name").text = "taler med"
    organizations = etree.Element(f"{q}organizations")
    item = etree.SubElement(organizations, f"{q}item")
    etree.SubElement(item, f"{q}label").text = "Application"
    etree.SubElement(item, f"{q}item", identifierRef="id-system-kmd-dagpenge")
    relationships.addnext(organizations)
    target.write_bytes(etree.tostring(doc, xml_declaration=True, encoding="UTF-8"))


def test_a_model_resaved_by_archi_reads_back_with_the_users_additions(
    tmp_path: Path, schema: etree.XMLSchema
) -> None:
    export(SAMPLE, tmp_path / "model.xml")
    archi_resave(tmp_path / "model.xml", tmp_path / "archi.xml")
    assert_valid(schema, etree.parse(str(tmp_path / "archi.xml")))
    result = read_archimate(tmp_path / "archi.xml")
    original = content(load_portfolio(SAMPLE))
    imported = content(result.portfolio)
    dagpenge = next(s for s in imported["systems"] if s["id"] == "kmd-dagpenge")
    assert dagpenge["extra"] == {"kilde": "seed", "ejer": "Jobcentret"}
    dagpenge["extra"].pop("ejer")
    assert imported == original
    assert result.ignored_elements == {"BusinessProcess": 1}
    assert result.ignored_relationships == {"Association": 1}


def test_an_interface_without_provider_is_left_out_with_its_usages_and_says_why(
    tmp_path: Path,
) -> None:
    export(SAMPLE, tmp_path / "model.xml")
    doc = etree.parse(str(tmp_path / "model.xml"))
    for rel in doc.iterfind("a:relationships/a:relationship", N):
        if rel.get(XSI_TYPE) == "Composition" and rel.get("target") == "id-interface-SID001":
            rel.getparent().remove(rel)
    doc.write(str(tmp_path / "broken.xml"))
    result = read_archimate(tmp_path / "broken.xml")
    assert "SID001" not in result.portfolio.interface_by_id
    assert not any(u.interface == "SID001" for u in result.portfolio.usages)
    assert result.skipped[0] == (
        "ApplicationInterface id-interface-SID001 ('KMD Udbetaling Batch'): no system provides "
        "it (draw a Composition from its system); left out with its usages and contracts"
    )
    assert len(result.skipped) == 1 + sum(
        1 for u in load_portfolio(SAMPLE).usages if u.interface == "SID001"
    ) + sum(1 for c in load_portfolio(SAMPLE).contracts if c.interface == "SID001")


def test_import_refuses_to_overwrite_a_portfolio_without_force(tmp_path: Path) -> None:
    export(SAMPLE, tmp_path / "model.xml")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "systems.csv").write_text("id\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["import-archimate", str(tmp_path / "model.xml"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"error: {tmp_path / 'out'}: already holds CSV files (use --force to replace them)\n"
    )
    assert (tmp_path / "out" / "systems.csv").read_text(encoding="utf-8") == "id\n"


def test_export_categories_match_the_assessments_one_category_per_interface(
    tmp_path: Path,
) -> None:
    doc = export(SAMPLE, tmp_path / "model.xml")
    with Assessment.open(str(SAMPLE)) as assessment:
        expected = {c.interface: c.category.code for c in assessment.categorised("all")}
    found = {}
    definitions = {
        d.get("identifier"): d.findtext("a:name", namespaces=N)
        for d in doc.iterfind("a:propertyDefinitions/a:propertyDefinition", N)
    }
    for element in doc.iterfind("a:elements/a:element", N):
        if element.get(XSI_TYPE) != "ApplicationInterface":
            continue
        for prop in element.iterfind("a:properties/a:property", N):
            if definitions[prop.get("propertyDefinitionRef")] == "snitgraf: category":
                found[element.get("identifier")] = prop.findtext("a:value", namespaces=N)
    assert found == {xml_id("interface", i): code for i, code in expected.items()}


@settings(max_examples=40, deadline=None)
@given(small_portfolios())
def test_any_text_survives_csv_to_archimate_to_portfolio(drawn: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        original = build_drawn(folder / "csv", drawn)
        (folder / "model.xml").write_bytes(to_xml_bytes(build_model(original)))
        assert content(read_archimate(folder / "model.xml").portfolio) == content(original)


def test_a_to_be_only_interface_carries_its_one_category_in_both_properties(
    tmp_path: Path,
) -> None:
    doc = export(SAMPLE, tmp_path / "model.xml")
    definitions = {
        d.get("identifier"): d.findtext("a:name", namespaces=N)
        for d in doc.iterfind("a:propertyDefinitions/a:propertyDefinition", N)
    }
    element = doc.find("a:elements/a:element[@identifier='id-interface-SF0770_A']", N)
    assert element is not None
    props = {
        definitions[p.get("propertyDefinitionRef")]: p.findtext("a:value", namespaces=N)
        for p in element.iterfind("a:properties/a:property", N)
    }
    # SF0770_A is stated for TO-BE only; its category is decided on the whole transition.
    assert props["snitgraf: category"] == "common-must"
    assert props["snitgraf: category TO-BE"] == "common-must"


def test_a_deleted_id_property_falls_back_to_the_xml_id(tmp_path: Path) -> None:
    export(SAMPLE, tmp_path / "model.xml")
    doc = etree.parse(str(tmp_path / "model.xml"))
    id_definition = next(
        d.get("identifier")
        for d in doc.iterfind("a:propertyDefinitions/a:propertyDefinition", N)
        if d.findtext("a:name", namespaces=N) == "id"
    )
    system = doc.find("a:elements/a:element[@identifier='id-system-kmd-aktiv']", N)
    assert system is not None
    for prop in system.iterfind("a:properties/a:property", N):
        if prop.get("propertyDefinitionRef") == id_definition:
            prop.getparent().remove(prop)
    doc.write(str(tmp_path / "edited.xml"))
    imported = read_archimate(tmp_path / "edited.xml").portfolio
    assert content(imported) == content(load_portfolio(SAMPLE))


def test_a_plateau_too_big_to_draw_shows_its_systems_only(
    monkeypatch: pytest.MonkeyPatch, schema: etree.XMLSchema
) -> None:
    from snitgraf.io import archimate

    monkeypatch.setattr(archimate, "MAX_VIEW_NODES", 10)
    p = load_portfolio(SAMPLE)
    doc = etree.ElementTree(build_model(p))
    assert_valid(schema, doc)
    as_is = doc.find("a:views/a:diagrams/a:view[@identifier='id-view-as-is']", N)
    assert as_is is not None
    refs = [n.get("elementRef") for n in as_is.iter(f"{{{NS}}}node")]
    assert refs and all(r.startswith("id-system-") for r in refs)
    assert len(refs) == len([s for s in p.systems if s.lifecycle in ("as-is", "both")])
    assert as_is.findtext("a:documentation", namespaces=N) == (
        "37 interfaces are left out of this view (more than 10 boxes); they are all in the model."
    )


# --- as Archi reads and writes: access types, dates, what users draw, ids -----------------------

DRAWN = Path(__file__).parent / "fixtures" / "archimate" / "drawn-in-archi.xml"


def test_access_relationships_state_their_access_type_for_archi(tmp_path: Path) -> None:
    doc = export(SAMPLE, tmp_path / "model.xml")
    relationships = doc.iterfind("a:relationships/a:relationship", N)
    access = [r for r in relationships if r.get(XSI_TYPE) == "Access"]
    assert access and {a.get("accessType") for a in access} == {"Read"}


def test_dates_are_typed_date_only_when_every_value_is_a_full_date(tmp_path: Path) -> None:
    def date_type(expires: list[str]) -> str | None:
        p = portfolio(
            tmp_path / f"p{len(expires)}",
            suppliers=[{"id": "kmd", "name": "KMD"}],
            systems=[{"id": "s", "name": "S", "supplier": "kmd"}],
            interfaces=[{"id": "i", "name": "I", "provider": "s", "data": "d"}],
            usages=[{"interface": "i", "system": "s", "need": "must"}],
            contracts=[
                {"id": f"k{n}", "interface": "i", "supplier": "kmd", "expires": e}
                for n, e in enumerate(expires)
            ],
        )
        doc = etree.fromstring(to_xml_bytes(build_model(p)))
        for d in doc.iterfind("a:propertyDefinitions/a:propertyDefinition", N):
            if d.findtext("a:name", namespaces=N) == "expires":
                return d.get("type")
        return None

    assert date_type(["2017-06-30", "2019-01-01"]) == "date"
    assert date_type(["2017-06-30", "2017"]) == "string"
    assert date_type(["2017-06-30", "2017", "2018-05"]) == "string"


def test_a_model_drawn_in_archi_imports_with_every_default_named(
    schema: etree.XMLSchema,
) -> None:
    assert_valid(schema, etree.parse(str(DRAWN)))  # the fixture is what Archi writes
    result = read_archimate(DRAWN)
    p = result.portfolio
    app = "id-3d4e5f607182430415c6d7e8f90a1b2c"
    lookup = "id-4e5f60718293440526d7e8f90a1b2c3d"
    assert p.system_by_id[app].supplier == "ukendt"
    assert p.supplier_by_id["ukendt"].assumptions == ("placeholder-supplier",)
    assert p.interface_by_id[lookup].data == lookup
    assert p.interface_by_id[lookup].assumptions == ("data-key-per-interface",)
    assert p.interface_by_id["id-60718293a4b5460748f90a1b2c3d4e5f"].data == "Borgerdata"
    assert [(u.interface, u.system, u.need, u.direction, u.assumptions) for u in p.usages] == [
        (lookup, app, "must", "in", ("need-default-must",))
    ]
    (contract,) = p.contracts
    assert contract.supplier == "id-0a1b2c3d4e5f40718293a4b5c6d7e8f9"  # the provider's
    assert contract.assumptions == ("supplier-default-provider",)
    assert len(result.assumed) == 6
    assert result.assumed[1] == (
        "ApplicationComponent id-3d4e5f607182430415c6d7e8f90a1b2c ('Jobcenter-app'): no "
        "supplier drawn; supplier 'ukendt' assumed"
    )
    assert result.skipped == (
        "ApplicationInterface id-5f60718293a4450637e8f90a1b2c3d4e ('Løs snitflade'): no system "
        "provides it (draw a Composition from its system); left out with its usages and "
        "contracts",
        "relationship id-d7e8f90a1b2c4d54bf60718293a4b5c6 (Serving): its interface is left out",
    )


def test_archis_specialization_is_left_out_and_model_properties_are_kept(
    tmp_path: Path, schema: etree.XMLSchema
) -> None:
    out = tmp_path / "p"
    result = CliRunner().invoke(cli, ["import-archimate", str(DRAWN), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "  left out 1 Specialization properties (Archi's specialization; no snitgraf column)"
        in (result.output.splitlines())
    )
    assert "6 assumption(s) for what was drawn without snitgraf's properties:" in result.output
    assert "2 left out, with why:" in result.output
    assert "specialization" not in (out / "systems.csv").read_text(encoding="utf-8-sig").lower()
    assert (out / "archimate-model.csv").read_text(encoding="utf-8-sig") == (
        "property,value\nkommune,Horsens\nejer,IT-arkitekturen\n"
    )
    doc = export(out, tmp_path / "again.xml")
    assert_valid(schema, doc)
    names = {
        d.get("identifier"): d.findtext("a:name", namespaces=N)
        for d in doc.iterfind("a:propertyDefinitions/a:propertyDefinition", N)
    }
    kept = {
        names[p.get("propertyDefinitionRef")]: p.findtext("a:value", namespaces=N)
        for p in doc.getroot().iterfind("a:properties/a:property", N)
    }
    assert kept == {"kommune": "Horsens", "ejer": "IT-arkitekturen"}
    assert content(read_archimate(tmp_path / "again.xml").portfolio) == content(load_portfolio(out))


def test_ids_that_would_collide_are_told_apart_and_the_export_reimports(
    tmp_path: Path, schema: etree.XMLSchema
) -> None:
    hashed = xml_id("system", "a b")  # id-system-a_b-<8 hex>
    plain = hashed.removeprefix("id-system-")  # a snitgraf id that spells that exactly
    assert xml_id("system", plain) == hashed
    p = portfolio(
        tmp_path / "p",
        suppliers=[{"id": "kmd", "name": "KMD"}],
        systems=[
            {"id": "a b", "name": "A", "supplier": "kmd"},
            {"id": plain, "name": "B", "supplier": "kmd"},
        ],
        interfaces=[
            {"id": "a b", "name": "I", "provider": "a b", "data": "a b"},
            {"id": plain, "name": "J", "provider": plain, "data": plain},
        ],
        usages=[{"interface": "a b", "system": plain, "need": "must"}],
    )
    doc = etree.ElementTree(etree.fromstring(to_xml_bytes(build_model(p))))
    assert_valid(schema, doc)
    ids = [e.get("identifier") for e in doc.iter() if e.get("identifier")]
    assert len(ids) == len(set(ids))
    assert {hashed, f"{hashed}-2"} <= set(ids)
    doc.write(str(tmp_path / "model.xml"))
    assert content(read_archimate(tmp_path / "model.xml").portfolio) == content(p)
