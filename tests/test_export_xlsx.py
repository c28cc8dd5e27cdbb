"""`snitgraf export --to xlsx`: a workbook for reading that reads back to the same portfolio."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

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
        "suppliers",
        "systems",
        "interfaces",
        "usages",
        "contracts",
        "municipalities",
        "deployments",
        "categories",
        "overview",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        assert sheet["A1"].font.bold
    contracts = book["contracts"]
    assert contracts["D2"].value == datetime(2017, 1, 1)
    assert contracts["D2"].number_format == "yyyy"
    assert contracts["D3"].value == datetime(2016, 12, 31)
    assert contracts["D3"].number_format == "yyyy-mm-dd"
    assert contracts["E2"].value == 1234.56
    assert book["systems"]["A1"].value == "id"
    assert book["suppliers"]["B3"].value == "=SUM"
    assert book["suppliers"]["B3"].data_type == "s"
    assert book["interfaces"].column_dimensions["B"].width == len("Modtag hændelse (TSA)") + 2


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
    assert prisme[:6] == ("KMD Dagpenge", prisme[1], datetime(2017, 1, 1), "X", "X", "X")


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
    assert "suppliers!B2: column name: 40000 characters" in result.stderr
    assert "internal error" not in result.stderr
    assert target.read_bytes() == b"precious"
