"""A real Neo4j server for the tests marked ``@pytest.mark.neo4j``.

With ``NEO4J_URI`` set (and ``NEO4J_USER``/``NEO4J_PASSWORD``), the tests use that
server. Otherwise the session starts its own, once: it builds the Neo4j home with
Maven (``tools/neo4j/pom.xml``; jars cached in ``~/.m2``), starts the genuine
server on free ports with a fresh data folder, and stops it at the end.

When ``CI`` is true a server that cannot start fails the tests, never skips them;
elsewhere, without Java or Maven, they are skipped with the reason.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "neo4j" / "neo4j.py"


@dataclass(frozen=True)
class Neo4jConnection:
    """Where the test server is and how to log in."""

    uri: str
    user: str
    password: str = field(repr=False)

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def load_tool() -> ModuleType:
    """``tools/neo4j/neo4j.py`` as a module (it is a script, not part of a package)."""
    name = "stakegraph_neo4j_tool"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _unavailable(reason: str) -> None:
    if _ci():
        pytest.fail(f"Neo4j is required on CI but could not start: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_connection(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jConnection]:
    """The server for this test session: NEO4J_URI's, or one started here."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield Neo4jConnection(
            uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
        )
        return
    tool = load_tool()
    missing = tool.missing_prerequisites()
    if missing:
        _unavailable("no Neo4j server: set NEO4J_URI, or install " + " and ".join(missing))
    try:
        home = tool.build_home(tool.DEFAULT_HOME)
        server = tool.start_server(home, tmp_path_factory.mktemp("neo4j-server"))
    except tool.Neo4jSetupError as exc:
        pytest.fail(f"could not start the Neo4j test server: {exc}", pytrace=False)
    try:
        yield Neo4jConnection(server.uri, server.user, server.password)
    finally:
        server.stop()


def neo4j_variables(connection: Neo4jConnection) -> dict[str, str]:
    """The environment variables that point a command (or a child process) at ``connection``."""
    return {
        "NEO4J_URI": connection.uri,
        "NEO4J_USER": connection.user,
        "NEO4J_PASSWORD": connection.password,
    }


def point_at_server(patch: pytest.MonkeyPatch, connection: Neo4jConnection) -> None:
    """Set :func:`neo4j_variables` through ``patch``, on the server's default database."""
    for name, value in neo4j_variables(connection).items():
        patch.setenv(name, value)
    # a database named in the caller's shell would send commands elsewhere
    patch.delenv("NEO4J_DATABASE", raising=False)


@pytest.fixture
def neo4j_env(
    neo4j_connection: Neo4jConnection, monkeypatch: pytest.MonkeyPatch
) -> Neo4jConnection:
    """Commands run in this test reach the session's server through the environment."""
    point_at_server(monkeypatch, neo4j_connection)
    return neo4j_connection


@pytest.fixture(scope="session")
def neo4j_uri(neo4j_connection: Neo4jConnection) -> str:
    return neo4j_connection.uri


@pytest.fixture(scope="session")
def neo4j_auth(neo4j_connection: Neo4jConnection) -> tuple[str, str]:
    return neo4j_connection.auth


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_connection: Neo4jConnection):
    """A ``neo4j.Driver`` connected to the session's server."""
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(neo4j_connection.uri, auth=neo4j_connection.auth)
    try:
        driver.verify_connectivity()
    except Exception as exc:  # the server named by NEO4J_URI may be down
        driver.close()
        _unavailable(f"cannot connect to Neo4j at {neo4j_connection.uri}: {type(exc).__name__}")
    yield driver
    driver.close()
