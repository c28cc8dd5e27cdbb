"""Benchmark: the networkx backend on synthetic national portfolios (snitgraf.generate).

    .venv/bin/python benchmarks/national.py [--sizes 1,10,98,98x10] [--seed 1] [--no-render]

For each size (N municipalities, `x K` = --scale K) it generates the portfolio, writes it as CSV,
and then, in a fresh process so peak memory is that size's own, times: validate+load, build
graph, AS-IS state, categorise, overview, the end-to-end path the CLI takes
(`NetworkxBackend(folder)` then categorise and overview), impact of replacing the most connected
monopoly system, plan and the collapsed AS-IS diagram (when those modules exist), and the peak
resident memory. Prints one table and the ratios; asserts nothing.

Targets (issue 7): N = 98 load+categorise+overview < 3 s and < 1 GiB; impact < 100 ms;
time(98) / time(10) < 12.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

STEPS = (
    "load",
    "graph",
    "as_is",
    "categorise",
    "overview",
    "e2e",
    "impact",
    "plan",
    "render",
)
HEADERS = {
    "load": "validate+load",
    "graph": "build graph",
    "as_is": "AS-IS state",
    "categorise": "categorise",
    "overview": "overview",
    "e2e": "load+cat+overview (CLI path)",
    "impact": "impact",
    "plan": "plan",
    "render": "render collapsed",
}


def _timed(func: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - started


def _step(times: dict[str, Any], cpu: dict[str, Any], name: str, func: Any, *args: Any) -> Any:
    """Run one step; its wall and CPU seconds (CPU: the machine may be shared) go in the dicts."""
    started, cpu_started = time.perf_counter(), time.process_time()
    result = func(*args)
    times[name] = time.perf_counter() - started
    cpu[name] = time.process_time() - cpu_started
    return result


def _most_connected_monopoly(graph: Any) -> tuple[str, int]:
    """The AS-IS monopoly system with the most USES and PROVIDES edges."""
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


def measure(folder: Path, render: bool) -> dict[str, Any]:
    """Every step on one portfolio folder, in this process."""
    from snitgraf.analysis.categorise import categorise
    from snitgraf.analysis.overview import overview
    from snitgraf.analysis.transition import state_graph
    from snitgraf.backends.networkx import NetworkxBackend
    from snitgraf.graph import build_graph
    from snitgraf.loader import load_portfolio

    times: dict[str, float | None] = dict.fromkeys(STEPS)
    cpu: dict[str, float | None] = dict.fromkeys(STEPS)
    portfolio = _step(times, cpu, "load", load_portfolio, folder)
    full = _step(times, cpu, "graph", build_graph, portfolio)
    as_is = _step(times, cpu, "as_is", state_graph, full, "as-is")
    categories = _step(times, cpu, "categorise", categorise, as_is)
    rows = _step(times, cpu, "overview", overview, as_is)
    del portfolio, full, as_is

    def cli_path() -> int:
        backend = NetworkxBackend(str(folder))
        try:
            backend.categorise()
            return len(backend.overview())
        finally:
            backend.close()  # as the CLI does

    _step(times, cpu, "e2e", cli_path)
    backend = NetworkxBackend(str(folder))
    full = backend.full_graph
    system, degree = _most_connected_monopoly(full)
    extra: dict[str, Any] = {"impact_system": system, "impact_degree": degree}
    if importlib.util.find_spec("snitgraf.analysis.impact") and system:
        from snitgraf.analysis.impact import impact

        impact(full, system)  # warm: the first call may build caches
        result = _step(times, cpu, "impact", impact, full, system)
        extra["impact_interfaces"] = len(result.affected_interfaces)
    if importlib.util.find_spec("snitgraf.analysis.plan"):
        from snitgraf.analysis.plan import plan

        extra["plan_actions"] = len(_step(times, cpu, "plan", plan, full))
    if render and importlib.util.find_spec("snitgraf.render.diagrams"):
        from snitgraf.render.diagrams import as_is_diagram, layout
        from snitgraf.render.pyvis_page import write_page

        def draw() -> int:
            with tempfile.TemporaryDirectory() as tmp:
                result = as_is_diagram(full, layout(full, collapse_above=0))
                path = write_page(result, Path(tmp) / "as-is.html")
                return path.stat().st_size

        extra["render_bytes"] = _step(times, cpu, "render", draw)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "times": times,
        "cpu": cpu,
        "categories": len(categories),
        "overview_rows": len(rows),
        "peak_mib": peak_kib / 1024,
        **extra,
    }


def _size(text: str) -> tuple[int, int]:
    municipalities, _, scale = text.partition("x")
    return int(municipalities), int(scale or 1)


def _child(folder: str, render: bool) -> int:
    print(json.dumps(measure(Path(folder), render)))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,10,98,98x10")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-render", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args.child, not args.no_render)

    from snitgraf.generate import generate, write

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for text in args.sizes.split(","):
            municipalities, scale = _size(text)
            generated, seconds = _timed(generate, municipalities, args.seed, scale)
            folder = Path(tmp) / text
            write(generated, folder)
            counts = generated.counts()
            del generated
            command = [sys.executable, __file__, "--child", str(folder)]
            if args.no_render:
                command.append("--no-render")
            out = subprocess.run(command, capture_output=True, text=True, check=False)
            if out.returncode != 0:
                print(f"{text}: failed:\n{out.stderr}", file=sys.stderr)
                return 1
            result = json.loads(out.stdout.strip().splitlines()[-1])
            result["counts"] = counts
            result["generate"] = seconds
            results[text] = result
            print(
                f"N={text}: {counts['usages']:,} usages, {counts['interfaces']:,} interfaces, "
                f"{counts['contracts']:,} contracts, {counts['deployments']:,} deployments; "
                f"generated in {seconds:.2f} s; impact of {result['impact_system']} "
                f"({result['impact_degree']} edges)",
                flush=True,
            )
    print()
    sizes = list(results)
    width = max(len(h) for h in HEADERS.values())
    for kind, title in (("times", "wall seconds"), ("cpu", "CPU seconds")):
        print(f"{title:<{width}} " + " ".join(f"{s:>9}" for s in sizes))
        for step in STEPS:
            cells = []
            for size in sizes:
                value = results[size][kind].get(step)
                cells.append(f"{'—':>9}" if value is None else f"{value:>9.3f}")
            print(f"{HEADERS[step]:<{width}} " + " ".join(cells))
        print()
    print(f"{'peak RSS (MiB)':<{width}} " + " ".join(
        f"{results[s]['peak_mib']:>9.0f}" for s in sizes))  # fmt: skip
    print(f"{'overview rows':<{width}} " + " ".join(
        f"{results[s]['overview_rows']:>9,}" for s in sizes))  # fmt: skip
    if "98" in results and "10" in results:
        print()
        print("ratio time(98) / time(10) (target < 12):   wall    CPU")
        for step in STEPS:
            cells = []
            for kind in ("times", "cpu"):
                t98, t10 = results["98"][kind].get(step), results["10"][kind].get(step)
                cells.append(f"{t98 / t10:6.2f}" if t98 is not None and t10 else "     —")
            print(f"  {HEADERS[step]:<{width}} " + " ".join(cells))
    if "98" in results:
        r = results["98"]
        print()
        for kind, what in (("times", "wall"), ("cpu", "CPU")):
            t = r[kind]
            pipeline = t["load"] + t["graph"] + t["as_is"] + t["categorise"] + t["overview"]
            print(
                f"N=98 {what}: steps load..overview {pipeline:.2f} s, CLI path "
                f"{t['e2e']:.2f} s (target < 3 s)"
                + (f"; impact {t['impact'] * 1000:.0f} ms (target < 100 ms)" if t["impact"] else "")
            )
        print(f"N=98 peak RSS: {r['peak_mib']:.0f} MiB (target < 1024)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
