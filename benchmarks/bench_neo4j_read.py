"""``gaps --neo4j -o ONE`` with a targeted read against the same command pulling the book.

Generates a synthetic province (``benchmarks/synthetic.py``, seed 0), pushes it to
Neo4j once (kept and reused when the server already holds it complete), then times
``stakegraph gaps --neo4j -o ID`` as whole processes, the way a user runs it:

* **targeted**: ``-o`` names the opportunity by id, so the command reads only the
  part of the workspace it needs (:mod:`stakegraph.engines.neo4j_subgraph`) and the
  influence scores of the book from the server;
* **whole**: the same command in a process where the store does not find the
  opportunity's id on the server, so the command pulls the book
  (:meth:`stakegraph.engines.neo4j.Store.pull`) as every ``--neo4j`` command did before
  (and as it does for ``-o`` given by name).

Both answers are checked to be the same apart from the ``source`` they state. In
this process the parts of the targeted read are timed as well: the part read and
the influence from the server. The server is ``NEO4J_URI`` (with
``NEO4J_USER``/``NEO4J_PASSWORD``) when set, otherwise one started here.

``--commands relationships history whatif`` times those commands the same two ways:
``relationships`` and ``history`` of the official we relate to most, and ``whatif -o ID
--owner-leaves`` one of their owners.

Usage::

    python -m benchmarks.bench_neo4j_read [--sizes 10000 100000] [--runs 1]
    python -m benchmarks.bench_neo4j_read --sizes 10000 --commands relationships history \
        whatif --output benchmarks/results/neo4j_read_commands.json
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


def _gaps(
    env: dict[str, str], workspace_id: str, opportunity: str, whole: bool = False
) -> tuple[float, Any]:
    """Seconds of one ``gaps --neo4j --json`` process, and its answer."""
    return _command(
        env, workspace_id, ["gaps", "-o", opportunity, "--as-of", DAY.isoformat()], whole
    )


def _command(
    env: dict[str, str], workspace_id: str, command: list[str], whole: bool = False
) -> tuple[float, Any]:
    """Seconds of one ``COMMAND --neo4j --json`` process, and its answer."""
    args = [command[0], "--neo4j", "--workspace", workspace_id, *command[1:], "--json", "-q"]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CLI_WHOLE if whole else _CLI, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {done.stderr.strip() or done.stdout.strip()}")
    return seconds, json.loads(done.stdout)


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


def _other_commands(ws: Any, opportunity: str) -> dict[str, list[str]]:
    """The other commands with a targeted read, about the official we relate to most."""
    counts: dict[str, int] = {}
    for rel in ws.relationships.values():
        counts[rel.person] = counts.get(rel.person, 0) + 1
    person = max(counts, key=lambda pid: (counts[pid], pid))
    owner = next(r.owner for r in ws.relationships.values() if r.person == person)
    day = ["--as-of", DAY.isoformat()]
    return {
        "relationships": ["relationships", "--person", person, *day],
        "history": ["history", "--person", person],
        "whatif": ["whatif", "-o", opportunity, "--owner-leaves", owner, *day],
    }


def time_commands(
    env: dict[str, str], workspace_id: str, commands: dict[str, list[str]], runs: int
) -> dict[str, dict[str, Any]]:
    """Each command targeted and whole (best of ``runs`` processes), answers compared."""
    out: dict[str, dict[str, Any]] = {}
    for name, command in commands.items():
        targeted = [_command(env, workspace_id, command) for _ in range(runs)]
        whole = [_command(env, workspace_id, command, whole=True) for _ in range(runs)]
        answer_t, answer_w = targeted[0][1], whole[0][1]
        assert answer_t.pop("source") == {"engine": "neo4j", "read": "targeted"}, name
        assert answer_w.pop("source") == {"engine": "neo4j", "read": "whole"}, name
        assert answer_t == answer_w, f"the targeted read changed the answer of {name}"
        out[name] = {
            "args": command,
            "targeted_s": round(min(s for s, _ in targeted), 2),
            "whole_s": round(min(s for s, _ in whole), 2),
            "same_answer": True,
        }
        print(f"  {name}: {out[name]['targeted_s']} s against {out[name]['whole_s']} s", flush=True)
    return out


def run_size(
    officials: int, runs: int, env: dict[str, str], store: Any, commands: list[str]
) -> dict[str, Any]:
    from benchmarks.synthetic import generate_workspace
    from stakegraph.engines.neo4j_subgraph import read_around, region_influence
    from stakegraph.graph.network import build_network

    ws = generate_workspace(officials, seed=0)
    workspace_id = f"bench-read-{officials}"
    push_s = _push_once(store, ws, workspace_id)
    opportunity = next(iter(ws.opportunities.values()))
    print(f"{officials} officials; opportunity {opportunity.id}", flush=True)
    others = {k: v for k, v in _other_commands(ws, opportunity.id).items() if k in commands}
    if "gaps" not in commands:
        return {
            "officials": officials,
            "push_s": None if push_s is None else round(push_s, 1),
            "commands": time_commands(env, workspace_id, others, runs),
        }

    start = time.perf_counter()
    read = read_around(store, workspace_id, DAY, None, opportunity=opportunity.id)
    read_s = time.perf_counter() - start
    network = build_network(read.workspace, DAY)
    start = time.perf_counter()
    region_influence(store, workspace_id, network, opportunity.id)
    influence_s = time.perf_counter() - start

    targeted = [_gaps(env, workspace_id, opportunity.id) for _ in range(runs)]
    print(f"  targeted: {min(s for s, _ in targeted):.1f} s", flush=True)
    whole = [_gaps(env, workspace_id, opportunity.id, whole=True) for _ in range(runs)]
    print(f"  whole:    {min(s for s, _ in whole):.1f} s", flush=True)
    answer_t, answer_w = targeted[0][1], whole[0][1]
    assert answer_t.pop("source") == {"engine": "neo4j", "read": "targeted"}
    assert answer_w.pop("source") == {"engine": "neo4j", "read": "whole"}
    assert answer_t == answer_w, "the targeted read changed the answer"
    return {
        "officials": officials,
        "stored_nodes": read.stored_nodes,
        "push_s": None if push_s is None else round(push_s, 1),
        "nodes_read": read.nodes_read,
        "persons_read": read.nodes.get("Person", 0),
        "persons": len(ws.persons),
        "read_in_process_s": round(read_s, 2),
        "influence_from_server_s": round(influence_s, 2),
        "gaps_targeted_s": round(min(s for s, _ in targeted), 2),
        "gaps_whole_s": round(min(s for s, _ in whole), 2),
        "same_answer": True,
        **({"commands": time_commands(env, workspace_id, others, runs)} if others else {}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=1, help="processes per way (best kept)")
    parser.add_argument("--heap", default="2g", help="heap of a server started here")
    parser.add_argument("--pagecache", default="1g", help="page cache of a server started here")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--commands",
        nargs="+",
        choices=["gaps", "relationships", "history", "whatif"],
        default=["gaps"],
        help="commands to time targeted and whole (gaps also times the parts of its read)",
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
                results.append(run_size(officials, args.runs, env, store, args.commands))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    output = {"server": where, "machine": machine, "day": DAY.isoformat(), "sizes": results}
    print(json.dumps(output, indent=2, ensure_ascii=False))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
