"""Every way talking to Neo4j can fail ends in one line on stderr and exit code 1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from snitgraf import cypher
from snitgraf.backends.neo4j import check_version
from snitgraf.cli import cli
from snitgraf.problems import SnitgrafError
from tests.portfolios import SAMPLE

pytestmark = pytest.mark.neo4j

PASSWORD = "kombit-hemmelig-2014"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_one_line_error(result: Result, start: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"error: {start}"), result.output
    assert result.output.count("\n") == 1, result.output
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def auth_server(
    neo4j_server: tuple[str, str | None, str | None], extra_server: Callable[..., Any]
) -> tuple[str, str]:
    """(uri, password of user neo4j) of a Neo4j with authentication on.

    The test server when it has auth (NEO4J_PASSWORD set), else an extra server started here.
    """
    uri, _user, password = neo4j_server
    if password:
        return uri, password
    return extra_server(auth=f"neo4j:{PASSWORD}").uri, PASSWORD


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_an_unreachable_server_is_one_line_naming_the_cause(
    monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    uri = f"{scheme}://127.0.0.1:{port}"
    result = run("push", str(SAMPLE), "--to", uri)
    assert_one_line_error(result, f"cannot reach Neo4j at {uri}")
    # The routing scheme's own message ("Unable to retrieve routing information") hides this.
    assert "Connection refused" in result.output


def test_the_drivers_own_log_lines_stay_off_stderr() -> None:
    """A real process (pytest's log capture would hide Python's last-resort stderr handler)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    uri = f"neo4j://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    done = subprocess.run(
        [sys.executable, "-m", "snitgraf", "categorize", uri, "--scope", "x"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(f"error: cannot reach Neo4j at {uri}"), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr


def test_a_wrong_password_is_one_line_and_never_printed(
    auth_server: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    uri, _ = auth_server
    monkeypatch.setenv("NEO4J_USER", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-password")
    result = run("push", str(SAMPLE), "--to", uri, "--scope", "never")
    assert_one_line_error(result, f"authentication failed at {uri}")
    assert "not-the-password" not in result.output


def test_missing_credentials_off_a_terminal_fail_without_a_prompt(
    auth_server: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    uri, _ = auth_server
    monkeypatch.delenv("NEO4J_USER", raising=False)
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    result = run("categorize", uri, "--scope", "never")
    assert_one_line_error(result, f"authentication failed at {uri}")


def test_credentials_from_the_environment_log_in(
    auth_server: tuple[str, str], monkeypatch: pytest.MonkeyPatch, driver: Any
) -> None:
    uri, password = auth_server
    monkeypatch.setenv("NEO4J_USER", os.environ.get("NEO4J_USER") or "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    scope = "auth-test-aarhus"
    try:
        result = run("push", str(SAMPLE), "--to", uri, "--scope", scope, "--no-to-be")
        assert result.exit_code == 0, result.output
        assert password not in result.output
        listed = run("query", uri, "replacements", "--scope", scope, "--format", "csv")
        assert listed.exit_code == 0, listed.output
        assert "kmd-dagpenge,KMD Dagpenge,ksd," in listed.output
    finally:
        run("query", uri, "MATCH (n {scope: $scope}) DETACH DELETE n", "--scope", scope, "--write")


def test_push_takes_no_password_option() -> None:
    help_text = run("push", "--help").output
    assert "--password" not in help_text
    assert "NEO4J_PASSWORD" in help_text


def test_a_missing_database_is_one_line(neo4j_env: str) -> None:
    result = run("push", str(SAMPLE), "--database", "nosuchdb", "--scope", "x")
    assert_one_line_error(result, f"database 'nosuchdb' does not exist at {neo4j_env}")
    result = run("categorize", neo4j_env, "--database", "nosuchdb", "--scope", "x")
    assert_one_line_error(result, f"database 'nosuchdb' does not exist at {neo4j_env}")


def test_a_server_older_than_5_is_refused(neo4j_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real server answers, through the real code path, as a Neo4j 4.4 would."""
    real_load = cypher.load

    def load(name: str) -> cypher.Statement:
        if name == "server/components":
            return cypher.parse(
                name,
                "RETURN 'Neo4j Kernel' AS name, ['4.4.26'] AS versions, 'enterprise' AS edition",
            )
        return real_load(name)

    monkeypatch.setattr(cypher, "load", load)
    result = run("push", str(SAMPLE), "--scope", "x")
    assert_one_line_error(
        result, "Neo4j 4.4.26 enterprise is too old: snitgraf needs Neo4j 5.x or newer"
    )


@pytest.mark.parametrize(
    ("versions", "accepted"),
    [(["5.0.0"], True), (["5.26.30"], True), (["2025.01.0"], True), (["4.4.26"], False)],
)
def test_check_version_accepts_5_and_newer(versions: list[str], accepted: bool) -> None:
    rows: list[dict[str, Any]] = [
        {"name": "Neo4j Kernel", "versions": versions, "edition": "community"}
    ]
    if accepted:
        assert check_version(rows).startswith(versions[0])
    else:
        with pytest.raises(SnitgrafError, match="too old"):
            check_version(rows)


def test_a_scope_that_was_never_pushed_is_one_line(neo4j_env: str) -> None:
    result = run("categorize", neo4j_env, "--scope", "no-such-scope")
    assert_one_line_error(result, f"scope 'no-such-scope' is empty at {neo4j_env}")


def test_push_without_a_server_says_how_to_name_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    result = run("push", str(SAMPLE))
    assert_one_line_error(result, "no Neo4j to push to: give --to URI or set NEO4J_URI")


def test_a_batch_too_big_for_the_servers_transaction_memory_is_one_line() -> None:
    """What a server answers to a batch bigger than its transaction memory."""
    from neo4j.exceptions import Neo4jError

    from snitgraf.backends.neo4j import push_error

    error = Neo4jError._hydrate_neo4j(
        code="Neo.TransientError.General.MemoryPoolOutOfMemoryError",
        message="The allocation of an extra 2.0 MiB would use more than the limit 692.9 MiB. "
        "Currently using 691.0 MiB. dbms.memory.transaction.total.max threshold reached",
    )
    assert str(push_error(error, "bolt://x", None)) == (
        "a batch of the push does not fit the server's transaction memory, nothing was "
        "changed: push with a smaller --batch-size, or give the server more "
        "(db.memory.transaction.max)"
    )


@pytest.fixture
def silent_listener() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts connections and never answers (a hung server)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        accepted: list[socket.socket] = []

        def accept() -> None:
            while True:
                try:
                    accepted.append(listener.accept()[0])
                except OSError:
                    return

        threading.Thread(target=accept, daemon=True).start()
        yield listener.getsockname()[1]
    for conn in accepted:
        conn.close()


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_a_server_that_never_answers_ends_after_the_timeout_in_one_line(
    silent_listener: int, scheme: str
) -> None:
    uri = f"{scheme}://127.0.0.1:{silent_listener}"
    result = run("push", str(SAMPLE), "--to", uri, "--timeout", "1")
    assert_one_line_error(result, f"cannot reach Neo4j at {uri}: no answer within 1 s")
    assert "--timeout" in result.output


def test_reading_commands_take_the_timeout_from_neo4j_timeout(
    silent_listener: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_TIMEOUT", "1.5")
    uri = f"bolt://127.0.0.1:{silent_listener}"
    result = run("categorize", uri, "--scope", "x")
    assert_one_line_error(result, f"cannot reach Neo4j at {uri}: no answer within 1.5 s")


def test_a_bad_neo4j_timeout_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_TIMEOUT", "soon")
    result = run("categorize", "bolt://127.0.0.1:1", "--scope", "x")
    assert_one_line_error(result, "NEO4J_TIMEOUT must be a number of seconds above 0, not 'soon'")


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        ("bolt://neo4j:kombit-hemmelig@127.0.0.1:7687", "bolt://neo4j:***@127.0.0.1:7687"),
        ("neo4j+s://u:p%40ss:w@db.example.dk", "neo4j+s://u:***@db.example.dk"),
        ("bolt://:kombit-hemmelig@host", "bolt://:***@host"),
        ("bolt://only-a-user@host", "bolt://only-a-user@host"),
        ("bolt://127.0.0.1:7687", "bolt://127.0.0.1:7687"),
    ],
)
def test_redact_uri_hides_the_password_only(uri: str, shown: str) -> None:
    from snitgraf.backends.neo4j import redact_uri

    assert redact_uri(uri) == shown


def test_a_password_in_the_uri_is_refused_and_never_echoed(
    neo4j_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_password = neo4j_env.replace("://", f"://neo4j:{PASSWORD}@", 1)
    shown = neo4j_env.replace("://", "://neo4j:***@", 1)
    results = [
        run("push", str(SAMPLE), "--to", with_password, "--scope", "x"),
        run("categorize", with_password, "--scope", "x"),
        run("query", with_password, "replacements", "--scope", "x"),
    ]
    monkeypatch.setenv("NEO4J_URI", with_password)
    results.append(run("push", str(SAMPLE), "--scope", "x"))
    for result in results:
        assert_one_line_error(result, f"a Neo4j URI must not hold a password ({shown})")
        assert PASSWORD not in result.output
        assert "NEO4J_PASSWORD" in result.output


def test_a_password_in_a_uri_that_is_not_neo4js_is_not_echoed() -> None:
    result = run("push", str(SAMPLE), "--to", f"https://neo4j:{PASSWORD}@example.dk")
    assert_one_line_error(
        result, "not a Neo4j URI (bolt://, neo4j://, +s/+ssc): https://neo4j:***@"
    )
    assert PASSWORD not in result.output


def test_the_test_servers_password_is_not_on_its_command_line_nor_in_its_logs(
    extra_server: Callable[..., Any],
) -> None:
    from tests.neo4j_server import ROOT

    password = "kombit-log-hemmelig-15"
    server = extra_server(auth=f"neo4j:{password}")
    state = ROOT / ".neo4j"
    pid = (state / f"server-{server.port}.pid").read_text().strip()
    command_line = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    assert "Neo4jTestServer" in command_line
    assert password not in command_line
    logs = [state / f"server-{server.port}.log", *(state / str(server.port)).rglob("*.log")]
    assert any(log.name == "debug.log" for log in logs)
    for log in logs:
        assert password not in log.read_text(errors="replace"), log
