"""Writers that never lose an acknowledged record: the workspace lock, with real processes.

Several processes write to one workspace at once (YAML, CSV and xlsx, copies of the
smart-city example converted with ``stakegraph convert``); afterwards every write
that returned is on disk. Writers killed with SIGKILL at random points leave whole
files, a workspace that loads, no lock that blocks the next writer and no litter.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stakegraph.errors import StakegraphError
from stakegraph.io import load_workspace
from stakegraph.io.append import append_records
from stakegraph.io.lock import (
    WorkspaceBusy,
    journal_file,
    lock_file,
    workspace_lock,
)
from stakegraph.records.model import Interaction
from tests.builders import ROOT, SMART_CITY, snapshot
from tests.io.lock_writer import acknowledged, write_loop

STAKEGRAPH = Path(sys.executable).with_name("stakegraph")
FORMATS = ("yaml", "csv", "xlsx")


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), **extra)
    env.pop("STAKEGRAPH_LOCK_TIMEOUT", None)
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example in each format, converted once by the real command."""
    base = tmp_path_factory.mktemp("originals")
    yaml_ws = Path(shutil.copytree(SMART_CITY, base / "yaml"))
    out = {"yaml": yaml_ws, "csv": base / "csv", "xlsx": base / "book.xlsx"}
    for fmt in ("csv", "xlsx"):
        done = subprocess.run(
            [str(STAKEGRAPH), "convert", str(yaml_ws), str(out[fmt]), "--to", fmt],
            capture_output=True,
            text=True,
            env=_env(),
        )
        assert done.returncode == 0, done.stderr
    return out


def _copy(original: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    if original.is_dir():
        return Path(shutil.copytree(original, dest / original.name))
    return Path(shutil.copy2(original, dest / original.name))


def _visit(rid: str) -> Interaction:
    return Interaction(
        id=rid, date=dt.date(2026, 11, 27), kind="call", owners=["liu-kai"], persons=["xu-zhiheng"]
    )


def _assert_holds(workspace: Path, log: str) -> int:
    """Every acknowledged record of ``log`` is in ``workspace``; returns how many."""
    ws = load_workspace(workspace)
    added, status = acknowledged(log)
    for collection, ids in added.items():
        missing = sorted(ids - set(ws.records[collection]))
        assert missing == [], f"{len(missing)} acknowledged {collection} lost: {missing[:5]}"
    for action, value in status.items():
        assert ws.actions[action].status.value == value, action
    return sum(len(ids) for ids in added.values())


def _no_litter(workspace: Path) -> None:
    folder = workspace if workspace.is_dir() else workspace.parent
    hidden = sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
    assert hidden == [], hidden


# --- many writers at once ----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("writers", [2, 4])
@pytest.mark.parametrize("fmt", FORMATS)
def test_concurrent_writers_keep_every_acknowledged_record(
    originals: dict[str, Path], tmp_path: Path, fmt: str, writers: int
) -> None:
    workspace = _copy(originals[fmt], tmp_path)
    logs = [tmp_path / f"w{n}.log" for n in range(writers)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.io.lock_writer", str(workspace), f"w{n}", "100", log],
            cwd=ROOT,
            env=_env(STAKEGRAPH_LOCK_TIMEOUT="600"),
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, log in enumerate(logs)
    ]
    errors = [p.communicate(timeout=900)[1] for p in procs]
    log = "".join(path.read_text(encoding="utf-8") for path in logs)
    updates, pairs = 9, sum(1 for i in range(1, 100) if i % 4 == 0 and i % 10)
    assert _assert_holds(workspace, log) == writers * (100 - updates + pairs)
    # nobody failed, and every failure would have been a record not written
    assert [p.returncode for p in procs] == [0] * writers, errors
    _no_litter(workspace)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_concurrent_log_commands_keep_every_record_that_exited_0(
    originals: dict[str, Path], tmp_path: Path, fmt: str
) -> None:
    """The real command, as two people typing ``stakegraph log`` in a loop."""
    workspace = _copy(originals[fmt], tmp_path)
    script = (
        'for i in $(seq 1 10); do "$SG" log "$WS" --kind visit --owner liu-kai '
        '--person xu-zhiheng --date 2026-11-27 --id "$W-$i" >/dev/null && echo "$W-$i"; done'
    )
    procs = [
        subprocess.Popen(
            ["bash", "-c", script],
            env=_env(SG=str(STAKEGRAPH), WS=str(workspace), W=f"cli{n}"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(2)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    ok = {line for out, _ in outputs for line in out.split()}
    assert len(ok) == 20, [err for _, err in outputs]
    assert ok <= set(load_workspace(workspace).interactions)


# --- waiting for another writer --------------------------------------------------------


def _log(workspace: Path, rid: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(STAKEGRAPH), "log", str(workspace), "--kind", "call", "--owner", "liu-kai"]
        + ["--person", "xu-zhiheng", "--date", "2026-11-27", "--id", rid],
        capture_output=True,
        text=True,
        env=_env(**env),
    )


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_a_writer_waits_a_bounded_time_then_fails_clearly(
    originals: dict[str, Path], tmp_path: Path, fmt: str
) -> None:
    workspace = _copy(originals[fmt], tmp_path)
    before = snapshot(workspace)
    with workspace_lock(workspace):
        started = time.monotonic()
        done = _log(workspace, "late", STAKEGRAPH_LOCK_TIMEOUT="1.5")
        waited = time.monotonic() - started
    assert done.returncode == 1
    assert 1.5 <= waited < 20
    assert done.stderr.count("another writer") == 2  # once while waiting, once in the error
    assert f"process {os.getpid()}" in done.stderr
    assert "nothing was written" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(workspace) == before


def test_a_writer_goes_on_when_the_other_one_finishes(
    originals: dict[str, Path], tmp_path: Path
) -> None:
    workspace = _copy(originals["yaml"], tmp_path)
    with workspace_lock(workspace):
        proc = subprocess.Popen(
            [str(STAKEGRAPH), "log", str(workspace), "--kind", "call", "--owner", "liu-kai"]
            + ["--id", "after-wait"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        assert proc.stderr is not None
        first = proc.stderr.readline()  # blocks until it says it waits
        assert "another writer" in first and f"process {os.getpid()}" in first
        time.sleep(0.5)
        assert proc.poll() is None  # still waiting
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "another writer" not in err  # said once
    assert "after-wait" in load_workspace(workspace).interactions
    _no_litter(workspace)


def test_the_timeout_is_a_parameter_and_the_lock_is_reentrant(
    originals: dict[str, Path], tmp_path: Path
) -> None:
    workspace = _copy(originals["yaml"], tmp_path)
    # reentrant in the holding process: a writer may call another writer
    with workspace_lock(workspace):
        append_records(workspace, [_visit("inner")], lock_timeout=0)
    assert "inner" in load_workspace(workspace).interactions
    child = multiprocessing.get_context("fork").Process(target=_hold, args=(workspace, 3.0))
    child.start()
    try:
        deadline = time.monotonic() + 10
        while not lock_file(workspace).exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        with pytest.raises(WorkspaceBusy, match="nothing was written"):
            append_records(workspace, [_visit("blocked")], lock_timeout=0.2)
    finally:
        child.join()
    assert "blocked" not in load_workspace(workspace).interactions


def _hold(workspace: Path, seconds: float) -> None:
    with workspace_lock(workspace):
        time.sleep(seconds)


def test_a_bad_timeout_setting_is_a_clear_error(originals: dict[str, Path], tmp_path: Path):
    workspace = _copy(originals["yaml"], tmp_path)
    done = _log(workspace, "x", STAKEGRAPH_LOCK_TIMEOUT="soon")
    assert done.returncode == 1
    assert "STAKEGRAPH_LOCK_TIMEOUT" in done.stderr and "Traceback" not in done.stderr


def test_the_lock_file_is_never_read_as_a_table(originals: dict[str, Path], tmp_path: Path):
    for fmt in FORMATS:
        workspace = _copy(originals[fmt], tmp_path / fmt)
        expected = load_workspace(workspace)
        with workspace_lock(workspace):
            assert lock_file(workspace).is_file()
            assert lock_file(workspace).name.startswith(".")
            assert load_workspace(workspace) == expected
        assert not lock_file(workspace).exists()


# --- killed writers ---------------------------------------------------------------------


def _killed_writer(workspace: Path, ack: Path) -> None:
    with open(ack, "a", encoding="utf-8") as out:
        write_loop(workspace, f"k{os.getpid()}", 10_000, out)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_writer_killed_at_random_points_leaves_no_damage(
    originals: dict[str, Path], tmp_path: Path, fmt: str
) -> None:
    workspace = _copy(originals[fmt], tmp_path)
    ack = tmp_path / "ack.log"
    rng = random.Random(f"kill-{fmt}")
    context = multiprocessing.get_context("fork")
    # kills spread over a few writes of this format (an xlsx write is far slower)
    started = time.monotonic()
    append_records(workspace, [_visit("before-kills")])
    window = 2 * (time.monotonic() - started) + 0.1
    for kill in range(50):
        child = context.Process(target=_killed_writer, args=(workspace, ack))
        child.start()
        time.sleep(rng.uniform(0.0, window))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        assert child.exitcode == -signal.SIGKILL
        # every file is whole: the workspace loads and validates (what `check` does)
        load_workspace(workspace)
        # the next writer is not blocked, and undoes what the killed one left half done
        started = time.monotonic()
        append_records(workspace, [_visit(f"after-kill-{kill}")], lock_timeout=5)
        assert time.monotonic() - started < 5
        _no_litter(workspace)
    total = _assert_holds(workspace, ack.read_text(encoding="utf-8"))
    assert total > 0  # the kills did not all land before the first write
    ws = load_workspace(workspace)
    assert all(f"after-kill-{k}" in ws.interactions for k in range(50))
    done = subprocess.run(
        [str(STAKEGRAPH), "check", str(workspace)], capture_output=True, text=True, env=_env()
    )
    assert done.returncode == 0, done.stderr


def _die_half_way(workspace: Path) -> None:
    """Replace three files through the journal, then die before the check (a real SIGKILL)."""
    with workspace_lock(workspace) as lock:
        plans = [
            (workspace / "interactions.yaml", b"- {id: broken\n"),
            (workspace / "actions.yaml", (workspace / "actions.yaml").read_bytes() + b"\n"),
            (workspace / "new-table.yaml", b"[]\n"),
        ]
        lock.write_files(plans, lambda: os.kill(os.getpid(), signal.SIGKILL))


def test_a_change_left_half_done_is_undone_by_the_next_writer(
    originals: dict[str, Path], tmp_path: Path, capfd: pytest.CaptureFixture
) -> None:
    workspace = _copy(originals["yaml"], tmp_path)
    before = snapshot(workspace)
    child = multiprocessing.get_context("fork").Process(target=_die_half_way, args=(workspace,))
    child.start()
    child.join()
    assert child.exitcode == -signal.SIGKILL
    assert journal_file(workspace).is_file()
    with pytest.raises(StakegraphError):
        load_workspace(workspace)  # the broken interactions file, left by the dead writer
    append_records(workspace, [_visit("next")], lock_timeout=5)
    assert "undid a change" in capfd.readouterr().err
    after = snapshot(workspace)
    assert set(after) == set(before)
    assert after["actions.yaml"] == before["actions.yaml"]
    assert after["interactions.yaml"].startswith(before["interactions.yaml"])
    assert "next" in load_workspace(workspace).interactions
    _no_litter(workspace)


def test_a_failed_write_restores_only_its_own_change(tmp_path: Path) -> None:
    workspace = _copy(SMART_CITY, tmp_path)
    target = workspace / "interactions.yaml"
    original = target.read_bytes()
    other = original + b"\n# typed by someone else meanwhile\n"

    with workspace_lock(workspace) as lock:

        def someone_else_writes_then_fail() -> str:
            target.write_bytes(other)
            return "did not read back"

        problem = lock.write_files(
            [(target, original + b"\n"), (workspace / "notes.yaml", b"[]\n")],
            someone_else_writes_then_fail,
        )
    assert problem is not None and "left as they are" in problem
    assert target.read_bytes() == other  # never an older copy over someone else's write
    assert not (workspace / "notes.yaml").exists()  # its own new file is gone
    _no_litter(workspace)


def test_litter_of_killed_writes_is_cleaned_at_the_next_start(
    originals: dict[str, Path], tmp_path: Path
) -> None:
    folder = _copy(originals["yaml"], tmp_path / "f")
    (folder / ".interactions.yaml.abcd1234.tmp").write_text("half")
    (folder / ".persons.yaml.z_9x8y7w.tmp").write_text("half")
    (folder / "..stakegraph.journal.abcd1234.tmp").write_text("{")
    (folder / ".map.html.abcd1234.tmp").write_text("not ours")
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    (folder / f".ties.yaml.{gone.stdout.strip()}.abcd1234.tmp").write_text("a dead writer's")
    (folder / f".ties.yaml.{os.getppid()}.abcd1234.tmp").write_text("a live process's")
    book = _copy(originals["xlsx"], tmp_path / "b")
    (book.parent / f".{book.name}.q1w2e3r4.tmp").write_bytes(b"PK")
    (book.parent / f"..{book.name}.journal.q1w2e3r4.tmp").write_bytes(b"{")
    (book.parent / ".other.xlsx.q1w2e3r4.tmp").write_bytes(b"PK")
    append_records(folder, [_visit("v1")])
    append_records(book, [_visit("v1")])
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == [
        ".map.html.abcd1234.tmp",
        f".ties.yaml.{os.getppid()}.abcd1234.tmp",
    ]
    assert sorted(p.name for p in book.parent.iterdir() if p.name.startswith(".")) == [
        ".other.xlsx.q1w2e3r4.tmp"
    ]
