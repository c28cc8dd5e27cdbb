"""Import from OS2 KITOS (API v2): saved pages, a local HTTP server, the mapping file, merging."""

from __future__ import annotations

import json
from collections.abc import Iterator
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
from tests.kitos_server import (
    EMAIL,
    FIXTURES,
    HORSENS,
    LIFECYCLE,
    NO_API_EMAIL,
    ORG,
    ORGANIZATIONS,
    PASSWORD,
    TOKEN,
)
from tests.kitos_server import FakeKitos as _Kitos
from tests.kitos_server import serving as _serving


@pytest.fixture(scope="module")
def pages() -> kitos.Pages:
    return kitos.read_dir(FIXTURES)


@pytest.fixture(scope="module")
def lifecycle() -> kitos.Pages:
    return kitos.read_dir(LIFECYCLE)


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
    assert "contract K-2010-017 (Licens KMD Sag): covers no imported interface; not imported" in (
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


@pytest.fixture
def server(pages) -> Iterator[tuple[str, _Kitos]]:
    api = _Kitos(pages, ORGANIZATIONS)
    with _serving(api) as url:
        yield url, api


@pytest.fixture
def lifecycle_server(lifecycle) -> Iterator[tuple[str, _Kitos]]:
    api = _Kitos(lifecycle, ORGANIZATIONS)
    with _serving(api) as url:
        yield url, api


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


# --- KITOS as it behaves: lifecycle, deactivation, contracts through usages ----------------------


def test_a_usage_no_longer_in_use_is_left_out_with_its_relations_and_listed(lifecycle):
    result = kitos.convert(lifecycle, HORSENS)
    assert "acadre-esdh" not in {r["system"] for r in result.tables["deployments"]}
    assert "acadre-esdh" not in {r["id"] for r in result.tables["systems"]}
    assert not any(r["system"] == "acadre-esdh" for r in result.tables["usages"])
    assert result.not_in_use == [
        "it-system-usage Acadre ESDH (NotInUse): not in use; left out with its 1 relation(s)"
    ]
    assert "relation Acadre ESDH -> SBSYS: its usage is not in use" in result.skipped


def test_a_deactivated_system_and_interface_a_relation_uses_are_imported_with_a_warning(
    lifecycle,
):
    result = kitos.convert(lifecycle, HORSENS)
    systems = {r["id"]: r for r in result.tables["systems"]}
    interfaces = {r["id"]: r for r in result.tables["interfaces"]}
    assert systems["prisme"]["deactivated"] == "ja"
    assert interfaces["prisme-posteringer"]["deactivated"] == "ja"
    assert systems["kmd-aktiv"]["deactivated"] == ""
    assert result.warnings == [
        "system prisme (Prisme) is deactivated in the KITOS catalogue but still in use here; "
        "imported with deactivated = ja",
        "interface prisme-posteringer (Prisme posteringer) is deactivated in KITOS but a "
        "relation uses it; imported with deactivated = ja",
    ]
    usages = {(r["interface"], r["system"]) for r in result.tables["usages"]}
    assert usages == {("GJ510001Q", "kmd-aktiv"), ("prisme-posteringer", "kmd-aktiv")}


def test_interfaces_no_relation_uses_are_imported_when_a_system_in_use_exposes_them(lifecycle):
    result = kitos.convert(lifecycle, HORSENS)
    assert _rows(result, "interfaces", "id", "provider") == [
        ("GJ510001Q", "kmd-opus-oekonomi"),
        ("GJ510002Q", "kmd-opus-oekonomi"),  # no relation: the municipality's inventory
        ("SBSYS-J1", "sbsys"),  # only the stopped Acadre used it
        ("prisme-posteringer", "prisme"),
    ]
    assert (
        "interface Gammel kontoplan: deactivated in KITOS and no relation uses it; not imported"
        in result.skipped
    )


def test_a_contract_covers_the_interfaces_of_the_system_usages_it_lists(lifecycle):
    result = kitos.convert(lifecycle, HORSENS)
    assert _rows(result, "contracts", "id", "interface", "supplier", "annual_cost_dkk") == [
        ("K-2015-010/GJ510001Q", "GJ510001Q", "kmd", "60000"),
        ("K-2015-010/GJ510002Q", "GJ510002Q", "kmd", "60000"),
        ("K-2016-002", "prisme-posteringer", "fujitsu", "40000"),
    ]


def test_a_usages_main_contract_alone_links_the_contract_to_its_systems_interfaces(lifecycle):
    only_main = json.loads(json.dumps(lifecycle))
    for contract in only_main["it-contracts"]:
        contract["systemUsages"] = []
    result = kitos.convert(only_main, HORSENS)
    covered = {r["interface"] for r in result.tables["contracts"] if r["id"].startswith("K-2015")}
    assert covered == {"GJ510001Q", "GJ510002Q"}


def test_a_terminated_contract_expires_at_termination_plus_notice_when_that_is_earlier(
    lifecycle,
):
    result = kitos.convert(lifecycle, HORSENS)
    expires = {r["id"]: r["expires"] for r in result.tables["contracts"]}
    assert expires["K-2015-010/GJ510001Q"] == "2024-09-15"  # 2024-03-15 + 6 months < 2026-12-31
    assert expires["K-2016-002"] == "2025-06-30"  # not terminated: validTo


def test_the_notice_period_adds_calendar_months_clamped_to_the_month_end():
    contract = {
        "general": {"validity": {"validTo": None}},
        "termination": {"terminatedAt": "2024-08-31T00:00:00Z",
                        "terms": {"noticePeriodMonths": {"uuid": "x", "name": "6"}}},
    }  # fmt: skip
    assert kitos.contract_expiry(contract) == "2025-02-28"
    contract["termination"]["terms"] = None  # no notice period: the termination date
    assert kitos.contract_expiry(contract) == "2024-08-31"


def test_a_contract_covering_nothing_is_reported_by_its_name(lifecycle):
    result = kitos.convert(lifecycle, HORSENS)
    assert [line for line in result.skipped if line.startswith("contract")] == [
        "contract K-2019-001 (Rammeaftale print): covers no imported interface; not imported",
        "contract K-2012-004 (Acadre licens): covers no imported interface; not imported",
    ]


def test_rows_resting_on_defaults_name_the_assumption(lifecycle):
    result = kitos.convert(lifecycle, HORSENS)
    assert _rows(result, "suppliers", "id", "assumptions") == [
        ("fujitsu", ""),
        ("kmd", ""),
        ("ukendt-leverandoer", "placeholder-supplier"),
    ]
    assert {r["assumptions"] for r in result.tables["interfaces"]} == {"data-key-per-interface"}
    assert {r["assumptions"] for r in result.tables["usages"]} == {"need-default-must"}


def test_the_mapping_file_answers_remove_the_assumption(lifecycle, tmp_path: Path):
    mapping_file = tmp_path / "mapping.toml"
    mapping_file.write_text(
        '[data]\n"GJ510001Q" = "poster"\n[need]\n"kmd-aktiv -> GJ510001Q" = "nice"\n', "utf-8"
    )
    result = kitos.convert(lifecycle, HORSENS, kitos.read_mapping(mapping_file))
    interfaces = {r["id"]: r["assumptions"] for r in result.tables["interfaces"]}
    usages = {r["interface"]: r["assumptions"] for r in result.tables["usages"]}
    assert interfaces["GJ510001Q"] == "" and interfaces["GJ510002Q"] == "data-key-per-interface"
    assert usages["GJ510001Q"] == "" and usages["prisme-posteringer"] == "need-default-must"


def test_assumptions_reach_the_portfolio_and_the_graph(lifecycle, tmp_path: Path):
    into = tmp_path / "horsens"
    kitos.import_into(lifecycle, HORSENS, into)
    portfolio = load_portfolio(into)
    assert portfolio.supplier_by_id["ukendt-leverandoer"].assumptions == ("placeholder-supplier",)
    assert portfolio.interface_by_id["GJ510002Q"].assumptions == ("data-key-per-interface",)
    graph = build_graph(portfolio)
    uses = [a for _s, t, a in graph.edges(data=True) if a["type"] == "USES"]
    assert {tuple(a["assumptions"]) for a in uses} == {("need-default-must",)}


def test_the_import_writes_its_report_beside_the_portfolio(lifecycle, tmp_path: Path):
    into = tmp_path / "horsens"
    _result, written = kitos.import_into(lifecycle, HORSENS, into)
    report = into / "kitos-import-report.md"
    assert report in written
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# KITOS import: Horsens Kommune (29189587)\n")
    assert "- 3 contracts\n" in text
    assert "## Not in use (left out) (1)\n\n- it-system-usage Acadre ESDH (NotInUse)" in text
    assert "- contract K-2019-001 (Rammeaftale print): covers no imported interface" in text
    assert "## Warnings (2)" in text
    assert "- 2 usage(s) without a need: 'must' until [need] says must or nice" in text


def test_an_import_that_would_remove_most_of_a_municipality_stops_and_says_what(
    lifecycle, tmp_path: Path
):
    into = tmp_path / "horsens"
    kitos.import_into(lifecycle, HORSENS, into)
    before = {p.name: p.read_bytes() for p in into.iterdir()}
    empty: kitos.Pages = {endpoint: [] for endpoint in kitos.ENDPOINTS}
    mapping = tmp_path / "m.toml"
    mapping.write_text('[municipality]\ncode = "29189587"\n', encoding="utf-8")
    with pytest.raises(SnitgrafError) as error:
        kitos.import_into(empty, HORSENS, into, mapping)
    assert str(error.value) == (
        "the import would remove 2 of 2 usages, 3 of 3 contracts, 4 of 4 deployments of "
        "municipality 29189587; nothing written (check what KITOS answered, or run again with "
        "--replace to accept it)"
    )
    assert {p.name: p.read_bytes() for p in into.iterdir()} == before
    kitos.import_into(empty, HORSENS, into, mapping, replace=True)
    assert load_portfolio(into).counts()["usages"] == 0


def test_an_import_that_keeps_most_of_a_municipality_needs_no_replace(lifecycle, tmp_path: Path):
    into = tmp_path / "horsens"
    kitos.import_into(lifecycle, HORSENS, into)
    fewer = json.loads(json.dumps(lifecycle))
    fewer["it-system-usages"][0]["outgoingSystemRelations"].pop()  # one usage less of nine rows
    result, _written = kitos.import_into(fewer, HORSENS, into)
    assert result.counts()["usages"] == 1


def test_import_kitos_from_an_empty_answer_exits_1_and_keeps_the_portfolio(
    lifecycle, tmp_path: Path
):
    into = tmp_path / "horsens"
    kitos.import_into(lifecycle, HORSENS, into)
    saved = tmp_path / "empty"
    saved.mkdir()
    for endpoint in kitos.ENDPOINTS:
        (saved / f"{endpoint}.json").write_text("[]", encoding="utf-8")
    (saved / "it-systems.json").write_text(
        json.dumps(lifecycle["it-systems"]), encoding="utf-8"
    )  # an answer that is not wholly empty, yet has no usages
    args = ["import-kitos", "--from-dir", str(saved), "--organization", HORSENS,
            "--into", str(into)]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "--replace" in result.output
    assert load_portfolio(into).counts()["usages"] == 2


# --- logging in, organisations, and what must never leak ---------------------------------------


def _env(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name in ("KITOS_TOKEN", "KITOS_EMAIL", "KITOS_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_email_and_password_log_in_and_the_token_fetches_the_import(
    lifecycle_server, tmp_path: Path, monkeypatch
):
    url, api = lifecycle_server
    _env(monkeypatch, KITOS_EMAIL=EMAIL, KITOS_PASSWORD=PASSWORD)
    into = tmp_path / "horsens"
    args = ["import-kitos", "--url", url, "--organization", HORSENS, "--into", str(into)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert api.logins == [{"email": EMAIL, "password": PASSWORD}]
    assert set(api.authorizations) == {f"Bearer {TOKEN}"}
    assert PASSWORD not in result.output and TOKEN not in result.output
    assert result.output.splitlines()[0].startswith("imported municipality 29189587")
    assert load_portfolio(into).counts()["contracts"] == 3


def test_the_fetch_asks_for_deactivated_catalogue_entries(lifecycle_server, lifecycle):
    url, api = lifecycle_server
    fetched = kitos.fetch(_client(url), HORSENS)
    assert kitos.convert(fetched, HORSENS).tables == kitos.convert(lifecycle, HORSENS).tables
    catalogue = [p for p in api.requests if p.startswith(("/api/v2/it-systems?", "/api/v2/it-in"))]
    assert catalogue and all("includeDeactivated=true" in p for p in catalogue)


def test_a_wrong_password_is_one_line_that_never_shows_the_password(
    lifecycle_server, tmp_path: Path, monkeypatch
):
    url, _api = lifecycle_server
    _env(monkeypatch, KITOS_EMAIL=EMAIL, KITOS_PASSWORD="wrong-password-1")
    args = ["import-kitos", "--url", url, "--organization", HORSENS, "--into", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: KITOS refused the login of {EMAIL} (401 Unauthorized) at "
        f"{url}/api/authorize/GetToken: check KITOS_EMAIL and KITOS_PASSWORD"
    ]


def test_a_user_without_api_access_is_told_so(lifecycle_server, tmp_path: Path, monkeypatch):
    url, _api = lifecycle_server
    _env(monkeypatch, KITOS_EMAIL=NO_API_EMAIL, KITOS_PASSWORD=PASSWORD)
    args = ["import-kitos", "--url", url, "--organization", HORSENS, "--into", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "(403 Forbidden)" in result.output and "API user" in result.output
    assert PASSWORD not in result.output


def test_without_a_password_and_without_a_terminal_the_import_says_so(tmp_path: Path, monkeypatch):
    _env(monkeypatch, KITOS_EMAIL=EMAIL)
    args = ["import-kitos", "--url", "http://127.0.0.1:9", "--organization", HORSENS,
            "--into", str(tmp_path)]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "KITOS_PASSWORD is not set and there is no terminal to ask on" in result.output


def test_the_password_is_asked_for_on_a_terminal_and_not_echoed(monkeypatch):
    from snitgraf.cli import interop

    _env(monkeypatch, KITOS_EMAIL=EMAIL)
    monkeypatch.setattr(interop.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(interop.sys.stderr, "isatty", lambda: True, raising=False)
    asked: list[dict[str, object]] = []

    def prompt(text: str, **kwargs: object) -> str:
        asked.append({"text": text, **kwargs})
        return PASSWORD

    monkeypatch.setattr(interop.click, "prompt", prompt)
    monkeypatch.setattr(kitos, "login", lambda url, email, password: f"{email}:{password}")
    token, secrets = interop._kitos_token("https://kitos.example")
    assert asked == [{"text": f"KITOS password for {EMAIL}", "hide_input": True, "err": True}]
    assert token == f"{EMAIL}:{PASSWORD}" and secrets == (PASSWORD,)


def test_a_ready_token_still_works(lifecycle_server, tmp_path: Path, monkeypatch):
    url, api = lifecycle_server
    _env(monkeypatch, KITOS_TOKEN=TOKEN)
    args = ["import-kitos", "--url", url, "--organization", HORSENS, "--into", str(tmp_path)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert api.logins == []


def test_list_organizations_shows_the_users_organisations_with_their_uuids(
    lifecycle_server, monkeypatch
):
    url, api = lifecycle_server
    _env(monkeypatch, KITOS_TOKEN=TOKEN)
    result = CliRunner().invoke(cli, ["import-kitos", "--url", url, "--list-organizations"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "5a7c0d1e-0751-4e2b-9c3d-aa0000000751  Aarhus Kommune (CVR 55133018)",
        "5a7c0d1e-0615-4e2b-9c3d-aa0000000615  Horsens Kommune (CVR 29189587)",
    ]
    assert "onlyWhereUserHasMembership=true" in api.requests[0]


def test_an_organization_kitos_does_not_know_is_an_error_and_writes_nothing(
    lifecycle_server, tmp_path: Path, monkeypatch
):
    url, _api = lifecycle_server
    _env(monkeypatch, KITOS_TOKEN=TOKEN)
    unknown = "00000000-0000-4000-8000-000000000000"
    into = tmp_path / "p"
    args = ["import-kitos", "--url", url, "--organization", unknown, "--into", str(into)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert f"KITOS knows no organisation {unknown} (404 Not Found" in result.output
    assert "--list-organizations" in result.output
    assert not into.exists()


def test_a_redirect_to_another_host_is_refused_and_never_gets_the_token(
    lifecycle_server, lifecycle
):
    url, api = lifecycle_server
    elsewhere = _Kitos(lifecycle, ORGANIZATIONS)
    with _serving(elsewhere, "localhost") as other:
        api.redirects["it-systems"] = f"{other}/api/v2/it-systems"
        with pytest.raises(SnitgrafError) as error:
            _client(url).collection("it-systems", {})
    assert elsewhere.requests == []
    assert str(error.value) == (
        f"KITOS at {url}/api/v2/it-systems?page=0&pageSize=250 redirected (302) to another host, "
        f"{other}/api/v2/it-systems: snitgraf does not send the token there (use --url with that "
        "address if it is KITOS)"
    )
    assert TOKEN not in str(error.value)


def test_a_redirect_within_kitos_is_followed_with_the_token(lifecycle_server):
    url, api = lifecycle_server
    api.redirects["systems"] = f"{url}/api/v2/it-systems?page=0&pageSize=250"
    assert len(_client(url).get_json(f"{url}/api/v2/systems")) == 4
    assert api.authorizations == [f"Bearer {TOKEN}", f"Bearer {TOKEN}"]


def test_plain_http_to_another_host_is_refused_without_insecure(tmp_path: Path, monkeypatch):
    _env(monkeypatch, KITOS_TOKEN=TOKEN)
    args = ["import-kitos", "--url", "http://kitos.example.invalid", "--organization", HORSENS,
            "--into", str(tmp_path)]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: --url http://kitos.example.invalid: plain http would send the password and token "
        "unencrypted; use https:// (or --insecure to accept the risk)"
    )
    assert kitos.check_url("http://kitos.example.invalid", insecure=True) == (
        "warning: http://kitos.example.invalid is plain http: the password and token travel "
        "unencrypted"
    )
    assert kitos.check_url("https://kitos.dk") is None
    assert kitos.check_url("http://127.0.0.1:8080") is None  # never leaves this machine


def test_credentials_in_the_url_and_the_token_never_appear_in_a_message(lifecycle_server):
    url, _api = lifecycle_server
    with_password = url.replace("http://", "http://admin:hunter2-secret@")
    client = kitos.KitosClient(with_password, "wrong-token-abcdef", sleep=lambda _s: None)
    with pytest.raises(SnitgrafError) as error:
        client.collection("it-systems", {})
    message = str(error.value)
    assert "401 Unauthorized" in message
    assert "hunter2-secret" not in message and "wrong-token-abcdef" not in message
    assert "admin" not in message
    assert kitos.redact_url(with_password) == url.replace("http://", "http://***@")
