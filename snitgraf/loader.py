"""Load and validate a portfolio: raw tables in, one immutable Portfolio out, or every problem.

`load_portfolio(path)` reads a folder of CSV files (or, through `snitgraf.io`, a workbook) and
reports ALL problems found, one line each: `FILE:LINE: column COLUMN: problem (value 'VALUE')`.
"""

from __future__ import annotations

import difflib
import re
import stat
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from snitgraf.i18n import N_, _
from snitgraf.io.tables import OPEN_QUOTE, RawRow, RawTable, read_csv
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
from snitgraf.values import forbidden_character, parse_list


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
FILE_NAMES = frozenset(spec.filename for spec in FILES)

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
    "antagelser": "assumptions",
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


SHARED_COLUMNS = frozenset(
    {"interface", "system", "supplier", "provider", "municipality", "data", "need", "direction"}
)
"""Columns whose values repeat from row to row: each distinct text is held once (a national
usages file names the same few thousand ids millions of times)."""

_NO_EXTRA: dict[str, str] = {}
"""The one empty `extra` every row without extra columns shares (rows are never changed)."""


@dataclass(frozen=True, slots=True)
class _Checked:
    """A data row after validation: its line and its model, or its cells when it is invalid
    (a valid row answers from its model, so a big file is not held twice)."""

    line: int
    row: Row | None
    invalid_cells: dict[str, str] | None = None

    def cell(self, column: str) -> str | None:
        """The row's text in a column (stripped), as references are checked against."""
        if self.row is None:
            return (self.invalid_cells or {}).get(column)
        value = getattr(self.row, column, None)
        return value if isinstance(value, str) else None


class _CheckedRows:
    """A file's rows after validation, held compactly (a national usages file has millions):
    the models in a list, the lines in an array, the cells only of the invalid rows."""

    def __init__(self) -> None:
        self.models: list[Row | None] = []
        self.lines = array("L")
        self.invalid: dict[int, dict[str, str]] = {}
        self.dropped: set[int] = set()
        """Rows left out (a repeated key): neither kept nor checked further."""

    def add(self, line: int, row: Row | None, cells: dict[str, str] | None = None) -> None:
        """One more row: its model, or None and its cells."""
        if row is None:
            self.invalid[len(self.models)] = cells or {}
        self.models.append(row)
        self.lines.append(line)

    def __iter__(self) -> Iterator[_Checked]:
        for index, row in enumerate(self.models):
            if index not in self.dropped:
                yield _Checked(self.lines[index], row, self.invalid.get(index))

    def texts(self, columns: tuple[str, ...]) -> Iterator[tuple[int, tuple[str | None, ...]]]:
        """(line, its texts in `columns`) of each row left in, as `_Checked.cell` reads them,
        without an object per row (references are checked on every row of a national file)."""
        read = attrgetter(*columns)
        one = len(columns) == 1
        for index, row in enumerate(self.models):
            if row is None:
                if index not in self.dropped:
                    cells = self.invalid.get(index) or {}
                    yield self.lines[index], tuple(cells.get(c) for c in columns)
                continue
            values = (read(row),) if one else read(row)
            yield self.lines[index], tuple(v if isinstance(v, str) else None for v in values)

    def valid(self) -> tuple[Row, ...]:
        """The models of the valid rows, in file order."""
        return tuple(row for row in self.models if row is not None)


@dataclass(frozen=True, slots=True)
class _Failed:
    """Why a field's validator refused a cell (pydantic's error type and message)."""

    kind: str
    text: str

    def message(self) -> str:
        """The problem's words: pydantic's, or ours where pydantic's would read badly."""
        if self.kind == "string_too_short":
            return _("required value is empty")
        message = self.text.removeprefix("Value error, ")
        if self.kind == "literal_error":
            return _("not one of the allowed values ({allowed})").format(allowed=message)
        return message


_UNCHECKED = object()
_CHECKED_TEXTS = 4096
"""How many distinct texts of a column that is not shared (ids, notes) the loader remembers."""


@cache
def _field_validators(model: type[Row]) -> dict[str, TypeAdapter[object]]:
    """Each field's own validator: its type with its constraints and parsers. A row model
    validates nothing across fields, so a row is valid exactly when each cell is."""
    validators: dict[str, TypeAdapter[object]] = {}
    for name, field in model.model_fields.items():
        if name != "extra":
            form: Any = Annotated[(field.annotation, *field.metadata)]
            validators[name] = TypeAdapter(form)
    return validators


@cache
def _field_defaults(model: type[Row]) -> tuple[tuple[str, object], ...]:
    """The model's fields after `extra`, in declared order, with the value an absent one
    takes (required fields are always given when a row is built)."""
    return tuple(
        (name, None if field.is_required() else field.get_default(call_default_factory=True))
        for name, field in model.model_fields.items()
        if name != "extra"
    )


_FIELD, _PROPERTY, _RESERVED = range(3)
"""How the loader reads a column: a model field, an unknown column kept as a property, or a
name the graph reserves (left out, reported)."""


class _Validator:
    """Collects problems while turning raw tables into models."""

    MAX_HINTS = 200

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self.problems: list[Problem] = list(problems)
        self.hints_given = 0
        self.unusable: set[str] = set()
        """Files missing or without a required column: references to them are not checked."""
        self.open_quotes = {
            (p.where, p.column) for p in self.problems if p.message == _(OPEN_QUOTE)
        }
        self.checked: dict[tuple[type[Row], str], dict[str, object]] = {}
        """Per model and column: each text checked so far -> its value or `_Failed`."""
        self.fields_sets: dict[tuple[type[Row], frozenset[str]], set[str]] = {}

    @staticmethod
    def check_cell(model: type[Row], column: str, text: str, memo: dict[str, object]) -> object:
        """A cell's value as the model's field validates it, or `_Failed`, kept in the column's
        `memo` (the caller looks there first): a national file repeats the same ids, needs and
        dates thousands of times, and so holds each such value once."""
        try:
            value: object = _field_validators(model)[column].validate_python(text)
        except ValidationError as error:
            detail = error.errors()[0]
            value = _Failed(detail["type"], detail["msg"])
        if column in SHARED_COLUMNS or len(memo) < _CHECKED_TEXTS:
            memo[text] = value
        return value

    @staticmethod
    def shown(column: str, text: str) -> str:
        """A refused cell as a problem quotes it (a shared column's text stripped)."""
        return text.strip() if column in SHARED_COLUMNS else text

    def build(self, model: type[Row], given: dict[str, object], extra: dict[str, str]) -> Row:
        """The row's model from its validated fields, as pydantic would make it (the model
        validates nothing across fields), in a third of the memory: attributes set in the
        model's order so Python shares one key table among all rows of the model, and
        pydantic's bookkeeping (the fields given, an empty `extra`) shared between rows of
        the same shape. Frozen rows never change them."""
        shape = frozenset(given)
        fields_set = self.fields_sets.get((model, shape))
        if fields_set is None:
            fields_set = self.fields_sets[(model, shape)] = {"extra", *given}
        row = model.__new__(model)
        object.__setattr__(row, "extra", extra or _NO_EXTRA)  # declared first, by Row
        for name, default in _field_defaults(model):
            object.__setattr__(row, name, given.get(name, default))
        object.__setattr__(row, "__pydantic_fields_set__", fields_set)
        object.__setattr__(row, "__pydantic_extra__", None)
        object.__setattr__(row, "__pydantic_private__", None)
        return row

    def header_warnings(self, spec: FileSpec, table: RawTable, known: dict[str, str]) -> None:
        """A header that is no known column but close to one: probably misspelt, so the column
        it meant is read as blank (a missed 'monopoly' makes every system municipal)."""
        candidates = set(spec.columns) | {
            alias for alias, column in COLUMN_ALIASES.items() if column in spec.columns
        }
        present = set(known.values())
        for header, column in known.items():
            if column in spec.columns or column in RESERVED_COLUMNS:
                continue
            close = difflib.get_close_matches(column, sorted(candidates), n=1, cutoff=0.8)
            meant = COLUMN_ALIASES.get(close[0], close[0]) if close else None
            if meant and meant not in present:
                self.problems.append(
                    Problem(
                        table.where(table.header_line, header),
                        _("unknown column; did you mean {column}? (kept as a property)").format(
                            column=repr(meant)
                        ),
                        column=header,
                        warning=True,
                    )
                )

    def rows(self, spec: FileSpec, table: RawTable) -> _CheckedRows:
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
        self.header_warnings(spec, table, known)
        if missing:
            self.unusable.add(spec.kind)
            return _CheckedRows()
        header_of = {canonical: header for header, canonical in known.items()}
        model_fields = spec.model.model_fields
        optional = {name for name in fields if not model_fields[name].is_required()}
        # How each header is read, worked out once per file: (header, column, kind, the
        # column's checked texts, whether an empty cell means the default).
        checked = self.checked
        plan = [
            (
                header,
                column,
                _FIELD
                if column in fields
                else (_RESERVED if column in RESERVED_COLUMNS else _PROPERTY),
                checked.setdefault((spec.model, column), {}),
                column in optional,
            )
            for header in dict.fromkeys(h for h in table.headers if h)
            for column in (known.get(header, header),)
        ]
        read = [column for _h, column, kind, _m, _o in plan if kind == _FIELD]
        repeated = len(set(read)) < len(read)  # two headers, one column: the later cell counts
        multiline = MULTILINE_COLUMNS
        check = self.check_cell
        build = self.build
        model = spec.model
        result = _CheckedRows()
        for raw in table.rows:
            given: dict[str, object] = {}
            failed: dict[str, _Failed] = {}
            extra: dict[str, str] = {}
            cells = raw.cells
            suspect = forbidden_character("".join(cells.values())) is not None
            for header, column, kind, memo, skip_empty in plan:
                text = cells.get(header, "")
                if suspect:
                    self.check_characters(table, raw, header, text)
                if kind == _RESERVED:
                    continue
                if kind == _PROPERTY:
                    stripped = text.strip()
                    if stripped:
                        extra[header.strip()] = stripped
                    continue
                if skip_empty and (not text or text.isspace()):
                    continue  # the field's default, as an empty cell means
                value = memo.get(text, _UNCHECKED)
                if value is _UNCHECKED:
                    value = check(model, column, text, memo)
                if repeated:
                    given.pop(column, None)
                    failed.pop(column, None)
                if type(value) is _Failed:
                    failed[column] = value
                else:
                    given[column] = value
                if "\n" in text and column not in multiline and "\n" in text.strip():
                    self.line_break(table, raw, header, text.strip())
            if not failed:
                result.add(raw.line, build(model, given, extra))
                continue
            texts = {c: cells.get(header_of.get(c, c), "").strip() for c in (*given, *failed)}
            result.add(raw.line, None, texts)
            for column in model.model_fields:  # in the model's order, as pydantic reports
                if column in failed:
                    header = header_of.get(column, column)
                    self.problems.append(
                        Problem(
                            table.where(raw.line, header),
                            failed[column].message(),
                            column=header,
                            value=self.shown(column, cells.get(header, "")),
                        )
                    )
        return result

    def check_characters(self, table: RawTable, raw: RawRow, header: str, text: str) -> None:
        """A control character XML, Excel and terminals cannot show safely is a problem."""
        char = forbidden_character(text)
        if char is not None:
            self.problems.append(
                Problem(
                    table.where(raw.line, header),
                    _("control character {code} in the cell: remove it").format(
                        code=f"U+{ord(char):04X}"
                    ),
                    column=header,
                    value=text.strip(),
                )
            )

    def line_break(self, table: RawTable, raw: RawRow, header: str, text: str) -> None:
        """A line break in a column that cannot hold one (unless reading found the open
        quote that caused it already)."""
        place = table.where(raw.line, header)
        if (place, header) in self.open_quotes:
            return
        self.problems.append(
            Problem(
                place,
                _("line break inside the cell: is a quote left open here?"),
                column=header,
                value=text.splitlines()[0] + " ...",
            )
        )

    def unique(self, spec: FileSpec, table: RawTable, rows: _CheckedRows) -> _CheckedRows:
        """The rows without repeated keys, each repeat a problem naming the first line.

        Keys are first sorted into buckets of a bitmap (two bits per bucket: seen, seen twice);
        only the rows of a bucket seen twice are compared exactly, so a file of millions of
        unique rows costs a few bytes a row here, not a dict entry and a tuple each."""
        read_key = attrgetter(*spec.key)  # one field: its value; several: a tuple of them
        buckets = max(64, 16 * len(rows.models))
        seen_once, seen_twice = bytearray(buckets // 8 + 1), bytearray(buckets // 8 + 1)
        placed = array(  # each row's bucket (an invalid row's is never looked at)
            "L", [0 if row is None else hash(read_key(row)) % buckets for row in rows.models]
        )
        for row, bucket in zip(rows.models, placed, strict=True):
            if row is not None:
                byte, bit = bucket >> 3, 1 << (bucket & 7)
                if seen_once[byte] & bit:
                    seen_twice[byte] |= bit
                seen_once[byte] |= bit
        del seen_once
        first_line: dict[object, int] = {}
        for index, (row, bucket) in enumerate(zip(rows.models, placed, strict=True)):
            if row is None or not seen_twice[bucket >> 3] & (1 << (bucket & 7)):
                continue
            key = read_key(row)
            line = rows.lines[index]
            if key not in first_line:
                first_line[key] = line
                continue
            rows.models[index] = None  # dropped: reported once, not validated again
            rows.dropped.add(index)
            parts = key if len(spec.key) > 1 else (key,)
            shown = " / ".join(str(k) for k in parts if k is not None)
            self.problems.append(
                Problem(
                    table.where(line, spec.key[0]),
                    (
                        _("duplicate id, first on line {line}")
                        if len(spec.key) == 1
                        else _("duplicate row, first on line {line}")
                    ).format(line=first_line[key]),
                    column="+".join(spec.key) if len(spec.key) > 1 else spec.key[0],
                    value=shown,
                )
            )
        return rows

    def reference(
        self,
        table: RawTable,
        line: int,
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
                table.where(line, column),
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


SYSTEM_FOLDERS = (Path("/proc"), Path("/sys"), Path("/dev"))
"""Never read as a portfolio: their files are the running system's (environment, devices)."""


def _refusal(file: Path, folder: Path) -> str | None:
    """Why a portfolio file is not read: a link out of the folder (it could reach a secret),
    a file of the running system, or no regular file (a FIFO would wait forever)."""
    target = file.resolve()
    if file.is_symlink() and not target.is_relative_to(folder.resolve()):
        return _("a link to a file outside the portfolio folder: not read")
    if any(target.is_relative_to(system) for system in SYSTEM_FOLDERS):
        return _("a file of the running system: not read")
    if not stat.S_ISREG(target.stat().st_mode):
        return _("not a regular file: not read")
    return None


def read_folder(path: Path) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read the CSV files of a portfolio folder as raw tables (names matched ignoring case;
    two files for one name are a problem, not a silent choice)."""
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    files: dict[str, Path] = {}
    for entry in sorted(path.iterdir(), key=lambda p: (p.name.lower() != p.name, p.name)):
        name = entry.name.lower()
        if name not in FILE_NAMES or not (entry.is_symlink() or entry.exists()):
            continue
        if name in files:
            problems.append(
                Problem(
                    str(entry),
                    _("a second file for {name} (the first is {first})").format(
                        name=name, first=repr(files[name].name)
                    ),
                )
            )
            continue
        files[name] = entry
    for spec in FILES:
        file = files.get(spec.filename)
        if file is None:
            if spec.required:
                problems.append(Problem(str(path / spec.filename), _("missing file")))
            continue
        try:
            refusal = _refusal(file, path)
        except OSError as error:  # a dangling link, a loop of links
            refusal = _("cannot be read ({reason})").format(reason=error.strerror or error)
        if refusal:
            problems.append(Problem(str(file), refusal))
            continue
        table, file_problems = read_csv(file)
        problems.extend(file_problems)
        if table.headers or not file_problems:
            tables[spec.kind] = table
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
    check = _Validator(problems)
    rows: dict[str, _CheckedRows] = {}
    for spec in FILES:
        table = tables.get(spec.kind)
        rows[spec.kind] = (
            _CheckedRows() if table is None else check.unique(spec, table, check.rows(spec, table))
        )

    def stated_ids(kind: str) -> set[str]:
        key = FILE_SPECS[kind].key[0]
        return {value for c in rows[kind] if (value := c.cell(key))}

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
        if checks:
            for line, texts in checked_rows.texts(tuple(column for column, _t, _w in checks)):
                for value, (column, target, what) in zip(texts, checks, strict=True):
                    if value and value not in targets[target]:
                        check.reference(table, line, column, value, targets[target], what)
        if kind == "systems" and "systems" not in check.unusable:
            for checked in checked_rows:  # after its references: the order problems keep
                _check_replaces(check, table, checked, targets["systems"])
    found = sorted(check.problems, key=_reading_order)
    if any(not p.warning for p in found):
        raise PortfolioError(source, found)
    return Portfolio(
        source=source,
        warnings=tuple(str(p) for p in found),
        **{kind: rows[kind].valid() for kind in rows},
    )


def _check_replaces(
    check: _Validator, table: RawTable, checked: _Checked, systems: set[str]
) -> None:
    own_id = checked.cell("id") or ""
    replaced_ids = (
        parse_list((checked.invalid_cells or {}).get("replaces", ""))
        if checked.row is None
        else getattr(checked.row, "replaces", ())
    )
    where = table.where(checked.line, "replaces")
    for replaced in sorted({r for r in replaced_ids if replaced_ids.count(r) > 1}):
        check.problems.append(
            Problem(where, _("names a system twice"), "replaces", replaced, warning=True)
        )
    for replaced in dict.fromkeys(replaced_ids):
        if replaced == own_id:
            check.problems.append(
                Problem(where, _("a system cannot replace itself"), "replaces", replaced)
            )
        else:
            check.reference(
                table, checked.line, "replaces", replaced, systems, N_("system to replace")
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
