"""Core commands: validate, categorize, overview and the main job, analyse."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from snitgraf.assessment import Assessment
from snitgraf.backends import Backend
from snitgraf.cli.assessing import date_options, go_live_option, with_assessment
from snitgraf.cli.common import (
    backend_options,
    counted,
    emit,
    format_option,
    page_options,
    portfolio_argument,
    require_networkx,
    state_option,
    with_backend,
)
from snitgraf.graph import State
from snitgraf.i18n import N_, _
from snitgraf.render.columns import CATEGORY_COLUMNS, CATEGORY_TABLE_COLUMNS, OVERVIEW_COLUMNS
from snitgraf.values import show_controls

if TYPE_CHECKING:
    from snitgraf.render.diagrams import LayoutMode


@click.command()
@portfolio_argument
@with_backend
def validate(backend: Backend) -> None:
    """Check a portfolio: print every problem, or what it loaded."""
    nx_backend = require_networkx(backend, "validate")
    counts = nx_backend.portfolio.counts()
    shown = counted(
        counts, always=tuple(k for k in counts if k not in ("municipalities", "deployments"))
    )
    click.echo(
        _("{source}: valid: {counts}").format(source=nx_backend.portfolio.source, counts=shown)
    )


@click.command()
@portfolio_argument
@backend_options
@state_option("all")
@format_option()
@with_assessment
def categorize(assessment: Assessment, state: State, fmt: str) -> None:
    """Categorise every interface (98'-potentiale, fælles behov, kommunespecifik) with reasons.

    Categories are decided on the whole transition; --state only chooses which are shown."""
    emit(
        assessment.categorised(state),
        CATEGORY_COLUMNS,
        fmt,
        _("Categorisation of interfaces"),
        CATEGORY_TABLE_COLUMNS,
    )


@click.command()
@portfolio_argument
@backend_options
@click.option("--system", default=None, help=N_("Only this monopoly system (id or exact name)."))
@state_option("all")
@format_option()
@with_assessment
def overview(assessment: Assessment, system: str | None, state: State, fmt: str) -> None:
    """The seed's overview: System | Snitflade | Udløbsdato | SKI | KOMMUNE | KOMBIT."""
    emit(assessment.overview(system, state), OVERVIEW_COLUMNS, fmt, _("Overview"))


@click.command()
@portfolio_argument
@backend_options
@date_options
@go_live_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("visualizations"),
    show_default=True,
    help=N_("Folder for the outputs."),
)
@page_options
@with_assessment
def analyse(assessment: Assessment, out: Path, layout_mode: LayoutMode, edge_ids: bool) -> None:
    """The main job: validate, summarise, and write every output into --out."""
    from snitgraf.jobs import run_main_job, summary_lines  # diagrams and report: only here

    summary, written = run_main_job(assessment, out, layout_mode, edge_ids)
    for line in summary_lines(summary):
        click.echo(show_controls(line))
    for path in written:
        click.echo(_("wrote {path}").format(path=path))
