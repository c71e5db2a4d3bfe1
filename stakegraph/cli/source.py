"""Where a command reads its workspace from: a folder, or a workspace stored in Neo4j.

Every read-only command names its source one way: :func:`workspace_source` in
place of its folder argument adds ``--neo4j``, ``--workspace ID`` and the connection
options, and hands the command a :class:`Source`, whose :meth:`Source.load` gives the
workspace and :meth:`Source.open` the :class:`~stakegraph.engines.store.Store`.
(:func:`neo4j_options` and :func:`load_source` are the parts it is made of.)

Credentials come from ``NEO4J_URI``, ``NEO4J_USER`` and ``NEO4J_PASSWORD`` (or the
variable named by ``--password-env``, which must then be set), or from
``--uri``/``--user``; the password is never an option value, so it stays out of
shell history, and nothing prints it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from stakegraph.cli.common import SafePath, _today, load, settle_language
from stakegraph.errors import StakegraphError

if TYPE_CHECKING:  # the records import pydantic; keep `stakegraph --help` instant
    from stakegraph.engines.store import Store
    from stakegraph.records.workspace import Workspace

PASSWORD_ENV = "NEO4J_PASSWORD"


# --- connection ----------------------------------------------------------------------------
def _connection_options(func: Callable) -> Callable:
    """``--uri``, ``--user``, ``--password-env`` and ``--database``."""
    options = [
        click.option(
            "--uri",
            default=None,
            help="Neo4j URI, e.g. bolt://localhost:7687 or neo4j+s://xxxx.databases.neo4j.io "
            "(default: NEO4J_URI, else bolt://localhost:7687).",
        ),
        click.option("--user", default=None, help="Neo4j user (default: NEO4J_USER, else neo4j)."),
        click.option(
            "--password-env",
            default=None,
            show_default=PASSWORD_ENV,
            metavar="NAME",
            help="Environment variable holding the password.",
        ),
        click.option(
            "--database",
            default=None,
            help="Database name (default: NEO4J_DATABASE, else the server's default).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


#: URI schemes of the Bolt protocol the store speaks (the driver's HTTP API is not used).
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def check_uri(uri: str | None) -> None:
    """Refuse a Neo4j URI (``--uri`` or ``NEO4J_URI``) whose scheme is not Bolt's.

    Raises
    ------
    click.BadParameter
        For ``--uri`` (a usage error, exit status 2).
    StakegraphError
        For ``NEO4J_URI``, naming the variable.
    """
    from_env = uri is None
    value = os.environ.get("NEO4J_URI") if from_env else uri
    if not value:
        return
    scheme = value.split("://", 1)[0].lower() if "://" in value else ""
    if scheme in URI_SCHEMES:
        return
    shown = f"{scheme}://…" if scheme else repr(value.split("@")[-1])
    message = (
        f"{shown} is not a Neo4j URI; write it as bolt://HOST:7687 or neo4j://HOST:7687 "
        "(neo4j+s:// for an encrypted connection)."
    )
    if from_env:
        raise StakegraphError(f"NEO4J_URI: {message}")
    raise click.BadParameter(message, param_hint="'--uri'")


def open_store(
    uri: str | None = None,
    user: str | None = None,
    password_env: str | None = None,
    database: str | None = None,
) -> Any:
    """Connect to Neo4j with options falling back to the environment.

    The password is read from the environment variable ``password_env``, which
    must then be set. Without ``password_env`` it is read from ``NEO4J_PASSWORD``;
    when that is unset, the server is asked without a password (and refuses if it
    needs one).

    Raises
    ------
    StakegraphError
        When the variable named by ``password_env`` is not set.
    """
    from stakegraph.engines.neo4j import connect

    check_uri(uri)
    password: str | None
    if password_env:
        if password_env not in os.environ:
            raise StakegraphError(
                f"--password-env names {password_env}, which is not set; "
                f"set it (export {password_env}=...) or leave the option out "
                f"to read {PASSWORD_ENV}."
            )
        password = os.environ[password_env]
    else:
        password = None  # connect reads NEO4J_PASSWORD, else NEO4J_PASSWORD_FILE
    return connect(uri=uri, user=user, password=password, database=database)


def _pick_workspace(store: Any, workspace_id: str | None) -> str:
    """The workspace id given, or the only one stored."""
    if workspace_id:
        return workspace_id
    stored = store.workspaces()
    if len(stored) == 1:
        return stored[0]
    known = ", ".join(stored) or "none"
    raise StakegraphError(f"name a workspace with --workspace ID (stored in {store.uri}: {known}).")


# --- --neo4j on analysis commands ---------------------------------------------------------
def neo4j_options(func: Callable, writes: bool = False) -> Callable:
    """Add ``--neo4j``, ``--workspace ID`` and the connection options to a command.

    The command receives ``neo4j`` (bool), ``neo4j_workspace`` (str or None) and
    ``uri``, ``user``, ``password_env``, ``database``, and passes them to
    :func:`load_source`. Its folder argument should be optional
    (``required=False``), since with ``--neo4j`` there is no folder.
    """
    func = _connection_options(func)
    func = click.option(
        "--workspace",
        "neo4j_workspace",
        default=None,
        metavar="ID",
        help="With --neo4j: the stored workspace (default: the only one stored).",
    )(func)
    what = (
        "Write to the workspace stored in Neo4j, in one transaction, refused when someone "
        "changed the record since (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD)"
        if writes
        else "Read the workspace from Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD)"
    )
    return click.option("--neo4j", "neo4j", is_flag=True, help=f"{what} instead of a folder.")(func)


def load_source(
    path_or_none: str | Path | None,
    neo4j: bool,
    workspace_id: str | None,
    quiet: bool = False,
    uri: str | None = None,
    user: str | None = None,
    password_env: str | None = None,
    database: str | None = None,
) -> Workspace:
    """The workspace an analysis command works on: a folder, or a stored workspace.

    With ``neo4j`` the workspace is pulled and gives the same results as the folder it
    was pushed from; a folder given as well is an error, so it is always clear which
    data was analysed. The same as ``Source(...).load(quiet)``.
    """
    source = Source(
        Path(path_or_none) if path_or_none else None,
        neo4j,
        workspace_id,
        uri,
        user,
        password_env,
        database,
    )
    return source.load(quiet)


# --- one way to name the source of a read-only command -------------------------------------
@dataclass(frozen=True)
class Source:
    """The workspace a read-only command reads: a folder or workbook, or one stored in Neo4j.

    Made by :func:`workspace_source` from the command line; :meth:`open` gives the
    :class:`~stakegraph.engines.store.Store`, :meth:`load` the workspace. Both check
    first that exactly one source was named.
    """

    path: Path | None = None
    neo4j: bool = False
    workspace_id: str | None = None
    uri: str | None = None
    user: str | None = None
    password_env: str | None = None
    database: str | None = None

    @property
    def is_folder(self) -> bool:
        return not self.neo4j

    def label(self, ws: Workspace | None = None) -> str:
        """How messages name the source: the path, or the stored workspace."""
        if self.path is not None:
            return str(self.path)
        return f"the stored workspace '{self.workspace_id or (ws.name if ws else '?')}'"

    def check(self) -> None:
        """Exactly one source: a folder, or ``--neo4j`` (``--workspace`` only with it)."""
        if self.neo4j and self.path:
            raise StakegraphError(
                f"give either a workspace folder ({self.path}) or --neo4j, not both."
            )
        if not self.neo4j and self.workspace_id:
            raise StakegraphError("--workspace names a workspace in Neo4j; add --neo4j.")
        if not self.neo4j and not self.path:
            raise StakegraphError("give a workspace folder, or --neo4j [--workspace ID].")
        if self.path and not Path(self.path).exists():
            # the same usage error (exit 2) as click's own check of a path argument
            raise click.BadParameter(
                f"Path '{self.path}' does not exist.", param_hint="'[WORKSPACE]'"
            )

    def open(self) -> Store:
        """The store: a folder store, or a connection to Neo4j (close it when done)."""
        from stakegraph.engines.store import FolderStore, Neo4jStore

        self.check()
        if self.neo4j:
            return Neo4jStore(open_store(self.uri, self.user, self.password_env, self.database))
        return FolderStore(self.path)  # type: ignore[arg-type]

    def load(self, quiet: bool = False, warn: bool = True) -> Workspace:
        """The workspace: the folder read and validated, or the stored one pulled.

        ``warn=False`` leaves out the line that points at ``check`` for a stance in a
        word whose meaning changed (``check`` lists them itself).
        """
        self.check()
        if self.neo4j:
            with self.open() as store:
                return settle_language(store.load(self.workspace_id))
        return load(self.path, quiet=quiet, warn=warn)  # type: ignore[arg-type]


_SOURCE_KWARGS = ("neo4j", "neo4j_workspace", "uri", "user", "password_env", "database")


def workspace_source(
    func: Callable | None = None,
    *,
    argument: str = "workspace",
    must_exist: bool = True,
    writes: bool = False,
) -> Callable:
    """Name the workspace of a read-only command: a folder argument, or ``--neo4j``.

    Adds the optional ``WORKSPACE`` argument (named ``argument``), ``--neo4j``,
    ``--workspace ID`` and the connection options of :func:`neo4j_options`, and hands
    the command one ``source`` (:class:`Source`) in their place. Put it where the
    folder argument would go, so positional arguments keep their order; loading
    happens inside the command, under its error handling. ``must_exist=False`` leaves
    the path check to :meth:`Source.check` (for a command whose next argument is
    also optional).
    """

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            options = {name: kwargs.pop(name, None) for name in _SOURCE_KWARGS}
            kwargs["source"] = Source(
                path=kwargs.pop(argument, None),
                neo4j=bool(options["neo4j"]),
                workspace_id=options["neo4j_workspace"],
                uri=options["uri"],
                user=options["user"],
                password_env=options["password_env"],
                database=options["database"],
            )
            return command(*args, **kwargs)

        wrapped = neo4j_options(wrapper, writes)
        return click.argument(
            argument,
            required=False,
            type=SafePath(exists=must_exist, path_type=Path),
        )(wrapped)

    return decorate(func) if func is not None else decorate


def workspace_target(func: Callable | None = None, *, argument: str = "workspace") -> Callable:
    """Name the workspace a writing command changes: a folder argument, or ``--neo4j``.

    The write-side counterpart of :func:`workspace_source`, with the same options; the
    command gets a :class:`Source` and, with ``--neo4j``, writes through
    :func:`team_store` in one transaction (:mod:`stakegraph.engines.neo4j_team`).
    """
    return workspace_source(func, argument=argument, writes=True)


@contextlib.contextmanager
def team_store(source: Source) -> Iterator[tuple[Any, str]]:
    """The Neo4j store and the stored workspace's id a ``--neo4j`` write goes to.

    A change refused as stale is said in the run's language, each record on its line.
    """
    from stakegraph.engines.neo4j_team import StaleWrite

    source.check()
    with open_store(source.uri, source.user, source.password_env, source.database) as store:
        try:
            yield store, _pick_workspace(store, source.workspace_id)
        except StaleWrite as exc:
            from stakegraph.views.write_lines import stale_phrase

            raise StaleWrite("\n".join(stale_phrase(s) for s in exc.stale), exc.stale) from None


# --- the workspace, network and opportunity of an analysis command ---------------------
def _network(source: Source, as_of: dt.date | None, quiet: bool, relations=None):
    """The workspace of a command's source, its network on the day, and the day.

    With ``relations`` (a relation filter), the network keeps only the ties it keeps.
    """
    from stakegraph.graph.relation_filter import filtered_network
    from stakegraph.graph.stored_network import network_on

    ws = source.load(quiet)
    day = as_of or _today()
    return ws, filtered_network(network_on(ws, day), relations), day


def named(ws, kind: str, text: str | None, day: dt.date | None, option: str) -> str | None:
    """The id of the record of ``kind`` that ``text`` names by id, name, alias or pinyin
    (see :mod:`stakegraph.records.lookup`); None when no text was given."""
    if text is None:
        return None
    from stakegraph.records.lookup import resolve

    return resolve(ws, kind, text, day, option)


def _opportunity(ws, opportunity: str | None, day: dt.date | None = None) -> str:
    from stakegraph.errors import StakegraphError

    if opportunity:
        return named(ws, "opportunity", opportunity, day, "--opportunity") or opportunity
    if len(ws.opportunities) == 1:
        return next(iter(ws.opportunities))
    known = ", ".join(ws.opportunities) or "none"
    raise StakegraphError(f"name an opportunity with --opportunity ID (known: {known}).")


def opportunity_option(func: Callable) -> Callable:
    return click.option(
        "--opportunity",
        "-o",
        help="The opportunity: id, name, alias or pinyin (may be left out when the "
        "workspace has only one).",
    )(func)


# --- a command about one opportunity or one official: a targeted read on Neo4j -----------
def focused_network(
    source: Source,
    as_of: dt.date | None,
    quiet: bool,
    relations=None,
    opportunity: str | None = None,
    person: str | None = None,
    hops: int | None = None,
):
    """:func:`_network` for a command about one opportunity or one official, and the read.

    From a folder, the same as :func:`_network`. From Neo4j, when ``opportunity`` or
    ``person`` is a stored id and no relation filter is given, only the part of the
    workspace they need is read (:func:`stakegraph.engines.neo4j_subgraph.read_around`),
    with the influence scores of the whole book from the server; otherwise the whole
    workspace is pulled (a name, alias or pinyin is resolved on the whole workspace;
    a relation filter changes the influence of the whole region).

    Returns
    -------
    tuple
        The workspace, its network on the day, the day, and the read: None for a
        folder, else ``{"engine": "neo4j", "read": "targeted" | "whole"}``.
    """
    from stakegraph.graph.network import build_network

    day = as_of or _today()
    if not source.neo4j or relations is not None or (opportunity is None and person is None):
        ws, network, day = _network(source, as_of, quiet, relations)
        return ws, network, day, (_read_of("whole") if source.neo4j else None)
    from stakegraph.engines.neo4j_subgraph import (
        give_counts,
        read_around_and_region,
        region_influence,
    )
    from stakegraph.engines.store import Neo4jStore

    with source.open() as store:
        assert isinstance(store, Neo4jStore)  # source.neo4j
        wid = store.pick(source.workspace_id)
        stored = all(
            store._has(label, wid, text)
            for label, text in (("Opportunity", opportunity), ("Person", person))
            if text is not None
        )
        if not stored:
            ws = settle_language(store.load(source.workspace_id))
            return ws, build_network(ws, day), day, _read_of("whole")
        from stakegraph.progress import StagedProgress

        with StagedProgress("reading Neo4j", quiet) as progress:
            read, columns = read_around_and_region(
                store.database, wid, day, hops, opportunity, [person] if person else [], progress
            )
        ws = settle_language(read.workspace)
        network = build_network(ws, day)
        give_counts(read, network)
        if opportunity is not None:
            region_influence(store.database, wid, network, opportunity, columns=columns)
    return ws, network, day, _read_of("targeted")


def _streamable(store: Any, workspace_id: str, opportunity: str | None = None) -> bool:
    """Whether a whole-region command can stream the stored workspace: it names no
    opportunity, or a stored opportunity's id (a name is resolved on the records)."""
    return opportunity is None or bool(store._has("Opportunity", workspace_id, opportunity))


def ranked_network(
    source: Source,
    as_of: dt.date | None,
    quiet: bool,
    relations=None,
    opportunity: str | None = None,
    top: int | None = None,
):
    """The network of ``influence``, its influence ranked here, the day and the read.

    From Neo4j without a relation filter, and with no opportunity or a stored
    opportunity's id, nothing is pulled: the region's inputs are streamed in columns
    (in pages, with progress on stderr unless ``quiet``) and ranked here, the
    opportunity's decision weights come from the server, and only the records of the
    ``top`` persons are read (:func:`stakegraph.engines.neo4j_subgraph.streamed_influence`;
    the read is ``{"engine": "neo4j", "read": "streamed"}``). A relation filter keeps
    or drops ties by their kind, tags, source and confidence, which the tie scan does
    not read, and an opportunity named by name, alias or pinyin is resolved on the
    records: both read the workspace whole as by :func:`_network` (the read is
    ``{"engine": "neo4j", "read": "whole"}``). From a folder the read is None.
    """
    from stakegraph.analysis.influence import influence
    from stakegraph.engines.neo4j_subgraph import streamed_influence
    from stakegraph.engines.store import Neo4jStore
    from stakegraph.progress import StagedProgress

    day = as_of or _today()
    if source.neo4j and relations is None:
        with source.open() as store:
            assert isinstance(store, Neo4jStore)  # source.neo4j
            wid = store.pick(source.workspace_id)
            if _streamable(store, wid, opportunity):
                with StagedProgress("reading Neo4j", quiet) as progress:
                    network, result = streamed_influence(
                        store.database, wid, day, top, progress, opportunity
                    )
                settle_language(network.workspace)
                return network, result, day, _read_of("streamed")
    ws, network, day = _network(source, as_of, quiet, relations)
    opportunity = named(ws, "opportunity", opportunity, day, "--opportunity")
    return (
        network,
        influence(network, opportunity),
        day,
        (_read_of("whole") if source.neo4j else None),
    )


def ranked_centrality(
    source: Source,
    as_of: dt.date | None,
    quiet: bool,
    measure: str,
    top: int,
    relations=None,
    directed: bool | None = None,
    weighted: bool = False,
    samples: int | None = None,
):
    """The network of ``centrality``, the measure, and the read.

    From Neo4j without a relation filter nothing is pulled: the persons and the ties
    of the day are streamed in columns (in pages, with progress on stderr unless
    ``quiet``), the measure runs here, and only the ``top`` persons' records are read
    (:func:`stakegraph.engines.neo4j_streamed.streamed_centrality`; the read is
    ``{"engine": "neo4j", "read": "streamed"}``). A relation filter reads the tags and
    sources of the ties, which the tie scan does not read, so the workspace is read
    whole (``"read": "whole"``). From a folder the read is None.

    Raises
    ------
    ValueError
        For a measure and options that do not go together.
    """
    from stakegraph.analysis.centrality import centrality
    from stakegraph.engines.neo4j_streamed import streamed_centrality
    from stakegraph.engines.store import Neo4jStore
    from stakegraph.progress import StagedProgress

    options: dict[str, Any] = {"directed": directed, "weighted": weighted, "samples": samples}
    if source.neo4j and relations is None:
        day = as_of or _today()
        with source.open() as store:
            assert isinstance(store, Neo4jStore)  # source.neo4j
            wid = store.pick(source.workspace_id)
            if _streamable(store, wid):
                with StagedProgress("reading Neo4j", quiet) as progress:
                    network, result = streamed_centrality(
                        store.database, wid, day, measure, top, progress, **options
                    )
                settle_language(network.workspace)
                return network, result, _read_of("streamed")
    _, network, _ = _network(source, as_of, quiet, relations)
    kinds = relations.kinds if relations else None
    result = centrality(network, measure, kinds=kinds, **options)  # type: ignore[arg-type]
    return network, result, (_read_of("whole") if source.neo4j else None)


def _read_of(kind: str) -> dict[str, str]:
    """How a command read its Neo4j source: the part it needs (``targeted``), the
    inputs of the whole region as columns (``streamed``), or the whole workspace."""
    return {"engine": "neo4j", "read": kind}


def with_source(data: Any, read: dict[str, str] | None) -> Any:
    """``--json`` data with the read it came from (Neo4j only; a folder's is unchanged).

    A mapping gains ``source``; a list of rows becomes ``{"source": …, "rows": […]}``.
    """
    if read is None:
        return data
    if isinstance(data, dict):
        return {**data, "source": read}
    return {"source": read, "rows": data}


# --- our relationships with one official: a targeted read on Neo4j -------------------------
def relationship_workspace(
    source: Source, quiet: bool, person: str | None = None, owner: str | None = None
) -> tuple[Workspace, dict[str, str] | None]:
    """The workspace a command about our relationships reads, and how it was read.

    From a folder, the workspace. From Neo4j, when every id given (``person``,
    ``owner``) is a stored id, only our owners, the officials the relationships asked
    about relate to, and their interactions and assessments are read
    (:func:`stakegraph.engines.neo4j_person.read_relationships`); a name, alias or
    pinyin is resolved on the whole workspace, which is then pulled.

    Returns
    -------
    tuple
        The workspace and the read: None for a folder, else
        ``{"engine": "neo4j", "read": "targeted" | "whole"}``.
    """
    if not source.neo4j:
        return source.load(quiet), None
    from stakegraph.engines.neo4j_person import read_relationships
    from stakegraph.engines.store import Neo4jStore

    with source.open() as store:
        assert isinstance(store, Neo4jStore)  # source.neo4j
        wid = store.pick(source.workspace_id)
        stored = all(
            store._has(label, wid, text)
            for label, text in (("Person", person), ("Owner", owner))
            if text is not None
        )
        if not stored:
            return settle_language(store.load(source.workspace_id)), _read_of("whole")
        read = read_relationships(store.database, wid, person=person, owner=owner)
    return settle_language(read.workspace), _read_of("targeted")


def relationship_network(
    source: Source,
    as_of: dt.date | None,
    quiet: bool,
    person: str | None = None,
    owner: str | None = None,
):
    """:func:`relationship_workspace` and its network on the day (``as_of`` or today).

    Returns the workspace, the network, the day and the read.
    """
    from stakegraph.graph.stored_network import network_on

    ws, read = relationship_workspace(source, quiet, person, owner)
    day = as_of or _today()
    return ws, network_on(ws, day), day, read
