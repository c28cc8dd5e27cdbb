"""A command loads what it uses and no more: `--version` no library, `categorize` no page,
report, plan, budget or impact code (issue 11: start-up is part of every command's time)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.portfolios import SAMPLE

_LOADED = (  # the CLI ends with os._exit (no atexit): the modules are listed on the way out
    "import json, os, runpy, sys\n"
    "end = os._exit\n"
    "def listed(status):\n"
    "    sys.stderr.write('MODULES ' + json.dumps(sorted(sys.modules)))\n"
    "    sys.stderr.flush()\n"
    "    end(status)\n"
    "os._exit = listed\n"
    "sys.argv = ['snitgraf', *sys.argv[1:]]\n"
    "runpy.run_module('snitgraf', run_name='__main__')\n"
)


def loaded_by(*args: str) -> set[str]:
    """The modules a whole `snitgraf ARGS` process has loaded when it ends."""
    done = subprocess.run(
        [sys.executable, "-c", _LOADED, *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


def test_version_loads_no_library_and_no_analysis() -> None:
    loaded = loaded_by("--version")
    for module in ("networkx", "pydantic", "pyvis", "openpyxl", "lxml", "neo4j", "rich"):
        assert module not in loaded
    assert not any(m.startswith("snitgraf.analysis") for m in loaded)


def test_categorize_loads_no_page_report_plan_budget_or_impact_code() -> None:
    loaded = loaded_by("categorize", str(SAMPLE), "--format", "json")
    assert "snitgraf.analysis.categorise" in loaded and "networkx" in loaded
    for module in (
        "pyvis",
        "jinja2",
        "openpyxl",
        "lxml",
        "neo4j",
        "snitgraf.render.diagrams",
        "snitgraf.render.report",
        "snitgraf.analysis.plan",
        "snitgraf.analysis.budget",
        "snitgraf.analysis.impact",
    ):
        assert module not in loaded, module
