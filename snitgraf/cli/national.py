"""National-scale commands: generate a synthetic national portfolio, import from KITOS, and the
national view across municipalities."""

from __future__ import annotations

import uuid
from pathlib import Path

import click

from snitgraf.assessment import Assessment
from snitgraf.cli.assessing import with_assessment
from snitgraf.cli.common import (
    emit,
    format_option,
    neo4j_options,
    portfolio_argument,
    state_option,
)
from snitgraf.graph import State
from snitgraf.problems import SnitgrafError
from snitgraf.render.tables import Column, to_json_text


@click.command()
@click.option(
    "--municipalities",
    "-n",
    type=click.IntRange(min=1),
    default=98,
    show_default=True,
    help="How many municipalities (the 98 real ones first).",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Random seed: the same seed gives the same portfolio.",
)
@click.option(
    "--scale",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Multiply the catalogue and the usages (stress tests).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the portfolio's CSV files into.",
)
@click.option("--force", is_flag=True, help="Replace the CSV files of an existing folder.")
def generate(municipalities: int, seed: int, scale: int, out: Path, force: bool) -> None:
    """Write a synthetic national portfolio (Danish names, monopoly systems, a market)."""
    from snitgraf import generate as generator

    if out.exists() and not out.is_dir():
        raise SnitgrafError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.glob("*.csv")) and not force:
        raise SnitgrafError(f"{out}: already holds CSV files (use --force to replace them)")
    generated = generator.generate(municipalities, seed, scale)
    generator.write(generated, out)
    counts = ", ".join(f"{n} {kind}" for kind, n in generated.counts().items())
    click.echo(f"wrote {out}: {counts}")


def _uuid(param: click.Parameter, value: str) -> str:
    """A KITOS organisation UUID in its canonical form, or a usage error (exit 2)."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise click.BadParameter(f"not a UUID (value {value!r})", param=param) from None


NATIONAL_VIEWS = ("all", "categories", "interfaces", "suppliers")

INTERFACE_REACH_COLUMNS: tuple[Column, ...] = (
    Column("interface", lambda r: r.interface),
    Column("name", lambda r: r.name),
    Column("category", lambda r: r.category),
    Column("kommuner", lambda r: r.municipality_count),
    Column("provider", lambda r: r.provider),
    Column("suppliers", lambda r: r.suppliers),
    Column("contracts", lambda r: r.contracts),
    Column("annual_cost_dkk", lambda r: r.annual_cost_dkk),
    Column("reasons", lambda r: r.reasons),
)
CATEGORY_REACH_COLUMNS: tuple[Column, ...] = (
    Column("category", lambda r: r.category),
    Column("label", lambda r: r.label),
    Column("interfaces", lambda r: r.interfaces),
    Column("kommuner", lambda r: r.municipalities),
    Column("contracts", lambda r: r.contracts),
    Column("annual_cost_dkk", lambda r: r.annual_cost_dkk),
    Column("without_cost", lambda r: r.contracts_without_cost),
)
SUPPLIER_COLUMNS: tuple[Column, ...] = (
    Column("rank", lambda r: r.rank),
    Column("supplier", lambda r: r.supplier),
    Column("name", lambda r: r.name),
    Column("kommuner", lambda r: r.municipality_count),
    Column("data", lambda r: len(r.data)),
    Column("interfaces", lambda r: r.interfaces),
    Column("reasons", lambda r: r.reasons),
)


@click.command()
@portfolio_argument
@neo4j_options
@click.option(
    "--view",
    type=click.Choice(NATIONAL_VIEWS),
    default="all",
    show_default=True,
    help="Which national table; csv needs one.",
)
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=None,
    help="Only the first N interfaces (by number of municipalities); 0 = all. "
    "Default: 20 in the terminal and Markdown with --view all, else all.",
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
    tables = {
        "categories": (result.categories, CATEGORY_REACH_COLUMNS, "Kategorier på landsplan"),
        "interfaces": (interfaces, INTERFACE_REACH_COLUMNS, "Snitflader på tværs af kommuner"),
        "suppliers": (
            result.suppliers,
            SUPPLIER_COLUMNS,
            "Leverandører, som kommunerne afhænger af for data, et monopolsystem skal have",
        ),
    }
    if view != "all":
        rows, columns, title = tables[view]
        emit(rows, columns, fmt, title, _short(columns))
        return
    if fmt == "csv":
        raise click.UsageError("--format csv needs one --view (categories, interfaces, suppliers)")
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
    click.echo(f"{result.municipalities} municipalities")
    for rows, columns, title in tables.values():
        if fmt == "md":
            click.echo(f"\n### {title}\n")
        emit(rows, columns, fmt, title if fmt == "table" else None, _short(columns))


def _short(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """The terminal table leaves out the long reasons; JSON, CSV and Markdown keep them."""
    return tuple(c for c in columns if c.header != "reasons")


@click.command("import-kitos")
@click.option(
    "--from-dir",
    "from_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Saved KITOS API v2 responses: <endpoint>[-<page>].json.",
)
@click.option("--url", help="KITOS base URL, e.g. https://kitos.dk (token from KITOS_TOKEN).")
@click.option(
    "--organization",
    required=True,
    metavar="UUID",
    callback=lambda _ctx, param, value: _uuid(param, value),
    help="The organisation (municipality) in KITOS.",
)
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    metavar="PORTFOLIO",
    help="Portfolio folder to import into (created if missing).",
)
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Mapping file (TOML) with what KITOS does not know "
    "[default: PORTFOLIO/kitos-<UUID>.toml].",
)
@click.option(
    "--page-size",
    type=click.IntRange(1, 250),
    default=250,
    show_default=True,
    help="Items per page with --url.",
)
@click.option(
    "--save",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --url: also save the responses here (for --from-dir later).",
)
def import_kitos(
    from_dir: Path | None,
    url: str | None,
    organization: str,
    into: Path,
    mapping: Path | None,
    page_size: int,
    save: Path | None,
) -> None:
    """Import a municipality's inventory from OS2 KITOS into a portfolio folder."""
    import os

    from snitgraf.io import kitos

    if (from_dir is None) == (url is None):
        raise click.UsageError("give exactly one of --from-dir and --url")
    if from_dir is not None:
        pages = kitos.read_dir(from_dir)
    else:
        assert url is not None
        token = os.environ.get(kitos.TOKEN_VARIABLE, "").strip()
        if not token:
            raise SnitgrafError(f"--url needs a KITOS API token in {kitos.TOKEN_VARIABLE}")
        client = kitos.KitosClient(url, token, page_size=page_size)
        pages = kitos.fetch(client, organization)
        if save is not None:
            kitos.save_pages(pages, save)
    result, written = kitos.import_into(pages, organization, into, mapping)
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts().items())
    click.echo(
        f"imported municipality {result.municipality} ({result.municipality_name}): {counts}"
    )
    if result.missing:
        click.echo(f"{len(result.missing)} thing(s) KITOS does not know (defaults used):")
        for line in result.missing:
            click.echo(f"  {line}")
    if result.skipped:
        click.echo(f"{len(result.skipped)} skipped:")
        for line in result.skipped:
            click.echo(f"  {line}")
    for path in written:
        click.echo(f"wrote {path}")


COMMANDS: list[click.Command] = [generate, national, import_kitos]
