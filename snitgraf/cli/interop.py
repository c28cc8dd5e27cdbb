"""Interoperability commands: export (xlsx, ArchiMate), import-kmd, import-archimate, report."""

from __future__ import annotations

from pathlib import Path

import click

from snitgraf.assessment import Assessment
from snitgraf.cli.assessing import date_options, with_assessment
from snitgraf.cli.common import backend_options, portfolio_argument, require_networkx
from snitgraf.graph import nodes
from snitgraf.problems import SnitgrafError
from snitgraf.schema import Label

EXPORT_FORMATS = ("xlsx", "archimate")


@click.command()
@portfolio_argument
@click.option(
    "--to",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="xlsx: a workbook for reading; archimate: an exchange file for Archi.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write (.xlsx or .xml).",
)
@with_assessment
def export(assessment: Assessment, fmt: str, out: Path) -> None:
    """Export a portfolio as an Excel workbook or an ArchiMate exchange file."""
    portfolio = require_networkx(assessment.backend, "export").portfolio
    categories = assessment.categorised("all")
    if fmt == "xlsx":
        from snitgraf.io.xlsx_export import write_xlsx

        write_xlsx(portfolio, out, categories, assessment.overview(None, "all"))
        click.echo(
            f"wrote {out}: {_counted(portfolio.counts())} "
            f"+ categories ({len(categories)}) + overview"
        )
        return
    from snitgraf.io.archimate import write_archimate

    to_be = {a["id"] for _k, a in nodes(assessment.transition.to_be, Label.SYSTEM)}
    counts = write_archimate(
        portfolio, out, categories, to_be, to_be_categories=assessment.categorised("to-be")
    )
    elements = ", ".join(f"{n} {t}" for t, n in counts.elements.items())
    click.echo(
        f"wrote {out}: {elements}; {sum(counts.relationships.values())} relationships; "
        f"{counts.views} views"
    )


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)


def _empty_or_new(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise SnitgrafError(f"{folder}: exists and is not a folder")
    if folder.is_dir() and any(folder.glob("*.csv")) and not force:
        raise SnitgrafError(f"{folder}: already holds CSV files (use --force to replace them)")


@click.command("import-archimate")
@click.argument("model", type=click.Path(dir_okay=False, path_type=Path), metavar="MODEL.xml")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The portfolio folder to write.",
)
@click.option("--force", is_flag=True, help="Replace the CSV files of an existing folder.")
def import_archimate(model: Path, out: Path, force: bool) -> None:
    """Read an ArchiMate exchange file (from snitgraf or Archi) into a portfolio folder."""
    from snitgraf.io.archimate import import_archimate as run

    if not model.is_file():
        raise SnitgrafError(f"{model}: no such file")
    _empty_or_new(out, force)
    result, written = run(model, out)
    click.echo(f"{model}: {_counted(result.portfolio.counts())}")
    for kind, n in sorted({**result.ignored_elements, **result.ignored_relationships}.items()):
        click.echo(f"  left out {n} {kind} (not modelled by snitgraf)")
    for path in written:
        click.echo(f"wrote {path}")


COMMANDS: list[click.Command] = [export, import_archimate]


@click.command("import-kmd")
@click.argument(
    "kmd_list", type=click.Path(dir_okay=False, path_type=Path), metavar="LIST.(xlsx|csv)"
)
@click.option(
    "--for",
    "for_system",
    required=True,
    metavar="SYSTEM_ID",
    help="The monopoly system the list belongs to (e.g. kmd-dagpenge).",
)
@click.option(
    "--into",
    "portfolio",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="PORTFOLIO",
    help="The portfolio folder to merge into.",
)
@click.option(
    "--need",
    type=click.Choice(["must", "nice"]),
    default="must",
    show_default=True,
    help="The need of the usages the list adds.",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
def import_kmd(kmd_list: Path, for_system: str, portfolio: Path, need: str, dry_run: bool) -> None:
    """Merge a KMD interface list into a portfolio folder (never overwriting what it says)."""
    from snitgraf.io.kmd import merge_kmd_list

    result = merge_kmd_list(kmd_list, for_system, portfolio, need, dry_run)
    verb = "would add" if dry_run else "added"
    click.echo(
        f"{kmd_list}: {result.rows} rows: {verb} {len(result.added_interfaces)} interfaces, "
        f"{len(result.added_usages)} usages, {len(result.created_systems)} systems; "
        f"{result.unchanged} unchanged; {len(result.conflicts)} conflicts"
    )
    for system_id, name in result.created_systems:
        click.echo(f"new system {system_id} ({name}): complete its supplier and monopoly")
    for conflict in result.conflicts:
        click.echo(f"conflict: {conflict}")
    for note in result.notes:
        click.echo(f"note: {note}")
    for path in result.written:
        click.echo(f"wrote {path}")


COMMANDS.append(import_kmd)


@click.command()
@portfolio_argument
@backend_options
@date_options
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="The HTML file to write.",
)
@with_assessment
def report(assessment: Assessment, out: Path) -> None:
    """The management report: one offline HTML page with charts, overview, plan and budget."""
    from snitgraf.render.report import write_report

    click.echo(f"wrote {write_report(assessment, out)}")


COMMANDS.append(report)
