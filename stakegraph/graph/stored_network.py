"""The day's network of a workspace read through its cache, kept in the cache beside it.

Building the network (:func:`~stakegraph.graph.network.build_network`) indexes every
person and turns every post line and informal tie into sparse matrices: at 10^4
officials it took about as long as reading the cached records themselves. When the
workspace was read through its cache (:mod:`stakegraph.io.cache`) and no file
changed, the same day's network is the same, so its indexes and matrices are kept
in the cache folder and read back in a few milliseconds. The key is that of all the
workspace's files (every record and the settings), the reading code, the source of
the modules under ``stakegraph/graph/`` and the day; anything else is a new build.
The tie matrices, and what the analyses derive from the ties alone, are kept apart
under the key of the files of the persons and ties only (with the settings, the
code and the day), so that after an edit of any other file (an interaction logged,
say) they are read back, the ties themselves are not read, and only the rest of the
network is built again. So are the indexes, grades and formal and oversight lines,
under the key of the files of the persons, posts, organisations and owners: after
an interaction is logged only the relationships are built again.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from stakegraph.graph.network import (
    STRUCTURE_FIELDS,
    STRUCTURE_READS,
    PersonNetwork,
    build_network,
)
from stakegraph.graph.tie_graph import (
    ChannelMatrix,
    TieConfidenceMatrix,
    channel_strength,
    tie_confidence,
)
from stakegraph.graph.timeline import workspace_on
from stakegraph.records.workspace import Workspace

#: The network's fields built from the persons and ties alone (and the settings), kept in
#: an entry of their own keyed by those files: an edit of any other file keeps them.
_TIE_FIELDS = ("tie_deference", "tie_strength")
#: The network's fields that :func:`build_network` computes, in the stored order.
_FIELDS = (*STRUCTURE_FIELDS, *_TIE_FIELDS, "relationship", "relationship_id")
#: Kept with them, so that a command that reads no tie itself never reads the ties:
#: whether a tie starts after the day (the day's view then shares the ties, still
#: unread), the channel steps the warm cover reads (None when they are the tie
#: strengths themselves) and the ties' confidence by pair, which coverage reads.
_TIE_TYPES: tuple[type | tuple[type, ...], ...] = (
    sp.csr_matrix,
    sp.csr_matrix,
    bool,
    (sp.csr_matrix, type(None)),
    sp.csr_matrix,
)
#: Of those, the ones built from the persons, posts, organisations and owners alone (and
#: the settings), in an entry of their own keyed by those files: an interaction logged
#: keeps them too.
_STRUCTURE_TYPES: tuple[type, ...] = (
    list,
    dict,
    list,
    dict,
    np.ndarray,
    dict,
    sp.csr_matrix,
    sp.csr_matrix,
)
#: The rest, the relationships, built again after an edit of any file.
_REST = tuple(name for name in _FIELDS if name not in (*_TIE_FIELDS, *STRUCTURE_FIELDS))
_REST_TYPES: tuple[type, ...] = (sp.csr_matrix, dict)


@functools.cache
def _graph_code() -> bytes:
    """A digest of every module of ``stakegraph/graph/``: other code, another key."""
    digest = hashlib.blake2b(digest_size=32)
    for source in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.digest()


def network_on(workspace: Workspace, day: dt.date) -> PersonNetwork:
    """The network of ``workspace`` on ``day``: :func:`build_network`, kept in the cache.

    Equal to ``build_network(workspace, day)`` field by field. For a workspace exactly
    as the cache's loader returned it (and not changed since), the indexes and
    matrices are read from the cache when an earlier command built the same day's
    network from the same files, and stored after building otherwise; any other
    workspace is simply built. ``network.workspace`` (the day's view,
    :func:`~stakegraph.graph.timeline.workspace_on`) is made afresh each time.

    Parameters
    ----------
    workspace
        A workspace, normally just read with ``load_workspace(path, cache=True)``.
    day
        The day of the network.

    Complexity: O(records + edges) to build; reading it back is O(size of the
    matrices) plus the day's view, O(records).
    """
    from stakegraph.io.cache import derived_entry

    parts = (_graph_code(), day.isoformat())
    entry = derived_entry(workspace, "network", *parts)
    ties_entry = derived_entry(workspace, "network-ties", *parts, reads=("persons", "ties"))
    structure_entry = derived_entry(workspace, "network-structure", *parts, reads=STRUCTURE_READS)
    if entry is None or ties_entry is None or structure_entry is None:
        return build_network(workspace, day)
    ties = _loaded(ties_entry.load(), _TIE_TYPES)
    structure = _loaded(structure_entry.load(), _STRUCTURE_TYPES)
    stored = _loaded(entry.load(), _REST_TYPES) if ties and structure else None
    if ties is not None and structure is not None and stored is not None:
        network = PersonNetwork(
            workspace=workspace_on(workspace, day, future_ties=ties[2]),
            day=day,
            source_workspace=workspace,
            **dict(zip(STRUCTURE_FIELDS, structure, strict=True)),
            **dict(zip(_REST, stored, strict=True)),
            **dict(zip(_TIE_FIELDS, ties, strict=False)),
        )
    else:  # another file changed: what was kept is used, the rest built and kept
        network = build_network(
            workspace, day, ties=ties[:3] if ties is not None else None, structure=structure
        )
        entry.store(tuple(getattr(network, name) for name in _REST))
        if structure is None:
            structure_entry.store(tuple(getattr(network, name) for name in STRUCTURE_FIELDS))
        if ties is None:
            future_ties = any(t.since and t.since > day for t in workspace.ties.values())
            steps = channel_strength(network)
            channel = None if steps is network.tie_strength else steps
            tie_part = (network.tie_deference, network.tie_strength, future_ties, channel)
            ties_entry.store((*tie_part, tie_confidence(network)))
            return network
    if ties[3] is not None:
        network.memo.get_or_build(ChannelMatrix(), lambda: ties[3])
    network.memo.get_or_build(TieConfidenceMatrix(), lambda: ties[4])
    return network


def _loaded(stored: Any, types: tuple[type | tuple[type, ...], ...]) -> tuple[Any, ...] | None:
    """What an entry held, when it has the fields and types expected (None otherwise)."""
    return stored if _well_formed(stored, types) else None


def _well_formed(stored: Any, types: tuple[type | tuple[type, ...], ...]) -> bool:
    return (
        isinstance(stored, tuple)
        and len(stored) == len(types)
        and all(isinstance(value, kind) for value, kind in zip(stored, types, strict=True))
    )


__all__ = ["network_on"]
