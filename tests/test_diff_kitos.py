"""A KITOS re-import with one relation more: `diff` shows exactly that relation (one usage) and
its consequences, through the fake KITOS server of the import tests (Horsens' lifecycle
fixtures: KMD Opus Økonomi exposes GJ510002Q 'Kontoplan', which no relation uses yet)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from snitgraf.cli import cli
from snitgraf.io import kitos
from tests.kitos_server import HORSENS, LIFECYCLE, ORGANIZATIONS, TOKEN, FakeKitos, serving

KMD_AKTIV = "44444444-0615-4000-8000-000000000001"
OPUS = "44444444-0615-4000-8000-000000000002"
KONTOPLAN = "33333333-0615-4000-8000-000000000003"
"""The new relation: KMD Aktiv (a monopoly system) -> KMD Opus Økonomi through GJ510002Q."""


def _import(pages: kitos.Pages, into: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KITOS_TOKEN", TOKEN)
    with serving(FakeKitos(pages, ORGANIZATIONS)) as url:
        result = CliRunner().invoke(
            cli, ["import-kitos", "--url", url, "--organization", HORSENS, "--into", str(into)]
        )
    assert result.exit_code == 0, result.output
    return into


def _one_relation_more(pages: kitos.Pages) -> kitos.Pages:
    changed = copy.deepcopy(pages)
    (usage,) = [u for u in changed["it-system-usages"] if u["uuid"] == KMD_AKTIV]
    usage["outgoingSystemRelations"].append(
        {
            "uuid": "66666666-0615-4000-8000-000000000099",
            "toSystemUsage": {"uuid": OPUS, "name": "KMD Opus Økonomi"},
            "relationInterface": {"uuid": KONTOPLAN, "name": "Kontoplan"},
            "associatedContract": None,
            "relationFrequency": None,
            "description": None,
            "urlReference": None,
        }
    )
    return changed


def test_a_kitos_reimport_with_one_relation_more_shows_that_usage_and_its_consequences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = kitos.read_dir(LIFECYCLE)
    old = _import(pages, tmp_path / "before", monkeypatch)
    new = _import(_one_relation_more(pages), tmp_path / "after", monkeypatch)
    result = CliRunner().invoke(
        cli, ["diff", str(old), str(new), "--today", "2015-01-01", "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    document: dict[str, Any] = json.loads(result.output)
    changed = [
        (kind, change, row)
        for kind, by_change in document["inventory"].items()
        for change, rows in by_change.items()
        for row in rows
    ]
    assert [(kind, change) for kind, change, _row in changed] == [("usages", "added")]
    usage = changed[0][2]
    assert (usage["interface"], usage["system"], usage["municipality"]) == (
        "GJ510002Q",
        "kmd-aktiv",
        "29189587",
    )
    fields = {f["field"]: f["new"] for f in usage["fields"]}
    assert fields["kitos_uuid"] == "66666666-0615-4000-8000-000000000099"
    assert fields["need"] == "must"
    # Every consequence is about that interface.
    consequences = [
        *(c["interface"] for c in document["categories"]),
        *(a["interface"] for by in document["plan_actions"].values() for a in by),
        *(n["interface"] for by in document["broken_needs"].values() for n in by),
    ]
    assert consequences and set(consequences) == {"GJ510002Q"}
    # A monopoly system now must use Kontoplan: the municipality's own interface becomes 98'.
    (flip,) = document["categories"]
    assert (flip["old"]["category"], flip["new"]["category"]) == ("municipal", "kombit-98")
    assert flip["old"]["reasons"][0] == (
        "no monopoly system uses an interface carrying data 'GJ510002Q'"
    )
    assert flip["new"]["reasons"][0].startswith("must: monopoly system(s) must use data")
    assert document["budget"]["changes"]
