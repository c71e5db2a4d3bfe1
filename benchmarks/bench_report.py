"""`report --out` of a whole book: one page drawn in one process against the book layout.

For each size the synthetic province (:mod:`benchmarks.synthetic`, one opportunity
per hundred officials) is generated and its network built for 2026-11-28 (neither
timed). Then, in turns A B A B, :func:`~stakegraph.views.report_writer.write_report`
writes the whole report into a fresh folder:

- ``page``: today's path, one page with every opportunity, figures drawn one after
  another in this process;
- ``book``: the index and one page per opportunity, the chain and the plan drawn in
  worker processes (one per core), the heat map and the influence bars written as
  HTML (:mod:`stakegraph.views.html_charts`).

Both time everything a user waits for after the network is built: the report's
analyses, every figure, the map, the pages and the files. Nothing is kept warm
between runs: the network's memo (influence, coverage) is emptied before each, so
neither run reuses the other's analyses. The ratio ``page / book`` is the gain; its
ceiling is the number of cores, as drawing dominates. The figures are printed as a
Markdown table and written to ``benchmarks/results/report.json``.

With ``--figures``, the cost of one figure instead: each opportunity's four figures
are drawn in this process, in turns A B A B, by each way of turning a figure into
page bytes (:data:`WAYS`), after the report's analyses (not timed). It prints CPU
seconds per figure, which a machine shared with other jobs disturbs less than wall
time, and the bytes per figure.

Usage::

    python -m benchmarks.bench_report [--sizes 2000 10000] [--rounds 2] [--seed 0]
    python -m benchmarks.bench_report --figures [--sizes 2000] [--opportunities 8]
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


def _savefig_tight(ax: Any, fmt: str = "png", dpi: float | None = None) -> bytes:
    """Before: matplotlib's tight save (two drawings), then the palette, as the report did."""
    import io

    from stakegraph.views.figures.common import DPI, root_figure
    from stakegraph.views.figures.report import compact_png
    from stakegraph.views.labels import PAPER

    fig = root_figure(ax)
    buffer = io.BytesIO()
    extra = {"pil_kwargs": {"compress_level": 0}} if fmt == "png" else {}
    try:
        fig.savefig(
            buffer, dpi=dpi or DPI, bbox_inches="tight", format=fmt, facecolor=PAPER, **extra
        )
    finally:
        fig.clear()
    return compact_png(buffer.getvalue()) if fmt == "png" else buffer.getvalue()


def _drawn_once(ax: Any, dpi: float | None = None) -> bytes:
    """Now: one drawing on a wider canvas, cut to its content (``figures.report._png``)."""
    from stakegraph.views.figures import report as figures

    fig = figures.root_figure(ax)
    pixels = figures.draw_cut(fig, dpi or figures.DPI)
    if pixels is None:  # beyond the margin: the report saves it the usual way
        return _savefig_tight(ax, dpi=dpi)
    fig.clear()
    return figures.palette_png(pixels)


#: The ways of turning a drawn figure into the bytes a page embeds.
WAYS: dict[str, Any] = {
    "savefig": _savefig_tight,
    "once": _drawn_once,
    "svg": lambda ax: _savefig_tight(ax, "svg"),
    "once-100dpi": lambda ax: _drawn_once(ax, 100),
}


def measure_figures(
    officials: int, opportunities: int = 8, rounds: int = 2, seed: int = 0
) -> dict[str, Any]:
    """CPU seconds and bytes per figure for each of :data:`WAYS`, in turns."""
    from stakegraph.graph.network import build_network
    from stakegraph.views.figures import report as figures
    from stakegraph.views.report import build_report

    from .synthetic import generate_workspace

    ws = generate_workspace(officials, seed=seed)
    network = build_network(ws, DAY)
    build_report(ws, DAY, network=network)  # the analyses the figures reuse
    ids = list(ws.opportunities)[:opportunities]
    cpu: dict[str, list[float]] = {way: [] for way in WAYS}
    wall: dict[str, list[float]] = {way: [] for way in WAYS}
    size: dict[str, float] = {}
    kept = figures._png
    try:
        for _ in range(rounds):
            for way, encode in WAYS.items():
                figures._png = encode
                start, start_cpu = time.perf_counter(), time.process_time()
                drawn = [figures.opportunity_figures(network, o) for o in ids]
                count = sum(len(d) for d in drawn)
                cpu[way].append((time.process_time() - start_cpu) / count)
                wall[way].append((time.perf_counter() - start) / count)
                size[way] = sum(len(f.png) for d in drawn for f in d.values()) / count
    finally:
        figures._png = kept
    return {
        "officials": officials,
        "figures": count,
        "ways": {
            way: {
                "cpu_per_figure": min(cpu[way]),
                "wall_per_figure": min(wall[way]),
                "kilobytes_per_figure": size[way] / 1e3,
                "cpu_runs": cpu[way],
            }
            for way in WAYS
        },
    }


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
    parser.add_argument("--figures", action="store_true", help="the cost of one figure")
    parser.add_argument("--opportunities", type=int, default=8)
    args = parser.parse_args(argv)
    if args.figures:
        _figures_main(args)
        return
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


def _figures_main(args: argparse.Namespace) -> None:
    rows = [measure_figures(n, args.opportunities, args.rounds, args.seed) for n in args.sizes]
    print("| officials | figures | way | CPU s per figure (runs) | KB per figure |")
    print("|---:|---:|---|---:|---:|")
    for r in rows:
        for way, m in r["ways"].items():
            runs = " ".join(f"{c:.3f}" for c in m["cpu_runs"])
            print(
                f"| {r['officials']:,} | {r['figures']} | {way} | {m['cpu_per_figure']:.3f} "
                f"({runs}) | {m['kilobytes_per_figure']:.0f} |"
            )
    out = RESULTS.with_name("report_figures.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"machine": machine(), "results": rows}, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
