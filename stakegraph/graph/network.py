"""The person network on one day, as arrays: built once, shared by every analysis.

networkx stays the model users see; the heavy analyses (PageRank, warm paths,
coverage for every opportunity) run on this index of persons and owners and on
one sparse matrix per edge family, derived once per (workspace, day) and reused
by the report and every what-if scenario. See DESIGN §4 "Speed by representation".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from stakegraph.config import DEFAULT_SETTINGS, TieSettings
from stakegraph.graph.arrays import (
    DayStructure,
    formal_pairs,
    held_posts,
    indexed,
    oversight_pairs,
)
from stakegraph.graph.memo import Memo
from stakegraph.graph.strength import relationship_strength, tie_strength
from stakegraph.graph.timeline import workspace_on
from stakegraph.records.model import Tie
from stakegraph.records.workspace import Workspace


@dataclass
class PersonNetwork:
    """Persons, owners and weighted edges on ``day``.

    Attributes
    ----------
    persons, owners : list of ids; ``person_index``/``owner_index`` map id → row.
    grade : int array, the highest grade a person holds on the day (0: no post).
    posts : person id → ids of the posts held on the day.
    formal : CSR (n×n), u→v when u's post reports to v's post (weight 1).
    oversight : CSR (n×n), a bureau leader → the leader whose post oversees it (分管).
    tie_deference : CSR (n×n), informal ties as deference edges, weight tie strength
        (both directions unless the tie is directed).
    tie_strength : CSR (n×n) symmetric, the strongest tie between two persons, for
        warm paths (an introduction works both ways).
    relationship : CSR (owners×persons), our relationship strengths on the day.
    relationship_id : (owner row, person row) → relationship id.
    source_workspace : the workspace as it was handed to :func:`build_network`, before
        the as-of overlay of :func:`~stakegraph.graph.timeline.workspace_on` (records as
        typed, before re-assessments and logged contacts), for views that compare
        days or show a record as entered; None for a network assembled otherwise
        (from a Neo4j projection).
    memo : derived matrices and indexes kept warm across analyses and what-if
        scenarios (:class:`~stakegraph.graph.memo.Memo`).
    """

    workspace: Workspace
    day: dt.date
    persons: list[str]
    person_index: dict[str, int]
    owners: list[str]
    owner_index: dict[str, int]
    grade: np.ndarray
    posts: dict[str, list[str]]
    formal: sp.csr_matrix
    oversight: sp.csr_matrix
    tie_deference: sp.csr_matrix
    tie_strength: sp.csr_matrix
    relationship: sp.csr_matrix
    relationship_id: dict[tuple[int, int], str] = field(default_factory=dict)
    source_workspace: Workspace | None = field(default=None, repr=False)
    memo: Memo = field(default_factory=Memo, repr=False)

    @property
    def size(self) -> int:
        return len(self.persons)


def _csr(
    rows: list[int], cols: list[int], vals: list[float], shape: tuple[int, int], reduce: str = "sum"
) -> sp.csr_matrix:
    if reduce == "max" and rows:
        best: dict[tuple[int, int], float] = {}
        for r, c, v in zip(rows, cols, vals, strict=True):
            if v > best.get((r, c), -1.0):
                best[(r, c)] = v
        rows = [k[0] for k in best]
        cols = [k[1] for k in best]
        vals = list(best.values())
    matrix = sp.coo_matrix(
        (
            np.asarray(vals, dtype=float),
            (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
        ),
        shape=shape,
    ).tocsr()
    matrix.sum_duplicates()
    return matrix


def tie_matrices(
    ties: Iterable[Tie], index: dict[str, int], combine: TieSettings = DEFAULT_SETTINGS.ties
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """The deference and strength matrices of some ties, parallel ties combined per ``combine``.

    Deference: ``a → b`` for a directed tie, both ways for an undirected one, weight
    ``strength × confidence``; several ties on one ordered pair add up
    (``combine.deference = "sum"``, the default) or the strongest counts (``"max"``).
    Strength: symmetric, one value per pair, the strongest tie (``combine.strength =
    "max"``, the default) or ``1 − Π(1 − s_i)`` (``"noisy_or"``). O(ties).

    >>> from stakegraph.config import TieSettings
    >>> from stakegraph.records.model import Tie
    >>> both = [Tie(a="x", b="y", strength=0.5), Tie(a="x", b="y", kind="friend", strength=0.5)]
    >>> deference, strength = tie_matrices(both, {"x": 0, "y": 1})
    >>> float(deference[0, 1]), float(strength[0, 1])
    (1.0, 0.5)
    >>> deference, strength = tie_matrices(both, {"x": 0, "y": 1}, TieSettings(
    ...     deference="max", strength="noisy_or"))
    >>> float(deference[0, 1]), float(strength[0, 1])
    (0.5, 0.75)
    """
    weighted = ((index[t.a], index[t.b], tie_strength(t), t.directed) for t in ties)
    return weighted_tie_matrices(weighted, len(index), combine)


def weighted_tie_matrices(
    ties: Iterable[tuple[int, int, float, bool]], n: int, combine: TieSettings
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """:func:`tie_matrices` of ties given as (row a, row b, strength × confidence, directed).

    The one definition of both matrices, for ties read as records or streamed as
    columns. O(ties).
    """
    drows, dcols, dvals, srows, scols, svals = [], [], [], [], [], []
    for a, b, s, directed in ties:
        drows.append(a)
        dcols.append(b)
        dvals.append(s)
        srows += [a, b]
        scols += [b, a]
        svals += [s, s]
        if not directed:
            drows.append(b)
            dcols.append(a)
            dvals.append(s)
    deference = _csr(drows, dcols, dvals, (n, n), reduce=combine.deference)
    return deference, _combined(srows, scols, svals, n, combine)


def tie_matrices_of_arrays(
    a: np.ndarray,
    b: np.ndarray,
    strength: np.ndarray,
    directed: np.ndarray,
    n: int,
    combine: TieSettings,
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """:func:`weighted_tie_matrices` of ties given as parallel arrays, without a Python
    loop per tie: rows ``a`` and ``b``, ``strength`` (strength × confidence) and
    ``directed`` (bool).

    The entries are put in the order :func:`weighted_tie_matrices` puts them (each
    tie ``a → b``, then ``b → a`` unless directed), so a ``"sum"`` of parallel ties
    adds in the same order; a ``"max"`` keeps the same largest value and a
    ``"noisy_or"`` multiplies the misses of a pair in tie order, so both matrices are
    equal entry for entry. O(ties log ties) for the sort that groups parallel ties.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    s = np.asarray(strength, dtype=float)
    both_ways = ~np.asarray(directed, dtype=bool)
    keep = np.column_stack([np.ones(len(a), dtype=bool), both_ways]).ravel()
    drows = np.column_stack([a, b]).ravel()[keep]
    dcols = np.column_stack([b, a]).ravel()[keep]
    dvals = np.column_stack([s, s]).ravel()[keep]
    if combine.deference == "max":
        deference = _strongest(drows, dcols, dvals, n)
    else:
        deference = _sparse(drows, dcols, dvals, n)
    srows = np.column_stack([a, b]).ravel()
    scols = np.column_stack([b, a]).ravel()
    svals = np.column_stack([s, s]).ravel()
    if combine.strength == "noisy_or":
        pairs, first, order = _pairs_in_order(srows, scols, n)
        # sequential products in tie order, as the loop of _combined multiplies
        missed = np.multiply.reduceat(1.0 - svals[order], first) if len(order) else svals
        rows, cols = np.divmod(pairs, n) if n else (pairs, pairs)
        return deference, _sparse(rows, cols, 1.0 - missed, n)
    return deference, _strongest(srows, scols, svals, n)


def _pairs_in_order(
    rows: np.ndarray, cols: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (row, col) pairs as ``row × n + col``, where each pair's run starts in
    ``order`` (a stable sort, so entries of one pair keep their input order)."""
    keys = rows * n + cols
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = sorted_keys[1:] != sorted_keys[:-1]
    first = np.flatnonzero(starts)
    return sorted_keys[first], first, order


def _strongest(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n: int) -> sp.csr_matrix:
    """:func:`_csr` with ``reduce="max"`` on arrays: the largest value per pair."""
    if len(rows) == 0:
        return _sparse(rows, cols, vals, n)
    pairs, first, order = _pairs_in_order(rows, cols, n)
    best = np.maximum.reduceat(vals[order], first)
    pair_rows, pair_cols = np.divmod(pairs, n)
    return _sparse(pair_rows, pair_cols, best, n)


def _sparse(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n: int) -> sp.csr_matrix:
    """:func:`_csr` with ``reduce="sum"`` on arrays (the same coo → csr and summing)."""
    matrix = sp.coo_matrix(
        (
            np.asarray(vals, dtype=float),
            (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
        ),
        shape=(n, n),
    ).tocsr()
    matrix.sum_duplicates()
    return matrix


def channel_matrix(
    ties: Iterable[Tie], index: dict[str, int], combine: TieSettings = DEFAULT_SETTINGS.ties
) -> sp.csr_matrix:
    """Strength of a channel step ``u → v`` through the ties, in the direction of deference.

    An undirected tie carries its strength ``s`` (``strength × confidence``) both ways.
    A directed tie ``a → b`` (a defers to, asks, b) carries ``s`` from a to b, so a can
    bring our proposal to the person they ask, and ``s × combine.against_deference``
    (default 0.5) from b to a: the one asked seldom brings matters to the asker.
    Several ties on one step combine as ``combine.strength`` says. With ``against_deference = 1`` this is the
    symmetric strength matrix of :func:`tie_matrices`. O(ties).

    >>> from stakegraph.config import TieSettings
    >>> from stakegraph.records.model import Tie
    >>> asks = [Tie(a="x", b="y", kind="mentor", strength=0.8, directed=True)]
    >>> m = channel_matrix(asks, {"x": 0, "y": 1}, TieSettings(against_deference=0.5))
    >>> m.toarray().tolist()
    [[0.0, 0.8], [0.4, 0.0]]
    """
    rows, cols, vals = [], [], []
    for tie in ties:
        a, b, s = index[tie.a], index[tie.b], tie_strength(tie)
        rows += [a, b]
        cols += [b, a]
        vals += [s, s * combine.against_deference if tie.directed else s]
    return _combined(rows, cols, vals, len(index), combine)


def _combined(
    rows: list[int], cols: list[int], vals: list[float], n: int, combine: TieSettings
) -> sp.csr_matrix:
    """One strength per ordered pair: the strongest, or ``1 − Π(1 − s)`` for noisy_or."""
    if combine.strength == "noisy_or":
        # Each tie is its own chance of an introduction: the pair misses only if all do.
        missed: dict[tuple[int, int], float] = {}
        for r, c, v in zip(rows, cols, vals, strict=True):
            missed[(r, c)] = missed.get((r, c), 1.0) * (1.0 - v)
        pairs = list(missed)
        chance = [1.0 - missed[p] for p in pairs]
        return _csr([p[0] for p in pairs], [p[1] for p in pairs], chance, (n, n))
    return _csr(rows, cols, vals, (n, n), reduce="max")


def day_structure(ws: Workspace, day: dt.date) -> DayStructure:
    """The holders, reporting lines, organisations, grades and oversight of ``ws`` on ``day``.

    ``ws`` is a view of the day (:func:`~stakegraph.graph.timeline.workspace_on`), so a
    dated reporting line or oversight is read in its plain form. O(posts + tenures).
    """
    structure = DayStructure()
    for post in ws.posts.values():
        structure.holders[post.id] = ws.holders(post.id, day)
        structure.org[post.id] = post.org
        structure.grade[post.id] = post.grade
        up = post.reports_to_on(day)
        if up:
            structure.superior[post.id] = up
        if post.leadership:
            structure.leadership.add(post.id)
        overseen = post.oversees_on(day)
        if overseen:
            structure.oversees[post.id] = overseen
    return structure


#: The fields of a network built from the persons, posts, organisations and owners alone
#: (with the settings and the day), in the order of :func:`build_network`'s ``structure``.
STRUCTURE_FIELDS = (
    "persons",
    "person_index",
    "owners",
    "owner_index",
    "grade",
    "posts",
    "formal",
    "oversight",
)
#: The collections those fields are built from (the day's view of them).
STRUCTURE_READS = ("persons", "posts", "organisations", "owners")


def _structure(ws: Workspace, day: dt.date) -> tuple[Any, ...]:
    """The :data:`STRUCTURE_FIELDS` of the day's view ``ws``. O(persons + posts + tenures)."""
    persons = list(ws.persons)
    index = {pid: i for i, pid in enumerate(persons)}
    owners = list(ws.owners)
    owner_index = {oid: i for i, oid in enumerate(owners)}
    n = len(persons)
    structure = day_structure(ws, day)
    grade, posts_of = held_posts(structure, index)
    rows, cols = indexed(formal_pairs(structure), index)
    formal = _csr(rows, cols, [1.0] * len(rows), (n, n), reduce="max")
    rows, cols = indexed(oversight_pairs(structure), index)
    oversight = _csr(rows, cols, [1.0] * len(rows), (n, n), reduce="max")
    return persons, index, owners, owner_index, grade, posts_of, formal, oversight


def build_network(
    workspace: Workspace,
    day: dt.date,
    *,
    ties: tuple[sp.csr_matrix, sp.csr_matrix, bool] | None = None,
    structure: tuple[Any, ...] | None = None,
) -> PersonNetwork:
    """Index the persons and owners of a workspace and build the edge matrices.

    Formal edges climb past vacant superior posts to the nearest held one, so a
    vacancy does not cut a bureau off from its government. Relationships are taken
    as they stood on ``day`` (:func:`~stakegraph.graph.timeline.workspace_on`:
    re-assessments and logged contacts applied), and ``network.workspace`` is that
    view. O(records + edges).

    ``ties`` gives the day's tie matrices (deference, strength) and whether a tie
    starts after ``day``, when they were kept from an earlier build on the same
    persons, ties and settings (:mod:`stakegraph.graph.stored_network`): the ties
    themselves are then not read. ``structure`` gives, kept alike from the same persons,
    posts, organisations, owners and settings, the fields :data:`STRUCTURE_FIELDS`
    (the indexes, grades, held posts and formal and oversight matrices): only the
    relationships are then built.

    Examples
    --------
    The sample workspace (:mod:`stakegraph.records.sample`): persons and owners in
    file order, grades as numbers from the settings (正处 5, 副处 4, 正科 3).

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> network.persons, network.owners, network.grade.tolist()
    (['wang', 'li', 'zhao'], ['chen', 'liu'], [5, 4, 3])
    """
    ws = workspace_on(workspace, day, future_ties=ties[2] if ties is not None else None)
    if structure is None:
        structure = _structure(ws, day)
    persons, index, owners, owner_index, grade, posts_of, formal, oversight = structure
    n = len(persons)

    if ties is not None:
        tie_deference, tie_sym = ties[0], ties[1]
    else:
        tie_deference, tie_sym = tie_matrices(ws.ties.values(), index, ws.settings.ties)

    rrows, rcols, rvals = [], [], []
    relationship_id: dict[tuple[int, int], str] = {}
    best: dict[tuple[int, int], float] = {}
    for rel in ws.relationships.values():
        key = (owner_index[rel.owner], index[rel.person])
        s = relationship_strength(rel, day, ws.settings)
        if s > best.get(key, -1.0):
            best[key] = s
            relationship_id[key] = rel.id
    for (o, p), s in best.items():
        rrows.append(o)
        rcols.append(p)
        rvals.append(s)
    relationship = _csr(rrows, rcols, rvals, (len(owners), n))

    return PersonNetwork(
        workspace=ws,
        day=day,
        persons=persons,
        person_index=index,
        owners=owners,
        owner_index=owner_index,
        grade=grade,
        posts=posts_of,
        formal=formal,
        oversight=oversight,
        tie_deference=tie_deference,
        tie_strength=tie_sym,
        relationship=relationship,
        relationship_id=relationship_id,
        source_workspace=workspace,
    )


def network_of(source: Workspace | PersonNetwork, day: dt.date | None = None) -> PersonNetwork:
    """The network a view draws: a network as given, or a workspace's built for ``day``.

    Views are handed loaded data, never a path: a caller reads a folder, a workbook or
    Neo4j first (:func:`stakegraph.io.load_workspace`, or a store) and passes the
    workspace, or a network it has already built to reuse it.

    Parameters
    ----------
    source : Workspace or PersonNetwork
    day : date, optional
        The analysis date. For a workspace, default today; for a network, default and
        only allowed value its own day.

    Returns
    -------
    PersonNetwork

    Raises
    ------
    TypeError
        ``source`` is neither a workspace nor a network (a path, say).
    ValueError
        ``source`` is a network of another day than ``day``.
    """
    if isinstance(source, PersonNetwork):
        if day is not None and day != source.day:
            raise ValueError(
                f"the network is of {source.day}, not {day}; build one for {day} "
                "or pass the workspace."
            )
        return source
    if isinstance(source, Workspace):
        return build_network(source, day or dt.date.today())
    raise TypeError(
        f"expected a Workspace or a PersonNetwork, not {type(source).__name__}; "
        "load a folder first with stakegraph.load_workspace(path)."
    )
