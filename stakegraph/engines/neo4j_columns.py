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

Each scan comes back in pages of at most :data:`PAGE_ROWS` rows (one record per
page, its lists sliced on the server), read one at a time so a progress line can count
them and no single message holds a whole column. The server runs each scan once: a page
by ``_seq`` range or ``SKIP``/``LIMIT`` would scan the label again for every page, as no
index covers ``_seq``.

The ties, the largest scan (five per official), name their ends by the persons'
positions in the push (``_seq``, integers) rather than their ids, and their matrices
are built with numpy (:func:`~stakegraph.graph.network.tie_matrices_of_arrays`, equal
entry for entry); each scan starts from the range index on ``workspace`` the push
creates, so it reads one workspace's nodes, not a label across every workspace.

Complexity: O(persons + posts + holdings + lines + ties) on the server and here,
one scan per input and one record per page; no variable-length match.
"""

from __future__ import annotations

import datetime as dt
import re
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
    from stakegraph.records.model import Tie

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


#: The ties of the day whole enough for the tie graph's own measures (centrality), which
#: read each tie's kind, strength and confidence; not part of the region's influence.
_TIE_RECORDS = (
    "MATCH (a:Person {workspace: $workspace})-[t:TIE]->(b:Person) "
    "WHERE t.since IS NULL OR t.since <= $day WITH a, t, b ORDER BY t._seq "
    "RETURN collect(t.key) AS id, collect(a.id) AS a, collect(b.id) AS b, "
    "collect(coalesce(t.kind, 'other')) AS kind, collect(coalesce(t.strength, 0.5)) AS strength, "
    "collect(coalesce(t.confidence, 1.0)) AS confidence, "
    "collect(coalesce(t.directed, false)) AS directed"
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


#: Rows of a scan per page (per record the server sends).
PAGE_ROWS = 10_000

#: What a scan reports after each page: its name, rows read so far, rows in all.
ScanProgress = Callable[[str, int, int], None]


def _returned(query: str) -> list[str]:
    """The names a scan's final ``RETURN`` gives its columns."""
    return re.findall(r"\bAS (\w+)", query.rpartition(" RETURN ")[2])


def paged(query: str) -> str:
    """A scan returning ``collect(…) AS name, …`` as pages of ``$page`` rows.

    The collected lists are sliced on the server, one record per slice, each with the
    scan's ``total`` rows; an empty scan gives no record. The scan's own text (its
    match, filter and order) is kept as it is.
    """
    head, _, returned = query.rpartition(" RETURN ")
    names = _returned(query)
    first = names[0]
    slices = ", ".join(f"{name}[at..at + $page] AS {name}" for name in names)
    return (
        f"{head} WITH {returned} "
        f"UNWIND range(0, size({first}) - 1, $page) AS at "
        f"RETURN {slices}, size({first}) AS total"
    )


def _read_pages(
    db: Database,
    name: str,
    scan: str,
    page_rows: int,
    progress: ScanProgress | None,
    **params: Any,
) -> dict[str, list[Any]]:
    """Run one scan in pages (:func:`paged`) in a read transaction; its columns whole."""
    from neo4j import unit_of_work

    @unit_of_work()
    def work(tx: Any) -> dict[str, list[Any]]:
        columns: dict[str, list[Any]] = {}
        rows = 0
        for record in tx.run(paged(scan), page=page_rows, **params):
            # the values as sent (lists of ids, numbers and flags): data() would walk
            # every element again to convert nested values, which these are not
            page = dict(zip(record.keys(), record.values(), strict=True))
            total = page.pop("total")
            for column, values in page.items():
                columns.setdefault(column, []).extend(values)
            rows += len(next(iter(page.values())))
            if progress is not None:
                progress(name, rows, total)
        return columns

    with db._session() as session:
        columns = session.execute_read(work)
    if not columns:  # an empty scan: no page, so no column names from the server
        columns = {column: [] for column in _returned(scan)}
        if progress is not None:
            progress(name, 0, 0)
    return columns


def read_columns(
    db: Database,
    workspace_id: str,
    day: dt.date,
    progress: ScanProgress | None = None,
    page_rows: int = PAGE_ROWS,
) -> RegionColumns:
    """Run the scans of the module notes, each in pages of ``page_rows`` rows.

    ``progress`` is told after each page the scan's name, the rows read so far and
    the rows it has (an empty scan tells ``0, 0`` once). The columns do not depend on
    ``page_rows``. O(rows of the region) on the server, one scan per input and one
    record per page.
    """
    got: dict[str, dict[str, Any]] = {}
    with db._errors():
        for name, query in SCANS:
            got[name] = _read_pages(
                db, name, query, page_rows, progress, workspace=workspace_id, day=day
            )
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


def read_ties(
    db: Database,
    workspace_id: str,
    day: dt.date,
    progress: ScanProgress | None = None,
    page_rows: int = PAGE_ROWS,
) -> dict[str, Tie]:
    """The ties that exist on the day, by id in the order of the push, in pages.

    Each carries what the tie graph reads (its ends, kind, strength, confidence and
    direction) and nothing else (no tags, source or ``since``): enough for
    :func:`~stakegraph.graph.tie_graph.tie_matrix`, not a record to show or save.
    ``progress`` is told ``("ties", rows read, rows)`` after each page. O(ties).
    """
    from stakegraph.records.model import Tie, TieKind

    with db._errors():
        got = _read_pages(
            db, "ties", _TIE_RECORDS, page_rows, progress, workspace=workspace_id, day=day
        )
    columns = zip(
        got["id"],
        got["a"],
        got["b"],
        got["kind"],
        got["strength"],
        got["confidence"],
        got["directed"],
        strict=True,
    )
    # trusted values from a push of validated records: built without validating again,
    # every field given (a field left to its default costs pydantic a signature parse)
    return {
        tie_id: Tie.model_construct(
            id=tie_id,
            aliases=[],
            tags=[],
            notes=None,
            a=a,
            b=b,
            kind=TieKind(kind),
            strength=strength,
            directed=directed,
            since=None,
            confidence=confidence,
            source=None,
        )
        for tie_id, a, b, kind, strength, confidence, directed in columns
    }


def region_people(
    db: Database,
    workspace_id: str,
    settings: Settings,
    day: dt.date,
    progress: ScanProgress | None = None,
    page_rows: int = PAGE_ROWS,
) -> PersonNetwork:
    """The persons of the region alone, from the person scan: a network whose rows are
    the folder's, with no posts, lines or ties (every matrix empty).

    For measures of the tie graph, which take the ties from ``network.workspace``
    (:func:`read_ties`) rather than from the matrices. O(persons).
    """
    from stakegraph.records.workspace import Workspace

    with db._errors():
        got = _read_pages(
            db, "persons", _PERSONS, page_rows, progress, workspace=workspace_id, day=day
        )
    persons = got["ids"]
    n = len(persons)
    empty = sp.csr_matrix((n, n))
    return PersonNetwork(
        workspace=Workspace(settings, "neo4j"),
        day=day,
        persons=persons,
        person_index={pid: i for i, pid in enumerate(persons)},
        owners=[],
        owner_index={},
        grade=np.zeros(n, dtype=np.int64),
        posts={},
        formal=empty,
        oversight=empty,
        tie_deference=empty,
        tie_strength=empty,
        relationship=sp.csr_matrix((0, n)),
    )
