"""The benchmarks' floors answer the question `categorize` answers: a ratio to them compares
the same work (issue 11's speed targets are ratios to `benchmarks/floor.py`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from snitgraf.cli import cli
from snitgraf.generate import generate, write
from tests.portfolios import SAMPLE

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("national")
    write(generate(municipalities=12, seed=1), folder)
    return folder


def snitgraf_categories(portfolio: Path) -> dict[str, tuple[str, int]]:
    """Each interface's category code and supplier count, as `categorize --format json` says."""
    done = CliRunner().invoke(cli, ["categorize", str(portfolio), "--format", "json"])
    assert done.exit_code == 0, done.output
    return {r["interface"]: (r["category"], r["supplier_count"]) for r in json.loads(done.output)}


def floor_categories(script: str, portfolio: Path) -> dict[str, tuple[str, int]]:
    """The same, as a floor script prints it."""
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), str(portfolio)],
        capture_output=True,
        text=True,
        check=True,
    )
    return {r["interface"]: (r["category"], r["supplier_count"]) for r in json.loads(done.stdout)}


@pytest.mark.parametrize("script", ["floor.py", "stack_floor.py"])
def test_a_floor_gives_every_interface_the_category_categorize_gives(
    script: str, national: Path
) -> None:
    for portfolio in (SAMPLE, national):
        ours = snitgraf_categories(portfolio)
        assert floor_categories(script, portfolio) == ours
        assert {"kombit-98", "common-must", "municipal"} <= {code for code, _n in ours.values()}
