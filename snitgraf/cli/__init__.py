"""The snitgraf command line: click commands that parse, call the library and print."""

from __future__ import annotations

import logging

import click

from snitgraf import __version__
from snitgraf.cli.common import SnitgrafGroup
from snitgraf.cli.lazy import LazyCommand, LazyGroup

LAZY_COMMANDS: dict[str, LazyCommand] = {
    name: LazyCommand(f"snitgraf.cli.{module}", attribute, short_help)
    for name, module, attribute, short_help in (
        (
            "validate",
            "core",
            "validate",
            "Check a portfolio: print every problem, or what it loaded.",
        ),
        (
            "categorize",
            "core",
            "categorize",
            "Categorise every interface (98'-potentiale, fælles behov, kommunespecifik) with "
            "reasons.",
        ),
        (
            "overview",
            "core",
            "overview",
            "The seed's overview: System | Snitflade | Udløbsdato | SKI | KOMMUNE | KOMBIT.",
        ),
        (
            "analyse",
            "core",
            "analyse",
            "The main job: validate, summarise, and write every output into --out.",
        ),
        (
            "gap",
            "transition",
            "gap",
            "Every interface AS-IS -> TO-BE: kept, repointed, retired or new, with categories.",
        ),
        (
            "impact",
            "transition",
            "impact",
            "What breaks, and what must be renegotiated, if SYSTEM (id or name) is replaced.",
        ),
        (
            "plan",
            "transition",
            "plan",
            "Dated actions, most urgent first, grouped by monopoly system in go-live order.",
        ),
        (
            "budget",
            "transition",
            "budget",
            "Annual interface cost per year and payer (kommune / KOMBIT), AS-IS and TO-BE.",
        ),
        (
            "push",
            "neo4j",
            "push",
            "Write a portfolio into Neo4j, atomically replacing its scope's graph.",
        ),
        (
            "query",
            "neo4j",
            "query",
            "Run a shipped query (by name), a .cypher file or Cypher text.",
        ),
        (
            "render",
            "render",
            "render",
            "Draw a view as an interactive HTML page that works offline (open it in a browser).",
        ),
        (
            "export",
            "interop",
            "export",
            "Export a portfolio as an Excel workbook or an ArchiMate exchange file.",
        ),
        (
            "import-archimate",
            "interop",
            "import_archimate",
            "Read an ArchiMate exchange file (from snitgraf or Archi) into a portfolio folder.",
        ),
        (
            "import-kmd",
            "interop",
            "import_kmd",
            "Merge a KMD interface list into a portfolio folder (never overwriting what it says).",
        ),
        (
            "report",
            "interop",
            "report",
            "The management report: one offline HTML page with charts, overview, plan and budget.",
        ),
        (
            "generate",
            "national",
            "generate",
            "Write a synthetic national portfolio (Danish names, monopoly systems, a market).",
        ),
        (
            "import-kitos",
            "interop",
            "import_kitos",
            "Import a municipality's inventory from OS2 KITOS into a portfolio folder.",
        ),
        (
            "national",
            "national",
            "national",
            "The national picture: interfaces, categories and suppliers across municipalities.",
        ),
    )
}
"""Every command, by name: where it lives and its one-line help (imported when it runs)."""


class CliGroup(LazyGroup, SnitgrafGroup):
    """snitgraf's group: commands imported on use; errors as one line and an exit code."""


@click.group(
    cls=CliGroup,
    lazy=LAZY_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="snitgraf")
def cli() -> None:
    """snitgraf: the interfaces between municipal IT systems as a graph.

    PORTFOLIO is a folder of CSV files, an .xlsx workbook, or a Neo4j URI
    (bolt://, neo4j://, neo4j+s://) with --scope.
    """


# The Neo4j driver logs what it then raises (e.g. "Unable to retrieve routing information"); with
# no handler, Python prints that to stderr: a second line beside the CLI's one-line error.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


def main() -> None:
    """Console entry point."""
    cli(prog_name="snitgraf")
