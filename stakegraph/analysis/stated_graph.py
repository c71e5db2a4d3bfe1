"""The graph an analysis read, as its output states it.

Influence walks the deference graph; warm paths, cover and the plan step along the
channel graph. Both depend on the relation filter, on the ``[ties]`` settings and
on the weights of formal lines, so an answer means little without them. A
:class:`StatedGraph` gathers what produced an answer (the graph, its direction,
the persons counted and those without any edge, the normalisation, the filter
and the weights) for the headings and the ``--json`` documents of ``influence``,
``paths`` and ``plan``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from stakegraph.config import DEFAULT_SETTINGS
from stakegraph.graph.network import PersonNetwork
from stakegraph.graph.relation_filter import RelationFilter, applied_filter
from stakegraph.graph.tie_graph import channel_strength

#: How influence scores are normalised: PageRank sums to 1 over every person.
INFLUENCE_NORMALISATION = "Σ score = 1 over n persons, shown × 100"
#: Channels are not normalised: a product of step strengths, each in [0, 1].
CHANNEL_NORMALISATION = "none: Π step strengths, each in [0, 1]"


@dataclass(frozen=True)
class StatedGraph:
    """What produced an answer: the graph, how it was read and counted.

    Attributes
    ----------
    day : date
        The day of the network.
    name : "deference" or "channels"
        Influence's deference graph (u → v: u defers to v) or the channel graph
        (u → v: u can bring our matter to v).
    lines : tuple of str
        The kinds of edge read: ``formal``, ``oversight``, ``informal``.
    directed : bool
        Always True for both graphs; stated so the documents read alike.
    n : int
        Persons of the day, every one counted (isolates included).
    isolates : int
        Persons without any edge in the graph, in or out.
    normalisation : str
        How the scores are scaled.
    relations : RelationFilter
        The relation filter the ties were restricted by.
    weights : dict
        ``[influence] formal / oversight / tie / damping`` for the deference graph,
        ``[formal_lines] upward / downward`` for the channel graph.
    combine : dict
        The ``[ties]`` settings read: ``deference`` for influence; ``strength`` and
        ``against_deference`` for channels.
    max_hops : int or None
        The most informal ties on a channel (channel graph only).
    changed : tuple of str
        The weights, ``[ties]`` settings and hop bound above that differ from their
        defaults, by key: an output states its graph in its heading when one does
        or a relation filter is in force.
    """

    day: dt.date
    name: Literal["deference", "channels"]
    lines: tuple[str, ...]
    directed: bool
    n: int
    isolates: int
    normalisation: str
    relations: RelationFilter
    weights: dict[str, float] = field(default_factory=dict)
    combine: dict[str, Any] = field(default_factory=dict)
    max_hops: int | None = None
    changed: tuple[str, ...] = ()

    @property
    def departs_from_default(self) -> bool:
        """Whether a relation filter or a setting that is not the default is in force."""
        return self.relations.active or bool(self.changed)

    def to_dict(self) -> dict[str, Any]:
        """Plain values for ``--json``: the filter as its dict, or None without one."""
        data: dict[str, Any] = {
            "name": self.name,
            "lines": list(self.lines),
            "directed": self.directed,
            "n": self.n,
            "isolates": self.isolates,
            "isolates_counted": True,
            "normalisation": self.normalisation,
            "relations": self.relations.to_dict() if self.relations.active else None,
            "weights": dict(self.weights),
            "combine": dict(self.combine),
        }
        if self.max_hops is not None:
            data["max_hops"] = self.max_hops
        return data


def isolated_persons(matrices: list[sp.csr_matrix], n: int) -> int:
    """How many of ``n`` persons have no nonzero entry in any matrix, row or column.

    O(nnz) over the matrices.

    >>> import scipy.sparse as sp
    >>> isolated_persons([sp.csr_matrix(([0.5], ([0], [1])), shape=(3, 3))], 3)
    1
    >>> isolated_persons([], 2)
    2
    """
    touched = np.zeros(n, dtype=bool)
    for matrix in matrices:
        rows, cols = matrix.nonzero()  # explicit zeros are not edges
        touched[rows] = True
        touched[cols] = True
    return int(n - touched.sum())


def _changed(values: dict[str, Any], defaults: dict[str, Any]) -> tuple[str, ...]:
    """The keys of ``values`` that differ from ``defaults``."""
    return tuple(key for key, value in values.items() if value != defaults[key])


def _stated(
    network: PersonNetwork,
    name: Literal["deference", "channels"],
    read: list[tuple[str, sp.csr_matrix]],
    normalisation: str,
    weights: dict[str, float],
    weight_defaults: dict[str, Any],
    combine: dict[str, Any],
    max_hops: int | None = None,
) -> StatedGraph:
    """The graph of ``network`` made of the ``read`` lines (kind, matrix), as stated; all
    that differs from the defaults is named in ``changed``. O(n + edges)."""
    changed = _changed(weights, weight_defaults) + _changed(
        combine, DEFAULT_SETTINGS.ties.model_dump()
    )
    if max_hops is not None and max_hops != DEFAULT_SETTINGS.coverage.max_hops:
        changed += ("max_hops",)
    return StatedGraph(
        day=network.day,
        name=name,
        lines=tuple(kind for kind, _ in read),
        directed=True,
        n=network.size,
        isolates=isolated_persons([matrix for _, matrix in read], network.size),
        normalisation=normalisation,
        relations=applied_filter(network),
        weights=weights,
        combine=combine,
        max_hops=max_hops,
        changed=changed,
    )


def deference_graph(network: PersonNetwork) -> StatedGraph:
    """The deference graph influence walks on ``network``, as stated.

    Definition
    ----------
    Edges u → v when u defers to v: formal reporting lines weighted ``[influence]
    formal``, oversight (分管) weighted ``oversight`` and informal ties weighted
    ``tie`` × strength (both ways unless directed; parallel ties combined as
    ``[ties] deference`` says). A person is an isolate when no edge of positive
    weight touches them: their score is their teleport share only.

    Parameters
    ----------
    network : PersonNetwork
        The (possibly filtered) network of the day.

    Returns
    -------
    StatedGraph

    Complexity
    ----------
    O(n + edges).

    Reference
    ---------
    Page, Brin, Motwani, Winograd, "The PageRank citation ranking", 1999 (the scores
    are a probability distribution, hence the normalisation).

    Examples
    --------
    In the sample zhao reports to li and li to wang: every one of the three persons
    touches an edge, so none is an isolate.

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> stated = deference_graph(build_network(sample_workspace(), SAMPLE_DAY))
    >>> stated.n, stated.isolates, stated.weights["tie"], stated.combine
    (3, 0, 0.5, {'deference': 'sum'})
    """
    settings = network.workspace.settings
    weights = settings.influence
    parts = [
        ("formal", weights.formal, network.formal),
        ("oversight", weights.oversight, network.oversight),
        ("informal", weights.tie, network.tie_deference),
    ]
    read = [(name, matrix) for name, weight, matrix in parts if weight > 0]
    used = {
        "formal": weights.formal,
        "oversight": weights.oversight,
        "tie": weights.tie,
        "damping": weights.damping,
    }
    combine = {"deference": settings.ties.deference}
    default = DEFAULT_SETTINGS.influence.model_dump()
    return _stated(network, "deference", read, INFLUENCE_NORMALISATION, used, default, combine)


def channel_graph(
    network: PersonNetwork, max_hops: int | None = None, formal_lines: bool = True
) -> StatedGraph:
    """The channel graph warm paths, cover and the plan step along, as stated.

    Definition
    ----------
    Edges u → v when u can bring our matter to v: an informal tie (its strength ×
    confidence; a directed tie against deference × ``[ties] against_deference``,
    parallel ties combined as ``[ties] strength`` says), a reporting or oversight
    line upwards at ``[formal_lines] upward`` and downwards at ``downward`` (a line
    of strength 0 is not read). A channel's strength is the product of its steps,
    not normalised. A person is an isolate when no step reaches or leaves them.

    Parameters
    ----------
    network : PersonNetwork
        The (possibly filtered) network of the day.
    max_hops : int, optional
        The hop bound used (default ``[coverage] max_hops``).
    formal_lines : bool
        False for cover, which steps along informal ties only: the line weights
        are then neither read nor stated.

    Returns
    -------
    StatedGraph

    Complexity
    ----------
    O(n + edges).

    Reference
    ---------
    Marsden & Campbell, "Measuring tie strength", Social Forces 63, 1984 (strength
    along a chain of ties as the product of its links).

    Examples
    --------
    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> stated = channel_graph(build_network(sample_workspace(), SAMPLE_DAY))
    >>> stated.n, stated.isolates, stated.max_hops, stated.combine["against_deference"]
    (3, 0, 2, 0.5)
    """
    settings = network.workspace.settings
    lines = settings.formal_lines
    read = [("informal", channel_strength(network))]
    used = {"upward": lines.upward, "downward": lines.downward} if formal_lines else {}
    if formal_lines and (lines.upward > 0 or lines.downward > 0):
        read += [("formal", network.formal), ("oversight", network.oversight)]
    combine = {
        "strength": settings.ties.strength,
        "against_deference": settings.ties.against_deference,
    }
    hops = settings.coverage.max_hops if max_hops is None else max_hops
    default = DEFAULT_SETTINGS.formal_lines.model_dump()
    return _stated(network, "channels", read, CHANNEL_NORMALISATION, used, default, combine, hops)
