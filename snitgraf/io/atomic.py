"""Write files whole or not at all: a temporary file beside the target, renamed over it."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from snitgraf.i18n import _
from snitgraf.problems import SnitgrafError

_UNSAFE_IN_NAME = re.compile(r"[^\w.\-]")


def file_stem(text: str) -> str:
    """Text (a municipality code, an organisation) as part of a file name: every character
    that could leave the folder or trouble a shell becomes '_', and '.' or '..' alone is '_'."""
    stem = _UNSAFE_IN_NAME.sub("_", text)
    return "_" if stem.strip(".") == "" else stem


STAGING_PREFIX = ".snitgraf-staging-"
"""Staging folders inside --out are named `.snitgraf-staging-<pid>-<random>`."""


def writable_target(path: Path) -> Path:
    """Where writing `path` lands: through a symbolic link to the file it names; an existing
    folder, device or FIFO is refused (replacing /dev/full with a file helps nobody)."""
    real = path.resolve() if path.is_symlink() else path
    try:
        mode = os.stat(real).st_mode
    except (FileNotFoundError, NotADirectoryError):  # new, or its folder is the problem
        return real
    except OSError as error:
        raise SnitgrafError(_cannot_write(path, _reason(error, path))) from error
    if stat.S_ISDIR(mode):
        raise SnitgrafError(_("cannot write {path}: Is a directory").format(path=path))
    if not stat.S_ISREG(mode):
        raise SnitgrafError(_("cannot write {path}: not a regular file").format(path=path))
    return real


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `target` (or, for a link, the
    file the link names), on error it vanishes."""
    target = Path(target)
    real = writable_target(target)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as error:  # a read-only folder, a file where a folder should be, ...
        raise SnitgrafError(_cannot_write(target, _reason(error, target))) from error
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        try:
            os.chmod(temporary, _file_mode(real))
            os.replace(temporary, real)
        except OSError as error:  # e.g. a folder where the file should be
            reason = error.strerror or str(error)
            raise SnitgrafError(_cannot_write(target, reason)) from error
    finally:
        temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_folder(target: str | Path) -> Iterator[Path]:
    """Yield a staging folder inside `target`; on success its files replace their namesakes in
    `target`, all of them or none: a move failing half-way puts back what was moved. On error
    nothing in `target` changes. A killed run's staging folder is removed by the next run."""
    target = Path(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(target)
        root = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=target))
    except OSError as error:
        raise SnitgrafError(
            _("cannot write into {path}: {reason}").format(
                path=target, reason=_reason(error, target)
            )
        ) from error
    try:
        staging = root / "new"
        staging.mkdir()
        yield staging
        _swap_in(staging, target, root / "old")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _remove_stale_staging(target: Path) -> None:
    """Remove staging folders whose run has ended (killed, or from an older version)."""
    for entry in target.glob(f"{STAGING_PREFIX}*"):
        pid_text = entry.name[len(STAGING_PREFIX) :].split("-", 1)[0]
        if pid_text.isdigit() and _running(int(pid_text)):
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _running(pid: int) -> bool:
    """Whether a process with this id runs (another user's counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid > 0
    return True


def _swap_in(staging: Path, target: Path, backup: Path) -> None:
    """Move every staged file into `target`; each replaced file is kept in `backup` until all
    are in, and on any failure every moved file is put back and every new one removed."""
    plan = []
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        relative = path.relative_to(staging)
        plan.append((path, target / relative, writable_target(target / relative), relative))
    saved: list[tuple[Path, Path]] = []
    created: list[Path] = []
    made: list[Path] = []
    try:
        for path, shown, destination, relative in plan:
            try:
                _make_folders(destination.parent, made)
                if destination.exists():
                    keep = backup / relative
                    keep.parent.mkdir(parents=True, exist_ok=True)
                    _place(destination, keep, copy=True)
                    saved.append((keep, destination))
                    os.chmod(path, stat.S_IMODE(destination.stat().st_mode))
                else:
                    created.append(destination)
                _place(path, destination, copy=destination != shown)
            except OSError as error:
                reason = error.strerror or str(error)
                raise SnitgrafError(
                    _("cannot write {path}: {reason} (the previous outputs are kept)").format(
                        path=shown, reason=reason
                    )
                ) from error
    except BaseException:
        for keep, destination in reversed(saved):
            with contextlib.suppress(OSError):
                _place(keep, destination, copy=False)
        for destination in created:
            with contextlib.suppress(OSError):
                destination.unlink()
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _place(source: Path, destination: Path, copy: bool) -> None:
    """Put `source` at `destination` in one rename; a copy first when asked (a link's target may
    be on another file system) or when the rename cannot cross file systems."""
    if not copy:
        try:
            os.replace(source, destination)
            return
        except OSError as error:
            if error.errno != errno.EXDEV:
                raise
    handle, name = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    os.close(handle)
    try:
        shutil.copy2(source, name)
        os.replace(name, destination)
    finally:
        Path(name).unlink(missing_ok=True)


def _make_folders(folder: Path, made: list[Path]) -> None:
    """Create `folder` and its missing parents, noting each one created (to remove on failure)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir()
        made.append(new)


def _cannot_write(path: Path, reason: str) -> str:
    return _("cannot write {path}: {reason}").format(path=path, reason=reason)


def _reason(error: OSError, target: Path) -> str:
    """What the operating system said, naming the folder when that is what failed."""
    reason = error.strerror or str(error)
    if isinstance(error, FileExistsError) and error.filename is not None:
        return _("{path} exists and is not a folder").format(path=error.filename)
    if error.filename is not None and Path(error.filename).parent != target.parent:
        return f"{reason} ({error.filename})"
    return reason


def _file_mode(target: Path) -> int:
    """The mode a new file gets (mkstemp's is 0600), or the mode of the file it replaces."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_atomic(target: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write text to `target` atomically (UTF-8 by default, never the platform encoding)."""
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding=encoding, newline="")
    return Path(target)
