"""push shows a rich progress bar on a terminal and nothing when stderr is not a TTY."""

from __future__ import annotations

import io
import sys

import pytest

from snitgraf.cli.neo4j import _progress_bar, default_scope
from tests.portfolios import SAMPLE


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_progress_bar_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with _progress_bar() as progress:
        assert progress is None
    assert sys.stderr.getvalue() == ""


def test_a_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with _progress_bar() as progress:
        assert progress is not None
        progress(500, 1000)
        progress(1000, 1000)
    assert "1000/1000" in terminal.getvalue()


def test_the_default_scope_is_the_folder_or_workbook_name() -> None:
    assert default_scope(str(SAMPLE)) == "kombit-2014"
    assert default_scope(str(SAMPLE) + "/") == "kombit-2014"
    workbook = SAMPLE.parent / "no-such-dir" / "aarhus.xlsx"
    assert default_scope(str(workbook)) == "aarhus"
