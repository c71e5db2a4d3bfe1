"""Formal versus informal (非正式组织): where the informal organisation departs from the chart.

The organisation chart says who reports to whom; the informal ties say who actually
talks to whom and whom people turn to. Where the two part is where an account
manager should look: a reporting line with nothing informal behind it is a line a
request climbs only by the book; a person consulted more than their own superior
is an informal centre below the top; a junior many people turn to is one to know
before they rise (and often a dark horse, :mod:`stakegraph.analysis.darkhorses`).

Three findings, on the network's day:

* ``BARE_LINE``: a reporting or 分管 oversight line between two post holders whose
  strongest informal tie is below ``[formal_informal] line_tie``;
* ``CONSULTED_OVER_SUPERIOR``: a person whose informal deference in-strength is
  above ``consulted_ratio`` times that of a superior they report to;
* ``SOUGHT_JUNIOR``: a post holder below ``[plan] senior_grade`` whom at least
  ``min_indegree`` people turn to informally, and at least ``indegree_ratio``
  times the median of the post holders of their grade.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from stakegraph.analysis.darkhorses import dark_horses
from stakegraph.analysis.frames import ResultList
from stakegraph.graph.chains import resolve_chain
from stakegraph.graph.network import PersonNetwork


class FindingKind(StrEnum):
    """What a formal-versus-informal finding is about."""

    BARE_LINE = "bare_line"
    CONSULTED_OVER_SUPERIOR = "consulted_over_superior"
    SOUGHT_JUNIOR = "sought_junior"


#: The order findings are listed in: kinds in this order, then strongest first.
KIND_ORDER = list(FindingKind)


@dataclass(frozen=True)
class Finding:
    """One place where the informal organisation departs from the formal one.

    Attributes
    ----------
    kind : FindingKind
    person : str
        The subordinate on a bare line, the person consulted, or the junior.
    superior : str or None
        The superior on the line (bare line, consulted over superior); None for a
        junior.
    line : str or None
        ``reports_to`` or ``oversees`` for a line finding; None for a junior.
    organisations : tuple of str
        Organisations of ``person``'s posts on the day.
    value : float
        The strongest informal tie on the line; the person's deference in-strength;
        or the number of people who turn to the junior.
    reference : float
        What ``value`` was held against: ``line_tie``; the superior's in-strength;
        the median number for the junior's grade.
    grade : int
        ``person``'s grade on the day (0: no post).
    dark_horse_rank : int or None
        For a junior, their rank among the dark horses
        (:func:`~stakegraph.analysis.darkhorses.dark_horses`), None when they are not
        one (already well covered, say); None for the other kinds.
    """

    kind: FindingKind
    person: str
    superior: str | None
    line: str | None
    organisations: tuple[str, ...]
    value: float
    reference: float
    grade: int
    dark_horse_rank: int | None = None

    def sort_key(self) -> tuple[int, float, str, str]:
        """Kind, then the largest departure first, then ids."""
        gap = (
            self.reference - self.value
            if self.kind is FindingKind.BARE_LINE
            else self.value - self.reference
        )
        return (KIND_ORDER.index(self.kind), -gap, self.person, self.superior or "")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["organisations"] = list(self.organisations)
        return data


class FormalInformal(ResultList[Finding]):
    """The findings of :func:`formal_informal`, in order; a list that is also a table.

    :meth:`for_persons` keeps the findings about given persons (an opportunity's
    chain); :meth:`by_organisation` groups them by the organisations of ``person``.
    """

    frame_columns = ("kind", "person", "superior", "value", "reference")

    def rows(self) -> list[dict[str, Any]]:
        """One row per finding, as :meth:`Finding.to_dict`."""
        return [f.to_dict() for f in self]

    def for_persons(self, persons: Iterable[str]) -> FormalInformal:
        """The findings whose person or superior is one of ``persons``."""
        wanted = set(persons)
        return FormalInformal(f for f in self if f.person in wanted or (f.superior or "") in wanted)

    def by_organisation(self) -> dict[str, FormalInformal]:
        """Organisation id → its findings (a finding under each of the person's)."""
        groups: dict[str, list[Finding]] = defaultdict(list)
        for finding in self:
            for org in finding.organisations:
                groups[org].append(finding)
        return {org: FormalInformal(groups[org]) for org in sorted(groups)}


def chain_persons(network: PersonNetwork, opportunity: str) -> list[str]:
    """The holders of an opportunity's chain roles on the network's day."""
    persons: list[str] = []
    for step in resolve_chain(network.workspace, opportunity, network.day):
        for role in step.roles:
            persons += [p for p in role.holders if p not in persons]
    return persons


def formal_informal(network: PersonNetwork) -> FormalInformal:
    """Where the informal organisation departs from the formal one, on the day.

    Definition
    ----------
    Lines: the pairs (s, u) with s's post reporting to u's (past vacant posts to the
    nearest held one, ``reports_to``) or s leading a body u's post oversees
    (``oversees``), as in :class:`~stakegraph.graph.network.PersonNetwork`. With
    ``t(a, b)`` the strongest informal tie between a and b, ``c(x)`` the deference
    in-strength Σ_y w(y → x) over the informal deference edges (a tie's strength,
    both ways unless it is directed) and ``d(x)`` their number:

    * ``BARE_LINE`` for every line (s, u) with ``t(s, u) < line_tie`` (once per pair;
      ``reports_to`` when the pair is on both lines);
    * ``CONSULTED_OVER_SUPERIOR`` for every ``reports_to`` line (s, u) with
      ``c(s) > 0`` and ``c(s) > consulted_ratio · c(u)``;
    * ``SOUGHT_JUNIOR`` for every post holder x of grade g, 0 < g <
      ``[plan] senior_grade``, with ``d(x) ≥ min_indegree`` and
      ``d(x) ≥ indegree_ratio · m_g``, m_g the median of d over the holders whose
      highest grade is g; its ``dark_horse_rank`` links it to the dark horses.

    Settings are those of ``[formal_informal]`` (line_tie 0.3, consulted_ratio 1,
    indegree_ratio 2, min_indegree 2).

    Parameters
    ----------
    network : PersonNetwork
        The person network on the day.

    Returns
    -------
    FormalInformal
        Every finding, by kind, then the largest departure first, then ids.

    Complexity
    ----------
    O(n + lines + ties) for the findings, plus one dark-horse ranking when a junior
    is found (an influence and a betweenness computation, kept in the network's
    memo).

    References
    ----------
    F. J. Roethlisberger and W. J. Dickson, *Management and the Worker*, Harvard
    University Press, 1939 (the informal organisation beside the formal one);
    D. Krackhardt and J. R. Hanson, "Informal networks: the company behind the
    chart", Harvard Business Review 71(4), 1993 (advice networks against the chart).

    Examples
    --------
    In the sample workspace (:mod:`stakegraph.records.sample`) 赵强 reports to 李明
    and 李明 to 王芳 with no tie between either pair; 赵强 and 王芳 are classmates,
    so each has deference in-strength 0.5 and 李明 none: 赵强 is consulted more
    than his superior.

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> [(f.kind.value, f.person, f.superior, f.value) for f in formal_informal(network)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('bare_line', 'li', 'wang', 0.0), ('bare_line', 'zhao', 'li', 0.0),
     ('consulted_over_superior', 'zhao', 'li', 0.5)]
    """
    ws = network.workspace
    settings = ws.settings.formal_informal
    ties = network.tie_strength.tocsr()
    edges = network.tie_deference.tocoo()
    kept = (edges.data > 0) & (edges.row != edges.col)
    columns = edges.col[kept]
    consulted = np.bincount(columns, weights=edges.data[kept], minlength=network.size)
    turned_to = np.bincount(columns, minlength=network.size)  # one entry per person
    orgs = {
        pid: tuple(dict.fromkeys(ws.posts[p].org for p in posts))
        for pid, posts in network.posts.items()
    }

    def grade(row: int) -> int:
        return int(network.grade[row])

    found: list[Finding] = []
    formal = network.formal.tocoo()
    lines = [(int(s), int(u), "reports_to") for s, u in zip(formal.row, formal.col, strict=True)]
    oversight = network.oversight.tocoo()
    lines += [
        (int(s), int(u), "oversees") for s, u in zip(oversight.row, oversight.col, strict=True)
    ]
    bare: set[tuple[int, int]] = set()
    # a reporting line first: a pair on both lines is one bare line, shown as reporting
    for s, u, kind in sorted(lines, key=lambda line: (line[2] != "reports_to", line)):
        person, superior = network.persons[s], network.persons[u]
        tie = float(ties[s, u])
        if tie < settings.line_tie and (s, u) not in bare:
            bare.add((s, u))
            found.append(
                Finding(
                    FindingKind.BARE_LINE,
                    person,
                    superior,
                    kind,
                    orgs.get(person, ()),
                    tie,
                    settings.line_tie,
                    grade(s),
                )
            )
        if kind == "reports_to":
            mine, theirs = float(consulted[s]), float(consulted[u])
            if mine > 0 and mine > settings.consulted_ratio * theirs:
                found.append(
                    Finding(
                        FindingKind.CONSULTED_OVER_SUPERIOR,
                        person,
                        superior,
                        kind,
                        orgs.get(person, ()),
                        mine,
                        theirs,
                        grade(s),
                    )
                )
    found += _sought_juniors(network, turned_to, orgs)
    found.sort(key=Finding.sort_key)
    return FormalInformal(found)


def _sought_juniors(
    network: PersonNetwork, turned_to: np.ndarray, orgs: dict[str, tuple[str, ...]]
) -> list[Finding]:
    """Juniors whom many turn to for their grade, with their dark-horse rank."""
    ws = network.workspace
    settings = ws.settings.formal_informal
    senior = ws.settings.plan.senior_grade
    by_grade: dict[int, list[int]] = defaultdict(list)
    for pid in network.posts:
        row = network.person_index[pid]
        by_grade[int(network.grade[row])].append(row)
    juniors: list[tuple[int, int, float]] = []
    for g, rows in by_grade.items():
        if not 0 < g < senior:
            continue
        median = float(statistics.median(int(turned_to[r]) for r in rows))
        for row in rows:
            count = int(turned_to[row])
            if count >= settings.min_indegree and count >= settings.indegree_ratio * median:
                juniors.append((row, g, median))
    if not juniors:
        return []
    ranks = {h.person: h.rank for h in dark_horses(network, top=network.size)}
    return [
        Finding(
            FindingKind.SOUGHT_JUNIOR,
            network.persons[row],
            None,
            None,
            orgs.get(network.persons[row], ()),
            float(turned_to[row]),
            median,
            g,
            ranks.get(network.persons[row]),
        )
        for row, g, median in juniors
    ]
