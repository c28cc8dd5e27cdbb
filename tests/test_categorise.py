"""Categorisation: every rule and boundary of the seed's table, and the reasons it gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snitgraf.analysis.categorise import (
    CATEGORIES,
    DataEvidence,
    InterfaceCategory,
    Source,
    Use,
    categorise,
    category_counts,
    decide,
)
from snitgraf.graph import as_is_graph, build_graph
from snitgraf.model import Interface, Portfolio, Supplier, System, Usage
from tests.portfolios import market, portfolio


def results(loaded: Portfolio) -> dict[str, InterfaceCategory]:
    """Every interface's category, by interface id."""
    return {r.interface: r for r in categorise(build_graph(loaded))}


def codes(loaded: Portfolio) -> dict[str, str]:
    """Every interface's category code, by interface id."""
    return {i: r.category.code for i, r in results(loaded).items()}


# --- the five rules ------------------------------------------------------------------------


def test_must_with_one_supplier_is_kombit_98(tmp_path: Path) -> None:
    loaded = market(tmp_path, [("udbetaling", "kmd")], [("dagpenge", "must", True)])
    assert codes(loaded) == {"I-udbetaling": "kombit-98"}


def test_two_suppliers_make_a_must_interface_common(tmp_path: Path) -> None:
    loaded = market(tmp_path, [("opus", "kmd"), ("prisme", "fujitsu")], [("ksd", "must", True)])
    assert codes(loaded) == {"I-opus": "common-must", "I-prisme": "common-must"}


def test_three_suppliers_are_still_common(tmp_path: Path) -> None:
    loaded = market(
        tmp_path,
        [("opus", "kmd"), ("prisme", "fujitsu"), ("sap", "sap-leverandor")],
        [("ksd", "must", True)],
    )
    result = results(loaded)["I-sap"]
    assert result.category.code == "common-must"
    assert result.supplier_count == 3
    assert result.suppliers == ("fujitsu", "kmd", "sap-leverandor")


def test_two_systems_of_one_supplier_count_as_one_supplier(tmp_path: Path) -> None:
    loaded = market(tmp_path, [("opus", "kmd"), ("oes", "kmd")], [("ksd", "must", True)])
    result = results(loaded)
    assert {i: r.category.code for i, r in result.items()} == {
        "I-oes": "kombit-98",
        "I-opus": "kombit-98",
    }
    assert result["I-oes"].supplier_count == 1
    assert result["I-oes"].suppliers == ("kmd",)


def test_nice_with_several_suppliers_is_common_nice(tmp_path: Path) -> None:
    loaded = market(
        tmp_path, [("acadre", "formpipe"), ("sbsys", "sbsys")], [("sapa", "nice", True)]
    )
    assert codes(loaded) == {"I-acadre": "common-nice", "I-sbsys": "common-nice"}


def test_nice_with_one_supplier_is_unclassified(tmp_path: Path) -> None:
    loaded = market(tmp_path, [("acadre", "formpipe")], [("sapa", "nice", True)])
    assert codes(loaded) == {"I-acadre": "unclassified"}


def test_nice_with_two_systems_of_one_supplier_is_unclassified(tmp_path: Path) -> None:
    loaded = market(
        tmp_path, [("acadre", "formpipe"), ("acadre2", "formpipe")], [("sapa", "nice", True)]
    )
    assert codes(loaded) == {"I-acadre": "unclassified", "I-acadre2": "unclassified"}


def test_no_monopoly_user_is_municipal(tmp_path: Path) -> None:
    loaded = market(tmp_path, [("essentia", "kmd")], [])
    assert codes(loaded) == {"I-essentia": "municipal"}


def test_no_monopoly_user_with_several_suppliers_is_still_municipal(tmp_path: Path) -> None:
    loaded = market(tmp_path, [("essentia", "kmd"), ("other", "eg")], [])
    assert codes(loaded) == {"I-essentia": "municipal", "I-other": "municipal"}


# --- must and nice together, users that do not count ---------------------------------------


def test_must_wins_over_nice_on_the_same_data_with_one_supplier(tmp_path: Path) -> None:
    loaded = market(
        tmp_path, [("udbetaling", "kmd")], [("sapa", "nice", True), ("ksd", "must", True)]
    )
    result = results(loaded)["I-udbetaling"]
    assert result.category.code == "kombit-98"
    assert result.must_users == ("ksd",)
    assert result.nice_users == ("sapa",)


def test_must_wins_over_nice_on_the_same_data_with_two_suppliers(tmp_path: Path) -> None:
    loaded = market(
        tmp_path,
        [("opus", "kmd"), ("prisme", "fujitsu")],
        [("sapa", "nice", True), ("ksd", "must", True)],
    )
    assert codes(loaded) == {"I-opus": "common-must", "I-prisme": "common-must"}


def test_one_monopoly_system_needing_data_both_ways_counts_as_must(tmp_path: Path) -> None:
    loaded = portfolio(
        tmp_path,
        suppliers=[{"id": "kmd", "name": "KMD"}, {"id": "eg", "name": "EG"}],
        systems=[
            {"id": "p1", "name": "P1", "supplier": "kmd"},
            {"id": "p2", "name": "P2", "supplier": "kmd"},
            {"id": "ky", "name": "KY", "supplier": "eg", "monopoly": "ja"},
        ],
        interfaces=[
            {"id": "A", "name": "A", "provider": "p1", "data": "d"},
            {"id": "B", "name": "B", "provider": "p2", "data": "d"},
        ],
        usages=[
            {"interface": "A", "system": "ky", "need": "nice"},
            {"interface": "B", "system": "ky", "need": "must"},
        ],
    )
    result = results(loaded)
    assert {i: r.category.code for i, r in result.items()} == {"A": "kombit-98", "B": "kombit-98"}
    assert result["A"].must_users == ("ky",)
    assert result["A"].nice_users == ("ky",)


def test_a_must_user_that_is_not_a_monopoly_system_does_not_count(tmp_path: Path) -> None:
    loaded = market(tmp_path, [("udtraek", "kmd")], [("datavarehus", "must", False)])
    result = results(loaded)["I-udtraek"]
    assert result.category.code == "municipal"
    assert result.must_users == ()
    assert result.nice_users == ()


def test_non_monopoly_must_beside_monopoly_nice_stays_nice(tmp_path: Path) -> None:
    loaded = market(
        tmp_path,
        [("acadre", "formpipe")],
        [("datavarehus", "must", False), ("sapa", "nice", True)],
    )
    assert codes(loaded) == {"I-acadre": "unclassified"}


def monopoly_provider(folder: Path, user_monopoly: bool | None) -> Portfolio:
    """KMD Dagpenge (monopoly) provides SID270; KMD Essentia uses it (monopoly or not)."""
    systems = [
        {"id": "kmd-dagpenge", "name": "KMD Dagpenge", "supplier": "kmd", "monopoly": "ja"},
        {
            "id": "kmd-essentia",
            "name": "KMD Essentia",
            "supplier": "kmd",
            "monopoly": "ja" if user_monopoly else "nej",
        },
    ]
    usages = (
        []
        if user_monopoly is None
        else [{"interface": "SID270", "system": "kmd-essentia", "need": "skal"}]
    )
    return portfolio(
        folder,
        suppliers=[{"id": "kmd", "name": "KMD"}],
        systems=systems,
        interfaces=[
            {
                "id": "SID270",
                "name": "Posteringsgrænseflade SDP",
                "provider": "kmd-dagpenge",
                "data": "sdp",
            }
        ],
        usages=usages,
    )


def test_a_monopoly_system_providing_an_interface_is_not_a_need(tmp_path: Path) -> None:
    result = results(monopoly_provider(tmp_path, user_monopoly=None))["SID270"]
    assert result.category.code == "municipal"
    assert result.must_users == ()


def test_a_monopoly_provider_with_a_local_user_is_municipal(tmp_path: Path) -> None:
    result = results(monopoly_provider(tmp_path, user_monopoly=False))["SID270"]
    assert result.category.code == "municipal"
    assert result.reasons == (
        "no monopoly system uses an interface carrying data 'sdp'",
        "S = 1: 1 supplier can expose data 'sdp': KMD (kmd) through KMD Dagpenge (both)",
        "KMD Dagpenge (kmd-dagpenge) is a monopoly system but only provides SID270; "
        "providing does not count as a need",
        "rule municipal (Municipality-specific): no monopoly system needs it; it serves the "
        "municipality's own work: negotiates kommune, signs kommune, pays kommune",
    )


def test_a_monopoly_user_of_a_monopoly_provider_counts(tmp_path: Path) -> None:
    result = results(monopoly_provider(tmp_path, user_monopoly=True))["SID270"]
    assert result.category.code == "kombit-98"
    assert result.must_users == ("kmd-essentia",)


# --- per data key --------------------------------------------------------------------------


def test_every_interface_carrying_a_data_key_gets_its_category(tmp_path: Path) -> None:
    # Only the first interface is used, but the alternative carries the same data.
    loaded = market(
        tmp_path, [("opera", "kmd"), ("workbase", "workbase-lev")], [("kmd-aktiv", "nice", True)]
    )
    result = results(loaded)
    assert result["I-workbase"].category.code == "common-nice"
    assert result["I-workbase"].nice_users == ("kmd-aktiv",)
    assert result["I-workbase"].reasons == result["I-opera"].reasons


def test_different_data_keys_are_decided_separately(tmp_path: Path) -> None:
    loaded = portfolio(
        tmp_path,
        suppliers=[{"id": "kmd", "name": "KMD"}, {"id": "eg", "name": "EG"}],
        systems=[
            {"id": "p1", "name": "P1", "supplier": "kmd"},
            {"id": "p2", "name": "P2", "supplier": "eg"},
            {"id": "ky", "name": "KY", "supplier": "eg", "monopoly": "ja"},
        ],
        interfaces=[
            {"id": "A", "name": "A", "provider": "p1", "data": "indkomst"},
            {"id": "B", "name": "B", "provider": "p2", "data": "ledighed"},
        ],
        usages=[{"interface": "A", "system": "ky", "need": "must"}],
    )
    assert codes(loaded) == {"A": "kombit-98", "B": "municipal"}


def test_data_keys_are_case_sensitive(tmp_path: Path) -> None:
    loaded = portfolio(
        tmp_path,
        suppliers=[{"id": "kmd", "name": "KMD"}, {"id": "eg", "name": "EG"}],
        systems=[
            {"id": "p1", "name": "P1", "supplier": "kmd"},
            {"id": "p2", "name": "P2", "supplier": "eg"},
            {"id": "ky", "name": "KY", "supplier": "eg", "monopoly": "ja"},
        ],
        interfaces=[
            {"id": "A", "name": "A", "provider": "p1", "data": "Indkomst"},
            {"id": "B", "name": "B", "provider": "p2", "data": "indkomst"},
        ],
        usages=[{"interface": "A", "system": "ky", "need": "must"}],
    )
    assert codes(loaded) == {"A": "kombit-98", "B": "municipal"}


def test_results_are_sorted_by_interface_id(tmp_path: Path) -> None:
    loaded = market(tmp_path, [("z", "kmd"), ("a", "eg"), ("m", "kmd")], [])
    assert [r.interface for r in categorise(build_graph(loaded))] == ["I-a", "I-m", "I-z"]


def test_to_be_monopoly_users_do_not_count_in_the_as_is_state(tmp_path: Path) -> None:
    loaded = portfolio(
        tmp_path,
        suppliers=[{"id": "kmd", "name": "KMD"}, {"id": "eg", "name": "EG"}],
        systems=[
            {"id": "p", "name": "P", "supplier": "kmd"},
            {"id": "ky", "name": "KY", "supplier": "eg", "monopoly": "ja", "lifecycle": "to-be"},
        ],
        interfaces=[{"id": "A", "name": "A", "provider": "p", "data": "d"}],
        usages=[{"interface": "A", "system": "ky", "need": "must"}],
    )
    full = build_graph(loaded)
    assert [r.category.code for r in categorise(full)] == ["kombit-98"]
    assert [r.category.code for r in categorise(as_is_graph(full))] == ["municipal"]


# --- who negotiates, signs and pays --------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "label", "negotiates", "signs", "pays"),
    [
        ("kombit-98", "98'-potentiale", "KOMBIT", "KOMBIT", "KOMBIT"),
        ("common-must", "Common need – several suppliers (must)", "KOMBIT", "kommune", "kommune"),
        (
            "common-nice",
            "Common need – several suppliers (nice)",
            "kommune (KOMBIT offers)",
            "kommune",
            "kommune",
        ),
        ("municipal", "Municipality-specific", "kommune", "kommune", "kommune"),
        ("unclassified", "Needs a decision", "—", "—", "—"),
    ],
)
def test_each_category_says_who_negotiates_signs_and_pays(
    code: str, label: str, negotiates: str, signs: str, pays: str
) -> None:
    category = CATEGORIES[code]
    assert (category.label, category.negotiates, category.signs, category.pays) == (
        label,
        negotiates,
        signs,
        pays,
    )


def test_categories_are_listed_in_rule_order() -> None:
    assert list(CATEGORIES) == [
        "kombit-98",
        "common-must",
        "common-nice",
        "municipal",
        "unclassified",
    ]


def test_category_counts_list_every_category(tmp_path: Path) -> None:
    loaded = market(tmp_path, [("opus", "kmd"), ("prisme", "fujitsu")], [("ksd", "must", True)])
    assert category_counts(categorise(build_graph(loaded))) == {
        "kombit-98": 0,
        "common-must": 2,
        "common-nice": 0,
        "municipal": 0,
        "unclassified": 0,
    }


# --- reasons name the evidence -------------------------------------------------------------


def test_kombit_98_reasons_name_user_interface_supplier_and_rule(tmp_path: Path) -> None:
    loaded = market(tmp_path, [("udbetaling", "kmd")], [("dagpenge", "must", True)], "udb")
    assert results(loaded)["I-udbetaling"].reasons == (
        "must: monopoly system(s) must use data 'udb': DAGPENGE (dagpenge, both) via I-udbetaling",
        "S = 1: 1 supplier can expose data 'udb': Kmd (kmd) through UDBETALING (both)",
        "rule kombit-98 (98'-potentiale): a monopoly system must use it and only one supplier "
        "can expose the data: negotiates KOMBIT, signs KOMBIT, pays KOMBIT",
    )


def test_common_must_reasons_name_every_supplier_and_the_nice_users_too(
    tmp_path: Path,
) -> None:
    loaded = market(
        tmp_path,
        [("opus", "kmd"), ("prisme", "fujitsu")],
        [("ksd", "must", True), ("sapa", "nice", True)],
        "oeko",
    )
    assert results(loaded)["I-prisme"].reasons == (
        "must: monopoly system(s) must use data 'oeko': KSD (ksd, both) via I-opus",
        "nice: monopoly system(s) also would appreciate data 'oeko': SAPA (sapa, both) via I-opus",
        "S = 2: 2 suppliers can expose data 'oeko': Fujitsu (fujitsu) through PRISME (both), "
        "Kmd (kmd) through OPUS (both)",
        "rule common-must (Common need – several suppliers (must)): a monopoly system must "
        "use it and several suppliers can expose the data: negotiates KOMBIT, signs kommune, "
        "pays kommune",
    )


def test_common_nice_reasons(tmp_path: Path) -> None:
    loaded = market(
        tmp_path, [("acadre", "formpipe"), ("sbsys", "sbsys")], [("sapa", "nice", True)], "esdh"
    )
    assert results(loaded)["I-sbsys"].reasons == (
        "nice: monopoly system(s) would appreciate data 'esdh': SAPA (sapa, both) via I-acadre",
        "S = 2: 2 suppliers can expose data 'esdh': Formpipe (formpipe) through ACADRE (both), "
        "Sbsys (sbsys) through SBSYS (both)",
        "rule common-nice (Common need – several suppliers (nice)): a monopoly "
        "system would appreciate it and several suppliers can expose the data: negotiates "
        "kommune (KOMBIT offers), signs kommune, pays kommune",
    )


def test_unclassified_reasons_say_the_rules_do_not_cover_it(tmp_path: Path) -> None:
    loaded = market(tmp_path, [("acadre", "formpipe")], [("sapa", "nice", True)], "esdh")
    assert results(loaded)["I-acadre"].reasons == (
        "nice: monopoly system(s) would appreciate data 'esdh': SAPA (sapa, both) via I-acadre",
        "S = 1: 1 supplier can expose data 'esdh': Formpipe (formpipe) through ACADRE (both)",
        "rule unclassified (Needs a decision): a monopoly system would appreciate it but only "
        "one supplier can expose the data; the rules do not cover this case, so it needs a "
        "decision: negotiates —, signs —, pays —",
    )


def test_a_user_of_two_interfaces_is_named_once_with_both(tmp_path: Path) -> None:
    loaded = portfolio(
        tmp_path,
        suppliers=[{"id": "kmd", "name": "KMD"}],
        systems=[
            {"id": "p", "name": "P", "supplier": "kmd"},
            {"id": "kmd-sag", "name": "KMD Sag", "supplier": "kmd", "monopoly": "ja"},
        ],
        interfaces=[
            {"id": "2008", "name": "Modtag hændelse (TSA)", "provider": "p", "data": "tsa"},
            {"id": "2009", "name": "Modtag hændelse (TSA)", "provider": "p", "data": "tsa"},
        ],
        usages=[
            {"interface": "2009", "system": "kmd-sag", "need": "skal"},
            {"interface": "2008", "system": "kmd-sag", "need": "skal"},
        ],
    )
    assert results(loaded)["2008"].reasons[0] == (
        "must: monopoly system(s) must use data 'tsa': KMD Sag (kmd-sag, both) via 2008, 2009"
    )


def test_reasons_name_at_most_ten_users_then_count_the_rest() -> None:
    uses = tuple(Use(f"s{n:02d}", f"S{n:02d}", "I") for n in range(12))
    evidence = DataEvidence("d", uses, (), (Source("kmd", "KMD", "p", "P", "I"),))
    decision = decide(evidence)
    assert decision.category.code == "kombit-98"
    assert decision.reasons[0] == (
        "must: monopoly system(s) must use data 'd': "
        + ", ".join(f"S{n:02d} (s{n:02d}, both) via I" for n in range(10))
        + " and 2 more"
    )


def test_data_no_supplier_can_expose_is_unclassified() -> None:
    evidence = DataEvidence("d", (Use("ky", "KY", "I"),), (), ())
    decision = decide(evidence)
    assert decision.category.code == "unclassified"
    assert decision.reasons == (
        "must: monopoly system(s) must use data 'd': KY (ky, both) via I",
        "S = 0: 0 suppliers can expose data 'd'",
        "rule unclassified (Needs a decision): no supplier can expose the data; the rules do "
        "not cover this case: negotiates —, signs —, pays —",
    )


def test_json_object_holds_the_documented_keys(tmp_path: Path) -> None:
    loaded = market(tmp_path, [("udbetaling", "kmd")], [("dagpenge", "must", True)], "udb")
    assert results(loaded)["I-udbetaling"].to_json() == {
        "interface": "I-udbetaling",
        "name": "Interface of udbetaling",
        "data": "udb",
        "provider": "udbetaling",
        "category": "kombit-98",
        "label": "98'-potentiale",
        "negotiates": "KOMBIT",
        "signs": "KOMBIT",
        "pays": "KOMBIT",
        "supplier_count": 1,
        "suppliers": ["kmd"],
        "must_users": ["dagpenge"],
        "nice_users": [],
        "reasons": [
            "must: monopoly system(s) must use data 'udb': DAGPENGE (dagpenge, both) via "
            "I-udbetaling",
            "S = 1: 1 supplier can expose data 'udb': Kmd (kmd) through UDBETALING (both)",
            "rule kombit-98 (98'-potentiale): a monopoly system must use it and only one "
            "supplier can expose the data: negotiates KOMBIT, signs KOMBIT, pays KOMBIT",
        ],
        "assumptions": [],
    }


# --- properties: the rules against an independent reading of the table --------------------


def expected_code(must: bool, nice: bool, supplier_count: int) -> str:
    """The seed's table, read directly."""
    if must:
        return {0: "unclassified", 1: "kombit-98"}.get(supplier_count, "common-must")
    if nice:
        return "common-nice" if supplier_count >= 2 else "unclassified"
    return "municipal"


@st.composite
def random_portfolios(draw: st.DrawFn) -> Portfolio:
    suppliers = [Supplier(id=f"s{n}", name=f"S{n}") for n in range(3)]
    systems = [
        System(
            id=f"y{n}",
            name=f"Y{n}",
            supplier=draw(st.sampled_from(["s0", "s1", "s2"])),
            monopoly=draw(st.booleans()),
        )
        for n in range(draw(st.integers(1, 5)))
    ]
    system_ids = [s.id for s in systems]
    interfaces = [
        Interface(
            id=f"i{n}",
            name=f"I{n}",
            provider=draw(st.sampled_from(system_ids)),
            data=draw(st.sampled_from(["d0", "d1", "d2"])),
        )
        for n in range(draw(st.integers(1, 6)))
    ]
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from([i.id for i in interfaces]), st.sampled_from(system_ids)),
            unique=True,
            max_size=8,
        )
    )
    usages = [
        Usage(interface=i, system=s, need=draw(st.sampled_from(["must", "nice"]))) for i, s in pairs
    ]
    return Portfolio(
        source="generated",
        suppliers=tuple(suppliers),
        systems=tuple(systems),
        interfaces=tuple(interfaces),
        usages=tuple(usages),
    )


@settings(max_examples=200, deadline=None)
@given(random_portfolios())
def test_every_interface_gets_the_category_the_table_gives_its_data(loaded: Portfolio) -> None:
    systems = loaded.system_by_id
    for result in categorise(build_graph(loaded)):
        carrying = {i.id for i in loaded.interfaces if i.data == result.data}
        suppliers = {systems[i.provider].supplier for i in loaded.interfaces if i.id in carrying}
        needs = {
            u.need for u in loaded.usages if u.interface in carrying and systems[u.system].monopoly
        }
        assert result.suppliers == tuple(sorted(suppliers))
        assert result.category.code == expected_code(
            "must" in needs, "nice" in needs, len(suppliers)
        )
        assert result.reasons[-1].startswith(f"rule {result.category.code} ")


@given(
    must=st.lists(st.sampled_from(["a", "b", "c"]), max_size=3),
    nice=st.lists(st.sampled_from(["a", "b", "c"]), max_size=3),
    sources=st.lists(
        st.tuples(st.sampled_from(["kmd", "eg", "sap"]), st.sampled_from("pqrs")), max_size=5
    ),
)
def test_decide_follows_the_table_and_names_every_user_and_supplier(
    must: list[str], nice: list[str], sources: list[tuple[str, str]]
) -> None:
    evidence = DataEvidence(
        "d",
        tuple(sorted({Use(s, s.upper(), "I") for s in must})),
        tuple(sorted({Use(s, s.upper(), "I") for s in nice})),
        tuple(sorted({Source(sup, sup.upper(), sys, sys.upper(), "I") for sup, sys in sources})),
    )
    decision = decide(evidence)
    suppliers = {sup for sup, _ in sources}
    assert decision.category.code == expected_code(bool(must), bool(nice), len(suppliers))
    text = " ".join(decision.reasons)
    for system in {*must, *nice}:
        assert f"({system}, both)" in text
    for supplier in suppliers:
        assert f"({supplier})" in text
    assert f"S = {len(suppliers)}: " in text


def test_an_interface_with_two_replacers_as_providers_counts_both_suppliers(
    tmp_path: Path,
) -> None:
    from snitgraf.analysis.transition import to_be_graph

    loaded = portfolio(
        tmp_path,
        suppliers=[{"id": s, "name": s.upper()} for s in ("s-old", "s-b", "s-c", "s-m")],
        systems=[
            {"id": "old", "name": "Old", "supplier": "s-old", "lifecycle": "as-is"},
            {"id": "c", "name": "C", "supplier": "s-c", "lifecycle": "to-be", "replaces": "old"},
            {"id": "b", "name": "B", "supplier": "s-b", "lifecycle": "to-be", "replaces": "old"},
            {"id": "m", "name": "M", "supplier": "s-m", "monopoly": "ja"},
        ],
        interfaces=[{"id": "I", "name": "I", "provider": "old", "data": "d"}],
        usages=[{"interface": "I", "system": "m", "need": "must"}],
    )
    [result] = categorise(to_be_graph(build_graph(loaded)))
    assert (result.provider, result.suppliers, result.category.code) == (
        "b",
        ("s-b", "s-c"),
        "common-must",
    )
