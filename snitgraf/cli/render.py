"""The `render` command: an interactive, offline HTML diagram of a view of a portfolio."""

from __future__ import annotations

from pathlib import Path

import click

from snitgraf.assessment import Assessment
from snitgraf.cli.assessing import date_options, with_assessment
from snitgraf.cli.common import backend_options, page_options, portfolio_argument
from snitgraf.i18n import N_, _
from snitgraf.io.atomic import file_stem
from snitgraf.render.diagrams import (
    COLLAPSE_ABOVE,
    VIEWS,
    CollapseBy,
    LayoutMode,
    View,
    diagram,
    layout,
)
from snitgraf.render.pyvis_page import write_page


@click.command()
@portfolio_argument
@backend_options
@date_options
@click.option(
    "--view",
    type=click.Choice(VIEWS),
    default="as-is",
    show_default=True,
    help=N_("AS-IS, derived TO-BE, the gap between them, or the impact of replacing --system."),
)
@click.option("--system", default=None, help=N_("Impact view: the system (id) to replace."))
@click.option(
    "--replaced-by", default=None, help=N_("Impact view: the system (id) that replaces --system.")
)
@click.option(
    "--depth",
    type=click.IntRange(min=1),
    default=None,
    help=N_("Impact view: follow dependents this many hops [default: all]."),
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_(
        "HTML file to write [default: visualizations/VIEW.html; VIEW-CODE.html with "
        "--municipality]."
    ),
)
@click.option(
    "--collapse-above",
    type=click.IntRange(min=0),
    default=COLLAPSE_ABOVE,
    show_default=True,
    help=N_("Above this many systems, collapse the non-monopoly systems into groups."),
)
@click.option(
    "--collapse-by",
    type=click.Choice(["domain", "supplier"]),
    default="domain",
    show_default=True,
    help=N_("How collapsed systems are grouped."),
)
@page_options
@with_assessment
def render(
    assessment: Assessment,
    view: View,
    system: str | None,
    replaced_by: str | None,
    depth: int | None,
    out: Path | None,
    collapse_above: int,
    collapse_by: CollapseBy,
    layout_mode: LayoutMode,
    edge_ids: bool,
) -> None:
    """Draw a view as an interactive HTML page that works offline (open it in a browser).

    With --municipality: only that municipality's own systems, interfaces, usages and
    contracts (with the systems that replace them in TO-BE); categories stay those of the
    whole catalogue."""
    if view != "impact" and (system, replaced_by, depth) != (None, None, None):
        raise click.UsageError(_("--system, --replaced-by and --depth go with --view impact"))
    if view == "impact" and not system:
        raise click.UsageError(_("--view impact needs --system ID (the system to replace)"))
    code = assessment.municipality
    name = view if code is None else f"{view}-{file_stem(code)}"
    # Positions over what this page can draw: a municipality's few hundred systems get a
    # readable layout of their own (and are collapsed only when they are many), rather than
    # sparse spots in the national layout; its four views still share the positions.
    positions = layout(assessment.graph, collapse_above, collapse_by, mode=layout_mode)
    impact = assessment.impact(system, replaced_by, depth) if system else None
    result = diagram(assessment, view, positions, impact, edge_ids=edge_ids)
    path = write_page(result, out or Path("visualizations") / f"{name}.html")
    click.echo(
        _("wrote {path}: {nodes} nodes, {edges} edges").format(
            path=path, nodes=len(result.nodes), edges=len(result.edges)
        )
    )
    if result.note:
        click.echo(result.note)


COMMANDS: list[click.Command] = [render]
