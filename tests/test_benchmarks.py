"""The benchmarks time the work they name, not a look-up of a result kept from before."""

from __future__ import annotations

import json
import os

import pytest

from benchmarks import bench_analysis, bench_rotation, bench_time
from benchmarks.bench_load import size_options
from stakegraph.analysis import influence as influence_module
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from tests.builders import DAY, SMART_CITY


@pytest.fixture
def network():
    return build_network(load_workspace(SMART_CITY), DAY)


def test_every_timed_pagerank_runs_the_power_iteration(network, monkeypatch) -> None:
    iterations: list[int] = []
    original = influence_module._power_iteration

    def counted(*args, **kwargs):
        result = original(*args, **kwargs)
        iterations.append(result[1])
        return result

    monkeypatch.setattr(influence_module, "_power_iteration", counted)
    baseline_calls: list[int] = []
    times = bench_analysis.time_pagerank(
        network, repeat=3, baseline=lambda: baseline_calls.append(1) or "theirs"
    )
    assert len(iterations) == 1 + 3  # the first call and each of the three timed ones
    assert all(n > 1 for n in iterations)
    assert len(baseline_calls) == 3 and times.baseline_result == "theirs"
    assert times.first > 0 and times.best > 0 and times.baseline_best is not None
    assert times.result.score.sum() == pytest.approx(1.0)


def test_without_emptying_a_second_call_would_time_a_look_up(network, monkeypatch) -> None:
    iterations: list[int] = []
    original = influence_module._power_iteration
    monkeypatch.setattr(
        influence_module,
        "_power_iteration",
        lambda *a, **k: iterations.append(1) or original(*a, **k),
    )
    influence_module.influence(network)
    influence_module.influence(network)
    assert len(iterations) == 1  # what the harness empties the memo against


def test_the_time_benchmark_runs_at_a_tiny_size_with_time_on_one_side_only() -> None:
    result = bench_time.measure(300, repeat=1)
    added, resolved = result["added"], result["resolved"]
    assert added["reforms"] > added["reformed organisations"] > 0
    assert added["reshuffles"] > 0 and added["acting tenures"] > 0 and added["dated lines"] > 0
    assert result["records"]["with"] > result["records"]["without"]
    # the same chains on both sides; only the side with time resolves through reforms and acting
    assert resolved["with"]["roles"] == resolved["without"]["roles"] > 0
    assert resolved["without"]["through a reform"] == resolved["without"]["acting"] == 0
    assert resolved["with"]["through a reform"] > 0 and resolved["with"]["acting"] > 0
    for side in ("with", "without"):
        assert result["seconds"][side]["load"] > 0 and result["seconds"][side]["as_of"] > 0
    assert result["ratio"]["load"] == pytest.approx(
        result["seconds"]["with"]["load"] / result["seconds"]["without"]["load"]
    )


def test_each_timed_book_analysis_runs_its_pageranks_afresh(monkeypatch) -> None:
    # bench_accounts empties the network's memo before each call, so every timed
    # call pays for its own unpersonalised iteration and one per opportunity
    from benchmarks import bench_accounts
    from benchmarks.synthetic import generate_workspace

    iterations: list[int] = []
    original = influence_module._power_iteration

    def counted(*args, **kwargs):
        result = original(*args, **kwargs)
        iterations.append(result[1])
        return result

    monkeypatch.setattr(influence_module, "_power_iteration", counted)
    opportunities = len(generate_workspace(300, seed=0).opportunities)
    result = bench_accounts.measure(300, seed=0, limit=0, only=["dark_horses", "portfolio", "diff"])
    timed = result["analyses"]
    assert set(timed) == {"dark_horses", "portfolio", "diff"}
    assert timed["portfolio"]["found"]["accounts"] > 0
    assert all(timed[name]["cpu_s"] > 0 and timed[name]["seconds"] > 0 for name in timed)
    # dark horses and portfolio share the network, so portfolio runs the
    # unpersonalised iteration only because the memo was emptied in between, then one
    # per opportunity; diff does both on each of its two days' networks
    assert len(iterations) == 1 + (1 + opportunities) + 2 * (1 + opportunities)
    assert all(n > 1 for n in iterations)


def test_the_options_of_a_benchmark_by_size_default_to_the_province_sizes(tmp_path) -> None:
    parser = size_options("What it times.\n\nHow.", tmp_path / "figures.json")
    assert parser.description == "What it times."
    args = parser.parse_args([])
    assert (args.sizes, args.repeat, args.seed) == ([10_000, 100_000], 3, 0)
    assert args.out == tmp_path / "figures.json"


@pytest.mark.parametrize("benchmark", [bench_rotation, bench_time], ids=["rotation", "time"])
def test_a_benchmark_by_size_writes_its_figures_with_the_machine(benchmark, tmp_path) -> None:
    out = tmp_path / "results" / "figures.json"
    assert benchmark.main(["--sizes", "300", "--repeat", "1", "--out", str(out)]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert set(written) == {"machine", "results"}
    assert written["machine"]["cpus"] == os.cpu_count()
    assert [r["officials"] for r in written["results"]] == [300]
