"""The push benchmark's codec comparison runs, and its two sides use different codecs."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.neo4j


def test_the_codec_comparison_alternates_python_and_rust(neo4j_connection, monkeypatch):
    from benchmarks.bench_push import run_ab

    monkeypatch.setenv("NEO4J_URI", neo4j_connection.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_connection.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_connection.password)
    result = run_ab(officials=30, rounds=1, batch_size=500, heap="1g", pagecache="256m")
    assert [run["codec"] for run in result["runs"]] == ["python", "rust"]
    assert set(result["median"]) == {"python", "rust"}
    for run in result["runs"]:
        assert run["push_s"] > 0 and run["pull_s"] > 0
        assert run["push_client_cpu_s"] >= 0 and run["pull_client_cpu_s"] >= 0
