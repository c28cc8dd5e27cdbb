"""Import one organisation's inventory from OS2 KITOS (API v2) into a portfolio folder.

KITOS knows the catalogue (it-systems with their rights holder, it-interfaces with
`exposedBySystem`, `interfaceId` and `data[]`), the municipality's own it-system-usages with
`outgoingSystemRelations[]` (`toSystemUsage`, `relationInterface`, `associatedContract`) and its
it-contracts (`supplier.organization`, `general.validity.validTo`, `procurement.purchaseType`,
`payments`). The mapping onto snitgraf:

| KITOS | snitgraf |
|---|---|
| it-system (rightsHolder) | systems.csv (supplier = rights holder), suppliers.csv |
| it-interface (exposedBySystem, interfaceId) | interfaces.csv (provider; id = interfaceId) |
| it-system-usage | deployments.csv (the municipality runs the system) |
| outgoing relation with relationInterface | usages.csv (the usage's system uses the interface) |
| it-contract associated with relations | contracts.csv (one row per interface it covers) |

What KITOS does not know is asked for in a mapping file the user edits (TOML): the
municipality's code, which systems are monopoly systems (and their lifecycle and what they
replace), each interface's data key (same key = alternatives) and each usage's need. Missing
entries get a default and are reported; the template written next to the portfolio lists them.

Sources: `--from-dir` reads saved responses, one JSON array per endpoint page, named
`<endpoint>.json` or `<endpoint>-<page>.json` (e.g. `it-system-usages-0.json`); `--url` fetches
`<url>/api/v2/<endpoint>` with a bearer token, `page` (0-based) and `pageSize` (at most 250)
until a short page, retrying politely on 5xx, 429 and network errors. Unknown fields are
ignored and missing ones tolerated: KITOS instances differ in version.
"""

from __future__ import annotations

import json
import re
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snitgraf.io.atomic import file_stem, write_text_atomic
from snitgraf.problems import SnitgrafError
from snitgraf.values import neutralise_formula

ENDPOINTS = ("it-systems", "it-interfaces", "it-system-usages", "it-contracts")
"""The KITOS API v2 collections the import reads, in order."""

MAX_PAGE_SIZE = 250
TOKEN_VARIABLE = "KITOS_TOKEN"

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
        raise SnitgrafError(f"{folder}: not a folder of saved KITOS responses")
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
                raise SnitgrafError(f"{path}: not a JSON response ({error})") from error
            if isinstance(data, Mapping):  # tolerate an envelope
                data = _get(data, "value") or _get(data, "items") or []
            if not isinstance(data, list):
                raise SnitgrafError(f"{path}: expected a JSON array of {endpoint}")
            items.extend(d for d in data if isinstance(d, Mapping))
        pages[endpoint] = items
    if not any(pages.values()):
        raise SnitgrafError(f"{folder}: no KITOS responses found (expected it-systems*.json, ...)")
    return pages


@dataclass
class KitosClient:
    """Fetches KITOS API v2 collections page by page, politely."""

    base_url: str
    token: str
    page_size: int = MAX_PAGE_SIZE
    retries: int = 4
    backoff: float = 1.0
    """Seconds before the first retry; doubled each time (Retry-After wins, capped at 60 s)."""
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0

    def url(self, endpoint: str, params: Mapping[str, Any]) -> str:
        """The URL of one page."""
        query = urllib.parse.urlencode(params)
        return f"{self.base_url.rstrip('/')}/api/v2/{endpoint}?{query}"

    def get_json(self, url: str) -> Any:
        """GET a URL as JSON, retrying on 5xx/429/network errors; 401/403 end the import."""
        request = urllib.request.Request(
            url,
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
        )
        delay = self.backoff
        for attempt in range(self.retries + 1):
            self.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return json.loads(response.read().decode("utf-8-sig"))
            except urllib.error.HTTPError as error:
                if error.code == 401:
                    raise SnitgrafError(
                        f"KITOS refused the token (401 Unauthorized) at {url}: "
                        f"set {TOKEN_VARIABLE} to a valid KITOS API token"
                    ) from None
                if error.code == 403:
                    raise SnitgrafError(
                        f"KITOS denied access (403 Forbidden) at {url}: the token's user "
                        "needs API access to the organisation"
                    ) from None
                retryable = error.code == 429 or error.code >= 500
                if not retryable or attempt == self.retries:
                    raise SnitgrafError(
                        f"KITOS answered {error.code} {error.reason} at {url}"
                        + (f" after {attempt + 1} attempts" if retryable else "")
                    ) from None
                wait = _retry_after(error.headers.get("Retry-After"), delay)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                if attempt == self.retries:
                    reason = getattr(error, "reason", error)
                    raise SnitgrafError(
                        f"cannot reach KITOS at {url}: {reason} after {attempt + 1} attempts"
                    ) from None
                wait = delay
            except json.JSONDecodeError as error:
                raise SnitgrafError(
                    f"KITOS sent something that is not JSON at {url}: {error}"
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
                raise SnitgrafError(f"KITOS {endpoint} page {page}: expected a JSON array")
            items.extend(d for d in data if isinstance(d, Mapping))
            if len(data) < self.page_size:
                return items
            page += 1


def _retry_after(header: str | None, default: float) -> float:
    if header and header.strip().isdigit():
        return min(float(header.strip()), 60.0)
    return default


def fetch(client: KitosClient, organization: str) -> Pages:
    """The four collections for one organisation (by its KITOS UUID)."""
    return {
        "it-systems": client.collection("it-systems", {"usedInOrganizationUuid": organization}),
        "it-interfaces": client.collection(
            "it-interfaces", {"usedInOrganizationUuid": organization}
        ),
        "it-system-usages": client.collection(
            "it-system-usages", {"organizationUuid": organization}
        ),
        "it-contracts": client.collection("it-contracts", {"organizationUuid": organization}),
    }


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
        raise SnitgrafError(f"{path}: not a valid mapping file: {error}") from error
    municipality = data.get("municipality", {})

    def table(name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise SnitgrafError(f"{path}: [{name}] must be a table of id = value")
        return value

    needs = {}
    for key, value in table("need").items():
        need = str(value).strip().lower()
        if need not in ("must", "nice"):
            raise SnitgrafError(f"{path}: [need] {key!r} = {value!r}: expected 'must' or 'nice'")
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
    skipped: list[str]
    defaults: dict[str, dict[str, Any]]
    """What the mapping did not answer, with the default used (for the template file)."""

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


def convert(pages: Pages, organization: str, mapping: KitosMapping | None = None) -> ImportResult:
    """Map one organisation's KITOS collections onto portfolio rows (see the module docstring)."""
    mapping = mapping or KitosMapping()
    missing: list[str] = []
    skipped: list[str] = []
    defaults: dict[str, dict[str, Any]] = {"monopoly": {}, "data": {}, "need": {}}
    usages_in = [u for u in pages.get("it-system-usages", []) if _in_org(u, organization)]
    contracts_in = [c for c in pages.get("it-contracts", []) if _in_org(c, organization)]

    org = next((_get(u, "organizationContext") for u in usages_in + contracts_in), None) or {}
    code = mapping.municipality_code
    if code is None:
        code = _text(org, "cvr") or organization
        missing.append(
            f"municipality: no code in the mapping file; using {code!r} "
            '(set [municipality] code, e.g. "751")'
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
                {"id": sup, "name": "Ukendt leverandør", "ski": "", "kitos_uuid": "", "cvr": ""},
            )
            missing.append(
                f"system {sid} ({label}): KITOS names no rights holder; supplier unknown"
            )
        known = KNOWN_MONOPOLY.get(label.lower())
        if sid in mapping.monopoly:
            monopoly = mapping.monopoly[sid]
        else:
            monopoly = known is not None
            defaults["monopoly"][sid] = monopoly
            if monopoly:
                missing.append(f"system {sid} ({label}): monopoly = true by default (known name)")
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
        }
        return sid

    catalogue_interfaces = {u: i for i in pages.get("it-interfaces", []) if (u := _text(i, "uuid"))}

    def interface(ref: Any) -> str | None:
        uuid = _text(ref, "uuid")
        full = catalogue_interfaces.get(uuid or "")
        label = _text(full, "name") or _text(ref, "name") or uuid
        if full is None:
            skipped.append(
                f"interface {label}: not in it-interfaces (not exposed by a system in use?)"
            )
            return None
        exposed = _get(full, "exposedBySystem")
        provider = system(exposed) if exposed else None
        if provider is None:
            skipped.append(f"interface {label}: KITOS names no exposing system (exposedBySystem)")
            return None
        iid = interface_ids.get(uuid, _text(full, "interfaceId") or slug(label or "snitflade"))
        if iid not in interfaces:
            data = mapping.data.get(iid)
            if data is None:
                data = iid
                defaults["data"][iid] = data
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
            }
        return iid

    # Deployments: every system usage of the organisation.
    usage_system: dict[str, str] = {}
    deployments: list[Row] = []
    for usage in usages_in:
        sid = system(_get(usage, "systemContext"))
        if sid is None:
            skipped.append(f"it-system-usage {_text(usage, 'uuid')}: no systemContext")
            continue
        if (u := _text(usage, "uuid")) is not None:
            usage_system[u] = sid
        deployments.append({"municipality": code, "system": sid})

    # Usages: outgoing relations through an interface; contracts they name.
    usages: dict[tuple[str, str], Row] = {}
    covered: dict[str, list[str]] = {}  # contract uuid -> interfaces
    for usage in usages_in:
        from_system = usage_system.get(_text(usage, "uuid") or "")
        if from_system is None:
            continue
        for relation in _items(usage, "outgoingSystemRelations"):
            to = _get(relation, "toSystemUsage")
            to_name = _text(to, "name") or _text(to, "uuid") or "?"
            ref = _get(relation, "relationInterface")
            if not ref:
                skipped.append(
                    f"relation {from_system} -> {to_name}: no relationInterface (not an interface "
                    "usage)"
                )
                continue
            iid = interface(ref)
            if iid is None:
                continue
            key = usage_key(from_system, iid)
            need = mapping.need.get(key)
            if need is None:
                need = DEFAULT_NEED
                defaults["need"][key] = need
            usages[(iid, from_system)] = {
                "interface": iid,
                "system": from_system,
                "need": need,
                "direction": "",
                "municipality": code,
                "kitos_uuid": _text(relation, "uuid") or "",
                "frequency": _text(relation, "relationFrequency", "name") or "",
            }
            contract_uuid = _uuid(relation, "associatedContract")
            if contract_uuid:
                covered.setdefault(contract_uuid, [])
                if iid not in covered[contract_uuid]:
                    covered[contract_uuid].append(iid)

    # Contracts: one row per interface a contract covers.
    contracts: list[Row] = []
    for contract in contracts_in:
        cuuid = _text(contract, "uuid") or ""
        label = _text(contract, "name") or cuuid
        cid = contract_ids.get(cuuid, _text(contract, "general", "contractId") or slug(label))
        covers = covered.get(cuuid, [])
        if not covers:
            skipped.append(f"contract {cid} ({label}): covers no interface usage; not imported")
            continue
        org_obj = _get(contract, "supplier", "organization") or _get(
            contract, "supplier", "supplierOrganization"
        )
        sup = supplier(org_obj)
        purchase = _text(contract, "procurement", "purchaseType", "name") or ""
        if sup is None:
            sup = systems[interfaces[covers[0]]["provider"]]["supplier"]
            missing.append(
                f"contract {cid} ({label}): KITOS names no supplier; using the provider's ({sup})"
            )
        elif "ski" in purchase.lower():
            agreement = re.search(r"\d{2}\.\d{2}", purchase)
            if agreement and not suppliers[sup]["ski"]:
                suppliers[sup]["ski"] = agreement.group(0)
        valid_to = _text(contract, "general", "validity", "validTo")
        expires = valid_to[:10] if valid_to else ""
        cost = _annual_cost(contract)
        share = cost / len(covers) if cost is not None else None
        for iid in covers:
            row_id = cid if len(covers) == 1 else f"{cid}/{iid}"
            note = [label]
            if purchase:
                note.append(purchase)
            if len(covers) > 1 and cost is not None:
                note.append(f"cost split over {len(covers)} interfaces")
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
                }
            )
    for cuuid in covered:
        if not any(_text(c, "uuid") == cuuid for c in contracts_in):
            skipped.append(f"contract {cuuid}: named by a relation but not in it-contracts")

    if defaults["data"]:
        missing.append(
            f"{len(defaults['data'])} interface(s) without a data key: each is its own key "
            "(no alternatives) until [data] says which interfaces carry the same data"
        )
    if defaults["need"]:
        missing.append(
            f"{len(defaults['need'])} usage(s) without a need: '{DEFAULT_NEED}' until [need] "
            "says must or nice"
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
        "# snitgraf: what KITOS does not know about this organisation. Edit and import again.",
        "# monopoly: the system is part of the monopoly break (old or new);",
        "# data: interfaces with the same data key are alternatives;",
        "# need: must or nice, per usage 'system -> interface'.",
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
        default = "" if row["id"] in mapping.data else "  # default: its own key"
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
            raise SnitgrafError(f"{problems[0]} (fix the portfolio before importing into it)")
        rows[spec.kind] = [
            {canonical_column(h): v for h, v in raw.cells.items()} for raw in table.rows
        ]
    return rows


def import_into(
    pages: Pages,
    organization: str,
    into: str | Path,
    mapping_path: str | Path | None = None,
) -> tuple[ImportResult, list[Path]]:
    """Convert, merge into the portfolio folder `into`, validate, then write every file.

    Nothing is written when the merged portfolio would not load. The mapping template is
    written to `mapping_path` (default `<into>/kitos-<organization>.toml`) only when it does
    not exist yet.
    """
    from snitgraf.io.tables import RawRow, RawTable
    from snitgraf.loader import FILE_SPECS, build_portfolio

    into = Path(into)
    if into.exists() and not into.is_dir():
        raise SnitgrafError(f"{into}: --into must be a portfolio folder")
    mapping_file = Path(mapping_path) if mapping_path else default_mapping_path(into, organization)
    mapping = read_mapping(mapping_file)
    result = convert(pages, organization, mapping)
    merged = merge(read_rows(into), result)
    texts: dict[str, str] = {}
    tables = {}
    for kind, rows in merged.items():
        spec = FILE_SPECS[kind]
        header = headers_of(rows, spec.columns)
        header = [h for h in header if h != "extra"]
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
