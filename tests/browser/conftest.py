"""Headless Chromium (Debian's package) driven by Playwright, with the network blocked.

Only `file:` and `about:` URLs load; every other request is aborted and recorded, so a page that
reaches for a CDN fails its test. Without Chromium or Playwright the tests skip, except under
CI=true, where they fail: CI must prove the pages in a real browser.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.pages import LoadedPage

CHROMIUM = os.environ.get("SNITGRAF_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run; scripts/setup --browser)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright's Python package is not installed")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(f"Chromium not found at {CHROMIUM}")
    profile = tempfile.mkdtemp(prefix="snitgraf-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=ARGS,
            headless=True,
            viewport=VIEWPORT,
            service_workers="block",
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """open_page(path) -> LoadedPage, drawn, with the network blocked."""
    opened: list[Any] = []

    def open_(path: Path) -> LoadedPage:
        page = browser.new_page()
        opened.append(page)
        loaded = LoadedPage(page)

        def route(route: Any) -> None:
            url = route.request.url
            if url.startswith(("file:", "about:")):
                route.continue_()
            else:
                loaded.blocked.append(url)
                route.abort()

        page.route("**/*", route)
        page.on(
            "console", lambda m: loaded.console_errors.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda e: loaded.page_errors.append(str(e)))

        def dialog(d: Any) -> None:
            loaded.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.snitgraf && window.snitgraf.drawn === true", timeout=60000)
        return loaded

    yield open_
    for page in opened:
        page.close()
