"""Write files whole or not at all: a temporary file beside the target, renamed over it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `target`, on error it vanishes."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, _file_mode(target))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


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
