"""The k most reliable warm channels from our owners to an official.

A *channel* is how a request travels from one of our owners to a target official:
owner → person (one of our relationships) → person → … (informal ties, or steps
along a reporting or oversight line) → target. Its reliability is the product of the strengths along it, so the most reliable
channels are the shortest paths on costs ``−log s``. The inverted-triangle plan
asks for the k best channels to each target, not only the best one, so that it
can pair a target with an owner of the right tier and keep a second route when
the first one is busy.

The search is Yen's k shortest loopless paths, run backwards from the target over
the target's neighbourhood only: a channel uses at most ``max_hops`` ties, so a
search that starts at the target never leaves its ``max_hops``-tie ball, whatever
the size of the province. Adjacency is read from the CSR rows of
:class:`~stakegraph.graph.network.PersonNetwork` into Python dicts on first
use and kept in the network's memo, so many targets share it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from stakegraph.analysis.frames import ResultList
from stakegraph.errors import UnknownRecord
from stakegraph.graph.memo import MemoKey
from stakegraph.graph.network import PersonNetwork
from stakegraph.graph.tie_graph import channel_strength

#: What a step of a channel goes along: an informal tie, a line up from a
#: subordinate to their superior (an introduction or report, 上级引荐/汇报), or a
#: line down from a superior to their subordinate (a referral).
TIE, UP, DOWN = "tie", "up", "down"

#: Relative gap under which two channel strengths found by the search may be equal
#: up to rounding (the search multiplies from the target's end, the reported
#: strength from the owner's end). Channels within it of the k-th are all
#: collected, then ordered by the exact reported key.
TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Channel:
    """One warm channel from an owner to a target official.

    Attributes
    ----------
    owner : str
        Id of our owner at the start of the channel.
    persons : tuple of str
        Person ids from the first contact (the person the owner knows) to the target.
    strength : float
        Reliability: the product of ``links``, multiplied from the owner's end.
    hops : int
        Number of steps after the relationship (0 for a direct relationship with
        the target).
    links : tuple of float
        Strength of each edge: the relationship first, then each step.
    relationship_id : str
        Id of the relationship behind the first edge.
    steps : tuple of str
        What each step after the relationship goes along (``hops`` of them):
        :data:`TIE`, :data:`UP` (subordinate to superior) or :data:`DOWN`.
    """

    owner: str
    persons: tuple[str, ...]
    strength: float
    hops: int
    links: tuple[float, ...]
    relationship_id: str
    steps: tuple[str, ...] = ()

    @property
    def first_contact(self) -> str:
        return self.persons[0]

    @property
    def target(self) -> str:
        return self.persons[-1]

    @property
    def formal_steps(self) -> int:
        """How many steps go along a reporting or oversight line."""
        return sum(step != TIE for step in self.steps)

    def sort_key(self) -> tuple[float, int, int, str, tuple[str, ...]]:
        """Best first: stronger, then fewer formal steps, fewer hops, owner id, person ids.

        Fewer formal steps first: an informal channel as strong as a formal one is
        the one to use.
        """
        return (-self.strength, self.formal_steps, self.hops, self.owner, self.persons)


def _rows_of(matrix: Any) -> tuple[list[int], list[int]]:
    csr = matrix.tocsr()
    return csr.indptr.tolist(), csr.indices.tolist()


class _Adjacency:
    """Steps and relationships of the network as Python dicts, filled row by row.

    Persons are rows ``0 … n−1``; owner ``o`` is node ``n + o`` in the search. Edges
    of strength 0 are left out: a channel through them carries nothing. The steps
    into a person are their informal ties (both ways) and, at the strengths
    ``upward`` and ``downward``, the formal lines from their subordinates and from
    their superiors; an informal tie at least as strong wins over a line.
    """

    def __init__(self, network: PersonNetwork, upward: float = 0.0, downward: float = 0.0) -> None:
        # The search walks back from the target to our owners: row v holds the steps
        # u → v into v (the channel matrix transposed; the same when ties are undirected).
        ties = channel_strength(network).T.tocsr()
        rel = network.relationship.tocsc()
        self.n = network.size
        self._tie_ptr = ties.indptr.tolist()
        self._tie_idx = ties.indices.tolist()
        self._tie_val = ties.data.tolist()
        self._rel_ptr = rel.indptr.tolist()
        self._rel_idx = rel.indices.tolist()
        self._rel_val = rel.data.tolist()
        self.upward, self.downward = upward, downward
        lines = network.formal + network.oversight  # subordinate row → superior column
        self._up_ptr, self._up_idx = _rows_of(lines.T)  # person → their subordinates
        self._down_ptr, self._down_idx = _rows_of(lines)  # person → their superiors
        self._into: dict[int, dict[int, float]] = {}
        self._lines: dict[tuple[int, int], str] = {}
        self._rels: dict[int, dict[int, float]] = {}

    def into(self, person: int) -> dict[int, float]:
        """Person w → strength of the step ``w → person`` (tie or formal line)."""
        row = self._into.get(person)
        if row is None:
            a, b = self._tie_ptr[person], self._tie_ptr[person + 1]
            row = {
                w: s
                for w, s in zip(self._tie_idx[a:b], self._tie_val[a:b], strict=True)
                if s > 0 and w != person
            }
            lines = (
                (self.upward, UP, self._up_ptr, self._up_idx),
                (self.downward, DOWN, self._down_ptr, self._down_idx),
            )
            for strength, kind, ptr, idx in lines:
                if strength <= 0:
                    continue
                for w in idx[ptr[person] : ptr[person + 1]]:
                    if w != person and strength > row.get(w, 0.0):
                        row[w] = strength
                        self._lines[(w, person)] = kind
            self._into[person] = row
        return row

    def step(self, a: int, b: int) -> str:
        """What the step ``a → b`` goes along (:data:`TIE`, :data:`UP` or :data:`DOWN`)."""
        self.into(b)
        return self._lines.get((a, b), TIE)

    def relationships(self, person: int) -> dict[int, float]:
        """Owner row → relationship strength with ``person``."""
        col = self._rels.get(person)
        if col is None:
            a, b = self._rel_ptr[person], self._rel_ptr[person + 1]
            col = {
                o: s for o, s in zip(self._rel_idx[a:b], self._rel_val[a:b], strict=True) if s > 0
            }
            self._rels[person] = col
        return col


@dataclass(frozen=True)
class _AdjacencyKey(MemoKey[_Adjacency]):
    """Memo key: the network's adjacency as read by the channel search, per line strengths."""

    upward: float = 0.0
    downward: float = 0.0


def _adjacency(network: PersonNetwork, formal_lines: bool = True) -> _Adjacency:
    lines = network.workspace.settings.formal_lines
    up, down = (lines.upward, lines.downward) if formal_lines else (0.0, 0.0)
    return network.memo.get_or_build(_AdjacencyKey(up, down), lambda: _Adjacency(network, up, down))


# A path of the backward search: (target, x1, …, xm, n + owner), and the running
# products along it from the target's end (one per node; the last is the strength).
_Path = tuple[int, ...]
_Found = tuple[float, _Path, tuple[float, ...]]


def _spur(
    g: _Adjacency,
    start: int,
    start_value: float,
    blocked: set[int],
    removed: set[int],
    budget: int,
    floor: float,
    allowed: set[int] | None,
) -> tuple[_Path, tuple[float, ...]] | None:
    """The most reliable completion ``start → … → person → owner``, backwards.

    A hop-bounded max-product Bellman–Ford over the ``budget``-tie neighbourhood of
    ``start``: layer h holds the persons whose best product improved with h ties.
    Persons in ``blocked`` are never entered; the edges from ``start`` to the nodes
    in ``removed`` are not used; products below ``floor`` are dropped (products
    only fall along a path, as every strength is at most 1). Owners outside
    ``allowed`` (None: all) do not end a channel.

    Because every strength is ≤ 1, a walk with a cycle is never strictly better
    than the walk without it, which has fewer ties; a label only changes on a
    strict improvement, so the path rebuilt from the layers is simple.

    Returns the nodes from ``start`` to the owner node and the running products
    (the first is ``start_value``), or None.
    """
    value = {start: start_value}
    layers: list[dict[int, tuple[float, int]]] = []
    frontier = [start]
    for _ in range(budget):
        improved: dict[int, tuple[float, int]] = {}
        for u in frontier:
            pu = value[u]
            skip = removed if u == start else ()
            for w, t in g.into(u).items():
                if w in blocked or w in skip:
                    continue
                c = pu * t
                if c < floor or c <= value.get(w, 0.0):
                    continue
                best = improved.get(w)
                if best is None or c > best[0]:
                    improved[w] = (c, u)
        if not improved:
            break
        for w, (c, _) in improved.items():
            value[w] = c
        layers.append(improved)
        frontier = list(improved)

    n = g.n
    end: tuple[float, int, int] | None = None
    for p, pv in value.items():
        skip = removed if p == start else ()
        for o, r in g.relationships(p).items():
            if (allowed is not None and o not in allowed) or (n + o) in skip:
                continue
            c = pv * r
            if c < floor or c <= 0.0:
                continue
            if end is None or c > end[0]:
                end = (c, p, o)
    if end is None:
        return None

    c, node, o = end
    nodes = [n + o, node]
    values = [c]
    top = len(layers)
    while node != start:
        level = top - 1
        while node not in layers[level]:
            level -= 1
        values.append(layers[level][node][0])
        node = layers[level][node][1]
        nodes.append(node)
        top = level
    values.append(start_value)
    nodes.reverse()
    values.reverse()
    return tuple(nodes), tuple(values)


def _kth_best(
    found: list[_Found], heap: list[tuple[float, int, _Path, tuple[float, ...]]], k: int
) -> float:
    values = [f[0] for f in found] + [-h[0] for h in heap]
    if len(values) < k:
        return 0.0
    return heapq.nlargest(k, values)[-1]


def _yen(
    g: _Adjacency, target: int, k: int, max_hops: int, allowed: set[int] | None
) -> list[_Found]:
    """Yen's algorithm, backwards from ``target`` to the super-source of ``allowed``.

    Returns at least the k best channels in order of the products found by the
    search, plus every further channel within :data:`TIE_TOLERANCE` of the k-th, so
    that the caller can break ties exactly.
    """
    first = _spur(g, target, 1.0, {target}, set(), max_hops, 0.0, allowed)
    if first is None:
        return []
    found: list[_Found] = [(first[1][-1], first[0], first[1])]
    seen = {first[0]}
    heap: list[tuple[float, int, _Path, tuple[float, ...]]] = []
    while True:
        _, last, last_values = found[-1]
        floor = _kth_best(found, heap, k) * (1.0 - TIE_TOLERANCE)
        # Spur nodes: the persons of the last path (its final node is the owner,
        # whose only way on is the super-source).
        for i in range(len(last) - 1):
            root = last[: i + 1]
            removed = {path[i + 1] for _, path, _ in found if path[: i + 1] == root}
            spur = _spur(
                g, last[i], last_values[i], set(root), removed, max_hops - i, floor, allowed
            )
            if spur is None:
                continue
            path = root[:-1] + spur[0]
            if path in seen:
                continue
            seen.add(path)
            values = last_values[:i] + spur[1]
            heapq.heappush(heap, (-values[-1], len(path), path, values))
        if not heap:
            break
        if len(found) >= k and -heap[0][0] < found[k - 1][0] * (1.0 - TIE_TOLERANCE):
            break
        neg, _, path, values = heapq.heappop(heap)
        found.append((-neg, path, values))
    return found


def _owner_rows(network: PersonNetwork, owners: Iterable[str] | None) -> set[int] | None:
    if owners is None:
        return None
    if isinstance(owners, str):
        owners = [owners]
    rows = set()
    for owner in owners:
        row = network.owner_index.get(owner)
        if row is None:
            raise UnknownRecord(_unknown("owner", owner, network.owners, network))
        rows.add(row)
    return rows


def _unknown(noun: str, record_id: str, known: list[str], network: PersonNetwork) -> str:
    from stakegraph.records.naming import closest

    near = closest(record_id, {i: i for i in known})
    hint = f"closest: {', '.join(near)}" if near else f"none is close ({len(known)} in all)"
    return f"no {noun} with id '{record_id}' in {network.workspace.name}; {hint}"


def _target_row(network: PersonNetwork, target: str) -> int:
    row = network.person_index.get(target)
    if row is None:
        raise UnknownRecord(_unknown("person", target, network.persons, network))
    return row


def _hops(network: PersonNetwork, max_hops: int | None) -> int:
    hops = network.workspace.settings.coverage.max_hops if max_hops is None else max_hops
    if hops < 0:
        raise ValueError(f"max_hops must be 0 or more, got {hops}")
    return hops


def _channel(network: PersonNetwork, g: _Adjacency, path: _Path) -> Channel:
    """The channel of a backward path, with its strength multiplied from the owner."""
    owner = path[-1] - g.n
    rows = path[-2::-1]
    links = [g.relationships(rows[0])[owner]]
    links += [g.into(b)[a] for a, b in zip(rows, rows[1:], strict=False)]  # step a → b
    strength = links[0]
    for s in links[1:]:
        strength *= s
    return Channel(
        owner=network.owners[owner],
        persons=tuple(network.persons[r] for r in rows),
        strength=strength,
        hops=len(rows) - 1,
        links=tuple(links),
        relationship_id=network.relationship_id[(owner, rows[0])],
        steps=tuple(g.step(a, b) for a, b in zip(rows, rows[1:], strict=False)),
    )


class Channels(ResultList[Channel]):
    """The channels of :func:`warm_channels`, best first; a list that is also a table.

    :meth:`rows` and :meth:`to_pandas` give one row per channel: its rank and the
    fields of :class:`Channel` (exact strengths); ``network`` is the network they
    were found on, for the views' names.
    """

    frame_columns = ("rank", "owner", "persons", "strength", "hops")

    def __init__(self, channels: Iterable[Channel] = (), network: PersonNetwork | None = None):
        super().__init__(channels)
        self.network = network

    def rows(self) -> list[dict[str, Any]]:
        """One row per channel: rank (1 = best), owner, persons, strength, hops, links."""
        return [
            {"rank": rank, **asdict(channel), "persons": list(channel.persons)}
            for rank, channel in enumerate(self, start=1)
        ]


def warm_channels(
    network: PersonNetwork,
    target: str,
    k: int = 3,
    owners: Iterable[str] | None = None,
    max_hops: int | None = None,
    formal_lines: bool = True,
) -> Channels:
    """The k most reliable simple channels from any of ``owners`` to ``target``.

    Definition
    ----------
    A channel is a path ``o → p_0 → p_1 → … → p_m = target`` where ``o`` is one of
    ``owners``, ``o → p_0`` one of our relationships (strength ``r``) and each
    step ``p_{i−1} → p_i`` has the strength ``t_i`` of the strongest of: the
    informal tie between the two (usable both ways); ``[formal_lines] upward`` when
    ``p_{i−1}`` reports to ``p_i`` or leads a body ``p_i`` oversees (an
    introduction or report upward, 上级引荐/汇报); ``[formal_lines] downward`` when
    ``p_i`` reports to ``p_{i−1}`` or leads a body ``p_{i−1}`` oversees (a referral
    down the line). Lines are those of the network's day, between the holders of the
    posts, past vacant posts to the nearest held one. An informal tie at least as
    strong as the line is the step used. There are ``m ≤ max_hops`` steps and no
    person twice. Its strength is ``r · t_1 ⋯ t_m``; maximising it is finding shortest paths on costs
    ``−log s``. Edges of strength 0 carry nothing and are never used. Channels are
    ordered by strength (highest first), then fewer steps along formal lines, then
    fewer hops, then owner id, then the tuple of person ids, and the first k are
    returned. Two channels may share the
    owner or some persons but are never the same path.

    Parameters
    ----------
    network : PersonNetwork
        The person network on the day (:func:`~stakegraph.graph.network.build_network`).
    target : str
        Person id of the official to reach.
    k : int, default 3
        Number of channels wanted (at least 1).
    owners : iterable of str, optional
        Owner ids allowed to start a channel; default every owner.
    max_hops : int, optional
        Most steps after the first relationship (0: direct relationships only);
        default ``[coverage] max_hops`` of the workspace settings (2).
    formal_lines : bool, default True
        Whether steps may go along reporting and oversight lines (at the strengths
        of ``[formal_lines]``; setting both to 0 has the same effect as False).

    Returns
    -------
    list of Channel
        At most k channels, best first; empty when the target cannot be reached.

    Raises
    ------
    UnknownRecord
        When ``target`` is not a person or an owner id is not an owner.
    ValueError
        When ``k < 1`` or ``max_hops < 0``.

    Notes
    -----
    *Algorithm.* Yen's algorithm on the graph target → persons (ties) → owners
    (relationships) → a super-source joined to every allowed owner at cost 0, so
    "from any owner" is a single search; reversing the edges changes no path and
    keeps every search inside the target's ``max_hops``-tie neighbourhood.

    *Hop bound.* Bounding the ties is a resource constraint, which plain Yen
    ignores. It is handled on the hop-layered graph, whose copy of a person at
    layer h means "reached with h ties": every bounded channel is exactly one
    layered path, so Yen's deviation argument holds unchanged when each spur
    search is run with the budget left after its root (``max_hops − i`` at the
    i-th person from the target) and blocks every copy of the root's persons. The
    spur search is therefore a hop-bounded max-product Bellman–Ford over the
    spur node's neighbourhood (no Dijkstra on the flat graph, which would return
    the best path regardless of its hops and could miss a bounded one). Spur
    searches drop partial products below the k-th best strength known so far.

    *Ties.* The search multiplies from the target's end; results are reported with
    strengths multiplied from the owner's end, which can differ in the last bit.
    The search therefore continues past the k-th channel while candidates lie
    within :data:`TIE_TOLERANCE` of it, then sorts everything found by the exact
    key above, so equal strengths are broken the same way whatever the search
    order.

    Complexity: with B the number of tie edges within ``max_hops`` ties of the
    target (about ``d^max_hops`` at mean degree d) and R the relationships of the
    persons in it, the first search is O(max_hops · B + R); Yen adds at most
    ``max_hops + 1`` spur searches per channel found, each bounded the same way
    and usually much smaller (less budget, pruned). Memory O(B). Independent of
    the size of the network apart from the adjacency cached on first use.

    References
    ----------
    Yen, J. Y. "Finding the k shortest loopless paths in a network",
    Management Science 17(11), 712–716, 1971.
    Bellman, R. "On a routing problem", Quarterly of Applied Mathematics 16, 1958
    (the hop-bounded relaxation of the spur search).

    Examples
    --------
    In the sample workspace (:mod:`stakegraph.records.sample`) no owner of ours
    relates to the director ``wang``; ``liu`` relates to ``zhao`` (strength 0.8), a
    former classmate of ``wang`` (tie 0.5): one channel of one hop, 0.8 × 0.5.
    ``chen`` relates to the deputy ``li`` (0.6), who reports to ``wang``: a report
    upward at the default ``[formal_lines] upward`` 0.5 gives 0.6 × 0.5; and ``zhao``
    reports to ``li``: 0.8 × 0.5 × 0.5.

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> [(c.owner, c.persons, c.links, c.steps) for c in warm_channels(network, "wang")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('liu', ('zhao', 'wang'), (0.8, 0.5), ('tie',)),
     ('chen', ('li', 'wang'), (0.6, 0.5), ('up',)),
     ('liu', ('zhao', 'li', 'wang'), (0.8, 0.5, 0.5), ('up', 'up'))]
    >>> [round(c.strength, 9) for c in warm_channels(network, "wang")]
    [0.4, 0.3, 0.2]
    >>> [c.persons for c in warm_channels(network, "wang", formal_lines=False)]
    [('zhao', 'wang')]
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    row = _target_row(network, target)
    allowed = _owner_rows(network, owners)
    hops = _hops(network, max_hops)
    if allowed is not None and not allowed:
        return Channels([], network)
    g = _adjacency(network, formal_lines)
    found = _yen(g, row, k, hops, allowed)
    channels = [_channel(network, g, path) for _, path, _ in found]
    channels.sort(key=Channel.sort_key)
    return Channels(channels[:k], network)


def best_introducer(
    network: PersonNetwork,
    target: str,
    owners: Iterable[str] | None = None,
    max_hops: int | None = None,
    formal_lines: bool = True,
) -> tuple[str, float] | None:
    """The person to ask for an introduction to ``target``, and how good the ask is.

    Definition
    ----------
    For every person x with a step to the target, ``score(x) = t(x, target) · c(x)``,
    where ``t`` is the strength of the step (an informal tie, or a formal line as in
    :func:`warm_channels`; :func:`step_kind` says which) and ``c(x)`` the strength of the best channel from
    any of ``owners`` to x with at most ``max_hops + 1`` ties that does not pass
    through the target (one tie more than a channel, since the introduction itself
    is the next step). The introducer is the x with the highest score; ties go to
    the smaller person id. The score is what the warm path through x would be
    worth once the introduction works. Meant for targets :func:`warm_channels`
    cannot reach; for others it is defined the same way.

    Parameters
    ----------
    network : PersonNetwork
    target : str
        Person id of the official.
    owners : iterable of str, optional
        Owner ids allowed to reach the introducer; default every owner.
    max_hops : int, optional
        As in :func:`warm_channels`; default from the workspace settings.
    formal_lines : bool, default True
        As in :func:`warm_channels`.

    Returns
    -------
    (str, float) or None
        The introducer's person id and the score; None when no person tied to the
        target can be reached.

    Complexity: one bounded search (as in :func:`warm_channels`, with
    ``max_hops + 1`` ties) per person tied to the target, strongest tie first,
    each pruned below the best score so far.

    Examples
    --------
    In the sample workspace (:mod:`stakegraph.records.sample`) ``zhao`` is the one
    person between us and the director ``wang``: ``liu``'s relationship with him
    (0.8) times his tie to ``wang`` (0.5).

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> person, strength = best_introducer(network, "wang")
    >>> person, round(strength, 9)
    ('zhao', 0.4)
    """
    row = _target_row(network, target)
    allowed = _owner_rows(network, owners)
    hops = _hops(network, max_hops)
    if allowed is not None and not allowed:
        return None
    g = _adjacency(network, formal_lines)
    best: tuple[float, str] | None = None
    neighbours = sorted(g.into(row).items(), key=lambda item: (-item[1], network.persons[item[0]]))
    for x, t in neighbours:
        floor = best[0] if best is not None else 0.0
        if t < floor:
            break
        found = _spur(g, x, t, {row, x}, set(), hops + 1, floor, allowed)
        if found is None:
            continue
        candidate = (found[1][-1], network.persons[x])
        if best is None or (-candidate[0], candidate[1]) < (-best[0], best[1]):
            best = candidate
    if best is None:
        return None
    return best[1], best[0]


def step_kind(network: PersonNetwork, person: str, target: str, formal_lines: bool = True) -> str:
    """What the step from ``person`` to ``target`` goes along in a channel.

    :data:`UP` when ``person`` reports to ``target`` (or leads a body ``target``
    oversees) and ``[formal_lines] upward`` is above every informal tie between
    them, :data:`DOWN` for the reverse line at ``downward``, else :data:`TIE`. O(d),
    d the number of steps into ``target``.

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> step_kind(network, "zhao", "wang")
    'tie'
    """
    g = _adjacency(network, formal_lines)
    return g.step(_target_row(network, person), _target_row(network, target))
