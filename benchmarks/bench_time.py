"""What time costs: loading and as-of resolution with reforms, dated structure and acting heads.

For each size the synthetic province (:mod:`benchmarks.synthetic`) is generated
once and turned into plain records (``Workspace.as_data()``); its copy with time
(:func:`benchmarks.synthetic_time.add_time`: about 3 % of the organisations renamed
in reforms with their posts, 10 % of the overseeing leaders reshuffled, 2 % of the
officials acting heads) differs only in those records. Then, in one process, the two
are measured side by side, alternating, ``--repeat`` times:

* **load**: :func:`~stakegraph.records.workspace.build_workspace` from the raw
  records (each record against its model, then every cross-record check, the
  lifetime, lineage, dated-structure and chain-window checks included). Reading YAML
  is left out: its cost per record does not depend on time (see ``bench_load``).
* **as of**: on the loaded workspace, :func:`~stakegraph.graph.network.build_network`
  for 2026-11-28 (the structure in force that day, the person index, the arrays) and
  every opportunity's chain resolved that day
  (:func:`~stakegraph.graph.chains.resolve_chain`: holders, acting heads, roles on
  posts renamed in a reform followed to their successors).

What is warm: the modules are imported and a small province is loaded and resolved
once before timing. What is cold: every run starts from fresh raw records (shallow
copies, so validating one run cannot help the next) and a fresh workspace, so the
lifetime, holder and lineage indexes are built inside the timing. The best run of
each is kept; the target is time within 10 % of the same province without time.

Wall times come from :func:`time.perf_counter`. The figures are printed as a
Markdown table and written to ``benchmarks/results/time.json``.

Usage::

    python -m benchmarks.bench_time [--sizes 10000 100000] [--repeat 3] [--seed 0]
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from pathlib import Path
from typing import Any

from .bench_load import size_options, write_results

DAY = dt.date(2026, 11, 28)
TARGET_RATIO = 1.10
RESULTS = Path(__file__).resolve().parent / "results" / "time.json"


def _raws(data: dict[str, list[dict[str, Any]]]) -> list[Any]:
    from stakegraph.errors import Location
    from stakegraph.records.workspace import RawRecord

    # loading converts dates in place at the top level: a shallow copy per run keeps runs apart
    return [
        RawRecord(c, dict(r), Location(f"{c}.yaml", i + 1))
        for c, records in data.items()
        for i, r in enumerate(records)
    ]


def _run(data: dict[str, list[dict[str, Any]]]) -> tuple[float, float, dict[str, int]]:
    """Seconds to load and to resolve as of DAY, and what the resolution found."""
    from stakegraph.graph.chains import resolve_chain
    from stakegraph.graph.network import build_network
    from stakegraph.records.workspace import build_workspace

    raws = _raws(data)
    gc.collect()
    start = time.perf_counter()
    ws = build_workspace(raws)
    loaded = time.perf_counter()
    build_network(ws, DAY)
    roles = [r for o in ws.opportunities for s in resolve_chain(ws, o, DAY) for r in s.roles]
    resolved = time.perf_counter()
    found = {
        "roles": len(roles),
        "through a reform": sum(1 for r in roles if r.named_post),
        "acting": sum(1 for r in roles if r.acting),
        "vacant": sum(1 for r in roles if r.vacant),
    }
    return loaded - start, resolved - loaded, found


def measure(officials: int, repeat: int = 3, seed: int = 0) -> dict[str, Any]:
    """Time loading and as-of resolution with and without time at one size."""
    from .synthetic import generate_workspace
    from .synthetic_time import add_time

    plain = generate_workspace(officials, seed=seed).as_data()
    timed, added = add_time(plain, seed=seed)
    runs: dict[str, list[tuple[float, float]]] = {"without": [], "with": []}
    found: dict[str, dict[str, int]] = {}
    for _ in range(repeat):
        for side, data in (("without", plain), ("with", timed)):
            load, as_of, found[side] = _run(data)
            runs[side].append((load, as_of))
    best = {
        side: {"load": min(r[0] for r in times), "as_of": min(r[1] for r in times)}
        for side, times in runs.items()
    }
    ratio = {k: best["with"][k] / best["without"][k] for k in ("load", "as_of")}
    return {
        "officials": officials,
        "records": {
            "without": sum(map(len, plain.values())),
            "with": sum(map(len, timed.values())),
        },
        "added": added,
        "resolved": found,
        "seconds": best,
        "ratio": ratio,
        "runs": runs,
        "target_ratio": TARGET_RATIO,
        "within_target": all(v <= TARGET_RATIO for v in ratio.values()),
    }


def warm_up(seed: int = 0) -> None:
    """Import and run everything once on a small province, so the first timing is not cold."""
    measure(300, repeat=1, seed=seed)


def table(results: list[dict[str, Any]]) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| officials | reforms | dated lines | acting | load s without · with (ratio) "
        "| as of s without · with (ratio) | target ≤ 1.10 |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        s, q, a = r["seconds"], r["ratio"], r["added"]
        lines.append(
            f"| {r['officials']:,} | {a['reforms']:,} | {a['dated lines']:,} "
            f"| {a['acting tenures']:,} "
            f"| {s['without']['load']:.2f} · {s['with']['load']:.2f} ({q['load']:.3f}) "
            f"| {s['without']['as_of']:.2f} · {s['with']['as_of']:.2f} ({q['as_of']:.3f}) "
            f"| {'met' if r['within_target'] else 'missed'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = size_options(__doc__, RESULTS).parse_args(argv)
    warm_up(args.seed)
    results = []
    for n in args.sizes:
        results.append(measure(n, args.repeat, args.seed))
        print(table(results[-1:]), flush=True)
    print(table(results))
    write_results(args.out, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
