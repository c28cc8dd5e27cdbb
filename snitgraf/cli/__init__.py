"""The snitgraf command line: click commands that parse, call the library and print."""

from __future__ import annotations

import logging

import click

from snitgraf import __version__
from snitgraf.cli import core
from snitgraf.cli.language import SnitgrafCli, lang_option


@click.group(cls=SnitgrafCli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="snitgraf")
@lang_option
def cli() -> None:
    """snitgraf: the interfaces between municipal IT systems as a graph.

    PORTFOLIO is a folder of CSV files, an .xlsx workbook, or a Neo4j URI
    (bolt://, neo4j://, neo4j+s://) with --scope.
    """


# The Neo4j driver logs what it then raises (e.g. "Unable to retrieve routing information"); with
# no handler, Python prints that to stderr: a second line beside the CLI's one-line error.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

COMMANDS: list[click.Command] = [core.validate, core.categorize, core.overview, core.analyse]

for command in COMMANDS:
    cli.add_command(command)


def _register_optional() -> None:
    """Commands of further modules, added when the module is present."""
    import importlib

    for module_name in ("transition", "neo4j", "render", "interop", "national"):
        try:
            module = importlib.import_module(f"snitgraf.cli.{module_name}")
        except ModuleNotFoundError as error:
            if error.name != f"snitgraf.cli.{module_name}":
                raise
            continue
        for command in getattr(module, "COMMANDS", []):
            cli.add_command(command)


_register_optional()


def main() -> None:
    """Console entry point."""
    cli(prog_name="snitgraf")
