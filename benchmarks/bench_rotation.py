"""Rotation risk ahead at region scale: every chain holder of every opportunity.

For each size, the synthetic province (:mod:`benchmarks.synthetic`, with its
default one opportunity per hundred officials: 1,000 at 10^5) is generated and
its network built for 2026-11-28 (neither timed); then
:func:`~stakegraph.analysis.rotation_risk.rotation_risk` is timed for all
opportunities at once with a six-month horizon: resolving every chain on the
day, each holder's career start, age and reforms, and the vectorised hazard.
The best of ``--repeat`` runs is kept (each run starts from the same network;
the function keeps nothing between calls). The target is under 2 s at 10^5
officials.

Wall times come from :func:`time.perf_counter`. The figures are printed as a
Markdown table and written to ``benchmarks/results/rotation.json``.

Usage::

    python -m benchmarks.bench_rotation [--sizes 10000 100000] [--repeat 3] [--seed 0]
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from .bench_load import size_options, write_results

DAY = dt.date(2026, 11, 28)
TARGET_SECONDS = 2.0
RESULTS = Path(__file__).resolve().parent / "results" / "rotation.json"


def measure(officials: int, repeat: int = 3, seed: int = 0) -> dict[str, Any]:
    """Time rotation risk for every chain holder of every opportunity at one size."""
    from stakegraph.analysis.rotation_risk import Horizon, rotation_risk
    from stakegraph.graph.network import build_network

    from .synthetic import generate_workspace

    ws = generate_workspace(officials, seed=seed)
    network = build_network(ws, DAY)
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = rotation_risk(network, None, Horizon(6, "m"))
        times.append(time.perf_counter() - start)
    assert result is not None
    return {
        "officials": officials,
        "opportunities": len(ws.opportunities),
        "holders": len(result.holders),
        "likely": len(result.likely_holders()),
        "seconds": min(times),
        "runs": times,
        "target_seconds": TARGET_SECONDS,
        "within_target": min(times) < TARGET_SECONDS,
    }


def table(results: list[dict[str, Any]]) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| officials | opportunities | holders assessed | likely to leave (6 months) | s (best) | target |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        verdict = "met" if r["within_target"] else "missed"
        lines.append(
            f"| {r['officials']:,} | {r['opportunities']:,} | {r['holders']:,} | {r['likely']:,} "
            f"| {r['seconds']:.3f} | < {r['target_seconds']:g} s {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = size_options(__doc__, RESULTS).parse_args(argv)
    results = [measure(n, args.repeat, args.seed) for n in args.sizes]
    print(table(results))
    write_results(args.out, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
