"""Core commands: validate, categorize, overview and the main job, analyse."""

from __future__ import annotations

from pathlib import Path

import click

from snitgraf.backends import Backend
from snitgraf.cli.common import (
    backend_options,
    emit,
    format_option,
    portfolio_argument,
    require_networkx,
    state_option,
    with_backend,
)
from snitgraf.jobs import run_main_job
from snitgraf.render.columns import CATEGORY_COLUMNS, CATEGORY_TABLE_COLUMNS, OVERVIEW_COLUMNS
from snitgraf.values import show_controls


@click.command()
@portfolio_argument
@with_backend
def validate(backend: Backend) -> None:
    """Check a portfolio: print every problem, or what it loaded."""
    nx_backend = require_networkx(backend, "validate")
    counts = nx_backend.portfolio.counts()
    optional = ("municipalities", "deployments")
    shown = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n or kind not in optional)
    click.echo(f"{nx_backend.portfolio.source}: valid: {shown}")


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
        "Kategorisering af snitflader",
        CATEGORY_TABLE_COLUMNS,
    )


@click.command()
@portfolio_argument
@backend_options
@click.option("--system", default=None, help="Only this monopoly system (id or exact name).")
@state_option()
@format_option()
@with_backend
def overview(backend: Backend, system: str | None, state: str, fmt: str) -> None:
    """The seed's overview: System | Snitflade | Udløbsdato | SKI | KOMMUNE | KOMBIT."""
    if system is not None and hasattr(backend, "full_graph"):
        from snitgraf.analysis.impact import resolve_system

        system = resolve_system(backend.full_graph, system)  # by id or exact name; or an error
    emit(backend.overview(system, state), OVERVIEW_COLUMNS, fmt, "Overblik")


@click.command()
@portfolio_argument
@backend_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("visualizations"),
    show_default=True,
    help="Folder for the outputs.",
)
@with_backend
def analyse(backend: Backend, out: Path) -> None:
    """The main job: validate, summarise, and write every output into --out."""
    summary, written = run_main_job(backend, out)
    counts = ", ".join(f"{code} {n}" for code, n in summary.counts.items())
    click.echo(f"{summary.interfaces} interfaces: {counts}")
    if summary.needs_decision:
        click.echo(f"{len(summary.needs_decision)} need a decision (unclassified):")
        for item in summary.needs_decision:
            users = ", ".join(item.nice_users) or "no monopoly system"
            sources = ", ".join(item.suppliers) or "none"
            line = (
                f"  {item.interface} {item.name}: appreciated by {users}, "
                f"S = {item.supplier_count} ({sources})"
            )
            click.echo(show_controls(line))
    for path in written:
        click.echo(f"wrote {path}")
