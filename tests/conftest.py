"""Test-wide settings and fixtures: property-based tests are derandomised in CI (a run is
reproducible); `installed` is snitgraf built and installed as users get it."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from tests.installed import Installed, build_and_install

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """snitgraf built (sdist, wheel) and installed into a fresh venv, once per run."""
    return build_and_install(tmp_path_factory.mktemp("installed"))
