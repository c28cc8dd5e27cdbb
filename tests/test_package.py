"""snitgraf as a package: what the wheel and sdist carry, and the installed command at work.

The `installed` fixture (tests/installed.py) builds both from the checkout and installs the wheel
into a fresh venv; the commands run there with the working directory outside the source tree.
The Neo4j half (push, categorize, query on the server) is tests/neo4j/test_installed_package.py.
"""

from __future__ import annotations

import re
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from snitgraf import __version__, cypher
from snitgraf.cli import cli
from tests.installed import ROOT, Installed

pytestmark = pytest.mark.package

PACKAGE_CYPHER = ROOT / "snitgraf" / "cypher"
SKIPPED_DIRS = {".git", ".venv", "tools", "node_modules", "build", "dist"}
BUILD_WARNING = re.compile(
    r"(?i)deprecat|BuildBackendWarning|SetuptoolsWarning|\bwarning: (?!.*byte-compiling)"
)
"""A line of the build log a maintainer must act on (not the PYTHONDONTWRITEBYTECODE notice)."""


def shipped_statements() -> set[str]:
    """The statements in the source tree, as paths inside the package."""
    return {
        f"snitgraf/cypher/{path.relative_to(PACKAGE_CYPHER).as_posix()}"
        for path in PACKAGE_CYPHER.rglob("*.cypher")
    }


def in_folder(installed: Installed, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """The checkout's CLI output for the same arguments, run in the same folder."""
    monkeypatch.chdir(installed.workdir)
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("name", ["server/components", "push/create-nodes", "queries/impact"])
def test_statements_are_found_as_package_resources(name: str) -> None:
    assert cypher.load(name).text
    assert cypher.CYPHER_DIR.joinpath(*f"{name}.cypher".split("/")).is_file()


def test_no_cypher_file_lies_outside_the_package() -> None:
    stray = sorted(
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.cypher")
        if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts)
        and not path.is_relative_to(PACKAGE_CYPHER)
    )
    assert stray == [], (
        "every statement lives in snitgraf/cypher/<folder>/ (package data); move these there"
    )


def test_the_wheel_carries_every_statement_and_the_licence(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    assert shipped_statements() <= names
    assert {n for n in names if n.endswith(".cypher")} == shipped_statements()
    assert "snitgraf/py.typed" in names
    assert "snitgraf/locale/da/LC_MESSAGES/snitgraf.mo" in names  # compiled at build time
    assert f"snitgraf-{__version__}.dist-info/licenses/LICENSE" in names


def test_the_wheel_metadata_has_the_version_and_an_spdx_licence(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        metadata = wheel.read(f"snitgraf-{__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {__version__}\n" in metadata
    assert "\nLicense-Expression: MIT\n" in metadata
    assert "\nLicense-File: LICENSE\n" in metadata


def test_the_sdist_carries_statements_sample_licence_and_changelog(installed: Installed) -> None:
    with tarfile.open(installed.sdist) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert shipped_statements() <= names
    assert {"LICENSE", "CHANGELOG.md", "README.md", "cypher/README.md"} <= names
    assert "data/kombit-2014/systems.csv" in names
    assert "snitgraf/locale/da/LC_MESSAGES/snitgraf.po" in names  # the catalogue's source


def test_the_build_prints_no_setuptools_warnings(installed: Installed) -> None:
    warnings = [line for line in installed.build_log.splitlines() if BUILD_WARNING.search(line)]
    assert warnings == []


def test_the_changelog_has_a_section_for_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(__version__)}\b", changelog, re.MULTILINE)


def test_the_installed_snitgraf_is_the_venvs_not_the_checkout(installed: Installed) -> None:
    found = installed.python("-c", "import snitgraf; print(snitgraf.__file__)")
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()).is_relative_to(installed.venv)
    version = installed.snitgraf("--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"snitgraf, version {__version__}")


def test_the_installed_validate_and_analyse_work_outside_the_checkout(
    installed: Installed, monkeypatch: pytest.MonkeyPatch
) -> None:
    validate = installed.snitgraf("validate", "kombit-2014")
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout == in_folder(installed, monkeypatch, "validate", "kombit-2014")

    analyse = installed.snitgraf("analyse", "kombit-2014", "--out", "out")
    assert analyse.returncode == 0, analyse.stderr
    written = {p.name for p in (installed.workdir / "out").iterdir()}
    assert {"categories.csv", "overview.csv", "as-is.html", "report.html"} <= written


def test_the_installed_query_runs_a_shipped_query_on_a_folder(
    installed: Installed, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("query", "kombit-2014", "monopoly-dependencies", "--format", "csv")
    result = installed.snitgraf(*args)
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header == ",".join(cypher.named_queries()["monopoly-dependencies"].columns)
    assert len(rows) > 10
    assert result.stdout == in_folder(installed, monkeypatch, *args)
