"""The options every assessing command shares: dates, what-if go-lives, and opening one
`Assessment` per run."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import click

from snitgraf.cli.common import echo_warnings
from snitgraf.i18n import N_, _
from snitgraf.values import PartialDate, parse_date

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from snitgraf.assessment import Assessment
    from snitgraf.scenario import ScenarioError

    _DateParamType = click.ParamType[PartialDate | date]
    _GoLiveParamType = click.ParamType["GoLive"]
else:  # older click (the dependency allows 8.1) takes no type arguments at run time
    _DateParamType = click.ParamType
    _GoLiveParamType = click.ParamType


class PartialDateType(_DateParamType):
    """A date as a portfolio writes it: 2017, 2017-06, 2017-06-30, 30-06-2017, 30.06.2017."""

    name = "DATE"

    def __init__(self, day: bool = False) -> None:
        self.day = day
        """Give the first day the date can mean (a `date`) rather than the partial date."""

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> PartialDate | date:
        if isinstance(value, PartialDate):
            return value.first_day() if self.day else value
        if isinstance(value, date):
            return value if self.day else PartialDate.from_date(value)
        try:
            parsed = parse_date(str(value))
        except ValueError as error:
            self.fail(_("{error} (value {value!r})").format(error=error, value=value), param, ctx)
        if parsed is None:
            self.fail(_("a date is needed (value {value!r})").format(value=value), param, ctx)
        return parsed.first_day() if self.day else parsed


def today_option(func: F) -> F:
    """--today: the day the run plans and counts days from."""
    return click.option(
        "--today",
        type=PartialDateType(day=True),
        default=None,
        help=N_("The day to plan from (any portfolio date form; default: today)."),
    )(func)


def offer_option(func: F) -> F:
    """--kombit-offer-date: when KOMBIT's negotiated offer is expected."""
    return click.option(
        "--kombit-offer-date",
        type=PartialDateType(),
        default=None,
        help=N_("When KOMBIT's negotiated offer is expected (the tender-before-offer exception)."),
    )(func)


class GoLive(NamedTuple):
    """One `--go-live SYSTEM=DATE`: the system as written, its date, the option's text."""

    system: str
    date: PartialDate
    text: str


class GoLiveType(_GoLiveParamType):
    """SYSTEM=DATE: a system id or exact name, and any portfolio date form."""

    name = "SYSTEM=DATE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> GoLive:
        from snitgraf.scenario import parse_go_live  # the analyses load only when a command runs

        if isinstance(value, GoLive):
            return value
        try:
            system, when = parse_go_live(str(value))
        except ValueError as error:
            self.fail(_("{error} (value {value!r})").format(error=error, value=value), param, ctx)
        return GoLive(system, when, str(value))


def go_live_option(func: F) -> F:
    """--go-live SYSTEM=DATE (repeatable): what if a replacer goes live on another date."""
    return click.option(
        "--go-live",
        "go_live",
        type=GoLiveType(),
        multiple=True,
        help=N_(
            "What if SYSTEM (a replacer: id or exact name) goes live on DATE instead, e.g. "
            "ksd=2019-06; repeatable. Every result and output assumes it and says so."
        ),
    )(func)


def go_live_dates(given: Sequence[GoLive]) -> dict[str, PartialDate]:
    """The overrides by system as written; a system written twice is a usage error."""
    dates: dict[str, PartialDate] = {}
    for item in given:
        if item.system in dates:
            raise click.BadParameter(
                _("{system} is given twice (value {value!r})").format(
                    system=item.system, value=item.text
                ),
                param_hint="'--go-live'",
            )
        dates[item.system] = item.date
    return dates


def date_options(func: F) -> F:
    """--today and --kombit-offer-date."""
    return today_option(offer_option(func))


def open_assessment(
    portfolio: str, *, go_live: Sequence[GoLive] = (), **options: Any
) -> Assessment:
    """`Assessment.open(portfolio, **options)` with the `--go-live` values given: one that
    names no replacer (or a system twice) is a usage error naming the option and its value."""
    from snitgraf.assessment import Assessment
    from snitgraf.scenario import ScenarioError

    dates = go_live_dates(go_live)
    try:
        return Assessment.open(portfolio, go_live=dates, **options)
    except ScenarioError as error:
        raise go_live_error(error, go_live) from None


def go_live_error(error: ScenarioError, given: Sequence[GoLive]) -> click.BadParameter:
    """The usage error of a `--go-live` the assessment refused, naming the value as typed."""
    text = next((g.text for g in given if g.system == error.given), error.given)
    return click.BadParameter(
        _("{error} (value {value!r})").format(error=error, value=text), param_hint="'--go-live'"
    )


def with_assessment(func: F) -> F:
    """Open the backend PORTFOLIO names, pass one `Assessment` of it as `assessment`, close it.

    Takes the backend options (`portfolio`, `scope`, `database`, `municipality`) and, when the
    command has them, `today`, `kombit_offer_date` and `go_live` (a go-live that names no
    replacer is a usage error naming the option and its value)."""

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        portfolio: str,
        scope: str | None = None,
        database: str | None = None,
        municipality: str | None = None,
        today: date | None = None,
        kombit_offer_date: PartialDate | None = None,
        go_live: Sequence[GoLive] = (),
        **kwargs: Any,
    ) -> Any:
        opened = open_assessment(
            portfolio,
            scope=scope,
            database=database,
            municipality=municipality,
            today=today,
            kombit_offer_date=kombit_offer_date,
            go_live=go_live,
        )
        with opened as assessment:
            echo_warnings(assessment.backend)
            return func(*args, assessment=assessment, **kwargs)

    return wrapper  # type: ignore[return-value]


def echo_scenario(assessment: Assessment, fmt: str) -> None:
    """Say that a scenario is in force: a line before a table or Markdown, on stderr beside
    CSV (whose stdout stays one table); JSON says it in `go_live_overrides` instead."""
    text = assessment.scenario.text()
    if not text or fmt == "json":
        return
    if fmt == "csv":
        click.echo(text, err=True)
    elif fmt == "md":
        click.echo(f"**{text}**\n")
    else:
        click.echo(text)


def with_scenario(assessment: Assessment, payload: Any, items: str) -> Any:
    """A JSON payload as it stands, or with the scenario in force: an object gains
    `go_live_overrides`; a list becomes {"go_live_overrides": [...], ITEMS: the list}."""
    if not assessment.scenario:
        return payload
    overrides = assessment.scenario.to_json()
    if isinstance(payload, dict):
        return {**payload, "go_live_overrides": overrides}
    return {"go_live_overrides": overrides, items: payload}
