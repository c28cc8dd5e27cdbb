"""Scopes in Neo4j: a scope name points at one graph; a push stages a new graph, then swaps.

A scope (`aarhus`, `aarhus/to-be`) is a name. The nodes of its graph carry the graph's id,
`<scope>#<12 hex digits>`, in their `scope` property, and a `(:SnitgrafGraph {graph, name,
live})` record says which graph readers see. A push (`snitgraf.backends.neo4j.push_graphs`):

1. takes the scopes' locks: `MERGE (:SnitgrafLock {name})` in a transaction it keeps open and
   rolls back at the end, so a second push waits, and the server releases the lock when the
   client dies;
2. deletes what a killed push left: every graph of the scope that is not live;
3. records a new graph (not live) and writes it in batches, one transaction per batch;
4. swaps in one small transaction: the new graph live, the old one not;
5. deletes the old graph in batches.

Killed anywhere, readers still see one whole graph, and the next push cleans up. Readers find
the live graph inside their own read transaction (`live_graph`). A scope pushed by an older
snitgraf has no record: its nodes carry the scope's name, and its next push replaces it too.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from snitgraf import cypher
from snitgraf.schema import NODES

GRAPH_MARK = "#"
"""Between a scope's name and the token of one of its graphs: `aarhus#3f2a9c1b7d4e`."""

CATALOGUE_LABELS = ("SnitgrafGraph", "SnitgrafLock")
"""The labels of the records of scopes and graphs (beside those of `snitgraf.schema`)."""

DELETE_ROWS = 10_000
"""Relationships or nodes per transaction when a graph is deleted."""

WAIT_NOTICE_S = 1.0
"""How long taking a lock may take before `on_wait` is told another push holds it."""

OnWait = Callable[[list[str]], None]
"""Told the scopes whose lock another push holds (the push then waits for it)."""


def new_graph_id(name: str) -> str:
    """A fresh graph id of a scope: `<name>#<12 hex digits>`."""
    return f"{name}{GRAPH_MARK}{uuid.uuid4().hex[:12]}"


def create_catalogue_constraints(driver: Any, database: str | None = None) -> None:
    """Unique lock names and graph ids (`IF NOT EXISTS`: safe to repeat)."""
    for name in ("scopes/constraint-lock", "scopes/constraint-graph"):
        driver.execute_query(cypher.load(name).text, database_=database)


@contextmanager
def hold_scopes(
    driver: Any,
    names: Sequence[str],
    database: str | None = None,
    on_wait: OnWait | None = None,
) -> Iterator[None]:
    """Hold the push locks of `names` for the `with` block; wait while another push holds one.

    The lock is a write lock the server holds for an open transaction (rolled back on exit),
    so a crashed or killed holder never leaves a stale lock behind.
    """
    ordered = sorted(set(names))
    session = driver.session(database=database)
    tx = None
    try:
        tx = session.begin_transaction(metadata={"app": "snitgraf push", "scopes": ordered})
        _take_locks(tx, ordered, on_wait)
        yield
    finally:
        try:
            if tx is not None:
                tx.close()  # rolls back: the lock nodes vanish or stay as they were
        finally:
            session.close()


def _take_locks(tx: Any, names: list[str], on_wait: OnWait | None) -> None:
    """Run the lock statement; tell `on_wait` when it has not returned within a second."""
    statement = cypher.load("scopes/lock").text
    failure: list[BaseException] = []
    done = threading.Event()

    def take() -> None:
        try:
            tx.run(statement, names=names, holder=uuid.uuid4().hex).consume()
        except BaseException as error:  # handed to the caller's thread
            failure.append(error)
        finally:
            done.set()

    # A daemon thread: ^C while waiting still ends the process.
    threading.Thread(target=take, name="snitgraf-push-lock", daemon=True).start()
    if not done.wait(WAIT_NOTICE_S) and on_wait is not None:
        on_wait(names)
    done.wait()
    if failure:
        raise failure[0]


def live_graph_in(tx: Any, name: str) -> str | None:
    """The graph readers of scope `name` see (inside a transaction), or None when it has none."""
    record = tx.run(cypher.load("scopes/live-graph").text, name=name).single()
    return record["graph"] if record else None


def live_graph(driver: Any, name: str, database: str | None = None) -> str | None:
    """The graph readers of scope `name` see, or None when it has none."""
    with driver.session(database=database) as session:
        return session.execute_read(live_graph_in, name)


def _graph_records(driver: Any, name: str, database: str | None) -> list[tuple[str, bool]]:
    records, _keys, _summary = driver.execute_query(
        cypher.load("scopes/graphs").text, name=name, database_=database, routing_="r"
    )
    return [(r["graph"], bool(r["live"])) for r in records]


def adopt_legacy(driver: Any, name: str, database: str | None = None) -> str | None:
    """The scope's live graph; a graph pushed by an older snitgraf gets its record first.

    Call while holding the scope's lock.
    """
    with driver.session(database=database) as session:
        graph, registered = session.execute_read(_live_and_registered, name)
    if graph is None or registered:
        return graph
    if not any(_count_nodes(driver, label, graph, database) for label in _labels()):
        return None
    register(driver, name, graph, database, live=True)
    return graph


def _live_and_registered(tx: Any, name: str) -> tuple[str | None, bool]:
    record = tx.run(cypher.load("scopes/live-graph").text, name=name).single()
    return (record["graph"], bool(record["registered"])) if record else (None, False)


def _labels() -> list[str]:
    return [spec.label.value for spec in NODES]


def _count_nodes(driver: Any, label: str, graph: str, database: str | None) -> int:
    statement = cypher.load("read/count-nodes").render(label=label)
    records, _keys, _summary = driver.execute_query(
        statement, scope=graph, database_=database, routing_="r"
    )
    return int(records[0]["nodes"]) if records else 0


def register(
    driver: Any, name: str, graph: str, database: str | None = None, live: bool = False
) -> None:
    """Record a graph of a scope (committed at once) before any of its nodes is written."""
    driver.execute_query(
        cypher.load("scopes/register").text, graph=graph, name=name, live=live, database_=database
    )


def clean_up(driver: Any, name: str, database: str | None = None, rows: int = DELETE_ROWS) -> int:
    """Delete every graph of the scope that is not live (what killed pushes left); nodes removed.

    Call while holding the scope's lock.
    """
    removed = 0
    for graph, live in _graph_records(driver, name, database):
        if not live:
            removed += delete_graph(driver, graph, database, rows)
            forget(driver, graph, database)
    return removed


def swap(driver: Any, graphs: dict[str, str], database: str | None = None) -> None:
    """Make each scope's new graph live and its other graphs not, in one small transaction."""
    swaps = [{"name": name, "graph": graph} for name, graph in sorted(graphs.items())]
    driver.execute_query(cypher.load("scopes/swap").text, swaps=swaps, database_=database)


def forget(driver: Any, graph: str, database: str | None = None) -> None:
    """Remove a graph's record (after its nodes are deleted)."""
    driver.execute_query(cypher.load("scopes/forget").text, graph=graph, database_=database)


def delete_relationships(
    driver: Any, graph: str, database: str | None = None, rows: int = DELETE_ROWS
) -> int:
    """Delete a graph's relationships in transactions of `rows`; how many were deleted."""
    statement = cypher.load("scopes/delete-relationships")
    deleted = 0
    with driver.session(database=database) as session:
        for label in _labels():
            summary = session.run(statement.render(label=label), scope=graph, rows=rows).consume()
            deleted += summary.counters.relationships_deleted
    return deleted


def delete_graph(
    driver: Any, graph: str, database: str | None = None, rows: int = DELETE_ROWS
) -> int:
    """Delete a graph's relationships, then its nodes, in transactions of `rows`; nodes removed.

    Any size: no transaction holds more than `rows` deletions.
    """
    delete_relationships(driver, graph, database, rows)
    statement = cypher.load("scopes/delete-nodes")
    removed = 0
    with driver.session(database=database) as session:
        for label in _labels():
            summary = session.run(statement.render(label=label), scope=graph, rows=rows).consume()
            removed += summary.counters.nodes_deleted
    return removed


def delete_scope(driver: Any, name: str, database: str | None = None) -> int:
    """Remove a scope: every graph it has (live, staged, old) and their records; nodes removed."""
    removed = 0
    with hold_scopes(driver, [name], database):
        adopt_legacy(driver, name, database)
        for graph, _live in _graph_records(driver, name, database):
            removed += delete_graph(driver, graph, database)
            forget(driver, graph, database)
    return removed
