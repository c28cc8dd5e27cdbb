"""Test-wide settings and fixtures: property-based tests are derandomised in CI (a run is
reproducible); `installed` is snitgraf built and installed as users get it.

The suite runs in English (SNITGRAF_LANG=en, for CliRunner and subprocesses alike), so its
assertions read the English source strings; tests/test_i18n.py proves Danish is the default.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from snitgraf import i18n

os.environ[i18n.ENV_VAR] = "en"
from tests.installed import Installed, build_and_install

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """snitgraf built (sdist, wheel) and installed into a fresh venv, once per run."""
    return build_and_install(tmp_path_factory.mktemp("installed"))


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Every test starts in English, whatever a test before it chose."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")
