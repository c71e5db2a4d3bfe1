"""A writer for the concurrency tests: appends (and updates) records in a loop.

Run as ``python -m tests.io.lock_writer WORKSPACE NAME COUNT [ACK_FILE]`` (a real
process of its own), or call :func:`write_loop` in a forked child. Each write that
returned is acknowledged with one line in ``ACK_FILE`` (or on stdout), written
only after the write returned, the way a command exits 0 only after it wrote:

    added interactions NAME-i-7
    updated NAME-action planned

Failures go to stderr and the loop carries on.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from stakegraph.io.append import append_records
from stakegraph.io.update import update_record
from stakegraph.records.model import Action, Interaction

#: Statuses an update walks through.
STATUSES = ("planned", "in_progress")


def _interaction(name: str, i: int) -> Interaction:
    return Interaction(
        id=f"{name}-i-{i}",
        date=dt.date(2026, 11, 1) + dt.timedelta(days=i % 20),
        kind="call",
        owners=["liu-kai"],
        persons=["xu-zhiheng"],
        notes=f"写入者 {name} 第 {i} 条",
    )


def _action(name: str, i: int) -> Action:
    return Action(
        id=f"{name}-a-{i}",
        owner="meng-xiaodong",
        action=f"跟进 {name} {i}",
        person="xu-zhiheng",
        created=dt.date(2026, 11, 1),
        due=dt.date(2026, 12, 1),
    )


def write_loop(workspace: Path | str, name: str, count: int, out: TextIO) -> int:
    """``count`` writes to ``workspace``; returns how many failed.

    Write 0 adds this writer's own action ``NAME-action``; every 10th write changes
    its status (update_record); every 4th adds an interaction and an action in one
    call (two files in a folder); the others add one interaction.
    """
    failed = 0
    for i in range(count):
        try:
            if i == 0:
                action = _action(name, 0).model_copy(update={"id": f"{name}-action"})
                append_records(workspace, [action])
                line = f"added actions {name}-action"
            elif i % 10 == 0:
                status = STATUSES[(i // 10) % 2]
                update_record(workspace, "actions", f"{name}-action", {"status": status})
                line = f"updated {name}-action {status}"
            elif i % 4 == 0:
                append_records(workspace, [_interaction(name, i), _action(name, i)])
                line = f"added interactions {name}-i-{i}\nadded actions {name}-a-{i}"
            else:
                append_records(workspace, [_interaction(name, i)])
                line = f"added interactions {name}-i-{i}"
        except Exception as exc:  # noqa: BLE001 - reported, the loop goes on
            failed += 1
            print(f"{name} write {i} failed: {exc}", file=sys.stderr, flush=True)
            continue
        out.write(line + "\n")
        out.flush()
    return failed


def acknowledged(text: str) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Added ids by collection and the last acknowledged status of each updated action.

    A last line cut by a kill (no line break yet) is not an acknowledgement.
    """
    added: dict[str, set[str]] = {}
    status: dict[str, str] = {}
    for line in text.splitlines(keepends=True):
        if not line.endswith("\n"):
            break
        parts = line.split()
        if parts[0] == "added":
            added.setdefault(parts[1], set()).add(parts[2])
        elif parts[0] == "updated":
            status[parts[1]] = parts[2]
    return added, status


def main(argv: list[str]) -> int:
    workspace, name, count = argv[0], argv[1], int(argv[2])
    if len(argv) > 3:
        with open(argv[3], "a", encoding="utf-8") as out:
            failed = write_loop(workspace, name, count, out)
    else:
        failed = write_loop(workspace, name, count, sys.stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
