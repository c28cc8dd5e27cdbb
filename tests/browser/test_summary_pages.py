"""The pages `analyse` writes show summary.json's numbers (issue 11 §4), read in a real browser:
the gap page's filter counts interfaces per status as `gap` does, the AS-IS page's filter counts
the AS-IS interfaces per category as `categorize` does, on the sample and on a generated
national portfolio, with and without --municipality."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from snitgraf.cli import cli
from tests.browser.pages import LoadedPage
from tests.portfolios import SAMPLE

pytestmark = pytest.mark.browser

STATUSES = ("kept", "repointed", "retired", "new")


def _run(*args: object) -> None:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str | None]]:
    """analyse's output folders (and the municipality) of the sample and a generated national
    portfolio, the latter as a whole and for one municipality."""
    base = tmp_path_factory.mktemp("analyse")
    national = base / "national"
    _run("generate", "--municipalities", "3", "--seed", "1", "--out", national)
    code = _csv(national / "municipalities.csv")[0]["code"]
    found: dict[str, tuple[Path, str | None]] = {}
    for name, folder, municipality in (
        ("sample", SAMPLE, None),
        ("national", national, None),
        ("municipality", national, code),
    ):
        out = base / f"out-{name}"
        local = ["--municipality", municipality] if municipality else []
        _run("analyse", folder, "--out", out, "--today", "2015-01-01", *local)
        found[name] = out, municipality
    return found


def _facet(loaded: LoadedPage, attribute: str) -> dict[str, int]:
    """The counts a page's filter shows, value -> number, read from its labels."""
    labels = loaded.evaluate(
        """(attribute) => Array.from(
            document.querySelectorAll(`input[data-facet=${attribute}]`)
          ).map(box => [box.value, box.parentElement.textContent])""",
        attribute,
    )
    counts = {}
    for value, text in labels:
        match = re.fullmatch(rf"\s*{re.escape(value)} \((\d+)\)", text)
        assert match, text
        counts[value] = int(match.group(1))
    return counts


def _not_drawn(loaded: LoadedPage) -> int:
    """How many interfaces the subtitle says are not drawn (only other municipalities use)."""
    match = re.search(r"Not drawn: (\d+) interfaces?", loaded.page.inner_text("#sg-subtitle"))
    return int(match.group(1)) if match else 0


@pytest.mark.parametrize("run", ["sample", "national", "municipality"])
def test_the_gap_page_counts_interfaces_per_status_as_summary_json(
    run: str, runs: dict[str, tuple[Path, str | None]], open_page: Callable[[Path], Any]
) -> None:
    out, municipality = runs[run]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["municipality"] == municipality
    loaded = open_page(out / "gap.html")
    shown = _facet(loaded, "gap")
    subtitle = loaded.page.inner_text("#sg-subtitle")
    total = sum(summary["gap"].values())
    assert (
        f"{total} interfaces: "
        + ", ".join(f"{summary['gap'][s]} {s}" for s in STATUSES if summary["gap"][s])
        in subtitle
    )
    left_out = _not_drawn(loaded)
    if municipality is None:
        assert shown == {s: n for s, n in summary["gap"].items() if n}
        assert left_out == 0
    else:  # interfaces only other municipalities use are counted, not drawn
        assert all(shown.get(s, 0) <= n for s, n in summary["gap"].items())
        assert sum(shown.values()) + left_out == total
        assert left_out > 0
    assert loaded.console_errors == [] and loaded.page_errors == [] and loaded.blocked == []


@pytest.mark.parametrize("run", ["sample", "national", "municipality"])
def test_the_as_is_page_counts_the_as_is_interfaces_per_category_as_summary_json(
    run: str, runs: dict[str, tuple[Path, str | None]], open_page: Callable[[Path], Any]
) -> None:
    out, municipality = runs[run]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    category = {row["interface"]: row["category"] for row in _csv(out / "categories.csv")}
    assert Counter(category.values()) == {c: n for c, n in summary["categories"].items() if n}
    as_is = Counter(category[r["interface"]] for r in _csv(out / "gap.csv") if r["providers_as_is"])
    loaded = open_page(out / "as-is.html")
    shown = _facet(loaded, "category")
    if municipality is None:
        assert shown == dict(as_is)
    else:
        assert all(shown.get(c, 0) <= n for c, n in as_is.items())
        assert sum(shown.values()) + _not_drawn(loaded) == sum(as_is.values())
    assert f"{sum(as_is.values())} interfaces" in loaded.page.inner_text("#sg-subtitle")


def test_unticking_a_gap_status_hides_exactly_the_uses_of_those_interfaces(
    runs: dict[str, tuple[Path, str | None]], open_page: Callable[[Path], Any]
) -> None:
    out, _ = runs["sample"]
    retired = {r["interface"] for r in _csv(out / "gap.csv") if r["status"] == "retired"}
    assert len(retired) == 4
    loaded = open_page(out / "gap.html")
    loaded.page.uncheck("input[data-facet=gap][value=retired]")
    hidden = loaded.evaluate(
        "window.snitgraf.edges.get({filter: e => e.hidden}).map(e => e.interface)"
    )
    assert set(hidden) == retired
