"""The action plan: every action, the date precision rule, the tender-before-offer exception,
and the order (groups by go-live, most urgent first)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from snitgraf.analysis.plan import Action, order, plan
from snitgraf.graph import build_graph
from snitgraf.loader import load_portfolio
from snitgraf.values import PartialDate, parse_date
from tests.portfolios import SAMPLE, portfolio
from tests.scenarios import PLAN_SYSTEMS, SUPPLIERS, plan_graph, replacement_systems

TODAY = date(2014, 5, 1)


def summary(actions: list[Action]) -> list[tuple[Any, ...]]:
    return [(a.group, a.action, a.interface, a.contract, a.actor, a.due) for a in actions]


def one_contract(folder: Path, expires: str) -> list[Action]:
    """I-98 (kombit-98: old1 must use it, one supplier) with one contract."""
    graph = plan_graph(
        folder,
        [("I-98", "p1", "d98")],
        [("I-98", "old1", "must")],
        [("K-98", "I-98", expires, "1000")],
    )
    return plan(graph, TODAY)


# --- dates ----------------------------------------------------------------------------------


def test_dates_are_compared_at_their_precision() -> None:
    def cmp(a: str, b: str) -> str:
        first, second = parse_date(a), parse_date(b)
        assert first is not None and second is not None
        return order(first, second)

    assert cmp("2016", "2017-06") == "before"
    assert cmp("2017-05-31", "2017-06") == "before"
    assert cmp("2017", "2017-06") == "ambiguous"
    assert cmp("2017-06-15", "2017-06") == "ambiguous"
    assert cmp("2017-06-30", "2017-06") == "not-before"
    assert cmp("2017-06", "2017-06-01") == "not-before"
    assert cmp("2018", "2017-06") == "not-before"


# --- contract actions -----------------------------------------------------------------------


def test_a_contract_expiring_before_go_live_is_extended(tmp_path: Path) -> None:
    actions = one_contract(tmp_path, "2016")
    assert summary(actions) == [
        ("old1", "extend-until-go-live", "I-98", "K-98", "kommune", "2016"),
        ("old1", "negotiate", "I-98", None, "KOMBIT", "2017-06"),
    ]
    assert actions[0].reasons == (
        "contract K-98 expires 2016 before New One (new1) goes live (2017-06): "
        "extend it until go-live",
    )


def test_an_ambiguous_expiry_is_extended_conservatively_and_says_so(tmp_path: Path) -> None:
    actions = one_contract(tmp_path, "2017")
    assert summary(actions)[0] == (
        "old1",
        "extend-until-go-live",
        "I-98",
        "K-98",
        "kommune",
        "2017",
    )
    assert actions[0].reasons == (
        "contract K-98 expires 2017 and New One (new1) goes live 2017-06: ambiguous at this "
        "precision, so assumed to expire first (conservative); extend it until go-live, "
        "due by 2017-01-01",
    )


def test_a_contract_lasting_past_go_live_needs_no_extension(tmp_path: Path) -> None:
    actions = one_contract(tmp_path, "2018")
    assert [a.action for a in actions] == ["negotiate"]


def test_an_unknown_expiry_means_find_the_contract(tmp_path: Path) -> None:
    actions = one_contract(tmp_path, "??")
    assert summary(actions)[0] == ("old1", "find-contract", "I-98", "K-98", "kommune", "2014-05-01")
    assert actions[0].days_left == 0


def test_a_retired_interface_gets_notice_by_its_expiry(tmp_path: Path) -> None:
    graph = plan_graph(
        tmp_path,
        [("I-RET", "gone", "ret")],
        [("I-RET", "old1", "must")],
        [("K-RET", "I-RET", "2018-03-31", "500")],
    )
    actions = plan(graph, TODAY)
    # New One takes over Old One's must use but nothing provides 'ret' in TO-BE: a broken need.
    assert summary(actions) == [
        ("old1", "find-source", "I-RET", None, "KOMBIT", "2017-06"),
        ("old1", "give-notice", "I-RET", "K-RET", "kommune", "2018-03-31"),
    ]
    assert actions[1].reasons == (
        "the TO-BE retires I-RET: give notice on contract K-RET by 2018-03-31",
    )


def test_a_retired_interface_expiring_before_go_live_is_extended_then_given_notice(
    tmp_path: Path,
) -> None:
    graph = plan_graph(
        tmp_path,
        [("I-RET", "gone", "ret")],
        [("I-RET", "old1", "must")],
        [("K-RET", "I-RET", "2016", "500")],
    )
    assert summary(plan(graph, TODAY)) == [
        ("old1", "extend-until-go-live", "I-RET", "K-RET", "kommune", "2016"),
        ("old1", "find-source", "I-RET", None, "KOMBIT", "2017-06"),
        ("old1", "give-notice", "I-RET", "K-RET", "kommune", "2017-06"),
    ]


# --- negotiation ----------------------------------------------------------------------------


def test_who_negotiates_follows_the_to_be_category(tmp_path: Path) -> None:
    graph = plan_graph(
        tmp_path,
        [("I-98", "p1", "d98"), ("I-MUN", "old2", "mun")],
        [("I-98", "old1", "must"), ("I-MUN", "local", "must")],
    )
    assert summary(plan(graph, TODAY)) == [
        ("old2", "negotiate", "I-MUN", None, "kommune", "2016"),
        ("old1", "negotiate", "I-98", None, "KOMBIT", "2017-06"),
    ]


def common_must(folder: Path, expires: str) -> nx.MultiDiGraph:
    """I-ECO carries data 'eco', which two suppliers can expose; old1 must use it."""
    return plan_graph(
        folder,
        [("I-ECO", "p1", "eco"), ("I-ECO2", "p2", "eco")],
        [("I-ECO", "old1", "must")],
        [("K-ECO", "I-ECO", expires, "100")],
    )


def negotiation(actions: list[Action]) -> Action:
    [found] = [a for a in actions if a.action == "negotiate"]
    return found


def test_tender_before_kombits_offer_makes_the_municipality_negotiate(tmp_path: Path) -> None:
    graph = common_must(tmp_path, "2015-06-30")
    found = negotiation(plan(graph, TODAY, PartialDate(2016)))
    assert (found.category, found.actor) == ("common-must", "kommune")
    assert found.reasons[-1] == (
        "exception: contract K-ECO expires 2015-06-30 before KOMBIT's offer (2016), so the "
        "municipality must tender and negotiates itself"
    )


def test_a_tender_after_kombits_offer_leaves_kombit_negotiating(tmp_path: Path) -> None:
    graph = common_must(tmp_path, "2016-06-30")
    found = negotiation(plan(graph, TODAY, date(2015, 12, 1)))
    assert found.actor == "KOMBIT"
    assert found.reasons[-1] == "category common-must: negotiates KOMBIT"


def test_an_ambiguous_tender_date_assumes_the_exception(tmp_path: Path) -> None:
    graph = common_must(tmp_path, "2016")
    found = negotiation(plan(graph, TODAY, PartialDate(2016, 6)))
    assert found.actor == "kommune"
    assert "(2016-06) (ambiguous at this precision: assumed)" in found.reasons[-1]


def test_without_an_offer_date_the_exception_is_not_checked_and_says_so(tmp_path: Path) -> None:
    found = negotiation(plan(common_must(tmp_path, "2015"), TODAY))
    assert found.actor == "KOMBIT"
    assert found.reasons[-1] == (
        "tender-before-offer exception not checked: no KOMBIT offer date given "
        "(--kombit-offer-date)"
    )


def test_the_exception_is_only_for_common_must(tmp_path: Path) -> None:
    actions = plan(one_contract_graph(tmp_path), TODAY, PartialDate(2020))
    assert negotiation(actions).actor == "KOMBIT"


def one_contract_graph(folder: Path) -> nx.MultiDiGraph:
    return plan_graph(
        folder,
        [("I-98", "p1", "d98")],
        [("I-98", "old1", "must")],
        [("K-98", "I-98", "2015", "1000")],
    )


# --- unclassified and order -----------------------------------------------------------------


def test_an_unclassified_interface_needs_a_decision_first(tmp_path: Path) -> None:
    graph = plan_graph(tmp_path, [("I-UNC", "p1", "unc")], [("I-UNC", "old2", "nice")])
    actions = plan(graph, TODAY)
    assert summary(actions) == [
        ("old2", "decide-category", "I-UNC", None, "kommune", "2014-05-01"),
        ("old2", "negotiate", "I-UNC", None, "—", "2016"),
    ]
    assert actions[1].reasons[-1] == "category unclassified: decide the category before negotiating"


def test_groups_follow_go_live_and_actions_urgency(tmp_path: Path) -> None:
    graph = plan_graph(
        tmp_path,
        [("I-A", "p1", "a"), ("I-B", "p1", "b"), ("I-C", "p2", "c")],
        [("I-A", "old1", "must"), ("I-B", "old2", "must"), ("I-C", "old1", "must")],
        [("K-A", "I-A", "2016", "1"), ("K-C", "I-C", "2015-03", "1")],
    )
    actions = plan(graph, TODAY)
    assert summary(actions) == [
        ("old2", "negotiate", "I-B", None, "KOMBIT", "2016"),
        ("old1", "extend-until-go-live", "I-C", "K-C", "kommune", "2015-03"),
        ("old1", "extend-until-go-live", "I-A", "K-A", "kommune", "2016"),
        ("old1", "negotiate", "I-A", None, "KOMBIT", "2017-06"),
        ("old1", "negotiate", "I-C", None, "KOMBIT", "2017-06"),
    ]
    assert [(a.days_left, a.overdue) for a in actions[1:3]] == [(304, False), (610, False)]
    late = plan(graph, date(2016, 1, 2))
    assert [(a.days_left, a.overdue) for a in late[1:3]] == [(-307, True), (-1, True)]


def test_action_json_keys(tmp_path: Path) -> None:
    row = one_contract(tmp_path, "2016")[0].to_json()
    assert {
        "group",
        "action",
        "title",
        "interface",
        "actor",
        "due",
        "overdue",
        "contract",
        "reasons",
        "category",
        "status",
    } <= set(row)
    assert row["title"] == "extend until go-live"


# --- sample data ----------------------------------------------------------------------------


def test_sample_plan_puts_kmd_sag_first_then_aktiv_then_dagpenge() -> None:
    actions = plan(build_graph(load_portfolio(SAMPLE)), TODAY)
    groups = list(dict.fromkeys(a.group for a in actions))
    assert groups == ["kmd-sag", "kmd-aktiv", "kmd-dagpenge"]
    assert summary(actions)[0] == (
        "kmd-sag",
        "find-contract",
        "2062",
        "K-SAG-UKENDT",
        "kommune",
        "2014-05-01",
    )
    extend = [(a.contract, a.due) for a in actions if a.action == "extend-until-go-live"]
    assert extend == [
        ("K-AKTIV-OPERA", "2017"),
        ("K-AKTIV-UDTRAEK", "2017"),
        ("K-DP-OPERA", "2015"),
        ("K-DP-ACADRE", "2016"),
        ("K-DP-UDBETALING", "2016"),
        ("K-DP-PRISME", "2017"),
    ]


def test_a_replacement_without_go_live_is_planned_conservatively(tmp_path: Path) -> None:
    graph = build_graph(
        portfolio(
            tmp_path,
            suppliers=SUPPLIERS,
            systems=[
                *replacement_systems(None),
                {"id": "p1", "name": "P1", "supplier": "fuj"},
            ],
            interfaces=[{"id": "I", "name": "I", "provider": "p1", "data": "d"}],
            usages=[{"interface": "I", "system": "old", "need": "must"}],
            contracts=[{"id": "K", "interface": "I", "supplier": "fuj", "expires": "2030"}],
        )
    )
    actions = plan(graph, TODAY)
    assert summary(actions) == [
        ("old", "extend-until-go-live", "I", "K", "kommune", "2030"),
        ("old", "negotiate", "I", None, "KOMBIT", None),
    ]
    assert actions[0].reasons == (
        "contract K expires 2030; New (new) has no go-live date, so it may go live later "
        "(conservative): extend until go-live",
    )
    assert (
        actions[1].reasons[0].endswith("negotiate the interface with New (its go-live is unknown)")
    )


def test_interfaces_no_monopoly_system_touches_come_last(tmp_path: Path) -> None:
    graph = plan_graph(
        tmp_path,
        [("I-OTHER", "gone", "other"), ("I-98", "p1", "d98")],
        [("I-OTHER", "local", "must"), ("I-98", "old1", "must")],
        [("K-OTHER", "I-OTHER", "2015", "10")],
    )
    actions = plan(graph, TODAY)
    assert [(a.group, a.group_name, a.action, a.interface) for a in actions] == [
        ("old1", "Old One", "negotiate", "I-98"),
        ("", "(other interfaces)", "give-notice", "I-OTHER"),
        ("", "(other interfaces)", "find-source", "I-OTHER"),
    ]


def test_a_retired_unclassified_interface_needs_notice_not_a_decision(tmp_path: Path) -> None:
    graph = plan_graph(
        tmp_path,
        [("I-UR", "gone", "ur")],
        [("I-UR", "old1", "nice")],
        [("K-UR", "I-UR", "2018", "5")],
    )
    # The broken need gets a source to find (by the municipality: the rules name no one),
    # never a decide-category action for an interface that retires.
    assert summary(plan(graph, TODAY)) == [
        ("old1", "find-source", "I-UR", None, "kommune", "2017-06"),
        ("old1", "give-notice", "I-UR", "K-UR", "kommune", "2018"),
    ]


def test_one_negotiation_per_role_whatever_the_municipalities(tmp_path: Path) -> None:
    graph = build_graph(
        portfolio(
            tmp_path,
            suppliers=SUPPLIERS,
            systems=PLAN_SYSTEMS,
            interfaces=[{"id": "I", "name": "I", "provider": "p1", "data": "d"}],
            usages=[
                {"interface": "I", "system": "old1", "need": "must", "municipality": "101"},
                {"interface": "I", "system": "old1", "need": "nice", "municipality": "102"},
            ],
        )
    )
    assert summary(plan(graph, TODAY)) == [("old1", "negotiate", "I", None, "KOMBIT", "2017-06")]


def test_a_provider_moving_to_another_supplier_moves_the_contract(tmp_path: Path) -> None:
    graph = plan_graph(
        tmp_path,
        [("I-MUN", "old2", "mun")],
        [("I-MUN", "local", "must")],
        [("K-MUN", "I-MUN", "2020", "300")],
    )
    found = negotiation(plan(graph, TODAY))
    assert found.reasons[-1] == (
        "contract K-MUN is with kmd; New Two is supplied by eg: the contract must move to eg"
    )
