"""Human-readable columns and text of the transition results: gap, impact, plan and budget.

JSON keys live on the results (`to_json`); these are the headers of tables, CSV and Markdown.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from snitgraf.analysis.impact import Cost, Impact
from snitgraf.analysis.transition import GapRow
from snitgraf.i18n import N_, _, format_date, format_dkk, ngettext
from snitgraf.io.atomic import write_text_atomic
from snitgraf.render.tables import Column, to_csv_text, to_markdown, to_rich_table
from snitgraf.values import format_amount, parse_date
from snitgraf.words import word, words

if TYPE_CHECKING:
    from snitgraf.assessment import Assessment


def _moves(row: GapRow) -> list[str]:
    return [f"{m.role} {m.from_system} -> {m.to_system or '-'} ({m.kind})" for m in row.moves]


def _moved(row: Any) -> list[str]:
    """The roles that move, as the terminal shows them."""
    return [
        f"{word(m.role)} {m.from_system} -> {m.to_system or '-'} ({word(m.kind)})"
        for m in row.moves
        if m.kind == "moved"
    ]


def _role(role: str, need: str | None) -> str:
    return word(role) if need is None else f"{word(role)} ({word(need)})"


def _amount(amount: float | None, unknown: str = "") -> str:
    return format_dkk(amount, unknown)


GAP_COLUMNS: tuple[Column, ...] = (
    Column(N_("interface"), lambda r: r.interface),
    Column(N_("name"), lambda r: r.name),
    Column(N_("data"), lambda r: r.data),
    Column(N_("status"), lambda r: r.status),
    Column(N_("category_as_is"), lambda r: r.category_as_is),
    Column(N_("category_to_be"), lambda r: r.category_to_be),
    Column(N_("providers_as_is"), lambda r: r.providers_as_is),
    Column(N_("providers_to_be"), lambda r: r.providers_to_be),
    Column(N_("users_as_is"), lambda r: r.users_as_is),
    Column(N_("users_to_be"), lambda r: r.users_to_be),
    Column(N_("moves"), _moves),
    Column(N_("contracts"), lambda r: [c.id for c in r.contracts]),
    Column(N_("reasons"), lambda r: r.reasons),
)
"""Columns of `gap` (and gap.csv)."""

BROKEN_NEED_COLUMNS: tuple[Column, ...] = (
    Column(N_("system"), lambda n: n.system),
    Column(N_("name"), lambda n: n.system_name),
    Column(N_("need"), lambda n: n.need, lambda n: word(n.need)),
    Column(N_("data"), lambda n: n.data),
    Column(N_("interface"), lambda n: n.interface),
    Column(N_("taken_over_from"), lambda n: n.taken_over_from),
    Column(N_("category"), lambda n: n.category),
)
"""Columns of broken needs (gap and impact tables)."""

GAP_TABLE_COLUMNS: tuple[Column, ...] = (
    Column(N_("interface"), lambda r: r.interface),
    Column(N_("name"), lambda r: r.name),
    Column(N_("status"), lambda r: r.status, lambda r: word(r.status)),
    Column("AS-IS", lambda r: r.category_as_is),
    Column("TO-BE", lambda r: r.category_to_be),
    Column(N_("moves"), lambda r: [m for m in _moves(r) if "(moved)" in m], _moved),
    Column(N_("contracts"), lambda r: [c.id for c in r.contracts]),
)
"""The terminal table of `gap`: the long columns are left out."""

PLAN_COLUMNS: tuple[Column, ...] = (
    Column(N_("system"), lambda a: a.group_name),
    Column(N_("replaced_by"), lambda a: a.replaced_by),
    Column(N_("go_live"), lambda a: a.go_live),
    Column(N_("due"), lambda a: a.due),
    Column(N_("days_left"), lambda a: a.days_left),
    Column(N_("action"), lambda a: a.title),
    Column(N_("actor"), lambda a: a.actor),
    Column(N_("interface"), lambda a: a.interface),
    Column(N_("interface_name"), lambda a: a.interface_name),
    Column(N_("status"), lambda a: a.status),
    Column(N_("category"), lambda a: a.category),
    Column(N_("contract"), lambda a: a.contract),
    Column(N_("expires"), lambda a: a.expires),
    Column(N_("annual_cost_dkk"), lambda a: format_amount(a.annual_cost_dkk)),
    Column(N_("reasons"), lambda a: a.reasons),
)
"""Columns of `plan` (and plan.csv)."""

PLAN_TABLE_COLUMNS: tuple[Column, ...] = (
    Column(N_("system"), lambda a: a.group_name),
    Column(N_("go-live"), lambda a: a.go_live, lambda a: _date(a.go_live)),
    Column(N_("due"), lambda a: a.due, lambda a: _date(a.due)),
    Column(
        N_("action"),
        lambda a: a.title + (" (overdue)" if a.overdue else ""),
        lambda a: a.title + (_(" (overdue)") if a.overdue else ""),
    ),
    Column(N_("actor"), lambda a: a.actor),
    Column(N_("interface"), lambda a: f"{a.interface} {a.interface_name}"),
    Column(N_("category"), lambda a: a.category),
    Column(N_("contract"), lambda a: a.contract),
)
"""The terminal table of `plan`."""

BUDGET_COLUMNS: tuple[Column, ...] = (
    Column(N_("year"), lambda r: r.year),
    Column(N_("state"), lambda r: r.state),
    Column(N_("payer"), lambda r: r.payer, lambda r: word(r.payer)),
    Column(N_("known_dkk"), lambda r: format_amount(r.known_dkk), lambda r: _amount(r.known_dkk)),
    Column(N_("unknown_cost"), lambda r: r.unknown_cost),
    Column(N_("uncontracted"), lambda r: len(r.uncontracted)),
    Column(N_("contracts"), lambda r: r.contracts),
)
"""Columns of `budget` (table, CSV, Markdown)."""


IMPACT_INTERFACE_COLUMNS: tuple[Column, ...] = (
    Column(N_("interface"), lambda i: f"{i.interface} {i.name}"),
    Column(
        N_("role"),
        lambda i: i.role if i.need is None else f"{i.role} ({i.need})",
        lambda i: _role(i.role, i.need),
    ),
    Column(N_("counterparts"), lambda i: i.counterparts),
    Column(N_("before"), lambda i: i.category_before),
    Column(N_("after"), lambda i: i.category_after),
    Column(N_("status"), lambda i: i.status_after, lambda i: word(i.status_after)),
    Column(
        N_("role after"),
        lambda i: i.role_after,
        lambda i: "+".join(words(i.role_after.split("+"))),
    ),
    Column(N_("negotiates"), lambda i: i.negotiates),
)
IMPACT_SYSTEM_COLUMNS: tuple[Column, ...] = (
    Column(N_("system"), lambda s: f"{s.system} {s.name}"),
    Column(N_("distance"), lambda s: s.distance),
    Column(N_("path"), lambda s: " -> ".join(s.path)),
)
IMPACT_CONTRACT_COLUMNS: tuple[Column, ...] = (
    Column(N_("contract"), lambda c: c.contract.id),
    Column(N_("interface"), lambda c: c.contract.interface),
    Column(N_("supplier"), lambda c: c.contract.supplier),
    Column(
        N_("expires"), lambda c: c.contract.expires or "??", lambda c: _date(c.contract.expires)
    ),
    Column(
        N_("annual_cost_dkk"),
        lambda c: format_amount(c.contract.annual_cost_dkk) or "??",
        lambda c: _amount(c.contract.annual_cost_dkk, "??"),
    ),
    Column(N_("payer"), lambda c: c.payer, lambda c: word(c.payer)),
    Column(N_("action"), lambda c: c.action, lambda c: ", ".join(_action_titles(c.action))),
    Column(N_("due"), lambda c: c.due, lambda c: _date(c.due)),
)
IMPACT_ACTOR_COLUMNS: tuple[Column, ...] = (
    Column(N_("actor"), lambda a: a.actor),
    Column(N_("interfaces"), lambda a: ", ".join(a.interfaces)),
    Column(N_("what"), lambda a: "\n".join(a.reasons)),
)


IMPACT_ACTOR_MD_COLUMNS: tuple[Column, ...] = (
    *IMPACT_ACTOR_COLUMNS[:2],
    Column(N_("what"), lambda a: "; ".join(a.reasons)),
)


def _date(text: str | None) -> str:
    """A date of a result (ISO text or '2017') as people read it; unknown as '??'."""
    if not text:
        return "??"
    try:
        return format_date(parse_date(text) or text)
    except ValueError:
        return text


def _action_titles(codes: Sequence[str]) -> list[str]:
    from snitgraf.analysis.plan import ACTION_TITLES

    return [_(ACTION_TITLES[c]) if c in ACTION_TITLES else _(KEEP) for c in codes]


KEEP = N_("keep the contract")
"""The title of impact's `keep` action (a contract that simply continues)."""


def _cost_line(label: str, cost: Cost) -> str:
    text = _("{label}: {amount}/year").format(label=label, amount=format_dkk(cost.known_dkk))
    text += " (" + ngettext("{n} contract", "{n} contracts", len(cost.contracts)).format(
        n=len(cost.contracts)
    )
    if cost.unknown:
        text += _("; unknown cost: {contracts}").format(contracts=", ".join(cost.unknown))
    return text + ")"


def _impact_sections(
    result: Impact, markdown: bool = False
) -> list[tuple[str, Sequence[Any], Sequence[Column]]]:
    return [
        (_("Broken needs"), result.broken_needs, BROKEN_NEED_COLUMNS),
        (_("Affected interfaces"), result.affected_interfaces, IMPACT_INTERFACE_COLUMNS),
        (_("Affected systems"), result.affected_systems, IMPACT_SYSTEM_COLUMNS),
        (_("Contracts"), result.contracts, IMPACT_CONTRACT_COLUMNS),
        (
            _("Who must act"),
            result.must_act,
            IMPACT_ACTOR_MD_COLUMNS if markdown else IMPACT_ACTOR_COLUMNS,
        ),
    ]


def _impact_header(result: Impact) -> list[str]:
    by = ", ".join(result.replaced_by) or _("nothing")
    scenario = _("planned TO-BE") if result.scenario == "planned" else _("HYPOTHETICAL")
    lines = [
        _("Impact ({scenario}): {name} ({system}) replaced by {by}").format(
            scenario=scenario, name=result.name, system=result.system, by=by
        )
    ]
    if result.departures:
        lines.append(
            _("departs from the plan: {items}").format(
                items=", ".join(
                    f"{d.interface} {d.planned} -> {d.scenario}" for d in result.departures
                )
            )
        )
    lines += [f"- {reason}" for reason in result.reasons]
    lines.append(_cost_line(_("Annual cost at stake"), result.cost_total))
    lines += [
        "  "
        + _cost_line(
            _("payer not decided")
            if payer == "undecided"
            else _("paid by {payer}").format(payer=word(payer)),
            cost,
        )
        for payer, cost in result.cost_per_payer.items()
    ]
    return lines


def impact_markdown(result: Impact) -> str:
    """An impact analysis as Markdown: a summary, then one table per section."""
    head = _impact_header(result)
    parts = [f"## {head[0]}", "", *head[1:], ""]
    for title, rows, columns in _impact_sections(result, markdown=True):
        parts += [f"### {title}", ""]
        parts.append(to_markdown(rows, columns) if rows else "(" + _("none") + ")\n")
    return "\n".join(parts)


def print_impact(result: Impact, console: Console) -> None:
    """An impact analysis on the terminal: a summary, then one table per section."""
    for line in _impact_header(result):
        console.print(line, markup=False, highlight=False)
    for title, rows, columns in _impact_sections(result):
        if rows:
            console.print(to_rich_table(rows, columns, title))
        else:
            console.print(f"{title}: {_('none')}", markup=False)


def impact_text(result: Impact, width: int = 200) -> str:
    """The terminal rendering as plain text (for files and tests)."""
    console = Console(width=width, record=True, file=io.StringIO())
    print_impact(result, console)
    return console.export_text()


def write_transition(assessment: Assessment, out: Path) -> list[Path]:
    """Main-job step: plan.csv (the action plan) and gap.csv (AS-IS -> TO-BE) into `out`."""
    return [
        write_text_atomic(
            out / "plan.csv", to_csv_text(assessment.plan, PLAN_COLUMNS), "utf-8-sig"
        ),
        write_text_atomic(out / "gap.csv", to_csv_text(assessment.gap, GAP_COLUMNS), "utf-8-sig"),
    ]
