"""Import one organisation's inventory from OS2 KITOS (API v2) into a portfolio folder.

KITOS knows the catalogue (it-systems with their rights holder, it-interfaces with
`exposedBySystem`, `interfaceId`, `data[]` and `deactivated`), the municipality's own
it-system-usages (`general.validity`, `general.mainContract`, `outgoingSystemRelations[]` with
`toSystemUsage`, `relationInterface`, `associatedContract`) and its it-contracts
(`supplier.organization`, `systemUsages[]`, `general.validity.validTo`, `termination`,
`procurement.purchaseType`, `payments`). The mapping onto snitgraf:

| KITOS | snitgraf |
|---|---|
| it-system (rightsHolder) | systems.csv (supplier = rights holder), suppliers.csv |
| it-interface (exposedBySystem, interfaceId) | interfaces.csv (provider; id = interfaceId): every
  interface a relation uses, and every interface a system in use exposes |
| it-system-usage in use | deployments.csv (the municipality runs the system) |
| outgoing relation with relationInterface | usages.csv (the usage's system uses the interface) |
| it-contract | contracts.csv, one row per interface it covers: the interfaces of the relations
  naming it, and those exposed by the systems of the usages it lists (`systemUsages`,
  `mainContract`) |

A usage no longer in use (`validity.valid = false` or `lifeCycleStatus = NotInUse`) is left out
with its relations and listed in the report. A deactivated system or interface is imported only
when something imported needs it, with a `deactivated` column and a warning.

What KITOS does not know is asked for in a mapping file the user edits (TOML): the
municipality's code, which systems are monopoly systems (and their lifecycle and what they
replace), each interface's data key (same key = alternatives) and each usage's need. Missing
entries get a default, are reported, and are named in the row's `assumptions` column; the
template written next to the portfolio lists them.

Sources: `--from-dir` reads saved responses, one JSON array per endpoint page, named
`<endpoint>.json` or `<endpoint>-<page>.json` (e.g. `it-system-usages-0.json`); `--url` logs in
(`POST /api/authorize/GetToken`, or a ready token) and fetches `<url>/api/v2/<endpoint>` with
the bearer token, `page` (0-based) and `pageSize` (at most 250) until a short page, retrying
politely on 5xx, 429 and network errors. The token never leaves the KITOS host: a redirect to
another host is refused. Unknown fields are ignored and missing ones tolerated: KITOS instances
differ in version.
"""

from __future__ import annotations

import calendar
import ipaddress
import json
import re
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from snitgraf.i18n import _
from snitgraf.io.atomic import file_stem, write_text_atomic
from snitgraf.problems import SnitgrafError
from snitgraf.values import neutralise_formula
from snitgraf.words import word

ENDPOINTS = ("it-systems", "it-interfaces", "it-system-usages", "it-contracts")
"""The KITOS API v2 collections the import reads, in order."""

MAX_PAGE_SIZE = 250
TOKEN_VARIABLE = "KITOS_TOKEN"
EMAIL_VARIABLE = "KITOS_EMAIL"
PASSWORD_VARIABLE = "KITOS_PASSWORD"
LOGIN_PATH = "/api/authorize/GetToken"
REPORT_NAME = "kitos-import-report.md"
"""The import's report, written beside the portfolio's files."""

NOT_IN_USE = "NotInUse"
"""`lifeCycleStatus` of a usage the municipality no longer runs (KITOS LifeCycleStatusChoice)."""

ASSUME_PLACEHOLDER_SUPPLIER = "placeholder-supplier"
ASSUME_DATA_KEY = "data-key-per-interface"
ASSUME_NEED = "need-default-must"
ASSUME_CONTRACT_SUPPLIER = "supplier-default-provider"

KNOWN_MONOPOLY = {
    "kmd aktiv": ("as-is", ()),
    "kmd dagpenge": ("as-is", ()),
    "kmd sygedagpenge": ("as-is", ()),
    "kmd sag": ("as-is", ()),
    "kmd boligstøtte": ("as-is", ()),
    "ky": ("to-be", ("kmd-aktiv",)),
    "kommunernes ydelsessystem": ("to-be", ("kmd-aktiv",)),
    "ksd": ("to-be", ("kmd-dagpenge", "kmd-sygedagpenge")),
    "kommunernes sygedagpengesystem": ("to-be", ("kmd-dagpenge", "kmd-sygedagpenge")),
    "sapa": ("to-be", ("kmd-sag",)),
    "sags- og partsoverblik": ("to-be", ("kmd-sag",)),
}
"""Names (lower case) of the monopoly systems and their replacements: the default monopoly
flag, lifecycle and replaces when the mapping file says nothing."""

DEFAULT_NEED = "must"
"""A usage's need when the mapping says nothing: must is the cautious choice (it is planned)."""


# ---------------------------------------------------------------------------------------------
# Reading JSON shapes tolerantly


def _get(obj: Any, *path: str) -> Any:
    """obj.path... by camelCase key (PascalCase accepted), None when anything is missing."""
    for key in path:
        if not isinstance(obj, Mapping):
            return None
        value = obj.get(key)
        if value is None:
            value = obj.get(key[:1].upper() + key[1:])
        obj = value
    return obj


def _text(obj: Any, *path: str) -> str | None:
    value = _get(obj, *path)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _items(obj: Any, *path: str) -> list[Any]:
    value = _get(obj, *path)
    return list(value) if isinstance(value, list) else []


def _uuid(obj: Any, *path: str) -> str | None:
    return _text(obj, *path, "uuid")


def slug(text: str) -> str:
    """A readable id from a name: 'KMD Opus Økonomi' -> 'kmd-opus-oekonomi'."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e"})
    text = text.lower().translate(table)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


# ---------------------------------------------------------------------------------------------
# Sources: saved pages or the live API


Pages = dict[str, list[dict[str, Any]]]


def _page_number(path: Path, endpoint: str) -> int:
    rest = path.stem[len(endpoint) :].lstrip("-_")
    return int(rest) if rest.isdigit() else -1


def read_dir(folder: str | Path) -> Pages:
    """Saved responses: `<endpoint>.json` or `<endpoint>-<page>.json`, each a JSON array."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SnitgrafError(_("{path}: not a folder of saved KITOS responses").format(path=folder))
    pages: Pages = {}
    for endpoint in ENDPOINTS:
        files = [
            p
            for p in folder.glob(f"{endpoint}*.json")
            if p.stem == endpoint or re.fullmatch(rf"{re.escape(endpoint)}[-_]\d+", p.stem)
        ]
        items: list[dict[str, Any]] = []
        for path in sorted(files, key=lambda p: _page_number(p, endpoint)):
            try:
                data = json.loads(path.read_text(encoding="utf-8-sig"))
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                raise SnitgrafError(
                    _("{path}: not a JSON response ({error})").format(path=path, error=error)
                ) from error
            if isinstance(data, Mapping):  # tolerate an envelope
                data = _get(data, "value") or _get(data, "items") or []
            if not isinstance(data, list):
                raise SnitgrafError(
                    _("{path}: expected a JSON array of {endpoint}").format(
                        path=path, endpoint=endpoint
                    )
                )
            items.extend(d for d in data if isinstance(d, dict))
        pages[endpoint] = items
    if not any(pages.values()):
        raise SnitgrafError(
            _("{path}: no KITOS responses found (expected it-systems*.json, ...)").format(
                path=folder
            )
        )
    return pages


# ---------------------------------------------------------------------------------------------
# The live API: login, a safe opener, paged collections


class KitosHttpError(SnitgrafError):
    """KITOS answered with an HTTP error status (kept so callers can name a 404 precisely)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def redact_url(url: str) -> str:
    """A URL fit for a message: any `user:password@` taken out."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=f"***@{host}"))


def without_userinfo(url: str) -> tuple[str, tuple[str, ...]]:
    """The URL without `user:password@` (KITOS logs in by token, never so), and what it held:
    texts no message may show."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, ()
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    secrets = tuple(t for t in (parts.password, parts.username) if t)
    return urllib.parse.urlunsplit(parts._replace(netloc=host)), secrets


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def is_loopback(url: str) -> bool:
    """Whether a URL names this machine (a local test double or an SSH tunnel)."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, insecure: bool = False) -> str | None:
    """Refuse what cannot be KITOS or would send credentials in clear text.

    Returns a warning for plain http:// to another host with `insecure` (none to this
    machine); raises for it without `insecure`, and for anything but http(s)."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise SnitgrafError(
            _("--url {url}: not an http(s) address of KITOS (e.g. https://kitos.dk)").format(
                url=redact_url(url)
            )
        )
    if scheme == "https" or is_loopback(url):
        return None  # nothing leaves this machine unencrypted
    if insecure:
        return _("warning: {url} is plain http: the password and token travel unencrypted").format(
            url=redact_url(url)
        )
    raise SnitgrafError(
        _(
            "--url {url}: plain http would send the password and token unencrypted; "
            "use https:// (or --insecure to accept the risk)"
        ).format(url=redact_url(url))
    )


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects within the KITOS origin only: credentials never go to another host."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if _origin(newurl) != _origin(req.full_url):
            raise SnitgrafError(
                _(
                    "KITOS at {url} redirected ({code}) to another host, {target}: snitgraf "
                    "does not send the token there (use --url with that address if it is KITOS)"
                ).format(url=redact_url(req.full_url), code=code, target=redact_url(newurl))
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_SameOriginRedirects())


def _redacted(message: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            message = message.replace(secret, "***")
    return message


def login(
    base_url: str,
    email: str,
    password: str,
    timeout: float = 60.0,
    opener: urllib.request.OpenerDirector | None = None,
) -> str:
    """A KITOS token (valid 24 h) for an API user: `POST /api/authorize/GetToken`.

    KITOS answers `{"msg", "response": {"token", "email", "loginSuccessful", "expires"}}`;
    401 is a wrong email or password, 403 a user without API access. The password is never
    part of a message."""
    base_url, hidden = without_userinfo(base_url)
    url = f"{base_url.rstrip('/')}{LOGIN_PATH}"
    body = json.dumps({"email": email, "password": password}).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    shown = redact_url(url)
    try:
        with (opener or _opener()).open(request, timeout=timeout) as response:
            data = json.loads(response.read().decode("utf-8-sig"))
    except urllib.error.HTTPError as error:
        if error.code == 401:
            message = _(
                "KITOS refused the login of {email} (401 Unauthorized) at {url}: check "
                "{email_var} and {password_var}"
            )
        elif error.code == 403:
            message = _(
                "KITOS denied {email} a token (403 Forbidden) at {url}: the user must be a "
                "KITOS API user (ask the municipality's local administrator)"
            )
        else:
            message = _("KITOS answered {code} at {url} to the login of {email}")
        raise SnitgrafError(
            _redacted(
                message.format(
                    email=email,
                    url=shown,
                    code=error.code,
                    email_var=EMAIL_VARIABLE,
                    password_var=PASSWORD_VARIABLE,
                ),
                [password, *hidden],
            )
        ) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = _redacted(str(getattr(error, "reason", error)), [password, *hidden])
        raise SnitgrafError(
            _("cannot reach KITOS at {url}: {reason}").format(url=shown, reason=reason)
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise SnitgrafError(
            _("KITOS sent something that is not JSON at {url}").format(url=shown)
        ) from None
    token = _text(data, "response", "token") or _text(data, "token")
    if not token:
        raise SnitgrafError(
            _("KITOS answered the login at {url} without a token").format(url=shown)
        )
    return token


@dataclass
class KitosClient:
    """Fetches KITOS API v2 collections page by page, politely, with a bearer token."""

    base_url: str
    token: str
    page_size: int = MAX_PAGE_SIZE
    retries: int = 4
    backoff: float = 1.0
    """Seconds before the first retry; doubled each time (Retry-After wins, capped at 60 s)."""
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0
    secrets: tuple[str, ...] = ()
    """Further texts no message may show (the password the token came from)."""

    def __post_init__(self) -> None:
        self.base_url, hidden = without_userinfo(self.base_url)
        self.secrets = (*self.secrets, *hidden)

    def url(self, endpoint: str, params: Mapping[str, Any]) -> str:
        """The URL of one page."""
        query = urllib.parse.urlencode(params)
        return f"{self.base_url.rstrip('/')}/api/v2/{endpoint}" + (f"?{query}" if query else "")

    def _fail(self, message: str, status: int | None = None) -> SnitgrafError:
        text = _redacted(message, [self.token, *self.secrets])
        return KitosHttpError(text, status) if status is not None else SnitgrafError(text)

    def get_json(self, url: str) -> Any:
        """GET a URL as JSON, retrying on 5xx/429/network errors; 401/403 end the import."""
        request = urllib.request.Request(
            url,
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
        )
        shown = redact_url(url)
        opener = _opener()
        delay = self.backoff
        for attempt in range(self.retries + 1):
            self.requests += 1
            try:
                with opener.open(request, timeout=self.timeout) as response:
                    return json.loads(response.read().decode("utf-8-sig"))
            except urllib.error.HTTPError as error:
                if error.code == 401:
                    raise self._fail(
                        _(
                            "KITOS refused the token (401 Unauthorized) at {url}: set {token} to "
                            "a valid KITOS API token, or {email} and {password} to log in"
                        ).format(
                            url=shown,
                            token=TOKEN_VARIABLE,
                            email=EMAIL_VARIABLE,
                            password=PASSWORD_VARIABLE,
                        ),
                        401,
                    ) from None
                if error.code == 403:
                    raise self._fail(
                        _(
                            "KITOS denied access (403 Forbidden) at {url}: the token's user "
                            "needs API access to the organisation"
                        ).format(url=shown),
                        403,
                    ) from None
                retryable = error.code == 429 or error.code >= 500
                if not retryable or attempt == self.retries:
                    message = (
                        _("KITOS answered {code} {reason} at {url} after {n} attempts")
                        if retryable
                        else _("KITOS answered {code} {reason} at {url}")
                    ).format(code=error.code, reason=error.reason, url=shown, n=attempt + 1)
                    raise self._fail(message, error.code) from None
                wait = _retry_after(error.headers.get("Retry-After"), delay)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                if attempt == self.retries:
                    reason = getattr(error, "reason", error)
                    raise self._fail(
                        _("cannot reach KITOS at {url}: {reason} after {n} attempts").format(
                            url=shown, reason=reason, n=attempt + 1
                        )
                    ) from None
                wait = delay
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                raise self._fail(
                    _("KITOS sent something that is not JSON at {url}: {error}").format(
                        url=shown, error=error
                    )
                ) from None
            self.sleep(wait)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def collection(self, endpoint: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Every item of a collection: pages until one comes back shorter than pageSize."""
        items: list[dict[str, Any]] = []
        page = 0
        while True:
            data = self.get_json(
                self.url(endpoint, {**params, "page": page, "pageSize": self.page_size})
            )
            if not isinstance(data, list):
                raise SnitgrafError(
                    _("KITOS {endpoint} page {page}: expected a JSON array").format(
                        endpoint=endpoint, page=page
                    )
                )
            items.extend(d for d in data if isinstance(d, dict))
            if len(data) < self.page_size:
                return items
            page += 1

    def organizations(self) -> list[dict[str, Any]]:
        """The organisations the user is a member of (to find the UUID for --organization)."""
        return self.collection("organizations", {"onlyWhereUserHasMembership": "true"})

    def organization(self, uuid: str) -> dict[str, Any]:
        """One organisation; a UUID KITOS does not know is an error, not an empty municipality."""
        try:
            data = self.get_json(self.url(f"organizations/{uuid}", {}))
        except KitosHttpError as error:
            if error.status == 404:
                raise SnitgrafError(
                    _(
                        "KITOS knows no organisation {uuid} (404 Not Found at {url}): "
                        "see --list-organizations"
                    ).format(uuid=uuid, url=redact_url(self.base_url))
                ) from None
            raise
        if not isinstance(data, Mapping):
            raise SnitgrafError(
                _("KITOS organizations/{uuid}: expected a JSON object").format(uuid=uuid)
            )
        return dict(data)


def _retry_after(header: str | None, default: float) -> float:
    if header and header.strip().isdigit():
        return min(float(header.strip()), 60.0)
    return default


def fetch(client: KitosClient, organization: str) -> Pages:
    """The four collections for one organisation (by its KITOS UUID), deactivated catalogue
    entries included (a relation may still use them). An unknown organisation is an error."""
    client.organization(organization)
    catalogue = {"usedInOrganizationUuid": organization, "includeDeactivated": "true"}
    return {
        "it-systems": client.collection("it-systems", catalogue),
        "it-interfaces": client.collection("it-interfaces", catalogue),
        "it-system-usages": client.collection(
            "it-system-usages", {"organizationUuid": organization}
        ),
        "it-contracts": client.collection("it-contracts", {"organizationUuid": organization}),
    }


def organization_lines(organizations: Iterable[Mapping[str, Any]]) -> list[str]:
    """One line per organisation: UUID, name, CVR (what --organization takes)."""
    rows = sorted(organizations, key=lambda o: (_text(o, "name") or "").lower())
    return [
        f"{_text(o, 'uuid') or '?'}  {_text(o, 'name') or '?'}"
        + (f" (CVR {cvr})" if (cvr := _text(o, "cvr")) else "")
        for o in rows
    ]


def save_pages(pages: Pages, folder: str | Path) -> list[Path]:
    """Write fetched collections as `<endpoint>-0.json`, readable again with `read_dir`."""
    folder = Path(folder)
    return [
        write_text_atomic(
            folder / f"{endpoint}-0.json", json.dumps(items, ensure_ascii=False, indent=2) + "\n"
        )
        for endpoint, items in pages.items()
    ]


# ---------------------------------------------------------------------------------------------
# The mapping file: what KITOS does not know


@dataclass
class KitosMapping:
    """The user's answers: municipality, monopoly systems, data keys, needs (all optional)."""

    municipality_code: str | None = None
    municipality_name: str | None = None
    monopoly: dict[str, bool] = field(default_factory=dict)
    lifecycle: dict[str, str] = field(default_factory=dict)
    replaces: dict[str, list[str]] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)
    need: dict[str, str] = field(default_factory=dict)


def read_mapping(path: str | Path | None) -> KitosMapping:
    """Read the mapping file (TOML); a missing file means every answer is a default."""
    if path is None or not Path(path).exists():
        return KitosMapping()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as error:
        raise SnitgrafError(
            _("{path}: not a valid mapping file: {error}").format(path=path, error=error)
        ) from error
    municipality = data.get("municipality", {})

    def table(name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise SnitgrafError(
                _("{path}: [{name}] must be a table of id = value").format(path=path, name=name)
            )
        return value

    needs = {}
    for key, value in table("need").items():
        need = str(value).strip().lower()
        if need not in ("must", "nice"):
            raise SnitgrafError(
                _("{path}: [need] {key!r} = {value!r}: expected 'must' or 'nice'").format(
                    path=path, key=key, value=value
                )
            )
        needs[key] = need
    return KitosMapping(
        municipality_code=_str_or_none(municipality.get("code")),
        municipality_name=_str_or_none(municipality.get("name")),
        monopoly={k: bool(v) for k, v in table("monopoly").items()},
        lifecycle={k: str(v) for k, v in table("lifecycle").items()},
        replaces={
            k: [str(x) for x in (v if isinstance(v, list) else [v])]
            for k, v in table("replaces").items()
        },
        data={k: str(v) for k, v in table("data").items()},
        need=needs,
    )


def _str_or_none(value: Any) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value).strip()


def usage_key(system: str, interface: str) -> str:
    """The key of a usage in the mapping file's [need] table."""
    return f"{system} -> {interface}"


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# The import itself


Row = dict[str, str]


@dataclass
class ImportResult:
    """The portfolio rows one organisation contributes, and what the user should look at."""

    municipality: str
    municipality_name: str
    tables: dict[str, list[Row]]
    missing: list[str]
    """Defaults used: what KITOS does not know."""
    skipped: list[str]
    """Everything read and not imported, with why."""
    defaults: dict[str, dict[str, Any]]
    """What the mapping did not answer, with the default used (for the template file)."""
    not_in_use: list[str] = field(default_factory=list)
    """Usages the municipality no longer runs (left out with their relations)."""
    warnings: list[str] = field(default_factory=list)
    """Imported, but look at it: deactivated systems and interfaces still in use."""

    def counts(self) -> dict[str, int]:
        """Rows per file."""
        return {kind: len(rows) for kind, rows in self.tables.items()}


class _Ids:
    """Readable, unique snitgraf ids for KITOS uuids."""

    def __init__(self) -> None:
        self.by_uuid: dict[str, str] = {}
        self.taken: set[str] = set()

    def get(self, uuid: str | None, preferred: str) -> str:
        if uuid and uuid in self.by_uuid:
            return self.by_uuid[uuid]
        candidate, n = preferred, 2
        while candidate in self.taken:
            candidate = f"{preferred}-{n}"
            n += 1
        self.taken.add(candidate)
        if uuid:
            self.by_uuid[uuid] = candidate
        return candidate


def in_use(usage: Any) -> bool:
    """Whether the municipality still runs a system usage: KITOS says it is valid and its
    lifecycle is not NotInUse (a missing validity counts as in use: older instances)."""
    validity = _get(usage, "general", "validity")
    if not isinstance(validity, Mapping):
        return True
    if _get(validity, "valid") is False:
        return False
    return _text(validity, "lifeCycleStatus") != NOT_IN_USE


def _deactivated(item: Any) -> bool:
    return _get(item, "deactivated") is True


def add_months(day: date, months: int) -> date:
    """A date `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contract_expiry(contract: Any) -> str:
    """When a contract ends: the earlier of `general.validity.validTo` and, for a terminated
    contract, `termination.terminatedAt` plus the notice period in months (as KITOS's own
    ItContract.Validate reads `terms.noticePeriodMonths`: a name that is a number)."""
    ends: list[date] = []
    valid_to = _iso_date(_text(contract, "general", "validity", "validTo"))
    if valid_to is not None:
        ends.append(valid_to)
    terminated = _iso_date(_text(contract, "termination", "terminatedAt"))
    if terminated is not None:
        notice = _text(contract, "termination", "terms", "noticePeriodMonths", "name") or ""
        months = int(notice) if notice.strip().isdigit() else 0
        ends.append(add_months(terminated, months))
    return min(ends).isoformat() if ends else ""


def _iso_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def convert(pages: Pages, organization: str, mapping: KitosMapping | None = None) -> ImportResult:
    """Map one organisation's KITOS collections onto portfolio rows (see the module docstring)."""
    mapping = mapping or KitosMapping()
    missing: list[str] = []
    skipped: list[str] = []
    not_in_use: list[str] = []
    warnings: list[str] = []
    defaults: dict[str, dict[str, Any]] = {"monopoly": {}, "data": {}, "need": {}}
    all_usages = [u for u in pages.get("it-system-usages", []) if _in_org(u, organization)]
    contracts_in = [c for c in pages.get("it-contracts", []) if _in_org(c, organization)]
    usages_in = [u for u in all_usages if in_use(u)]
    stopped = {_text(u, "uuid") or "" for u in all_usages if not in_use(u)}
    for usage in all_usages:
        if not in_use(usage):
            label = _text(usage, "systemContext", "name") or _text(usage, "uuid") or "?"
            status = _text(usage, "general", "validity", "lifeCycleStatus") or "valid = false"
            relations = len(_items(usage, "outgoingSystemRelations"))
            not_in_use.append(
                _(
                    "it-system-usage {name} ({status}): not in use; left out with its {n} "
                    "relation(s)"
                ).format(name=label, status=status, n=relations)
            )

    org = next((_get(u, "organizationContext") for u in all_usages + contracts_in), None) or {}
    code = mapping.municipality_code
    if code is None:
        code = _text(org, "cvr") or organization
        missing.append(
            _(
                "municipality: no code in the mapping file; using {code!r} "
                '(set [municipality] code, e.g. "751")'
            ).format(code=code)
        )
    name = mapping.municipality_name or _text(org, "name") or code

    supplier_ids, system_ids, interface_ids, contract_ids = _Ids(), _Ids(), _Ids(), _Ids()
    suppliers: dict[str, Row] = {}
    systems: dict[str, Row] = {}
    interfaces: dict[str, Row] = {}

    def supplier(org_obj: Any) -> str | None:
        if not isinstance(org_obj, Mapping) or not _text(org_obj, "name"):
            return None
        sid = supplier_ids.get(
            _uuid(org_obj) or _text(org_obj, "name"), _supplier_slug(_text(org_obj, "name") or "")
        )
        suppliers.setdefault(
            sid,
            {
                "id": sid,
                "name": _text(org_obj, "name") or sid,
                "ski": "",
                "kitos_uuid": _uuid(org_obj) or "",
                "cvr": _text(org_obj, "cvr") or "",
                "assumptions": "",
            },
        )
        return sid

    unknown_supplier = "ukendt-leverandoer"

    catalogue = {u: s for s in pages.get("it-systems", []) if (u := _text(s, "uuid"))}

    def system(ref: Any) -> str | None:
        uuid, label = _text(ref, "uuid"), _text(ref, "name")
        if uuid is None and label is None:
            return None
        full = catalogue.get(uuid or "", {})
        label = _text(full, "name") or label or uuid or "?"
        sid = system_ids.get(uuid, slug(label))
        if sid in systems:
            return sid
        sup = supplier(_get(full, "rightsHolder"))
        if sup is None:
            sup = unknown_supplier
            suppliers.setdefault(
                sup,
                {
                    "id": sup,
                    "name": "Ukendt leverandør",
                    "ski": "",
                    "kitos_uuid": "",
                    "cvr": "",
                    "assumptions": ASSUME_PLACEHOLDER_SUPPLIER,
                },
            )
            missing.append(
                _(
                    "system {system} ({name}): KITOS names no rights holder; supplier unknown"
                ).format(system=sid, name=label)
            )
        known = KNOWN_MONOPOLY.get(label.lower())
        if sid in mapping.monopoly:
            monopoly = mapping.monopoly[sid]
        else:
            monopoly = known is not None
            defaults["monopoly"][sid] = monopoly
            if monopoly:
                missing.append(
                    _("system {system} ({name}): monopoly = true by default (known name)").format(
                        system=sid, name=label
                    )
                )
        lifecycle = mapping.lifecycle.get(sid) or (known[0] if known and monopoly else "both")
        replaces = mapping.replaces.get(sid)
        if replaces is None:
            replaces = list(known[1]) if known and monopoly else []
        systems[sid] = {
            "id": sid,
            "name": label,
            "supplier": sup,
            "monopoly": "ja" if monopoly else "nej",
            "lifecycle": lifecycle,
            "replaces": "|".join(replaces),
            "domain": _text(full, "businessType", "name") or "",
            "kitos_uuid": uuid or "",
            "deactivated": "",
        }
        if _deactivated(full):
            systems[sid]["deactivated"] = "ja"
            warnings.append(
                _(
                    "system {id} ({name}) is deactivated in the KITOS catalogue but still in "
                    "use here; imported with deactivated = ja"
                ).format(id=sid, name=label)
            )
        return sid

    catalogue_interfaces = {u: i for i in pages.get("it-interfaces", []) if (u := _text(i, "uuid"))}
    interface_by_uuid: dict[str, str] = {}

    def interface(ref: Any) -> str | None:
        uuid = _text(ref, "uuid")
        full = catalogue_interfaces.get(uuid or "")
        label = _text(full, "name") or _text(ref, "name") or uuid
        if full is None:
            skipped.append(
                _(
                    "interface {name}: not in it-interfaces (not exposed by a system in use?)"
                ).format(name=label)
            )
            return None
        if uuid in interface_by_uuid:
            return interface_by_uuid[uuid]
        exposed = _get(full, "exposedBySystem")
        provider = system(exposed) if exposed else None
        if provider is None:
            skipped.append(
                _("interface {name}: KITOS names no exposing system (exposedBySystem)").format(
                    name=label
                )
            )
            return None
        iid = interface_ids.get(uuid, _text(full, "interfaceId") or slug(label or "snitflade"))
        interface_by_uuid[uuid or ""] = iid
        if iid not in interfaces:
            data = mapping.data.get(iid)
            assumed = ""
            if data is None:
                data = iid
                defaults["data"][iid] = data
                assumed = ASSUME_DATA_KEY
            kinds = [
                _text(d, "dataType", "name") or _text(d, "description")
                for d in _items(full, "data")
            ]
            interfaces[iid] = {
                "id": iid,
                "name": label or iid,
                "provider": provider,
                "data": data,
                "kitos_data": "|".join(k for k in kinds if k),
                "kitos_uuid": uuid or "",
                "version": _text(full, "version") or "",
                "deactivated": "",
                "assumptions": assumed,
            }
            if _deactivated(full):
                interfaces[iid]["deactivated"] = "ja"
                warnings.append(
                    _(
                        "interface {id} ({name}) is deactivated in KITOS but a relation uses it; "
                        "imported with deactivated = ja"
                    ).format(id=iid, name=label)
                )
        return iid

    # Deployments: every system usage of the organisation that is in use.
    usage_system: dict[str, str] = {}
    deployments: list[Row] = []
    for usage in usages_in:
        sid = system(_get(usage, "systemContext"))
        if sid is None:
            skipped.append(
                _("it-system-usage {uuid}: no systemContext").format(uuid=_text(usage, "uuid"))
            )
            continue
        if (u := _text(usage, "uuid")) is not None:
            usage_system[u] = sid
        deployments.append({"municipality": code, "system": sid})

    # Usages: outgoing relations through an interface; contracts they name.
    usages: dict[tuple[str, str], Row] = {}
    covered: dict[str, list[str]] = {}  # contract uuid -> interfaces

    def cover(contract_uuid: str | None, iid: str) -> None:
        if contract_uuid:
            found = covered.setdefault(contract_uuid, [])
            if iid not in found:
                found.append(iid)

    for usage in all_usages:
        from_system = usage_system.get(_text(usage, "uuid") or "")
        for relation in _items(usage, "outgoingSystemRelations"):
            to = _get(relation, "toSystemUsage")
            to_name = _text(to, "name") or _text(to, "uuid") or "?"
            if from_system is None:
                from_name = _text(usage, "systemContext", "name") or "?"
                skipped.append(
                    _("relation {source} -> {target}: its usage is not in use").format(
                        source=from_name, target=to_name
                    )
                )
                continue
            ref = _get(relation, "relationInterface")
            if not ref:
                skipped.append(
                    _(
                        "relation {source} -> {target}: no relationInterface (not an interface "
                        "usage)"
                    ).format(source=from_system, target=to_name)
                )
                continue
            if (_text(to, "uuid") or "") in stopped:
                skipped.append(
                    _("relation {source} -> {target}: the receiving usage is not in use").format(
                        source=from_system, target=to_name
                    )
                )
                continue
            iid = interface(ref)
            if iid is None:
                continue
            key = usage_key(from_system, iid)
            need = mapping.need.get(key)
            assumed = ""
            if need is None:
                need = DEFAULT_NEED
                defaults["need"][key] = need
                assumed = ASSUME_NEED
            usages[(iid, from_system)] = {
                "interface": iid,
                "system": from_system,
                "need": need,
                "direction": "",
                "municipality": code,
                "kitos_uuid": _text(relation, "uuid") or "",
                "frequency": _text(relation, "relationFrequency", "name") or "",
                "assumptions": assumed,
            }
            cover(_uuid(relation, "associatedContract"), iid)

    # The inventory: every interface a system in use exposes, used or not.
    running = {_text(_get(u, "systemContext"), "uuid") for u in usages_in}
    for uuid, full in catalogue_interfaces.items():
        if uuid in interface_by_uuid:
            continue
        label = _text(full, "name") or uuid
        exposer = _text(full, "exposedBySystem", "uuid")
        if exposer is None:
            skipped.append(
                _(
                    "interface {name}: KITOS names no exposing system (exposedBySystem); "
                    "not imported"
                ).format(name=label)
            )
        elif exposer not in running:
            skipped.append(
                _("interface {name}: its system is not in use here; not imported").format(
                    name=label
                )
            )
        elif _deactivated(full):
            skipped.append(
                _(
                    "interface {name}: deactivated in KITOS and no relation uses it; not imported"
                ).format(name=label)
            )
        else:
            interface({"uuid": uuid})

    # Contracts also cover the interfaces exposed by the systems of the usages they list
    # (`systemUsages`) or that name them as main contract.
    provided: dict[str, list[str]] = {}
    for row in interfaces.values():
        provided.setdefault(row["provider"], []).append(row["id"])
    for contract in contracts_in:
        for ref in _items(contract, "systemUsages"):
            sid = usage_system.get(_text(ref, "uuid") or "")
            for iid in sorted(provided.get(sid or "", [])):
                cover(_text(contract, "uuid"), iid)
    for usage in usages_in:
        sid = usage_system.get(_text(usage, "uuid") or "")
        for iid in sorted(provided.get(sid or "", [])):
            cover(_uuid(usage, "general", "mainContract"), iid)

    # Contracts: one row per interface a contract covers.
    contracts: list[Row] = []
    for contract in contracts_in:
        cuuid = _text(contract, "uuid") or ""
        label = _text(contract, "name") or cuuid
        cid = contract_ids.get(cuuid, _text(contract, "general", "contractId") or slug(label))
        covers = covered.get(cuuid, [])
        if not covers:
            skipped.append(
                _(
                    "contract {contract} ({name}): covers no imported interface; not imported"
                ).format(contract=cid, name=label)
            )
            continue
        org_obj = _get(contract, "supplier", "organization") or _get(
            contract, "supplier", "supplierOrganization"
        )
        sup = supplier(org_obj)
        purchase = _text(contract, "procurement", "purchaseType", "name") or ""
        assumed = ""
        if sup is None:
            sup = systems[interfaces[covers[0]]["provider"]]["supplier"]
            assumed = ASSUME_CONTRACT_SUPPLIER
            missing.append(
                _(
                    "contract {contract} ({name}): KITOS names no supplier; using the provider's "
                    "({supplier})"
                ).format(contract=cid, name=label, supplier=sup)
            )
        elif "ski" in purchase.lower():
            agreement = re.search(r"\d{2}\.\d{2}", purchase)
            if agreement and not suppliers[sup]["ski"]:
                suppliers[sup]["ski"] = agreement.group(0)
        expires = contract_expiry(contract)
        cost = _annual_cost(contract)
        share = cost / len(covers) if cost is not None else None
        for iid in covers:
            row_id = cid if len(covers) == 1 else f"{cid}/{iid}"
            note = [label]
            if purchase:
                note.append(purchase)
            if len(covers) > 1 and cost is not None:
                note.append(_("cost split over {n} interfaces").format(n=len(covers)))
            contracts.append(
                {
                    "id": row_id,
                    "interface": iid,
                    "supplier": sup,
                    "expires": expires,
                    "annual_cost_dkk": "" if share is None else f"{share:.0f}",
                    "note": "; ".join(note),
                    "municipality": code,
                    "kitos_uuid": cuuid,
                    "purchase_type": purchase,
                    "terminated": (_text(contract, "termination", "terminatedAt") or "")[:10],
                    "assumptions": assumed,
                }
            )
    for cuuid in covered:
        if not any(_text(c, "uuid") == cuuid for c in contracts_in):
            skipped.append(
                _("contract {uuid}: named by a relation but not in it-contracts").format(uuid=cuuid)
            )

    if defaults["data"]:
        missing.append(
            _(
                "{n} interface(s) without a data key: each is its own key "
                "(no alternatives) until [data] says which interfaces carry the same data"
            ).format(n=len(defaults["data"]))
        )
    if defaults["need"]:
        missing.append(
            _("{n} usage(s) without a need: '{need}' until [need] says must or nice").format(
                n=len(defaults["need"]), need=DEFAULT_NEED
            )
        )
    return ImportResult(
        municipality=code,
        municipality_name=name,
        tables={
            "suppliers": sorted(suppliers.values(), key=lambda r: r["id"]),
            "systems": sorted(systems.values(), key=lambda r: r["id"]),
            "interfaces": sorted(interfaces.values(), key=lambda r: r["id"]),
            "usages": sorted(usages.values(), key=lambda r: (r["interface"], r["system"])),
            "contracts": sorted(contracts, key=lambda r: r["id"]),
            "municipalities": [{"code": code, "name": name}],
            "deployments": sorted(deployments, key=lambda r: r["system"]),
        },
        missing=missing,
        skipped=skipped,
        defaults=defaults,
        not_in_use=not_in_use,
        warnings=warnings,
    )


def _supplier_slug(name: str) -> str:
    """'KMD A/S' -> 'kmd': legal suffixes say nothing about who the supplier is."""
    return slug(re.sub(r"\s+(a/s|aps|i/s|k/s|as|ab)\.?$", "", name.strip(), flags=re.IGNORECASE))


def _in_org(item: Any, organization: str) -> bool:
    org = _uuid(item, "organizationContext")
    return org is None or org.lower() == organization.lower()


def _annual_cost(contract: Any) -> float | None:
    """The yearly operation cost: the sum of the external payments' `operation` parts."""
    payments = _items(contract, "payments", "external")
    if not payments:
        return None
    return float(sum(_number(p, "operation") for p in payments))


def _number(obj: Any, key: str) -> float:
    value = _get(obj, key)
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def mapping_template(result: ImportResult, mapping: KitosMapping) -> str:
    """A mapping file with every answer the import needed: the user's, or the default used."""
    systems = result.tables["systems"]
    lines = [
        "# "
        + _("snitgraf: what KITOS does not know about this organisation. Edit and import again."),
        "# " + _("monopoly: the system is part of the monopoly break (old or new);"),
        "# " + _("data: interfaces with the same data key are alternatives;"),
        "# " + _("need: must or nice, per usage 'system -> interface'."),
        "",
        "[municipality]",
        f"code = {_toml_string(result.municipality)}",
        f"name = {_toml_string(result.municipality_name)}",
        "",
        "[monopoly]",
    ]
    for row in systems:
        default = "" if row["id"] in mapping.monopoly else "  # default"
        value = "true" if row["monopoly"] == "ja" else "false"
        lines.append(f"{_toml_string(row['id'])} = {value}{default}")
    lines += ["", "[lifecycle]"]
    for row in systems:
        if row["monopoly"] == "ja":
            lines.append(f"{_toml_string(row['id'])} = {_toml_string(row['lifecycle'])}")
    lines += ["", "[replaces]"]
    for row in systems:
        if row["replaces"]:
            items = ", ".join(_toml_string(x) for x in row["replaces"].split("|"))
            lines.append(f"{_toml_string(row['id'])} = [{items}]")
    lines += ["", "[data]"]
    for row in result.tables["interfaces"]:
        default = "" if row["id"] in mapping.data else "  # " + _("default: its own key")
        lines.append(f"{_toml_string(row['id'])} = {_toml_string(row['data'])}{default}")
    lines += ["", "[need]"]
    for row in result.tables["usages"]:
        key = usage_key(row["system"], row["interface"])
        default = "" if key in mapping.need else "  # default"
        lines.append(f"{_toml_string(key)} = {_toml_string(row['need'])}{default}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Merging into a portfolio folder


MERGE_KEYS: dict[str, tuple[str, ...]] = {
    "suppliers": ("id",),
    "systems": ("id",),
    "interfaces": ("id",),
    "municipalities": ("code",),
}
"""Catalogue files: imported rows replace rows with the same key. The other files
(usages, contracts, deployments) lose every row of the imported municipality first."""


def merge(existing: Mapping[str, list[Row]], result: ImportResult) -> dict[str, list[Row]]:
    """The portfolio's rows with one organisation's import applied (re-importing replaces it)."""
    merged: dict[str, list[Row]] = {}
    for kind, imported in result.tables.items():
        rows = list(existing.get(kind, []))
        if kind in MERGE_KEYS:
            keys = MERGE_KEYS[kind]
            new = {tuple(r.get(k, "") for k in keys): r for r in imported}
            kept = [r for r in rows if tuple(r.get(k, "") for k in keys) not in new]
            if kind == "suppliers":  # keep an SKI agreement the user set by hand
                old = {r.get("id"): r for r in rows}
                for row in imported:
                    if not row.get("ski") and old.get(row["id"], {}).get("ski"):
                        row["ski"] = old[row["id"]]["ski"]
            merged[kind] = kept + list(new.values())
        else:
            kept = [r for r in rows if r.get("municipality", "") != result.municipality]
            merged[kind] = kept + imported
    for kind, rows in existing.items():
        merged.setdefault(kind, list(rows))
    return merged


def headers_of(rows: Iterable[Row], first: Iterable[str]) -> list[str]:
    """Header: the known columns first, then any further column in order of appearance."""
    header = list(first)
    for row in rows:
        header += [k for k in row if k not in header]
    return header


def default_mapping_path(into: str | Path, organization: str) -> Path:
    """Where the mapping of one organisation lives by default: beside the portfolio's files."""
    return Path(into) / f"kitos-{file_stem(organization.lower())}.toml"


def read_rows(folder: Path) -> dict[str, list[Row]]:
    """A portfolio folder's rows as text by canonical column (empty when there is none yet)."""
    from snitgraf.io.tables import read_csv
    from snitgraf.loader import FILES, canonical_column

    rows: dict[str, list[Row]] = {}
    if not folder.is_dir():
        return rows
    files = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    for spec in FILES:
        path = files.get(spec.filename)
        if path is None:
            continue
        table, problems = read_csv(path)
        if problems:
            raise SnitgrafError(
                _("{problem} (fix the portfolio before importing into it)").format(
                    problem=problems[0]
                )
            )
        rows[spec.kind] = [
            {canonical_column(h): v for h, v in raw.cells.items()} for raw in table.rows
        ]
    return rows


REMOVAL_KEYS: dict[str, tuple[str, ...]] = {
    "usages": ("interface", "system"),
    "contracts": ("id",),
    "deployments": ("system",),
}
"""The municipality's own rows a re-import replaces, and what identifies one of them."""


def removals(existing: Mapping[str, list[Row]], result: ImportResult) -> dict[str, tuple[int, int]]:
    """Per file: how many of the municipality's rows the import would remove, of how many."""
    found: dict[str, tuple[int, int]] = {}
    for kind, keys in REMOVAL_KEYS.items():
        before = {
            tuple(r.get(k, "") for k in keys)
            for r in existing.get(kind, [])
            if r.get("municipality", "") == result.municipality
        }
        after = {tuple(r.get(k, "") for k in keys) for r in result.tables.get(kind, [])}
        found[kind] = (len(before - after), len(before))
    return found


def check_removals(existing: Mapping[str, list[Row]], result: ImportResult) -> None:
    """Refuse an import that would remove most of what the municipality has (an empty or
    partial KITOS answer), naming what it would remove; `--replace` accepts it."""
    found = removals(existing, result)
    removed = sum(n for n, _ in found.values())
    before = sum(total for _, total in found.values())
    if before == 0 or removed * 2 <= before:
        return
    details = ", ".join(
        _("{removed} of {total} {kind}").format(removed=n, total=total, kind=kind)
        for kind, (n, total) in found.items()
        if total
    )
    raise SnitgrafError(
        _(
            "the import would remove {details} of municipality {code}; nothing written "
            "(check what KITOS answered, or run again with --replace to accept it)"
        ).format(details=details, code=result.municipality)
    )


def report_markdown(result: ImportResult, written: Sequence[Path] = ()) -> str:
    """The import report (kitos-import-report.md): counts, defaults, warnings, what was left
    out and why."""
    lines = [
        "# "
        + _("KITOS import: {name} ({code})").format(
            name=result.municipality_name, code=result.municipality
        ),
        "",
        "## " + _("Imported"),
        "",
    ]
    lines += [f"- {n} {word(kind)}" for kind, n in result.counts().items()]
    for title, items in (
        (_("Defaults used (what KITOS does not know)"), result.missing),
        (_("Warnings"), result.warnings),
        (_("Not in use (left out)"), result.not_in_use),
        (_("Skipped, with why"), result.skipped),
    ):
        lines += ["", f"## {title} ({len(items)})", ""]
        lines += [f"- {item}" for item in items] or ["- " + _("none")]
    if written:
        lines += ["", "## " + _("Written"), ""] + [f"- {path}" for path in written]
    return "\n".join(lines) + "\n"


def import_into(
    pages: Pages,
    organization: str,
    into: str | Path,
    mapping_path: str | Path | None = None,
    replace: bool = False,
) -> tuple[ImportResult, list[Path]]:
    """Convert, merge into the portfolio folder `into`, validate, then write every file.

    Nothing is written when the merged portfolio would not load, or (without `replace`) when
    the import would remove most of the municipality's usages, contracts and deployments. The
    mapping template is written to `mapping_path` (default `<into>/kitos-<organization>.toml`)
    only when it does not exist yet; the report `kitos-import-report.md` every time.
    """
    from snitgraf.io.tables import RawRow, RawTable
    from snitgraf.loader import FILE_SPECS, build_portfolio

    into = Path(into)
    if into.exists() and not into.is_dir():
        raise SnitgrafError(_("{path}: --into must be a portfolio folder").format(path=into))
    mapping_file = Path(mapping_path) if mapping_path else default_mapping_path(into, organization)
    mapping = read_mapping(mapping_file)
    result = convert(pages, organization, mapping)
    existing = read_rows(into)
    if not replace:
        check_removals(existing, result)
    merged = merge(existing, result)
    texts: dict[str, str] = {}
    tables = {}
    for kind, rows in merged.items():
        spec = FILE_SPECS[kind]
        header = headers_of(rows, spec.columns)
        header = [
            h
            for h in header
            if h != "extra"
            and ((h in spec.columns and h != "assumptions") or any(r.get(h) for r in rows))
        ]
        tables[kind] = RawTable(
            spec.filename,
            tuple(header),
            tuple(RawRow(n, {h: r.get(h, "") for h in header}) for n, r in enumerate(rows, 2)),
        )
        texts[kind] = _csv(header, rows)
    build_portfolio(str(into), tables)  # raises PortfolioError naming every problem
    written = [write_text_atomic(into / FILE_SPECS[k].filename, t) for k, t in texts.items()]
    if not mapping_file.exists():
        written.append(write_text_atomic(mapping_file, mapping_template(result, mapping)))
    report = into / REPORT_NAME
    written.append(write_text_atomic(report, report_markdown(result, [*written, report])))
    return result, written


def _csv(header: list[str], rows: list[Row]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise_formula(str(row.get(h, ""))) for h in header])
    return buffer.getvalue()
