"""What-if go-live dates: a run's override of some replacers' go-live (`--go-live SYSTEM=DATE`).

A scenario is checked against the catalogue (every system named must exist and be a replacer
or a TO-BE system) and then written onto the system nodes of the graph the assessment draws
from, before anything is derived: plan, budget, impact, report and diagrams all read a
system's go-live there, so none of them can disagree about the date.

>>> from snitgraf.assessment import Assessment
>>> from snitgraf.values import parse_date
>>> with Assessment.open("data/kombit-2014", go_live={"ksd": parse_date("2019-06")}) as run:
...     print(run.scenario.text())
Scenarie: KSD – Kommunernes Sygedagpengesystem går i drift 2019-06 (i porteføljen 2017-06)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from snitgraf.graph import edges, forget_per_graph
from snitgraf.i18n import _, format_date
from snitgraf.problems import SnitgrafError
from snitgraf.schema import Label, PortfolioGraph, Rel, node_key
from snitgraf.values import PartialDate, parse_date


class ScenarioError(SnitgrafError):
    """A go-live override that names no system, or one without a go-live to move."""

    def __init__(self, given: str, message: str) -> None:
        self.given = given
        """The system as the user wrote it (the key of the override)."""
        super().__init__(message)


@dataclass(frozen=True)
class GoLiveOverride:
    """One system's go-live moved for the run: the portfolio's date and the scenario's."""

    system: str
    name: str
    portfolio: PartialDate | None
    """The go-live the portfolio states (None: it states none)."""
    scenario: PartialDate

    def to_json(self) -> dict[str, Any]:
        """{system, name, portfolio_go_live, scenario_go_live} (keys are a user contract)."""
        return {
            "system": self.system,
            "name": self.name,
            "portfolio_go_live": None if self.portfolio is None else str(self.portfolio),
            "scenario_go_live": str(self.scenario),
        }

    def text(self) -> str:
        """'KSD goes live 2019-06 (in the portfolio 2017-06)' in the active language."""
        if self.portfolio is None:
            return _("{system} goes live {date} (no go-live in the portfolio)").format(
                system=self.name, date=format_date(self.scenario)
            )
        return _("{system} goes live {date} (in the portfolio {portfolio})").format(
            system=self.name,
            date=format_date(self.scenario),
            portfolio=format_date(self.portfolio),
        )


@dataclass(frozen=True)
class Scenario:
    """The run's go-live overrides, by system id; empty: the portfolio as it stands."""

    overrides: tuple[GoLiveOverride, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.overrides)

    def to_json(self) -> list[dict[str, Any]]:
        """The `go_live_overrides` list of the JSON outputs and summary.json."""
        return [o.to_json() for o in self.overrides]

    def text(self) -> str:
        """The line every output shows while a scenario is in force ('' when none is)."""
        if not self.overrides:
            return ""
        return _("Scenario: {changes}").format(changes="; ".join(o.text() for o in self.overrides))


def go_live_scenario(graph: PortfolioGraph, go_live: Mapping[str, PartialDate]) -> Scenario:
    """Check overrides (system id or exact name -> date) against the catalogue `graph`.

    Every system must exist and replace another or be a TO-BE system; a system named twice
    (by id and by name) is an error too. Raises ScenarioError naming the system as given."""
    from snitgraf.analysis.impact import resolve_system  # only a run with --go-live needs it

    replacers = {source[1] for source, _target, _attrs in edges(graph, Rel.REPLACES)}
    found: dict[str, GoLiveOverride] = {}
    for given, when in go_live.items():
        try:
            sid = resolve_system(graph, given)
        except SnitgrafError as error:
            raise ScenarioError(given, str(error)) from None
        attrs = graph.nodes[node_key(Label.SYSTEM, sid)]
        name = str(attrs.get("name") or sid)
        if sid not in replacers and attrs.get("lifecycle") != "to-be":
            raise ScenarioError(
                given,
                _(
                    "{name} ({system}) replaces no system and is not a TO-BE system: "
                    "it has no go-live to move"
                ).format(name=name, system=sid),
            )
        if sid in found:
            raise ScenarioError(
                given, _("{name} ({system}) is given twice").format(name=name, system=sid)
            )
        stated = attrs.get("go_live")
        found[sid] = GoLiveOverride(sid, name, parse_date(str(stated)) if stated else None, when)
    return Scenario(tuple(found[sid] for sid in sorted(found)))


def apply_scenario(graph: PortfolioGraph, scenario: Scenario) -> None:
    """Write the scenario's dates onto the system nodes of `graph` (in place), and drop what
    networkx caches about the graph so nothing derived before the change is reused."""
    if not scenario:
        return
    for override in scenario.overrides:
        graph.nodes[node_key(Label.SYSTEM, override.system)]["go_live"] = str(override.scenario)
    forget_per_graph(graph)


def parse_go_live(text: str) -> tuple[str, PartialDate]:
    """'SYSTEM=DATE' (any portfolio date form) -> (system, date); ValueError naming the form."""
    system, separator, when = text.rpartition("=")
    if not separator or not system.strip():
        raise ValueError(_("expected SYSTEM=DATE, e.g. ksd=2019-06"))
    parsed = parse_date(when)
    if parsed is None:
        raise ValueError(_("a date is needed after '='"))
    return system.strip(), parsed
