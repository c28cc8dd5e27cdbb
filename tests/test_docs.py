"""The README cannot drift from the program: its command reference, the commands and options it
names, its marked examples (run on the sample data) and its layout map.

After changing a command or an output: `scripts/refresh-readme`, then review the diff.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from snitgraf.cli import cli
from tests.readme import (
    README,
    REFERENCE_END,
    REFERENCE_START,
    ROOT,
    Example,
    command_reference,
    examples,
    run,
    scratch_folder,
)

TEXT = README.read_text(encoding="utf-8")
REFRESH = "run scripts/refresh-readme and review the diff"
ROOT_CTX = click.Context(cli, info_name="snitgraf")
COMMANDS: dict[str, click.Command] = {
    name: command
    for name in cli.list_commands(ROOT_CTX)
    if (command := cli.get_command(ROOT_CTX, name)) is not None
}


def option_names(command: click.Command) -> set[str]:
    """Every spelling of every option of a command (`--to-be`, `--no-to-be`, `-n`, `--help`)."""
    names = {"--help", "-h"}
    for param in command.params:
        if isinstance(param, click.Option):
            names |= set(param.opts) | set(param.secondary_opts)
    return names


def code_pieces(text: str) -> list[str]:
    """The README's code: each line of its fenced blocks and each inline code span."""
    pieces: list[str] = []
    prose: list[str] = []
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced:
            pieces.append(line)
        else:
            prose.append(line)
    pieces += re.findall(r"`([^`\n]+)`", "\n".join(prose))
    return pieces


def invocations(text: str) -> list[tuple[str, list[str]]]:
    """Each `snitgraf WORD …` the README's code shows: (its text, its words after snitgraf)."""
    found = []
    for piece in code_pieces(text):
        for match in re.finditer(r"(?:^|\$ |bin/|&& |-m )snitgraf((?: [^|;&>#]*)?)", piece):
            words = match[1].replace("\\|", "|").split()
            found.append((match[0].strip(), words))
    return found


def test_the_command_reference_is_what_the_commands_give() -> None:
    start, end = TEXT.index(REFERENCE_START), TEXT.index(REFERENCE_END) + len(REFERENCE_END)
    assert TEXT[start:end] == command_reference(), REFRESH


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_and_option_is_in_the_reference(name: str) -> None:
    start, end = TEXT.index(REFERENCE_START), TEXT.index(REFERENCE_END)
    reference = TEXT[start:end]
    assert f"### `snitgraf {name} " in reference, REFRESH
    section = reference.split(f"### `snitgraf {name} ", 1)[1].split("\n### ", 1)[0]
    for param in COMMANDS[name].params:
        if isinstance(param, click.Option):
            assert f"`{param.opts[0]}" in section or f", {param.opts[0]}" in section, REFRESH


def test_the_readme_names_no_command_or_option_that_does_not_exist() -> None:
    wrong = []
    group_options = option_names(cli)
    for shown, words in invocations(TEXT):
        if not words or not re.match(r"[a-z-]", words[0]):
            continue  # `python -m snitgraf`, `snitgraf COMMAND --help`, `snitgraf …`
        if words[0].startswith("-"):
            known, options = True, words
            allowed = group_options
        else:
            known, options = words[0] in COMMANDS, words[1:]
            allowed = option_names(COMMANDS[words[0]]) if known else set()
        if not known:
            wrong.append(f"{shown}: no command {words[0]!r}")
            continue
        for word in options:
            option = re.match(r"[\[(]?(--?[a-z][a-z0-9-]*)", word)
            if option and option[1] not in allowed:
                wrong.append(f"{shown}: no option {option[1]}")
    assert wrong == []


def test_the_readme_shows_every_command_in_use() -> None:
    shown = {words[0] for _, words in invocations(TEXT) if words}
    assert set(COMMANDS) - shown == set()


def test_the_readme_has_marked_examples() -> None:
    commands = [example.args[0] for example in examples(TEXT)]
    assert {"validate", "analyse", "overview", "render", "query", "budget"} <= set(commands)


@pytest.mark.parametrize("example", examples(TEXT), ids=lambda e: e.command)
def test_a_readme_example_prints_what_the_readme_shows(example: Example) -> None:
    with scratch_folder():
        assert run(example) == example.expected, REFRESH


def _layout_map() -> dict[str, str]:
    """The Development section's map of snitgraf/: entry ('graph.py', 'io/') -> its text."""
    block = TEXT.split("```text\nsnitgraf/\n", 1)[1].split("```", 1)[0]
    entries: dict[str, str] = {}
    current = None
    for line in block.splitlines():
        if match := re.match(r"^  (\S+)\s+(.*)$", line):
            current = match[1]
            entries[current] = match[2]
        elif line.startswith("    ") and current:
            entries[current] += " " + line.strip()
        else:
            break  # back at the top level: cypher/, data/, tests/, ...
    return entries


PACKAGE = ROOT / "snitgraf"


def test_the_layout_map_names_every_module_of_the_package() -> None:
    entries = _layout_map()
    missing = []
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name not in entries:
            missing.append(path.name)
    for package in sorted(p.parent for p in PACKAGE.glob("*/__init__.py")):
        text = entries.get(f"{package.name}/")
        if text is None:
            missing.append(f"{package.name}/")
            continue
        for module in sorted(package.glob("*.py")):
            if module.stem != "__init__" and not re.search(rf"\b{module.stem}\b", text):
                missing.append(f"{package.name}/{module.name}")
    assert missing == [], "add them to the layout map in README.md (## Development)"


def test_the_layout_map_names_nothing_that_does_not_exist() -> None:
    assert [name for name in _layout_map() if not (PACKAGE / name).exists()] == []


def test_scratch_folders_keep_example_output_out_of_the_checkout() -> None:
    with scratch_folder() as folder:
        assert Path.cwd() == folder
        assert (folder / "data" / "kombit-2014").is_dir()
    assert Path.cwd() != folder
