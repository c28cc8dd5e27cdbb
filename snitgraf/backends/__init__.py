"""Backends: where the graph lives. The PORTFOLIO argument's form picks one.

A folder or workbook -> the embedded networkx backend (`snitgraf.backends.networkx`); a
`bolt://`, `neo4j://` (and `+s`/`+ssc`) URI -> the Neo4j backend (`snitgraf.backends.neo4j`).
Both are `Backend`s: the same graphs, states and evidence, so every analysis runs on either.
"""

from __future__ import annotations

from snitgraf.backends.base import Backend

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")

__all__ = ["NEO4J_SCHEMES", "Backend", "is_neo4j_uri", "open_backend"]


def is_neo4j_uri(portfolio: str) -> bool:
    """True when PORTFOLIO names a Neo4j server rather than a folder or workbook."""
    return portfolio.lower().startswith(NEO4J_SCHEMES)


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
    from snitgraf.backends.networkx import NetworkxBackend

    return NetworkxBackend(portfolio, municipality=municipality)
