"""`snitgraf diff OLD NEW`: what changed between two portfolios, and what that does to the plan."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from snitgraf.cli.assessing import (
    GoLive,
    date_options,
    go_live_dates,
    go_live_error,
    go_live_option,
)
from snitgraf.cli.common import ComparingCommand, echo_warnings
from snitgraf.i18n import N_
from snitgraf.values import PartialDate

if TYPE_CHECKING:
    from snitgraf.analysis.diff import PortfolioDiff

EXIT_SAME = 0
EXIT_CHANGED = 1


@click.command(cls=ComparingCommand)
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option(
    "--scope", default=None, help=N_("Neo4j scope of OLD (and of NEW without --new-scope).")
)
@click.option("--new-scope", default=None, help=N_("Neo4j scope of NEW (default: --scope)."))
@click.option("--database", default=None, help=N_("Neo4j database (OLD or NEW is a Neo4j URI)."))
@click.option(
    "--municipality",
    default=None,
    metavar="CODE",
    help=N_("Compare only this municipality's part (categories stay the whole catalogue's)."),
)
@date_options
@go_live_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md"]),
    default="table",
    show_default=True,
    help=N_("Output format: terminal tables, JSON, or a Markdown change note."),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("Write the output to FILE (atomically) instead of printing it."),
)
def diff(
    old: str,
    new: str,
    scope: str | None,
    new_scope: str | None,
    database: str | None,
    municipality: str | None,
    today: date | None,
    kombit_offer_date: PartialDate | None,
    go_live: tuple[GoLive, ...],
    fmt: str,
    output: Path | None,
) -> None:
    """What changed from OLD to NEW (any two portfolios) and what it does: inventory, categories,
    plan actions, budget and broken needs.

    --go-live applies to NEW: OLD's plan as it stands against NEW's scenario (NEW may be OLD).
    Exit code 0: no changes; 1: changes; 2: a usage error or invalid data (like diff)."""
    from snitgraf.analysis.diff import diff_portfolios
    from snitgraf.scenario import ScenarioError

    try:
        found = diff_portfolios(
            old,
            new,
            scope=scope,
            new_scope=new_scope,
            database=database,
            municipality=municipality,
            today=today,
            kombit_offer_date=kombit_offer_date,
            new_options={"go_live": go_live_dates(go_live)} if go_live else None,
            opened=lambda assessment: echo_warnings(assessment.backend),
        )
    except ScenarioError as error:
        raise go_live_error(error, go_live) from None
    text = _text(found, fmt, output)
    if output is None:
        click.echo(text, nl=False)
    else:
        from snitgraf.io.atomic import atomic_path

        with atomic_path(output) as temporary:
            temporary.write_text(text, encoding="utf-8")
    click.get_current_context().exit(EXIT_CHANGED if found.changed else EXIT_SAME)


def _text(found: PortfolioDiff, fmt: str, output: Path | None) -> str:
    """The diff in the chosen format; tables as wide as the terminal allows, at most 100."""
    from snitgraf.render import diff as writer
    from snitgraf.render.tables import to_json_text

    if fmt == "json":
        return to_json_text(found)
    if fmt == "md":
        return writer.markdown(found)
    width = writer.WIDTH
    if output is None and sys.stdout.isatty():
        import shutil

        width = min(shutil.get_terminal_size().columns, writer.WIDTH)
    return writer.tables_text(found, width)
