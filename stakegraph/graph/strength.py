"""Relationship strength and level from the six scores (seed 000, seed 003).

Strength is what every algorithm uses as the weight of "our owner knows this
person"; level is the four-step scale people talk in (卖主 → 战略联盟).
"""

from __future__ import annotations

import datetime as dt

from stakegraph.config import DEFAULT_SETTINGS, Settings
from stakegraph.records.model import SCORE_DIMENSIONS, Relationship, RelationshipLevel, Tie


def score_strength(scores: dict[str, float], settings: Settings = DEFAULT_SETTINGS) -> float:
    """Weighted mean of the six 0–5 scores, scaled to [0, 1] (no decay, no confidence).

    ``s = Σ_i w_i x_i / (5 Σ_i w_i)`` with weights from ``[strength]`` in
    stakegraph.toml (default: equal). O(1).
    """
    weights = settings.strength.weights()
    total = sum(weights.values())
    return sum(weights[d] * scores[d] for d in SCORE_DIMENSIONS) / (5.0 * total)


def recency_factor(
    last_contact: dt.date | None, day: dt.date, settings: Settings = DEFAULT_SETTINGS
) -> float:
    """``0.5 ** (days since last contact / half-life)``; 1 when no date is recorded.

    A missing date is not punished here (the STALE gap reports it instead), and a
    contact dated after ``day`` counts as today's.
    """
    if last_contact is None:
        return 1.0
    days = max((day - last_contact).days, 0)
    return 0.5 ** (days / settings.strength.half_life_days)


def relationship_strength(
    relationship: Relationship, day: dt.date, settings: Settings = DEFAULT_SETTINGS
) -> float:
    """Strength in [0, 1] of a relationship on ``day``.

    Definition
    ----------
    ``strength = score_strength(scores) × 0.5 ** (Δdays / half_life) × confidence``
    where Δdays counts from ``last_contact`` (or ``since`` when no contact date is
    recorded) to ``day``. The confidence discount lets a hearsay relationship
    weigh less than one we verified.

    Complexity O(1). Reference: the six dimensions of 量化评估客户关系 (seed 000);
    exponential recency decay as in time-decayed tie strength (Marsden & Campbell,
    "Measuring tie strength", Social Forces 63, 1984, on recency as a component).

    Examples
    --------
    All six scores of ``liu`` and ``zhao`` in the sample workspace
    (:mod:`stakegraph.records.sample`) are 4: strength 4/5, halved after one
    half-life (180 days by default) without contact.

    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> ws = sample_workspace()
    >>> rel = ws.relationships["liu~zhao"]
    >>> relationship_strength(rel, SAMPLE_DAY)
    0.8
    >>> relationship_strength(rel, SAMPLE_DAY + dt.timedelta(days=180))
    0.4
    """
    base = score_strength(relationship.scores(), settings)
    contact = relationship.last_contact or relationship.since
    return base * recency_factor(contact, day, settings) * relationship.confidence


def tie_strength(tie: Tie) -> float:
    """Strength of an informal tie used by the algorithms: ``strength × confidence``."""
    return tie.strength * tie.confidence


def level_from_scores(
    scores: dict[str, float], settings: Settings = DEFAULT_SETTINGS
) -> RelationshipLevel:
    """The relationship level (seed 003) the six scores indicate.

    Default rule (``[levels]`` in stakegraph.toml): mean < 2 → vendor (卖主关系),
    < 3 → preferred (被优先考虑的供应商), < 4 → partner (合作伙伴关系), otherwise
    strategic (战略联盟关系), which also needs support ≥ 4 and preference ≥ 4; a
    high mean without them stays partner. O(1).
    """
    rule = settings.levels
    mean = sum(scores[d] for d in SCORE_DIMENSIONS) / len(SCORE_DIMENSIONS)
    if mean < rule.preferred:
        return RelationshipLevel.VENDOR
    if mean < rule.partner:
        return RelationshipLevel.PREFERRED
    if mean < rule.strategic:
        return RelationshipLevel.PARTNER
    if (
        scores["support"] >= rule.strategic_min_support
        and scores["preference"] >= rule.strategic_min_preference
    ):
        return RelationshipLevel.STRATEGIC
    return RelationshipLevel.PARTNER


LEVEL_ORDER = {level: i for i, level in enumerate(RelationshipLevel)}
