"""Read a portfolio from an Excel workbook: one sheet per portfolio file, English or Danish names.

Sheets and headers may use the names architects use (Leverandører, Systemer, Snitflader,
Anvendelser, Kontrakter; Navn, Udbyder, Behov, Udløbsdato på kontrakt, Årlig pris, ...). Excel
dates become dates with the precision their number format shows, whole numbers lose their
`.0`, merged header cells are spread over the cells they cover, and empty rows are skipped.
Every problem names the sheet, row and column: `Snitflader!C14`.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from snitgraf.i18n import _, format_date
from snitgraf.io.tables import RawRow, RawTable
from snitgraf.loader import FILE_SPECS, FILES, canonical_column
from snitgraf.problems import Problem
from snitgraf.values import PartialDate

SHEET_ALIASES: dict[str, str] = {
    "suppliers": "suppliers",
    "leverandører": "suppliers",
    "leverandorer": "suppliers",
    "systems": "systems",
    "systemer": "systems",
    "interfaces": "interfaces",
    "snitflader": "interfaces",
    "usages": "usages",
    "anvendelser": "usages",
    "anvendelse": "usages",
    "contracts": "contracts",
    "kontrakter": "contracts",
    "municipalities": "municipalities",
    "kommuner": "municipalities",
    "deployments": "deployments",
    "udrulninger": "deployments",
}
"""Sheet names (normalised) and the portfolio file each one is."""

SHEET_COLUMN_ALIASES: dict[str, dict[str, str]] = {
    "interfaces": {"system": "provider"},
    "contracts": {"snitflade": "interface", "snitflade_id": "interface"},
    "usages": {"snitflade_id": "interface"},
}
"""Headers whose meaning depends on the sheet: on Snitflader, 'System' is the provider
(as in KMD's lists, where the named system exposes the interface). Applied only when the
sheet has no header that already means the target column."""

HEADER_SEARCH_ROWS = 10
"""How many rows from the top may hold a title before the header row."""

_NUMBER_FORMAT_ZEROS = re.compile(r"^0+$")
_AMBIGUOUS_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def sheet_kind(name: str) -> str | None:
    """The portfolio file a sheet name means, or None for a sheet snitgraf does not read."""
    key = unicodedata.normalize("NFC", name).strip().lower()
    key = key.removesuffix(".csv")
    return SHEET_ALIASES.get(key)


def cell_text(value: Any, number_format: str = "General") -> str:
    """A cell value as the text the CSV format would hold for it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        if isinstance(value, datetime) and value.time() != time(0, 0):
            return value.isoformat(sep=" ")
        day = value.date() if isinstance(value, datetime) else value
        return str(_with_precision(day, number_format))
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, int | float):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and _NUMBER_FORMAT_ZEROS.match(number_format or ""):
            return str(value).zfill(len(number_format))
        if isinstance(value, int):
            return str(value)
        text = repr(value)
        # '1.234' would read as 1234 kroner (Danish thousands): '1.2340' keeps it a decimal.
        return text + "0" if _AMBIGUOUS_THOUSANDS.match(text) else text
    return str(value).replace("\r\n", "\n").strip()


def _with_precision(day: date, number_format: str) -> PartialDate:
    """A date cell shown as a year ('yyyy') or a month ('yyyy-mm', 'mm-yyyy') keeps that
    precision: what the user sees is what the portfolio means."""
    shown = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", (number_format or "").lower())
    if "y" in shown and "d" not in shown:
        if "m" in shown:
            return PartialDate(day.year, day.month)
        return PartialDate(day.year)
    return PartialDate.from_date(day)


Grid = dict[int, dict[int, str]]
"""The cells that hold text, by row and column (1-based): sparse, so a stray cell at XFD1048576
costs one entry, not a billion padded ones."""


def _grid(sheet: Worksheet) -> tuple[Grid, dict[tuple[int, int], tuple[int, int]]]:
    """Every non-empty cell as text, and for each merged cell the top-left cell of its range
    (ranges clipped to the cells that hold text)."""
    rows: Grid = {}
    # The worksheet's own cell store holds only the cells the file has; iter_rows() would pad
    # every row and column up to the sheet's far corner.
    for (r, c), cell in sheet._cells.items():
        if cell.value is None:
            continue
        text = cell_text(cell.value, cell.number_format)
        if text:
            rows.setdefault(r, {})[c] = text
    last_row = max(rows, default=0)
    last_col = max((max(cells) for cells in rows.values()), default=0)
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in sheet.merged_cells.ranges:
        if rng.min_row > last_row or rng.min_col > last_col:
            continue
        for r in range(rng.min_row, min(rng.max_row, last_row) + 1):
            for c in range(rng.min_col, min(rng.max_col, last_col) + 1):
                merged[(r, c)] = (rng.min_row, rng.min_col)
    return rows, merged


def _header_row(rows: Grid, kind: str | None) -> int | None:
    """The 1-based row holding the header: the first of the top rows that names a known column
    of the file (a merged title above it is skipped), else the first non-empty row."""
    spec = FILE_SPECS.get(kind) if kind else None
    known = set(spec.columns) | set(SHEET_COLUMN_ALIASES.get(kind or "", {})) if spec else set()
    first = None
    for index in range(1, HEADER_SEARCH_ROWS + 1):
        cells = list(rows.get(index, {}).values())
        if not cells:
            continue
        first = first or index
        if known and any(canonical_column(c) in known for c in cells):
            return index
    return first if first is not None else min(rows, default=None)


def read_sheet(sheet: Worksheet, kind: str | None) -> RawTable | None:
    """One sheet as a RawTable whose places read `Sheet!C14`; None for an empty sheet."""
    rows, merged = _grid(sheet)
    header_at = _header_row(rows, kind)
    if header_at is None:
        return None
    # A header may span several rows (merged cells reaching down, or a group title above its
    # sub-headers); its last row is the lowest row a merged header cell reaches.
    header_end = header_at
    for (r, _c), (top, _left) in merged.items():
        if top == header_at:
            header_end = max(header_end, r)
    width = max((c for r in range(header_at, header_end + 1) for c in rows.get(r, {})), default=0)
    width = max([width, *(c for (r, c) in merged if header_at <= r <= header_end)])

    def value(r: int, c: int) -> str:
        top, left = merged.get((r, c), (r, c))
        if (top, left) != (r, c) and top < header_at:
            return ""
        if (top, left) != (r, c) and left != c and top == r:
            # A header merged across columns names the first column only.
            return ""
        return rows.get(top, {}).get(left, "")

    headers: list[str] = []
    for c in range(1, width + 1):
        names = [value(r, c) for r in range(header_at, header_end + 1)]
        headers.append(next((n for n in reversed(names) if n), ""))
    headers = _sheet_aliases(headers, kind)
    letter_of: dict[str, str] = {}
    for index, header in enumerate(headers, start=1):
        if header:
            letter = get_column_letter(index)
            letter_of.setdefault(header, letter)
            letter_of.setdefault(canonical_column(header), letter)

    def data(r: int, c: int) -> str:
        top, left = merged.get((r, c), (r, c))
        if top <= header_end or left != c:
            top = r  # only a cell merged down within the data repeats its value
        return rows.get(top, {}).get(c, "")

    raw_rows = []
    numbers = sorted({r for r in rows if r > header_end} | {r for r, _ in merged if r > header_end})
    for number in numbers:
        cells = {header: data(number, i) for i, header in enumerate(headers, start=1) if header}
        if not any(v.strip() for v in cells.values()):
            continue
        raw_rows.append(RawRow(number, cells))
    return RawTable(
        sheet.title,
        tuple(headers),
        tuple(raw_rows),
        header_at,
        _where(sheet.title, letter_of, len(headers)),
    )


def _sheet_aliases(headers: list[str], kind: str | None) -> list[str]:
    aliases = SHEET_COLUMN_ALIASES.get(kind or "", {})
    present = {canonical_column(h) for h in headers if h}
    result = []
    for header in headers:
        target = aliases.get(canonical_column(header)) if header else None
        if target and target not in present and target != canonical_column(header):
            result.append(target)
            present.add(target)
        else:
            result.append(header)
    return result


def _where(title: str, letter_of: dict[str, str], width: int) -> Callable[[int, str | None], str]:
    sheet = _quoted(title)
    last = get_column_letter(max(width, 1))

    def where(line: int, header: str | None) -> str:
        if header is not None:
            letter = letter_of.get(header) or letter_of.get(canonical_column(header))
            if letter:
                return f"{sheet}!{letter}{line}"
        return f"{sheet}!A{line}:{last}{line}"

    return where


def _quoted(title: str) -> str:
    """A sheet name as Excel writes it in a reference ('Min liste'!A1 when it has spaces)."""
    if re.fullmatch(r"[\wæøåÆØÅ]+", title):
        return title
    return "'" + title.replace("'", "''") + "'"


EXCEL_EPOCH = datetime(1899, 12, 30)
TYPED_YEARS = range(1900, 2201)
"""Day numbers that are years a user typed into a date cell (1900 is 1905-03-14)."""
EARLIEST_YEAR = 1990
"""A year- or month-formatted date cell before this is refused: no portfolio date is so old."""


def typed_year_problems(sheet: Worksheet, table: RawTable) -> list[Problem]:
    """Date cells where a year stood and Excel stored a day: `2019` typed into a date cell is
    day number 2019, 11 July 1905. Each is a problem at its cell: a date whose day number is a
    plausible year, or a date shown as a year or month that is before 1990."""
    problems: list[Problem] = []
    headers = {i: h for i, h in enumerate(table.headers, start=1) if h}
    if not headers or not table.rows:
        return problems
    # Only the cells the table read: a stray cell far away must not make this walk a million
    # rows (read_sheet bounds trailing empty rows and columns the same way).
    last_row = max(row.line for row in table.rows)
    for row in sheet.iter_rows(
        min_row=table.header_line + 1, max_row=last_row, max_col=max(headers)
    ):
        for cell in row:
            value = cell.value
            if not isinstance(value, datetime | date) or cell.column not in headers:
                continue
            moment = value if isinstance(value, datetime) else datetime(*value.timetuple()[:3])
            serial = (moment - EXCEL_EPOCH).days
            shown = _with_precision(moment.date(), cell.number_format)
            if serial in TYPED_YEARS or (shown.precision != "day" and moment.year < EARLIEST_YEAR):
                problems.append(
                    Problem(
                        f"{_quoted(sheet.title)}!{cell.coordinate}",
                        _(
                            "a date in {year} where a year stood: Excel keeps a year typed "
                            "into a date cell as that day number ({serial} is {date}); type the "
                            "year into a cell formatted as text"
                        ).format(year=moment.year, serial=serial, date=format_date(moment.date())),
                        headers[cell.column],
                        moment.date().isoformat(),
                    )
                )
    return problems


def read_workbook(path: str | Path) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read a portfolio workbook: one RawTable per recognised sheet, and the problems found
    (unreadable file, missing or duplicate sheets; formulas without a value as warnings).
    Sheets snitgraf does not know are ignored, so a workbook written by `snitgraf export --to
    xlsx` reads back as the same portfolio."""
    path = Path(path)
    try:
        return _read_workbook(path)
    except MemoryError:
        raise
    except Exception as error:
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        reason = reason if len(reason) <= 120 else reason[:117] + "..."
        return {}, [
            Problem(str(path), _("not a readable .xlsx workbook ({reason})").format(reason=reason))
        ]


def _read_workbook(path: Path) -> tuple[dict[str, RawTable], list[Problem]]:
    workbook = load_workbook(path, data_only=True)
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for sheet in workbook.worksheets:
        kind = sheet_kind(sheet.title)
        if kind is None:
            continue
        if kind in seen:
            problems.append(
                Problem(
                    _("{path}: sheet {sheet}").format(path=path, sheet=sheet.title),
                    _("a second sheet for {kind} (the first is {first!r})").format(
                        kind=kind, first=seen[kind]
                    ),
                )
            )
            continue
        seen[kind] = sheet.title
        table = read_sheet(sheet, kind)
        if table is None:
            table = RawTable(sheet.title, (), (), 1, _where(sheet.title, {}, 1))
        else:
            problems += typed_year_problems(sheet, table)
        tables[kind] = table
    if _has_formulas(path):
        problems.extend(_formulas_without_values(path, workbook, tables))
    workbook.close()
    for spec in FILES:
        if spec.required and spec.kind not in tables:
            names = [n for n, k in SHEET_ALIASES.items() if k == spec.kind]
            problems.append(
                Problem(
                    str(path),
                    _("missing sheet {kind} (or {other})").format(
                        kind=spec.kind, other=names[1].capitalize()
                    ),
                )
            )
    return tables, problems


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the file holds a formula element (a cheap scan of the XML)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as member:
                    tail = b""
                    while chunk := member.read(1 << 20):
                        if re.search(rb"<(?:\w+:)?f[ >/]", tail + chunk):
                            return True
                        tail = chunk[-16:]
    return False


def _formulas_without_values(path: Path, values: Any, tables: dict[str, RawTable]) -> list[Problem]:
    """Warnings for formula cells Excel never calculated: without a saved value they read as
    blank (a column of SKI marks computed by a formula would silently vanish)."""
    formulas = load_workbook(path, data_only=False)
    found = []
    try:
        for table in tables.values():
            sheet, calculated = formulas[table.name], values[table.name]
            for (r, c), cell in sorted(sheet._cells.items()):
                if cell.data_type != "f" or calculated._cells.get((r, c)) is None:
                    continue
                if calculated._cells[(r, c)].value is not None:
                    continue
                header = table.headers[c - 1] if c - 1 < len(table.headers) else ""
                found.append(
                    Problem(
                        f"{_quoted(table.name)}!{get_column_letter(c)}{r}",
                        _(
                            "a formula without a saved value reads as blank (open and save the "
                            "workbook in Excel to calculate it)"
                        ),
                        column=header or None,
                        value=str(cell.value),
                        warning=True,
                    )
                )
    finally:
        formulas.close()
    return found
