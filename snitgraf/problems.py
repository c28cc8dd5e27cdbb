"""Located problems in user input, and the error that carries all of them at once."""

from __future__ import annotations

from dataclasses import dataclass

from snitgraf.i18n import _


@dataclass(frozen=True)
class Problem:
    """One problem in the input: where (file:line or Sheet!A1), which column, what, which value."""

    where: str
    message: str
    column: str | None = None
    value: str | None = None
    warning: bool = False
    """A warning loads anyway (a header that looks misspelt); a problem stops the load."""

    def __str__(self) -> str:
        text = self.where
        if self.column:
            text += ": " + _("column {column}").format(column=self.column)
        text += f": {self.message}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            text += " " + _("(value {value!r})").format(value=shown)
        return text


class SnitgrafError(Exception):
    """An error to show the user as one line, with no traceback."""


class PortfolioError(SnitgrafError):
    """A portfolio that could not be loaded: every problem found, one line each."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(
            _("{source}: {count} problem(s)").format(source=source, count=len(problems))
        )

    def lines(self) -> list[str]:
        """One line per problem; warnings found beside them start with 'warning: '."""
        from snitgraf.i18n import _

        return [
            _("warning: {problem}").format(problem=p) if p.warning else str(p)
            for p in self.problems
        ]
