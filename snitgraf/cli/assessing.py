"""The options every assessing command shares: dates, and opening one `Assessment` per run."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import click

from snitgraf.cli.common import echo_warnings
from snitgraf.i18n import N_, _
from snitgraf.values import PartialDate, parse_date

F = TypeVar("F", bound=Callable[..., Any])


class PartialDateType(click.ParamType):
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


def date_options(func: F) -> F:
    """--today and --kombit-offer-date."""
    return today_option(offer_option(func))


def with_assessment(func: F) -> F:
    """Open the backend PORTFOLIO names, pass one `Assessment` of it as `assessment`, close it.

    Takes the backend options (`portfolio`, `scope`, `database`, `municipality`) and, when the
    command has them, `today` and `kombit_offer_date`."""

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        portfolio: str,
        scope: str | None = None,
        database: str | None = None,
        municipality: str | None = None,
        today: date | None = None,
        kombit_offer_date: PartialDate | None = None,
        **kwargs: Any,
    ) -> Any:
        from snitgraf.assessment import Assessment

        with Assessment.open(
            portfolio,
            scope=scope,
            database=database,
            municipality=municipality,
            today=today,
            kombit_offer_date=kombit_offer_date,
        ) as assessment:
            echo_warnings(assessment.backend)
            return func(*args, assessment=assessment, **kwargs)

    return wrapper  # type: ignore[return-value]
