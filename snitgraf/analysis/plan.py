"""The action plan: dated actions, most urgent first, grouped by monopoly system in the order its
replacement goes live (the seed: "first priority KMD Aktiv, KMD Dagpenge and KMD Sag").

Actions (each with its reasons):
- `find-contract`: a contract's expiry is unknown (`??`); due now;
- `decide-category`: the interface is `unclassified`; due now (it decides who negotiates);
- `extend-until-go-live`: a contract may expire before the replacing system goes live; due by
  the contract's expiry;
- `give-notice`: the TO-BE retires the interface; due by the contract's expiry (or go-live when
  the contract is extended until then);
- `negotiate`: a role of the interface moves to the new system; KOMBIT or the municipality
  negotiates according to the interface's category; due by the new system's go-live. The seed's
  exception: for `common-must`, when a contract covering the interface expires (so the
  municipality must tender) before KOMBIT's offer date, the municipality negotiates itself;
- `find-source`: a broken need (`snitgraf.analysis.needs`): a system needs data in TO-BE that
  nothing provides there; the owner its category gives finds or negotiates a new source, due by
  the go-live of the system that needs it;
- `establish`: a new TO-BE interface; established by the go-live of its systems, by the owner
  its category gives.

Dates keep their precision. When two dates overlap (a contract expiring '2017' against a go-live
'2017-06') the order is ambiguous; the plan then assumes the risky order and says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from snitgraf.analysis.categorise import CATEGORIES
from snitgraf.analysis.needs import BrokenNeed, broken_needs
from snitgraf.analysis.transition import ContractRef, GapRow, transition
from snitgraf.graph import nodes
from snitgraf.i18n import N_, _, format_date
from snitgraf.schema import Label, PortfolioGraph
from snitgraf.values import PartialDate, json_amount, parse_date

ActionCode = Literal[
    "find-contract",
    "decide-category",
    "find-source",
    "extend-until-go-live",
    "give-notice",
    "negotiate",
    "establish",
]
ACTION_TITLES: dict[str, str] = {
    "find-contract": N_("find the contract"),
    "decide-category": N_("decide the category"),
    "find-source": N_("find or negotiate a new source for the data"),
    "extend-until-go-live": N_("extend until go-live"),
    "give-notice": N_("give notice"),
    "negotiate": N_("negotiate the interface with the new system"),
    "establish": N_("establish the new interface"),
}
"""Action code -> msgid of its title (translated where shown: `Action.title`)."""
ACTION_ORDER = tuple(ACTION_TITLES)
Order = Literal["before", "not-before", "ambiguous"]


def as_partial(value: PartialDate | date | str | None) -> PartialDate | None:
    """A PartialDate from a date, a PartialDate or its text ('2017', '2017-06', '??')."""
    if value is None or isinstance(value, PartialDate):
        return value
    if isinstance(value, date):
        return PartialDate.from_date(value)
    return parse_date(value)


def order(first: PartialDate, second: PartialDate) -> Order:
    """Whether `first` is before `second`, knowing each only to its precision.

    `before`: every day `first` can mean is before every day `second` can mean;
    `not-before`: `first` cannot be earlier than `second`; otherwise `ambiguous`.
    """
    if first.last_day() < second.first_day():
        return "before"
    if first.first_day() >= second.last_day():
        return "not-before"
    return "ambiguous"


@dataclass(frozen=True)
class SystemInfo:
    """What the plan needs to know about a system."""

    id: str
    name: str
    monopoly: bool
    lifecycle: str
    go_live: str | None
    supplier: str | None = None


@dataclass(frozen=True)
class Action:
    """One dated action for the municipality (or KOMBIT), with the evidence behind it."""

    group: str
    group_name: str
    replaced_by: tuple[str, ...]
    go_live: str | None
    action: ActionCode
    interface: str
    interface_name: str
    status: str
    category: str | None
    actor: str
    due: str | None
    days_left: int | None
    contract: str | None
    supplier: str | None
    expires: str | None
    annual_cost_dkk: float | None
    reasons: tuple[str, ...]

    @property
    def title(self) -> str:
        """The action in plain words."""
        return _(ACTION_TITLES[self.action])

    @property
    def overdue(self) -> bool:
        """True when the due date (its earliest day) has passed."""
        return self.days_left is not None and self.days_left < 0

    def to_json(self) -> dict[str, Any]:
        """The JSON object `plan --format json` prints (keys are a user contract)."""
        return {
            "group": self.group,
            "group_name": self.group_name,
            "replaced_by": list(self.replaced_by),
            "go_live": self.go_live,
            "action": self.action,
            "title": self.title,
            "interface": self.interface,
            "interface_name": self.interface_name,
            "status": self.status,
            "category": self.category,
            "actor": self.actor,
            "due": self.due,
            "days_left": self.days_left,
            "overdue": self.overdue,
            "contract": self.contract,
            "supplier": self.supplier,
            "expires": self.expires,
            "annual_cost_dkk": json_amount(self.annual_cost_dkk),
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class ContractAction:
    """A contract's action, as the plan and impact analysis decide it."""

    action: ActionCode
    due: PartialDate | None
    reasons: tuple[str, ...]


def contract_actions(
    contract: ContractRef,
    retired: bool,
    go_live: PartialDate | None,
    replacement: str,
    today: date,
) -> list[ContractAction]:
    """The actions one contract needs: find it, extend it until go-live, give notice.

    `go_live` is when the replacing system(s) go live (None: no replacement or unknown);
    `replacement` names the replacement in the reasons.
    """
    now = PartialDate.from_date(today)
    expires = as_partial(contract.expires)
    result: list[ContractAction] = []
    if expires is None:
        result.append(
            ContractAction(
                "find-contract",
                now,
                (
                    _(
                        "contract {contract} with {supplier}: expiry unknown (??); "
                        "nothing can be planned for it until the contract is found"
                    ).format(contract=contract.id, supplier=contract.supplier),
                ),
            )
        )
        return result
    extended_to: PartialDate | None = None
    if go_live is not None and replacement:
        relation = order(expires, go_live)
        if relation == "before":
            extended_to = go_live
            result.append(
                ContractAction(
                    "extend-until-go-live",
                    expires,
                    (
                        _(
                            "contract {contract} expires {expires} before {replacement} goes "
                            "live ({go_live}): extend it until go-live"
                        ).format(
                            contract=contract.id,
                            expires=format_date(expires),
                            replacement=replacement,
                            go_live=format_date(go_live),
                        ),
                    ),
                )
            )
        elif relation == "ambiguous":
            extended_to = go_live
            result.append(
                ContractAction(
                    "extend-until-go-live",
                    expires,
                    (
                        _(
                            "contract {contract} expires {expires} and {replacement} goes live "
                            "{go_live}: ambiguous at this precision, so assumed to expire first "
                            "(conservative); extend it until go-live, due by {due}"
                        ).format(
                            contract=contract.id,
                            expires=format_date(expires),
                            replacement=replacement,
                            go_live=format_date(go_live),
                            due=format_date(expires.first_day()),
                        ),
                    ),
                )
            )
    elif go_live is None and replacement:
        result.append(
            ContractAction(
                "extend-until-go-live",
                expires,
                (
                    _(
                        "contract {contract} expires {expires}; {replacement} has no go-live "
                        "date, so it may go live later (conservative): extend until go-live"
                    ).format(
                        contract=contract.id, expires=format_date(expires), replacement=replacement
                    ),
                ),
            )
        )
    if retired:
        due = extended_to or expires
        why = (
            _(
                "the TO-BE retires {interface}: give notice on contract {contract} by {due} "
                "(the end of the extension until go-live)"
            )
            if extended_to is not None
            else _("the TO-BE retires {interface}: give notice on contract {contract} by {due}")
        ).format(interface=contract.interface, contract=contract.id, due=format_date(due))
        result.append(ContractAction("give-notice", due, (why,)))
    return result


def negotiator(
    category: str | None,
    contracts: Iterable[ContractRef],
    offer: PartialDate | None,
) -> tuple[str, tuple[str, ...]]:
    """Who negotiates a repointed interface, by its TO-BE category and the tender exception."""
    if category is None or category not in CATEGORIES:
        return "—", (_("no TO-BE category: decide the category first"),)
    cat = CATEGORIES[category]
    if category == "unclassified":
        return "—", (
            _("category {category}: decide the category before negotiating").format(
                category=category
            ),
        )
    actor = "KOMBIT" if cat.negotiator == "KOMBIT" else "kommune"
    reasons = [
        _("category {category}: negotiates {negotiates}").format(
            category=category, negotiates=cat.negotiates
        )
    ]
    if category != "common-must":
        return actor, tuple(reasons)
    if offer is None:
        reasons.append(
            _(
                "tender-before-offer exception not checked: no KOMBIT offer date given "
                "(--kombit-offer-date)"
            )
        )
        return actor, tuple(reasons)
    for contract in sorted(contracts, key=lambda c: c.id):
        expires = as_partial(contract.expires)
        if expires is None:
            reasons.append(
                _(
                    "contract {contract}: expiry unknown, so the tender-before-offer exception "
                    "cannot be checked for it"
                ).format(contract=contract.id)
            )
            continue
        relation = order(expires, offer)
        if relation == "not-before":
            continue
        text = (
            _(
                "exception: contract {contract} expires {expires} before KOMBIT's offer "
                "({offer}), so the municipality must tender and negotiates itself"
            )
            if relation == "before"
            else _(
                "exception: contract {contract} expires {expires} before KOMBIT's offer "
                "({offer}) (ambiguous at this precision: assumed), so the municipality must "
                "tender and negotiates itself"
            )
        )
        reasons.append(
            text.format(
                contract=contract.id, expires=format_date(expires), offer=format_date(offer)
            )
        )
        return "kommune", tuple(reasons)
    return actor, tuple(reasons)


def _days_left(due: PartialDate | None, today: date) -> int | None:
    return None if due is None else (due.first_day() - today).days


def _first(dates: Iterable[PartialDate | None], latest: bool = False) -> PartialDate | None:
    known = [d for d in dates if d is not None]
    if not known:
        return None
    if latest:
        return max(known, key=lambda d: (d.last_day(), d.first_day()))
    return min(known, key=lambda d: (d.first_day(), d.last_day()))


def plan_actions(
    rows: Iterable[GapRow],
    systems: Mapping[str, SystemInfo],
    replacers: Mapping[str, tuple[str, ...]],
    today: date,
    kombit_offer_date: PartialDate | date | str | None = None,
    needs: Iterable[BrokenNeed] = (),
) -> list[Action]:
    """The plan from gap rows, broken needs, system facts and replacements (pure)."""
    offer = as_partial(kombit_offer_date)
    rows = list(rows)
    replaced_by_system: dict[str, list[str]] = defaultdict(list)
    for replaced, replacing in replacers.items():
        for replacer in replacing:
            replaced_by_system[replacer].append(replaced)

    def replacement_go_live(system: str, latest: bool = False) -> PartialDate | None:
        dates = [as_partial(systems[r].go_live) for r in replacers.get(system, ())]
        return _first(dates, latest)

    def replacement_text(system: str) -> str:
        found = replacers.get(system, ())
        return _(" and ").join(f"{systems[r].name} ({r})" for r in found)

    result: list[Action] = []
    for row in rows:
        in_to_be = {*row.providers_to_be, *row.users_to_be}
        involved = sorted(
            {
                s
                for s in (*row.providers_as_is, *row.users_as_is)
                if systems[s].monopoly and s not in in_to_be and systems[s].lifecycle == "as-is"
            }
            | {m.from_system for m in row.moves if systems[m.from_system].monopoly}
        )
        group_of_contracts = ""
        if involved:
            # Contracts must last until the last replacement touching the interface is live.
            group_of_contracts = max(
                involved,
                key=lambda s: (
                    (d.last_day(), d.first_day())
                    if (d := replacement_go_live(s, latest=True))
                    else (date.max, date.max)
                ),
            )

        def add(
            group: str,
            code: ActionCode,
            due: PartialDate | None,
            reasons: Iterable[str],
            actor: str = "kommune",
            contract: ContractRef | None = None,
            category: str | None = None,
            row: GapRow = row,
        ) -> None:
            go_live = replacement_go_live(group) if group else None
            result.append(
                Action(
                    group=group,
                    group_name=systems[group].name if group else _("(other interfaces)"),
                    replaced_by=replacers.get(group, ()) if group else (),
                    go_live=str(go_live) if go_live else None,
                    action=code,
                    interface=row.interface,
                    interface_name=row.name,
                    status=row.status,
                    category=category or row.category_to_be or row.category_as_is,
                    actor=actor,
                    due=str(due) if due else None,
                    days_left=_days_left(due, today),
                    contract=contract.id if contract else None,
                    supplier=contract.supplier if contract else None,
                    expires=contract.expires if contract else None,
                    annual_cost_dkk=contract.annual_cost_dkk if contract else None,
                    reasons=tuple(reasons),
                )
            )

        now = PartialDate.from_date(today)
        # A retired interface needs no category: it is given notice, not negotiated.
        if row.category_to_be == "unclassified":
            first_group = min(
                involved,
                key=lambda s: (d.first_day() if (d := replacement_go_live(s)) else date.max, s),
                default="",
            )
            add(
                first_group,
                "decide-category",
                now,
                (
                    _(
                        "{interface} is unclassified in TO-BE: the rules do not say "
                        "who negotiates, signs and pays; the municipality must decide"
                    ).format(interface=row.interface),
                ),
                actor="kommune",
            )
        retired = row.status == "retired"
        if row.status != "new":
            go_live = (
                replacement_go_live(group_of_contracts, latest=True) if group_of_contracts else None
            )
            replacement = replacement_text(group_of_contracts) if group_of_contracts else ""
            for contract in row.contracts:
                for found in contract_actions(contract, retired, go_live, replacement, today):
                    add(
                        group_of_contracts,
                        found.action,
                        found.due,
                        found.reasons,
                        contract=contract,
                    )
        if row.status == "repointed":
            negotiated: set[tuple[str, str, str | None]] = set()
            for move in row.moves:
                if move.kind != "moved" or move.from_system not in systems:
                    continue
                if (move.role, move.from_system, move.to_system) in negotiated:
                    continue  # the same role in several municipalities: one negotiation
                negotiated.add((move.role, move.from_system, move.to_system))
                new = systems[move.to_system] if move.to_system else None
                due = as_partial(new.go_live) if new else None
                actor, why = negotiator(row.category_to_be, row.contracts, offer)
                takes_over = {
                    (True, True): _(
                        "{new} takes over from {old}: it provides {interface} in TO-BE; "
                        "negotiate the interface with {name} by its go-live ({due})"
                    ),
                    (True, False): _(
                        "{new} takes over from {old}: it provides {interface} in TO-BE; "
                        "negotiate the interface with {name} (its go-live is unknown)"
                    ),
                    (False, True): _(
                        "{new} takes over from {old}: it uses {interface} in TO-BE; "
                        "negotiate the interface with {name} by its go-live ({due})"
                    ),
                    (False, False): _(
                        "{new} takes over from {old}: it uses {interface} in TO-BE; "
                        "negotiate the interface with {name} (its go-live is unknown)"
                    ),
                }[(move.role == "provider", due is not None)]
                reasons = (
                    takes_over.format(
                        new=move.to_system,
                        old=move.from_system,
                        interface=row.interface,
                        name=new.name if new else move.to_system,
                        due=format_date(due),
                    ),
                    *why,
                )
                if move.role == "provider" and new is not None and new.supplier:
                    reasons += tuple(
                        _(
                            "contract {contract} is with {supplier}; {name} is supplied by "
                            "{new_supplier}: the contract must move to {new_supplier}"
                        ).format(
                            contract=c.id,
                            supplier=c.supplier,
                            name=new.name,
                            new_supplier=new.supplier,
                        )
                        for c in row.contracts
                        if c.supplier != new.supplier
                    )
                group = move.from_system if systems[move.from_system].monopoly else ""
                if not group and involved:
                    group = involved[0]
                add(group, "negotiate", due, reasons, actor=actor, category=row.category_to_be)
        if row.status == "new":
            in_to_be_systems = sorted({*row.providers_to_be, *row.users_to_be})
            dates = [as_partial(systems[s].go_live) for s in in_to_be_systems]
            due = _first(dates, latest=True)
            old = sorted(
                {o for s in in_to_be_systems for o in replaced_by_system.get(s, ())}
                & {s for s in systems if systems[s].monopoly}
            )
            actor, why = negotiator(row.category_to_be, row.contracts, offer)
            reasons = (
                _("{interface} is new in TO-BE ({systems}): establish it by {due}").format(
                    interface=row.interface,
                    systems=", ".join(in_to_be_systems),
                    due=format_date(due) if due else _("the go-live (unknown)"),
                ),
                *why,
            )
            add(
                old[0] if old else "",
                "establish",
                due,
                reasons,
                actor="kommune" if actor == "—" else actor,
                category=row.category_to_be,
            )
    by_interface = {row.interface: row for row in rows}
    for need in needs:
        row = by_interface[need.interface]
        candidates = [need.taken_over_from, *row.providers_as_is, need.system]
        group = next(
            (
                c
                for c in candidates
                if c and c in systems and systems[c].monopoly and c in replacers
            ),
            "",
        )
        due = as_partial(systems[need.system].go_live) if need.system in systems else None
        if due is None and group:
            due = replacement_go_live(group)
        actor, why = negotiator(need.category, row.contracts, offer)
        reasons = (
            _(
                "find or negotiate a new source for data '{data}' before {due}: {system} "
                "{need} in TO-BE"
            ).format(
                data=need.data,
                due=format_date(due) if due else _("the go-live (unknown)"),
                system=need.system_name,
                need=_("must have it") if need.need == "must" else _("would like it"),
            ),
            *need.reasons,
            *why,
        )
        add(
            group,
            "find-source",
            due,
            reasons,
            actor="kommune" if actor == "—" else actor,
            category=need.category,
            row=row,
        )
    return sort_actions(result, systems, replacers)


def sort_actions(
    actions: Iterable[Action],
    systems: Mapping[str, SystemInfo],
    replacers: Mapping[str, tuple[str, ...]],
) -> list[Action]:
    """Groups in the order their replacement goes live (unknown, then ungrouped, last); inside
    a group the most urgent first (earliest due; unknown due last)."""
    by_group: dict[str, list[Action]] = defaultdict(list)
    for action in actions:
        by_group[action.group].append(action)

    def group_key(group: str) -> tuple[int, date, str]:
        if not group:
            return (2, date.max, "")
        dates = [as_partial(systems[r].go_live) for r in replacers.get(group, ())]
        go_live = _first(dates)
        if go_live is None:
            return (1, date.max, systems[group].name)
        return (0, go_live.first_day(), systems[group].name)

    def action_key(action: Action) -> tuple[Any, ...]:
        due = as_partial(action.due)
        return (
            due.first_day() if due else date.max,
            ACTION_ORDER.index(action.action),
            action.interface,
            action.contract or "",
        )

    result: list[Action] = []
    for group in sorted(by_group, key=group_key):
        result.extend(sorted(by_group[group], key=action_key))
    return result


def system_infos(graph: PortfolioGraph) -> dict[str, SystemInfo]:
    """Every system of a graph as the plan sees it."""
    return {
        attrs["id"]: SystemInfo(
            attrs["id"],
            attrs.get("name", attrs["id"]),
            bool(attrs.get("monopoly")),
            attrs.get("lifecycle", "both"),
            attrs.get("go_live"),
            attrs.get("supplier"),
        )
        for _, attrs in nodes(graph, Label.SYSTEM)
    }


def plan(
    graph: PortfolioGraph,
    today: date | None = None,
    kombit_offer_date: PartialDate | date | None = None,
) -> list[Action]:
    """The action plan of a full graph (every lifecycle): most urgent first, grouped by monopoly
    system in the order its replacement goes live (`snitgraf.assessment` for the CLI's runs)."""
    state = transition(graph)
    categories = {c.interface: c for c in state.categories}
    return plan_actions(
        state.gap,
        system_infos(state.graph),
        state.derivation.replacers,
        today or date.today(),
        kombit_offer_date,
        broken_needs(state.graph, state.derivation, categories),
    )
