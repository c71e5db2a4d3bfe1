"""Ways to compute one personalised PageRank per opportunity, measured in one run.

A book of accounts runs one personalised influence per opportunity (two for a
diff). This benchmark times, on the same network and the same opportunities, each
way tried to make that cheaper, against the power iteration the library runs
(:func:`stakegraph.analysis.influence.influence`: from the unpersonalised scores
until the L1 step is under ``[influence] tolerance``):

* ``power``: the library's iteration (the reference of every difference below);
* ``push``: the unnormalised scores are linear in the teleport vector, so a
  personalised run is the cached unpersonalised one plus the resolvent of the few
  role holders' extra mass, pushed locally (:mod:`benchmarks.local_push`) to an
  L1 error that moves the scores by at most the tolerance;
* ``push_start``: a loose push (30 % of the extra mass left as residual) as the
  starting vector of the same power iteration;
* ``bicgstab``: the extra mass's resolvent by BiCGSTAB on (I − d Pᵀ) y = c, until
  the residual certifies the same bound (‖r‖₁ / (1 − d));
* ``block``: ``--block`` opportunities' teleport vectors per sparse product (one
  block power iteration until every column's step is under the tolerance).

It also times what a diff does with each result, its top ten and its role holders'
ranks, by sorting every person and by selection and counting (``--ranking-only``
runs the power iteration and that alone).

Kept warm for every idea: the network, its transition matrices and the
unpersonalised scores (built once per network in real use, not timed); nothing
of a personalised run is kept between opportunities. CPU seconds from
:func:`time.process_time` (the machine is shared; wall time would count the other
jobs' turns). Figures in ``benchmarks/results/pagerank_ideas.json``.

Usage::

    python -m benchmarks.bench_pagerank_ideas [--sizes 10000 100000] [--opportunities 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from .bench_load import machine

RESULTS = Path(__file__).resolve().parent / "results" / "pagerank_ideas.json"
DAY = dt.date(2026, 11, 28)


def _ranking(network: Any, scores: dict[str, np.ndarray], top: int = 10) -> dict[str, Any]:
    """A diff's look at each result: its top ten and the ranks of its role holders.

    Timed both ways on the same scores: the full sort (``Influence.order`` and
    ``Influence.rank``, as a diff used them) and the selection and counting of
    ``Influence.top(n)`` and ``Influence.rank_of``; the answers must be equal.
    """
    from stakegraph.analysis.influence import Influence, decision_weights

    def fresh(o: str) -> Influence:
        x = scores[o]
        return Influence(network.persons, x, x, x, x, x, 1, o, network.person_index, network)

    holders = {
        o: [network.persons[i] for i in np.flatnonzero(decision_weights(network, o))]
        for o in scores
    }
    began = time.process_time()
    by_sort = {}
    for o in scores:
        result = fresh(o)
        ranks = [int(result.rank[result.index[p]]) for p in holders[o]]
        by_sort[o] = ([result.persons[i] for i in result.order[:top]], ranks)
    sort_s = (time.process_time() - began) / len(scores)
    began = time.process_time()
    by_selection = {}
    for o in scores:
        result = fresh(o)
        by_selection[o] = (result.top(top), [result.rank_of(p) for p in holders[o]])
    selection_s = (time.process_time() - began) / len(scores)
    return {
        "sort_cpu_s": sort_s,
        "selection_cpu_s": selection_s,
        "same_answers": by_sort == by_selection,
    }


def measure(
    officials: int, count: int, block: int, push_count: int, ranking_only: bool = False
) -> dict[str, Any]:
    """Time each idea on ``count`` opportunities of one synthetic province."""
    import scipy.sparse as sp
    import scipy.sparse.linalg as sla

    from stakegraph.analysis import influence as im
    from stakegraph.graph.network import build_network

    from .local_push import SparseVector, local_resolvent
    from .synthetic import generate_workspace

    workspace = generate_workspace(officials, seed=0)
    network = build_network(workspace, DAY)
    settings = workspace.settings.influence
    d, tolerance = settings.damping, settings.tolerance
    im.influence(network)  # warm: matrices and unpersonalised scores
    walk, dangling = im._walk(network)
    walk_columns = walk.tocsc()
    base, _ = im._unpersonalised(network)
    grade = np.maximum(network.grade, 1).astype(float)
    y_g = base * grade.sum() / (1.0 - d + d * base[dangling].sum())
    system = sp.identity(network.size, format="csr") - d * walk
    opportunities = list(workspace.opportunities)[:count]
    extra = {o: grade * 3.0 * im.decision_weights(network, o) for o in opportunities}

    def teleport(o: str) -> np.ndarray:
        p = grade + extra[o]
        return p / p.sum()

    out: dict[str, Any] = {"officials": officials, "persons": network.size}
    out["edges"] = int(walk.nnz)
    reference: dict[str, np.ndarray] = {}
    ideas: dict[str, dict[str, Any]] = {}

    began = time.process_time()
    products = 0
    for o in opportunities:
        reference[o], k = im._power_iteration(network, teleport(o), base)
        products += k
    ideas["power"] = {"cpu_s": (time.process_time() - began) / count, "products": products / count}
    out["top_and_ranks_per_result"] = _ranking(network, reference)
    if ranking_only:
        out["ideas"] = ideas
        return out

    def from_extra(o: str, y_extra: np.ndarray) -> np.ndarray:
        y = y_g + y_extra
        return y / y.sum()

    def deviation(results: dict[str, np.ndarray]) -> float:
        return max(float(np.abs(results[o] - reference[o]).sum()) for o in results)

    # the push to the tolerance (slow: on few opportunities)
    pushed: dict[str, np.ndarray] = {}
    touched = 0
    rounds = 0
    began = time.process_time()
    for o in opportunities[:push_count]:
        c = extra[o]
        seeds = np.flatnonzero(c)
        wanted = tolerance * (y_g.sum() + c.sum()) / 2.0
        solution = local_resolvent(
            walk_columns, d, SparseVector(network.size, seeds, c[seeds]), wanted
        )
        pushed[o] = from_extra(o, solution.estimate.dense())
        touched += solution.touched
        rounds += solution.rounds
    ideas["push"] = {
        "cpu_s": (time.process_time() - began) / push_count,
        "rounds": rounds / push_count,
        "touched_share": touched / push_count / network.size,
        "opportunities": push_count,
        "largest_l1_from_power": deviation(pushed),
    }

    started: dict[str, np.ndarray] = {}
    touched = products = 0
    began = time.process_time()
    for o in opportunities:
        c = extra[o]
        seeds = np.flatnonzero(c)
        loose = local_resolvent(
            walk_columns, d, SparseVector(network.size, seeds, c[seeds]), 0.3 * c.sum() / (1 - d)
        )
        start = from_extra(o, loose.estimate.dense())
        started[o], k = im._power_iteration(network, teleport(o), start)
        touched += loose.touched
        products += k + loose.rounds
    ideas["push_start"] = {
        "cpu_s": (time.process_time() - began) / count,
        "products": products / count,
        "touched_share": touched / count / network.size,
        "largest_l1_from_power": deviation(started),
    }

    solved: dict[str, np.ndarray] = {}
    products = 0
    began = time.process_time()
    for o in opportunities:
        c = extra[o]
        target = tolerance * (y_g.sum() + c.sum()) / 2.0 * (1 - d)
        calls = [0]

        def product(v: np.ndarray, calls: list[int] = calls) -> np.ndarray:
            calls[0] += 1
            return system @ v

        operator = sla.LinearOperator(system.shape, matvec=product)
        y, _ = sla.bicgstab(operator, c, rtol=target / np.linalg.norm(c) / 10, atol=0.0)
        # certified: the residual bounds the error, whatever the solver did
        residual = float(np.abs(c - system @ y).sum())
        solved[o] = from_extra(o, y)
        products += calls[0] + 1
        if residual > target:
            ideas.setdefault("bicgstab_uncertified", {"opportunities": 0})["opportunities"] += 1
    ideas["bicgstab"] = {
        "cpu_s": (time.process_time() - began) / count,
        "products": products / count,
        "largest_l1_from_power": deviation(solved),
    }

    blocked: dict[str, np.ndarray] = {}
    products = 0
    began = time.process_time()
    for first in range(0, count, block):
        chunk = opportunities[first : first + block]
        p = np.column_stack([teleport(o) for o in chunk])
        x = np.repeat(base[:, None], len(chunk), axis=1)
        for _ in range(settings.max_iterations):
            nxt = d * (walk @ x) + (d * x[dangling].sum(axis=0) + 1.0 - d) * p
            nxt /= nxt.sum(axis=0)
            step = np.abs(nxt - x).sum(axis=0)
            x = nxt
            products += 1
            if (step < tolerance).all():
                break
        blocked.update({o: x[:, j] for j, o in enumerate(chunk)})
    ideas["block"] = {
        "cpu_s": (time.process_time() - began) / count,
        "block": block,
        "block_products": products,
        "largest_l1_from_power": deviation(blocked),
    }
    out["ideas"] = ideas
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: each idea at each size, printed and written as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_pagerank_ideas")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--opportunities", type=int, default=10)
    parser.add_argument("--push-opportunities", type=int, default=2)
    parser.add_argument("--block", type=int, default=8)
    parser.add_argument(
        "--ranking-only", action="store_true", help="time the power iteration and the ranking"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    sizes = []
    for size in args.sizes:
        print(f"{size:,} officials …", file=sys.stderr, flush=True)
        result = measure(
            size, args.opportunities, args.block, args.push_opportunities, args.ranking_only
        )
        print(f"{size:,}: top ten and ranks: {json.dumps(result['top_and_ranks_per_result'])}")
        sizes.append(result)
        power = result["ideas"]["power"]["cpu_s"]
        for name, row in result["ideas"].items():
            if "cpu_s" in row:
                print(
                    f"{size:,}: {name}: {row['cpu_s'] * 1000:.1f} ms CPU per opportunity "
                    f"({row['cpu_s'] / power:.2f}× power) {json.dumps(row)}"
                )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"machine": machine(), "day": DAY.isoformat(), "sizes": sizes}
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
