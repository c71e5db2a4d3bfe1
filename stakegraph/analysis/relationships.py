"""Our relationships side by side: six scores, strength, computed vs stated vs target level."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from stakegraph.analysis.frames import ResultList
from stakegraph.graph.network import PersonNetwork
from stakegraph.graph.strength import LEVEL_ORDER, level_from_scores, relationship_strength
from stakegraph.records.model import RelationshipLevel


@dataclass(frozen=True)
class RelationshipStanding:
    """Where one relationship stands on the network's day.

    ``computed_level`` is :func:`~stakegraph.graph.strength.level_from_scores`,
    ``stated_level`` what the owner wrote, ``gap_to_target`` the levels still to
    climb to ``target_level`` (0 when reached or no target).
    """

    id: str
    owner: str
    person: str
    scores: dict[str, float]
    strength: float
    computed_level: RelationshipLevel
    stated_level: RelationshipLevel | None
    target_level: RelationshipLevel | None
    gap_to_target: int
    responsible: bool
    last_contact: dt.date | None
    confidence: float


class Relationships(ResultList[RelationshipStanding]):
    """The standings of :func:`relationship_levels`; a list that is also a table.

    :meth:`to_pandas` has one row per relationship, levels as their codes and the
    six scores as ``scores.<name>`` columns; ``network`` is the network they were
    computed on, for the views' names.
    """

    frame_columns = ("id", "owner", "person", "strength", "computed_level")

    def __init__(
        self, standings: Iterable[RelationshipStanding] = (), network: PersonNetwork | None = None
    ):
        super().__init__(standings)
        self.network = network

    def rows(self) -> list[dict[str, Any]]:
        """One dict per relationship, in order; levels as codes, exact strengths."""
        rows = []
        for standing in self:
            row = asdict(standing)
            for name in ("computed_level", "stated_level", "target_level"):
                row[name] = row[name].value if row[name] is not None else None
            rows.append(row)
        return rows


def relationship_levels(
    network: PersonNetwork, person: str | None = None, owner: str | None = None
) -> Relationships:
    """Every relationship (optionally of one person or owner) with its numbers.

    Sorted by strength, strongest first, then by id. O(relationships).

    Parameters
    ----------
    network : PersonNetwork
        The network on the day the strengths decay to.
    person, owner : str, optional
        Keep only the relationships with this person, or of this owner of ours.

    Returns
    -------
    list of RelationshipStanding

    Examples
    --------
    In the sample workspace (:mod:`stakegraph.records.sample`) all six scores are
    4 for ``liu`` and ``zhao`` and 3 for ``chen`` and ``li``, contacted on the day:
    strengths 4/5 and 3/5.

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> [(r.id, round(r.strength, 9)) for r in relationship_levels(network)]
    [('liu~zhao', 0.8), ('chen~li', 0.6)]
    """
    ws = network.workspace
    out: list[RelationshipStanding] = []
    for rel in ws.relationships.values():
        if (person and rel.person != person) or (owner and rel.owner != owner):
            continue
        computed = level_from_scores(rel.scores(), ws.settings)
        target = rel.target_level
        out.append(
            RelationshipStanding(
                id=rel.id,
                owner=rel.owner,
                person=rel.person,
                scores=rel.scores(),
                strength=relationship_strength(rel, network.day, ws.settings),
                computed_level=computed,
                stated_level=rel.level,
                target_level=target,
                gap_to_target=max(LEVEL_ORDER[target] - LEVEL_ORDER[computed], 0) if target else 0,
                responsible=rel.responsible,
                last_contact=rel.last_contact,
                confidence=rel.confidence,
            )
        )
    out.sort(key=lambda r: (-r.strength, r.id))
    return Relationships(out, network)


#: The name of the public API: ``sg.relationships(net)``.
relationships = relationship_levels
