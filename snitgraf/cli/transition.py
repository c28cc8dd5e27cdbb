"""Transition commands: gap, impact, plan and budget (AS-IS -> TO-BE)."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import click
from rich.console import Console

from snitgraf.analysis.budget import budget as compute_budget
from snitgraf.analysis.impact import impact as compute_impact
from snitgraf.analysis.plan import plan as compute_plan
from snitgraf.analysis.transition import gap as compute_gap
from snitgraf.backends import Backend
from snitgraf.cli.common import (
    backend_options,
    emit,
    format_option,
    portfolio_argument,
    require_graph,
    with_backend,
)
from snitgraf.i18n import N_, _
from snitgraf.render.tables import to_json_text
from snitgraf.render.transition_columns import (
    BUDGET_COLUMNS,
    GAP_COLUMNS,
    GAP_TABLE_COLUMNS,
    PLAN_COLUMNS,
    PLAN_TABLE_COLUMNS,
    impact_markdown,
    print_impact,
)
from snitgraf.values import PartialDate, parse_date


class PartialDateType(click.ParamType):
    """A date as a portfolio writes it: YYYY, YYYY-MM, YYYY-MM-DD, DD-MM-YYYY."""

    name = "DATE"

    def __init__(self, day_precise: bool = False) -> None:
        self.day_precise = day_precise

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, PartialDate | date):
            return value
        try:
            parsed = parse_date(value)
        except ValueError as error:
            self.fail(f"{error} ({_('value')} {value!r})", param, ctx)
        if parsed is None:
            self.fail(_("a date is needed (value {value!r})").format(value=value), param, ctx)
        if self.day_precise:
            if parsed.precision != "day":
                self.fail(
                    _("a day is needed: YYYY-MM-DD (value {value!r})").format(value=value),
                    param,
                    ctx,
                )
            return parsed.first_day()
        return parsed


def _graphs(backend: Backend, what: str) -> tuple[Any, Any]:
    """The full graph (every lifecycle; with --municipality, that municipality's part) and,
    for a municipality, the whole catalogue that categories are decided on."""
    nx_backend = require_graph(backend, what)
    if getattr(nx_backend, "municipality", None) is None:
        return nx_backend.full_graph, None
    return nx_backend.graph("all"), nx_backend.full_graph


def _terminal() -> Console:
    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 240)


@click.command()
@portfolio_argument
@backend_options
@format_option()
@with_backend
def gap(backend: Backend, fmt: str) -> None:
    """Every interface AS-IS -> TO-BE: kept, repointed, retired or new, with categories."""
    graph, catalogue = _graphs(backend, "gap")
    rows = compute_gap(graph, catalogue)
    emit(rows, GAP_COLUMNS, fmt, _("Gap AS-IS -> TO-BE"), GAP_TABLE_COLUMNS)


@click.command()
@portfolio_argument
@click.argument("system", metavar="SYSTEM")
@backend_options
@click.option(
    "--replaced-by",
    default=None,
    metavar="SYSTEM",
    help=N_("The replacing system (id or name); default: the portfolio's REPLACES."),
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=None,
    help=N_("Follow dependencies at most this many hops (default: unlimited)."),
)
@format_option(("table", "json", "md"))
@with_backend
def impact(
    backend: Backend, system: str, replaced_by: str | None, depth: int | None, fmt: str
) -> None:
    """What breaks, and what must be renegotiated, if SYSTEM (id or name) is replaced."""
    graph, catalogue = _graphs(backend, "impact")
    result = compute_impact(graph, system, replaced_by, depth, catalogue=catalogue)
    if fmt == "json":
        click.echo(to_json_text(result), nl=False)
    elif fmt == "md":
        click.echo(impact_markdown(result), nl=False)
    else:
        print_impact(result, _terminal())


@click.command()
@portfolio_argument
@backend_options
@click.option(
    "--today",
    type=PartialDateType(day_precise=True),
    default=None,
    help=N_("The day to plan from (YYYY-MM-DD; default: today)."),
)
@click.option(
    "--kombit-offer-date",
    type=PartialDateType(),
    default=None,
    help=N_("When KOMBIT's negotiated offer is expected (for the tender-before-offer exception)."),
)
@format_option()
@with_backend
def plan(
    backend: Backend, today: date | None, kombit_offer_date: PartialDate | None, fmt: str
) -> None:
    """Dated actions, most urgent first, grouped by monopoly system in go-live order."""
    graph, catalogue = _graphs(backend, "plan")
    actions = compute_plan(graph, today or date.today(), kombit_offer_date, catalogue)
    emit(actions, PLAN_COLUMNS, fmt, _("Action plan"), PLAN_TABLE_COLUMNS)


@click.command()
@portfolio_argument
@backend_options
@click.option(
    "--from", "from_year", type=click.IntRange(1, 9999), default=None, help=N_("First year.")
)
@click.option("--to", "to_year", type=click.IntRange(1, 9999), default=None, help=N_("Last year."))
@format_option()
@with_backend
def budget(backend: Backend, from_year: int | None, to_year: int | None, fmt: str) -> None:
    """Annual interface cost per year and payer (kommune / KOMBIT), AS-IS and TO-BE."""
    graph, catalogue = _graphs(backend, "budget")
    result = compute_budget(graph, from_year, to_year, catalogue)
    if fmt == "json":
        click.echo(to_json_text(result), nl=False)
        return
    emit(list(result.rows), BUDGET_COLUMNS, fmt, _("Budget (DKK per year)"))


COMMANDS: list[click.Command] = [gap, impact, plan, budget]
