"""What-if go-live dates (issue 16 §2): `--go-live SYSTEM=DATE` moves a replacer's go-live for
the run, every result assumes it, and every output says that a scenario is in force."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from snitgraf import i18n
from snitgraf.assessment import Assessment
from snitgraf.cli import cli
from snitgraf.render.tables import to_json_text
from snitgraf.scenario import ScenarioError, parse_go_live
from snitgraf.values import parse_date
from tests.portfolios import SAMPLE

TODAY = date(2015, 1, 1)
KSD_2019 = {"ksd": parse_date("2019-06")}
SCENARIO = (
    "Scenario: KSD – Kommunernes Sygedagpengesystem goes live 2019-06 (in the portfolio 2017-06)"
)
OVERRIDES = [
    {
        "system": "ksd",
        "name": "KSD – Kommunernes Sygedagpengesystem",
        "portfolio_go_live": "2017-06",
        "scenario_go_live": "2019-06",
    }
]


def _invoke(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def _run(*args: object) -> Result:
    result = _invoke(*args)
    assert result.exit_code == 0, result.output
    return result


def _json(*args: object) -> Any:
    return json.loads(_run(*args, "--format", "json").stdout)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _cards(html: str) -> dict[str, str]:
    """The report's key-figure cards: data-key -> the number shown."""
    from lxml import html as lxml_html

    page = lxml_html.fromstring(html)
    return {c.get("data-key"): c.xpath("string(b)").strip() for c in page.xpath("//div[@data-key]")}


def _assessment(**options: Any) -> Assessment:
    return Assessment.open(str(SAMPLE), today=TODAY, **options)


# --- every result assumes the scenario ------------------------------------------------------


def test_ksd_going_live_2019_06_moves_the_due_dates_of_its_plan_actions() -> None:
    with _assessment() as planned, _assessment(go_live=KSD_2019) as moved:
        before = {(a.group, a.action, a.interface): a for a in planned.plan}
        after = {(a.group, a.action, a.interface): a for a in moved.plan}
    at_go_live = [
        key
        for key, a in before.items()
        if a.group == "kmd-dagpenge" and a.action in ("negotiate", "establish")
    ]
    assert len(at_go_live) == 12
    assert {before[key].due for key in at_go_live} == {"2017-06"}
    assert {after[key].due for key in at_go_live} == {"2019-06"}
    assert {a.go_live for a in after.values() if a.group == "kmd-dagpenge"} == {"2019-06"}
    # KSD's later go-live leaves the municipal interface SID270 running longer: extend its
    # contract; the other monopoly systems' actions stay as they were.
    assert set(after) - set(before) == {("kmd-dagpenge", "extend-until-go-live", "SID270")}
    for key, action in before.items():
        if action.group == "kmd-sag":
            assert after[key].due == action.due


def test_ksd_going_live_2019_06_moves_the_budget_split_year() -> None:
    def udbetaling(budget: Any, year: int) -> dict[str, float]:
        return {
            row.payer: sum(
                i.annual_cost_dkk or 0 for i in row.items if i.contract == "K-DP-UDBETALING"
            )
            for row in budget.rows
            if row.year == year and row.state == "to-be" and row.payer != "total"
        }

    with _assessment() as planned, _assessment(go_live=KSD_2019) as moved:
        before, after = planned.budget, moved.budget
    assert udbetaling(before, 2017)["KOMBIT"] == pytest.approx(85000 * 7 / 12)
    assert udbetaling(before, 2018)["KOMBIT"] == 85000
    assert udbetaling(after, 2017).get("KOMBIT", 0) == 0
    assert udbetaling(after, 2018).get("KOMBIT", 0) == 0
    assert udbetaling(after, 2019)["kommune"] == pytest.approx(85000 * 5 / 12)
    assert udbetaling(after, 2019)["KOMBIT"] == pytest.approx(85000 * 7 / 12)
    reasons = {i.reason for row in after.rows if row.year == 2019 for i in row.items if i.reason}
    assert any("7 of 12 months from go-live (2019-06)" in r for r in reasons), reasons


def test_the_scenario_moves_the_report_timeline_impact_and_system_sections() -> None:
    from snitgraf.render.report import gather

    with _assessment() as planned, _assessment(go_live=KSD_2019) as moved:
        report = gather(moved)
        before = {c.contract.id: c for c in planned.impact("kmd-dagpenge").contracts}
        after = {c.contract.id: c for c in moved.impact("kmd-dagpenge").contracts}
        change = next(c for c in moved.changes if c.system == "kmd-dagpenge")
        order = [c.system for c in moved.changes]
    row = next(r for r in report.timeline if r.system == "kmd-dagpenge")
    assert row.go_live == change.go_live == "2019-06"
    assert order[-1] == "kmd-dagpenge"  # the latest go-live last
    # KMD Essentia's contract expires 2018: before a 2019-06 go-live, so it must be extended
    assert (before["K-DP-ESSENTIA"].actions, before["K-DP-ESSENTIA"].due) == (
        ("negotiate",),
        "2017-06",
    )
    assert after["K-DP-ESSENTIA"].actions == ("extend-until-go-live", "negotiate")
    assert after["K-DP-ESSENTIA"].due == "2018"
    assert report.to_json()["go_live_overrides"] == OVERRIDES


def test_without_go_live_nothing_changes() -> None:
    with _assessment() as plain, _assessment(go_live={}) as empty:
        assert not empty.scenario
        assert to_json_text(list(empty.plan)) == to_json_text(list(plain.plan))
        assert to_json_text(empty.budget) == to_json_text(plain.budget)
        assert empty.summary.to_json() == plain.summary.to_json()
        assert plain.summary.to_json()["go_live_overrides"] == []
    # the CLI prints what it always printed: a list, no scenario line
    plan = _run("plan", SAMPLE, "--today", "2015-01-01", "--format", "json").stdout
    assert isinstance(json.loads(plan), list)
    assert "go_live_overrides" not in _run("budget", SAMPLE, "--format", "json").stdout
    assert "Scenario" not in _run("budget", SAMPLE, "--format", "md").output


def test_a_go_live_the_portfolio_already_states_changes_no_result() -> None:
    with _assessment() as plain, _assessment(go_live={"ksd": parse_date("2017-06")}) as same:
        assert same.scenario.text().endswith("goes live 2017-06 (in the portfolio 2017-06)")
        assert to_json_text(list(same.plan)) == to_json_text(list(plain.plan))
        assert to_json_text(same.budget) == to_json_text(plain.budget)


# --- every output says it -------------------------------------------------------------------


def test_plan_budget_and_impact_state_the_scenario_in_every_format() -> None:
    go_live = ("--go-live", "ksd=2019-06")
    plan = _json("plan", SAMPLE, "--today", "2015-01-01", *go_live)
    assert plan["go_live_overrides"] == OVERRIDES
    assert {a["due"] for a in plan["actions"] if a["group"] == "kmd-dagpenge"} >= {"2019-06"}
    budget = _json("budget", SAMPLE, *go_live)
    assert budget["go_live_overrides"] == OVERRIDES and budget["rows"]
    impact = _json("impact", SAMPLE, "kmd-dagpenge", *go_live)
    assert impact["go_live_overrides"] == OVERRIDES
    assert impact["scenario"] == "planned"  # impact's own key keeps its meaning
    for command in (("plan", SAMPLE), ("budget", SAMPLE), ("impact", SAMPLE, "kmd-dagpenge")):
        assert _run(*command, *go_live).stdout.splitlines()[0] == SCENARIO
        assert _run(*command, *go_live, "--format", "md").stdout.startswith(f"**{SCENARIO}**\n")
    csv_run = _run("plan", SAMPLE, *go_live, "--format", "csv")
    assert csv_run.stdout.startswith("system,") and SCENARIO in csv_run.stderr


def test_every_output_of_analyse_states_the_scenario_and_agrees_with_summary(
    tmp_path: Path,
) -> None:
    go_live = ("--go-live", "ksd=2019-06")
    out = tmp_path / "out"
    printed = _run("analyse", SAMPLE, "--today", "2015-01-01", "--out", out, *go_live).stdout
    assert printed.splitlines()[0] == SCENARIO
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["go_live_overrides"] == OVERRIDES
    plan = _json("plan", SAMPLE, "--today", "2015-01-01", *go_live)["actions"]
    rows = _csv(out / "plan.csv")
    assert summary["plan_actions"] == len(plan) == len(rows) == 49
    assert [(r["interface"], r["due"]) for r in rows] == [(a["interface"], a["due"]) for a in plan]
    budget = _json("budget", SAMPLE, *go_live)
    for row in budget["rows"]:
        assert summary["budget"][row["state"]][str(row["year"])][row["payer"]] == row["known_dkk"]
    assert (
        summary["budget"]["to-be"]["2019"]["KOMBIT"] != summary["budget"]["to-be"]["2018"]["KOMBIT"]
    )
    html = (out / "report.html").read_text(encoding="utf-8")
    from lxml import html as lxml_html

    page = lxml_html.fromstring(html)
    first_screen = page.xpath("//section[@id='first-screen']")[0]
    assert first_screen.xpath("string(.//p[@id='scenario'])") == SCENARIO
    cards = _cards(html)
    assert int(cards["plan-actions"]) == summary["plan_actions"]
    assert int(cards["broken-needs"]) == summary["broken_needs"]
    for view in ("as-is", "to-be", "gap"):
        page_text = (out / f"{view}.html").read_text(encoding="utf-8")
        config = re.search(
            r'<script id="sg-config" type="application/json">(.*?)</script>', page_text
        )
        assert config is not None
        assert json.loads(config.group(1))["subtitle"].startswith(SCENARIO + " · "), view


def test_the_scenario_line_is_danish_by_default() -> None:
    i18n.set_language("da")
    with _assessment(go_live=KSD_2019) as moved:
        assert moved.scenario.text() == (
            "Scenarie: KSD – Kommunernes Sygedagpengesystem går i drift 2019-06 "
            "(i porteføljen 2017-06)"
        )


def test_go_live_takes_a_system_name_and_every_portfolio_date_form() -> None:
    for text, expected in (("2019", "2019"), ("2019-06", "2019-06"), ("01.06.2019", "2019-06-01")):
        plan = _json("plan", SAMPLE, "--go-live", f"KSD – Kommunernes Sygedagpengesystem={text}")
        assert plan["go_live_overrides"][0]["scenario_go_live"] == expected
        assert {a["go_live"] for a in plan["actions"] if a["group"] == "kmd-dagpenge"} == {expected}


def test_several_go_lives_move_several_systems() -> None:
    plan = _json("plan", SAMPLE, "--go-live", "ksd=2019-06", "--go-live", "sapa=2020")
    assert [o["system"] for o in plan["go_live_overrides"]] == ["ksd", "sapa"]
    assert {a["go_live"] for a in plan["actions"] if a["group"] == "kmd-sag"} == {"2020"}


# --- usage errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("ksd", "expected SYSTEM=DATE"),
        ("=2019", "expected SYSTEM=DATE"),
        ("ksd=snart", "not a date"),
        ("ksd=31.02.2019", "not a date"),
        ("ksd=??", "a date is needed"),
        ("nope=2019", "unknown system 'nope'"),
        ("kmd-aktiv=2019", "replaces no system and is not a TO-BE system"),
    ],
)
@pytest.mark.parametrize("command", ["plan", "budget", "report", "analyse", "impact"])
def test_a_bad_go_live_is_a_usage_error_naming_the_option_and_value(
    command: str, value: str, problem: str, tmp_path: Path
) -> None:
    out = ("--out", tmp_path / "x") if command in ("report", "analyse") else ()
    system = ("kmd-dagpenge",) if command == "impact" else ()
    result = _invoke(command, SAMPLE, *system, "--go-live", value, *out)
    assert result.exit_code == 2, result.output
    error = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1
    assert "--go-live" in error[0] and repr(value) in error[0] and problem in error[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "x").exists()


def test_a_system_given_twice_is_a_usage_error() -> None:
    by_id = _invoke("plan", SAMPLE, "--go-live", "ksd=2019", "--go-live", "ksd=2020")
    assert by_id.exit_code == 2 and "'ksd=2020'" in by_id.stderr
    by_name = _invoke(
        "impact",
        SAMPLE,
        "kmd-dagpenge",
        "--go-live",
        "ksd=2019",
        "--go-live",
        "KSD – Kommunernes Sygedagpengesystem=2020",
    )
    assert by_name.exit_code == 2 and "is given twice" in by_name.stderr


def test_the_library_names_the_system_as_given() -> None:
    with pytest.raises(ScenarioError) as raised:
        _assessment(go_live={"kmd-dagpenge": parse_date("2019")})
    assert raised.value.given == "kmd-dagpenge"
    with pytest.raises(ValueError, match="SYSTEM=DATE"):
        parse_go_live("2019-06")
    assert parse_go_live(" ksd = 2019-06") == ("ksd", parse_date("2019-06"))


def test_a_go_live_scenario_applies_to_one_municipality_s_view(tmp_path: Path) -> None:
    folder = tmp_path / "national"
    _run("generate", "--municipalities", "3", "--seed", "1", "--out", folder)
    code = _csv(folder / "municipalities.csv")[0]["code"]
    options = ("--municipality", code, "--today", "2018-01-01")
    planned = _json("plan", folder, *options)
    moved = _json("plan", folder, *options, "--go-live", "ksd=2022")
    assert moved["go_live_overrides"][0]["portfolio_go_live"] == "2020-06"
    assert {a["go_live"] for a in planned if a["group"] == "kmd-dagpenge"} == {"2020-06"}
    assert {a["go_live"] for a in moved["actions"] if a["group"] == "kmd-dagpenge"} == {"2022"}
    others = [a for a in planned if a["group"] == "kmd-sag"]
    assert others and others == [a for a in moved["actions"] if a["group"] == "kmd-sag"]
