"""A whole `snitgraf` process ends without tearing down what it built (`snitgraf.cli._end`), and
still hands over all its output and the exit code `sys.exit` would have given."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.portfolios import SAMPLE


def snitgraf(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m snitgraf ARGS` as a whole process, its output piped and block-buffered (an
    unflushed buffer would be lost at the end)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-m", "snitgraf", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_a_piped_output_arrives_whole_before_the_process_ends() -> None:
    done = snitgraf("categorize", str(SAMPLE), "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)  # cut short, it would not parse
    assert len(rows) == 39 and {"SID154", "SID027"} <= {r["interface"] for r in rows}


def test_invalid_data_still_exits_1_with_its_one_line_error_on_stderr(tmp_path: Path) -> None:
    done = snitgraf("categorize", str(tmp_path / "missing"))
    assert done.returncode == 1
    assert "missing" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_usage_error_still_exits_2() -> None:
    done = snitgraf("categorize", str(SAMPLE), "--format", "yaml")
    assert done.returncode == 2
    assert "yaml" in done.stderr


def test_help_and_version_exit_0_with_their_text() -> None:
    assert snitgraf("--version").stdout.strip() == "snitgraf, version " + version()
    helped = snitgraf("--help")
    assert helped.returncode == 0 and "categorize" in helped.stdout


def version() -> str:
    """The installed package's version."""
    from snitgraf import __version__

    return __version__


def ended(code: str) -> subprocess.CompletedProcess[str]:
    """A process that writes without flushing, then ends through `snitgraf.cli._end(code)`."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    script = (
        "import sys\n"
        "from snitgraf.cli import _end\n"
        "sys.stdout.write('written, not flushed')\n"
        f"_end({code})\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, env=env
    )


def test_the_end_flushes_what_was_written_and_keeps_the_exit_code() -> None:
    done = ended("3")
    assert (done.returncode, done.stdout) == (3, "written, not flushed")
    assert (ended("None").returncode, ended("0").returncode) == (0, 0)


def test_the_end_of_a_text_code_prints_it_and_exits_1_as_sys_exit_does() -> None:
    done = ended("'stopped: no portfolio'")
    assert done.returncode == 1
    assert done.stderr.strip() == "stopped: no portfolio"
