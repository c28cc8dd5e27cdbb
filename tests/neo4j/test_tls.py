"""The encrypted URI schemes against a real Neo4j that requires TLS on Bolt.

`+s` verifies the server's certificate against the system's trusted CAs (here: a test CA made
by trustme, trusted through SSL_CERT_FILE); `+ssc` accepts a self-signed certificate. Both the
direct (`bolt+...`) and the routing (`neo4j+...`) schemes push and categorise; an untrusted
certificate and a plain `bolt://` to a TLS-only server end in one line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import trustme
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives import serialization

from snitgraf.cli import cli
from tests.portfolios import SAMPLE

pytestmark = pytest.mark.neo4j


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _write_certificates(folder: Path) -> Path:
    """private.key and public.crt for 127.0.0.1 signed by a fresh test CA; returns the CA file."""
    ca = trustme.CA(key_type=trustme.KeyType.RSA)
    leaf = ca.issue_cert("127.0.0.1", "localhost", key_type=trustme.KeyType.RSA)
    key = serialization.load_pem_private_key(leaf.private_key_pem.bytes(), password=None)
    (folder / "private.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    leaf.cert_chain_pems[0].write_to_path(str(folder / "public.crt"))
    ca_file = folder / "test-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return ca_file


@pytest.fixture(scope="module")
def tls_server(
    tmp_path_factory: pytest.TempPathFactory, extra_server: Callable[..., Any]
) -> tuple[int, Path]:
    """(port, CA file) of a Neo4j whose Bolt connector requires TLS."""
    folder = tmp_path_factory.mktemp("tls")
    ca_file = _write_certificates(folder)
    server = extra_server(tls=folder)
    assert server.uri.startswith("bolt+s://127.0.0.1:"), server.uri
    return server.port, ca_file


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The TLS server runs without auth: no NEO4J_* from the developer's shell."""
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def _categories(portfolio: str, *scope: str) -> list[dict[str, object]]:
    result = run("categorize", portfolio, *scope, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("scheme", ["bolt+ssc", "neo4j+ssc"])
def test_a_self_signed_server_is_reached_with_ssc(
    tls_server: tuple[int, Path], no_credentials: None, scheme: str
) -> None:
    port, _ = tls_server
    uri = f"{scheme}://127.0.0.1:{port}"
    scope = f"tls-{scheme}"
    pushed = run("push", str(SAMPLE), "--to", uri, "--scope", scope)
    assert pushed.exit_code == 0, pushed.output
    assert f"pushed to {uri}" in pushed.output
    assert _categories(uri, "--scope", scope) == _categories(str(SAMPLE))


@pytest.mark.parametrize("scheme", ["bolt+s", "neo4j+s"])
def test_s_verifies_the_certificate_against_the_trusted_cas(
    tls_server: tuple[int, Path],
    no_credentials: None,
    monkeypatch: pytest.MonkeyPatch,
    scheme: str,
) -> None:
    port, ca_file = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    uri = f"{scheme}://127.0.0.1:{port}"
    scope = f"tls-{scheme}"
    pushed = run("push", str(SAMPLE), "--to", uri, "--scope", scope)
    assert pushed.exit_code == 0, pushed.output
    assert _categories(uri, "--scope", scope) == _categories(str(SAMPLE))


@pytest.mark.parametrize("scheme", ["bolt+s", "neo4j+s"])
def test_an_untrusted_certificate_is_one_line_saying_so(
    tls_server: tuple[int, Path],
    no_credentials: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    scheme: str,
) -> None:
    port, _ = tls_server
    other_ca = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other_ca))
    monkeypatch.setenv("SSL_CERT_FILE", str(other_ca))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    uri = f"{scheme}://127.0.0.1:{port}"
    result = run("categorize", uri, "--scope", "never")
    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        f"error: cannot reach Neo4j at {uri}: its TLS certificate is not trusted"
    ), result.output
    assert "+ssc" in result.output
    assert result.output.count("\n") == 1, result.output


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_a_plain_uri_to_a_tls_only_server_is_one_line_suggesting_tls(
    tls_server: tuple[int, Path], no_credentials: None, scheme: str
) -> None:
    port, _ = tls_server
    uri = f"{scheme}://127.0.0.1:{port}"
    result = run("categorize", uri, "--scope", "never")
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"error: cannot reach Neo4j at {uri}"), result.output
    assert "bolt+s://" in result.output
    assert result.output.count("\n") == 1, result.output
