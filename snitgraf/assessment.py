"""One assessment of a portfolio: every answer derived once, from the whole transition.

An `Assessment` is made from a backend and the run's options. It derives, lazily and at most
once, the AS-IS and TO-BE graphs, the categories (decided on the whole catalogue's transition),
the gap, the broken needs, the plan and the budget; every command is a thin call on it and every
writer draws its finished results, so a number shown twice is the same number.

>>> from snitgraf.assessment import Assessment
>>> with Assessment.open("data/kombit-2014", today=date(2015, 1, 1)) as assessment:
...     actions = assessment.plan          # what `snitgraf plan --today 2015-01-01` prints

`go_live={"ksd": parse_date("2019-06")}` assesses a what-if (`snitgraf.scenario`): every part
then assumes KSD goes live in 2019-06.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any

from snitgraf.analysis.categorise import (
    InterfaceCategory,
    categorise_facts,
    category_counts,
)
from snitgraf.analysis.overview import OverviewRow, overview_rows
from snitgraf.analysis.transition import STATUSES, GapRow, Transition, transition, with_replacers
from snitgraf.backends import Backend, open_backend
from snitgraf.graph import State, nodes
from snitgraf.scenario import Scenario, apply_scenario, go_live_scenario
from snitgraf.schema import Label, PortfolioGraph
from snitgraf.values import PartialDate, json_amount, parse_date

if TYPE_CHECKING:  # the plan, budget and impact load when first asked for (not by categorize)
    from snitgraf.analysis.budget import Budget
    from snitgraf.analysis.impact import Impact
    from snitgraf.analysis.needs import BrokenNeed
    from snitgraf.analysis.plan import Action, SystemInfo


@dataclass(frozen=True)
class Summary:
    """The run's key figures (`summary.json`): what every output of the run shows."""

    interfaces: int
    categories: Mapping[str, int]
    gap: Mapping[str, int]
    broken_needs: int
    plan_actions: int
    contracts: int
    annual_cost_dkk: float
    """The known annual cost of every contract (one year, as stated)."""
    budget: tuple[tuple[int, str, str, float], ...]
    """(year, state, payer, known DKK) for every payer and the total."""
    municipality: str | None
    needs_decision: tuple[InterfaceCategory, ...]
    assumed: tuple[InterfaceCategory, ...]
    """Interfaces whose category rests on an importer's assumption (a decision to confirm)."""
    scenario: Scenario = field(default_factory=Scenario)
    """The go-live overrides the numbers assume (empty: the portfolio as it stands)."""

    def to_json(self) -> dict[str, Any]:
        """The JSON object of `summary.json` (keys are a user contract)."""
        budget: dict[str, dict[str, dict[str, Any]]] = {}
        for year, state, payer, known in self.budget:
            budget.setdefault(state, {}).setdefault(str(year), {})[payer] = json_amount(known)
        return {
            "interfaces": self.interfaces,
            "categories": dict(self.categories),
            "gap": dict(self.gap),
            "broken_needs": self.broken_needs,
            "plan_actions": self.plan_actions,
            "budget": budget,
            "contracts": self.contracts,
            "annual_cost_dkk": json_amount(self.annual_cost_dkk),
            "municipality": self.municipality,
            "needs_decision": [c.interface for c in self.needs_decision],
            "assumed": [c.interface for c in self.assumed],
            "go_live_overrides": self.scenario.to_json(),
        }


@dataclass(frozen=True)
class SystemChange:
    """A monopoly system across the transition: who replaces it and when, what it touches,
    its deadlines, broken needs and cost shift (a section of the report)."""

    system: str
    name: str
    replaced_by: tuple[str, ...]
    go_live: str | None
    """The latest go-live of its replacers (when it can stop); None: unknown or no replacer."""
    categories: Mapping[str, int]
    """The interfaces it or its replacers provide or use, per category code (every code)."""
    gap: Mapping[str, int]
    """The same interfaces per gap status (every status)."""
    actions: tuple[Action, ...]
    broken_needs: tuple[BrokenNeed, ...]
    budget: Budget
    """The cost of the interfaces it touches, per year and payer, AS-IS and TO-BE."""


def _latest(dates: Iterable[str | None]) -> str | None:
    """The latest of some partial dates (by their last day), as text; None when none is known."""
    known = [d for text in dates if text and (d := parse_date(text)) is not None]
    return str(max(known, key=lambda d: d.last_day())) if known else None


class Assessment:
    """Everything snitgraf derives from one portfolio for one run, each part derived once."""

    def __init__(
        self,
        backend: Backend,
        today: date | None = None,
        kombit_offer_date: PartialDate | None = None,
        go_live: Mapping[str, PartialDate] | None = None,
    ) -> None:
        """`go_live` moves replacers' go-live for this run (system id or exact name -> date):
        it is checked (ScenarioError) and written onto the backend's graph before anything is
        derived, so every result of the run assumes it."""
        self.backend = backend
        self.today = today or date.today()
        self.kombit_offer_date = kombit_offer_date
        self._overviews: dict[tuple[str | None, State], tuple[OverviewRow, ...]] = {}
        self.scenario = go_live_scenario(backend.full_graph, go_live) if go_live else Scenario()
        """The what-if go-live dates in force (empty: the portfolio as it stands)."""
        if self.scenario:
            apply_scenario(backend.full_graph, self.scenario)
            backend.forget_derived()

    @classmethod
    def open(
        cls,
        portfolio: str,
        *,
        scope: str | None = None,
        database: str | None = None,
        municipality: str | None = None,
        today: date | None = None,
        kombit_offer_date: PartialDate | None = None,
        go_live: Mapping[str, PartialDate] | None = None,
    ) -> Assessment:
        """Open PORTFOLIO (folder, workbook or Neo4j URI) and assess it; close it when done.

        `go_live`: what-if go-live dates of replacers for the run (see `Assessment`)."""
        backend = open_backend(portfolio, scope=scope, database=database, municipality=municipality)
        try:
            return cls(backend, today=today, kombit_offer_date=kombit_offer_date, go_live=go_live)
        except BaseException:
            backend.close()
            raise

    def close(self) -> None:
        """Release the backend."""
        self.backend.close()

    def __enter__(self) -> Assessment:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # --- graphs ---------------------------------------------------------------------------

    @property
    def municipality(self) -> str | None:
        """The municipality whose part is shown (None: the whole catalogue)."""
        return self.backend.municipality

    @property
    def catalogue(self) -> PortfolioGraph:
        """The whole portfolio as stated (every lifecycle, every municipality)."""
        return self.backend.full_graph

    @cached_property
    def graph(self) -> PortfolioGraph:
        """The graph analysed: the catalogue, or the municipality's part of it together with
        the catalogue's systems that replace its systems."""
        if self.municipality is None:
            return self.catalogue
        return with_replacers(self.backend.graph("all"), self.catalogue)

    def state_graph(self, state: State) -> PortfolioGraph:
        """The analysed graph in a state: as stated (`all`), AS-IS or TO-BE."""
        if state == "all":
            return self.graph
        if state == "as-is":
            return self.transition.as_is
        return self.transition.to_be

    # --- categories -----------------------------------------------------------------------

    @cached_property
    def categories(self) -> Mapping[str, InterfaceCategory]:
        """Every interface of the catalogue with its one category, decided on the whole
        transition (the portfolio as stated and its TO-BE), by interface id."""
        facts, evidence = self.backend.category_evidence()
        return {c.interface: c for c in categorise_facts(facts, evidence)}

    def categorised(self, state: State = "all") -> list[InterfaceCategory]:
        """The categories of the interfaces shown for a state (and municipality), by id."""
        present = {attrs["id"] for _k, attrs in nodes(self.state_graph(state), Label.INTERFACE)}
        return [c for iid, c in sorted(self.categories.items()) if iid in present]

    def overview(self, system: str | None = None, state: State = "all") -> list[OverviewRow]:
        """The seed's overview rows of a state (optionally one monopoly system, id or name),
        derived once for each (the main job's CSV and report show the same rows)."""
        if system is not None:
            system = self.resolve_system(system)
        key = (system, state)
        if key not in self._overviews:
            involvements, contracts, provider_ski = self.backend.overview_facts(state)
            self._overviews[key] = tuple(
                overview_rows(
                    self.categorised(state), involvements, contracts, provider_ski, system
                )
            )
        return list(self._overviews[key])

    def resolve_system(self, text: str) -> str:
        """A system id from an id or exact name; unknown -> an error naming the closest."""
        from snitgraf.analysis.impact import resolve_system

        return resolve_system(self.graph, text)

    # --- the transition -------------------------------------------------------------------

    @cached_property
    def transition(self) -> Transition:
        """AS-IS, TO-BE and the gap of the analysed graph (the catalogue's own derivation when
        no municipality is chosen)."""
        categories = list(self.categories.values())
        if self.municipality is None:
            return transition(
                self.graph,
                categories,
                derivation=self.backend.derivation(),
                as_is=self.backend.catalogue_graph("as-is"),
            )
        return transition(self.graph, categories)

    @cached_property
    def gap(self) -> tuple[GapRow, ...]:
        """Every interface AS-IS -> TO-BE: kept, repointed, retired or new (each row with its
        broken needs)."""
        needs: dict[str, list[BrokenNeed]] = defaultdict(list)
        for need in self.broken_needs:
            needs[need.interface].append(need)
        return tuple(
            replace(row, broken_needs=tuple(needs[row.interface]))
            if row.interface in needs
            else row
            for row in self.transition.gap
        )

    @cached_property
    def broken_needs(self) -> tuple[BrokenNeed, ...]:
        """Systems that need data in TO-BE which nothing provides there."""
        from snitgraf.analysis.needs import broken_needs

        return broken_needs(self.graph, self.transition.derivation, self.categories)

    @cached_property
    def systems(self) -> Mapping[str, SystemInfo]:
        """Every system of the analysed graph as the plan sees it."""
        from snitgraf.analysis.plan import system_infos

        return system_infos(self.graph)

    @property
    def replacers(self) -> Mapping[str, tuple[str, ...]]:
        """Replaced system id -> the TO-BE systems taking over its roles."""
        return self.transition.derivation.replacers

    # --- plan and budget ------------------------------------------------------------------

    @cached_property
    def plan(self) -> tuple[Action, ...]:
        """Dated actions, most urgent first, grouped by monopoly system in go-live order."""
        from snitgraf.analysis.plan import plan_actions

        return tuple(
            plan_actions(
                self.gap,
                self.systems,
                self.replacers,
                self.today,
                self.kombit_offer_date,
                self.broken_needs,
            )
        )

    def plan_for(self, system: str | None = None) -> list[Action]:
        """The plan, or only what touches one monopoly system (id or name) and its replacers."""
        if system is None:
            return list(self.plan)
        touched = self.touched_by(system)
        return [a for a in self.plan if a.interface in touched]

    def touched_by(self, system: str) -> frozenset[str]:
        """Interfaces a system (id or name) or its replacers provide or use, in either state."""
        sid = self.resolve_system(system)
        involved = {sid, *self.replacers.get(sid, ())}
        return frozenset(
            row.interface
            for row in self.gap
            if involved
            & {*row.providers_as_is, *row.providers_to_be, *row.users_as_is, *row.users_to_be}
        )

    @cached_property
    def budget(self) -> Budget:
        """Annual cost per year and payer, AS-IS and TO-BE, over the portfolio's years."""
        return self._budget(None, None, None)

    def budget_for(
        self,
        from_year: int | None = None,
        to_year: int | None = None,
        system: str | None = None,
    ) -> Budget:
        """The budget between two years (default: the portfolio's), optionally of what touches
        one monopoly system and its replacers."""
        if from_year is None and to_year is None and system is None:
            return self.budget
        return self._budget(from_year, to_year, system)

    def _budget(self, from_year: int | None, to_year: int | None, system: str | None) -> Budget:
        from snitgraf.analysis.budget import budget_between, default_years, restrict_budget

        if system is not None:  # the whole budget's items of what the system touches
            whole = self.budget_for(from_year, to_year)
            return restrict_budget(whole, self.touched_by(system))
        first, last = default_years(self.gap, self.systems, self.today)
        start = from_year if from_year is not None else first
        end = to_year if to_year is not None else max(last, start)
        return budget_between(self.gap, self.systems, self.replacers, start, end)

    @cached_property
    def overdue(self) -> tuple[Action, ...]:
        """The plan's actions whose due date has passed (most urgent first)."""
        return tuple(a for a in self.plan if a.overdue)

    @cached_property
    def changes(self) -> tuple[SystemChange, ...]:
        """Every monopoly system of AS-IS with its replacers, go-live, interfaces, actions,
        broken needs and budget; the earliest go-live first, unknown go-live last."""
        result = []
        for sid, info in self.systems.items():
            if not info.monopoly or info.lifecycle == "to-be":
                continue
            replaced_by = self.replacers.get(sid, ())
            touched = self.touched_by(sid)
            counts = Counter(
                self.categories[i].category.code for i in touched if i in self.categories
            )
            statuses = Counter(row.status for row in self.gap if row.interface in touched)
            result.append(
                SystemChange(
                    system=sid,
                    name=info.name,
                    replaced_by=replaced_by,
                    go_live=_latest(self.systems[r].go_live for r in replaced_by),
                    categories={c: counts.get(c, 0) for c in category_counts(())},
                    gap={s: statuses.get(s, 0) for s in STATUSES},
                    actions=tuple(a for a in self.plan if a.interface in touched),
                    broken_needs=tuple(n for n in self.broken_needs if n.interface in touched),
                    budget=self.budget_for(system=sid),
                )
            )

        def by_go_live(change: SystemChange) -> tuple[bool, date, str]:
            when = parse_date(change.go_live) if change.go_live else None
            return (when is None, when.first_day() if when else date.max, change.name)

        return tuple(sorted(result, key=by_go_live))

    @cached_property
    def contract_municipalities(self) -> Mapping[str, str | None]:
        """Contract id -> the code of the municipality holding it (None: every municipality)."""
        return {a["id"]: a.get("municipality") for _k, a in nodes(self.graph, Label.CONTRACT)}

    @cached_property
    def municipality_names(self) -> Mapping[str, str]:
        """Municipality code -> its name (the code when the portfolio gives no name)."""
        return {
            a["id"]: str(a.get("name") or a["id"])
            for _k, a in nodes(self.catalogue, Label.MUNICIPALITY)
        }

    # --- impact ---------------------------------------------------------------------------

    def impact(
        self, system: str, replaced_by: str | None = None, depth: int | None = None
    ) -> Impact:
        """What breaks and what must be renegotiated if SYSTEM is replaced (planned TO-BE when
        the portfolio replaces or drops it and no other replacer is named; else hypothetical)."""
        from snitgraf.analysis.impact import impact_in_plan

        return impact_in_plan(self, system, replaced_by, depth)

    # --- the key figures ------------------------------------------------------------------

    @cached_property
    def contracts(self) -> int:
        """How many contracts the analysed graph holds."""
        return sum(1 for _k in nodes(self.graph, Label.CONTRACT))

    @cached_property
    def annual_cost_dkk(self) -> float:
        """The known annual cost of the analysed graph's contracts."""
        return float(
            sum(a.get("annual_cost_dkk") or 0.0 for _k, a in nodes(self.graph, Label.CONTRACT))
        )

    @cached_property
    def summary(self) -> Summary:
        """The run's key figures: every page and CSV of the main job shows these numbers."""
        shown = self.categorised("all")
        gap_counts = Counter(row.status for row in self.gap)
        budget = tuple((row.year, row.state, row.payer, row.known_dkk) for row in self.budget.rows)
        return Summary(
            interfaces=len(shown),
            categories=category_counts(shown),
            gap={status: gap_counts.get(status, 0) for status in STATUSES},
            broken_needs=len(self.broken_needs),
            plan_actions=len(self.plan),
            contracts=self.contracts,
            annual_cost_dkk=self.annual_cost_dkk,
            budget=budget,
            municipality=self.municipality,
            needs_decision=tuple(c for c in shown if c.category.code == "unclassified"),
            assumed=tuple(c for c in shown if c.assumptions and c.category.code != "unclassified"),
            scenario=self.scenario,
        )
