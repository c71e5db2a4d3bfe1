"""The warm_paths query steps along reporting and oversight lines as the embedded engine
does: hand-computed channels on the sample workspace (records/sample.py), the rule that
a tie at least as strong as a line is the step used, checked just below, at and just
above the tie's strength, and the informal-only form the formal_lines parameter asks for."""

from __future__ import annotations

import copy

import pytest

from stakegraph.analysis.paths import warm_channels
from stakegraph.engines.equivalents import answer
from stakegraph.engines.neo4j import connect
from stakegraph.engines.queries import ParamOutOfRange, run_query
from stakegraph.errors import Location
from stakegraph.graph.network import build_network
from stakegraph.records import sample
from stakegraph.records.workspace import RawRecord, build_workspace
from tests.builders import run_cli

DAY = sample.SAMPLE_DAY
#: A step from zhao up to li and from li up to wang, at the default [formal_lines] upward.
UP = 0.5
#: liu knows zhao (0.8), chen knows li (0.6); zhao and wang are classmates (0.5).
LIU_ZHAO, CHEN_LI, ZHAO_WANG = 0.8, 0.6, 0.5
EPSILON = 1e-9


def _with_tie_li_wang() -> object:
    """The sample with a tie li–wang of 0.5 beside li's reporting line to wang."""
    records = copy.deepcopy(sample._RECORDS)
    records["ties"].append({"a": "li", "b": "wang", "kind": "former_colleague", "strength": 0.5})
    raws = [
        RawRecord(collection, dict(data), Location(f"sample {collection}"))
        for collection, items in records.items()
        for data in items
    ]
    return build_workspace(raws, name="sample-tied")


def _with_mentor(asker: str, asked: str, keep_classmates: bool = False) -> object:
    """The sample with the classmate tie zhao–wang (0.5) read as a directed mentor tie,
    or with the mentor tie beside it."""
    records = copy.deepcopy(sample._RECORDS)
    mentor = {"a": asker, "b": asked, "kind": "mentor", "strength": 0.5, "directed": True}
    records["ties"] = [*records["ties"], mentor] if keep_classmates else [mentor]
    raws = [
        RawRecord(collection, dict(data), Location(f"sample {collection}"))
        for collection, items in records.items()
        for data in items
    ]
    return build_workspace(raws, name=f"sample-{asker}-asks-{asked}")


DIRECTED = {"q-zhao-asks-wang": ("zhao", "wang"), "q-wang-asks-zhao": ("wang", "zhao")}


@pytest.fixture(scope="module")
def store(neo4j_connection):
    with connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password) as s:
        s.push(sample.sample_workspace(), "q-sample")
        s.push(_with_tie_li_wang(), "q-sample-tied")
        for name, (asker, asked) in DIRECTED.items():
            s.push(_with_mentor(asker, asked), name)
        s.push(_with_mentor("wang", "zhao", keep_classmates=True), "q-two-ties")
        yield s
        for name in ("q-sample", "q-sample-tied", "q-two-ties", *DIRECTED):
            s.drop(name)


def _channels(store, workspace: str, **params) -> list[tuple]:
    rows = run_query(
        store, "warm_paths", {"workspace": workspace, "person": "wang", "as_of": DAY, **params}
    )
    return [(r["owner"], tuple(r["persons"]), tuple(r["links"]), tuple(r["steps"])) for r in rows]


@pytest.mark.neo4j
def test_channels_to_the_director_step_up_and_down_the_lines(store) -> None:
    """Hand-computed: the classmate tie (0.8 x 0.5 = 0.4), li's report up (0.6 x 0.5 = 0.3),
    zhao's two reports up (0.8 x 0.5 x 0.5 = 0.2), then li's referral down to zhao and
    zhao's tie (0.6 x 0.6 x 0.5 = 0.18)."""
    assert _channels(store, "q-sample", k=4) == [
        ("liu", ("zhao", "wang"), (LIU_ZHAO, ZHAO_WANG), ("tie",)),
        ("chen", ("li", "wang"), (CHEN_LI, UP), ("up",)),
        ("liu", ("zhao", "li", "wang"), (LIU_ZHAO, UP, UP), ("up", "up")),
        ("chen", ("li", "zhao", "wang"), (CHEN_LI, 0.6, ZHAO_WANG), ("down", "tie")),
    ]
    rows = run_query(
        store, "warm_paths", {"workspace": "q-sample", "person": "wang", "as_of": DAY, "k": 4}
    )
    assert [r["strength"] for r in rows] == pytest.approx([0.4, 0.3, 0.2, 0.18], abs=1e-12)


@pytest.mark.neo4j
def test_informal_only_and_zero_strength_lines_leave_the_lines_out(store) -> None:
    only_ties = [("liu", ("zhao", "wang"), (LIU_ZHAO, ZHAO_WANG), ("tie",))]
    assert _channels(store, "q-sample", k=4, formal_lines=False) == only_ties
    assert _channels(store, "q-sample", k=4, upward=0.0, downward=0.0) == only_ties
    # without the referral down, the fourth channel is gone
    assert len(_channels(store, "q-sample", k=4, downward=0.0)) == 3


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("upward", "step", "strength"),
    [
        (0.5 - EPSILON, "tie", 0.5),  # the line is weaker: the tie
        (0.5, "tie", 0.5),  # as strong: the tie is the step used
        (0.5 + EPSILON, "up", 0.5 + EPSILON),  # stronger: the line
    ],
)
def test_a_tie_at_least_as_strong_as_the_line_is_the_step(store, upward, step, strength):
    (first, *_) = [
        c for c in _channels(store, "q-sample-tied", k=5, upward=upward) if c[1] == ("li", "wang")
    ]
    assert first[3] == (step,) and first[2][1] == pytest.approx(strength, abs=1e-15)
    network = build_network(_with_tie_li_wang(), DAY)
    python = warm_channels(network, "wang", 5)  # the default upward, 0.5: the tie
    assert ("li", "wang") in [c.persons for c in python]
    params = {"person": "wang", "as_of": DAY, "k": 5, "upward": upward}
    assert _channels(store, "q-sample-tied", k=5, upward=upward) == [
        (r["owner"], tuple(r["persons"]), tuple(r["links"]), tuple(r["steps"]))
        for r in answer(_with_tie_li_wang(), "warm_paths", params)
    ]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("upward", "1.000001"),
        ("upward", "-0.1"),
        ("downward", "1.5"),
        ("max_hops", "7"),
        ("against_deference", "1.000001"),
        ("against_deference", "-0.000001"),
    ],
)
def test_a_line_strength_out_of_range_is_refused_before_anything_is_sent(monkeypatch, name, value):
    """The server named cannot be reached: a refusal about the value proves nothing was sent."""
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    result = run_cli(
        [
            "query",
            "warm_paths",
            "--neo4j",
            "--workspace",
            "w",
            "-p",
            "person=p",
            "-p",
            "as_of=2026-12-01",
            "-p",
            f"{name}={value}",
        ]
    )
    assert result.exit_code == 2, result.output
    assert f"parameter {name} of query warm_paths must be from" in result.output
    with pytest.raises(ParamOutOfRange):
        answer(
            sample.sample_workspace(), "warm_paths", {"person": "wang", "as_of": DAY, name: value}
        )


def test_the_browser_block_prints_the_line_defaults() -> None:
    result = run_cli(["query", "warm_paths", "--browser"])
    assert result.exit_code == 0, result.output
    assert ":param formal_lines => true;" in result.output
    assert ":param upward => 0.5;" in result.output
    assert ":param downward => 0.6;" in result.output
    assert ":param against_deference => 0.5;" in result.output
    assert ":param tie_strength => 'max';" in result.output


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("workspace", "against", "tie_step"),
    [
        # zhao asks wang: zhao carries the proposal to wang at the tie's full 0.5
        ("q-zhao-asks-wang", 0.5, ZHAO_WANG),
        ("q-zhao-asks-wang", 1.0, ZHAO_WANG),
        ("q-zhao-asks-wang", 0.0, ZHAO_WANG),
        # wang asks zhao: the step zhao -> wang goes against it, 0.5 x against_deference
        ("q-wang-asks-zhao", 0.5, 0.25),
        ("q-wang-asks-zhao", 1.0, ZHAO_WANG),
        ("q-wang-asks-zhao", 0.0, None),  # not a channel at all
    ],
)
def test_a_directed_tie_is_read_in_the_direction_of_deference(store, workspace, against, tie_step):
    """Hand-computed on informal ties only: liu knows zhao (0.8), then the tie to wang."""
    expected = (
        [] if tie_step is None else [("liu", ("zhao", "wang"), (LIU_ZHAO, tie_step), ("tie",))]
    )
    got = _channels(store, workspace, k=4, formal_lines=False, against_deference=against)
    assert got == expected
    rows = run_query(
        store,
        "warm_paths",
        {
            "workspace": workspace,
            "person": "wang",
            "as_of": DAY,
            "formal_lines": False,
            "against_deference": against,
        },
    )
    assert [r["strength"] for r in rows] == pytest.approx(
        [] if tie_step is None else [LIU_ZHAO * tie_step], abs=1e-12
    )
    # the same rows as the Python, with the lines too
    params = {"person": "wang", "as_of": DAY, "k": 5, "against_deference": against}
    assert _channels(store, workspace, k=5, against_deference=against) == [
        (r["owner"], tuple(r["persons"]), tuple(r["links"]), tuple(r["steps"]))
        for r in answer(_with_mentor(*DIRECTED[workspace]), "warm_paths", params)
    ]


@pytest.mark.neo4j
def test_the_workspace_setting_is_the_default_against_deference(store) -> None:
    """Without the parameter, the stored [ties] against_deference (default 0.5) applies."""
    assert _channels(store, "q-wang-asks-zhao", k=4, formal_lines=False) == [
        ("liu", ("zhao", "wang"), (LIU_ZHAO, 0.25), ("tie",))
    ]


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("combine", "against", "step"),
    [
        # the classmate tie (0.5) and the mentor tie wang -> zhao read against (0.5 x a)
        ("max", 0.5, 0.5),
        ("max", 1.0, 0.5),
        ("noisy_or", 0.5, 1 - (1 - 0.5) * (1 - 0.25)),  # 0.625
        ("noisy_or", 1.0, 1 - (1 - 0.5) * (1 - 0.5)),  # 0.75
        ("noisy_or", 0.0, 0.5),  # the tie against carries nothing
    ],
)
def test_parallel_ties_combine_as_the_tie_strength_setting_says(store, combine, against, step):
    params = {"formal_lines": False, "against_deference": against, "tie_strength": combine}
    (channel,) = _channels(store, "q-two-ties", k=4, **params)
    assert channel[:2] == ("liu", ("zhao", "wang"))
    assert channel[2] == pytest.approx((LIU_ZHAO, step), abs=1e-15)
    python = answer(
        _with_mentor("wang", "zhao", keep_classmates=True),
        "warm_paths",
        {"person": "wang", "as_of": DAY, "k": 4, **params},
    )
    assert [tuple(r["links"]) for r in python] == [channel[2]]


def test_a_tie_strength_outside_its_values_is_refused_before_anything_is_sent(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    args = ["query", "warm_paths", "--neo4j", "--workspace", "w", "-p", "person=p"]
    result = run_cli([*args, "-p", "as_of=2026-12-01", "-p", "tie_strength=sum"])
    assert result.exit_code == 2, result.output
    assert "parameter tie_strength of query warm_paths must be one of max, noisy_or" in (
        result.output
    )
    with pytest.raises(ParamOutOfRange):
        answer(
            sample.sample_workspace(),
            "warm_paths",
            {"person": "wang", "as_of": DAY, "tie_strength": "sum"},
        )


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("deference", "wang_defers_to_zhao"), [(None, 1.0), ("sum", 1.0), ("max", 0.5)]
)
def test_parallel_ties_add_up_in_the_ranking_as_the_settings_say(
    store, deference, wang_defers_to_zhao
) -> None:
    """wang asks zhao as a mentee (0.5, directed) and they are classmates (0.5, both
    ways): summed, wang defers to zhao by 1.0; the strongest alone, by 0.5."""
    params = {"workspace": "q-two-ties", "as_of": DAY}
    if deference is not None:
        params["tie_deference"] = deference
    rows = run_query(store, "influence_ranking", params)
    ties = {(r["source"], r["target"]): r["weight"] for r in rows if r["part"] == "tie"}
    assert ties[("wang", "zhao")] == pytest.approx(wang_defers_to_zhao)
    assert ties[("zhao", "wang")] == pytest.approx(0.5)
    ws = _with_mentor("wang", "zhao", keep_classmates=True)
    expected = answer(ws, "influence_ranking", params)
    keyed = {(r["part"], r["source"], r["target"]): r["weight"] for r in rows}
    assert keyed == pytest.approx(
        {(r["part"], r["source"], r["target"]): r["weight"] for r in expected}
    )
