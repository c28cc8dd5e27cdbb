"""Neo4j commands: push a portfolio into a Neo4j scope, and run a Cypher query on either backend."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from snitgraf import cypher
from snitgraf.backends import Backend, is_neo4j_uri, open_backend
from snitgraf.backends.neo4j import (
    DEFAULT_BATCH_SIZE,
    TO_BE_SUFFIX,
    Neo4jBackend,
    Progress,
    open_driver,
    push_error,
    push_graphs,
    redact_uri,
)
from snitgraf.backends.networkx import NetworkxBackend
from snitgraf.cli.common import backend_options, emit, portfolio_argument
from snitgraf.i18n import N_, _
from snitgraf.problems import SnitgrafError
from snitgraf.queries import TWINS, QueryResult, run_twin
from snitgraf.render.tables import Column

QUERY_FORMATS = ("table", "json", "csv")

timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="SECONDS",
    help=N_("Give up connecting to Neo4j after this long (default $NEO4J_TIMEOUT, else 10)."),
)


def default_scope(portfolio: str) -> str:
    """A portfolio's default scope: its folder's name, or its file's name without extension."""
    path = Path(portfolio)
    if path.is_file() or path.suffix.lower() == ".xlsx":
        return path.stem
    return path.resolve().name


@contextmanager
def _progress_bar() -> Iterator[Progress | None]:
    """A rich progress bar on a terminal; nothing when stderr is not a TTY."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("pushing", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _user_scope(name: str | None) -> str | None:
    """A --scope a user may push into: not one a derived TO-BE graph would overwrite."""
    if name is not None and name.endswith(TO_BE_SUFFIX):
        raise click.BadParameter(
            _(
                "--scope {name} ends in {suffix!r}, the suffix of the derived TO-BE scope of "
                "{base}: pick another name"
            ).format(name=repr(name), suffix=TO_BE_SUFFIX, base=repr(name[: -len(TO_BE_SUFFIX)])),
            param_hint="--scope",
        )
    return name


@click.command()
@portfolio_argument
@click.option(
    "--to",
    "uri",
    default=None,
    help=N_("Neo4j URI (bolt://, neo4j://, +s/+ssc variants); default $NEO4J_URI."),
)
@click.option(
    "--database", default=None, help=N_("Neo4j database (default: the server's default).")
)
@click.option(
    "--scope",
    default=None,
    callback=lambda _ctx, _param, value: _user_scope(value),
    help=N_("Scope to replace (default: the portfolio's name; not ending in /to-be)."),
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help=N_("Rows per UNWIND statement."),
)
@click.option(
    "--to-be/--no-to-be",
    default=True,
    show_default=True,
    help=N_("Also write the derived TO-BE graph into scope '<scope>/to-be'."),
)
@timeout_option
def push(
    portfolio: str,
    uri: str | None,
    database: str | None,
    scope: str | None,
    batch_size: int,
    to_be: bool,
    timeout: float | None,
) -> None:
    """Write a portfolio into Neo4j, atomically replacing its scope's graph.

    Credentials come from NEO4J_USER / NEO4J_PASSWORD, or a prompt on a terminal.
    """
    uri = uri or os.environ.get("NEO4J_URI")
    if not uri:
        raise SnitgrafError(_("no Neo4j to push to: give --to URI or set NEO4J_URI"))
    if not is_neo4j_uri(uri):
        raise SnitgrafError(
            _("not a Neo4j URI (bolt://, neo4j://, +s/+ssc): {uri}").format(uri=redact_uri(uri))
        )
    if is_neo4j_uri(portfolio):
        raise SnitgrafError(_("push reads a portfolio folder or workbook, not a Neo4j URI"))
    source = NetworkxBackend(portfolio)
    scope = scope or default_scope(portfolio)
    graphs = {scope: source.full_graph}
    if to_be:
        graphs[scope + TO_BE_SUFFIX] = source.derivation().graph
    driver = open_driver(uri, database, timeout=timeout)
    try:
        with _progress_bar() as progress:
            summary = push_graphs(
                driver, graphs, database, batch_size, progress, uri, on_wait=_say_waiting
            )
    except Exception as error:
        raise push_error(error, uri, database) from None
    finally:
        driver.close()
    click.echo(summary.line())


def _say_waiting(scopes: list[str]) -> None:
    """One line on stderr while another push holds a scope this one replaces."""
    names = ", ".join(repr(s) for s in scopes)
    click.echo(
        _("waiting for another push into scope {names} to finish").format(names=names), err=True
    )


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(
                _("use NAME=VALUE, not {item!r}").format(item=item), param_hint="--param"
            )
        values[name.strip()] = value
    return values


def _statement(name_or_file: str) -> cypher.Statement | None:
    """A shipped query by name, a .cypher file, or None for inline Cypher text."""
    shipped = cypher.named_queries()
    if name_or_file in shipped:
        return shipped[name_or_file]
    path = Path(name_or_file)
    if path.suffix == ".cypher" or path.is_file():
        if not path.is_file():
            raise SnitgrafError(_("no such Cypher file: {path}").format(path=name_or_file))
        return cypher.parse(path.stem, path.read_text(encoding="utf-8"))
    if not any(ch.isspace() for ch in name_or_file.strip()):
        raise SnitgrafError(
            _("no shipped query {name!r} (shipped: {names})").format(
                name=name_or_file, names=", ".join(sorted(shipped))
            )
        )
    return None


class _Row:
    """One query row for `emit`: JSON keeps the columns in order."""

    def __init__(self, columns: tuple[str, ...], values: tuple[Any, ...]) -> None:
        self.columns = columns
        self.values = values

    def to_json(self) -> dict[str, Any]:
        return dict(zip(self.columns, self.values, strict=True))


def _value_at(index: int) -> Callable[[_Row], Any]:
    """The cell getter of a query result's column `index`."""
    return lambda row: row.values[index]


def _emit(result: QueryResult, fmt: str) -> None:
    columns = [Column(c, _value_at(i)) for i, c in enumerate(result.columns)]
    rows = [_Row(result.columns, values) for values in result.rows]
    emit(rows, columns, fmt, result.name)


@click.command()
@portfolio_argument
@click.argument("name_or_file", metavar="NAME_OR_FILE")
@backend_options
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help=N_("Query parameter."))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(QUERY_FORMATS),
    default="table",
    show_default=True,
    help=N_("Output format."),
)
@click.option("--write", is_flag=True, help=N_("Allow the query to write (Neo4j only)."))
def query(
    portfolio: str,
    name_or_file: str,
    scope: str | None,
    database: str | None,
    municipality: str | None,
    params: tuple[str, ...],
    fmt: str,
    write: bool,
) -> None:
    """Run a shipped query (by name), a .cypher file or Cypher text.

    On Neo4j it runs in a READ transaction (unless --write); on a folder or workbook the shipped
    query's Python twin runs over the portfolio's graph.
    """
    given = _parse_params(params)
    statement = _statement(name_or_file)
    backend = open_backend(portfolio, scope=scope, database=database, municipality=municipality)
    try:
        if statement is not None and given.get("system"):
            given = given | {"system": _known_system(backend, statement, given["system"])}
        if isinstance(backend, Neo4jBackend):
            if statement is None:
                statement = cypher.parse("query", name_or_file)
            columns, rows = backend.run_query(statement.text, statement.arguments(given), write)
            result = QueryResult(statement.name, tuple(columns), tuple(map(tuple, rows)))
        else:
            assert isinstance(backend, NetworkxBackend)
            if statement is None or statement.name not in TWINS or name_or_file != statement.name:
                raise SnitgrafError(
                    _(
                        "ad-hoc Cypher needs Neo4j (PORTFOLIO as bolt://… or neo4j://…); on a "
                        "folder or workbook only the shipped queries run: {names}"
                    ).format(names=", ".join(sorted(TWINS)))
                )
            result = run_twin(backend.graph("all"), statement.name, given)
    finally:
        backend.close()
    _emit(result, fmt)


def _known_system(backend: Backend, statement: cypher.Statement, system: str) -> str:
    """A query's `system` argument as an id: an id or an exact name of the portfolio's systems.

    An unknown one is an error naming the closest ids, not an empty table.
    """
    from snitgraf.analysis.impact import resolve_system

    if "system" not in {p.name for p in statement.parameters}:
        return system
    return resolve_system(backend.full_graph, system)


COMMANDS: list[click.Command] = [push, query]
