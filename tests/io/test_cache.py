"""The cache of validated records: always what the files say, and only changed files parsed."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from stakegraph.io import cache as cache_module
from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.cache import CACHE_FOLDER, cache_folder, clear_cache
from stakegraph.records.model import RECORD_TYPES
from tests.builders import DAY, ROOT, SMART_CITY, run_cli

pytestmark = pytest.mark.usefixtures("own_cache_secret")

BROKEN = ROOT / "tests" / "broken"


class Parses:
    """Counts the files the cache parses (YAML files, CSV table groups, workbooks)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files: list[str] = []
        original = cache_module._validated

        def counted(unit, validator, progress):
            self.files.append(unit.name)
            return original(unit, validator, progress)

        monkeypatch.setattr(cache_module, "_validated", counted)

    def take(self) -> list[str]:
        files, self.files = self.files, []
        return sorted(files)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Parses:
    return Parses(monkeypatch)


def same(path: Path) -> None:
    """The cached read equals a read without the cache, records, warnings and locations."""
    cached = load_workspace(path, cache=True)
    plain = load_workspace(path, cache=False)
    assert cached == plain
    assert cached.as_data() == plain.as_data()
    assert [p.format() for p in cached.warnings] == [p.format() for p in plain.warnings]
    assert cached.invalid_ids == plain.invalid_ids
    assert cached.settings_text == plain.settings_text
    assert cached.name == plain.name
    assert sorted(cached.locations) == sorted(plain.locations)
    for key, raw in plain.locations.items():
        assert cached.locations[key].location == raw.location
        assert cached.locations[key].field_locations == raw.field_locations


def _edit_first(path: Path, note: str) -> None:
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[0]["notes"] = note
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


# --- what is read --------------------------------------------------------------------------
def test_a_second_read_parses_nothing_and_gives_the_same_workspace(city: Path, parses) -> None:
    first = load_workspace(city, cache=True)
    assert len(parses.take()) == len(list(city.glob("*.yaml")))
    assert (city / CACHE_FOLDER).is_dir()
    again = load_workspace(city, cache=True)
    assert parses.take() == []
    assert again == first
    same(city)


def test_an_edit_of_every_record_kind_is_seen_and_only_that_file_parsed(city: Path, parses) -> None:
    load_workspace(city, cache=True)
    parses.take()
    kinds = [t.collection for t in RECORD_TYPES if (city / f"{t.collection}.yaml").exists()]
    assert len(kinds) >= 10
    for collection in kinds:
        _edit_first(city / f"{collection}.yaml", f"edited {collection}")
        ws = load_workspace(city, cache=True)
        assert parses.take() == [f"yaml:{collection}.yaml"]
        assert next(iter(ws.records[collection].values())).notes == f"edited {collection}"
        same(city)
        checked = [
            run_cli([*no_cache, "check", city, "--json"]) for no_cache in ([], ["--no-cache"])
        ]
        assert checked[0].output == checked[1].output
        assert checked[0].exit_code == checked[1].exit_code == 0
        parses.take()


def test_an_added_removed_or_renamed_file_is_seen(city: Path, parses) -> None:
    owner = next(iter(load_workspace(city, cache=True).owners))
    parses.take()
    (city / "extra.yaml").write_text(
        textwrap.dedent(
            """\
            interactions:
              - id: extra-visit
                date: 2026-11-01
                kind: visit
                owners: [o-zhang]
                notes: added in a file of its own
            """
        ),
        encoding="utf-8",
    )
    text = (city / "extra.yaml").read_text(encoding="utf-8").replace("o-zhang", owner)
    (city / "extra.yaml").write_text(text, encoding="utf-8")
    assert "extra-visit" in load_workspace(city, cache=True).interactions
    assert parses.take() == ["yaml:extra.yaml"]
    same(city)

    (city / "extra.yaml").rename(city / "more.yaml")
    ws = load_workspace(city, cache=True)
    assert parses.take() == ["yaml:more.yaml"]
    assert ws.locations["interactions", "extra-visit"].location.file == "more.yaml"
    same(city)

    (city / "more.yaml").unlink()
    (city / "actions.yaml").unlink()
    ws = load_workspace(city, cache=True)
    assert parses.take() == []
    assert "extra-visit" not in ws.interactions and not ws.actions
    same(city)


def test_changed_settings_validate_every_file_again(city: Path, parses) -> None:
    load_workspace(city, cache=True)
    parses.take()
    (city / "stakegraph.toml").write_text("[strength]\nhalf_life_days = 90\n", encoding="utf-8")
    ws = load_workspace(city, cache=True)
    assert len(parses.take()) == len(list(city.glob("*.yaml")))
    assert ws.settings_text is not None
    same(city)


def test_warnings_are_kept_on_a_cached_read(tmp_path: Path, parses) -> None:
    case = tmp_path / "case"
    shutil.copytree(BROKEN / "46-handover-overlap", case)
    plain = load_workspace(case, cache=False)
    assert plain.warnings
    load_workspace(case, cache=True)
    parses.take()
    assert [p.format() for p in load_workspace(case, cache=True).warnings] == [
        p.format() for p in plain.warnings
    ]
    assert parses.take() == []
    result = run_cli(["check", case])
    assert result.exit_code == 0, result.output
    assert "handover" in result.output.lower() or "overlap" in result.output.lower()


@pytest.mark.parametrize("case", sorted(p.name for p in BROKEN.iterdir() if p.is_dir()))
def test_a_broken_workspace_reports_the_same_problems_twice(tmp_path: Path, case: str) -> None:
    src = tmp_path / case
    shutil.copytree(BROKEN / case, src)
    try:
        load_workspace(src, cache=False)
    except Exception as exc:  # noqa: BLE001 - the same error, whatever it is
        expected = str(exc)
    else:
        expected = None
    for _ in range(2):
        try:
            load_workspace(src, cache=True)
        except Exception as exc:  # noqa: BLE001
            assert str(exc) == expected
        else:
            assert expected is None


# --- other formats -------------------------------------------------------------------------
def test_csv_tables_are_cached_by_record_type(tmp_path: Path, parses) -> None:
    folder = tmp_path / "city-csv"
    save_workspace(load_workspace(SMART_CITY), folder, "csv")
    load_workspace(folder, cache=True)
    first = parses.take()
    assert "csv:persons" in first and "csv:opportunities" in first
    assert load_workspace(folder, cache=True) == load_workspace(folder)
    assert parses.take() == []
    tenures = folder / "tenures.csv"
    lines = tenures.read_text(encoding="utf-8").splitlines()
    tenures.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # drop one tenure
    load_workspace(folder, cache=True)
    assert parses.take() == ["csv:persons"]
    same(folder)


def test_a_workbook_is_one_entry_beside_it(tmp_path: Path, parses) -> None:
    book = tmp_path / "city.xlsx"
    save_workspace(load_workspace(SMART_CITY), book)
    load_workspace(book, cache=True)
    assert parses.take() == ["xlsx"]
    assert cache_folder(book) == tmp_path / ".city.xlsx.stakegraph-cache"
    assert cache_folder(book).is_dir()
    same(book)
    assert parses.take() == []
    ws = load_workspace(book)
    person = next(iter(ws.persons.values()))
    ws.add(person.model_copy(update={"name": "改过的名字"}))
    save_workspace(ws, book, overwrite=True)
    assert load_workspace(book, cache=True).persons[person.id].name == "改过的名字"
    assert parses.take() == ["xlsx"]


# --- damaged, foreign and concurrent entries -----------------------------------------------
def _entries(path: Path) -> list[Path]:
    return sorted(cache_folder(path).glob("*.entry"))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"not a cache entry at all",
        lambda data: data[: len(data) // 2],
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),
        lambda data: b"",
    ],
    ids=["garbage", "truncated", "one-bit", "empty"],
)
def test_a_damaged_entry_is_ignored_and_written_again(city: Path, parses, damage) -> None:
    load_workspace(city, cache=True)
    parses.take()
    entries = _entries(city)
    for entry in entries:
        entry.write_bytes(damage(entry.read_bytes()))
    same(city)
    assert len(parses.take()) == len(list(city.glob("*.yaml")))
    load_workspace(city, cache=True)
    assert parses.take() == []


def test_an_entry_of_other_code_or_another_user_is_not_trusted(
    city: Path, parses, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:  # another version of stakegraph
        patch.setattr(cache_module, "_code_fingerprint", lambda: b"another version".ljust(32))
        load_workspace(city, cache=True)
    parses.take()
    load_workspace(city, cache=True)
    assert len(parses.take()) == len(list(city.glob("*.yaml")))

    with monkeypatch.context() as patch:  # another user's secret: same keys, other hashes
        patch.setattr(cache_module, "_secret", lambda: b"someone else".ljust(32))
        clear_cache(city)
        load_workspace(city, cache=True)
    parses.take()
    same(city)
    assert len(parses.take()) == len(list(city.glob("*.yaml")))


def test_an_entry_naming_a_planted_object_is_never_unpickled(city: Path, parses) -> None:
    load_workspace(city, cache=True)
    parses.take()
    marker = city / "planted"
    payload = f"cos\nsystem\n(S'touch {marker}'\ntR.".encode()
    for entry in _entries(city):
        data = entry.read_bytes()
        head = len(cache_module._MAGIC) + 2 * cache_module._DIGEST
        entry.write_bytes(data[:head] + payload)
    same(city)
    assert not marker.exists()


def test_two_processes_at_once_leave_a_sound_cache(city: Path, parses) -> None:
    script = textwrap.dedent(
        f"""
        from stakegraph.io import load_workspace
        for _ in range(4):
            load_workspace({str(city)!r}, cache=True)
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=_child_env())
        for _ in range(2)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert not list(cache_folder(city).glob("*.tmp"))
    load_workspace(city, cache=True)
    assert parses.take() == []
    same(city)


def _child_env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return env


# --- the command line ----------------------------------------------------------------------
def test_no_cache_neither_reads_nor_writes_it(city: Path, monkeypatch) -> None:
    result = run_cli(["--no-cache", "check", city])
    assert result.exit_code == 0, result.output
    assert not (city / CACHE_FOLDER).exists()
    with monkeypatch.context() as patch:
        patch.setenv("STAKEGRAPH_NO_CACHE", "1")
        assert run_cli(["check", city]).exit_code == 0
    assert not (city / CACHE_FOLDER).exists()
    assert run_cli(["check", city]).exit_code == 0
    assert (city / CACHE_FOLDER).is_dir()


def test_cache_clear_deletes_the_folder(city: Path) -> None:
    run_cli(["check", city])
    result = run_cli(["cache", "clear", city])
    assert result.exit_code == 0, result.output
    assert "Deleted" in result.output
    assert not (city / CACHE_FOLDER).exists()
    result = run_cli(["cache", "clear", city])
    assert result.exit_code == 0 and "No cache" in result.output


def test_cached_and_uncached_commands_print_the_same(city: Path) -> None:
    args = ["gaps", city, "-o", "smart-city", "--as-of", DAY, "--json"]
    plain = run_cli(["--no-cache", *args])
    cold = run_cli(args)
    warm = run_cli(args)
    assert plain.exit_code == 0, plain.output
    assert plain.output == cold.output == warm.output


def test_init_ignores_the_cache_in_git(tmp_path: Path) -> None:
    result = run_cli(["init", tmp_path / "new"])
    assert result.exit_code == 0, result.output
    assert f"{CACHE_FOLDER}/" in (tmp_path / "new" / ".gitignore").read_text().splitlines()


@pytest.mark.parametrize(
    "args",
    [
        ["convert", "{ws}", "{out}/copy"],
        ["convert", "{ws}", "{out}/copy", "--to", "csv"],
        ["convert", "{ws}", "{out}/private", "--pseudonymise", "{out}/secret.key"],
    ],
    ids=["yaml", "csv", "pseudonymised"],
)
def test_copies_never_carry_the_cache(city: Path, tmp_path: Path, args: list[str]) -> None:
    run_cli(["check", city])
    out = tmp_path / "out"
    out.mkdir()
    if "--pseudonymise" in args:
        (out / "secret.key").write_bytes(b"k" * 32)
    result = run_cli([a.format(ws=city, out=out) for a in args])
    assert result.exit_code == 0, result.output
    assert not [p for p in out.rglob("*") if "stakegraph-cache" in p.name]


def test_a_writing_command_leaves_the_cache_up_to_date(city: Path, parses) -> None:
    run_cli(["check", city])
    parses.take()
    ws = load_workspace(city)
    person = next(iter(ws.persons))
    owner = next(iter(ws.owners))
    result = run_cli(
        [
            "log",
            city,
            "--date",
            "2026-11-20",
            "--kind",
            "visit",
            "--owner",
            owner,
            "--person",
            person,
            "--id",
            "cache-check-visit",
        ]
    )
    assert result.exit_code == 0, result.output
    parses.take()
    ws = load_workspace(city, cache=True)
    assert "cache-check-visit" in ws.interactions
    assert parses.take() == []
    same(city)


def test_a_copy_keeps_the_locations_without_unpacking_them(city: Path) -> None:
    load_workspace(city, cache=True)
    ws = load_workspace(city, cache=True)
    copy = ws.copy()
    assert copy == ws
    key = next(iter(ws.locations))
    assert copy.locations[key].location == ws.locations[key].location
    assert sorted(copy.locations) == sorted(ws.locations)


def test_locations_are_unpickled_only_when_looked_at(city: Path, monkeypatch) -> None:
    load_workspace(city, cache=True)
    unpickled: list[int] = []
    original = cache_module.pickle.loads

    def counted(data, *args, **kwargs):
        unpickled.append(len(data))
        return original(data, *args, **kwargs)

    monkeypatch.setattr(cache_module.pickle, "loads", counted)
    files = len(list(city.glob("*.yaml")))
    ws = load_workspace(city, cache=True)
    assert len(unpickled) == files + 1  # one per entry (and the checks): not the locations
    plain = load_workspace(city)
    key = next(k for k in plain.locations if k[0] == "opportunities")
    assert ws.locations[key].location == plain.locations[key].location
    assert len(unpickled) == files + 2  # a look: the locations of that file only
    assert ("opportunities", "no-such-id") not in ws.locations
    assert ("persons", "no-such-id") not in ws.locations
    assert len(unpickled) == files + 3
    rest = [k for k in ws.locations if k != key]  # iterating: all of them, in file order
    assert len(unpickled) == 2 * files + 1
    assert rest == [k for k in plain.locations if k != key]
    for other in plain.locations:
        assert ws.locations[other].location == plain.locations[other].location
    assert len(unpickled) == 2 * files + 1


def test_a_damaged_key_is_replaced(city: Path, parses, tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    cache_module._secret.cache_clear()
    (home / "stakegraph").mkdir(parents=True)
    (home / "stakegraph" / "cache-key").write_bytes(b"short")
    load_workspace(city, cache=True)
    assert len((home / "stakegraph" / "cache-key").read_bytes()) == 32
    parses.take()
    load_workspace(city, cache=True)
    assert parses.take() == []


def test_the_code_fingerprint_covers_every_module_that_reads_a_workspace() -> None:
    """Every module of records/ and io/ that loading a workspace imports is part of the
    fingerprint, so a change in any of them makes earlier entries foreign."""
    code = (
        "import sys, json; from stakegraph.io import load_workspace; "
        f"load_workspace({str(SMART_CITY)!r}); "
        "print(json.dumps(sorted(m.__file__ for n, m in sys.modules.items() "
        "if n.startswith(('stakegraph.records', 'stakegraph.io')) and getattr(m, '__file__', None))))"
    )
    import json

    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "STAKEGRAPH_NO_CACHE": "1"},
    ).stdout
    loaded = {Path(f).resolve() for f in json.loads(out)}
    sources = set(cache_module.reading_sources())
    assert loaded <= sources, loaded - sources
    assert {"lineage.py", "periods.py"} <= {p.name for p in sources if p.parent.name == "records"}
