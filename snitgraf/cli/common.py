"""What every command shares: the PORTFOLIO argument, backend options, output and errors.

Commands only parse, call one library function and print; errors become one line on stderr and
a non-zero exit code (1 invalid data or a failed operation, 2 usage), never a traceback.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from snitgraf.i18n import N_, _
from snitgraf.problems import PortfolioError, SnitgrafError
from snitgraf.schema import STATES

if TYPE_CHECKING:
    from snitgraf.backends import Backend
    from snitgraf.backends.networkx import NetworkxBackend
    from snitgraf.render.tables import Column

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INVALID = 1
EXIT_USAGE = 2


class ComparingCommand(click.Command):
    """A command whose exit code 1 means "differences found", like diff(1): invalid data and
    failed operations exit 2 ("trouble") instead of 1."""

    exit_invalid = EXIT_USAGE


class SnitgrafGroup(click.Group):
    """A click group that turns snitgraf's errors into one-line messages and exit codes."""

    def _exit_invalid(self, ctx: click.Context) -> int:
        """The exit code of invalid data for the command that ran (1, or 2 for a diff)."""
        name = ctx.invoked_subcommand
        command = self.commands.get(name) if name else None
        return command.exit_invalid if isinstance(command, ComparingCommand) else EXIT_INVALID

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PortfolioError as error:
            for line in error.lines():
                click.echo(line, err=True)
            click.echo(
                _("{source}: invalid portfolio: {count} problem(s)").format(
                    source=error.source, count=len(error.problems)
                ),
                err=True,
            )
            ctx.exit(self._exit_invalid(ctx))
        except SnitgrafError as error:
            click.echo(_("error: {problem}").format(problem=error), err=True)
            ctx.exit(self._exit_invalid(ctx))
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except OSError as error:  # the file system refused: a read-only or missing folder, ...
            click.echo(_("error: {problem}").format(problem=_describe_os_error(error)), err=True)
            ctx.exit(self._exit_invalid(ctx))
        except KeyboardInterrupt:
            click.echo(_("interrupted"), err=True)
            ctx.exit(130)
        except Exception as error:  # a bug: still one line, never a traceback
            if os.environ.get("SNITGRAF_DEBUG"):
                raise
            click.echo(
                _("internal error: {kind}: {error} (set SNITGRAF_DEBUG=1 for details)").format(
                    kind=type(error).__name__, error=error
                ),
                err=True,
            )
            ctx.exit(3)


def _describe_os_error(error: OSError) -> str:
    """One line naming the path and what the operating system said, e.g. read-only."""
    reason = error.strerror or str(error)
    if error.filename is None:
        return _("cannot read or write: {reason}").format(reason=reason)
    return _("cannot read or write {path}: {reason}").format(path=error.filename, reason=reason)


portfolio_argument = click.argument("portfolio", metavar="PORTFOLIO")


def neo4j_options(func: F) -> F:
    """--scope and --database, for PORTFOLIO given as a Neo4j URI."""
    func = click.option(
        "--database", default=None, help=N_("Neo4j database (PORTFOLIO is a Neo4j URI).")
    )(func)
    func = click.option("--scope", default=None, help=N_("Neo4j scope: which pushed portfolio."))(
        func
    )
    return func


def backend_options(func: F) -> F:
    """--scope and --database (PORTFOLIO a Neo4j URI); --municipality (one municipality's view)."""
    func = click.option(
        "--municipality",
        default=None,
        metavar="CODE",
        help=N_(
            "Only this municipality's systems, interfaces, usages and contracts "
            "(categories stay those of the whole catalogue)."
        ),
    )(func)
    return neo4j_options(func)


def state_option(default: str = "all") -> Callable[[F], F]:
    """--state as-is|to-be|all."""
    return click.option(
        "--state",
        type=click.Choice(STATES),
        default=default,
        show_default=True,
        help=N_(
            "Which interfaces to show: AS-IS, derived TO-BE or all as stated "
            "(categories are decided on the whole transition either way)."
        ),
    )


LAYOUT_CHOICES = ("force", "lanes")
"""The diagram layouts (`snitgraf.render.diagrams.LAYOUT_MODES`, named here so that declaring a
command does not import the diagrams)."""


def page_options(command: F) -> F:
    """--layout force|lanes and --edge-ids: how the diagram pages open."""
    command = click.option(
        "--edge-ids",
        is_flag=True,
        help=N_(
            "Open the page with each edge labelled by its interface id (a switch in the page)."
        ),
    )(command)
    return click.option(
        "--layout",
        "layout_mode",
        type=click.Choice(LAYOUT_CHOICES),
        default="force",
        show_default=True,
        help=N_(
            "How the page opens: force (systems that work together close) or lanes (one "
            "horizontal lane per domain); the page switches between them."
        ),
    )(command)


def format_option(choices: Sequence[str] | None = None) -> Callable[[F], F]:
    """--format table|json|csv|md (or `choices`)."""
    from snitgraf.render.tables import FORMATS  # the tables only when a command is declared

    choices = FORMATS if choices is None else choices
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default="table",
        show_default=True,
        help=N_("Output format."),
    )


def echo_warnings(backend: Backend) -> None:
    """Print what loading the portfolio warned about (a misspelt header, a formula without a
    value) on stderr, one `warning: ...` line each: the command still runs."""
    loaded = getattr(backend, "portfolio", None)
    for line in getattr(loaded, "warnings", ()):
        click.echo(_("warning: {problem}").format(problem=line), err=True)


def with_backend(func: F) -> F:
    """Open the backend PORTFOLIO names, pass it as `backend`, close it afterwards."""

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        portfolio: str,
        scope: str | None = None,
        database: str | None = None,
        municipality: str | None = None,
        **kwargs: Any,
    ) -> Any:
        from snitgraf.backends import open_backend

        backend = open_backend(portfolio, scope=scope, database=database, municipality=municipality)
        echo_warnings(backend)
        try:
            return func(*args, backend=backend, **kwargs)
        finally:
            backend.close()

    return wrapper  # type: ignore[return-value]


def emit(
    results: Sequence[Any],
    columns: Sequence[Column],
    fmt: str,
    title: str | None = None,
    table_columns: Sequence[Column] | None = None,
) -> None:
    """Print results: a rich table on the terminal, or JSON/CSV/Markdown text on stdout."""
    from snitgraf.render.tables import render, to_rich_table

    if fmt == "table":
        from rich.console import Console

        console = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 240)
        console.print(to_rich_table(results, table_columns or columns, title))
        return
    click.echo(render(results, columns, fmt), nl=False)  # type: ignore[arg-type]


def require_networkx(backend: Backend, what: str) -> NetworkxBackend:
    """The networkx backend, or a clear error naming what needs it."""
    from snitgraf.backends.networkx import NetworkxBackend

    if not isinstance(backend, NetworkxBackend):
        raise SnitgrafError(
            _("{command} needs a portfolio folder or workbook, not a Neo4j URI").format(
                command=what
            )
        )
    return backend


KIND_NAMES: dict[str, str] = {
    "suppliers": N_("suppliers"),
    "systems": N_("systems"),
    "interfaces": N_("interfaces"),
    "data": N_("data"),
    "usages": N_("usages"),
    "contracts": N_("contracts"),
    "municipalities": N_("municipalities"),
    "deployments": N_("deployments"),
}
"""What a portfolio holds, as counts name it (the keys are the portfolio's kinds of row)."""


def counted(counts: dict[str, int], always: Sequence[str] = ()) -> str:
    """'3 suppliers, 12 systems, ...' in the active language: the non-zero counts and `always`."""
    return ", ".join(
        f"{n} {_(KIND_NAMES.get(kind, kind))}" for kind, n in counts.items() if n or kind in always
    )
