"""Text for people, through gettext: `_("English source")` gives the active language's text.

Danish is the default; `snitgraf --lang en` or SNITGRAF_LANG=en gives English. Source strings
are English; the Danish catalogue is snitgraf/locale/da/LC_MESSAGES/snitgraf.po, extracted with
`pybabel` (scripts/i18n) and compiled to .mo when the package is built (setup.py).

A source checkout whose .mo is missing or older than its .po reads the .po with Babel instead,
so an edited catalogue shows at once and Danish never silently falls back to English.
Numbers, money and dates take the active language's form through Babel (`format_dkk`, ...).

This module imports nothing from snitgraf: setup.py loads it by path to compile the catalogues.
"""

from __future__ import annotations

import gettext
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

DOMAIN = "snitgraf"
LANGUAGES: tuple[str, ...] = ("da", "en")
DEFAULT_LANGUAGE = "da"
ENV_VAR = "SNITGRAF_LANG"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
BABEL_LOCALES: dict[str, str] = {"da": "da_DK", "en": "en"}
"""The Babel locale whose number and date forms each language uses."""

_active: dict[str, Any] = {}


def _catalogue_paths(lang: str, locale_dir: Path = LOCALE_DIR) -> tuple[Path, Path]:
    folder = locale_dir / lang / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of `lang`: the compiled .mo, or the .po when the .mo is missing or stale."""
    if lang == "en":
        return gettext.NullTranslations()  # the source strings are English
    po, mo = _catalogue_paths(lang)
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po.is_file():
        return _translations_from_po(po)
    # A broken install: say so once, in one line, and show the English source strings.
    sys.stderr.write(f"snitgraf: no {lang!r} message catalogue in {po.parent}; showing English\n")
    return gettext.NullTranslations()


def _translations_from_po(po: Path) -> gettext.GNUTranslations:
    """A .po read and compiled in memory (a source checkout that was not built)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every locale's .po to its .mo (the build step; also scripts/i18n)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(mo)
    return written


def requested_language(lang: str | None = None) -> str:
    """The language asked for: `lang`, else SNITGRAF_LANG, else Danish (ValueError if unknown)."""
    chosen = (lang or os.environ.get(ENV_VAR) or DEFAULT_LANGUAGE).strip().lower()
    chosen = chosen.split("_")[0].split("-")[0]  # da_DK, en-GB -> da, en
    if chosen not in LANGUAGES:
        choices = " or ".join(LANGUAGES)
        raise ValueError(f"unknown language {chosen!r} (use {choices}; {ENV_VAR} sets the default)")
    return chosen


def set_language(lang: str | None = None) -> str:
    """Make `lang` (or SNITGRAF_LANG, or Danish) the language of every later text; return it."""
    chosen = requested_language(lang)
    _active["lang"] = chosen
    _active["translations"] = translations(chosen)
    _texts.clear()
    return chosen


def language() -> str:
    """The active language code ('da' or 'en'); the first call reads SNITGRAF_LANG."""
    if "lang" not in _active:
        set_language()
    return str(_active["lang"])


def _current() -> gettext.NullTranslations:
    if "translations" not in _active:
        set_language()
    active: gettext.NullTranslations = _active["translations"]
    return active


_texts: dict[str, str] = {}
"""The active language's texts looked up so far (a run asks for the same few many times)."""


def _(message: str) -> str:
    """The active language's text for an English source string."""
    text = _texts.get(message)
    if text is None:
        text = _texts[message] = _current().gettext(message)
    return text


def ngettext(singular: str, plural: str, n: int) -> str:
    """The active language's text for a count: singular when n == 1, else plural (per language)."""
    return _current().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a source string for the catalogue without translating it yet (module constants).

    Translate it where it is shown, with `_(constant)`, so the language chosen at run time
    applies: `TITLE = N_("Contracts")` ... `console.print(_(TITLE))`.
    """
    return message


def babel_locale() -> str:
    """The Babel locale of the active language (number and date forms)."""
    return BABEL_LOCALES[language()]


def format_number(value: float, decimals: int | None = None) -> str:
    """A number in the active language's form: 419.000 / 2,5 in Danish, 419,000 / 2.5 in English."""
    from babel.numbers import format_decimal

    if decimals is not None:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=babel_locale())
    return format_decimal(value, locale=babel_locale())


def format_dkk(amount: float | None, unknown: str = "") -> str:
    """An amount in kroner, whole kroner unless it has øre: '419.000 kr.' / 'DKK 419,000'."""
    if amount is None:
        return unknown
    decimals = 0 if float(amount).is_integer() else 2
    number = format_number(amount, decimals)
    return f"{number} kr." if language() == "da" else f"DKK {number}"


def format_dkk_short(amount: float | None, unknown: str = "") -> str:
    """A rounded amount for summaries: '1,5 mio. kr.' / 'DKK 1.5M'; below a million in full."""
    from babel.numbers import format_compact_decimal

    if amount is None:
        return unknown
    if abs(amount) < 1_000_000:
        return format_dkk(round(amount))
    number = format_compact_decimal(
        amount, format_type="short", locale=babel_locale(), fraction_digits=1
    ).replace("\u00a0", " ")
    return f"{number} kr." if language() == "da" else f"DKK {number}"


def format_date(value: Any) -> str:
    """A date at the precision the portfolio gives it: 2017, 2017-06, 31.12.2016 (Danish).

    English keeps ISO (2016-12-31). `value` is a PartialDate, a date, or text (shown as it is);
    None is ''.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    year, month, day = value.year, getattr(value, "month", None), getattr(value, "day", None)
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    if language() == "da":
        return f"{day:02d}.{month:02d}.{year:04d}"
    return f"{year:04d}-{month:02d}-{day:02d}"
