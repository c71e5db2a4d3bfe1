"""``gaps --neo4j -o ONE`` of two source trees, alternated on one server, with CPU seconds.

Times the command as whole processes, the way a user runs it, for an earlier tree
(``--before``, e.g. a ``git archive`` of the commit compared) and this one, A B A B on
the same server and the same stored workspace (``bench-read-N``, pushed by
:mod:`benchmarks.bench_neo4j_read`), and checks that both give the same answer. Each
run records its wall seconds, the CPU seconds of the client process and, when the
server runs on this machine (``--server-pid``), the CPU seconds the server spent
meanwhile: on a shared machine wall seconds follow the load, CPU seconds do not.

With ``--indexes`` it also times the region's column scans
(:func:`stakegraph.engines.neo4j_columns.read_columns`) with and without the range
indexes on ``workspace`` (:data:`stakegraph.engines.neo4j.WORKSPACE_SCAN_LABELS`),
dropping and creating them between runs, A B A B. The server must not be used by
anything else meanwhile for its CPU seconds to mean something.

Usage::

    NEO4J_URI=... python -m benchmarks.bench_gaps_ab --before /tmp/before --officials 100000
        [--rounds 2] [--server-pid PID] [--indexes]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_neo4j_read import _CLI, DAY, ROOT, _load

RESULTS = Path(__file__).parent / "results" / "gaps_ab.json"


def _server_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) the process ``pid`` has used, or None."""
    if pid is None:
        return None
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_gaps(tree: Path, workspace_id: str, opportunity: str, pid: int | None) -> dict[str, Any]:
    """One ``gaps --neo4j --json`` process of ``tree``: seconds and its answer."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    args = ["gaps", "--neo4j", "--workspace", workspace_id, "-o", opportunity]
    args += ["--as-of", DAY.isoformat(), "--json", "-q"]
    server, cpu = _server_cpu(pid), _children_cpu()
    start = time.perf_counter()
    # run in the tree: ``python -c`` puts the working folder first on the path
    done = subprocess.run(
        [sys.executable, "-c", _CLI, *args],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"gaps failed in {tree}: {done.stderr.strip()}")
    after = _server_cpu(pid)
    return {
        "wall_s": round(wall, 2),
        "client_cpu_s": round(_children_cpu() - cpu, 2),
        "server_cpu_s": None if server is None or after is None else round(after - server, 2),
        "load": _load(),
        "answer": json.loads(done.stdout),
    }


def _scans(store: Any, workspace_id: str, pid: int | None) -> dict[str, Any]:
    from stakegraph.engines.neo4j_columns import read_columns

    server, start = _server_cpu(pid), time.perf_counter()
    read_columns(store, workspace_id, DAY)
    wall = time.perf_counter() - start
    after = _server_cpu(pid)
    return {
        "wall_s": round(wall, 2),
        "server_cpu_s": None if server is None or after is None else round(after - server, 2),
        "load": _load(),
    }


def index_ab(store: Any, workspace_id: str, rounds: int, pid: int | None) -> dict[str, Any]:
    """The column scans without and with the workspace indexes, A B A B."""
    from stakegraph.engines.neo4j import WORKSPACE_SCAN_LABELS

    runs: dict[str, list[dict[str, Any]]] = {"without": [], "with": []}
    _scans(store, workspace_id, pid)  # warm the page cache alike for both
    for _ in range(rounds):
        for label in WORKSPACE_SCAN_LABELS:
            store._write(f"DROP INDEX stakegraph_{label.lower()}_workspace IF EXISTS")
        runs["without"].append(_scans(store, workspace_id, pid))
        store.ensure_constraints()
        runs["with"].append(_scans(store, workspace_id, pid))
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the earlier source tree")
    parser.add_argument("--officials", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--server-pid", type=int, default=None)
    parser.add_argument("--indexes", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    from stakegraph.engines.neo4j import connect

    workspace_id = f"bench-read-{args.officials}"
    uri, user = os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j")
    with connect(uri, user, os.environ.get("NEO4J_PASSWORD")) as store:
        store.ensure_constraints()
        rows = store.read(
            "MATCH (o:Opportunity {workspace: $workspace}) RETURN o.id AS id "
            "ORDER BY o._seq LIMIT 1",
            workspace=workspace_id,
        )
        opportunity = rows[0]["id"]
        runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
        for _ in range(args.rounds):
            for way, tree in (("before", args.before), ("after", ROOT)):
                got = run_gaps(tree, workspace_id, opportunity, args.server_pid)
                print(way, {k: v for k, v in got.items() if k != "answer"}, flush=True)
                runs[way].append(got)
        answers = [run.pop("answer") for way in runs for run in runs[way]]
        assert all(a == answers[0] for a in answers), "the answers differ"
        indexes = (
            index_ab(store, workspace_id, args.rounds, args.server_pid) if args.indexes else None
        )
    output = {
        "officials": args.officials,
        "opportunity": opportunity,
        "day": DAY.isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "measured": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "same_answer": True,
        "gaps": runs,
        "column_scans_by_index": indexes,
    }
    print(json.dumps(output, indent=2, ensure_ascii=False))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
