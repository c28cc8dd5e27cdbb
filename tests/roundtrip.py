"""Portfolios a format's round trip must preserve (xlsx, ArchiMate): awkward values, and any
text hypothesis draws wherever the format takes free text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from snitgraf.model import Portfolio
from tests.portfolios import portfolio


def content(p: Portfolio) -> dict[str, Any]:
    """Everything a portfolio says, without where it was read from."""
    return p.model_dump(exclude={"source"})


def awkward(folder: Path) -> Portfolio:
    """Values that a careless spreadsheet round trip would change."""
    return portfolio(
        folder,
        suppliers=[{"id": "kmd", "name": "KMD", "ski": "02.19"}, {"id": "007", "name": "=SUM"}],
        systems=[
            {
                "id": "kmd-sag",
                "name": "KMD Sag",
                "supplier": "kmd",
                "monopoly": "ja",
                "lifecycle": "as-is",
            },
            {
                "id": "sapa",
                "name": "SAPA",
                "supplier": "007",
                "monopoly": "x",
                "lifecycle": "to-be",
                "replaces": "kmd-sag",
                "go_live": "2016-03",
                "domain": "sag",
                "kilde": "research",
            },
        ],
        interfaces=[
            {
                "id": "2008",
                "name": "Modtag hændelse (TSA)",
                "provider": "sapa",
                "data": "d",
                "nettoliste": "1.1.1",
                "bruttoliste": "09",
                "klippekort": "P11-3",
                "listegruppe": "1a",
            },
        ],
        usages=[
            {
                "interface": "2008",
                "system": "kmd-sag",
                "need": "vil værdsætte",
                "direction": "ind",
                "municipality": "751",
            }
        ],
        contracts=[
            {
                "id": "K1",
                "interface": "2008",
                "supplier": "kmd",
                "expires": "2017",
                "annual_cost_dkk": "1.234,56",
                "note": "første | anden",
            },
            {
                "id": "K2",
                "interface": "2008",
                "supplier": "kmd",
                "expires": "31-12-2016",
                "annual_cost_dkk": "12,5",
            },
            {"id": "K3", "interface": "2008", "supplier": "007", "expires": "??"},
        ],
        municipalities=[{"code": "751", "name": "Aarhus"}],
        deployments=[{"municipality": "751", "system": "kmd-sag"}],
    )


TEXT = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(lambda t: t not in ("", "??", "?") and "|" not in t)
)


@st.composite
def small_portfolios(draw: st.DrawFn) -> dict[str, dict[str, str]]:
    """One of each row, with arbitrary text wherever the format takes free text."""
    return {
        "supplier": {"id": draw(TEXT), "name": draw(TEXT), "ski": draw(TEXT)},
        "values": {
            "system_name": draw(TEXT),
            "domain": draw(TEXT),
            "ejer": draw(TEXT),
            "interface": draw(TEXT),
            "note": draw(TEXT),
            "netto": draw(TEXT),
            "expires": draw(st.sampled_from(["2017", "2017-06", "2017-06-30", "??"])),
            "cost": draw(st.sampled_from(["", "0", "85000", "1.234,5"])),
        },
    }


def build_drawn(folder: Path, drawn: dict[str, Any]) -> Portfolio:
    """The portfolio of one `small_portfolios()` draw."""
    supplier = drawn["supplier"]
    extra = drawn["values"]
    return portfolio(
        folder,
        suppliers=[supplier],
        systems=[
            {
                "id": "s1",
                "name": extra["system_name"],
                "supplier": supplier["id"],
                "domain": extra["domain"],
                "ejer": extra["ejer"],
                "go_live": extra["expires"],
            }
        ],
        interfaces=[
            {
                "id": extra["interface"],
                "name": extra["system_name"],
                "provider": "s1",
                "data": extra["domain"],
                "nettoliste": extra["netto"],
            }
        ],
        usages=[{"interface": extra["interface"], "system": "s1", "need": "must"}],
        contracts=[
            {
                "id": "K1",
                "interface": extra["interface"],
                "supplier": supplier["id"],
                "expires": extra["expires"],
                "annual_cost_dkk": extra["cost"],
                "note": extra["note"],
            }
        ],
    )
