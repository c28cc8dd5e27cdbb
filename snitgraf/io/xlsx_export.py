"""Write a portfolio as an Excel workbook for reading: one sheet per file, then the analyses.

The portfolio sheets (Leverandører/Suppliers, Systemer/Systems, ...: names and headers in the
active language, always ones `snitgraf.io.workbook` reads back) hold the same portfolio: full
dates are Excel dates, a year or a month is text in a cell formatted as text (`@`), so that a
user typing `2019` there keeps the year 2019 (in a date cell Excel stores day number 2019, i.e.
11 July 1905); amounts are numbers, lists `|`-joined text. Need, lifecycle and monopoly cells,
and the id cells that name a row of another sheet, offer a drop-down list. Then come
`categories` (with reasons) and `overview`. Every sheet has its header row frozen, filters on
and column widths set.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from snitgraf.analysis.categorise import InterfaceCategory
from snitgraf.analysis.overview import OverviewRow
from snitgraf.i18n import N_, _
from snitgraf.io.atomic import atomic_path
from snitgraf.io.csv_export import portfolio_tables, readable
from snitgraf.io.workbook import sheet_kind
from snitgraf.loader import canonical_column
from snitgraf.model import Portfolio
from snitgraf.problems import Problem, SnitgrafError
from snitgraf.render.columns import CATEGORY_COLUMNS, OVERVIEW_COLUMNS
from snitgraf.render.palette import excel_fill
from snitgraf.render.tables import Column
from snitgraf.values import LIST_SEPARATOR, PartialDate, parse_bool, parse_date

DAY_FORMAT = "yyyy-mm-dd"
"""The number format of a full date (an Excel date cell)."""
TEXT_FORMAT = "@"
"""Excel's Text format: what is typed stays text, so a year typed as `2019` stays 2019."""

SHEET_TITLES: dict[str, str] = {
    "suppliers": N_("Suppliers"),
    "systems": N_("Systems"),
    "interfaces": N_("Interfaces"),
    "usages": N_("Usages"),
    "contracts": N_("Contracts"),
    "municipalities": N_("Municipalities"),
    "deployments": N_("Deployments"),
}
"""English source of each portfolio sheet's title (translated through `_`: Leverandører,
Systemer, Snitflader, Anvendelser, Kontrakter, Kommuner, Udrulninger in Danish)."""

HEADER_LABELS: dict[str, str] = {
    "id": N_("ID"),
    "name": N_("Name"),
    "ski": N_("SKI"),
    "supplier": N_("Supplier"),
    "monopoly": N_("Monopoly"),
    "lifecycle": N_("Lifecycle"),
    "replaces": N_("Replaces"),
    "go_live": N_("Go live"),
    "domain": N_("Domain"),
    "provider": N_("Provider"),
    "data": N_("Data"),
    "nettoliste": N_("Nettoliste"),
    "bruttoliste": N_("Bruttoliste"),
    "klippekort": N_("Klippekort"),
    "interface": N_("Interface"),
    "system": N_("System"),
    "need": N_("Need"),
    "direction": N_("Direction"),
    "municipality": N_("Municipality"),
    "expires": N_("Expires"),
    "annual_cost_dkk": N_("Annual cost DKK"),
    "note": N_("Note"),
    "code": N_("Code"),
    "assumptions": N_("Assumptions"),
}
"""English source of the known columns' headers; a translation is used only when the workbook
reader reads it back as the same column (else the column's own name is written)."""

CHOICES: dict[str, tuple[str, ...]] = {
    "need": ("must", "nice"),
    "lifecycle": ("as-is", "to-be", "both"),
    "direction": ("in", "out"),
}
"""Columns whose cells pick from a list (monopoly: yes/no in the active language)."""

REFERENCES: dict[str, dict[str, str]] = {
    "systems": {"supplier": "suppliers"},
    "interfaces": {"provider": "systems"},
    "usages": {"interface": "interfaces", "system": "systems", "municipality": "municipalities"},
    "contracts": {
        "interface": "interfaces",
        "supplier": "suppliers",
        "municipality": "municipalities",
    },
    "deployments": {"municipality": "municipalities", "system": "systems"},
}
"""Id columns that name a row of another sheet (its first column): a drop-down of those ids."""

LAST_ROW = 1048576
"""Excel's last row: validations cover the rows a user may add."""
AMOUNT_FORMAT = "#,##0"
AMOUNT_FORMAT_DECIMALS = "#,##0.00"
MAX_WIDTH = 60
WRAPPED_COLUMNS = frozenset({"reasons", "note"})
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
MAX_CELL_TEXT = 32767
"""The most characters an Excel cell holds; openpyxl silently cuts longer text."""


def _set(cell: Cell | MergedCell, value: Any) -> None:
    """Put a typed value into a cell with a number format that keeps its meaning."""
    if value is None or value == ():
        return
    if isinstance(value, PartialDate):
        if value.precision == "day":
            cell.value = datetime(value.year, value.month or 1, value.day or 1)
            cell.number_format = DAY_FORMAT
        else:  # a year or a month: text Excel keeps as typed (see the module docstring)
            cell.value = str(value)
            cell.data_type = "s"
            cell.number_format = TEXT_FORMAT
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


def sheet_title(kind: str) -> str:
    """A portfolio sheet's title in the active language, if the reader knows it as that file."""
    title = _(SHEET_TITLES[kind])
    return title if sheet_kind(title) == kind and len(title) <= 31 else kind


def header_label(column: str) -> str:
    """A known column's header in the active language, if it reads back as that column."""
    source = HEADER_LABELS.get(column)
    if source is None:
        return column
    label = _(source)
    return label if canonical_column(label) == column else column


def _yes_no() -> tuple[str, str]:
    yes, no = _("yes"), _("no")
    try:
        if parse_bool(yes) and not parse_bool(no):
            return yes, no
    except ValueError:
        pass
    return "yes", "no"


def _validations(sheet: Worksheet, kind: str, columns: Sequence[str]) -> None:
    """Drop-down lists: choices for need, lifecycle, direction, monopoly; ids of other sheets."""
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if column in CHOICES or column == "monopoly":
            choices = _yes_no() if column == "monopoly" else CHOICES[column]
            formula = '"' + ",".join(choices) + '"'
        elif column in REFERENCES.get(kind, {}):
            target = _quoted(sheet_title(REFERENCES[kind][column]))
            formula = f"{target}!$A$2:$A${LAST_ROW}"
        else:
            continue
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Not in the list"),
            error=_("Pick a value from the list (or leave the cell empty)."),
        )
        validation.add(f"{letter}2:{letter}{LAST_ROW}")
        sheet.add_data_validation(validation)


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _fill_sheet(
    sheet: Worksheet,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str] | None = None,
) -> None:
    sheet.append(list(headers if headers is not None else columns))
    for index in range(1, len(columns) + 1):
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
                    _("{n} characters; an Excel cell holds at most {limit}").format(
                        n=len(text), limit=MAX_CELL_TEXT
                    ),
                    str(columns[c - 1]),
                    text,
                )
                raise SnitgrafError(
                    _("cannot export to Excel without losing text: {problem}").format(
                        problem=problem
                    )
                )
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
    tables = portfolio_tables(portfolio)
    for kind, (columns, rows) in tables.items():
        sheet = workbook.create_sheet(sheet_title(kind))
        _fill_sheet(
            sheet,
            columns,
            [[row.get(c) for c in columns] for row in rows],
            [header_label(c) for c in columns],
        )
        known = [
            c for c in columns if c not in REFERENCES.get(kind, {}) or _sheet_of(c, kind, tables)
        ]
        _validations(sheet, kind, [c if c in known else "" for c in columns])
    for title, analysis_columns, results in (
        ("categories", CATEGORY_COLUMNS, categories),
        ("overview", OVERVIEW_COLUMNS, overview),
    ):
        sheet = workbook.create_sheet(title)
        _fill_sheet(
            sheet,
            [c.header for c in analysis_columns],
            [[_analysis_value(c, r) for c in analysis_columns] for r in results],
        )
        _colour_categories(sheet, [c.header for c in analysis_columns])
    return workbook


def _sheet_of(column: str, kind: str, tables: dict[str, Any]) -> bool:
    """Whether the sheet an id column refers to is in the workbook (municipalities may not be)."""
    return REFERENCES[kind][column] in tables


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
