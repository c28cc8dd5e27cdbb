"""The management report: one offline HTML page a manager reads in five minutes: key figures,
categories, decisions, overdue actions and money per payer first; a timeline; a section per
monopoly system; expiries per quarter; capped lists linking the CSV files; A4 print."""

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
    assert page.count("<svg") == 3  # categories, money per payer, timeline


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
    assert "prepared 2015-01-01" in page


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
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<h1>Interfaces – management report</h1>" in page
    for name in ("categories.csv", "overview.csv", "plan.csv", "gap.csv"):
        assert f'<a href="{name}">{name}</a>' in page  # the full lists beside it


def test_long_tables_show_their_first_rows_and_say_how_many_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(report_module, "MAX_TABLE_ROWS", 5)
    report = replace(sample_report(), files=("overview.csv",))
    page = render(report)
    total = len(report.overview)
    assert (
        f'… and {total - 5} more: all {total} in <a href="overview.csv">overview.csv</a>.' in page
    )
    assert report.plan is not None
    assert (
        f"… and {len(report.plan) - 5} more: all {len(report.plan)} in plan.csv "
        "(written by snitgraf analyse)." in page
    )


def _first_screen(page: str) -> str:
    return page[page.index('<section id="first-screen">') : page.index('<nav class="toc">')]


def test_the_first_screen_shows_key_figures_categories_decisions_overdue_and_money() -> None:
    report = sample_report()
    assert report.summary is not None
    first = _first_screen(render(report))
    for key, value in (
        ("interfaces", report.summary.interfaces),
        ("contracts", report.summary.contracts),
        ("needs-decision", report.summary.categories["unclassified"]),
        ("broken-needs", report.summary.broken_needs),
        ("overdue", len(report.overdue)),
        ("plan-actions", report.summary.plan_actions),
    ):
        assert f'data-key="{key}"><b>{value}</b>' in first, key
    assert '<svg class="categories"' in first and '<svg class="money"' in first
    assert 'id="decisions"' in first and 'id="overdue"' in first
    for item in report.summary.needs_decision[:3]:
        assert f"<b>{item.interface}</b>" in first


def test_the_money_chart_shows_kombit_taking_over_in_to_be() -> None:
    report = sample_report()
    budget = report.budget
    last = budget.to_year
    assert (
        budget.row(last, "as-is", "KOMBIT").known_dkk
        < budget.row(last, "to-be", "KOMBIT").known_dkk
    )
    page = render(report)
    kombit = re.findall(
        r'data-payer="KOMBIT" data-state="(as-is|to-be|AS-IS|TO-BE)"[^>]*height="([\d.]+)"', page
    )
    to_be = [float(h) for state, h in kombit if state.upper() == "TO-BE"]
    as_is = [float(h) for state, h in kombit if state.upper() == "AS-IS"]
    assert max(to_be) > max(as_is)  # the shift is visible, not two equal bars
    assert "AS-IS → TO-BE in " + str(last) in page


def test_each_monopoly_system_has_a_section_with_replacer_go_live_and_deadlines() -> None:
    report = sample_report()
    page = render(report)
    assert [c.system for c in report.changes][:3] == ["kmd-sag", "kmd-aktiv", "kmd-dagpenge"]
    for change in report.changes:
        section = page[page.index(f'id="system-{change.system}"') :]
        section = section[: section.index("</section>")]
        if change.replaced_by:
            assert f", go-live {change.go_live}" in section
        assert f"Deadlines ({len(change.actions)} actions)" in section
        assert f"Broken needs ({len(change.broken_needs)})" in section
        for code, n in change.categories.items():
            if n:
                assert f'data-category="{code}"' in section
    dagpenge = next(c for c in report.changes if c.system == "kmd-dagpenge")
    assert dagpenge.replaced_by == ("ksd",)
    assert "KMD Dagpenge → KSD – Kommunernes Sygedagpengesystem, go-live 2017-06" in page


def test_a_national_report_aggregates_expiries_per_quarter_with_municipalities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "national"
    generated = CliRunner().invoke(
        cli, ["generate", "--municipalities", "3", "--seed", "1", "--out", str(folder)]
    )
    assert generated.exit_code == 0, generated.output
    report = report_of(folder)
    expiries = [e for row in report.timeline for e in row.expiries]
    monkeypatch.setattr(report_module, "EXPIRY_DETAIL", 3)
    page = render(report)
    section = page[page.index('id="s-udloeb"') :]
    section = section[: section.index("</section>")]
    assert "<th>Quarter</th>" in section and "<th>Which municipalities</th>" in section
    assert f"{len(expiries)} contract expiries" in section
    names = set(report.municipality_names.values())
    assert any(name in section for name in names)
    rows = section.count("<tr>") - 1
    assert rows <= report_module.MAX_QUARTERS and rows < len(expiries)


def test_the_report_prints_on_a4_one_section_per_page() -> None:
    page = render(sample_report())
    assert "@page { size: A4;" in page
    assert "section.page { break-before: page; }" in page
    assert page.count('<section class="page"') + page.count('<section class="system page"') >= 5


def test_the_report_is_danish_by_default() -> None:
    from snitgraf import i18n

    i18n.set_language("da")
    page = render(sample_report())
    assert '<html lang="da">' in page
    assert "<h1>Snitflader – ledelsesrapport</h1>" in page
    assert "Snitflader pr. kategori" in page and "kommunerne betaler" in page
    for english in ("Interfaces per category", "the municipalities pay", "Deadlines ("):
        assert english not in page


def test_every_text_written_inside_an_f_string_is_in_the_catalogue() -> None:
    """pybabel cannot see `_("...")` inside an f-string; the render modules list those msgids
    in IN_F_STRINGS, and this test fails when one is missing there."""
    import ast

    from snitgraf.i18n_extract import source_messages

    root = Path(__file__).resolve().parent.parent
    known = source_messages(root)
    hidden = []
    for path in sorted((root / "snitgraf" / "render").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id == "_"
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                    and call.args[0].value not in known
                ):
                    hidden.append(f"{path.name}: {call.args[0].value!r}")
    assert hidden == []
