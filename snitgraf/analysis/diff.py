"""What changed between two assessed portfolios, and what that does to the plan.

`portfolio_diff(old, new)` compares two finished `Assessment`s: the inventory (suppliers,
systems, interfaces, usages, contracts, deployments) field by field, the interfaces whose
category changes (old and new reasons side by side), the plan's actions (matched by a stable
key), the budget per year, state and payer, and the broken needs. It reads only what the
assessments derived, so a diff and `plan`/`budget` of either side show the same numbers.

>>> with Assessment.open("old") as old, Assessment.open("new") as new:
...     changes = portfolio_diff(old, new)
...     changes.changed              # False: `snitgraf diff` exits 0
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from snitgraf.analysis.budget import Budget
from snitgraf.analysis.needs import BrokenNeed
from snitgraf.analysis.plan import Action
from snitgraf.graph import edges, nodes
from snitgraf.scenario import Scenario
from snitgraf.schema import NODE_SPECS, REL_SPECS, Label, PortfolioGraph, Rel
from snitgraf.values import PartialDate, json_amount

if TYPE_CHECKING:
    from snitgraf.assessment import Assessment

Change = Literal["added", "removed", "changed"]
CHANGES: tuple[Change, ...] = ("added", "removed", "changed")

Kind = Literal["suppliers", "systems", "interfaces", "usages", "contracts", "deployments"]
KINDS: tuple[Kind, ...] = (
    "suppliers",
    "systems",
    "interfaces",
    "usages",
    "contracts",
    "deployments",
)
"""The kinds of inventory row a diff compares, in the order it lists them."""

ACTION_FIELDS = ("actor", "due")
"""What a matched plan action can change: its owner and its due date."""

Key = tuple[tuple[str, str | None], ...]
"""What identifies a row across the two portfolios, as (name, value) pairs: (("id", "x"),)."""


@dataclass(frozen=True)
class FieldChange:
    """One field of a row: its old and its new value (None: not set)."""

    field: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        """JSON object of a field change."""
        return {"field": self.field, "old": _json_value(self.old), "new": _json_value(self.new)}


@dataclass(frozen=True)
class RowChange:
    """An inventory row added, removed or changed, with the fields that differ (for an added
    row its values, for a removed row what it had)."""

    kind: Kind
    change: Change
    key: Key
    name: str | None
    fields: tuple[FieldChange, ...]

    @property
    def label(self) -> str:
        """The row as people name it: its id, or 'system -> interface (municipality)'."""
        values = dict(self.key)
        if self.kind == "usages":
            text = f"{values['system']} -> {values['interface']}"
            return text + (f" ({values['municipality']})" if values.get("municipality") else "")
        if self.kind == "deployments":
            return f"{values['municipality']}: {values['system']}"
        return str(values["id"])

    def to_json(self) -> dict[str, Any]:
        """JSON object of a row change (keys are a user contract)."""
        return {
            "change": self.change,
            **dict(self.key),
            "name": self.name,
            "fields": [f.to_json() for f in self.fields],
        }


@dataclass(frozen=True)
class CategoryChange:
    """An interface in both portfolios whose category changes, with both sets of reasons."""

    interface: str
    name: str
    old_category: str
    new_category: str
    old_reasons: tuple[str, ...]
    new_reasons: tuple[str, ...]
    old_suppliers: tuple[str, ...]
    new_suppliers: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """JSON object of a category change (keys are a user contract)."""
        return {
            "interface": self.interface,
            "name": self.name,
            "old": {
                "category": self.old_category,
                "suppliers": list(self.old_suppliers),
                "reasons": list(self.old_reasons),
            },
            "new": {
                "category": self.new_category,
                "suppliers": list(self.new_suppliers),
                "reasons": list(self.new_reasons),
            },
        }


@dataclass(frozen=True)
class ActionChange:
    """A plan action that appears, disappears, or changes owner or due date; matched across
    the two plans by its monopoly system, interface, kind and contract."""

    change: Change
    old: Action | None
    new: Action | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def action(self) -> Action:
        """The action as it stands (the new one, or the old one when it disappeared)."""
        found = self.new or self.old
        assert found is not None
        return found

    def to_json(self) -> dict[str, Any]:
        """JSON object of an action change (keys are a user contract)."""
        action = self.action
        return {
            "change": self.change,
            "group": action.group,
            "interface": action.interface,
            "action": action.action,
            "contract": action.contract,
            "title": action.title,
            "interface_name": action.interface_name,
            "old": None if self.old is None else self.old.to_json(),
            "new": None if self.new is None else self.new.to_json(),
            "fields": [f.to_json() for f in self.fields],
        }


@dataclass(frozen=True)
class BudgetChange:
    """The known annual cost of one year, state and payer (or `total`), before and after."""

    year: int
    state: str
    payer: str
    old_dkk: float
    new_dkk: float

    @property
    def change_dkk(self) -> float:
        """How much more (positive) or less the new portfolio's figure is (to the øre)."""
        return round(self.new_dkk - self.old_dkk, 2)

    def to_json(self) -> dict[str, Any]:
        """JSON object of a budget change (keys are a user contract)."""
        return {
            "year": self.year,
            "state": self.state,
            "payer": self.payer,
            "old_dkk": json_amount(self.old_dkk),
            "new_dkk": json_amount(self.new_dkk),
            "change_dkk": json_amount(self.change_dkk),
        }


@dataclass(frozen=True)
class PortfolioDiff:
    """Everything that differs between an OLD and a NEW portfolio, and its consequences."""

    old_source: str
    new_source: str
    rows: tuple[RowChange, ...]
    categories: tuple[CategoryChange, ...]
    actions: tuple[ActionChange, ...]
    budget: tuple[BudgetChange, ...]
    new_needs: tuple[BrokenNeed, ...]
    resolved_needs: tuple[BrokenNeed, ...]
    from_year: int
    to_year: int
    old_scenario: Scenario = field(default_factory=Scenario)
    new_scenario: Scenario = field(default_factory=Scenario)
    """NEW's what-if go-lives (`diff --go-live`): the plan as it stands against the scenario.
    The inventory shows each portfolio as stated; the consequences assume the scenario."""

    @property
    def changed(self) -> bool:
        """True when anything differs (`snitgraf diff` then exits 1)."""
        return bool(
            self.rows
            or self.categories
            or self.actions
            or self.budget
            or self.new_needs
            or self.resolved_needs
        )

    def rows_of(self, kind: Kind, change: Change | None = None) -> tuple[RowChange, ...]:
        """The row changes of one kind (optionally only added, removed or changed)."""
        return tuple(
            r for r in self.rows if r.kind == kind and (change is None or r.change == change)
        )

    def actions_of(self, change: Change) -> tuple[ActionChange, ...]:
        """The plan actions that appear, disappear or change."""
        return tuple(a for a in self.actions if a.change == change)

    @property
    def counts(self) -> dict[str, Any]:
        """The headline figures: per kind of row and of action, how many were added, removed
        and changed; the category flips, budget cells and broken needs."""
        return {
            **{kind: {c: len(self.rows_of(kind, c)) for c in CHANGES} for kind in KINDS},
            "categories": len(self.categories),
            "plan_actions": {c: len(self.actions_of(c)) for c in CHANGES},
            "budget": len(self.budget),
            "broken_needs": {"new": len(self.new_needs), "resolved": len(self.resolved_needs)},
        }

    def to_json(self) -> dict[str, Any]:
        """The JSON document `diff --format json` prints (keys are a user contract)."""
        return {
            "old": self.old_source,
            "new": self.new_source,
            "changed": self.changed,
            "counts": self.counts,
            "inventory": {
                kind: {c: [r.to_json() for r in self.rows_of(kind, c)] for c in CHANGES}
                for kind in KINDS
            },
            "categories": [c.to_json() for c in self.categories],
            "plan_actions": {c: [a.to_json() for a in self.actions_of(c)] for c in CHANGES},
            "budget": {
                "from_year": self.from_year,
                "to_year": self.to_year,
                "changes": [b.to_json() for b in self.budget],
            },
            "broken_needs": {
                "new": [n.to_json() for n in self.new_needs],
                "resolved": [n.to_json() for n in self.resolved_needs],
            },
            "go_live_overrides": {
                "old": self.old_scenario.to_json(),
                "new": self.new_scenario.to_json(),
            },
        }


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value


# --- the inventory ------------------------------------------------------------------------

_NODE_KINDS: tuple[tuple[Kind, Label], ...] = (
    ("suppliers", Label.SUPPLIER),
    ("systems", Label.SYSTEM),
    ("interfaces", Label.INTERFACE),
    ("contracts", Label.CONTRACT),
)
_HIDDEN = frozenset({"label", "id", "type"})
"""Attributes every node or edge has that say nothing about the row itself."""

Rows = dict[Key, tuple[str | None, dict[str, Any]]]
"""Rows of one kind: key -> (name, fields)."""


def _fields(attrs: Mapping[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    """A node's or edge's properties as comparable values (lists become tuples), the schema's
    properties in its order, then extra columns by name: the same on every backend."""
    rank = {name: index for index, name in enumerate(known)}
    names = sorted(
        (n for n in attrs if n not in _HIDDEN and attrs[n] is not None),
        key=lambda n: (rank.get(n, len(rank)), n),
    )
    return {n: tuple(attrs[n]) if isinstance(attrs[n], list) else attrs[n] for n in names}


def inventory_rows(graph: PortfolioGraph) -> dict[Kind, Rows]:
    """Every row of a portfolio graph by kind and key, with its fields: what the diff compares.

    A system's `replaces` comes from its REPLACES edges; a usage is keyed by interface, system
    and municipality, a deployment by municipality and system."""
    found: dict[Kind, Rows] = {kind: {} for kind in KINDS}
    for kind, label in _NODE_KINDS:
        for _key, attrs in nodes(graph, label):
            name = attrs.get("name") if kind != "contracts" else None
            fields = _fields(attrs, NODE_SPECS[label].properties)
            found[kind][(("id", attrs["id"]),)] = (name, fields)
    replaces: dict[str, list[str]] = {}
    for source, target, _attrs in edges(graph, Rel.REPLACES):
        replaces.setdefault(source[1], []).append(target[1])
    for key, (_name, stated) in found["systems"].items():
        replaced = replaces.get(str(key[0][1]))
        if replaced:
            stated["replaces"] = tuple(sorted(replaced))
    for user, interface, attrs in edges(graph, Rel.USES):
        usage: Key = (
            ("interface", interface[1]),
            ("system", user[1]),
            ("municipality", attrs.get("municipality")),
        )
        fields = _fields(attrs, REL_SPECS[Rel.USES].properties)
        fields.pop("municipality", None)
        found["usages"][_unique(found["usages"], usage)] = (None, fields)
    for municipality, deployed, _attrs in edges(graph, Rel.DEPLOYS):
        deployment: Key = (("municipality", municipality[1]), ("system", deployed[1]))
        found["deployments"][deployment] = (None, {})
    return found


def as_stated(rows: dict[Kind, Rows], scenario: Scenario) -> dict[Kind, Rows]:
    """The inventory with each overridden system's go-live as the portfolio states it (a
    scenario writes its dates onto the graph; the diff of the inventory is of the data)."""
    for override in scenario.overrides:
        found = rows["systems"].get((("id", override.system),))
        if found is None:
            continue
        if override.portfolio is None:
            found[1].pop("go_live", None)
        else:
            found[1]["go_live"] = str(override.portfolio)
    return rows


def _unique(rows: Mapping[Key, Any], key: Key) -> Key:
    """The key, or with a `#n` occurrence when the portfolio states the same row twice."""
    if key not in rows:
        return key
    n = 2
    while (*key, ("occurrence", str(n))) in rows:
        n += 1
    return (*key, ("occurrence", str(n)))


def row_changes(old: Mapping[Kind, Rows], new: Mapping[Kind, Rows]) -> tuple[RowChange, ...]:
    """Rows added, removed and changed between two inventories: kind by kind, added first,
    then removed, then changed, each sorted by key."""
    result: list[RowChange] = []
    for kind in KINDS:
        found: list[RowChange] = []
        before, after = old.get(kind, {}), new.get(kind, {})
        for key in sorted(before.keys() | after.keys(), key=_key_order):
            if key not in before:
                name, fields = after[key]
                found.append(RowChange(kind, "added", key, name, _set_fields({}, fields)))
            elif key not in after:
                name, fields = before[key]
                found.append(RowChange(kind, "removed", key, name, _set_fields(fields, {})))
            else:
                differ = _set_fields(before[key][1], after[key][1])
                if differ:
                    found.append(RowChange(kind, "changed", key, after[key][0], differ))
        result += sorted(found, key=lambda r: CHANGES.index(r.change))
    return tuple(result)


def _key_order(key: Key) -> tuple[str, ...]:
    return tuple(value or "" for _name, value in key)


def _set_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    """The fields whose value differs (a missing field is None), in the rows' own order."""
    names = list(dict.fromkeys([*new, *old]))
    return tuple(
        FieldChange(name, old.get(name), new.get(name))
        for name in names
        if old.get(name) != new.get(name)
    )


# --- consequences -------------------------------------------------------------------------


def category_changes(old: Assessment, new: Assessment) -> tuple[CategoryChange, ...]:
    """Interfaces shown in both portfolios whose category differs, by interface id."""
    before = {c.interface: c for c in old.categorised("all")}
    result = []
    for after in new.categorised("all"):
        was = before.get(after.interface)
        if was is None or was.category.code == after.category.code:
            continue
        result.append(
            CategoryChange(
                interface=after.interface,
                name=after.name,
                old_category=was.category.code,
                new_category=after.category.code,
                old_reasons=was.reasons,
                new_reasons=after.reasons,
                old_suppliers=was.suppliers,
                new_suppliers=after.suppliers,
            )
        )
    return tuple(result)


ActionKey = tuple[str, str, str, str, int]
"""(monopoly system, interface, action kind, contract, occurrence): an action across runs."""


def action_keys(actions: Iterable[Action]) -> dict[ActionKey, Action]:
    """The plan's actions by their stable key (a repeat of the same key counts up)."""
    found: dict[ActionKey, Action] = {}
    for action in actions:
        n = 0
        while (
            key := (action.group, action.interface, action.action, action.contract or "", n)
        ) in (found):
            n += 1
        found[key] = action
    return found


def action_changes(old: Iterable[Action], new: Iterable[Action]) -> tuple[ActionChange, ...]:
    """Plan actions that appear, disappear, or change owner or due date: the new plan's order
    first (its urgency), then what disappeared in the old plan's order."""
    before, after = action_keys(old), action_keys(new)
    result: list[ActionChange] = []
    for key, action in after.items():
        was = before.get(key)
        if was is None:
            result.append(ActionChange("added", None, action))
            continue
        differ = tuple(
            FieldChange(name, getattr(was, name), getattr(action, name))
            for name in ACTION_FIELDS
            if getattr(was, name) != getattr(action, name)
        )
        if differ:
            result.append(ActionChange("changed", was, action, differ))
    result += [ActionChange("removed", a, None) for k, a in before.items() if k not in after]
    return tuple(result)


def budget_changes(old: Assessment, new: Assessment) -> tuple[int, int, tuple[BudgetChange, ...]]:
    """Both budgets over the years either covers; the (year, state, payer) cells whose known
    cost differs, in year, state and payer order."""
    first = min(old.budget.from_year, new.budget.from_year)
    last = max(old.budget.to_year, new.budget.to_year)
    before = _cells(_budget_over(old, first, last).rows)
    after = _cells(_budget_over(new, first, last).rows)
    changes = [
        BudgetChange(year, state, payer, before.get(cell, 0.0), after.get(cell, 0.0))
        for cell in sorted(before.keys() | after.keys(), key=_cell_order)
        for year, state, payer in (cell,)
        if abs(before.get(cell, 0.0) - after.get(cell, 0.0)) >= 0.005
    ]
    return first, last, tuple(changes)


def _budget_over(assessment: Assessment, first: int, last: int) -> Budget:
    """The assessment's budget over these years: its own when it covers exactly them (derived
    once, as `budget` shows it), else derived for them."""
    whole = assessment.budget
    if (whole.from_year, whole.to_year) == (first, last):
        return whole
    return assessment.budget_for(first, last)


def _cells(rows: Iterable[Any]) -> dict[tuple[int, str, str], float]:
    return {(row.year, row.state, row.payer): row.known_dkk for row in rows}


_STATE_ORDER = {"as-is": 0, "to-be": 1}
_PAYER_ORDER = {"kommune": 0, "KOMBIT": 1, "undecided": 2, "total": 3}


def _cell_order(cell: tuple[int, str, str]) -> tuple[int, int, int, str]:
    year, state, payer = cell
    return (year, _STATE_ORDER.get(state, 9), _PAYER_ORDER.get(payer, 9), payer)


def need_changes(
    old: Iterable[BrokenNeed], new: Iterable[BrokenNeed]
) -> tuple[tuple[BrokenNeed, ...], tuple[BrokenNeed, ...]]:
    """(new, resolved) broken needs, matched by system, interface and data."""

    def keyed(needs: Iterable[BrokenNeed]) -> dict[tuple[str, str, str], BrokenNeed]:
        return {(n.system, n.interface, n.data): n for n in needs}

    before, after = keyed(old), keyed(new)
    return (
        tuple(n for k, n in after.items() if k not in before),
        tuple(n for k, n in before.items() if k not in after),
    )


def _source(assessment: Assessment) -> str:
    return str(assessment.catalogue.graph.get("source") or "")


def portfolio_diff(
    old: Assessment, new: Assessment, sources: tuple[str, str] | None = None
) -> PortfolioDiff:
    """What differs between two assessed portfolios (each with its own options: a NEW opened
    with a go-live scenario compares the plan as it stands with the scenario)."""
    first, last, budget = budget_changes(old, new)
    new_needs, resolved = need_changes(old.broken_needs, new.broken_needs)
    old_source, new_source = sources or (_source(old), _source(new))
    return PortfolioDiff(
        old_source=old_source,
        new_source=new_source,
        rows=row_changes(
            as_stated(inventory_rows(old.graph), old.scenario),
            as_stated(inventory_rows(new.graph), new.scenario),
        ),
        categories=category_changes(old, new),
        actions=action_changes(old.plan, new.plan),
        budget=budget,
        new_needs=new_needs,
        resolved_needs=resolved,
        from_year=first,
        to_year=last,
        old_scenario=old.scenario,
        new_scenario=new.scenario,
    )


def diff_portfolios(
    old: str,
    new: str,
    *,
    scope: str | None = None,
    new_scope: str | None = None,
    database: str | None = None,
    municipality: str | None = None,
    today: date | None = None,
    kombit_offer_date: PartialDate | None = None,
    new_options: Mapping[str, Any] | None = None,
    opened: Callable[[Assessment], None] | None = None,
) -> PortfolioDiff:
    """Open OLD and NEW (folders, workbooks or Neo4j URIs; NEW's scope defaults to OLD's),
    assess both with the same options, and diff them. `new_options` go to NEW's
    `Assessment.open` only (a what-if on NEW); `opened` sees each assessment once opened."""
    from snitgraf.assessment import Assessment

    shared: dict[str, Any] = {
        "database": database,
        "municipality": municipality,
        "today": today,
        "kombit_offer_date": kombit_offer_date,
    }
    with Assessment.open(old, scope=scope, **shared) as before:
        if opened:
            opened(before)
        after_scope = new_scope if new_scope is not None else scope
        with Assessment.open(new, scope=after_scope, **shared, **(new_options or {})) as after:
            if opened:
                opened(after)
            sources = (source_label(old, scope), source_label(new, after_scope))
            return portfolio_diff(before, after, sources)


def source_label(portfolio: str, scope: str | None) -> str:
    """How a diff names a portfolio: its path, or a Neo4j URI without credentials and its
    scope."""
    from urllib.parse import urlsplit

    from snitgraf.backends import is_neo4j_uri

    if not is_neo4j_uri(portfolio):
        return portfolio
    parts = urlsplit(portfolio)
    host = parts.hostname or ""
    shown = f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")
    return f"{shown} [{scope}]" if scope else shown
