"""The person network of a whole stored region, streamed from Neo4j as columns.

A region's influence needs every person's formal lines, oversight, ties and grade,
but no record whole. Rather than pull the book (every record through Python objects)
or climb reporting lines in Cypher (a variable-length match with a test per post
passed, per held post: the slow part of the ``influence_ranking`` named query), a
few plain scans return each input as one row of parallel lists:

* the persons, in the order of the push (so rows are the rows of the folder);
* every post with its organisation, grade and whether it is a leadership post;
* the (post, person) pairs held on the day: a tenure covers the day, the holder is
  not on leave, the post lives (its own and its organisation's lifetime);
* the reporting lines (post → post) and oversight (post → organisation) in force;
* the ties that exist on the day (a, b, strength × confidence, directed).

These fill a :class:`~stakegraph.graph.arrays.DayStructure`, from which the formal and
oversight edges and the grades are derived by the functions the embedded engine uses
(:mod:`stakegraph.graph.arrays`), and the tie matrices are built by
:func:`~stakegraph.graph.network.weighted_tie_matrices`: the matrices are those of
:func:`~stakegraph.graph.network.build_network` on the folder. An opportunity's
decision weights come from the ``decision`` branch of the ``influence_ranking``
query, as before.

The ties, the largest scan (five per official), name their ends by the persons'
positions in the push (``_seq``, integers) rather than their ids, and their matrices
are built with numpy (:func:`~stakegraph.graph.network.tie_matrices_of_arrays`, equal
entry for entry); each scan starts from the range index on ``workspace`` the push
creates, so it reads one workspace's nodes, not a label across every workspace.

Complexity: O(persons + posts + holdings + lines + ties) on the server and here,
one round trip per scan; no variable-length match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from stakegraph.errors import StoreError
from stakegraph.graph.arrays import (
    DayStructure,
    formal_pairs,
    held_posts,
    indexed,
    oversight_pairs,
)
from stakegraph.graph.network import PersonNetwork, _strongest, tie_matrices_of_arrays

if TYPE_CHECKING:
    from stakegraph.config import Settings
    from stakegraph.engines.neo4j import Store as Database

# A period [start, end) covering the day; the same test as the named queries.
_DATED = "({x}.start IS NULL OR {x}.start <= $day) AND ({x}.end IS NULL OR $day < {x}.end)"

_PERSONS = (
    "MATCH (p:Person {workspace: $workspace}) WITH p ORDER BY p._seq "
    "RETURN collect(p.id) AS ids, collect(p._seq) AS seqs"
)
_POSTS = (
    "MATCH (post:Post {workspace: $workspace})-[:IN]->(o:Organisation) "
    "WITH post, o ORDER BY post._seq "
    "RETURN collect(post.id) AS ids, collect(o.id) AS orgs, "
    "collect(coalesce(post.grade, 0)) AS grades, "
    "collect(coalesce(post.leadership, false)) AS leadership"
)
_HELD = (
    "MATCH (p:Person {workspace: $workspace})-[h:HOLDS]->(post:Post) "
    f"WHERE {_DATED.format(x='h')} AND NOT coalesce(h.on_leave, false) "
    "AND (post.live_start IS NULL OR post.live_start <= $day) "
    "AND (post.live_end IS NULL OR $day < post.live_end) "
    "WITH p, h, post ORDER BY post._seq, p._seq, h._seq "
    "RETURN collect(post.id) AS posts, collect(p.id) AS persons"
)
_LINES = (
    "MATCH (a:Post {workspace: $workspace})-[r:REPORTS_TO]->(b:Post) "
    f"WHERE {_DATED.format(x='r')} "
    "RETURN collect(a.id) AS posts, collect(b.id) AS superiors"
)
_OVERSIGHT = (
    "MATCH (a:Post {workspace: $workspace})-[r:OVERSEES]->(o:Organisation) "
    f"WHERE {_DATED.format(x='r')} WITH a, r, o ORDER BY a._seq, r._seq "
    "RETURN collect(a.id) AS posts, collect(o.id) AS orgs"
)
# Ends as the persons' positions in the push (``_seq``), not their ids: the largest
# scan returns integers, which the client maps to rows with one sorted search.
_TIES = (
    "MATCH (a:Person {workspace: $workspace})-[t:TIE]->(b:Person) "
    "WHERE t.since IS NULL OR t.since <= $day "
    "RETURN collect(a._seq) AS a, collect(b._seq) AS b, "
    "collect(t.strength * coalesce(t.confidence, 1.0)) AS weight, "
    "collect(coalesce(t.directed, false)) AS directed"
)

#: The scans in the order they run, with what a progress line calls them.
SCANS = (
    ("persons", _PERSONS),
    ("posts", _POSTS),
    ("held", _HELD),
    ("lines", _LINES),
    ("oversight", _OVERSIGHT),
    ("ties", _TIES),
)


@dataclass
class RegionColumns:
    """The columns a region's network is built from, as the server gave them."""

    persons: list[str]
    structure: DayStructure
    #: The ties' ends ``a`` and ``b`` as positions in the push (``_seq``), with their
    #: ``weight`` and ``directed``.
    ties: dict[str, list[Any]]
    #: Each person's position in the push, ascending (persons come in that order).
    person_seqs: list[int]


def read_columns(
    db: Database,
    workspace_id: str,
    day: dt.date,
    progress: Callable[[str], None] | None = None,
) -> RegionColumns:
    """Run the scans of the module notes; ``progress`` is told the name of each done.

    O(rows of the region) on the server, one round trip per scan.
    """
    got: dict[str, dict[str, Any]] = {}
    with db._errors():
        for name, query in SCANS:
            (got[name],) = db._read_rows(query, workspace=workspace_id, day=day)
            if progress is not None:
                progress(name)
    posts = got["posts"]
    structure = DayStructure(
        holders={post_id: [] for post_id in posts["ids"]},
        org=dict(zip(posts["ids"], posts["orgs"], strict=True)),
        grade=dict(zip(posts["ids"], posts["grades"], strict=True)),
        leadership={p for p, lead in zip(posts["ids"], posts["leadership"], strict=True) if lead},
    )
    for post_id, pid in zip(got["held"]["posts"], got["held"]["persons"], strict=True):
        structure.holders[post_id].append(pid)
    structure.superior = dict(zip(got["lines"]["posts"], got["lines"]["superiors"], strict=True))
    for post_id, org_id in zip(got["oversight"]["posts"], got["oversight"]["orgs"], strict=True):
        structure.oversees.setdefault(post_id, []).append(org_id)
    persons = got["persons"]
    return RegionColumns(persons["ids"], structure, got["ties"], persons["seqs"])


def region_network(
    columns: RegionColumns, settings: Settings, day: dt.date, name: str = "neo4j"
) -> PersonNetwork:
    """The network of the region from its columns: persons, grades, formal, oversight, ties.

    The matrices are built as :func:`~stakegraph.graph.network.build_network` builds
    them; the network has no owners or relationships (ours are not part of the
    region's influence) and stands on a workspace holding only the settings.
    O(persons + holdings + lines + ties).
    """
    from stakegraph.records.workspace import Workspace

    persons = columns.persons
    index = {pid: i for i, pid in enumerate(persons)}
    n = len(persons)
    grade, posts_of = held_posts(columns.structure, index)
    formal = _unit_edges(indexed(formal_pairs(columns.structure), index), n)
    oversight = _unit_edges(indexed(oversight_pairs(columns.structure), index), n)
    ties = columns.ties
    seqs = np.asarray(columns.person_seqs, dtype=np.int64)
    tie_deference, tie_strength = tie_matrices_of_arrays(
        _rows_of(seqs, ties["a"]),
        _rows_of(seqs, ties["b"]),
        np.asarray(ties["weight"], dtype=float),
        np.asarray(ties["directed"], dtype=bool),
        n,
        settings.ties,
    )
    stand_in = Workspace(settings, name)
    return PersonNetwork(
        workspace=stand_in,
        day=day,
        persons=persons,
        person_index=index,
        owners=[],
        owner_index={},
        grade=grade,
        posts=posts_of,
        formal=formal,
        oversight=oversight,
        tie_deference=tie_deference,
        tie_strength=tie_strength,
        relationship=sp.csr_matrix((0, n)),
    )


def _unit_edges(pairs: tuple[list[int], list[int]], n: int) -> sp.csr_matrix:
    """The n×n matrix with 1 at each (row, column) pair, as :func:`_csr` with ``max``."""
    rows, cols = (np.asarray(x, dtype=np.int64) for x in pairs)
    return _strongest(rows, cols, np.ones(len(rows)), n)


def _rows_of(seqs: np.ndarray, wanted: list[int]) -> np.ndarray:
    """Rows of the persons at push positions ``wanted``; ``seqs`` ascending. O(k log n)."""
    at = np.asarray(wanted, dtype=np.int64)
    rows = np.searchsorted(seqs, at)
    if len(at) and (rows.max() >= len(seqs) or not np.array_equal(seqs[rows], at)):
        raise StoreError("a tie of the stored region ends at a person the scan did not read")
    return rows


def decision_weights_of(
    db: Database,
    workspace_id: str,
    network: PersonNetwork,
    opportunity: str,
    settings: Settings,
) -> np.ndarray:
    """Σ of the decision weights each person of ``network`` holds on the opportunity's chain.

    From the ``decision`` branch of the ``influence_ranking`` named query (a role on a
    post that ceased in a reform falls on the posts standing for it, its weight
    shared), run alone. O(roles × holders).
    """
    from stakegraph.engines.queries import bind_params, get_query

    query = get_query("influence_ranking")
    branch = next(b for b in query.text.split("UNION ALL") if "'decision' AS part" in b)
    params = {"workspace": workspace_id, "as_of": network.day, "opportunity": opportunity}
    bound = bind_params(query, params, settings)
    columns = f"CALL () {{ {branch} }} RETURN collect(source) AS source, collect(weight) AS weight"
    with db._errors():
        (got,) = db._read(columns, **bound)
    weights = np.zeros(network.size)
    for pid, weight in zip(got["source"], got["weight"], strict=True):
        weights[network.person_index[pid]] += weight
    return weights
