"""The TO-BE rule and the gap, on small hand-drawn portfolios and on the sample data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from snitgraf.analysis.transition import gap, state_graph, to_be_graph
from snitgraf.assessment import Assessment
from snitgraf.graph import build_graph, edges, nodes
from snitgraf.loader import load_portfolio
from snitgraf.model import Interface, Portfolio, Supplier, System, Usage
from snitgraf.municipality import municipality_graph
from snitgraf.schema import Label, Rel
from tests.portfolios import SAMPLE, portfolio
from tests.scenarios import SUPPLIERS, replacement_systems, transition_portfolio


def edge_set(graph: nx.MultiDiGraph, rel: Rel) -> set[tuple[str, str]]:
    return {(s[1], t[1]) for s, t, _ in edges(graph, rel)}


def ids(graph: nx.MultiDiGraph, label: Label) -> set[str]:
    return {attrs["id"] for _, attrs in nodes(graph, label)}


def by_interface(rows: list[Any]) -> dict[str, Any]:
    return {r.interface: r for r in rows}


# --- to_be_graph ----------------------------------------------------------------------------


def test_to_be_keeps_to_be_and_both_systems_only(tmp_path: Path) -> None:
    to_be = to_be_graph(transition_portfolio(tmp_path))
    assert ids(to_be, Label.SYSTEM) == {"new", "eco", "local", "infra"}


def test_uses_and_provides_of_a_replaced_system_pass_to_its_replacer(tmp_path: Path) -> None:
    to_be = to_be_graph(transition_portfolio(tmp_path))
    assert edge_set(to_be, Rel.USES) == {
        ("new", "I-ECO"),
        ("local", "I-OLD"),
        ("new", "I-INFRA"),
        ("local", "I-KEEP"),
    }
    assert edge_set(to_be, Rel.PROVIDES) == {
        ("eco", "I-ECO"),
        ("new", "I-OLD"),
        ("infra", "I-INFRA"),
        ("eco", "I-KEEP"),
    }


def test_repointed_edges_carry_repointed_from_and_keep_their_need(tmp_path: Path) -> None:
    to_be = to_be_graph(transition_portfolio(tmp_path))
    uses = {(s[1], i[1]): a for s, i, a in edges(to_be, Rel.USES)}
    provides = {(s[1], i[1]): a for s, i, a in edges(to_be, Rel.PROVIDES)}
    assert uses[("new", "I-ECO")]["repointed_from"] == "old"
    assert uses[("new", "I-ECO")]["need"] == "must"
    assert provides[("new", "I-OLD")]["repointed_from"] == "old"
    assert "repointed_from" not in uses[("new", "I-INFRA")]
    assert to_be.nodes[("Interface", "I-OLD")]["provider"] == "new"


def test_a_stated_to_be_interface_for_the_same_data_supersedes_repointing(tmp_path: Path) -> None:
    to_be = to_be_graph(transition_portfolio(tmp_path))
    assert ("new", "I-INC") not in edge_set(to_be, Rel.USES)
    assert "I-INC" not in ids(to_be, Label.INTERFACE)


def test_retired_interfaces_leave_with_their_contracts_and_data(tmp_path: Path) -> None:
    to_be = to_be_graph(transition_portfolio(tmp_path))
    assert ids(to_be, Label.INTERFACE) == {"I-ECO", "I-OLD", "I-INFRA", "I-KEEP"}
    assert ids(to_be, Label.CONTRACT) == {"K-ECO"}
    assert ids(to_be, Label.DATA) == {"eco", "extract", "income", "keep"}
    assert edge_set(to_be, Rel.WITH) == {("K-ECO", "fuj")}


def test_state_graph_to_be_is_the_derived_graph(tmp_path: Path) -> None:
    graph = transition_portfolio(tmp_path)
    derived = state_graph(graph, "to-be")
    assert edge_set(derived, Rel.USES) == edge_set(to_be_graph(graph), Rel.USES)


def test_to_be_graph_is_pure_and_keeps_the_schema(tmp_path: Path) -> None:
    graph = transition_portfolio(tmp_path)
    before = nx.to_dict_of_dicts(graph)
    to_be = to_be_graph(graph)
    assert nx.to_dict_of_dicts(graph) == before
    assert {a["type"] for _, _, a in to_be.edges(data=True)} <= {r.value for r in Rel}
    assert all("label" in a and "id" in a for _, a in to_be.nodes(data=True))


def test_a_chain_of_replacements_ends_at_the_to_be_system(tmp_path: Path) -> None:
    graph = build_graph(
        portfolio(
            tmp_path,
            suppliers=SUPPLIERS,
            systems=[
                {"id": "a", "name": "A", "supplier": "kmd", "lifecycle": "as-is"},
                {"id": "b", "name": "B", "supplier": "kmd", "lifecycle": "as-is", "replaces": "a"},
                {"id": "c", "name": "C", "supplier": "eg", "lifecycle": "to-be", "replaces": "b"},
                {"id": "p", "name": "P", "supplier": "fuj"},
            ],
            interfaces=[{"id": "I", "name": "I", "provider": "p", "data": "d"}],
            usages=[{"interface": "I", "system": "a", "need": "must"}],
        )
    )
    uses = {(s[1], i[1]): a for s, i, a in edges(to_be_graph(graph), Rel.USES)}
    assert uses == {("c", "I"): {"type": "USES", "need": "must", "repointed_from": "a"}}


def test_several_replacers_each_take_the_role(tmp_path: Path) -> None:
    graph = build_graph(
        portfolio(
            tmp_path,
            suppliers=SUPPLIERS,
            systems=[
                {"id": "a", "name": "A", "supplier": "kmd", "lifecycle": "as-is"},
                {"id": "x", "name": "X", "supplier": "eg", "lifecycle": "to-be", "replaces": "a"},
                {"id": "y", "name": "Y", "supplier": "eg", "lifecycle": "to-be", "replaces": "a"},
                {"id": "p", "name": "P", "supplier": "fuj"},
            ],
            interfaces=[{"id": "I", "name": "I", "provider": "p", "data": "d"}],
            usages=[{"interface": "I", "system": "a", "need": "nice"}],
        )
    )
    assert edge_set(to_be_graph(graph), Rel.USES) == {("x", "I"), ("y", "I")}


def test_two_replaced_users_merge_into_one_edge_with_the_strongest_need(tmp_path: Path) -> None:
    graph = build_graph(
        portfolio(
            tmp_path,
            suppliers=SUPPLIERS,
            systems=[
                {"id": "a", "name": "A", "supplier": "kmd", "lifecycle": "as-is"},
                {"id": "b", "name": "B", "supplier": "kmd", "lifecycle": "as-is"},
                {"id": "x", "name": "X", "supplier": "eg", "lifecycle": "to-be", "replaces": "a|b"},
                {"id": "p", "name": "P", "supplier": "fuj"},
            ],
            interfaces=[{"id": "I", "name": "I", "provider": "p", "data": "d"}],
            usages=[
                {"interface": "I", "system": "a", "need": "nice"},
                {"interface": "I", "system": "b", "need": "must"},
            ],
        )
    )
    uses = [(s[1], i[1], a) for s, i, a in edges(to_be_graph(graph), Rel.USES)]
    assert uses == [("x", "I", {"type": "USES", "need": "must", "repointed_from": "b"})]


def test_a_replacer_that_already_provides_the_data_does_not_take_the_provider_role(
    tmp_path: Path,
) -> None:
    graph = build_graph(
        portfolio(
            tmp_path,
            suppliers=SUPPLIERS,
            systems=[
                {"id": "a", "name": "A", "supplier": "kmd", "lifecycle": "as-is"},
                {"id": "x", "name": "X", "supplier": "eg", "lifecycle": "to-be", "replaces": "a"},
                {"id": "u", "name": "U", "supplier": "fuj"},
            ],
            interfaces=[
                {"id": "I-A", "name": "Old", "provider": "a", "data": "d"},
                {"id": "I-X", "name": "New", "provider": "x", "data": "d"},
            ],
            usages=[{"interface": "I-A", "system": "u", "need": "must"}],
        )
    )
    rows = by_interface(gap(graph))
    assert rows["I-A"].status == "retired"
    assert [(m.role, m.kind, m.to_system) for m in rows["I-A"].moves] == [
        ("provider", "superseded", "x")
    ]
    assert (
        rows["I-A"].reasons[1]
        == "u stay(s) in TO-BE and still use(s) data 'd': use I-X (same data in TO-BE)"
    )
    assert rows["I-X"].status == "new"


def test_deployments_of_a_replaced_system_pass_to_its_replacer(tmp_path: Path) -> None:
    graph = transition_portfolio(
        tmp_path,
        municipalities=[{"code": "101", "name": "København"}],
        deployments=[
            {"municipality": "101", "system": "old"},
            {"municipality": "101", "system": "eco"},
        ],
    )
    found = edges(to_be_graph(graph), Rel.DEPLOYS)
    deploys = {(m[1], s[1], a.get("repointed_from")) for m, s, a in found}
    assert deploys == {("101", "new", "old"), ("101", "eco", None)}


# --- gap ------------------------------------------------------------------------------------


def test_gap_gives_every_interface_once_with_its_status(tmp_path: Path) -> None:
    rows = gap(transition_portfolio(tmp_path))
    assert [(r.interface, r.status) for r in rows] == [
        ("I-KEEP", "kept"),
        ("I-ECO", "repointed"),
        ("I-OLD", "repointed"),
        ("I-GONE", "retired"),
        ("I-INC", "retired"),
        ("I-INFRA", "new"),
    ]


def test_gap_names_which_role_moved_from_which_system_to_which(tmp_path: Path) -> None:
    rows = by_interface(gap(transition_portfolio(tmp_path)))
    assert [m.to_json() | {"reason": ""} for m in rows["I-ECO"].moves] == [
        {"role": "user", "from": "old", "to": "new", "kind": "moved", "need": "must", "reason": ""}
    ]
    assert rows["I-ECO"].reasons[0] == "repointed: user old -> new"
    assert [(m.role, m.from_system, m.to_system) for m in rows["I-OLD"].moves] == [
        ("provider", "old", "new")
    ]


def test_gap_explains_why_an_interface_retires(tmp_path: Path) -> None:
    rows = by_interface(gap(transition_portfolio(tmp_path)))
    assert rows["I-GONE"].reasons[:2] == (
        "retired: no system provides it in TO-BE",
        "the need does not go away: new (must) took over the use but nothing provides data "
        "'gone' through this interface in TO-BE; find another source",
    )
    assert [(m.role, m.kind) for m in rows["I-GONE"].moves] == [
        ("provider", "dropped"),
        ("user", "moved"),
    ]
    assert rows["I-INC"].reasons[0] == "retired: no system uses it in TO-BE"
    assert "already uses I-INFRA carrying the same data" in rows["I-INC"].reasons[1]


def test_gap_rows_carry_the_one_category_in_each_state_they_are_in_and_contracts(
    tmp_path: Path,
) -> None:
    rows = by_interface(gap(transition_portfolio(tmp_path)))
    assert (rows["I-ECO"].category_as_is, rows["I-ECO"].category_to_be) == (
        "kombit-98",
        "kombit-98",
    )
    # Data 'income' has two suppliers over the whole transition: local (kmd, AS-IS) and
    # infra (kombit, TO-BE), so both interfaces carrying it are common-must.
    assert (rows["I-INC"].category_as_is, rows["I-INC"].category_to_be) == ("common-must", None)
    assert (rows["I-INFRA"].category_as_is, rows["I-INFRA"].category_to_be) == (
        None,
        "common-must",
    )
    assert (rows["I-OLD"].category_as_is, rows["I-OLD"].category_to_be) == (
        "municipal",
        "municipal",
    )
    assert [c.to_json() for c in rows["I-ECO"].contracts] == [
        {"id": "K-ECO", "supplier": "fuj", "expires": "2016", "annual_cost_dkk": 1000}
    ]


def test_a_new_supplier_in_to_be_counts_for_the_one_category_of_both_states(
    tmp_path: Path,
) -> None:
    graph = transition_portfolio(
        tmp_path,
        systems=[
            *replacement_systems("2017-06"),
            {"id": "eco", "name": "Eco", "supplier": "fuj"},
            {"id": "eco2", "name": "Eco 2", "supplier": "kombit", "lifecycle": "to-be"},
            {"id": "local", "name": "Local", "supplier": "kmd"},
        ],
        interfaces=[
            {"id": "I-ECO", "name": "Eco", "provider": "eco", "data": "eco"},
            {"id": "I-ECO2", "name": "Eco 2", "provider": "eco2", "data": "eco"},
        ],
        usages=[
            {"interface": "I-ECO", "system": "old", "need": "must"},
            {"interface": "I-ECO2", "system": "local", "need": "must"},
        ],
        contracts=[],
    )
    row = by_interface(gap(graph))["I-ECO"]
    assert (row.category_as_is, row.category_to_be, row.category_changed) == (
        "common-must",
        "common-must",
        False,
    )
    assert row.reasons[-1].startswith("category: rule common-must ")


def test_gap_json_has_the_contract_keys(tmp_path: Path) -> None:
    row = gap(transition_portfolio(tmp_path))[0].to_json()
    assert {
        "interface",
        "status",
        "category_as_is",
        "category_to_be",
        "contracts",
        "moves",
        "reasons",
    } <= set(row)


def test_an_interface_nobody_uses_stays_with_its_provider(tmp_path: Path) -> None:
    graph = transition_portfolio(
        tmp_path,
        interfaces=[{"id": "I-IDLE", "name": "Idle", "provider": "eco", "data": "idle"}],
        usages=[],
        contracts=[],
    )
    row = by_interface(gap(graph))["I-IDLE"]
    assert row.status == "kept"
    assert row.reasons == (
        "kept: no system uses it in any state; it stays with its provider",
        "category: rule municipal (Municipality-specific): no monopoly system needs it; it serves "
        "the municipality's own work: negotiates kommune, signs kommune, pays kommune",
    )


# --- sample data ----------------------------------------------------------------------------


def sample_gap() -> dict[str, Any]:
    return by_interface(gap(build_graph(load_portfolio(SAMPLE))))


def test_sample_stated_to_be_interfaces_supersede_the_kmd_ones() -> None:
    rows = sample_gap()
    assert rows["SID027"].status == "retired"
    assert {(m.from_system, m.to_system, m.kind) for m in rows["SID027"].moves} == {
        ("kmd-aktiv", "ky", "superseded"),
        ("kmd-dagpenge", "ksd", "superseded"),
    }
    assert rows["SID026"].status == "retired"
    assert (rows["SF0770_A"].status, rows["SF0770_A"].users_to_be) == ("new", ("ksd", "ky"))
    assert (rows["SF1490"].status, rows["SF1490"].users_to_be) == ("new", ("ksd", "sapa"))


def test_sample_statuses() -> None:
    rows = sample_gap()
    counts: dict[str, int] = {}
    for row in rows.values():
        counts[row.status] = counts.get(row.status, 0) + 1
    assert counts == {"kept": 2, "repointed": 31, "retired": 4, "new": 2}
    assert rows["SID001"].users_to_be == ("ksd",)
    assert rows["SID006"].users_to_be == ("ksd", "ky")
    assert rows["SID153"].providers_to_be == ("ky",)
    assert rows["SID154"].reasons[0] == "retired: no system provides it in TO-BE"


# --- properties -----------------------------------------------------------------------------

LIFECYCLES = ("as-is", "to-be", "both")


@st.composite
def random_portfolio(draw: st.DrawFn) -> Portfolio:
    """A small random portfolio, REPLACES cycles and self-use included."""
    n = draw(st.integers(2, 7))
    systems = [f"s{i}" for i in range(n)]
    lifecycles = [draw(st.sampled_from(LIFECYCLES)) for _ in systems]
    interfaces = [
        (f"i{k}", draw(st.sampled_from(systems)), draw(st.sampled_from(("d0", "d1", "d2"))))
        for k in range(draw(st.integers(1, 6)))
    ]
    usages = draw(
        st.lists(
            st.tuples(
                st.sampled_from([i for i, _, _ in interfaces]),
                st.sampled_from(systems),
                st.sampled_from(("must", "nice")),
            ),
            max_size=10,
            unique_by=lambda u: (u[0], u[1]),
        )
    )
    return Portfolio(
        source="random",
        suppliers=tuple(Supplier(id=s, name=s) for s in ("a", "b", "c")),
        systems=tuple(
            System(
                id=s,
                name=s.upper(),
                supplier=draw(st.sampled_from(("a", "b", "c"))),
                monopoly=draw(st.booleans()),
                lifecycle=lifecycle,
                replaces=tuple(
                    draw(st.lists(st.sampled_from(systems), max_size=2, unique=True))
                    if lifecycle == "to-be"
                    else ()
                ),
            )
            for s, lifecycle in zip(systems, lifecycles, strict=True)
        ),
        interfaces=tuple(Interface(id=i, name=i, provider=p, data=d) for i, p, d in interfaces),
        usages=tuple(Usage(interface=i, system=s, need=need) for i, s, need in usages),
    )


@settings(max_examples=150, deadline=None)
@given(random_portfolio())
def test_to_be_invariants_hold_on_any_portfolio(generated: Portfolio) -> None:
    graph = build_graph(generated)
    to_be = to_be_graph(graph)
    lifecycle = {s.id: s.lifecycle for s in generated.systems}
    assert all(lifecycle[s] != "as-is" for s in ids(to_be, Label.SYSTEM))
    providers = {i for _, i in edge_set(to_be, Rel.PROVIDES)}
    users = {i for _, i in edge_set(to_be, Rel.USES)}
    ever_used = {u.interface for u in generated.usages}
    for interface in ids(to_be, Label.INTERFACE):
        assert interface in providers
        assert interface in users or interface not in ever_used
    for _system, _interface, attrs in edges(to_be, Rel.USES):
        if "repointed_from" in attrs:
            assert lifecycle[attrs["repointed_from"]] == "as-is"
    rows = gap(graph)
    assert sorted(r.interface for r in rows) == sorted(i.id for i in generated.interfaces)
    for row in rows:
        assert (row.status in ("kept", "repointed", "new")) == (
            row.interface in ids(to_be, Label.INTERFACE)
        )
        assert (row.status == "repointed") == (
            row.in_as_is and row.in_to_be and any(m.kind == "moved" for m in row.moves)
        )


# --- one municipality -----------------------------------------------------------------------


def two_municipalities(folder: Path) -> nx.MultiDiGraph:
    """Both municipalities run OLD; 101 runs ECO1 (Fujitsu), 102 runs ECO2 (KMD), both carry
    data 'eco' that OLD must use. NEW replaces OLD and nobody lists it as deployed."""
    return build_graph(
        portfolio(
            folder,
            suppliers=SUPPLIERS,
            systems=[
                *replacement_systems("2017"),
                {"id": "eco1", "name": "Eco 1", "supplier": "fuj"},
                {"id": "eco2", "name": "Eco 2", "supplier": "kmd"},
            ],
            interfaces=[
                {"id": "I-E1", "name": "Eco 1", "provider": "eco1", "data": "eco"},
                {"id": "I-E2", "name": "Eco 2", "provider": "eco2", "data": "eco"},
            ],
            usages=[
                {"interface": "I-E1", "system": "old", "need": "must", "municipality": "101"},
                {"interface": "I-E2", "system": "old", "need": "must", "municipality": "102"},
            ],
            municipalities=[{"code": "101", "name": "A"}, {"code": "102", "name": "B"}],
            deployments=[
                {"municipality": "101", "system": "old"},
                {"municipality": "101", "system": "eco1"},
                {"municipality": "102", "system": "old"},
                {"municipality": "102", "system": "eco2"},
            ],
        )
    )


def test_one_municipality_gets_its_replacers_and_the_catalogue_categories(tmp_path: Path) -> None:
    catalogue = two_municipalities(tmp_path)
    local = municipality_graph(catalogue, "101")
    assert ("System", "new") not in local
    with Assessment.open(str(tmp_path), municipality="101") as assessment:
        rows = assessment.gap
    assert [(r.interface, r.status, r.category_as_is, r.category_to_be) for r in rows] == [
        ("I-E1", "repointed", "common-must", "common-must")
    ]
    assert [(m.from_system, m.to_system, m.kind) for m in rows[0].moves] == [
        ("old", "new", "moved")
    ]


def test_plan_budget_and_impact_run_for_one_municipality(tmp_path: Path) -> None:
    two_municipalities(tmp_path)
    with Assessment.open(str(tmp_path), municipality="101", today=date(2014, 5, 1)) as assessment:
        [action] = assessment.plan
        result = assessment.impact("old")
        budget_101 = assessment.budget_for(2016, 2017)
    assert (action.action, action.interface, action.actor, action.due) == (
        "negotiate",
        "I-E1",
        "KOMBIT",
        "2017",
    )
    assert result.scenario == "planned"
    assert [
        (i.interface, i.category_before, i.category_after, i.status_after)
        for i in result.affected_interfaces
    ] == [("I-E1", "common-must", "common-must", "repointed")]
    assert budget_101.row(2017, "to-be").uncontracted == ("I-E1",)


def test_usages_of_several_municipalities_move_separately(tmp_path: Path) -> None:
    graph = transition_portfolio(
        tmp_path,
        usages=[
            {"interface": "I-ECO", "system": "old", "need": "must", "municipality": "101"},
            {"interface": "I-ECO", "system": "old", "need": "nice", "municipality": "102"},
        ],
        contracts=[],
    )
    uses = sorted(
        (s[1], i[1], a["municipality"], a["need"], a["repointed_from"])
        for s, i, a in edges(to_be_graph(graph), Rel.USES)
    )
    assert uses == [("new", "I-ECO", "101", "must", "old"), ("new", "I-ECO", "102", "nice", "old")]
    row = by_interface(gap(graph))["I-ECO"]
    assert [(m.from_system, m.to_system, m.need) for m in row.moves] == [
        ("old", "new", "must"),
        ("old", "new", "nice"),
    ]
