"""The installed snitgraf (a wheel in a fresh venv, run outside the checkout) on a real Neo4j.

Its push and its categorize/query on the server need the shipped Cypher statements: they read
them as package data. The answers equal the checkout's on the same folder.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from snitgraf.cli import cli
from tests.installed import Installed

pytestmark = [pytest.mark.neo4j, pytest.mark.package]


def test_the_installed_push_then_categorize_and_query_on_neo4j(
    installed: Installed, neo4j_env: str, scope: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pushed = installed.snitgraf("push", "kombit-2014", "--to", neo4j_env, "--scope", scope)
    assert pushed.returncode == 0, pushed.stderr
    assert f"scope '{scope}': 122 nodes" in pushed.stdout

    on_server = installed.snitgraf("categorize", neo4j_env, "--scope", scope, "--format", "csv")
    assert on_server.returncode == 0, on_server.stderr
    query = ("monopoly-dependencies", "--param", "system=kmd-sag", "--format", "csv")
    queried = installed.snitgraf("query", neo4j_env, *query, "--scope", scope)
    assert queried.returncode == 0, queried.stderr

    monkeypatch.chdir(installed.workdir)
    runner = CliRunner()
    folder = runner.invoke(cli, ["categorize", "kombit-2014", "--format", "csv"])
    assert on_server.stdout == folder.output
    twin = runner.invoke(cli, ["query", "kombit-2014", *query])
    assert queried.stdout == twin.output
    assert len(queried.stdout.splitlines()) > 2
