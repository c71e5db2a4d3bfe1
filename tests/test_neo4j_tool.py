"""The script that builds and starts the Neo4j server (tools/neo4j/neo4j.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.neo4j_fixture import Neo4jConnection, load_tool


def test_generated_passwords_never_look_like_options() -> None:
    tool = load_tool()
    passwords = {tool.new_password() for _ in range(2000)}
    assert len(passwords) == 2000
    assert all(p[0].isalpha() and len(p) >= 20 for p in passwords)


@pytest.mark.neo4j
def test_a_password_starting_with_a_dash_is_set_and_accepted(
    neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    # neo4j-admin once read such a password as an unknown option and refused to start
    # (about one random password in 64 starts with "-").
    from neo4j import GraphDatabase

    tool = load_tool()
    password = "-starts-with-a-dash"
    server = tool.start_server(
        tool.DEFAULT_HOME, tmp_path / "server", password=password, heap="512m", pagecache="64m"
    )
    try:
        with GraphDatabase.driver(server.uri, auth=("neo4j", password)) as driver:
            records, _, _ = driver.execute_query("RETURN 1 AS one")
        assert records[0]["one"] == 1
    finally:
        server.stop()
