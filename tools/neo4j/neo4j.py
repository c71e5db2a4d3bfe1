"""Build a Neo4j home from Maven Central and run the genuine Neo4j server from it.

The home is laid out by ``tools/neo4j/pom.xml`` (``lib/`` holds the runtime closure
of ``org.neo4j:neo4j``, ``plugins/`` APOC core), exactly as the release tarball
does, and the server is started the way ``bin/neo4j console`` starts it: through
Neo4j's own launcher, ``org.neo4j.server.startup.Neo4jCommand``, which forks the
server JVM. Jars are cached by Maven in ``~/.m2`` and copied into the home folder,
which is git-ignored.

Each server gets its own folder (``data_dir``) holding its ``conf/``, ``data/``,
``logs/``, ``run/`` and ``import/``, so several servers can share one home.

Usage (``make neo4j``)::

    python tools/neo4j/neo4j.py start [--home DIR] [--bolt-port N] [--http-port N] [--fresh]

Library use (the test fixture does this)::

    home = build_home(DEFAULT_HOME)
    server = start_server(home, tmp / "server", password="a-long-password")
    ...  # server.uri, server.auth
    server.stop()

Only the standard library and the ``neo4j`` Python driver are used.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run as a script, this file's folder comes first on sys.path, and this file would
# shadow the `neo4j` driver package it needs: drop the folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

ROOT = HERE.parent.parent
POM = HERE / "pom.xml"
DEFAULT_HOME = ROOT / "tools" / "neo4j-home"
DEFAULT_USER = "neo4j"
START_TIMEOUT = 120.0
LAUNCHER = "org.neo4j.server.startup.Neo4jCommand"
ADMIN = "org.neo4j.server.startup.Neo4jAdminCommand"

#: JVM options of the shipped neo4j.conf (5.26) that matter on Java 17: the module
#: opens Neo4j needs for direct buffers and native access, and the GC settings.
JVM_ADDITIONAL = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768",
)


class Neo4jSetupError(RuntimeError):
    """The Neo4j home could not be built or the server could not be started."""


class MissingPrerequisite(Neo4jSetupError):
    """Java or Maven is not installed, so no server can be built here."""


# --- building the home -------------------------------------------------------------------
def missing_prerequisites() -> list[str]:
    """Names of the programs needed to build and run a server that are not on PATH."""
    missing = []
    if not _java():
        missing.append("java (17 or newer)")
    if not shutil.which("mvn"):
        missing.append("mvn (Maven)")
    return missing


def _java() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    return shutil.which("java")


def _pom_digest() -> str:
    return hashlib.sha256(POM.read_bytes()).hexdigest()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` so parallel builds of one home wait for each other."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_home(home: Path = DEFAULT_HOME, force: bool = False) -> Path:
    """Lay out a Neo4j home (``lib/``, ``plugins/``) with Maven, once.

    Runs ``mvn -q -f tools/neo4j/pom.xml package -Dneo4j.home=HOME``. The home is
    rebuilt only when the pom changed since the last build (or with ``force``); the
    jars themselves are cached in ``~/.m2``, so a rebuild is a copy.

    Parameters
    ----------
    home : Path
        The folder to fill; created when missing.
    force : bool
        Rebuild even when the home is up to date.

    Returns
    -------
    Path
        The home, absolute.

    Raises
    ------
    MissingPrerequisite
        Java or Maven is not installed.
    Neo4jSetupError
        Maven failed (its output is in the message).
    """
    home = Path(home).resolve()
    stamp = home / ".built-from"
    digest = _pom_digest()
    with _locked(home / ".build.lock"):
        if (
            not force
            and stamp.is_file()
            and stamp.read_text().strip() == digest
            and any((home / "lib").glob("neo4j-5.*.jar"))
        ):
            return home
        missing = missing_prerequisites()
        if missing:
            raise MissingPrerequisite(
                "cannot build a Neo4j server here: missing " + " and ".join(missing)
            )
        for sub in ("lib", "plugins"):
            # stale jars of another version would end up on the classpath
            shutil.rmtree(home / sub, ignore_errors=True)
        stamp.unlink(missing_ok=True)
        command = ["mvn", "-q", "-B", "-f", str(POM), "package", f"-Dneo4j.home={home}"]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip().splitlines()
            raise Neo4jSetupError(
                f"building the Neo4j home failed ({' '.join(command)}):\n" + "\n".join(output[-30:])
            )
        stamp.write_text(digest + "\n")
    return home


# --- running a server --------------------------------------------------------------------
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running Neo4j server started by :func:`start_server`."""

    home: Path
    data_dir: Path
    bolt_port: int
    http_port: int
    user: str
    password: str = field(repr=False)
    process: subprocess.Popen = field(repr=False)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def browser_url(self) -> str:
        return f"{self.http_url}/browser/"

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)

    @property
    def log_file(self) -> Path:
        return self.data_dir / "logs" / "console.log"

    def running(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the server wrote (launcher output and neo4j.log)."""
        return _tail(self.log_file, lines)

    def stop(self, timeout: float = 60.0) -> None:
        """Stop the server: SIGTERM to its process group, then wait (SIGKILL after ``timeout``)."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _tail(path: Path, lines: int) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log written)"
    return "\n".join(text.splitlines()[-lines:])


def write_config(
    home: Path,
    data_dir: Path,
    bolt_port: int,
    http_port: int,
    heap: str = "1g",
    pagecache: str = "256m",
) -> Path:
    """Write ``DATA_DIR/conf/neo4j.conf`` for a server on 127.0.0.1; return the conf folder.

    Config validation is strict in Neo4j 5: a mistyped key stops the server.
    """
    conf_dir = data_dir / "conf"
    conf_dir.mkdir(parents=True, exist_ok=True)
    for sub in ("data", "logs", "run", "import"):
        (data_dir / sub).mkdir(parents=True, exist_ok=True)
    lines = [
        "# Written by tools/neo4j/neo4j.py; rewritten at every start.",
        f"server.directories.lib={home / 'lib'}",
        f"server.directories.plugins={home / 'plugins'}",
        f"server.directories.data={data_dir / 'data'}",
        f"server.directories.logs={data_dir / 'logs'}",
        f"server.directories.run={data_dir / 'run'}",
        f"server.directories.import={data_dir / 'import'}",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        "server.bolt.enabled=true",
        f"server.bolt.listen_address=127.0.0.1:{bolt_port}",
        f"server.bolt.advertised_address=127.0.0.1:{bolt_port}",
        "server.http.enabled=true",
        f"server.http.listen_address=127.0.0.1:{http_port}",
        f"server.http.advertised_address=127.0.0.1:{http_port}",
        "server.https.enabled=false",
        # Server-side routing opens a second Bolt port (7688) that collides between
        # servers running side by side.
        "dbms.routing.enabled=false",
        "dbms.usage_report.enabled=false",
        "dbms.security.procedures.unrestricted=apoc.*",
        f"server.memory.pagecache.size={pagecache}",
        f"server.memory.heap.initial_size={heap}",
        f"server.memory.heap.max_size={heap}",
        "db.tx_log.rotation.retention_policy=1 files",
        # transaction timeouts are enforced within a tenth of a second instead of the
        # default two, so a query past its time limit stops when it should
        "db.transaction.monitor.check.interval=100ms",
        *(f"server.jvm.additional={option}" for option in JVM_ADDITIONAL),
    ]
    (conf_dir / "neo4j.conf").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return conf_dir


def _env(home: Path, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["NEO4J_HOME"] = str(data_dir)
    env["NEO4J_CONF"] = str(data_dir / "conf")
    java = _java()
    if java and "JAVA_HOME" not in env:
        env["JAVA_HOME"] = str(Path(java).resolve().parent.parent)
    return env


def _java_command(home: Path, main_class: str, *args: str) -> list[str]:
    java = _java()
    if not java:
        raise MissingPrerequisite("cannot start Neo4j: java is not installed")
    return [java, "-cp", str(home / "lib" / "*"), main_class, *args]


def new_password() -> str:
    """A random password that starts with a letter, safe to paste after ``-p`` or ``=``."""
    return "n" + secrets.token_urlsafe(18)


def set_initial_password(home: Path, data_dir: Path, password: str) -> None:
    """Set the password of the ``neo4j`` user before the server's first start.

    Runs ``neo4j-admin dbms set-initial-password``. The password never appears on
    a command line (where any user could read it in the process list): it goes
    into an argument file that only this user can read, which neo4j-admin expands
    (``@FILE``), and the file is removed as soon as the command ends. The ``--``
    in the file ends the options, so a password that starts with ``-`` is not
    read as one.
    """
    if "\n" in password or "\r" in password:
        raise Neo4jSetupError("a Neo4j password cannot contain a line break")
    args_file = write_password_args(data_dir / "run", password)
    try:
        command = _java_command(home, ADMIN, "dbms", "set-initial-password", f"@{args_file}")
        result = subprocess.run(command, env=_env(home, data_dir), capture_output=True, text=True)
    finally:
        args_file.unlink(missing_ok=True)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).replace(password, "***")
        raise Neo4jSetupError(f"setting the initial password failed:\n{output.strip()}")


def write_password_args(folder: Path, password: str) -> Path:
    """Write ``-- "PASSWORD"`` to a new file in ``folder`` readable by this user only.

    The format is that of picocli's argument files, which neo4j-admin expands:
    inside double quotes a backslash and a double quote are escaped with a backslash.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "initial-password.args"
    path.unlink(missing_ok=True)  # left by a killed run; O_EXCL below needs it gone
    quoted = '"' + password.replace("\\", "\\\\").replace('"', '\\"') + '"'
    # created 0600 in one step: the password is never readable by others, not even briefly
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"-- {quoted}\n")
    return path


def start_server(
    home: Path,
    data_dir: Path,
    bolt_port: int | None = None,
    http_port: int | None = None,
    password: str | None = None,
    user: str = DEFAULT_USER,
    heap: str = "1g",
    pagecache: str = "256m",
    timeout: float = START_TIMEOUT,
) -> Server:
    """Start a Neo4j server from a built home, its files under ``data_dir``.

    Writes ``DATA_DIR/conf/neo4j.conf`` (Bolt and HTTP on 127.0.0.1 at free ports
    unless given, routing off, page cache ``pagecache``, heap ``heap``), sets the initial
    password when the folder holds no database yet, starts ``Neo4jCommand console``
    in a new session and waits until the Python driver connects.

    Parameters
    ----------
    home : Path
        A home made by :func:`build_home`.
    data_dir : Path
        This server's folder (conf, data, logs, run, import); use a fresh one per
        test session, since a stale pid file blocks startup.
    bolt_port, http_port : int, optional
        Ports on 127.0.0.1; free ones by default.
    password : str, optional
        Password of ``user``; a random one when omitted (read it from the result).
        Neo4j asks for at least 8 characters.
    timeout : float
        Seconds to wait for the server to accept connections.

    Returns
    -------
    Server
        Running; call :meth:`Server.stop` (or use it as a context manager).

    Raises
    ------
    Neo4jSetupError
        The server exited or did not answer within ``timeout``; the message ends with
        the tail of its log.
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

    home = Path(home).resolve()
    data_dir = Path(data_dir).resolve()
    password = password or new_password()
    bolt_port = bolt_port or free_port()
    http_port = http_port or free_port()
    while http_port == bolt_port:
        http_port = free_port()
    write_config(home, data_dir, bolt_port, http_port, heap, pagecache)
    pid_file = data_dir / "run" / "neo4j.pid"
    pid_file.unlink(missing_ok=True)
    if not (data_dir / "data" / "databases" / "system").exists():
        set_initial_password(home, data_dir, password)

    log = open(data_dir / "logs" / "console.log", "ab")  # noqa: SIM115 - owned by the process
    try:
        process = subprocess.Popen(
            _java_command(home, LAUNCHER, "console"),
            env=_env(home, data_dir),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        log.close()
    server = Server(home, data_dir, bolt_port, http_port, user, password, process)

    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        if process.poll() is not None:
            raise Neo4jSetupError(
                f"Neo4j exited with code {process.returncode} while starting; "
                f"last lines of {server.log_file}:\n{server.log_tail()}"
            )
        try:
            with GraphDatabase.driver(server.uri, auth=server.auth) as driver:
                driver.verify_connectivity()
            return server
        except AuthError as exc:
            server.stop()
            raise Neo4jSetupError(
                f"Neo4j at {server.uri} refused the password; {data_dir} holds a database "
                "made with another password: use the same password or a fresh folder"
            ) from exc
        except (ServiceUnavailable, Neo4jError, OSError) as exc:
            last_error = exc
        if time.monotonic() > deadline:
            server.stop()
            raise Neo4jSetupError(
                f"Neo4j did not accept connections at {server.uri} within {timeout:.0f} s "
                f"({type(last_error).__name__}); last lines of {server.log_file}:\n"
                f"{server.log_tail()}"
            )
        time.sleep(0.5)


# --- command line ------------------------------------------------------------------------
def _dev_password(folder: Path) -> str:
    """The password of the development server in ``folder``, made once and kept there."""
    env = os.environ.get("NEO4J_PASSWORD")
    path = folder / "password"
    if path.is_file():
        return path.read_text().strip()
    password = env or new_password()
    folder.mkdir(parents=True, exist_ok=True)
    # created 0600 in one step, never readable by others in between
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    return password


def _cmd_start(args: argparse.Namespace) -> int:
    home = Path(args.home)
    try:
        print(f"Building the Neo4j home in {home} (first time: downloads from Maven Central)…")
        home = build_home(home)
    except Neo4jSetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    folder = home / "dev"
    if args.fresh:
        shutil.rmtree(folder, ignore_errors=True)
    password = _dev_password(folder)
    print("Starting Neo4j…")
    try:
        server = start_server(
            home, folder, args.bolt_port, args.http_port, password=password, heap=args.heap
        )
    except Neo4jSetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        "\nNeo4j is running (Ctrl-C stops it).\n"
        f"  Bolt URI:   {server.uri}\n"
        f"  Browser:    {server.browser_url}\n"
        f"  HTTP:       {server.http_url}\n"
        f"  User:       {server.user}\n"
        f"  Password:   {server.password}\n"
        f"  Data, logs: {folder}\n\n"
        "For stakegraph and the tests:\n"
        f"  export NEO4J_URI={server.uri} NEO4J_USER={server.user} "
        f"NEO4J_PASSWORD='{server.password}'\n",
        flush=True,
    )
    stop = {"now": False}

    def _on_signal(signum: int, frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, _on_signal)
    try:
        while not stop["now"] and server.running():
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        print("Stopping Neo4j…", flush=True)
        server.stop()
    if server.process.returncode not in (0, None, -signal.SIGTERM, 143) and not stop["now"]:
        print(f"Neo4j exited; last lines of its log:\n{server.log_tail()}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python tools/neo4j/neo4j.py``."""
    parser = argparse.ArgumentParser(
        prog="tools/neo4j/neo4j.py",
        description="Build a Neo4j 5.26 home from Maven Central and run the server.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser(
        "start", help="Build the home if needed and run a server until Ctrl-C."
    )
    start.add_argument("--home", default=str(DEFAULT_HOME), help="Neo4j home folder.")
    start.add_argument("--bolt-port", type=int, default=None, help="Default: a free port.")
    start.add_argument("--http-port", type=int, default=None, help="Default: a free port.")
    start.add_argument("--heap", default="1g", help="JVM heap (default 1g).")
    start.add_argument(
        "--fresh", action="store_true", help="Start from an empty database (new password)."
    )
    build = commands.add_parser("build", help="Only build the home.")
    build.add_argument("--home", default=str(DEFAULT_HOME), help="Neo4j home folder.")
    build.add_argument("--force", action="store_true", help="Rebuild even if up to date.")
    args = parser.parse_args(argv)
    if args.command == "build":
        try:
            print(build_home(Path(args.home), force=args.force))
        except Neo4jSetupError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    return _cmd_start(args)


if __name__ == "__main__":
    sys.exit(main())
