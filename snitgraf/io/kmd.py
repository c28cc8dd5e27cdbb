"""KMD's interface lists (snitfladelister), read and merged into a portfolio folder.

KMD sends each municipality a list per monopoly system, as the seed shows them:

- `ID, Snitfladenavn, System, Nettoliste, Bruttoliste, Klippekort` (with or without header;
  short lists give only `ID, Snitfladenavn, System`);
- the KMD Sag variant `ID, Snitfladenavn, System, Ind/Ud, 1a/1b, Nettoliste, Klippekort`.

`System` names the counterpart. A row becomes an interface (id and name as listed, data key from
its name, so equally named interfaces are alternatives), the counterpart as its provider and a
USES edge for the monopoly system (direction `Ind` -> in, none -> unstated; a list without
the direction column states it in the name: 'Modtag ...' is Ind, 'Udstil ...' Ud); with `Ud` the
monopoly system provides and the counterpart uses it (receiving); when the counterpart is the
monopoly system itself, it provides and no user is known. Existing rows are never changed: a
row that disagrees with the portfolio is reported and left out; re-importing changes nothing.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snitgraf.i18n import _
from snitgraf.io.tables import decode, sniff_delimiter
from snitgraf.loader import FILE_SPECS, FILES, canonical_column, load_portfolio
from snitgraf.model import Portfolio, Supplier, System
from snitgraf.problems import PortfolioError, Problem, SnitgrafError
from snitgraf.values import Direction, neutralise_formula

UNKNOWN_SUPPLIER = ("ukendt", "Ukendt leverandør (udfyldes)")
ASSUME_PLACEHOLDER_SUPPLIER = "placeholder-supplier"
ASSUME_NEED = "need-default-must"
LIST_SUPPLIER = ("kmd", "KMD A/S")
"""The supplier of the system a list belongs to, when import-kmd starts a new portfolio."""
"""The supplier of systems a list names but the portfolio does not know, until the user says."""

LIST_COLUMNS: dict[str, str] = {
    "id": "id",
    "snitflade_id": "id",
    "nr": "id",
    "snitfladenavn": "name",
    "navn": "name",
    "snitflade": "name",
    "system": "system",
    "modpart": "system",
    "nettoliste": "nettoliste",
    "bruttoliste": "bruttoliste",
    "klippekort": "klippekort",
    "retning": "direction",
    "ind/ud": "direction",
    "listegruppe": "group",
    "gruppe": "group",
}
"""KMD list headers (normalised) and what they mean in the list."""

PLAIN_ORDER = ("id", "name", "system", "nettoliste", "bruttoliste", "klippekort")
SAG_ORDER = ("id", "name", "system", "direction", "group", "nettoliste", "klippekort")
DIRECTIONS: dict[str, Direction] = {"ind": "in", "in": "in", "ud": "out", "out": "out"}
GROUP_COLUMN = "listegruppe"
"""The interfaces.csv column (an extra) that keeps the KMD Sag list group (1a/1b)."""


@dataclass(frozen=True)
class ListRow:
    """One row of a KMD list, with where it is in the list file."""

    where: str
    id: str
    name: str
    system: str
    nettoliste: str = ""
    bruttoliste: str = ""
    klippekort: str = ""
    direction: Direction | None = None
    group: str = ""


@dataclass
class KmdImport:
    """What merging a list did (or, for a dry run, would do)."""

    source: str
    rows: int = 0
    unchanged: int = 0
    added_interfaces: list[str] = field(default_factory=list)
    added_usages: list[tuple[str, str]] = field(default_factory=list)
    created_systems: list[tuple[str, str]] = field(default_factory=list)
    created_suppliers: list[str] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The import's outcome as JSON."""
        return {
            "source": self.source,
            "rows": self.rows,
            "unchanged": self.unchanged,
            "added_interfaces": self.added_interfaces,
            "added_usages": [list(u) for u in self.added_usages],
            "created_systems": [list(s) for s in self.created_systems],
            "created_suppliers": self.created_suppliers,
            "conflicts": [str(p) for p in self.conflicts],
            "notes": [str(p) for p in self.notes],
            "written": [str(p) for p in self.written],
        }


# ---------------------------------------------------------------------------------------------
# Reading a list


def _records(path: Path) -> tuple[list[tuple[str, list[str]]], list[Problem]]:
    """The non-empty rows of a list file as (place, cells)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        from snitgraf.io.workbook import cell_text

        try:
            book = load_workbook(path, data_only=True, read_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            return [], [
                Problem(str(path), _("not a readable .xlsx workbook ({error})").format(error=error))
            ]
        sheet = book.worksheets[0]
        from openpyxl.utils import get_column_letter

        rows = []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells = [cell_text(c.value, getattr(c, "number_format", "General")) for c in row]
            if any(cells):
                last = get_column_letter(max(len(cells), 1))
                rows.append((f"{sheet.title}!A{number}:{last}{number}", cells))
        book.close()
        return rows, []
    text, problems = decode(path.read_bytes(), str(path))
    first = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first))
    rows = []
    for record in reader:
        if any(cell.strip() for cell in record):
            rows.append((f"{path}:{reader.line_num}", [c.strip() for c in record]))
    return rows, problems


_NAME_DIRECTIONS: tuple[tuple[str, Direction], ...] = (("udstil", "out"), ("modtag", "in"))


def name_direction(name: str) -> Direction | None:
    """The direction a list without a direction column still states in the name: KMD names
    interfaces the monopoly system exposes 'Udstil ...' and those it receives 'Modtag ...'."""
    words = re.findall(r"\w+", name.casefold())
    for verb, direction in _NAME_DIRECTIONS:
        if verb in words:
            return direction
    return None


def _normal(header: str) -> str:
    return "_".join(header.strip().lower().split())


def read_kmd_list(path: str | Path) -> list[ListRow]:
    """Read a KMD list (.csv in any dialect snitgraf reads, or the first sheet of an .xlsx)."""
    path = Path(path)
    if not path.is_file():
        raise SnitgrafError(_("{path}: no such file").format(path=path))
    records, problems = _records(path)
    if not records:
        raise PortfolioError(str(path), problems or [Problem(str(path), _("empty list: no rows"))])
    while records and sum(1 for c in records[0][1] if c.strip()) < 3:
        records = records[1:]  # a title above the table ('Snitflader til KMD Dagpenge')
    if not records:
        raise PortfolioError(str(path), [Problem(str(path), _("no table of at least 3 columns"))])
    first = [_normal(c) for c in records[0][1]]
    if "snitfladenavn" in first or (first and first[0] in ("id", "snitflade_id", "nr")):
        columns: tuple[str | None, ...] = tuple(LIST_COLUMNS.get(c) for c in first)
        missing = [c for c in ("id", "name", "system") if c not in columns]
        if missing:
            problems.append(
                Problem(
                    records[0][0],
                    _("missing column(s) {columns}").format(columns=", ".join(missing)),
                    value=", ".join(records[0][1]),
                )
            )
            raise PortfolioError(str(path), problems)
        body = records[1:]
    else:
        width = max(len(r) for _, r in records)
        has_direction = width >= 7 or any(
            (len(r) > 3 and r[3].strip().lower() in ("ind", "ud"))
            or (len(r) > 4 and re.fullmatch(r"\d+[a-zA-Z]", r[4].strip()))
            for _, r in records
        )
        columns = SAG_ORDER if has_direction else PLAIN_ORDER
        body = records
    rows = []
    for where, cells in body:
        values = {c: cells[i].strip() for i, c in enumerate(columns) if c and i < len(cells)}
        direction = None
        raw_direction = values.get("direction", "")
        if "direction" not in columns:
            direction = name_direction(values.get("name", ""))
        elif raw_direction:
            direction = DIRECTIONS.get(raw_direction.lower())
            if direction is None:
                problems.append(
                    Problem(where, _("not a direction (use Ind or Ud)"), "direction", raw_direction)
                )
        for column in ("id", "name", "system"):
            if not values.get(column):
                problems.append(Problem(where, _("required value is empty"), column, ""))
        rows.append(
            ListRow(
                where,
                values.get("id", ""),
                values.get("name", ""),
                values.get("system", ""),
                values.get("nettoliste", ""),
                values.get("bruttoliste", ""),
                values.get("klippekort", ""),
                direction,
                values.get("group", ""),
            )
        )
    seen: dict[str, str] = {}
    for row in rows:
        if row.id in seen:
            problems.append(
                Problem(
                    row.where,
                    _("duplicate id, first at {where}").format(where=seen[row.id]),
                    "id",
                    row.id,
                )
            )
        seen.setdefault(row.id, row.where)
    if problems:
        raise PortfolioError(str(path), problems)
    return rows


# ---------------------------------------------------------------------------------------------
# Matching names and making ids


def name_key(text: str) -> str:
    """A name folded for matching: case, spaces and punctuation ignored ('KMD Indkomst
    /eIndkomst' and 'KMD Indkomst / eIndkomst' are the same)."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def slug(text: str) -> str:
    """An id made from a name: lower case ASCII words joined by '-' (æ -> ae, ø -> oe)."""
    folded = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "system"


def match_system(name: str, systems: list[System]) -> list[System]:
    """The systems a list's name means: same id, same name (folded), same name without its
    qualifier ('KMD ØS' is 'KMD ØS (KMD Opus Økonomi)'), or the systems whose name starts
    with it. More than one is ambiguous: the caller reports it."""
    exact = [s for s in systems if s.id == name]
    if exact:
        return exact
    key = name_key(name)
    same = [s for s in systems if name_key(s.name) == key]
    if same or not key:
        return same
    base = name_key(base_name(name))
    same_base = [s for s in systems if name_key(base_name(s.name)) == base]
    if same_base:
        return same_base
    return [s for s in systems if name_key(s.name).startswith(key)]


def base_name(name: str) -> str:
    """A system name without its qualifier: 'KMD ØS (KMD Opus Økonomi)' -> 'KMD ØS',
    'KMD Indkomst /eIndkomst' -> 'KMD Indkomst'."""
    return re.split(r"\s*\(|\s+/|\s+[–-]\s+", name, maxsplit=1)[0]


# ---------------------------------------------------------------------------------------------
# Merging


def _same(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


@dataclass
class _Additions:
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def add(self, kind: str, row: dict[str, str]) -> None:
        self.rows.setdefault(kind, []).append(row)


def plan_merge(
    portfolio: Portfolio, rows: list[ListRow], for_system: str, need: str | None, source: str
) -> tuple[KmdImport, _Additions]:
    """Decide, row by row, what the list adds to the portfolio and what conflicts with it."""
    if for_system not in portfolio.system_by_id:
        raise SnitgrafError(
            _(
                "--for {system}: no such system in {portfolio} "
                "(the monopoly system the list belongs to)"
            ).format(system=for_system, portfolio=portfolio.source)
        )
    result = KmdImport(source, rows=len(rows))
    additions = _Additions()
    systems = list(portfolio.systems)
    system_ids = {s.id for s in systems}
    interfaces: dict[str, dict[str, str | None]] = {
        i.id: {
            "name": i.name,
            "provider": i.provider,
            "nettoliste": i.nettoliste,
            "bruttoliste": i.bruttoliste,
            "klippekort": i.klippekort,
            GROUP_COLUMN: i.extra.get(GROUP_COLUMN),
        }
        for i in portfolio.interfaces
    }
    usages = {
        (u.interface, u.system): u.direction for u in portfolio.usages if u.municipality is None
    }
    supplier_ids = set(portfolio.supplier_by_id)
    for row in rows:
        matches = match_system(row.system, systems)
        if len(matches) > 1:
            result.conflicts.append(
                Problem(
                    row.where,
                    _("names several systems: {systems}; row not imported").format(
                        systems=", ".join(f"{s.id} ({s.name})" for s in matches)
                    ),
                    "system",
                    row.system,
                )
            )
            continue
        if matches:
            counterpart = matches[0].id
        else:
            counterpart = slug(row.system)
            number = 2
            while counterpart in system_ids:
                counterpart = f"{slug(row.system)}-{number}"
                number += 1
            if UNKNOWN_SUPPLIER[0] not in supplier_ids:
                supplier_ids.add(UNKNOWN_SUPPLIER[0])
                additions.add(
                    "suppliers",
                    {
                        "id": UNKNOWN_SUPPLIER[0],
                        "name": UNKNOWN_SUPPLIER[1],
                        "assumptions": ASSUME_PLACEHOLDER_SUPPLIER,
                    },
                )
                result.created_suppliers.append(UNKNOWN_SUPPLIER[0])
            created = System(id=counterpart, name=row.system, supplier=UNKNOWN_SUPPLIER[0])
            systems.append(created)
            system_ids.add(counterpart)
            additions.add(
                "systems",
                {
                    "id": counterpart,
                    "name": row.system,
                    "supplier": UNKNOWN_SUPPLIER[0],
                    "monopoly": "nej",
                },
            )
            result.created_systems.append((counterpart, row.system))
        direction: Direction | None
        if counterpart == for_system:
            provider, user, direction = for_system, None, None
        elif row.direction == "out":
            provider, user, direction = for_system, counterpart, "in"
        else:
            provider, user, direction = counterpart, for_system, row.direction
        stated = interfaces.get(row.id)
        listed: dict[str, str] = {
            "name": row.name,
            "provider": provider,
            "nettoliste": row.nettoliste,
            "bruttoliste": row.bruttoliste,
            "klippekort": row.klippekort,
            GROUP_COLUMN: row.group,
        }
        changed = False
        if stated is not None:
            differences = [
                c for c in listed if listed[c] and stated[c] and not _same(listed[c], stated[c])
            ]
            if differences:
                for column in differences:
                    result.conflicts.append(
                        Problem(
                            row.where,
                            _("the portfolio says {value!r}; row not imported").format(
                                value=stated[column]
                            ),
                            column,
                            listed[column],
                        )
                    )
                continue
            for column in listed:
                if listed[column] and not stated[column] and column != GROUP_COLUMN:
                    result.notes.append(
                        Problem(
                            row.where,
                            _("the portfolio leaves it blank for {id}; not changed").format(
                                id=row.id
                            ),
                            column,
                            listed[column],
                        )
                    )
        else:
            new = {
                "id": row.id,
                "name": row.name,
                "provider": provider,
                "data": slug(row.name),
                "nettoliste": row.nettoliste,
                "bruttoliste": row.bruttoliste,
                "klippekort": row.klippekort,
            }
            if row.group:
                new[GROUP_COLUMN] = row.group
            interfaces[row.id] = dict(listed)
            additions.add("interfaces", new)
            result.added_interfaces.append(row.id)
            changed = True
        if user is not None:
            if (row.id, user) in usages:
                stated_direction = usages[(row.id, user)]
                if stated_direction and direction and stated_direction != direction:
                    result.conflicts.append(
                        Problem(
                            row.where,
                            _(
                                "the portfolio says {user} uses {id} with direction "
                                "{direction!r}; not changed"
                            ).format(user=user, id=row.id, direction=stated_direction),
                            "direction",
                            direction,
                        )
                    )
            else:
                new_usage = {"interface": row.id, "system": user, "need": need or "must"}
                if need is None:
                    new_usage["assumptions"] = ASSUME_NEED
                if direction:
                    new_usage["direction"] = direction
                additions.add("usages", new_usage)
                usages[(row.id, user)] = direction
                result.added_usages.append((row.id, user))
                changed = True
        if not changed:
            result.unchanged += 1
    return result, additions


# ---------------------------------------------------------------------------------------------
# Writing: append to the user's files, keeping their dialect


def _file_text(path: Path) -> tuple[str, str]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
        return text, "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252"), "cp1252"


def appended(path: Path, rows: list[dict[str, str]], seed: str | None = None) -> bytes:
    """The file's bytes with rows added, in its own encoding, delimiter and header names; a
    column it lacks is added to the header (and left empty in its rows). `seed` is the text
    of a file not written yet (a header line), UTF-8 with BOM like snitgraf's own files."""
    text, encoding = (seed, "utf-8-sig") if seed is not None else _file_text(path)
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    newline = "\r\n" if "\r\n" in text else "\n"
    delimiter = sniff_delimiter(lines[header_index]) if header_index is not None else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header_row = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
    headers = [h.strip() for h in records[header_row]] if header_row is not None else []
    position = {canonical_column(h): i for i, h in enumerate(headers) if h}
    new_columns = [c for row in rows for c, v in row.items() if v and c not in position]
    new_columns = list(dict.fromkeys(new_columns))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    if new_columns or header_row is None:
        # Rewrite: the header grows, every row keeps its cells and gets empty new ones.
        headers += new_columns
        position = {canonical_column(h): i for i, h in enumerate(headers) if h}
        width = len(headers)
        for index, record in enumerate(records):
            if index == header_row:
                writer.writerow(headers)
            elif any(c.strip() for c in record):
                writer.writerow(record + [""] * (width - len(record)))
        if header_row is None:
            writer.writerow(headers)
        prefix = ""
    else:
        prefix = text if text.endswith(("\n", "\r")) or not text else text + newline
    for row in rows:
        cells = [""] * len(headers)
        for column, value in row.items():
            if value:
                cells[position[column]] = neutralise_formula(value)
        writer.writerow(cells)
    output = prefix + buffer.getvalue()
    try:
        return output.encode(encoding)
    except UnicodeEncodeError as error:
        raise SnitgrafError(
            _(
                "{path}: cannot write {text!r} in its encoding ({encoding}); save it as UTF-8 first"
            ).format(path=path, text=output[error.start : error.end], encoding=encoding)
        ) from None


def merge_kmd_list(
    list_path: str | Path,
    for_system: str,
    portfolio_folder: str | Path,
    need: str | None = None,
    dry_run: bool = False,
) -> KmdImport:
    """Merge a KMD list into a portfolio folder: all files or none. The merged portfolio is
    validated before any file is replaced; a dry run only reports."""
    folder = Path(portfolio_folder)
    if folder.exists() and not folder.is_dir():
        raise SnitgrafError(
            _("{path}: import-kmd merges into a portfolio folder of CSV files").format(path=folder)
        )
    new = not folder.is_dir() or not any(
        p.is_file() and p.suffix.lower() == ".csv" for p in folder.iterdir()
    )
    rows = read_kmd_list(list_path)
    if new:
        portfolio, start = _new_portfolio(folder, for_system)
    else:
        portfolio, start = load_portfolio(folder), _Additions()
    result, additions = plan_merge(portfolio, rows, for_system, need, str(list_path))
    for kind, new_rows in start.rows.items():
        additions.rows[kind] = new_rows + additions.rows.get(kind, [])
    if new:
        result.notes.insert(
            0,
            Problem(
                str(folder),
                _(
                    "a new portfolio: {system} is KMD's monopoly system (as-is) the list "
                    "belongs to; complete its name"
                ).format(system=for_system),
            ),
        )
    if dry_run or not additions.rows:
        return result
    if new:
        folder.mkdir(parents=True, exist_ok=True)
        files = {spec.filename: folder / spec.filename for spec in FILES if spec.required}
        seeds = {
            spec.filename: ",".join(spec.required_columns) + "\n" for spec in FILES if spec.required
        }
        for filename in files:
            additions.rows.setdefault(FILE_KINDS[filename], [])
    else:
        files = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
        seeds = {}
    contents: dict[Path, bytes] = {}
    for kind, new_rows in additions.rows.items():
        target = files.get(FILE_SPECS[kind].filename)
        if target is None:
            raise SnitgrafError(
                _("{path}: no {file} to add rows to").format(
                    path=folder, file=FILE_SPECS[kind].filename
                )
            )
        contents[target] = appended(target, new_rows, seeds.get(target.name))
    with tempfile.TemporaryDirectory(prefix="snitgraf-kmd-") as scratch:
        for path in folder.iterdir():
            if path.is_file() and path.suffix.lower() == ".csv":
                shutil.copyfile(path, Path(scratch) / path.name)
        for path, data in contents.items():
            (Path(scratch) / path.name).write_bytes(data)
        try:
            load_portfolio(scratch)
        except PortfolioError as error:
            raise PortfolioError(
                str(folder),
                [
                    Problem(p.where.replace(scratch, str(folder)), p.message, p.column, p.value)
                    for p in error.problems
                ],
            ) from None
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in contents.items():
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
            os.close(handle)
            temporary = Path(name)
            staged.append((temporary, path))
            temporary.write_bytes(data)
            os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else _new_mode())
        for temporary, path in staged:
            os.replace(temporary, path)
    finally:
        for temporary, _target in staged:
            temporary.unlink(missing_ok=True)
    result.written = [path for _temporary, path in staged]
    return result


FILE_KINDS = {spec.filename: spec.kind for spec in FILES}


def _new_mode() -> int:
    """The mode a new file gets under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _new_portfolio(folder: Path, for_system: str) -> tuple[Portfolio, _Additions]:
    """An empty portfolio holding only the system the list belongs to (KMD's, a monopoly
    system, as-is), and the rows that create it."""
    supplier = Supplier(id=LIST_SUPPLIER[0], name=LIST_SUPPLIER[1])
    system = System(
        id=for_system, name=for_system, supplier=supplier.id, monopoly=True, lifecycle="as-is"
    )
    start = _Additions()
    start.add("suppliers", {"id": supplier.id, "name": supplier.name})
    start.add(
        "systems",
        {
            "id": for_system,
            "name": for_system,
            "supplier": supplier.id,
            "monopoly": "ja",
            "lifecycle": "as-is",
        },
    )
    return Portfolio(source=str(folder), suppliers=(supplier,), systems=(system,)), start
