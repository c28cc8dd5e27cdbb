"""The human-readable columns of each result type (JSON keys live on the results themselves)."""

from __future__ import annotations

from snitgraf.render.tables import Column

CATEGORY_COLUMNS: tuple[Column, ...] = (
    Column("interface", lambda r: r.interface),
    Column("name", lambda r: r.name),
    Column("data", lambda r: r.data),
    Column("category", lambda r: r.category.code),
    Column("label", lambda r: r.category.label),
    Column("negotiates", lambda r: r.category.negotiates),
    Column("signs", lambda r: r.category.signs),
    Column("pays", lambda r: r.category.pays),
    Column("S", lambda r: r.supplier_count),
    Column("suppliers", lambda r: r.suppliers),
    Column("must_users", lambda r: r.must_users),
    Column("nice_users", lambda r: r.nice_users),
    Column("reasons", lambda r: r.reasons),
)
"""Columns of `categorize` (and categories.csv)."""

CATEGORY_TABLE_COLUMNS: tuple[Column, ...] = tuple(
    c for c in CATEGORY_COLUMNS if c.header not in ("reasons", "label", "data")
)
"""The terminal table leaves out the long columns; JSON, CSV and Markdown keep them."""

OVERVIEW_COLUMNS: tuple[Column, ...] = (
    Column("System", lambda r: r.system_name),
    Column("Snitflade", lambda r: f"{r.interface} {r.name}"),
    Column("Udløbsdato på kontrakt", lambda r: r.expires or "??"),
    Column("SKI", lambda r: r.ski),
    Column("KOMMUNE", lambda r: r.kommune),
    Column("KOMBIT", lambda r: r.kombit),
    Column("category", lambda r: r.category),
    Column("role", lambda r: r.role if r.need is None else f"{r.role} ({r.need})"),
    Column("contract", lambda r: r.contract),
)
"""Columns of `overview` (and overview.csv): the seed's table, then the evidence."""
