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


# --- issue 15: all outputs or none, stale staging, links and devices -------------------------


def _outputs(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_move_failing_half_way_puts_every_old_output_back(tmp_path: Path) -> None:
    from snitgraf.io.atomic import atomic_folder
    from snitgraf.problems import SnitgrafError

    out = tmp_path / "out"
    out.mkdir()
    for name in ("a.csv", "b.csv", "d.csv"):
        (out / name).write_text(f"old {name}\n", encoding="utf-8")
    (out / "c.csv").mkdir()  # a folder where a file should be: the third move fails
    (out / "c.csv" / "keep.txt").write_text("mine\n", encoding="utf-8")
    before = _outputs(out)
    with (
        pytest.raises(SnitgrafError, match=r"cannot write .*c\.csv"),
        atomic_folder(out) as staging,
    ):
        for name in ("a.csv", "b.csv", "c.csv", "d.csv", "new.csv"):
            (staging / name).write_text(f"new {name}\n", encoding="utf-8")
        (staging / "sub").mkdir()
        (staging / "sub" / "e.csv").write_text("new e\n", encoding="utf-8")
    assert _outputs(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "b.csv", "c.csv", "d.csv"]


def test_a_successful_run_replaces_every_output_and_leaves_no_staging(tmp_path: Path) -> None:
    from snitgraf.io.atomic import atomic_folder

    out = tmp_path / "out"
    out.mkdir()
    (out / "a.csv").write_text("old\n", encoding="utf-8")
    (out / "mine.txt").write_text("not an output\n", encoding="utf-8")
    with atomic_folder(out) as staging:
        (staging / "a.csv").write_text("new\n", encoding="utf-8")
        (staging / "sub").mkdir()
        (staging / "sub" / "b.csv").write_text("new b\n", encoding="utf-8")
    assert _outputs(out) == {
        "a.csv": "new\n",
        "mine.txt": "not an output\n",
        "sub/b.csv": "new b\n",
    }


def test_a_killed_runs_staging_folder_is_cleaned_by_the_next_run(tmp_path: Path) -> None:
    from snitgraf.io.atomic import atomic_folder

    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".snitgraf-staging-999999999-abc"  # no such process
    (stale / "new").mkdir(parents=True)
    (stale / "new" / "half.csv").write_text("half\n", encoding="utf-8")
    with atomic_folder(out) as staging:
        (staging / "a.csv").write_text("new\n", encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["a.csv"]


def test_a_live_runs_staging_folder_is_left_alone(tmp_path: Path) -> None:
    from snitgraf.io.atomic import atomic_folder

    out = tmp_path / "out"
    out.mkdir()
    live = out / f".snitgraf-staging-{os.getppid()}-abc"
    live.mkdir()
    with atomic_folder(out) as staging:
        (staging / "a.csv").write_text("new\n", encoding="utf-8")
    assert live.is_dir()


def test_writing_through_a_link_replaces_the_file_it_points_to(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_text_atomic(link, "new\n")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new\n"


def test_a_device_or_fifo_as_target_is_refused(tmp_path: Path) -> None:
    from snitgraf.problems import SnitgrafError

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(SnitgrafError, match=r"cannot write .*pipe: not a regular file"):
        write_text_atomic(fifo, "x\n")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    with pytest.raises(SnitgrafError, match=r"cannot write /dev/null: not a regular file"):
        write_text_atomic("/dev/null", "x\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_an_output_inside_the_folder_through_a_link_writes_through(tmp_path: Path) -> None:
    from snitgraf.io.atomic import atomic_folder

    out = tmp_path / "out"
    out.mkdir()
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    (out / "a.csv").symlink_to(real)
    with atomic_folder(out) as staging:
        (staging / "a.csv").write_text("new\n", encoding="utf-8")
    assert (out / "a.csv").is_symlink()
    assert real.read_text(encoding="utf-8") == "new\n"


def test_an_output_that_is_a_device_link_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    from snitgraf.io.atomic import atomic_folder
    from snitgraf.problems import SnitgrafError

    out = tmp_path / "out"
    out.mkdir()
    (out / "a.csv").write_text("old\n", encoding="utf-8")
    (out / "b.csv").symlink_to("/dev/null")
    with pytest.raises(SnitgrafError, match="not a regular file"), atomic_folder(out) as staging:
        (staging / "a.csv").write_text("new\n", encoding="utf-8")
        (staging / "b.csv").write_text("new\n", encoding="utf-8")
    assert (out / "a.csv").read_text(encoding="utf-8") == "old\n"
    assert os.readlink(out / "b.csv") == "/dev/null"
