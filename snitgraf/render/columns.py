"""The human-readable columns of each result type (JSON keys live on the results themselves)."""

from __future__ import annotations

from snitgraf.i18n import N_
from snitgraf.render.tables import Column
from snitgraf.words import word

CATEGORY_COLUMNS: tuple[Column, ...] = (
    Column(N_("interface"), lambda r: r.interface),
    Column(N_("name"), lambda r: r.name),
    Column(N_("data"), lambda r: r.data),
    Column(N_("category"), lambda r: r.category.code),
    Column(N_("label"), lambda r: r.category.label),
    Column(N_("negotiates"), lambda r: r.category.negotiates),
    Column(N_("signs"), lambda r: r.category.signs),
    Column(N_("pays"), lambda r: r.category.pays),
    Column("S", lambda r: r.supplier_count),
    Column(N_("suppliers"), lambda r: r.suppliers),
    Column(N_("must_users"), lambda r: r.must_users),
    Column(N_("nice_users"), lambda r: r.nice_users),
    Column(N_("reasons"), lambda r: r.reasons),
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
    Column(N_("category"), lambda r: r.category),
    Column(
        N_("role"),
        lambda r: r.role if r.need is None else f"{r.role} ({r.need})",
        lambda r: word(r.role) if r.need is None else f"{word(r.role)} ({word(r.need)})",
    ),
    Column(N_("contract"), lambda r: r.contract),
)
"""Columns of `overview` (and overview.csv): the seed's table, then the evidence."""
