"""Scenarios several test modules share: hand-drawn portfolios around one replacement.

The replacement: OLD (a KMD monopoly system, AS-IS only) is replaced by NEW (EG's monopoly
system, TO-BE only). `replacement_systems()` gives the two systems rows; the scenarios build on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from snitgraf.graph import build_graph
from tests.portfolios import portfolio, write_portfolio

SUPPLIERS = [
    {"id": "kmd", "name": "KMD"},
    {"id": "eg", "name": "EG"},
    {"id": "fuj", "name": "Fujitsu"},
    {"id": "kombit", "name": "KOMBIT"},
]


def replacement_systems(
    go_live: str | None = "2017-06", old: str = "old", new: str = "new"
) -> list[dict[str, str]]:
    """The systems rows of the replacement: OLD (monopoly, as-is, KMD) and NEW (monopoly, to-be,
    EG) that replaces it, going live on go_live (None: unknown)."""
    rows = [
        {"id": old, "name": old.title(), "supplier": "kmd", "monopoly": "ja", "lifecycle": "as-is"},
        {
            "id": new,
            "name": new.title(),
            "supplier": "eg",
            "monopoly": "ja",
            "lifecycle": "to-be",
            "replaces": old,
        },
    ]
    if go_live is not None:
        rows[1]["go_live"] = go_live
    return rows


def transition_portfolio(folder: Path, **overrides: Any) -> nx.MultiDiGraph:
    """OLD (monopoly, as-is) is replaced by NEW (to-be, 2017-06); GONE is as-is, not replaced.

    I-ECO   eco -> old (must)                 -> repointed (user old -> new)
    I-OLD   old -> local (must)               -> repointed (provider old -> new)
    I-INC   local -> old (must); new already uses I-INFRA (same data) -> retired
    I-INFRA infra (to-be) -> new (must)       -> new
    I-GONE  gone -> old (must)                -> retired (no provider)
    I-KEEP  eco -> local (nice)               -> kept
    """
    tables: dict[str, Any] = {
        "suppliers": SUPPLIERS,
        "systems": [
            *replacement_systems("2017-06"),
            {"id": "eco", "name": "Eco", "supplier": "fuj"},
            {"id": "local", "name": "Local", "supplier": "kmd"},
            {"id": "gone", "name": "Gone", "supplier": "kmd", "lifecycle": "as-is"},
            {
                "id": "infra",
                "name": "Infra",
                "supplier": "kombit",
                "monopoly": "ja",
                "lifecycle": "to-be",
                "go_live": "2015",
            },
        ],
        "interfaces": [
            {"id": "I-ECO", "name": "Eco postings", "provider": "eco", "data": "eco"},
            {"id": "I-OLD", "name": "Old extract", "provider": "old", "data": "extract"},
            {"id": "I-INC", "name": "Income lookup", "provider": "local", "data": "income"},
            {"id": "I-INFRA", "name": "Income service", "provider": "infra", "data": "income"},
            {"id": "I-GONE", "name": "Gone data", "provider": "gone", "data": "gone"},
            {"id": "I-KEEP", "name": "Eco to local", "provider": "eco", "data": "keep"},
        ],
        "usages": [
            {"interface": "I-ECO", "system": "old", "need": "must"},
            {"interface": "I-OLD", "system": "local", "need": "must"},
            {"interface": "I-INC", "system": "old", "need": "must"},
            {"interface": "I-INFRA", "system": "new", "need": "must"},
            {"interface": "I-GONE", "system": "old", "need": "must"},
            {"interface": "I-KEEP", "system": "local", "need": "nice"},
        ],
        "contracts": [
            {
                "id": "K-ECO",
                "interface": "I-ECO",
                "supplier": "fuj",
                "expires": "2016",
                "annual_cost_dkk": "1000",
            },
            {
                "id": "K-INC",
                "interface": "I-INC",
                "supplier": "kmd",
                "expires": "2018",
                "annual_cost_dkk": "200",
            },
        ],
    }
    tables.update(overrides)
    return build_graph(portfolio(folder, **tables))


PLAN_SYSTEMS = [
    {"id": "old1", "name": "Old One", "supplier": "kmd", "monopoly": "ja", "lifecycle": "as-is"},
    {
        "id": "new1",
        "name": "New One",
        "supplier": "eg",
        "monopoly": "ja",
        "lifecycle": "to-be",
        "replaces": "old1",
        "go_live": "2017-06",
    },
    {"id": "old2", "name": "Old Two", "supplier": "kmd", "monopoly": "ja", "lifecycle": "as-is"},
    {
        "id": "new2",
        "name": "New Two",
        "supplier": "eg",
        "monopoly": "ja",
        "lifecycle": "to-be",
        "replaces": "old2",
        "go_live": "2016",
    },
    {"id": "p1", "name": "P1", "supplier": "fuj"},
    {"id": "p2", "name": "P2", "supplier": "kmd"},
    {"id": "local", "name": "Local", "supplier": "kmd"},
    {"id": "gone", "name": "Gone", "supplier": "kmd", "lifecycle": "as-is"},
]


def plan_graph(
    folder: Path,
    interfaces: list[tuple[str, str, str]],
    usages: list[tuple[str, str, str]],
    contracts: list[tuple[str, str, str, str]] = (),  # type: ignore[assignment]
) -> nx.MultiDiGraph:
    """interfaces (id, provider, data); usages (interface, system, need);
    contracts (id, interface, expires, annual cost)."""
    return build_graph(
        portfolio(
            folder,
            suppliers=SUPPLIERS,
            systems=PLAN_SYSTEMS,
            interfaces=[
                {"id": i, "name": f"Interface {i}", "provider": p, "data": d}
                for i, p, d in interfaces
            ],
            usages=[{"interface": i, "system": s, "need": n} for i, s, n in usages],
            contracts=[
                {"id": c, "interface": i, "supplier": "kmd", "expires": e, "annual_cost_dkk": a}
                for c, i, e, a in contracts
            ],
        )
    )


def two_municipalities(folder: Path) -> Path:
    """Both run OLD (a KMD monopoly system) and SHARED. 101 runs ECO1 (Fujitsu), 102 runs ECO2
    (KMD) and CASE2; both ECOs carry data 'eco' that OLD must use, so across the catalogue the
    data has two suppliers. NEW (EG) replaces OLD in TO-BE and nobody lists it as deployed.
    SHARED's interface is used in 102 only; ECO1's I-NONE by nobody at all."""
    return write_portfolio(
        folder,
        suppliers=[
            {"id": "kmd", "name": "KMD"},
            {"id": "eg", "name": "EG"},
            {"id": "fuj", "name": "Fujitsu"},
            {"id": "sch", "name": "Schultz"},
        ],
        systems=[
            *replacement_systems("2017"),
            {"id": "eco1", "name": "Eco 1", "supplier": "fuj"},
            {"id": "eco2", "name": "Eco 2", "supplier": "kmd"},
            {"id": "case2", "name": "Case 2", "supplier": "sch"},
            {"id": "shared", "name": "Shared", "supplier": "sch"},
        ],
        interfaces=[
            {"id": "I-E1", "name": "Eco 1 out", "provider": "eco1", "data": "eco"},
            {"id": "I-E2", "name": "Eco 2 out", "provider": "eco2", "data": "eco"},
            {"id": "I-NONE", "name": "Unused", "provider": "eco1", "data": "spare"},
            {"id": "I-S2", "name": "Case 2 out", "provider": "case2", "data": "case"},
            {"id": "I-SH", "name": "Shared out", "provider": "shared", "data": "shared"},
        ],
        usages=[
            {"interface": "I-E1", "system": "old", "need": "must", "municipality": "101"},
            {"interface": "I-E2", "system": "old", "need": "must", "municipality": "102"},
            {"interface": "I-S2", "system": "old", "need": "must", "municipality": "102"},
            {"interface": "I-SH", "system": "old", "need": "nice", "municipality": "102"},
        ],
        contracts=[
            {
                "id": "K-1",
                "interface": "I-E1",
                "supplier": "fuj",
                "expires": "2016",
                "annual_cost_dkk": "1000",
                "municipality": "101",
            },
            {"id": "K-2", "interface": "I-E2", "supplier": "kmd", "municipality": "102"},
        ],
        municipalities=[{"code": "101", "name": "Aby"}, {"code": "102", "name": "Bby"}],
        deployments=[
            {"municipality": "101", "system": "old"},
            {"municipality": "101", "system": "eco1"},
            {"municipality": "101", "system": "shared"},
            {"municipality": "102", "system": "old"},
            {"municipality": "102", "system": "eco2"},
            {"municipality": "102", "system": "case2"},
            {"municipality": "102", "system": "shared"},
        ],
    )
