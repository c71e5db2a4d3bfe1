"""Pseudonymised copies: no names leave, references stay consistent, keys matter."""

from __future__ import annotations

import html
import os
import stat
import zipfile
from pathlib import Path

import pytest

from stakegraph.errors import StakegraphError
from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.property_graph import build_graph
from stakegraph.io.pseudonymise import load_key, pseudonymise
from stakegraph.records.workspace import Workspace
from tests.builders import EXAMPLES
from tests.io.test_tabular import FIXTURE

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))

#: What must not appear in a pseudonymised export: names, aliases, pinyin ids and
#: the free text that talks about people.
SECRETS = ["李明", "王芳", "赵强", "钱伟", "孙丽", "李市长", "wangfang", "喜欢安静", "老同学"]
SECRETS += ["关注易用性", "谈了预算", "拜访记录", "vp-zhao"]


@pytest.fixture
def account(tmp_path: Path) -> Workspace:
    folder = tmp_path / "account"
    folder.mkdir()
    for name, text in FIXTURE.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_workspace(folder)


EXAMPLE = EXAMPLES / "smart-city"


def _written_text(path: Path) -> str:
    """Every byte written for an export, as text (workbooks unzipped)."""
    if path.suffix == ".xlsx":
        # character references decoded: with lxml, openpyxl may write 李 as &#26446;
        with zipfile.ZipFile(path) as book:
            return html.unescape("\n".join(book.read(n).decode("utf-8") for n in book.namelist()))
    return "\n".join(
        p.read_text(encoding="utf-8-sig") for p in sorted(path.iterdir()) if p.is_file()
    )


@pytest.mark.parametrize("fmt, name", [("yaml", "out"), ("csv", "out"), ("xlsx", "out.xlsx")])
def test_no_original_name_is_written(account: Workspace, tmp_path: Path, fmt, name) -> None:
    dest = tmp_path / name
    save_workspace(pseudonymise(account, KEY), dest, fmt)
    text = _written_text(dest)
    assert "人员-" in text
    leaked = [s for s in SECRETS if s in text]
    assert not leaked
    # the copy is a valid workspace on its own
    again = load_workspace(dest)
    assert again.counts() == account.counts()


def test_same_key_same_tokens_other_key_other_tokens(account: Workspace) -> None:
    first, second = pseudonymise(account, KEY), pseudonymise(account, KEY)
    assert first == second
    other = pseudonymise(account, OTHER_KEY)
    assert set(first.persons).isdisjoint(other.persons)
    names = {p.name for p in first.persons.values()}
    assert names.isdisjoint(p.name for p in other.persons.values())
    assert all(n.startswith("人员-") and len(n) == len("人员-") + 8 for n in names)
    # a person's tokens depend on the key and their own id only
    account.remove("persons", "sun")
    assert set(pseudonymise(account, KEY).persons) < set(first.persons)


def id_maps(original: Workspace, copy: Workspace) -> dict[str, dict[str, str]]:
    """Old id -> new id by collection (a copy keeps the order of the records)."""
    return {
        c: dict(zip(original.records[c], copy.records[c], strict=True)) for c in original.records
    }


def test_references_follow_the_new_ids(account: Workspace) -> None:
    pseudo = pseudonymise(account, KEY)
    ids = id_maps(account, pseudo)
    mapping, owners = ids["persons"], ids["owners"]
    assert all(new.startswith("p-") for new in mapping.values())
    assert all(new.startswith("o-") for new in owners.values())
    wang = pseudo.persons[mapping["wangfang"]]
    assert [t.post for t in wang.tenures] == ["fjz", "jz"]
    assert wang.notes is None and wang.aliases == []
    li = pseudo.persons[mapping["li"]]
    assert len(li.aliases) == 1 and li.aliases[0].startswith("别名-")
    assert li.background is None and li.born is None

    derived = pseudo.relationships[f"{owners['rep1']}~{mapping['wangfang']}"]
    assert derived.source is None and derived.acceptance == 4
    (written,) = [r for r in pseudo.relationships.values() if r.owner == owners["vp1"]]
    assert written.id.startswith("r-") and written.person == mapping["zhao"]
    assert written.notes is None
    assert pseudo.owners[owners["rep1"]].manager == owners["vp1"]
    assert pseudo.owners[owners["vp1"]].title is None
    tie = pseudo.ties[f"{mapping['wangfang']}~{mapping['qian']}~classmate"]
    assert tie.strength == 0.7
    roles = [r for s in pseudo.opportunities["sc"].chain for r in s.roles]
    assert [r.person for r in roles if r.person] == [mapping["sun"]]
    assert all(r.notes is None for r in roles)
    visit = pseudo.interactions[ids["interactions"]["i1"]]
    assert visit.id.startswith("i-") and visit.notes is None
    assert visit.persons == [mapping["wangfang"], mapping["sun"]]
    assert visit.owners == [owners["rep1"]]
    assert pseudo.surveys[ids["surveys"]["s2026"]].person == mapping["wangfang"]
    # the names of things that mention nobody stay readable
    assert pseudo.organisations["dsj"].name == "滨海市大数据局"
    assert pseudo.opportunities["sc"].competitors == ["华为", "阿里;腾讯"]
    # the original is untouched
    assert account.persons["wangfang"].name == "王芳"


def test_the_graph_is_the_same_up_to_renaming(account: Workspace) -> None:
    pseudo = pseudonymise(account, KEY)
    labels = {"persons": "Person", "owners": "Owner", "interactions": "Interaction"}
    labels |= {"surveys": "Survey", "actions": "Action", "assessments": "Assessment"}
    mapping = {
        f"{labels[c]}:{old}": f"{labels[c]}:{new}"
        for c, pairs in id_maps(account, pseudo).items()
        if c in labels
        for old, new in pairs.items()
    }

    def edges(graph, rename) -> set[tuple[str, str, str]]:
        return {(rename(u), rename(v), d["type"]) for u, v, d in graph.edges(data=True)}

    before = build_graph(account)
    after = build_graph(pseudo)
    assert edges(before, lambda n: mapping.get(n, n)) == edges(after, lambda n: n)
    assert {mapping.get(n, n) for n in before} == set(after)


def test_ids_can_be_kept(account: Workspace) -> None:
    pseudo = pseudonymise(account, KEY, ids=False)
    assert set(pseudo.persons) == set(account.persons)
    assert pseudo.persons["wangfang"].name != "王芳"
    assert "vp-zhao" in pseudo.relationships


def test_load_key_creates_a_private_key_once(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "export.key"
    key, created = load_key(path)
    assert created and len(key) == 32
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text().strip() == key.hex()
    again = load_key(path)
    assert again == (key, False) and again.key == key and not again.created


def test_load_key_accepts_a_passphrase_but_not_a_short_one(tmp_path: Path) -> None:
    path = tmp_path / "pass.key"
    path.write_text("correct horse battery staple\n")
    assert load_key(path).key == b"correct horse battery staple"
    path.write_text("short")
    with pytest.raises(StakegraphError, match="too short"):
        load_key(path)


def test_bundled_example_leaks_no_names(tmp_path: Path) -> None:
    if not EXAMPLE.is_dir():
        pytest.skip("examples/smart-city is not there")
    ws = load_workspace(EXAMPLE)
    dest = tmp_path / "shared.xlsx"
    save_workspace(pseudonymise(ws, KEY), dest)
    text = _written_text(dest)
    names = {p.name for p in ws.persons.values()} | {
        a for p in ws.persons.values() for a in p.aliases
    }
    assert not [n for n in names if n in text]
    assert load_workspace(dest).counts() == ws.counts()
