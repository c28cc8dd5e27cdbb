"""The Neo4j backend: push a portfolio's graph into a scope, and answer the analyses with Cypher.

The graph in Neo4j is the networkx graph of `snitgraf.graph.build_graph`, written node by node and
edge by edge: the same labels, relationship types and properties, plus `scope` on every node.
Every statement comes from `cypher/` (`snitgraf.cypher`); user data only travels as parameters.

The push is atomic for any size (`snitgraf.backends.scopes`): under the scope's lock (a
second push waits) it writes a new graph of the scope in batches, one transaction each, then
swaps the scope to it in one small transaction and deletes the old graph in batches. Killed at
any point, readers see the old graph or the new one, never a mix, and the next push removes
what was left. The nodes' `scope` property holds the id of their graph (`<scope>#<token>`);
readers look the live one up in their own transaction.

The analyses gather the rules' evidence with Cypher on the server, then reuse the same Python
decisions as the networkx backend (`categorise_facts`, `overview_rows`), so both backends print
byte-for-byte the same results.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import networkx as nx

from snitgraf import cypher
from snitgraf.analysis.categorise import (
    DataEvidence,
    InterfaceFacts,
    Source,
    Use,
    merge_evidence,
)
from snitgraf.analysis.overview import ContractFacts, Involvement
from snitgraf.analysis.transition import derive_to_be
from snitgraf.backends import scopes
from snitgraf.backends.base import Backend, CategoryEvidence, OverviewFacts
from snitgraf.gcpause import gc_paused
from snitgraf.graph import AS_IS_LIFECYCLES, State
from snitgraf.i18n import N_, _
from snitgraf.problems import SnitgrafError
from snitgraf.schema import NODES, RELATIONSHIPS, SCOPE, Label, PortfolioGraph, Rel, RelSpec

if TYPE_CHECKING:  # neo4j is imported when first used: most commands never need it
    from neo4j import Driver, ManagedTransaction

_R = TypeVar("_R")

DEFAULT_BATCH_SIZE = 10_000
TO_BE_SUFFIX = "/to-be"
"""The scope of a portfolio's derived TO-BE graph: `<scope>/to-be`, written by the same push."""

MIN_MAJOR_VERSION = 5
USER_AGENT = "snitgraf"
DEFAULT_TIMEOUT_S = 10.0
"""How long connecting (TCP, TLS, the Bolt handshake) may take before it is an error."""
TIMEOUT_ENV = "NEO4J_TIMEOUT"

Auth = tuple[str, str] | None
Progress = Callable[[int, int], None]
"""Called after every batch with (elements written so far, elements in total)."""


# --- connecting ----------------------------------------------------------------------------


def auth_from_env(environ: Mapping[str, str] = os.environ) -> Auth:
    """(user, password) from NEO4J_USER / NEO4J_PASSWORD; None when no password is set."""
    password = environ.get("NEO4J_PASSWORD")
    if not password:
        return None
    return environ.get("NEO4J_USER") or "neo4j", password


_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^/?#@:]*):[^/?#]*@")


def redact_uri(uri: str) -> str:
    """The URI for a message: a password in it (`scheme://user:password@host`) as `***`."""
    return _USERINFO.sub(r"\g<scheme>\g<user>:***@", uri, count=1)


def _check_no_password(uri: str) -> None:
    """Credentials belong in NEO4J_USER / NEO4J_PASSWORD, never in a URI a shell history keeps."""
    if redact_uri(uri) != uri:
        raise SnitgrafError(
            _(
                "a Neo4j URI must not hold a password ({uri}): set NEO4J_USER and "
                "NEO4J_PASSWORD instead"
            ).format(uri=redact_uri(uri))
        )


def timeout_from_env(environ: Mapping[str, str] = os.environ) -> float:
    """The connection timeout in seconds: NEO4J_TIMEOUT, else the default (10 s)."""
    text = environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_TIMEOUT_S
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not seconds > 0 or seconds == float("inf"):
        raise SnitgrafError(
            _("{env} must be a number of seconds above 0, not {value}").format(
                env=TIMEOUT_ENV, value=repr(text)
            )
        )
    return seconds


def _driver(uri: str, auth: Auth, timeout: float) -> Driver:
    """A driver whose connecting (socket, TLS, Bolt handshake) gives up after `timeout` s."""
    import logging

    from neo4j import GraphDatabase

    # The driver logs what it then raises (e.g. "Unable to retrieve routing information"); with
    # no handler, Python prints that to stderr: a second line beside the CLI's one-line error.
    driver_log = logging.getLogger("neo4j")
    if not driver_log.handlers:
        driver_log.addHandler(logging.NullHandler())

    # connection_timeout bounds the TCP connect only; the handshake's deadline is the
    # acquisition timeout (60 s by default), which is what a silent listener runs into.
    return GraphDatabase.driver(
        uri,
        auth=auth,
        user_agent=USER_AGENT,
        connection_timeout=timeout,
        connection_acquisition_timeout=timeout,
    )


def _prompt_auth(uri: str) -> Auth:
    import click

    click.echo(_("Neo4j at {uri} wants a user name and password.").format(uri=uri), err=True)
    user = click.prompt("user", default=os.environ.get("NEO4J_USER") or "neo4j", err=True)
    password = click.prompt("password", hide_input=True, err=True)
    return user, password


def _first_line(error: BaseException) -> str:
    from neo4j.exceptions import Neo4jError

    message = error.message if isinstance(error, Neo4jError) else None
    text = str(message or error).strip()
    return text.splitlines()[0].rstrip(" :") if text else type(error).__name__


def _causes(error: BaseException) -> list[BaseException]:
    """The error and what caused it, outermost first."""
    chain = [error]
    while (cause := chain[-1].__cause__ or chain[-1].__context__) and cause not in chain:
        chain.append(cause)
    return chain


def _timed_out(chain: list[BaseException]) -> bool:
    """True when connecting failed because the server did not answer in time."""
    if any(isinstance(c, TimeoutError) for c in chain):
        return True
    text = "\n".join(str(c) for c in chain)
    return "Deadline(timeout=" in text or "timed out" in text


def _unreachable_reason(
    error: Exception, uri: str, timeout: float = DEFAULT_TIMEOUT_S, diagnose: bool = True
) -> str:
    """Why the server could not be reached, named by its root cause, with what to do for TLS.

    The driver's own first line ("Couldn't connect to ...", "Unable to retrieve routing
    information") hides the cause; a routing URI hides it entirely, so its direct twin
    (neo4j+s:// -> bolt+s://) is tried once to find it.
    """
    import ssl

    chain = _causes(error)
    tls = next((c for c in chain if isinstance(c, ssl.SSLError)), None)
    if isinstance(tls, ssl.SSLCertVerificationError):
        return (
            f"its TLS certificate is not trusted ({tls.verify_message}); trust the CA that "
            "signed it (SSL_CERT_FILE), or use +ssc for a self-signed certificate"
        )
    if tls is not None:
        return f"TLS failed ({tls.reason or _first_line(tls)})"
    if _timed_out(chain):
        return _("no answer within {seconds} s (a longer wait: --timeout or {env})").format(
            seconds=f"{timeout:g}", env=TIMEOUT_ENV
        )
    text = "\n".join(str(c) for c in chain)
    if "incomplete handshake" in text:
        return (
            "the connection closed during the Bolt handshake (if the server requires TLS, use "
            "bolt+s:// or neo4j+s://, or +ssc for a self-signed certificate)"
        )
    scheme, _sep, rest = uri.partition("://")
    if diagnose and scheme.startswith("neo4j") and "routing information" in text:
        direct = "bolt" + scheme.removeprefix("neo4j") + "://" + rest
        found = _direct_failure(direct, timeout)
        if found is not None:
            return _unreachable_reason(found, direct, timeout, diagnose=False)
    os_error = next((c for c in chain[1:] if isinstance(c, OSError)), None)
    if os_error is not None:
        return f"{_first_line(error)}: {os_error}"
    return _first_line(error)


def _direct_failure(uri: str, timeout: float) -> Exception | None:
    """The error a direct (bolt) connection to the same server ends in, if any."""
    try:
        with _driver(uri, None, timeout) as driver:
            driver.verify_connectivity()
    except Exception as error:
        return error
    return None


def _connection_error(
    error: Exception, uri: str, database: str | None, timeout: float = DEFAULT_TIMEOUT_S
) -> SnitgrafError:
    """One line for what went wrong talking to the server (never the password)."""
    from neo4j import exceptions as ex

    if isinstance(error, ex.AuthError):
        return SnitgrafError(
            _("authentication failed at {uri} (set NEO4J_USER and NEO4J_PASSWORD): {error}").format(
                uri=uri, error=_first_line(error)
            )
        )
    if isinstance(error, ex.ServiceUnavailable | OSError):
        reason = _unreachable_reason(error, uri, timeout)
        return SnitgrafError(
            _("cannot reach Neo4j at {uri}: {reason}").format(uri=uri, reason=reason)
        )
    code = (error.code if isinstance(error, ex.Neo4jError) else None) or ""
    if code.endswith("DatabaseNotFound"):
        return SnitgrafError(
            _("database {database!r} does not exist at {uri}").format(database=database, uri=uri)
        )
    if isinstance(error, ex.ConfigurationError | ValueError):
        return SnitgrafError(
            _("cannot use Neo4j URI {uri}: {error}").format(uri=uri, error=_first_line(error))
        )
    return SnitgrafError(_("Neo4j at {uri}: {error}").format(uri=uri, error=_first_line(error)))


def check_version(components: Iterable[Mapping[str, Any]]) -> str:
    """The kernel's version from `dbms.components()` rows; an error below 5.x."""
    for row in components:
        if row.get("name") == "Neo4j Kernel":
            version = str((row.get("versions") or ["?"])[0])
            edition = row.get("edition") or ""
            major = version.split(".")[0]
            if not major.isdigit() or int(major) < MIN_MAJOR_VERSION:
                raise SnitgrafError(
                    f"Neo4j {version} {edition} is too old: snitgraf needs Neo4j "
                    f"{MIN_MAJOR_VERSION}.x or newer"
                )
            return f"{version} {edition}".strip()
    raise SnitgrafError("the server did not say which Neo4j it is (dbms.components())")


def open_driver(
    uri: str,
    database: str | None = None,
    auth: Auth = None,
    prompt: bool | None = None,
    timeout: float | None = None,
) -> Driver:
    """A driver that has reached the server, logged in and checked it runs Neo4j 5.x or newer.

    `auth` defaults to NEO4J_USER/NEO4J_PASSWORD; when the server wants credentials none were
    given for, they are asked for on a terminal (`prompt`, default: stdin is a TTY).
    Connecting gives up after `timeout` seconds (default NEO4J_TIMEOUT, else 10). Every failure
    is one `SnitgrafError` line.
    """
    from neo4j import exceptions as ex

    _check_no_password(uri)
    given = auth if auth is not None else auth_from_env()
    seconds = timeout if timeout is not None else timeout_from_env()
    if prompt is None:
        prompt = sys.stdin.isatty()
    try:
        driver = _driver(uri, given, seconds)
    except Exception as error:
        raise _connection_error(error, uri, database, seconds) from None
    try:
        try:
            # Without this the driver retries for 30-60 s before its first query fails.
            driver.verify_connectivity()
        except ex.AuthError:
            if given is not None or not prompt:
                raise
            driver.close()
            driver = _driver(uri, _prompt_auth(uri), seconds)
            driver.verify_connectivity()
        components, _keys, _summary = driver.execute_query(
            cypher.load("server/components").text,
            database_=database,
            routing_="r",
        )
        check_version(r.data() for r in components)
    except SnitgrafError:
        driver.close()
        raise
    except Exception as error:
        driver.close()
        raise _connection_error(error, uri, database, seconds) from None
    return driver


# --- push ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeCounts:
    """What a push wrote into one scope: nodes per label, relationships per type."""

    scope: str
    nodes: dict[str, int]
    relationships: dict[str, int]

    @property
    def elements(self) -> int:
        """Nodes and relationships written."""
        return sum(self.nodes.values()) + sum(self.relationships.values())

    def text(self) -> str:
        """'122 nodes (14 Supplier, ...), 175 relationships (33 SUPPLIES, ...)'."""
        nodes = ", ".join(f"{n} {label}" for label, n in self.nodes.items() if n)
        rels = ", ".join(f"{n} {rel}" for rel, n in self.relationships.items() if n)
        return (
            f"{sum(self.nodes.values())} nodes ({nodes}), "
            f"{sum(self.relationships.values())} relationships ({rels})"
        )


@dataclass(frozen=True)
class PushSummary:
    """What a push wrote per scope, how many stale nodes it removed, how long it took."""

    uri: str
    database: str | None
    scopes: tuple[ScopeCounts, ...]
    removed_nodes: int
    seconds: float
    old_graphs_left: str = ""
    """Why the replaced graphs are still there (the next push removes them); empty if gone."""

    @property
    def elements(self) -> int:
        """Nodes and relationships written, in every scope."""
        return sum(s.elements for s in self.scopes)

    def line(self) -> str:
        """The one summary line `snitgraf push` prints."""
        where = self.uri + (f" database {self.database}" if self.database else "")
        parts = "; ".join(f"scope {s.scope!r}: {s.text()}" for s in self.scopes)
        left = (
            _("; the old graph is still there, the next push removes it ({reason})").format(
                reason=self.old_graphs_left
            )
            if self.old_graphs_left
            else ""
        )
        return (
            f"pushed to {where} {parts}; removed {self.removed_nodes} stale nodes; "
            f"{self.seconds:.1f} s{left}"
        )


@dataclass(frozen=True)
class _ScopeGraph:
    """A graph grouped for the push in one pass: node and edge attributes by label and type."""

    scope: str
    nodes: dict[Label, list[dict[str, Any]]]
    edges: dict[Rel, list[tuple[str, str, dict[str, Any]]]]
    graph: str = ""
    """The graph id the nodes are written with (`scope` property); the scope's name if empty."""

    @classmethod
    def of(cls, scope: str, graph: PortfolioGraph) -> _ScopeGraph:
        """Group the graph's nodes and edges, checking them against the schema on the way."""
        nodes: dict[str, list[dict[str, Any]]] = {spec.label.value: [] for spec in NODES}
        edges: dict[tuple[str, str, str], list[tuple[str, str, dict[str, Any]]]] = {
            (s.type.value, s.source.value, s.target.value): [] for s in RELATIONSHIPS
        }
        for key, attrs in graph.nodes(data=True):
            found = nodes.get(str(attrs.get("label")))
            if found is None or attrs.get("id") is None:
                raise SnitgrafError(f"node {key!r} is not in the graph schema")
            found.append(attrs)
        for source, target, attrs in graph.edges(data=True):
            kind = (str(attrs.get("type")), source[0], target[0])
            found_edges = edges.get(kind)
            if found_edges is None:
                raise SnitgrafError(
                    f"edge {source!r} -{kind[0]}-> {target!r} is not in the graph schema"
                )
            found_edges.append((source[1], target[1], attrs))
        return cls(
            scope,
            {spec.label: nodes[spec.label.value] for spec in NODES},
            {s.type: edges[(s.type.value, s.source.value, s.target.value)] for s in RELATIONSHIPS},
        )

    def counts(self) -> ScopeCounts:
        return ScopeCounts(
            self.scope,
            {label.value: len(rows) for label, rows in self.nodes.items()},
            {rel.value: len(rows) for rel, rows in self.edges.items()},
        )

    def node_rows(self, label: Label) -> Iterator[dict[str, Any]]:
        """A node's properties, `scope` and `id` included, as one flat map (its row).

        Flat, not {id, props}: one map fewer per row to decode on the server, about a third
        of the node statements' time.
        """
        scope = self.graph or self.scope
        for attrs in self.nodes[label]:
            props = {k: v for k, v in attrs.items() if k != "label"}
            props[SCOPE] = scope
            yield props

    def edge_batches(
        self, spec: RelSpec, size: int, element_ids: Mapping[tuple[Label, str], str]
    ) -> Iterator[tuple[bool, dict[str, Any]]]:
        """(bare, parameters of create-relationships) batch by batch.

        The parameters are {sources, targets, rows}: `sources` and `targets` are the element
        ids of the batch's distinct ends (each looked up once on the server); a row is [source
        position, target position, the relationship's properties]. A batch whose relationships
        have no properties is `bare`: its rows are just the two positions.
        """
        edges = self.edges[spec.type]
        for start in range(0, len(edges), size):
            sources: dict[str, int] = {}
            targets: dict[str, int] = {}
            rows = [
                [
                    sources.setdefault(source, len(sources)),
                    targets.setdefault(target, len(targets)),
                    {k: v for k, v in attrs.items() if k != "type"},
                ]
                for source, target, attrs in edges[start : start + size]
            ]
            bare = not any(row[2] for row in rows)
            if bare:
                rows = [row[:2] for row in rows]
            yield (
                bare,
                {
                    "sources": [element_ids[spec.source, source] for source in sources],
                    "targets": [element_ids[spec.target, target] for target in targets],
                    "rows": rows,
                },
            )

    def node_writes(self, batch_size: int) -> Iterator[tuple[Label, str, dict[str, Any], int]]:
        """(label, statement, parameters, row count) per batch of nodes (a new graph: CREATE)."""
        write = cypher.load("push/create-nodes")
        for spec in NODES:
            text = write.render(label=spec.label.value)
            for batch in _batches(self.node_rows(spec.label), batch_size):
                yield spec.label, text, {"rows": batch}, len(batch)

    def edge_writes(
        self, element_ids: Mapping[tuple[Label, str], str], batch_size: int
    ) -> Iterator[tuple[str, dict[str, Any], int]]:
        """(statement, parameters, row count) per batch of relationships.

        `element_ids` maps (label, id) to the element id the node statements returned.
        """
        with_props = cypher.load("push/create-relationships")
        bare_ones = cypher.load("push/create-bare-relationships")
        for rel in RELATIONSHIPS:
            ends = {"type": rel.type.value, "source": rel.source.value, "target": rel.target.value}
            texts = {False: with_props.render(**ends), True: bare_ones.render(**ends)}
            for bare, params in self.edge_batches(rel, batch_size, element_ids):
                yield texts[bare], params, len(params["rows"])


def check_schema(graph: PortfolioGraph) -> None:
    """Every node and edge of the graph has a label / type and ends the schema declares."""
    _ScopeGraph.of("", graph)


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def constraint_name(label: Label) -> str:
    """The name of the (scope, id) uniqueness constraint of a label."""
    return f"snitgraf_{label.value.lower()}_{SCOPE}_id"


def create_constraints(driver: Driver, database: str | None = None) -> None:
    """Uniqueness of (scope, id) for every label, and of the scope records (`IF NOT EXISTS`)."""
    scopes.create_catalogue_constraints(driver, database)
    statement = cypher.load("schema/constraint")
    for spec in NODES:
        driver.execute_query(
            statement.render(name=constraint_name(spec.label), label=spec.label.value),
            database_=database,
        )


def push_graphs(
    driver: Driver,
    graphs: Mapping[str, PortfolioGraph],
    database: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    uri: str = "",
    on_wait: scopes.OnWait | None = None,
) -> PushSummary:
    """Replace each scope's graph by the given one, all scopes at once, any size.

    Holding the scopes' locks (a second push waits; `on_wait` is told): delete what killed
    pushes left, write each graph as a new staged graph in batches of `batch_size` rows (one
    transaction each), swap all scopes to their new graphs in one small transaction, then
    delete the old graphs in batches. Readers see the old graphs until the swap, the new ones
    after it; see `snitgraf.backends.scopes`.
    """
    if batch_size < 1:
        raise SnitgrafError("batch size must be at least 1")
    # Some 200,000 acyclic row dicts and lists: see snitgraf.gcpause.
    with gc_paused():
        return _push_graphs(driver, graphs, database, batch_size, progress, uri, on_wait)


def _push_graphs(
    driver: Driver,
    graphs: Mapping[str, PortfolioGraph],
    database: str | None,
    batch_size: int,
    progress: Progress | None,
    uri: str,
    on_wait: scopes.OnWait | None,
) -> PushSummary:
    started = time.perf_counter()
    prepared = [_ScopeGraph.of(scope, graph) for scope, graph in graphs.items()]
    create_constraints(driver, database)
    counts = [p.counts() for p in prepared]
    total = sum(c.elements for c in counts)
    done = 0
    with scopes.hold_scopes(driver, list(graphs), database, on_wait):
        old: dict[str, str | None] = {}
        for scope_graph in prepared:
            scopes.clean_up(driver, scope_graph.scope, database, batch_size)
            old[scope_graph.scope] = scopes.adopt_legacy(driver, scope_graph.scope, database)
        staged: dict[str, str] = {}
        for scope_graph in prepared:
            graph_id = scopes.new_graph_id(scope_graph.scope)
            scopes.register(driver, scope_graph.scope, graph_id, database)
            staged[scope_graph.scope] = graph_id
            done = _stage(
                driver,
                replace(scope_graph, graph=graph_id),
                database,
                batch_size,
                lambda n: _advance(progress, n, total),
                done,
            )
        removed = sum(
            _count_stale(driver, scope_graph, old_graph, database)
            for scope_graph in prepared
            if (old_graph := old[scope_graph.scope]) is not None
        )
        scopes.swap(driver, staged, database)
        left = _delete_old([g for g in old.values() if g is not None], driver, database, batch_size)
    return PushSummary(
        uri=uri,
        database=database,
        scopes=tuple(counts),
        removed_nodes=removed,
        seconds=time.perf_counter() - started,
        old_graphs_left=left,
    )


def _delete_old(graphs: list[str], driver: Driver, database: str | None, batch_size: int) -> str:
    """Delete the replaced graphs in batches; why not, when the server refused (else "").

    The push has succeeded by now (the swap is committed): a failure here leaves the old graph
    to the next push, it does not fail this one.
    """
    from neo4j.exceptions import Neo4jError

    try:
        for graph in graphs:
            scopes.delete_graph(driver, graph, database, batch_size)
            scopes.forget(driver, graph, database)
    except Neo4jError as error:
        return _first_line(error)
    return ""


def _stage(
    driver: Driver,
    scope_graph: _ScopeGraph,
    database: str | None,
    batch_size: int,
    advance: Callable[[int], int],
    done: int,
) -> int:
    """Write a staged graph batch by batch, one transaction per batch; elements done after.

    Each transaction holds one batch, so the server's transaction memory bounds the batch,
    not the graph. The staged nodes' element ids stay valid across the transactions: only the
    holder of the scope's lock deletes a graph of the scope, and never its staged one.
    """
    element_ids: dict[tuple[Label, str], str] = {}
    with driver.session(database=database) as session:
        # One statement at a time: sending the next batch before the previous one is written
        # was measured no faster (the server is the bottleneck).
        for label, text, params, rows in scope_graph.node_writes(batch_size):
            with session.begin_transaction() as tx:
                record = tx.run(text, params).single(strict=True)
                tx.commit()
            element_ids.update(((label, id_), element_id) for id_, element_id in record["ids"])
            done = advance(done + rows)
        for text, params, rows in scope_graph.edge_writes(element_ids, batch_size):
            with session.begin_transaction() as tx:
                tx.run(text, params).consume()
                tx.commit()
            done = advance(done + rows)
    return done


def _count_stale(
    driver: Driver, scope_graph: _ScopeGraph, old_graph: str, database: str | None
) -> int:
    """How many nodes of the old graph the new one no longer has (for the summary line)."""
    statement = cypher.load("push/count-stale-nodes")
    stale = 0
    for spec in NODES:
        ids = [attrs["id"] for attrs in scope_graph.nodes[spec.label]]
        records, _keys, _summary = driver.execute_query(
            statement.render(label=spec.label.value),
            scope=old_graph,
            ids=ids,
            database_=database,
            routing_="r",
        )
        stale += int(records[0]["stale"]) if records else 0
    return stale


def _advance(progress: Progress | None, done: int, total: int) -> int:
    """Report `done` of `total` to the progress bar, if any; return `done`."""
    if progress:
        progress(done, total)
    return done


def derived_to_be(graph: PortfolioGraph) -> PortfolioGraph:
    """The derived TO-BE graph, pushed beside the portfolio (scope + TO_BE_SUFFIX)."""
    return derive_to_be(graph).graph


def push_error(error: Exception, uri: str, database: str | None) -> SnitgrafError:
    """One line for a failed push; the transaction was rolled back, so nothing changed."""
    from neo4j import exceptions as ex

    if isinstance(error, SnitgrafError):
        return error
    if isinstance(error, ex.ConstraintError):
        return SnitgrafError(
            f"push refused by a constraint of the database, nothing was changed: "
            f"{_first_line(error)}"
        )
    code = (error.code if isinstance(error, ex.Neo4jError) else None) or ""
    if "MemoryPoolOutOfMemory" in code or "memory.transaction" in _first_line(error):
        return SnitgrafError(
            _(
                "a batch of the push does not fit the server's transaction memory, nothing was "
                "changed: push with a smaller --batch-size, or give the server more "
                "(db.memory.transaction.max)"
            )
        )
    if "Schema" in code:
        return SnitgrafError(f"cannot create snitgraf's constraints at {uri}: {_first_line(error)}")
    return _connection_error(error, uri, database)


def delete_scope(driver: Driver, scope: str, database: str | None = None) -> int:
    """Remove a scope's graphs (in batches, under its lock); returns how many nodes were removed."""
    return scopes.delete_scope(driver, scope, database)


# --- analyses ------------------------------------------------------------------------------


def _lifecycles(state: State) -> list[str] | None:
    return sorted(AS_IS_LIFECYCLES) if state == "as-is" else None


def _codes(value: Any) -> tuple[str, ...]:
    """Assumption codes as the graph stores them (a list, `|`-text, or several lists)."""
    if not value:
        return ()
    items: list[Any] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, list):
            items.extend(item)
        elif isinstance(item, str):
            items.extend(item.split("|"))
    return tuple(sorted({str(i).strip() for i in items if str(i).strip()}))


def facts_from_records(
    interfaces: Iterable[Mapping[str, Any]],
    uses: Iterable[Mapping[str, Any]],
    sources: Iterable[Mapping[str, Any]],
) -> tuple[list[InterfaceFacts], dict[str, DataEvidence]]:
    """The rules' evidence from the rows of the categorise-* statements (as `gather` builds it)."""
    facts = [
        InterfaceFacts(
            interface=row["interface"],
            name=row["name"],
            data=row["data"],
            provider=row["provider"],
            provider_name=row["provider_name"],
            provider_monopoly=bool(row["provider_monopoly"]),
            assumptions=_codes(row.get("assumptions")),
        )
        for row in interfaces
    ]
    must: dict[str, set[Use]] = defaultdict(set)
    nice: dict[str, set[Use]] = defaultdict(set)
    for row in uses:
        target = must if row["need"] == "must" else nice
        for use in row["uses"]:
            target[row["data"]].add(
                Use(
                    use["system"],
                    use["system_name"],
                    use["interface"],
                    use.get("lifecycle") or "both",
                    _codes(use.get("assumptions")),
                )
            )
    found: dict[str, set[Source]] = defaultdict(set)
    for row in sources:
        for source in row["sources"]:
            found[row["data"]].add(
                Source(
                    source["supplier"],
                    source["supplier_name"],
                    source["system"],
                    source["system_name"],
                    source["interface"],
                    source.get("lifecycle") or "both",
                    _codes(source.get("assumptions")),
                    source.get("taken_over_from"),
                )
            )
    evidence = {
        data: DataEvidence(
            data,
            tuple(sorted(must.get(data, ()))),
            tuple(sorted(nice.get(data, ()))),
            tuple(sorted(found.get(data, ()))),
        )
        for data in {f.data for f in facts} | must.keys() | nice.keys() | found.keys()
    }
    return facts, evidence


@dataclass
class Neo4jBackend(Backend):
    """A pushed portfolio (one scope) in a Neo4j database; the rules' evidence and the overview
    are gathered by Cypher on the server, the whole-graph analyses read the scope back."""

    driver: Driver
    scope: str
    database: str | None = None
    uri: str = ""
    owns_driver: bool = True
    municipality: str | None = None
    """With a code, row-level answers are that municipality's (categories stay the catalogue's)."""
    name: ClassVar[str] = "neo4j"

    @classmethod
    def connect(
        cls,
        uri: str,
        scope: str | None = None,
        database: str | None = None,
        auth: Auth = None,
        municipality: str | None = None,
    ) -> Neo4jBackend:
        """Connect, check the server, and pick the scope (the only one when not given).

        With `municipality`, its part of the scope's graph is read back to filter the rows.
        """
        driver = open_driver(uri, database, auth)
        try:
            scopes = list_scopes(driver, database, uri)
            base = [s for s in scopes if not s.endswith(TO_BE_SUFFIX)]
            if scope is None:
                if len(base) != 1:
                    listed = ", ".join(repr(s) for s in base) or "none"
                    raise SnitgrafError(
                        f"name a scope with --scope: {uri} holds {len(base)} pushed "
                        f"portfolios ({listed})"
                    )
                scope = base[0]
            elif scope not in scopes:
                listed = ", ".join(repr(s) for s in base) or "none"
                raise SnitgrafError(
                    f"scope {scope!r} is empty at {uri} (push a portfolio into it first; "
                    f"scopes: {listed})"
                )
            backend = cls(driver, scope, database, uri, municipality=municipality)
            if municipality is not None:
                from snitgraf.municipality import check_municipality

                check_municipality(backend.full_graph, municipality)
        except BaseException:
            driver.close()
            raise
        return backend

    def _read(self, work: Callable[[ManagedTransaction], _R]) -> _R:
        try:
            with self.driver.session(database=self.database) as session:
                return session.execute_read(work)
        except SnitgrafError:
            raise
        except Exception as error:
            raise _connection_error(error, self.uri, self.database) from None

    def _to_be_scope(self) -> str:
        scope = self.scope + TO_BE_SUFFIX
        if scope not in list_scopes(self.driver, self.database, self.uri):
            raise SnitgrafError(
                f"the categories on Neo4j need the derived TO-BE graph in scope {scope!r}: "
                "push the portfolio again with this snitgraf"
            )
        return scope

    def _state_scope(self, state: State) -> tuple[str, list[str] | None]:
        if state != "to-be":
            return self.scope, _lifecycles(state)
        return self._to_be_scope(), None

    @staticmethod
    def _gather(
        tx: ManagedTransaction, scope: str, names: tuple[str, ...]
    ) -> list[list[dict[str, Any]]]:
        params = {"scope": _graph_of(tx, scope), "lifecycles": None}
        return [
            [r.data() for r in tx.run(cypher.load(f"analysis/{name}").text, params)]
            for name in names
        ]

    def category_evidence(self) -> CategoryEvidence:
        """The rules' evidence over the whole transition, gathered by Cypher: the scope as
        stated (every lifecycle) and its derived TO-BE scope, in one read transaction."""
        to_be = self._to_be_scope()
        every = ("categorise-interfaces", "categorise-uses", "categorise-sources")

        def work(
            tx: ManagedTransaction,
        ) -> tuple[list[list[dict[str, Any]]], list[list[dict[str, Any]]]]:
            return self._gather(tx, self.scope, every), self._gather(tx, to_be, every[1:])

        (interfaces, uses, sources), (later_uses, later_sources) = self._read(work)
        facts, stated = facts_from_records(interfaces, uses, sources)
        _facts, derived = facts_from_records([], later_uses, later_sources)
        return facts, merge_evidence(stated, derived)

    def overview_facts(self, state: State = "all") -> OverviewFacts:
        """Monopoly involvements, contracts and provider SKI, by Cypher on the server (with
        `municipality`: from the municipality's part of the scope's graph, as on networkx)."""
        if self.municipality is not None:
            return super().overview_facts(state)
        scope, lifecycles = self._state_scope(state)

        def work(tx: ManagedTransaction) -> Any:
            params = {"scope": _graph_of(tx, scope), "lifecycles": lifecycles}

            def run(name: str) -> list[dict[str, Any]]:
                return [r.data() for r in tx.run(cypher.load(f"analysis/{name}").text, params)]

            return (
                run("overview-involvements"),
                run("overview-contracts"),
                run("overview-provider-ski"),
            )

        involved, contracts, skis = self._read(work)
        involvements = sorted(
            {
                Involvement(
                    row["system"],
                    row["system_name"],
                    row["interface"],
                    "provides" if row["type"] == Rel.PROVIDES.value else "uses",
                    row["need"],
                )
                for row in involved
            },
            key=lambda i: (i.system, i.interface, i.role),
        )
        contract_facts = [
            ContractFacts(
                row["id"],
                row["interface"],
                row["supplier"],
                row["expires"],
                row["annual_cost_dkk"],
            )
            for row in contracts
        ]
        provider_ski = {row["interface"]: row["ski"] for row in skis}
        return involvements, contract_facts, provider_ski

    def run_query(
        self, text: str, parameters: Mapping[str, Any], write: bool = False
    ) -> tuple[list[str], list[list[Any]]]:
        """Run one Cypher statement with `$scope` and `$to_be_scope` set (the graphs' ids).

        A READ transaction unless `write`.
        """
        from neo4j import exceptions as ex

        def work(tx: ManagedTransaction) -> tuple[list[str], list[list[Any]]]:
            params = {
                "scope": _graph_of(tx, self.scope),
                "to_be_scope": _graph_of(tx, self.scope + TO_BE_SUFFIX),
                **parameters,
            }
            if not write and not _reads_only(tx.run(f"EXPLAIN {text}", params).consume()):
                raise SnitgrafError(_(READ_ONLY))
            result = tx.run(text, params)
            keys = list(result.keys())
            return keys, [[plain(value) for value in record.values()] for record in result]

        try:
            with self.driver.session(database=self.database) as session:
                if write:
                    return session.execute_write(work)
                return session.execute_read(work)
        except SnitgrafError:
            raise
        except ex.Neo4jError as error:
            code = error.code or ""
            if not write and code.endswith("AccessMode"):
                raise SnitgrafError(_(READ_ONLY)) from None
            raise SnitgrafError(f"Cypher error: {_first_line(error)}") from None
        except Exception as error:
            raise _connection_error(error, self.uri, self.database) from None

    @cached_property
    def full_graph(self) -> PortfolioGraph:
        """The scope read back as a networkx graph, exactly as `build_graph` made it.

        For the analyses that walk the whole graph in Python (gap, impact, plan, budget,
        render, report, national); categorise and overview stay Cypher on the server.
        """

        def work(tx: ManagedTransaction) -> tuple[list[Any], list[Any]]:
            params = {"scope": _graph_of(tx, self.scope)}
            nodes = [r.values() for r in tx.run(cypher.load("read/nodes").text, params)]
            rels = [r.values() for r in tx.run(cypher.load("read/relationships").text, params)]
            return nodes, rels

        node_rows, rel_rows = self._read(work)
        return graph_from_records(node_rows, rel_rows)

    def close(self) -> None:
        """Close the driver (when this backend opened it)."""
        if self.owns_driver:
            self.driver.close()


READ_ONLY = N_(
    "the query writes to the database or changes the server; queries run read-only unless --write"
)
"""Translated where it is raised (`_(READ_ONLY)`): the language is set after import."""

SERVER_CHANGING_OPERATORS = frozenset({"TerminateTransactions"})
"""Plan operators of statements that pass as reads but act on the server (others' work)."""


def _reads_only(summary: Any) -> bool:
    """True when an EXPLAINed statement only reads: query type 'r', no server-changing operator.

    A READ transaction already refuses writes; the plan also catches what it lets through:
    procedures in DBMS or schema mode (type 's', e.g. db.clearQueryCaches) and TERMINATE
    TRANSACTIONS, which ends other users' transactions.
    """
    if summary.query_type != "r":
        return False
    stack = [summary.plan or {}]
    while stack:
        plan = stack.pop()
        operator = str(plan.get("operatorType", "")).split("@")[0]
        if operator in SERVER_CHANGING_OPERATORS:
            return False
        stack.extend(plan.get("children", []))
    return True


def _graph_of(tx: ManagedTransaction, scope: str) -> str:
    """The graph id the scope's nodes carry, read in the reader's own transaction.

    A scope without a graph gives its name: the statements then find nothing.
    """
    return scopes.live_graph_in(tx, scope) or scope


def graph_from_records(
    node_rows: Iterable[tuple[str, Mapping[str, Any]]],
    rel_rows: Iterable[tuple[str, str, str, Mapping[str, Any], str, str]],
) -> PortfolioGraph:
    """A networkx graph (schema of `snitgraf.graph`) from the rows of cypher/read/*."""
    graph: PortfolioGraph = nx.MultiDiGraph()
    for label, props in node_rows:
        attrs = {k: plain(v) for k, v in props.items() if k != SCOPE}
        graph.add_node((label, attrs["id"]), label=label, **attrs)
    for source_label, source, rel_type, props, target_label, target in sorted(
        rel_rows, key=lambda row: (row[2], row[0], row[1], row[4], row[5])
    ):
        attrs = {k: plain(v) for k, v in props.items()}
        graph.add_edge((source_label, source), (target_label, target), type=rel_type, **attrs)
    return graph


def list_scopes(driver: Driver, database: str | None = None, uri: str = "") -> list[str]:
    """The scopes (pushed portfolios, TO-BE scopes included) in the database, sorted."""
    try:
        records, _keys, _summary = driver.execute_query(
            cypher.load("server/scopes").text, database_=database, routing_="r"
        )
    except Exception as error:
        raise _connection_error(error, uri, database) from None
    return sorted(r["scope"] for r in records if r["scope"] is not None)


def plain(value: Any) -> Any:
    """A value from a Cypher result as plain JSON-able Python (nodes as their properties)."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return [plain(n) for n in value.nodes]
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
