"""Import from OS2 KITOS (API v2): saved pages, a local HTTP server, the mapping file, merging."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner

from snitgraf.analysis.categorise import categorise
from snitgraf.cli import cli
from snitgraf.graph import build_graph
from snitgraf.io import kitos
from snitgraf.loader import load_portfolio
from snitgraf.problems import SnitgrafError

FIXTURES = Path(__file__).parent / "fixtures" / "kitos"
ORG = "5a7c0d1e-0751-4e2b-9c3d-aa0000000751"
TOKEN = "fixture-token"


@pytest.fixture(scope="module")
def pages() -> kitos.Pages:
    return kitos.read_dir(FIXTURES)


def _rows(result: kitos.ImportResult, kind: str, *columns: str) -> list[tuple[str, ...]]:
    return [tuple(row[c] for c in columns) for row in result.tables[kind]]


# --- saved pages and the mapping onto snitgraf -------------------------------------------------


def test_saved_pages_of_one_endpoint_are_read_in_page_order(pages):
    usages = pages["it-system-usages"]
    assert [u["systemContext"]["name"] for u in usages] == [
        "KMD Aktiv",
        "KMD Udbetaling",
        "KMD Opus Økonomi",
        "Prisme",
        "SBSYS",
        "KMD Sag",
    ]
    assert len(pages["it-systems"]) == 6 and len(pages["it-contracts"]) == 4


def test_a_folder_without_responses_is_a_clear_error(tmp_path: Path):
    with pytest.raises(SnitgrafError, match="no KITOS responses found"):
        kitos.read_dir(tmp_path)


def test_systems_take_their_supplier_from_the_rights_holder(pages):
    result = kitos.convert(pages, ORG)
    assert _rows(result, "systems", "id", "supplier", "monopoly", "lifecycle") == [
        ("kmd-aktiv", "kmd", "ja", "as-is"),
        ("kmd-opus-oekonomi", "kmd", "nej", "both"),
        ("kmd-sag", "kmd", "ja", "as-is"),
        ("kmd-udbetaling", "kmd", "nej", "both"),
        ("prisme", "fujitsu", "nej", "both"),
        ("sbsys", "ukendt-leverandoer", "nej", "both"),
    ]


def test_interfaces_are_keyed_by_interface_id_and_provided_by_the_exposing_system(pages):
    result = kitos.convert(pages, ORG)
    assert _rows(result, "interfaces", "id", "provider", "data") == [
        ("GF200001Q", "kmd-udbetaling", "GF200001Q"),
        ("GJ510001Q", "kmd-opus-oekonomi", "GJ510001Q"),
        ("SBSYS-J1", "sbsys", "SBSYS-J1"),
        ("prisme-posteringer", "prisme", "prisme-posteringer"),
    ]


def test_outgoing_relations_through_an_interface_become_usages_of_the_municipality(pages):
    result = kitos.convert(pages, ORG)
    assert _rows(result, "usages", "interface", "system", "need", "municipality") == [
        ("GF200001Q", "kmd-aktiv", "must", "55133018"),
        ("GJ510001Q", "kmd-aktiv", "must", "55133018"),
        ("SBSYS-J1", "kmd-sag", "must", "55133018"),
        ("prisme-posteringer", "kmd-aktiv", "must", "55133018"),
    ]
    assert "relation kmd-aktiv -> SBSYS: no relationInterface (not an interface usage)" in (
        result.skipped
    )


def test_contracts_cover_the_interfaces_of_their_relations_with_expiry_cost_and_purchase(pages):
    result = kitos.convert(pages, ORG)
    assert _rows(
        result, "contracts", "id", "interface", "supplier", "expires", "annual_cost_dkk"
    ) == [
        ("K-2014-001", "GF200001Q", "kmd", "2016-12-31", "85000"),
        ("K-2014-002", "prisme-posteringer", "fujitsu", "2017-06-30", "60000"),
        ("sbsys-journalisering", "SBSYS-J1", "ukendt-leverandoer", "", ""),
    ]
    assert result.tables["contracts"][1]["purchase_type"] == "SKI 02.19"
    assert "contract K-2010-017 (Licens KMD Sag): covers no interface usage; not imported" in (
        result.skipped
    )


def test_an_ski_purchase_puts_the_supplier_on_that_agreement(pages):
    result = kitos.convert(pages, ORG)
    assert _rows(result, "suppliers", "id", "ski") == [
        ("fujitsu", "02.19"),
        ("kmd", ""),
        ("ukendt-leverandoer", ""),
    ]


def test_every_system_in_use_is_deployed_by_the_municipality(pages):
    result = kitos.convert(pages, ORG)
    assert {r["system"] for r in result.tables["deployments"]} == {
        "kmd-aktiv",
        "kmd-opus-oekonomi",
        "kmd-sag",
        "kmd-udbetaling",
        "prisme",
        "sbsys",
    }


def test_what_kitos_does_not_know_is_reported_with_the_default_used(pages):
    result = kitos.convert(pages, ORG)
    assert result.missing == [
        "municipality: no code in the mapping file; using '55133018' "
        '(set [municipality] code, e.g. "751")',
        "system kmd-aktiv (KMD Aktiv): monopoly = true by default (known name)",
        "system sbsys (SBSYS): KITOS names no rights holder; supplier unknown",
        "system kmd-sag (KMD Sag): monopoly = true by default (known name)",
        "contract sbsys-journalisering (SBSYS journalisering): KITOS names no supplier; "
        "using the provider's (ukendt-leverandoer)",
        "4 interface(s) without a data key: each is its own key (no alternatives) until [data] "
        "says which interfaces carry the same data",
        "4 usage(s) without a need: 'must' until [need] says must or nice",
    ]


def test_the_mapping_file_sets_code_data_keys_needs_and_monopoly(pages, tmp_path: Path):
    mapping_file = tmp_path / "mapping.toml"
    mapping_file.write_text(
        '[municipality]\ncode = "751"\nname = "Aarhus"\n'
        '[monopoly]\n"kmd-sag" = false\n'
        '[data]\n"GJ510001Q" = "oekonomi-postering"\n"prisme-posteringer" = "oekonomi-postering"\n'
        '[need]\n"kmd-aktiv -> GJ510001Q" = "nice"\n',
        encoding="utf-8",
    )
    result = kitos.convert(pages, ORG, kitos.read_mapping(mapping_file))
    assert result.municipality == "751" and result.municipality_name == "Aarhus"
    assert {r["id"]: r["monopoly"] for r in result.tables["systems"]}["kmd-sag"] == "nej"
    assert {r["id"]: r["data"] for r in result.tables["interfaces"]}["prisme-posteringer"] == (
        "oekonomi-postering"
    )
    needs = {(r["interface"], r["system"]): r["need"] for r in result.tables["usages"]}
    assert needs[("GJ510001Q", "kmd-aktiv")] == "nice"
    assert not any(line.startswith("municipality:") for line in result.missing)


def test_a_bad_need_in_the_mapping_file_is_a_one_line_error(tmp_path: Path):
    mapping_file = tmp_path / "mapping.toml"
    mapping_file.write_text('[need]\n"a -> b" = "maybe"\n', encoding="utf-8")
    with pytest.raises(SnitgrafError, match="expected 'must' or 'nice'"):
        kitos.read_mapping(mapping_file)


# --- into a portfolio ------------------------------------------------------------------------


def test_import_writes_a_valid_portfolio_and_a_mapping_template(pages, tmp_path: Path):
    into = tmp_path / "portfolio"
    result, written = kitos.import_into(pages, ORG, into)
    portfolio = load_portfolio(into)
    assert portfolio.counts()["usages"] == 4
    template = kitos.default_mapping_path(into, ORG)
    assert template in written
    text = template.read_text(encoding="utf-8")
    assert '"kmd-aktiv -> GF200001Q" = "must"  # default' in text
    assert '"kmd-aktiv" = true  # default' in text
    assert result.municipality == "55133018"


def test_edited_mapping_makes_two_economy_interfaces_alternatives(pages, tmp_path: Path):
    into = tmp_path / "portfolio"
    mapping_file = kitos.default_mapping_path(into, ORG)
    into.mkdir()
    mapping_file.write_text(
        '[municipality]\ncode = "751"\nname = "Aarhus"\n'
        '[data]\n"GJ510001Q" = "oekonomi-postering"\n"prisme-posteringer" = "oekonomi-postering"\n',
        encoding="utf-8",
    )
    kitos.import_into(pages, ORG, into)
    categories = {c.interface: c for c in categorise(build_graph(load_portfolio(into)))}
    assert categories["prisme-posteringer"].category.code == "common-must"
    assert categories["prisme-posteringer"].suppliers == ("fujitsu", "kmd")
    assert categories["GF200001Q"].category.code == "kombit-98"


def test_importing_again_replaces_the_municipality_and_keeps_the_others(pages, tmp_path: Path):
    into = tmp_path / "portfolio"
    into.mkdir()
    (into / "municipalities.csv").write_text("code,name\n101,København\n", encoding="utf-8")
    (into / "suppliers.csv").write_text("id,name,ski\nkmd,KMD,02.19\n", encoding="utf-8")
    (into / "systems.csv").write_text("id,name,supplier\nkmd-aktiv,KMD Aktiv,kmd\n", "utf-8")
    (into / "interfaces.csv").write_text(
        "id,name,provider,data\nGF200001Q,Udbetaling,kmd-aktiv,udbetaling\n", encoding="utf-8"
    )
    (into / "usages.csv").write_text(
        "interface,system,need,municipality\nGF200001Q,kmd-aktiv,must,101\n", encoding="utf-8"
    )
    (into / "contracts.csv").write_text("id,interface,supplier\n", encoding="utf-8")
    kitos.import_into(pages, ORG, into)
    kitos.import_into(pages, ORG, into)  # twice: the same result
    portfolio = load_portfolio(into)
    by_muni = sorted((u.municipality, u.interface) for u in portfolio.usages)
    assert by_muni == [
        ("101", "GF200001Q"),
        ("55133018", "GF200001Q"),
        ("55133018", "GJ510001Q"),
        ("55133018", "SBSYS-J1"),
        ("55133018", "prisme-posteringer"),
    ]
    assert portfolio.supplier_by_id["kmd"].ski == "02.19"  # kept the hand-set agreement
    assert [m.code for m in portfolio.municipalities] == ["101", "55133018"]


def test_a_merge_that_would_not_load_writes_nothing(pages, tmp_path: Path):
    into = tmp_path / "portfolio"
    into.mkdir()
    # an existing usage of a system the import does not bring
    (into / "usages.csv").write_text(
        "interface,system,need,municipality\nGF200001Q,ghost,must,101\n", encoding="utf-8"
    )
    before = (into / "usages.csv").read_text(encoding="utf-8")
    with pytest.raises(SnitgrafError):
        kitos.import_into(pages, ORG, into)
    assert (into / "usages.csv").read_text(encoding="utf-8") == before
    assert not (into / "systems.csv").exists()


# --- the live API, served from 127.0.0.1 ------------------------------------------------------


class _Kitos:
    """A tiny KITOS API v2 double: pages the fixtures, checks the token, can fail on purpose."""

    def __init__(self, pages: kitos.Pages) -> None:
        self.pages = pages
        self.requests: list[str] = []
        self.failures: dict[str, list[int]] = {}  # endpoint -> statuses to answer first

    def handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                api.requests.append(self.path)
                url = urlparse(self.path)
                endpoint = url.path.removeprefix("/api/v2/")
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._send(401, {"message": "Unauthorized"})
                pending = api.failures.get(endpoint)
                if pending:
                    status = pending.pop(0)
                    return self._send(status, {"message": "try again"})
                query = parse_qs(url.query)
                page = int(query.get("page", ["0"])[0])
                size = int(query.get("pageSize", ["100"])[0])
                items = api.pages.get(endpoint)
                if items is None:
                    return self._send(404, {"message": "no such endpoint"})
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


@pytest.fixture
def server(pages) -> Iterator[tuple[str, _Kitos]]:
    api = _Kitos(pages)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), api.handler())
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", api
    finally:
        httpd.shutdown()
        httpd.server_close()


def _client(url: str, **kwargs: object) -> kitos.KitosClient:
    sleeps: list[float] = []
    client = kitos.KitosClient(url, TOKEN, sleep=sleeps.append, **kwargs)  # type: ignore[arg-type]
    client.sleeps = sleeps  # type: ignore[attr-defined]
    return client


def test_the_api_is_paged_until_a_short_page(server):
    url, api = server
    client = _client(url, page_size=2)
    usages = client.collection("it-system-usages", {"organizationUuid": ORG})
    assert len(usages) == 6
    assert [parse_qs(urlparse(p).query)["page"][0] for p in api.requests] == ["0", "1", "2", "3"]
    first = parse_qs(urlparse(api.requests[0]).query)
    assert first["pageSize"] == ["2"] and first["organizationUuid"] == [ORG]


def test_a_full_fetch_gives_the_same_import_as_the_saved_pages(server, pages):
    url, _api = server
    fetched = kitos.fetch(_client(url, page_size=250), ORG)
    assert kitos.convert(fetched, ORG).tables == kitos.convert(pages, ORG).tables


def test_a_5xx_and_a_429_are_retried_with_growing_backoff(server):
    url, api = server
    api.failures["it-contracts"] = [503, 500, 429]
    client = _client(url, backoff=0.5)
    contracts = client.collection("it-contracts", {"organizationUuid": ORG})
    assert len(contracts) == 4
    assert client.sleeps == [0.5, 1.0, 0.0]  # type: ignore[attr-defined]  (Retry-After: 0)


def test_a_5xx_that_persists_ends_with_one_line(server):
    url, api = server
    api.failures["it-systems"] = [502] * 10
    client = _client(url, retries=2)
    with pytest.raises(SnitgrafError) as error:
        client.collection("it-systems", {})
    assert str(error.value).startswith("KITOS answered 502 Bad Gateway at ")
    assert str(error.value).endswith("after 3 attempts")


def test_a_wrong_token_is_a_clear_one_line_error_without_retries(server):
    url, api = server
    client = kitos.KitosClient(url, "wrong", sleep=lambda _s: None)
    with pytest.raises(SnitgrafError, match=r"KITOS refused the token \(401 Unauthorized\)"):
        client.collection("it-systems", {})
    assert len(api.requests) == 1


def test_import_kitos_command_from_the_api(server, tmp_path: Path, monkeypatch):
    url, _api = server
    monkeypatch.setenv("KITOS_TOKEN", TOKEN)
    into = tmp_path / "p"
    result = CliRunner().invoke(
        cli,
        ["import-kitos", "--url", url, "--organization", ORG, "--into", str(into),
         "--page-size", "2", "--save", str(tmp_path / "saved")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "imported municipality 55133018 (Aarhus Kommune): 3 suppliers, 6 systems, 4 interfaces, "
        "4 usages, 3 contracts, 1 municipalities, 6 deployments"
    )
    assert kitos.read_dir(tmp_path / "saved")["it-system-usages"][0]["uuid"].startswith("4444")


def test_import_kitos_command_with_a_wrong_token_exits_1_with_one_line(
    server, tmp_path, monkeypatch
):
    url, _api = server
    monkeypatch.setenv("KITOS_TOKEN", "wrong")
    result = CliRunner().invoke(
        cli, ["import-kitos", "--url", url, "--organization", ORG, "--into", str(tmp_path / "p")]
    )
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "401 Unauthorized" in result.output


def test_import_kitos_command_needs_exactly_one_source(tmp_path: Path):
    result = CliRunner().invoke(
        cli, ["import-kitos", "--organization", ORG, "--into", str(tmp_path / "p")]
    )
    assert result.exit_code == 2


def test_import_kitos_command_without_a_token_says_so(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("KITOS_TOKEN", raising=False)
    result = CliRunner().invoke(
        cli, ["import-kitos", "--url", "http://127.0.0.1:9", "--organization", ORG,
              "--into", str(tmp_path / "p")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "KITOS_TOKEN" in result.output


def test_an_organization_that_is_not_a_uuid_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "import-kitos",
            "--from-dir",
            str(tmp_path),
            "--organization",
            "aarhus",
            "--into",
            str(tmp_path / "p"),
        ],
    )
    assert result.exit_code == 2
    assert "not a UUID (value 'aarhus')" in result.output
    assert not (tmp_path / "p").exists()
