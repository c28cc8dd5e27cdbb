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
    return "; did you mean " + " or ".join(repr(m) for m in matches) + "?"


class _Validator:
    """Collects problems while turning raw tables into models."""

    MAX_HINTS = 200

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.hints_given = 0

    def rows(self, spec: FileSpec, table: RawTable) -> list[tuple[RawRow, Row]]:
        known = {h: canonical_column(h) for h in table.headers if h}
        present = set(known.values())
        missing = [c for c in spec.required_columns if c not in present]
        for column in missing:
            self.problems.append(
                Problem(
                    table.where(table.header_line, None),
                    "missing required column",
                    column=column,
                    value=", ".join(table.headers),
                )
            )
        if missing:
            return []
        fields = set(spec.columns)
        header_of = {canonical: header for header, canonical in known.items()}
        result: list[tuple[RawRow, Row]] = []
        for raw in table.rows:
            data: dict[str, object] = {}
            extra: dict[str, str] = {}
            for header, text in raw.cells.items():
                column = known.get(header, header)
                if column in fields:
                    data[column] = text
                elif text.strip():
                    extra[header.strip()] = text.strip()
            data["extra"] = extra
            try:
                result.append((raw, spec.model.model_validate(data)))
            except ValidationError as error:
                for detail in error.errors():
                    column = str(detail["loc"][0]) if detail["loc"] else ""
                    header = header_of.get(column, column)
                    message = detail["msg"].removeprefix("Value error, ")
                    if detail["type"] == "literal_error":
                        message = f"not one of the allowed values ({message})"
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

    def unique(
        self, spec: FileSpec, table: RawTable, rows: list[tuple[RawRow, Row]]
    ) -> list[tuple[RawRow, Row]]:
        seen: dict[tuple[object, ...], int] = {}
        kept = []
        for raw, row in rows:
            key = tuple(getattr(row, k) for k in spec.key)
            if key in seen:
                shown = " / ".join(str(k) for k in key if k is not None)
                self.problems.append(
                    Problem(
                        table.where(raw.line, spec.key[0]),
                        f"duplicate {'id' if len(spec.key) == 1 else 'row'}, "
                        f"first on line {seen[key]}",
                        column="+".join(spec.key) if len(spec.key) > 1 else spec.key[0],
                        value=shown,
                    )
                )
                continue
            seen[key] = raw.line
            kept.append((raw, row))
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
        if value is None or value in targets:
            return True
        hint = ""
        if self.hints_given < self.MAX_HINTS:
            hint = _closest(value, targets)
            self.hints_given += 1
        self.problems.append(
            Problem(table.where(raw.line, column), f"unknown {what}{hint}", column, value)
        )
        return False


_PLACE = re.compile(r"^(?P<file>.*?)(?:[:!][A-Z]*(?P<line>\d+))?$")


def _reading_order(problem: Problem) -> tuple[int, str, int]:
    """Problems in the order a user reads the portfolio: file by file, line by line."""
    match = _PLACE.match(problem.where)
    file = match["file"] if match else problem.where
    line = int(match["line"]) if match and match["line"] else 0
    kind = Path(file).stem.lower()
    index = next((i for i, spec in enumerate(FILES) if spec.kind == kind), len(FILES))
    return index, file, line


def read_folder(path: Path) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read the CSV files of a portfolio folder as raw tables."""
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    files = {p.name.lower(): p for p in path.iterdir() if p.is_file()}
    for spec in FILES:
        file = files.get(spec.filename)
        if file is None:
            if spec.required:
                problems.append(Problem(str(path / spec.filename), "missing file"))
            continue
        table, file_problems = read_csv(file)
        tables[spec.kind] = table
        problems.extend(file_problems)
    return tables, problems


def build_portfolio(
    source: str, tables: Mapping[str, RawTable], problems: Iterable[Problem] = ()
) -> Portfolio:
    """Validate raw tables into a Portfolio, or raise PortfolioError naming every problem."""
    check = _Validator()
    check.problems.extend(problems)
    rows: dict[str, list[tuple[RawRow, Row]]] = {}
    for spec in FILES:
        table = tables.get(spec.kind)
        if table is None:
            rows[spec.kind] = []
            continue
        rows[spec.kind] = check.unique(spec, table, check.rows(spec, table))

    def ids(kind: str, key: str = "id") -> set[str]:
        return {getattr(row, key) for _raw, row in rows[kind]}

    supplier_ids, system_ids = ids("suppliers"), ids("systems")
    interface_ids = ids("interfaces")
    municipality_codes = ids("municipalities", "code") if "municipalities" in tables else None
    for kind, checks in (
        ("systems", (("supplier", supplier_ids, "supplier"),)),
        ("interfaces", (("provider", system_ids, "system"),)),
        (
            "usages",
            (("interface", interface_ids, "interface"), ("system", system_ids, "system")),
        ),
        (
            "contracts",
            (("interface", interface_ids, "interface"), ("supplier", supplier_ids, "supplier")),
        ),
        ("deployments", (("system", system_ids, "system"),)),
    ):
        table = tables.get(kind)
        for raw, row in rows[kind]:
            assert table is not None
            for column, targets, what in checks:
                check.reference(table, raw, column, getattr(row, column), targets, what)
            if municipality_codes is not None and hasattr(row, "municipality"):
                check.reference(
                    table,
                    raw,
                    "municipality",
                    row.municipality,  # type: ignore[attr-defined]
                    municipality_codes,
                    "municipality",
                )
    systems_table = tables.get("systems")
    for raw, system in rows["systems"]:
        assert systems_table is not None and isinstance(system, System)
        for replaced in system.replaces:
            if replaced == system.id:
                check.problems.append(
                    Problem(
                        systems_table.where(raw.line, "replaces"),
                        "a system cannot replace itself",
                        "replaces",
                        replaced,
                    )
                )
            else:
                check.reference(
                    systems_table, raw, "replaces", replaced, system_ids, "system to replace"
                )
    if check.problems:
        raise PortfolioError(source, sorted(check.problems, key=_reading_order))
    return Portfolio(
        source=source,
        **{kind: tuple(row for _raw, row in rows[kind]) for kind in rows},  # type: ignore[arg-type]
    )


def load_portfolio(path: str | Path) -> Portfolio:
    """Load and validate a portfolio: a folder of CSV files or an .xlsx workbook."""
    path = Path(path)
    if not path.exists():
        raise PortfolioError(str(path), [Problem(str(path), "no such folder or file")])
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        from snitgraf.io.workbook import read_workbook

        tables, problems = read_workbook(path)
    elif path.is_dir():
        tables, problems = read_folder(path)
    else:
        raise PortfolioError(
            str(path),
            [Problem(str(path), "not a portfolio: expected a folder of CSV files or an .xlsx")],
        )
    return build_portfolio(str(path), tables, problems)
