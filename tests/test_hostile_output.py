"""Hostile names reach every output as inert text: no formula, no markup, no hidden reordering."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from snitgraf.cli import cli
from snitgraf.io.csv_export import write_portfolio_folder
from snitgraf.loader import load_portfolio
from tests.portfolios import write_portfolio


def hostile(folder: Path, system_name: str, interface_name: str = "Udbetaling") -> Path:
    """One monopoly user of one interface; the user's name is the hostile text."""
    return write_portfolio(
        folder,
        suppliers=[{"id": "kmd", "name": "KMD", "ski": "02.19"}],
        systems=[
            {"id": "dp", "name": system_name, "supplier": "kmd", "monopoly": "ja"},
            {"id": "ud", "name": "KMD Udbetaling", "supplier": "kmd"},
        ],
        interfaces=[{"id": "I1", "name": interface_name, "provider": "ud", "data": "d"}],
        usages=[{"interface": "I1", "system": "dp", "need": "skal"}],
        contracts=[{"id": "K1", "interface": "I1", "supplier": "kmd", "expires": "2030"}],
    )


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", ["overview", "categorize", "plan"])
def test_a_name_with_rich_markup_is_printed_as_it_stands(tmp_path: Path, command: str) -> None:
    folder = hostile(tmp_path / "p", "[/bold] KMD Sag", "[link=https://evil.example]Klik[/link]")
    code, out, err = run(command, str(folder))
    assert (code, err) == (0, "")
    flat = " ".join(out.split())
    if command == "overview":
        assert "[/bold] KMD Sag" in flat or "[/bold] KMD" in flat
    assert "\x1b]8;" not in out  # no terminal hyperlink


def test_a_name_with_markup_is_escaped_in_every_rich_table_cell() -> None:
    from snitgraf.render.tables import Column, render

    text = render(["[red]x[/red]", "[/bold]"], [Column("[b]h", lambda r: r)], "table", "[i]t")
    assert "[red]x[/red]" in text
    assert "[/bold]" in text
    assert "[b]h" in text
    assert "[i]t" in text


FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_formula_name_is_neutralised_in_the_csv_output(tmp_path: Path, formula: str) -> None:
    folder = hostile(tmp_path / "p", formula, formula)
    code, out, _err = run("overview", str(folder), "--format", "csv")
    assert code == 0
    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
    assert f"'{formula}" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


@pytest.mark.parametrize("formula", FORMULAS)
def test_analyse_csvs_hold_no_formula(tmp_path: Path, formula: str) -> None:
    folder = hostile(tmp_path / "p", formula, formula)
    code, _out, err = run("analyse", str(folder), "--out", str(tmp_path / "out"))
    assert code == 0, err
    for name in ("categories.csv", "overview.csv", "gap.csv", "plan.csv"):
        text = (tmp_path / "out" / name).read_text(encoding="utf-8-sig")
        for row in csv.reader(io.StringIO(text)):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), (
                name,
                row,
            )


@pytest.mark.parametrize("formula", [*FORMULAS, "\tx", "'=already quoted"])
def test_a_written_portfolio_holds_no_formula_and_reads_back_the_same(
    tmp_path: Path, formula: str
) -> None:
    loaded = load_portfolio(hostile(tmp_path / "p", formula))
    write_portfolio_folder(loaded, tmp_path / "copy")
    text = (tmp_path / "copy" / "systems.csv").read_text(encoding="utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for cell in cells)
    again = load_portfolio(tmp_path / "copy")
    assert again.system_by_id["dp"].name == loaded.system_by_id["dp"].name


def test_bidi_controls_are_shown_visibly_in_the_terminal_and_csv(tmp_path: Path) -> None:
    folder = hostile(tmp_path / "p", "KMD \u202eSag", "Snit\u2066flade")
    code, out, _err = run("overview", str(folder))
    assert code == 0
    assert "\u202e" not in out and "KMD <U+202E>Sag" in " ".join(out.split())
    code, out, _err = run("overview", str(folder), "--format", "csv")
    assert "\u202e" not in out and "\u2066" not in out
    assert "KMD <U+202E>Sag" in out


def test_bidi_controls_are_shown_visibly_in_the_diagram_page(tmp_path: Path) -> None:
    folder = hostile(tmp_path / "p", "KMD \u202eSag")
    code, _out, err = run("analyse", str(folder), "--out", str(tmp_path / "out"))
    assert code == 0, err
    pages = list((tmp_path / "out").rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "\u202e" not in text, page.name


@pytest.mark.parametrize("name", ["see http:foo", "https://kmd.dk/sag", "HTTP://X"])
def test_a_name_holding_a_url_is_escaped_not_refused(tmp_path: Path, name: str) -> None:
    folder = hostile(tmp_path / "p", name, name)
    code, _out, err = run("analyse", str(folder), "--out", str(tmp_path / "out"))
    assert (code, err) == (0, "")
    code, _out, err = run("render", str(folder), "--out", str(tmp_path / "d.html"))
    assert (code, err) == (0, "")


# --- item 11: a municipality code never writes outside the output folder ------------------------


def test_a_municipality_code_with_a_path_stays_inside_the_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.portfolios import tables

    code = "../../escaped"
    base = tables()
    folder = write_portfolio(
        tmp_path / "work" / "p",
        **{
            **base,
            "municipalities": [{"code": code, "name": "Ude"}],
            "usages": [{**base["usages"][0], "municipality": code}],
        },
    )
    cwd = tmp_path / "work" / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(cli, ["render", str(folder), "--municipality", code])
    assert result.exit_code == 0, result.stderr
    written = sorted(p.name for p in (cwd / "visualizations").iterdir())
    assert written == ["as-is-.._.._escaped.html"]
    assert not list(tmp_path.rglob("escaped*"))


def test_file_stems_lose_every_path_character() -> None:
    from snitgraf.io.atomic import file_stem

    assert file_stem("../../../../tmp/x") == ".._.._.._.._tmp_x"
    assert file_stem("..") == "_"
    assert file_stem("0751") == "0751"
    assert file_stem("a\\b:c\x00") == "a_b_c_"


# --- item 2 and 12 through the commands ----------------------------------------------------------


def test_analyse_failing_to_move_one_output_keeps_every_old_one(tmp_path: Path) -> None:
    folder = hostile(tmp_path / "p", "KMD Dagpenge")
    out = tmp_path / "out"
    code, _out, err = run("analyse", str(folder), "--out", str(out))
    assert code == 0, err
    old = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (out / "report.html").unlink()
    (out / "report.html").mkdir()  # a folder where the last output goes
    del old["report.html"]
    (folder / "systems.csv").write_text(
        (folder / "systems.csv").read_text(encoding="utf-8").replace("KMD Dagpenge", "Ny"),
        encoding="utf-8",
    )
    code, _out, err = run("analyse", str(folder), "--out", str(out))
    assert code == 1
    assert "report.html: Is a directory" in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == old
    assert not list(out.glob(".snitgraf-staging-*"))


def test_export_to_a_device_is_refused(tmp_path: Path) -> None:
    folder = hostile(tmp_path / "p", "KMD Dagpenge")
    code, _out, err = run("export", str(folder), "--to", "xlsx", "--out", "/dev/null")
    assert code == 1
    assert "cannot write /dev/null: not a regular file" in err
