"""Benchmark: snitgraf's commands as whole processes against a floor, side by side in one run.

    .venv/bin/python benchmarks/assessment.py [--municipalities 98] [--seed 1] [--runs 5]

Generates the national portfolio (`snitgraf generate`) and the same at ten times the data
(`--scale 10`), then times, as whole processes and alternating so machine noise hits all alike:
the floor (`benchmarks/floor.py`: plain `csv` + the categorisation rule + JSON out), the
stack floor (`benchmarks/stack_floor.py`: the same through pydantic models and a networkx
graph, the least work a tool on the card's packages does; and `stack imports`, importing click,
networkx and pydantic and nothing else),
`categorize --format json`, `analyse`, `diff` (the portfolio against a copy with one contract's
cost changed, `--format json`), `--version` and `--help` against a bare `python -c pass`, and the
peak memory of `analyse`. Prints medians, the ratios and the targets; asserts nothing.

Each ratio is the median of the ratios of the same run (the commands alternate, so a slow
spell of the machine hits both sides of a ratio alike); within a run, each command of a
fraction of a second (the floor, the bare imports, --version, --help) is the median of five.
snitgraf's modules are compiled to bytecode first, as an install from the wheel has them (a
machine with PYTHONDONTWRITEBYTECODE would otherwise compile every module in every timed run).

Targets (issue 11): categorize <= 4x the floor; analyse <= 20x the floor; --version and --help
<= 3x `python -c pass`; analyse peak <= 400 MiB; x10 data <= x11 time. Issue 16: diff (two
portfolios assessed) reported against analyse (one portfolio assessed, every output written).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
SNITGRAF = [PYTHON, "-m", "snitgraf"]
MEASURE = (
    "import resource, subprocess, sys, time; s = time.perf_counter(); "
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "e = time.perf_counter() - s; "
    "print(r.returncode, e, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


SHORT = ("python -c pass", "floor", "stack imports", "--version", "--help")
"""Commands of a fraction of a second: a slow spell moves them most, so each run times them
`SHORT_REPEATS` times and keeps the median (a ratio to the floor is only as steady as it)."""
SHORT_REPEATS = 5


def measure(command: list[str]) -> tuple[float, float]:
    """(seconds, peak MiB) of one run of `command` as a whole process (a diff exits 1 when it
    finds changes: that is success too)."""
    out = subprocess.run([PYTHON, "-c", MEASURE, *command], capture_output=True, text=True)
    code, seconds, kib = out.stdout.split()
    if code != "0" and not (code == "1" and "diff" in command):
        raise SystemExit(f"failed ({code}): {' '.join(command)}")
    return float(seconds), int(kib) / 1024


def generate(folder: Path, municipalities: int, seed: int, scale: int) -> Path:
    """A synthetic national portfolio, written once."""
    target = folder / f"n{municipalities}x{scale}"
    subprocess.run(
        [
            *SNITGRAF,
            "generate",
            "--municipalities",
            str(municipalities),
            "--seed",
            str(seed),
            "--scale",
            str(scale),
            "--out",
            str(target),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return target


def one_change(portfolio: Path, target: Path) -> Path:
    """A copy of the portfolio whose first contract costs 1,000 DKK more a year."""
    shutil.copytree(portfolio, target)
    path = target / "contracts.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["annual_cost_dkk"] = str(float(rows[0]["annual_cost_dkk"] or 0) + 1000)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target


def compile_package() -> None:
    """snitgraf's bytecode written beside its modules, as pip writes it when installing."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("snitgraf")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(folder, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=98)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = generate(folder, args.municipalities, args.seed, 1)
        big = generate(folder, args.municipalities, args.seed, 10)
        changed = one_change(base, folder / "changed")
        commands = {
            "python -c pass": [PYTHON, "-c", "pass"],
            "floor": [PYTHON, str(HERE / "floor.py"), str(base)],
            "floor x10": [PYTHON, str(HERE / "floor.py"), str(big)],
            "stack imports": [PYTHON, "-c", "import click, networkx, pydantic"],
            "stack floor": [PYTHON, str(HERE / "stack_floor.py"), str(base)],
            "--version": [*SNITGRAF, "--version"],
            "--help": [*SNITGRAF, "--help"],
            "categorize": [*SNITGRAF, "categorize", str(base), "--format", "json"],
            "analyse": [*SNITGRAF, "analyse", str(base), "--out", str(folder / "out")],
            "analyse x10": [*SNITGRAF, "analyse", str(big), "--out", str(folder / "out10")],
            "diff": [*SNITGRAF, "diff", str(base), str(changed), "--format", "json"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        peaks: dict[str, float] = dict.fromkeys(commands, 0.0)
        for _run in range(args.runs):
            for name, command in commands.items():
                found = [measure(command) for _ in range(SHORT_REPEATS if name in SHORT else 1)]
                times[name].append(statistics.median(seconds for seconds, _peak in found))
                peaks[name] = max(peaks[name], *(peak for _seconds, peak in found))
    median = {name: statistics.median(found) for name, found in times.items()}
    print(f"{'command':<16} {'median s':>9} {'min s':>8} {'max s':>8} {'peak MiB':>9}")
    for name in commands:
        print(
            f"{name:<16} {median[name]:>9.3f} {min(times[name]):>8.3f} "
            f"{max(times[name]):>8.3f} {peaks[name]:>9.0f}"
        )

    def ratio(name: str, base: str) -> float:
        """The median over the runs of each run's own ratio."""
        return statistics.median(a / b for a, b in zip(times[name], times[base], strict=True))

    ratios = (
        ("categorize / floor", ratio("categorize", "floor"), "<= 4"),
        ("analyse / floor", ratio("analyse", "floor"), "<= 20"),
        ("--version / python", ratio("--version", "python -c pass"), "<= 3"),
        ("--help / python", ratio("--help", "python -c pass"), "<= 3"),
        ("analyse x10 / analyse", ratio("analyse x10", "analyse"), "<= 11"),
        ("diff / analyse", ratio("diff", "analyse"), "(issue 16: report)"),
        ("floor x10 / floor", ratio("floor x10", "floor"), "(reference)"),
        ("stack imports / floor", ratio("stack imports", "floor"), "(reference)"),
        ("stack floor / floor", ratio("stack floor", "floor"), "(the card's stack, least work)"),
        ("categorize / stack floor", ratio("categorize", "stack floor"), "(reference)"),
    )
    print()
    for label, ratio, target in ratios:
        print(f"{label:<24} {ratio:>7.2f}x   target {target}")
    print(f"{'analyse peak':<24} {peaks['analyse']:>7.0f} MiB target <= 400")


if __name__ == "__main__":
    main()
