"""Our relationships side by side: six scores, strength, computed vs stated vs target level."""

from __future__ import annotations

from typing import Any

from stakegraph.analysis.frames import ResultList
from stakegraph.graph.network import PersonNetwork
from stakegraph.graph.strength import LEVEL_ORDER, level_from_scores, relationship_strength


class Relationships(ResultList[dict[str, Any]]):
    """Rows of :func:`relationships`; a list of dicts that is also a table.

    :meth:`to_pandas` flattens the six scores into ``scores.<name>`` columns.
    """

    frame_columns = ("id", "owner", "person", "strength", "computed_level")

    def rows(self) -> list[dict[str, Any]]:
        """The rows themselves, as ``stakegraph relationships --json`` prints them."""
        return list(self)


def relationship_table(
    network: PersonNetwork, person: str | None = None, owner: str | None = None
) -> Relationships:
    """Every relationship (optionally of one person or owner) with its numbers.

    ``computed`` is :func:`~stakegraph.graph.strength.level_from_scores`;
    ``stated`` is what the owner wrote; ``gap_to_target`` counts the levels still
    to climb to ``target_level`` (0 when reached or no target). Sorted by
    strength, strongest first. O(relationships).

    Examples
    --------
    In the sample workspace (:mod:`stakegraph.records.sample`) all six scores are
    4 for ``liu`` and ``zhao`` and 3 for ``chen`` and ``li``, contacted on the day:
    strengths 4/5 and 3/5.

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> [(r["id"], r["strength"]) for r in relationship_table(network)]
    [('liu~zhao', 0.8), ('chen~li', 0.6)]
    """
    ws = network.workspace
    rows: list[dict[str, Any]] = []
    for rel in ws.relationships.values():
        if (person and rel.person != person) or (owner and rel.owner != owner):
            continue
        computed = level_from_scores(rel.scores(), ws.settings)
        target = rel.target_level
        rows.append(
            {
                "id": rel.id,
                "owner": rel.owner,
                "owner_name": ws.owners[rel.owner].name,
                "person": rel.person,
                "person_name": ws.persons[rel.person].name,
                "scores": {k: v for k, v in rel.scores().items()},
                "strength": round(relationship_strength(rel, network.day, ws.settings), 4),
                "computed_level": computed.value,
                "stated_level": rel.level.value if rel.level else None,
                "target_level": target.value if target else None,
                "gap_to_target": max(LEVEL_ORDER[target] - LEVEL_ORDER[computed], 0)
                if target
                else 0,
                "responsible": rel.responsible,
                "last_contact": rel.last_contact.isoformat() if rel.last_contact else None,
                "confidence": rel.confidence,
            }
        )
    rows.sort(key=lambda r: (-r["strength"], r["id"]))
    return Relationships(rows)


#: The name of the public API: ``sg.relationships(net)``.
relationships = relationship_table
