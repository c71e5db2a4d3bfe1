"""Where a command reads its workspace from: a folder, or a workspace stored in Neo4j.

Put :func:`neo4j_options` on a command and load its workspace with
:func:`load_source` to let it read from Neo4j instead of a folder.

Credentials come from ``NEO4J_URI``, ``NEO4J_USER`` and ``NEO4J_PASSWORD`` (or the
variable named by ``--password-env``, which must then be set), or from
``--uri``/``--user``; the password is never an option value, so it stays out of
shell history, and nothing prints it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from stakegraph.cli.common import _today, load
from stakegraph.errors import StakegraphError

if TYPE_CHECKING:  # the records import pydantic; keep `stakegraph --help` instant
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
    if password_env:
        if password_env not in os.environ:
            raise StakegraphError(
                f"--password-env names {password_env}, which is not set; "
                f"set it (export {password_env}=...) or leave the option out "
                f"to read {PASSWORD_ENV}."
            )
        password = os.environ[password_env]
    else:
        password = os.environ.get(PASSWORD_ENV)
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
def neo4j_options(func: Callable) -> Callable:
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
    return click.option(
        "--neo4j",
        "neo4j",
        is_flag=True,
        help="Read the workspace from Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD) "
        "instead of a folder.",
    )(func)


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

    With ``neo4j`` the workspace is pulled (:func:`stakegraph.engines.queries.workspace_from_neo4j`)
    and gives the same results as the folder it was pushed from; a folder given as
    well is an error, so it is always clear which data was analysed.
    """
    if neo4j:
        if path_or_none:
            raise StakegraphError(
                f"give either a workspace folder ({path_or_none}) or --neo4j, not both."
            )
        from stakegraph.engines.queries import workspace_from_neo4j

        with open_store(uri, user, password_env, database) as store:
            return workspace_from_neo4j(store, _pick_workspace(store, workspace_id))
    if workspace_id:
        raise StakegraphError("--workspace names a workspace in Neo4j; add --neo4j.")
    if not path_or_none:
        raise StakegraphError("give a workspace folder, or --neo4j [--workspace ID].")
    if not Path(path_or_none).exists():
        raise StakegraphError(f"{path_or_none}: no such folder or file.")
    return load(path_or_none, quiet=quiet)


def load_chosen_source(
    path_or_none: str | Path | None, quiet: bool, source: dict[str, Any]
) -> Workspace:
    """:func:`load_source` with the options of :func:`neo4j_options` as one dict.

    Commands take those options as ``**source`` so each need not spell out six
    parameters it only passes on.
    """
    return load_source(
        path_or_none,
        source.get("neo4j", False),
        source.get("neo4j_workspace"),
        quiet,
        source.get("uri"),
        source.get("user"),
        source.get("password_env"),
        source.get("database"),
    )


# --- the workspace, network and opportunity of an analysis command ---------------------
def _load_source(workspace: Path | None, quiet: bool, source: dict):
    """A folder, or with ``--neo4j`` a workspace stored in Neo4j."""
    return load_chosen_source(workspace, quiet, source)


def _network(workspace: Path | None, as_of: dt.date | None, quiet: bool, source: dict):
    from stakegraph.graph.network import build_network

    ws = _load_source(workspace, quiet, source)
    day = as_of or _today()
    return ws, build_network(ws, day), day


def _opportunity(ws, opportunity: str | None) -> str:
    from stakegraph.errors import StakegraphError

    if opportunity:
        ws.get("opportunities", opportunity)
        return opportunity
    if len(ws.opportunities) == 1:
        return next(iter(ws.opportunities))
    known = ", ".join(ws.opportunities) or "none"
    raise StakegraphError(f"name an opportunity with --opportunity ID (known: {known}).")


def opportunity_option(func: Callable) -> Callable:
    return click.option(
        "--opportunity",
        "-o",
        help="Opportunity id (may be left out when the workspace has only one).",
    )(func)
