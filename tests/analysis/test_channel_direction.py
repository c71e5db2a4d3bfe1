"""Channels through a directed tie are scored in the direction of deference."""

import pytest

from stakegraph.analysis.coverage import warm_cover
from stakegraph.analysis.paths import best_introducer, warm_channels
from stakegraph.config import FormalLineSettings, Settings, TieSettings
from stakegraph.graph.network import build_network
from stakegraph.records.model import Relationship, Tie
from stakegraph.records.sample import SAMPLE_DAY, sample_workspace


def network_with(tie: Tie, against: float | None):
    """The sample (liu knows zhao at 0.8) with one tie between zhao and wang, and no
    steps along formal lines, so only the tie's direction decides."""
    ws = sample_workspace()
    ws.records["ties"] = {tie.id: tie}
    lines = FormalLineSettings(upward=0, downward=0)
    if against is not None:
        ws.settings = Settings(ties=TieSettings(against_deference=against), formal_lines=lines)
    else:
        ws.settings = Settings(formal_lines=lines)
    return build_network(ws, SAMPLE_DAY)


ASKS_UP = Tie(a="zhao", b="wang", kind="mentor", strength=0.5, directed=True)  # zhao asks wang
ASKED = Tie(a="wang", b="zhao", kind="mentor", strength=0.5, directed=True)  # wang asks zhao


@pytest.mark.parametrize(
    ("tie", "against", "expected"),
    [
        (ASKS_UP, None, 0.8 * 0.5),  # the default: full strength with deference,
        (ASKED, None, 0.8 * 0.5 * 0.5),  # half against it
        (ASKS_UP, 0.5, 0.8 * 0.5),  # zhao brings it to the one he asks: full strength
        (ASKED, 0.5, 0.8 * 0.5 * 0.5),  # zhao is the one asked: against deference
        (ASKED, 0.0, None),  # against deference counts for nothing: no channel
        (ASKED, 1.0, 0.8 * 0.5),
    ],
)
def test_a_step_against_deference_is_scaled(tie, against, expected):
    network = network_with(tie, against)
    channels = warm_channels(network, "wang", k=3)
    wang = network.person_index["wang"]
    if expected is None:
        assert len(channels) == 0
        assert warm_cover(network).best[wang] == 0
        assert best_introducer(network, "wang") is None
        return
    (channel,) = channels
    assert channel.persons == ("zhao", "wang")
    assert channel.strength == pytest.approx(expected)
    assert channel.links == pytest.approx((0.8, expected / 0.8))
    assert warm_cover(network).best[wang] == pytest.approx(expected)
    person, strength = best_introducer(network, "wang")
    assert (person, strength) == ("zhao", pytest.approx(expected))


def test_the_factor_scales_the_step_against_deference_linearly():
    # liu knows zhao (0.8); wang asks zhao (0.5): the step zhao → wang is against it.
    network = network_with(ASKED, 0.25)
    assert warm_cover(network).best[network.person_index["wang"]] == pytest.approx(0.8 * 0.125)


@pytest.mark.parametrize(
    ("direct", "cover", "best_owner"),
    [(0.19, 0.2, "liu"), (0.2, 0.2, "chen"), (0.21, 0.21, "chen")],  # equal: fewer hops
)
def test_at_the_default_the_reverse_channel_weighs_half(direct, cover, best_owner):
    # liu → zhao (0.8) → wang against "wang asks zhao" (0.5): 0.8 × 0.5 × 0.5 = 0.2 at
    # the default 0.5; chen's own relationship with wang wins only above 0.2.
    network = network_with(ASKED, None)
    ws = network.workspace
    scores = dict.fromkeys(
        ("acceptance", "participation", "information", "guidance", "support", "preference"), 5
    )
    ws.records["relationships"]["chen~wang"] = Relationship(
        owner="chen", person="wang", last_contact=SAMPLE_DAY, confidence=direct, **scores
    )
    network = build_network(ws, SAMPLE_DAY)
    assert warm_cover(network).best[network.person_index["wang"]] == pytest.approx(cover)
    (best,) = warm_channels(network, "wang", k=1)
    assert best.owner == best_owner
