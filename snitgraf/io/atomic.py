"""Write files whole or not at all: a temporary file beside the target, renamed over it."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from snitgraf.problems import SnitgrafError


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `target`, on error it vanishes."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:  # a read-only folder, a file where a folder should be, ...
        raise SnitgrafError(f"cannot write {target}: {_reason(error, target)}") from error
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        try:
            os.chmod(temporary, _file_mode(target))
            os.replace(temporary, target)
        except OSError as error:  # e.g. a folder where the file should be
            reason = error.strerror or str(error)
            raise SnitgrafError(f"cannot write {target}: {reason}") from error
    finally:
        temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_folder(target: str | Path) -> Iterator[Path]:
    """Yield a staging folder inside `target`; on success its files move into `target` (each
    rename atomic), on error they vanish and `target` keeps what it had."""
    target = Path(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".snitgraf-staging-", dir=target))
    except OSError as error:
        raise SnitgrafError(f"cannot write into {target}: {_reason(error, target)}") from error
    try:
        yield staging
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                destination = target / path.relative_to(staging)
                try:
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, destination)
                except OSError as error:
                    reason = error.strerror or str(error)
                    raise SnitgrafError(f"cannot write {destination}: {reason}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _reason(error: OSError, target: Path) -> str:
    """What the operating system said, naming the folder when that is what failed."""
    reason = error.strerror or str(error)
    if isinstance(error, FileExistsError) and error.filename is not None:
        return f"{error.filename} exists and is not a folder"
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
