"""The budget: sums per year, state and payer, switches at go-live, unknown costs shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from snitgraf.analysis.budget import Budget, budget
from snitgraf.graph import build_graph
from snitgraf.loader import load_portfolio
from snitgraf.problems import SnitgrafError
from tests.portfolios import SAMPLE
from tests.scenarios import plan_graph


def small_budget(folder: Path, from_year: int = 2015, to_year: int = 2018) -> Budget:
    """I-98 (kombit-98 from new1's go-live 2017-06), I-MUN (municipal, switches 2016),
    I-RET (retired, expires 2015: extended until 2017), I-RET2 (retired, expires 2019),
    I-NC (no contract), I-NEW (new with new1)."""
    graph = plan_graph(
        folder,
        [
            ("I-98", "p1", "d98"),
            ("I-MUN", "old2", "mun"),
            ("I-RET", "gone", "ret"),
            ("I-RET2", "gone", "ret2"),
            ("I-NC", "p2", "nc"),
            ("I-NEW", "new1", "new"),
        ],
        [
            ("I-98", "old1", "must"),
            ("I-MUN", "local", "must"),
            ("I-RET", "old1", "must"),
            ("I-RET2", "old1", "must"),
            ("I-NC", "old1", "must"),
            ("I-NEW", "local", "must"),
        ],
        [
            ("K-98", "I-98", "2016", "1000"),
            ("K-UNK", "I-98", "2016", "??"),
            ("K-MUN", "I-MUN", "2020", "300"),
            ("K-RET", "I-RET", "2015", "50"),
            ("K-RET2", "I-RET2", "2019", "70"),
            ("K-NEW", "I-NEW", "2022", "10"),
        ],
    )
    return budget(graph, from_year, to_year)


def figures(result: Budget, state: str, payer: str) -> dict[int, float]:
    return {
        y: result.row(y, state, payer).known_dkk
        for y in range(result.from_year, result.to_year + 1)
    }


def test_as_is_costs_every_contract_every_year_paid_by_the_municipality(tmp_path: Path) -> None:
    result = small_budget(tmp_path)
    assert figures(result, "as-is", "kommune") == {2015: 1420, 2016: 1420, 2017: 1420, 2018: 1420}
    assert figures(result, "as-is", "KOMBIT") == {2015: 0, 2016: 0, 2017: 0, 2018: 0}
    assert figures(result, "as-is", "total") == figures(result, "as-is", "kommune")


def test_to_be_switches_payer_at_go_live_and_ends_retired_contracts(tmp_path: Path) -> None:
    result = small_budget(tmp_path)
    # new1 goes live 2017-06: K-98 (1000 a year) is the municipality's for 5 months of 2017,
    # KOMBIT's for the other 7.
    assert figures(result, "to-be", "kommune") == {
        2015: 1420,
        2016: 1420,
        2017: pytest.approx(430 + 1000 * 5 / 12),
        2018: 380,
    }
    assert figures(result, "to-be", "KOMBIT") == {
        2015: 0,
        2016: 0,
        2017: pytest.approx(1000 * 7 / 12),
        2018: 1000,
    }
    assert figures(result, "to-be", "total") == {2015: 1420, 2016: 1420, 2017: 1430, 2018: 1380}
    assert result.row(2017, "to-be", "kommune").contracts == (
        "K-98",
        "K-MUN",
        "K-NEW",
        "K-RET",
        "K-RET2",
        "K-UNK",
    )
    assert result.row(2018, "to-be", "kommune").contracts == ("K-MUN", "K-NEW", "K-RET2")


def test_a_go_live_known_only_to_the_year_switches_the_whole_year(tmp_path: Path) -> None:
    graph = plan_graph(
        tmp_path,
        [("I-98", "p1", "d98")],
        [("I-98", "old2", "must")],
        [("K", "I-98", "2030", "120")],
    )
    result = budget(graph, 2015, 2016)
    assert figures(result, "to-be", "KOMBIT") == {2015: 0, 2016: 120}
    [item] = result.row(2016, "to-be", "KOMBIT").items
    assert item.reason == "contract K: repointed, switches in 2016; category kombit-98: KOMBIT pays"


def test_unknown_costs_are_listed_not_counted_as_zero(tmp_path: Path) -> None:
    result = small_budget(tmp_path)
    assert result.row(2015, "as-is").unknown_cost == ("K-UNK",)
    assert result.row(2017, "to-be", "KOMBIT").unknown_cost == ("K-UNK",)
    assert result.row(2016, "to-be", "kommune").unknown_cost == ("K-UNK",)
    assert result.row(2015, "as-is").uncontracted == ("I-NC",)
    assert result.row(2018, "to-be", "KOMBIT").uncontracted == ("I-NC",)
    row = result.row(2017, "to-be", "KOMBIT").to_json()
    assert (row["unknown_cost_count"], row["uncontracted_count"]) == (1, 1)


def test_every_figure_names_its_contracts_and_reasons(tmp_path: Path) -> None:
    result = small_budget(tmp_path)
    items = {(i.contract, i.reason) for i in result.row(2017, "to-be").items if i.contract}
    assert {
        (
            "K-RET",
            "contract K-RET: expires 2015, extended until go-live 2017-06; kommune pays",
        ),
        (
            "K-98",
            "contract K-98: 5 of 12 months before go-live (2017-06): the municipality pays",
        ),
        (
            "K-98",
            "contract K-98: 7 of 12 months from go-live (2017-06); category kombit-98: KOMBIT pays",
        ),
        (
            "K-NEW",
            "contract K-NEW: new interface from 2017-06; category municipal: kommune pays",
        ),
    } <= items
    [later] = [i.reason for i in result.row(2018, "to-be").items if i.contract == "K-98"]
    assert later == (
        "contract K-98: repointed, switches in 2017-06; category kombit-98: KOMBIT pays"
    )


def test_years_default_to_the_portfolio_dates(tmp_path: Path) -> None:
    result = small_budget(tmp_path, None, None)  # type: ignore[arg-type]
    assert (result.from_year, result.to_year) == (2015, 2023)


def test_from_after_to_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SnitgrafError, match="--from 2019 is after --to 2018"):
        small_budget(tmp_path, 2019, 2018)


def test_sample_budget_moves_kombit_98_costs_to_kombit_from_go_live() -> None:
    result = budget(build_graph(load_portfolio(SAMPLE)), 2016, 2018)
    assert figures(result, "as-is", "total") == {2016: 419000, 2017: 419000, 2018: 419000}
    # KMD Dagpenge's replacement (KSD) goes live 2017-06: its contracts switch payer after May.
    assert figures(result, "to-be", "KOMBIT") == {
        2016: 0,
        2017: pytest.approx(85000 * 7 / 12),
        2018: 85000,
    }
    assert figures(result, "to-be", "kommune") == {
        2016: 419000,
        2017: pytest.approx(279000 + (85000 + 25000) * 5 / 12),
        2018: 279000,
    }
    assert figures(result, "to-be", "undecided") == {
        2016: 0,
        2017: pytest.approx(30000 + 25000 * 7 / 12),
        2018: 55000,
    }
    assert figures(result, "to-be", "total") == {2016: 419000, 2017: 419000, 2018: 419000}
    assert result.row(2016, "to-be", "KOMBIT").unknown_cost == ("K-SAG-UKENDT",)


def test_a_retired_contract_of_unknown_expiry_runs_until_the_switch(tmp_path: Path) -> None:
    graph = plan_graph(
        tmp_path,
        [("I-RET", "gone", "ret")],
        [("I-RET", "old1", "must")],
        [("K-RET", "I-RET", "??", "40")],
    )
    result = budget(graph, 2016, 2018)
    assert figures(result, "to-be", "kommune") == {2016: 40, 2017: 40, 2018: 0}
    [item] = result.row(2017, "to-be", "kommune").items
    assert (
        item.reason == "contract K-RET: expiry unknown: assumed to run until 2017-06; kommune pays"
    )
