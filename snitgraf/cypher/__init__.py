"""The Cypher statements shipped in this package, one per `.cypher` file in a folder here.

The folders (`analysis/`, `push/`, `queries/`, `read/`, `schema/`, `server/`, `benchmark/`) are
package data, read with `importlib.resources`, so an installed wheel finds them as a checkout
does. A new statement goes into the folder of its use: `snitgraf/cypher/<folder>/<name>.cypher`.

Each file starts with a comment header: the first line says what the statement answers, further
lines explain it, and structured lines declare parameters and columns::

    // Systems within N hops of a system.
    // param: system (text) the system's id
    // param: hops (integer, default 2) how many hops away
    // columns: system, name, hops
    MATCH ...

`$scope` (the scope's graph) and `$to_be_scope` (its derived TO-BE graph) are always passed
and not declared. Statements that work per label or relationship type
(the push) are templates with `{{label}}`-style holes; only identifiers from `snitgraf.schema`
(or names derived from them) are ever filled in. User data always travels as parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from snitgraf.problems import SnitgrafError
from snitgraf.values import parse_date

CYPHER_DIR: Traversable = files(__name__)
"""Where the statements live: this package's folder, wherever it is installed."""

SUFFIX = ".cypher"

QUERIES = "queries"
"""The sub-folder of named queries for architects (`snitgraf query PORTFOLIO NAME`)."""

_HOLE = re.compile(r"\{\{(\w+)\}\}")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PARAM = re.compile(r"^(\w+)\s*\((\w+)(?:,\s*default\s+([^)]*))?\)\s*(.*)$")
PARAM_TYPES = ("text", "integer", "date", "boolean")


@dataclass(frozen=True)
class Parameter:
    """A declared parameter: its name, type (text, integer, date, boolean), default and meaning."""

    name: str
    type: str
    default: str | None
    description: str

    def convert(self, text: str) -> Any:
        """The parameter's value from command-line text, or a one-line error."""
        try:
            if self.type == "integer":
                return int(text)
            if self.type == "boolean":
                lowered = text.strip().lower()
                if lowered not in ("true", "false"):
                    raise ValueError("use true or false")
                return lowered == "true"
            if self.type == "date":
                parsed = parse_date(text)
                if parsed is None:
                    raise ValueError("unknown date")
                return str(parsed)
        except ValueError as error:
            raise SnitgrafError(
                f"parameter {self.name}: not a valid {self.type} ({error}) (value {text!r})"
            ) from None
        return text


@dataclass(frozen=True)
class Statement:
    """One shipped Cypher statement (or a user's `.cypher` file): its name, text and header."""

    name: str
    text: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]

    @property
    def holes(self) -> frozenset[str]:
        """The template holes (`{{label}}`) the text has."""
        return frozenset(_HOLE.findall(self.text))

    def render(self, **identifiers: str) -> str:
        """The text with its template holes filled by schema identifiers (never user data)."""
        missing = self.holes - identifiers.keys()
        if missing:
            raise ValueError(f"{self.name}: no value for {', '.join(sorted(missing))}")
        for hole, value in identifiers.items():
            if not _IDENTIFIER.match(value):
                raise ValueError(f"{self.name}: {hole} must be an identifier, not {value!r}")
        return _HOLE.sub(lambda m: identifiers[m[1]], self.text)

    def arguments(self, given: dict[str, str]) -> dict[str, Any]:
        """Parameters for a run: declared ones converted (defaults filled), others as text."""
        declared = {p.name: p for p in self.parameters}
        values: dict[str, Any] = {}
        for name, text in given.items():
            values[name] = declared[name].convert(text) if name in declared else text
        for param in self.parameters:
            if param.name in values:
                continue
            if param.default is None:
                raise SnitgrafError(
                    f"query {self.name} needs --param {param.name}=… ({param.description})"
                )
            values[param.name] = param.convert(param.default)
        return values


def parse(name: str, source: str) -> Statement:
    """A statement from the text of a `.cypher` file (header comment, then the statement)."""
    header: list[str] = []
    lines = source.splitlines()
    body_start = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("//"):
            header.append(stripped[2:].strip())
            body_start = index + 1
        elif stripped:
            break
        else:
            body_start = index + 1
    text = "\n".join(lines[body_start:]).strip()
    parameters: list[Parameter] = []
    columns: tuple[str, ...] = ()
    prose: list[str] = []
    for line in header:
        lowered = line.lower()
        if lowered.startswith("param:"):
            match = _PARAM.match(line[len("param:") :].strip())
            if not match or match[2] not in PARAM_TYPES:
                raise ValueError(f"{name}: bad parameter line {line!r}")
            default = match[3].strip() if match[3] is not None else None
            parameters.append(Parameter(match[1], match[2], default, match[4].strip()))
        elif lowered.startswith("columns:"):
            columns = tuple(c.strip() for c in line[len("columns:") :].split(",") if c.strip())
        else:
            prose.append(line)
    while prose and not prose[-1]:
        prose.pop()
    title = prose[0] if prose else name
    description = " ".join(p for p in prose[1:] if p)
    return Statement(name, text, title, description, tuple(parameters), columns)


@cache
def load(name: str) -> Statement:
    """The statement `<name>.cypher` (name may contain a folder, e.g. 'push/merge-nodes')."""
    resource = CYPHER_DIR.joinpath(*f"{name}{SUFFIX}".split("/"))
    if not resource.is_file():
        raise SnitgrafError(f"no Cypher statement {name!r} shipped with snitgraf (snitgraf/cypher)")
    return parse(name, resource.read_text(encoding="utf-8"))


def _names(folder: Traversable, prefix: str = "") -> Iterator[str]:
    """The statement names under a folder ('push/merge-nodes'), depth first."""
    for entry in folder.iterdir():
        if entry.is_dir():
            yield from _names(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith(SUFFIX):
            yield prefix + entry.name[: -len(SUFFIX)]


def named_queries() -> dict[str, Statement]:
    """The shipped architects' queries by name (`queries/*.cypher`), sorted."""
    names = sorted(_names(CYPHER_DIR.joinpath(QUERIES)))
    return {name: replace(load(f"{QUERIES}/{name}"), name=name) for name in names}


def all_statements() -> dict[str, Statement]:
    """Every shipped statement, by name (for checks against the schema)."""
    return {name: load(name) for name in sorted(_names(CYPHER_DIR))}
