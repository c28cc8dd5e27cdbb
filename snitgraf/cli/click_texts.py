"""click's own words ("Usage:", "Options:", "Error: No such option ...") in snitgraf's language.

click writes its frame through `gettext.gettext` of the standard library, imported into each of
its modules as `_` (and `ngettext`). `localize_click` points those names at snitgraf's catalogue,
so `--help` and usage errors read in the language `--lang` chose; a msgid the catalogue lacks
stays click's English. The msgids are click's own (click 8), listed here so that `scripts/i18n`
extracts them into snitgraf.po and tests/test_i18n.py checks they are translated.
"""

from __future__ import annotations

import importlib

from snitgraf.i18n import N_, _, ngettext

CLICK_MODULES: tuple[str, ...] = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)
"""click's modules that look their texts up with `_` / `ngettext`."""

CLICK_TEXTS: tuple[str, ...] = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Positional arguments"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Missing command."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Option {name!r} does not take a value."),
    N_("Argument {name!r} takes {nargs} values."),
    N_("Invalid start character for option ({option})"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("deprecated"),
    N_("required"),
    N_("Aborted!"),
    N_("unknown error"),
    N_("Could not open file {filename!r}: {message}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid UUID."),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."),
    N_("Choice({choices})"),
    N_("Do you want to continue?"),
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    N_("Error: invalid input"),
    N_("Press any key to continue..."),
    N_("{prog}, version {version}"),
)
"""click's singular texts a snitgraf user can meet (its editor, colour and shell-completion
texts are left out: snitgraf uses none of them)."""


def click_plural_texts(n: int) -> tuple[str, ...]:
    """click's plural texts for a count `n` (listed for extraction; click asks for them itself)."""
    return (
        ngettext(
            "Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", n
        ),
        ngettext(
            "Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given.", n
        ),
        ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", n),
        ngettext(
            "Option {name!r} requires an argument.",
            "Option {name!r} requires {nargs} arguments.",
            n,
        ),
        ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", n),
        ngettext(
            "{value!r} does not match the format {format}.",
            "{value!r} does not match the formats {formats}.",
            n,
        ),
        ngettext(
            "{len_type} values are required, but {len_value} was given.",
            "{len_type} values are required, but {len_value} were given.",
            n,
        ),
    )


def localize_click() -> None:
    """Make click look its texts up in snitgraf's catalogue (in the active language)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
