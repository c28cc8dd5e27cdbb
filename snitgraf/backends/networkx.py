"""The embedded backend: a validated portfolio and its networkx graph, in memory."""

from __future__ import annotations

import gc

import networkx as nx

from snitgraf.backends.base import Backend
from snitgraf.gcpause import gc_paused
from snitgraf.graph import build_graph
from snitgraf.loader import load_portfolio
from snitgraf.model import Portfolio


class NetworkxBackend(Backend):
    """A portfolio folder or workbook, loaded and validated, as a networkx graph."""

    name = "networkx"

    def __init__(self, portfolio_path: str, municipality: str | None = None) -> None:
        # The loaded objects live as long as the backend: move them out of the collector's way
        # once loaded (`close()` hands them back); see snitgraf.gcpause.
        with gc_paused() as collecting:
            self.portfolio: Portfolio = load_portfolio(portfolio_path)
            self._full = build_graph(self.portfolio)
            if collecting:
                gc.freeze()
        self.municipality = municipality
        if municipality is not None:
            from snitgraf.municipality import check_municipality

            check_municipality(self._full, municipality)

    @property
    def full_graph(self) -> nx.MultiDiGraph:
        """The whole portfolio as one graph (every lifecycle)."""
        return self._full

    def close(self) -> None:
        """Give the loaded objects back to the cyclic garbage collector."""
        gc.unfreeze()
