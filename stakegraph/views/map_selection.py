"""Which persons the map draws when there are too many: the focus and its neighbourhood."""

from __future__ import annotations

from stakegraph.analysis.influence import Influence
from stakegraph.graph.network import PersonNetwork


def _neighbours(network: PersonNetwork) -> list[set[int]]:
    """Undirected one-step neighbourhood along reporting lines, 分管 and ties."""
    out: list[set[int]] = [set() for _ in range(network.size)]
    for matrix in (network.formal, network.oversight, network.tie_strength):
        coo = matrix.tocoo()
        for u, v in zip(coo.row.tolist(), coo.col.tolist(), strict=True):
            if u != v:
                out[u].add(v)
                out[v].add(u)
    return out


def select_persons(
    network: PersonNetwork,
    candidates: list[str],
    focus: list[str],
    infl: Influence,
    limit: int,
) -> tuple[list[str], int]:
    """Persons to draw: all candidates when few, else the focus and its neighbourhood."""
    if len(candidates) <= limit:
        return candidates, 0
    allowed = set(candidates)
    index = network.person_index
    if not focus:
        focus = [network.persons[i] for i in infl.order[: max(1, limit // 4)].tolist()]
    kept: dict[str, None] = dict.fromkeys(p for p in focus if p in allowed)
    neighbours = _neighbours(network)
    ring = {network.persons[j] for p in kept for j in neighbours[index[p]]} - set(kept)
    ring &= allowed
    for person in sorted(ring, key=lambda p: (-infl.of(p), p)):
        if len(kept) >= limit:
            break
        kept[person] = None
    return list(kept), len(candidates) - len(kept)
