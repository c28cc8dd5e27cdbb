"""The root group's language and spellings: `--lang da|en`, SNITGRAF_LANG, command aliases.

The language is chosen before click parses anything, so `--help` of every command, every
message and every table is in it. Help texts are English msgids (options' `help=`, commands'
docstrings, extracted by snitgraf.i18n_extract); they are translated in place once per run.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Sequence
from typing import Any

import click

from snitgraf.cli.click_texts import localize_click
from snitgraf.cli.common import EXIT_USAGE, SnitgrafGroup
from snitgraf.i18n import DEFAULT_LANGUAGE, ENV_VAR, LANGUAGES, N_, _, set_language

ALIASES: dict[str, str] = {"categorise": "categorize", "analyze": "analyse"}
"""Other spellings a command answers to; `--help` lists only the command's own name."""

_SOURCE_HELP = "_snitgraf_source_help"

OPTIONS_METAVAR = N_("[OPTIONS]")
SUBCOMMAND_METAVAR = N_("COMMAND [ARGS]...")

localize_click()  # click's own frame ("Usage:", "Options", errors) in the chosen language too


def lang_in(args: Sequence[str]) -> str | None:
    """The value of `--lang` among the root group's own options (before the command name)."""
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if not arg.startswith("-"):  # the command: its options are not the group's
            return None
    return None


def localize_help(command: click.Command) -> None:
    """Translate the help of `command`, its options and (for a group) its commands, in place."""
    items: list[Any] = [command, *command.params]
    for item in items:
        for attribute in ("help", "short_help"):
            source = getattr(item, f"{_SOURCE_HELP}_{attribute}", None)
            if source is None:
                source = getattr(item, attribute, None)
                setattr(item, f"{_SOURCE_HELP}_{attribute}", source or "")
            if source:  # click keeps a docstring as written; its msgid is the cleaned text
                setattr(item, attribute, _(inspect.cleandoc(source)))
    # the usage line's placeholders: "Usage: snitgraf [OPTIONS] COMMAND [ARGS]..."
    command.options_metavar = _(OPTIONS_METAVAR)
    if getattr(command, "_help_option", None) is not None:
        # click builds `--help` once, in the language of its first use: rebuild it in this one
        command._help_option = None
    if isinstance(command, click.Group):
        command.subcommand_metavar = _(SUBCOMMAND_METAVAR)
        for sub in command.commands.values():
            localize_help(sub)


class SnitgrafCli(SnitgrafGroup):
    """The root group: picks the language first, translates help, resolves command aliases."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        asked = lang_in(args)
        try:
            set_language(asked)
        except ValueError:
            set_language(DEFAULT_LANGUAGE)
            problem = _("unknown language {lang!r} (use da or en; {variable} sets the default)")
            shown = asked or os.environ.get(ENV_VAR, "")
            click.echo(
                _("error: {problem}").format(problem=problem.format(lang=shown, variable=ENV_VAR)),
                err=True,
            )
            ctx.exit(EXIT_USAGE)
        localize_help(self)
        return super().parse_args(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, ALIASES.get(cmd_name, cmd_name))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        _name, command, rest = super().resolve_command(ctx, args)
        return (command.name if command else _name), command, rest


lang_option = click.option(
    "--lang",
    type=click.Choice(LANGUAGES, case_sensitive=False),
    envvar=ENV_VAR,
    default="da",
    show_default=True,
    expose_value=False,
    is_eager=True,
    help=N_("Language of everything shown: da (Danish) or en (English); also SNITGRAF_LANG."),
)
"""`--lang`: parsed by `SnitgrafCli.parse_args` before click; declared for help and checking."""
