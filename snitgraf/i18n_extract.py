"""pybabel's extractor for snitgraf: the usual `_()` calls, plus click commands' docstrings.

A click command's docstring is its `--help` text, so it is a message too; the msgid is the
docstring as click shows it (`inspect.cleandoc`), which `snitgraf.cli.language` translates.
Wired in babel.cfg; used by scripts/i18n and by the catalogue test.
"""

from __future__ import annotations

import ast
import inspect
import io
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, cast

from babel.messages.extract import extract_python

Message = tuple[int, str | tuple[str, ...] | None, str | tuple[str, ...], list[str]]


def _is_click_command(decorator: ast.expr) -> bool:
    """`@click.command(...)`, `@click.group(...)`, `@cli.command()`: a click command decorator."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name in ("command", "group")


def command_docstrings(source: str) -> Iterator[tuple[int, str]]:
    """(line, help text) of every click-decorated function in `source`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and any(map(_is_click_command, node.decorator_list)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield node.body[0].lineno, inspect.cleandoc(doc)


def extract(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: dict[str, Any],
) -> Iterator[Message]:
    """Babel's Python extraction, then the docstrings of click commands."""
    source = fileobj.read()
    # babel's hints describe results as (line, message, comments, context), but extract_python
    # yields (line, funcname, message, comments), as babel's own extract() unpacks them.
    python = extract_python(io.BytesIO(source), keywords, comment_tags, cast("Any", options))
    yield from cast("Iterator[Message]", python)
    text = source.decode(options.get("encoding", "utf-8"))
    for line, doc in command_docstrings(text):
        yield line, None, doc, ["click command help (keep \\b lines as they are)"]


def source_messages(root: Path) -> dict[str, str]:
    """Every msgid the sources under `root` use (per babel.cfg), with where it first occurs."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (root / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)  # type: ignore[no-untyped-call]
    found: dict[str, str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map
    ):
        # A plural message (ngettext) is one catalogue entry, keyed by its singular.
        msgid = message if isinstance(message, str) else message[0]
        if msgid:
            found.setdefault(msgid, f"{filename}:{line}")
    return found


def catalogue_problems(root: Path, lang: str = "da") -> list[str]:
    """What is wrong with `lang`'s catalogue: msgids the code uses that it lacks, empty or fuzzy."""
    from babel.messages.pofile import read_po

    po = root / "snitgraf" / "locale" / lang / "LC_MESSAGES" / "snitgraf.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    problems = []
    for msgid, where in source_messages(root).items():
        entry = catalog.get(msgid)
        if entry is None:
            problems.append(f"{where}: not in {po.name}: {msgid!r}")
        elif entry.fuzzy:
            problems.append(f"{where}: fuzzy (check and confirm the translation): {msgid!r}")
        elif not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            problems.append(f"{where}: no {lang} translation: {msgid!r}")
    return problems


if __name__ == "__main__":
    import sys

    found = catalogue_problems(Path.cwd())
    for problem in found:
        print(problem)
    print(f"{len(found)} problem(s) in the catalogue", file=sys.stderr)
    sys.exit(1 if found else 0)
