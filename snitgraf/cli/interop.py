"""Interoperability commands: export (xlsx, ArchiMate), import-kmd, import-archimate, import-kitos,
report."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import click

from snitgraf.assessment import Assessment
from snitgraf.cli.assessing import date_options, go_live_option, with_assessment
from snitgraf.cli.common import backend_options, counted, portfolio_argument, require_networkx
from snitgraf.graph import nodes
from snitgraf.i18n import N_, _
from snitgraf.problems import SnitgrafError
from snitgraf.schema import Label

EXPORT_FORMATS = ("xlsx", "archimate")


@click.command()
@portfolio_argument
@click.option(
    "--to",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help=N_("xlsx: a workbook for reading; archimate: an exchange file for Archi."),
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help=N_("The file to write (.xlsx or .xml)."),
)
@with_assessment
def export(assessment: Assessment, fmt: str, out: Path) -> None:
    """Export a portfolio as an Excel workbook or an ArchiMate exchange file."""
    portfolio = require_networkx(assessment.backend, "export").portfolio
    categories = assessment.categorised("all")
    if fmt == "xlsx":
        from snitgraf.io.xlsx_export import write_xlsx

        write_xlsx(portfolio, out, categories, assessment.overview(None, "all"))
        click.echo(
            _("wrote {path}: {counts} + categories ({n}) + overview").format(
                path=out, counts=counted(portfolio.counts()), n=len(categories)
            )
        )
        return
    from snitgraf.io.archimate import write_archimate

    to_be = {a["id"] for _k, a in nodes(assessment.transition.to_be, Label.SYSTEM)}
    counts = write_archimate(
        portfolio, out, categories, to_be, to_be_categories=assessment.categorised("to-be")
    )
    elements = ", ".join(f"{n} {t}" for t, n in counts.elements.items())
    click.echo(
        _("wrote {path}: {elements}; {relationships} relationships; {views} views").format(
            path=out,
            elements=elements,
            relationships=sum(counts.relationships.values()),
            views=counts.views,
        )
    )


def _empty_or_new(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise SnitgrafError(_("{path}: exists and is not a folder").format(path=folder))
    if folder.is_dir() and any(folder.glob("*.csv")) and not force:
        raise SnitgrafError(
            _("{path}: already holds CSV files (use --force to replace them)").format(path=folder)
        )


@click.command("import-archimate")
@click.argument("model", type=click.Path(dir_okay=False, path_type=Path), metavar="MODEL.xml")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help=N_("The portfolio folder to write."),
)
@click.option("--force", is_flag=True, help=N_("Replace the CSV files of an existing folder."))
def import_archimate(model: Path, out: Path, force: bool) -> None:
    """Read an ArchiMate exchange file (from snitgraf or Archi) into a portfolio folder."""
    from snitgraf.io.archimate import import_archimate as run

    if not model.is_file():
        raise SnitgrafError(_("{path}: no such file").format(path=model))
    _empty_or_new(out, force)
    result, written = run(model, out)
    click.echo(f"{model}: {counted(result.portfolio.counts())}")
    for kind, n in sorted({**result.ignored_elements, **result.ignored_relationships}.items()):
        click.echo(
            "  " + _("left out {n} {kind} (not modelled by snitgraf)").format(n=n, kind=kind)
        )
    for key, n in sorted(result.ignored_properties.items()):
        click.echo(
            _(
                "  left out {n} {key} properties (Archi's specialization; no snitgraf column)"
            ).format(n=n, key=key)
        )
    if result.assumed:
        click.echo(
            _("{n} assumption(s) for what was drawn without snitgraf's properties:").format(
                n=len(result.assumed)
            )
        )
        for line in result.assumed:
            click.echo(f"  {line}")
    if result.skipped:
        click.echo(_("{n} left out, with why:").format(n=len(result.skipped)))
        for line in result.skipped:
            click.echo(f"  {line}")
    for path in written:
        click.echo(_("wrote {path}").format(path=path))


COMMANDS: list[click.Command] = [export, import_archimate]


@click.command("import-kmd")
@click.argument(
    "kmd_list", type=click.Path(dir_okay=False, path_type=Path), metavar="LIST.(xlsx|csv)"
)
@click.option(
    "--for",
    "for_system",
    required=True,
    metavar="SYSTEM_ID",
    help=N_("The monopoly system the list belongs to (e.g. kmd-dagpenge)."),
)
@click.option(
    "--into",
    "portfolio",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="PORTFOLIO",
    help=N_("The portfolio folder to merge into."),
)
@click.option(
    "--need",
    type=click.Choice(["must", "nice"]),
    default=None,
    help=N_("The need of the usages the list adds [default: must, marked need-default-must]."),
)
@click.option("--dry-run", is_flag=True, help=N_("Report what would change; write nothing."))
def import_kmd(
    kmd_list: Path, for_system: str, portfolio: Path, need: str | None, dry_run: bool
) -> None:
    """Merge a KMD interface list into a portfolio folder (never overwriting what it says)."""
    from snitgraf.io.kmd import merge_kmd_list

    result = merge_kmd_list(kmd_list, for_system, portfolio, need, dry_run)
    summary = (
        _(
            "{path}: {rows} rows: would add {interfaces} interfaces, {usages} usages, "
            "{systems} systems; {unchanged} unchanged; {conflicts} conflicts"
        )
        if dry_run
        else _(
            "{path}: {rows} rows: added {interfaces} interfaces, {usages} usages, "
            "{systems} systems; {unchanged} unchanged; {conflicts} conflicts"
        )
    )
    click.echo(
        summary.format(
            path=kmd_list,
            rows=result.rows,
            interfaces=len(result.added_interfaces),
            usages=len(result.added_usages),
            systems=len(result.created_systems),
            unchanged=result.unchanged,
            conflicts=len(result.conflicts),
        )
    )
    for system_id, name in result.created_systems:
        click.echo(
            _("new system {id} ({name}): complete its supplier and monopoly").format(
                id=system_id, name=name
            )
        )
    for conflict in result.conflicts:
        click.echo(_("conflict: {conflict}").format(conflict=conflict))
    for note in result.notes:
        click.echo(_("note: {note}").format(note=note))
    for path in result.written:
        click.echo(_("wrote {path}").format(path=path))


COMMANDS.append(import_kmd)


@click.command()
@portfolio_argument
@backend_options
@date_options
@go_live_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help=N_("The HTML file to write."),
)
@with_assessment
def report(assessment: Assessment, out: Path) -> None:
    """The management report: one offline HTML page with charts, overview, plan and budget."""
    from snitgraf.render.report import write_report

    click.echo(_("wrote {path}").format(path=write_report(assessment, out)))


COMMANDS.append(report)


def _uuid(param: click.Parameter, value: str | None) -> str | None:
    """A KITOS organisation UUID in its canonical form, or a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise click.BadParameter(
            _("not a UUID (value {value!r})").format(value=value), param=param
        ) from None


def _kitos_token(url: str) -> tuple[str, tuple[str, ...]]:
    """The bearer token: KITOS_TOKEN, else a login with KITOS_EMAIL and KITOS_PASSWORD (the
    password prompted for on a terminal when not set). Returns the token and the secrets no
    message may show."""
    from snitgraf.io import kitos

    token = os.environ.get(kitos.TOKEN_VARIABLE, "").strip()
    if token:
        return token, ()
    email = os.environ.get(kitos.EMAIL_VARIABLE, "").strip()
    if not email:
        raise SnitgrafError(
            _(
                "--url needs a KITOS login: set {email} (and {password}, or type it when asked) "
                "or a ready token in {token}"
            ).format(
                email=kitos.EMAIL_VARIABLE,
                password=kitos.PASSWORD_VARIABLE,
                token=kitos.TOKEN_VARIABLE,
            )
        )
    password = os.environ.get(kitos.PASSWORD_VARIABLE, "")
    if not password:
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            raise SnitgrafError(
                _("--url: {password} is not set and there is no terminal to ask on").format(
                    password=kitos.PASSWORD_VARIABLE
                )
            )
        password = click.prompt(
            _("KITOS password for {email}").format(email=email), hide_input=True, err=True
        )
    return kitos.login(url, email, password), (password,)


@click.command("import-kitos")
@click.option(
    "--from-dir",
    "from_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help=N_("Saved KITOS API v2 responses: <endpoint>[-<page>].json."),
)
@click.option(
    "--url",
    help=N_(
        "KITOS base URL, e.g. https://kitos.dk (login from KITOS_EMAIL and KITOS_PASSWORD, "
        "or a token in KITOS_TOKEN)."
    ),
)
@click.option(
    "--organization",
    metavar="UUID",
    callback=lambda _ctx, param, value: _uuid(param, value),
    help=N_("The organisation (municipality) in KITOS."),
)
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="PORTFOLIO",
    help=N_("Portfolio folder to import into (created if missing)."),
)
@click.option(
    "--list-organizations",
    "list_organizations",
    is_flag=True,
    help=N_("With --url: list the organisations the user belongs to (their UUIDs) and stop."),
)
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_(
        "Mapping file (TOML) with what KITOS does not know [default: PORTFOLIO/kitos-<UUID>.toml]."
    ),
)
@click.option(
    "--page-size",
    type=click.IntRange(1, 250),
    default=250,
    show_default=True,
    help=N_("Items per page with --url."),
)
@click.option(
    "--save",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=N_("With --url: also save the responses here (for --from-dir later)."),
)
@click.option(
    "--replace",
    is_flag=True,
    help=N_(
        "Accept an import that removes most of the municipality's usages, contracts and "
        "deployments (otherwise it stops and says what it would remove)."
    ),
)
@click.option(
    "--insecure",
    is_flag=True,
    help=N_("Allow plain http:// to a host other than this machine (credentials unencrypted)."),
)
def import_kitos(
    from_dir: Path | None,
    url: str | None,
    organization: str | None,
    into: Path | None,
    list_organizations: bool,
    mapping: Path | None,
    page_size: int,
    save: Path | None,
    replace: bool,
    insecure: bool,
) -> None:
    """Import a municipality's inventory from OS2 KITOS into a portfolio folder."""
    from snitgraf.io import kitos

    if list_organizations:
        if url is None:
            raise click.UsageError(_("--list-organizations needs --url"))
    elif (from_dir is None) == (url is None):
        raise click.UsageError(_("give exactly one of --from-dir and --url"))
    elif organization is None or into is None:
        raise click.UsageError(_("--organization and --into are required"))
    client = None
    if url is not None:
        warning = kitos.check_url(url, insecure)
        if warning:
            click.echo(warning, err=True)
        token, secrets = _kitos_token(url)
        client = kitos.KitosClient(url, token, page_size=page_size, secrets=secrets)
    if list_organizations:
        assert client is not None
        for line in kitos.organization_lines(client.organizations()):
            click.echo(line)
        return
    assert organization is not None and into is not None
    if client is not None:
        pages = kitos.fetch(client, organization)
        if save is not None:
            kitos.save_pages(pages, save)
    else:
        assert from_dir is not None
        pages = kitos.read_dir(from_dir)
    result, written = kitos.import_into(pages, organization, into, mapping, replace)
    click.echo(
        _("imported municipality {code} ({name}): {counts}").format(
            code=result.municipality,
            name=result.municipality_name,
            counts=counted(result.counts(), always=tuple(result.counts())),
        )
    )
    for title, items in (
        (_("{n} thing(s) KITOS does not know (defaults used):"), result.missing),
        (_("{n} warning(s):"), result.warnings),
        (_("{n} usage(s) no longer in use (left out):"), result.not_in_use),
        (_("{n} skipped:"), result.skipped),
    ):
        if items:
            click.echo(title.format(n=len(items)))
            for line in items:
                click.echo(f"  {line}")
    for path in written:
        click.echo(_("wrote {path}").format(path=path))


COMMANDS.append(import_kitos)
