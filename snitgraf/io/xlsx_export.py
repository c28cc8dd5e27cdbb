"""Write a portfolio as an Excel workbook for reading: one sheet per file, then the analyses.

The portfolio sheets (suppliers, systems, interfaces, usages, contracts, ...) read back through
`snitgraf.io.workbook` to the same portfolio: dates are Excel dates whose number format keeps
their precision (`yyyy` for a year), amounts are numbers, lists are `|`-joined text. Then come
`categories` (with reasons) and `overview`. Every sheet has its header row frozen, filters on
and column widths set.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from snitgraf.analysis.categorise import InterfaceCategory
from snitgraf.analysis.overview import OverviewRow
from snitgraf.io.atomic import atomic_path
from snitgraf.io.csv_export import portfolio_tables, readable
from snitgraf.model import Portfolio
from snitgraf.problems import Problem, SnitgrafError
from snitgraf.render.columns import CATEGORY_COLUMNS, OVERVIEW_COLUMNS
from snitgraf.render.palette import excel_fill
from snitgraf.render.tables import Column
from snitgraf.values import LIST_SEPARATOR, PartialDate, parse_date

DATE_FORMATS = {"year": "yyyy", "month": "yyyy-mm", "day": "yyyy-mm-dd"}
"""Number formats that show a date with its precision (and tell the reader it back)."""
AMOUNT_FORMAT = "#,##0"
AMOUNT_FORMAT_DECIMALS = "#,##0.00"
MAX_WIDTH = 60
WRAPPED_COLUMNS = frozenset({"reasons", "note"})
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
MAX_CELL_TEXT = 32767
"""The most characters an Excel cell holds; openpyxl silently cuts longer text."""


def _set(cell: Cell, value: Any) -> None:
    """Put a typed value into a cell with a number format that keeps its meaning."""
    if value is None or value == ():
        return
    if isinstance(value, PartialDate):
        cell.value = datetime(value.year, value.month or 1, value.day or 1)
        cell.number_format = DATE_FORMATS[value.precision]
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, float | int):
        cell.value = value
        whole = float(value).is_integer()
        cell.number_format = AMOUNT_FORMAT if whole else AMOUNT_FORMAT_DECIMALS
    elif isinstance(value, tuple | list):
        cell.value = LIST_SEPARATOR.join(str(v) for v in value)
        cell.data_type = "s"
    else:
        cell.value = str(value)
        cell.data_type = "s"  # text, even when it starts with '=' (never a formula)


def _fill_sheet(sheet: Worksheet, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    sheet.append(list(columns))
    for index, _ in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    widths = [len(str(c)) for c in columns]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            text = (
                LIST_SEPARATOR.join(map(str, value)) if isinstance(value, tuple | list) else value
            )
            if isinstance(text, str) and len(text) > MAX_CELL_TEXT:
                problem = Problem(
                    f"{sheet.title}!{cell.coordinate}",
                    f"{len(text)} characters; an Excel cell holds at most {MAX_CELL_TEXT}",
                    str(columns[c - 1]),
                    text,
                )
                raise SnitgrafError(f"cannot export to Excel without losing text: {problem}")
            _set(cell, value)
            shown = cell.value
            if isinstance(shown, datetime):
                length = 10
            elif isinstance(shown, str):
                length = max((len(part) for part in shown.split("\n")), default=0)
            else:
                length = len(str(shown)) if shown is not None else 0
            widths[c - 1] = max(widths[c - 1], length)
            if columns[c - 1] in WRAPPED_COLUMNS:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 1)}"


def _analysis_value(column: Column, result: Any) -> Any:
    value = column.value(result)
    if column.header in ("Udløbsdato på kontrakt",):
        try:
            return parse_date(value) if isinstance(value, str) else value
        except ValueError:
            return value
    if column.header == "reasons":
        return "\n".join(value)
    if isinstance(value, bool):
        return "X" if value else None
    if isinstance(value, tuple | list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def build_workbook(
    portfolio: Portfolio,
    categories: Sequence[InterfaceCategory] = (),
    overview: Sequence[OverviewRow] = (),
) -> Workbook:
    """The workbook: the portfolio's sheets, then `categories` and `overview`."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for kind, (columns, rows) in portfolio_tables(portfolio).items():
        sheet = workbook.create_sheet(kind)
        _fill_sheet(sheet, columns, [[row.get(c) for c in columns] for row in rows])
    for title, columns, results in (
        ("categories", CATEGORY_COLUMNS, categories),
        ("overview", OVERVIEW_COLUMNS, overview),
    ):
        sheet = workbook.create_sheet(title)
        _fill_sheet(
            sheet,
            [c.header for c in columns],
            [[_analysis_value(c, r) for c in columns] for r in results],
        )
        _colour_categories(sheet, [c.header for c in columns])
    return workbook


def _colour_categories(sheet: Worksheet, headers: Sequence[str]) -> None:
    """Tint each category cell in the palette's colour, as the diagrams and report show it."""
    if "category" not in headers:
        return
    column = headers.index("category") + 1
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=column)
        if cell.value:
            cell.fill = PatternFill("solid", fgColor=excel_fill(str(cell.value)))


def write_xlsx(
    portfolio: Portfolio,
    target: str | Path,
    categories: Sequence[InterfaceCategory] = (),
    overview: Sequence[OverviewRow] = (),
) -> Path:
    """Write the workbook to `target` atomically (whole or not at all)."""
    workbook = build_workbook(portfolio, categories, overview)
    with atomic_path(target) as temporary:
        workbook.save(temporary)
        readable(temporary)
    return Path(target)
