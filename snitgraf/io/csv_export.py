"""Portfolio -> rows and columns of its files, and a writer of a portfolio as a CSV folder.

The rows keep typed values (bool, PartialDate, float, tuples) so the workbook writer can format
them as Excel types; `cell_text` turns them into the text a CSV file holds. Both writers use the
same columns: the model's fields in declaration order, then every extra column as first seen.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path
from typing import Any

from snitgraf.io.atomic import atomic_path
from snitgraf.loader import FILES, FileSpec
from snitgraf.model import Portfolio, Row
from snitgraf.values import LIST_SEPARATOR, PartialDate, format_amount, neutralise_formula

Table = tuple[list[str], list[dict[str, Any]]]

HIDDEN_WHEN_EMPTY = ("assumptions",)
"""Known columns written only when some row has a value: most portfolios assume nothing."""


def readable(path: Path) -> Path:
    """Give a freshly written temporary file the mode a new file gets (mkstemp makes 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)
    return path


def table_of(portfolio: Portfolio, spec: FileSpec) -> Table:
    """The columns and typed rows of one portfolio file (extras after the known columns)."""
    rows: tuple[Row, ...] = getattr(portfolio, spec.kind)
    known = [
        c
        for c in spec.columns
        if c not in HIDDEN_WHEN_EMPTY or any(getattr(row, c) for row in rows)
    ]
    columns = list(known)
    for row in rows:
        columns += [header for header in row.extra if header not in columns]
    result = []
    for row in rows:
        values: dict[str, Any] = {name: getattr(row, name) for name in known}
        values.update({h: v for h, v in row.extra.items() if h not in spec.columns})
        result.append(values)
    return columns, result


def portfolio_tables(portfolio: Portfolio) -> dict[str, Table]:
    """Every file of the portfolio (optional files only when they hold rows)."""
    tables = {}
    for spec in FILES:
        if not spec.required and not getattr(portfolio, spec.kind):
            continue
        tables[spec.kind] = table_of(portfolio, spec)
    return tables


def cell_text(value: Any) -> str:
    """A typed cell as the text the CSV format reads back to the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, float):
        return format_amount(value)
    if isinstance(value, tuple | list):
        return LIST_SEPARATOR.join(value)
    return str(value)


def csv_text(table: Table) -> str:
    """One table as CSV text (comma separated, header row); a cell Excel would run as a
    formula gets a leading `'`, which the loader removes again on reading."""
    columns, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise_formula(column) for column in columns])
    for row in rows:
        writer.writerow([neutralise_formula(cell_text(row.get(column))) for column in columns])
    return buffer.getvalue()


def write_portfolio_folder(portfolio: Portfolio, folder: str | Path) -> list[Path]:
    """Write a portfolio as a folder of CSV files (UTF-8 with BOM, for Excel), whole or not at
    all: every file is written to a temporary name first and renamed once all are written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for kind, table in portfolio_tables(portfolio).items():
            handle, name = tempfile.mkstemp(prefix=f".{kind}.", suffix=".tmp", dir=folder)
            os.close(handle)
            temporary = Path(name)
            staged.append((temporary, folder / f"{kind}.csv"))
            temporary.write_text(csv_text(table), encoding="utf-8-sig", newline="")
            readable(temporary)
        for temporary, target in staged:
            os.replace(temporary, target)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    return [target for _, target in staged]


def write_csv_table(target: str | Path, table: Table) -> Path:
    """Write one table as a CSV file atomically."""
    with atomic_path(target) as temporary:
        temporary.write_text(csv_text(table), encoding="utf-8-sig", newline="")
        readable(temporary)
    return Path(target)
