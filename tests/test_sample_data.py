"""The sample data (data/kombit-2014) holds the seed's interfaces and gives the seed's own marks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from snitgraf.analysis.categorise import categorise
from snitgraf.cli import cli
from snitgraf.graph import build_graph
from snitgraf.loader import load_portfolio
from snitgraf.model import Portfolio
from tests.portfolios import SAMPLE

# The seed's lists: interface id -> (name, the system the list names, the monopoly system whose
# list it is). SID153 is spelled 'Specikke' in the seed; the data corrects it (see its README).
SEED_INTERFACES: dict[str, tuple[str, str, str]] = {
    "SID001": ("KMD Udbetaling Batch", "KMD Udbetaling", "KMD Dagpenge"),
    "SID006": ("KMD OPUS (/KMD ØS) posteringer", "KMD ØS", "KMD Dagpenge"),
    "SID026": ("KMD Sag KSD Ydelser", "KMD Sag", "KMD Dagpenge"),
    "SID027": ("KMD indkomst forespørgsel", "KMD Indkomst", "KMD Dagpenge"),
    "SID265": ("DUS til AMS", "AMS", "KMD Dagpenge"),
    "SID266": ("Udbetalinger til AMS til brug for feriedagpenge", "AMS", "KMD Dagpenge"),
    "SID267": ("Kortperiode Statistik til BM/AMS", "AMS", "KMD Dagpenge"),
    "SID268": ("Refusioner til Skat", "SKAT", "KMD Dagpenge"),
    "SID269": ("Landsdækkende Barseludligning til ATP", "ATP", "KMD Dagpenge"),
    "SID270": ("Posteringsgrænseflade SDP", "KMD Essentia", "KMD Dagpenge"),
    "SID153": ("Specifikke bestilte kommuneudtræk", "KMD Aktiv", "KMD Aktiv"),
    "SID154": ("KMD Boligstøtte (Aktiv ydelser)", "KMD Boligstøtte", "KMD Aktiv"),
    "SID155": ("KMD Boligstøtte (Bolig ydelser)", "KMD Boligstøtte", "KMD Aktiv"),
    "SID174": ("Bestille skattekort", "KMD Indkomst /eIndkomst", "KMD Aktiv"),
    "SID214": ("KMD Sag Modtag hændelse", "KMD Aktiv", "KMD Aktiv"),
    "SID235": ("KMD Sag Hent sagsbehandler", "KMD Aktiv", "KMD Aktiv"),
    "2058": ("Udstil Folkeregisterhændelse (TSA)", "KMD Børnefamilie ydelse", "KMD Sag"),
    "2059": ("Udstil Folkeregisterhændelse (TSA)", "KMD Social Pension", "KMD Sag"),
    "2061": ("Udstil Folkeregisterhændelse (Non-TSA)", "Opus Debitor", "KMD Sag"),
    "2062": ("Modtag folkeregisterhændelser", "P-Data", "KMD Sag"),
    "2065": ("E-indkomst - udstil personer med sager", "KMD Indkomst", "KMD Sag"),
    "2066": ("Modtag indkomst oplysninger (ændringer)", "KMD Indkomst", "KMD Sag"),
    "2067": ("OIO - Sag", "Brugerdata KBH", "KMD Sag"),
    "2008": ("Modtag hændelse (TSA)", "KMD Social Pension", "KMD Sag"),
    "2009": ("Modtag hændelse (TSA)", "KMD Underholdsbidrag", "KMD Sag"),
    "2011": ("Modtag hændelse (Non-TSA)", "KMD Bolig anvisning", "KMD Sag"),
    "2013": ("Modtag hændelse (Non-TSA)", "KMD Børn og voksne", "KMD Sag"),
    "2014": ("Modtag hændelse (Non-TSA)", "KMD Hjælpebidrag", "KMD Sag"),
    "2015": ("Modtag hændelse (Non-TSA)", "KMD Institution", "KMD Sag"),
    "2016": ("Modtag hændelse (Non-TSA)", "KMD Klient betaling", "KMD Sag"),
    "2017": ("Modtag hændelse (Non-TSA)", "KMD Opera", "KMD Sag"),
}

# The list columns the seed gives: id -> (nettoliste, bruttoliste, klippekort).
SEED_LIST_COLUMNS: dict[str, tuple[str | None, str | None, str | None]] = {
    "SID001": ("1.1.5", "09", "G68"),
    "SID006": ("1.1.6", "10", "(G69+G70)"),
    "SID026": ("1.1.4", None, "P13-7"),
    "SID027": ("1.1.7", None, "P13-5"),
    "2008": ("1.1.1", None, "P11-3"),
    "2009": ("1.1.1", None, "P11-3"),
    "2011": ("1.2.1", None, None),
    "2017": ("1.2.1", None, None),
}


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    return load_portfolio(SAMPLE)


@pytest.fixture(scope="module")
def overview_json() -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, ["overview", str(SAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_sample_data_is_valid() -> None:
    result = CliRunner().invoke(cli, ["validate", str(SAMPLE)])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{SAMPLE}: valid: ")
    assert result.stderr == ""


def test_every_interface_of_the_seeds_lists_exists_with_the_seeds_id_and_name(
    sample: Portfolio,
) -> None:
    names = {i.id: i.name for i in sample.interfaces}
    assert {id_: names.get(id_) for id_ in SEED_INTERFACES} == {
        id_: name for id_, (name, _, _) in SEED_INTERFACES.items()
    }


@pytest.mark.parametrize("interface", sorted(SEED_INTERFACES))
def test_seed_interface_connects_the_systems_its_list_names(
    sample: Portfolio, interface: str
) -> None:
    _, named_system, monopoly_system = SEED_INTERFACES[interface]
    systems = sample.system_by_id
    provider = sample.interface_by_id[interface].provider
    involved = {systems[provider].name} | {
        systems[u.system].name for u in sample.usages if u.interface == interface
    }
    assert monopoly_system in involved
    assert systems[next(s for s in systems if systems[s].name == monopoly_system)].monopoly
    # The seed shortens some names ('KMD ØS' for 'KMD ØS (KMD Opus Økonomi)').
    assert any(squeeze(name).startswith(squeeze(named_system)) for name in involved), involved


@pytest.mark.parametrize("interface", sorted(SEED_LIST_COLUMNS))
def test_seed_list_columns_are_kept(sample: Portfolio, interface: str) -> None:
    row = sample.interface_by_id[interface]
    assert (row.nettoliste, row.bruttoliste, row.klippekort) == SEED_LIST_COLUMNS[interface]


def test_monopoly_systems_and_their_kombit_replacements(sample: Portfolio) -> None:
    systems = sample.system_by_id
    replacements = {
        s.id: (s.replaces, s.lifecycle, s.monopoly) for s in sample.systems if s.replaces
    }
    assert replacements == {
        "ky": (("kmd-aktiv",), "to-be", True),
        "ksd": (("kmd-dagpenge",), "to-be", True),
        "sapa": (("kmd-sag",), "to-be", True),
    }
    for old in ("kmd-aktiv", "kmd-dagpenge", "kmd-sag"):
        assert (systems[old].monopoly, systems[old].lifecycle) == (True, "as-is")


# The seed's marks: (system, interface) -> (expiry, SKI, KOMMUNE, KOMBIT).
SEED_MARKS = {
    "SID001 KMD Udbetaling: KOMBIT only": (
        ("KMD Dagpenge", "SID001"),
        ("2016", False, False, True),
    ),
    "SID270 Data til KMD Essentia: KOMMUNE only": (
        ("KMD Dagpenge", "SID270"),
        ("2018", False, True, False),
    ),
    "SID153 Specifikke bestilte kommuneudtræk: KOMMUNE only": (
        ("KMD Aktiv", "SID153"),
        ("2017", False, True, False),
    ),
    "2067 OIO-Sag: KOMMUNE only": (("KMD Sag", "2067"), ("2018", False, True, False)),
    "2013 KMD Børn og voksne: SKI and KOMMUNE": (("KMD Sag", "2013"), ("2018", True, True, False)),
    "Prisme (Øko): SKI, KOMMUNE and KOMBIT": (
        ("KMD Dagpenge", "PRISME-POST"),
        ("2017", True, True, True),
    ),
}


@pytest.mark.parametrize("case", list(SEED_MARKS))
def test_overview_gives_the_seeds_marks(overview_json: list[dict[str, Any]], case: str) -> None:
    (system_name, interface), expected = SEED_MARKS[case]
    rows = [
        r for r in overview_json if r["system_name"] == system_name and r["interface"] == interface
    ]
    assert [(r["expires"], r["ski"], r["kommune"], r["kombit"]) for r in rows] == [expected]


# The rest of the seed's first overview table ('Få skabt et overblik'), as the data maps it.
SEED_OVERVIEW_ROWS = {
    ("KMD Dagpenge", "OPERA-DP"): ("2015", True, True, False),
    ("KMD Dagpenge", "ACADRE-DP"): ("2016", False, False, False),
    ("KMD Aktiv", "OPERA-AKTIV"): ("2017", False, False, False),
}


@pytest.mark.parametrize("row", list(SEED_OVERVIEW_ROWS))
def test_overview_gives_the_seeds_other_overview_rows(
    overview_json: list[dict[str, Any]], row: tuple[str, str]
) -> None:
    system_name, interface = row
    rows = [
        r for r in overview_json if r["system_name"] == system_name and r["interface"] == interface
    ]
    assert [(r["expires"], r["ski"], r["kommune"], r["kombit"]) for r in rows] == [
        SEED_OVERVIEW_ROWS[row]
    ]


def test_overview_json_rows_carry_system_interface_and_name(
    overview_json: list[dict[str, Any]],
) -> None:
    prisme = [r for r in overview_json if r["interface"] == "PRISME-POST"]
    assert [(r["system"], r["name"], r["category"], r["contract"]) for r in prisme] == [
        ("kmd-dagpenge", "Prisme (Øko) posteringer", "common-must", "K-DP-PRISME")
    ]


def test_every_sample_interface_is_categorised(sample: Portfolio) -> None:
    results = categorise(build_graph(sample))
    assert {r.interface for r in results} == {i.id for i in sample.interfaces}
    assert all(r.reasons[-1].startswith(f"rule {r.category.code} ") for r in results)
