"""A team writing to one Neo4j workspace: latency of one interaction, 1 and 2 writers.

Pushes the bundled example (examples/smart-city), then each writer process adds
``--writes`` interactions one at a time with
:func:`stakegraph.engines.neo4j_team.append_records` (one transaction each: the
workspace lock, one read of the references and ids, the node and its relationships)
and times every call. Run once with one writer and once with two writers at the same
time; reports the median and 95th percentile per interaction and the writes per
second of the whole run, and checks that every write is on the server.

The server is ``NEO4J_URI`` (with ``NEO4J_USER``/``NEO4J_PASSWORD``) when set,
otherwise one started here from ``tools/neo4j`` with a fresh data folder.

Usage::

    python -m benchmarks.bench_team [--writes 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_push import _server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results" / "team.json"
EXAMPLE = ROOT / "examples" / "smart-city"


def write_interactions(
    connection: tuple[str, str, str | None],
    workspace_id: str,
    prefix: str,
    count: int,
    owner: str,
    person: str,
) -> list[float]:
    """Add ``count`` interactions ``<prefix>-<n>``, one transaction each.

    Run in a process of its own (one writer of a team): it opens its own connection.
    Returns the seconds of each write, then the clock times the writing began and ended.
    """
    from stakegraph.engines.neo4j import connect
    from stakegraph.engines.neo4j_team import append_records
    from stakegraph.records.model import Interaction

    uri, user, password = connection
    latencies = []
    with connect(uri, user, password) as store:
        latencies.append(time.time())  # when this writer started writing (replaced below)
        for n in range(count):
            record = Interaction(
                id=f"{prefix}-{n:04d}",
                date=dt.date(2026, 12, 1) + dt.timedelta(days=n % 28),
                kind="call",
                owners=[owner],
                persons=[person],
                notes=f"{prefix} call {n}",
            )
            start = time.perf_counter()
            append_records(store, workspace_id, [record])
            latencies.append(time.perf_counter() - start)
    started = latencies.pop(0)
    return [*latencies, started, time.time()]


def run_writers(
    connection: tuple[str, str, str | None],
    workspace_id: str,
    writers: int,
    count: int,
    owner: str,
    person: str,
) -> tuple[list[list[float]], float]:
    """``writers`` processes writing at once: each one's latencies, and the seconds from
    the first write begun to the last one ended (process start-up left out)."""
    context = multiprocessing.get_context("spawn")
    jobs = [
        (connection, workspace_id, f"w{writers}-{k}", count, owner, person) for k in range(writers)
    ]
    with context.Pool(writers) as pool:
        results = pool.starmap(write_interactions, jobs)
    wall = max(r[-1] for r in results) - min(r[-2] for r in results)
    return [r[:-2] for r in results], wall


def _summary(latencies: list[float], wall: float) -> dict[str, Any]:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "writes": len(ordered),
        "median_ms": round(1000 * statistics.median(ordered), 1),
        "p95_ms": round(1000 * p95, 1),
        "writes_per_second": round(len(ordered) / wall, 1),
    }


def run(writes: int, heap: str) -> dict[str, Any]:
    from stakegraph.engines.neo4j import connect
    from stakegraph.io import load_workspace

    ws = load_workspace(EXAMPLE)
    owner, person = "liu-kai", "xu-zhiheng"
    result: dict[str, Any] = {"workspace": "examples/smart-city", "writes_per_writer": writes}
    with _server(heap, "256m") as (uri, user, password, note):
        connection = (uri, user, password)
        result["server"] = note
        for writers in (1, 2):
            workspace_id = f"bench-team-{writers}"
            with connect(uri, user, password) as store:
                store.push(ws, workspace_id, force=True)
            # one warm-up write per process start is part of the figures: no warm-up
            latencies, wall = run_writers(connection, workspace_id, writers, writes, owner, person)
            with connect(uri, user, password) as store:
                stored = store.pull(workspace_id)
                store.drop(workspace_id)
            written = [i for i in stored.interactions if i.startswith(f"w{writers}-")]
            flat = [x for per_writer in latencies for x in per_writer]
            result[f"{writers}_writer{'s' if writers > 1 else ''}"] = {
                **_summary(flat, wall),
                "on_server": len(written),
            }
    result["machine"] = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=100, help="interactions per writer")
    parser.add_argument("--heap", default="1g", help="heap of a server started here")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    result = run(args.writes, args.heap)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
