"""Raw tables: the cells of a portfolio file before validation, with where each cell came from.

Every reader (CSV folder, workbook, ...) produces RawTables; `snitgraf.loader` validates them the
same way, so a problem reads `systems.csv:7: column supplier: ...` or `Systemer!C7: ...`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from snitgraf.problems import Problem
from snitgraf.values import restore_formula


@dataclass(frozen=True)
class RawRow:
    """One data row: its line (or spreadsheet row) number and its cells by header text."""

    line: int
    cells: dict[str, str]


def _csv_where(display: str) -> Callable[[int, str | None], str]:
    return lambda line, _header: f"{display}:{line}"


@dataclass(frozen=True)
class RawTable:
    """The header and rows of one portfolio file, and how to name a place in it."""

    name: str
    """What the user calls it in messages: a file path or a sheet name."""
    headers: tuple[str, ...]
    rows: tuple[RawRow, ...]
    header_line: int = 1
    where: Callable[[int, str | None], str] = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.where is None:
            object.__setattr__(self, "where", _csv_where(self.name))


ENCODINGS = ("utf-8-sig", "cp1252")
"""Tried in order: UTF-8 (with or without BOM), then what Excel writes on a Danish PC."""
DELIMITERS = (";", ",", "\t")


def decode(data: bytes, display: str) -> tuple[str, list[Problem]]:
    """Decode a file's bytes as UTF-8 or cp1252; bytes neither can read are problems."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), []
        except UnicodeDecodeError:
            continue
    text = data.decode("utf-8-sig", errors="replace")
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "\ufffd" in line:
            column = _column_of_replacement(line)
            problems.append(
                Problem(
                    f"{display}:{number}",
                    "undecodable bytes (neither UTF-8 nor cp1252)",
                    column=column,
                    value=line.strip(),
                )
            )
    return text, problems


def _column_of_replacement(line: str) -> str | None:
    delimiter = sniff_delimiter(line)
    for index, cell in enumerate(next(csv.reader([line], delimiter=delimiter), [])):
        if "\ufffd" in cell:
            return f"#{index + 1}"
    return None


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header line into the most cells (';' wins ties)."""
    counts = {d: len(next(csv.reader([header_line], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))


def read_csv(path: Path, display: str | None = None) -> tuple[RawTable, list[Problem]]:
    """Read one CSV file: detect encoding and delimiter, keep line numbers, skip blank rows."""
    display = display or str(path)
    text, problems = decode(path.read_bytes(), display)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: tuple[str, ...] = ()
    header_line = 1
    rows: list[RawRow] = []
    last_line = 0
    for record in reader:
        # A record starts on the line after the previous one ended (a quoted cell may span
        # lines): problems are reported where the row begins.
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if not headers:
            headers = tuple(restore_formula(cell.strip()) for cell in record)
            header_line = line
            continue
        if len(record) > len(headers) and any(c.strip() for c in record[len(headers) :]):
            problems.append(
                Problem(
                    f"{display}:{line}",
                    f"row has {len(record)} cells but the header has {len(headers)}",
                    value=delimiter.join(record),
                )
            )
        cells = {
            h: (restore_formula(record[i]) if i < len(record) else "")
            for i, h in enumerate(headers)
            if h
        }
        rows.append(RawRow(line, cells))
    return RawTable(display, headers, tuple(rows), header_line), problems
