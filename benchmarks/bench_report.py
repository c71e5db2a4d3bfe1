"""`report --out` of a whole book: one page drawn in one process against the book layout.

For each size the synthetic province (:mod:`benchmarks.synthetic`, one opportunity
per hundred officials) is generated and its network built for 2026-11-28 (neither
timed). Then, in turns A B A B, :func:`~stakegraph.views.report_writer.write_report`
writes the whole report into a fresh folder:

- ``page``: today's path, one page with every opportunity, figures drawn one after
  another in this process;
- ``book``: the index and one page per opportunity, figures drawn in worker
  processes (one per core).

Both time everything a user waits for after the network is built: the report's
analyses, every figure, the map, the pages and the files. Nothing is kept warm
between runs: the network's memo (influence, coverage) is emptied before each, so
neither run reuses the other's analyses. The ratio ``page / book`` is the gain; its
ceiling is the number of cores, as drawing dominates. The figures are printed as a
Markdown table and written to ``benchmarks/results/report.json``.

Usage::

    python -m benchmarks.bench_report [--sizes 2000 10000] [--rounds 2] [--seed 0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from .bench_load import machine

DAY = dt.date(2026, 11, 28)
RESULTS = Path(__file__).resolve().parent / "results" / "report.json"


def _write(network: Any, layout: str) -> tuple[float, int, int]:
    """Seconds to write the report in ``layout``, the files written and their bytes."""
    from stakegraph.views.report_writer import write_report

    network.memo.clear()
    out = Path(tempfile.mkdtemp(prefix=f"bench-report-{layout}-"))
    try:
        start = time.perf_counter()
        files = write_report(network, DAY, out / "r", layout=layout)
        seconds = time.perf_counter() - start
        size = sum(f.stat().st_size for f in files)
        return seconds, len(files), size
    finally:
        shutil.rmtree(out, ignore_errors=True)


def measure(officials: int, rounds: int = 2, seed: int = 0) -> dict[str, Any]:
    """Time both layouts at one size, alternating."""
    from stakegraph.graph.network import build_network

    from .synthetic import generate_workspace

    ws = generate_workspace(officials, seed=seed)
    network = build_network(ws, DAY)
    times: dict[str, list[float]] = {"page": [], "book": []}
    shape: dict[str, tuple[int, int]] = {}
    for _ in range(rounds):
        for layout in ("page", "book"):
            seconds, files, size = _write(network, layout)
            times[layout].append(seconds)
            shape[layout] = (files, size)
    page, book = min(times["page"]), min(times["book"])
    return {
        "officials": officials,
        "opportunities": len(ws.opportunities),
        "page_seconds": page,
        "book_seconds": book,
        "page_over_book": page / book,
        "page_files": shape["page"][0],
        "book_files": shape["book"][0],
        "page_megabytes": shape["page"][1] / 1e6,
        "book_megabytes": shape["book"][1] / 1e6,
        "runs": times,
        "cores": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rows = [measure(n, args.rounds, args.seed) for n in args.sizes]
    print("| officials | opportunities | one page, serial (s) | book, workers (s) | ratio |")
    print("|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['officials']:,} | {r['opportunities']:,} | {r['page_seconds']:.1f} | "
            f"{r['book_seconds']:.1f} | {r['page_over_book']:.2f} |"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps({"machine": machine(), "results": rows}, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
