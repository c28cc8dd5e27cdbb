"""Backends: where the graph lives. The PORTFOLIO argument's form picks one.

A folder or workbook -> the embedded networkx backend; a `bolt://`, `neo4j://` (and `+s`/`+ssc`)
URI -> the Neo4j backend. Both answer the same questions with the same result objects.
"""

from __future__ import annotations

import gc
from typing import Protocol

import networkx as nx

from snitgraf.analysis.categorise import InterfaceCategory
from snitgraf.analysis.overview import OverviewRow
from snitgraf.gcpause import gc_paused
from snitgraf.graph import State

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def is_neo4j_uri(portfolio: str) -> bool:
    """True when PORTFOLIO names a Neo4j server rather than a folder or workbook."""
    return portfolio.lower().startswith(NEO4J_SCHEMES)


class Backend(Protocol):
    """The questions every backend answers."""

    name: str

    def categorise(self, state: State = "as-is") -> list[InterfaceCategory]:
        """Every interface's category with reasons."""
        ...

    def overview(self, system: str | None = None, state: State = "as-is") -> list[OverviewRow]:
        """The seed's overview rows."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class NetworkxBackend:
    """The embedded backend: a validated portfolio and its networkx graph, in memory."""

    name = "networkx"

    def __init__(self, portfolio_path: str, municipality: str | None = None) -> None:
        from snitgraf.graph import build_graph
        from snitgraf.loader import load_portfolio

        # The loaded objects live as long as the backend: move them out of the collector's way
        # once loaded (`close()` hands them back); see snitgraf.gcpause.
        with gc_paused() as collecting:
            self.portfolio = load_portfolio(portfolio_path)
            self.full_graph = build_graph(self.portfolio)
            if collecting:
                gc.freeze()
        self._states: dict[State, nx.MultiDiGraph] = {"all": self.full_graph}
        self.municipality = municipality
        """With a code, `graph()` and every row-level answer is that municipality's own."""
        self._local: dict[State, nx.MultiDiGraph] = {}
        self._categories: dict[State, list[InterfaceCategory]] = {}
        if municipality is not None:
            from snitgraf.municipality import check_municipality

            check_municipality(self.full_graph, municipality)

    def catalogue_graph(self, state: State = "as-is") -> nx.MultiDiGraph:
        """The whole catalogue of a state (all municipalities), derived once and kept."""
        from snitgraf.graph import state_graph

        if state not in self._states:
            self._states[state] = state_graph(self.full_graph, state)
        return self._states[state]

    def graph(self, state: State = "as-is") -> nx.MultiDiGraph:
        """The graph of a state; with `municipality`, only that municipality's part of it.

        Categories are the catalogue's: take them from `categorise()`, not from this graph.
        """
        if self.municipality is None:
            return self.catalogue_graph(state)
        if state not in self._local:
            from snitgraf.municipality import municipality_graph

            self._local[state] = municipality_graph(self.catalogue_graph(state), self.municipality)
        return self._local[state]

    def categorise(self, state: State = "as-is") -> list[InterfaceCategory]:
        """Every interface's category with reasons (decided on the whole catalogue)."""
        from snitgraf.analysis.categorise import categorise

        if state not in self._categories:  # overview and the main job ask again: decide once
            self._categories[state] = categorise(self.catalogue_graph(state))
        categories = list(self._categories[state])
        if self.municipality is None:
            return categories
        from snitgraf.municipality import restrict_categories

        return restrict_categories(categories, self.graph(state))

    def overview(self, system: str | None = None, state: State = "as-is") -> list[OverviewRow]:
        """The seed's overview rows (with `municipality`: its systems and contracts)."""
        from snitgraf.analysis.overview import gather, overview_rows

        involvements, contracts, provider_ski = gather(self.graph(state))
        return overview_rows(self.categorise(state), involvements, contracts, provider_ski, system)

    def close(self) -> None:
        """Give the loaded objects back to the cyclic garbage collector."""
        gc.unfreeze()


def open_backend(
    portfolio: str,
    scope: str | None = None,
    database: str | None = None,
    municipality: str | None = None,
) -> Backend:
    """The backend PORTFOLIO names: a Neo4j URI, else a folder or workbook."""
    if is_neo4j_uri(portfolio):
        from snitgraf.backends.neo4j import Neo4jBackend

        return Neo4jBackend.connect(
            portfolio, scope=scope, database=database, municipality=municipality
        )
    return NetworkxBackend(portfolio, municipality=municipality)
