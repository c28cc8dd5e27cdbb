"""Backends: where the graph lives. The PORTFOLIO argument's form picks one.

A folder or workbook -> the embedded networkx backend; a `bolt://`, `neo4j://` (and `+s`/`+ssc`)
URI -> the Neo4j backend. Both answer the same questions with the same result objects.
"""

from __future__ import annotations

from typing import Protocol

import networkx as nx

from snitgraf.analysis.categorise import InterfaceCategory
from snitgraf.analysis.overview import OverviewRow
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

    def __init__(self, portfolio_path: str) -> None:
        from snitgraf.graph import build_graph
        from snitgraf.loader import load_portfolio

        self.portfolio = load_portfolio(portfolio_path)
        self.full_graph = build_graph(self.portfolio)
        self._states: dict[State, nx.MultiDiGraph] = {"all": self.full_graph}

    def graph(self, state: State = "as-is") -> nx.MultiDiGraph:
        """The graph of a state, derived once and kept."""
        from snitgraf.graph import state_graph

        if state not in self._states:
            self._states[state] = state_graph(self.full_graph, state)
        return self._states[state]

    def categorise(self, state: State = "as-is") -> list[InterfaceCategory]:
        """Every interface's category with reasons."""
        from snitgraf.analysis.categorise import categorise

        return categorise(self.graph(state))

    def overview(self, system: str | None = None, state: State = "as-is") -> list[OverviewRow]:
        """The seed's overview rows."""
        from snitgraf.analysis.overview import overview

        return overview(self.graph(state), system)

    def close(self) -> None:
        """Nothing to release."""


def open_backend(
    portfolio: str, scope: str | None = None, database: str | None = None
) -> Backend:
    """The backend PORTFOLIO names: a Neo4j URI, else a folder or workbook."""
    if is_neo4j_uri(portfolio):
        from snitgraf.backends.neo4j import Neo4jBackend

        return Neo4jBackend.connect(portfolio, scope=scope, database=database)
    return NetworkxBackend(portfolio)
