"""Broken and hostile portfolio files give located problems, never a traceback or a leak."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snitgraf.cli import cli
from snitgraf.loader import load_portfolio
from snitgraf.problems import PortfolioError
from tests.portfolios import problems, tables, write_portfolio


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


CONTRACTS = "id,interface,supplier,expires,annual_cost_dkk,note\n"


def spoil_contracts(folder: Path, text: str) -> Path:
    write_portfolio(folder, **tables())
    (folder / "contracts.csv").write_text(CONTRACTS + text, encoding="utf-8")
    return folder


# --- item 3: a quote left open ---------------------------------------------------------------


def test_an_open_quote_in_a_note_at_the_end_of_the_file_is_reported(tmp_path: Path) -> None:
    spoil_contracts(tmp_path, 'K1,SID001,kmd,2016,1000,"waits for\nK2,SID001,kmd,2017,42000,ok\n')
    assert problems(tmp_path) == [
        f"{tmp_path}/contracts.csv:2: column note: a quote is left open: the cell runs on over "
        "the lines below it (value 'waits for ...')"
    ]


def test_an_open_quote_closed_by_a_later_row_is_reported(tmp_path: Path) -> None:
    spoil_contracts(
        tmp_path,
        'K1,SID001,kmd,2016,1000,"waits for\nK2,SID001,kmd,2017,42000,"\nK3,SID001,kmd,2018,1,\n',
    )
    assert problems(tmp_path) == [
        f"{tmp_path}/contracts.csv:2: column note: a quote is left open: the cell runs on over "
        "the lines below it (value 'waits for ...')"
    ]


def test_a_note_over_several_lines_still_loads(tmp_path: Path) -> None:
    spoil_contracts(tmp_path, 'K1,SID001,kmd,2016,1000,"first line\nsecond, with a comma"\n')
    assert load_portfolio(tmp_path).contracts[0].note == "first line\nsecond, with a comma"


# --- item 7: links out of the folder, /proc --------------------------------------------------


def test_a_link_to_proc_environ_is_refused_without_showing_its_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SNITGRAF_TEST_SECRET", "hunter2-very-secret")
    write_portfolio(tmp_path, **tables())
    (tmp_path / "suppliers.csv").unlink()
    (tmp_path / "suppliers.csv").symlink_to("/proc/self/environ")
    code, out, err = run("validate", str(tmp_path))
    assert code == 1
    assert "hunter2" not in out + err
    assert "SNITGRAF_TEST_SECRET" not in out + err
    assert f"{tmp_path}/suppliers.csv: a link to a file outside the portfolio folder" in err


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    write_portfolio(tmp_path / "p", **tables())
    outside = tmp_path / "elsewhere.csv"
    outside.write_bytes((tmp_path / "p" / "suppliers.csv").read_bytes())
    (tmp_path / "p" / "suppliers.csv").unlink()
    (tmp_path / "p" / "suppliers.csv").symlink_to(outside)
    assert problems(tmp_path / "p") == [
        f"{tmp_path}/p/suppliers.csv: a link to a file outside the portfolio folder: not read"
    ]


def test_a_link_within_the_folder_is_read(tmp_path: Path) -> None:
    write_portfolio(tmp_path, **tables())
    (tmp_path / "suppliers.csv").rename(tmp_path / "leverandører.csv")
    (tmp_path / "suppliers.csv").symlink_to(tmp_path / "leverandører.csv")
    assert load_portfolio(tmp_path).supplier_by_id["kmd"].name == "KMD"


def test_a_binary_file_is_one_problem_without_its_bytes(tmp_path: Path) -> None:
    write_portfolio(tmp_path, **tables())
    (tmp_path / "suppliers.csv").write_bytes(b"id,name\x00PASSWORD=secret\x00\n")
    lines = problems(tmp_path)
    assert lines == [f"{tmp_path}/suppliers.csv: not a CSV text file (it holds NUL bytes)"]


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    write_portfolio(tmp_path, **tables())
    (tmp_path / "suppliers.csv").unlink()
    os.mkfifo(tmp_path / "suppliers.csv")
    assert problems(tmp_path) == [f"{tmp_path}/suppliers.csv: not a regular file: not read"]


# --- items 14, 15, 16: long cells, far years, control characters ------------------------------


def test_a_cell_over_the_csv_field_limit_is_a_located_problem(tmp_path: Path) -> None:
    spoil_contracts(tmp_path, "K1,SID001,kmd,2016,1000," + "x" * 200_000 + "\n")
    assert problems(tmp_path) == [
        f"{tmp_path}/contracts.csv:2: column note: the cell holds 200000 characters, more "
        "than a cell may (131072) (value 'xxxxxxxxxxxxxxxxxxxx...')"
    ]


@pytest.mark.parametrize("year", ["0000", "9999"])
def test_a_placeholder_year_is_a_located_problem(tmp_path: Path, year: str) -> None:
    spoil_contracts(tmp_path, f"K1,SID001,kmd,{year},1000,\n")
    assert problems(tmp_path) == [
        f"{tmp_path}/contracts.csv:2: column expires: not a date: year out of range "
        f"(1900-2999) (value '{year}')"
    ]


def test_a_placeholder_offer_date_is_a_usage_error(tmp_path: Path) -> None:
    write_portfolio(tmp_path, **tables())
    code, _out, err = run("plan", str(tmp_path), "--kombit-offer-date", "0000")
    assert code == 2
    assert "year out of range" in err


@pytest.mark.parametrize(
    ("char", "shown"), [("\x0b", "\\x0b"), ("\x07", "\\x07"), ("\x1b", "\\x1b")]
)
def test_a_control_character_in_a_cell_is_a_located_problem(
    tmp_path: Path, char: str, shown: str
) -> None:
    suppliers = [{"id": "kmd", "name": f"KMD{char}Sag", "ski": "02.19"}]
    write_portfolio(tmp_path, **tables(suppliers=suppliers))
    assert problems(tmp_path) == [
        f"{tmp_path}/suppliers.csv:2: column name: control character "
        f"U+{ord(char):04X} in the cell: remove it (value 'KMD{shown}Sag')"
    ]


def test_a_control_character_in_an_extra_column_is_reported_too(tmp_path: Path) -> None:
    suppliers = [{"id": "kmd", "name": "KMD", "kontakt": "a\x1b[31mb"}]
    write_portfolio(tmp_path, **tables(suppliers=suppliers))
    assert problems(tmp_path) == [
        f"{tmp_path}/suppliers.csv:2: column kontakt: control character U+001B in the cell: "
        "remove it (value 'a\\x1b[31mb')"
    ]


# --- item 25: near-miss headers, two files for one, a list naming a system twice ---------------


def test_a_misspelt_optional_header_is_a_warning_naming_the_column(tmp_path: Path) -> None:
    systems = [
        {"id": "kmd-dagpenge", "name": "KMD Dagpenge", "supplier": "kmd", "monopolly": "ja"},
        {"id": "kmd-udbetaling", "name": "KMD Udbetaling", "supplier": "kmd"},
    ]
    write_portfolio(tmp_path, **tables(systems=systems))
    loaded = load_portfolio(tmp_path)
    assert loaded.warnings == (
        f"{tmp_path}/systems.csv:1: column monopolly: unknown column; did you mean 'monopoly'? "
        "(kept as a property)",
    )
    code, _out, err = run("validate", str(tmp_path))
    assert code == 0
    assert err == (
        f"warning: {tmp_path}/systems.csv:1: column monopolly: unknown column; did you mean "
        "'monopoly'? (kept as a property)\n"
    )


def test_an_extra_column_unlike_any_known_one_is_kept_without_a_warning(tmp_path: Path) -> None:
    suppliers = [{"id": "kmd", "name": "KMD", "kontaktperson": "Lone"}]
    loaded = load_portfolio(write_portfolio(tmp_path, **tables(suppliers=suppliers)))
    assert loaded.warnings == ()
    assert loaded.supplier_by_id["kmd"].extra == {"kontaktperson": "Lone"}


def test_two_files_differing_only_in_case_are_a_problem(tmp_path: Path) -> None:
    write_portfolio(tmp_path, **tables())
    (tmp_path / "Systems.csv").write_bytes((tmp_path / "systems.csv").read_bytes())
    assert problems(tmp_path) == [
        f"{tmp_path}/Systems.csv: a second file for systems.csv (the first is 'systems.csv')"
    ]


def test_a_system_replaced_twice_in_one_list_is_a_warning(tmp_path: Path) -> None:
    systems = [
        *tables()["systems"],
        {
            "id": "ky",
            "name": "KY",
            "supplier": "kmd",
            "lifecycle": "to-be",
            "replaces": "kmd-dagpenge|kmd-dagpenge",
        },
    ]
    loaded = load_portfolio(write_portfolio(tmp_path, **tables(systems=systems)))
    assert loaded.warnings == (
        f"{tmp_path}/systems.csv:4: column replaces: names a system twice (value 'kmd-dagpenge')",
    )


def test_problems_carry_the_warnings_too(tmp_path: Path) -> None:
    systems = [
        {"id": "kmd-dagpenge", "name": "KMD Dagpenge", "supplier": "nobody", "monopolly": "ja"},
        {"id": "kmd-udbetaling", "name": "KMD Udbetaling", "supplier": "kmd"},
    ]
    write_portfolio(tmp_path, **tables(systems=systems))
    with pytest.raises(PortfolioError) as error:
        load_portfolio(tmp_path)
    assert error.value.lines() == [
        f"warning: {tmp_path}/systems.csv:1: column monopolly: unknown column; did you mean "
        "'monopoly'? (kept as a property)",
        f"{tmp_path}/systems.csv:2: column supplier: unknown supplier (value 'nobody')",
    ]


# --- fuzzing the CSV reader: a located problem or a portfolio, never an internal error ----------

_PIECES = st.sampled_from(
    ['"', '""', ",", ";", "\t", "\n", "\r\n", "\r", " ", "kmd", "SID001", "kmd-dagpenge", "ja",
     "2016", "0000", "9999-12-31", "=SUM(1)", "'=x", "\x00", "\x0b", "\x1b", "\u202e", "\ufeff",
     "æøå", "[/bold]", "x" * 300, "|", "??"]
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["suppliers", "systems", "interfaces", "usages", "contracts"]),
    pieces=st.lists(_PIECES, max_size=40),
    noise=st.binary(max_size=8),
)
def test_any_spoiled_csv_file_exits_0_or_1_never_3(
    tmp_path: Path, kind: str, pieces: list[str], noise: bytes
) -> None:
    folder = tmp_path / "fuzz"
    write_portfolio(folder, **tables())
    file = folder / f"{kind}.csv"
    file.write_bytes(file.read_bytes() + "".join(pieces).encode("utf-8") + noise)
    code, _out, err = run("validate", str(folder))
    assert code in (0, 1), err
    if code == 0:
        code, _out, err = run("overview", str(folder), "--format", "csv")
        assert code == 0, err


def test_duplicates_among_many_rows_are_each_found_once(tmp_path: Path) -> None:
    suppliers = [{"id": f"s{i}", "name": f"S{i}"} for i in range(3000)]
    suppliers += [{"id": "s17", "name": "again"}, {"id": "s2999", "name": "again"}]
    write_portfolio(tmp_path, **tables(suppliers=[*tables()["suppliers"], *suppliers]))
    assert problems(tmp_path) == [
        f"{tmp_path}/suppliers.csv:3003: column id: duplicate id, first on line 20 (value 's17')",
        f"{tmp_path}/suppliers.csv:3004: column id: duplicate id, first on line 3002 "
        "(value 's2999')",
    ]
