"""Relation filters cost one rebuild of the tie arrays for the kept ties, once per filter.

For each size: generate the synthetic province (seed 0), build the person network once,
then for a few filters (one kind; confident ties only; a kind and a confidence) time,
interleaved, best of 5:

* the baseline: the least work a filter needs, one pass over the ties keeping those
  the filter keeps and one build of the two tie matrices from them
  (``tie_matrices(kept, index, settings)``);
* ours on a first call: ``filtered_network(network, filter)`` with the memo emptied
  (the same pass and build, plus the workspace view and the filtered network);
* ours on a second call: the memo's answer;
* influence (PageRank) on the filtered network, for scale.

The figure that matters is ours (first call) over the baseline: a filter should cost
no more than rebuilding the arrays for its edges once, and nothing after that.

Usage::

    python -m benchmarks.bench_filters [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import time
from pathlib import Path

DAY = dt.date(2026, 11, 28)
RESULTS = Path(__file__).parent / "results" / "filters.json"
REPEAT = 5


def _timed(func):
    start = time.perf_counter()
    value = func()
    return value, time.perf_counter() - start


def run(size: int) -> dict:
    from benchmarks.synthetic import generate_workspace
    from stakegraph.analysis.influence import influence
    from stakegraph.graph.network import build_network, tie_matrices
    from stakegraph.graph.relation_filter import FilteredNetwork, RelationFilter, filtered_network

    ws, t_generate = _timed(lambda: generate_workspace(size, seed=0))
    network, t_network = _timed(lambda: build_network(ws, DAY))
    ties = list(network.workspace.ties.values())
    settings = network.workspace.settings.ties
    filters = {
        "kind classmate": RelationFilter.of(kinds=["classmate"]),
        "confidence >= 1": RelationFilter.of(min_confidence=1.0),
        "mentor or family, confidence >= 0.5": RelationFilter.of(
            kinds=["mentor", "family"], min_confidence=0.5
        ),
    }
    result: dict = {
        "officials": size,
        "persons": network.size,
        "ties": len(ties),
        "generate_s": round(t_generate, 2),
        "network_build_s": round(t_network, 3),
        "filters": {},
    }
    for name, relations in filters.items():
        t_base = t_first = t_again = float("inf")
        kept = 0
        for _ in range(REPEAT):
            (dmat, _), t = _timed(
                lambda r=relations: tie_matrices(
                    [t for t in ties if r.keeps(t)], network.person_index, settings
                )
            )
            t_base = min(t_base, t)
            network.memo.clear(FilteredNetwork)
            filtered, t = _timed(lambda r=relations: filtered_network(network, r))
            t_first = min(t_first, t)
            again, t = _timed(lambda r=relations: filtered_network(network, r))
            t_again = min(t_again, t)
            assert again is filtered
            assert (filtered.tie_deference != dmat).nnz == 0
            kept = len(filtered.workspace.ties)
        _, t_influence = _timed(lambda f=filtered: influence(f))
        result["filters"][name] = {
            "kept_ties": kept,
            "baseline_rebuild_s": round(t_base, 4),
            "filtered_network_first_s": round(t_first, 4),
            "filtered_network_cached_s": round(t_again, 7),
            "first_over_baseline": round(t_first / t_base, 2),
            "influence_on_filtered_s": round(t_influence, 3),
        }
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        result = run(size)
        results.append(result)
        print(json.dumps(result, indent=2, ensure_ascii=False))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
