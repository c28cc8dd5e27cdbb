"""Fixtures for the tests against a real Neo4j: one server and one driver for the whole run.

The server is NEO4J_URI (with NEO4J_USER / NEO4J_PASSWORD) when set, else the project's test
server (`tests.neo4j_server.ensure_neo4j`). With CI=true a missing server FAILS the tests; it
never skips them. Every test writes into its own scope and removes it afterwards, so tests (and
a developer's own data in the same database) never see each other.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from snitgraf.backends.neo4j import TO_BE_SUFFIX, delete_scope, open_driver
from snitgraf.problems import SnitgrafError


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Neo4j is needed in CI: {reason}", pytrace=False)
    pytest.skip(f"no Neo4j: {reason}")


@pytest.fixture(scope="session")
def neo4j_server() -> tuple[str, str | None, str | None]:
    """(uri, user, password) of the Neo4j to test against."""
    from tests.neo4j_server import ensure_neo4j

    try:
        return ensure_neo4j()
    except RuntimeError as error:
        _missing(str(error))
        raise


@pytest.fixture(scope="module")
def extra_server() -> Iterator[Callable[..., Any]]:
    """Start further test servers (`tests.neo4j_server.start_server` options: auth, tls, ...).

    Each is stopped after the module; one that cannot start fails the test in CI, else skips it.
    """
    from tests.neo4j_server import start_server

    started: list[Any] = []

    def start(**options: Any) -> Any:
        try:
            server = start_server(**options)
        except RuntimeError as error:
            _missing(f"a further server ({', '.join(options)}): {error}")
            raise
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_uri(neo4j_server: tuple[str, str | None, str | None]) -> str:
    """The Bolt URI of the test server."""
    return neo4j_server[0]


@pytest.fixture(scope="session")
def neo4j_auth(neo4j_server: tuple[str, str | None, str | None]) -> tuple[str, str] | None:
    """(user, password) for the test server, or None when it runs without auth."""
    _, user, password = neo4j_server
    return (user or "neo4j", password) if password else None


@pytest.fixture(scope="session")
def driver(neo4j_uri: str, neo4j_auth: tuple[str, str] | None) -> Iterator[Any]:
    """One driver for the whole run (connected, logged in, version checked)."""
    try:
        opened = open_driver(neo4j_uri, auth=neo4j_auth, prompt=False)
    except SnitgrafError as error:
        _missing(str(error))
        raise
    yield opened
    opened.close()


@pytest.fixture
def new_scope(driver: Any) -> Iterator[Any]:
    """A factory of fresh scopes; every scope it made (and its TO-BE twin) is removed after."""
    made: list[str] = []

    def make(prefix: str = "test") -> str:
        scope = f"{prefix}-{uuid.uuid4().hex[:12]}"
        made.append(scope)
        return scope

    yield make
    for scope in made:
        delete_scope(driver, scope)
        delete_scope(driver, scope + TO_BE_SUFFIX)


@pytest.fixture
def scope(new_scope: Any) -> str:
    """A fresh scope for one test."""
    return new_scope()


@pytest.fixture
def neo4j_env(
    monkeypatch: pytest.MonkeyPatch, neo4j_uri: str, neo4j_auth: tuple[str, str] | None
) -> str:
    """NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD set for the CLI; returns the URI."""
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    if neo4j_auth:
        monkeypatch.setenv("NEO4J_USER", neo4j_auth[0])
        monkeypatch.setenv("NEO4J_PASSWORD", neo4j_auth[1])
    else:
        monkeypatch.delenv("NEO4J_USER", raising=False)
        monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    return neo4j_uri
