"""``gaps --neo4j -o ONE`` with a targeted read against the same command pulling the book.

Generates a synthetic province (``benchmarks/synthetic.py``, seed 0), pushes it to
Neo4j once (kept and reused when the server already holds it complete), then times
``stakegraph gaps --neo4j -o ID`` as whole processes, the way a user runs it:

* **targeted, after**: ``-o`` names the opportunity by id, so the command reads only
  the part of the workspace it needs (:mod:`stakegraph.engines.neo4j_subgraph`) and the
  region's influence inputs streamed as columns (:mod:`stakegraph.engines.neo4j_columns`);
* **targeted, before**: the same, with the region's influence from the rows of the
  ``influence_ranking`` named query (:func:`region_influence_before`, what the command
  did before), alternated with *after* (A B A B) on the same server;
* **whole**: the same command in a process where the store does not find the
  opportunity's id on the server, so the command pulls the book
  (:meth:`stakegraph.engines.neo4j.Store.pull`) as every ``--neo4j`` command did before
  (and as it does for ``-o`` given by name); minutes at 10^5, so only at ``--whole`` sizes.

All answers are checked to be the same apart from the ``source`` they state. In this
process the part read and the region's influence inputs (before and after, A B A B)
are timed as well. At the ``--streamed`` sizes, ``influence --top 20`` on the folder
and ``influence --neo4j`` (the region streamed, nothing pulled) are timed A B A B and
their answers compared. The load average is recorded with each size. The server is
``NEO4J_URI`` (with ``NEO4J_USER``/``NEO4J_PASSWORD``) when set, otherwise one started here.

Usage::

    python -m benchmarks.bench_neo4j_read [--sizes 10000 100000] [--runs 2]
        [--whole 10000] [--streamed 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_load import code_digest
from benchmarks.bench_push import _server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results" / "neo4j_read.json"
DAY = dt.date(2026, 11, 28)
_CLI = "import sys; from stakegraph.cli.main import main; sys.argv[0] = 'stakegraph'; main()"
#: The same command with the targeted read switched off: no id is found on the server.
_CLI_WHOLE = (
    "from stakegraph.engines.store import Neo4jStore; "
    "Neo4jStore._has = lambda self, label, workspace_id, record_id: False; " + _CLI
)


#: ``gaps`` as it ran before the region's inputs were streamed in columns: the influence
#: of the region from the rows of the ``influence_ranking`` named query.
_CLI_BEFORE = (
    "import stakegraph.engines.neo4j_subgraph as subgraph; "
    "from benchmarks.bench_neo4j_read import region_influence_before; "
    "subgraph.region_influence = region_influence_before; " + _CLI
)


def region_influence_before(db: Any, workspace_id: str, network: Any, opportunity: Any) -> None:
    """The region's influence from the ``influence_ranking`` rows, gathered into one row
    of columns (what :func:`~stakegraph.engines.neo4j_subgraph.region_influence` did
    before it streamed the region's inputs), for the before/after comparison."""
    import numpy as np

    from stakegraph.analysis.influence import Influence, RegionInfluence
    from stakegraph.engines.queries import (
        _stored_settings,
        bind_params,
        get_query,
        influence_from_rows,
    )

    query = get_query("influence_ranking")
    settings = _stored_settings(db, workspace_id)
    params = {"workspace": workspace_id, "as_of": network.day, "opportunity": opportunity}
    bound = bind_params(query, params, settings)
    columns = (
        f"CALL () {{ {query.text} }} "
        "RETURN collect(part) AS part, collect(source) AS source, "
        "collect(coalesce(target, '')) AS target, collect(weight) AS weight"
    )
    with db._errors():
        (got,) = db._read(columns, **bound)
    rows = [
        {"part": p, "source": s, "target": t or None, "weight": w}
        for p, s, t, w in zip(got["part"], got["source"], got["target"], got["weight"], strict=True)
    ]
    region = influence_from_rows(rows, settings, network.day, opportunity)
    at = np.asarray([region.index[pid] for pid in network.persons], dtype=np.int64)
    network.memo.get_or_build(
        RegionInfluence(opportunity),
        lambda: Influence(
            network.persons,
            region.score[at],
            region.formal[at],
            region.informal[at],
            region.position[at],
            region.decision[at],
            region.iterations,
            opportunity,
            network.person_index,
            network,
        ),
    )


def _process(env: dict[str, str], program: str, args: list[str]) -> tuple[float, Any]:
    """Seconds of one ``stakegraph`` process given ``--json``, and its answer."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", program, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")
    return seconds, json.loads(done.stdout)


def _gaps(
    env: dict[str, str], workspace_id: str, opportunity: str, program: str = _CLI
) -> tuple[float, Any]:
    """Seconds of one ``gaps --neo4j --json`` process, and its answer."""
    args = ["gaps", "--neo4j", "--workspace", workspace_id, "-o", opportunity]
    return _process(env, program, [*args, "--as-of", DAY.isoformat(), "--json", "-q"])


def _push_once(store: Any, ws: Any, workspace_id: str) -> float | None:
    """Push unless the server holds this workspace complete already; seconds or None."""
    from stakegraph.io.property_graph import build_graph

    if workspace_id in store.workspaces():
        meta = store.info(workspace_id)
        G = build_graph(ws)
        if meta.get("complete") and meta.get("nodes") == G.number_of_nodes():
            return None
    start = time.perf_counter()
    store.push(ws, workspace_id)
    return time.perf_counter() - start


def _load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def run_size(
    officials: int, runs: int, env: dict[str, str], store: Any, streamed: bool, whole: bool
) -> dict[str, Any]:
    from benchmarks.synthetic import generate_workspace
    from stakegraph.engines.neo4j_subgraph import read_around, region_influence
    from stakegraph.graph.network import build_network

    ws = generate_workspace(officials, seed=0)
    workspace_id = f"bench-read-{officials}"
    push_s = _push_once(store, ws, workspace_id)
    store.ensure_constraints()  # a workspace pushed before the indexes existed gets them
    opportunity = next(iter(ws.opportunities.values()))
    print(f"{officials} officials; opportunity {opportunity.id}; load {_load()}", flush=True)

    start = time.perf_counter()
    read = read_around(
        store, workspace_id, DAY, None, opportunity=opportunity.id, every_relationship=False
    )
    read_s = time.perf_counter() - start
    inputs: dict[str, list[float]] = {"before": [], "after": []}
    for _ in range(2):  # A B A B on the same server
        for way, rank in (("before", region_influence_before), ("after", region_influence)):
            fresh = build_network(read.workspace, DAY)
            start = time.perf_counter()
            rank(store, workspace_id, fresh, opportunity.id)
            inputs[way].append(time.perf_counter() - start)
    print(f"  region inputs before/after: {inputs}", flush=True)

    timed: dict[str, list[tuple[float, Any]]] = {"before": [], "after": [], "whole": []}
    for _ in range(runs):
        timed["before"].append(_gaps(env, workspace_id, opportunity.id, _CLI_BEFORE))
        timed["after"].append(_gaps(env, workspace_id, opportunity.id))
    if whole:
        timed["whole"].append(_gaps(env, workspace_id, opportunity.id, _CLI_WHOLE))
    best = {way: min(s for s, _ in got) for way, got in timed.items() if got}
    print(f"  gaps before/after/whole: {best}", flush=True)
    answers = {}
    for way, got in timed.items():
        if got:
            answers[way] = got[0][1]
            stated = answers[way].pop("source")
            assert stated == {"engine": "neo4j", "read": "whole" if way == "whole" else "targeted"}
    for way in answers:
        assert answers[way] == answers["before"], f"{way} changed the answer"
    result = {
        "officials": officials,
        "stored_nodes": read.stored_nodes,
        "push_s": None if push_s is None else round(push_s, 1),
        "nodes_read": read.nodes_read,
        "persons_read": read.nodes.get("Person", 0),
        "persons": len(ws.persons),
        "read_in_process_s": round(read_s, 2),
        "region_inputs_before_s": [round(x, 2) for x in inputs["before"]],
        "region_inputs_after_s": [round(x, 2) for x in inputs["after"]],
        "gaps_targeted_before_s": [round(s, 2) for s, _ in timed["before"]],
        "gaps_targeted_after_s": [round(s, 2) for s, _ in timed["after"]],
        "gaps_whole_s": round(best["whole"], 2) if whole else None,
        "same_answer": True,
        "load_average": _load(),
    }
    if streamed:
        result.update(_streamed_influence(ws, workspace_id, runs, env))
    return result


def _streamed_influence(
    ws: Any, workspace_id: str, runs: int, env: dict[str, str]
) -> dict[str, Any]:
    """``influence --top 20 --json`` on the folder against ``--neo4j`` (streamed), A B A B."""
    import tempfile

    from stakegraph.io import save_workspace

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "province"
        save_workspace(ws, folder)
        common = ["--as-of", DAY.isoformat(), "--top", "20", "--json", "-q"]
        folder_args = ["influence", str(folder), *common]
        stored_args = ["influence", "--neo4j", "--workspace", workspace_id, *common]
        embedded, streamed = [], []
        for _ in range(max(runs, 2)):
            embedded.append(_process(env, _CLI, folder_args))
            streamed.append(_process(env, _CLI, stored_args))
    answer = streamed[0][1]
    assert answer.pop("source") == {"engine": "neo4j", "read": "streamed"}
    assert answer == embedded[0][1], "the streamed influence changed the answer"
    best_e, best_s = min(s for s, _ in embedded), min(s for s, _ in streamed)
    print(f"  influence folder/streamed: {best_e:.1f} / {best_s:.1f} s", flush=True)
    return {
        "influence_folder_s": [round(s, 2) for s, _ in embedded],
        "influence_streamed_s": [round(s, 2) for s, _ in streamed],
        "streamed_over_folder": round(best_s / best_e, 2),
        "load_average_after_influence": _load(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=1, help="processes per way (best kept)")
    parser.add_argument("--heap", default="2g", help="heap of a server started here")
    parser.add_argument("--pagecache", default="1g", help="page cache of a server started here")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--streamed",
        type=int,
        nargs="*",
        default=[10_000],
        help="sizes at which influence of the whole region is timed as well",
    )
    parser.add_argument(
        "--whole",
        type=int,
        nargs="*",
        default=[10_000],
        help="sizes at which gaps pulling the whole book is timed as well (minutes at 10^5)",
    )
    args = parser.parse_args(argv)
    from stakegraph.engines.neo4j import connect

    results = []
    with _server(args.heap, args.pagecache) as (uri, user, password, where):  # noqa: SIM117
        env = {**os.environ, "NEO4J_URI": uri, "NEO4J_USER": user, "PYTHONPATH": str(ROOT)}
        if password is not None:
            env["NEO4J_PASSWORD"] = password
        env.pop("NEO4J_DATABASE", None)
        with connect(uri, user, password) as store:
            for officials in args.sizes:
                results.append(
                    run_size(
                        officials,
                        args.runs,
                        env,
                        store,
                        officials in args.streamed,
                        officials in args.whole,
                    )
                )
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    output = {
        "server": where,
        "machine": machine,
        "code": code_digest(ROOT / "stakegraph"),
        "day": DAY.isoformat(),
        "sizes": results,
    }
    print(json.dumps(output, indent=2, ensure_ascii=False))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
