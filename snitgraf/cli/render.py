"""The `render` command: an interactive, offline HTML diagram of a view of a portfolio."""

from __future__ import annotations

from pathlib import Path

import click

from snitgraf.backends import Backend
from snitgraf.cli.common import (
    backend_options,
    portfolio_argument,
    require_graph,
    with_backend,
)
from snitgraf.io.atomic import file_stem
from snitgraf.render.diagrams import COLLAPSE_ABOVE, VIEWS, diagram, drawn_graph, layout
from snitgraf.render.pyvis_page import write_page


@click.command()
@portfolio_argument
@backend_options
@click.option(
    "--view",
    type=click.Choice(VIEWS),
    default="as-is",
    show_default=True,
    help="AS-IS, derived TO-BE, the gap between them, or the impact of replacing --system.",
)
@click.option("--system", default=None, help="Impact view: the system (id) to replace.")
@click.option(
    "--replaced-by", default=None, help="Impact view: the system (id) that replaces --system."
)
@click.option(
    "--depth",
    type=click.IntRange(min=1),
    default=None,
    help="Impact view: follow dependents this many hops [default: all].",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="HTML file to write [default: visualizations/VIEW.html; VIEW-CODE.html with "
    "--municipality].",
)
@click.option(
    "--collapse-above",
    type=click.IntRange(min=0),
    default=COLLAPSE_ABOVE,
    show_default=True,
    help="Above this many systems, collapse the non-monopoly systems into groups.",
)
@click.option(
    "--collapse-by",
    type=click.Choice(["domain", "supplier"]),
    default="domain",
    show_default=True,
    help="How collapsed systems are grouped.",
)
@with_backend
def render(
    backend: Backend,
    view: str,
    system: str | None,
    replaced_by: str | None,
    depth: int | None,
    out: Path | None,
    collapse_above: int,
    collapse_by: str,
) -> None:
    """Draw a view as an interactive HTML page that works offline (open it in a browser).

    With --municipality: only that municipality's own systems, interfaces, usages and
    contracts (with the systems that replace them in TO-BE); categories stay those of the
    whole catalogue."""
    if view != "impact" and (system, replaced_by, depth) != (None, None, None):
        raise click.UsageError("--system, --replaced-by and --depth go with --view impact")
    nx_backend = require_graph(backend, "render")
    code = getattr(nx_backend, "municipality", None)
    if code is None:
        graph, catalogue, name = nx_backend.full_graph, None, view
    else:
        graph, catalogue, name = (
            nx_backend.graph("all"),
            nx_backend.full_graph,
            f"{view}-{file_stem(code)}",
        )
    # Positions over what this page can draw: a municipality's few hundred systems get a
    # readable layout of their own (and are collapsed only when they are many), rather than
    # sparse spots in the national layout; its four views still share the positions.
    drawn = drawn_graph(graph, catalogue)
    positions = layout(drawn, collapse_above, collapse_by)  # type: ignore[arg-type]
    result = diagram(
        graph,
        view,  # type: ignore[arg-type]
        system,
        replaced_by,
        positions,
        depth,
        catalogue,
    )
    path = write_page(result, out or Path("visualizations") / f"{name}.html")
    click.echo(f"wrote {path}: {len(result.nodes)} nodes, {len(result.edges)} edges")
    if result.note:
        click.echo(result.note)


COMMANDS: list[click.Command] = [render]
