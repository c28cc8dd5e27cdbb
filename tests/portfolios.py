"""Small hand-drawn portfolios for tests: write CSV files from a few rows, load them back."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from snitgraf.loader import FILE_SPECS, load_portfolio
from snitgraf.model import Portfolio
from snitgraf.problems import PortfolioError

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "kombit-2014"

Rows = Sequence[Mapping[str, object]]


def write_portfolio(folder: Path, **tables: Rows) -> Path:
    """Write a portfolio folder: one CSV per keyword (suppliers=[{...}], ...); missing core
    files are written empty with their required header, so tests name only what they need."""
    folder.mkdir(parents=True, exist_ok=True)
    for kind, spec in FILE_SPECS.items():
        rows = tables.get(kind)
        if rows is None and not spec.required:
            continue
        rows = rows or []
        header: list[str] = list(spec.required_columns)
        for row in rows:
            header += [k for k in row if k not in header]
        with (folder / spec.filename).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow(["" if row.get(h) is None else str(row.get(h)) for h in header])
    return folder


def portfolio(folder: Path, **tables: Rows) -> Portfolio:
    """Write and load a portfolio."""
    return load_portfolio(write_portfolio(folder, **tables))


def market(
    folder: Path,
    providers: Sequence[tuple[str, str]],
    users: Sequence[tuple[str, str, bool]],
    data: str = "d",
) -> Portfolio:
    """A one-data-key portfolio: providers as (system, supplier), users as (system, need, monopoly).

    Each provider exposes interface `I-<system>` carrying `data`; each user uses the first one.
    """
    suppliers = sorted({s for _, s in providers} | {"sup-user"})
    systems = [{"id": sys_id, "name": sys_id.upper(), "supplier": sup} for sys_id, sup in providers]
    systems += [
        {"id": sys_id, "name": sys_id.upper(), "supplier": "sup-user", "monopoly": mono}
        for sys_id, _need, mono in users
    ]
    interfaces = [
        {"id": f"I-{sys_id}", "name": f"Interface of {sys_id}", "provider": sys_id, "data": data}
        for sys_id, _ in providers
    ]
    usages = [
        {"interface": f"I-{providers[0][0]}", "system": sys_id, "need": need}
        for sys_id, need, _mono in users
    ]
    return portfolio(
        folder,
        suppliers=[{"id": s, "name": s.title()} for s in suppliers],
        systems=systems,
        interfaces=interfaces,
        usages=usages,
    )


def tables(**overrides: Any) -> dict[str, Any]:
    """A small valid portfolio (one monopoly user, one provider, one contract) to spoil."""
    base: dict[str, Any] = {
        "suppliers": [{"id": "kmd", "name": "KMD", "ski": "02.19"}],
        "systems": [
            {"id": "kmd-dagpenge", "name": "KMD Dagpenge", "supplier": "kmd", "monopoly": "ja"},
            {"id": "kmd-udbetaling", "name": "KMD Udbetaling", "supplier": "kmd"},
        ],
        "interfaces": [
            {
                "id": "SID001",
                "name": "KMD Udbetaling Batch",
                "provider": "kmd-udbetaling",
                "data": "udbetaling",
            }
        ],
        "usages": [{"interface": "SID001", "system": "kmd-dagpenge", "need": "skal"}],
        "contracts": [{"id": "K1", "interface": "SID001", "supplier": "kmd", "expires": "2016"}],
    }
    base.update(overrides)
    return base


def problems(path: Path) -> list[str]:
    """The problem lines loading a portfolio reports (fails if it loads)."""
    with pytest.raises(PortfolioError) as error:
        load_portfolio(path)
    return error.value.lines()
