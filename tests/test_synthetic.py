"""The synthetic-province generator used by the benchmarks: deterministic, valid, sized."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from benchmarks.synthetic import TIES_PER_OFFICIAL, generate_workspace, main
from stakegraph.io import load_workspace, save_workspace
from stakegraph.records.model import OrgKind, TieKind
from stakegraph.records.validate import check_workspace
from tests.builders import DAY

OFFICIALS = 1000


@pytest.fixture(scope="module")
def synthetic():
    return generate_workspace(OFFICIALS, seed=7)


def test_same_seed_same_workspace(synthetic):
    again = generate_workspace(OFFICIALS, seed=7)
    assert again == synthetic
    assert list(again.persons) == list(synthetic.persons)
    assert [p.name for p in again.persons.values()] == [p.name for p in synthetic.persons.values()]


def test_other_seed_other_workspace(synthetic):
    assert generate_workspace(OFFICIALS, seed=8) != synthetic


def test_round_trip_through_yaml_validates(synthetic, tmp_path: Path):
    assert check_workspace(synthetic) == []
    save_workspace(synthetic, tmp_path / "province", "yaml")
    loaded = load_workspace(tmp_path / "province")
    assert loaded == synthetic


def _close(value: float, target: float) -> bool:
    return abs(value - target) <= 0.05 * target


def test_sizes_as_requested(synthetic):
    counts = synthetic.counts()
    assert counts["persons"] == OFFICIALS
    assert _close(counts["posts"], OFFICIALS / 0.97)
    assert _close(counts["relationships"], OFFICIALS / 10)
    assert counts["owners"] == 10  # officials / 100, at least 10
    assert counts["opportunities"] == OFFICIALS // 100
    assert counts["interactions"] > 0

    custom = generate_workspace(400, seed=1, owners=25, opportunities=4)
    assert len(custom.persons) == 400
    assert len(custom.owners) == 25
    assert len(custom.opportunities) == 4


def test_about_five_ties_per_official(synthetic):
    ties = synthetic.ties.values()
    assert _close(len(ties) / OFFICIALS, TIES_PER_OFFICIAL)
    assert all(t.a != t.b for t in ties)
    kinds = {t.kind for t in ties}
    assert {TieKind.CLASSMATE, TieKind.FORMER_COLLEAGUE, TieKind.HOMETOWN} <= kinds
    unsure = sum(t.confidence < 1 for t in ties) / len(ties)
    assert 0.05 < unsure < 0.15
    degree: dict[str, int] = defaultdict(int)
    for t in ties:
        degree[t.a] += 1
        degree[t.b] += 1
    assert len(degree) > 0.9 * OFFICIALS  # ties spread over nearly everyone


def test_vacancies_and_rotations(synthetic):
    current = {t.post for p in synthetic.persons.values() for t in p.tenures if t.end is None}
    vacant = [post for post in synthetic.posts if post not in current]
    assert vacant
    assert 0.01 < len(vacant) / len(synthetic.posts) < 0.06

    rotated = [p for p in synthetic.persons.values() if len(p.tenures) > 1]
    assert rotated
    assert 0.05 < len(rotated) / OFFICIALS < 0.15
    # a successor starts on the day the rotated official left (the end is exclusive)
    handovers = 0
    for person in rotated:
        left = person.tenures[0]
        assert left.end == person.tenures[1].start
        successors = [
            t
            for _, t in synthetic.tenures_of_post(left.post)
            if t is not left and t.start == left.end
        ]
        handovers += bool(successors)
    assert handovers > 0.5 * len(rotated)


def test_structure_has_both_lines_and_oversight(synthetic):
    orgs = synthetic.organisations
    bureaus = [o for o in orgs.values() if o.kind not in (OrgKind.DIVISION,) and o.guided_by]
    assert bureaus  # 条: city and county bureaus guided by the line one level up
    for org in bureaus:
        guide = orgs[org.guided_by[0]]
        assert org.id.split("-")[-1] == guide.id.split("-")[-1]
    assert any(p.oversees for p in synthetic.posts.values())
    for opp in synthetic.opportunities.values():
        assert 3 <= len(opp.chain) <= 6
        assert opp.client in orgs
        assert all(role.post in synthetic.posts for step in opp.chain for role in step.roles)


def test_command_line_writes_a_workspace(tmp_path: Path, capsys):
    assert main([str(tmp_path / "out"), "--officials", "200", "--seed", "2"]) == 0
    assert "wrote" in capsys.readouterr().out
    assert len(load_workspace(tmp_path / "out").persons) == 200


def test_satisfaction_book_is_valid_and_reaches_the_accounts():
    from benchmarks.synthetic import add_satisfaction
    from stakegraph.analysis.satisfaction import satisfaction, survey_accounts
    from stakegraph.graph.accounts import accounts

    ws = generate_workspace(1000, seed=2)
    assert add_satisfaction(ws, seed=2) == (200, 50)
    assert check_workspace(ws) == []
    persons = [s for s in ws.surveys.values() if s.person]
    assert len(persons) == 100
    # some person respondents belong to an account only through a chain role
    in_accounts = {org for account in accounts(ws) for org in account.orgs}
    through_chain = [
        s
        for s in persons
        if survey_accounts(ws, s)
        and not any(ws.posts[p].org in in_accounts for p in ws.persons[s.person].posts_on(s.date))
    ]
    assert through_chain
    result = satisfaction(ws, DAY)
    assert sum(len(a.surveys) for a in result.accounts) > 0
    assert len(result.improvements) == 50
