"""The snitgraf command line: click commands that parse, call the library and print."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import click

from snitgraf import __version__
from snitgraf.cli.language import SnitgrafCli, lang_option, localize_help
from snitgraf.cli.lazy import LazyCommand, LazyGroup
from snitgraf.gcpause import gc_paused
from snitgraf.i18n import N_, _

LAZY_COMMANDS: dict[str, LazyCommand] = {
    name: LazyCommand(f"snitgraf.cli.{module}", attribute, short_help)
    for name, module, attribute, short_help in (
        (
            "validate",
            "core",
            "validate",
            N_("Check a portfolio: print every problem, or what it loaded."),
        ),
        (
            "categorize",
            "core",
            "categorize",
            N_(
                "Categorise every interface (98'-potentiale, fælles behov, kommunespecifik) "
                "with reasons."
            ),
        ),
        (
            "overview",
            "core",
            "overview",
            N_("The seed's overview: System | Snitflade | Udløbsdato | SKI | KOMMUNE | KOMBIT."),
        ),
        (
            "analyse",
            "core",
            "analyse",
            N_("The main job: validate, summarise, and write every output into --out."),
        ),
        (
            "gap",
            "transition",
            "gap",
            N_("Every interface AS-IS -> TO-BE: kept, repointed, retired or new, with categories."),
        ),
        (
            "impact",
            "transition",
            "impact",
            N_("What breaks, and what must be renegotiated, if SYSTEM (id or name) is replaced."),
        ),
        (
            "plan",
            "transition",
            "plan",
            N_("Dated actions, most urgent first, grouped by monopoly system in go-live order."),
        ),
        (
            "budget",
            "transition",
            "budget",
            N_("Annual interface cost per year and payer (kommune / KOMBIT), AS-IS and TO-BE."),
        ),
        (
            "diff",
            "diff",
            "diff",
            N_(
                "What changed from OLD to NEW (any two portfolios) and what it does: inventory, "
                "categories, plan actions, budget and broken needs."
            ),
        ),
        (
            "push",
            "neo4j",
            "push",
            N_("Write a portfolio into Neo4j, atomically replacing its scope's graph."),
        ),
        (
            "query",
            "neo4j",
            "query",
            N_("Run a shipped query (by name), a .cypher file or Cypher text."),
        ),
        (
            "render",
            "render",
            "render",
            N_(
                "Draw a view as an interactive HTML page that works offline (open it in a browser)."
            ),
        ),
        (
            "export",
            "interop",
            "export",
            N_("Export a portfolio as an Excel workbook or an ArchiMate exchange file."),
        ),
        (
            "import-archimate",
            "interop",
            "import_archimate",
            N_("Read an ArchiMate exchange file (from snitgraf or Archi) into a portfolio folder."),
        ),
        (
            "import-kmd",
            "interop",
            "import_kmd",
            N_(
                "Merge a KMD interface list into a portfolio folder "
                "(never overwriting what it says)."
            ),
        ),
        (
            "report",
            "interop",
            "report",
            N_(
                "The management report: one offline HTML page with charts, overview, plan "
                "and budget."
            ),
        ),
        (
            "generate",
            "national",
            "generate",
            N_("Write a synthetic national portfolio (Danish names, monopoly systems, a market)."),
        ),
        (
            "import-kitos",
            "interop",
            "import_kitos",
            N_("Import a municipality's inventory from OS2 KITOS into a portfolio folder."),
        ),
        (
            "national",
            "national",
            "national",
            N_("The national picture: interfaces, categories and suppliers across municipalities."),
        ),
    )
}
"""Every command, by name: where it lives and its one-line help (imported when it runs)."""


class CliGroup(SnitgrafCli, LazyGroup):
    """snitgraf's group: the language first, aliases, commands imported on use (their help
    translated then), errors as one line and an exit code."""

    def loaded(self, command: click.Command) -> None:
        localize_help(command)

    def lazy_help(self, text: str) -> str:
        return _(text)


@click.group(
    cls=CliGroup,
    lazy=LAZY_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _print_version(ctx) if value else None,
    help=N_("Show the version and exit."),
)
@lang_option
def cli() -> None:
    """snitgraf: the interfaces between municipal IT systems as a graph.

    PORTFOLIO is a folder of CSV files, an .xlsx workbook, or a Neo4j URI
    (bolt://, neo4j://, neo4j+s://) with --scope.
    """


def _print_version(ctx: click.Context) -> None:
    """`--version`: 'snitgraf, version X' in the chosen language (click's own option reads its
    message when the command is declared, before the language is known)."""
    click.echo(_("{prog}, version {version}").format(prog="snitgraf", version=__version__))
    ctx.exit()


def main() -> NoReturn:
    """Console entry point. A run builds hundreds of thousands of acyclic objects that live until
    it ends, so the cyclic collector is paused for the run (a fifth of analyse's time at N = 98;
    reference counting still frees them, and the peak memory measured the same), and the process
    ends without tearing them down one by one (see `_end`)."""
    with gc_paused():
        try:
            cli(prog_name="snitgraf")  # click's standalone mode always ends in SystemExit
            code: object = 0
        except SystemExit as done:
            code = done.code
        _end(code)


def _end(code: object) -> NoReturn:
    """End the process with `code` as `sys.exit` would, once its output is flushed, but without
    freeing every object it built: at the end of analyse at N = 98 that teardown (and the
    collection the collector would start once enabled again) is a tenth of the run. Every file
    snitgraf writes is closed (renamed into place) before its command returns; nothing else
    waits for the interpreter's end."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (`| head`), or a closed stream
            status = status or 1
    os._exit(status)
