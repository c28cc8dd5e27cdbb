"""The seed's overview: a row per monopoly system and contract, and the SKI/KOMMUNE/KOMBIT marks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from snitgraf.analysis.overview import OverviewRow, overview
from snitgraf.graph import build_graph
from snitgraf.loader import load_portfolio
from tests.portfolios import portfolio

Marks = tuple[bool, bool, bool]


def marks(row: OverviewRow) -> Marks:
    """(SKI, KOMMUNE, KOMBIT) of a row."""
    return (row.ski, row.kommune, row.kombit)


def one_interface(
    folder: Path,
    *,
    providers: list[tuple[str, str]],
    need: str | None,
    ski: dict[str, str] | None = None,
    contracts: list[dict[str, Any]] | None = None,
) -> list[OverviewRow]:
    """KMD Dagpenge (monopoly) uses interface I-<first provider> with `need` (None: no usage);
    providers are (system, supplier), each exposing I-<system> with data 'd'."""
    ski = ski or {}
    suppliers = sorted({s for _, s in providers} | {"kmd"})
    loaded = portfolio(
        folder,
        suppliers=[{"id": s, "name": s.upper(), "ski": ski.get(s, "")} for s in suppliers],
        systems=[
            {"id": "kmd-dagpenge", "name": "KMD Dagpenge", "supplier": "kmd", "monopoly": "ja"},
            *(
                {"id": system, "name": system.title(), "supplier": supplier}
                for system, supplier in providers
            ),
        ],
        interfaces=[
            {"id": f"I-{system}", "name": f"{system.title()} data", "provider": system, "data": "d"}
            for system, _ in providers
        ],
        usages=[]
        if need is None
        else [{"interface": f"I-{providers[0][0]}", "system": "kmd-dagpenge", "need": need}],
        contracts=contracts or [],
    )
    return overview(build_graph(loaded))


# --- marks per category --------------------------------------------------------------------


def test_kombit_98_is_marked_kombit_only(tmp_path: Path) -> None:
    rows = one_interface(
        tmp_path, providers=[("udbetaling", "kmd")], need="must", ski={"kmd": "02.19"}
    )
    assert [(r.interface, r.category, marks(r)) for r in rows] == [
        ("I-udbetaling", "kombit-98", (False, False, True))
    ]


def test_common_must_on_ski_is_marked_ski_kommune_and_kombit(tmp_path: Path) -> None:
    rows = one_interface(
        tmp_path,
        providers=[("prisme", "fujitsu"), ("opus", "kmd")],
        need="must",
        ski={"fujitsu": "02.19"},
    )
    assert [(r.interface, r.category, marks(r), r.provider_ski) for r in rows] == [
        ("I-prisme", "common-must", (True, True, True), "02.19")
    ]


def test_common_must_without_ski_is_marked_kommune_and_kombit(tmp_path: Path) -> None:
    rows = one_interface(tmp_path, providers=[("prisme", "fujitsu"), ("opus", "kmd")], need="skal")
    assert [(r.category, marks(r), r.provider_ski) for r in rows] == [
        ("common-must", (False, True, True), None)
    ]


def test_ski_mark_follows_the_interfaces_own_provider(tmp_path: Path) -> None:
    # The alternative's supplier (KMD) is on SKI, the used interface's supplier is not.
    rows = one_interface(
        tmp_path,
        providers=[("prisme", "fujitsu"), ("opus", "kmd")],
        need="must",
        ski={"kmd": "02.19"},
    )
    assert [(r.interface, marks(r)) for r in rows] == [("I-prisme", (False, True, True))]


def test_common_nice_on_ski_is_marked_ski_and_kommune(tmp_path: Path) -> None:
    rows = one_interface(
        tmp_path,
        providers=[("opera", "kmd"), ("workbase", "wb")],
        need="vil værdsætte",
        ski={"kmd": "02.19"},
    )
    assert [(r.category, marks(r)) for r in rows] == [("common-nice", (True, True, False))]


def test_unclassified_has_no_marks(tmp_path: Path) -> None:
    rows = one_interface(
        tmp_path, providers=[("acadre", "formpipe")], need="nice", ski={"formpipe": "02.19"}
    )
    assert [(r.category, marks(r)) for r in rows] == [("unclassified", (False, False, False))]


def test_municipal_interface_provided_by_a_monopoly_system_is_marked_kommune_only(
    tmp_path: Path,
) -> None:
    loaded = portfolio(
        tmp_path,
        suppliers=[{"id": "kmd", "name": "KMD", "ski": "02.19"}],
        systems=[
            {"id": "kmd-dagpenge", "name": "KMD Dagpenge", "supplier": "kmd", "monopoly": "ja"},
            {"id": "kmd-essentia", "name": "KMD Essentia", "supplier": "kmd"},
        ],
        interfaces=[
            {
                "id": "SID270",
                "name": "Posteringsgrænseflade SDP",
                "provider": "kmd-dagpenge",
                "data": "sdp",
            }
        ],
        usages=[{"interface": "SID270", "system": "kmd-essentia", "need": "skal"}],
        contracts=[
            {
                "id": "K-ESS",
                "interface": "SID270",
                "supplier": "kmd",
                "expires": "2018",
                "annual_cost_dkk": "42.000",
            }
        ],
    )
    rows = overview(build_graph(loaded))
    assert [r.to_json() for r in rows] == [
        {
            "system": "kmd-dagpenge",
            "system_name": "KMD Dagpenge",
            "role": "provides",
            "need": None,
            "interface": "SID270",
            "name": "Posteringsgrænseflade SDP",
            "category": "municipal",
            "contract": "K-ESS",
            "supplier": "kmd",
            "expires": "2018",
            "annual_cost_dkk": 42000,
            "ski": False,
            "kommune": True,
            "kombit": False,
            "provider_ski": "02.19",
        }
    ]


# --- rows ----------------------------------------------------------------------------------


def test_one_row_per_contract_covering_the_interface(tmp_path: Path) -> None:
    rows = one_interface(
        tmp_path,
        providers=[("udbetaling", "kmd")],
        need="must",
        contracts=[
            {"id": "K2", "interface": "I-udbetaling", "supplier": "kmd", "expires": "2018"},
            {
                "id": "K1",
                "interface": "I-udbetaling",
                "supplier": "kmd",
                "expires": "31.12.2016",
                "annual_cost_dkk": "85.000",
            },
        ],
    )
    assert [(r.contract, r.expires, r.annual_cost_dkk, marks(r)) for r in rows] == [
        ("K1", "2016-12-31", 85000.0, (False, False, True)),
        ("K2", "2018", None, (False, False, True)),
    ]


def test_an_interface_without_a_contract_gets_one_row_with_unknown_expiry(
    tmp_path: Path,
) -> None:
    rows = one_interface(tmp_path, providers=[("udbetaling", "kmd")], need="must")
    assert [r.to_json() for r in rows] == [
        {
            "system": "kmd-dagpenge",
            "system_name": "KMD Dagpenge",
            "role": "uses",
            "need": "must",
            "interface": "I-udbetaling",
            "name": "Udbetaling data",
            "category": "kombit-98",
            "contract": None,
            "supplier": None,
            "expires": None,
            "annual_cost_dkk": None,
            "ski": False,
            "kommune": False,
            "kombit": True,
            "provider_ski": None,
        }
    ]


def test_a_contract_with_unknown_expiry_keeps_it_unknown(tmp_path: Path) -> None:
    rows = one_interface(
        tmp_path,
        providers=[("udbetaling", "kmd")],
        need="must",
        contracts=[
            {
                "id": "K1",
                "interface": "I-udbetaling",
                "supplier": "kmd",
                "expires": "??",
                "annual_cost_dkk": "??",
            }
        ],
    )
    assert [(r.contract, r.expires, r.annual_cost_dkk) for r in rows] == [("K1", None, None)]


def test_interfaces_no_monopoly_system_touches_have_no_row(tmp_path: Path) -> None:
    rows = one_interface(tmp_path, providers=[("opera", "kmd"), ("workbase", "wb")], need=None)
    assert rows == []


def test_local_users_have_no_row(tmp_path: Path) -> None:
    loaded = portfolio(
        tmp_path,
        suppliers=[{"id": "kmd", "name": "KMD"}],
        systems=[
            {"id": "kmd-aktiv", "name": "KMD Aktiv", "supplier": "kmd", "monopoly": "ja"},
            {"id": "datavarehus", "name": "Datavarehus", "supplier": "kmd"},
        ],
        interfaces=[
            {
                "id": "SID153",
                "name": "Specifikke bestilte kommuneudtræk",
                "provider": "kmd-aktiv",
                "data": "udtraek",
            }
        ],
        usages=[{"interface": "SID153", "system": "datavarehus", "need": "must"}],
    )
    rows = overview(build_graph(loaded))
    assert [(r.system, r.role, r.need, r.category, marks(r)) for r in rows] == [
        ("kmd-aktiv", "provides", None, "municipal", (False, True, False))
    ]


def several_systems(folder: Path) -> list[OverviewRow]:
    loaded = portfolio(
        folder,
        suppliers=[{"id": "kmd", "name": "KMD"}],
        systems=[
            {"id": "kmd-sag", "name": "KMD Sag", "supplier": "kmd", "monopoly": "ja"},
            {"id": "kmd-aktiv", "name": "KMD Aktiv", "supplier": "kmd", "monopoly": "ja"},
            {"id": "p", "name": "P", "supplier": "kmd"},
        ],
        interfaces=[
            {
                "id": "SID214",
                "name": "KMD Sag Modtag hændelse",
                "provider": "kmd-aktiv",
                "data": "haendelse",
            },
            {"id": "2062", "name": "Modtag folkeregisterhændelser", "provider": "p", "data": "cpr"},
        ],
        usages=[
            {"interface": "SID214", "system": "kmd-sag", "need": "must"},
            {"interface": "2062", "system": "kmd-sag", "need": "must"},
            {"interface": "2062", "system": "kmd-aktiv", "need": "nice"},
        ],
    )
    return overview(build_graph(loaded))


def test_rows_are_sorted_by_system_name_then_interface(tmp_path: Path) -> None:
    rows = several_systems(tmp_path)
    assert [(r.system_name, r.interface, r.role, r.need) for r in rows] == [
        ("KMD Aktiv", "2062", "uses", "nice"),
        ("KMD Aktiv", "SID214", "provides", None),
        ("KMD Sag", "2062", "uses", "must"),
        ("KMD Sag", "SID214", "uses", "must"),
    ]


def test_provider_and_user_rows_of_one_interface_share_its_marks(tmp_path: Path) -> None:
    rows = [r for r in several_systems(tmp_path) if r.interface == "SID214"]
    assert [(r.system, r.role, r.category, marks(r)) for r in rows] == [
        ("kmd-aktiv", "provides", "kombit-98", (False, False, True)),
        ("kmd-sag", "uses", "kombit-98", (False, False, True)),
    ]


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        ("kmd-sag", [("kmd-sag", "2062"), ("kmd-sag", "SID214")]),
        ("kmd-aktiv", [("kmd-aktiv", "2062"), ("kmd-aktiv", "SID214")]),
        ("p", []),
        ("nowhere", []),
    ],
)
def test_system_filter_keeps_only_that_systems_rows(
    tmp_path: Path, system: str, expected: list[tuple[str, str]]
) -> None:
    loaded_rows = several_systems(tmp_path)
    graph_rows = overview(build_graph(load_portfolio(tmp_path)), system=system)
    assert [(r.system, r.interface) for r in graph_rows] == expected
    assert graph_rows == [r for r in loaded_rows if r.system == system]
