"""No command ever ends in a traceback: bad values, missing paths and failed writes are one line.

The cases are built from the command group itself: every command of
``stakegraph --help`` is run with a nonexistent workspace, with out-of-range
numbers in each of its number options, with days at the ends of the calendar in
each date option, with invalid ids in each id option, and (for commands that
write) with an output path whose parent is a file. A new command is covered
without editing this file; :data:`VALID` only gives each command the rest of a
working command line, and a test checks that those lines work, so the invalid
values are the only thing wrong in each case.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from stakegraph.cli.common import DATE, RECORD_ID
from stakegraph.cli.main import main
from tests.builders import DATA, ROOT, run_cli

MINI = DATA / "mini"
#: An address where no server listens: Neo4j commands fail fast and must say so.
DEAD_NEO4J = "bolt://127.0.0.1:1"

#: The rest of a working command line per command: {ws} is a copy of the mini
#: workspace, {out} a fresh path in a writable folder, {popolo} a Popolo file.
#: Commands not named here get their required values filled in by type.
VALID: dict[str, list[str]] = {
    "act": ["{ws}", "--person", "wang", "--action", "call", "--owner", "rep1"],
    "assess": ["{ws}", "--owner", "rep1", "--person", "wang", "--support", "4"],
    "cache": ["clear", "{ws}"],
    "brief": ["{ws}", "--out", "{out}.png"],
    "convert": ["{ws}", "{out}"],
    "diff": ["{ws}", "--from", "2025-01-01"],
    "export": ["{ws}", "--format", "graphml", "--out", "{out}.graphml"],
    "history": ["{ws}", "--person", "wang"],
    "import": ["appointments", str(DATA / "appointments" / "cabinet.csv"), "{ws}"],
    "import-popolo": ["{popolo}", "{out}"],
    "init": ["{out}"],
    "log": ["{ws}", "--kind", "visit", "--owner", "rep1", "--person", "wang"],
    "map": ["{ws}", "--out", "{out}.html"],
    "paths": ["{ws}", "--to", "wang"],
    "plan": ["{ws}", "--save"],
    "plot": ["{ws}", "influence", "--out", "{out}.png"],
    "portfolio": ["{ws}", "--out", "{out}.png"],
    "query": ["who_covers", "-p", "person=x", "-p", "as_of=2026-11-28"],
    "report": ["{ws}", "--out", "{out}"],
    "whatif": ["{ws}", "--owner-leaves", "rep1"],
}
#: Commands that need a Neo4j server: with none listening they must fail in one line.
NEEDS_SERVER = {"push", "pull", "query"}
#: Numbers that are out of range for every count, bound and window.
BAD_NUMBERS = ["-5", "-1", "0"]
BAD_DAYS = ["9999-12-31", "0001-01-01", "2026-02-30"]
BAD_IDS = ["a b", "a/b", " "]


@pytest.fixture(autouse=True)
def _no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", DEAD_NEO4J)
    monkeypatch.delenv("STAKEGRAPH_DEBUG", raising=False)


def _commands() -> list[str]:
    return sorted(main.commands)


def _base(name: str, tmp: Path) -> list[str]:
    """A working command line for ``name`` (without the command name)."""
    ws = tmp / "ws"
    if not ws.exists():
        shutil.copytree(MINI, ws)
    popolo = tmp / "directory.json"
    if name == "import-popolo" and not popolo.exists():
        assert run_cli(["export", MINI, "--format", "popolo", "--out", popolo]).exit_code == 0
    values = {"ws": str(ws), "out": str(tmp / f"out-{name}"), "popolo": str(popolo)}
    if name in VALID:
        return [part.format(**values) for part in VALID[name]]
    args: list[str] = []
    for param in main.commands[name].params:
        if isinstance(param, click.Argument):
            if isinstance(param.type, click.Path) and param.type.exists:
                args.append(values["ws"])
            elif isinstance(param.type, click.Path):
                args.append(values["out"])
            elif isinstance(param.type, click.Choice):
                args.append(str(param.type.choices[0]))
            elif param.required:
                args.append("x")
        elif param.required and isinstance(param, click.Option):
            value = str(param.type.choices[0]) if isinstance(param.type, click.Choice) else "x"
            args += [param.opts[0], value]
    return args


def _run(args: list[str]):
    result = run_cli(args)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), (args, repr(result.exception))
    # the last-resort message means an error nobody explained: a defect here too
    assert "This is a bug in stakegraph" not in output, output
    return result


def _with(args: list[str], option: click.Option, value: str) -> list[str]:
    return [*args, option.opts[0], value]


def _options(name: str, kind: type) -> list[click.Option]:
    return [
        p
        for p in main.commands[name].params
        if isinstance(p, click.Option) and not p.is_flag and isinstance(p.type, kind)
    ]


def _cases(kind: type, values: list[str]) -> Iterator[tuple[str, str, str]]:
    for name in _commands():
        for option in _options(name, kind):
            for value in values:
                yield name, option.opts[0], value


@pytest.mark.parametrize("name", _commands())
def test_the_valid_command_lines_work(name: str, tmp_path: Path) -> None:
    """The base of every case works, so each case fails only on its invalid value."""
    result = _run([name, *_base(name, tmp_path)])
    if name in NEEDS_SERVER:
        assert result.exit_code == 1 and "127.0.0.1:1" in result.stderr, result.output
    else:
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", _commands())
def test_a_missing_workspace_is_one_line(name: str, tmp_path: Path) -> None:
    args = _base(name, tmp_path)
    inputs = [str(tmp_path / "ws"), str(tmp_path / "directory.json")]
    read = [i for i, a in enumerate(args) if a in inputs]
    if name == "import":
        return  # a missing workspace is made: `import appointments` creates one
    if not read:
        assert name in {"init", *NEEDS_SERVER}, f"{name}: no workspace on its command line"
        return
    missing = tmp_path / "missing" / "workspace"
    args[read[0]] = str(missing)
    result = _run([name, *args])
    assert result.exit_code == 2, result.output
    assert f"'{missing}' does not exist" in result.stderr, result.stderr
    assert not missing.parent.exists()


@pytest.mark.parametrize(
    ("name", "option", "value"),
    list(_cases(click.IntRange, BAD_NUMBERS)) + list(_cases(click.FloatRange, BAD_NUMBERS[:1])),
)
def test_out_of_range_numbers_are_usage_errors(
    name: str, option: str, value: str, tmp_path: Path
) -> None:
    param = next(p for p in main.commands[name].params if option in p.opts)
    lowest = param.type.min
    result = _run([name, *_with(_base(name, tmp_path), param, value)])
    if lowest is not None and float(value) < lowest:
        assert result.exit_code == 2, result.output
        assert f"Invalid value for '{option}'" in result.stderr
        assert value in result.stderr


def test_every_count_option_has_a_lower_bound() -> None:
    """Counts, hops, windows and top lists take a range: no plain int option is left."""
    for name, command in main.commands.items():
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_flag:
                assert type(param.type) is not click.types.IntParamType, (name, param.name)
                if isinstance(param.type, click.IntRange):
                    assert param.type.min is not None, (name, param.name)


@pytest.mark.parametrize(("name", "option", "value"), list(_cases(type(DATE), BAD_DAYS)))
def test_days_at_the_ends_of_the_calendar_are_usage_errors(
    name: str, option: str, value: str, tmp_path: Path
) -> None:
    param = next(p for p in main.commands[name].params if option in p.opts)
    result = _run([name, *_with(_base(name, tmp_path), param, value)])
    assert result.exit_code == 2, result.output
    assert value in result.stderr


def test_plan_save_on_the_last_day_writes_nothing(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    before = sorted(p.name for p in ws.iterdir())
    result = _run(["plan", ws, "--save", "--as-of", "9999-12-31"])
    assert result.exit_code == 2
    assert "9999-12-31 is out of range; give a day from 1900-01-01 to 2999-12-31." in result.stderr
    assert sorted(p.name for p in ws.iterdir()) == before
    assert _run(["plan", ws, "--save", "--as-of", "2999-12-31"]).exit_code == 0


@pytest.mark.parametrize(("name", "option", "value"), list(_cases(type(RECORD_ID), BAD_IDS)))
def test_invalid_ids_are_usage_errors(name: str, option: str, value: str, tmp_path: Path) -> None:
    base = _base(name, tmp_path)
    ws = Path(base[0])
    before = {p.name: p.read_bytes() for p in ws.iterdir()}
    param = next(p for p in main.commands[name].params if option in p.opts)
    result = _run([name, *_with(base, param, value)])
    assert result.exit_code == 2, result.output
    assert f"{value!r} is not a valid id" in result.stderr
    assert {p.name: p.read_bytes() for p in ws.iterdir()} == before


def _malformed_book(tmp: Path) -> Path:
    """The mini workspace as a workbook whose first sheet's XML is cut in half."""
    book = tmp / "book.xlsx"
    assert run_cli(["convert", MINI, book]).exit_code == 0
    bad = tmp / "malformed.xlsx"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(bad, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(name, data)
    book.unlink()
    return bad


@pytest.mark.parametrize("name", _commands())
def test_a_workbook_with_malformed_sheet_xml_is_one_line(name: str, tmp_path: Path) -> None:
    args = _base(name, tmp_path)
    ws = str(tmp_path / "ws")
    if ws not in args:
        assert name in {"init", "import-popolo", *NEEDS_SERVER}, f"{name}: no workspace"
        return
    if name == "cache":
        return  # clearing a workbook's cache never opens the workbook
    bad = _malformed_book(tmp_path)
    before = bad.read_bytes()
    result = _run([name, *[str(bad) if a == ws else a for a in args]])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"error: {bad}: cannot open the workbook"), result.stderr
    assert bad.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["malformed.xlsx", "ws"]


def _writers() -> list[str]:
    return [n for n in _commands() if any("{out}" in a for a in VALID.get(n, []))]


@pytest.mark.parametrize("name", _writers())
def test_an_output_under_a_file_is_one_line(name: str, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    args = [
        a.replace(str(tmp_path / f"out-{name}"), str(blocker / "out"))
        for a in _base(name, tmp_path)
    ]
    result = _run([name, *args])
    assert result.exit_code in (1, 2), result.output
    assert str(blocker) in result.stderr, result.stderr
    assert blocker.read_text() == "not a folder"


def test_a_uri_that_is_not_bolt_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(
        [
            "query",
            "who_covers",
            "--uri",
            "http://localhost:7474",
            "-p",
            "person=x",
            "-p",
            "as_of=2026-11-28",
        ]
    )
    assert result.exit_code == 2
    assert "'--uri': http://… is not a Neo4j URI" in result.stderr
    monkeypatch.setenv("NEO4J_URI", "http://localhost:7474")
    result = _run(["report", "--neo4j"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: NEO4J_URI: http://… is not a Neo4j URI")


def test_an_unset_password_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STAKEGRAPH_UNSET_PW", raising=False)
    monkeypatch.setenv("NEO4J_PASSWORD", "would-be-used-before")
    for args in (
        ["query", "who_covers", "-p", "person=x", "-p", "as_of=2026-11-28"],
        ["report", "--neo4j"],
        ["pull", "o"],
    ):
        result = _run([*args, "--password-env", "STAKEGRAPH_UNSET_PW"])
        assert result.exit_code == 1, result.output
        assert "--password-env names STAKEGRAPH_UNSET_PW, which is not set" in result.stderr
    # without the option an unset NEO4J_PASSWORD still means "no password"
    monkeypatch.delenv("NEO4J_PASSWORD")
    result = _run(["query", "who_covers", "-p", "person=x", "-p", "as_of=2026-11-28"])
    assert result.exit_code == 1 and "cannot reach Neo4j at bolt://127.0.0.1:1" in result.stderr


# --- failed writes, through the installed entry point ----------------------------------------
def _cli(args: list[str], *, user: bool = False, fsize: int | None = None):
    """Run ``python -m stakegraph.cli.main`` as a separate process.

    ``user`` drops root to nobody (root ignores file permissions); ``fsize`` caps
    the size of any file the process writes, so a write fails as on a full disk.
    """
    command = [sys.executable, "-m", "stakegraph.cli.main", *map(str, args)]
    if user and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv to drop privileges")
        command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]

    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEO4J_URI": DEAD_NEO4J}
    env.pop("STAKEGRAPH_DEBUG", None)
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, preexec_fn=limit, timeout=120
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert "This is a bug in stakegraph" not in result.stderr, result.stderr
    return result


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder every user can enter (pytest's own is private to its user)."""
    folder = Path(tempfile.mkdtemp(prefix="stakegraph-ro-"))
    folder.chmod(0o755)
    ws = folder / "ws"
    shutil.copytree(MINI, ws)
    for path in [ws, *ws.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


#: Commands that write into the workspace itself, and those that write beside it.
IN_PLACE = {
    "log": ["--kind", "visit", "--owner", "rep1", "--person", "wang"],
    "assess": ["--owner", "rep1", "--person", "wang", "--support", "4"],
    "plan": ["--save"],
    "act": ["--person", "wang", "--action", "call", "--owner", "rep1"],
}
OUTPUTS = {
    "report": ["--out", "{dest}"],
    "map": ["--out", "{dest}.html"],
    "plot": ["influence", "--out", "{dest}.png"],
    "brief": ["--out", "{dest}.png"],
    "export": ["--format", "graphml", "--out", "{dest}.graphml"],
    "convert": ["{dest}.xlsx"],
}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="setpriv and RLIMIT_FSIZE on Linux")
@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_writing_into_a_read_only_workspace_is_one_line(name: str, shared_tmp: Path) -> None:
    ws = shared_tmp / "ws"
    before = _snapshot(shared_tmp)
    result = _cli([name, ws, *IN_PLACE[name]], user=True)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: "), result.stderr
    assert "permission denied" in result.stderr and str(ws) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _snapshot(shared_tmp) == before


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="setpriv and RLIMIT_FSIZE on Linux")
@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_writing_into_a_read_only_folder_is_one_line(name: str, shared_tmp: Path) -> None:
    dest = shared_tmp / "out"
    args = [a.format(dest=dest) for a in OUTPUTS[name]]
    before = _snapshot(shared_tmp)
    result = _cli([name, shared_tmp / "ws", *args], user=True)
    assert result.returncode == 1, result.stderr
    assert "permission denied" in result.stderr and str(shared_tmp) in result.stderr
    assert _snapshot(shared_tmp) == before
    assert sorted(p.name for p in shared_tmp.iterdir()) == ["ws"]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE on Linux")
@pytest.mark.parametrize("name", sorted(IN_PLACE) + sorted(OUTPUTS))
def test_a_full_disk_is_one_line_and_leaves_nothing(name: str, shared_tmp: Path) -> None:
    ws = shared_tmp / "ws"
    dest = shared_tmp / "out"
    extra = IN_PLACE.get(name) or [a.format(dest=dest) for a in OUTPUTS[name]]
    before = _snapshot(shared_tmp)
    # 16 bytes: smaller than any file these commands write
    result = _cli([name, ws, *extra], fsize=16)
    assert result.returncode == 1, result.stderr
    assert "larger than this system allows" in result.stderr, result.stderr
    assert _snapshot(shared_tmp) == before
    assert sorted(p.name for p in shared_tmp.iterdir()) == ["ws"]
    assert sorted(p.name for p in ws.iterdir()) == sorted(p.name for p in MINI.iterdir())


@pytest.fixture
def full_disk() -> Iterator[Path]:
    """A small tmpfs holding the mini workspace, filled up; skipped where it cannot be mounted."""
    mount = shutil.which("mount")
    if sys.platform != "linux" or os.geteuid() != 0 or mount is None:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    folder = Path(tempfile.mkdtemp(prefix="stakegraph-full-"))
    mounted = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip("cannot mount a tmpfs here")
    try:
        shutil.copytree(MINI, folder / "ws")
        # unbuffered, so the write that fills the disk fails at once and nothing is pending
        with open(folder / "filler", "wb", buffering=0) as filler, contextlib.suppress(OSError):
            while True:
                filler.write(bytes(4096))
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        folder.rmdir()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["log", "plan", "convert", "export"])
def test_a_full_file_system_is_one_line_and_leaves_nothing(name: str, full_disk: Path) -> None:
    ws = full_disk / "ws"
    extra = IN_PLACE.get(name) or [a.format(dest=full_disk / "out") for a in OUTPUTS[name]]
    before = _snapshot(ws)
    result = _cli([name, ws, *extra])
    assert result.returncode == 1, result.stderr
    assert "the disk is full; free some space and run the command again." in result.stderr
    assert _snapshot(ws) == before
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler", "ws"]


def test_an_unexpected_error_is_one_line_unless_debugging(monkeypatch: pytest.MonkeyPatch) -> None:
    @click.command("fails-for-the-test")
    def fails() -> None:
        raise RuntimeError("kaput")

    main.add_command(fails)
    try:
        result = run_cli(["fails-for-the-test"])
        assert result.exit_code == 1
        assert result.stderr == (
            "error: unexpected RuntimeError: kaput. This is a bug in stakegraph; run again "
            "with STAKEGRAPH_DEBUG=1 to see where it happened and report it.\n"
        )
        monkeypatch.setenv("STAKEGRAPH_DEBUG", "1")
        result = run_cli(["fails-for-the-test"])
        assert isinstance(result.exception, RuntimeError)
    finally:
        main.commands.pop("fails-for-the-test")
