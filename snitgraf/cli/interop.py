"""Interoperability commands: export (xlsx, ArchiMate), import-kmd, import-archimate, report."""

from __future__ import annotations

from pathlib import Path

import click

from snitgraf.assessment import Assessment
from snitgraf.cli.assessing import date_options, with_assessment
from snitgraf.cli.common import backend_options, counted, portfolio_argument, require_networkx
from snitgraf.graph import nodes
from snitgraf.i18n import N_, _
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
    help=N_("xlsx: a workbook for reading; archimate: an exchange file for Archi."),
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help=N_("The file to write (.xlsx or .xml)."),
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
            _("wrote {path}: {counts} + categories ({n}) + overview").format(
                path=out, counts=counted(portfolio.counts()), n=len(categories)
            )
        )
        return
    from snitgraf.io.archimate import write_archimate

    to_be = {a["id"] for _k, a in nodes(assessment.transition.to_be, Label.SYSTEM)}
    counts = write_archimate(
        portfolio, out, categories, to_be, to_be_categories=assessment.categorised("to-be")
    )
    elements = ", ".join(f"{n} {t}" for t, n in counts.elements.items())
    click.echo(
        _("wrote {path}: {elements}; {relationships} relationships; {views} views").format(
            path=out,
            elements=elements,
            relationships=sum(counts.relationships.values()),
            views=counts.views,
        )
    )


def _empty_or_new(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise SnitgrafError(_("{path}: exists and is not a folder").format(path=folder))
    if folder.is_dir() and any(folder.glob("*.csv")) and not force:
        raise SnitgrafError(
            _("{path}: already holds CSV files (use --force to replace them)").format(path=folder)
        )


@click.command("import-archimate")
@click.argument("model", type=click.Path(dir_okay=False, path_type=Path), metavar="MODEL.xml")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help=N_("The portfolio folder to write."),
)
@click.option("--force", is_flag=True, help=N_("Replace the CSV files of an existing folder."))
def import_archimate(model: Path, out: Path, force: bool) -> None:
    """Read an ArchiMate exchange file (from snitgraf or Archi) into a portfolio folder."""
    from snitgraf.io.archimate import import_archimate as run

    if not model.is_file():
        raise SnitgrafError(_("{path}: no such file").format(path=model))
    _empty_or_new(out, force)
    result, written = run(model, out)
    click.echo(f"{model}: {counted(result.portfolio.counts())}")
    for kind, n in sorted({**result.ignored_elements, **result.ignored_relationships}.items()):
        click.echo(
            "  " + _("left out {n} {kind} (not modelled by snitgraf)").format(n=n, kind=kind)
        )
    for path in written:
        click.echo(_("wrote {path}").format(path=path))


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
    help=N_("The monopoly system the list belongs to (e.g. kmd-dagpenge)."),
)
@click.option(
    "--into",
    "portfolio",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="PORTFOLIO",
    help=N_("The portfolio folder to merge into."),
)
@click.option(
    "--need",
    type=click.Choice(["must", "nice"]),
    default="must",
    show_default=True,
    help=N_("The need of the usages the list adds."),
)
@click.option("--dry-run", is_flag=True, help=N_("Report what would change; write nothing."))
def import_kmd(kmd_list: Path, for_system: str, portfolio: Path, need: str, dry_run: bool) -> None:
    """Merge a KMD interface list into a portfolio folder (never overwriting what it says)."""
    from snitgraf.io.kmd import merge_kmd_list

    result = merge_kmd_list(kmd_list, for_system, portfolio, need, dry_run)
    summary = (
        _(
            "{path}: {rows} rows: would add {interfaces} interfaces, {usages} usages, "
            "{systems} systems; {unchanged} unchanged; {conflicts} conflicts"
        )
        if dry_run
        else _(
            "{path}: {rows} rows: added {interfaces} interfaces, {usages} usages, "
            "{systems} systems; {unchanged} unchanged; {conflicts} conflicts"
        )
    )
    click.echo(
        summary.format(
            path=kmd_list,
            rows=result.rows,
            interfaces=len(result.added_interfaces),
            usages=len(result.added_usages),
            systems=len(result.created_systems),
            unchanged=result.unchanged,
            conflicts=len(result.conflicts),
        )
    )
    for system_id, name in result.created_systems:
        click.echo(
            _("new system {id} ({name}): complete its supplier and monopoly").format(
                id=system_id, name=name
            )
        )
    for conflict in result.conflicts:
        click.echo(_("conflict: {conflict}").format(conflict=conflict))
    for note in result.notes:
        click.echo(_("note: {note}").format(note=note))
    for path in result.written:
        click.echo(_("wrote {path}").format(path=path))


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
    help=N_("The HTML file to write."),
)
@with_assessment
def report(assessment: Assessment, out: Path) -> None:
    """The management report: one offline HTML page with charts, overview, plan and budget."""
    from snitgraf.render.report import write_report

    click.echo(_("wrote {path}").format(path=write_report(assessment, out)))


COMMANDS.append(report)
