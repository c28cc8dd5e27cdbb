"""A file missing from ../shared is named plainly: a failure in CI, a skip elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import shared_files


def test_a_missing_shared_file_fails_in_ci_naming_what_and_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared_files, "SHARED", tmp_path)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception) as failed:
        shared_files.shared_file("schemas/x.xsd", "the X schema")
    assert str(failed.value).startswith(
        f"needs the X schema: {tmp_path / 'schemas/x.xsd'} is missing"
    )
    assert "SNITGRAF_SHARED" in str(failed.value)


def test_a_missing_shared_file_skips_outside_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared_files, "SHARED", tmp_path)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="needs the X schema"):
        shared_files.shared_file("schemas/x.xsd", "the X schema")


def test_a_present_shared_file_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "s.txt").write_text("x", encoding="utf-8")
    monkeypatch.setattr(shared_files, "SHARED", tmp_path)
    assert shared_files.shared_file("seeds/s.txt", "a seed") == tmp_path / "seeds" / "s.txt"
