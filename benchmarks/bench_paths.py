"""Warm channels at province scale: ours vs networkx ``shortest_simple_paths``.

On a synthetic province (10^4 officials by default), draw random (owner, official)
pairs that have at least one channel within ``max_hops`` ties, and ask for the k
most reliable channels of each pair:

* ours: :func:`stakegraph.analysis.paths.warm_channels` with ``owners=[owner]``
  (Yen's algorithm backwards from the official, hop-bounded spur searches);
* networkx: ``shortest_simple_paths`` from the owner to the official on an
  equivalent ``nx.DiGraph`` (owner → person edges for relationships, person ↔
  person for ties, weight ``−log s``), taking paths in order and skipping those
  with more than ``max_hops`` ties until k are found. networkx cannot bound the
  hops itself, so a pair with fewer than k bounded channels makes it walk through
  longer paths until a cap (paths examined, seconds) stops it; capped pairs are
  counted and reported.

The strengths of both answers are compared pair by pair (only where networkx
finished). Also timed: ours from any owner (``owners=None``), the question the
inverted-triangle plan asks.

What is kept warm: the person network and its adjacency rows (built once, about
10 ms, as every plan reuses them); no channel found for one pair is kept for the
next. The networkx graphs are built beforehand (flat) or per pair, timed (layered).

Usage::

    python -m benchmarks.bench_paths [--officials 10000] [--pairs 200] [--k 3]
        [--max-hops 2] [--cap-paths 1000] [--cap-seconds 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import time
from pathlib import Path

DAY = dt.date(2026, 11, 28)
RESULTS = Path(__file__).parent / "results" / "paths.json"


def _reachable(adjacency, rows: list[int], max_hops: int) -> set[int]:
    """Persons within ``max_hops`` ties of any of ``rows`` (the rows included)."""
    seen = set(rows)
    frontier = list(rows)
    for _ in range(max_hops):
        nxt = []
        for u in frontier:
            for w in adjacency.ties(u):
                if w not in seen:
                    seen.add(w)
                    nxt.append(w)
        frontier = nxt
    return seen


def sample_pairs(network, count: int, max_hops: int, seed: int) -> list[tuple[str, str]]:
    """``count`` random (owner, official) pairs with a channel of ≤ ``max_hops`` ties."""
    from stakegraph.analysis.paths import _adjacency

    adjacency = _adjacency(network)
    rel = network.relationship.tocsr()
    rng = random.Random(seed)
    reach: dict[int, list[int]] = {}
    for o in range(len(network.owners)):
        contacts = [int(p) for p, s in zip(rel[o].indices, rel[o].data, strict=True) if s > 0]
        if contacts:
            reach[o] = sorted(_reachable(adjacency, contacts, max_hops))
    owners = sorted(reach)
    pairs = []
    for _ in range(count):
        o = rng.choice(owners)
        pairs.append((network.owners[o], network.persons[rng.choice(reach[o])]))
    return pairs


def networkx_graph(network):
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(network.persons)
    ties = network.tie_strength.tocoo()
    graph.add_weighted_edges_from(
        (network.persons[a], network.persons[b], -math.log(s))
        for a, b, s in zip(ties.row.tolist(), ties.col.tolist(), ties.data.tolist(), strict=True)
        if s > 0 and a != b
    )
    rel = network.relationship.tocoo()
    graph.add_weighted_edges_from(
        (("owner", network.owners[o]), network.persons[p], -math.log(s))
        for o, p, s in zip(rel.row.tolist(), rel.col.tolist(), rel.data.tolist(), strict=True)
        if s > 0
    )
    return graph


def networkx_channels(graph, owner, target, k, max_hops, cap_paths, cap_seconds):
    """The k best bounded channels by filtering ``shortest_simple_paths``.

    Returns (strengths, paths examined, capped: whether a cap stopped it before k).
    """
    import networkx as nx

    start = time.perf_counter()
    strengths: list[float] = []
    examined = 0
    for path in nx.shortest_simple_paths(graph, ("owner", owner), target, weight="weight"):
        examined += 1
        if len(path) - 2 <= max_hops:
            cost = sum(graph.edges[u, v]["weight"] for u, v in zip(path, path[1:], strict=False))
            strengths.append(math.exp(-cost))
            if len(strengths) == k:
                return strengths, examined, False
        if examined >= cap_paths or time.perf_counter() - start > cap_seconds:
            return strengths, examined, True
    return strengths, examined, False


def layered_channels(network, adjacency, owner, target, k, max_hops):
    """The k best bounded channels with networkx on the hop-layered graph.

    The graph holds a copy ``(person, h)`` of each person reachable from the owner
    with h ties (h ≤ max_hops), so every path in it respects the bound; paths that
    visit a person twice (in two layers) are skipped. Built per pair from the
    owner's neighbourhood; the build is part of the time.
    """
    import networkx as nx

    o = network.owner_index[owner]
    t = network.person_index[target]
    graph = nx.DiGraph()
    rel = network.relationship.tocsr()
    layer = {}
    for p, s in zip(rel[o].indices.tolist(), rel[o].data.tolist(), strict=True):
        if s > 0:
            graph.add_edge("owner", (p, 0), weight=-math.log(s))
            layer[p] = None
    frontier = list(layer)
    for h in range(max_hops):
        nxt = set()
        for u in frontier:
            if u == t:
                continue
            for w, s in adjacency.ties(u).items():
                graph.add_edge((u, h), (w, h + 1), weight=-math.log(s))
                nxt.add(w)
        frontier = sorted(nxt)
    for h in range(max_hops + 1):
        if (t, h) in graph:
            graph.add_edge((t, h), "sink", weight=0.0)
    strengths: list[float] = []
    if "sink" not in graph:
        return strengths
    for path in nx.shortest_simple_paths(graph, "owner", "sink", weight="weight"):
        persons = [node[0] for node in path[1:-1]]
        if len(set(persons)) < len(persons):
            continue
        cost = sum(graph.edges[u, v]["weight"] for u, v in zip(path, path[1:], strict=False))
        strengths.append(math.exp(-cost))
        if len(strengths) == k:
            break
    return strengths


def _compare(reference: list[list[float | None]], ours: list[list[float]]) -> dict:
    compared = mismatched = 0
    max_diff = 0.0
    for theirs, mine in zip(reference, ours, strict=True):
        if theirs is None:
            continue
        compared += 1
        if len(theirs) != len(mine):
            mismatched += 1
            continue
        diff = max(abs(a - b) for a, b in zip(theirs, mine, strict=True))
        max_diff = max(max_diff, diff)
        mismatched += diff > 1e-9
    return {"compared": compared, "mismatched": mismatched, "max_abs_diff": max_diff}


def measure(network, pairs, graph, args) -> dict:
    """Time ours and both networkx baselines on ``pairs``; compare the strengths."""
    from stakegraph.analysis.paths import _adjacency, warm_channels

    ours: list[list[float]] = []
    t0 = time.perf_counter()
    for owner, target in pairs:
        found = warm_channels(network, target, args.k, owners=[owner], max_hops=args.max_hops)
        ours.append([c.strength for c in found])
    t_ours = time.perf_counter() - t0
    assert all(ours), "every sampled pair has a channel"

    # ours from any owner: the question the inverted-triangle plan asks
    t0 = time.perf_counter()
    for _, target in pairs:
        warm_channels(network, target, args.k, max_hops=args.max_hops)
    t_any = time.perf_counter() - t0

    t_nx = slowest = 0.0
    capped = examined_total = 0
    flat: list = []
    for owner, target in pairs:
        t0 = time.perf_counter()
        theirs, examined, hit = networkx_channels(
            graph, owner, target, args.k, args.max_hops, args.cap_paths, args.cap_seconds
        )
        elapsed = time.perf_counter() - t0
        t_nx += elapsed
        slowest = max(slowest, elapsed)
        examined_total += examined
        capped += hit
        flat.append(None if hit else theirs)
    flat_check = _compare(flat, ours)

    adjacency = _adjacency(network)
    layered: list = []
    t0 = time.perf_counter()
    for owner, target in pairs:
        layered.append(layered_channels(network, adjacency, owner, target, args.k, args.max_hops))
    t_layered = time.perf_counter() - t0
    layered_check = _compare(layered, ours)

    n = len(pairs)
    return {
        "pairs": n,
        "channels_found": sum(len(x) for x in ours),
        "pairs_with_fewer_than_k": sum(len(x) < args.k for x in ours),
        "ours_s": round(t_ours, 4),
        "ours_per_pair_ms": round(1000 * t_ours / n, 3),
        "ours_any_owner_s": round(t_any, 4),
        "networkx_s": round(t_nx, 3),
        "networkx_per_pair_ms": round(1000 * t_nx / n, 2),
        "networkx_slowest_pair_s": round(slowest, 3),
        "networkx_paths_examined": examined_total,
        "networkx_capped_pairs": capped,
        "networkx_over_ours": round(t_nx / t_ours, 1) if t_ours else None,
        "networkx_compared_pairs": flat_check["compared"],
        "networkx_mismatched_pairs": flat_check["mismatched"],
        "networkx_max_abs_strength_diff": flat_check["max_abs_diff"],
        "layered_s": round(t_layered, 3),
        "layered_per_pair_ms": round(1000 * t_layered / n, 2),
        "layered_over_ours": round(t_layered / t_ours, 1) if t_ours else None,
        "layered_compared_pairs": layered_check["compared"],
        "layered_mismatched_pairs": layered_check["mismatched"],
        "layered_max_abs_strength_diff": layered_check["max_abs_diff"],
    }


def pairs_with_k(network, count: int, k: int, max_hops: int, seed: int) -> list[tuple[str, str]]:
    """``count`` random pairs that have at least k channels (drawn, then kept)."""
    from stakegraph.analysis.paths import warm_channels

    found: list[tuple[str, str]] = []
    draw = 0
    while len(found) < count and draw < 1000:
        for owner, target in sample_pairs(network, 1000, max_hops, seed + 1 + draw):
            if len(warm_channels(network, target, k, owners=[owner], max_hops=max_hops)) >= k:
                found.append((owner, target))
                if len(found) == count:
                    break
        draw += 1
    return found


def run(args) -> dict:
    from benchmarks.synthetic import generate_workspace
    from stakegraph.analysis.paths import _adjacency
    from stakegraph.graph.network import build_network

    t0 = time.perf_counter()
    ws = generate_workspace(args.officials, seed=args.seed)
    t_generate = time.perf_counter() - t0
    t0 = time.perf_counter()
    network = build_network(ws, DAY)
    t_network = time.perf_counter() - t0
    t0 = time.perf_counter()
    _adjacency(network)
    t_adjacency = time.perf_counter() - t0
    t0 = time.perf_counter()
    graph = networkx_graph(network)
    t_graph = time.perf_counter() - t0

    result = {
        "officials": args.officials,
        "persons": network.size,
        "owners": len(network.owners),
        "tie_pairs": int(network.tie_strength.nnz // 2),
        "relationships": int(network.relationship.nnz),
        "k": args.k,
        "max_hops": args.max_hops,
        "seed": args.seed,
        "networkx_cap_paths": args.cap_paths,
        "networkx_cap_seconds": args.cap_seconds,
        "generate_s": round(t_generate, 2),
        "network_build_s": round(t_network, 3),
        "adjacency_build_s": round(t_adjacency, 4),
        "networkx_graph_build_s": round(t_graph, 3),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, networkx {_networkx_version()}",
    }
    pairs = sample_pairs(network, args.pairs, args.max_hops, args.seed)
    result["random_pairs"] = measure(network, pairs, graph, args)
    if args.rich_pairs:
        rich = pairs_with_k(network, args.rich_pairs, args.k, args.max_hops, args.seed)
        result["pairs_with_k_channels"] = measure(network, rich, graph, args)
    return result


def _networkx_version() -> str:
    import networkx as nx

    return nx.__version__


def _print(name: str, r: dict, k: int) -> None:
    print(
        f"{name}: {r['pairs']} pairs, {r['channels_found']} channels "
        f"({r['pairs_with_fewer_than_k']} pairs with fewer than k={k})"
    )
    print(
        f"  ours                  {r['ours_s']:9.3f} s  ({r['ours_per_pair_ms']} ms/pair; "
        f"from any owner {r['ours_any_owner_s']} s)"
    )
    print(
        f"  networkx, flat graph  {r['networkx_s']:9.3f} s  ({r['networkx_per_pair_ms']} ms/pair, "
        f"{r['networkx_paths_examined']} paths examined, cap hit on "
        f"{r['networkx_capped_pairs']} pairs)  -> {r['networkx_over_ours']}x ours"
    )
    print(
        f"  networkx, layered     {r['layered_s']:9.3f} s  ({r['layered_per_pair_ms']} ms/pair)"
        f"  -> {r['layered_over_ours']}x ours"
    )
    print(
        f"  agreement: flat {r['networkx_compared_pairs'] - r['networkx_mismatched_pairs']}/"
        f"{r['networkx_compared_pairs']} uncapped pairs, layered "
        f"{r['layered_compared_pairs'] - r['layered_mismatched_pairs']}/"
        f"{r['layered_compared_pairs']} (max |Δ strength| "
        f"{max(r['networkx_max_abs_strength_diff'], r['layered_max_abs_strength_diff']):.1e})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officials", type=int, default=10000)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--rich-pairs", type=int, default=50, help="pairs with >= k channels")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--max-hops", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cap-paths", type=int, default=1000)
    parser.add_argument("--cap-seconds", type=float, default=2.0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    result = run(args)
    print(
        f"{result['officials']} officials, {result['tie_pairs']} ties, "
        f"{result['relationships']} relationships, {result['owners']} owners; "
        f"k={result['k']}, max_hops={result['max_hops']}; networkx capped at "
        f"{result['networkx_cap_paths']} paths or {result['networkx_cap_seconds']} s per pair"
    )
    _print("random (owner, official) pairs with a channel", result["random_pairs"], args.k)
    if "pairs_with_k_channels" in result:
        _print("pairs with at least k channels", result["pairs_with_k_channels"], args.k)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
