"""Core commands: validate, categorize, overview and the main job, analyse."""

from __future__ import annotations

from pathlib import Path

import click

from snitgraf.backends import Backend
from snitgraf.cli.common import (
    backend_options,
    counted,
    emit,
    format_option,
    portfolio_argument,
    require_networkx,
    state_option,
    with_backend,
)
from snitgraf.i18n import N_, _
from snitgraf.jobs import run_main_job
from snitgraf.render.columns import CATEGORY_COLUMNS, CATEGORY_TABLE_COLUMNS, OVERVIEW_COLUMNS


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
@state_option()
@format_option()
@with_backend
def categorize(backend: Backend, state: str, fmt: str) -> None:
    """Categorise every interface (98'-potentiale, fælles behov, kommunespecifik) with reasons."""
    emit(
        backend.categorise(state),
        CATEGORY_COLUMNS,
        fmt,
        _("Categorisation of interfaces"),
        CATEGORY_TABLE_COLUMNS,
    )


@click.command()
@portfolio_argument
@backend_options
@click.option("--system", default=None, help=N_("Only this monopoly system (id or exact name)."))
@state_option()
@format_option()
@with_backend
def overview(backend: Backend, system: str | None, state: str, fmt: str) -> None:
    """The seed's overview: System | Snitflade | Udløbsdato | SKI | KOMMUNE | KOMBIT."""
    if system is not None and hasattr(backend, "full_graph"):
        from snitgraf.analysis.impact import resolve_system

        system = resolve_system(backend.full_graph, system)  # by id or exact name; or an error
    emit(backend.overview(system, state), OVERVIEW_COLUMNS, fmt, _("Overview"))


@click.command()
@portfolio_argument
@backend_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("visualizations"),
    show_default=True,
    help=N_("Folder for the outputs."),
)
@with_backend
def analyse(backend: Backend, out: Path) -> None:
    """The main job: validate, summarise, and write every output into --out."""
    summary, written = run_main_job(backend, out)
    counts = ", ".join(f"{code} {n}" for code, n in summary.counts.items())
    click.echo(_("{n} interfaces: {counts}").format(n=summary.interfaces, counts=counts))
    if summary.needs_decision:
        click.echo(_("{n} need a decision (unclassified):").format(n=len(summary.needs_decision)))
        for item in summary.needs_decision:
            users = ", ".join(item.nice_users) or _("no monopoly system")
            sources = ", ".join(item.suppliers) or _("none")
            line = _("{interface} {name}: appreciated by {users}, S = {s} ({sources})").format(
                interface=item.interface,
                name=item.name,
                users=users,
                s=item.supplier_count,
                sources=sources,
            )
            click.echo(f"  {line}")
    for path in written:
        click.echo(_("wrote {path}").format(path=path))
