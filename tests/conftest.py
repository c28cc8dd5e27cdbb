"""Test-wide settings: property-based tests are derandomised in CI, so a run is reproducible.

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

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Every test starts in English, whatever a test before it chose."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")
