"""``relationships``, ``history`` and ``whatif`` with a targeted read against the same
commands pulling the book.

Generates a synthetic province (``benchmarks/synthetic.py``, seed 0), pushes it to
Neo4j once (kept and reused when the server already holds it complete), then times
each command as whole processes, the way a user runs it, two ways on the same server
(see :mod:`benchmarks.bench_neo4j_read`): **targeted** (the command reads only the
part it needs) and **whole** (a process where the store finds no id on the server, so
the command pulls the book). ``relationships`` and ``history`` are asked about the
official we relate to most, and ``whatif -o ID --owner-leaves`` about one of their
owners. The answers are checked to be the same apart from the ``source`` they state.

With ``--streamed``, the commands about the whole region that stream it in columns
(``influence``, ``influence -o ID --embedded`` and ``centrality``) are timed instead,
alternating **streamed** and **whole** (a process where no stored workspace can be
streamed, so the command pulls the book) A B A B, ``--runs`` times; each process's wall
seconds and its own CPU seconds (the client's; the server's are not counted) are kept.

Usage::

    python -m benchmarks.bench_neo4j_commands [--sizes 10000] [--runs 1] [--streamed]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
from pathlib import Path
from typing import Any

from benchmarks.bench_neo4j_read import (
    _CLI,
    _CLI_WHOLE,
    DAY,
    ROOT,
    _load,
    _process,
    _push_once,
)
from benchmarks.bench_push import _server

RESULTS = Path(__file__).parent / "results" / "neo4j_read_commands.json"
STREAMED = Path(__file__).parent / "results" / "neo4j_streamed_commands.json"


def _command(
    env: dict[str, str], workspace_id: str, command: list[str], whole: bool = False
) -> tuple[float, Any]:
    """Seconds of one ``COMMAND --neo4j --json`` process, and its answer."""
    args = [command[0], "--neo4j", "--workspace", workspace_id, *command[1:], "--json", "-q"]
    return _process(env, _CLI_WHOLE if whole else _CLI, args)


def other_commands(ws: Any, opportunity: str) -> dict[str, list[str]]:
    """The commands timed, about the official we relate to most."""
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


#: The same command in a process where no stored workspace can be streamed: it pulls.
_CLI_PULL = "import stakegraph.cli.source as source; source._streamable = lambda *a: False; " + _CLI


def streamed_commands(opportunity: str) -> dict[str, list[str]]:
    """The whole-region commands timed streamed and whole."""
    day = ["--as-of", DAY.isoformat(), "--top", "20"]
    return {
        "influence": ["influence", *day],
        "influence -o": ["influence", "-o", opportunity, "--embedded", *day],
        "centrality": ["centrality", "--measure", "degree", *day],
    }


def _timed(env: dict[str, str], workspace_id: str, command: list[str], pull: bool) -> Any:
    """(wall seconds, client CPU seconds, answer) of one ``COMMAND --neo4j --json`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    args = [command[0], "--neo4j", "--workspace", workspace_id, *command[1:], "--json", "-q"]
    seconds, answer = _process(env, _CLI_PULL if pull else _CLI, args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, answer


def time_streamed(
    env: dict[str, str], workspace_id: str, commands: dict[str, list[str]], runs: int
) -> dict[str, dict[str, Any]]:
    """Each command streamed and whole, A B A B ``runs`` times, answers compared."""
    out: dict[str, dict[str, Any]] = {}
    for name, command in commands.items():
        streamed, whole = [], []
        for _ in range(2 * runs):
            streamed.append(_timed(env, workspace_id, command, pull=False))
            whole.append(_timed(env, workspace_id, command, pull=True))
        answer_s, answer_w = streamed[0][2], whole[0][2]
        assert answer_s.pop("source") == {"engine": "neo4j", "read": "streamed"}, name
        assert answer_w.pop("source") == {"engine": "neo4j", "read": "whole"}, name
        assert answer_s == answer_w, f"streaming changed the answer of {name}"
        out[name] = {
            "args": command,
            "streamed_s": [round(s, 2) for s, _, _ in streamed],
            "whole_s": [round(s, 2) for s, _, _ in whole],
            "streamed_cpu_s": [round(c, 2) for _, c, _ in streamed],
            "whole_cpu_s": [round(c, 2) for _, c, _ in whole],
            "same_answer": True,
            "load_average": _load(),
        }
        print(f"  {name}: {out[name]}", flush=True)
    return out


def run_size(
    officials: int, runs: int, env: dict[str, str], store: Any, streamed: bool = False
) -> dict[str, Any]:
    from benchmarks.synthetic import generate_workspace

    ws = generate_workspace(officials, seed=0)
    workspace_id = f"bench-read-{officials}"
    push_s = _push_once(store, ws, workspace_id)
    opportunity = next(iter(ws.opportunities.values()))
    print(f"{officials} officials; opportunity {opportunity.id}; load {_load()}", flush=True)
    return {
        "officials": officials,
        "push_s": None if push_s is None else round(push_s, 1),
        "commands": (
            time_streamed(env, workspace_id, streamed_commands(opportunity.id), runs)
            if streamed
            else time_commands(env, workspace_id, other_commands(ws, opportunity.id), runs)
        ),
        "load_average": _load(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--runs", type=int, default=1, help="processes per way (best kept)")
    parser.add_argument("--heap", default="2g", help="heap of a server started here")
    parser.add_argument("--pagecache", default="1g", help="page cache of a server started here")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument(
        "--streamed", action="store_true", help="the whole-region commands, streamed and whole"
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
                results.append(run_size(officials, args.runs, env, store, args.streamed))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    output = {"server": where, "machine": machine, "day": DAY.isoformat(), "sizes": results}
    print(json.dumps(output, indent=2, ensure_ascii=False))
    args.output = args.output or (STREAMED if args.streamed else RESULTS)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
