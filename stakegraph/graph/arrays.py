"""The structure of one day as plain maps of ids, and the edges derived from it.

:func:`~stakegraph.graph.network.build_network` reads these maps off the records of a
workspace; a reader that streams columns from a database (the Neo4j engine's
:mod:`~stakegraph.engines.neo4j_columns`) fills the same maps from its scans. Both
derive the formal and oversight edges and the grades with the functions here, so
"the nearest held post above" and the bureau leaders have one definition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass
class DayStructure:
    """Who holds what and how posts stand to each other on one day, by id.

    Attributes
    ----------
    holders : post id → ids of the persons filling it on the day (acting holders
        included, on leave excluded, empty when the post is vacant or not live).
        Every post of the workspace is a key, in record order.
    superior : post id → the post it reports to on the day (posts without one absent).
    org : post id → its organisation.
    grade : post id → its grade as a number.
    leadership : ids of the leadership posts.
    oversees : post id → the organisations it oversees (分管) on the day.
    """

    holders: dict[str, list[str]] = field(default_factory=dict)
    superior: dict[str, str] = field(default_factory=dict)
    org: dict[str, str] = field(default_factory=dict)
    grade: dict[str, int] = field(default_factory=dict)
    leadership: set[str] = field(default_factory=set)
    oversees: dict[str, list[str]] = field(default_factory=dict)


def occupied_superior(
    post_id: str, superior: Mapping[str, str], holders: Mapping[str, Sequence[str]]
) -> Sequence[str]:
    """The holders of the nearest held post above ``post_id``, climbing past vacant posts.

    Definition: follow ``superior`` from the post; the first post met that has
    holders gives them. A cycle or the top of the line ends the climb with none.
    O(length of the line).

    >>> occupied_superior("clerk", {"clerk": "chief", "chief": "head"},
    ...                   {"chief": [], "head": ["wang"]})
    ['wang']
    >>> occupied_superior("a", {"a": "b", "b": "a"}, {})
    []
    """
    seen = {post_id}
    up = superior.get(post_id)
    while up and up not in seen:
        found = holders.get(up)
        if found:
            return found
        seen.add(up)
        up = superior.get(up)
    return []


def formal_pairs(structure: DayStructure) -> list[tuple[str, str]]:
    """(subordinate, superior) person pairs of the formal lines on the day.

    Every holder of a post that reports somewhere defers to every holder of the
    nearest held post above it (:func:`occupied_superior`); nobody defers to
    themselves. O(Σ over held posts of line length × holders).

    References: the 条块 reporting structure of DESIGN §3; Lieberthal, *Governing
    China*, 1995 (the line of command through vacant posts).
    """
    pairs: list[tuple[str, str]] = []
    holders, superior = structure.holders, structure.superior
    for post_id, people in holders.items():
        if not people or not superior.get(post_id):
            continue
        for boss in occupied_superior(post_id, superior, holders):
            for pid in people:
                if pid != boss:
                    pairs.append((pid, boss))
    return pairs


def oversight_pairs(structure: DayStructure) -> list[tuple[str, str]]:
    """(bureau leader, overseer) person pairs of 分管 oversight on the day.

    A bureau's leaders hold its leadership posts at the top of the organisation
    (reporting to no post, or to a post of another organisation); each defers to
    every holder of a post overseeing the organisation that day. O(posts + pairs).
    """
    leaders: dict[str, list[str]] = defaultdict(list)
    holders, superior, org = structure.holders, structure.superior, structure.org
    for post_id in holders:
        up = superior.get(post_id)
        top = not up or org.get(up, org.get(post_id)) != org.get(post_id)
        if post_id in structure.leadership and top:
            leaders[org[post_id]].extend(holders[post_id])
    pairs: list[tuple[str, str]] = []
    for post_id, orgs in structure.oversees.items():
        for org_id in orgs:
            for boss in holders.get(post_id, []):
                for pid in leaders.get(org_id, []):
                    if pid != boss:
                        pairs.append((pid, boss))
    return pairs


def held_posts(
    structure: DayStructure, index: Mapping[str, int]
) -> tuple[np.ndarray, dict[str, list[str]]]:
    """Each person's highest grade held on the day (0: none) and the posts they hold.

    O(holdings).
    """
    posts_of: dict[str, list[str]] = defaultdict(list)
    # plain ints while climbing: an element of a numpy array is slow to read and write
    grade = [0] * len(index)
    for post_id, people in structure.holders.items():
        g = structure.grade.get(post_id, 0)
        for pid in people:
            posts_of[pid].append(post_id)
            row = index[pid]
            if g > grade[row]:
                grade[row] = g
    return np.asarray(grade, dtype=np.int64), dict(posts_of)


def indexed(
    pairs: Iterable[tuple[str, str]], index: Mapping[str, int]
) -> tuple[list[int], list[int]]:
    """Rows and columns of some person pairs in ``index``."""
    rows, cols = [], []
    for a, b in pairs:
        rows.append(index[a])
        cols.append(index[b])
    return rows, cols
