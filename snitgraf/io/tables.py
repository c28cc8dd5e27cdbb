"""Raw tables: the cells of a portfolio file before validation, with where each cell came from.

Every reader (CSV folder, workbook, ...) produces RawTables; `snitgraf.loader` validates them the
same way, so a problem reads `systems.csv:7: column supplier: ...` or `Systemer!C7: ...`.
"""

from __future__ import annotations

import csv
import itertools
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import methodcaller
from pathlib import Path

from snitgraf.i18n import N_, _
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
    rows: Iterable[RawRow]
    """The data rows; iterating may read them from disk again (a CSV file is streamed)."""
    header_line: int = 1
    locate: Callable[[int, str | None], str] | None = None
    """Names a place (line, column) for a message; None: a CSV file's `file:line`."""

    def where(self, line: int, column: str | None) -> str:
        """The place of a cell in this table, as a message names it."""
        if self.locate is None:
            return _csv_where(self.name)(line, column)
        return self.locate(line, column)


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
                    _("undecodable bytes (neither UTF-8 nor cp1252)"),
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


OPEN_QUOTE = N_("a quote is left open: the cell runs on over the lines below it")
"""The reading problem of a quote left open (the loader does not report its line break again)."""

MAX_CELL = 131_072
"""The most characters a cell may hold (csv's own default limit): more is a located problem,
usually a quote left open, never a crash. (The xlsx export refuses more than Excel's 32,767.)"""

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long cells are reported, not a crash
_CHUNK = 1 << 20

LineSource = Callable[[], Iterator[str]]


def _decodes_as(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes in `encoding` (read in chunks: memory stays flat)."""
    try:
        with path.open(encoding=encoding, newline="") as handle:
            while handle.read(_CHUNK):
                pass
    except UnicodeDecodeError:
        return False
    return True


def _line_source(path: Path, display: str) -> tuple[LineSource, list[Problem]]:
    """How to read the file's lines again and again (streamed from disk when it decodes as
    UTF-8 or cp1252), and the problems decoding found."""
    for encoding in ENCODINGS:
        if _decodes_as(path, encoding):

            def lines(encoding: str = encoding) -> Iterator[str]:
                with path.open(encoding=encoding, newline="") as handle:
                    yield from handle

            return lines, []
    text, problems = decode(path.read_bytes(), display)
    kept = text.splitlines(keepends=True)
    return lambda: iter(kept), problems


_QUOTED = methodcaller("startswith", "'")
"""A cell `neutralise_formula` may have written (its leading quote to take off)."""


def _records(source: LineSource, delimiter: str) -> Iterator[tuple[int, int, list[str]]]:
    """Each CSV record with the lines it starts and ends on (a quoted cell may span lines:
    problems are reported where the row begins)."""
    reader = csv.reader(source(), delimiter=delimiter)
    last_line = 0
    for record in reader:
        line, last_line = last_line + 1, reader.line_num
        yield line, last_line, record


def _physical_lines(source: LineSource, first: int, last: int) -> list[str]:
    """The file's lines `first` to `last` (1-based, inclusive), read again: only a record that
    spans lines needs them, and such records are rare."""
    return list(itertools.islice(source(), first - 1, last))


def _open_quote(lines: list[str], delimiter: str, width: int) -> str | None:
    """Why a record spanning several lines is a quote left open, or None if it is a cell that
    holds line breaks: the quotes do not parse strictly, or a line inside looks like a row."""
    try:
        list(csv.reader(lines, delimiter=delimiter, strict=True))
    except csv.Error:
        return _(OPEN_QUOTE)
    for inner in lines[1:]:
        cells = next(csv.reader([inner], delimiter=delimiter), [])
        if width >= 3 and len(cells) >= width:
            return _(OPEN_QUOTE)
    return None


@dataclass(frozen=True)
class _CsvRows:
    """The data rows of a CSV file, read from disk each time they are iterated (a big file is
    never held whole: the loader keeps only the validated rows)."""

    source: LineSource
    delimiter: str
    headers: tuple[str, ...]
    header_line: int

    def __iter__(self) -> Iterator[RawRow]:
        named = [(i, h) for i, h in enumerate(self.headers) if h]
        width = len(self.headers)
        padding = [""] * width
        for line, _last, record in _records(self.source, self.delimiter):
            if line <= self.header_line or not any(map(str.strip, record)):
                continue
            if len(record) < width:
                record = record + padding[len(record) :]
            if any(map(_QUOTED, record)):
                record = [restore_formula(cell) for cell in record]
            yield RawRow(line, {h: record[i] for i, h in named})


def _scan(
    source: LineSource, delimiter: str, display: str
) -> tuple[tuple[str, ...], int, list[Problem]]:
    """The header, its line and the problems of the rows (cell counts, open quotes, cells
    too long), found in one streamed pass."""
    headers: tuple[str, ...] = ()
    header_line = 1
    problems: list[Problem] = []
    for line, last, record in _records(source, delimiter):
        if not any(map(str.strip, record)):
            continue
        if not headers:
            headers = tuple(restore_formula(cell.strip()) for cell in record)
            header_line = line
            continue
        if len(record) > len(headers) and any(c.strip() for c in record[len(headers) :]):
            problems.append(
                Problem(
                    f"{display}:{line}",
                    _("row has {cells} cells but the header has {headers}").format(
                        cells=len(record), headers=len(headers)
                    ),
                    value=delimiter.join(record),
                )
            )
        if last == line and max(map(len, record), default=0) <= MAX_CELL:
            continue  # one line, no cell too long: nothing more to check
        lines = _physical_lines(source, line, last) if last > line else []
        for index, cell in enumerate(record[: len(headers)]):
            header = headers[index] or f"#{index + 1}"
            if len(cell) > MAX_CELL:
                problems.append(
                    Problem(
                        f"{display}:{line}",
                        _("the cell holds {n} characters, more than a cell may ({limit})").format(
                            n=len(cell), limit=MAX_CELL
                        ),
                        column=header,
                        value=cell[:20] + "...",
                    )
                )
            elif len(lines) > 1 and ("\n" in cell or "\r" in cell):
                reason = _open_quote(lines, delimiter, len(headers))
                if reason:
                    first = cell.strip().splitlines()[0] if cell.strip() else ""
                    problems.append(
                        Problem(f"{display}:{line}", reason, column=header, value=first + " ...")
                    )
                    break
    return headers, header_line, problems


def read_csv(path: Path, display: str | None = None) -> tuple[RawTable, list[Problem]]:
    """Read one CSV file: detect encoding and delimiter, keep line numbers, skip blank rows.

    The file is streamed: one pass finds the header and the problems of its rows; the table's
    rows are read again when they are iterated, so memory does not grow with the file.
    """
    display = display or str(path)
    source, problems = _line_source(path, display)
    first_line = next((line for line in source() if line.strip()), "")
    if "\x00" in first_line or any("\x00" in line for line in source()):
        return RawTable(display, (), ()), [
            Problem(display, _("not a CSV text file (it holds NUL bytes)"))
        ]
    delimiter = sniff_delimiter(first_line.rstrip("\r\n"))
    headers, header_line, row_problems = _scan(source, delimiter, display)
    rows = _CsvRows(source, delimiter, headers, header_line)
    table = RawTable(display, headers, rows, header_line)
    return table, problems + row_problems
