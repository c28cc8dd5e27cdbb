"""A tiny fake of the OS2 KITOS API (v2) on 127.0.0.1, serving saved fixture pages: the KITOS
import tests and the `diff` of a re-import use it."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from snitgraf.io import kitos

FIXTURES = Path(__file__).parent / "fixtures" / "kitos"
LIFECYCLE = Path(__file__).parent / "fixtures" / "kitos-lifecycle"
ORG = "5a7c0d1e-0751-4e2b-9c3d-aa0000000751"
HORSENS = "5a7c0d1e-0615-4e2b-9c3d-aa0000000615"
TOKEN = "fixture-token-0123456789"
EMAIL = "api@horsens.dk"
PASSWORD = "s3cret-Pa55word"
NO_API_EMAIL = "menneske@horsens.dk"


class FakeKitos:
    """A tiny KITOS double: logs in, pages the fixtures, checks the token, hides deactivated
    catalogue entries unless asked (includeDeactivated), knows its organisations, can fail or
    redirect on purpose."""

    def __init__(self, pages: kitos.Pages, organizations: list[dict[str, object]]) -> None:
        self.pages = pages
        self.organizations = organizations
        self.requests: list[str] = []
        self.logins: list[dict[str, str]] = []
        self.authorizations: list[str | None] = []
        self.failures: dict[str, list[int]] = {}  # endpoint -> statuses to answer first
        self.redirects: dict[str, str] = {}  # endpoint -> Location to answer with (302)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                api.requests.append(self.path)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                api.logins.append(body)
                if self.path != "/api/authorize/GetToken":
                    return self._send(404, {"message": "no such endpoint"})
                if body.get("email") == NO_API_EMAIL:
                    return self._send(403, {"message": "Forbidden"})
                if (body.get("email"), body.get("password")) != (EMAIL, PASSWORD):
                    return self._send(401, {"message": "Unauthorized"})
                response = {"token": TOKEN, "email": EMAIL, "loginSuccessful": True,
                            "expires": "2030-01-02T10:00:00Z"}  # fmt: skip
                return self._send(200, {"msg": "", "response": response})

            def do_GET(self) -> None:
                api.requests.append(self.path)
                api.authorizations.append(self.headers.get("Authorization"))
                url = urlparse(self.path)
                endpoint = url.path.removeprefix("/api/v2/")
                if endpoint in api.redirects:
                    self.send_response(302)
                    self.send_header("Location", api.redirects[endpoint])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._send(401, {"message": "Unauthorized"})
                pending = api.failures.get(endpoint)
                if pending:
                    status = pending.pop(0)
                    return self._send(status, {"message": "try again"})
                query = parse_qs(url.query)
                page = int(query.get("page", ["0"])[0])
                size = int(query.get("pageSize", ["100"])[0])
                if endpoint.startswith("organizations/"):
                    found = [o for o in api.organizations if o["uuid"] == endpoint.split("/")[1]]
                    if not found:
                        return self._send(404, {"message": "Not found"})
                    return self._send(200, found[0])
                items = (
                    api.organizations if endpoint == "organizations" else api.pages.get(endpoint)
                )
                if items is None:
                    return self._send(404, {"message": "no such endpoint"})
                if query.get("includeDeactivated") != ["true"]:
                    items = [i for i in items if not i.get("deactivated")]
                return self._send(200, items[page * size : (page + 1) * size])

            def _send(self, status: int, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if status == 429:
                    self.send_header("Retry-After", "0")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@contextlib.contextmanager
def serving(api: FakeKitos, host: str = "127.0.0.1") -> Iterator[str]:
    httpd = ThreadingHTTPServer((host, 0), api.handler())
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


ORGANIZATIONS = json.loads((LIFECYCLE / "organizations.json").read_text(encoding="utf-8"))
