"""Directed betweenness and the tie-graph centralities at region scale, against igraph.

For each size: generate the synthetic province (seed 0), build the person network
once, then time

* directed betweenness from 256 seeded sources on the directed tie graph: ours
  (``brokerage.betweenness(network, samples=256, directed=True)``) against
  python-igraph's ``Graph.betweenness(directed=True, sources=...)`` called directly
  with the same sources on a graph built beforehand (interleaved, best of 3), and
  the largest difference once igraph's raw sums are scaled as ours;
* ours on a first call (it derives the tie matrix and the igraph graph);
* in-degree and eigenvector centrality (ours) with igraph's ``Graph.indegree`` and
  ``Graph.eigenvector_centrality`` on the undirected tie graph for scale.

Usage::

    python -m benchmarks.bench_centrality [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import time
from pathlib import Path

import numpy as np

DAY = dt.date(2026, 11, 28)
RESULTS = Path(__file__).parent / "results" / "centrality.json"
SAMPLES = 256


def _timed(func, repeat: int = 1):
    best = None
    value = None
    for _ in range(repeat):
        start = time.perf_counter()
        value = func()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return value, best


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else round(a / b, 2)


def run(size: int) -> dict:
    import igraph as ig

    from benchmarks.synthetic import generate_workspace
    from stakegraph.analysis.brokerage import _sources, betweenness
    from stakegraph.analysis.centrality import centrality
    from stakegraph.graph.network import build_network
    from stakegraph.graph.tie_graph import tie_matrix

    ws, t_generate = _timed(lambda: generate_workspace(size, seed=0))
    network, t_network = _timed(lambda: build_network(ws, DAY))
    n = network.size
    directed, t_matrix = _timed(lambda: tie_matrix(network, directed=True))
    result: dict = {
        "officials": size,
        "persons": n,
        "directed_tie_edges": int(directed.nnz),
        "directed_ties": sum(t.directed for t in ws.ties.values()),
        "generate_s": round(t_generate, 2),
        "network_build_s": round(t_network, 3),
        "tie_matrix_s": round(t_matrix, 3),
    }
    network.memo.clear()  # the first call pays for the tie matrix and the igraph graph
    _, t_first = _timed(lambda: betweenness(network, samples=SAMPLES, seed=0, directed=True))
    sources = _sources(n, SAMPLES, 0).tolist()
    coo = directed.tocoo()
    edges = list(zip(coo.row.tolist(), coo.col.tolist(), strict=True))
    graph, t_graph = _timed(lambda: ig.Graph(n=n, edges=edges, directed=True))
    t_ours = t_igraph = float("inf")
    ours = raw = None
    for _ in range(3):
        ours, t = _timed(lambda: betweenness(network, samples=SAMPLES, seed=0, directed=True))
        t_ours = min(t_ours, t)
        raw, t = _timed(lambda: graph.betweenness(directed=True, sources=sources))
        t_igraph = min(t_igraph, t)
    k = len(sources)
    scale = np.full(n, (n - 1) / k)
    scale[sources] = (n - 1) / (k - 1)
    expected = np.asarray(raw) * scale / ((n - 1) * (n - 2))
    result.update(
        {
            "betweenness_samples": SAMPLES,
            "directed_betweenness_first_call_s": round(t_first, 3),
            "directed_betweenness_s": round(t_ours, 3),
            "igraph_graph_build_s": round(t_graph, 3),
            "igraph_directed_betweenness_s": round(t_igraph, 3),
            "ours_over_igraph": _ratio(t_ours, t_igraph),
            "ours_first_call_over_igraph": _ratio(t_first, t_igraph),
            "max_abs_diff_vs_igraph": float(np.abs(ours - expected).max()),
            "directed_betweenness_max": float(ours.max()),
        }
    )

    undirected = tie_matrix(network)
    ucoo = sp_upper(undirected)
    ugraph = ig.Graph(n=n, edges=ucoo, directed=False)
    indeg, t_indeg = _timed(lambda: centrality(network, "in-degree").values, repeat=3)
    _, t_ig_indeg = _timed(lambda: graph.indegree(), repeat=3)
    eig, t_eig = _timed(lambda: centrality(network, "eigenvector").values, repeat=3)
    theirs, t_ig_eig = _timed(lambda: ugraph.eigenvector_centrality(scale=False), repeat=3)
    theirs = np.asarray(theirs) / np.linalg.norm(theirs)
    top = set(np.argsort(-eig, kind="stable")[:20].tolist())
    top_theirs = set(np.argsort(-theirs, kind="stable")[:20].tolist())
    result.update(
        {
            "in_degree_s": round(t_indeg, 4),
            "igraph_indegree_s": round(t_ig_indeg, 4),
            "in_degree_max_diff_vs_igraph": float(
                np.abs(indeg * (n - 1) - np.asarray(graph.indegree())).max()
            ),
            "eigenvector_s": round(t_eig, 4),
            "igraph_eigenvector_s": round(t_ig_eig, 4),
            "eigenvector_top20_overlap_with_igraph": len(top & top_theirs),
        }
    )
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return result


def sp_upper(matrix) -> list[tuple[int, int]]:
    """The edges of a symmetric matrix, each once (row < column)."""
    import scipy.sparse as sp

    coo = sp.triu(matrix, k=1).tocoo()
    return list(zip(coo.row.tolist(), coo.col.tolist(), strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    results = []
    for size in args.sizes:
        row = run(size)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        results.append(row)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
