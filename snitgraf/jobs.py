"""The main job (`snitgraf analyse`): validate, summarise and write every output for a portfolio.

Each step takes the backend and the output folder and returns the files it wrote; later features
add their step to STEPS (diagrams, plan, report) so README command 1 produces all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from snitgraf.analysis.categorise import InterfaceCategory, category_counts
from snitgraf.backends import Backend
from snitgraf.io.atomic import atomic_folder, write_text_atomic
from snitgraf.render.columns import CATEGORY_COLUMNS, OVERVIEW_COLUMNS
from snitgraf.render.pyvis_page import write_diagrams
from snitgraf.render.report import report_step
from snitgraf.render.tables import to_csv_text
from snitgraf.render.transition_columns import write_transition

Step = Callable[[Backend, Path], list[Path]]


@dataclass(frozen=True)
class Summary:
    """What the main job prints: counts per category and the interfaces needing a decision."""

    interfaces: int
    counts: dict[str, int]
    needs_decision: tuple[InterfaceCategory, ...]


def summarise(categories: list[InterfaceCategory]) -> Summary:
    """Counts per category and the unclassified interfaces."""
    return Summary(
        interfaces=len(categories),
        counts=category_counts(categories),
        needs_decision=tuple(c for c in categories if c.category.code == "unclassified"),
    )


def write_categories(backend: Backend, out: Path) -> list[Path]:
    """categories.csv: every interface's category with reasons."""
    text = to_csv_text(backend.categorise(), CATEGORY_COLUMNS)
    return [write_text_atomic(out / "categories.csv", text, encoding="utf-8-sig")]


def write_overview(backend: Backend, out: Path) -> list[Path]:
    """overview.csv: the seed's overview table."""
    text = to_csv_text(backend.overview(), OVERVIEW_COLUMNS)
    return [write_text_atomic(out / "overview.csv", text, encoding="utf-8-sig")]


STEPS: list[Step] = [write_categories, write_overview, write_diagrams, write_transition]
STEPS.append(report_step)  # keep last: the report links the diagrams written before it


def run_main_job(backend: Backend, out: Path) -> tuple[Summary, list[Path]]:
    """Run every step of the main job; returns the summary and the files written.

    The steps write into a staging folder inside `out`; only when every step has succeeded are
    the files moved into `out`, so a failure leaves the previous run's outputs as they were.
    """
    summary = summarise(backend.categorise())
    with atomic_folder(out) as staging:
        staged: list[Path] = []
        for step in STEPS:
            staged.extend(step(backend, staging))
    return summary, [out / path.relative_to(staging) for path in staged]
