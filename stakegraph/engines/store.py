"""One interface to where workspaces live: a folder, or a Neo4j database.

:class:`Store` declares each operation once and documents it here; the two
implementations are thin. :class:`FolderStore` reads and writes files through
:mod:`stakegraph.io` and answers named queries with their Python equivalents
(:mod:`stakegraph.engines.equivalents`); :class:`Neo4jStore` wraps the Neo4j store
of :mod:`stakegraph.engines.neo4j` (push, pull, the Cypher of ``queries/``). The
same question gives the same rows on both. :func:`open_store` picks the
implementation from a path or a URI::

    import stakegraph as sg

    with sg.open_store("examples/smart-city") as store:
        rows = store.query("coverage_gaps", {"opportunity": "smart-city", "as_of": "2026-11-28"})

    with sg.open_store("neo4j://localhost:7687") as store:  # NEO4J_USER, NEO4J_PASSWORD
        store.workspaces()

A folder store holds one workspace: the folder (YAML or CSV) or the ``.xlsx``
workbook it was opened on, whose id is the folder's or file's name. A database holds
several, each under its id; an operation on it names one with ``workspace_id``, which
may be left out when the database holds exactly one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from stakegraph.engines.queries import DEFAULT_TIMEOUT
from stakegraph.errors import StakegraphError, WorkspaceNotHere

if TYPE_CHECKING:
    from stakegraph.engines.neo4j import Store as _Neo4jDatabase
    from stakegraph.records.workspace import Workspace

#: URI schemes of the Neo4j driver (plain, TLS, TLS with self-signed certificates).
NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")

Rows = list[dict[str, Any]]

#: Query parameters that name a record, and the node label of that record. Their
#: value may be the record's id, name, alias or pinyin (:mod:`stakegraph.records.lookup`).
RECORD_PARAMS: dict[str, str] = {
    "person": "Person",
    "owner": "Owner",
    "opportunity": "Opportunity",
}


def record_params(params: Mapping[str, Any]) -> dict[str, str]:
    """The parameters of ``params`` that name a record, as typed (empty values left out)."""
    return {k: str(v) for k, v in params.items() if k in RECORD_PARAMS and v not in (None, "")}


def resolve_names(workspace: Workspace, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` with each record named by name, alias or pinyin replaced by its id.

    The names in force on the ``as_of`` day are the names (when it is a day); an
    ambiguous or unknown name raises the resolver's error, naming ``--param NAME``.

    >>> from stakegraph.records.sample import sample_workspace
    >>> ws = sample_workspace()
    >>> person = next(iter(ws.persons.values()))
    >>> resolve_names(ws, {"person": person.name, "k": 3})["person"] == person.id
    True
    """
    import datetime as dt

    from stakegraph.records.lookup import Lookup

    day = params.get("as_of")
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            day = None  # bind_params says what is wrong with it
    lookup = Lookup(workspace, day if isinstance(day, dt.date) else None)
    resolved = dict(params)
    for name, text in record_params(params).items():
        resolved[name] = lookup.resolve(name, text, f"--param {name}")
    return resolved


@runtime_checkable
class Store(Protocol):
    """Where workspaces live, and the questions they answer.

    Attributes
    ----------
    uri : str
        Where the store is: a path, or the server's URI without credentials.

    Notes
    -----
    Every operation takes an optional ``workspace_id``: a folder store holds one
    workspace (its id is the folder's name), a database several (the id may be
    left out when it holds exactly one). Stores are context managers;
    leaving the ``with`` block closes the connection.
    """

    uri: str

    def workspaces(self) -> list[str]:
        """Ids of the workspaces the store holds, sorted."""
        ...

    def load(self, workspace_id: str | None = None) -> Workspace:
        """The workspace as records, validated: a folder is read, a database pulled.

        Every analysis of the embedded engine runs on it, and gives the same answer
        for a database as for the folder that was pushed.
        """
        ...

    def save(self, workspace: Workspace, workspace_id: str | None = None) -> dict[str, int]:
        """Write a workspace into the store: files in a new (or empty) folder, or an
        idempotent push into the database (the workspace's name is the default id).
        Returns counts of what was written."""
        ...

    def pull(
        self, dest: Path | str, workspace_id: str | None = None, fmt: str | None = None
    ) -> list[Path]:
        """Write a stored workspace as files under ``dest`` (all or nothing), in
        ``fmt`` (yaml, csv, xlsx; default xlsx for ``*.xlsx``, else yaml)."""
        ...

    def query(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        workspace_id: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> Rows:
        """Answer the named query ``name`` (``stakegraph query --list``) with one dict per row.

        Parameters are checked against the query's header before anything runs:
        types, required ones, and the bounds of every number
        (:class:`~stakegraph.engines.queries.ParamOutOfRange`); setting-like ones
        default to the workspace's ``stakegraph.toml``. A database runs the query
        with a transaction ``timeout`` in seconds, after which the server stops it;
        a folder answers in this process with the query's Python equivalent.
        """
        ...

    def named(self, params: Mapping[str, Any], workspace_id: str | None = None) -> dict[str, Any]:
        """Query parameters with each record (``person``, ``owner``, ``opportunity``) named
        by its name, alias or pinyin replaced by its id, as every command option accepts;
        an ambiguous or unknown name is refused with the candidates or the closest ones."""
        ...

    def close(self) -> None:
        """Release the connection (nothing to do for a folder)."""
        ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...


class _Pulling:
    """What both stores do the same way: writing a loaded workspace as files."""

    def load(self, workspace_id: str | None = None) -> Workspace:
        raise NotImplementedError

    def pull(
        self, dest: Path | str, workspace_id: str | None = None, fmt: str | None = None
    ) -> list[Path]:
        """Write the stored workspace under ``dest`` as :meth:`Store.pull` says."""
        from stakegraph.io import save_workspace

        return save_workspace(self.load(workspace_id), dest, fmt)


class FolderStore(_Pulling):
    """A workspace in files: a YAML or CSV folder, or an ``.xlsx`` workbook.

    The workspace is read once and kept; :meth:`save` writes files and forgets it.
    See :class:`Store` for the operations.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.uri = str(self.path)
        self._workspace: Workspace | None = None

    def __repr__(self) -> str:
        return f"<FolderStore {self.uri}>"

    def __enter__(self) -> FolderStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._workspace = None

    @property
    def workspace_id(self) -> str:
        """The id of the one workspace: the folder's or workbook's name."""
        return self.path.resolve().name

    def _check(self, workspace_id: str | None) -> None:
        if workspace_id is not None and workspace_id != self.workspace_id:
            raise WorkspaceNotHere(
                f"{self.uri} holds one workspace, '{self.workspace_id}', not '{workspace_id}'; "
                "open the folder of that workspace instead"
            )

    def workspaces(self) -> list[str]:
        return [self.workspace_id] if self.path.exists() else []

    def load(
        self, workspace_id: str | None = None, progress: Callable[[int], None] | None = None
    ) -> Workspace:
        from stakegraph.io import load_workspace

        self._check(workspace_id)
        if self._workspace is None:
            if not self.path.exists():
                raise WorkspaceNotHere(f"{self.path}: no such folder or file.")
            self._workspace = load_workspace(self.path, progress=progress)
        return self._workspace

    def save(self, workspace: Workspace, workspace_id: str | None = None) -> dict[str, int]:
        from stakegraph.io import save_workspace

        self._check(workspace_id)
        written = save_workspace(workspace, self.path)
        self._workspace = None
        return {"files": len(written)}

    def query(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        workspace_id: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> Rows:
        from stakegraph.engines.equivalents import answer
        from stakegraph.engines.queries import bind_params, get_query

        values = dict(params or {})
        given = values.pop("workspace", None)
        self._check(workspace_id)
        self._check(None if given is None else str(given))
        bind_params(get_query(name), {**values, "workspace": self.workspace_id})  # before reading
        return answer(self.load(), name, values)

    def named(self, params: Mapping[str, Any], workspace_id: str | None = None) -> dict[str, Any]:
        """``params`` with records named by name, alias or pinyin given by id instead."""
        if not record_params(params):
            return dict(params)
        return resolve_names(self.load(workspace_id), params)


class Neo4jStore(_Pulling):
    """Workspaces in a Neo4j database; wraps :class:`stakegraph.engines.neo4j.Store`.

    ``database`` is that store, for what only a database does (``info``, ``drop``).
    See :class:`Store` for the operations.
    """

    def __init__(self, database: _Neo4jDatabase) -> None:
        self.database = database
        self.uri = database.uri

    def __repr__(self) -> str:
        return f"<Neo4jStore {self.uri}>"

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.database.close()

    def pick(self, workspace_id: str | None) -> str:
        """The workspace id given, or the only one stored."""
        if workspace_id:
            return workspace_id
        stored = self.database.workspaces()
        if len(stored) == 1:
            return stored[0]
        known = ", ".join(stored) or "none"
        raise WorkspaceNotHere(
            f"name a workspace with --workspace ID (stored in {self.uri}: {known})."
        )

    def workspaces(self) -> list[str]:
        return self.database.workspaces()

    def load(self, workspace_id: str | None = None) -> Workspace:
        return self.database.pull(self.pick(workspace_id))

    def save(
        self,
        workspace: Workspace,
        workspace_id: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> dict[str, int]:
        return self.database.push(workspace, workspace_id, progress=progress)

    def query(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        workspace_id: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> Rows:
        from stakegraph.engines.queries import bind_params, get_query, run_query

        query = get_query(name)
        values = dict(params or {})
        if workspace_id:
            values["workspace"] = workspace_id
        if query.param("workspace") is not None and "workspace" not in values:
            bind_params(query, {**values, "workspace": ""})  # refuse bad values first
            values["workspace"] = self.pick(None)
        return run_query(self.database, name, values, timeout=timeout)

    def named(self, params: Mapping[str, Any], workspace_id: str | None = None) -> dict[str, Any]:
        """``params`` with records named by name, alias or pinyin given by id instead.

        Ids are checked on the server; only when one is not an id is the workspace
        pulled to find what the text names, so queries by id stay as quick as before.
        A workspace that is not stored is left for the query to report.
        """
        typed = record_params(params)
        if not typed:
            return dict(params)
        stored = self.database.workspaces()
        wid = workspace_id or (stored[0] if len(stored) == 1 else None)
        if wid is None or wid not in stored:
            return dict(params)
        if all(self._has(RECORD_PARAMS[k], wid, v) for k, v in typed.items()):
            return dict(params)
        return resolve_names(self.load(wid), params)

    def _has(self, label: str, workspace_id: str, record_id: str) -> bool:
        """Whether the workspace holds a node of ``label`` with this id."""
        rows = self.database.read(
            f"MATCH (n:{label} {{workspace: $workspace, id: $id}}) RETURN count(n) AS n",
            workspace=workspace_id,
            id=record_id,
        )
        return bool(rows and rows[0]["n"])


def is_neo4j_uri(source: str | Path) -> bool:
    """Whether ``source`` is a URI of the Neo4j driver (``neo4j://``, ``bolt+s://``, …)."""
    match = _SCHEME.match(str(source)) if isinstance(source, str) else None
    return bool(match) and match.group(1).lower() in NEO4J_SCHEMES  # type: ignore[union-attr]


def open_store(
    source: str | Path,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
) -> FolderStore | Neo4jStore:
    """The store at a path or a Neo4j URI.

    Parameters
    ----------
    source : str or Path
        A workspace folder or workbook (``"examples/smart-city"``, ``"city.xlsx"``),
        or a Neo4j URI (``neo4j://``, ``bolt://``, ``neo4j+s://`` and their ``+ssc``
        forms).
    user, password, database : str, optional
        For a URI: default ``NEO4J_USER`` (else ``neo4j``), ``NEO4J_PASSWORD`` and
        ``NEO4J_DATABASE`` (else the server's default). Never printed.

    Returns
    -------
    FolderStore or Neo4jStore
        Both follow :class:`Store`.

    Raises
    ------
    StakegraphError
        A URI of another scheme (``http://``…); ServerUnreachable, AuthError or
        DatabaseNotFound from :func:`stakegraph.engines.neo4j.connect`.

    Examples
    --------
    >>> open_store("examples/smart-city")
    <FolderStore examples/smart-city>
    """
    if is_neo4j_uri(source):
        from stakegraph.engines.neo4j import connect

        return Neo4jStore(connect(str(source), user, password, database))
    scheme = _SCHEME.match(str(source))
    if scheme:
        raise StakegraphError(
            f"{scheme.group(1)}:// is not a Neo4j URI; write bolt://HOST:PORT or "
            "neo4j://HOST:PORT (neo4j+s:// with TLS), or give a workspace folder"
        )
    return FolderStore(source)


def load(
    source: str | Path | Store,
    workspace_id: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
) -> Workspace:
    """The workspace at a folder, workbook, CSV folder or Neo4j URI, validated.

    Parameters
    ----------
    source : str, Path or Store
        What :func:`open_store` takes (a workspace folder of YAML or CSV files, an
        ``.xlsx`` workbook, a ``neo4j://``/``bolt://`` URI), or an open store.
    workspace_id : str, optional
        The stored workspace to read from a database holding several.
    user, password, database : str, optional
        For a URI, as :func:`open_store` takes them (default from ``NEO4J_USER``,
        ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``).

    Returns
    -------
    Workspace
        Every record, checked across records; an open store is left open.

    Raises
    ------
    WorkspaceInvalid
        The files have problems (all of them, each with its file and line).
    WorkspaceNotHere
        No such folder or file, or no such workspace in the database.

    Examples
    --------
    >>> ws = load("examples/smart-city")
    >>> ws.name, len(ws.opportunities) > 0
    ('smart-city', True)
    """
    if not isinstance(source, str | Path):  # a store already open
        return source.load(workspace_id)
    with open_store(source, user, password, database) as store:
        return store.load(workspace_id)
