"""One Assessment per run (issue 11): categories decided on the whole transition, impact, gap
and plan agreeing, broken needs named and planned, and every output of `analyse` showing the
numbers of summary.json."""

from __future__ import annotations

import ast
import csv
import json
import random
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from snitgraf.cli import cli
from tests.portfolios import SAMPLE, write_portfolio

TODAY = "2015-01-01"
PACKAGE = Path(__file__).resolve().parent.parent / "snitgraf"


def _run(*args: str) -> str:
    """Run a snitgraf command in-process; it must succeed."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _json(*args: str) -> Any:
    return json.loads(_run(*args, "--format", "json"))


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _suppliers(*ids: str) -> list[dict[str, str]]:
    return [{"id": s, "name": s.upper()} for s in ids]


def _system(sid: str, supplier: str, **extra: object) -> dict[str, object]:
    return {"id": sid, "name": sid.upper(), "supplier": supplier, **extra}


# --- 1. categories on the whole transition -----------------------------------------------


def ky_portfolio(folder: Path) -> Path:
    """KY (to-be monopoly, replaces KMD Aktiv, 2017) must use the posting interfaces of OPUS
    and Prisme; SAPA (to-be monopoly) would like Acadre's journal, which SBSYS also offers.

    KMD Aktiv must use OPUS-BUDGET (one supplier) and has a contract on it: repointed to KY."""
    return write_portfolio(
        folder,
        suppliers=_suppliers("kmd", "fujitsu", "eg", "netcompany", "formpipe", "sbsys"),
        systems=[
            _system("kmd-aktiv", "kmd", monopoly="ja", lifecycle="as-is"),
            _system(
                "ky", "eg", monopoly="ja", lifecycle="to-be", replaces="kmd-aktiv", go_live="2017"
            ),
            _system("sapa", "netcompany", monopoly="ja", lifecycle="to-be", go_live="2016"),
            _system("kmd-oes", "kmd"),
            _system("prisme", "fujitsu"),
            _system("acadre", "formpipe"),
            _system("sbsys", "sbsys"),
        ],
        interfaces=[
            {"id": "OPUS-POST", "name": "OPUS", "provider": "kmd-oes", "data": "postering"},
            {"id": "PRISME-POST", "name": "Prisme", "provider": "prisme", "data": "postering"},
            {"id": "OPUS-BUDGET", "name": "Budget", "provider": "kmd-oes", "data": "budget"},
            {"id": "ACADRE-J", "name": "Acadre", "provider": "acadre", "data": "esdh"},
            {"id": "SBSYS-J", "name": "SBSYS", "provider": "sbsys", "data": "esdh"},
        ],
        usages=[
            {"interface": "OPUS-POST", "system": "ky", "need": "must"},
            {"interface": "PRISME-POST", "system": "ky", "need": "must"},
            {"interface": "OPUS-POST", "system": "kmd-aktiv", "need": "must"},
            {"interface": "OPUS-BUDGET", "system": "kmd-aktiv", "need": "must"},
            {"interface": "ACADRE-J", "system": "sapa", "need": "nice"},
        ],
        contracts=[
            {"id": "K-POST", "interface": "OPUS-POST", "supplier": "kmd", "expires": "2018"},
            {"id": "K-BUDGET", "interface": "OPUS-BUDGET", "supplier": "kmd", "expires": "2019"},
        ],
    )


KY_CATEGORIES = {
    "OPUS-POST": "common-must",
    "PRISME-POST": "common-must",
    "OPUS-BUDGET": "kombit-98",
    "ACADRE-J": "common-nice",
    "SBSYS-J": "common-nice",
}


def test_a_to_be_monopoly_systems_must_use_makes_the_interfaces_common_must_by_default(
    tmp_path: Path,
) -> None:
    folder = ky_portfolio(tmp_path / "ky")
    found = {row["interface"]: row for row in _json("categorize", folder)}
    assert {iid: row["category"] for iid, row in found.items()} == KY_CATEGORIES
    for iid in ("OPUS-POST", "PRISME-POST"):
        assert found[iid]["must_users"] == ["kmd-aktiv", "ky"]
        assert found[iid]["suppliers"] == ["fujitsu", "kmd"]
        must = found[iid]["reasons"][0]
        assert must.startswith("must: ")
        assert "KY (ky, to-be) via OPUS-POST, PRISME-POST" in must
        assert "KMD-AKTIV (kmd-aktiv, as-is) via OPUS-POST" in must
    nice = found["ACADRE-J"]["reasons"][0]
    assert (
        nice
        == "nice: monopoly system(s) would appreciate data 'esdh': SAPA (sapa, to-be) via ACADRE-J"
    )
    assert "(both)" in found["ACADRE-J"]["reasons"][1]
    # `--state` only chooses which interfaces are shown, never their category.
    for state in ("as-is", "to-be", "all"):
        shown = _json("categorize", folder, "--state", state)
        assert shown, state
        assert {r["interface"]: r["category"] for r in shown}.items() <= KY_CATEGORIES.items()


def test_an_interface_has_the_same_category_in_every_output(tmp_path: Path) -> None:
    folder = ky_portfolio(tmp_path / "ky")
    overview = _json("overview", folder)
    assert {(r["system"], r["interface"]): r["category"] for r in overview} == {
        ("ky", "OPUS-POST"): "common-must",
        ("ky", "PRISME-POST"): "common-must",
        ("kmd-aktiv", "OPUS-POST"): "common-must",
        ("kmd-aktiv", "OPUS-BUDGET"): "kombit-98",
        ("sapa", "ACADRE-J"): "common-nice",
    }
    gap = _json("gap", folder)
    assert {r["interface"]: r["category_as_is"] for r in gap} == KY_CATEGORIES
    assert {r["interface"]: r["category_to_be"] for r in gap} == KY_CATEGORIES
    assert not any(r["category_changed"] for r in gap)
    plan = _json("plan", folder, "--today", TODAY)
    assert {a["interface"] for a in plan} >= {"OPUS-BUDGET"}
    assert all(a["category"] == KY_CATEGORIES[a["interface"]] for a in plan)
    out = tmp_path / "out"
    _run("analyse", folder, "--out", out, "--today", TODAY)
    written = {r["interface"]: r["category"] for r in _csv(out / "categories.csv")}
    assert written == KY_CATEGORIES
    gap_csv = _csv(out / "gap.csv")
    assert {r["interface"]: r["category_to_be"] for r in gap_csv} == KY_CATEGORIES
    assert all(r["category"] == KY_CATEGORIES[r["interface"]] for r in _csv(out / "plan.csv"))


# --- 3. impact, gap and plan agree ---------------------------------------------------------


def test_impact_of_a_replaced_system_is_the_planned_to_be_and_agrees_with_gap() -> None:
    result = _json("impact", SAMPLE, "kmd-aktiv")
    assert result["scenario"] == "planned"
    assert result["replaced_by"] == ["ky"]
    assert result["departures"] == []
    status = {row["interface"]: row["status"] for row in _json("gap", SAMPLE)}
    affected = {i["interface"]: i["status_after"] for i in result["affected_interfaces"]}
    assert len(affected) >= 5
    assert affected == {iid: status[iid] for iid in affected}
    # The example: gap retires all three; impact no longer isolates one replacement.
    assert (affected["SID027"], affected["SID154"], affected["SID155"]) == ("retired",) * 3


def test_impact_with_another_replacer_is_a_hypothetical_that_lists_its_departures() -> None:
    result = _json("impact", SAMPLE, "kmd-aktiv", "--replaced-by", "ksd")
    assert result["scenario"] == "hypothetical"
    assert result["replaced_by"] == ["ksd"]
    status = {row["interface"]: row["status"] for row in _json("gap", SAMPLE)}
    departures = result["departures"]
    assert departures
    for departure in departures:
        assert departure["planned"] == status[departure["interface"]]
        assert departure["scenario"] != departure["planned"]
    affected = {i["interface"]: i["status_after"] for i in result["affected_interfaces"]}
    departed = {d["interface"] for d in departures}
    assert {i: s for i, s in affected.items() if i not in departed} == {
        i: status[i] for i in affected if i not in departed
    }
    assert "HYPOTHETICAL" in _run("impact", SAMPLE, "kmd-aktiv", "--replaced-by", "ksd")


def test_impact_of_a_kept_system_is_hypothetical_and_names_the_broken_need() -> None:
    result = _json("impact", SAMPLE, "kmd-udbetaling")
    assert result["scenario"] == "hypothetical"
    assert result["replaced_by"] == []
    assert result["departures"] == [
        {"interface": "SID001", "planned": "repointed", "scenario": "retired"}
    ]
    needs = [
        {k: n[k] for k in ("system", "data", "interface", "need")} for n in result["broken_needs"]
    ]
    assert needs == [
        {"system": "kmd-dagpenge", "data": "udbetaling", "interface": "SID001", "need": "must"}
    ]
    table = _run("impact", SAMPLE, "kmd-udbetaling")
    assert table.index("Broken needs") < table.index("Affected interfaces")


def broken_portfolio(folder: Path) -> Path:
    """OLD (monopoly) is replaced by NEW (2017-06). OLD must use I-GONE of GONE (dropped, as-is,
    nothing replaces it): the use moves to NEW, nothing provides the data -> a broken need.
    NEW must use I-NEW of INFRA (to-be): a new TO-BE interface. OLD uses I-ECO of ECO (kept)."""
    return write_portfolio(
        folder,
        suppliers=_suppliers("kmd", "eg", "fuj", "kombit"),
        systems=[
            _system("old", "kmd", monopoly="ja", lifecycle="as-is"),
            _system(
                "new", "eg", monopoly="ja", lifecycle="to-be", replaces="old", go_live="2017-06"
            ),
            _system("gone", "kmd", lifecycle="as-is"),
            _system("infra", "kombit", lifecycle="to-be", go_live="2016"),
            _system("eco", "fuj"),
            _system("other", "fuj", monopoly="ja"),
        ],
        interfaces=[
            {"id": "I-GONE", "name": "Gone data", "provider": "gone", "data": "gone-data"},
            {"id": "I-NEW", "name": "New data", "provider": "infra", "data": "new-data"},
            {"id": "I-ECO", "name": "Eco", "provider": "eco", "data": "eco"},
            {"id": "I-OTHER", "name": "Other", "provider": "eco", "data": "other"},
        ],
        usages=[
            {"interface": "I-GONE", "system": "old", "need": "must"},
            {"interface": "I-NEW", "system": "new", "need": "must"},
            {"interface": "I-ECO", "system": "old", "need": "must"},
            {"interface": "I-OTHER", "system": "other", "need": "must"},
        ],
        contracts=[
            {
                "id": "K-ECO",
                "interface": "I-ECO",
                "supplier": "fuj",
                "expires": "2020",
                "annual_cost_dkk": 12000,
            },
            {
                "id": "K-OTHER",
                "interface": "I-OTHER",
                "supplier": "fuj",
                "expires": "2020",
                "annual_cost_dkk": 1000,
            },
        ],
    )


def test_a_use_moved_to_a_replacer_whose_provider_is_dropped_is_a_broken_need(
    tmp_path: Path,
) -> None:
    folder = broken_portfolio(tmp_path / "p")
    rows = {row["interface"]: row for row in _json("gap", folder)}
    assert rows["I-GONE"]["status"] == "retired"
    assert [
        {k: n[k] for k in ("system", "data", "interface", "need", "taken_over_from")}
        for n in rows["I-GONE"]["broken_needs"]
    ] == [
        {
            "system": "new",
            "data": "gone-data",
            "interface": "I-GONE",
            "need": "must",
            "taken_over_from": "old",
        }
    ]
    assert all(not r["broken_needs"] for iid, r in rows.items() if iid != "I-GONE")
    table = _run("gap", folder)
    assert table.index("Broken needs") < table.index("Gap AS-IS")
    plan = _json("plan", folder, "--today", TODAY)
    find = [a for a in plan if a["action"] == "find-source"]
    assert [(a["interface"], a["group"], a["category"], a["actor"]) for a in find] == [
        ("I-GONE", "old", "kombit-98", "KOMBIT")  # kombit-98: KOMBIT negotiates
    ]
    assert find[0]["due"] == "2017-06"
    assert find[0]["reasons"][0].startswith(
        "find or negotiate a new source for data 'gone-data' before 2017-06"
    )
    establish = [a for a in plan if a["action"] == "establish"]
    assert [(a["interface"], a["status"], a["due"]) for a in establish] == [
        ("I-NEW", "new", "2017-06")
    ]


def test_plan_and_budget_of_one_system_touch_only_it_and_its_replacers(tmp_path: Path) -> None:
    folder = broken_portfolio(tmp_path / "p")
    whole = _json("plan", folder, "--today", TODAY)
    assert "I-OTHER" in {a["interface"] for a in _json("gap", folder)}
    assert {a["interface"] for a in whole} >= {"I-GONE", "I-NEW", "I-ECO"}
    for name in ("old", "OLD"):  # by id or by name
        mine = _json("plan", folder, "--today", TODAY, "--system", name)
        assert mine == [a for a in whole if a["interface"] in {"I-GONE", "I-NEW", "I-ECO"}]
    budget = _json("budget", folder, "--from", "2016", "--to", "2018", "--system", "old")
    contracts = {c for row in budget["rows"] for c in row["contracts"]}
    assert contracts == {"K-ECO"}
    everything = _json("budget", folder, "--from", "2016", "--to", "2018")
    assert {c for row in everything["rows"] for c in row["contracts"]} == {"K-ECO", "K-OTHER"}


def test_a_go_live_in_june_splits_the_year_between_kommune_and_kombit(tmp_path: Path) -> None:
    folder = broken_portfolio(tmp_path / "p")
    budget = _json("budget", folder, "--from", "2016", "--to", "2018", "--system", "old")
    paid = {
        (row["year"], row["state"], row["payer"]): row["known_dkk"]
        for row in budget["rows"]
        if row["payer"] != "total"
    }
    assert paid[(2016, "to-be", "kommune")] == 12000
    assert paid[(2017, "to-be", "kommune")] == 5000  # January-May: 5 of 12 months
    assert paid[(2017, "to-be", "KOMBIT")] == 7000  # June-December: 7 of 12 months
    assert paid[(2018, "to-be", "KOMBIT")] == 12000
    assert paid.get((2018, "to-be", "kommune"), 0) == 0
    assert paid[(2017, "as-is", "kommune")] == 12000
    items = [
        item
        for row in budget["rows"]
        if (row["year"], row["state"]) == (2017, "to-be") and row["payer"] != "total"
        for item in row["items"]
    ]
    reasons = {item["reason"] for item in items}
    assert any("5 of 12 months before go-live (2017-06)" in r for r in reasons), reasons
    assert any("7 of 12 months from go-live (2017-06)" in r for r in reasons), reasons


@pytest.mark.parametrize("today", ["2015", "01.05.2014", "2014-05", "2014-05-01"])
def test_plan_accepts_every_portfolio_date_form(today: str) -> None:
    plan = _json("plan", SAMPLE, "--today", today, "--kombit-offer-date", "2016-06")
    assert len(plan) > 10
    expected = {"2015": 0, "01.05.2014": 245, "2014-05": 245, "2014-05-01": 245}[today]
    # the due date of the first action that has one, counted from that day
    due = next(a for a in plan if a["due"] == "2015-01-01" or a["due"] == "2015")
    assert due["days_left"] == expected


def test_a_date_option_that_is_no_date_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["plan", str(SAMPLE), "--today", "31.02.2015"])
    assert result.exit_code == 2
    assert "31.02.2015" in result.output
    assert "Traceback" not in result.output


# --- 4. every output shows the same numbers ------------------------------------------------


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A generated three-municipality portfolio and one of its municipality codes."""
    folder = tmp_path_factory.mktemp("national") / "portfolio"
    _run("generate", "--municipalities", "3", "--seed", "1", "--out", folder)
    return folder, _csv(folder / "municipalities.csv")[0]["code"]


def _report_numbers(html: str) -> tuple[dict[str, str], dict[str, int]]:
    """The report's cards (key -> value) and its category table (category code -> count)."""
    from lxml import html as lxml_html

    page = lxml_html.fromstring(html)
    cards = {
        card.get("data-key"): card.xpath("string(b)").strip()
        for card in page.xpath("//div[@data-key]")
    }
    heading = page.xpath("//h2[@id='kategorier']")[0]
    table = heading.xpath("following::table[1]")[0]
    counts = {
        row.get("data-category"): int(row.xpath("string(td[2])").replace(",", ""))
        for row in table.xpath(".//tr[@data-category]")
    }
    return cards, counts


def _check_summary(folder: Path, out: Path, *options: str) -> dict[str, Any]:
    from snitgraf.analysis.categorise import CATEGORIES

    _run("analyse", folder, "--out", out, "--today", TODAY, *options)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    categories = _json("categorize", folder, *options)
    gap = _json("gap", folder, *options)
    plan = _json("plan", folder, "--today", TODAY, *options)
    assert summary["interfaces"] == len(categories)
    assert summary["categories"] == {
        code: sum(1 for c in categories if c["category"] == code) for code in CATEGORIES
    }
    assert summary["gap"] == {
        s: sum(1 for r in gap if r["status"] == s) for s in ("kept", "repointed", "retired", "new")
    }
    assert summary["broken_needs"] == sum(len(r["broken_needs"]) for r in gap)
    assert summary["plan_actions"] == len(plan)
    assert len(_csv(out / "categories.csv")) == len(categories)
    assert len(_csv(out / "gap.csv")) == len(gap)
    assert len(_csv(out / "plan.csv")) == len(plan)
    budget = _json("budget", folder, *options)
    for row in budget["rows"]:
        shown = summary["budget"][row["state"]][str(row["year"])][row["payer"]]
        assert shown == row["known_dkk"], row
    cards, counts = _report_numbers((out / "report.html").read_text(encoding="utf-8"))

    def number(text: str) -> int:
        return int(text.replace(",", "").replace(".", ""))

    assert number(cards["contracts"]) == summary["contracts"]
    assert number(cards["interfaces"]) == summary["interfaces"]
    assert number(cards["broken-needs"]) == summary["broken_needs"]
    assert number(cards["needs-decision"]) == summary["categories"]["unclassified"]
    assert number(cards["plan-actions"]) == summary["plan_actions"]
    assert counts == dict(summary["categories"])
    assert set(counts) == set(CATEGORIES)
    return summary


def test_analyse_of_the_sample_writes_the_numbers_every_command_prints(tmp_path: Path) -> None:
    summary = _check_summary(SAMPLE, tmp_path / "out")
    assert summary["municipality"] is None
    assert summary["contracts"] == 10
    assert summary["categories"]["kombit-98"] == 16
    assert summary["gap"]["retired"] == 4


def test_analyse_of_a_national_portfolio_writes_the_numbers_every_command_prints(
    national: tuple[Path, str], tmp_path: Path
) -> None:
    folder, _code = national
    summary = _check_summary(folder, tmp_path / "out")
    assert summary["municipality"] is None
    assert summary["contracts"] == len(_csv(folder / "contracts.csv"))


def test_analyse_of_one_municipality_writes_its_numbers_everywhere(
    national: tuple[Path, str], tmp_path: Path
) -> None:
    folder, code = national
    whole = json.loads(json.dumps(_json("categorize", folder)))
    summary = _check_summary(folder, tmp_path / "out", "--municipality", code)
    assert summary["municipality"] == code
    assert 0 < summary["interfaces"] < len(whole)
    assert 0 < summary["contracts"] < len(_csv(folder / "contracts.csv"))


# --- the TO-BE rule on REPLACES cycles and long chains -------------------------------------


def _cycle_tables() -> dict[str, list[dict[str, object]]]:
    """A -> B -> A (both as-is, replacing each other) and K (kept, to-be) replacing B."""
    return {
        "suppliers": _suppliers("s1", "s2", "s3"),
        "systems": [
            _system("a", "s1", monopoly="ja", lifecycle="as-is", replaces="b"),
            _system("b", "s2", monopoly="ja", lifecycle="as-is", replaces="a"),
            _system("k", "s3", monopoly="ja", lifecycle="to-be", replaces="b", go_live="2017"),
            _system("p", "s1"),
            _system("q", "s2"),
        ],
        "interfaces": [
            {"id": "I-A", "name": "A out", "provider": "a", "data": "da"},
            {"id": "I-B", "name": "B out", "provider": "b", "data": "db"},
            {"id": "I-P", "name": "P", "provider": "p", "data": "dp"},
            {"id": "I-Q", "name": "Q", "provider": "q", "data": "dq"},
        ],
        "usages": [
            {"interface": "I-P", "system": "a", "need": "must"},
            {"interface": "I-Q", "system": "b", "need": "nice"},
            {"interface": "I-A", "system": "p", "need": "must"},
            {"interface": "I-B", "system": "q", "need": "must"},
        ],
    }


def test_a_replacement_cycle_gives_the_same_gap_whatever_the_order_of_rows(
    tmp_path: Path,
) -> None:
    tables = _cycle_tables()
    expected = _json("gap", write_portfolio(tmp_path / "ordered", **tables))
    assert {r["interface"]: r["status"] for r in expected} == {
        "I-A": "repointed",
        "I-B": "repointed",
        "I-P": "repointed",
        "I-Q": "repointed",
    }
    assert {m["to"] for r in expected for m in r["moves"]} == {"k"}
    shuffler = random.Random(11)
    for attempt in range(4):
        shuffled = {name: shuffler.sample(rows, len(rows)) for name, rows in tables.items()}
        folder = write_portfolio(tmp_path / f"shuffled{attempt}", **shuffled)
        assert _json("gap", folder) == expected


def test_a_replacement_chain_of_5000_systems_runs_gap_plan_and_budget(tmp_path: Path) -> None:
    length = 5000
    systems = [_system("s0", "sup", monopoly="ja", lifecycle="as-is")]
    systems += [
        _system(f"s{n}", "sup", monopoly="ja", lifecycle="as-is", replaces=f"s{n - 1}")
        for n in range(1, length)
    ]
    systems.append(
        _system("end", "sup", monopoly="ja", lifecycle="to-be", replaces=f"s{length - 1}")
    )
    systems.append(_system("eco", "eco", go_live=None))
    folder = write_portfolio(
        tmp_path / "chain",
        suppliers=_suppliers("sup", "eco"),
        systems=systems,
        interfaces=[{"id": "I-ECO", "name": "Eco", "provider": "eco", "data": "eco"}],
        usages=[{"interface": "I-ECO", "system": "s0", "need": "must"}],
        contracts=[
            {
                "id": "K",
                "interface": "I-ECO",
                "supplier": "eco",
                "expires": "2020",
                "annual_cost_dkk": 100,
            }
        ],
    )
    limit = sys.getrecursionlimit()
    assert length > limit / 2  # a recursive walk of the chain would overflow
    gap = _json("gap", folder)
    assert [(r["interface"], r["status"], r["users_to_be"]) for r in gap] == [
        ("I-ECO", "repointed", ["end"])
    ]
    plan = _json("plan", folder, "--today", TODAY)
    assert {a["interface"] for a in plan} == {"I-ECO"}
    budget = _json("budget", folder, "--from", "2016", "--to", "2016")
    assert {c for row in budget["rows"] for c in row["contracts"]} == {"K"}


# --- 2. the library ------------------------------------------------------------------------


def test_a_notebook_gets_from_the_assessment_what_snitgraf_plan_prints() -> None:
    from snitgraf.assessment import Assessment
    from snitgraf.render.tables import to_json_text

    with Assessment.open(str(SAMPLE), today=date(2015, 1, 1)) as assessment:
        plan = assessment.plan
        assert assessment.plan is plan  # derived once
        assert assessment.transition is assessment.transition
        text = to_json_text(list(plan))
    assert text == _run("plan", SAMPLE, "--today", "2015-01-01", "--format", "json")
    assert len(plan) > 10


def test_the_main_job_derives_the_overview_once_for_its_csv_and_its_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from snitgraf.assessment import Assessment
    from snitgraf.backends.base import Backend
    from snitgraf.jobs import run_main_job

    asked: list[str] = []
    gather = Backend.overview_facts

    def counted(self: Backend, state: Any = "all") -> Any:
        asked.append(state)
        return gather(self, state)

    monkeypatch.setattr(Backend, "overview_facts", counted)
    with Assessment.open(str(SAMPLE), today=date(2015, 1, 1)) as assessment:
        run_main_job(assessment, tmp_path / "out")
        rows = assessment.overview(None, "all")
    assert asked == ["all"]
    assert len(rows) > 10 and (tmp_path / "out" / "overview.csv").exists()


def _imported_names(path: Path, package: str) -> list[tuple[str, str]]:
    """(module, name) of every `from <package>... import name` in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(package):
            found += [(node.module or "", alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, "*") for a in node.names if a.name.startswith(package)]
    return found


def _writers() -> list[Path]:
    return sorted([*(PACKAGE / "render").glob("*.py"), *(PACKAGE / "io").glob("*.py")])


def test_writers_import_only_result_types_from_analysis() -> None:
    import importlib

    assert len(_writers()) > 10
    offending = []
    for path in _writers():
        for module, name in _imported_names(path, "snitgraf.analysis"):
            value = getattr(importlib.import_module(module), name) if name != "*" else None
            if value is None or (callable(value) and not isinstance(value, type)):
                offending.append(f"{path.relative_to(PACKAGE)}: {module}.{name}")
    assert offending == []


def test_the_graph_module_imports_nothing_from_analysis() -> None:
    assert _imported_names(PACKAGE / "graph.py", "snitgraf.analysis") == []


def test_the_assessment_is_a_typed_backend_user_without_probing() -> None:
    source = (PACKAGE / "assessment.py").read_text(encoding="utf-8")
    assert "getattr(" not in source and "hasattr(" not in source
    from snitgraf.backends.base import Backend
    from snitgraf.backends.networkx import NetworkxBackend

    assert issubclass(NetworkxBackend, Backend)
