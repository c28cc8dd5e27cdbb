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
    category_bars = page.locator("#kategorier + svg rect").count()
    timeline = page.locator("#tidslinje + svg").bounding_box()
    milestones = page.locator("#tidslinje + svg path").count()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    page.close()
    assert (errors, blocked) == ([], [])
    assert charts == 3
    assert category_bars == 5
    assert milestones == 3  # the go-lives of SAPA, KY and KSD
    assert timeline is not None and timeline["width"] == 900
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
