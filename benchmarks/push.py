"""Benchmark: push a generated portfolio of 20,000+ interfaces batched and one statement per row.

    .venv/bin/python benchmarks/push.py [--municipalities 4] [--scale 10] [--batch-size 10000]

Uses NEO4J_URI (NEO4J_USER / NEO4J_PASSWORD) when set, else starts the project's test server
with a 6 GB heap (4 GB young generation) and the parallel collector
(NEO4J_TEST_JAVA_OPTS overrides).
The portfolio comes from `snitgraf.generate` (deterministic for a seed): at 4 municipalities and
scale 10 about 21,000 interfaces with their systems, suppliers, usages and contracts, about
100,000 graph elements. Both sides write the same graph in one transaction each, in one run
against one server:
- batched: snitgraf's own push (`push_graphs`, --batch-size rows per statement), after
  --warm-up pushes; the median and best of --repeat pushes into an empty scope, then of
  --repeat re-pushes (the everyday case: replace a scope's graph);
- per row: one statement per node and per relationship (`cypher/benchmark/`), each result read
  before the next statement, as code without batching writes it; after a warm-up on a small
  graph.
Prints elements/s for each and their ratio (batched median / per row).
Targets: batched >= 50,000 elements/s and >= 20x per row.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from snitgraf import cypher
from snitgraf.backends.neo4j import (
    create_constraints,
    delete_scope,
    open_driver,
    push_graphs,
)
from snitgraf.gcpause import gc_paused
from snitgraf.generate import generate
from snitgraf.graph import build_graph, edges, nodes
from snitgraf.schema import NODES, RELATIONSHIPS, SCOPE

BENCHMARK_JAVA_OPTS = (
    "-Xms6g -Xmx6g -Xmn4g -XX:+UseParallelGC --add-opens=java.base/java.nio=ALL-UNNAMED "
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true"
)
"""JVM options of the server this benchmark starts: the test server's 1 GB heap with the serial
collector spends a third of a 100,000-element push in garbage collection. A 2 GB heap still
promotes the transaction state (it lives for the whole push) out of a small young generation
and pays for it in full collections (about 0.2 s each, 46 pauses, 2.9 s over six pushes); a
4 GB young generation lets a whole push's garbage die young (13 pauses, 1.1 s). The machine
has 24 GiB."""


def _server() -> tuple[str, tuple[str, str] | None, Callable[[], None]]:
    """(uri, auth, stop): NEO4J_URI when set, else a test server started for this run."""
    if os.environ.get("NEO4J_URI"):
        password = os.environ.get("NEO4J_PASSWORD")
        user = os.environ.get("NEO4J_USER") or "neo4j"
        return os.environ["NEO4J_URI"], ((user, password) if password else None), lambda: None
    from tests.neo4j_server import start_server

    os.environ.setdefault("NEO4J_TEST_JAVA_OPTS", BENCHMARK_JAVA_OPTS)
    server = start_server()
    return server.uri, None, server.stop


def push_per_row(driver: Any, scope: str, graph: nx.MultiDiGraph) -> float:
    """Write the graph into an empty scope one statement per row, in one transaction; seconds."""
    node_statement = cypher.load("benchmark/per-row-node")
    rel_statement = cypher.load("benchmark/per-row-relationship")
    started = time.perf_counter()
    with gc_paused(), driver.session() as session, session.begin_transaction() as tx:
        for spec in NODES:
            text = node_statement.render(label=spec.label.value)
            for _key, attrs in nodes(graph, spec.label):
                props = {k: v for k, v in attrs.items() if k != "label"} | {SCOPE: scope}
                tx.run(text, props=props).consume()
        for rel in RELATIONSHIPS:
            text = rel_statement.render(
                type=rel.type.value, source=rel.source.value, target=rel.target.value
            )
            for source, target, attrs in edges(graph, rel.type):
                props = {k: v for k, v in attrs.items() if k != "type"}
                tx.run(text, scope=scope, source=source[1], target=target[1], props=props).consume()
        tx.commit()
    return time.perf_counter() - started


def _times(label: str, seconds: list[float], elements: int) -> str:
    """'label: median 1.40 s, 73,000 elements/s; best ... (all: ...)'."""
    median = statistics.median(seconds)
    return (
        f"{label}: median {median:.2f} s, {elements / median:,.0f} elements/s; best "
        f"{min(seconds):.2f} s, {elements / min(seconds):,.0f} elements/s "
        f"(all: {', '.join(f'{s:.2f}' for s in seconds)} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=4)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7, help="Timed batched pushes of each kind.")
    parser.add_argument(
        "--warm-up", type=int, default=10, help="Untimed batched pushes first (JIT, plans)."
    )
    parser.add_argument("--skip-per-row", action="store_true", help="Only the batched push.")
    args = parser.parse_args()

    started = time.perf_counter()
    generated = generate(args.municipalities, args.seed, args.scale)
    graph = build_graph(generated.portfolio())
    counts = generated.counts()
    elements = graph.number_of_nodes() + graph.number_of_edges()
    print(
        f"portfolio: {counts['interfaces']} interfaces, {counts['systems']} systems, "
        f"{counts['suppliers']} suppliers, {counts['usages']} usages, "
        f"{counts['contracts']} contracts -> {graph.number_of_nodes()} nodes + "
        f"{graph.number_of_edges()} relationships = {elements} elements "
        f"(generated in {time.perf_counter() - started:.1f} s)"
    )

    uri, auth, stop_server = _server()
    print(f"server: {uri}")
    driver = open_driver(uri, auth=auth, prompt=False)
    create_constraints(driver)
    batched_scope, per_row_scope = "bench-push-batched", "bench-push-per-row"
    warm_up = "bench-push-warm-up"
    try:
        for scope in (batched_scope, per_row_scope, warm_up):
            delete_scope(driver, scope)
        # Warm up the server (query plans, JIT) until it is steady, into an empty scope and
        # over a full one alike: the first push takes 4-5x as long as the later ones, and the
        # JVM needs about ten pushes to settle (measured: 2.35 s after five, 1.2-1.45 s after
        # ten; the first re-push 3.3 s, later ones 1.65-1.75 s).
        for turn in range(args.warm_up):
            push_graphs(driver, {warm_up: graph}, batch_size=args.batch_size)
            if turn % 2:
                delete_scope(driver, warm_up)
        fresh: list[float] = []
        for _ in range(args.repeat):
            delete_scope(driver, batched_scope)
            summary = push_graphs(driver, {batched_scope: graph}, batch_size=args.batch_size)
            fresh.append(summary.seconds)
        again = [
            push_graphs(driver, {batched_scope: graph}, batch_size=args.batch_size).seconds
            for _ in range(args.repeat)
        ]
        batched_rate = elements / statistics.median(fresh)
        rows = f"{args.batch_size} rows/statement"
        print(_times(f"batched ({rows}) into an empty scope", fresh, elements))
        print(_times(f"batched ({rows}) re-push, replacing the scope", again, elements))
        if args.skip_per_row:
            return
        # Warm up per row too: a third of the graph's size, about 10 s.
        delete_scope(driver, warm_up)
        push_per_row(driver, warm_up, build_graph(generate(1, args.seed, 4).portfolio()))
        delete_scope(driver, warm_up)
        per_row_rate = elements / push_per_row(driver, per_row_scope, graph)
        print(
            f"one statement per row into an empty scope: {elements / per_row_rate:.2f} s, "
            f"{per_row_rate:,.0f} elements/s"
        )
        print(f"ratio batched (median) / per row: {batched_rate / per_row_rate:.1f}x")
    finally:
        for scope in (batched_scope, per_row_scope, warm_up):
            delete_scope(driver, scope)
        driver.close()
        stop_server()


if __name__ == "__main__":
    main()
