"""Tabular output of results: a terminal table (rich), CSV, Markdown or JSON, from one declaration.

A result type declares its columns once (`Column`); JSON uses the result's own `to_json`, so the
JSON keys stay a stable contract while the human formats choose readable headers. CSV and
Markdown headers are the stable English names; the terminal table shows them in the active
language (the header is its msgid, marked with `N_`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, Protocol

from snitgraf.i18n import _
from snitgraf.values import neutralise_formula, show_controls

if TYPE_CHECKING:  # rich is imported where a table is drawn: `--version` and `--help` stay light
    from rich.console import Console
    from rich.table import Table

Format = Literal["table", "json", "csv", "md"]
FORMATS: tuple[Format, ...] = ("table", "json", "csv", "md")


class JsonResult(Protocol):
    """A result that knows its JSON object."""

    def to_json(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Column:
    """A column of a human-readable table: its header and how to get its cell from a result.

    `header` is the CSV/Markdown column name (a documented contract, never translated) and the
    msgid of the terminal table's header: write it `N_("annual_cost_dkk")`. `shown`, when
    given, is the cell as the terminal table shows it: codes as words, amounts in the
    language's form (CSV and Markdown keep `value`, which programs read).
    """

    header: str
    value: Callable[[Any], Any]
    shown: Callable[[Any], Any] | None = None

    def terminal(self, result: Any) -> Any:
        """The cell as the terminal table shows it."""
        return (self.shown or self.value)(result)


def cell_text(value: Any) -> str:
    """A cell as text: lists joined with '|', True as 'X', False and None as ''."""
    if type(value) is str:  # most cells: nothing to turn
        return value
    if value is None or value is False:
        return ""
    if value is True:
        return "X"
    if isinstance(value, list | tuple):
        return "|".join(cell_text(v) for v in value)
    if isinstance(value, float):
        return str(int(value)) if value == int(value) else f"{value:.2f}"
    return str(value)


def to_json_text(results: Iterable[JsonResult] | Any) -> str:
    """Results as a JSON document (UTF-8 text, Danish letters kept, stable indentation)."""
    if isinstance(results, list | tuple):
        payload: Any = [r.to_json() if hasattr(r, "to_json") else r for r in results]
    else:
        payload = results.to_json() if hasattr(results, "to_json") else results
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


@lru_cache(maxsize=1 << 16)
def csv_cell(text: str) -> str:
    """A cell of a CSV file people open in Excel: no formula, no hidden bidi control (cells
    repeat a lot, ids and codes, so each text is made safe once)."""
    return neutralise_formula(show_controls(text))


def to_csv_text(results: Iterable[Any], columns: Sequence[Column]) -> str:
    """Results as CSV (comma separated, a header row), every cell inert in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(c.header) for c in columns])
    values = [c.value for c in columns]
    for result in results:
        writer.writerow([csv_cell(cell_text(value(result))) for value in values])
    return buffer.getvalue()


def to_markdown(results: Iterable[Any], columns: Sequence[Column]) -> str:
    """Results as a Markdown (GitHub) table."""

    def escape(text: str) -> str:
        return show_controls(text).replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(escape(c.header) for c in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    for result in results:
        cells = (escape(cell_text(c.value(result))) for c in columns)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def terminal_text(text: str) -> str:
    """Text for a rich table: its markup escaped (a name '[/bold]' prints as it stands) and
    bidi controls shown, so a cell can neither style, link nor reorder the terminal."""
    from rich.markup import escape

    return escape(show_controls(text))


def to_rich_table(results: Iterable[Any], columns: Sequence[Column], title: str | None) -> Table:
    """Results as a rich Table for the terminal, its headers in the active language; every
    header and cell is plain text."""
    from rich.table import Table

    shown = None if title is None else terminal_text(title)
    table = Table(title=shown, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(terminal_text(_(column.header)), overflow="fold")
    for result in results:
        table.add_row(*(terminal_text(cell_text(c.terminal(result))) for c in columns))
    return table


def render(
    results: Sequence[Any],
    columns: Sequence[Column],
    fmt: Format,
    title: str | None = None,
    console: Console | None = None,
) -> str:
    """Results in one of the formats, as text (the terminal table is rendered to text too)."""
    if fmt == "json":
        return to_json_text(list(results))
    if fmt == "csv":
        return to_csv_text(results, columns)
    if fmt == "md":
        return to_markdown(results, columns)
    from rich.console import Console

    console = console or Console(width=200, record=True, file=io.StringIO())
    console.print(to_rich_table(results, columns, title))
    return console.export_text() if console.record else ""
