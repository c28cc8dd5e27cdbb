"""snitgraf query: every shipped query's Cypher equals its Python twin; Neo4j runs read-only."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from click.testing import CliRunner, Result

from snitgraf import cypher
from snitgraf.backends.neo4j import (
    TO_BE_SUFFIX,
    Neo4jBackend,
    delete_scope,
    derived_to_be,
    push_graphs,
)
from snitgraf.backends.networkx import NetworkxBackend
from snitgraf.cli import cli
from snitgraf.queries import TWINS, run_twin
from tests.neo4j.graphs import snapshot
from tests.portfolios import SAMPLE

pytestmark = pytest.mark.neo4j

CASES: list[tuple[str, dict[str, str]]] = [
    ("expiring-before-replacement", {}),
    ("single-source-suppliers", {}),
    ("unknown-expiry", {}),
    ("replacements", {}),
    ("monopoly-dependencies", {}),
    ("monopoly-dependencies", {"system": "kmd-sag"}),
    ("systems-within-hops", {"system": "kmd-sag"}),
    ("systems-within-hops", {"system": "kmd-dagpenge", "hops": "1"}),
    ("systems-within-hops", {"system": "acadre", "hops": "3"}),
    ("systems-within-hops", {"system": "no-such-system"}),
    ("impact", {"system": "kmd-sag"}),
    ("impact", {"system": "serviceplatformen", "depth": "1"}),
    ("impact", {"system": "kmd-udbetaling"}),
    ("impact", {"system": "ksd"}),
    ("impact", {"system": "no-such-system"}),
]


@pytest.fixture(scope="module")
def sample(driver: Any) -> Any:
    """The sample data pushed into its own scope, and its networkx graph."""
    scope = f"query-kombit-2014-{uuid.uuid4().hex[:8]}"  # a shared server: unique per run
    graph = NetworkxBackend(str(SAMPLE)).full_graph
    push_graphs(driver, {scope: graph, scope + TO_BE_SUFFIX: derived_to_be(graph)})
    yield scope, graph
    delete_scope(driver, scope)
    delete_scope(driver, scope + TO_BE_SUFFIX)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_every_shipped_query_has_a_twin_and_a_case_here() -> None:
    assert set(cypher.named_queries()) == set(TWINS) == {name for name, _ in CASES}


@pytest.mark.parametrize(("name", "params"), CASES)
def test_shipped_query_on_neo4j_equals_its_python_twin(
    driver: Any, sample: Any, name: str, params: dict[str, str]
) -> None:
    scope, graph = sample
    statement = cypher.named_queries()[name]
    backend = Neo4jBackend(driver, scope, owns_driver=False)
    columns, rows = backend.run_query(statement.text, statement.arguments(params))
    expected = run_twin(graph, name, params)
    assert tuple(columns) == statement.columns == expected.columns
    assert [tuple(r) for r in rows] == list(expected.rows)


def test_the_sample_data_has_an_answer_for_the_architects_main_questions(sample: Any) -> None:
    _, graph = sample
    gap = run_twin(graph, "expiring-before-replacement", {}).records()
    assert [(r["interface"], r["contract"], r["replacement"]) for r in gap] == [
        ("SID001", "K-DP-UDBETALING", "ksd")
    ]
    single = run_twin(graph, "single-source-suppliers", {}).records()
    assert {r["supplier"] for r in single} == {"ams", "atp", "kmd", "skat"}


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_query_command_prints_the_same_on_both_backends(
    neo4j_env: str, sample: Any, fmt: str
) -> None:
    scope, _ = sample
    args = ["systems-within-hops", "--param", "system=kmd-dagpenge", "--param", "hops=1"]
    on_neo4j = run("query", neo4j_env, *args, "--scope", scope, "--format", fmt)
    on_networkx = run("query", str(SAMPLE), *args, "--format", fmt)
    assert on_neo4j.exit_code == 0, on_neo4j.output
    assert on_neo4j.output == on_networkx.output
    assert "kmd-udbetaling" in on_neo4j.output


def test_a_writing_query_is_refused_without_write_and_changes_nothing(
    neo4j_env: str, driver: Any, sample: Any
) -> None:
    scope, _ = sample
    before = snapshot(driver, scope)
    text = "MATCH (s:System {scope: $scope}) SET s.hacked = true RETURN count(s) AS n"
    result = run("query", neo4j_env, text, "--scope", scope)
    assert result.exit_code == 1
    assert result.output == (
        "error: the query writes to the database or changes the server; queries run "
        "read-only unless --write\n"
    )
    assert snapshot(driver, scope) == before


def test_write_lets_an_ad_hoc_query_write(
    neo4j_env: str, driver: Any, scope: str, tmp_path: Any
) -> None:
    push_graphs(driver, {scope: NetworkxBackend(str(SAMPLE)).full_graph})
    query_file = tmp_path / "mark.cypher"
    query_file.write_text(
        "// Mark a system.\n// param: system (text) its id\n// columns: n\n"
        "MATCH (s:System {scope: $scope, id: $system}) SET s.marked = true RETURN count(s) AS n\n",
        encoding="utf-8",
    )
    result = run(
        "query", neo4j_env, str(query_file), "--scope", scope, "--param", "system=ky",
        "--write", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == '[\n  {\n    "n": 1\n  }\n]\n'
    nodes, _ = snapshot(driver, scope)
    assert nodes[("System", "ky")]["marked"] is True


def test_parameters_travel_as_parameters_not_as_cypher(neo4j_env: str, sample: Any) -> None:
    scope, _ = sample
    hostile = "x' OR 1=1 //`}) DETACH DELETE n"
    text = "MATCH (s:System {scope: $scope, id: $system}) RETURN s.id AS id"
    result = run(
        "query", neo4j_env, text, "--scope", scope, "--param", f"system={hostile}",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == "[]\n"
    # A shipped query takes it as a system to look up, and finds none.
    shipped = run(
        "query", neo4j_env, "systems-within-hops", "--scope", scope,
        "--param", f"system={hostile}",
    )  # fmt: skip
    assert shipped.output.startswith(f"error: unknown system {hostile!r}"), shipped.output
    systems = run("query", neo4j_env, "replacements", "--scope", scope, "--format", "csv")
    assert "kmd-dagpenge,KMD Dagpenge,ksd," in systems.output


def test_a_cypher_syntax_error_is_one_line(neo4j_env: str, sample: Any) -> None:
    scope, _ = sample
    result = run("query", neo4j_env, "MATCH (n RETURN n", "--scope", scope)
    assert result.exit_code == 1
    assert result.output.startswith("error: Cypher error: ")
    assert result.output.count("\n") == 1


def test_ad_hoc_cypher_on_a_folder_says_it_needs_neo4j() -> None:
    result = run("query", str(SAMPLE), "MATCH (n) RETURN n")
    assert result.exit_code == 1
    assert result.output.startswith("error: ad-hoc Cypher needs Neo4j")
    assert result.output.count("\n") == 1


def test_an_unknown_query_name_lists_the_shipped_ones() -> None:
    result = run("query", str(SAMPLE), "no-such-query")
    assert result.exit_code == 1
    assert result.output.startswith("error: no shipped query 'no-such-query' (shipped: ")
    assert "systems-within-hops" in result.output


def test_a_missing_required_parameter_is_one_line() -> None:
    result = run("query", str(SAMPLE), "systems-within-hops")
    assert result.exit_code == 1
    assert result.output.startswith("error: query systems-within-hops needs --param system=")


@pytest.mark.parametrize("backend", ["networkx", "neo4j"])
def test_an_unknown_system_is_one_line_naming_the_closest_not_an_empty_table(
    neo4j_env: str, sample: Any, backend: str
) -> None:
    portfolio = [neo4j_env, "--scope", sample[0]] if backend == "neo4j" else [str(SAMPLE)]
    result = run("query", *portfolio, "systems-within-hops", "--param", "system=kmd-sagg")
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: unknown system 'kmd-sagg'; closest: kmd-sag (KMD Sag)")
    assert result.output.count("\n") == 1, result.output


@pytest.mark.parametrize("backend", ["networkx", "neo4j"])
def test_a_query_takes_a_system_by_its_exact_name_too(
    neo4j_env: str, sample: Any, backend: str
) -> None:
    portfolio = [neo4j_env, "--scope", sample[0]] if backend == "neo4j" else [str(SAMPLE)]
    query = ["query", *portfolio, "systems-within-hops", "--format", "json", "--param"]
    by_id = run(*query, "system=kmd-sag")
    by_name = run(*query, "system=KMD Sag")
    assert by_id.exit_code == 0, by_id.output
    assert by_name.output == by_id.output
    assert json.loads(by_id.output)


@pytest.mark.parametrize(
    "text",
    [
        "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
        "CALL db.clearQueryCaches()",
        "CALL db.createLabel('Hacked')",
    ],
)
def test_a_query_that_changes_the_server_is_refused_without_write(
    neo4j_env: str, sample: Any, text: str
) -> None:
    scope, _ = sample
    result = run("query", neo4j_env, text, "--scope", scope)
    assert result.output == (
        "error: the query writes to the database or changes the server; queries run "
        "read-only unless --write\n"
    )
    assert result.exit_code == 1


def test_the_test_server_refuses_to_read_local_files(extra_server: Any) -> None:
    server = extra_server()
    pushed = run("push", str(SAMPLE), "--to", server.uri, "--scope", "s", "--no-to-be")
    assert pushed.exit_code == 0, pushed.output
    text = "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row"
    result = run("query", server.uri, text, "--scope", "s")
    assert result.exit_code == 1, result.output
    assert "root:" not in result.output
    assert result.output.startswith("error: Cypher error:")
