"""The book-of-accounts analyses at region scale: time per call and peak memory.

For each size, a fresh Python process generates the synthetic province
(:mod:`benchmarks.synthetic`, with its interactions, re-assessments and plan
actions, plus :func:`~benchmarks.synthetic.add_satisfaction`: a survey per five
officials and an improvement per four surveys), times :func:`~stakegraph.graph.timeline.workspace_on` and
:func:`~stakegraph.graph.network.build_network` for 2026-11-28, and then, on
that one network, times each analysis the book of accounts draws on:

* ``evidence`` (every relationship), ``level_changes``, ``trend`` for the person
  with the most re-assessments (:mod:`stakegraph.analysis.evidence`);
* ``satisfaction`` (:mod:`stakegraph.analysis.satisfaction`);
* ``relationship_kinds`` (:mod:`stakegraph.analysis.relationship_kinds`);
* ``dark_horses`` (:mod:`stakegraph.analysis.darkhorses`);
* ``portfolio`` (:mod:`stakegraph.analysis.portfolio`);
* ``review`` (:mod:`stakegraph.analysis.review`);
* ``diff`` from 2026-06-01 to 2026-11-28 and ``changes_since_review``
  (:mod:`stakegraph.analysis.diff`);
* ``accounts_report`` (:func:`stakegraph.views.report.accounts_report`, the whole section).

Each analysis is called once, with the network's memo emptied first, so its
time includes the shared work it needs (influence matrix, warm cover,
betweenness) as it would be alone, and after a full cycle collection (not
timed), so that a collection owed by earlier work does not land on it; the time
spent in the cycle collector during the call is recorded as well. A call that
runs longer than ``--limit-seconds`` is stopped and recorded as too slow.

Wall times come from :func:`time.perf_counter`, peak memory from
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of the child. The figures are
printed as a Markdown table and written to ``benchmarks/results/accounts.json``.
``--only NAME ...`` times a few analyses and ``--profile NAME ...`` runs them
under :mod:`cProfile`, printing where the time went; with either, the JSON is
written only when ``--out`` is given, so the full figures are not overwritten.

Usage::

    python -m benchmarks.bench_accounts [--sizes 10000 100000] [--seed 0]
        [--limit-seconds 300] [--only NAME ...] [--profile NAME ...] [--out FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import pstats
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .bench_load import _peak_mib, _rss_mib, code_digest, machine

RESULTS = Path(__file__).resolve().parent / "results" / "accounts.json"
ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 11, 28)
DIFF_FROM = dt.date(2026, 6, 1)

#: The analyses timed on the network, in the order they run.
ANALYSES = (
    "evidence",
    "level_changes",
    "trend",
    "satisfaction",
    "relationship_kinds",
    "dark_horses",
    "portfolio",
    "review",
    "diff",
    "changes_since_review",
    "accounts_report",
)
#: Row labels of the printed table.
LABELS = {
    "workspace_on": "`workspace_on` (as-of overlay)",
    "build_network": "`build_network` (includes `workspace_on`)",
    "evidence": "`evidence`, every relationship",
    "level_changes": "`level_changes`",
    "trend": "`trend`, one person",
    "satisfaction": "`satisfaction`",
    "relationship_kinds": "`relationship_kinds`",
    "dark_horses": "`dark_horses`",
    "portfolio": "`portfolio`",
    "review": "`review`",
    "diff": "`diff` 2026-06-01 → 2026-11-28",
    "changes_since_review": "`changes_since_review`",
    "accounts_report": "`accounts_report` (whole section)",
}


class TooSlow(Exception):
    """Raised inside an analysis when it has run longer than the limit."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TooSlow` in the block once it has run ``seconds`` (0: no limit)."""
    if seconds <= 0:
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _CollectorClock:
    """Seconds spent in Python's cycle collector, through ``gc.callbacks``."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._began = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._began


def _timed(func: Callable[[], Any], clock: _CollectorClock) -> tuple[Any, float, float]:
    """Run ``func`` after a full collection; its result, seconds and collector seconds.

    The collection beforehand (not timed) starts every call with the same debt, so
    a full pass owed by earlier work does not land on whichever call comes next.
    """
    gc.collect()
    clock.seconds = 0.0
    began = time.perf_counter()
    value = func()
    return value, time.perf_counter() - began, clock.seconds


def _profiled(func: Callable[[], Any], top: int = 30) -> Callable[[], Any]:
    """``func`` under cProfile; the hottest calls are printed to stderr when it ends."""

    def run() -> Any:
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            return func()
        finally:
            profiler.disable()
            for order in ("tottime", "cumulative"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
                print(f"--- profile by {order}\n{out.getvalue()}", file=sys.stderr, flush=True)

    return run


def _trend_person(workspace: Any) -> str:
    """The person with the most re-assessments (ties: smallest id), else the first."""
    counts: dict[str, int] = {}
    for item in workspace.assessments.values():
        counts[item.person] = counts.get(item.person, 0) + 1
    if not counts:
        return next(iter(workspace.persons))
    return min(counts, key=lambda p: (-counts[p], p))


def _calls(workspace: Any, network: Any, person: str) -> dict[str, Callable[[], Any]]:
    """Each analysis as a call returning a short summary of what it found."""
    from stakegraph.analysis.darkhorses import dark_horses
    from stakegraph.analysis.diff import changes_since_review, diff
    from stakegraph.analysis.evidence import evidence, level_changes, trend
    from stakegraph.analysis.portfolio import portfolio
    from stakegraph.analysis.relationship_kinds import relationship_kinds
    from stakegraph.analysis.review import last_review_date, review
    from stakegraph.analysis.satisfaction import satisfaction
    from stakegraph.views.report import accounts_report

    view = network.workspace

    def do_evidence() -> dict[str, Any]:
        rows = evidence(network)
        return {"rows": len(rows), "flagged": sum(1 for r in rows if r.flags)}

    def do_satisfaction() -> dict[str, Any]:
        result = satisfaction(view, DAY)
        return {
            "accounts": len(result.accounts),
            "complaints": len(result.complaints),
            "improvements": len(result.improvements),
        }

    def do_kinds() -> dict[str, Any]:
        result = relationship_kinds(network)
        return {"accounts": len(result.accounts)}

    def do_portfolio() -> dict[str, Any]:
        result = portfolio(network)
        return {"accounts": len(result.accounts), "key_persons": len(result.key_persons)}

    def do_review() -> dict[str, Any]:
        result = review(network)
        return {"actions": len(result.actions), "planned": result.totals.planned}

    def do_diff() -> dict[str, Any]:
        result = diff(workspace, DIFF_FROM, DAY)
        return {
            "rotations": len(result.rotations),
            "level_changes": len(result.level_changes),
            "opportunities": len(result.opportunities),
        }

    def do_since() -> dict[str, Any]:
        result = changes_since_review(workspace, DAY)
        since = last_review_date(workspace, DAY)
        return {
            "since": since.isoformat() if since else None,
            "opportunities": len(result.opportunities) if result else 0,
        }

    def do_report() -> dict[str, Any]:
        result = accounts_report(network)
        return {
            "since_review": result["since_review"] is not None,
            **{key: len(result[key]) for key in ("level_changes", "dark_horses", "overdue")},
        }

    return {
        "evidence": do_evidence,
        "level_changes": lambda: {"rows": len(level_changes(view, DAY))},
        "trend": lambda: {"person": person, "rows": len(trend(workspace, person))},
        "satisfaction": do_satisfaction,
        "relationship_kinds": do_kinds,
        "dark_horses": lambda: {"rows": len(dark_horses(network))},
        "portfolio": do_portfolio,
        "review": do_review,
        "diff": do_diff,
        "changes_since_review": do_since,
        "accounts_report": do_report,
    }


def measure(
    officials: int,
    seed: int,
    limit: float,
    only: list[str] | None = None,
    profile: list[str] | None = None,
) -> dict[str, Any]:
    """Generate one size and time every analysis on its network.

    Meant to run in a fresh process: the peak RSS it reports is that of the process.
    """
    import stakegraph
    from stakegraph.graph.network import build_network
    from stakegraph.graph.timeline import workspace_on

    from .synthetic import add_satisfaction, generate_workspace

    out: dict[str, Any] = {"officials": officials, "rss_start_mib": _rss_mib()}
    out["code"] = code_digest(Path(stakegraph.__file__).resolve().parent)
    began = time.perf_counter()
    workspace = generate_workspace(officials, seed=seed)
    add_satisfaction(workspace, seed=seed)
    out["generate_s"] = time.perf_counter() - began
    out["counts"] = {c: n for c, n in workspace.counts().items() if n}
    out["records"] = sum(out["counts"].values())
    out["rss_after_generate_mib"] = _rss_mib()

    clock = _CollectorClock()
    gc.callbacks.append(clock)
    _, out["workspace_on_s"], out["workspace_on_gc_s"] = _timed(
        lambda: workspace_on(workspace, DAY), clock
    )
    network, out["build_network_s"], out["build_network_gc_s"] = _timed(
        lambda: build_network(workspace, DAY), clock
    )
    out["rss_after_network_mib"] = _rss_mib()
    out["persons"] = network.size

    person = _trend_person(workspace)
    calls = _calls(workspace, network, person)
    analyses: dict[str, dict[str, Any]] = {}
    for name in ANALYSES:
        if only and name not in only:
            continue
        print(f"  {officials:,}: {name} …", file=sys.stderr, flush=True)
        network.memo.clear()
        call = _profiled(calls[name]) if profile and name in profile else calls[name]
        entry: dict[str, Any] = {}
        gc.collect()
        clock.seconds = 0.0
        began, began_cpu = time.perf_counter(), time.process_time()
        try:
            with _time_limit(limit):
                entry["found"] = call()
        except TooSlow:
            entry["too_slow"] = True
        entry["seconds"] = time.perf_counter() - began
        # CPU seconds of this process: on a shared machine the wall time also counts
        # the other jobs' turns on the cores
        entry["cpu_s"] = time.process_time() - began_cpu
        entry["gc_s"] = clock.seconds
        entry["peak_rss_mib"] = _peak_mib()
        analyses[name] = entry
        print(
            f"  {officials:,}: {name} {entry['seconds']:.2f} s"
            + (" (stopped: too slow)" if entry.get("too_slow") else ""),
            file=sys.stderr,
            flush=True,
        )
    gc.callbacks.remove(clock)
    out["analyses"] = analyses
    out["peak_rss_mib"] = _peak_mib()
    return out


def _child(officials: int, args: argparse.Namespace, tree: Path | None = None) -> dict[str, Any]:
    """Measure one size in a fresh interpreter and return its figures.

    With ``tree``, the child imports ``stakegraph`` from that folder (a copy of the
    code to compare with, e.g. ``git archive REV stakegraph | tar -x -C DIR``) and
    the benchmark and generator from this one, so both sides time the same calls
    on the same synthetic province.
    """
    arguments = [
        "--child",
        str(officials),
        "--seed",
        str(args.seed),
        "--limit-seconds",
        str(args.limit_seconds),
    ]
    if args.only:
        arguments += ["--only", *args.only]
    if args.profile:
        arguments += ["--profile", *args.profile]
    if tree is None:
        command = [sys.executable, "-m", "benchmarks.bench_accounts", *arguments]
    else:
        start = (
            f"import sys, runpy; sys.path[:0] = [{str(tree)!r}, {str(ROOT)!r}]; "
            "runpy.run_module('benchmarks.bench_accounts', run_name='__main__', alter_sys=True)"
        )
        command = [sys.executable, "-c", start, *arguments]
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the measurement at {officials:,} officials failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median_of(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The first round's figures with each analysis's seconds the median over rounds."""
    out = json.loads(json.dumps(rounds[0]))
    for name, entry in out["analyses"].items():
        for field in ("seconds", "cpu_s"):
            values = sorted(r["analyses"][name][field] for r in rounds)
            entry[field] = values[len(values) // 2]
        entry["too_slow"] = any(r["analyses"][name].get("too_slow") for r in rounds)
        entry["rounds"] = len(rounds)
    return out


def compare(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """Per analysis: CPU and wall seconds of both sides and ours over theirs."""
    out: dict[str, dict[str, float | None]] = {}
    for name, entry in ours["analyses"].items():
        other = theirs["analyses"].get(name)
        if other is None:
            continue
        row: dict[str, float | None] = {}
        for field in ("cpu_s", "seconds"):
            a, b = entry.get(field), other.get(field)
            row[f"ours_{field}"], row[f"baseline_{field}"] = a, b
            slow = entry.get("too_slow") or other.get("too_slow")
            row[f"ratio_{field}"] = a / b if a is not None and b and not slow else None
        row["baseline_stopped"] = 1.0 if other.get("too_slow") else 0.0
        out[name] = row
    return out


def _seconds(result: dict[str, Any], name: str) -> tuple[float | None, bool]:
    """Seconds of one row and whether the call was stopped as too slow."""
    if f"{name}_s" in result:
        return result[f"{name}_s"], False
    entry = result["analyses"].get(name)
    if entry is None:
        return None, False
    return entry["seconds"], bool(entry.get("too_slow"))


def scaling(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Between consecutive sizes: how much more time each call took per record.

    A ratio near 1 means linear scaling; 10 would mean time grew with the square of
    the size over a tenfold step. Calls stopped as too slow have no ratio.
    """
    out = []
    for small, large in zip(results, results[1:], strict=False):
        records = large["records"] / small["records"]
        ratios: dict[str, float | None] = {}
        for name in LABELS:
            a, slow_a = _seconds(small, name)
            b, slow_b = _seconds(large, name)
            ok = a and b is not None and not (slow_a or slow_b)
            ratios[name] = b / a / records if ok else None
        out.append(
            {
                "from": small["officials"],
                "to": large["officials"],
                "records_ratio": records,
                "per_record_ratio": ratios,
            }
        )
    return out


def _cell(seconds: float | None, slow: bool) -> str:
    if seconds is None:
        return "–"
    if slow:
        return f"> {seconds:.0f} (stopped)"
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def table(results: list[dict[str, Any]], steps: list[dict[str, Any]]) -> str:
    """The figures as a Markdown table: one row per call, one column per size."""
    ratio_heads = [f"per record {s['from']:,} → {s['to']:,}" for s in steps]
    heads = ["seconds per call", *(f"{r['officials']:,} officials" for r in results), *ratio_heads]
    lines = ["| " + " | ".join(heads) + " |", "|---|" + "---:|" * (len(heads) - 1)]
    lines.append(
        "| records (persons) | "
        + " | ".join(f"{r['records']:,} ({r['persons']:,})" for r in results)
        + " |" * (len(steps) + 1)
    )
    for name, label in LABELS.items():
        cells = [_cell(*_seconds(r, name)) for r in results]
        if all(c == "–" for c in cells):
            continue
        ratios = [s["per_record_ratio"][name] for s in steps]
        cells += ["–" if v is None else f"{v:.2f}" for v in ratios]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append(
        "| peak RSS, MiB (after network) | "
        + " | ".join(
            f"{r['peak_rss_mib']:,.0f} ({r['rss_after_network_mib']:,.0f})" for r in results
        )
        + " |" * (len(steps) + 1)
    )
    return "\n".join(lines).replace("|  |", "| |")


def main(argv: list[str] | None = None) -> int:
    """Command line: measure the sizes asked for and write the JSON figures."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_accounts",
        description="Time per call and peak memory of the book-of-accounts analyses.",
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--limit-seconds",
        type=float,
        default=300.0,
        help="stop an analysis after this long and record it as too slow (0: no limit)",
    )
    parser.add_argument("--only", nargs="+", choices=ANALYSES, help="time only these analyses")
    parser.add_argument(
        "--profile", nargs="+", choices=ANALYSES, help="run these analyses under cProfile"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help=f"JSON file (default {RESULTS} for a full run)"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="a folder holding the stakegraph package to compare with; each size is "
        "measured with it and with this code in turn, in the same run",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="with --baseline: measure both this many times in turns and keep the medians",
    )
    parser.add_argument("--child", type=int, metavar="OFFICIALS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        result = measure(args.child, args.seed, args.limit_seconds, args.only, args.profile)
        print(json.dumps(result))
        return 0

    from stakegraph.progress import Progress

    results = []
    baselines: list[dict[str, Any]] = []
    with Progress("sizes measured", total=len(args.sizes)) as progress:
        for size in sorted(args.sizes):
            print(f"{size:,} officials: generating, measuring …", file=sys.stderr, flush=True)
            if args.baseline is None:
                results.append(_child(size, args))
            else:
                # in turns, ours then the baseline, so both see the same machine load
                ours_rounds, their_rounds = [], []
                for turn in range(args.rounds):
                    print(f"{size:,} officials: round {turn + 1} …", file=sys.stderr, flush=True)
                    ours_rounds.append(_child(size, args))
                    their_rounds.append(_child(size, args, args.baseline.resolve()))
                results.append(_median_of(ours_rounds))
                baselines.append(_median_of(their_rounds))
            progress.advance()
    steps = scaling(results)
    report: dict[str, Any] = {
        "machine": machine(),
        "day": DAY.isoformat(),
        "limit_seconds": args.limit_seconds,
        "sizes": results,
        "scaling": steps,
    }
    print(table(results, steps))
    if baselines:
        report["baseline"] = {
            "code": code_digest(args.baseline.resolve() / "stakegraph"),
            "sizes": baselines,
            "ours_over_baseline": {
                str(ours["officials"]): compare(ours, theirs)
                for ours, theirs in zip(results, baselines, strict=True)
            },
        }
        for size, rows in report["baseline"]["ours_over_baseline"].items():
            print(f"\n{int(size):,} officials, CPU s: ours / baseline (ratio)")
            for name, row in rows.items():
                ratio = row["ratio_cpu_s"]
                print(
                    f"  {name}: {row['ours_cpu_s']:.3f} / {row['baseline_cpu_s']:.3f}"
                    + (f" ({ratio:.3f})" if ratio is not None else " (baseline stopped)")
                )
    out = args.out or (None if args.only or args.profile else RESULTS)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nfigures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
