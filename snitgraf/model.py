"""The validated domain model of a portfolio (pydantic v2, immutable).

One model per portfolio file; its fields are the file's columns. Cell parsers live in
`snitgraf.values`; cross-references are checked by `snitgraf.loader`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
)

from snitgraf import values
from snitgraf.values import Direction, Lifecycle, Need, PartialDate


def _text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _optional_text(value: Any) -> Any:
    value = _text(value)
    return None if value == "" else value


_UNPARSED = object()
_PARSED_TEXTS = 4096
"""How many distinct texts a field's parser remembers (needs, dates, amounts repeat)."""


def _from_text(parser: Callable[[str], Any]) -> Callable[[Any], Any]:
    """A field validator parsing text with `parser`, each distinct text once: a national file
    repeats the same few needs, dates and amounts thousands of times (results are immutable)."""
    parsed: dict[str, Any] = {}

    def parse(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        found = parsed.get(value, _UNPARSED)
        if found is _UNPARSED:
            found = parser(value)
            if len(parsed) < _PARSED_TEXTS:
                parsed[value] = found
        return found

    return parse


Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Required text, checked by pydantic itself (an empty cell: `string_too_short`)."""
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
OptionalText = Annotated[str | None, BeforeValidator(_optional_text)]
Flag = Annotated[bool, BeforeValidator(_from_text(values.parse_bool))]
NeedField = Annotated[Need, BeforeValidator(_from_text(values.parse_need))]
LifecycleField = Annotated[Lifecycle, BeforeValidator(_from_text(values.parse_lifecycle))]
DirectionField = Annotated[Direction | None, BeforeValidator(_from_text(values.parse_direction))]
IdList = Annotated[tuple[str, ...], BeforeValidator(_from_text(values.parse_list))]
DateField = Annotated[
    PartialDate | None,
    BeforeValidator(_from_text(values.parse_date)),
    PlainSerializer(lambda d: None if d is None else str(d), return_type=str | None),
]
Cost = Annotated[float | None, BeforeValidator(_from_text(values.parse_cost))]


class Row(BaseModel):
    """A row of a portfolio file: its known columns as fields, unknown columns in `extra`."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    extra: dict[str, str] = Field(default_factory=dict)
    """Columns snitgraf does not know, kept as properties (header -> text)."""


class Supplier(Row):
    """A supplier that can expose data through the systems it supplies."""

    id: Id
    name: Text
    ski: OptionalText = None
    """The SKI framework agreement the supplier is on, e.g. '02.19'; None = none."""
    assumptions: IdList = ()
    """What an importer assumed for this row (codes such as `need-default-must`)."""


class System(Row):
    """An IT system: a monopoly system (old or new), a local system or an external authority's."""

    id: Id
    name: Text
    supplier: Id
    monopoly: Flag = False
    lifecycle: LifecycleField = "both"
    replaces: IdList = ()
    go_live: DateField = None
    domain: OptionalText = None
    assumptions: IdList = ()
    """What an importer assumed for this row (codes such as `need-default-must`)."""


class Interface(Row):
    """An interface (snitflade) exposed by one system; `data` keys make interfaces alternatives."""

    id: Id
    name: Text
    provider: Id
    data: Id
    nettoliste: OptionalText = None
    bruttoliste: OptionalText = None
    klippekort: OptionalText = None
    assumptions: IdList = ()
    """What an importer assumed for this row (codes such as `need-default-must`)."""


class Usage(Row):
    """A system that sends or receives through an interface, and how much it needs it."""

    interface: Id
    system: Id
    need: NeedField
    direction: DirectionField = None
    municipality: OptionalText = None
    """Municipality code this usage belongs to; None = every municipality."""
    assumptions: IdList = ()
    """What an importer assumed for this row (codes such as `need-default-must`)."""


class Contract(Row):
    """A contract with a supplier covering an interface."""

    id: Id
    interface: Id
    supplier: Id
    expires: DateField = None
    annual_cost_dkk: Cost = None
    note: OptionalText = None
    municipality: OptionalText = None
    """Municipality code that holds the contract; None = every municipality."""
    assumptions: IdList = ()
    """What an importer assumed for this row (codes such as `need-default-must`)."""


class Municipality(Row):
    """A municipality (kommune), by its code, e.g. 751 Aarhus."""

    code: Id
    name: Text


class Deployment(Row):
    """A municipality runs a system."""

    municipality: Id
    system: Id


class Portfolio(BaseModel):
    """A validated, immutable portfolio: everything one `load_portfolio` read."""

    model_config = ConfigDict(frozen=True)

    source: str
    suppliers: tuple[Supplier, ...] = ()
    systems: tuple[System, ...] = ()
    interfaces: tuple[Interface, ...] = ()
    usages: tuple[Usage, ...] = ()
    contracts: tuple[Contract, ...] = ()
    municipalities: tuple[Municipality, ...] = ()
    deployments: tuple[Deployment, ...] = ()
    warnings: tuple[str, ...] = Field(default=(), exclude=True)
    """What loading noticed without refusing it (a header that looks misspelt), one line each."""

    @cached_property
    def supplier_by_id(self) -> dict[str, Supplier]:
        """Suppliers by id."""
        return {s.id: s for s in self.suppliers}

    @cached_property
    def system_by_id(self) -> dict[str, System]:
        """Systems by id."""
        return {s.id: s for s in self.systems}

    @cached_property
    def interface_by_id(self) -> dict[str, Interface]:
        """Interfaces by id."""
        return {i.id: i for i in self.interfaces}

    @cached_property
    def contract_by_id(self) -> dict[str, Contract]:
        """Contracts by id."""
        return {c.id: c for c in self.contracts}

    def counts(self) -> dict[str, int]:
        """How many rows of each kind the portfolio holds."""
        return {
            "suppliers": len(self.suppliers),
            "systems": len(self.systems),
            "interfaces": len(self.interfaces),
            "data": len({i.data for i in self.interfaces}),
            "usages": len(self.usages),
            "contracts": len(self.contracts),
            "municipalities": len(self.municipalities),
            "deployments": len(self.deployments),
        }
