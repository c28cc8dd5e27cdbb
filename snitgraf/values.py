"""Parsers for the cell values of a portfolio: booleans, needs, dates, costs, lists.

Each parser takes the raw text of a cell and returns a value or raises ValueError with a short
message that names what was expected; the loader turns that into a located problem line.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from snitgraf.i18n import _

Need = Literal["must", "nice"]
Lifecycle = Literal["as-is", "to-be", "both"]
Direction = Literal["in", "out"]

UNKNOWN_MARKS = frozenset({"", "??", "?"})
LIST_SEPARATOR = "|"

_TRUE = frozenset({"true", "ja", "yes", "1", "x", "sand", "j", "y"})
_FALSE = frozenset({"false", "nej", "no", "0", "", "falsk", "n"})
_NEEDS: dict[str, Need] = {
    "must": "must",
    "skal": "must",
    "mandatory": "must",
    "nice": "nice",
    "kan": "nice",
    "vil værdsætte": "nice",
    "vil vaerdsaette": "nice",
    "ønskes": "nice",
    "appreciate": "nice",
}
_LIFECYCLES: dict[str, Lifecycle] = {
    "as-is": "as-is",
    "asis": "as-is",
    "to-be": "to-be",
    "tobe": "to-be",
    "both": "both",
    "begge": "both",
}
_DIRECTIONS: dict[str, Direction] = {"in": "in", "ind": "in", "out": "out", "ud": "out"}


def parse_bool(text: str) -> bool:
    """true/false, ja/nej, yes/no, 1/0, x/blank (case-insensitive)."""
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(_("not a boolean (use true/false, ja/nej, yes/no, 1/0 or x/blank)"))


def parse_need(text: str) -> Need:
    """must/skal or nice/kan/'vil værdsætte'."""
    value = " ".join(text.strip().lower().split())
    if value in _NEEDS:
        return _NEEDS[value]
    raise ValueError(_("not a need (use must/skal or nice/kan/'vil værdsætte')"))


def parse_lifecycle(text: str) -> Lifecycle:
    """as-is, to-be or both; blank means both."""
    value = text.strip().lower().replace(" ", "-").replace("_", "-")
    if not value:
        return "both"
    if value in _LIFECYCLES:
        return _LIFECYCLES[value]
    raise ValueError(_("not a lifecycle (use as-is, to-be or both)"))


def parse_direction(text: str) -> Direction | None:
    """in/ind or out/ud; blank means not stated."""
    value = text.strip().lower()
    if not value:
        return None
    if value in _DIRECTIONS:
        return _DIRECTIONS[value]
    raise ValueError(_("not a direction (use in/ind or out/ud)"))


def parse_list(text: str) -> tuple[str, ...]:
    """Several values in one cell, separated by '|'."""
    return tuple(part.strip() for part in text.split(LIST_SEPARATOR) if part.strip())


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to a year, a month or a day: '2017' stays a year, not 1 January 2017.

    Dates sort by the first day they can mean, then the last: 2016-12-31 < 2017 < 2017-06.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def _span(self) -> tuple[date, date]:
        return self.first_day(), self.last_day()

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._span() < other._span()

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        """How precisely the date is known."""
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    def first_day(self) -> date:
        """The earliest day the date can mean."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """The latest day the date can mean."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return date(self.year, month, day)

    @classmethod
    def from_date(cls, value: date) -> PartialDate:
        """A day-precise date."""
        return cls(value.year, value.month, value.day)


MIN_YEAR, MAX_YEAR = 1900, 2999
"""The years a portfolio date may have: '0000' or '9999' is a placeholder, not a plan."""

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DANISH = re.compile(r"^(\d{1,2})[-.](\d{1,2})[-.](\d{4})$")
_DANISH_MONTH = re.compile(r"^(\d{1,2})[-.](\d{4})$")


@functools.lru_cache(maxsize=8192)
def parse_date(text: str) -> PartialDate | None:
    """YYYY, YYYY-MM, YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY; blank or '??' is unknown (None).

    Kept for the few thousand distinct dates a portfolio has (PartialDate is immutable): the
    plan and budget read each contract's dates once per year and action."""
    value = text.strip()
    if value in UNKNOWN_MARKS:
        return None
    if value.endswith("T00:00:00"):  # what spreadsheets write for a plain date
        value = value[: -len("T00:00:00")]
    value = value.split(" ")[0] if " 00:00:00" in value else value
    year: int
    month: int | None
    day: int | None
    if match := _ISO.match(value):
        year = int(match[1])
        month = int(match[2]) if match[2] else None
        day = int(match[3]) if match[3] else None
    elif match := _DANISH.match(value):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    elif match := _DANISH_MONTH.match(value):
        month, year, day = int(match[1]), int(match[2]), None
    else:
        raise ValueError(_("not a date (use YYYY, YYYY-MM, YYYY-MM-DD, DD-MM-YYYY or ??)"))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(
            _("not a date: year out of range ({low}-{high})").format(low=MIN_YEAR, high=MAX_YEAR)
        )
    if month is not None and not 1 <= month <= 12:
        raise ValueError(_("not a date: month out of range"))
    if day is not None:
        assert month is not None
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise ValueError(_("not a date: day out of range"))
    return PartialDate(year, month, day)


_THOUSANDS_DOT = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^[1-9]\d{0,2}(,\d{3})+$")


def parse_cost(text: str) -> float | None:
    """An annual amount in DKK: '120000', '120.000', '120.000,50', 'kr. 1.000'; blank/?? unknown."""
    value = text.strip().lower()
    if value in UNKNOWN_MARKS:
        return None
    for noise in ("dkk", "kr.", "kr", "\u00a0", " ", "_"):
        value = value.replace(noise, "")
    if value.endswith(",-"):
        value = value[:-2]
    if "," in value and "." in value:
        decimal = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        value = value.replace(thousands, "").replace(decimal, ".")
    elif _THOUSANDS_DOT.match(value):
        value = value.replace(".", "")
    elif _THOUSANDS_COMMA.match(value):
        value = value.replace(",", "")
    else:
        value = value.replace(",", ".")
    try:
        amount = float(value)
    except ValueError:
        raise ValueError(_("not an amount in DKK")) from None
    if amount < 0 or amount != amount or amount in (float("inf"),):
        raise ValueError(_("not an amount in DKK: must be zero or more"))
    return amount


def format_amount(amount: float | None) -> str:
    """An amount as plain text: whole kroner without decimals, unknown as ''."""
    if amount is None:
        return ""
    return str(int(amount)) if amount == int(amount) else f"{amount:.2f}"


def json_amount(amount: float | None) -> int | float | None:
    """An amount for JSON: an int when it is whole."""
    if amount is None:
        return None
    return int(amount) if amount == int(amount) else amount


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP's list for CSV injection)."""
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def neutralise_formula(text: str) -> str:
    """A cell for a CSV file Excel opens: a leading `'` where it would start a formula
    (`=`, `+`, `-`, `@`, tab, CR), as OWASP advises; plain numbers like -5 stay numbers."""
    if text.startswith(FORMULA_STARTS) and not _NUMBER.match(text):
        return "'" + text
    return text


def restore_formula(text: str) -> str:
    """The value `neutralise_formula` wrote: reading snitgraf's own CSV gives back the cell."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Characters that reorder the text around them: a name holding one can show another name."""
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")


def show_controls(text: str) -> str:
    """Text with every bidi control written visibly as `<U+202E>`, for terminal, CSV and HTML."""
    return _BIDI.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def forbidden_character(text: str) -> str | None:
    """The first character a cell may not hold (a control character XML, Excel and a terminal
    cannot show safely), or None; tabs and line breaks are allowed."""
    match = _FORBIDDEN.search(text)
    return match.group() if match else None
