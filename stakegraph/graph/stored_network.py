"""The day's network of a workspace read through its cache, kept in the cache beside it.

Building the network (:func:`~stakegraph.graph.network.build_network`) indexes every
person and turns every post line and informal tie into sparse matrices: at 10^4
officials it took about as long as reading the cached records themselves. When the
workspace was read through its cache (:mod:`stakegraph.io.cache`) and no file
changed, the same day's network is the same, so its indexes and matrices are kept
in the cache folder and read back in a few milliseconds. The key is that of all the
workspace's files (every record and the settings), the reading code, the source of
the modules under ``stakegraph/graph/`` and the day; anything else is a new build.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from stakegraph.graph.network import PersonNetwork, build_network
from stakegraph.graph.timeline import workspace_on
from stakegraph.records.workspace import Workspace

#: The network's fields that :func:`build_network` computes, in the stored order.
_FIELDS = (
    "persons",
    "person_index",
    "owners",
    "owner_index",
    "grade",
    "posts",
    "formal",
    "oversight",
    "tie_deference",
    "tie_strength",
    "relationship",
    "relationship_id",
)
_TYPES: tuple[type | tuple[type, ...], ...] = (
    list,
    dict,
    list,
    dict,
    np.ndarray,
    dict,
    sp.csr_matrix,
    sp.csr_matrix,
    sp.csr_matrix,
    sp.csr_matrix,
    sp.csr_matrix,
    dict,
)


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

    entry = derived_entry(workspace, "network", _graph_code(), day.isoformat())
    if entry is None:
        return build_network(workspace, day)
    stored = entry.load()
    if _well_formed(stored):
        return PersonNetwork(
            workspace=workspace_on(workspace, day),
            day=day,
            source_workspace=workspace,
            **dict(zip(_FIELDS, stored, strict=True)),
        )
    network = build_network(workspace, day)
    entry.store(tuple(getattr(network, name) for name in _FIELDS))
    return network


def _well_formed(stored: Any) -> bool:
    return (
        isinstance(stored, tuple)
        and len(stored) == len(_FIELDS)
        and all(isinstance(value, kind) for value, kind in zip(stored, _TYPES, strict=True))
    )


__all__ = ["network_on"]
