"""snitgraf as users get it: the wheel and sdist built, the wheel installed into a fresh venv.

The install lives outside the source tree and runs there, so a file found only beside the
checkout (the old `cypher/` lookup) fails these tests. Building needs setuptools from PyPI or
pip's cache; installing needs the dependencies from there too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.portfolios import SAMPLE

ROOT = Path(__file__).resolve().parent.parent

_OFFLINE = re.compile(
    r"No matching distribution|Could not find a version|NewConnectionError|"
    r"Temporary failure in name resolution|Network is unreachable"
)


@dataclass(frozen=True)
class Installed:
    """A built and installed snitgraf: the venv, the built files, and a folder to run in."""

    venv: Path
    wheel: Path
    sdist: Path
    build_log: str
    workdir: Path

    @property
    def portfolio(self) -> Path:
        """A copy of the sample portfolio outside the source tree."""
        return self.workdir / "kombit-2014"

    def python(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the venv's Python in the work folder."""
        return self._run([str(self.venv / "bin" / "python"), *args])

    def snitgraf(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the installed `snitgraf` command in the work folder."""
        return self._run([str(self.venv / "bin" / "snitgraf"), *args])

    def _run(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
        }
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["PYTHONNOUSERSITE"] = "1"
        return subprocess.run(
            command, cwd=self.workdir, env=env, capture_output=True, text=True, timeout=300
        )


def _cannot(step: str, log: str) -> None:
    """Fail (in CI, or for a real error) or skip (offline, locally) with the log's tail."""
    tail = "\n".join(log.strip().splitlines()[-15:])
    message = f"{step} failed:\n{tail}"
    if _OFFLINE.search(log) and os.environ.get("CI", "").lower() != "true":
        pytest.skip(f"{step}: PyPI and pip's cache cannot provide a package (offline?)")
    pytest.fail(message, pytrace=False)


def build_and_install(base: Path) -> Installed:
    """Build sdist and wheel from the checkout, install the wheel into a fresh venv under base."""
    dist = base / "dist"
    # `python -m build` builds the sdist, then the wheel from the unpacked sdist: a file the
    # sdist lacks is missing from the wheel too.
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    log = built.stdout + built.stderr
    if built.returncode != 0:
        _cannot("building the sdist and wheel", log)
    (wheel,) = dist.glob("snitgraf-*.whl")
    (sdist,) = dist.glob("snitgraf-*.tar.gz")

    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    installed = subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if installed.returncode != 0:
        _cannot("installing the wheel into a fresh venv", installed.stdout + installed.stderr)

    workdir = base / "work"
    workdir.mkdir()
    shutil.copytree(SAMPLE, workdir / SAMPLE.name)
    return Installed(env_dir, wheel, sdist, log, workdir)
