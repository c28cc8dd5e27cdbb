"""Impact analysis: transitive dependents (cycles, depth), roles, contracts, actors and cost."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snitgraf.analysis.impact import (
    _gather_impact_reference,
    compute_impact,
    dependents,
    gather_impact,
    impact,
    resolve_system,
)
from snitgraf.analysis.transition import derive, derive_around, role_index
from snitgraf.generate import generate
from snitgraf.graph import build_graph, edges, nodes
from snitgraf.loader import load_portfolio
from snitgraf.model import Interface, Portfolio, Supplier, System, Usage
from snitgraf.municipality import municipality_graph
from snitgraf.problems import SnitgrafError
from snitgraf.schema import Label, Rel
from tests.portfolios import SAMPLE, portfolio
from tests.scenarios import SUPPLIERS, transition_portfolio


def chain(folder: Path, links: list[tuple[str, str]], systems: str = "abcd") -> nx.MultiDiGraph:
    """Each (provider, user) link: interface I-<provider><user> provided by one, used by the
    other; every system is `both`."""
    return build_graph(
        portfolio(
            folder,
            suppliers=SUPPLIERS,
            systems=[{"id": s, "name": s.upper(), "supplier": "kmd"} for s in systems],
            interfaces=[
                {"id": f"I-{p}{u}", "name": f"{p} to {u}", "provider": p, "data": f"{p}{u}"}
                for p, u in links
            ],
            usages=[{"interface": f"I-{p}{u}", "system": u, "need": "must"} for p, u in links],
        )
    )


def affected(result: Any) -> list[tuple[str, int, tuple[str, ...]]]:
    return [(s.system, s.distance, s.path) for s in result.affected_systems]


# --- dependents ------------------------------------------------------------------------------


def test_a_cycle_a_uses_b_uses_a_ends(tmp_path: Path) -> None:
    graph = chain(tmp_path, [("a", "b"), ("b", "a")], systems="ab")
    assert affected(impact(graph, "a")) == [("b", 1, ("a", "I-ab", "b"))]
    assert affected(impact(graph, "b")) == [("a", 1, ("b", "I-ba", "a"))]


def test_dependents_are_found_transitively_with_distance_and_path(tmp_path: Path) -> None:
    graph = chain(tmp_path, [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")])
    assert affected(impact(graph, "a")) == [
        ("b", 1, ("a", "I-ab", "b")),
        ("c", 2, ("a", "I-ab", "b", "I-bc", "c")),
        ("d", 3, ("a", "I-ab", "b", "I-bc", "c", "I-cd", "d")),
    ]


def test_depth_limits_the_hops(tmp_path: Path) -> None:
    graph = chain(tmp_path, [("a", "b"), ("b", "c"), ("c", "d")])
    assert [s for s, _, _ in affected(impact(graph, "a", depth=1))] == ["b"]
    assert [s for s, _, _ in affected(impact(graph, "a", depth=2))] == ["b", "c"]
    assert affected(impact(graph, "a", depth=0)) == []


def test_the_shortest_path_wins(tmp_path: Path) -> None:
    graph = chain(tmp_path, [("a", "b"), ("b", "c"), ("a", "c")], systems="abc")
    assert affected(impact(graph, "a")) == [
        ("b", 1, ("a", "I-ab", "b")),
        ("c", 1, ("a", "I-ac", "c")),
    ]


def test_dependents_work_on_plain_data() -> None:
    provides = [("a", "I1"), ("b", "I2")]
    uses = [("b", "I1", "must"), ("a", "I2", "nice"), ("c", "I2", "must")]
    assert dependents(provides, uses, "a") == [
        ("b", 1, ("a", "I1", "b")),
        ("c", 2, ("a", "I1", "b", "I2", "c")),
    ]


def test_a_negative_depth_is_an_error(tmp_path: Path) -> None:
    graph = chain(tmp_path, [("a", "b")], systems="ab")
    with pytest.raises(SnitgrafError, match="depth must be 0 or more"):
        impact(graph, "a", depth=-1)


# --- resolving ------------------------------------------------------------------------------


def test_a_system_is_found_by_id_or_exact_name(tmp_path: Path) -> None:
    graph = transition_portfolio(tmp_path)
    assert resolve_system(graph, "old") == "old"
    assert resolve_system(graph, "Old") == "old"
    assert impact(graph, "Old", replaced_by="New").replaced_by == ("new",)


def test_an_unknown_system_lists_the_closest(tmp_path: Path) -> None:
    graph = transition_portfolio(tmp_path)
    with pytest.raises(SnitgrafError) as error:
        impact(graph, "olt")
    assert str(error.value) == "unknown system 'olt'; closest: old (Old), local (Local)"


def test_a_system_cannot_replace_itself(tmp_path: Path) -> None:
    with pytest.raises(SnitgrafError, match="cannot replace itself"):
        impact(transition_portfolio(tmp_path), "old", replaced_by="old")


# --- the replacement ------------------------------------------------------------------------


def test_the_replacement_defaults_to_the_portfolio(tmp_path: Path) -> None:
    result = impact(transition_portfolio(tmp_path), "old")
    assert (result.replaced_by, result.replacement_source) == (("new",), "portfolio")


def test_without_replacement_the_roles_are_dropped(tmp_path: Path) -> None:
    result = impact(transition_portfolio(tmp_path), "gone")
    assert (result.replaced_by, result.replacement_source) == ((), "none")
    [item] = result.affected_interfaces
    assert (item.interface, item.role, item.status_after, item.role_after) == (
        "I-GONE",
        "provides",
        "retired",
        "dropped",
    )
    assert affected(result) == [
        ("old", 1, ("gone", "I-GONE", "old")),
        ("local", 2, ("gone", "I-GONE", "old", "I-OLD", "local")),
    ]


def test_affected_interfaces_say_role_need_and_what_happens(tmp_path: Path) -> None:
    result = impact(transition_portfolio(tmp_path), "old", replaced_by="new")
    rows = [
        (i.interface, i.role, i.need, i.status_after, i.role_after, i.moved_to, i.negotiates)
        for i in result.affected_interfaces
    ]
    assert rows == [
        ("I-ECO", "uses", "must", "repointed", "moved", ("new",), "KOMBIT"),
        ("I-GONE", "uses", "must", "repointed", "moved", ("new",), "KOMBIT"),
        ("I-INC", "uses", "must", "retired", "superseded", (), "—"),
        ("I-OLD", "provides", None, "repointed", "moved", ("new",), "kommune"),
    ]
    assert affected(result) == [("local", 1, ("old", "I-OLD", "local"))]


def test_contracts_get_their_action_and_payer(tmp_path: Path) -> None:
    result = impact(transition_portfolio(tmp_path), "old")
    rows = [(c.contract.id, c.actions, c.due, c.payer) for c in result.contracts]
    assert rows == [
        ("K-ECO", ("extend-until-go-live", "negotiate"), "2016", "KOMBIT"),
        ("K-INC", ("give-notice",), "2018", "kommune"),
    ]
    assert result.contracts[1].reasons[0] == (
        "the TO-BE retires I-INC: give notice on contract K-INC by 2018"
    )


def test_cost_at_stake_in_total_and_per_payer_counts_unknown_costs(tmp_path: Path) -> None:
    graph = transition_portfolio(
        tmp_path,
        contracts=[
            {
                "id": "K-ECO",
                "interface": "I-ECO",
                "supplier": "fuj",
                "expires": "2016",
                "annual_cost_dkk": "1000",
            },
            {
                "id": "K-ECO2",
                "interface": "I-ECO",
                "supplier": "fuj",
                "expires": "??",
                "annual_cost_dkk": "??",
            },
            {
                "id": "K-INC",
                "interface": "I-INC",
                "supplier": "kmd",
                "expires": "2018",
                "annual_cost_dkk": "200",
            },
        ],
    )
    result = impact(graph, "old").to_json()
    stake = result["annual_cost_at_stake"]
    assert stake["total"] == {
        "known_dkk": 1200,
        "unknown_count": 1,
        "unknown_contracts": ["K-ECO2"],
        "contracts": ["K-ECO", "K-ECO2", "K-INC"],
    }
    assert {p: (c["known_dkk"], c["unknown_count"]) for p, c in stake["per_payer"].items()} == {
        "KOMBIT": (1000, 1),
        "kommune": (200, 0),
    }
    assert "1 contract with unknown annual cost is not in the sum: K-ECO2" in result["reasons"]
    actions = {c["id"]: c["actions"] for c in result["contracts"]}
    assert actions["K-ECO2"] == ["find-contract", "negotiate"]


def test_who_must_act(tmp_path: Path) -> None:
    result = impact(transition_portfolio(tmp_path), "old")
    assert [(a.actor, a.interfaces) for a in result.must_act] == [
        ("KOMBIT", ("I-ECO", "I-GONE")),
        ("kommune", ("I-ECO", "I-INC", "I-OLD")),
    ]


def test_impact_json_keys_are_the_contract(tmp_path: Path) -> None:
    result = impact(transition_portfolio(tmp_path), "old").to_json()
    assert {
        "affected_interfaces",
        "affected_systems",
        "contracts",
        "must_act",
        "annual_cost_at_stake",
    } <= set(result)
    assert set(result["affected_systems"][0]) == {"system", "name", "distance", "via", "path"}
    assert {"id", "expires", "annual_cost_dkk", "action", "payer"} <= set(result["contracts"][0])


# --- sample data ----------------------------------------------------------------------------


def test_sample_kmd_dagpenge_replaced_by_ksd() -> None:
    result = impact(build_graph(load_portfolio(SAMPLE)), "kmd-dagpenge", replaced_by="ksd")
    assert len(result.affected_interfaces) == 13
    assert affected(result) == [("kmd-essentia", 1, ("kmd-dagpenge", "SID270", "kmd-essentia"))]
    assert [c.contract.id for c in result.contracts] == [
        "K-DP-ACADRE",
        "K-DP-OPERA",
        "K-DP-PRISME",
        "K-DP-UDBETALING",
        "K-DP-ESSENTIA",
    ]
    assert result.cost_total.known_dkk == 250000
    assert {p: c.known_dkk for p, c in result.cost_per_payer.items()} == {
        "KOMBIT": 85000,
        "kommune": 140000,
        "undecided": 25000,
    }
    by_id = {i.interface: i for i in result.affected_interfaces}
    assert (by_id["SID027"].role_after, by_id["SID027"].status_after) == ("superseded", "kept")
    assert by_id["SID001"].negotiates == "KOMBIT"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=15),
    st.integers(0, 5),
    st.one_of(st.none(), st.integers(0, 4)),
)
def test_dependents_match_networkx_shortest_paths(
    links: list[tuple[int, int]], start: int, depth: int | None
) -> None:
    provides = [(f"s{p}", f"I{k}") for k, (p, _) in enumerate(links)]
    uses = [(f"s{u}", f"I{k}", "must") for k, (_, u) in enumerate(links)]
    found = dependents(provides, uses, f"s{start}", depth)
    reference = nx.DiGraph()
    reference.add_node(f"s{start}")
    reference.add_edges_from((f"s{p}", f"s{u}") for p, u in links)
    expected = nx.single_source_shortest_path_length(reference, f"s{start}", cutoff=depth)
    expected.pop(f"s{start}")
    assert {system: distance for system, distance, _ in found} == expected
    for system, distance, path in found:
        assert len(path) == 2 * distance + 1
        assert (path[0], path[-1]) == (f"s{start}", system)
        for k in range(0, len(path) - 2, 2):
            assert (path[k], path[k + 1]) in provides
            assert (path[k + 2], path[k + 1], "must") in uses


def test_usages_of_several_municipalities_are_one_affected_interface(tmp_path: Path) -> None:
    graph = transition_portfolio(
        tmp_path,
        usages=[
            {"interface": "I-ECO", "system": "old", "need": "nice", "municipality": "101"},
            {"interface": "I-ECO", "system": "old", "need": "must", "municipality": "102"},
        ],
        contracts=[],
    )
    [item] = [i for i in impact(graph, "old").affected_interfaces if i.role == "uses"]
    assert (item.interface, item.role, item.need, item.moved_to) == (
        "I-ECO",
        "uses",
        "must",
        ("new",),
    )
    assert len(item.reasons) == 2


# --- the prepared (fast) path equals deriving the whole scenario ----------------------------

LIFECYCLES = ("as-is", "to-be", "both")


def same_facts(graph: nx.MultiDiGraph, system: str, replaced_by: str | None, **kw: Any) -> None:
    """The prepared path's facts and JSON equal the full derivation's, or both refuse alike."""
    try:
        expected = _gather_impact_reference(graph, system, replaced_by, **kw)
    except SnitgrafError as error:
        with pytest.raises(SnitgrafError) as raised:
            gather_impact(graph, system, replaced_by, **kw)
        assert str(raised.value) == str(error)
        return
    found = gather_impact(graph, system, replaced_by, **kw)
    assert found == expected
    for depth in (None, 1):
        assert (
            compute_impact(found, depth, date(2015, 1, 1)).to_json()
            == compute_impact(expected, depth, date(2015, 1, 1)).to_json()
        )


def system_ids(graph: nx.MultiDiGraph, monopoly: bool = False) -> list[str]:
    return [a["id"] for _, a in nodes(graph, Label.SYSTEM) if a.get("monopoly") or not monopoly]


def test_impact_equals_the_full_derivation_on_the_sample_for_every_monopoly_system() -> None:
    graph = build_graph(load_portfolio(SAMPLE))
    monopoly = system_ids(graph, monopoly=True)
    assert len(monopoly) == 8
    for system in system_ids(graph):
        same_facts(graph, system, None)
    for system in monopoly:
        for replacer in monopoly:
            if replacer != system:
                same_facts(graph, system, replacer)


def test_impact_equals_the_full_derivation_on_a_generated_portfolio() -> None:
    graph = build_graph(generate(municipalities=3, seed=5).portfolio())
    monopoly = system_ids(graph, monopoly=True)
    to_be = [s for s in monopoly if graph.nodes[("System", s)]["lifecycle"] != "as-is"]
    for n, system in enumerate(monopoly):
        same_facts(graph, system, None)
        if system not in to_be:  # and replaced by another TO-BE monopoly system than its own
            same_facts(graph, system, to_be[n % len(to_be)])
    code = min(a["id"] for _, a in nodes(graph, Label.MUNICIPALITY))
    local = municipality_graph(graph, code)
    for system in monopoly:
        same_facts(local, system, None, catalogue=graph)


@st.composite
def random_portfolio(draw: st.DrawFn) -> Portfolio:
    """A small random portfolio: chains of REPLACES, two replacers, usages of several
    municipalities with different needs, several interfaces per data key."""
    systems = [f"s{i}" for i in range(draw(st.integers(2, 7)))]
    lifecycles = [draw(st.sampled_from(LIFECYCLES)) for _ in systems]
    interfaces = [
        (f"i{k}", draw(st.sampled_from(systems)), draw(st.sampled_from(("d0", "d1", "d2"))))
        for k in range(draw(st.integers(1, 7)))
    ]
    usages = draw(
        st.lists(
            st.tuples(
                st.sampled_from([i for i, _, _ in interfaces]),
                st.sampled_from(systems),
                st.sampled_from(("must", "nice")),
                st.sampled_from((None, "101", "102")),
            ),
            max_size=14,
            unique_by=lambda u: (u[0], u[1], u[3]),
        )
    )
    return Portfolio(
        source="random",
        suppliers=tuple(Supplier(id=s, name=s.upper()) for s in ("a", "b", "c")),
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
        usages=tuple(
            Usage(interface=i, system=s, need=need, municipality=m) for i, s, need, m in usages
        ),
    )


@settings(max_examples=150, deadline=None)
@given(random_portfolio())
def test_impact_equals_the_full_derivation_on_any_portfolio(generated: Portfolio) -> None:
    graph = build_graph(generated)
    for system in system_ids(graph):
        same_facts(graph, system, None)
        for replacer in system_ids(graph):
            if replacer != system:
                same_facts(graph, system, replacer)


@settings(max_examples=100, deadline=None)
@given(random_portfolio(), st.data())
def test_derive_around_is_derive_on_the_interfaces_it_is_given(
    generated: Portfolio, data: st.DataObject
) -> None:
    graph = build_graph(generated)
    systems = [k for k, _ in nodes(graph, Label.SYSTEM)]
    keep = set(data.draw(st.lists(st.sampled_from(systems), unique=True)))
    outside = [s for s in systems if s not in keep]
    replacers = {
        s: sorted(data.draw(st.lists(st.sampled_from(sorted(keep)), max_size=2, unique=True)))
        for s in outside
        if keep
    }
    whole = derive(graph, keep, replacers)
    interfaces = [k for k, _ in nodes(graph, Label.INTERFACE)]
    local = derive_around(role_index(graph), keep, replacers, interfaces)
    assert local.moves == whole.moves
    assert dict(local.retired) == dict(whole.retired)
    assert local.kept == {k for k, _ in nodes(whole.graph, Label.INTERFACE)}
    for rel, roles in ((Rel.PROVIDES, local.provides), (Rel.USES, local.uses)):
        derived = sorted((s, i, repr(sorted(a.items()))) for s, i, a in edges(whole.graph, rel))
        kept = sorted(
            (s, i, repr(sorted(a.items()))) for (s, i, _), a in roles.items() if i in local.kept
        )
        assert kept == derived


def test_a_changed_graph_is_prepared_again(tmp_path: Path) -> None:
    graph = transition_portfolio(tmp_path)
    before = impact(graph, "old", replaced_by="new").to_json()
    graph.add_edge(("System", "eco"), ("Interface", "I-OLD"), type="USES", need="must")
    after = impact(graph, "old", replaced_by="new").to_json()
    assert after != before
    assert after == compute_impact(_gather_impact_reference(graph, "old", "new")).to_json()


def test_repeated_questions_reuse_the_prepared_graph(tmp_path: Path) -> None:
    graph = transition_portfolio(tmp_path)
    impact(graph, "old")
    prepared = graph.__networkx_cache__["snitgraf.analysis.impact"]
    impact(graph, "gone", replaced_by="new")
    assert graph.__networkx_cache__["snitgraf.analysis.impact"] is prepared
    assert set(prepared.neutral) == {"as-is"}


def test_a_to_be_system_cannot_be_replaced_by_one_that_is_not_in_to_be() -> None:
    graph = build_graph(load_portfolio(SAMPLE))
    with pytest.raises(SnitgrafError) as error:
        impact(graph, "ksd", replaced_by="kmd-dagpenge")
    assert str(error.value) == (
        "ksd is a TO-BE system: it can only be replaced by a TO-BE system "
        "(lifecycle to-be or both), not by kmd-dagpenge"
    )
