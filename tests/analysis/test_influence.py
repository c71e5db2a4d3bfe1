"""Influence: hand-computed PageRank, parts, and agreement with independent implementations."""

import datetime as dt

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from stakegraph.analysis.influence import influence
from stakegraph.graph.network import build_network
from stakegraph.records.model import Organisation, Owner, Person, Post, Tenure, Tie
from stakegraph.records.workspace import Workspace
from tests.builders import DAY


def workspace(posts, persons, ties=()):
    ws = Workspace()
    ws.add(Organisation(id="o", name="局"))
    for post in posts:
        ws.add(post)
    for person in persons:
        ws.add(person)
    for tie in ties:
        ws.add(tie)
    ws.add(Owner(id="me", name="我", tier=1))
    return ws


def holder(pid, post):
    return Person(id=pid, name=pid, tenures=[Tenure(post=post, start=dt.date(2020, 1, 1))])


def test_two_people_hand_computed():
    # a defers to b; equal grades; b is dangling and hands its walk back to p = (1/2, 1/2).
    # x_a = 0.5 (0.85 x_b + 0.15), x_b = 0.85 x_a + x_a  =>  x_a = 0.075 / 0.21375
    ws = workspace(
        [
            Post(id="boss", org="o", title="局长", grade=3),
            Post(id="staff", org="o", title="科员", grade=3, reports_to="boss"),
        ],
        [holder("a", "staff"), holder("b", "boss")],
    )
    result = influence(build_network(ws, DAY))
    x_a = 0.075 / 0.21375
    assert result.of("a") == pytest.approx(x_a, abs=1e-9)
    assert result.of("b") == pytest.approx(1 - x_a, abs=1e-9)
    assert result.top() == ["b", "a"]
    parts = result.parts_of("b")
    assert parts["formal"] == pytest.approx(0.85 * x_a, abs=1e-9)
    assert parts["informal"] == 0


def test_parts_add_up_and_scores_sum_to_one():
    ws = workspace(
        [
            Post(id="boss", org="o", title="局长", grade=5),
            Post(id="dep", org="o", title="副局长", grade=4, reports_to="boss"),
            Post(id="staff", org="o", title="科员", grade=1, reports_to="dep"),
        ],
        [holder("a", "staff"), holder("b", "dep"), holder("c", "boss"), Person(id="x", name="x")],
        [
            Tie(a="a", b="x", kind="classmate", strength=0.8),
            Tie(a="x", b="c", strength=0.4, directed=True),
        ],
    )
    result = influence(build_network(ws, DAY))
    total = result.formal + result.informal + result.position + result.decision
    np.testing.assert_allclose(total, result.score, atol=1e-12)
    assert result.score.sum() == pytest.approx(1.0)
    assert result.informal[result.index["x"]] > 0


def _networkx_reference(network, damping=0.85):
    s = network.workspace.settings.influence
    W = (
        s.formal * network.formal + s.oversight * network.oversight + s.tie * network.tie_deference
    ).tocoo()
    G = nx.DiGraph()
    G.add_nodes_from(range(network.size))
    for u, v, w in zip(W.row, W.col, W.data, strict=True):
        if w > 0:
            G.add_edge(int(u), int(v), weight=G.get_edge_data(u, v, {"weight": 0})["weight"] + w)
    grade = np.maximum(network.grade, 1).astype(float)
    p = {i: grade[i] / grade.sum() for i in range(network.size)}
    return nx.pagerank(
        G, alpha=damping, personalization=p, weight="weight", tol=1e-13, max_iter=1000
    )


def _scipy_reference(network, damping=0.85, teleport=None):
    """Direct solve of the linear PageRank system, independent of both iterations."""
    s = network.workspace.settings.influence
    W = (
        s.formal * network.formal + s.oversight * network.oversight + s.tie * network.tie_deference
    ).toarray()
    n = network.size
    out = W.sum(axis=1)
    P = np.divide(W, out[:, None], out=np.zeros_like(W), where=out[:, None] > 0)
    grade = np.maximum(network.grade, 1).astype(float)
    mass = grade if teleport is None else teleport
    p = mass / mass.sum()
    dangling = (out == 0).astype(float)
    # x = d P^T x + d (dangling . x) p + (1-d) p, with sum(x) = 1
    A = np.eye(n) - damping * P.T - damping * np.outer(p, dangling)
    return np.linalg.solve(A, (1 - damping) * p)


def _random_hierarchy(rng, n):
    """n posts of random grades, each reporting to an earlier one, each with a holder."""
    posts = [
        Post(
            id=f"p{i}",
            org="o",
            title="t",
            grade=int(rng.integers(1, 8)),
            reports_to=f"p{int(rng.integers(0, i))}" if i else None,
        )
        for i in range(n)
    ]
    return posts, [holder(f"h{i}", f"p{i}") for i in range(n)]


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_networkx_and_a_direct_solve_on_random_workspaces(seed):
    rng = np.random.default_rng(seed)
    n = 40
    posts, persons = _random_hierarchy(rng, n)
    ties = []
    for k in range(60):
        a, b = rng.choice(n, 2, replace=False)
        ties.append(
            Tie(
                id=f"t{k}",
                a=f"h{a}",
                b=f"h{b}",
                strength=float(rng.uniform(0.1, 1)),
                directed=bool(rng.integers(0, 2)),
            )
        )
    network = build_network(workspace(posts, persons, ties), DAY)
    ours = influence(network).score
    ref = _networkx_reference(network)
    np.testing.assert_allclose(ours, [ref[i] for i in range(n)], atol=1e-9)
    np.testing.assert_allclose(ours, _scipy_reference(network), atol=1e-9)


def test_decision_weight_personalises():
    ws = workspace(
        [Post(id="a", org="o", title="甲", grade=3), Post(id="b", org="o", title="乙", grade=3)],
        [holder("x", "a"), holder("y", "b")],
    )
    from stakegraph.records.model import Opportunity

    ws.add(
        Opportunity(
            id="opp",
            name="项目",
            client="o",
            chain=[{"name": "评审", "roles": [{"post": "a", "role": "evaluator", "weight": 1.0}]}],
        )
    )
    network = build_network(ws, DAY)
    plain = influence(network)
    assert plain.of("x") == pytest.approx(plain.of("y"))
    personal = influence(network, "opp")
    # teleport ∝ g (1 + 3 w): x gets 3*4 = 12, y gets 3 → 0.8 : 0.2 with no edges
    assert personal.of("x") == pytest.approx(0.8)
    assert personal.parts_of("x")["decision"] == pytest.approx(0.8 * 0.75)
    assert sp.issparse(network.formal)


@pytest.mark.parametrize("seed", range(3))
def test_personalised_runs_reach_the_direct_solution_whatever_ran_first(seed):
    # A personalised run starts from the cached unpersonalised scores; it must land on
    # the same fixed point as a direct solve, and not depend on which run came first.
    from stakegraph.records.model import Opportunity

    rng = np.random.default_rng(100 + seed)
    n = 30
    posts, persons = _random_hierarchy(rng, n)
    ties = [
        Tie(id=f"t{k}", a=f"h{a}", b=f"h{b}", strength=float(rng.uniform(0.1, 1)))
        for k, (a, b) in enumerate(rng.choice(n, 2, replace=False) for _ in range(40))
    ]
    ws = workspace(posts, persons, ties)
    roles = [int(r) for r in rng.choice(n, 3, replace=False)]
    weights = [1.0, 0.5, 0.8]
    ws.add(
        Opportunity(
            id="opp",
            name="项目",
            client="o",
            chain=[
                {
                    "name": "评审",
                    "roles": [
                        {"post": f"p{r}", "role": "evaluator", "weight": w}
                        for r, w in zip(roles, weights, strict=True)
                    ],
                }
            ],
        )
    )
    grade_of = {f"h{i}": max(posts[i].grade, 1) for i in range(n)}
    first = build_network(ws, DAY)
    personal_first = influence(first, "opp")
    second = build_network(ws, DAY)
    influence(second)
    personal_after = influence(second, "opp")
    teleport = np.array([float(grade_of[pid]) for pid in first.persons])
    for r, w in zip(roles, weights, strict=True):
        teleport[first.person_index[f"h{r}"]] *= 1 + 3.0 * w
    expected = _scipy_reference(first, teleport=teleport)
    np.testing.assert_allclose(personal_first.score, expected, atol=1e-9)
    np.testing.assert_allclose(personal_after.score, expected, atol=1e-9)
    assert personal_first.top() == personal_after.top()
    assert personal_first.top(5) == personal_first.top()[:5]
    assert personal_first.index == {pid: i for i, pid in enumerate(first.persons)}


def test_scores_given_for_a_larger_region_are_the_scores():
    """A network read as part of a book takes the book's scores from its memo."""
    from dataclasses import replace

    from stakegraph.analysis.influence import RegionInfluence
    from stakegraph.records.sample import SAMPLE_DAY, sample_workspace

    network = build_network(sample_workspace(), SAMPLE_DAY)
    own = influence(network, "portal")
    given = replace(own, score=own.score[::-1].copy())
    network.memo.get_or_build(RegionInfluence("portal"), lambda: given)
    assert influence(network, "portal") is given
    # another opportunity, or another boost, is computed as before
    assert influence(network, None).score.tolist() != given.score.tolist()
    assert influence(network, "portal", decision_boost=1.0) is not given
