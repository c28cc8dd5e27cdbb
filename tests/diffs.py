"""A small hand-drawn portfolio and its variants, for the tests of `snitgraf diff`.

KMD Aktiv (monopoly, AS-IS) is replaced by KY (TO-BE, go-live 2017-06); it must use SID001
(payments, KMD's only) and J1 (journal, from SBSYS). K1 covers SID001 (expires 2018,
100,000 kr.), K2 covers J1 (expires 2016, 50,000 kr.).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from snitgraf.analysis.diff import PortfolioDiff, diff_portfolios
from tests.portfolios import write_portfolio

TODAY = date(2015, 1, 1)

Tables = dict[str, list[dict[str, Any]]]

BASE: Tables = {
    "suppliers": [
        {"id": "kmd", "name": "KMD", "ski": "02.19"},
        {"id": "eg", "name": "EG"},
        {"id": "fujitsu", "name": "Fujitsu"},
    ],
    "systems": [
        {"id": "kmd-aktiv", "name": "KMD Aktiv", "supplier": "kmd", "monopoly": "ja",
         "lifecycle": "as-is"},
        {"id": "ky", "name": "KY", "supplier": "eg", "monopoly": "ja", "lifecycle": "to-be",
         "replaces": "kmd-aktiv", "go_live": "2017-06"},
        {"id": "kmd-udbetaling", "name": "KMD Udbetaling", "supplier": "kmd"},
        {"id": "sbsys", "name": "SBSYS", "supplier": "fujitsu"},
    ],
    "interfaces": [
        {"id": "SID001", "name": "Udbetaling", "provider": "kmd-udbetaling", "data": "udbetaling"},
        {"id": "J1", "name": "Journal", "provider": "sbsys", "data": "journal"},
    ],
    "usages": [
        {"interface": "SID001", "system": "kmd-aktiv", "need": "skal"},
        {"interface": "J1", "system": "kmd-aktiv", "need": "skal"},
    ],
    "contracts": [
        {"id": "K1", "interface": "SID001", "supplier": "kmd", "expires": "2018",
         "annual_cost_dkk": "100000"},
        {"id": "K2", "interface": "J1", "supplier": "fujitsu", "expires": "2016",
         "annual_cost_dkk": "50000"},
    ],
}  # fmt: skip


def row(tables: Tables, kind: str, **match: str) -> dict[str, Any]:
    """The one row of a table whose columns have these values (to edit in place)."""
    (found,) = [r for r in tables[kind] if all(r.get(k) == v for k, v in match.items())]
    return found


def variant(change: Callable[[Tables], None], base: Tables = BASE) -> Tables:
    """A copy of the base tables with `change` applied."""
    tables = copy.deepcopy(base)
    change(tables)
    return tables


def write_pair(folder: Path, change: Callable[[Tables], None]) -> tuple[Path, Path]:
    """OLD (the base) and NEW (the base changed) as portfolio folders."""
    old = write_portfolio(folder / "old", **BASE)
    new = write_portfolio(folder / "new", **variant(change))
    return old, new


def diff_of(folder: Path, change: Callable[[Tables], None], **options: Any) -> PortfolioDiff:
    """The diff of the base against the base changed (today 2015-01-01 unless given)."""
    old, new = write_pair(folder, change)
    options.setdefault("today", TODAY)
    return diff_portfolios(str(old), str(new), **options)


def second_supplier(tables: Tables) -> None:
    """Fujitsu's Prisme exposes payments too: SID001's data has two suppliers."""
    tables["systems"].append({"id": "prisme", "name": "Prisme", "supplier": "fujitsu"})
    tables["interfaces"].append(
        {"id": "P1", "name": "Prisme udbetaling", "provider": "prisme", "data": "udbetaling"}
    )
