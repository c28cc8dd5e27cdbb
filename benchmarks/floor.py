"""The floor the assessment benchmark measures snitgraf against: plain CPython reading a
portfolio folder with `csv` and applying the seed's categorisation rule, JSON out.

    python benchmarks/floor.py PORTFOLIO > categories.json

It validates nothing and derives no TO-BE: it is the least work any tool must do to answer
"which category is each interface?" from the same files, so a ratio to it shows what the rest
(validation, the graph, the transition, the evidence) costs.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

TRUE = {"true", "ja", "yes", "1", "x"}
MUST = {"must", "skal"}


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    """The rows of one CSV file of the portfolio."""
    with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def categorise(folder: Path) -> list[dict[str, object]]:
    """Every interface's category by the seed's rule (must/nice of monopoly users, S(D))."""
    systems = {r["id"]: r for r in rows(folder, "systems.csv")}
    interfaces = rows(folder, "interfaces.csv")
    data_of = {r["id"]: r["data"] for r in interfaces}
    monopoly = {sid for sid, r in systems.items() if r.get("monopoly", "").lower() in TRUE}
    must: dict[str, set[str]] = defaultdict(set)
    nice: dict[str, set[str]] = defaultdict(set)
    for usage in rows(folder, "usages.csv"):
        if usage["system"] in monopoly:
            target = must if usage["need"].lower() in MUST else nice
            target[data_of[usage["interface"]]].add(usage["system"])
    suppliers: dict[str, set[str]] = defaultdict(set)
    for interface in interfaces:
        suppliers[interface["data"]].add(systems[interface["provider"]]["supplier"])
    result = []
    for interface in interfaces:
        data = interface["data"]
        count = len(suppliers[data])
        if must[data]:
            code = "kombit-98" if count == 1 else "common-must"
        elif nice[data]:
            code = "common-nice" if count >= 2 else "unclassified"
        else:
            code = "municipal"
        result.append({"interface": interface["id"], "category": code, "supplier_count": count})
    return result


if __name__ == "__main__":
    json.dump(categorise(Path(sys.argv[1])), sys.stdout, ensure_ascii=False)
