"""Municipalities: one municipality's view (--municipality) and the national view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from snitgraf.analysis.national import national_view
from snitgraf.assessment import Assessment
from snitgraf.backends.networkx import NetworkxBackend
from snitgraf.cli import cli
from snitgraf.graph import build_graph, nodes
from snitgraf.municipality import municipality_graph
from snitgraf.problems import SnitgrafError
from snitgraf.schema import Label
from tests.portfolios import write_portfolio


def _two_municipalities(folder: Path, deployments: bool = True) -> Path:
    """København runs KMD Opus and SBSYS, Aarhus runs Prisme; both run KMD Aktiv.

    KMD Aktiv must have postings (Opus in 101, Prisme in 751: S = 2 across the market), must
    have SKAT's income data (nationally: blank municipality) and would appreciate SBSYS's
    journal (101 only); SBSYS uses KMD Aktiv's benefit data in 101.
    """
    tables = dict(
        suppliers=[
            {"id": "kmd", "name": "KMD", "ski": "02.19"},
            {"id": "fujitsu", "name": "Fujitsu", "ski": "02.19"},
            {"id": "sbsys", "name": "SBSYS brugerklub"},
            {"id": "skat", "name": "SKAT"},
        ],
        systems=[
            {"id": "kmd-aktiv", "name": "KMD Aktiv", "supplier": "kmd", "monopoly": "ja"},
            {"id": "opus", "name": "KMD Opus Økonomi", "supplier": "kmd"},
            {"id": "prisme", "name": "Prisme", "supplier": "fujitsu"},
            {"id": "sbsys", "name": "SBSYS", "supplier": "sbsys"},
            {"id": "eindkomst", "name": "SKAT eIndkomst", "supplier": "skat"},
        ],
        interfaces=[
            {"id": "I-OPUS", "name": "Opus posteringer", "provider": "opus", "data": "postering"},
            {"id": "I-PRISME", "name": "Prisme posteringer", "provider": "prisme",
             "data": "postering"},
            {"id": "I-SBSYS", "name": "Journal", "provider": "sbsys", "data": "journal"},
            {"id": "I-SKAT", "name": "eIndkomst", "provider": "eindkomst", "data": "indkomst"},
            {"id": "I-AKTIV", "name": "Ydelser", "provider": "kmd-aktiv", "data": "ydelse"},
        ],
        usages=[
            {"interface": "I-OPUS", "system": "kmd-aktiv", "need": "must", "municipality": "101"},
            {"interface": "I-PRISME", "system": "kmd-aktiv", "need": "must",
             "municipality": "751"},
            {"interface": "I-SBSYS", "system": "kmd-aktiv", "need": "nice",
             "municipality": "101"},
            {"interface": "I-SKAT", "system": "kmd-aktiv", "need": "must", "municipality": ""},
            {"interface": "I-AKTIV", "system": "sbsys", "need": "must", "municipality": "101"},
        ],
        contracts=[
            {"id": "C1", "interface": "I-OPUS", "supplier": "kmd", "expires": "2016",
             "annual_cost_dkk": "50000", "municipality": "101"},
            {"id": "C2", "interface": "I-PRISME", "supplier": "fujitsu", "expires": "2017",
             "annual_cost_dkk": "40000", "municipality": "751"},
            {"id": "C3", "interface": "I-SKAT", "supplier": "skat", "expires": "2015",
             "annual_cost_dkk": "10000", "municipality": ""},
        ],
        municipalities=[{"code": "101", "name": "København"}, {"code": "751", "name": "Aarhus"}],
    )  # fmt: skip
    if deployments:
        tables["deployments"] = [
            {"municipality": "101", "system": s} for s in ("kmd-aktiv", "opus", "sbsys")
        ] + [{"municipality": "751", "system": s} for s in ("kmd-aktiv", "prisme")]
    return write_portfolio(folder, **tables)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return _two_municipalities(tmp_path / "p")


def _ids(graph, label: Label) -> set[str]:
    return {attrs["id"] for _, attrs in nodes(graph, label)}


def _uses(graph) -> set[tuple[str, str, str | None]]:
    return {
        (s[1], i[1], a.get("municipality"))
        for s, i, a in graph.edges(data=True)
        if a["type"] == "USES"
    }


# --- municipality_graph ---------------------------------------------------------------------


def test_a_municipality_sees_its_systems_and_national_providers_it_uses(folder):
    from snitgraf.loader import load_portfolio

    graph = municipality_graph(build_graph(load_portfolio(folder)), "751")
    assert _ids(graph, Label.SYSTEM) == {"kmd-aktiv", "prisme", "eindkomst"}
    assert _ids(graph, Label.INTERFACE) == {"I-PRISME", "I-SKAT", "I-AKTIV"}
    assert _uses(graph) == {("kmd-aktiv", "I-PRISME", "751"), ("kmd-aktiv", "I-SKAT", None)}
    assert _ids(graph, Label.CONTRACT) == {"C2", "C3"}
    assert _ids(graph, Label.MUNICIPALITY) == {"751"}
    assert _ids(graph, Label.SUPPLIER) == {"kmd", "fujitsu", "skat"}


def test_another_municipality_sees_its_own_usages_and_contracts(folder):
    from snitgraf.loader import load_portfolio

    graph = municipality_graph(build_graph(load_portfolio(folder)), "101")
    assert _ids(graph, Label.INTERFACE) == {"I-OPUS", "I-SBSYS", "I-SKAT", "I-AKTIV"}
    assert _uses(graph) == {
        ("kmd-aktiv", "I-OPUS", "101"),
        ("kmd-aktiv", "I-SBSYS", "101"),
        ("kmd-aktiv", "I-SKAT", None),
        ("sbsys", "I-AKTIV", "101"),
    }
    assert _ids(graph, Label.CONTRACT) == {"C1", "C3"}


def test_without_deployments_every_system_counts_and_only_usages_are_filtered(tmp_path: Path):
    from snitgraf.loader import load_portfolio

    folder = _two_municipalities(tmp_path / "p", deployments=False)
    graph = municipality_graph(build_graph(load_portfolio(folder)), "751")
    assert _ids(graph, Label.SYSTEM) == {"kmd-aktiv", "opus", "prisme", "sbsys", "eindkomst"}
    assert _uses(graph) == {("kmd-aktiv", "I-PRISME", "751"), ("kmd-aktiv", "I-SKAT", None)}
    assert _ids(graph, Label.CONTRACT) == {"C2", "C3"}


def test_an_unknown_municipality_names_the_closest(folder):
    from snitgraf.loader import load_portfolio

    graph = build_graph(load_portfolio(folder))
    with pytest.raises(SnitgrafError, match=r"unknown municipality 'Arhus'; did you mean 751"):
        municipality_graph(graph, "Arhus")


# --- the backend: --municipality once for every command ------------------------------------


def test_categories_of_a_municipality_are_the_catalogues(folder):
    assessment = Assessment(NetworkxBackend(str(folder), municipality="751"))
    categories = {c.interface: c for c in assessment.categorised()}
    assert set(categories) == {"I-PRISME", "I-SKAT", "I-AKTIV"}
    # Aarhus alone has one supplier of postings, but the market has two: still common-must
    assert categories["I-PRISME"].category.code == "common-must"
    assert categories["I-PRISME"].suppliers == ("fujitsu", "kmd")
    assert categories["I-SKAT"].category.code == "kombit-98"


def test_overview_of_a_municipality_shows_its_rows_and_contracts(folder):
    rows = Assessment(NetworkxBackend(str(folder), municipality="751")).overview()
    assert [(r.system, r.interface, r.role, r.contract, r.expires) for r in rows] == [
        ("kmd-aktiv", "I-AKTIV", "provides", None, None),
        ("kmd-aktiv", "I-PRISME", "uses", "C2", "2017"),
        ("kmd-aktiv", "I-SKAT", "uses", "C3", "2015"),
    ]
    assert [(r.ski, r.kommune, r.kombit) for r in rows][1] == (True, True, True)


def test_without_municipality_the_backend_is_national(folder):
    backend = NetworkxBackend(str(folder))
    assert len(Assessment(backend).categorised()) == 5
    assert backend.graph() is backend.catalogue_graph()


def test_overview_command_takes_municipality(folder):
    result = CliRunner().invoke(
        cli, ["overview", str(folder), "--municipality", "101", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["interface"], r["contract"]) for r in rows] == [
        ("I-AKTIV", None),
        ("I-OPUS", "C1"),
        ("I-SBSYS", None),
        ("I-SKAT", "C3"),
    ]


def test_an_unknown_municipality_on_the_command_line_is_one_line_and_exit_1(folder):
    result = CliRunner().invoke(cli, ["categorize", str(folder), "--municipality", "999"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: unknown municipality '999'; known: 101 (København), 751 (Aarhus)"
    ]


# --- the national view ------------------------------------------------------------------------


def test_a_blank_municipality_usage_counts_for_every_municipality_running_the_system(folder):
    from snitgraf.loader import load_portfolio

    view = national_view(build_graph(load_portfolio(folder)))
    reach = {r.interface: r for r in view.interfaces}
    assert reach["I-SKAT"].municipalities == ("101", "751")
    assert reach["I-OPUS"].municipalities == ("101",)
    assert reach["I-PRISME"].suppliers == ("fujitsu",)
    assert view.municipalities == 2
    assert [r.interface for r in view.interfaces][:1] == ["I-SKAT"]


def test_per_category_municipalities_contracts_and_annual_cost(folder):
    from snitgraf.loader import load_portfolio

    view = national_view(build_graph(load_portfolio(folder)))
    got = {
        c.category: (c.interfaces, c.municipalities, c.contracts, c.annual_cost_dkk)
        for c in view.categories
    }
    assert got == {
        "kombit-98": (1, 2, 1, 10000.0),
        "common-must": (2, 2, 2, 90000.0),
        "common-nice": (0, 0, 0, 0.0),
        "municipal": (1, 1, 0, 0.0),
        "unclassified": (1, 1, 0, 0.0),
    }


def test_suppliers_are_ranked_by_municipalities_depending_on_them_for_must_data(folder):
    from snitgraf.loader import load_portfolio

    view = national_view(build_graph(load_portfolio(folder)))
    assert [(s.rank, s.supplier, s.municipalities) for s in view.suppliers] == [
        (1, "skat", ("101", "751")),
        (2, "fujitsu", ("751",)),
        (3, "kmd", ("101",)),
    ]
    assert view.suppliers[0].reasons[0] == (
        "2 municipalities need data from SKAT that a monopoly system must have: 101, 751"
    )


def test_national_command_prints_the_three_tables_as_json(folder):
    result = CliRunner().invoke(cli, ["national", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["municipalities"] == 2
    assert [c["category"] for c in data["categories"]][:2] == ["kombit-98", "common-must"]
    assert data["suppliers"][0]["supplier"] == "skat"
    assert data["interfaces"][0]["municipality_count"] == 2


def test_national_csv_needs_one_view(folder):
    result = CliRunner().invoke(cli, ["national", str(folder), "--format", "csv"])
    assert result.exit_code == 2
    result = CliRunner().invoke(
        cli, ["national", str(folder), "--format", "csv", "--view", "suppliers"]
    )
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "rank,supplier,name,kommuner,data,interfaces,reasons"
