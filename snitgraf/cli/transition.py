"""Transition commands: gap, impact, plan and budget (AS-IS -> TO-BE)."""

from __future__ import annotations

import sys

import click
from rich.console import Console

from snitgraf.assessment import Assessment
from snitgraf.cli.assessing import (
    date_options,
    echo_scenario,
    go_live_option,
    with_assessment,
    with_scenario,
)
from snitgraf.cli.common import (
    backend_options,
    emit,
    format_option,
    portfolio_argument,
)
from snitgraf.i18n import N_, _
from snitgraf.render.tables import to_json_text, to_rich_table
from snitgraf.render.transition_columns import (
    BROKEN_NEED_COLUMNS,
    BUDGET_COLUMNS,
    GAP_COLUMNS,
    GAP_TABLE_COLUMNS,
    PLAN_COLUMNS,
    PLAN_TABLE_COLUMNS,
    impact_markdown,
    print_impact,
)


def _terminal() -> Console:
    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 240)


system_option = click.option(
    "--system",
    default=None,
    metavar="ID|NAME",
    help=N_("Only what touches this monopoly system and its replacers."),
)


@click.command()
@portfolio_argument
@backend_options
@format_option()
@with_assessment
def gap(assessment: Assessment, fmt: str) -> None:
    """Every interface AS-IS -> TO-BE: kept, repointed, retired or new, with categories.

    Broken needs (a system needing data in TO-BE that nothing provides) come first."""
    rows = assessment.gap
    if fmt == "table" and assessment.broken_needs:
        _terminal().print(
            to_rich_table(assessment.broken_needs, BROKEN_NEED_COLUMNS, _("Broken needs"))
        )
    emit(rows, GAP_COLUMNS, fmt, _("Gap AS-IS -> TO-BE"), GAP_TABLE_COLUMNS)


@click.command()
@portfolio_argument
@click.argument("system", metavar="SYSTEM")
@backend_options
@date_options
@go_live_option
@click.option(
    "--replaced-by",
    default=None,
    metavar="SYSTEM",
    help=N_("The replacing system (id or name); default: the portfolio's plan."),
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=None,
    help=N_("Follow dependencies at most this many hops (default: unlimited)."),
)
@format_option(("table", "json", "md"))
@with_assessment
def impact(
    assessment: Assessment, system: str, replaced_by: str | None, depth: int | None, fmt: str
) -> None:
    """What breaks, and what must be renegotiated, if SYSTEM (id or name) is replaced.

    Without --replaced-by, a system the portfolio replaces is seen in the planned TO-BE;
    another replacer, or a system the portfolio keeps, is a hypothetical and says so."""
    result = assessment.impact(system, replaced_by, depth)
    echo_scenario(assessment, fmt)
    if fmt == "json":
        click.echo(to_json_text(with_scenario(assessment, result.to_json(), "impact")), nl=False)
    elif fmt == "md":
        click.echo(impact_markdown(result), nl=False)
    else:
        print_impact(result, _terminal())


@click.command()
@portfolio_argument
@backend_options
@date_options
@go_live_option
@system_option
@format_option()
@with_assessment
def plan(assessment: Assessment, system: str | None, fmt: str) -> None:
    """Dated actions, most urgent first, grouped by monopoly system in go-live order."""
    actions = assessment.plan_for(system)
    echo_scenario(assessment, fmt)
    if fmt == "json" and assessment.scenario:
        payload = with_scenario(assessment, [a.to_json() for a in actions], "actions")
        click.echo(to_json_text(payload), nl=False)
        return
    emit(actions, PLAN_COLUMNS, fmt, _("Action plan"), PLAN_TABLE_COLUMNS)


@click.command()
@portfolio_argument
@backend_options
@click.option(
    "--from", "from_year", type=click.IntRange(1, 9999), default=None, help=N_("First year.")
)
@click.option("--to", "to_year", type=click.IntRange(1, 9999), default=None, help=N_("Last year."))
@go_live_option
@system_option
@format_option()
@with_assessment
def budget(
    assessment: Assessment,
    from_year: int | None,
    to_year: int | None,
    system: str | None,
    fmt: str,
) -> None:
    """Annual interface cost per year and payer (kommune / KOMBIT), AS-IS and TO-BE."""
    result = assessment.budget_for(from_year, to_year, system)
    echo_scenario(assessment, fmt)
    if fmt == "json":
        click.echo(to_json_text(with_scenario(assessment, result.to_json(), "budget")), nl=False)
        return
    emit(list(result.rows), BUDGET_COLUMNS, fmt, _("Budget (DKK per year)"))


COMMANDS: list[click.Command] = [gap, impact, plan, budget]
