"""Reading a portfolio from an .xlsx workbook: Danish names, Excel types, merged headers, errors."""

from __future__ import annotations

import tracemalloc
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from snitgraf.cli import cli
from snitgraf.io.workbook import read_workbook
from snitgraf.loader import load_portfolio
from snitgraf.problems import PortfolioError
from snitgraf.values import PartialDate


def _sheet(book: Workbook, title: str, rows: list[list[object]]):  # type: ignore[no-untyped-def]
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(row)
    return sheet


def danish_workbook(path: Path, usages: list[list[object]] | None = None) -> Path:
    """A small portfolio the way a Danish architect keeps it: Danish sheets and headers."""
    book = Workbook()
    book.remove(book.active)
    _sheet(book, "Leverandører", [["ID", "Navn", "SKI"], ["kmd", "KMD", "02.19"]])
    _sheet(
        book,
        "Systemer",
        [
            ["ID", "Navn", "Leverandør", "Monopol", "Livscyklus", "Idriftsættelse"],
            ["kmd-sag", "KMD Sag", "kmd", "ja", "as-is", None],
            ["opera", "KMD Opera", "kmd", "nej", None, None],
        ],
    )
    _sheet(
        book,
        "Snitflader",
        [
            ["ID", "Snitfladenavn", "System", "Data", "Nettoliste", "Bruttoliste", "Klippekort"],
            [2017, "Modtag hændelse (Non-TSA)", "opera", "haendelse", "1.2.1", 9, None],
        ],
    )
    _sheet(
        book,
        "Anvendelser",
        usages or [["Snitflade", "System", "Behov", "Retning"], ["2017", "kmd-sag", "skal", "Ind"]],
    )
    contracts = _sheet(
        book,
        "Kontrakter",
        [
            ["ID", "Snitflade", "Leverandør", "Udløbsdato på kontrakt", "Årlig pris"],
            ["K1", 2017, "kmd", datetime(2018, 1, 1), "120.000"],
            ["K2", 2017, "kmd", datetime(2016, 12, 31), 36000.0],
        ],
    )
    contracts["D2"].number_format = "yyyy"
    contracts["D3"].number_format = "dd-mm-yyyy"
    book["Snitflader"]["F2"].number_format = "00"
    book.save(path)
    return path


def test_danish_sheets_and_headers_load_as_the_portfolio(tmp_path: Path) -> None:
    portfolio = load_portfolio(danish_workbook(tmp_path / "kommune.xlsx"))
    assert [s.id for s in portfolio.suppliers] == ["kmd"]
    assert portfolio.suppliers[0].ski == "02.19"
    sag = portfolio.system_by_id["kmd-sag"]
    assert (sag.supplier, sag.monopoly, sag.lifecycle) == ("kmd", True, "as-is")
    interface = portfolio.interfaces[0]
    assert (interface.id, interface.provider, interface.data) == ("2017", "opera", "haendelse")
    assert (interface.nettoliste, interface.bruttoliste) == ("1.2.1", "09")
    usage = portfolio.usages[0]
    assert (usage.interface, usage.system, usage.need, usage.direction) == (
        "2017",
        "kmd-sag",
        "must",
        "in",
    )


def test_excel_dates_keep_the_precision_their_format_shows(tmp_path: Path) -> None:
    portfolio = load_portfolio(danish_workbook(tmp_path / "kommune.xlsx"))
    expires = {c.id: c.expires for c in portfolio.contracts}
    assert expires == {"K1": PartialDate(2018), "K2": PartialDate(2016, 12, 31)}


def test_numbers_stored_as_text_and_as_numbers_are_amounts(tmp_path: Path) -> None:
    portfolio = load_portfolio(danish_workbook(tmp_path / "kommune.xlsx"))
    assert {c.id: c.annual_cost_dkk for c in portfolio.contracts} == {
        "K1": 120000.0,
        "K2": 36000.0,
    }


def test_merged_title_merged_header_and_trailing_empty_rows_are_handled(tmp_path: Path) -> None:
    path = danish_workbook(tmp_path / "kommune.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book["Leverandører"]
    sheet.delete_rows(1, 2)
    sheet["A1"] = "Leverandører i Eksempel Kommune"
    sheet.merge_cells("A1:C1")
    sheet["A2"] = "ID"
    sheet["B2"] = "Navn"
    sheet["C2"] = "Aftale"
    sheet["C3"] = "SKI"
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.append(["kmd", "KMD", "02.19"])
    for row in range(5, 12):
        sheet.cell(row=row, column=1).value = None
        sheet.cell(row=row, column=2).value = "  "
    book.save(path)
    portfolio = load_portfolio(path)
    assert [(s.id, s.name, s.ski) for s in portfolio.suppliers] == [("kmd", "KMD", "02.19")]


def test_errors_name_sheet_cell_column_and_value(tmp_path: Path) -> None:
    path = danish_workbook(
        tmp_path / "kommune.xlsx",
        usages=[
            ["Snitflade", "System", "Behov"],
            ["2017", "kmd-sag", "skal"],
            ["2017", "opera", "måske"],
            ["2017", "kmd-sga", "skal"],
        ],
    )
    with pytest.raises(PortfolioError) as error:
        load_portfolio(path)
    assert error.value.lines() == [
        "Anvendelser!C3: column Behov: not a need (use must/skal or nice/kan/'vil værdsætte') "
        "(value 'måske')",
        "Anvendelser!B4: column system: unknown system; did you mean 'kmd-sag'? (value 'kmd-sga')",
    ]


def test_a_missing_sheet_and_a_missing_column_are_named(tmp_path: Path) -> None:
    path = danish_workbook(tmp_path / "kommune.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    del book["Kontrakter"]
    book["Snitflader"]["D1"] = "Indhold"
    book.save(path)
    with pytest.raises(PortfolioError) as error:
        load_portfolio(path)
    assert sorted(error.value.lines()) == [
        f"{path}: missing sheet contracts (or Kontrakter)",
        "Snitflader!A1:G1: column data: missing required column "
        "(value 'ID, Snitfladenavn, provider, Indhold, Nettoliste, Bruttoliste, Klippekort')",
    ]


def test_sheets_snitgraf_does_not_know_are_ignored(tmp_path: Path) -> None:
    path = danish_workbook(tmp_path / "kommune.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.create_sheet("Noter")["A1"] = "husk at ringe til KMD"
    book.save(path)
    tables, problems = read_workbook(path)
    assert sorted(tables) == ["contracts", "interfaces", "suppliers", "systems", "usages"]
    assert problems == []


def test_a_file_that_is_not_a_workbook_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "kommune.xlsx"
    path.write_text("ID;Navn\n", encoding="utf-8")
    with pytest.raises(PortfolioError) as error:
        load_portfolio(path)
    assert len(error.value.lines()) == 1
    assert error.value.lines()[0].startswith(f"{path}: not a readable .xlsx workbook")


def test_validate_command_reads_a_workbook(tmp_path: Path) -> None:
    path = danish_workbook(tmp_path / "kommune.xlsx")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{path}: valid: 1 suppliers, 2 systems, 1 interfaces, 1 data, 1 usages, 2 contracts\n"
    )


def test_the_seeds_broken_header_udlobs_dato_means_expires(tmp_path: Path) -> None:
    path = danish_workbook(tmp_path / "kommune.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["Kontrakter"]["D1"] = "Udløbs- dato på kontrakt"
    book["Kontrakter"]["E1"] = "Årlig pris (kr.)"
    book.save(path)
    portfolio = load_portfolio(path)
    assert [(c.id, str(c.expires), c.annual_cost_dkk) for c in portfolio.contracts] == [
        ("K1", "2018", 120000.0),
        ("K2", "2016-12-31", 36000.0),
    ]


# --- issue 15: corrupt workbooks, far stray cells, formulas without a value ---------------------


def _rewrite_member(path: Path, member: str, content: bytes) -> None:
    """The workbook with one zip member's bytes replaced."""
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members[member] = content
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)


@pytest.mark.parametrize(
    ("member", "content"),
    [
        ("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row r='1'><c r='A1'"),
        ("xl/worksheets/sheet1.xml", b"\x00\x01not xml"),
        ("xl/styles.xml", b"<styleSheet><cellXfs count='1'><xf numFmtId='x'/></cellXfs>"),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/_rels/workbook.xml.rels", b"garbage"),
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/sharedStrings.xml", b"<sst><si><t>only</t></si><si>"),
    ],
)
def test_a_corrupt_member_is_one_line_not_a_traceback(
    tmp_path: Path, member: str, content: bytes
) -> None:
    path = danish_workbook(tmp_path / "kommune.xlsx")
    _rewrite_member(path, member, content)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code in (0, 1), result.stderr
    assert "internal error" not in result.stderr
    if result.exit_code == 1:
        assert "Traceback" not in result.stderr


def test_a_truncated_workbook_is_not_a_readable_xlsx(tmp_path: Path) -> None:
    path = danish_workbook(tmp_path / "kommune.xlsx")
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(PortfolioError) as error:
        load_portfolio(path)
    assert len(error.value.lines()) == 1
    assert error.value.lines()[0].startswith(f"{path}: not a readable .xlsx workbook (")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    position=st.integers(min_value=0, max_value=10**6),
    garbage=st.binary(min_size=1, max_size=16),
)
def test_any_corrupted_workbook_exits_0_or_1_never_3(
    tmp_path: Path, position: int, garbage: bytes
) -> None:
    path = tmp_path / "kommune.xlsx"
    if not path.exists():
        danish_workbook(path)
    data = path.read_bytes()
    at = position % len(data)
    spoiled = tmp_path / "spoiled.xlsx"
    spoiled.write_bytes(data[:at] + garbage + data[at + len(garbage) :])
    result = CliRunner().invoke(cli, ["validate", str(spoiled)])
    assert result.exit_code in (0, 1), result.stderr


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    member=st.sampled_from(
        ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet3.xml", "xl/styles.xml", "xl/workbook.xml"]
    ),
    cut=st.integers(min_value=0, max_value=4000),
    garbage=st.binary(max_size=12),
)
def test_any_corrupted_member_exits_0_or_1_never_3(
    tmp_path: Path, member: str, cut: int, garbage: bytes
) -> None:
    path = tmp_path / "kommune.xlsx"
    if not path.exists():
        danish_workbook(path)
    spoiled = tmp_path / "spoiled.xlsx"
    spoiled.write_bytes(path.read_bytes())
    with zipfile.ZipFile(spoiled) as book:
        original = book.read(member)
    at = cut % (len(original) + 1)
    _rewrite_member(spoiled, member, original[:at] + garbage + original[at:])
    result = CliRunner().invoke(cli, ["validate", str(spoiled)])
    assert result.exit_code in (0, 1), result.stderr


@pytest.mark.parametrize("cell", ["Z1048576", "XFD1048576", "XFD2"])
def test_a_far_stray_cell_costs_no_more_than_the_cells_there_are(tmp_path: Path, cell: str) -> None:
    path = danish_workbook(tmp_path / "kommune.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["Systemer"][cell] = "x"
    book.save(path)
    tracemalloc.start()
    try:
        tables, problems = read_workbook(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problems == []
    assert [r.cells["ID"] for r in tables["systems"].rows if r.cells.get("ID")] == [
        "kmd-sag",
        "opera",
    ]
    assert peak < 64 * 2**20


def test_a_formula_without_a_cached_value_is_a_warning_with_its_address(tmp_path: Path) -> None:
    path = danish_workbook(tmp_path / "kommune.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["Kontrakter"]["E2"] = "=100000+20000"
    book.save(path)  # openpyxl stores no cached value: Excel never calculated it
    portfolio = load_portfolio(path)
    assert portfolio.contracts[0].annual_cost_dkk is None
    assert portfolio.warnings == (
        "Kontrakter!E2: column Årlig pris: a formula without a saved value reads as blank "
        "(open and save the workbook in Excel to calculate it) (value '=100000+20000')",
    )


def test_a_formula_with_a_cached_value_reads_the_value_without_a_warning(tmp_path: Path) -> None:
    path = danish_workbook(tmp_path / "kommune.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["Kontrakter"]["E2"] = "=100000+20000"
    book.save(path)
    with zipfile.ZipFile(path) as source:
        name = next(n for n in source.namelist() if b"<f>" in source.read(n))
        xml = source.read(name)
    _rewrite_member(
        path, name, xml.replace(b"<f>100000+20000</f><v></v>", b"<f>100000+20000</f><v>120000</v>")
    )
    portfolio = load_portfolio(path)
    assert portfolio.contracts[0].annual_cost_dkk == 120000.0
    assert portfolio.warnings == ()
