"""What the cache of validated records saves: ``stakegraph gaps -o ONE`` cold, warm and after an edit.

For each size a synthetic province (:mod:`benchmarks.synthetic`, seed 0) is written
as a YAML folder. Then, in rounds, each command runs as a **new process**, as a user
runs it, and its wall time and peak resident memory (``os.wait4``) are taken:

* ``no-cache``: ``stakegraph --no-cache gaps …``, which reads and validates every
  file as before the cache existed (the baseline, same run);
* ``cold``: the cache folder deleted first, so the command parses everything and
  writes the cache (what the first command on a workspace pays);
* ``warm``: the same command again on the unchanged workspace;
* ``after-edit``: one interaction appended to ``interactions.yaml`` by hand, then
  the command: only that file is parsed again.

What is kept warm: compiled bytecode, as an installed package keeps it (in a folder
of its own under the temporary folder, even where ``PYTHONDONTWRITEBYTECODE`` is
set); the operating system's file cache (the workspace is read once before the first
round) and, for ``warm`` and ``after-edit``, the cache folder. No
process outlives its command, so nothing else carries over. The order within a
round is fixed (no-cache, cold, warm, after-edit); rounds repeat it, and the
figures are medians over rounds, with the ratio to ``no-cache`` of the same round.
Figures go to ``benchmarks/results/cache.json``.

With ``--against TREE`` (a source tree of another version, e.g. ``git archive main``
unpacked) the same command runs instead from both trees in turn, whole processes
A B A B, each tree on a copy of its own of the province (each keeps its own cache):
one cold run each, then ``--pairs`` warm pairs, then ``--pairs`` pairs after
appending one interaction to both copies (``--province`` copies a province written
before instead of generating one). CPU seconds (user + system of the child),
wall seconds and peak RSS are taken; the figures, with the load average before and
after, go to the key ``against`` of the results file (the rest of it is kept).

Usage::

    python -m benchmarks.bench_cache [--sizes 10000 100000] [--rounds 3] [--rounds-large 1]
    python -m benchmarks.bench_cache --against /tmp/main-tree --sizes 10000 [--pairs 5]
    python -m benchmarks.bench_cache --against /tmp/main-tree --sizes 100000 --pairs 2 \\
        --province /tmp/province-100000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_load import code_digest, machine

RESULTS = Path(__file__).resolve().parent / "results" / "cache.json"
ROOT = Path(__file__).resolve().parent.parent
DAY = "2026-11-28"
_CLI = "from stakegraph.cli.main import main; main()"
MODES = ("no-cache", "cold", "warm", "after-edit")
_PYCACHE = Path(tempfile.gettempdir()) / "stakegraph-bench-pycache"


def run_command(args: list[str], root: Path = ROOT) -> dict[str, float]:
    """Run ``stakegraph ARGS`` from the source tree ``root`` in a new process: wall and
    CPU seconds (user + system) and peak RSS in MiB."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root)
    # as an installed package runs: compiled bytecode kept between runs (outside the
    # trees), not every module compiled from source in every process
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(_PYCACHE)
    began = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _CLI, *args],
        cwd=root,  # "python -c" puts the working folder first on the path: the tree's own
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"stakegraph {' '.join(args)} failed: {err.decode()[-2000:]}")
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_mib": round(usage.ru_maxrss / 1024, 1),
    }


def append_interaction(folder: Path, number: int, owner: str) -> None:
    """Append one interaction to ``interactions.yaml``, as a user editing it would."""
    path = folder / "interactions.yaml"
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    text += f"- id: bench-edit-{number}\n  date: 2026-11-20\n  kind: call\n  owners: [{owner}]\n"
    path.write_text(text, encoding="utf-8")


def one_round(folder: Path, opportunity: str, owner: str, number: int) -> dict[str, Any]:
    """The four measurements of one round, in their fixed order."""
    args = ["gaps", str(folder), "-o", opportunity, "--as-of", DAY, "--json", "--quiet"]
    out: dict[str, Any] = {"no-cache": run_command(["--no-cache", *args])}
    from stakegraph.io.cache import clear_cache

    clear_cache(folder)
    out["cold"] = run_command(args)
    out["warm"] = run_command(args)
    append_interaction(folder, number, owner)
    out["after-edit"] = run_command(args)
    return out


def _first_id(path: Path) -> str:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("- id:"):
                return line.split(":", 1)[1].strip()
    raise ValueError(f"{path}: no record")


def generate(folder: Path, officials: int) -> float:
    """Write the synthetic province; the seconds it took."""
    # generated in a process of its own: a child's peak RSS counts from the RSS of the
    # process that starts it, so this one must stay small
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "benchmarks.synthetic", str(folder), "--officials", str(officials)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - began


def bench_size(officials: int, rounds: int, workdir: Path) -> dict[str, Any]:
    folder = workdir / f"province-{officials}"
    written = generate(folder, officials)
    opportunity = _first_id(folder / "opportunities.yaml")
    owner = _first_id(folder / "owners.yaml")
    counts = {
        p.stem: sum(1 for line in p.open(encoding="utf-8") if line.startswith("- "))
        for p in folder.glob("*.yaml")
    }
    size = sum(p.stat().st_size for p in folder.glob("*.yaml"))
    for path in folder.glob("*.yaml"):  # the operating system's file cache, warm for all modes
        path.read_bytes()
    measured = []
    for number in range(rounds):
        got = one_round(folder, opportunity, owner, number)
        print(
            f"  {officials:>7,} round {number + 1}: "
            + ", ".join(
                f"{m} {got[m]['seconds']:.2f} s / {got[m]['peak_mib']:.0f} MiB" for m in MODES
            ),
            flush=True,
        )
        measured.append(got)
    cache_mib = sum(p.stat().st_size for p in (folder / ".stakegraph-cache").glob("*")) / 2**20
    summary = {
        mode: {
            "seconds": statistics.median(r[mode]["seconds"] for r in measured),
            "peak_mib": max(r[mode]["peak_mib"] for r in measured),
            "over_no_cache": round(
                statistics.median(r[mode]["seconds"] / r["no-cache"]["seconds"] for r in measured),
                3,
            ),
        }
        for mode in MODES
    }
    return {
        "officials": officials,
        "records": sum(counts.values()),
        "yaml_mib": round(size / 2**20, 1),
        "cache_mib": round(cache_mib, 1),
        "generated_and_written_seconds": round(written, 1),
        "rounds": measured,
        "median": summary,
    }


def bench_against(
    officials: int, pairs: int, workdir: Path, against: Path, province: Path | None = None
) -> dict[str, Any]:
    """``gaps`` from the tree ``against`` (A) and this one (B) in turn, each on its own copy
    (of ``province`` when given: a synthetic province of that size written before)."""
    base = province if province is not None else workdir / f"province-{officials}"
    if province is None:
        generate(base, officials)
    folders = {"A": workdir / f"a-{officials}", "B": workdir / f"b-{officials}"}
    roots = {"A": against, "B": ROOT}
    for folder in folders.values():
        shutil.copytree(base, folder, ignore=shutil.ignore_patterns(".stakegraph-cache"))
        for path in folder.glob("*.yaml"):
            path.read_bytes()
    opportunity = _first_id(base / "opportunities.yaml")
    owner = _first_id(base / "owners.yaml")

    def run(side: str) -> dict[str, float]:
        args = ["gaps", str(folders[side]), "-o", opportunity, "--as-of", DAY, "--json", "--quiet"]
        return run_command(args, roots[side])

    for root in roots.values():  # compiles the bytecode of everything the command imports
        example = root / "examples" / "smart-city"
        args = ["--no-cache", "gaps", str(example), "-o", "smart-city", "--as-of", DAY, "--json"]
        run_command(args, root)

    load_before = os.getloadavg()
    runs: dict[str, list[dict[str, Any]]] = {"cold": [], "warm": [], "after-edit": []}
    runs["cold"].append({"A": run("A"), "B": run("B")})
    for _ in range(pairs):
        runs["warm"].append({"A": run("A"), "B": run("B")})
    for number in range(pairs):
        for folder in folders.values():
            append_interaction(folder, number, owner)
        runs["after-edit"].append({"A": run("A"), "B": run("B")})
    load_after = os.getloadavg()
    summary = {}
    for mode, measured in runs.items():
        summary[mode] = {
            side: {
                key: statistics.median(pair[side][key] for pair in measured)
                for key in ("seconds", "cpu_seconds")
            }
            | {"peak_mib": max(pair[side]["peak_mib"] for pair in measured)}
            for side in ("A", "B")
        }
        for key in ("seconds", "cpu_seconds"):
            ratios = [pair["B"][key] / pair["A"][key] for pair in measured]
            summary[mode][f"{key}_b_over_a"] = {
                "median": round(statistics.median(ratios), 3),
                "min": round(min(ratios), 3),
                "max": round(max(ratios), 3),
            }
        print(f"  {officials:>7,} {mode}: {json.dumps(summary[mode])}", flush=True)
    return {
        "officials": officials,
        "against": code_digest(against / "stakegraph"),
        "pairs": pairs,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "runs": runs,
        "median": summary,
    }


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| officials | records | "
        + " | ".join(f"{m} s (× no-cache), peak MiB" for m in MODES)
        + " |",
        "|---:|---:|" + "---:|" * len(MODES),
    ]
    for r in results:
        cells = [
            f"{r['median'][m]['seconds']:.2f} ({r['median'][m]['over_no_cache']:.2f}), "
            f"{r['median'][m]['peak_mib']:,.0f}"
            for m in MODES
        ]
        lines.append(f"| {r['officials']:,} | {r['records']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_cache", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3, help="rounds below 50,000 officials")
    parser.add_argument(
        "--rounds-large", type=int, default=1, help="rounds from 50,000 officials (each ~4 min)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--against", type=Path, default=None, help="a source tree to compare with, as A of A B A B"
    )
    parser.add_argument("--pairs", type=int, default=5, help="pairs per mode with --against")
    parser.add_argument(
        "--province",
        type=Path,
        default=None,
        help="with --against and one size: a province written before by benchmarks.synthetic "
        "with that many officials (copied, not changed), instead of generating one",
    )
    args = parser.parse_args(argv)
    if args.province is not None and (args.against is None or len(args.sizes) != 1):
        parser.error("--province needs --against and one size")
    results = []
    workdir = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    if args.against is not None:
        try:
            for officials in args.sizes:
                results.append(
                    bench_against(officials, args.pairs, workdir, args.against, args.province)
                )
                _write_against(args.out, results)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return 0
    try:
        for officials in args.sizes:
            rounds = args.rounds if officials < 50_000 else args.rounds_large
            results.append(bench_size(officials, rounds, workdir))
            _write(args.out, results)  # after each size: a long run keeps what it measured
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(table(results))
    return 0


def _write(out: Path, results: list[dict[str, Any]]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"machine": machine(), "sizes": results}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )


def _write_against(out: Path, results: list[dict[str, Any]]) -> None:
    """Put the paired figures under ``against`` (by size), keeping the rest of the file."""
    data = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    against = {str(r["officials"]): r for r in data.get("against", {}).get("sizes", [])}
    against.update({str(r["officials"]): r for r in results})
    data["against"] = {
        "machine": machine(),
        "sizes": [against[k] for k in sorted(against, key=int)],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
