"""Benchmark: push a generated portfolio of 20,000+ interfaces batched and one statement per row.

    .venv/bin/python benchmarks/push.py [--municipalities 4] [--scale 10] [--batch-size 10000]

Uses NEO4J_URI (NEO4J_USER / NEO4J_PASSWORD) when set, else starts the project's test server
with a 6 GB heap (4 GB young generation) and the parallel collector
(NEO4J_TEST_JAVA_OPTS overrides).
The portfolio comes from `snitgraf.generate` (deterministic for a seed): at 4 municipalities and
scale 10 about 21,000 interfaces with their systems, suppliers, usages and contracts, about
100,000 graph elements. Both pushes write the same graph through the same code (one atomic
transaction, the same statements); only the rows per statement differ. Prints elements/s for
each (batched: the median and best of --repeat runs, after --warm-up pushes), their ratio
(from the median), and a re-push of the
batched scope (the everyday case: replace a scope's graph).
Targets: batched >= 50,000 elements/s and >= 20x per-row.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from snitgraf.backends.neo4j import (
    create_constraints,
    delete_scope,
    open_driver,
    push_graphs,
)
from snitgraf.generate import generate
from snitgraf.graph import build_graph

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=4)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="Timed batched runs.")
    parser.add_argument(
        "--warm-up", type=int, default=5, help="Untimed batched pushes first (JIT, plans)."
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
        # Warm up the server (query plans, JIT): the whole graph batched until the JVM has
        # compiled the hot paths (the first push takes 4-5x longer, the next four 1.1-2.5x;
        # measured), then a small graph one statement per row.
        small = build_graph(generate(1, args.seed, 1).portfolio())
        warm_ups = [(graph, args.batch_size)] * args.warm_up + [(small, 1)]
        for warm_graph, size in warm_ups:
            push_graphs(driver, {warm_up: warm_graph}, batch_size=size)
            delete_scope(driver, warm_up)
        fresh: list[float] = []
        again: list[float] = []
        for _ in range(args.repeat):
            delete_scope(driver, batched_scope)
            fresh.append(
                push_graphs(driver, {batched_scope: graph}, batch_size=args.batch_size).seconds
            )
            again.append(
                push_graphs(driver, {batched_scope: graph}, batch_size=args.batch_size).seconds
            )
        batched_rate = elements / statistics.median(fresh)
        print(
            f"batched ({args.batch_size} rows/statement) into an empty scope: median of "
            f"{args.repeat} {statistics.median(fresh):.2f} s, {batched_rate:,.0f} elements/s; "
            f"best {min(fresh):.2f} s, {elements / min(fresh):,.0f} elements/s "
            f"(all: {', '.join(f'{s:.2f}' for s in fresh)} s)"
        )
        print(
            f"batched re-push (replace the scope): median {statistics.median(again):.2f} s, "
            f"{elements / statistics.median(again):,.0f} elements/s "
            f"(all: {', '.join(f'{s:.2f}' for s in again)} s)"
        )
        if args.skip_per_row:
            return
        per_row = push_graphs(driver, {per_row_scope: graph}, batch_size=1)
        per_row_rate = elements / per_row.seconds
        print(
            f"one statement per row into an empty scope: {per_row.seconds:.2f} s, "
            f"{per_row_rate:,.0f} elements/s"
        )
        print(f"ratio batched (median) / per-row: {batched_rate / per_row_rate:.1f}x")
    finally:
        for scope in (batched_scope, per_row_scope, warm_up):
            delete_scope(driver, scope)
        driver.close()
        stop_server()


if __name__ == "__main__":
    main()
