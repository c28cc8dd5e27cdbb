"""The core commands through click's runner: validate, categorize, overview, analyse, --version."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from snitgraf import __version__
from snitgraf.cli import cli
from tests.portfolios import SAMPLE, write_portfolio

ROOT = Path(__file__).resolve().parent.parent


def small(folder: Path) -> Path:
    """Three data keys: kombit-98 (with a contract), common-nice on SKI, and unclassified."""
    return write_portfolio(
        folder,
        suppliers=[
            {"id": "kmd", "name": "KMD", "ski": "02.19"},
            {"id": "formpipe", "name": "Formpipe"},
            {"id": "wb", "name": "Workbase-leverandør"},
        ],
        systems=[
            {"id": "kmd-dagpenge", "name": "KMD Dagpenge", "supplier": "kmd", "monopoly": "ja"},
            {"id": "kmd-udbetaling", "name": "KMD Udbetaling", "supplier": "kmd"},
            {"id": "kmd-opera", "name": "KMD Opera", "supplier": "kmd"},
            {"id": "workbase", "name": "Workbase", "supplier": "wb"},
            {"id": "acadre", "name": "Acadre (ESDH)", "supplier": "formpipe"},
        ],
        interfaces=[
            {
                "id": "SID001",
                "name": "KMD Udbetaling Batch",
                "provider": "kmd-udbetaling",
                "data": "udbetaling",
            },
            {
                "id": "OPERA-DP",
                "name": "KMD Opera ledighedsoplysninger",
                "provider": "kmd-opera",
                "data": "ledighed",
            },
            {
                "id": "WB-DP",
                "name": "Workbase ledighedsoplysninger",
                "provider": "workbase",
                "data": "ledighed",
            },
            {
                "id": "ACADRE-DP",
                "name": "Acadre journalisering",
                "provider": "acadre",
                "data": "esdh",
            },
        ],
        usages=[
            {"interface": "SID001", "system": "kmd-dagpenge", "need": "skal"},
            {"interface": "OPERA-DP", "system": "kmd-dagpenge", "need": "vil værdsætte"},
            {"interface": "ACADRE-DP", "system": "kmd-dagpenge", "need": "kan"},
        ],
        contracts=[
            {
                "id": "K-UDB",
                "interface": "SID001",
                "supplier": "kmd",
                "expires": "2016",
                "annual_cost_dkk": "85.000",
            },
        ],
    )


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr


# --- validate ------------------------------------------------------------------------------


def test_validate_prints_a_one_line_summary_of_a_valid_portfolio(tmp_path: Path) -> None:
    folder = small(tmp_path)
    result = invoke("validate", folder)
    assert result.exit_code == 0
    assert result.stdout == (
        f"{folder}: valid: 3 suppliers, 5 systems, 4 interfaces, 3 data, 3 usages, 1 contracts\n"
    )
    assert result.stderr == ""


def test_validate_prints_every_problem_on_stderr_and_exits_1(tmp_path: Path) -> None:
    folder = write_portfolio(
        tmp_path,
        suppliers=[{"id": "kmd", "name": "KMD"}],
        systems=[
            {"id": "a", "name": "A", "supplier": "kmd", "monopoly": "maybe"},
            {"id": "b", "name": "B", "supplier": "kdm"},
        ],
        contracts=[
            {"id": "K1", "interface": "nowhere", "supplier": "kmd"},
            {"id": "K2", "interface": "nowhere", "supplier": "kmd", "expires": "2017-02-30"},
        ],
    )
    result = invoke("validate", folder)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{folder}/systems.csv:2: column monopoly: not a boolean (use true/false, ja/nej, "
        "yes/no, 1/0 or x/blank) (value 'maybe')",
        f"{folder}/systems.csv:3: column supplier: unknown supplier; did you mean 'kmd'? "
        "(value 'kdm')",
        f"{folder}/contracts.csv:2: column interface: unknown interface (value 'nowhere')",
        f"{folder}/contracts.csv:3: column expires: not a date: day out of range "
        "(value '2017-02-30')",
        f"{folder}/contracts.csv:3: column interface: unknown interface (value 'nowhere')",
        f"{folder}: invalid portfolio: 5 problem(s)",
    ]
    no_traceback(result)


def test_validate_reports_a_missing_folder_and_exits_1(tmp_path: Path) -> None:
    result = invoke("validate", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path}/nowhere: no such folder or file",
        f"{tmp_path}/nowhere: invalid portfolio: 1 problem(s)",
    ]
    no_traceback(result)


@pytest.mark.parametrize("command", ["categorize", "overview", "analyse"])
def test_every_command_exits_1_on_invalid_data(tmp_path: Path, command: str) -> None:
    folder = write_portfolio(tmp_path / "p", systems=[{"id": "a", "name": "A", "supplier": "x"}])
    result = invoke(command, folder, *(["--out", tmp_path / "out"] if command == "analyse" else []))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{folder}/systems.csv:2: column supplier: unknown supplier (value 'x')",
        f"{folder}: invalid portfolio: 1 problem(s)",
    ]
    assert not (tmp_path / "out").exists()
    no_traceback(result)


# --- usage errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["nope"],
        ["validate"],
        ["categorize"],
        ["categorize", "{folder}", "--format", "xml"],
        ["overview", "{folder}", "--state", "someday"],
        ["overview", "{folder}", "--bogus"],
        ["validate", "{folder}", "extra-argument"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    folder = small(tmp_path)
    result = invoke(*(a.format(folder=folder) for a in args))
    assert result.exit_code == 2
    assert "Error:" in result.stderr
    assert result.stdout == ""
    no_traceback(result)


def test_version_option_prints_the_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"snitgraf, version {__version__}\n"


def test_python_dash_m_snitgraf_prints_the_version() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(
        [sys.executable, "-m", "snitgraf", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert completed.returncode == 0
    assert completed.stdout == f"snitgraf, version {__version__}\n"
    assert completed.stderr == ""


def test_help_lists_the_core_commands() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("validate", "categorize", "overview", "analyse"):
        assert f"  {command} " in result.stdout


# --- categorize ----------------------------------------------------------------------------


def test_categorize_json_has_one_object_per_interface(tmp_path: Path) -> None:
    result = invoke("categorize", small(tmp_path), "--format", "json")
    assert result.exit_code == 0
    objects: list[dict[str, Any]] = json.loads(result.stdout)
    assert [(o["interface"], o["category"]) for o in objects] == [
        ("ACADRE-DP", "unclassified"),
        ("OPERA-DP", "common-nice"),
        ("SID001", "kombit-98"),
        ("WB-DP", "common-nice"),
    ]
    required = {
        "interface",
        "name",
        "data",
        "category",
        "label",
        "negotiates",
        "signs",
        "pays",
        "suppliers",
        "must_users",
        "nice_users",
        "reasons",
    }
    for obj in objects:
        assert required <= obj.keys()
    sid001 = objects[2]
    assert {k: sid001[k] for k in required - {"reasons"}} == {
        "interface": "SID001",
        "name": "KMD Udbetaling Batch",
        "data": "udbetaling",
        "category": "kombit-98",
        "label": "98'-potentiale",
        "negotiates": "KOMBIT",
        "signs": "KOMBIT",
        "pays": "KOMBIT",
        "suppliers": ["kmd"],
        "must_users": ["kmd-dagpenge"],
        "nice_users": [],
    }
    assert sid001["reasons"][0] == (
        "must: monopoly system(s) must use data 'udbetaling': "
        "KMD Dagpenge (kmd-dagpenge, both) via SID001"
    )
    assert objects[1]["negotiates"] == "kommune (KOMBIT offers)"
    assert objects[1]["suppliers"] == ["kmd", "wb"]


def test_categorize_json_keeps_danish_letters(tmp_path: Path) -> None:
    result = invoke("categorize", small(tmp_path), "--format", "json")
    assert "Common need – several suppliers (nice)" in result.stdout
    assert "\\u00e6" not in result.stdout


def test_categorize_csv_has_a_header_and_one_row_per_interface(tmp_path: Path) -> None:
    result = invoke("categorize", small(tmp_path), "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == [
        "interface",
        "name",
        "data",
        "category",
        "label",
        "negotiates",
        "signs",
        "pays",
        "S",
        "suppliers",
        "must_users",
        "nice_users",
        "reasons",
    ]
    assert [r[:4] + r[5:12] for r in rows[1:]] == [
        [
            "ACADRE-DP",
            "Acadre journalisering",
            "esdh",
            "unclassified",
            "—",
            "—",
            "—",
            "1",
            "formpipe",
            "",
            "kmd-dagpenge",
        ],
        [
            "OPERA-DP",
            "KMD Opera ledighedsoplysninger",
            "ledighed",
            "common-nice",
            "kommune (KOMBIT offers)",
            "kommune",
            "kommune",
            "2",
            "kmd|wb",
            "",
            "kmd-dagpenge",
        ],
        [
            "SID001",
            "KMD Udbetaling Batch",
            "udbetaling",
            "kombit-98",
            "KOMBIT",
            "KOMBIT",
            "KOMBIT",
            "1",
            "kmd",
            "kmd-dagpenge",
            "",
        ],
        [
            "WB-DP",
            "Workbase ledighedsoplysninger",
            "ledighed",
            "common-nice",
            "kommune (KOMBIT offers)",
            "kommune",
            "kommune",
            "2",
            "kmd|wb",
            "",
            "kmd-dagpenge",
        ],
    ]
    assert rows[3][12].split("|")[-1].startswith("rule kombit-98 (98'-potentiale)")


def test_categorize_markdown_is_a_table(tmp_path: Path) -> None:
    result = invoke("categorize", small(tmp_path), "--format", "md")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "| interface | name | data | category | label | negotiates | signs | pays | S | "
        "suppliers | must_users | nice_users | reasons |"
    )
    assert lines[1] == "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    assert len(lines) == 6
    assert lines[3].startswith(
        "| OPERA-DP | KMD Opera ledighedsoplysninger | ledighed | common-nice | "
        "Common need – several suppliers (nice) | kommune (KOMBIT offers) | kommune "
        "| kommune | 2 | kmd\\|wb |  | kmd-dagpenge | "
    )


def test_categorize_table_is_the_default_format(tmp_path: Path) -> None:
    result = invoke("categorize", small(tmp_path))
    assert result.exit_code == 0
    assert "Categorisation of interfaces" in result.stdout
    for text in ("ACADRE-DP", "OPERA-DP", "SID001", "WB-DP", "kombit-98", "common-nice"):
        assert text in result.stdout
    assert "reasons" not in result.stdout


def test_categorize_counts_to_be_systems_whatever_state_is_shown(tmp_path: Path) -> None:
    folder = write_portfolio(
        tmp_path,
        suppliers=[{"id": "kmd", "name": "KMD"}],
        systems=[
            {"id": "p", "name": "P", "supplier": "kmd"},
            {"id": "q", "name": "Q", "supplier": "kmd", "lifecycle": "to-be"},
            {"id": "ky", "name": "KY", "supplier": "kmd", "monopoly": "ja", "lifecycle": "to-be"},
        ],
        interfaces=[
            {"id": "I", "name": "I", "provider": "p", "data": "d"},
            {"id": "J", "name": "J", "provider": "q", "data": "e"},
        ],
        usages=[{"interface": "I", "system": "ky", "need": "must"}],
    )

    def shown(*state: str) -> list[tuple[str, str]]:
        result = invoke("categorize", folder, "--format", "json", *state)
        assert result.exit_code == 0, result.output
        return [(o["interface"], o["category"]) for o in json.loads(result.stdout)]

    # KY (to-be) must use I: kombit-98 in every state; --state only chooses the rows shown.
    assert shown() == [("I", "kombit-98"), ("J", "municipal")]
    assert shown("--state", "all") == shown()
    assert shown("--state", "as-is") == [("I", "kombit-98")]


# --- overview ------------------------------------------------------------------------------


def test_overview_json_rows_hold_the_documented_keys(tmp_path: Path) -> None:
    result = invoke("overview", small(tmp_path), "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [
        {
            k: r[k]
            for k in (
                "system",
                "interface",
                "name",
                "expires",
                "ski",
                "kommune",
                "kombit",
                "category",
            )
        }
        for r in rows
    ] == [
        {
            "system": "kmd-dagpenge",
            "interface": "ACADRE-DP",
            "name": "Acadre journalisering",
            "expires": None,
            "ski": False,
            "kommune": False,
            "kombit": False,
            "category": "unclassified",
        },
        {
            "system": "kmd-dagpenge",
            "interface": "OPERA-DP",
            "name": "KMD Opera ledighedsoplysninger",
            "expires": None,
            "ski": True,
            "kommune": True,
            "kombit": False,
            "category": "common-nice",
        },
        {
            "system": "kmd-dagpenge",
            "interface": "SID001",
            "name": "KMD Udbetaling Batch",
            "expires": "2016",
            "ski": False,
            "kommune": False,
            "kombit": True,
            "category": "kombit-98",
        },
    ]
    assert rows[2]["annual_cost_dkk"] == 85000
    assert rows[2]["contract"] == "K-UDB"


def test_overview_csv_reproduces_the_seeds_columns(tmp_path: Path) -> None:
    result = invoke("overview", small(tmp_path), "--format", "csv")
    assert result.exit_code == 0
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        [
            "System",
            "Snitflade",
            "Udløbsdato på kontrakt",
            "SKI",
            "KOMMUNE",
            "KOMBIT",
            "category",
            "role",
            "contract",
        ],
        [
            "KMD Dagpenge",
            "ACADRE-DP Acadre journalisering",
            "??",
            "",
            "",
            "",
            "unclassified",
            "uses (nice)",
            "",
        ],
        [
            "KMD Dagpenge",
            "OPERA-DP KMD Opera ledighedsoplysninger",
            "??",
            "X",
            "X",
            "",
            "common-nice",
            "uses (nice)",
            "",
        ],
        [
            "KMD Dagpenge",
            "SID001 KMD Udbetaling Batch",
            "2016",
            "",
            "",
            "X",
            "kombit-98",
            "uses (must)",
            "K-UDB",
        ],
    ]


def test_overview_markdown_is_a_table(tmp_path: Path) -> None:
    result = invoke("overview", small(tmp_path), "--format", "md")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "| System | Snitflade | Udløbsdato på kontrakt | SKI | KOMMUNE | KOMBIT | category | "
        "role | contract |",
        "|---|---|---|---|---|---|---|---|---|",
        "| KMD Dagpenge | ACADRE-DP Acadre journalisering | ?? |  |  |  | unclassified | "
        "uses (nice) |  |",
        "| KMD Dagpenge | OPERA-DP KMD Opera ledighedsoplysninger | ?? | X | X |  | common-nice | "
        "uses (nice) |  |",
        "| KMD Dagpenge | SID001 KMD Udbetaling Batch | 2016 |  |  | X | kombit-98 | "
        "uses (must) | K-UDB |",
    ]


def test_overview_table_shows_the_seeds_headers(tmp_path: Path) -> None:
    result = invoke("overview", small(tmp_path), "--format", "table")
    assert result.exit_code == 0
    for text in (
        "Overview",
        "System",
        "Snitflade",
        "Udløbsdato på kontrakt",
        "SKI",
        "KOMMUNE",
        "KOMBIT",
        "SID001 KMD Udbetaling Batch",
    ):
        assert text in result.stdout


def test_overview_system_option_filters_rows(tmp_path: Path) -> None:
    folder = small(tmp_path)
    mine = json.loads(
        invoke("overview", folder, "--system", "kmd-dagpenge", "--format", "json").stdout
    )
    other = invoke("overview", folder, "--system", "kmd-opera", "--format", "json")
    assert len(mine) == 3
    assert other.exit_code == 0
    assert json.loads(other.stdout) == []


# --- analyse -------------------------------------------------------------------------------


def test_analyse_prints_a_summary_and_writes_both_csv_files(tmp_path: Path) -> None:
    folder = small(tmp_path / "p")
    out = tmp_path / "out"
    result = invoke("analyse", folder, "--out", out)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "4 interfaces: kombit-98 1, common-must 0, common-nice 2, municipal 0, unclassified 1",
        "gap: kept 4, repointed 0, retired 0, new 0; 0 broken need(s); 1 plan action(s)",
        "1 need a decision (unclassified):",
        "  ACADRE-DP Acadre journalisering: appreciated by kmd-dagpenge, S = 1 (formpipe)",
    ]
    assert {
        f"wrote {out}/summary.json",
        f"wrote {out}/categories.csv",
        f"wrote {out}/overview.csv",
    } <= set(lines[4:])
    assert all(line.startswith(f"wrote {out}/") for line in lines[4:])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["categories"] == {
        "kombit-98": 1,
        "common-must": 0,
        "common-nice": 2,
        "municipal": 0,
        "unclassified": 1,
    }
    categories = (out / "categories.csv").read_text(encoding="utf-8-sig")
    overview = (out / "overview.csv").read_text(encoding="utf-8-sig")
    assert categories == invoke("categorize", folder, "--format", "csv").stdout
    assert overview == invoke("overview", folder, "--format", "csv").stdout


def test_analyse_csv_files_open_in_danish_excel(tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke("analyse", small(tmp_path / "p"), "--out", out)
    assert (out / "categories.csv").read_bytes().startswith(b"\xef\xbb\xbfinterface,name,")
    assert (
        (out / "overview.csv")
        .read_bytes()
        .startswith("\ufeffSystem,Snitflade,Udløbsdato på kontrakt,".encode())
    )


def test_analyse_writes_into_visualizations_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = small(tmp_path / "p")
    monkeypatch.chdir(tmp_path)
    result = invoke("analyse", folder)
    assert result.exit_code == 0
    written = {p.name for p in (tmp_path / "visualizations").iterdir()}
    assert {"categories.csv", "overview.csv"} <= written


def test_analyse_without_unclassified_says_nothing_needs_a_decision(tmp_path: Path) -> None:
    folder = write_portfolio(
        tmp_path / "p",
        suppliers=[{"id": "kmd", "name": "KMD"}],
        systems=[{"id": "p", "name": "P", "supplier": "kmd"}],
        interfaces=[{"id": "I", "name": "I", "provider": "p", "data": "d"}],
    )
    result = invoke("analyse", folder, "--out", tmp_path / "out")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "1 interfaces: kombit-98 0, common-must 0, common-nice 0, municipal 1, unclassified 0"
    )
    assert "need a decision" not in result.stdout


def test_analyse_into_an_unwritable_place_is_a_one_line_error_not_an_internal_one(
    tmp_path: Path,
) -> None:
    folder = small(tmp_path / "p")
    blocker = tmp_path / "notes.txt"
    blocker.write_text("precious\n", encoding="utf-8")
    result = invoke("analyse", folder, "--out", blocker / "out")
    no_traceback(result)
    assert result.exit_code == 1
    assert "internal error" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "notes.txt" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "precious\n"


def test_an_os_error_while_writing_a_folder_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("precious\n", encoding="utf-8")
    model = tmp_path / "model.xml"
    assert (
        invoke("export", small(tmp_path / "p"), "--to", "archimate", "--out", model).exit_code == 0
    )
    result = invoke("import-archimate", model, "--out", blocker / "imported")
    no_traceback(result)
    assert result.exit_code == 1
    assert "internal error" not in result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert blocker.read_text(encoding="utf-8") == "precious\n"


def test_overview_of_an_unknown_system_is_an_error_with_the_closest_ids() -> None:
    result = invoke("overview", SAMPLE, "--system", "kmd-dagpnge")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown system 'kmd-dagpnge'")
    assert "kmd-dagpenge" in result.stderr


def test_overview_takes_a_system_by_its_exact_name() -> None:
    by_name = invoke("overview", SAMPLE, "--system", "KMD Sag", "--format", "json")
    by_id = invoke("overview", SAMPLE, "--system", "kmd-sag", "--format", "json")
    assert by_name.stdout == by_id.stdout
    assert '"kmd-sag"' in by_id.stdout


def test_a_failing_step_leaves_the_previous_outputs_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from snitgraf import jobs
    from snitgraf.problems import SnitgrafError

    folder = small(tmp_path / "p")
    out = tmp_path / "out"
    out.mkdir()
    (out / "categories.csv").write_text("last run\n", encoding="utf-8")

    def failing_step(_backend: Any, _out: Path) -> list[Path]:
        raise SnitgrafError("the disk is full")

    monkeypatch.setattr(jobs, "STEPS", [jobs.write_categories, failing_step])
    result = invoke("analyse", folder, "--out", out)
    assert result.exit_code == 1
    assert result.stderr == "error: the disk is full\n"
    assert [p.name for p in out.iterdir()] == ["categories.csv"]
    assert (out / "categories.csv").read_text(encoding="utf-8") == "last run\n"
