"""The transition commands through click's runner: gap, impact, plan, budget."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner, Result

from snitgraf.assessment import Assessment
from snitgraf.backends import Backend
from snitgraf.cli import cli
from snitgraf.problems import SnitgrafError
from tests.portfolios import SAMPLE, write_portfolio

SAMPLE_PATH = str(SAMPLE)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_gap_json_lists_every_interface_once() -> None:
    result = run("gap", SAMPLE_PATH, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == len({r["interface"] for r in rows}) == 39
    sid001 = next(r for r in rows if r["interface"] == "SID001")
    assert sid001["status"] == "repointed"
    assert sid001["moves"][0]["from"] == "kmd-dagpenge"
    assert sid001["moves"][0]["to"] == "ksd"
    assert sid001["contracts"][0]["id"] == "K-DP-UDBETALING"


def test_gap_csv_and_table() -> None:
    result = run("gap", SAMPLE_PATH, "--format", "csv")
    assert result.exit_code == 0
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert header[:6] == ["interface", "name", "data", "status", "category_as_is", "category_to_be"]
    table = run("gap", SAMPLE_PATH)
    assert table.exit_code == 0
    assert "SF0770_A" in table.stdout and "new" in table.stdout


def test_impact_json_on_the_sample() -> None:
    result = run("impact", SAMPLE_PATH, "kmd-dagpenge", "--replaced-by", "ksd", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["replaced_by"] == ["ksd"]
    assert [s["system"] for s in payload["affected_systems"]] == ["kmd-essentia"]
    assert payload["annual_cost_at_stake"]["total"]["known_dkk"] == 250000


def test_impact_by_name_with_depth_as_table_and_markdown() -> None:
    table = run("impact", SAMPLE_PATH, "KMD Dagpenge", "--depth", "1")
    assert table.exit_code == 0, table.output
    assert "Annual cost at stake: DKK 250,000/year (5 contracts)" in table.stdout
    assert "kmd-dagpenge -> SID270 -> kmd-essentia" in table.stdout
    markdown = run("impact", SAMPLE_PATH, "kmd-sag", "--format", "md")
    assert markdown.exit_code == 0
    assert "### Contracts" in markdown.stdout
    assert "| K-SAG-UKENDT | 2062 | kmd | ?? | ?? |" in markdown.stdout


def test_impact_of_an_unknown_system_names_the_closest() -> None:
    result = run("impact", SAMPLE_PATH, "kmd-dagpenges")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown system 'kmd-dagpenges'; closest: kmd-dagpenge")
    assert "Traceback" not in result.output


def test_impact_rejects_a_negative_depth() -> None:
    assert run("impact", SAMPLE_PATH, "kmd-sag", "--depth", "-1").exit_code == 2


def test_plan_csv_with_dates() -> None:
    args = ["--today", "2014-05-01", "--kombit-offer-date", "2018", "--format", "csv"]
    result = run("plan", SAMPLE_PATH, *args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["system"] == "KMD Sag"
    assert rows[0]["action"] == "find the contract"
    prisme = [r for r in rows if r["interface"] == "PRISME-POST" and r["action"].startswith("neg")]
    assert prisme[0]["actor"] == "kommune"
    assert "exception: contract K-DP-PRISME expires 2017" in prisme[0]["reasons"]


def test_plan_json_and_bad_dates() -> None:
    result = run("plan", SAMPLE_PATH, "--today", "01-05-2014", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["days_left"] == 0
    # Every portfolio date form is accepted; a year or month means its first day.
    year = run("plan", SAMPLE_PATH, "--today", "2014", "--format", "json")
    assert year.exit_code == 0, year.output
    first_day = run("plan", SAMPLE_PATH, "--today", "01.01.2014", "--format", "json")
    assert year.stdout == first_day.stdout
    bad = run("plan", SAMPLE_PATH, "--today", "??")
    assert bad.exit_code == 2
    assert "a date is needed" in bad.stderr
    assert run("plan", SAMPLE_PATH, "--kombit-offer-date", "snart").exit_code == 2


def test_budget_json_and_table() -> None:
    result = run("budget", SAMPLE_PATH, "--from", "2016", "--to", "2017", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["from_year"], payload["to_year"]) == (2016, 2017)
    kombit = [
        r
        for r in payload["rows"]
        if (r["year"], r["state"], r["payer"]) == (2017, "to-be", "KOMBIT")
    ]
    # KSD goes live 2017-06: KOMBIT pays 7 of the 12 months of 2017.
    assert kombit[0]["known_dkk"] == pytest.approx(85000 * 7 / 12, abs=0.01)
    assert kombit[0]["unknown_cost"] == ["K-SAG-UKENDT"]
    table = run("budget", SAMPLE_PATH, "--from", "2016", "--to", "2016", "--format", "md")
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].startswith("| year | state | payer | known_dkk |")


def test_budget_with_from_after_to_is_one_line() -> None:
    result = run("budget", SAMPLE_PATH, "--from", "2019", "--to", "2016")
    assert result.exit_code == 1
    assert result.stderr == "error: --from 2019 is after --to 2016\n"


def test_an_invalid_portfolio_exits_1(tmp_path: Path) -> None:
    folder = write_portfolio(
        tmp_path / "p", usages=[{"interface": "X", "system": "Y", "need": "must"}]
    )
    assert run("gap", str(folder)).exit_code == 1


def test_commands_say_in_one_line_when_a_backend_cannot_give_its_graph(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class GraphlessBackend(Backend):
        name = "graphless"

        @property
        def full_graph(self) -> nx.MultiDiGraph:
            raise SnitgrafError("the graphless backend holds no graph")

    def fake_open(*_args: Any, **_kwargs: Any) -> GraphlessBackend:
        return GraphlessBackend()

    monkeypatch.setattr("snitgraf.assessment.open_backend", fake_open)
    for command, extra in (("gap", []), ("plan", []), ("budget", []), ("impact", ["kmd-sag"])):
        result = run(command, "bolt://localhost:7687", *extra)
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr == "error: the graphless backend holds no graph\n"


def test_the_main_job_step_writes_plan_and_gap(tmp_path: Path) -> None:
    from snitgraf.render.transition_columns import write_transition

    with Assessment.open(SAMPLE_PATH, today=date(2014, 5, 1)) as assessment:
        written = write_transition(assessment, tmp_path)
    assert [p.name for p in written] == ["plan.csv", "gap.csv"]
    plan_rows = list(csv.DictReader(io.StringIO(written[0].read_text(encoding="utf-8-sig"))))
    assert (plan_rows[0]["system"], plan_rows[0]["action"]) == ("KMD Sag", "find the contract")
    gap_rows = list(csv.DictReader(io.StringIO(written[1].read_text(encoding="utf-8-sig"))))
    assert len(gap_rows) == 39


def test_budget_years_outside_the_calendar_are_a_usage_error() -> None:
    for option, year in (("--from", "-5"), ("--to", "99999")):
        result = run("budget", SAMPLE_PATH, option, year)
        assert result.exit_code == 2, (option, year, result.output)
        assert f"Invalid value for '{option}'" in result.stderr
        assert "Traceback" not in result.output
