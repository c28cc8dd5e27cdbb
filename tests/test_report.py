"""The management report: one offline HTML page with counts, timeline, overview, plan, budget."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from snitgraf.analysis.categorise import category_counts
from snitgraf.assessment import Assessment
from snitgraf.cli import cli
from snitgraf.render import report as report_module
from snitgraf.render.report import gather, render
from tests.portfolios import SAMPLE, write_portfolio
from tests.scenarios import replacement_systems

TODAY = date(2015, 1, 1)


def report_of(folder: Path) -> report_module.Report:
    """The report of a portfolio folder, gathered from one assessment of it."""
    with Assessment.open(str(folder), today=TODAY) as assessment:
        return gather(assessment)


def sample_report() -> report_module.Report:
    return report_of(SAMPLE)


def replacement(folder: Path) -> report_module.Report:
    """A monopoly system replaced in June 2017, with contracts on both sides of that date."""
    write_portfolio(
        folder,
        suppliers=[{"id": "kmd", "name": "KMD"}, {"id": "eg", "name": "EG"}],
        systems=[
            *replacement_systems("2017-06"),
            {"id": "eco", "name": "Economy", "supplier": "kmd"},
        ],
        interfaces=[{"id": "I1", "name": "Postings", "provider": "eco", "data": "d"}],
        usages=[{"interface": "I1", "system": "old", "need": "must"}],
        contracts=[
            {"id": "K-before", "interface": "I1", "supplier": "kmd", "expires": "2016"},
            {"id": "K-overlap", "interface": "I1", "supplier": "kmd", "expires": "2017"},
            {"id": "K-after", "interface": "I1", "supplier": "kmd", "expires": "2017-07-01"},
            {"id": "K-unknown", "interface": "I1", "supplier": "kmd", "expires": "??"},
        ],
    )
    return report_of(folder)


def test_the_page_is_offline_one_file_without_scripts() -> None:
    page = render(sample_report())
    assert "http://" not in page and "https://" not in page
    assert "<script" not in page
    assert not re.search(r"<(link|img|iframe)\b", page)
    assert page.count("<svg") == 3  # categories, timeline, budget


def test_counts_per_category_are_those_categorize_prints() -> None:
    report = sample_report()
    shown = json.loads(
        CliRunner().invoke(cli, ["categorize", str(SAMPLE), "--format", "json"]).stdout
    )
    expected = category_counts(())  # every category, at 0
    for row in shown:
        expected[row["category"]] += 1
    assert report.counts == expected
    page = render(report)
    for code, count in expected.items():
        assert f"<title>{code}: {count}</title>" in page


def test_timeline_sets_each_expiry_against_the_go_live_of_the_replacement(
    tmp_path: Path,
) -> None:
    report = replacement(tmp_path / "p")
    (row,) = report.timeline
    assert (row.system, row.replaced_by, row.go_live) == (
        "old",
        (("new", "New", "2017-06"),),
        "2017-06",
    )
    assert {e.contract: e.verdict for e in row.expiries} == {
        "K-before": "before",
        "K-overlap": "overlaps",
        "K-after": "after",
        "K-unknown": "unknown",
    }
    before = next(e for e in row.expiries if e.contract == "K-before")
    assert before.reason == (
        "contract K-before expires 2016, go-live 2017-06: "
        "expires before the replacement goes live: extend it until go-live"
    )


def test_the_sample_timeline_covers_the_three_monopoly_systems() -> None:
    report = sample_report()
    assert [(r.system, r.go_live) for r in report.timeline] == [
        ("kmd-sag", "2016"),
        ("kmd-aktiv", "2017"),
        ("kmd-dagpenge", "2017-06"),
    ]
    verdicts = {e.contract: e.verdict for r in report.timeline for e in r.expiries}
    assert verdicts["K-DP-UDBETALING"] == "before"
    assert verdicts["K-DP-ESSENTIA"] == "after"
    assert verdicts["K-SAG-UKENDT"] == "unknown"


def test_plan_and_budget_are_shown() -> None:
    report = sample_report()
    assert report.plan is not None and report.budget is not None
    page = render(report)
    assert 'id="handlingsplan"' in page and "extend until go-live" in page
    assert f"<td>{report.budget.from_year}</td>" in page


def test_without_plan_and_budget_the_report_says_so() -> None:
    report = replace(sample_report(), plan=None, budget=None)
    page = render(report)
    assert "The action plan is not available." in page
    assert "The budget is not available." in page


def test_diagrams_beside_the_report_are_linked(tmp_path: Path) -> None:
    (tmp_path / "diagram-as-is.html").write_text("<html></html>", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["report", str(SAMPLE), "--out", str(tmp_path / "report.html"), "--today", "2015-01-01"],
    )
    assert result.exit_code == 0, result.output
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<a href="diagram-as-is.html">diagram-as-is</a>' in page
    assert "udarbejdet 2015-01-01" in page


def test_an_invalid_portfolio_writes_no_report(tmp_path: Path) -> None:
    write_portfolio(tmp_path / "bad", systems=[{"id": "a", "name": "A", "supplier": "x"}])
    result = CliRunner().invoke(
        cli, ["report", str(tmp_path / "bad"), "--out", str(tmp_path / "report.html")]
    )
    assert result.exit_code == 1
    assert not (tmp_path / "report.html").exists()


def test_the_main_job_writes_the_report(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["analyse", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"wrote {tmp_path / 'report.html'}" in result.output
    assert "<h1>Snitflader – ledelsesrapport</h1>" in (tmp_path / "report.html").read_text(
        encoding="utf-8"
    )


def test_long_tables_show_their_first_rows_and_say_how_many_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(report_module, "MAX_TABLE_ROWS", 5)
    report = sample_report()
    page = render(report)
    assert f"… and {len(report.overview) - 5} more rows (overview.csv holds them all)." in page
    assert report.plan is None or f"… and {len(report.plan) - 5} more rows" in page
