"""Time and memory of loading a large workspace: parse, validate, build the graph.

For each size, a synthetic province (:mod:`benchmarks.synthetic`) is generated and
written as a YAML folder in a temporary directory. Each measurement then runs in a
fresh Python process, so that its peak memory counts only what loading needs and
not the generator's records. Loading goes through the library, which reads without
the workspace cache (:mod:`stakegraph.io.cache`; ``bench_cache`` measures that), so
every phase does all of its work:

* ``phases``: :func:`~stakegraph.io.yaml_folder.read_yaml_folder` (parse),
  :func:`~stakegraph.records.workspace.build_workspace` (validate: the records one by one,
  then the cross-record checks, which are also timed on their own), and
  :func:`~stakegraph.io.property_graph.build_graph`;
* ``end-to-end``: :func:`~stakegraph.io.load_workspace` then ``build_graph``, the
  path the command line takes.

Wall times come from :func:`time.perf_counter`, peak memory from
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` in the child. The figures are printed
as a table and written to ``benchmarks/results/load.json``.

Usage::

    python -m benchmarks.bench_load [--sizes 10000 100000] [--seed 0] [--out FILE]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "load.json"
ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def _peak_mib() -> float:
    """Peak resident memory of this process so far, in MiB (ru_maxrss is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / MIB


def _rss_mib() -> float:
    """Current resident memory in MiB (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / MIB


def measure_phases(folder: Path) -> dict[str, Any]:
    """Parse, validate and build the graph of a YAML workspace, timing each phase.

    Meant to run in a fresh process: the peak RSS it reports is that of the process.
    """
    from stakegraph.config import load_settings
    from stakegraph.io import drain_raw_records
    from stakegraph.io.property_graph import build_graph
    from stakegraph.io.yaml_folder import read_yaml_folder
    from stakegraph.records.validate import check_workspace
    from stakegraph.records.workspace import build_workspace

    out: dict[str, Any] = {"rss_start_mib": _rss_mib()}
    began = time.perf_counter()
    settings = load_settings(folder)
    raws, problems = read_yaml_folder(folder)
    out["parse_s"] = time.perf_counter() - began
    out["rss_after_parse_mib"] = _rss_mib()
    out["raw_records"] = len(raws)

    began = time.perf_counter()
    # as load_workspace does: each raw record is let go once validated
    workspace = build_workspace(
        drain_raw_records(raws), settings, name=folder.name, extra_problems=problems
    )
    out["validate_s"] = time.perf_counter() - began
    out["rss_after_validate_mib"] = _rss_mib()
    out["counts"] = {c: n for c, n in workspace.counts().items() if n}

    # the cross-record checks are part of validate_s; run them again to time them alone,
    # with the cycle collector paused as build_workspace pauses it
    gc.disable()
    began = time.perf_counter()
    check_workspace(workspace)
    out["checks_s"] = time.perf_counter() - began
    gc.enable()

    began = time.perf_counter()
    graph = build_graph(workspace)
    out["graph_s"] = time.perf_counter() - began
    out["rss_after_graph_mib"] = _rss_mib()
    out["nodes"] = graph.number_of_nodes()
    out["edges"] = graph.number_of_edges()
    out["peak_rss_mib"] = _peak_mib()
    return out


def measure_end_to_end(folder: Path) -> dict[str, Any]:
    """``load_workspace`` then ``build_graph``, as the command line does."""
    from stakegraph.io import load_workspace
    from stakegraph.io.property_graph import build_graph

    began = time.perf_counter()
    workspace = load_workspace(folder)
    loaded = time.perf_counter() - began
    peak_load = _peak_mib()
    began = time.perf_counter()
    build_graph(workspace)
    return {
        "load_workspace_s": loaded,
        "peak_rss_load_mib": peak_load,
        "graph_s": time.perf_counter() - began,
        "peak_rss_mib": _peak_mib(),
    }


def _child(mode: str, folder: Path) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its figures."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_load", "--child", mode, str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the {mode} measurement failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_size(officials: int, seed: int = 0) -> dict[str, Any]:
    """Generate, write and measure one size; return its figures."""
    from stakegraph.io import save_workspace

    from .synthetic import generate_workspace

    result: dict[str, Any] = {"officials": officials}
    began = time.perf_counter()
    workspace = generate_workspace(officials, seed=seed)
    result["generate_s"] = time.perf_counter() - began
    result["records"] = sum(workspace.counts().values())
    with tempfile.TemporaryDirectory(prefix="stakegraph-bench-") as tmp:
        folder = Path(tmp) / "workspace"
        began = time.perf_counter()
        save_workspace(workspace, folder, "yaml")
        result["write_s"] = time.perf_counter() - began
        result["yaml_mib"] = sum(p.stat().st_size for p in folder.iterdir()) / MIB
        del workspace
        result["phases"] = _child("phases", folder)
        result["end_to_end"] = _child("end-to-end", folder)
    phases = result["phases"]
    records = result["records"]
    result["per_record_us"] = {
        name: phases[f"{name}_s"] / records * 1e6
        for name in ("parse", "validate", "checks", "graph")
    }
    result["per_record_us"]["load_workspace"] = (
        result["end_to_end"]["load_workspace_s"] / records * 1e6
    )
    return result


def code_digest(package: Path) -> str:
    """Which code a figure was measured with: a digest of the package's Python sources,
    the same for two copies of one version wherever they are on disk."""
    import hashlib

    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def size_options(doc: str | None, results: Path) -> argparse.ArgumentParser:
    """The options of a benchmark timed at several sizes (``--sizes``, ``--repeat``,
    ``--seed``, ``--out``), described by the first paragraph of its ``doc``."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=results)
    return parser


def write_results(path: Path, results: list[dict[str, Any]]) -> None:
    """Write the figures, with the machine they were measured on, to ``path`` as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"machine": machine(), "results": results}, indent=2) + "\n", encoding="utf-8"
    )


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    memory = None
    try:
        with open("/proc/meminfo") as handle:
            memory = round(int(handle.readline().split()[1]) / MIB, 1)  # KiB -> GiB
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "memory_gib": memory,
    }


def scaling(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Between consecutive sizes: how much more time each phase took per record.

    A ratio near 1 means linear scaling; 2 would mean the time per record doubled.
    """
    out = []
    for small, large in zip(results, results[1:], strict=False):
        out.append(
            {
                "from": small["officials"],
                "to": large["officials"],
                "records_ratio": large["records"] / small["records"],
                "per_record_ratio": {
                    name: large["per_record_us"][name] / small["per_record_us"][name]
                    for name in large["per_record_us"]
                },
            }
        )
    return out


def table(results: list[dict[str, Any]]) -> str:
    """The figures as a Markdown table."""
    head = (
        "| officials | records | YAML MiB | parse s | validate s (checks) | graph s "
        "| load_workspace s | peak RSS MiB (phases / end-to-end) | µs/record parse · validate · graph |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    rows = []
    for r in results:
        p, e, u = r["phases"], r["end_to_end"], r["per_record_us"]
        rows.append(
            f"| {r['officials']:,} | {r['records']:,} | {r['yaml_mib']:.1f} | {p['parse_s']:.2f} "
            f"| {p['validate_s']:.2f} ({p['checks_s']:.2f}) | {p['graph_s']:.2f} "
            f"| {e['load_workspace_s']:.2f} | {p['peak_rss_mib']:,.0f} / {e['peak_rss_mib']:,.0f} "
            f"| {u['parse']:.0f} · {u['validate']:.0f} · {u['graph']:.0f} |"
        )
    return head + "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Command line: measure the sizes asked for and write the JSON figures."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_load",
        description="Time and peak memory of parsing, validating and graphing large workspaces.",
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"JSON file (default {RESULTS})")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        mode, folder = args.child
        measure = measure_phases if mode == "phases" else measure_end_to_end
        print(json.dumps(measure(Path(folder))))
        return 0

    from stakegraph.progress import Progress

    results = []
    progress = Progress("sizes measured", total=len(args.sizes))
    progress.__enter__()
    for size in sorted(args.sizes):
        print(f"{size:,} officials: generating, writing, measuring …", file=sys.stderr, flush=True)
        result = bench_size(size, args.seed)
        print(
            f"  generated in {result['generate_s']:.1f} s, written in {result['write_s']:.1f} s",
            file=sys.stderr,
            flush=True,
        )
        results.append(result)
        progress.advance()
    progress.__exit__(None, None, None)
    report = {"machine": machine(), "sizes": results, "scaling": scaling(results)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    print(table(results))
    for step in report["scaling"]:
        ratios = ", ".join(f"{k} {v:.2f}" for k, v in step["per_record_ratio"].items())
        print(
            f"\n{step['from']:,} → {step['to']:,} officials ({step['records_ratio']:.1f}× records): "
            f"time per record changed by {ratios} (1.00 = linear)"
        )
    print(f"\nfigures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
