"""Broken needs: a system that must (or would like to) use data D in TO-BE while nothing
provides D there.

The TO-BE rule (`snitgraf.analysis.transition`) passes uses on to replacers and keeps the uses
of systems that stay; when the interface they use retires (its provider is dropped, or nobody
takes its role over) the use is *stranded*. A stranded use is a broken need when no interface
carrying the same data is provided in TO-BE; when another one is, the system can switch to it
and the gap says so instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from snitgraf.analysis.categorise import InterfaceCategory
from snitgraf.analysis.transition import Derivation, StrandedUse
from snitgraf.graph import edges, nodes
from snitgraf.i18n import _
from snitgraf.schema import Label, Rel

NEED_RANK = {"must": 2, "nice": 1}


@dataclass(frozen=True, order=True)
class BrokenNeed:
    """A system left without a source for data it needs, and why."""

    system: str
    system_name: str
    data: str
    interface: str
    need: str
    taken_over_from: str | None
    """The replaced system whose use the system took over (None: its own stated use)."""
    category: str | None
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """JSON object of a broken need (inside `gap`, `impact` and `summary.json`)."""
        return {
            "system": self.system,
            "system_name": self.system_name,
            "data": self.data,
            "interface": self.interface,
            "need": self.need,
            "taken_over_from": self.taken_over_from,
            "category": self.category,
            "reasons": list(self.reasons),
        }


def provided_data(graph: nx.MultiDiGraph) -> set[str]:
    """The data keys some system provides in a graph."""
    data_of = {i: d[1] for i, d, _edge in edges(graph, Rel.CARRIES)}
    return {data_of[i] for _s, i, _edge in edges(graph, Rel.PROVIDES) if i in data_of}


def broken_needs(
    graph: nx.MultiDiGraph,
    derivation: Derivation,
    categories: Mapping[str, InterfaceCategory],
    stranded: Iterable[StrandedUse] | None = None,
) -> tuple[BrokenNeed, ...]:
    """The broken needs of a derivation of `graph` (its input): one per system and interface,
    the strongest need; `stranded` defaults to the derivation's own stranded uses."""
    names = {
        attrs["id"]: attrs.get("name", attrs["id"]) for _k, attrs in nodes(graph, Label.SYSTEM)
    }
    data_of = {a["id"]: a.get("data", "") for _k, a in nodes(graph, Label.INTERFACE)}
    available = provided_data(derivation.graph)
    strongest: dict[tuple[str, str], StrandedUse] = {}
    for use in derivation.stranded if stranded is None else stranded:
        data = data_of.get(use.interface, "")
        if data in available:
            continue
        key = (use.system, use.interface)
        current = strongest.get(key)
        if current is None or NEED_RANK.get(use.need or "", 0) > NEED_RANK.get(
            current.need or "", 0
        ):
            strongest[key] = use
    result = []
    for (system, interface), use in sorted(strongest.items()):
        data = data_of.get(interface, "")
        need = use.need or "must"
        name = names.get(system, system)
        category = categories.get(interface)
        verb = _("must use") if need == "must" else _("would like to use")
        reasons = [
            _(
                "{name} ({system}) {verb} data '{data}' in TO-BE, but nothing provides it "
                "there: {interface} retires and no other interface carries the data"
            ).format(name=name, system=system, verb=verb, data=data, interface=interface)
        ]
        if use.repointed_from:
            reasons.append(
                _("{name} takes the use of {interface} over from {old}").format(
                    name=name, interface=interface, old=names.get(use.repointed_from)
                )
            )
        result.append(
            BrokenNeed(
                system=system,
                system_name=name,
                data=data,
                interface=interface,
                need=need,
                taken_over_from=use.repointed_from,
                category=category.category.code if category else None,
                reasons=tuple(reasons),
            )
        )
    return tuple(result)
