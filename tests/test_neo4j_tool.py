"""The script that builds and starts the Neo4j server (tools/neo4j/neo4j.py)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.neo4j_fixture import TOOL, Neo4jConnection, load_tool


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


#: A password with everything an argument file could misread: quotes, a backslash,
#: spaces, a comment sign, an at sign and a leading dash.
AWKWARD = "-a \"quoted\" 'pass' \\ #not-a-comment @at 密码"


def _command_lines() -> list[str]:
    """The command line of every process that can be read, arguments joined by spaces."""
    lines = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                raw = (entry / "cmdline").read_bytes()
            except OSError:  # ended while we looked
                continue
            lines.append(raw.replace(b"\0", b" ").decode("utf-8", "replace"))
    return lines


def _neo4j_hash(password: str, salt: bytes, iterations: int) -> str:
    """Neo4j's SHA-256 credential: the salted hash, hashed again ``iterations - 1`` times."""
    digest = hashlib.sha256(salt + password.encode("utf-8")).digest()
    for _ in range(iterations - 1):
        digest = hashlib.sha256(digest).digest()
    return digest.hex()


def _tool_or_skip():
    tool = load_tool()
    missing = tool.missing_prerequisites()
    if missing:
        pytest.skip("needs " + " and ".join(missing))
    return tool


def test_the_argument_file_is_private_and_quoted(tmp_path: Path) -> None:
    tool = load_tool()
    path = tool.write_password_args(tmp_path / "run", AWKWARD)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8") == (
        '-- "-a \\"quoted\\" \'pass\' \\\\ #not-a-comment @at 密码"\n'
    )
    with pytest.raises(tool.Neo4jSetupError, match="line break"):
        tool.set_initial_password(tool.DEFAULT_HOME, tmp_path, "two\nlines")


@pytest.mark.neo4j
def test_the_initial_password_is_set_exactly_and_never_on_a_command_line(tmp_path: Path) -> None:
    tool = _tool_or_skip()
    home = tool.build_home(tool.DEFAULT_HOME)
    data_dir = tmp_path / "server"
    tool.write_config(home, data_dir, tool.free_port(), tool.free_port())
    failure: list[BaseException] = []

    def set_password() -> None:
        try:
            tool.set_initial_password(home, data_dir, AWKWARD)
        except BaseException as exc:  # reported by the main thread
            failure.append(exc)

    worker = threading.Thread(target=set_password)
    worker.start()
    seen_admin = False
    while worker.is_alive():
        for line in _command_lines():
            assert AWKWARD not in line and "not-a-comment" not in line, line
            seen_admin = seen_admin or "set-initial-password" in line
    worker.join()
    assert not failure, failure
    assert seen_admin, "the scan never saw neo4j-admin running"
    assert not (data_dir / "run" / "initial-password.args").exists()
    user, credential = (data_dir / "data" / "dbms" / "auth.ini").read_text().split(":")[:2]
    scheme, digest, salt, iterations = credential.split(",")
    assert (user, scheme) == ("neo4j", "SHA-256")
    assert digest == _neo4j_hash(AWKWARD, bytes.fromhex(salt), int(iterations))


@pytest.mark.neo4j
@pytest.mark.slow
def test_make_neo4j_never_shows_the_password(tmp_path: Path) -> None:
    """``tools/neo4j/neo4j.py start`` (what ``make neo4j`` runs), scanned until it serves."""
    from neo4j import GraphDatabase

    tool = _tool_or_skip()
    built = tool.build_home(tool.DEFAULT_HOME)
    # a home of its own (the server's files go into HOME/dev), sharing the built jars
    home = tmp_path / "home"
    home.mkdir()
    for name in ("lib", "plugins"):
        (home / name).symlink_to(built / name)
    shutil.copy(built / ".built-from", home / ".built-from")
    env = {**os.environ, "NEO4J_PASSWORD": AWKWARD}
    process = subprocess.Popen(
        [sys.executable, str(TOOL), "start", "--home", str(home), "--heap", "512m"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")))
    reader.start()
    seen_admin = False
    try:
        deadline = time.monotonic() + 180
        while not any("Neo4j is running" in line for line in lines):
            assert process.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "".join(lines)
            for line in _command_lines():
                assert AWKWARD not in line and "not-a-comment" not in line, line
                seen_admin = seen_admin or "set-initial-password" in line
        assert seen_admin, "the scan never saw neo4j-admin running"
        uri = next(line.split()[-1] for line in lines if "Bolt URI:" in line)
        with GraphDatabase.driver(uri, auth=("neo4j", AWKWARD)) as driver:
            records, _, _ = driver.execute_query("RETURN 1 AS one")
        assert records[0]["one"] == 1
        assert stat.S_IMODE((home / "dev" / "password").stat().st_mode) == 0o600
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)
        reader.join(timeout=10)
