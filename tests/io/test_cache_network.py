"""The day's network kept in the cache: always the network the files give, built once."""

from __future__ import annotations

import copy
import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
import yaml

from stakegraph.graph import stored_network
from stakegraph.graph.network import PersonNetwork, build_network
from stakegraph.graph.stored_network import network_on
from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.cache import cache_folder
from stakegraph.records.model import RECORD_TYPES
from tests.builders import DAY, ROOT, SMART_CITY, run_cli

pytestmark = pytest.mark.usefixtures("own_cache_secret")


class Builds:
    """Counts the networks built rather than read from the cache."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = stored_network.build_network

        def counted(workspace, day, **kwargs):
            self.count += 1
            return original(workspace, day, **kwargs)

        monkeypatch.setattr(stored_network, "build_network", counted)

    def take(self) -> int:
        count, self.count = self.count, 0
        return count


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Builds:
    return Builds(monkeypatch)


def assert_same_network(got: PersonNetwork, expected: PersonNetwork) -> None:
    """Every field equal, the matrices to the stored array (not only to the values)."""
    for name in stored_network._FIELDS:
        a, b = getattr(got, name), getattr(expected, name)
        assert type(a) is type(b), name
        if sp.issparse(a):
            assert a.shape == b.shape and a.dtype == b.dtype, name
            for part in ("data", "indices", "indptr"):
                assert np.array_equal(getattr(a, part), getattr(b, part)), (name, part)
        elif isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and np.array_equal(a, b), name
        else:
            assert a == b, name
            assert list(a) == list(b), name  # the same order
    assert got.day == expected.day
    assert got.workspace == expected.workspace
    assert got.source_workspace is not None and got.source_workspace == expected.source_workspace


def _derived(path: Path) -> list[Path]:
    return sorted(cache_folder(path).glob("*.derived"))


def test_the_second_command_reads_the_same_network_back(city: Path, builds: Builds) -> None:
    ws = load_workspace(city, cache=True)
    built = network_on(ws, DAY)
    assert builds.take() == 1 and len(_derived(city)) == 3  # relationships, ties, structure
    assert_same_network(built, build_network(load_workspace(city), DAY))
    again = load_workspace(city, cache=True)
    stored = network_on(again, DAY)
    assert builds.take() == 0
    assert stored.source_workspace is again
    assert_same_network(stored, build_network(load_workspace(city), DAY))


def test_another_day_is_built_and_replaces_the_entry(city: Path, builds: Builds) -> None:
    network_on(load_workspace(city, cache=True), DAY)
    later = DAY + dt.timedelta(days=400)
    got = network_on(load_workspace(city, cache=True), later)
    assert builds.take() == 2 and len(_derived(city)) == 3
    assert_same_network(got, build_network(load_workspace(city), later))
    network_on(load_workspace(city, cache=True), later)
    assert builds.take() == 0


def _edit_first(path: Path, field: str, value: object) -> None:
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[0][field] = value
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_an_edit_of_every_record_kind_builds_the_network_again(city: Path, builds) -> None:
    network_on(load_workspace(city, cache=True), DAY)
    builds.take()
    kinds = [t.collection for t in RECORD_TYPES if (city / f"{t.collection}.yaml").exists()]
    assert len(kinds) >= 10
    for collection in kinds:
        _edit_first(city / f"{collection}.yaml", "notes", f"edited {collection}")
        got = network_on(load_workspace(city, cache=True), DAY)
        assert builds.take() == 1, collection
        assert_same_network(got, build_network(load_workspace(city), DAY))


def test_an_edited_tie_changes_the_network_read(city: Path) -> None:
    before = network_on(load_workspace(city, cache=True), DAY)
    ties = yaml.safe_load((city / "ties.yaml").read_text(encoding="utf-8"))
    old = ties[0]["strength"]
    _edit_first(city / "ties.yaml", "strength", 0.05 if old > 0.5 else 0.95)
    after = network_on(load_workspace(city, cache=True), DAY)
    assert (before.tie_strength != after.tie_strength).nnz > 0
    assert_same_network(after, build_network(load_workspace(city), DAY))


def test_settings_are_part_of_the_key(city: Path, builds: Builds) -> None:
    network_on(load_workspace(city, cache=True), DAY)
    (city / "stakegraph.toml").write_text('[ties]\nstrength = "noisy_or"\n', encoding="utf-8")
    got = network_on(load_workspace(city, cache=True), DAY)
    assert builds.take() == 2
    assert_same_network(got, build_network(load_workspace(city), DAY))


def test_other_graph_code_builds_again(city: Path, builds, monkeypatch) -> None:
    network_on(load_workspace(city, cache=True), DAY)
    monkeypatch.setattr(stored_network, "_graph_code", lambda: b"other code")
    network_on(load_workspace(city, cache=True), DAY)
    assert builds.take() == 2


def test_only_the_workspace_as_read_uses_the_cache(city: Path, builds: Builds) -> None:
    plain = load_workspace(city)
    network_on(plain, DAY)
    assert builds.take() == 1 and _derived(city) == []
    ws = load_workspace(city, cache=True)
    network_on(copy.copy(ws), DAY)
    assert builds.take() == 1 and _derived(city) == []


@pytest.mark.parametrize("which", [0, 1, 2])
@pytest.mark.parametrize("damage", [lambda d: d[:-7], lambda d: d[:-1] + bytes([d[-1] ^ 1])])
def test_a_damaged_network_entry_is_built_again(city: Path, builds, damage, which: int) -> None:
    network_on(load_workspace(city, cache=True), DAY)
    entry = _derived(city)[which]  # each of its three parts, in whatever order they sort
    entry.write_bytes(damage(entry.read_bytes()))
    got = network_on(load_workspace(city, cache=True), DAY)
    assert builds.take() == 2
    assert_same_network(got, build_network(load_workspace(city), DAY))
    network_on(load_workspace(city, cache=True), DAY)
    assert builds.take() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_csv_and_workbook_networks_are_kept_too(tmp_path: Path, builds, fmt: str) -> None:
    path = tmp_path / ("city.xlsx" if fmt == "xlsx" else "city-csv")
    save_workspace(load_workspace(SMART_CITY), path, fmt)
    network_on(load_workspace(path, cache=True), DAY)
    got = network_on(load_workspace(path, cache=True), DAY)
    assert builds.take() == 1
    assert_same_network(got, build_network(load_workspace(path), DAY))


def test_no_cache_commands_leave_no_network(city: Path) -> None:
    args = ["gaps", city, "-o", "smart-city", "--as-of", DAY, "--json"]
    plain = run_cli(["--no-cache", *args])
    assert plain.exit_code == 0, plain.output
    assert not cache_folder(city).exists()
    cold, warm = run_cli(args), run_cli(args)
    assert len(_derived(city)) == 3
    assert plain.output == cold.output == warm.output


def test_two_processes_at_once_leave_a_sound_network(city: Path, builds: Builds) -> None:
    import os

    script = textwrap.dedent(
        f"""
        import datetime as dt
        from stakegraph.graph.stored_network import network_on
        from stakegraph.io import load_workspace
        for days in range(4):  # a new day each time: each process stores, and replaces
            network_on(load_workspace({str(city)!r}, cache=True), dt.date(2026, 11, 28 - days))
        """
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    procs = [subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert not list(cache_folder(city).glob("*.tmp"))
    assert len(_derived(city)) == 3
    day = DAY - dt.timedelta(days=3)
    got = network_on(load_workspace(city, cache=True), day)
    assert builds.take() == 0  # the last day, stored whole by one of them
    assert_same_network(got, build_network(load_workspace(city), day))
