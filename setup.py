"""Build hook: compile the message catalogues (.po -> .mo) whenever the package is built.

Everything else about the package is declared in pyproject.toml. build_py runs for wheels,
sdist-to-wheel builds and editable installs alike, so an installed snitgraf always has its .mo.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class build_py_with_catalogues(build_py):
    """build_py that first compiles snitgraf/locale/*/LC_MESSAGES/snitgraf.po to .mo."""

    def run(self) -> None:
        # snitgraf.i18n imports nothing from snitgraf, so it loads by path in the build env.
        spec = importlib.util.spec_from_file_location("_snitgraf_i18n", HERE / "snitgraf/i18n.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for mo in module.compile_catalogues(HERE / "snitgraf" / "locale"):
            self.announce(f"compiled {mo.relative_to(HERE)}", level=2)
        super().run()


setup(cmdclass={"build_py": build_py_with_catalogues})
