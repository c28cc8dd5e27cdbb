"""snitgraf push on a real Neo4j: the networkx graph, idempotent, clean, isolated, atomic."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from snitgraf.backends.neo4j import constraint_name, push_graphs
from snitgraf.backends.networkx import NetworkxBackend
from snitgraf.cli import cli
from snitgraf.graph import build_graph
from snitgraf.schema import NODES
from tests.neo4j.graphs import graph_snapshot, snapshot
from tests.portfolios import SAMPLE, portfolio, write_portfolio

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]


def tables(extra_interface: bool = True) -> dict[str, list[dict[str, Any]]]:
    """A small portfolio; without `extra_interface` one interface, its usage and contract go."""
    interfaces = [
        {"id": "SID001", "name": "Udbetaling", "provider": "udb", "data": "udbetaling"},
        {"id": "SID002", "name": "Ydelser {x}", "provider": "udb", "data": "ydelse"},
    ]
    usages = [{"interface": "SID001", "system": "dagpenge", "need": "must", "direction": "out"}]
    contracts = [
        {"id": "K1", "interface": "SID001", "supplier": "kmd", "expires": "2016"},
    ]
    if extra_interface:
        interfaces.append(
            {"id": "SID003", "name": "Øko `posteringer`", "provider": "prisme", "data": "øko"}
        )
        usages.append({"interface": "SID003", "system": "dagpenge", "need": "nice"})
        contracts.append(
            {"id": "K3", "interface": "SID003", "supplier": "fujitsu", "expires": "2017-06"}
        )
    return {
        "suppliers": [
            {"id": "kmd", "name": "KMD", "ski": "02.19"},
            {"id": "fujitsu", "name": "Fujitsu", "kontakt person": 'Ærø "Å" O\'Neil'},
        ],
        "systems": [
            {"id": "dagpenge", "name": "KMD Dagpenge", "supplier": "kmd", "monopoly": "ja"},
            {"id": "udb", "name": "KMD Udbetaling", "supplier": "kmd"},
            {"id": "prisme", "name": "Prisme (Øko)", "supplier": "fujitsu"},
        ],
        "interfaces": interfaces,
        "usages": usages,
        "contracts": contracts,
    }


def test_push_writes_the_networkx_graph_with_its_labels_types_and_properties(
    driver: Any, scope: str
) -> None:
    graph = NetworkxBackend(str(SAMPLE)).full_graph
    summary = push_graphs(driver, {scope: graph})
    assert snapshot(driver, scope) == graph_snapshot(graph)
    assert summary.scopes[0].nodes["Interface"] == 39
    assert summary.elements == graph.number_of_nodes() + graph.number_of_edges()


def test_pushing_twice_gives_the_same_graph(driver: Any, scope: str) -> None:
    graph = NetworkxBackend(str(SAMPLE)).full_graph
    push_graphs(driver, {scope: graph})
    first = snapshot(driver, scope)
    summary = push_graphs(driver, {scope: graph}, batch_size=7)
    assert snapshot(driver, scope) == first
    assert summary.removed_nodes == 0


def test_a_portfolio_with_rows_removed_removes_exactly_those_nodes_and_relationships(
    driver: Any, scope: str, tmp_path: Path
) -> None:
    full = build_graph(portfolio(tmp_path / "full", **tables()))
    smaller = build_graph(portfolio(tmp_path / "smaller", **tables(extra_interface=False)))
    push_graphs(driver, {scope: full})
    summary = push_graphs(driver, {scope: smaller})
    assert snapshot(driver, scope) == graph_snapshot(smaller)
    # SID003, its data key øko and contract K3 (prisme and fujitsu stay: still listed)
    assert summary.removed_nodes == 3
    nodes, _ = snapshot(driver, scope)
    assert ("Interface", "SID003") not in nodes
    assert ("Contract", "K3") not in nodes


def test_extra_columns_with_any_names_become_properties(
    driver: Any, scope: str, tmp_path: Path
) -> None:
    push_graphs(driver, {scope: build_graph(portfolio(tmp_path, **tables()))})
    nodes, _ = snapshot(driver, scope)
    assert nodes[("Supplier", "fujitsu")]["kontakt person"] == 'Ærø "Å" O\'Neil'
    assert nodes[("Interface", "SID002")]["name"] == "Ydelser {x}"


def test_a_removed_column_disappears_from_the_nodes(
    driver: Any, scope: str, tmp_path: Path
) -> None:
    data = tables()
    push_graphs(driver, {scope: build_graph(portfolio(tmp_path / "a", **data))})
    data["suppliers"][1].pop("kontakt person")
    push_graphs(driver, {scope: build_graph(portfolio(tmp_path / "b", **data))})
    nodes, _ = snapshot(driver, scope)
    assert "kontakt person" not in nodes[("Supplier", "fujitsu")]


def test_scopes_live_side_by_side_and_a_push_touches_only_its_own(
    driver: Any, new_scope: Any, tmp_path: Path
) -> None:
    aarhus, odense = new_scope("aarhus"), new_scope("odense")
    full = build_graph(portfolio(tmp_path / "full", **tables()))
    smaller = build_graph(portfolio(tmp_path / "smaller", **tables(extra_interface=False)))
    push_graphs(driver, {aarhus: full, odense: full})
    push_graphs(driver, {aarhus: smaller})
    assert snapshot(driver, odense) == graph_snapshot(full)
    assert snapshot(driver, aarhus) == graph_snapshot(smaller)


def test_push_creates_the_scope_id_uniqueness_constraints(driver: Any, scope: str) -> None:
    push_graphs(driver, {scope: NetworkxBackend(str(SAMPLE)).full_graph})
    records, _, _ = driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties, type "
        "WHERE name STARTS WITH 'snitgraf_' RETURN name, labelsOrTypes, properties, type"
    )
    found = {r["name"]: (r["labelsOrTypes"], r["properties"], r["type"]) for r in records}
    for spec in NODES:
        assert found[constraint_name(spec.label)] == (
            [spec.label.value],
            ["scope", "id"],
            "UNIQUENESS",
        )


KILLED_PUSH = textwrap.dedent(
    """
    import os, sys, time
    from snitgraf.backends import scopes
    from snitgraf.backends.neo4j import open_driver, push_graphs
    from snitgraf.graph import build_graph
    from snitgraf.loader import load_portfolio

    uri, scope, folder, when = sys.argv[1:5]
    password = os.environ.get("T_PASSWORD")
    auth = (os.environ["T_USER"], password) if password else None
    driver = open_driver(uri, auth=auth, prompt=False)
    graph = build_graph(load_portfolio(folder))

    def stop(where):
        print(f"STOPPED {where}", flush=True)
        time.sleep(600)

    def progress(done, total):
        if when == "staging" and done >= total // 2:
            stop(f"staging {done}/{total}")

    real_delete = scopes.delete_graph

    def delete_graph(driver, graph, *args, **kwargs):
        # The old graph is being deleted: its relationships are gone, its nodes not yet.
        scopes.delete_relationships(driver, graph, *args, **kwargs)
        stop("deleting")

    if when == "deleting":
        scopes.delete_graph = delete_graph
    push_graphs(driver, {scope: graph}, batch_size=5, progress=progress)
    print("COMMITTED", flush=True)
    """
)


@pytest.mark.parametrize("when", ["staging", "deleting"])
def test_a_push_killed_at_any_point_leaves_a_whole_graph_and_the_next_push_cleans_up(
    driver: Any,
    scope: str,
    tmp_path: Path,
    neo4j_uri: str,
    neo4j_auth: tuple[str, str] | None,
    when: str,
) -> None:
    old = build_graph(portfolio(tmp_path / "old", **tables(extra_interface=False)))
    new = NetworkxBackend(str(SAMPLE)).full_graph
    push_graphs(driver, {scope: old})
    before = snapshot(driver, scope)
    env = {**os.environ, "T_USER": "", "T_PASSWORD": ""}
    if neo4j_auth:
        env.update(T_USER=neo4j_auth[0], T_PASSWORD=neo4j_auth[1])
    client = subprocess.Popen(
        [sys.executable, "-c", KILLED_PUSH, neo4j_uri, scope, str(SAMPLE), when],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        assert client.stdout is not None
        line = client.stdout.readline()
        assert line.startswith(f"STOPPED {when}"), line + client.stderr.read()
        # Readers see one whole graph: the old one while the new is staged, the new one once
        # it is swapped in, while the old one is deleted.
        expected = before if when == "staging" else graph_snapshot(new)
        assert snapshot(driver, scope) == expected
        client.send_signal(signal.SIGKILL)
        client.wait(timeout=30)
    finally:
        if client.poll() is None:
            client.kill()
            client.wait()
    assert client.returncode == -signal.SIGKILL
    assert snapshot(driver, scope) == expected
    assert graph_nodes_in_database(driver, scope) > live_nodes(driver, scope)  # left-overs
    # The server rolled the dead client's lock back; the next push removes what it left.
    push_graphs(driver, {scope: new})
    assert snapshot(driver, scope) == graph_snapshot(new)
    assert graph_nodes_in_database(driver, scope) == new.number_of_nodes()


def test_a_push_refused_by_a_constraint_changes_nothing(
    driver: Any, scope: str, tmp_path: Path, neo4j_env: str
) -> None:
    data = tables(extra_interface=False)
    push_graphs(driver, {scope: build_graph(portfolio(tmp_path / "old", **data))})
    before = snapshot(driver, scope)
    # Someone's own rule in the same database: a supplier's CVR number is unique.
    driver.execute_query(
        "CREATE CONSTRAINT test_supplier_cvr IF NOT EXISTS FOR (n:Supplier) REQUIRE n.cvr IS UNIQUE"
    )
    try:
        data["suppliers"][0]["cvr"] = "12345678"
        data["suppliers"][1]["cvr"] = "12345678"
        folder = write_portfolio(tmp_path / "new", **data)
        result = CliRunner().invoke(cli, ["push", str(folder), "--scope", scope])
    finally:
        driver.execute_query("DROP CONSTRAINT test_supplier_cvr IF EXISTS")
    assert result.exit_code == 1
    assert result.output.startswith("error: push refused by a constraint of the database")
    assert result.output.count("\n") == 1
    assert snapshot(driver, scope) == before


def test_push_command_prints_one_summary_line_and_no_progress_off_a_terminal(
    neo4j_env: str, scope: str
) -> None:
    result = CliRunner().invoke(cli, ["push", str(SAMPLE), "--scope", scope])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"pushed to {neo4j_env} scope '{scope}': 122 nodes (")
    assert "39 Interface" in lines[0]
    assert f"; scope '{scope}/to-be': " in lines[0]
    assert "removed 0 stale nodes" in lines[0]


def test_push_scope_defaults_to_the_portfolio_folder_name(
    neo4j_env: str, driver: Any, tmp_path: Path, new_scope: Any
) -> None:
    name = new_scope("folder")
    folder = write_portfolio(tmp_path / name, **tables())
    result = CliRunner().invoke(cli, ["push", str(folder), "--no-to-be"])
    assert result.exit_code == 0, result.output
    assert f"scope '{name}':" in result.output
    assert ("System", "dagpenge") in snapshot(driver, name)[0]


def test_push_works_through_a_routing_neo4j_uri(
    neo4j_env: str, driver: Any, scope: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    routing = neo4j_env.replace("bolt://", "neo4j://", 1)
    monkeypatch.delenv("NEO4J_URI")
    result = CliRunner().invoke(cli, ["push", str(SAMPLE), "--to", routing, "--scope", scope])
    assert result.exit_code == 0, result.output
    nodes, _ = snapshot(driver, scope)
    assert len([k for k in nodes if k[0] == "Interface"]) == 39
    out = CliRunner().invoke(cli, ["categorize", routing, "--scope", scope, "--format", "csv"])
    assert out.exit_code == 0, out.output
    expected = CliRunner().invoke(cli, ["categorize", str(SAMPLE), "--format", "csv"])
    assert out.output == expected.output


@pytest.mark.parametrize("name", ["p/to-be", "kommuner/aarhus/to-be"])
def test_a_scope_named_like_a_derived_to_be_scope_is_refused(name: str, neo4j_env: str) -> None:
    result = CliRunner().invoke(cli, ["push", str(SAMPLE), "--scope", name])
    assert result.exit_code == 2, result.output
    assert f"--scope {name!r} ends in '/to-be'" in result.output
    assert "Traceback" not in result.output


def graph_nodes_in_database(driver: Any, scope: str) -> int:
    """Every node of every graph the scope has or had (live, staged, old) still in the database."""
    records, _keys, _summary = driver.execute_query(
        "MATCH (n) WHERE n.scope STARTS WITH $prefix RETURN count(n) AS nodes",
        prefix=scope + "#",
    )
    return records[0]["nodes"]


def live_nodes(driver: Any, scope: str) -> int:
    return len(snapshot(driver, scope)[0])


def test_concurrent_pushes_into_one_scope_leave_exactly_one_portfolio(
    driver: Any, neo4j_uri: str, neo4j_auth: tuple[str, str] | None, scope: str, tmp_path: Path
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from snitgraf.backends.neo4j import TO_BE_SUFFIX, derived_to_be, open_driver

    sample = NetworkxBackend(str(SAMPLE)).full_graph
    small = build_graph(portfolio(tmp_path / "small", **tables()))
    portfolios = {
        name: {scope: graph, scope + TO_BE_SUFFIX: derived_to_be(graph)}
        for name, graph in (("sample", sample), ("small", small))
    }
    expected = {
        name: (graph_snapshot(graphs[scope]), graph_snapshot(graphs[scope + TO_BE_SUFFIX]))
        for name, graphs in portfolios.items()
    }
    drivers = [open_driver(neo4j_uri, auth=neo4j_auth, prompt=False) for _ in portfolios]
    try:
        with ThreadPoolExecutor(len(portfolios)) as pool:
            for _round in range(4):
                pushes = [
                    pool.submit(push_graphs, d, graphs, batch_size=7)
                    for d, graphs in zip(drivers, portfolios.values(), strict=True)
                ]
                for push in pushes:
                    push.result()  # both succeed: the second waited for the first
                found = (snapshot(driver, scope), snapshot(driver, scope + TO_BE_SUFFIX))
                assert found in expected.values()
    finally:
        for d in drivers:
            d.close()
    assert graph_nodes_in_database(driver, scope) == live_nodes(driver, scope)


def test_a_push_that_waits_for_another_says_so(
    driver: Any, neo4j_uri: str, neo4j_auth: tuple[str, str] | None, scope: str
) -> None:
    from snitgraf.backends.scopes import hold_scopes

    waited: list[list[str]] = []
    graph = NetworkxBackend(str(SAMPLE)).full_graph
    with hold_scopes(driver, [scope]):
        import threading

        other = threading.Thread(
            target=push_graphs, args=(driver, {scope: graph}), kwargs={"on_wait": waited.append}
        )
        other.start()
        other.join(timeout=3)
        assert other.is_alive()  # blocked behind the lock
        assert snapshot(driver, scope) == ({}, {})
    other.join(timeout=60)
    assert waited == [[scope]]
    assert snapshot(driver, scope) == graph_snapshot(graph)


def test_a_push_bigger_than_one_transaction_is_written_in_batches(
    extra_server: Any, tmp_path: Path
) -> None:
    """A server whose transactions may hold 4 MiB: 8,000 elements do not fit one."""
    from snitgraf.backends.neo4j import open_driver
    from snitgraf.generate import generate

    server = extra_server(config={"db.memory.transaction.max": "4m"})
    graph = build_graph(generate(1, 0, 1).portfolio())
    assert graph.number_of_nodes() + graph.number_of_edges() > 8000
    small = build_graph(portfolio(tmp_path / "small", **tables()))
    driver = open_driver(server.uri, auth=None, prompt=False)
    try:
        push_graphs(driver, {"national": small}, batch_size=500)
        push_graphs(driver, {"national": graph}, batch_size=500)
        assert snapshot(driver, "national") == graph_snapshot(graph)
        push_graphs(driver, {"national": small}, batch_size=500)  # the big one deleted in batches
        assert snapshot(driver, "national") == graph_snapshot(small)
        assert graph_nodes_in_database(driver, "national") == small.number_of_nodes()
    finally:
        driver.close()


def test_a_scope_pushed_by_an_older_snitgraf_is_read_and_then_replaced(
    driver: Any, scope: str
) -> None:
    """Before graph ids, a scope's nodes carried the scope's own name."""
    from snitgraf.backends.neo4j import list_scopes

    driver.execute_query(
        "CREATE (:Supplier {scope: $scope, id: 'kmd', name: 'KMD'})"
        "-[:SUPPLIES]->(:System {scope: $scope, id: 'sag', name: 'KMD Sag', supplier: 'kmd'})",
        scope=scope,
    )
    assert scope in list_scopes(driver)
    nodes, _rels = snapshot(driver, scope)
    assert set(nodes) == {("Supplier", "kmd"), ("System", "sag")}
    new = NetworkxBackend(str(SAMPLE)).full_graph
    summary = push_graphs(driver, {scope: new})
    assert summary.removed_nodes == 1  # sag is not in the sample; kmd is
    assert snapshot(driver, scope) == graph_snapshot(new)
    records, _keys, _summary = driver.execute_query(
        "MATCH (n {scope: $scope}) RETURN count(n) AS nodes", scope=scope
    )
    assert records[0]["nodes"] == 0
    assert list_scopes(driver).count(scope) == 1
