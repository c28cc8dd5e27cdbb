"""A `PortfolioDiff` for people: terminal tables (rich, 100 columns) or a Markdown change note.

Both draw the same sections from the finished diff: the headline counts, then the inventory
kind by kind, category changes (old and new reasons side by side), plan actions, budget and
broken needs. The JSON document is the diff's own `to_json` (stable English keys).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from snitgraf.analysis.categorise import CATEGORIES
from snitgraf.analysis.diff import (
    CHANGES,
    KINDS,
    ActionChange,
    FieldChange,
    PortfolioDiff,
    RowChange,
)
from snitgraf.i18n import N_, _, format_dkk, format_number
from snitgraf.render.tables import terminal_text
from snitgraf.values import show_controls
from snitgraf.words import word

if TYPE_CHECKING:
    from rich.console import Console

WIDTH = 100
"""The terminal tables fit this many columns."""
ARROW = "→"
NOT_SET = "—"

CHANGE_WORDS = {
    "added": N_("added"),
    "removed": N_("removed"),
    "changed": N_("changed"),
    "resolved": N_("resolved"),
    "new": N_("new"),
}
SECTION_TITLES = {
    "suppliers": N_("Suppliers"),
    "systems": N_("Systems"),
    "interfaces": N_("Interfaces"),
    "usages": N_("Usages"),
    "contracts": N_("Contracts"),
    "deployments": N_("Deployments"),
}
STATE_WORDS = {"as-is": "AS-IS", "to-be": "TO-BE"}
FIELD_WORDS = {
    "name": N_("name"),
    "supplier": N_("supplier"),
    "monopoly": N_("monopoly"),
    "lifecycle": N_("lifecycle"),
    "go_live": N_("go_live"),
    "domain": N_("domain"),
    "replaces": N_("replaces"),
    "provider": N_("provider"),
    "data": N_("data"),
    "interface": N_("interface"),
    "expires": N_("expires"),
    "annual_cost_dkk": N_("annual_cost_dkk"),
    "note": N_("note"),
    "municipality": N_("municipality"),
    "need": N_("need"),
    "direction": N_("direction"),
    "assumptions": N_("assumptions"),
}
"""A portfolio column as people read it; the JSON keeps the column name (and an extra column,
the user's own, reads as it is)."""


@dataclass(frozen=True)
class Section:
    """A titled table of the diff: its headers and its rows of text."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _change(code: str) -> str:
    return _(CHANGE_WORDS[code])


def _category(code: str) -> str:
    return _(CATEGORIES[code].label) if code in CATEGORIES else code


def show_value(field: str, value: Any) -> str:
    """A field's value as people read it: amounts in kroner, yes/no, lists joined."""
    if value is None or value == ():
        return NOT_SET
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float) and field.endswith("_dkk"):
        return format_dkk(float(value))
    if isinstance(value, list | tuple):
        return ", ".join(word(str(v)) if field == "need" else str(v) for v in value)
    if field in ("need", "lifecycle", "direction"):
        return word(str(value))
    return str(value)


def _field_text(change: FieldChange, kind: str) -> str:
    field = _(FIELD_WORDS[change.field]) if change.field in FIELD_WORDS else change.field
    if kind == "added":
        return f"{field}: {show_value(change.field, change.new)}"
    if kind == "removed":
        return f"{field}: {show_value(change.field, change.old)}"
    old, new = show_value(change.field, change.old), show_value(change.field, change.new)
    return f"{field}: {old} {ARROW} {new}"


def _row_fields(row: RowChange) -> str:
    return "; ".join(_field_text(f, row.change) for f in row.fields if f.field != "name")


def _row_name(row: RowChange) -> str:
    named = [f for f in row.fields if f.field == "name"]
    if row.change == "changed" and named:
        return f"{show_value('name', named[0].old)} {ARROW} {show_value('name', named[0].new)}"
    return row.name or ""


def _action_field(change: ActionChange, field: str) -> str:
    for found in change.fields:
        if found.field == field:
            return f"{_action_value(field, found.old)} {ARROW} {_action_value(field, found.new)}"
    return _action_value(field, getattr(change.action, field))


def _action_value(field: str, value: Any) -> str:
    return NOT_SET if value is None else word(str(value)) if field == "actor" else str(value)


def _amount(value: float) -> str:
    return format_dkk(value)


def _signed(value: float) -> str:
    return ("+" if value > 0 else "-" if value < 0 else "") + format_dkk(abs(value))


def sections(diff: PortfolioDiff) -> list[Section]:
    """The diff's non-empty sections, in the order a reader wants them."""
    found: list[Section] = []
    change, row, name, what = _("change"), _("id"), _("name"), _("what changed")
    for kind in KINDS:
        rows = diff.rows_of(kind)
        if rows:
            found.append(
                Section(
                    _(SECTION_TITLES[kind]),
                    (change, row, name, what),
                    tuple((_change(r.change), r.label, _row_name(r), _row_fields(r)) for r in rows),
                )
            )
    if diff.categories:
        found.append(
            Section(
                _("Interfaces changing category"),
                (_("interface"), _("before"), _("after"), _("reasons before"), _("reasons after")),
                tuple(
                    (
                        f"{c.interface} {c.name}",
                        _category(c.old_category),
                        _category(c.new_category),
                        " ".join(c.old_reasons),
                        " ".join(c.new_reasons),
                    )
                    for c in diff.categories
                ),
            )
        )
    if diff.actions:
        found.append(
            Section(
                _("Plan actions"),
                (change, _("system"), _("interface"), _("action"), _("owner"), _("due")),
                tuple(
                    (
                        _change("new" if a.change == "added" else a.change),
                        a.action.group_name,
                        a.action.interface,
                        a.action.title,
                        _action_field(a, "actor"),
                        _action_field(a, "due"),
                    )
                    for a in diff.actions
                ),
            )
        )
    if diff.budget:
        found.append(
            Section(
                _("Budget (known annual cost)"),
                (_("year"), _("state"), _("payer"), _("before"), _("after"), change),
                tuple(
                    (
                        str(b.year),
                        STATE_WORDS.get(b.state, b.state),
                        word(b.payer),
                        _amount(b.old_dkk),
                        _amount(b.new_dkk),
                        _signed(b.change_dkk),
                    )
                    for b in diff.budget
                ),
            )
        )
    needs = [("new", n) for n in diff.new_needs] + [("resolved", n) for n in diff.resolved_needs]
    if needs:
        found.append(
            Section(
                _("Broken needs"),
                (change, _("system"), _("interface"), _("data"), _("need")),
                tuple(
                    (_change(c), f"{n.system} {n.system_name}", n.interface, n.data, word(n.need))
                    for c, n in needs
                ),
            )
        )
    return found


def headline(diff: PortfolioDiff) -> list[str]:
    """The counts first: one line per kind of change found (none: one line saying so)."""
    scenarios = [s.text() for s in (diff.old_scenario, diff.new_scenario) if s]
    if not diff.changed:
        return [*scenarios, _("No changes.")]
    lines = scenarios
    for kind in KINDS:
        counts = {c: len(diff.rows_of(kind, c)) for c in CHANGES}
        if any(counts.values()):
            lines.append(
                _("{kind}: {added} added, {removed} removed, {changed} changed").format(
                    kind=word(kind), **{k: format_number(n) for k, n in counts.items()}
                )
            )
    if diff.categories:
        lines.append(
            _("interfaces changing category: {n}").format(n=format_number(len(diff.categories)))
        )
    if diff.actions:
        lines.append(
            _("plan actions: {added} new, {removed} gone, {changed} changed").format(
                added=len(diff.actions_of("added")),
                removed=len(diff.actions_of("removed")),
                changed=len(diff.actions_of("changed")),
            )
        )
    if diff.budget:
        lines.append(_("budget figures changed: {n}").format(n=len(diff.budget)))
    if diff.new_needs or diff.resolved_needs:
        lines.append(
            _("broken needs: {new} new, {resolved} resolved").format(
                new=len(diff.new_needs), resolved=len(diff.resolved_needs)
            )
        )
    return lines


def title(diff: PortfolioDiff) -> str:
    """What the diff compares: 'Changes from OLD to NEW'."""
    return _("Changes from {old} to {new}").format(old=diff.old_source, new=diff.new_source)


# --- terminal ---------------------------------------------------------------------------


def print_tables(diff: PortfolioDiff, console: Console) -> None:
    """The headline and every section as rich tables on `console` (plain text cells)."""
    from rich.table import Table

    console.print(terminal_text(title(diff)), style="bold")
    for line in headline(diff):
        console.print(terminal_text(line))
    for section in sections(diff):
        table = Table(title=terminal_text(section.title), header_style="bold", expand=False)
        for header in section.headers:
            table.add_column(terminal_text(header), overflow="fold")
        for row in section.rows:
            table.add_row(*(terminal_text(cell) for cell in row))
        console.print()
        console.print(table)


def tables_text(diff: PortfolioDiff, width: int = WIDTH) -> str:
    """The terminal tables as text of at most `width` columns (for files and pipes)."""
    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    print_tables(diff, console)
    return console.export_text()


# --- Markdown ---------------------------------------------------------------------------


def _md(text: str) -> str:
    return show_controls(text).replace("|", "\\|").replace("\n", " ")


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Iterator[str]:
    yield "| " + " | ".join(_md(h) for h in headers) + " |"
    yield "|" + "|".join("---" for _h in headers) + "|"
    for row in rows:
        yield "| " + " | ".join(_md(cell) for cell in row) + " |"


def markdown(diff: PortfolioDiff) -> str:
    """A change note to paste into a steering-group mail: title, the counts, then sections."""
    heading = _("Change note")
    lines = [f"# {_md(heading)}", "", _md(title(diff)), ""]
    lines += [f"- {_md(line)}" for line in headline(diff)]
    for section in sections(diff):
        lines += ["", f"## {_md(section.title)}", ""]
        lines += _md_table(section.headers, section.rows)
    return "\n".join(lines) + "\n"
