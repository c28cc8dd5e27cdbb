"""import-kmd: the seed's KMD lists merged into portfolios, never overwriting what they say."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from snitgraf.cli import cli
from snitgraf.io.kmd import merge_kmd_list, read_kmd_list
from snitgraf.loader import load_portfolio
from snitgraf.problems import PortfolioError, SnitgrafError
from tests.portfolios import SAMPLE, write_portfolio
from tests.shared_files import shared_file

SEED = "seeds/000_2f336d7b64bf9e85.txt"

LISTS = {
    # the seed's tables, by first id, and the monopoly system each belongs to
    "SID001": "kmd-dagpenge",
    "SID265": "kmd-dagpenge",
    "SID153": "kmd-aktiv",
    "2058": "kmd-sag",
    "2008": "kmd-sag",
}


def seed_tables() -> dict[str, list[str]]:
    """Each distinct tab-separated KMD table of the seed, keyed by its first id."""
    tables: dict[str, list[str]] = {}
    current: list[str] | None = None
    seed = shared_file(SEED, "the seed text with KMD's interface tables")
    for line in seed.read_text(encoding="utf-8").splitlines():
        if re.match(r"^(ID\t|SID\d+\t|\d{4}\t)", line):
            if current is None:
                current = []
            current.append(line)
        elif current is not None:
            body = current[1:] if current[0].startswith("ID\t") else current
            tables.setdefault(body[0].split("\t")[0], current)
            current = None
    return tables


def seed_list(folder: Path, first_id: str) -> Path:
    path = folder / f"kmd-{first_id}.csv"
    path.write_text("\n".join(seed_tables()[first_id]) + "\n", encoding="utf-8")
    return path


def fresh(folder: Path) -> Path:
    """A portfolio that only knows the three monopoly systems."""
    return write_portfolio(
        folder,
        suppliers=[{"id": "kmd", "name": "KMD"}],
        systems=[
            {"id": sid, "name": name, "supplier": "kmd", "monopoly": "ja"}
            for sid, name in (
                ("kmd-aktiv", "KMD Aktiv"),
                ("kmd-dagpenge", "KMD Dagpenge"),
                ("kmd-sag", "KMD Sag"),
            )
        ],
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_seed_holds_five_distinct_lists() -> None:
    assert sorted(seed_tables()) == sorted(LISTS)


def test_reads_the_seeds_three_list_formats(tmp_path: Path) -> None:
    plain = read_kmd_list(seed_list(tmp_path, "SID001"))
    assert [(r.id, r.name, r.system) for r in plain][:2] == [
        ("SID001", "KMD Udbetaling Batch", "KMD Udbetaling"),
        ("SID006", "KMD OPUS (/KMD ØS) posteringer", "KMD ØS"),
    ]
    assert (plain[0].nettoliste, plain[0].bruttoliste, plain[0].klippekort) == (
        "1.1.5",
        "09",
        "G68",
    )
    short = read_kmd_list(seed_list(tmp_path, "SID265"))
    assert [(r.id, r.system, r.direction) for r in short][-1] == ("SID270", "KMD Essentia", None)
    sag = read_kmd_list(seed_list(tmp_path, "2008"))
    first = sag[0]
    assert (first.id, first.system, first.direction, first.group) == (
        "2008",
        "KMD Social Pension",
        "in",
        "1a",
    )
    assert (first.nettoliste, first.klippekort) == ("1.1.1", "P11-3")
    udstil = read_kmd_list(seed_list(tmp_path, "2058"))
    assert [r.direction for r in udstil] == ["out", "out", "out", "in", "out", "in", None]


def test_every_seed_list_merges_into_a_fresh_portfolio(tmp_path: Path) -> None:
    folder = fresh(tmp_path / "p")
    created = []
    for first_id, system in LISTS.items():
        result = merge_kmd_list(seed_list(tmp_path, first_id), system, folder)
        assert result.conflicts == []
        created += [sid for sid, _name in result.created_systems]
    assert created == [
        "kmd-udbetaling", "kmd-oes", "kmd-indkomst",
        "ams", "skat", "atp", "kmd-essentia",
        "kmd-boligstoette",
        "kmd-boernefamilie-ydelse", "kmd-social-pension", "opus-debitor", "p-data",
        "brugerdata-kbh",
        "kmd-underholdsbidrag", "kmd-bolig-anvisning", "kmd-boern-og-voksne",
        "kmd-hjaelpebidrag", "kmd-institution", "kmd-klient-betaling", "kmd-opera",
    ]  # fmt: skip
    p = load_portfolio(folder)
    assert len(p.interfaces) == 4 + 6 + 6 + 7 + 8
    assert p.supplier_by_id["ukendt"].name == "Ukendt leverandør (udfyldes)"
    assert p.system_by_id["kmd-oes"].supplier == "ukendt"
    uses = {(u.interface, u.system): (u.need, u.direction) for u in p.usages}
    assert p.interface_by_id["SID001"].provider == "kmd-udbetaling"
    assert uses[("SID001", "kmd-dagpenge")] == ("must", None)
    assert p.interface_by_id["SID174"].provider == "kmd-indkomst"  # 'KMD Indkomst /eIndkomst'
    assert p.interface_by_id["SID153"].provider == "kmd-aktiv"  # the list names itself
    assert not [u for u in p.usages if u.interface == "SID153"]
    assert p.interface_by_id["2058"].provider == "kmd-sag"  # 'Udstil': KMD Sag exposes it
    assert uses[("2058", "kmd-boernefamilie-ydelse")] == ("must", "in")
    assert p.interface_by_id["2008"].provider == "kmd-social-pension"
    assert p.interface_by_id["2008"].extra == {"listegruppe": "1a"}
    assert uses[("2008", "kmd-sag")] == ("must", "in")
    assert p.interface_by_id["2008"].data == p.interface_by_id["2009"].data


def test_reimporting_a_list_changes_nothing(tmp_path: Path) -> None:
    folder = fresh(tmp_path / "p")
    for first_id, system in LISTS.items():
        merge_kmd_list(seed_list(tmp_path, first_id), system, folder)
    before = snapshot(folder)
    for first_id, system in LISTS.items():
        result = merge_kmd_list(seed_list(tmp_path, first_id), system, folder)
        assert (result.added_interfaces, result.added_usages, result.written) == ([], [], [])
        assert result.unchanged == result.rows
    assert snapshot(folder) == before


def test_the_seed_lists_agree_with_the_sample_but_for_three_reported_rows(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    before = snapshot(folder)
    conflicts = []
    for first_id, system in LISTS.items():
        path = seed_list(tmp_path, first_id)
        result = merge_kmd_list(path, system, folder)
        conflicts += [str(c).replace(str(tmp_path) + "/", "") for c in result.conflicts]
    assert conflicts == [
        "kmd-SID265.csv:6: column provider: the portfolio says 'kmd-dagpenge'; row not imported "
        "(value 'kmd-essentia')",
        "kmd-SID153.csv:1: column name: the portfolio says 'Specifikke bestilte kommuneudtræk'; "
        "row not imported (value 'Specikke bestilte kommuneudtræk')",
        "kmd-2058.csv:7: column provider: the portfolio says 'kmd-sag'; row not imported "
        "(value 'brugerdata-kbh')",
    ]
    assert snapshot(folder) == before


def test_a_conflicting_row_is_reported_and_the_rest_merged(tmp_path: Path) -> None:
    folder = fresh(tmp_path / "p")
    merge_kmd_list(seed_list(tmp_path, "SID001"), "kmd-dagpenge", folder)
    interfaces = folder / "interfaces.csv"
    interfaces.write_text(
        interfaces.read_text(encoding="utf-8-sig").replace("KMD Udbetaling Batch", "Udbetaling"),
        encoding="utf-8",
    )
    result = merge_kmd_list(seed_list(tmp_path, "SID001"), "kmd-aktiv", folder)
    assert [str(c).split(": ", 1)[1] for c in result.conflicts] == [
        "column name: the portfolio says 'Udbetaling'; row not imported "
        "(value 'KMD Udbetaling Batch')"
    ]
    assert result.added_usages == [
        ("SID006", "kmd-aktiv"),
        ("SID026", "kmd-aktiv"),
        ("SID027", "kmd-aktiv"),
    ]
    assert load_portfolio(folder).interface_by_id["SID001"].name == "Udbetaling"


def test_appending_keeps_the_files_dialect(tmp_path: Path) -> None:
    folder = fresh(tmp_path / "p")
    (folder / "usages.csv").write_bytes("snitflade;system;behov\r\n".encode("cp1252"))
    merge_kmd_list(seed_list(tmp_path, "SID001"), "kmd-dagpenge", folder, need="must")
    text = (folder / "usages.csv").read_bytes().decode("cp1252")
    assert text.splitlines()[:2] == ["snitflade;system;behov", "SID001;kmd-dagpenge;must"]
    assert "\r\n" in text


def test_nothing_is_written_when_one_file_cannot_take_the_rows(tmp_path: Path) -> None:
    folder = fresh(tmp_path / "p")
    (folder / "systems.csv").write_bytes(
        "id,name,supplier,monopoly\nkmd-dagpenge,KMD Dagpenge,kmd,ja\n".encode("cp1252")
        + "kmd-æ,Æ,kmd,nej\n".encode("cp1252")
    )
    listed = tmp_path / "list.csv"
    listed.write_text("ID;Snitfladenavn;System\nX1;Første;Ny → system\n", encoding="utf-8")
    before = snapshot(folder)
    with pytest.raises(SnitgrafError, match="cannot write '→'"):
        merge_kmd_list(listed, "kmd-dagpenge", folder)
    assert snapshot(folder) == before


def test_an_xlsx_list_with_a_title_row_reads_like_the_csv(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Snitflader til KMD Sag"])
    for line in seed_tables()["2008"]:
        cells: list[object] = line.split("\t")
        cells[0] = int(str(cells[0]))
        sheet.append(cells)
    book.save(tmp_path / "sag.xlsx")
    from_xlsx = read_kmd_list(tmp_path / "sag.xlsx")
    from_csv = read_kmd_list(seed_list(tmp_path, "2008"))
    assert [r.where for r in from_xlsx][:1] == ["Sheet!A2:G2"]
    strip = [(r.id, r.name, r.system, r.direction, r.group, r.nettoliste) for r in from_xlsx]
    assert strip == [(r.id, r.name, r.system, r.direction, r.group, r.nettoliste) for r in from_csv]


def test_a_bad_direction_names_the_row(tmp_path: Path) -> None:
    listed = tmp_path / "list.csv"
    listed.write_text("2008;Modtag;KMD Opera;Indad;1a\n", encoding="utf-8")
    with pytest.raises(PortfolioError) as error:
        read_kmd_list(listed)
    assert error.value.lines() == [
        f"{listed}:1: column direction: not a direction (use Ind or Ud) (value 'Indad')"
    ]


def test_cli_lists_new_systems_and_conflicts(tmp_path: Path) -> None:
    folder = fresh(tmp_path / "p")
    path = seed_list(tmp_path, "SID265")
    result = CliRunner().invoke(
        cli, ["import-kmd", str(path), "--for", "kmd-dagpenge", "--into", str(folder)]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        f"{path}: 6 rows: added 6 interfaces, 6 usages, 4 systems; 0 unchanged; 0 conflicts"
    )
    assert lines[1] == "new system ams (AMS): complete its supplier and monopoly"
    unknown = CliRunner().invoke(
        cli, ["import-kmd", str(path), "--for", "kmd-dp", "--into", str(folder)]
    )
    assert unknown.exit_code == 1
    assert unknown.output == (
        f"error: --for kmd-dp: no such system in {folder} "
        "(the monopoly system the list belongs to)\n"
    )


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    folder = fresh(tmp_path / "p")
    before = snapshot(folder)
    result = merge_kmd_list(seed_list(tmp_path, "SID001"), "kmd-dagpenge", folder, dry_run=True)
    assert len(result.added_interfaces) == 4
    assert snapshot(folder) == before


def test_a_sag_list_with_named_columns_reads_direction_and_group(tmp_path: Path) -> None:
    listed = tmp_path / "sag.csv"
    listed.write_text(
        "ID;Snitfladenavn;System;Retning;Listegruppe;Nettoliste;Klippekort\n"
        "2011;Modtag hændelse (Non-TSA);KMD Bolig anvisning;Ud;1b;1.2.1;\n",
        encoding="cp1252",
    )
    (row,) = read_kmd_list(listed)
    assert (row.id, row.system, row.direction, row.group, row.nettoliste) == (
        "2011",
        "KMD Bolig anvisning",
        "out",
        "1b",
        "1.2.1",
    )
    folder = fresh(tmp_path / "p")
    merge_kmd_list(listed, "kmd-sag", folder)
    p = load_portfolio(folder)
    assert p.interface_by_id["2011"].provider == "kmd-sag"  # Ud: KMD Sag provides it
    assert [(u.system, u.direction) for u in p.usages] == [("kmd-bolig-anvisning", "in")]


def test_a_list_into_a_new_folder_creates_the_portfolio(tmp_path: Path) -> None:
    folder = tmp_path / "ny"
    result = CliRunner().invoke(
        cli,
        ["import-kmd", str(seed_list(tmp_path, "SID001")), "--for", "kmd-dagpenge",
         "--into", str(folder)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    portfolio = load_portfolio(folder)
    dagpenge = portfolio.system_by_id["kmd-dagpenge"]
    assert (dagpenge.supplier, dagpenge.monopoly, dagpenge.lifecycle) == ("kmd", True, "as-is")
    assert portfolio.counts()["usages"] == len(seed_tables()["SID001"]) - 1
    assert sorted(p.name for p in folder.iterdir()) == [
        "contracts.csv", "interfaces.csv", "suppliers.csv", "systems.csv", "usages.csv",
    ]  # fmt: skip
    assert "note: " in result.output and "a new portfolio: kmd-dagpenge" in result.output


def test_a_list_into_an_empty_folder_creates_the_portfolio_and_a_dry_run_does_not(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "tom"
    folder.mkdir()
    merge_kmd_list(seed_list(tmp_path, "SID001"), "kmd-dagpenge", folder, dry_run=True)
    assert list(folder.iterdir()) == []
    merge_kmd_list(seed_list(tmp_path, "SID001"), "kmd-dagpenge", folder)
    assert load_portfolio(folder).system_by_id["kmd-dagpenge"].monopoly


def test_the_placeholder_supplier_and_the_default_need_are_named_assumptions(
    tmp_path: Path,
) -> None:
    folder = fresh(tmp_path / "p")
    merge_kmd_list(seed_list(tmp_path, "SID001"), "kmd-dagpenge", folder)
    portfolio = load_portfolio(folder)
    assert portfolio.supplier_by_id["ukendt"].assumptions == ("placeholder-supplier",)
    assert {u.assumptions for u in portfolio.usages} == {("need-default-must",)}
    chosen = fresh(tmp_path / "q")
    merge_kmd_list(seed_list(tmp_path, "SID001"), "kmd-dagpenge", chosen, need="must")
    assert {u.assumptions for u in load_portfolio(chosen).usages} == {()}
