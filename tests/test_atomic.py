"""Outputs are written whole or not at all, with ordinary file permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from snitgraf.io.atomic import atomic_path, write_text_atomic


def test_a_new_file_gets_the_umask_mode_not_mkstemps_private_one(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        written = write_text_atomic(tmp_path / "out.csv", "a,b\n")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    write_text_atomic(target, "new\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text(encoding="utf-8") == "new\n"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_file_where_the_folder_should_be_is_a_one_line_error(tmp_path: Path) -> None:
    from snitgraf.problems import SnitgrafError

    (tmp_path / "notes.txt").write_text("precious\n", encoding="utf-8")
    with pytest.raises(SnitgrafError, match=r"cannot write .*out\.csv: .*is not a folder"):
        write_text_atomic(tmp_path / "notes.txt" / "out.csv", "a,b\n")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "precious\n"


def test_a_folder_where_the_file_should_be_is_named_in_the_error(tmp_path: Path) -> None:
    from snitgraf.problems import SnitgrafError

    (tmp_path / "out.csv").mkdir()
    with pytest.raises(SnitgrafError, match=r"cannot write .*out\.csv: Is a directory"):
        write_text_atomic(tmp_path / "out.csv", "a,b\n")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
