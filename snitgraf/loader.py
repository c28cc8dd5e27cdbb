"""Load and validate a portfolio: raw tables in, one immutable Portfolio out, or every problem.

`load_portfolio(path)` reads a folder of CSV files (or, through `snitgraf.io`, a workbook) and
reports ALL problems found, one line each: `FILE:LINE: column COLUMN: problem (value 'VALUE')`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from snitgraf.i18n import N_, _
from snitgraf.io.tables import RawRow, RawTable, read_csv
from snitgraf.model import (
    Contract,
    Deployment,
    Interface,
    Municipality,
    Portfolio,
    Row,
    Supplier,
    System,
    Usage,
)
from snitgraf.problems import PortfolioError, Problem
from snitgraf.values import parse_list


@dataclass(frozen=True)
class FileSpec:
    """A portfolio file: its name, its row model, the columns that make a row unique."""

    kind: str
    model: type[Row]
    key: tuple[str, ...]
    required: bool = True

    @property
    def filename(self) -> str:
        """The CSV file name in a portfolio folder."""
        return f"{self.kind}.csv"

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the model knows, in declaration order."""
        return tuple(name for name in self.model.model_fields if name != "extra")

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Columns that must be present in the header."""
        fields = self.model.model_fields
        return tuple(n for n in self.columns if fields[n].is_required())


FILES: tuple[FileSpec, ...] = (
    FileSpec("suppliers", Supplier, ("id",)),
    FileSpec("systems", System, ("id",)),
    FileSpec("interfaces", Interface, ("id",)),
    FileSpec("usages", Usage, ("interface", "system", "municipality")),
    FileSpec("contracts", Contract, ("id",)),
    FileSpec("municipalities", Municipality, ("code",), required=False),
    FileSpec("deployments", Deployment, ("municipality", "system"), required=False),
)
FILE_SPECS: dict[str, FileSpec] = {spec.kind: spec for spec in FILES}

COLUMN_ALIASES: dict[str, str] = {
    "navn": "name",
    "snitfladenavn": "name",
    "leverandør": "supplier",
    "leverandor": "supplier",
    "udbyder": "provider",
    "behov": "need",
    "retning": "direction",
    "snitflade": "interface",
    "kommune": "municipality",
    "kode": "code",
    "udløbsdato_på_kontrakt": "expires",
    "udløbsdato": "expires",
    "udløbs_dato_på_kontrakt": "expires",
    "årlig_pris_(kr.)": "annual_cost_dkk",
    "årlig_pris_(dkk)": "annual_cost_dkk",
    "årlig_pris": "annual_cost_dkk",
    "monopol": "monopoly",
    "livscyklus": "lifecycle",
    "erstatter": "replaces",
    "idriftsættelse": "go_live",
    "domæne": "domain",
    "note": "note",
    "bemærkning": "note",
}
"""Header names (normalised) that mean a known column: the Danish names architects use."""


def canonical_column(header: str) -> str:
    """The column a header means: case, spaces and Danish names folded to the model's name."""
    name = "_".join(header.strip().lower().replace("-", " ").split())
    return COLUMN_ALIASES.get(name, name)


def _closest(value: str, candidates: Iterable[str]) -> str:
    pool = list(candidates)
    same_case = [c for c in pool if c.lower() == value.lower()]
    matches = same_case or difflib.get_close_matches(value, pool, n=3, cutoff=0.6)
    if not matches:
        return ""
    return _("; did you mean {candidates}?").format(
        candidates=_(" or ").join(repr(m) for m in matches)
    )


MULTILINE_COLUMNS = frozenset({"note"})
"""Columns whose text may hold line breaks; in any other a line break means a broken quote."""

RESERVED_COLUMNS = frozenset({"label", "type", "scope", "repointed_from"})
"""Names the graph uses for itself: an extra column may not take them."""


@dataclass(frozen=True)
class _Checked:
    """A data row after validation: its raw cells by column, and its model (None if invalid)."""

    raw: RawRow
    cells: dict[str, str]
    row: Row | None


class _Validator:
    """Collects problems while turning raw tables into models."""

    MAX_HINTS = 200

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.hints_given = 0
        self.unusable: set[str] = set()
        """Files missing or without a required column: references to them are not checked."""

    def rows(self, spec: FileSpec, table: RawTable) -> list[_Checked]:
        known = {h: canonical_column(h) for h in table.headers if h}
        present = set(known.values())
        missing = [c for c in spec.required_columns if c not in present]
        for column in missing:
            self.problems.append(
                Problem(
                    table.where(table.header_line, None),
                    _("missing required column"),
                    column=column,
                    value=", ".join(table.headers),
                )
            )
        fields = set(spec.columns)
        first_header: dict[str, str] = {}
        for header in (h for h in table.headers if h):
            column = canonical_column(header)
            if column in first_header:
                self.problems.append(
                    Problem(
                        table.where(table.header_line, header),
                        _("duplicate column: '{header}' means the same").format(
                            header=first_header[column]
                        ),
                        column=header,
                        value=header,
                    )
                )
            first_header.setdefault(column, header)
        for header, column in known.items():
            if column not in fields and column in RESERVED_COLUMNS:
                self.problems.append(
                    Problem(
                        table.where(table.header_line, header),
                        _("reserved name, the graph uses it itself: rename the column"),
                        column=header,
                        value=header,
                    )
                )
        if missing:
            self.unusable.add(spec.kind)
            return []
        header_of = {canonical: header for header, canonical in known.items()}
        result: list[_Checked] = []
        for raw in table.rows:
            data: dict[str, object] = {}
            extra: dict[str, str] = {}
            cells: dict[str, str] = {}
            for header, text in raw.cells.items():
                column = known.get(header, header)
                if column in fields:
                    data[column] = text
                    cells[column] = text.strip()
                    if "\n" in text.strip() and column not in MULTILINE_COLUMNS:
                        self.problems.append(
                            Problem(
                                table.where(raw.line, header),
                                _("line break inside the cell: is a quote left open here?"),
                                column=header,
                                value=text.strip().splitlines()[0] + " ...",
                            )
                        )
                elif text.strip() and column not in RESERVED_COLUMNS:
                    extra[header.strip()] = text.strip()
            data["extra"] = extra
            try:
                result.append(_Checked(raw, cells, spec.model.model_validate(data)))
            except ValidationError as error:
                result.append(_Checked(raw, cells, None))
                for detail in error.errors():
                    column = str(detail["loc"][0]) if detail["loc"] else ""
                    header = header_of.get(column, column)
                    message = detail["msg"].removeprefix("Value error, ")
                    if detail["type"] == "literal_error":
                        message = _("not one of the allowed values ({allowed})").format(
                            allowed=message
                        )
                    shown = data.get(column, "")
                    self.problems.append(
                        Problem(
                            table.where(raw.line, header),
                            message,
                            column=header,
                            value=shown if isinstance(shown, str) else str(shown),
                        )
                    )
        return result

    def unique(self, spec: FileSpec, table: RawTable, rows: list[_Checked]) -> list[_Checked]:
        seen: dict[tuple[object, ...], int] = {}
        kept = []
        for checked in rows:
            if checked.row is None:
                kept.append(checked)
                continue
            key = tuple(getattr(checked.row, k) for k in spec.key)
            if key in seen:
                shown = " / ".join(str(k) for k in key if k is not None)
                self.problems.append(
                    Problem(
                        table.where(checked.raw.line, spec.key[0]),
                        (
                            _("duplicate id, first on line {line}")
                            if len(spec.key) == 1
                            else _("duplicate row, first on line {line}")
                        ).format(line=seen[key]),
                        column="+".join(spec.key) if len(spec.key) > 1 else spec.key[0],
                        value=shown,
                    )
                )
                continue
            seen[key] = checked.raw.line
            kept.append(checked)
        return kept

    def reference(
        self,
        table: RawTable,
        raw: RawRow,
        column: str,
        value: str | None,
        targets: Mapping[str, object] | set[str],
        what: str,
    ) -> bool:
        if not value or value in targets:
            return True
        hint = ""
        if self.hints_given < self.MAX_HINTS:
            hint = _closest(value, targets)
            self.hints_given += 1
        self.problems.append(
            Problem(
                table.where(raw.line, column),
                _("unknown {what}").format(what=_(what)) + hint,
                column,
                value,
            )
        )
        return False


_PLACE = re.compile(r"^(?P<file>.*?)(?:[:!][A-Z]*(?P<line>\d+))?$")


def _reading_order(problem: Problem) -> tuple[bool, int, str, int]:
    """Problems in the order a user reads the portfolio: root causes without a line (a missing
    file or sheet) first, then file by file, line by line."""
    match = _PLACE.match(problem.where)
    file = match["file"] if match else problem.where
    line = int(match["line"]) if match and match["line"] else 0
    kind = Path(file).stem.lower()
    index = next((i for i, spec in enumerate(FILES) if spec.kind == kind), len(FILES))
    return line > 0, index, file, line


def read_folder(path: Path) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read the CSV files of a portfolio folder as raw tables."""
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    files = {p.name.lower(): p for p in path.iterdir() if p.is_file()}
    for spec in FILES:
        file = files.get(spec.filename)
        if file is None:
            if spec.required:
                problems.append(Problem(str(path / spec.filename), _("missing file")))
            continue
        table, file_problems = read_csv(file)
        tables[spec.kind] = table
        problems.extend(file_problems)
    return tables, problems


REFERENCES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "systems": (("supplier", "suppliers", N_("supplier")),),
    "interfaces": (("provider", "systems", N_("system")),),
    "usages": (("interface", "interfaces", N_("interface")), ("system", "systems", N_("system"))),
    "contracts": (
        ("interface", "interfaces", N_("interface")),
        ("supplier", "suppliers", N_("supplier")),
    ),
    "deployments": (("system", "systems", N_("system")),),
}
"""Per file: (column, file it refers to, what to call a missing target)."""


def build_portfolio(
    source: str, tables: Mapping[str, RawTable], problems: Iterable[Problem] = ()
) -> Portfolio:
    """Validate raw tables into a Portfolio, or raise PortfolioError naming every problem.

    References are checked on every row, valid or not, against every id a file states, so one
    bad cell is reported once and not again as a cascade of unknown references.
    """
    check = _Validator()
    check.problems.extend(problems)
    rows: dict[str, list[_Checked]] = {}
    for spec in FILES:
        table = tables.get(spec.kind)
        rows[spec.kind] = (
            [] if table is None else check.unique(spec, table, check.rows(spec, table))
        )

    def stated_ids(kind: str) -> set[str]:
        key = FILE_SPECS[kind].key[0]
        return {c.cells[key] for c in rows[kind] if c.cells.get(key)}

    targets = {kind: stated_ids(kind) for kind in ("suppliers", "systems", "interfaces")}
    if "municipalities" in tables:
        targets["municipalities"] = stated_ids("municipalities")
    for kind, checked_rows in rows.items():
        table = tables.get(kind)
        if table is None:
            continue
        checks = list(REFERENCES.get(kind, ()))
        if "municipalities" in targets and "municipality" in FILE_SPECS[kind].columns:
            checks.append(("municipality", "municipalities", N_("municipality")))
        checks = [c for c in checks if c[1] not in check.unusable and c[1] in tables]
        for checked in checked_rows:
            for column, target, what in checks:
                value = checked.cells.get(column)
                check.reference(table, checked.raw, column, value, targets[target], what)
            if kind == "systems" and "systems" not in check.unusable:
                _check_replaces(check, table, checked, targets["systems"])
    if check.problems:
        raise PortfolioError(source, sorted(check.problems, key=_reading_order))
    return Portfolio(
        source=source,
        **{kind: tuple(c.row for c in rows[kind]) for kind in rows},  # type: ignore[arg-type]
    )


def _check_replaces(
    check: _Validator, table: RawTable, checked: _Checked, systems: set[str]
) -> None:
    own_id = checked.cells.get("id", "")
    for replaced in parse_list(checked.cells.get("replaces", "")):
        if replaced == own_id:
            check.problems.append(
                Problem(
                    table.where(checked.raw.line, "replaces"),
                    _("a system cannot replace itself"),
                    "replaces",
                    replaced,
                )
            )
        else:
            check.reference(
                table, checked.raw, "replaces", replaced, systems, N_("system to replace")
            )


def load_portfolio(path: str | Path) -> Portfolio:
    """Load and validate a portfolio: a folder of CSV files or an .xlsx workbook."""
    path = Path(path)
    if not path.exists():
        raise PortfolioError(str(path), [Problem(str(path), _("no such folder or file"))])
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        from snitgraf.io.workbook import read_workbook

        tables, problems = read_workbook(path)
    elif path.is_dir():
        tables, problems = read_folder(path)
    else:
        raise PortfolioError(
            str(path),
            [Problem(str(path), _("not a portfolio: expected a folder of CSV files or an .xlsx"))],
        )
    return build_portfolio(str(path), tables, problems)
