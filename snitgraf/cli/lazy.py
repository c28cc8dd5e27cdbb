"""A click group whose commands are imported when they run, so `--version` and `--help` stay
fast (the commands' modules import networkx, neo4j, pyvis, openpyxl and lxml)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import click


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives, and its one-line help (shown by `--help` without importing it)."""

    module: str
    attribute: str
    short_help: str


class LazyGroup(click.Group):
    """A group that lists `lazy` commands by name and imports one only when it is asked for."""

    def __init__(self, *args: Any, lazy: dict[str, LazyCommand] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, LazyCommand] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is not None or cmd_name not in self.lazy:
            return found
        entry = self.lazy[cmd_name]
        command = getattr(importlib.import_module(entry.module), entry.attribute)
        if not isinstance(command, click.Command):  # pragma: no cover - a wiring mistake
            raise TypeError(f"{entry.module}.{entry.attribute} is not a click command")
        self.add_command(command, cmd_name)
        self.loaded(command)
        return command

    def loaded(self, command: click.Command) -> None:
        """Called once a lazy command is imported (e.g. to translate its help)."""

    def lazy_help(self, text: str) -> str:
        """A lazy command's one-line help as shown (e.g. translated)."""
        return text

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of `--help`, from the lazy entries' one-line help."""
        rows = []
        for name in self.list_commands(ctx):
            if name in self.lazy and name not in self.commands:
                rows.append((name, self.lazy_help(self.lazy[name].short_help)))
            else:
                command = super().get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(formatter.width)))
        if rows:
            with formatter.section(self.lazy_help("Commands")):  # click's word, translated
                formatter.write_dl(rows)
