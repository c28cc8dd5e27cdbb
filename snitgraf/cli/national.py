"""National-scale commands: generate a synthetic national portfolio, import from KITOS, and the
national view across municipalities."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from snitgraf.assessment import Assessment
from snitgraf.cli.assessing import with_assessment
from snitgraf.cli.common import (
    counted,
    emit,
    format_option,
    neo4j_options,
    portfolio_argument,
    state_option,
)
from snitgraf.graph import State
from snitgraf.i18n import N_, _, format_dkk
from snitgraf.problems import SnitgrafError
from snitgraf.render.tables import Column, JsonResult, to_json_text


@click.command()
@click.option(
    "--municipalities",
    "-n",
    type=click.IntRange(min=1),
    default=98,
    show_default=True,
    help=N_("How many municipalities (the 98 real ones first)."),
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help=N_("Random seed: the same seed gives the same portfolio."),
)
@click.option(
    "--scale",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help=N_("Multiply the catalogue and the usages (stress tests)."),
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help=N_("Folder to write the portfolio's CSV files into."),
)
@click.option("--force", is_flag=True, help=N_("Replace the CSV files of an existing folder."))
def generate(municipalities: int, seed: int, scale: int, out: Path, force: bool) -> None:
    """Write a synthetic national portfolio (Danish names, monopoly systems, a market)."""
    from snitgraf import generate as generator

    if out.exists() and not out.is_dir():
        raise SnitgrafError(_("{path}: exists and is not a folder").format(path=out))
    if out.is_dir() and any(out.glob("*.csv")) and not force:
        raise SnitgrafError(
            _("{path}: already holds CSV files (use --force to replace them)").format(path=out)
        )
    generated = generator.generate(municipalities, seed, scale)
    generator.write(generated, out)
    counts = counted(generated.counts(), always=tuple(generated.counts()))
    click.echo(_("wrote {path}: {counts}").format(path=out, counts=counts))


NATIONAL_VIEWS = ("all", "categories", "interfaces", "suppliers")

INTERFACE_REACH_COLUMNS: tuple[Column, ...] = (
    Column(N_("interface"), lambda r: r.interface),
    Column(N_("name"), lambda r: r.name),
    Column(N_("category"), lambda r: r.category),
    Column("kommuner", lambda r: r.municipality_count),
    Column(N_("provider"), lambda r: r.provider),
    Column(N_("suppliers"), lambda r: r.suppliers),
    Column(N_("contracts"), lambda r: r.contracts),
    Column(
        N_("annual_cost_dkk"), lambda r: r.annual_cost_dkk, lambda r: format_dkk(r.annual_cost_dkk)
    ),
    Column(N_("reasons"), lambda r: r.reasons),
)
CATEGORY_REACH_COLUMNS: tuple[Column, ...] = (
    Column(N_("category"), lambda r: r.category),
    Column(N_("label"), lambda r: r.label),
    Column(N_("interfaces"), lambda r: r.interfaces),
    Column("kommuner", lambda r: r.municipalities),
    Column(N_("contracts"), lambda r: r.contracts),
    Column(
        N_("annual_cost_dkk"), lambda r: r.annual_cost_dkk, lambda r: format_dkk(r.annual_cost_dkk)
    ),
    Column(N_("without_cost"), lambda r: r.contracts_without_cost),
)
SUPPLIER_COLUMNS: tuple[Column, ...] = (
    Column(N_("rank"), lambda r: r.rank),
    Column(N_("supplier"), lambda r: r.supplier),
    Column(N_("name"), lambda r: r.name),
    Column("kommuner", lambda r: r.municipality_count),
    Column(N_("data"), lambda r: len(r.data)),
    Column(N_("interfaces"), lambda r: r.interfaces),
    Column(N_("reasons"), lambda r: r.reasons),
)


@click.command()
@portfolio_argument
@neo4j_options
@click.option(
    "--view",
    type=click.Choice(NATIONAL_VIEWS),
    default="all",
    show_default=True,
    help=N_("Which national table; csv needs one."),
)
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=None,
    help=N_(
        "Only the first N interfaces (by number of municipalities); 0 = all. "
        "Default: 20 in the terminal and Markdown with --view all, else all."
    ),
)
@state_option()
@format_option()
@with_assessment
def national(assessment: Assessment, view: str, top: int | None, state: State, fmt: str) -> None:
    """The national picture: interfaces, categories and suppliers across municipalities."""
    from snitgraf.analysis.national import national_view

    result = national_view(assessment.state_graph(state), assessment.categorised(state))
    if top is None:
        top = 20 if view == "all" and fmt in ("table", "md") else 0
    interfaces = result.interfaces[:top] if top else result.interfaces
    tables: dict[str, tuple[Sequence[JsonResult], tuple[Column, ...], str]] = {
        "categories": (result.categories, CATEGORY_REACH_COLUMNS, _("Categories nationally")),
        "interfaces": (
            interfaces,
            INTERFACE_REACH_COLUMNS,
            _("Interfaces across municipalities"),
        ),
        "suppliers": (
            result.suppliers,
            SUPPLIER_COLUMNS,
            _("Suppliers the municipalities depend on for data a monopoly system must have"),
        ),
    }
    if view != "all":
        rows, columns, title = tables[view]
        emit(rows, columns, fmt, title, _short(columns))
        return
    if fmt == "csv":
        raise click.UsageError(
            _("--format csv needs one --view (categories, interfaces, suppliers)")
        )
    if fmt == "json":
        click.echo(
            to_json_text(
                {
                    "municipalities": result.municipalities,
                    **{name: [r.to_json() for r in rows] for name, (rows, _, _) in tables.items()},
                }
            ),
            nl=False,
        )
        return
    click.echo(_("{n} municipalities").format(n=result.municipalities))
    for rows, columns, title in tables.values():
        if fmt == "md":
            click.echo(f"\n### {title}\n")
        emit(rows, columns, fmt, title if fmt == "table" else None, _short(columns))


def _short(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """The terminal table leaves out the long reasons; JSON, CSV and Markdown keep them."""
    return tuple(c for c in columns if c.header != "reasons")


COMMANDS: list[click.Command] = [generate, national]
"""import-kitos lives with the other importers, in snitgraf.cli.interop."""
