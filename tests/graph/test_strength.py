"""Relationship strength and level: hand-computed values."""

import datetime as dt

import pytest

from stakegraph.config import Settings, StrengthSettings
from stakegraph.graph.strength import (
    level_from_scores,
    recency_factor,
    relationship_strength,
    score_strength,
)
from stakegraph.records.model import Relationship, RelationshipLevel
from tests.builders import DAY


def scores(a, p, i, g, s, c):
    return dict(acceptance=a, participation=p, information=i, guidance=g, support=s, preference=c)


def test_equal_weights_mean_over_five():
    assert score_strength(scores(5, 5, 5, 5, 5, 5)) == 1.0
    assert score_strength(scores(4, 3, 4, 3, 4, 3)) == pytest.approx(0.7)
    assert score_strength(scores(0, 0, 0, 0, 0, 0)) == 0.0


def test_configured_weights():
    settings = Settings(
        strength=StrengthSettings(
            acceptance=3, participation=0, information=0, guidance=0, support=1, preference=0
        )
    )
    # (3*5 + 1*1) / (5*4) = 0.8
    assert score_strength(scores(5, 0, 0, 0, 1, 0), settings) == pytest.approx(0.8)


def test_recency_halves_every_half_life():
    assert recency_factor(DAY, DAY) == 1.0
    assert recency_factor(DAY - dt.timedelta(days=180), DAY) == pytest.approx(0.5)
    assert recency_factor(DAY - dt.timedelta(days=360), DAY) == pytest.approx(0.25)
    assert recency_factor(None, DAY) == 1.0
    assert recency_factor(DAY + dt.timedelta(days=3), DAY) == 1.0


def test_strength_combines_scores_decay_and_confidence():
    rel = Relationship(
        owner="o",
        person="p",
        **scores(5, 5, 5, 5, 5, 5),
        last_contact=DAY - dt.timedelta(days=180),
        confidence=0.5,
    )
    assert relationship_strength(rel, DAY) == pytest.approx(0.25)
    only_since = Relationship(
        owner="o", person="p", **scores(5, 5, 5, 5, 5, 5), since=DAY - dt.timedelta(days=360)
    )
    assert relationship_strength(only_since, DAY) == pytest.approx(0.25)


@pytest.mark.parametrize(
    ("values", "level"),
    [
        ((1, 2, 1, 2, 1, 2), RelationshipLevel.VENDOR),  # mean 1.5
        ((2, 2, 2, 2, 2, 2), RelationshipLevel.PREFERRED),  # mean exactly 2
        ((3, 3, 3, 3, 4, 3), RelationshipLevel.PARTNER),  # mean 3.17
        ((4, 4, 4, 4, 4, 4), RelationshipLevel.STRATEGIC),
        ((5, 5, 5, 5, 3, 5), RelationshipLevel.PARTNER),  # mean 4.67 but support 3
        ((5, 5, 5, 5, 5, 3.5), RelationshipLevel.PARTNER),  # preference below 4
    ],
)
def test_levels(values, level):
    assert level_from_scores(scores(*values)) is level
