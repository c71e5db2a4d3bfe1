"""The first push of workspaces into a new Neo4j database, through Neo4j's bulk importer.

A transactional push (:meth:`~stakegraph.engines.neo4j.Store.push`) sends every node and
relationship through Cypher MERGEs; into an empty database most of its time is the
server's transactional writes. ``neo4j-admin database import full`` builds the store
files directly from CSV instead, but only into a database that does not exist yet, on
a server that is stopped. :func:`bulk_push` does that, and leaves the database exactly
as a transactional push would (same labels, properties, keys, versions, constraints and
push-completion marker), so a pull, a named query or a later transactional push cannot
tell the two apart.

Steps
-----
1. :func:`server_folder` checks the server folder (``NEO4J_HOME`` with ``conf/neo4j.conf``):
   the server is stopped and the database does not exist.
2. :func:`import_workspaces` writes one CSV file per label and per relationship group
   (properties from :meth:`~stakegraph.engines.neo4j.Store._rows`, the rows a
   transactional push sends) and runs the importer into a staging data folder beside
   the real one; only a finished import is moved into place (two renames). The
   workspace node goes in with ``complete = false``.
3. :func:`start_server` starts the server with Neo4j's own launcher.
4. :func:`finish_push` creates the uniqueness constraints, sets the few values CSV
   cannot carry (:class:`Patch`: empty lists, non-finite numbers, strings a list
   delimiter would split) and marks each workspace complete.

Crash safety: an importer that fails or is killed leaves only the staging folder,
which the next run removes; a run stopped after the move leaves the workspace marked
incomplete, so :meth:`~stakegraph.engines.neo4j.Store.pull` refuses it, and a
transactional ``push`` completes it (its MERGEs find the imported nodes).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stakegraph.engines.neo4j import (
    _END_PUSH,
    FORMAT_VERSION,
    Store,
    _batches,
)
from stakegraph.engines.neo4j_properties import WORKSPACE_LABEL, query_edge_type, query_label
from stakegraph.errors import ServerUnreachable, StoreError
from stakegraph.io.property_graph import build_graph
from stakegraph.records.workspace import Workspace

#: Separates the items of a list inside one CSV field: a control character no
#: record text is expected to hold (an item that does is set by a :class:`Patch`).
ARRAY_DELIMITER = "\x1f"
LAUNCHER = "org.neo4j.server.startup.Neo4jCommand"
ADMIN = "org.neo4j.server.startup.Neo4jAdminCommand"
STAGING = "stakegraph-import"
_PROPERTY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INT64 = range(-(2**63), 2**63)


# --- the server folder ---------------------------------------------------------------------
@dataclass(frozen=True)
class ServerFolder:
    """A local Neo4j server's folder (its ``NEO4J_HOME``) and where its config puts things."""

    home: Path
    settings: Mapping[str, str]

    def _directory(self, key: str, default: Path) -> Path:
        value = self.settings.get(key)
        if not value:
            return default
        path = Path(value)
        return path if path.is_absolute() else self.home / path

    @property
    def lib(self) -> Path:
        return self._directory("server.directories.lib", self.home / "lib")

    @property
    def data(self) -> Path:
        return self._directory("server.directories.data", self.home / "data")

    @property
    def transactions(self) -> Path:
        return self._directory(
            "server.directories.transaction.logs.root", self.data / "transactions"
        )

    @property
    def run(self) -> Path:
        return self._directory("server.directories.run", self.home / "run")

    @property
    def database(self) -> str:
        """The default database, the only one Neo4j Community serves besides ``system``."""
        return self.settings.get("initial.dbms.default_database", "neo4j")

    @property
    def staging(self) -> Path:
        return self.data / STAGING

    def running_pid(self) -> int | None:
        """The id of the server process when its pid file names a live one."""
        try:
            pid = int((self.run / "neo4j.pid").read_text().strip())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return None
        return pid


def _read_settings(conf: Path) -> dict[str, str]:
    settings: dict[str, str] = {}
    for line in conf.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            settings[key.strip()] = value.strip()
    return settings


def server_folder(home: Path) -> ServerFolder:
    """The server folder ``home``, checked for a bulk push.

    Raises
    ------
    StoreError
        No ``conf/neo4j.conf``, the server is running, the database exists already, or
        Java is missing; the message says what to do.
    """
    home = Path(home).resolve()
    conf = home / "conf" / "neo4j.conf"
    if not conf.is_file():
        raise StoreError(
            f"{home} is not a Neo4j server folder (no conf/neo4j.conf); "
            "give the folder the server runs from (its NEO4J_HOME)"
        )
    folder = ServerFolder(home, _read_settings(conf))
    pid = folder.running_pid()
    if pid is not None:
        raise StoreError(
            f"the Neo4j server of {home} is running (process {pid}); the bulk import "
            "needs it stopped: stop it, or push without --bulk"
        )
    existing = folder.data / "databases" / folder.database
    if existing.exists():
        raise StoreError(
            f"database '{folder.database}' exists already in {existing.parent}; the bulk "
            "import only fills a new database: push without --bulk, or use a fresh server folder"
        )
    if not _java():
        raise StoreError("the bulk import runs Neo4j's importer, which needs Java: install Java 17")
    return folder


def _java() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    return shutil.which("java")


def _run_java(folder: ServerFolder, main_class: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NEO4J_HOME=str(folder.home), NEO4J_CONF=str(folder.home / "conf"))
    command = [_java() or "java", "-cp", str(folder.lib / "*"), main_class, *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


# --- CSV -------------------------------------------------------------------------------------
def _csv_type(value: Any) -> str | None:
    """The importer's type of a property value, None when CSV cannot carry it exactly."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long" if value in _INT64 else None
    if isinstance(value, float):
        return "double" if math.isfinite(value) else None
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return "date"
    if isinstance(value, list) and value:
        kinds = {_csv_type(item) for item in value}
        if len(kinds) != 1 or None in kinds:
            return None
        kind = kinds.pop()
        if kind == "string" and any(not s or ARRAY_DELIMITER in s for s in value):
            return None  # the delimiter would split the item; an empty item is ambiguous
        return f"{kind}[]"
    return None


def _cell(value: Any) -> str:
    """One CSV field, always quoted (an empty unquoted field means "no property")."""
    if isinstance(value, list):
        text = ARRAY_DELIMITER.join(_plain_text(item) for item in value)
    else:
        text = _plain_text(value)
    return '"' + text.replace('"', '""') + '"'


def _plain_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass
class Patch:
    """Properties set after the import, since CSV cannot carry them exactly."""

    nodes: list[tuple[str, str, str, dict[str, Any]]] = field(default_factory=list)
    """(label, workspace, id, properties)."""
    relationships: list[tuple[str, str, str, str, str, str, dict[str, Any]]] = field(
        default_factory=list
    )
    """(type, from label, from id, to label, to id, key, properties with ``workspace``)."""
    empty_lists: list[tuple[str, str, str]] = field(default_factory=list)
    """(label, workspace, property): every node of that label and workspace the CSV left
    without the property has an empty list there, set by one scan (the importer cannot
    write an empty list, and most records have a few)."""
    empty_edge_lists: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    """(type, from label, to label, workspace, property), as :attr:`empty_lists`."""
    workspaces: list[str] = field(default_factory=list)


class _Table:
    """The rows of one CSV file: fixed columns first, then properties by first type seen."""

    def __init__(self, fixed: list[str]) -> None:
        self.fixed = fixed
        self.columns: dict[str, str] = {}
        self.rows: list[tuple[list[str], dict[str, Any]]] = []

    def add(self, fixed: list[str], props: Mapping[str, Any]) -> dict[str, Any]:
        """Add a row; return the properties left for a :class:`Patch`."""
        kept: dict[str, Any] = {}
        left: dict[str, Any] = {}
        for name, value in props.items():
            kind = _csv_type(value) if _PROPERTY_NAME.fullmatch(name) else None
            if kind is not None and self.columns.setdefault(name, kind) == kind:
                kept[name] = value
            else:
                left[name] = value
        self.rows.append((fixed, kept))
        return left

    def write(self, path: Path) -> None:
        names = list(self.columns)
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(",".join([*self.fixed, *(f"{n}:{self.columns[n]}" for n in names)]) + "\n")
            for fixed, props in self.rows:
                cells = [_cell(v) for v in fixed]
                cells += [_cell(props[n]) if n in props else "" for n in names]
                out.write(",".join(cells) + "\n")


def _empty_everywhere_left(
    rows: list[dict[str, Any]], lefts: list[tuple[Any, dict[str, Any]]]
) -> list[str]:
    """Properties that every row has, and that the CSV left out only where they are empty
    lists: after the import, "absent" then means "an empty list"."""
    names: set[str] = {n for _, left in lefts for n, v in left.items() if v == []}
    for props, (_, left) in zip(rows, lefts, strict=True):
        names = {n for n in names if n in props and (n not in left or left[n] == [])}
    return sorted(n for n in names if _PROPERTY_NAME.fullmatch(n))


@dataclass
class Imported:
    """What :func:`import_workspaces` put in the new database, for :func:`finish_push`."""

    counts: dict[str, dict[str, int]]
    versions: dict[str, dict[str, int]]
    patch: Patch
    #: Wall seconds of each step: ``files`` (CSV), ``import``, then (in :func:`bulk_push`)
    #: ``start`` and ``finish``.
    seconds: dict[str, float]
    #: The server's URI without credentials, once :func:`bulk_push` has connected.
    uri: str = ""


def write_import_files(
    workspaces: Mapping[str, Workspace], folder: Path
) -> tuple[list[str], Imported]:
    """Write the importer's CSV files for ``workspaces`` (by id) into ``folder``.

    Node properties are the rows of a transactional push plus ``workspace`` and ``id``;
    relationship properties its rows plus ``key``; every record gets version 1 (a new
    database has none). Each workspace's ids live in their own ID space per label, so
    several workspaces go in one import. O(nodes + relationships + properties).

    Returns
    -------
    list of str, Imported
        The importer's ``--nodes``/``--relationships`` arguments, and what was written.
    """
    from stakegraph.engines.neo4j_push_check import _stamp

    tables: dict[tuple[str, int, str], _Table] = {}
    patch = Patch()
    counts: dict[str, dict[str, int]] = {}
    versions: dict[str, dict[str, int]] = {}
    marker = _Table([f"id:ID({WORKSPACE_LABEL})"])
    for number, (workspace_id, workspace) in enumerate(workspaces.items()):
        G = build_graph(workspace)
        node_rows, edge_rows = Store._rows(G)
        versions[workspace_id] = _stamp({}, node_rows, edge_rows)
        properties = 0
        for label, rows in node_rows.items():
            space = f"w{number}_{query_label(label)}"
            table = tables.setdefault(
                ("nodes", number, label), _Table([f"id:ID({space})", "workspace:string"])
            )
            lefts = []
            for node_id, props in rows:
                properties += len(props) + 2
                lefts.append((node_id, table.add([node_id, workspace_id], props)))
            for name in _empty_everywhere_left([r[1] for r in rows], lefts):
                patch.empty_lists.append((label, workspace_id, name))
                for _, left in lefts:
                    left.pop(name, None)
            patch.nodes += [(label, workspace_id, i, left) for i, left in lefts if left]
        for (edge_type, source, target), rows in edge_rows.items():
            fixed = [
                f":START_ID(w{number}_{query_label(source)})",
                f":END_ID(w{number}_{query_label(target)})",
                "key:string",
            ]
            table = tables.setdefault(
                ("relationships", number, f"{query_edge_type(edge_type)}.{source}.{target}"),
                _Table(fixed),
            )
            edge_lefts = []
            for a, b, key, props in rows:
                properties += len(props) + 1
                edge_lefts.append(((a, b, key), table.add([a, b, key], props)))
            for name in _empty_everywhere_left([r[3] for r in rows], edge_lefts):
                patch.empty_edge_lists.append((edge_type, source, target, workspace_id, name))
                for _, left in edge_lefts:
                    left.pop(name, None)
            patch.relationships += [
                (edge_type, source, a, target, b, key, {"workspace": workspace_id, **left})
                for (a, b, key), left in edge_lefts
                if left
            ]
        # a first push counts one, as Store.push counts it (a pull tells a push came between)
        meta = {"name": workspace.name, "format": FORMAT_VERSION, "complete": False, "pushes": 1}
        if workspace.settings_text is not None:
            meta["settings_text"] = workspace.settings_text
        left = marker.add([workspace_id], meta)
        assert not left, left  # names, a version number and a flag always fit
        patch.workspaces.append(workspace_id)
        counts[workspace_id] = {
            "nodes": G.number_of_nodes(),
            "relationships": G.number_of_edges(),
            "nodes_created": G.number_of_nodes(),
            "nodes_deleted": 0,
            "relationships_created": G.number_of_edges(),
            "relationships_deleted": 0,
            "properties_set": properties,
        }
    folder.mkdir(parents=True, exist_ok=True)
    args = []
    marker.write(folder / "workspaces.csv")
    args.append(f"--nodes={WORKSPACE_LABEL}={folder / 'workspaces.csv'}")
    for index, ((kind, _, name), table) in enumerate(tables.items()):
        path = folder / f"{index}.csv"
        table.write(path)
        if kind == "nodes":
            args.append(f"--nodes={name}={path}")
        else:
            args.append(f"--relationships={name.split('.')[0]}={path}")
    return args, Imported(counts, versions, patch, {})


# --- import, start, finish -------------------------------------------------------------------
def _importer_error(output: str) -> str:
    """The lines of the importer's output that say what went wrong."""
    lines = [line for line in output.splitlines() if line.strip() and not line.startswith(".")]
    wanted = [
        line.strip()
        for line in lines
        if any(word in line for word in ("ERROR", "rror", "source:", "field:", "raw field"))
    ]
    return "\n".join((wanted or lines)[-12:])


def import_workspaces(folder: ServerFolder, workspaces: Mapping[str, Workspace]) -> Imported:
    """Write the CSV files and run the importer; move the new database into place.

    The importer writes into a staging data folder (``DATA/stakegraph-import``); the
    store files and transaction logs are moved into the real data folder only when it
    succeeded, so a failed or killed import leaves the server as it was (and the next
    run removes the staging folder).

    Raises
    ------
    StoreError
        The importer failed; the message holds its error lines.
    """
    started = time.perf_counter()
    shutil.rmtree(folder.staging, ignore_errors=True)
    staged_data = folder.staging / "data"
    try:
        args, imported = write_import_files(workspaces, folder.staging / "csv")
        imported.seconds["files"] = time.perf_counter() - started
        extra = folder.staging / "staging.conf"
        extra.write_text(
            f"server.directories.data={staged_data}\n"
            f"server.directories.transaction.logs.root={staged_data / 'transactions'}\n",
            encoding="utf-8",
        )
        result = _run_java(
            folder,
            ADMIN,
            "database",
            "import",
            "full",
            folder.database,
            f"--additional-config={extra}",
            # the report of bad entries would go to the working folder otherwise
            f"--report-file={folder.staging / 'import.report'}",
            f"--array-delimiter={ARRAY_DELIMITER}",
            "--multiline-fields=true",
            "--skip-duplicate-nodes=false",
            *args,
        )
        if result.returncode != 0:
            raise StoreError(
                f"Neo4j's importer failed (exit {result.returncode}); {folder.home} is "
                f"unchanged:\n{_importer_error(result.stdout + result.stderr)}"
            )
        for source, target in (
            (staged_data / "databases" / folder.database, folder.data / "databases"),
            (staged_data / "transactions" / folder.database, folder.transactions),
        ):
            target.mkdir(parents=True, exist_ok=True)
            os.rename(source, target / folder.database)
    finally:
        shutil.rmtree(folder.staging, ignore_errors=True)
    imported.seconds["import"] = time.perf_counter() - started - imported.seconds["files"]
    return imported


def start_server(
    folder: ServerFolder, connect: Callable[[], Store], timeout: float = 180.0
) -> Store:
    """Start the server with Neo4j's launcher (``neo4j start``) and connect once it answers.

    Raises
    ------
    StoreError
        The launcher failed, or the server did not answer within ``timeout`` seconds.
    """
    result = _run_java(folder, LAUNCHER, "start")
    if result.returncode != 0:
        raise StoreError(
            f"starting Neo4j in {folder.home} failed:\n{(result.stdout + result.stderr).strip()}"
        )
    deadline = time.monotonic() + timeout
    while True:
        try:
            return connect()
        except ServerUnreachable:
            if time.monotonic() > deadline or folder.running_pid() is None:
                raise StoreError(
                    f"Neo4j in {folder.home} did not answer within {timeout:.0f} s of starting; "
                    f"see its log in {folder.home / 'logs'}"
                ) from None
            time.sleep(0.5)


def stop_server(folder: ServerFolder) -> None:
    """Stop the server with Neo4j's launcher (``neo4j stop``)."""
    _run_java(folder, LAUNCHER, "stop")


def _patch_nodes_query(label: str) -> str:
    return (
        "UNWIND $ids AS id "
        f"MATCH (n:{query_label(label)} {{workspace: $workspace, id: id}}) SET n += $props"
    )


def _empty_list_query(label: str, name: str) -> str:
    if not _PROPERTY_NAME.fullmatch(name):
        raise StoreError(f"not a property name: {name!r}")
    return (
        f"MATCH (n:{query_label(label)}) WHERE n.workspace = $workspace AND n.{name} IS NULL "
        f"CALL {{ WITH n SET n.{name} = [] }} IN TRANSACTIONS OF 10000 ROWS"
    )


def _empty_edge_list_query(edge_type: str, source: str, target: str, name: str) -> str:
    if not _PROPERTY_NAME.fullmatch(name):
        raise StoreError(f"not a property name: {name!r}")
    return (
        f"MATCH (a:{query_label(source)})-[r:{query_edge_type(edge_type)}]->"
        f"(b:{query_label(target)}) WHERE a.workspace = $workspace AND r.{name} IS NULL "
        f"CALL {{ WITH r SET r.{name} = [] }} IN TRANSACTIONS OF 10000 ROWS"
    )


def _patch_edges_query(edge_type: str, source: str, target: str) -> str:
    return (
        "UNWIND $rows AS row "
        f"MATCH (a:{query_label(source)} {{workspace: $workspace, id: row[0]}})"
        f"-[r:{query_edge_type(edge_type)} {{key: row[2]}}]->"
        f"(b:{query_label(target)} {{workspace: $workspace, id: row[1]}}) SET r += $props"
    )


def _grouped(items: Iterable[tuple[tuple, Any, dict[str, Any]]]) -> dict[tuple, list[Any]]:
    """Rows by (group, workspace, properties): most patches are the same few empty lists,
    so one query sets them on many records."""
    out: dict[tuple, list[Any]] = {}
    for group, row, props in items:
        frozen = json.dumps(props, sort_keys=True, default=_plain_text, ensure_ascii=False)
        out.setdefault((*group, frozen), []).append((row, props))
    return out


def finish_push(store: Store, imported: Imported, batch_size: int = 5000) -> None:
    """Create the constraints, set the patched values and mark each workspace complete.

    Time: the server's constraint builds (O(nodes log nodes)) plus one write per
    patched record, in batches of ``batch_size`` sharing the same properties.
    """
    patch = imported.patch
    nodes = _grouped(((label, ws), node_id, props) for label, ws, node_id, props in patch.nodes)
    edges = _grouped(
        ((edge_type, source, target, props["workspace"]), [a, b, key], props)
        for edge_type, source, a, target, b, key, props in patch.relationships
    )
    with store._errors():
        store.ensure_constraints()
        with store._session() as session:  # IN TRANSACTIONS needs an implicit transaction
            for label, workspace_id, name in patch.empty_lists:
                session.run(_empty_list_query(label, name), workspace=workspace_id).consume()
            for edge_type, source, target, workspace_id, name in patch.empty_edge_lists:
                query = _empty_edge_list_query(edge_type, source, target, name)
                session.run(query, workspace=workspace_id).consume()
        for (label, workspace_id, _), rows in nodes.items():
            props = rows[0][1]
            for batch in _batches([row for row, _ in rows], batch_size):
                store._write(
                    _patch_nodes_query(label), ids=batch, workspace=workspace_id, props=props
                )
        for (edge_type, source, target, workspace_id, _), rows in edges.items():
            props = {k: v for k, v in rows[0][1].items() if k != "workspace"}
            for batch in _batches([row for row, _ in rows], batch_size):
                store._write(
                    _patch_edges_query(edge_type, source, target),
                    rows=batch,
                    workspace=workspace_id,
                    props=props,
                )
        for workspace_id in patch.workspaces:
            counts = imported.counts[workspace_id]
            store._write(
                _END_PUSH,
                workspace=workspace_id,
                nodes=counts["nodes"],
                relationships=counts["relationships"],
            )


def bulk_push(
    home: Path,
    workspaces: Mapping[str, Workspace] | Iterable[tuple[str, Workspace]],
    connect: Callable[[], Store],
    timeout: float = 180.0,
) -> Imported:
    """Push workspaces into a new database of a stopped local server, through the importer.

    Parameters
    ----------
    home : Path
        The server's folder (its ``NEO4J_HOME``, with ``conf/neo4j.conf``); the server
        must be stopped and its default database must not exist yet.
    workspaces : mapping or pairs
        The workspaces by their id in the database.
    connect : callable
        Opens a :class:`~stakegraph.engines.neo4j.Store` on the started server.
    timeout : float
        Seconds to wait for the started server to answer.

    Returns
    -------
    Imported
        Per workspace the counts (as :meth:`Store.push` gives them) and the versions
        pushed. The server is left running.

    Notes
    -----
    Time O(nodes + relationships) in the client and the importer, plus fixed costs: the
    importer's JVM, a server start and the constraint builds (about a minute each on a
    busy 2-core machine; see ``benchmarks/README.md``).
    """
    workspaces = dict(workspaces)
    folder = server_folder(home)
    imported = import_workspaces(folder, workspaces)
    started = time.perf_counter()
    with start_server(folder, connect, timeout) as store:
        imported.seconds["start"] = time.perf_counter() - started
        finish_push(store, imported)
        imported.seconds["finish"] = time.perf_counter() - started - imported.seconds["start"]
        imported.uri = store.uri
    return imported
