"""The budget: annual interface cost per year and per payer, in AS-IS and in TO-BE.

Rules (each figure lists the contracts behind it and why):
- AS-IS: every contract covering an AS-IS interface costs its annual amount every year; after
  its expiry it is assumed renewed at the same cost (the interface stays). Today the
  municipality holds its contracts, so the payer is `kommune`.
- TO-BE, year by year through the transition. An interface switches in the year its replacement
  goes live (the latest go-live of the systems taking over its roles; an interface no move
  touches switches when TO-BE begins: the earliest go-live of any replacing system):
  - kept, repointed: the contract costs the same every year (assumed renewed); before the
    switch the municipality pays, from the switch on the payer of its TO-BE category
    (`kombit-98` -> KOMBIT, `common-*`/`municipal` -> kommune, `unclassified` -> undecided);
  - retired: the contract is paid by the municipality until it expires, or until the switch
    when it expires earlier (the plan extends it until go-live); nothing after;
  - new: its contracts cost from the switch on, paid as its TO-BE category says.
- A year counts a contract's full annual cost when the contract is in force for any part of
  it (an upper bound). Unknown costs are never 0: they are listed in `unknown_cost`; interfaces
  with no contract at all are listed in `uncontracted` (their cost is not known either).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from snitgraf.analysis.categorise import CATEGORIES
from snitgraf.analysis.plan import SystemInfo, as_partial, system_infos
from snitgraf.analysis.transition import GapRow, transition
from snitgraf.i18n import _, format_date
from snitgraf.problems import SnitgrafError
from snitgraf.schema import PortfolioGraph
from snitgraf.values import PartialDate, json_amount
from snitgraf.words import word

STATES = ("as-is", "to-be")
PAYERS = ("kommune", "KOMBIT", "undecided")
TOTAL = "total"


@dataclass(frozen=True)
class BudgetItem:
    """One contract's (or one uncontracted interface's) share of a figure, and why."""

    contract: str | None
    interface: str
    annual_cost_dkk: float | None
    reason: str

    def order(self) -> tuple[bool, str, str, str]:
        """Where the item sorts in a figure: by contract (none last), interface, reason."""
        return (self.contract is None, self.contract or "", self.interface, self.reason)

    def to_json(self) -> dict[str, Any]:
        """JSON object of an item."""
        return {
            "contract": self.contract,
            "interface": self.interface,
            "annual_cost_dkk": json_amount(self.annual_cost_dkk),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class BudgetRow:
    """The cost of one year, in one state, for one payer (or `total`)."""

    year: int
    state: str
    payer: str
    items: tuple[BudgetItem, ...]

    @cached_property
    def _tally(self) -> tuple[float, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """The known sum, the contracts, those of unknown cost and the uncontracted
        interfaces, in one pass over the items (a national figure holds thousands, and the
        report reads all four of every figure)."""
        known: list[float] = []
        contracts: dict[str, None] = {}
        unknown: dict[str, None] = {}
        uncontracted: list[str] = []
        for item in self.items:
            cost, contract = item.annual_cost_dkk, item.contract
            if cost:
                known.append(cost)
            if contract:
                contracts[contract] = None
                if cost is None:
                    unknown[contract] = None
            elif contract is None:
                uncontracted.append(item.interface)
        return float(sum(known)), tuple(contracts), tuple(unknown), tuple(uncontracted)

    @property
    def known_dkk(self) -> float:
        """The sum of the known annual costs."""
        return self._tally[0]

    @property
    def contracts(self) -> tuple[str, ...]:
        """The contracts behind the figure."""
        return self._tally[1]

    @property
    def unknown_cost(self) -> tuple[str, ...]:
        """Contracts in force whose annual cost is unknown."""
        return self._tally[2]

    @property
    def uncontracted(self) -> tuple[str, ...]:
        """Interfaces in the state with no contract (cost not known)."""
        return self._tally[3]

    def to_json(self) -> dict[str, Any]:
        """JSON object of a row."""
        return {
            "year": self.year,
            "state": self.state,
            "payer": self.payer,
            "known_dkk": json_amount(self.known_dkk),
            "contracts": list(self.contracts),
            "unknown_cost_count": len(self.unknown_cost),
            "unknown_cost": list(self.unknown_cost),
            "uncontracted_count": len(self.uncontracted),
            "uncontracted": list(self.uncontracted),
            "items": [i.to_json() for i in self.items],
        }


Span = tuple[str, str, int, int, BudgetItem]
"""(state, payer, first year, last year, item): an item counted in every year of a span."""


@dataclass(frozen=True)
class Budget:
    """Annual cost per year, state and payer, from `from_year` to `to_year` inclusive."""

    from_year: int
    to_year: int
    rows: tuple[BudgetRow, ...]
    reasons: tuple[str, ...]
    spans: tuple[Span, ...] = ()
    """The spans the rows are made of, in item order: a part of the budget is made from its
    spans, not by sifting every row's items."""

    @cached_property
    def _by_key(self) -> dict[tuple[int, str, str], BudgetRow]:
        return {(row.year, row.state, row.payer): row for row in self.rows}

    def row(self, year: int, state: str, payer: str = TOTAL) -> BudgetRow:
        """The row of a year, state and payer (an empty row when nothing is there)."""
        found = self._by_key.get((year, state, payer))
        return found if found is not None else BudgetRow(year, state, payer, ())

    def to_json(self) -> dict[str, Any]:
        """The JSON object `budget --format json` prints (keys are a user contract)."""
        return {
            "from_year": self.from_year,
            "to_year": self.to_year,
            "rows": [r.to_json() for r in self.rows],
            "reasons": list(self.reasons),
        }


def _contract_text(contract: str | None, interface: str) -> str:
    """What a budget item is about: a contract, or an interface without one."""
    if contract:
        return _("contract {contract}").format(contract=contract)
    return _("{interface} has no contract").format(interface=interface)


def _payer(category: str | None) -> str:
    pays = CATEGORIES[category].payer if category in CATEGORIES else "—"
    return pays if pays in ("kommune", "KOMBIT") else "undecided"


def _year(text: str | None) -> int | None:
    value = as_partial(text)
    return value.year if value else None


def default_years(
    rows: Iterable[GapRow], systems: Mapping[str, SystemInfo], today: date | None = None
) -> tuple[int, int]:
    """From the earliest to one year after the latest go-live or contract expiry; with no
    dates, this year and the four after it."""
    years = [y for s in systems.values() if (y := _year(s.go_live)) is not None]
    years += [y for r in rows for c in r.contracts if (y := _year(c.expires)) is not None]
    if not years:
        this = (today or date.today()).year
        return this, this + 4
    return min(years), max(years) + 1


def _switch_date(
    replaced: Iterable[str],
    systems: Mapping[str, SystemInfo],
    replacers: Mapping[str, tuple[str, ...]],
) -> PartialDate | None:
    """The latest go-live of the systems replacing any of `replaced` (None: none known)."""
    dates = [
        d
        for old in replaced
        for r in replacers.get(old, ())
        if (d := as_partial(systems[r].go_live)) is not None
    ]
    return max(dates, key=lambda d: (d.last_day(), d.first_day())) if dates else None


def _months_before(switch: PartialDate | None) -> int:
    """Months of the switch year paid before the switch: 0 when only the year is known."""
    if switch is None or switch.month is None:
        return 0
    return switch.month - 1


def _contract_spans(
    row: GapRow, contract: Any, switch: PartialDate | None, first: int, last: int
) -> Iterator[Span]:
    """The spans of one contract of a gap row (or of the row alone when it has no contract)
    between two years: its AS-IS cost every year, its TO-BE cost by the row's status and
    switch. Each item is made once and counted in every year it is in force."""
    cost = contract.annual_cost_dkk if contract else None
    cid = contract.id if contract else None
    what = _contract_text(cid, row.interface)
    payer_after = _payer(row.category_to_be)
    switch_year = switch.year if switch is not None else None

    def item(reason: str, amount: float | None = cost) -> BudgetItem:
        return BudgetItem(cid, row.interface, amount, reason)

    if row.in_as_is:
        yield (
            "as-is",
            "kommune",
            first,
            last,
            item(
                _(
                    "{what}: AS-IS, held by the municipality; assumed renewed at "
                    "the same cost after expiry"
                ).format(what=what)
            ),
        )
    if row.status == "retired":
        expires = _year(contract.expires) if contract else None
        if expires is None and switch_year is None:
            until, why = None, _("expiry and go-live unknown: assumed to run on")
        elif expires is None:
            until, why = (
                switch_year,
                _("expiry unknown: assumed to run until {date}").format(date=format_date(switch)),
            )
        elif switch_year is None or expires >= switch_year:
            until, why = (
                expires,
                _("retired; runs until it expires ({year})").format(year=expires),
            )
        else:
            until, why = (
                switch_year,
                _("expires {year}, extended until go-live {date}").format(
                    year=expires, date=format_date(switch)
                ),
            )
        end = last if until is None else min(last, until)
        if first <= end:
            yield (
                "to-be",
                "kommune",
                first,
                end,
                item(_("{what}: {why}; kommune pays").format(what=what, why=why)),
            )
        return
    if row.status == "new":
        start = first if switch_year is None else max(first, switch_year)
        if start <= last:
            yield (
                "to-be",
                payer_after,
                start,
                last,
                item(
                    _(
                        "{what}: new interface from {date}; category {category}: {payer} pays"
                    ).format(
                        what=what,
                        date=format_date(switch),
                        category=row.category_to_be,
                        payer=word(payer_after),
                    )
                ),
            )
        return
    if switch_year is None:
        late_from = first
    else:
        before = _months_before(switch)
        split = bool(before) and payer_after != "kommune"
        if first <= switch_year - 1:
            why = _("before the switch ({date}) the municipality pays").format(
                date=format_date(switch)
            )
            yield "to-be", "kommune", first, min(last, switch_year - 1), item(f"{what}: {why}")
        if split and first <= switch_year <= last:
            after = 12 - before
            yield (
                "to-be",
                "kommune",
                switch_year,
                switch_year,
                item(
                    _(
                        "{what}: {months} of 12 months before go-live ({date}): "
                        "the municipality pays"
                    ).format(what=what, months=before, date=format_date(switch)),
                    None if cost is None else cost * before / 12,
                ),
            )
            yield (
                "to-be",
                payer_after,
                switch_year,
                switch_year,
                item(
                    _(
                        "{what}: {months} of 12 months from go-live ({date}); "
                        "category {category}: {payer} pays"
                    ).format(
                        what=what,
                        months=after,
                        date=format_date(switch),
                        category=row.category_to_be,
                        payer=word(payer_after),
                    ),
                    None if cost is None else cost * after / 12,
                ),
            )
        late_from = max(first, switch_year + 1 if split else switch_year)
    if late_from <= last:
        switch_text = (
            _("switches in {date}").format(date=format_date(switch))
            if switch is not None
            else _("no go-live date: never switches")
        )
        why = _("{status}, {switch}; category {category}: {payer} pays").format(
            status=word(row.status),
            switch=switch_text,
            category=row.category_to_be,
            payer=word(payer_after),
        )
        yield "to-be", payer_after, late_from, last, item(f"{what}: {why}")


def budget_between(
    rows: Iterable[GapRow],
    systems: Mapping[str, SystemInfo],
    replacers: Mapping[str, tuple[str, ...]],
    from_year: int,
    to_year: int,
) -> Budget:
    """The budget from gap rows, systems and replacements (pure).

    A contract whose payer changes at a go-live known to the month is split in the go-live
    year: the months before it are paid by the AS-IS payer, the rest by the TO-BE payer."""
    if from_year > to_year:
        raise SnitgrafError(
            _("--from {first} is after --to {last}").format(first=from_year, last=to_year)
        )
    rows = list(rows)
    starts = [d for old in replacers if (d := _switch_date((old,), systems, replacers))]
    transition_start = min(starts, key=lambda d: (d.first_day(), d.last_day())) if starts else None
    spans: list[Span] = []
    years = range(from_year, to_year + 1)

    for row in rows:
        if not row.in_as_is and not row.in_to_be:
            continue
        switch = _switch_date({m.from_system for m in row.moves}, systems, replacers)
        if row.status == "new":
            own = [
                d
                for s in (*row.providers_to_be, *row.users_to_be)
                if (d := as_partial(systems[s].go_live)) is not None
            ]
            if switch is not None:
                own.append(switch)
            switch = max(own, key=lambda d: (d.last_day(), d.first_day())) if own else None
        if switch is None:
            switch = transition_start
        for contract in row.contracts or (None,):
            for state, payer, first, last, item in _contract_spans(
                row, contract, switch, from_year, to_year
            ):
                spans += ((state, payer, first, last, item), (state, TOTAL, first, last, item))
    spans.sort(key=lambda span: span[4].order())  # once: every year's figure keeps this order
    reasons = (
        _("AS-IS: every contract assumed renewed at the same cost; the municipality pays"),
        _(
            "TO-BE: interfaces switch at the go-live of their replacement (TO-BE begins {date})"
        ).format(date=format_date(transition_start))
        if transition_start
        else _("TO-BE: interfaces switch at the go-live of their replacement"),
        _(
            "a go-live known to the month splits its year: the months before it are paid by the "
            "municipality, the rest by the TO-BE payer"
        ),
        _("a contract in force for any part of a year counts its full annual cost (upper bound)"),
        _("unknown costs are listed (unknown_cost, uncontracted), never counted as 0"),
    )
    return Budget(from_year, to_year, _rows(spans, years), reasons, tuple(spans))


def _rows(spans: Iterable[Span], years: range) -> tuple[BudgetRow, ...]:
    """The figures of every year, state and payer (a total for each year and state, even when
    empty) from spans sorted in item order: each span put in the years it covers, once."""
    cells: dict[tuple[int, str, str], list[BudgetItem]] = defaultdict(list)
    low, high = years.start, years.stop - 1
    for state, payer, first, last, item in spans:
        for year in range(max(first, low), min(last, high) + 1):
            cells[(year, state, payer)].append(item)
    result: list[BudgetRow] = []
    for year in years:
        for state in STATES:
            for payer in (*PAYERS, TOTAL):
                items = cells.get((year, state, payer))
                if items or payer == TOTAL:
                    result.append(BudgetRow(year, state, payer, tuple(items or ())))
    return tuple(result)


def restrict_budget(budget: Budget, interfaces: Collection[str]) -> Budget:
    """The part of a budget that concerns some interfaces: each figure's items of those
    interfaces (a figure per interface depends on no other interface, so this is the budget
    of those interfaces alone)."""
    wanted = frozenset(interfaces)
    spans = tuple(span for span in budget.spans if span[4].interface in wanted)
    years = range(budget.from_year, budget.to_year + 1)
    return Budget(budget.from_year, budget.to_year, _rows(spans, years), budget.reasons, spans)


def budget(
    graph: PortfolioGraph,
    from_year: int | None = None,
    to_year: int | None = None,
) -> Budget:
    """The budget of a full graph (every lifecycle) from `from_year` to `to_year` inclusive;
    missing years default to the portfolio's earliest and latest dates (see `default_years`).
    The CLI's runs go through `snitgraf.assessment.Assessment.budget_for`."""
    state = transition(graph)
    systems = system_infos(state.graph)
    first, last = default_years(state.gap, systems)
    from_year = from_year if from_year is not None else first
    to_year = to_year if to_year is not None else max(last, from_year)
    return budget_between(state.gap, systems, state.derivation.replacers, from_year, to_year)
