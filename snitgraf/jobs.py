"""The main job (`snitgraf analyse`): one assessment, every output of it, written at once.

Each step takes the finished `Assessment` and the output folder and returns the files it
wrote; the steps draw the assessment's results and compute nothing, so every output of a run
shows the same numbers (`summary.json` holds them).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from snitgraf.assessment import Assessment, Summary
from snitgraf.i18n import _
from snitgraf.io.atomic import atomic_folder, write_text_atomic
from snitgraf.render.columns import CATEGORY_COLUMNS, OVERVIEW_COLUMNS
from snitgraf.render.diagrams import LayoutMode
from snitgraf.render.pyvis_page import write_diagrams
from snitgraf.render.report import report_step
from snitgraf.render.tables import to_csv_text
from snitgraf.render.transition_columns import write_transition
from snitgraf.words import word

Step = Callable[[Assessment, Path], list[Path]]


def write_categories(assessment: Assessment, out: Path) -> list[Path]:
    """categories.csv: every interface's category with reasons."""
    text = to_csv_text(assessment.categorised("all"), CATEGORY_COLUMNS)
    return [write_text_atomic(out / "categories.csv", text, encoding="utf-8-sig")]


def write_overview(assessment: Assessment, out: Path) -> list[Path]:
    """overview.csv: the seed's overview table."""
    text = to_csv_text(assessment.overview(None, "all"), OVERVIEW_COLUMNS)
    return [write_text_atomic(out / "overview.csv", text, encoding="utf-8-sig")]


def write_summary(assessment: Assessment, out: Path) -> list[Path]:
    """summary.json: the run's key figures, which every other output shows too."""
    text = json.dumps(assessment.summary.to_json(), ensure_ascii=False, indent=2) + "\n"
    return [write_text_atomic(out / "summary.json", text)]


STEPS: list[Step] = [
    write_summary,
    write_categories,
    write_overview,
    write_diagrams,
    write_transition,
    report_step,  # keep last: the report links the diagrams written before it
]


def run_main_job(
    assessment: Assessment,
    out: Path,
    layout_mode: LayoutMode = "force",
    edge_ids: bool = False,
) -> tuple[Summary, list[Path]]:
    """Run every step of the main job; returns the summary and the files written. The diagram
    pages open in `layout_mode`, with interface ids on the edges when `edge_ids`.

    The steps write into a staging folder inside `out`; only when every step has succeeded are
    the files moved into `out`, so a failure leaves the previous run's outputs as they were.
    """
    summary = assessment.summary
    diagrams = functools.partial(write_diagrams, layout_mode=layout_mode, edge_ids=edge_ids)
    with atomic_folder(out) as staging:
        staged: list[Path] = []
        for step in STEPS:
            staged.extend((diagrams if step is write_diagrams else step)(assessment, staging))
    return summary, [out / path.relative_to(staging) for path in staged]


def summary_lines(summary: Summary) -> Iterator[str]:
    """What `analyse` prints before the files: the scenario in force, the counts and what
    needs a decision."""
    if summary.scenario:
        yield summary.scenario.text()
    counts = ", ".join(f"{code} {n}" for code, n in summary.categories.items())
    yield _("{n} interfaces: {counts}").format(n=summary.interfaces, counts=counts)
    gap = ", ".join(f"{word(status)} {n}" for status, n in summary.gap.items())
    yield _("gap: {counts}; {needs} broken need(s); {actions} plan action(s)").format(
        counts=gap, needs=summary.broken_needs, actions=summary.plan_actions
    )
    if summary.needs_decision:
        yield _("{n} need a decision (unclassified):").format(n=len(summary.needs_decision))
        for item in summary.needs_decision:
            users = ", ".join(item.nice_users) or _("no monopoly system")
            sources = ", ".join(item.suppliers) or _("none")
            yield _("  {interface} {name}: appreciated by {users}, S = {s} ({sources})").format(
                interface=item.interface,
                name=item.name,
                users=users,
                s=item.supplier_count,
                sources=sources,
            )
    if summary.assumed:
        yield _("{n} rest on assumptions (confirm them):").format(n=len(summary.assumed))
        for item in summary.assumed:
            yield _("  {interface} {name}: {category}, assumed {codes}").format(
                interface=item.interface,
                name=item.name,
                category=item.category.code,
                codes=", ".join(item.assumptions),
            )
