"""All-or-nothing folders and files: one swap, kills at any moment, leftovers swept."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stakegraph.io import atomic
from stakegraph.io.atomic import (
    commit,
    staging_dir,
    swap_folders,
    sweep_leftovers,
    write_file_atomically,
)

OWNED = ("report.html", "report.md", "figures/*.png")


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _write_set(out: Path, version: int, figures: int) -> list[Path]:
    with staging_dir(out) as scratch:
        files = [Path(f"figures/f{i}.png") for i in range(figures)]
        files += [Path("report.md"), Path("report.html")]
        for rel in files:
            (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
            (scratch / rel).write_text(f"v{version}")
        return commit(scratch, out, files, owned=OWNED)


def _state(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text() for p in out.rglob("*") if p.is_file()}


def test_a_folder_holding_only_a_report_is_swapped_as_a_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write_set(out, 1, figures=3)
    _write_set(out, 2, figures=1)
    # the figures the new report does not draw went with the old one
    assert _state(out) == {"figures/f0.png": "v2", "report.md": "v2", "report.html": "v2"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_folder_with_other_files_keeps_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write_set(out, 1, figures=2)
    (out / "notes.txt").write_text("mine")
    _write_set(out, 2, figures=1)
    assert _state(out) == {
        "figures/f0.png": "v2",
        "figures/f1.png": "v1",
        "notes.txt": "mine",
        "report.md": "v2",
        "report.html": "v2",
    }


def test_the_swap_works_without_an_exchange_call(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    _write_set(out, 1, figures=2)
    _write_set(out, 2, figures=1)
    assert _state(out) == {"figures/f0.png": "v2", "report.md": "v2", "report.html": "v2"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_swap_folders_exchanges_both(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    swap_folders(a, b)
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"


def test_leftovers_of_dead_writers_go_and_live_ones_stay(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getppid()
    out = tmp_path / "out"
    out.mkdir()
    stale_dir = tmp_path / f".out.{dead}.abc123.tmp"
    stale_dir.mkdir()
    (stale_dir / "report.html").write_text("half")
    stale_file = tmp_path / f".out.{dead}.xyz.tmp"
    stale_file.write_text("half")
    busy = tmp_path / f".out.{alive}.abc.tmp"
    busy.mkdir()
    other = [tmp_path / f".other.{dead}.abc.tmp", tmp_path / ".out.notes", tmp_path / "keep.tmp"]
    for path in other:
        path.write_text("not ours")
    assert sorted(sweep_leftovers(out)) == sorted([stale_dir, stale_file])
    assert busy.exists() and all(p.exists() for p in other)


def test_a_folder_moved_aside_by_a_killed_swap_is_put_back(tmp_path: Path) -> None:
    dead = _dead_pid()
    out = tmp_path / "out"
    aside = tmp_path / f".out.{dead}.previous.tmp"
    aside.mkdir()
    (aside / "report.html").write_text("old")
    new = tmp_path / f".out.{dead}.q1w2.tmp"
    new.mkdir()
    (new / "report.html").write_text("new")
    sweep_leftovers(out)
    assert _state(out) == {"report.html": "old"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_file_write_sweeps_what_a_killed_write_left(tmp_path: Path) -> None:
    stale = tmp_path / f".map.html.{_dead_pid()}.k3j4.tmp"
    stale.write_text("half")
    write_file_atomically(tmp_path / "map.html", b"whole")
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


_WRITER = """
import importlib.util
import sys
from pathlib import Path
# the module alone, without the package's heavy imports: the child starts at once
spec = importlib.util.spec_from_file_location("atomic", sys.argv[4])
atomic = importlib.util.module_from_spec(spec)
spec.loader.exec_module(atomic)
if sys.argv[3] == "no-exchange":
    atomic._exchange = lambda a, b: False
out, version = Path(sys.argv[1]), int(sys.argv[2])
print("ready", flush=True)
while True:
    version += 1
    with atomic.staging_dir(out) as scratch:
        files = [Path(f"figures/f{i}.png") for i in range(1 + version % 4)]
        files += [Path("report.md"), Path("report.html")]
        for rel in files:
            (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
            (scratch / rel).write_text(f"v{version}")
        atomic.commit(scratch, out, files, owned=("report.html", "report.md", "figures/*.png"))
"""


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_writer_killed_at_any_moment_leaves_old_or_new(tmp_path: Path, exchange: bool) -> None:
    out = tmp_path / "out"
    _write_set(out, 0, figures=1)
    rng = random.Random(7)
    seen = set()
    for start in range(0, 400, 20):
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _WRITER,
                str(out),
                str(start),
                "exchange" if exchange else "no-exchange",
                atomic.__file__,
            ],
            stdout=subprocess.PIPE,
        )
        assert child.stdout.readline() == b"ready\n"
        time.sleep(rng.random() * 0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        sweep_leftovers(out)  # what the next run does first
        state = _state(out)
        versions = set(state.values())
        assert len(versions) == 1, state  # one whole report, never a mix
        figures = 1 + int(versions.pop()[1:]) % 4
        assert sorted(state) == sorted(
            [f"figures/f{i}.png" for i in range(figures)] + ["report.md", "report.html"]
        )
        assert [p.name for p in tmp_path.iterdir()] == ["out"]  # nothing left beside it
        seen.add(figures)
    assert len(seen) > 1  # the kills landed in different writes
