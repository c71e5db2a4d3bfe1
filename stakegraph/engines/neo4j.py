"""The Neo4j store: push a workspace to a shared Neo4j database and pull it back.

The mapping is the one of :mod:`stakegraph.io.property_graph`, so a question means the same on
both engines: every node of :func:`~stakegraph.io.property_graph.build_graph` (full history)
becomes a Neo4j node with the same label, every edge a relationship with the same
type, and :meth:`Store.pull` rebuilds a networkx graph from the database (in pages,
:mod:`stakegraph.engines.neo4j_pull`) and hands it to
:func:`~stakegraph.io.property_graph.graph_to_workspace`.

Stored form
-----------
* Nodes carry ``workspace`` (the workspace id) and ``id`` (the record id; steps
  ``"<opportunity>/<step>"``), unique together per label, plus the record's fields.
  Several workspaces share one database; every query is scoped to one of them.
* Relationships carry the edge attributes plus ``key``, which with the two end
  nodes and the type identifies the relationship for MERGE: the record id for
  edges that are records (TIE, RELATES), ``"#<order>"`` for edges from a list
  (HOLDS, ROLE, GUIDED_BY, ...), else ``""``.
* Dates are Neo4j ``DATE`` values, lists of strings or numbers are lists, enums
  their string value, and absent (None) values are not stored.
* Nested data is flattened: a mapping field (a survey's ``scores``) becomes two
  parallel lists ``<field>__keys`` and ``<field>__values`` (query it with
  ``apoc.map.fromLists(s.scores__keys, s.scores__values)``); a list Neo4j cannot
  store (mixed types) becomes a JSON string ``<field>__json``.
* Every node and relationship carries ``_seq``, its position in the pushed graph,
  so :meth:`Store.pull` gives the records back in their original order (the
  analyses break ties by record order, so a report on a pulled workspace is the
  report on the folder).
* Derived properties, written for the named queries and dropped by :meth:`Store.pull`
  (:data:`DERIVED`): each Post has ``live_start``/``live_end``, the days its own
  lifetime and its organisation's both cover (absent when open); a Person with dated
  names has three parallel lists ``name_history``, ``name_starts`` and ``name_ends``
  (ISO dates, ``""`` when open), so a query can take the name in force on a day.
* Every node carries ``_version`` and ``_hash`` and every relationship ``_version``, for
  a team's optimistic concurrency (:mod:`stakegraph.engines.neo4j_team`): a push keeps
  a record's version when it is unchanged and refuses files behind the server; pull
  drops them from the records and hands the versions back in ``G.graph["versions"]``.
* One ``StakegraphWorkspace`` node per workspace records its name, its
  ``stakegraph.toml`` text, the counts and whether the last push completed.

Pushing is idempotent: uniqueness constraints on ``(workspace, id)`` per label come
first, then nodes and relationships are upserted with UNWIND-batched MERGE (one
transaction per batch), then whatever this workspace no longer has is deleted. A
push killed between batches leaves no duplicates (MERGE on unique keys) and a
re-run completes it; until then :meth:`Store.pull` refuses the half-written
workspace. Labels and relationship types in query text come only from the
allow-lists :data:`~stakegraph.io.property_graph.LABELS` and
:data:`~stakegraph.io.property_graph.EDGE_TYPES`; every value is a query parameter.

Credentials come from the arguments of :func:`connect` or the environment
(``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``); they are never printed,
logged or written, and error messages name the server without them.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import networkx as nx

from stakegraph._gc import gc_paused
from stakegraph.engines.neo4j_properties import (
    WORKSPACE_LABEL,
    _derived,
    edge_key,
    query_edge_type,
    query_label,
    to_properties,
)
from stakegraph.engines.neo4j_pull import read_graph
from stakegraph.errors import (
    AuthError,
    DatabaseNotFound,
    IncompletePush,
    QueryTimedOut,
    ServerUnreachable,
    StoreError,
    WorkspaceNotStored,
)
from stakegraph.io.property_graph import LABELS, build_graph, graph_to_workspace
from stakegraph.records.workspace import Workspace

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
FORMAT_VERSION = 1
#: Property holding a node's or relationship's position in the pushed graph, so a
#: pull rebuilds the records in the order of the workspace's files.
SEQ = "_seq"

Progress = Callable[[int], None]
#: (relationship type, from label, to label): edges pushed by one query.
EdgeGroup = tuple[str, str, str]


# --- errors ------------------------------------------------------------------------------
def _safe_uri(uri: str) -> str:
    """The URI without user info or query, fit for messages."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<invalid URI>"
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


# --- queries: text only from the allow-lists ---------------------------------------------
@cache
def _constraint_query(label: str) -> str:
    label = query_label(label)
    return (
        f"CREATE CONSTRAINT stakegraph_{label.lower()}_key IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE (n.workspace, n.id) IS UNIQUE"
    )


#: Labels whole-workspace scans start from (the region's columns, a targeted read's
#: owners and records of ours): each gets a range index on ``workspace`` alone, so a
#: scan reads one workspace's nodes, not the label across every workspace stored.
WORKSPACE_SCAN_LABELS = (
    "Person",
    "Post",
    "Owner",
    "Reform",
    "Interaction",
    "Survey",
    "Assessment",
    "Action",
)


@cache
def _workspace_index_query(label: str) -> str:
    label = query_label(label)
    return (
        f"CREATE INDEX stakegraph_{label.lower()}_workspace IF NOT EXISTS "
        f"FOR (n:{label}) ON (n.workspace)"
    )


_WORKSPACE_CONSTRAINT = (
    f"CREATE CONSTRAINT stakegraph_workspace_id IF NOT EXISTS "
    f"FOR (w:{WORKSPACE_LABEL}) REQUIRE w.id IS UNIQUE"
)


@cache
def _merge_nodes_query(label: str) -> str:
    return (
        "UNWIND $rows AS row "
        f"MERGE (n:{query_label(label)} {{workspace: $workspace, id: row[0]}}) "
        "SET n = row[1], n.workspace = $workspace, n.id = row[0]"
    )


@cache
def _merge_edges_query(edge_type: str, source: str, target: str) -> str:
    return (
        "UNWIND $rows AS row "
        f"MATCH (a:{query_label(source)} {{workspace: $workspace, id: row[0]}}) "
        f"MATCH (b:{query_label(target)} {{workspace: $workspace, id: row[1]}}) "
        f"MERGE (a)-[r:{query_edge_type(edge_type)} {{key: row[2]}}]->(b) "
        "SET r = row[3], r.key = row[2]"
    )


@cache
def _node_ids_query(label: str) -> str:
    return (
        f"MATCH (n:{query_label(label)}) WHERE n.workspace = $workspace AND n.id IS NOT NULL "
        "RETURN n.id AS id"
    )


@cache
def _delete_nodes_query(label: str) -> str:
    return (
        "UNWIND $ids AS id "
        f"MATCH (n:{query_label(label)} {{workspace: $workspace, id: id}}) DETACH DELETE n"
    )


@cache
def _edge_keys_query(label: str) -> str:
    return (
        f"MATCH (a:{query_label(label)})-[r]->(b) "
        "WHERE a.workspace = $workspace AND a.id IS NOT NULL AND b.workspace = $workspace "
        "RETURN a.id AS a, type(r) AS type, labels(b) AS labels, b.id AS b, r.key AS key, "
        "elementId(r) AS element_id"
    )


@cache
def _drop_batch_query(label: str) -> str:
    return (
        f"MATCH (n:{query_label(label)}) WHERE n.workspace = $workspace AND n.id IS NOT NULL "
        "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
    )


_DELETE_EDGES = "UNWIND $ids AS eid MATCH ()-[r]->() WHERE elementId(r) = eid DELETE r"
_BEGIN_PUSH = (
    f"MERGE (w:{WORKSPACE_LABEL} {{id: $workspace}}) "
    "SET w.complete = false, w.name = $name, w.settings_text = $settings_text, "
    "w.format = $format"
)
_END_PUSH = (
    f"MATCH (w:{WORKSPACE_LABEL} {{id: $workspace}}) "
    "SET w.complete = true, w.nodes = $nodes, w.relationships = $relationships"
)
_READ_WORKSPACE = f"MATCH (w:{WORKSPACE_LABEL} {{id: $workspace}}) RETURN properties(w) AS props"
_LIST_WORKSPACES = f"MATCH (w:{WORKSPACE_LABEL}) RETURN w.id AS id ORDER BY id"
_DROP_WORKSPACE = f"MATCH (w:{WORKSPACE_LABEL} {{id: $workspace}}) DELETE w"


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- the store ---------------------------------------------------------------------------
#: A file holding the password (its first line), for a password kept out of the shell.
PASSWORD_FILE_ENV = "NEO4J_PASSWORD_FILE"


def password_from_environment() -> str | None:
    """The password from ``NEO4J_PASSWORD``, else the first line of ``NEO4J_PASSWORD_FILE``.

    Never from a command line, where other users of the machine could read it in the
    process list. None when neither is set (the server is then asked without one).

    Raises
    ------
    AuthError
        ``NEO4J_PASSWORD_FILE`` names a file that cannot be read.
    """
    if "NEO4J_PASSWORD" in os.environ:
        return os.environ["NEO4J_PASSWORD"]
    name = os.environ.get(PASSWORD_FILE_ENV, "").strip()
    if not name:
        return None
    try:
        text = Path(name).expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise AuthError(
            f"{PASSWORD_FILE_ENV} names {name}, which cannot be read ({reason}); "
            "point it at a file whose first line is the password"
        ) from None
    lines = text.splitlines()
    return lines[0] if lines else ""


def connect(
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
) -> Store:
    """Connect to a Neo4j server and check that it answers.

    Parameters
    ----------
    uri, user, password : str, optional
        Default to ``NEO4J_URI`` (else ``bolt://localhost:7687``), ``NEO4J_USER``
        (else ``neo4j``) and ``NEO4J_PASSWORD`` (else the file named by
        ``NEO4J_PASSWORD_FILE``, see :func:`password_from_environment`).
    database : str, optional
        Default: ``NEO4J_DATABASE``, else the server's default database.

    Raises
    ------
    ServerUnreachable, AuthError, DatabaseNotFound
        With a one-line message naming the server (never the credentials).
    """
    from neo4j import GraphDatabase
    from neo4j import exceptions as neo4j_errors

    uri = uri or os.environ.get("NEO4J_URI") or DEFAULT_URI
    user = user or os.environ.get("NEO4J_USER") or DEFAULT_USER
    password = password if password is not None else password_from_environment()
    database = database or os.environ.get("NEO4J_DATABASE") or None
    where = _safe_uri(uri)
    auth = (user, password) if password is not None else None
    try:
        # Notifications ("label does not exist" before the first push) would go to
        # stderr through logging; the store reports problems as errors instead.
        driver = GraphDatabase.driver(
            uri, auth=auth, connection_timeout=15.0, notifications_min_severity="OFF"
        )
    except (ValueError, neo4j_errors.ConfigurationError):
        raise StoreError(
            f"{where} is not a Neo4j URI; write it as bolt://HOST:PORT or neo4j://HOST:PORT"
        ) from None
    store = Store(driver, where, database)
    try:
        with store._errors():
            driver.verify_connectivity()
            if database:
                store._read("RETURN 1 AS ok")
    except BaseException:
        driver.close()
        raise
    return store


class Store:
    """A Neo4j database holding stakegraph workspaces; made by :func:`connect`."""

    def __init__(self, driver: Any, uri: str, database: str | None = None) -> None:
        self.driver = driver
        #: The server's URI without credentials.
        self.uri = uri
        self.database = database

    def __repr__(self) -> str:
        db = f" database={self.database}" if self.database else ""
        return f"<Store {self.uri}{db}>"

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- plumbing -------------------------------------------------------------------------
    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn the driver's exceptions into one-line stakegraph errors."""
        from neo4j import exceptions as neo4j_errors

        try:
            yield
        except neo4j_errors.AuthError:
            raise AuthError(
                f"Neo4j at {self.uri} refused the login: wrong user or password "
                "(set NEO4J_USER and NEO4J_PASSWORD)"
            ) from None
        except neo4j_errors.Neo4jError as exc:
            code = exc.code or ""
            if "TransactionTimedOut" in code or code.endswith("Transaction.Terminated"):
                raise QueryTimedOut(
                    f"Neo4j at {self.uri} stopped the query at its time limit; "
                    "narrow the parameters or allow more time (--timeout SECONDS)"
                ) from None
            if not isinstance(exc, neo4j_errors.ClientError):
                raise StoreError(
                    f"Neo4j at {self.uri} failed: {exc.code}: {_first_line(exc.message)}"
                ) from None
            if code.endswith("DatabaseNotFound"):
                raise DatabaseNotFound(
                    f"Neo4j at {self.uri} has no database '{self.database}'; "
                    "create it or leave the database unset"
                ) from None
            if ".Security." in code:
                raise AuthError(
                    f"Neo4j at {self.uri} refused access: {_first_line(exc.message)}"
                ) from None
            raise StoreError(
                f"Neo4j at {self.uri} refused a query: {exc.code}: {_first_line(exc.message)}"
            ) from None
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired):
            raise ServerUnreachable(
                f"cannot reach Neo4j at {self.uri}: is the server running "
                "(make neo4j starts one) and is NEO4J_URI right?"
            ) from None
        except neo4j_errors.DriverError as exc:
            raise StoreError(
                f"talking to Neo4j at {self.uri} failed: {type(exc).__name__}"
            ) from None

    def _session(self) -> Any:
        return self.driver.session(database=self.database)

    def _write(self, query: str, **params: Any) -> Any:
        """Run one query in its own write transaction; return its counters."""

        def work(tx: Any) -> Any:
            return tx.run(query, **params).consume().counters

        with self._session() as session:
            return session.execute_write(work)

    def _write_read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Run one query in its own write transaction; return its rows."""

        def work(tx: Any) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(query, **params)]

        with self._session() as session:
            return session.execute_write(work)

    def _read(
        self, query: str, timeout: float | None = None, **params: Any
    ) -> list[dict[str, Any]]:
        """Run one query in a read transaction; ``timeout`` seconds, after which the
        server stops it (None: the server's own limit)."""
        from neo4j import unit_of_work

        # The timeout travels with the transaction, so the server ends the work even
        # when this client is killed and never comes back for the rows.
        @unit_of_work(timeout=timeout)
        def work(tx: Any) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(query, **params)]

        with self._session() as session:
            return session.execute_read(work)

    def _read_rows(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """:meth:`_read` for queries that return only values, maps and lists (no nodes,
        relationships or paths): the rows as the driver decoded them, without the
        element-by-element copy of ``Record.data`` (seconds for a column of 10^6)."""

        def work(tx: Any) -> list[dict[str, Any]]:
            return [dict(record.items()) for record in tx.run(query, **params)]

        with self._session() as session:
            return session.execute_read(work)

    # --- public API -----------------------------------------------------------------------
    def ensure_constraints(self) -> None:
        """Create the uniqueness constraints and the workspace indexes (once; a no-op
        when they exist)."""
        with self._errors(), self._session() as session:
            for label in LABELS:
                session.run(_constraint_query(label)).consume()
            for label in WORKSPACE_SCAN_LABELS:
                session.run(_workspace_index_query(label)).consume()
            session.run(_WORKSPACE_CONSTRAINT).consume()
            session.run("CALL db.awaitIndexes(300)").consume()

    def push(
        self,
        workspace: Workspace,
        workspace_id: str | None = None,
        batch_size: int = 5000,
        progress: Progress | None = None,
        base_versions: dict[str, int] | None = None,
        force: bool = False,
        pushed_versions: dict[str, int] | None = None,
    ) -> dict[str, int]:
        """Upsert a workspace, replacing what the database held for it.

        Parameters
        ----------
        workspace : Workspace
            The records to share.
        workspace_id : str, optional
            Its id in the database; default the workspace's name (its folder name).
        batch_size : int
            Rows per transaction.
        progress : callable, optional
            Called with the number of nodes or relationships written after each
            batch; the total is the graph's node count plus its edge count.
        base_versions : dict, optional
            The versions the files were pulled at (:mod:`~stakegraph.engines.neo4j_team`);
            a push of files behind the server is refused with the list of conflicts
            (:class:`~stakegraph.engines.neo4j_team.FilesBehind`). Without them, a push
            is refused when team writes happened since the last push.
        force : bool
            Replace whatever the server holds, without that check.
        pushed_versions : dict, optional
            Filled with the versions written, for the next push to compare.

        Returns
        -------
        dict
            ``nodes`` and ``relationships`` (the workspace's totals), and
            ``nodes_created``, ``nodes_deleted``, ``relationships_created``,
            ``relationships_deleted``, ``properties_set`` of this push.

        Notes
        -----
        Idempotent and resumable: each batch is one transaction of MERGEs on unique
        keys, so an interrupted push leaves no duplicates and pushing again completes
        it. Two pushes of the same workspace at the same time are not supported.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        workspace_id = workspace_id or workspace.name
        G = build_graph(workspace)
        node_rows, edge_rows = self._rows(G)
        counts: defaultdict[str, int] = defaultdict(int)

        def add(counters: Any) -> None:
            counts["nodes_created"] += counters.nodes_created
            counts["nodes_deleted"] += counters.nodes_deleted
            counts["relationships_created"] += counters.relationships_created
            counts["relationships_deleted"] += counters.relationships_deleted
            counts["properties_set"] += counters.properties_set

        from stakegraph.engines.neo4j_push_check import begin_push

        with self._errors():
            self.ensure_constraints()
            begin = {"workspace": workspace_id, "name": workspace.name, "format": FORMAT_VERSION}
            begin["settings_text"] = workspace.settings_text
            stamped = begin_push(
                self,
                workspace_id,
                _BEGIN_PUSH,
                begin,
                node_rows,
                edge_rows,
                base_versions,
                not force,
            )
            if pushed_versions is not None:
                pushed_versions.update(stamped)
            for label, rows in node_rows.items():
                for batch in _batches(rows, batch_size):
                    add(self._write(_merge_nodes_query(label), rows=batch, workspace=workspace_id))
                    if progress is not None:
                        progress(len(batch))
            for (edge_type, source, target), rows in edge_rows.items():
                query = _merge_edges_query(edge_type, source, target)
                for batch in _batches(rows, batch_size):
                    add(self._write(query, rows=batch, workspace=workspace_id))
                    if progress is not None:
                        progress(len(batch))
            self._remove_stale(workspace_id, node_rows, edge_rows, batch_size, add)
            self._write(
                _END_PUSH,
                workspace=workspace_id,
                nodes=G.number_of_nodes(),
                relationships=G.number_of_edges(),
            )
        return {
            "nodes": G.number_of_nodes(),
            "relationships": G.number_of_edges(),
            **{
                k: counts[k]
                for k in (
                    "nodes_created",
                    "nodes_deleted",
                    "relationships_created",
                    "relationships_deleted",
                    "properties_set",
                )
            },
        }

    @staticmethod
    def _rows(G: nx.MultiDiGraph) -> tuple[dict[str, list[list]], dict[EdgeGroup, list[list]]]:
        """Parameter rows: ``[id, props]`` per label, ``[a, b, key, props]`` per edge group.

        Rows are lists rather than maps: packing parameters is most of the client's
        work in a push, and lists pack with fewer values.
        """
        node_rows: dict[str, list[list]] = {label: [] for label in LABELS}
        for seq, (node, data) in enumerate(G.nodes(data=True)):
            label = query_label(data["label"])
            props = to_properties({k: v for k, v in data.items() if k not in ("label", "id")})
            props.update(_derived(G, node, data))
            props[SEQ] = seq
            node_rows[label].append([data["id"], props])
        edge_rows: dict[EdgeGroup, list[list]] = defaultdict(list)
        seen: dict[tuple[str, str, str, str], int] = {}
        for seq, (u, v, data) in enumerate(G.edges(data=True)):
            edge_type = query_edge_type(data["type"])
            attrs = {k: x for k, x in data.items() if k != "type"}
            key = edge_key(attrs)
            ident = (u, edge_type, v, key)
            if ident in seen:  # identical parallel edges: keep each, told apart by rank
                seen[ident] += 1
                key = f"{key}~{seen[ident]}"
            else:
                seen[ident] = 1
            group = (edge_type, G.nodes[u]["label"], G.nodes[v]["label"])
            props = to_properties(attrs)
            props[SEQ] = seq
            edge_rows[group].append([G.nodes[u]["id"], G.nodes[v]["id"], key, props])
        return {k: rows for k, rows in node_rows.items() if rows}, dict(edge_rows)

    def _remove_stale(
        self,
        workspace_id: str,
        node_rows: dict[str, list[list]],
        edge_rows: dict[EdgeGroup, list[list]],
        batch_size: int,
        add: Callable[[Any], None],
    ) -> None:
        """Delete the relationships and nodes of this workspace that it no longer has.

        Also deletes any second copy of a relationship, so a database written by an
        interrupted or concurrent push ends up exact.
        """
        wanted_edges = {
            (source, row[0], edge_type, target, row[1], row[2])
            for (edge_type, source, target), rows in edge_rows.items()
            for row in rows
        }
        labels = set(LABELS)
        stale_edges: list[str] = []
        seen: set[tuple] = set()
        for label in LABELS:
            for row in self._read(_edge_keys_query(label), workspace=workspace_id):
                target = next((x for x in row["labels"] if x in labels), None)
                ident = (label, row["a"], row["type"], target, row["b"], row["key"])
                if ident not in wanted_edges or ident in seen:
                    stale_edges.append(row["element_id"])
                seen.add(ident)
        for batch in _batches(stale_edges, batch_size):
            add(self._write(_DELETE_EDGES, ids=batch))
        for label in LABELS:
            wanted = {row[0] for row in node_rows.get(label, [])}
            stored = [r["id"] for r in self._read(_node_ids_query(label), workspace=workspace_id)]
            stale = [i for i in stored if i not in wanted]
            for batch in _batches(stale, batch_size):
                add(self._write(_delete_nodes_query(label), ids=batch, workspace=workspace_id))

    def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Rows of one read-only query, with the driver's errors made one line."""
        with self._errors():
            return self._read(query, **params)

    def workspaces(self) -> list[str]:
        """Ids of the workspaces in the database, sorted."""
        return [row["id"] for row in self.read(_LIST_WORKSPACES)]

    def info(self, workspace_id: str) -> dict[str, Any]:
        """What the database records about a workspace: name, counts, ``complete``."""
        rows = self.read(_READ_WORKSPACE, workspace=workspace_id)
        if not rows:
            known = ", ".join(self.workspaces()) or "none"
            raise WorkspaceNotStored(
                f"no workspace '{workspace_id}' in Neo4j at {self.uri}; stored: {known}"
            )
        return dict(rows[0]["props"])

    def pull(self, workspace_id: str) -> Workspace:
        """Read a workspace back: ``pull(id) == ws`` after ``push(ws, id)``.

        Raises
        ------
        WorkspaceNotStored
            No workspace of that id.
        IncompletePush
            Its last push did not finish.
        """
        meta = self.info(workspace_id)
        if not meta.get("complete"):
            raise IncompletePush(
                f"the last push of workspace '{workspace_id}' to {self.uri} did not finish; "
                "push it again"
            )
        with gc_paused():  # the records hold no cycles: collections only cost
            return graph_to_workspace(self.pull_graph(workspace_id, meta))

    def pull_graph(self, workspace_id: str, meta: dict[str, Any] | None = None) -> nx.MultiDiGraph:
        """The stored workspace as the networkx graph :func:`build_graph` makes."""
        from stakegraph.io import load_settings_text

        meta = meta if meta is not None else self.info(workspace_id)
        settings_text = meta.get("settings_text")
        settings = load_settings_text(settings_text, f"neo4j workspace {workspace_id}")
        G: nx.MultiDiGraph[str] = nx.MultiDiGraph(
            name=meta.get("name", workspace_id), as_of=None, settings=settings
        )
        G.graph["settings_text"] = settings_text
        with self._errors(), gc_paused():
            return read_graph(self, workspace_id, G, SEQ, meta=meta)

    def drop(self, workspace_id: str, batch_size: int = 10000) -> int:
        """Delete a workspace (its nodes, relationships and record); return nodes deleted."""
        deleted = 0
        with self._errors():
            for label in LABELS:
                query = _drop_batch_query(label)
                while True:
                    rows = self._write_read(query, workspace=workspace_id, limit=batch_size)
                    count = rows[0]["deleted"]
                    deleted += count
                    if count < batch_size:
                        break
            self._write(_DROP_WORKSPACE, workspace=workspace_id)
        return deleted
