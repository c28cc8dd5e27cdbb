"""Loading and validating portfolio folders: every bad input, every dialect and encoding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from snitgraf.graph import build_graph
from snitgraf.loader import canonical_column, load_portfolio
from snitgraf.model import Portfolio
from snitgraf.problems import PortfolioError
from snitgraf.values import PartialDate
from tests.portfolios import portfolio, problems, tables, write_portfolio

VALID_HEADERS = {
    "suppliers.csv": "id,name,ski",
    "systems.csv": "id,name,supplier,monopoly,lifecycle,replaces,go_live,domain",
    "interfaces.csv": "id,name,provider,data",
    "usages.csv": "interface,system,need,direction",
    "contracts.csv": "id,interface,supplier,expires,annual_cost_dkk,note",
}


def write_files(folder: Path, **files: bytes) -> Path:
    """A folder of raw CSV bytes; core files not given get a valid header and no rows."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, header in VALID_HEADERS.items():
        (folder / name).write_bytes(files.pop(name.removesuffix(".csv"), header.encode() + b"\n"))
    assert not files, f"unknown files {sorted(files)}"
    return folder


def comparable(loaded: Portfolio) -> dict[str, Any]:
    """A portfolio's rows without its source path, to compare two dialects."""
    return loaded.model_dump(exclude={"source"})


# --- a valid portfolio ---------------------------------------------------------------------


def test_valid_portfolio_loads_every_row(tmp_path: Path) -> None:
    loaded = portfolio(tmp_path, **tables())
    assert loaded.counts() == {
        "suppliers": 1,
        "systems": 2,
        "interfaces": 1,
        "data": 1,
        "usages": 1,
        "contracts": 1,
        "municipalities": 0,
        "deployments": 0,
    }
    assert loaded.source == str(tmp_path)
    assert loaded.system_by_id["kmd-dagpenge"].monopoly is True
    assert loaded.system_by_id["kmd-udbetaling"].monopoly is False
    assert loaded.system_by_id["kmd-udbetaling"].lifecycle == "both"
    assert loaded.usages[0].need == "must"
    assert loaded.usages[0].direction is None
    assert loaded.contracts[0].expires == PartialDate(2016)


def test_loader_accepts_a_str_path(tmp_path: Path) -> None:
    write_portfolio(tmp_path, **tables())
    assert load_portfolio(str(tmp_path)).counts()["systems"] == 2


# --- unknown references --------------------------------------------------------------------


def test_unknown_system_in_a_usage_names_the_closest_id(tmp_path: Path) -> None:
    usages = [{"interface": "SID001", "system": "kmd-dagpenne", "need": "must"}]
    write_portfolio(tmp_path, **tables(usages=usages))
    assert problems(tmp_path) == [
        f"{tmp_path}/usages.csv:2: column system: unknown system; did you mean "
        "'kmd-dagpenge'? (value 'kmd-dagpenne')"
    ]


def test_unknown_id_differing_only_in_case_hints_the_real_spelling(tmp_path: Path) -> None:
    usages = [{"interface": "sid001", "system": "kmd-dagpenge", "need": "must"}]
    write_portfolio(tmp_path, **tables(usages=usages))
    assert problems(tmp_path) == [
        f"{tmp_path}/usages.csv:2: column interface: unknown interface; did you mean "
        "'SID001'? (value 'sid001')"
    ]


def test_unknown_reference_without_a_close_id_gives_no_hint(tmp_path: Path) -> None:
    contracts = [{"id": "K1", "interface": "SID001", "supplier": "zzzz"}]
    write_portfolio(tmp_path, **tables(contracts=contracts))
    assert problems(tmp_path) == [
        f"{tmp_path}/contracts.csv:2: column supplier: unknown supplier (value 'zzzz')"
    ]


def test_every_reference_column_is_checked(tmp_path: Path) -> None:
    spoiled = tables(
        systems=[
            {"id": "kmd-dagpenge", "name": "KMD Dagpenge", "supplier": "kmd", "monopoly": "ja"},
            {"id": "kmd-udbetaling", "name": "KMD Udbetaling", "supplier": "kmdx"},
        ],
        interfaces=[
            {"id": "SID001", "name": "Batch", "provider": "kmd-udbetaling", "data": "u"},
            {"id": "SID002", "name": "Other", "provider": "nowhere", "data": "u"},
        ],
        usages=[{"interface": "SID009", "system": "kmd-dagpenge", "need": "must"}],
        contracts=[{"id": "K1", "interface": "SID003", "supplier": "kmd"}],
    )
    write_portfolio(tmp_path, **spoiled)
    assert sorted(problems(tmp_path)) == sorted(
        [
            f"{tmp_path}/systems.csv:3: column supplier: unknown supplier; did you mean 'kmd'? "
            "(value 'kmdx')",
            f"{tmp_path}/interfaces.csv:3: column provider: unknown system (value 'nowhere')",
            f"{tmp_path}/usages.csv:2: column interface: unknown interface; did you mean "
            "'SID002' or 'SID001'? (value 'SID009')",
            f"{tmp_path}/contracts.csv:2: column interface: unknown interface; did you mean "
            "'SID002' or 'SID001'? (value 'SID003')",
        ]
    )


def test_a_reference_to_an_invalid_row_is_not_reported_as_unknown(tmp_path: Path) -> None:
    suppliers = [{"id": "kmd", "name": "KMD", "ski": ""}, {"id": "eg", "name": ""}]
    systems = [
        {"id": "kmd-dagpenge", "name": "KMD Dagpenge", "supplier": "kmd", "monopoly": "ja"},
        {"id": "kmd-udbetaling", "name": "KMD Udbetaling", "supplier": "eg"},
    ]
    write_portfolio(tmp_path, **tables(suppliers=suppliers, systems=systems))
    assert problems(tmp_path) == [
        f"{tmp_path}/suppliers.csv:3: column name: required value is empty (value '')"
    ]


# --- duplicates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "row", "column", "value"),
    [
        ("suppliers", {"id": "kmd", "name": "KMD again"}, "id", "kmd"),
        ("systems", {"id": "kmd-dagpenge", "name": "X", "supplier": "kmd"}, "id", "kmd-dagpenge"),
        (
            "interfaces",
            {"id": "SID001", "name": "X", "provider": "kmd-udbetaling", "data": "x"},
            "id",
            "SID001",
        ),
        ("contracts", {"id": "K1", "interface": "SID001", "supplier": "kmd"}, "id", "K1"),
    ],
)
def test_duplicate_ids_are_reported_with_the_first_line(
    tmp_path: Path, kind: str, row: dict[str, str], column: str, value: str
) -> None:
    base = tables()
    base[kind] = [*base[kind], row]
    write_portfolio(tmp_path, **base)
    line = len(base[kind]) + 1
    assert problems(tmp_path) == [
        f"{tmp_path}/{kind}.csv:{line}: column {column}: duplicate id, first on line 2 "
        f"(value '{value}')"
    ]


def test_the_same_usage_twice_is_a_duplicate_row(tmp_path: Path) -> None:
    usages = [
        {"interface": "SID001", "system": "kmd-dagpenge", "need": "must"},
        {"interface": "SID001", "system": "kmd-dagpenge", "need": "nice"},
    ]
    write_portfolio(tmp_path, **tables(usages=usages))
    assert problems(tmp_path) == [
        f"{tmp_path}/usages.csv:3: column interface+system+municipality: duplicate row, "
        "first on line 2 (value 'SID001 / kmd-dagpenge')"
    ]


def test_ids_differing_only_in_case_are_different_ids(tmp_path: Path) -> None:
    suppliers = [{"id": "kmd", "name": "KMD"}, {"id": "KMD", "name": "KMD (upper)"}]
    loaded = portfolio(tmp_path, **tables(suppliers=suppliers))
    assert sorted(loaded.supplier_by_id) == ["KMD", "kmd"]
    assert loaded.supplier_by_id["KMD"].name == "KMD (upper)"


# --- missing columns, files, folders -------------------------------------------------------


def test_missing_required_column_names_the_column_and_the_header(tmp_path: Path) -> None:
    write_files(tmp_path, systems=b"id,name,monopoly\nkmd-dagpenge,KMD Dagpenge,ja\n")
    assert problems(tmp_path) == [
        f"{tmp_path}/systems.csv:1: column supplier: missing required column "
        "(value 'id, name, monopoly')"
    ]


def test_every_missing_required_column_is_reported(tmp_path: Path) -> None:
    write_files(tmp_path, usages=b"interface,direction\n")
    assert problems(tmp_path) == [
        f"{tmp_path}/usages.csv:1: column system: missing required column "
        "(value 'interface, direction')",
        f"{tmp_path}/usages.csv:1: column need: missing required column "
        "(value 'interface, direction')",
    ]


def test_missing_files_are_each_reported(tmp_path: Path) -> None:
    write_portfolio(tmp_path, **tables(contracts=[]))
    (tmp_path / "contracts.csv").unlink()
    (tmp_path / "usages.csv").unlink()
    assert problems(tmp_path) == [
        f"{tmp_path}/usages.csv: missing file",
        f"{tmp_path}/contracts.csv: missing file",
    ]


def test_an_empty_folder_misses_every_core_file(tmp_path: Path) -> None:
    assert problems(tmp_path) == [
        f"{tmp_path}/{kind}.csv: missing file"
        for kind in ("suppliers", "systems", "interfaces", "usages", "contracts")
    ]


def test_an_empty_file_misses_its_required_columns(tmp_path: Path) -> None:
    write_files(tmp_path, suppliers=b"")
    assert problems(tmp_path) == [
        f"{tmp_path}/suppliers.csv:1: column id: missing required column (value '')",
        f"{tmp_path}/suppliers.csv:1: column name: missing required column (value '')",
    ]


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert problems(missing) == [f"{missing}: no such folder or file"]


def test_a_plain_file_is_not_a_portfolio(tmp_path: Path) -> None:
    file = tmp_path / "systems.txt"
    file.write_text("id,name\n")
    assert problems(file) == [
        f"{file}: not a portfolio: expected a folder of CSV files or an .xlsx"
    ]


def test_empty_required_value_is_reported(tmp_path: Path) -> None:
    interfaces = [
        *tables()["interfaces"],
        {"id": "SID002", "name": " ", "provider": "kmd-udbetaling", "data": "u"},
    ]
    write_portfolio(tmp_path, **tables(interfaces=interfaces))
    assert problems(tmp_path) == [
        f"{tmp_path}/interfaces.csv:3: column name: required value is empty (value ' ')"
    ]


def test_a_row_with_more_cells_than_the_header_is_reported(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        suppliers=b"id,name,ski\nkmd,KMD,02.19\n",
        systems=b"id,name,supplier\na,A,kmd,surplus\n",
    )
    assert problems(tmp_path) == [
        f"{tmp_path}/systems.csv:2: row has 4 cells but the header has 3 (value 'a,A,kmd,surplus')"
    ]


# --- bad values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "column", "value", "message"),
    [
        (
            "systems",
            "monopoly",
            "maybe",
            "not a boolean (use true/false, ja/nej, yes/no, 1/0 or x/blank)",
        ),
        ("systems", "lifecycle", "sometimes", "not a lifecycle (use as-is, to-be or both)"),
        ("systems", "go_live", "2017-02-30", "not a date: day out of range"),
        ("usages", "need", "maybe", "not a need (use must/skal or nice/kan/'vil værdsætte')"),
        ("usages", "direction", "sideways", "not a direction (use in/ind or out/ud)"),
        ("contracts", "expires", "31.13.2016", "not a date: month out of range"),
        (
            "contracts",
            "expires",
            "next year",
            "not a date (use YYYY, YYYY-MM, YYYY-MM-DD, DD-MM-YYYY or ??)",
        ),
        ("contracts", "annual_cost_dkk", "lots", "not an amount in DKK"),
    ],
)
def test_bad_value_is_reported_on_its_line_and_column(
    tmp_path: Path, kind: str, column: str, value: str, message: str
) -> None:
    # The spoiled row is one nobody refers to, so the problem is the only one.
    spare = {
        "systems": {"id": "spare", "name": "Spare", "supplier": "kmd"},
        "usages": {"interface": "SID001", "system": "kmd-udbetaling", "need": "must"},
        "contracts": {"id": "K2", "interface": "SID001", "supplier": "kmd"},
    }[kind]
    base = tables()
    base[kind] = [*base[kind], {**spare, column: value}]
    write_portfolio(tmp_path, **base)
    line = len(base[kind]) + 1
    assert problems(tmp_path) == [
        f"{tmp_path}/{kind}.csv:{line}: column {column}: {message} (value '{value}')"
    ]


def test_a_value_containing_a_quote_is_shown_unambiguously(tmp_path: Path) -> None:
    usages = [{"interface": "SID001", "system": "kmd-dagpenge", "need": "don't"}]
    write_portfolio(tmp_path, **tables(usages=usages))
    assert problems(tmp_path) == [
        f"{tmp_path}/usages.csv:2: column need: not a need (use must/skal or nice/kan/"
        "'vil værdsætte') (value \"don't\")"
    ]


def test_undecodable_bytes_are_reported_on_their_line_and_column(tmp_path: Path) -> None:
    # 0x81 is neither UTF-8 nor cp1252; the other lines are plain ASCII.
    write_files(tmp_path, suppliers=b"id,name,ski\nkmd,KMD,02.19\neg,E\x81G,\n")
    assert problems(tmp_path) == [
        f"{tmp_path}/suppliers.csv:3: column #2: undecodable bytes (neither UTF-8 nor cp1252) "
        "(value 'eg,E\ufffdG,')"
    ]


def test_a_to_be_system_replacing_an_unknown_system_is_reported(tmp_path: Path) -> None:
    systems = [
        *tables()["systems"],
        {
            "id": "ksd",
            "name": "KSD",
            "supplier": "kmd",
            "monopoly": "ja",
            "lifecycle": "to-be",
            "replaces": "kmd-dagpenge|kmd-dagpenne",
        },
    ]
    write_portfolio(tmp_path, **tables(systems=systems))
    assert problems(tmp_path) == [
        f"{tmp_path}/systems.csv:4: column replaces: unknown system to replace; "
        "did you mean 'kmd-dagpenge'? (value 'kmd-dagpenne')"
    ]


def test_a_system_replacing_itself_is_reported(tmp_path: Path) -> None:
    systems = [
        *tables()["systems"],
        {"id": "ksd", "name": "KSD", "supplier": "kmd", "lifecycle": "to-be", "replaces": "ksd"},
    ]
    write_portfolio(tmp_path, **tables(systems=systems))
    assert problems(tmp_path) == [
        f"{tmp_path}/systems.csv:4: column replaces: a system cannot replace itself (value 'ksd')"
    ]


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    spoiled = tables(
        suppliers=[{"id": "kmd", "name": "KMD"}, {"id": "kmd", "name": "KMD twice"}],
        systems=[
            {"id": "kmd-dagpenge", "name": "KMD Dagpenge", "supplier": "kmd", "monopoly": "jo"},
            {"id": "kmd-udbetaling", "name": "KMD Udbetaling", "supplier": "kmd"},
            {
                "id": "ksd",
                "name": "KSD",
                "supplier": "kmd",
                "lifecycle": "to-be",
                "replaces": "gone",
            },
        ],
        usages=[
            {"interface": "SID001", "system": "kmd-udbetaling", "need": "perhaps"},
            {"interface": "SID01", "system": "kmd-udbetaling", "need": "must"},
        ],
        contracts=[
            {
                "id": "K1",
                "interface": "SID001",
                "supplier": "kmd",
                "expires": "2017-02-30",
                "annual_cost_dkk": "a lot",
            }
        ],
    )
    write_portfolio(tmp_path, **spoiled)
    with pytest.raises(PortfolioError) as error:
        load_portfolio(tmp_path)
    # Every problem, in reading order: file by file, line by line.
    assert error.value.lines() == [
        f"{tmp_path}/suppliers.csv:3: column id: duplicate id, first on line 2 (value 'kmd')",
        f"{tmp_path}/systems.csv:2: column monopoly: not a boolean (use true/false, "
        "ja/nej, yes/no, 1/0 or x/blank) (value 'jo')",
        f"{tmp_path}/systems.csv:4: column replaces: unknown system to replace (value 'gone')",
        f"{tmp_path}/usages.csv:2: column need: not a need (use must/skal or "
        "nice/kan/'vil værdsætte') (value 'perhaps')",
        f"{tmp_path}/usages.csv:3: column interface: unknown interface; did you mean "
        "'SID001'? (value 'SID01')",
        f"{tmp_path}/contracts.csv:2: column expires: not a date: day out of range "
        "(value '2017-02-30')",
        f"{tmp_path}/contracts.csv:2: column annual_cost_dkk: not an amount in DKK (value 'a lot')",
    ]
    assert str(error.value) == f"{tmp_path}: 7 problem(s)"


# --- dialects and encodings ----------------------------------------------------------------


def test_semicolon_and_comma_files_load_the_same_portfolio(tmp_path: Path) -> None:
    comma = write_files(
        tmp_path / "comma",
        suppliers=b"id,name,ski\nkmd,KMD,02.19\n",
        systems=b"id,name,supplier,monopoly\nkmd-dagpenge,KMD Dagpenge,kmd,ja\n",
    )
    semicolon = write_files(
        tmp_path / "semicolon",
        suppliers=b"id;name;ski\nkmd;KMD;02.19\n",
        systems=b"id;name;supplier;monopoly\nkmd-dagpenge;KMD Dagpenge;kmd;ja\n",
        interfaces=b"id;name;provider;data\n",
        usages=b"interface;system;need;direction\n",
        contracts=b"id;interface;supplier;expires;annual_cost_dkk;note\n",
    )
    assert comparable(load_portfolio(comma)) == comparable(load_portfolio(semicolon))
    assert load_portfolio(semicolon).supplier_by_id["kmd"].ski == "02.19"


def test_semicolon_file_keeps_decimal_commas_in_costs(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        suppliers=b"id;name\nkmd;KMD\n",
        systems=b"id;name;supplier\nudb;KMD Udbetaling;kmd\n",
        interfaces=b"id;name;provider;data\nSID001;Batch;udb;u\n",
        contracts=b"id;interface;supplier;expires;annual_cost_dkk\n"
        b"K1;SID001;kmd;31.12.2016;120.000,50\n",
    )
    contract = load_portfolio(tmp_path).contracts[0]
    assert contract.annual_cost_dkk == 120000.5
    assert contract.expires == PartialDate(2016, 12, 31)


def test_tab_separated_files_load_too(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        suppliers=b"id\tname\tski\nkmd\tKMD, A/S\t02.19\n",
        systems=b"id\tname\tsupplier\nsys\tSys\tkmd\n",
    )
    loaded = load_portfolio(tmp_path)
    assert loaded.supplier_by_id["kmd"].name == "KMD, A/S"
    assert loaded.system_by_id["sys"].supplier == "kmd"


def test_utf8_with_bom_reads_the_first_header(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        suppliers="\ufeffid,name\nkbh,Københavns Kommune\n".encode(),
        systems="\ufeffid,name,supplier\nbrugerdata-kbh,Brugerdata KBH,kbh\n".encode(),
    )
    loaded = load_portfolio(tmp_path)
    assert loaded.supplier_by_id["kbh"].name == "Københavns Kommune"
    assert loaded.supplier_by_id["kbh"].extra == {}
    assert loaded.system_by_id["brugerdata-kbh"].supplier == "kbh"


def test_cp1252_file_with_danish_letters_is_decoded(tmp_path: Path) -> None:
    # What Excel writes on a Danish PC: semicolons, CRLF, cp1252 (æ=E6, ø=F8, å=E5, Ø=D8).
    write_files(
        tmp_path,
        suppliers=b"id;name\r\nkbh;K\xf8benhavns Kommune\r\n",
        systems=b"id;name;supplier;domain\r\n"
        b"boligstotte;KMD Boligst\xf8tte;kbh;\xe6bler og \xe5l\r\n"
        b"oes;KMD \xd8S;kbh;\xf8konomi\r\n",
    )
    loaded = load_portfolio(tmp_path)
    assert loaded.supplier_by_id["kbh"].name == "Københavns Kommune"
    assert loaded.system_by_id["boligstotte"].name == "KMD Boligstøtte"
    assert loaded.system_by_id["boligstotte"].domain == "æbler og ål"
    assert loaded.system_by_id["oes"].name == "KMD ØS"


def test_excel_csv_utf8_with_bom_semicolons_and_crlf_loads(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        suppliers="\ufeffid;name;ski\r\nkmd;KMD;02.19\r\n".encode(),
        systems="\ufeffid;name;supplier;monopoly\r\nkmd-sag;KMD Sag;kmd;Ja\r\n".encode(),
    )
    loaded = load_portfolio(tmp_path)
    assert loaded.supplier_by_id["kmd"].ski == "02.19"
    assert loaded.system_by_id["kmd-sag"].monopoly is True


def test_cp1252_danish_headers_mean_the_known_columns(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        suppliers=b"id;Navn\r\nkmd;KMD\r\n",
        systems=b"id;Navn;Leverand\xf8r;Monopol;Livscyklus\r\nksd;KSD;kmd;x;to-be\r\n",
    )
    system = load_portfolio(tmp_path).system_by_id["ksd"]
    assert (system.name, system.supplier, system.monopoly, system.lifecycle) == (
        "KSD",
        "kmd",
        True,
        "to-be",
    )
    assert system.extra == {}


def test_utf8_danish_letters_are_not_mistaken_for_cp1252(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        suppliers="id,name\nkbh,Københavns Kommune\n".encode(),
        systems="id,name,supplier\nøs,KMD ØS – økonomi,kbh\n".encode(),
    )
    loaded = load_portfolio(tmp_path)
    assert loaded.supplier_by_id["kbh"].name == "Københavns Kommune"
    assert loaded.system_by_id["øs"].name == "KMD ØS – økonomi"


def test_quoted_cells_may_contain_the_delimiter(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        suppliers=b'id;name\nkmd;"KMD; A/S"\n',
        systems=b'id,name,supplier\nsys,"Sys, one",kmd\n',
    )
    loaded = load_portfolio(tmp_path)
    assert loaded.supplier_by_id["kmd"].name == "KMD; A/S"
    assert loaded.system_by_id["sys"].name == "Sys, one"


def test_crlf_and_blank_lines_keep_physical_line_numbers(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        suppliers=b"\r\nid,name\r\n\r\nkmd,KMD\r\n,\r\n\r\nnew,New\r\n",
        systems=b"id,name,supplier,monopoly\r\n\r\n\r\na,A,kmd,ja\r\nb,B,kmd,maybe\r\n",
    )
    assert problems(tmp_path) == [
        f"{tmp_path}/systems.csv:5: column monopoly: not a boolean (use true/false, ja/nej, "
        "yes/no, 1/0 or x/blank) (value 'maybe')"
    ]


def test_crlf_and_blank_lines_load_every_row(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        suppliers=b"\r\nid,name\r\n\r\nkmd,KMD\r\n,\r\n\r\nnew,New\r\n",
        systems=b"id,name,supplier\r\n\r\na,A,kmd\r\n",
    )
    loaded = load_portfolio(tmp_path)
    assert [s.id for s in loaded.suppliers] == ["kmd", "new"]
    assert [s.id for s in loaded.systems] == ["a"]


def test_columns_may_come_in_any_order(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        suppliers=b"name,ski,id\nKMD,02.19,kmd\n",
        systems=b"monopoly,supplier,name,id\nja,kmd,KMD Dagpenge,kmd-dagpenge\n"
        b",kmd,KMD Udbetaling,kmd-udbetaling\n",
        interfaces=b"data,provider,name,id\nudbetaling,kmd-udbetaling,Batch,SID001\n",
        usages=b"need,system,interface\nskal,kmd-dagpenge,SID001\n",
        contracts=b"expires,supplier,interface,id\n2016,kmd,SID001,K1\n",
    )
    loaded = load_portfolio(tmp_path)
    assert loaded.supplier_by_id["kmd"].ski == "02.19"
    assert loaded.system_by_id["kmd-dagpenge"].monopoly is True
    assert loaded.interface_by_id["SID001"].provider == "kmd-udbetaling"
    assert loaded.usages[0].need == "must"
    assert loaded.contracts[0].expires == PartialDate(2016)


def test_headers_are_matched_ignoring_case_and_spaces(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        suppliers=b"ID,Name\nkmd,KMD\n",
        systems=b"Id,NAME,Supplier,Go Live\nsys,Sys,kmd,2017-06\n",
    )
    assert load_portfolio(tmp_path).system_by_id["sys"].go_live == PartialDate(2017, 6)


def test_danish_header_names_mean_the_known_columns() -> None:
    assert canonical_column("Navn") == "name"
    assert canonical_column("Leverandør") == "supplier"
    assert canonical_column("Udløbsdato på kontrakt") == "expires"
    assert canonical_column("Behov") == "need"
    assert canonical_column("Annual cost DKK") == "annual_cost_dkk"


def test_extra_columns_are_kept_on_the_model_and_as_graph_properties(tmp_path: Path) -> None:
    suppliers = [{"id": "kmd", "name": "KMD", "Kontaktperson": "Lone", "cvr": "26911745"}]
    systems = [
        {
            "id": "kmd-dagpenge",
            "name": "KMD Dagpenge",
            "supplier": "kmd",
            "monopoly": "ja",
            "kilde": "seed",
        },
        {"id": "kmd-udbetaling", "name": "KMD Udbetaling", "supplier": "kmd", "kilde": ""},
    ]
    loaded = portfolio(tmp_path, **tables(suppliers=suppliers, systems=systems))
    assert loaded.supplier_by_id["kmd"].extra == {"Kontaktperson": "Lone", "cvr": "26911745"}
    assert loaded.system_by_id["kmd-dagpenge"].extra == {"kilde": "seed"}
    assert loaded.system_by_id["kmd-udbetaling"].extra == {}
    graph = build_graph(loaded)
    assert graph.nodes[("Supplier", "kmd")]["Kontaktperson"] == "Lone"
    assert graph.nodes[("Supplier", "kmd")]["cvr"] == "26911745"
    assert graph.nodes[("System", "kmd-dagpenge")]["kilde"] == "seed"
    assert "kilde" not in graph.nodes[("System", "kmd-udbetaling")]


def test_pipe_separates_several_replaced_systems(tmp_path: Path) -> None:
    systems = [
        *tables()["systems"],
        {
            "id": "ky",
            "name": "KY",
            "supplier": "kmd",
            "lifecycle": "to-be",
            "replaces": "kmd-dagpenge | kmd-udbetaling",
        },
    ]
    loaded = portfolio(tmp_path, **tables(systems=systems))
    assert loaded.system_by_id["ky"].replaces == ("kmd-dagpenge", "kmd-udbetaling")
    assert loaded.system_by_id["ky"].lifecycle == "to-be"


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2017", PartialDate(2017), "year"),
        ("2017-06", PartialDate(2017, 6), "month"),
        ("2016-12-31", PartialDate(2016, 12, 31), "day"),
        ("31.12.2016", PartialDate(2016, 12, 31), "day"),
        ("31-12-2016", PartialDate(2016, 12, 31), "day"),
    ],
)
def test_contract_expiry_keeps_its_precision(
    tmp_path: Path, text: str, expected: PartialDate, precision: str
) -> None:
    contracts = [{"id": "K1", "interface": "SID001", "supplier": "kmd", "expires": text}]
    expires = portfolio(tmp_path, **tables(contracts=contracts)).contracts[0].expires
    assert expires == expected
    assert expires is not None
    assert expires.precision == precision


@pytest.mark.parametrize("text", ["??", ""])
def test_unknown_expiry_and_cost_load_as_none(tmp_path: Path, text: str) -> None:
    contracts = [
        {
            "id": "K1",
            "interface": "SID001",
            "supplier": "kmd",
            "expires": text,
            "annual_cost_dkk": text,
        }
    ]
    contract = portfolio(tmp_path, **tables(contracts=contracts)).contracts[0]
    assert contract.expires is None
    assert contract.annual_cost_dkk is None


@pytest.mark.parametrize(
    ("text", "expected"), [("85.000", 85000.0), ("kr. 1.000,50", 1000.5), ("120000", 120000.0)]
)
def test_contract_costs_in_danish_formats(tmp_path: Path, text: str, expected: float) -> None:
    contracts = [{"id": "K1", "interface": "SID001", "supplier": "kmd", "annual_cost_dkk": text}]
    contract = portfolio(tmp_path, **tables(contracts=contracts)).contracts[0]
    assert contract.annual_cost_dkk == expected


@pytest.mark.parametrize(
    ("text", "need"),
    [("vil værdsætte", "nice"), ("kan", "nice"), ("Skal", "must"), ("must", "must")],
)
def test_need_spellings_load(tmp_path: Path, text: str, need: str) -> None:
    usages = [{"interface": "SID001", "system": "kmd-dagpenge", "need": text}]
    assert portfolio(tmp_path, **tables(usages=usages)).usages[0].need == need


# --- immutability --------------------------------------------------------------------------


def test_portfolio_fields_cannot_be_assigned(tmp_path: Path) -> None:
    loaded = portfolio(tmp_path, **tables())
    with pytest.raises(ValidationError):
        loaded.systems = ()  # type: ignore[misc]
    with pytest.raises(ValidationError):
        loaded.source = "elsewhere"  # type: ignore[misc]
    assert len(loaded.systems) == 2


def test_rows_of_a_portfolio_cannot_be_assigned(tmp_path: Path) -> None:
    loaded = portfolio(tmp_path, **tables())
    with pytest.raises(ValidationError):
        loaded.systems[0].monopoly = False  # type: ignore[misc]
    with pytest.raises(ValidationError):
        loaded.contracts[0].expires = None  # type: ignore[misc]
    assert loaded.system_by_id["kmd-dagpenge"].monopoly is True


def test_portfolio_collections_are_tuples(tmp_path: Path) -> None:
    loaded = portfolio(tmp_path, **tables())
    for kind in ("suppliers", "systems", "interfaces", "usages", "contracts"):
        assert isinstance(getattr(loaded, kind), tuple)


def test_a_column_given_twice_is_reported_not_silently_dropped(tmp_path: Path) -> None:
    write_portfolio(tmp_path, **tables())
    systems = tmp_path / "systems.csv"
    lines = systems.read_text(encoding="utf-8").splitlines()
    lines[0] += ",Navn"
    lines[1:] = [line + ",Other name" for line in lines[1:]]
    systems.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert problems(tmp_path) == [
        f"{tmp_path}/systems.csv:1: column Navn: duplicate column: 'name' means the same "
        "(value 'Navn')"
    ]


def test_the_same_header_twice_is_reported(tmp_path: Path) -> None:
    write_files(tmp_path, suppliers=b"id,name,name\nkmd,KMD,KMD igen\n")
    assert problems(tmp_path) == [
        f"{tmp_path}/suppliers.csv:1: column name: duplicate column: 'name' means the same "
        "(value 'name')"
    ]


def test_an_unclosed_quote_is_reported_where_the_row_begins(tmp_path: Path) -> None:
    write_portfolio(tmp_path, **tables())
    suppliers = tmp_path / "suppliers.csv"
    text = suppliers.read_text(encoding="utf-8")
    suppliers.write_text(text + 'zz,"unterminated name,,\neg,EG,\n', encoding="utf-8")
    assert problems(tmp_path) == [
        f"{tmp_path}/suppliers.csv:3: column name: a quote is left open: the cell runs on over "
        "the lines below it (value 'unterminated name,, ...')"
    ]


def test_a_missing_file_is_named_first_and_not_again_as_unknown_references(
    tmp_path: Path,
) -> None:
    write_portfolio(tmp_path, **tables())
    (tmp_path / "suppliers.csv").unlink()
    assert problems(tmp_path) == [f"{tmp_path}/suppliers.csv: missing file"]


def test_each_loaded_row_is_the_row_pydantic_itself_validates_from_the_same_cells() -> None:
    from tests.portfolios import SAMPLE

    loaded = load_portfolio(SAMPLE)
    rows = [*loaded.systems, *loaded.interfaces, *loaded.usages, *loaded.contracts]
    assert len(rows) > 100
    for row in rows:
        given = {name: getattr(row, name) for name in row.__pydantic_fields_set__}
        again = type(row).model_validate(given)
        assert row == again
        assert list(row.__dict__.items()) == list(again.__dict__.items())
        assert row.__pydantic_fields_set__ == again.__pydantic_fields_set__


def test_a_bad_value_that_repeats_is_reported_on_every_row_that_holds_it(tmp_path: Path) -> None:
    base = tables()
    usage = base["usages"][0]
    base["usages"] = [
        {**usage, "need": "maybe"},
        {**usage, "need": "maybe", "municipality": "101"},
        {**usage, "need": "must", "municipality": "147"},
        {**usage, "need": "maybe", "municipality": "151"},
    ]
    found = [p for p in problems(write_portfolio(tmp_path, **base)) if "'maybe'" in p]
    assert [p.split(":")[1] for p in found] == ["2", "3", "5"]
