"""The management report in a real browser (headless Chromium, network blocked): it draws its
three SVG charts, logs no errors, fetches nothing, and a screenshot is kept for a look."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from snitgraf.assessment import Assessment
from snitgraf.render.report import gather, render
from tests.browser.pages import ARTIFACTS
from tests.portfolios import SAMPLE

pytestmark = pytest.mark.browser


def test_the_report_draws_its_charts_offline_without_errors(browser: Any, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    with Assessment.open(str(SAMPLE), today=date(2015, 1, 1)) as assessment:
        target.write_text(render(gather(assessment)), encoding="utf-8")
    page = browser.new_page()
    blocked: list[str] = []
    errors: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "about:")):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(target.as_uri())
    charts = page.locator("svg").count()
    category_bars = page.locator("svg.categories rect").count()
    timeline = page.locator("#tidslinje + svg").bounding_box()
    milestones = page.locator("#tidslinje + svg path").count()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    page.close()
    assert (errors, blocked) == ([], [])
    assert charts == 3
    assert category_bars == 5
    assert milestones == 3  # the go-lives of SAPA, KY and KSD
    assert timeline is not None and timeline["width"] > 900
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000


def test_a_national_report_is_short_enough_for_a_full_page_screenshot(
    browser: Any, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from snitgraf.cli import cli

    folder = tmp_path / "national"
    out = tmp_path / "out"
    for args in (
        ["generate", "--municipalities", "12", "--seed", "1", "--out", str(folder)],
        ["analyse", str(folder), "--out", str(out), "--today", "2015-01-01"],
    ):
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((out / "report.html").as_uri())
    height = page.evaluate("document.documentElement.scrollHeight")
    first_screen = page.locator("#decisions").bounding_box()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-national.png"), full_page=True)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    page.close()
    assert errors == []
    assert height < 12_000  # capped lists and aggregated tables, not one row per contract
    assert first_screen is not None and first_screen["y"] < 900  # decisions on the first screen
    assert pdf[:4] == b"%PDF" and pdf.count(b"/Type /Page") >= 5  # A4, a page per section
