"""Pushing a region to Neo4j: UNWIND-batched MERGE against row-by-row MERGE.

Generates a synthetic province (default 10^5 officials, with their posts,
organisations, ties and our relationships), pushes it with
:meth:`stakegraph.engines.neo4j.Store.push` and reports nodes + relationships written per
second. The baseline, measured in the same run on the same server, is the naive
loop: one auto-commit ``MERGE ... SET`` statement per row. It runs on a subset (by
default the first 5,000 nodes and the first 5,000 relationships among them, in
graph order) and its rates are extrapolated to the whole workspace; the report
says so. A second push of the unchanged workspace (everything matches, nothing
is created) is timed too.

The server is ``NEO4J_URI`` (with ``NEO4J_USER``/``NEO4J_PASSWORD``) when set,
otherwise one started here from ``tools/neo4j`` with a fresh data folder.

With ``--ab`` it instead times a push into an empty workspace and a pull, with the
driver's pure-Python PackStream and with ``neo4j-rust-ext``, alternating (A B A B)
in child processes against one server, so load on the machine falls on both alike.
Client CPU seconds are reported beside wall seconds: they do not depend on the
server or on other work on the machine.

With ``--bulk`` it times a first push into a new database both ways, alternating
(A B A B), each on a server folder of its own: the transactional push into the running
server, and :func:`stakegraph.engines.neo4j_bulk.bulk_push` into the stopped one (CSV,
Neo4j's importer, starting the server, constraints and completion marker, all counted).

With ``--pull-ab TREE`` it pushes once and times pulls of that workspace, alternating
(A B A B) child processes that import stakegraph from ``TREE`` (an earlier version,
e.g. ``git archive`` of a commit) and from this tree; every pull is checked equal to the
workspace pushed.

Usage::

    python -m benchmarks.bench_push [--officials 100000] [--baseline-rows 5000]
    python -m benchmarks.bench_push --ab [--rounds 2] [--officials 10000]
    python -m benchmarks.bench_push --bulk [--rounds 2] [--officials 10000]
    python -m benchmarks.bench_push --pull-ab /tmp/before [--rounds 2] [--officials 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results" / "push.json"
AB_RESULTS = Path(__file__).parent / "results" / "push_ab.json"
BULK_RESULTS = Path(__file__).parent / "results" / "push_bulk.json"
PULL_AB_RESULTS = Path(__file__).parent / "results" / "pull_gc_ab.json"


@contextmanager
def _server(heap: str, pagecache: str):
    """(uri, user, password, version note) of NEO4J_URI's server or one started here."""
    if os.environ.get("NEO4J_URI"):
        yield (
            os.environ["NEO4J_URI"],
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD"),
            "NEO4J_URI",
        )
        return
    from tests.neo4j_fixture import load_tool

    tool = load_tool()
    home = tool.build_home(tool.DEFAULT_HOME)
    with tempfile.TemporaryDirectory(prefix="bench-neo4j-") as tmp:
        server = tool.start_server(home, Path(tmp), heap=heap, pagecache=pagecache)
        try:
            yield server.uri, server.user, server.password, f"started here (heap {heap})"
        finally:
            server.stop()


def _rowwise(store: Any, G: Any, workspace_id: str, limit: int) -> dict[str, Any]:
    """The baseline: one auto-commit MERGE per node, then per relationship."""
    from stakegraph.engines.neo4j import (
        _merge_edges_query,
        _merge_nodes_query,
        edge_key,
        to_properties,
    )

    nodes = list(G.nodes(data=True))[:limit]
    chosen = {key for key, _ in nodes}
    edges = [(u, v, d) for u, v, d in G.edges(data=True) if u in chosen and v in chosen][:limit]
    with store.driver.session(database=store.database) as session:
        start = time.perf_counter()
        for _, data in nodes:
            props = to_properties({k: x for k, x in data.items() if k not in ("label", "id")})
            session.run(
                _merge_nodes_query(data["label"]),
                rows=[[data["id"], props]],
                workspace=workspace_id,
            ).consume()
        node_s = time.perf_counter() - start
        start = time.perf_counter()
        for u, v, data in edges:
            attrs = {k: x for k, x in data.items() if k != "type"}
            session.run(
                _merge_edges_query(data["type"], G.nodes[u]["label"], G.nodes[v]["label"]),
                rows=[[G.nodes[u]["id"], G.nodes[v]["id"], edge_key(attrs), to_properties(attrs)]],
                workspace=workspace_id,
            ).consume()
        edge_s = time.perf_counter() - start
    return {
        "baseline_nodes": len(nodes),
        "baseline_relationships": len(edges),
        "baseline_node_s": round(node_s, 3),
        "baseline_relationship_s": round(edge_s, 3),
        "baseline_nodes_per_s": round(len(nodes) / node_s, 1),
        "baseline_relationships_per_s": round(len(edges) / edge_s, 1),
    }


def run(officials: int, baseline_rows: int, batch_size: int, heap: str, pagecache: str) -> dict:
    from benchmarks.synthetic import generate_workspace
    from stakegraph.engines.neo4j import connect
    from stakegraph.io.property_graph import build_graph

    start = time.perf_counter()
    ws = generate_workspace(officials, seed=0)
    generate_s = time.perf_counter() - start
    G = build_graph(ws)
    n_nodes, n_edges = G.number_of_nodes(), G.number_of_edges()
    print(f"{officials} officials: {n_nodes} nodes, {n_edges} relationships", flush=True)

    with _server(heap, pagecache) as (uri, user, password, where):  # noqa: SIM117
        with connect(uri, user, password) as store:
            version = store.driver.execute_query(
                "CALL dbms.components() YIELD versions, edition "
                "RETURN versions[0] + ' ' + edition AS v"
            ).records[0]["v"]
            for workspace_id in ("bench-batched", "bench-rowwise"):
                if workspace_id in store.workspaces():
                    store.drop(workspace_id)
            store.ensure_constraints()

            print("baseline: row-by-row MERGE on a subset…", flush=True)
            baseline = _rowwise(store, G, "bench-rowwise", baseline_rows)
            store.drop("bench-rowwise")

            print("batched push…", flush=True)
            start = time.perf_counter()
            counts = store.push(ws, "bench-batched", batch_size=batch_size)
            push_s = time.perf_counter() - start
            print(f"  {push_s:.1f} s", flush=True)
            start = time.perf_counter()
            again = store.push(ws, "bench-batched", batch_size=batch_size)
            repush_s = time.perf_counter() - start
            print(f"  again (unchanged): {repush_s:.1f} s", flush=True)
            start = time.perf_counter()
            pulled = store.pull("bench-batched")
            pull_s = time.perf_counter() - start
            assert len(pulled.persons) == len(ws.persons)
            store.drop("bench-batched")

    items = n_nodes + n_edges
    rowwise_s = (
        n_nodes / baseline["baseline_nodes_per_s"]
        + n_edges / baseline["baseline_relationships_per_s"]
    )
    batched_rate = items / push_s
    rowwise_rate = items / rowwise_s
    return {
        "officials": officials,
        "nodes": n_nodes,
        "relationships": n_edges,
        "neo4j": version,
        "server": where,
        "batch_size": batch_size,
        "generate_s": round(generate_s, 1),
        "push_s": round(push_s, 1),
        "push_items_per_s": round(batched_rate),
        "created": counts["nodes_created"] + counts["relationships_created"],
        "repush_unchanged_s": round(repush_s, 1),
        "repush_created": again["nodes_created"] + again["relationships_created"],
        "pull_s": round(pull_s, 1),
        **baseline,
        "rowwise_extrapolated_s": round(rowwise_s, 1),
        "rowwise_items_per_s": round(rowwise_rate),
        "batched_over_rowwise": round(batched_rate / rowwise_rate, 1),
        "note": (
            f"row-by-row measured on the first {baseline['baseline_nodes']} nodes and "
            f"{baseline['baseline_relationships']} relationships among them, extrapolated "
            "to the whole workspace at those rates"
        ),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
    }


def _timed(call: Any) -> tuple[Any, float, float]:
    """(result, wall seconds, this process's CPU seconds) of ``call()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _child(officials: int, pure_python: bool, batch_size: int) -> dict[str, Any]:
    """One A/B round in this process: push into an empty workspace, pull, drop."""
    if pure_python:
        sys.modules["neo4j._rust"] = None  # type: ignore[assignment]  # the driver falls back
    from neo4j._codec.packstream import v1

    from benchmarks.synthetic import generate_workspace
    from stakegraph.engines.neo4j import connect

    ws = generate_workspace(officials, seed=0)
    workspace_id = f"bench-ab-{officials}"
    with connect() as store:
        if workspace_id in store.workspaces():
            store.drop(workspace_id)
        _, push_s, push_cpu = _timed(lambda: store.push(ws, workspace_id, batch_size=batch_size))
        pulled, pull_s, pull_cpu = _timed(lambda: store.pull(workspace_id))
        assert pulled == ws
        store.drop(workspace_id)
    return {
        "codec": "rust" if v1._rust_pack is not None else "python",
        "push_s": round(push_s, 2),
        "push_client_cpu_s": round(push_cpu, 2),
        "pull_s": round(pull_s, 2),
        "pull_client_cpu_s": round(pull_cpu, 2),
        # wall seconds depend on what else the machine runs; this says how busy it was
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


def summarise(runs: list[dict[str, Any]], codecs: tuple[str, ...]) -> dict[str, Any]:
    """Median per codec of each timing, and python over rust when both ran."""
    fields = ("push_s", "push_client_cpu_s", "pull_s", "pull_client_cpu_s")
    median = {
        codec: {
            field: round(statistics.median(r[field] for r in runs if r["codec"] == codec), 2)
            for field in fields
        }
        for codec in codecs
    }
    ratio = None
    if len(median) == 2:
        ratio = {
            field: round(median["python"][field] / max(median["rust"][field], 0.01), 2)
            for field in fields
        }
    return {"median": median, "python_over_rust": ratio}


def run_ab(
    officials: int,
    rounds: int,
    batch_size: int,
    heap: str,
    pagecache: str,
    codecs: tuple[str, ...] = ("python", "rust"),
) -> dict:
    """A B A B: pure-Python PackStream, then the Rust extension, ``rounds`` times
    (``codecs`` may leave one side out, for a long run)."""
    runs: list[dict[str, Any]] = []
    with _server(heap, pagecache) as (uri, user, password, where):
        env = {**os.environ, "NEO4J_URI": uri, "NEO4J_USER": user, "NEO4J_PASSWORD": password}
        for round_ in range(rounds):
            for pure in [codec == "python" for codec in codecs]:
                command = [sys.executable, "-m", "benchmarks.bench_push", "--child"]
                command += ["--officials", str(officials), "--batch-size", str(batch_size)]
                command += ["--pure-python"] if pure else []
                out = subprocess.run(
                    command, env=env, cwd=ROOT, check=True, capture_output=True, text=True
                ).stdout
                runs.append({"round": round_ + 1, **json.loads(out.splitlines()[-1])})
                print(json.dumps(runs[-1]), flush=True)

    return {
        "officials": officials,
        "server": where,
        "batch_size": batch_size,
        "runs": runs,
        **summarise(runs, codecs),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
    }


#: One timed pull in a child process (stakegraph from the tree on its PYTHONPATH).
_PULL_CHILD = """
import json, os, sys, time
from benchmarks.synthetic import generate_workspace
from stakegraph.engines.neo4j import connect
officials, workspace_id = int(sys.argv[1]), sys.argv[2]
ws = generate_workspace(officials, seed=0)
with connect() as store:
    store.info(workspace_id)  # connected before the clock starts
    wall, cpu = time.perf_counter(), time.process_time()
    pulled = store.pull(workspace_id)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
assert pulled == ws
print(json.dumps({"pull_s": round(wall, 2), "pull_client_cpu_s": round(cpu, 2),
                  "load_average_1min": round(os.getloadavg()[0], 1)}))
"""


def run_pull_ab(officials: int, rounds: int, before: Path, heap: str, pagecache: str) -> dict:
    """A B A B: pulls of one pushed workspace by ``before``'s code, then by this tree's."""
    from benchmarks.synthetic import generate_workspace
    from stakegraph.engines.neo4j import connect

    runs: list[dict[str, Any]] = []
    workspace_id = f"bench-pull-{officials}"
    with _server(heap, pagecache) as (uri, user, password, where):
        env = {**os.environ, "NEO4J_URI": uri, "NEO4J_USER": user, "NEO4J_PASSWORD": password}
        with connect(uri, user, password) as store:
            if workspace_id in store.workspaces():
                store.drop(workspace_id)
            store.push(generate_workspace(officials, seed=0), workspace_id)
        try:
            for round_ in range(rounds):
                for side, tree in (("before", before.resolve()), ("after", ROOT)):
                    command = [sys.executable, "-c", _PULL_CHILD, str(officials), workspace_id]
                    out = subprocess.run(
                        command,
                        env={**env, "PYTHONPATH": str(tree)},
                        cwd=tree,
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout
                    runs.append({"round": round_ + 1, "code": side, **json.loads(out)})
                    print(json.dumps(runs[-1]), flush=True)
        finally:
            with connect(uri, user, password) as store:
                store.drop(workspace_id)
    fields = ("pull_s", "pull_client_cpu_s")
    median = {
        side: {
            f: round(statistics.median(r[f] for r in runs if r["code"] == side), 2) for f in fields
        }
        for side in ("before", "after")
    }
    return {
        "officials": officials,
        "server": where,
        "runs": runs,
        "median": median,
        "before_over_after": {
            f: round(median["before"][f] / max(median["after"][f], 0.01), 2) for f in fields
        },
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
    }


def _fresh_folder(tool: Any, home: Path, parent: Path, heap: str, pagecache: str) -> tuple:
    """A configured, never started server folder: (folder, bolt URI, password)."""
    folder = Path(tempfile.mkdtemp(prefix="folder-", dir=parent))
    bolt = tool.free_port()
    tool.write_config(home, folder, bolt, tool.free_port(), heap, pagecache)
    password = tool.new_password()
    tool.set_initial_password(home, folder, password)
    return folder, f"bolt://127.0.0.1:{bolt}", password


def _transactional_round(tool: Any, home: Path, parent: Path, ws: Any, args: tuple) -> dict:
    from stakegraph.engines.neo4j import connect

    folder, _, password = _fresh_folder(tool, home, parent, *args)
    server = tool.start_server(home, folder, password=password, heap=args[0], pagecache=args[1])
    try:
        with connect(server.uri, "neo4j", password) as store:
            _, push_s, cpu_s = _timed(lambda: store.push(ws, "bench-bulk"))
            nodes = store.info("bench-bulk")["nodes"]
    finally:
        server.stop()
    return {
        "way": "transactional",
        "push_s": round(push_s, 2),
        "client_cpu_s": round(cpu_s, 2),
        "nodes": nodes,
    }


def _bulk_round(tool: Any, home: Path, parent: Path, ws: Any, args: tuple) -> dict:
    from stakegraph.engines.neo4j import connect
    from stakegraph.engines.neo4j_bulk import ServerFolder, _read_settings, bulk_push, stop_server

    folder, uri, password = _fresh_folder(tool, home, parent, *args)
    try:
        imported, push_s, cpu_s = _timed(
            lambda: bulk_push(folder, {"bench-bulk": ws}, lambda: connect(uri, "neo4j", password))
        )
        with connect(uri, "neo4j", password) as store:
            nodes = store.info("bench-bulk")["nodes"]
    finally:
        stop_server(ServerFolder(folder, _read_settings(folder / "conf" / "neo4j.conf")))
    return {
        "way": "bulk",
        "push_s": round(push_s, 2),
        "client_cpu_s": round(cpu_s, 2),
        **{f"{step}_s": round(t, 2) for step, t in imported.seconds.items()},
        "nodes": nodes,
        "patched_nodes": len(imported.patch.nodes),
    }


def run_bulk(officials: int, rounds: int, heap: str, pagecache: str) -> dict:
    """A B A B: a transactional first push, then the bulk one, each into a new database."""
    from benchmarks.synthetic import generate_workspace
    from stakegraph.io.property_graph import build_graph
    from tests.neo4j_fixture import load_tool

    tool = load_tool()
    home = tool.build_home(tool.DEFAULT_HOME)
    ws = generate_workspace(officials, seed=0)
    G = build_graph(ws)
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-bulk-") as tmp:
        for round_ in range(rounds):
            for way in (_transactional_round, _bulk_round):
                load = os.getloadavg()[0]
                result = way(tool, home, Path(tmp), ws, (heap, pagecache))
                runs.append({"round": round_ + 1, **result, "load_average_1min": round(load, 1)})
                print(json.dumps(runs[-1]), flush=True)
    median = {
        way: round(statistics.median(r["push_s"] for r in runs if r["way"] == way), 2)
        for way in ("transactional", "bulk")
    }
    return {
        "officials": officials,
        "nodes": G.number_of_nodes(),
        "relationships": G.number_of_edges(),
        "server": f"started here per round (heap {heap}, page cache {pagecache})",
        "runs": runs,
        "median_push_s": median,
        "transactional_over_bulk": round(median["transactional"] / median["bulk"], 2),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officials", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=5000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--heap", default="2g", help="heap of a server started here")
    parser.add_argument("--pagecache", default="1g", help="page cache of a server started here")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--ab", action="store_true", help="pure-Python vs Rust codec, A B A B")
    parser.add_argument("--rounds", type=int, default=2, help="A/B rounds")
    parser.add_argument(
        "--codecs", default="python,rust", help="with --ab: python, rust or python,rust"
    )
    parser.add_argument(
        "--bulk", action="store_true", help="transactional vs bulk first push, A B A B"
    )
    parser.add_argument(
        "--pull-ab",
        type=Path,
        default=None,
        metavar="TREE",
        help="pulls by TREE's code vs this tree's, A B A B",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pure-python", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.officials, args.pure_python, args.batch_size)))
        return 0
    if args.pull_ab is not None:
        result = run_pull_ab(args.officials, args.rounds, args.pull_ab, args.heap, args.pagecache)
        print(json.dumps(result, indent=2, ensure_ascii=False))
        (args.output or PULL_AB_RESULTS).write_text(
            json.dumps(result, indent=2, ensure_ascii=False) + "\n"
        )
        return 0
    if args.bulk:
        result = run_bulk(args.officials, args.rounds, args.heap, args.pagecache)
        print(json.dumps(result, indent=2, ensure_ascii=False))
        (args.output or BULK_RESULTS).write_text(
            json.dumps(result, indent=2, ensure_ascii=False) + "\n"
        )
        return 0
    if args.ab:
        codecs = tuple(args.codecs.split(","))
        result = run_ab(
            args.officials, args.rounds, args.batch_size, args.heap, args.pagecache, codecs
        )
        output = args.output or AB_RESULTS
        output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        return 0
    result = run(args.officials, args.baseline_rows, args.batch_size, args.heap, args.pagecache)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    output = args.output or RESULTS
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
