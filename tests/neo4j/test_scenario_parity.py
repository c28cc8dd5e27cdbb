"""What-if go-live dates give the same answers on Neo4j (--scope) as on networkx: the scenario
is written onto the scope's graph as read back, before anything is derived."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import pytest
from click.testing import CliRunner

from snitgraf.assessment import Assessment
from snitgraf.backends.neo4j import (
    TO_BE_SUFFIX,
    Neo4jBackend,
    delete_scope,
    derived_to_be,
    push_graphs,
)
from snitgraf.backends.networkx import NetworkxBackend
from snitgraf.cli import cli
from snitgraf.render.tables import to_json_text
from snitgraf.values import parse_date
from tests.portfolios import SAMPLE

pytestmark = pytest.mark.neo4j

TODAY = date(2015, 1, 1)
GO_LIVE = {"ksd": parse_date("2019-06"), "SAPA – Sags- og Partsoverblik": parse_date("2018")}


@pytest.fixture(scope="module")
def sample_scope(driver: Any) -> Any:
    """The sample data pushed once (with its TO-BE graph) for this module's tests."""
    scope = f"scenario-kombit-2014-{uuid.uuid4().hex[:8]}"  # a shared server: unique per run
    graph = NetworkxBackend(str(SAMPLE)).full_graph
    push_graphs(driver, {scope: graph, scope + TO_BE_SUFFIX: derived_to_be(graph)})
    yield scope
    delete_scope(driver, scope)
    delete_scope(driver, scope + TO_BE_SUFFIX)


def _answers(assessment: Assessment) -> dict[str, str]:
    """Every go-live-dependent result of a run, as JSON text."""
    return {
        "scenario": json.dumps(assessment.scenario.to_json()),
        "plan": to_json_text(list(assessment.plan)),
        "budget": to_json_text(assessment.budget),
        "summary": json.dumps(assessment.summary.to_json()),
        "changes": json.dumps([(c.system, c.go_live, len(c.actions)) for c in assessment.changes]),
        "impact": to_json_text(assessment.impact("kmd-dagpenge")),
    }


def test_a_go_live_scenario_gives_the_same_answers_on_both_backends(
    driver: Any, sample_scope: str
) -> None:
    with Assessment(NetworkxBackend(str(SAMPLE)), today=TODAY, go_live=GO_LIVE) as on_networkx:
        expected = _answers(on_networkx)
    neo4j = Neo4jBackend(driver, sample_scope, owns_driver=False)
    with Assessment(neo4j, today=TODAY, go_live=GO_LIVE) as on_neo4j:
        assert _answers(on_neo4j) == expected
    with Assessment(Neo4jBackend(driver, sample_scope, owns_driver=False), today=TODAY) as plain:
        unchanged = _answers(plain)
    assert unchanged["plan"] != expected["plan"] and unchanged["budget"] != expected["budget"]
    assert '"scenario_go_live": "2019-06"' in expected["scenario"]


def test_the_cli_prints_the_same_scenario_plan_from_a_scope(
    neo4j_env: str, sample_scope: str
) -> None:
    args = ["--today", "2015-01-01", "--go-live", "ksd=2019-06", "--format", "json"]
    runner = CliRunner()
    on_networkx = runner.invoke(cli, ["plan", str(SAMPLE), *args])
    on_neo4j = runner.invoke(cli, ["plan", neo4j_env, "--scope", sample_scope, *args])
    assert on_networkx.exit_code == on_neo4j.exit_code == 0, on_neo4j.output
    assert on_neo4j.stdout == on_networkx.stdout
    assert json.loads(on_neo4j.stdout)["go_live_overrides"][0]["system"] == "ksd"
    bad = runner.invoke(
        cli, ["plan", neo4j_env, "--scope", sample_scope, "--go-live", "kmd-aktiv=2019"]
    )
    assert bad.exit_code == 2 and "'kmd-aktiv=2019'" in bad.stderr
