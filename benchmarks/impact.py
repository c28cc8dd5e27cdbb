"""Benchmark: one impact question on synthetic national portfolios, before and after preparing.

    .venv/bin/python benchmarks/impact.py [--sizes 1,10,98] [--seed 1] [--repeat 7]

For each size N it generates the portfolio (snitgraf.generate), writes it as CSV, loads it the
way the CLI does (`NetworkxBackend(folder)`) and times `impact(full_graph, SYSTEM)` for the most
connected monopoly system (the same choice as benchmarks/national.py), replaced as the portfolio
says:

- before: the direct computation (`_gather_impact_reference`: derive and categorise the whole
  scenario for every question), the way `impact` worked before the graph was prepared;
- first: the first question on a freshly loaded graph (prepares the graph, then answers);
- after: every further question (median of --repeat), the prepared graph reused;
- the ratio before / after, and whether both answers (`Impact.to_json()`) are identical;
- then every monopoly system's question once its state is prepared (median and slowest).

Prints one table and asserts nothing. Target (issue 7): impact under 100 ms at N = 98.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

TODAY = date(2026, 1, 1)


def _most_connected_monopoly(graph: Any) -> tuple[str, int]:
    """The AS-IS monopoly system with the most outgoing USES and PROVIDES edges."""
    from snitgraf.graph import nodes
    from snitgraf.schema import Label

    best, best_degree = "", -1
    for key, attrs in nodes(graph, Label.SYSTEM):
        if not attrs.get("monopoly") or attrs.get("lifecycle") == "to-be":
            continue
        degree = graph.out_degree(key)
        if degree > best_degree or (degree == best_degree and attrs["id"] < best):
            best, best_degree = attrs["id"], degree
    return best, best_degree


def _seconds(func: Any, *args: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - started


def measure(folder: Path, repeat: int) -> dict[str, Any]:
    """Before, first and after on one portfolio folder."""
    from snitgraf.analysis.impact import _gather_impact_reference, compute_impact, impact
    from snitgraf.backends.networkx import NetworkxBackend
    from snitgraf.graph import nodes
    from snitgraf.schema import Label

    def reference(graph: Any, system: str) -> Any:
        return compute_impact(_gather_impact_reference(graph, system), None, TODAY)

    backend = NetworkxBackend(str(folder))
    try:
        graph = backend.full_graph
        system, degree = _most_connected_monopoly(graph)
        before_runs = [_seconds(reference, graph, system) for _ in range(min(repeat, 3))]
        expected = before_runs[0][0].to_json()
        result, first = _seconds(impact, graph, system, None, None, TODAY)
        identical = result.to_json() == expected
        after_runs = []
        for _ in range(repeat):  # each answer checked, then dropped (as a caller would)
            answer, seconds = _seconds(impact, graph, system, None, None, TODAY)
            identical = identical and answer.to_json() == expected
            after_runs.append(seconds)
            del answer
        # Every monopoly system's question (portfolio replacement), each state prepared first.
        monopoly = [a["id"] for _, a in nodes(graph, Label.SYSTEM) if a.get("monopoly")]
        for other in monopoly:
            impact(graph, other, None, None, TODAY)
        per_system = {
            other: statistics.median(
                _seconds(impact, graph, other, None, None, TODAY)[1] for _ in range(3)
            )
            for other in monopoly
        }
        worst = max(per_system, key=per_system.__getitem__)
        return {
            "monopoly_median": statistics.median(per_system.values()),
            "monopoly_worst": (worst, per_system[worst]),
            "system": system,
            "degree": degree,
            "interfaces": len(result.affected_interfaces),
            "systems": len(result.affected_systems),
            "contracts": len(result.contracts),
            "before": statistics.median(t for _, t in before_runs),
            "first": first,
            "after": statistics.median(after_runs),
            "after_max": max(after_runs),
            "identical": identical,
        }
    finally:
        backend.close()
        gc.collect()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,98", help="municipality counts, e.g. 1,10,98")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=15, help="questions timed after the first")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from snitgraf.generate import generate, write

    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="snitgraf-impact-") as tmp:
        for n in sizes:
            folder = Path(tmp) / f"n{n}"
            write(generate(municipalities=n, seed=args.seed), folder)
            rows.append((n, measure(folder, args.repeat)))
    print(
        f"impact of replacing the most connected monopoly system (seed {args.seed}); "
        f"{platform.machine()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}"
    )
    header = (
        f"{'N':>3}  {'system':<14}{'edges':>6}{'ifaces':>7}{'deps':>5}{'contr':>6}"
        f"{'before ms':>10}{'first ms':>9}{'after ms':>9}{'max ms':>7}{'ratio':>7}"
        "  identical"
    )
    print(header)
    print("-" * len(header))
    for n, r in rows:
        print(
            f"{n:>3}  {r['system']:<14}{r['degree']:>6}{r['interfaces']:>7}{r['systems']:>5}"
            f"{r['contracts']:>6}{r['before'] * 1000:>10.0f}{r['first'] * 1000:>9.0f}"
            f"{r['after'] * 1000:>9.1f}{r['after_max'] * 1000:>7.1f}"
            f"{r['before'] / r['after']:>7.1f}  "
            f"{'yes' if r['identical'] else 'NO'}"
        )
    for n, r in rows:
        worst, seconds = r["monopoly_worst"]
        print(
            f"N = {n}: every monopoly system's question, prepared: median "
            f"{r['monopoly_median'] * 1000:.1f} ms, slowest {worst} {seconds * 1000:.1f} ms"
        )
    by_n = dict(rows)
    if 98 in by_n:
        after = by_n[98]["after"] * 1000
        verdict = "met" if after < 100 else "MISSED"
        print(f"target impact < 100 ms at N = 98: {after:.1f} ms ({verdict})")
    if 10 in by_n and 98 in by_n:
        print(f"after(98) / after(10) = {by_n[98]['after'] / by_n[10]['after']:.1f}")
    return 0 if all(r["identical"] for _, r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
