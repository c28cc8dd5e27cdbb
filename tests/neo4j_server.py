"""A real Neo4j server for the tests, from scripts/neo4j-test-server (tools/neo4j-server).

Plain helper module, no tests here. ``ensure_neo4j()`` gives the (uri, user, password) to use:

* NEO4J_URI set in the environment: that server, with NEO4J_USER / NEO4J_PASSWORD (or None).
* otherwise: one Neo4j 5.26 Community server for this process, auth disabled, on a free port,
  started on first use and stopped at interpreter exit.

``start_server(auth="user:pw")`` starts an extra server, e.g. with auth enabled for a test of
the "auth failed" error. Every server started here also stops by itself when this process dies
(the launcher's --watch-pid), so a killed test run leaves no server behind.

The first start builds the launcher with Maven (about 170 MB of jars into ~/.m2 when they are
not there yet); later starts take about 4 s.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import threading
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "neo4j-test-server"

# Upper bound for one `start`: Maven build on a fresh machine plus the script's own 180 s wait.
_START_TIMEOUT_S = 600
_STOP_TIMEOUT_S = 90

_lock = threading.Lock()
_shared: ServerHandle | None = None


class ServerHandle:
    """A server started by this module: ``.uri`` to connect to, ``.stop()`` to end it."""

    def __init__(self, uri: str, port: int) -> None:
        self.uri = uri
        self.port = port
        self._stopped = False

    def stop(self) -> None:
        """SIGTERM the server, wait for it to exit and remove its data; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        subprocess.run(
            ["bash", str(SCRIPT), "stop", "--port", str(self.port), "--clean"],
            capture_output=True,
            text=True,
            timeout=_STOP_TIMEOUT_S,
            check=False,
        )

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"ServerHandle({self.uri!r})"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "").strip()


def start_server(
    auth: str | None = None,
    tls: Path | None = None,
    config: Mapping[str, str] | None = None,
) -> ServerHandle:
    """Start an extra Neo4j server on a free port; ``auth`` is "user:password" or None (off).

    ``tls``: a folder with private.key and public.crt; Bolt then requires TLS and ``.uri`` is
    ``bolt+s://``. ``config``: Neo4j settings by their neo4j.conf names (e.g. the page cache).
    Raises RuntimeError with a one-line message when it cannot start.
    """
    last_error = ""
    for _attempt in range(3):  # a free port can be taken by someone else before Java binds it
        port = _free_port()
        cmd = ["bash", str(SCRIPT), "start", "--port", str(port), "--watch-pid", str(os.getpid())]
        # The password travels in the environment, never on a command line.
        env = {k: v for k, v in os.environ.items() if k != "NEO4J_TEST_AUTH"}
        if auth is not None:
            env["NEO4J_TEST_AUTH"] = auth
        if tls is not None:
            cmd += ["--tls", str(tls)]
        for key, value in (config or {}).items():
            cmd += ["--config", f"{key}={value}"]
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=_START_TIMEOUT_S, check=False, env=env
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RuntimeError(f"Neo4j test server did not start: {exc}") from exc
        uri = next((ln for ln in proc.stdout.splitlines() if ln.startswith("bolt")), None)
        if proc.returncode == 0 and uri:
            handle = ServerHandle(uri, port)
            atexit.register(handle.stop)
            return handle
        last_error = _first_line(proc.stderr) or f"{SCRIPT.name} start exited {proc.returncode}"
        if "in use" not in proc.stderr:
            break
    raise RuntimeError(f"Neo4j test server did not start: {last_error}")


def ensure_neo4j() -> tuple[str, str | None, str | None]:
    """(uri, user, password) of the Neo4j to test against; see the module docstring."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        return uri, os.environ.get("NEO4J_USER") or None, os.environ.get("NEO4J_PASSWORD") or None
    global _shared
    with _lock:
        if _shared is None:
            _shared = start_server(auth=None)
        return _shared.uri, None, None
