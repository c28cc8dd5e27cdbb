"""categorize, overview, gap and plan give the same JSON on Neo4j as on networkx (categories
on Neo4j come from Cypher on the scope and its /to-be scope), and so does impact's search."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from snitgraf import cypher
from snitgraf.assessment import Assessment
from snitgraf.backends.base import Backend
from snitgraf.backends.neo4j import (
    TO_BE_SUFFIX,
    Neo4jBackend,
    delete_scope,
    derived_to_be,
    push_graphs,
)
from snitgraf.backends.networkx import NetworkxBackend
from snitgraf.cli import cli
from snitgraf.graph import build_graph
from snitgraf.model import Portfolio
from snitgraf.queries import run_twin
from snitgraf.render.tables import to_json_text
from tests.neo4j.strategies import portfolios
from tests.portfolios import SAMPLE

pytestmark = pytest.mark.neo4j

STATES = ("as-is", "all", "to-be")
TODAY = date(2015, 1, 1)


@pytest.fixture(scope="module")
def sample_scope(driver: Any) -> Any:
    """The sample data pushed once (with its TO-BE graph) for this module's tests."""
    scope = f"parity-kombit-2014-{uuid.uuid4().hex[:8]}"  # a shared server: unique per run
    graph = NetworkxBackend(str(SAMPLE)).full_graph
    push_graphs(driver, {scope: graph, scope + TO_BE_SUFFIX: derived_to_be(graph)})
    yield scope
    delete_scope(driver, scope)
    delete_scope(driver, scope + TO_BE_SUFFIX)


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("command", ["categorize", "overview"])
def test_sample_data_prints_the_same_json_on_both_backends(
    neo4j_env: str, sample_scope: str, command: str, state: str
) -> None:
    on_networkx = _cli(command, str(SAMPLE), "--state", state, "--format", "json")
    on_neo4j = _cli(
        command, neo4j_env, "--scope", sample_scope, "--state", state, "--format", "json"
    )
    assert on_neo4j == on_networkx
    assert on_neo4j.count('"interface"') > 10


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_sample_overview_of_one_system_is_the_same_text_on_both_backends(
    neo4j_env: str, sample_scope: str, fmt: str
) -> None:
    args = ["--system", "kmd-dagpenge", "--format", fmt]
    on_networkx = _cli("overview", str(SAMPLE), *args)
    assert _cli("overview", neo4j_env, "--scope", sample_scope, *args) == on_networkx
    assert "KMD Dagpenge" in on_networkx


def _json(results: Any) -> str:
    return to_json_text(results)


class GraphBackend(Backend):
    """A graph held in memory: the networkx side of a generated portfolio's parity check."""

    name = "graph"

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self._graph = graph

    @property
    def full_graph(self) -> nx.MultiDiGraph:
        return self._graph


def _answers(assessment: Assessment) -> dict[str, str]:
    """categorize and overview per state, gap and plan, as the commands print them (JSON)."""
    answers = {f"categorize {state}": _json(assessment.categorised(state)) for state in STATES}
    answers.update(
        (f"overview {state}", _json(assessment.overview(None, state))) for state in STATES
    )
    answers["gap"] = _json(list(assessment.gap))
    answers["plan"] = _json(list(assessment.plan))
    return answers


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(portfolio=portfolios())
def test_generated_portfolios_give_the_same_json_on_both_backends(
    driver: Any, new_scope: Any, portfolio: Portfolio
) -> None:
    graph = build_graph(portfolio)
    scope = new_scope("parity")
    push_graphs(driver, {scope: graph, scope + TO_BE_SUFFIX: derived_to_be(graph)})
    neo4j = Neo4jBackend(driver, scope, owns_driver=False)
    try:
        expected = _answers(Assessment(GraphBackend(graph), today=TODAY))
        assert _answers(Assessment(neo4j, today=TODAY)) == expected
        impact = cypher.named_queries()["impact"]
        for system in portfolio.systems:
            params = {"system": system.id, "depth": "-1"}
            _columns, rows = neo4j.run_query(impact.text, impact.arguments(params))
            assert [tuple(r) for r in rows] == list(run_twin(graph, "impact", params).rows)
    finally:
        delete_scope(driver, scope)
        delete_scope(driver, scope + TO_BE_SUFFIX)


def _edges(graph: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (u, v, sorted((k, repr(value)) for k, value in attrs.items()))
        for u, v, attrs in graph.edges(data=True)
    )


def test_the_scope_reads_back_as_the_graph_that_was_pushed(
    neo4j_env: str, sample_scope: str
) -> None:
    expected = NetworkxBackend(str(SAMPLE)).full_graph
    backend = Neo4jBackend.connect(neo4j_env, scope=sample_scope)
    try:
        read = backend.full_graph
    finally:
        backend.close()
    assert dict(read.nodes(data=True)) == dict(expected.nodes(data=True))
    assert _edges(read) == _edges(expected)


@pytest.mark.parametrize(
    "args",
    [
        ["gap", "--format", "json"],
        ["impact", "kmd-dagpenge", "--replaced-by", "ksd", "--format", "json"],
        ["plan", "--today", "2014-06-01", "--format", "json"],
        ["budget", "--from", "2014", "--to", "2020", "--format", "json"],
    ],
)
def test_whole_graph_analyses_print_the_same_json_on_both_backends(
    neo4j_env: str, sample_scope: str, args: list[str]
) -> None:
    command, *options = args
    on_networkx = _cli(command, str(SAMPLE), *options)
    on_neo4j = _cli(command, neo4j_env, "--scope", sample_scope, *options)
    assert on_neo4j == on_networkx
    assert len(on_networkx) > 200


@pytest.fixture(scope="module")
def national_scope(driver: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A generated three-municipality portfolio: as a folder, and pushed into one scope."""
    from snitgraf.generate import generate, write

    folder = tmp_path_factory.mktemp("national3")
    generated = generate(municipalities=3, seed=2)
    write(generated, folder)
    scope = f"parity-national3-{uuid.uuid4().hex[:8]}"
    graph = NetworkxBackend(str(folder)).full_graph
    push_graphs(driver, {scope: graph, scope + TO_BE_SUFFIX: derived_to_be(graph)})
    yield folder, scope, generated.portfolio().municipalities[0].code
    delete_scope(driver, scope)
    delete_scope(driver, scope + TO_BE_SUFFIX)


@pytest.mark.parametrize(
    "args",
    [
        ["categorize", "--format", "json"],
        ["overview", "--format", "json"],
        ["overview", "--state", "to-be", "--format", "json"],
        ["plan", "--today", "2015-01-01", "--format", "json"],
        ["national", "--format", "json"],
    ],
)
def test_one_municipality_in_a_national_scope_answers_as_on_networkx(
    neo4j_env: str, national_scope: tuple[Any, str, str], args: list[str]
) -> None:
    folder, scope, code = national_scope
    command, *options = args
    local = [] if command == "national" else ["--municipality", code]
    on_networkx = _cli(command, str(folder), *local, *options)
    on_neo4j = _cli(command, neo4j_env, "--scope", scope, *local, *options)
    assert on_neo4j == on_networkx
    if command == "overview":
        whole = _cli(command, str(folder), *options)
        assert 0 < len(on_networkx) < len(whole)
