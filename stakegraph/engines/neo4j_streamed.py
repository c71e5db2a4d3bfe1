"""Whole-region measures of the informal tie graph from Neo4j, streamed in columns.

A centrality (degree, closeness, harmonic, eigenvector, betweenness: the brokerage
measure) is about every official of the region, so a targeted read cannot give it;
pulling the book builds every record to use only the ties. Here the persons come from
the region's person scan and the ties of the day from one tie scan
(:func:`~stakegraph.engines.neo4j_columns.read_ties`: ends, kind, strength,
confidence, direction; in pages), the measure runs on the network those give, as on a
folder, and only the records of the officials listed are read to name them
(:func:`~stakegraph.engines.neo4j_subgraph.read_records_of`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stakegraph.analysis.centrality import Centrality
    from stakegraph.engines.neo4j import Store as Database
    from stakegraph.engines.neo4j_columns import ScanProgress
    from stakegraph.graph.network import PersonNetwork


def streamed_centrality(
    db: Database,
    workspace_id: str,
    day: dt.date,
    measure: str,
    top: int | None,
    progress: ScanProgress | None = None,
    directed: bool | None = None,
    weighted: bool = False,
    samples: int | None = None,
) -> tuple[PersonNetwork, Centrality]:
    """One centrality of every person of a stored region, from streamed columns.

    Definition and parameters as :func:`stakegraph.analysis.centrality.centrality`
    (``measure``, ``directed``, ``weighted``, ``samples``), on the informal tie graph
    of ``day``: every person of the region counts, ties that start after the day do
    not. ``top`` persons (None: everyone) are read to be shown by name; the network
    returned stands on those records as they were on the day. Every tie kind is kept:
    a relation filter also reads tags and sources, which the tie scan leaves on the
    server, so a filtered command reads the book whole.

    Returns
    -------
    tuple
        The network and its :class:`~stakegraph.analysis.centrality.Centrality`.

    Raises
    ------
    ValueError
        For a measure and options that do not go together, as the analysis does.

    Complexity: O(persons + ties) read in pages, the measure's own cost
    (betweenness O(k (n + m)) for k sources), O(top) records read.

    References
    ----------
    S. Wasserman and K. Faust, *Social Network Analysis*, 1994, ch. 5.
    """
    from stakegraph.analysis.centrality import centrality
    from stakegraph.engines.neo4j_columns import read_ties, region_people
    from stakegraph.engines.neo4j_subgraph import read_records_of
    from stakegraph.engines.queries import _stored_settings
    from stakegraph.graph.timeline import workspace_on

    settings = _stored_settings(db, workspace_id)
    network = region_people(db, workspace_id, settings, day, progress)
    network.workspace.records["ties"] = dict(read_ties(db, workspace_id, day, progress))
    result = centrality(
        network,
        measure,  # type: ignore[arg-type]
        directed=directed,
        weighted=weighted,
        samples=samples,
    )
    shown = [network.persons[i] for i in result.ranked(network.persons, top)]
    network.workspace = workspace_on(read_records_of(db, workspace_id, day, shown), day)
    return network, result
