"""`snitgraf export --to xlsx`: a workbook for reading that reads back to the same portfolio."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from openpyxl import load_workbook

from snitgraf.cli import cli
from snitgraf.io.csv_export import write_portfolio_folder
from snitgraf.io.xlsx_export import write_xlsx
from snitgraf.loader import load_portfolio
from tests.portfolios import SAMPLE
from tests.roundtrip import awkward, build_drawn, content, small_portfolios


def test_csv_to_xlsx_to_csv_is_lossless_for_the_sample(tmp_path: Path) -> None:
    original = load_portfolio(SAMPLE)
    result = CliRunner().invoke(
        cli, ["export", str(SAMPLE), "--to", "xlsx", "--out", str(tmp_path / "p.xlsx")]
    )
    assert result.exit_code == 0, result.output
    from_xlsx = load_portfolio(tmp_path / "p.xlsx")
    write_portfolio_folder(from_xlsx, tmp_path / "again")
    assert content(load_portfolio(tmp_path / "again")) == content(original)
    assert content(from_xlsx) == content(original)


def test_csv_to_xlsx_to_csv_keeps_awkward_values(tmp_path: Path) -> None:
    original = awkward(tmp_path / "csv")
    CliRunner().invoke(
        cli, ["export", str(tmp_path / "csv"), "--to", "xlsx", "--out", str(tmp_path / "p.xlsx")]
    )
    from_xlsx = load_portfolio(tmp_path / "p.xlsx")
    assert content(from_xlsx) == content(original)
    write_portfolio_folder(from_xlsx, tmp_path / "again")
    assert content(load_portfolio(tmp_path / "again")) == content(original)
    assert str(from_xlsx.contract_by_id["K1"].expires) == "2017"
    assert from_xlsx.contract_by_id["K2"].annual_cost_dkk == 12.5


def test_workbook_is_formatted_for_reading(tmp_path: Path) -> None:
    awkward(tmp_path / "csv")
    target = tmp_path / "p.xlsx"
    CliRunner().invoke(cli, ["export", str(tmp_path / "csv"), "--to", "xlsx", "--out", str(target)])
    book = load_workbook(target)
    assert book.sheetnames == [
        "Suppliers",
        "Systems",
        "Interfaces",
        "Usages",
        "Contracts",
        "Municipalities",
        "Deployments",
        "categories",
        "overview",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        assert sheet["A1"].font.bold
    contracts = book["Contracts"]
    assert (contracts["D2"].value, contracts["D2"].number_format) == ("2017", "@")
    assert contracts["D2"].data_type == "s"
    assert contracts["D3"].value == datetime(2016, 12, 31)
    assert contracts["D3"].number_format == "yyyy-mm-dd"
    assert contracts["E2"].value == 1234.56
    assert book["Systems"]["A1"].value == "ID"
    assert [c.value for c in book["Contracts"][1]][:4] == ["ID", "Interface", "Supplier", "Expires"]
    assert book["Suppliers"]["B3"].value == "=SUM"
    assert book["Suppliers"]["B3"].data_type == "s"
    assert book["Interfaces"].column_dimensions["B"].width == len("Modtag hændelse (TSA)") + 2


def test_workbook_holds_categories_with_reasons_and_the_overview(tmp_path: Path) -> None:
    target = tmp_path / "p.xlsx"
    CliRunner().invoke(cli, ["export", str(SAMPLE), "--to", "xlsx", "--out", str(target)])
    book = load_workbook(target)
    categories = {row[0]: row for row in book["categories"].iter_rows(min_row=2, values_only=True)}
    headers = [c.value for c in book["categories"][1]]
    assert categories["SID001"][headers.index("category")] == "kombit-98"
    assert "rule kombit-98" in categories["SID001"][headers.index("reasons")]
    overview = list(book["overview"].iter_rows(values_only=True))
    assert overview[0][:6] == (
        "System",
        "Snitflade",
        "Udløbsdato på kontrakt",
        "SKI",
        "KOMMUNE",
        "KOMBIT",
    )
    prisme = next(r for r in overview if r[1] == "PRISME-POST Prisme (Øko) posteringer")
    assert prisme[:6] == ("KMD Dagpenge", prisme[1], "2017", "X", "X", "X")


def test_an_invalid_portfolio_writes_no_workbook(tmp_path: Path) -> None:
    portfolio_folder = tmp_path / "broken"
    from tests.portfolios import write_portfolio

    write_portfolio(portfolio_folder, systems=[{"id": "a", "name": "A", "supplier": "nobody"}])
    result = CliRunner().invoke(
        cli, ["export", str(portfolio_folder), "--to", "xlsx", "--out", str(tmp_path / "p.xlsx")]
    )
    assert result.exit_code == 1
    assert "column supplier: unknown supplier (value 'nobody')" in result.output
    assert not (tmp_path / "p.xlsx").exists()
    assert list(tmp_path.iterdir()) == [portfolio_folder]


@settings(max_examples=40, deadline=None)
@given(small_portfolios())
def test_any_text_survives_csv_to_xlsx_to_portfolio(drawn: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        original = build_drawn(folder / "csv", drawn)
        write_xlsx(original, folder / "p.xlsx")
        assert content(load_portfolio(folder / "p.xlsx")) == content(original)


def test_text_longer_than_an_excel_cell_is_refused_not_cut(tmp_path: Path) -> None:
    from tests.portfolios import write_portfolio

    folder = write_portfolio(
        tmp_path / "long", suppliers=[{"id": "s", "name": "S" * 40000}], systems=[]
    )
    target = tmp_path / "p.xlsx"
    target.write_bytes(b"precious")
    result = CliRunner().invoke(cli, ["export", str(folder), "--to", "xlsx", "--out", str(target)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "Suppliers!B2: column name: 40000 characters" in result.stderr
    assert "internal error" not in result.stderr
    assert target.read_bytes() == b"precious"


# --- as people type: years stay years, pick lists, Danish names ---------------------------------


def _export(folder: Path, target: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(folder), "--to", "xlsx", "--out", str(target)])
    assert result.exit_code == 0, result.output


def test_a_year_typed_over_an_exported_year_stays_a_year(tmp_path: Path) -> None:
    awkward(tmp_path / "csv")
    target = tmp_path / "p.xlsx"
    _export(tmp_path / "csv", target)
    book = load_workbook(target)
    cell = book["Contracts"]["D2"]
    assert cell.number_format == "@"
    cell.value = "2019"  # what Excel stores when 2019 is typed into a Text cell
    book["Systems"]["G3"].value = "2018-09"  # a month typed over the month 2016-03
    book.save(target)
    reread = load_portfolio(target)
    assert str(reread.contract_by_id["K1"].expires) == "2019"
    assert str(reread.system_by_id["sapa"].go_live) == "2018-09"


def test_a_year_typed_into_a_date_cell_is_refused_with_the_cell_address(tmp_path: Path) -> None:
    awkward(tmp_path / "csv")
    target = tmp_path / "p.xlsx"
    _export(tmp_path / "csv", target)
    book = load_workbook(target)
    book["Contracts"]["D3"].value = 2019  # typed into a yyyy-mm-dd cell: day 2019 = 11 July 1905
    book["Contracts"]["D3"].number_format = "yyyy-mm-dd"
    book["Systems"]["G3"].value = datetime(1905, 7, 11)
    book["Systems"]["G3"].number_format = "yyyy"  # an old export's year cell, typed over
    book.save(target)
    result = CliRunner().invoke(cli, ["validate", str(target)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        "Systems!G3: column Go live: a date in 1905 where a year stood: Excel keeps a year typed "
        "into a date cell as that day number (2019 is 1905-07-11); type the year into a cell "
        "formatted as text (value '1905-07-11')"
    ) in lines
    assert any(line.startswith("Contracts!D3: column Expires: a date in 1905") for line in lines)


def test_need_lifecycle_monopoly_and_ids_of_other_sheets_are_pick_lists(tmp_path: Path) -> None:
    awkward(tmp_path / "csv")
    target = tmp_path / "p.xlsx"
    _export(tmp_path / "csv", target)
    book = load_workbook(target)

    def lists(sheet: str) -> dict[str, str]:
        found = {}
        for validation in book[sheet].data_validations.dataValidation:
            assert validation.type == "list"
            for cells in validation.sqref.ranges:
                header = book[sheet].cell(row=1, column=cells.min_col).value
                found[header] = validation.formula1
        return found

    assert lists("Systems") == {
        "Supplier": "'Suppliers'!$A$2:$A$1048576",
        "Monopoly": '"yes,no"',
        "Lifecycle": '"as-is,to-be,both"',
    }
    assert lists("Usages") == {
        "Interface": "'Interfaces'!$A$2:$A$1048576",
        "System": "'Systems'!$A$2:$A$1048576",
        "Need": '"must,nice"',
        "Direction": '"in,out"',
        "Municipality": "'Municipalities'!$A$2:$A$1048576",
    }
    assert lists("Interfaces") == {"Provider": "'Systems'!$A$2:$A$1048576"}
    assert load_portfolio(target).counts() == awkward(tmp_path / "again").counts()


def test_sheet_names_and_headers_follow_the_language_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from snitgraf.io import xlsx_export

    danish = {
        "Suppliers": "Leverandører",
        "Systems": "Systemer",
        "Interfaces": "Snitflader",
        "Usages": "Anvendelser",
        "Contracts": "Kontrakter",
        "Municipalities": "Kommuner",
        "Deployments": "Udrulninger",
        "Name": "Navn",
        "Supplier": "Leverandør",
        "Provider": "Udbyder",
        "Need": "Behov",
        "Expires": "Udløbsdato",
        "Monopoly": "Monopol",
        "Data": "Datanøgle",  # a translation the reader would not know: the column name stays
        "yes": "ja",
        "no": "nej",
    }
    monkeypatch.setattr(xlsx_export, "_", lambda text: danish.get(text, text))
    original = awkward(tmp_path / "csv")
    target = tmp_path / "p.xlsx"
    _export(tmp_path / "csv", target)
    book = load_workbook(target)
    assert book.sheetnames[:5] == ["Leverandører", "Systemer", "Snitflader", "Anvendelser",
                                   "Kontrakter"]  # fmt: skip
    assert [c.value for c in book["Snitflader"][1]][:4] == ["ID", "Navn", "Udbyder", "data"]
    assert book["Systemer"]["D2"].value == "ja" or book["Systemer"]["D2"].value is True
    assert content(load_portfolio(target)) == content(original)
