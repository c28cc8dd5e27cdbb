"""Benchmark: memory of loading a portfolio with a big usages.csv, as a multiple of the file.

    .venv/bin/python benchmarks/loading.py [--mb 20,200] [--before /work/main] [--before-mb 20]

Generates the national portfolio (snitgraf.generate, N = 98) into a scratch folder, then writes
a usages.csv of about the given size: unique (interface, system, municipality) rows over the
generated catalogue, every reference valid, so the whole file is validated. Each load runs in a
fresh interpreter (`load_portfolio(folder)`, what `snitgraf validate` does) and reports its peak
resident memory (ru_maxrss of the child), the peak minus an interpreter that loaded a tiny
portfolio, and both divided by the file's size. `--before PATH` loads the same file with the
snitgraf checkout at PATH (e.g. the main branch) for comparison, at --before-mb sizes only (the
old loader needs about 65 times the file).

Prints one table and asserts nothing. Target (issue 15 item 21): peak memory <= 10x the file.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_LOAD = """
import resource, sys, time
from snitgraf.loader import load_portfolio
start = time.perf_counter()
portfolio = load_portfolio(sys.argv[1])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
print(len(portfolio.usages), seconds, peak)
"""


def write_usages(base: Path, target_bytes: int) -> int:
    """Overwrite base/usages.csv with about `target_bytes` of unique, valid usage rows."""
    with (base / "interfaces.csv").open(encoding="utf-8") as handle:
        interfaces = [row["id"] for row in csv.DictReader(handle)]
    with (base / "systems.csv").open(encoding="utf-8") as handle:
        systems = [row["id"] for row in csv.DictReader(handle)]
    with (base / "municipalities.csv").open(encoding="utf-8") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    written = rows = 0
    needs = ("must", "nice")
    directions = ("in", "out", "")
    with (base / "usages.csv").open("w", encoding="utf-8", newline="") as handle:
        header = "interface,system,need,direction,municipality\n"
        handle.write(header)
        written += len(header)
        for code in codes:
            for system in systems:
                for index, interface in enumerate(interfaces):
                    line = (
                        f"{interface},{system},{needs[index % 2]},{directions[index % 3]},{code}\n"
                    )
                    handle.write(line)
                    written += len(line)
                    rows += 1
                    if written >= target_bytes:
                        return rows
    return rows


def peak_load(folder: Path, checkout: Path | None) -> tuple[int, int, float]:
    """(peak RSS in bytes, usages loaded, seconds) of loading `folder` in a fresh interpreter
    (the child reports its own ru_maxrss)."""
    env = dict(os.environ)
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout)
    process = subprocess.run(
        [sys.executable, "-c", _LOAD, str(folder)],
        env=env,
        cwd=folder.parent,  # not the checkout: `python -c` puts the current folder first
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode != 0:
        raise SystemExit(f"loading {folder} failed: {process.stderr.strip()[-500:]}")
    rows, seconds, peak = process.stdout.split()
    return int(peak), int(rows), float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", default="20,200", help="usages.csv sizes in MB")
    parser.add_argument("--before", type=Path, default=None, help="an older snitgraf checkout")
    parser.add_argument("--before-mb", default="20", help="sizes to load with --before")
    args = parser.parse_args()
    sizes = [int(s) for s in args.mb.split(",")]
    before_sizes = {int(s) for s in args.before_mb.split(",")} if args.before else set()

    from snitgraf.generate import generate, write

    print(f"python {platform.python_version()}, {platform.machine()}")
    with tempfile.TemporaryDirectory() as scratch:
        tiny = Path(scratch) / "tiny"
        write(generate(municipalities=1, seed=1), tiny)
        baseline, _rows, _seconds = peak_load(tiny, None)
        print(f"baseline (interpreter + a tiny portfolio): {baseline / 2**20:.0f} MB")
        print(
            f"{'loader':<8} {'file MB':>8} {'usages':>10} {'peak MB':>8} {'peak/file':>9} "
            f"{'(peak-base)/file':>16} {'seconds':>8}"
        )
        base = Path(scratch) / "national"
        write(generate(municipalities=98, seed=1), base)
        for size in sizes:
            write_usages(base, size * 2**20)
            file_size = (base / "usages.csv").stat().st_size
            runs = [("this", None)]
            if size in before_sizes:
                runs.insert(0, ("before", args.before))
            for name, checkout in runs:
                peak, rows, seconds = peak_load(base, checkout)
                print(
                    f"{name:<8} {file_size / 2**20:>8.0f} {rows:>10} {peak / 2**20:>8.0f} "
                    f"{peak / file_size:>9.1f} {(peak - baseline) / file_size:>16.1f} "
                    f"{seconds:>8.1f}"
                )


if __name__ == "__main__":
    main()
