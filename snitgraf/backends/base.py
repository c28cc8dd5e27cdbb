"""The backend base class: where the portfolio's graph lives, and the states derived from it.

A backend owns the full graph (every lifecycle), the catalogue's AS-IS and TO-BE (derived once),
the municipality pair (the whole catalogue, and one municipality's part of it) and the evidence
the categorisation rules count. Everything else is `snitgraf.assessment.Assessment`'s.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from snitgraf.analysis.categorise import (
    DataEvidence,
    InterfaceFacts,
    gather,
    gather_after,
    merge_evidence,
)
from snitgraf.analysis.overview import ContractFacts, Involvement
from snitgraf.analysis.overview import gather as gather_overview
from snitgraf.analysis.transition import Derivation, derive_to_be
from snitgraf.graph import State, as_is_graph
from snitgraf.schema import PortfolioGraph

CategoryEvidence = tuple[list[InterfaceFacts], dict[str, DataEvidence]]
OverviewFacts = tuple[list[Involvement], list[ContractFacts], dict[str, str | None]]


class Backend(ABC):
    """A portfolio's graph and its states; subclasses say where the full graph comes from."""

    name: ClassVar[str]
    municipality: str | None = None
    """With a code, `graph()` is that municipality's part (categories stay the catalogue's)."""

    @property
    @abstractmethod
    def full_graph(self) -> PortfolioGraph:
        """The whole portfolio as one graph, every lifecycle (see `snitgraf.graph`)."""

    @property
    def _cache(self) -> dict[Any, Any]:
        cache: dict[Any, Any] = self.__dict__.setdefault("_derived", {})
        return cache

    def forget_derived(self) -> None:
        """Drop the states derived so far (after the full graph changed, e.g. a go-live
        scenario was written onto it): the next question derives them afresh."""
        self._cache.clear()

    def derivation(self) -> Derivation:
        """The TO-BE rule applied to the whole catalogue, once."""
        if "derivation" not in self._cache:
            self._cache["derivation"] = derive_to_be(self.full_graph)
        derived: Derivation = self._cache["derivation"]
        return derived

    def catalogue_graph(self, state: State = "all") -> PortfolioGraph:
        """The whole catalogue (all municipalities) in a state, derived once and kept."""
        if state == "all":
            return self.full_graph
        if state == "to-be":
            return self.derivation().graph
        key = ("catalogue", state)
        if key not in self._cache:
            self._cache[key] = as_is_graph(self.full_graph)
        graph: PortfolioGraph = self._cache[key]
        return graph

    def graph(self, state: State = "all") -> PortfolioGraph:
        """A state's graph; with `municipality`, only that municipality's part of it."""
        if self.municipality is None:
            return self.catalogue_graph(state)
        key = ("local", state)
        if key not in self._cache:
            from snitgraf.municipality import municipality_graph

            self._cache[key] = municipality_graph(self.catalogue_graph(state), self.municipality)
        graph: PortfolioGraph = self._cache[key]
        return graph

    def category_evidence(self) -> CategoryEvidence:
        """The rules' evidence over the whole transition of the catalogue: every interface as
        stated, and the uses and sources of the portfolio as stated and of its TO-BE."""
        facts, stated = gather(self.full_graph)
        derived = self.derivation()
        to_be = gather_after(
            self.full_graph, derived.kept, derived.provides_after, derived.uses_after
        )
        return facts, merge_evidence(stated, to_be)

    def overview_facts(self, state: State = "all") -> OverviewFacts:
        """Monopoly involvements, contracts and provider SKI of the state's graph."""
        return gather_overview(self.graph(state))

    def close(self) -> None:  # noqa: B027 - nothing to release by default
        """Release what the backend holds (connections, frozen objects)."""
