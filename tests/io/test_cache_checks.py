"""The cross-record checks through the cache: each runs again only when the files holding
what it reads change, and the problems found (and their order) are those of a read
without the cache, for an edit of every record kind."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from stakegraph.errors import WorkspaceInvalid
from stakegraph.io import cache as cache_module
from stakegraph.io import cached_checks, load_workspace
from stakegraph.io.cache import CACHE_FOLDER
from stakegraph.records.cross_checks import CrossCheck
from stakegraph.records.model import RECORD_TYPES
from stakegraph.records.record_collections import RecordCollections
from stakegraph.records.validate import CROSS_CHECKS
from stakegraph.records.workspace import Workspace
from tests.builders import ROOT, run_cli

pytestmark = pytest.mark.usefixtures("own_cache_secret")

BROKEN = ROOT / "tests" / "broken"
Records = list[dict[str, Any]]


class Runs:
    """The names of the cross-record checks that ran (not taken from the cache)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: list[str] = []

        def counted(check: CrossCheck) -> CrossCheck:
            def run(ws: Workspace) -> list:
                self.names.append(check.name)
                return check.run(ws)

            return check._replace(run=run)

        monkeypatch.setattr(cached_checks, "CROSS_CHECKS", tuple(map(counted, CROSS_CHECKS)))

    def take(self) -> set[str]:
        names, self.names = self.names, []
        return set(names)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> Runs:
    return Runs(monkeypatch)


def _reading(*collections: str) -> set[str]:
    return {c.name for c in CROSS_CHECKS if set(c.reads) & set(collections)}


# --- the edits: each brings one problem of a check (or fixes nothing, a note) ------------
def _self_parent(records: Records, field: str) -> None:
    records[0][field] = records[0]["id"]


def _second_holder(records: Records) -> None:
    post = records[0]["tenures"][0]["post"]
    records[1]["tenures"].append({"post": post, "start": dt.date(2024, 1, 1)})


def _repeated_tenure(records: Records) -> None:
    records[0]["tenures"].append(dict(records[0]["tenures"][0]))


def _contact_before_since(records: Records) -> None:
    records[0].update(since=dt.date(2026, 1, 10), last_contact=dt.date(2026, 1, 1))


def _repeated_step(records: Records) -> None:
    for step in records[0]["chain"][:2]:
        step["id"] = "same-step"


def _rename_of_two(records: Records) -> None:
    records[0]["kind"] = "rename"  # the first reform merges two organisations


def _dated_oversight(records: Records, *days: dt.date) -> None:
    # a post of the city that oversees: the abolished information centre, or twice at once
    post = next(p for p in records if p.get("oversees"))
    org = "jc-xxzx" if len(days) == 1 else post["oversees"][0]
    post["oversees"] = [{"org": org, "start": day} for day in days]


def _set(field: str, value: Any, index: int = 0) -> Callable[[Records], None]:
    def edit(records: Records) -> None:
        records[index][field] = value

    return edit


#: (file, edit, what the check output then says); together every check's problems.
EDITS: list[tuple[str, Callable[[Records], None], str]] = [
    ("organisations", _set("parent", "nowhere"), "organisation 'nowhere'"),
    ("organisations", lambda r: _self_parent(r, "parent"), "parent organisation (块) cycle"),
    ("organisations", _set("guided_by", ["yl-gov"], 0), "guiding organisation (条) cycle"),
    ("organisations", _set("start", dt.date(2030, 1, 1), 1), "outside the lifetime"),
    ("posts", _set("org", "nowhere"), "organisation 'nowhere'"),
    ("posts", lambda r: _self_parent(r, "reports_to"), "reports-to cycle"),
    ("posts", _set("oversees", ["yl-gov"]), "the parent organisation"),
    ("posts", lambda r: _dated_oversight(r, dt.date(2020, 1, 1)), "does not exist on any day"),
    (
        "posts",
        lambda r: _dated_oversight(r, dt.date(2020, 1, 1), dt.date(2021, 1, 1)),
        "two periods of 'oversees'",
    ),
    ("persons", _set("tenures", [{"post": "nowhere"}]), "post 'nowhere'"),
    ("persons", _second_holder, "single-seat post"),
    ("persons", _repeated_tenure, "twice at once"),
    ("owners", _set("manager", "nobody"), "owner 'nobody'"),
    ("owners", lambda r: _self_parent(r, "manager"), "manager cycle"),
    ("relationships", _set("person", "nobody"), "person 'nobody'"),
    ("relationships", lambda r: r[0].update(backup=r[0]["owner"]), "own owner"),
    ("relationships", _contact_before_since, "before the relationship began"),
    ("ties", _set("b", "nobody"), "person 'nobody'"),
    ("ties", lambda r: r[0].update(b=r[0]["a"]), "to themself"),
    ("opportunities", _set("client", "nowhere"), "organisation 'nowhere'"),
    ("opportunities", _repeated_step, "used twice in this chain"),
    ("opportunities", _set("close", dt.date(2010, 1, 1)), "nobody to hold it"),
    ("interactions", _set("persons", ["nobody"]), "person 'nobody'"),
    ("surveys", _set("org", "nowhere"), "organisation 'nowhere'"),
    ("assessments", _set("owner", "nobody"), "owner 'nobody'"),
    ("assessments", _set("person", "song-liqun"), "to re-assess"),
    ("actions", _set("person", "nobody"), "person 'nobody'"),
    ("reforms", _set("predecessors", ["nowhere"]), "'nowhere'"),
    ("reforms", _rename_of_two, "a rename names 2 predecessor(s)"),
    ("relationships", _set("notes", "only a note"), ""),
    ("ties", _set("notes", "only a note"), ""),
]


def _check(path: Path, *options: str) -> tuple[int, str]:
    result = run_cli([*options, "check", path, "--json"])
    return result.exit_code, result.output


@pytest.mark.parametrize(("collection", "edit", "says"), EDITS, ids=lambda v: str(v)[:40])
def test_an_edit_runs_only_the_checks_of_its_kind_and_finds_what_a_full_check_finds(
    city: Path, runs: Runs, collection: str, edit: Callable[[Records], None], says: str
) -> None:
    clean = _check(city)
    assert runs.take() == {c.name for c in CROSS_CHECKS}
    assert clean == _check(city, "--no-cache")
    path = city / f"{collection}.yaml"
    original = path.read_bytes()
    _edited(city, collection, edit)

    edited = _check(city)
    assert runs.take() == _reading(collection)
    assert edited == _check(city, "--no-cache")
    if says:
        assert edited[0] == 1 and says in edited[1], edited[1]
    else:
        assert edited == clean
    assert _check(city) == edited
    assert runs.take() == set()

    path.write_bytes(original)  # and back: the problem goes, as without the cache
    assert _check(city) == clean
    assert runs.take() == _reading(collection)


def _edited(city: Path, collection: str, edit: Callable[[Records], None]) -> None:
    path = city / f"{collection}.yaml"
    records = yaml.safe_load(path.read_text("utf-8"))
    edit(records)
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), "utf-8")


def test_the_edits_bring_a_problem_of_every_check(city: Path, tmp_path: Path) -> None:
    found: set[str] = set()
    for number, (collection, edit, _) in enumerate(EDITS):
        copy = tmp_path / str(number)
        shutil.copytree(city, copy)
        _edited(copy, collection, edit)
        assemble = _pending_workspaces(copy)
        assert assemble is not None
        found |= {c.name for c in CROSS_CHECKS if c.run(assemble())}
    assert found == {c.name for c in CROSS_CHECKS}


def test_an_edit_of_the_interactions_leaves_the_ties_pickled(city: Path, runs: Runs) -> None:
    load_workspace(city, cache=True)
    runs.take()
    _edited(city, "interactions", lambda r: r[0].update(persons=[*r[0]["persons"], "nobody"]))
    with pytest.raises(WorkspaceInvalid, match="person 'nobody'") as raised:
        load_workspace(city, cache=True)
    assert runs.take() == _reading("interactions")
    assert "ties" not in _reading("interactions")
    assert str(raised.value) == _message(lambda: load_workspace(city, cache=False))


def test_each_check_reads_only_the_collections_it_declares(city: Path) -> None:
    """Run alone on a workspace with every collection pending, each check reads no other."""
    cases = [city, *sorted(p for p in BROKEN.iterdir() if p.is_dir())]
    looked = 0
    for case in cases:
        assemble = _pending_workspaces(case)
        if assemble is None:
            continue
        for check in CROSS_CHECKS:
            workspace = assemble()
            if not isinstance(workspace.records, RecordCollections):
                break  # a repeated id: every record read at once
            before = set(workspace.records.pending)
            check.run(workspace)
            read = before - workspace.records.pending
            assert read <= set(check.reads), (case.name, check.name, read)
            looked += bool(read)
    assert looked > 100


def _pending_workspaces(case: Path) -> Callable[[], Workspace] | None:
    """Fresh workspaces of ``case`` as a cached read assembles them (None: no records)."""
    captured: dict[str, Any] = {}
    original = cache_module._assemble

    def capture(payloads: list, settings: Any, name: str, problems: list) -> Any:
        captured.update(payloads=payloads, settings=settings, name=name)
        return original(payloads, settings, name, problems)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache_module, "_assemble", capture)
        with contextlib.suppress(Exception):  # broken on purpose: what was assembled counts
            load_workspace(case, cache=True)
    if not captured:
        return None

    def assemble() -> Workspace:
        return original(captured["payloads"], captured["settings"], captured["name"], [])[0]

    return assemble


def _message(read: Callable[[], object]) -> str:
    try:
        read()
    except WorkspaceInvalid as exc:
        return str(exc)
    return ""


def test_the_checks_keep_the_order_of_a_full_check(city: Path, runs: Runs) -> None:
    # the problems of many checks and files at once come out in check_workspace's order
    _check(city)
    for collection, edit, _ in EDITS[::3]:
        _edited(city, collection, edit)
    edited = _check(city)
    assert runs.take() - {c.name for c in CROSS_CHECKS} == set()
    assert edited == _check(city, "--no-cache")
    assert edited[1].count('"message"') >= 8, edited[1]


@pytest.mark.parametrize("damage", [b"", b"not an entry"])
def test_a_damaged_checks_entry_runs_every_check(city: Path, runs: Runs, damage: bytes) -> None:
    clean = _check(city)
    runs.take()
    entry = cache_module._entry_path(city / CACHE_FOLDER, "checks")
    entry.write_bytes(damage)
    assert _check(city) == clean
    assert runs.take() == {c.name for c in CROSS_CHECKS}


def test_a_copy_of_the_cache_in_another_folder_reports_the_same(city: Path, tmp_path: Path) -> None:
    _check(city)
    moved = tmp_path / "moved"
    shutil.copytree(city, moved)
    assert _check(moved) == _check(moved, "--no-cache")


def test_every_record_kind_is_read_by_a_check() -> None:
    read = {c for check in CROSS_CHECKS for c in check.reads}
    assert read == {t.collection for t in RECORD_TYPES}


@pytest.mark.parametrize("case", sorted(p.name for p in BROKEN.iterdir() if p.is_dir()))
def test_a_broken_workspace_checks_alike_cold_warm_and_without_the_cache(
    tmp_path: Path, case: str
) -> None:
    copy = tmp_path / case
    shutil.copytree(BROKEN / case, copy)
    plain = _check(copy, "--no-cache")
    assert _check(copy) == plain  # cold: writes the cache
    assert _check(copy) == plain  # warm: the checks' problems read back


def test_an_edited_csv_table_runs_the_checks_of_its_kind_only(tmp_path: Path, runs: Runs) -> None:
    from stakegraph.io import save_workspace
    from tests.builders import SMART_CITY

    folder = tmp_path / "city-csv"
    save_workspace(load_workspace(SMART_CITY), folder, "csv")
    clean = _check(folder)
    runs.take()
    table = folder / "interactions.csv"
    text = table.read_text("utf-8")
    assert "xu-zhiheng" in text
    table.write_text(text.replace("xu-zhiheng", "nobody", 1), "utf-8")
    edited = _check(folder)
    assert runs.take() == _reading("interactions")
    assert edited == _check(folder, "--no-cache") and edited != clean
    assert "person 'nobody'" in edited[1]
