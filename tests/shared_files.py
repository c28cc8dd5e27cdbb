"""Files some tests need from outside the repository: the sessions' `../shared` folder.

The ArchiMate exchange-format XSD (The Open Group's, licensed separately) and the seed text with
KMD's interface tables are not in the repository. `shared_file` finds one, or says plainly what
is missing and where it was looked for: a failure in CI, a skip elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(
    os.environ.get("SNITGRAF_SHARED", Path(__file__).resolve().parents[2] / "shared")
).resolve()
"""The shared folder: SNITGRAF_SHARED, else `shared/` beside the repository."""


def shared_file(relative: str, what: str) -> Path:
    """The path of a file in the shared folder, or fail (CI) / skip (elsewhere) naming it."""
    path = SHARED / relative
    if path.is_file():
        return path
    message = (
        f"needs {what}: {path} is missing (put the shared folder beside the repository, "
        "or set SNITGRAF_SHARED to it)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
