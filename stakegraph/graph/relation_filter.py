"""Relation filters: run any analysis on some of the informal ties only.

A :class:`RelationFilter` keeps the ties of some kinds, carrying some tags, from
some sources, at or above a minimum confidence. :func:`filtered_network` gives the
network of the same day with only those ties: formal lines, oversight (分管),
owners and relationships are untouched, and the tie matrices are rebuilt from the
kept ties once per network and filter, then kept in the network's memo under
:class:`FilteredNetwork`. The filtered network has a memo of its own, so what the
analyses derive from it (transition matrices, warm cover, circles) is cached per
filter too. Every analysis that takes a network (influence, brokerage, circles,
paths, plan, the report, the map) therefore takes a filter the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from stakegraph.graph.memo import Memo, MemoKey
from stakegraph.graph.network import PersonNetwork, tie_matrices
from stakegraph.graph.timeline import workspace_view
from stakegraph.records.model import Tie, TieKind


@dataclass(frozen=True)
class RelationFilter:
    """Which informal ties an analysis reads; every field left empty keeps every tie.

    Attributes
    ----------
    kinds : frozenset of TieKind, optional
        Keep ties of these kinds (None: every kind).
    tags : frozenset of str, optional
        Keep ties carrying at least one of these tags (None: tagged or not).
    sources : frozenset of str, optional
        Keep ties whose ``source`` is one of these (None: any source, or none).
    min_confidence : float
        Keep ties whose ``confidence`` is at least this (0: all). A tie exactly at
        the minimum is kept.

    Examples
    --------
    >>> from stakegraph.records.model import Tie
    >>> tie = Tie(a="x", b="y", kind="mentor", confidence=0.6, tags=["audit"])
    >>> RelationFilter.of(kinds=["mentor"], min_confidence=0.6).keeps(tie)
    True
    >>> RelationFilter.of(min_confidence=0.61).keeps(tie), RelationFilter().active
    (False, False)
    """

    kinds: frozenset[TieKind] | None = None
    tags: frozenset[str] | None = None
    sources: frozenset[str] | None = None
    min_confidence: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError(f"min_confidence must lie in [0, 1], got {self.min_confidence}")

    @classmethod
    def of(
        cls,
        kinds: Iterable[TieKind | str] | None = None,
        tags: Iterable[str] | None = None,
        sources: Iterable[str] | None = None,
        min_confidence: float = 0.0,
    ) -> RelationFilter:
        """A filter from plain values; an empty iterable means no restriction, like None.

        Raises ValueError for a kind that is not a tie kind (Chinese names accepted).
        """
        kept_kinds = frozenset(TieKind(k) for k in kinds) if kinds else None
        return cls(
            kinds=kept_kinds,
            tags=frozenset(tags) if tags else None,
            sources=frozenset(sources) if sources else None,
            min_confidence=float(min_confidence),
        )

    @property
    def active(self) -> bool:
        """Whether the filter leaves out anything at all."""
        return bool(self.kinds or self.tags or self.sources or self.min_confidence > 0)

    def keeps(self, tie: Tie) -> bool:
        """Whether ``tie`` passes every restriction. O(tags of the tie)."""
        if self.kinds is not None and tie.kind not in self.kinds:
            return False
        if self.tags is not None and not self.tags.intersection(tie.tags):
            return False
        if self.sources is not None and tie.source not in self.sources:
            return False
        return tie.confidence >= self.min_confidence

    def to_dict(self) -> dict[str, object]:
        """Plain, sorted values for ``--json`` and the headings."""
        return {
            "kinds": None if self.kinds is None else sorted(k.value for k in self.kinds),
            "tags": None if self.tags is None else sorted(self.tags),
            "sources": None if self.sources is None else sorted(self.sources),
            "min_confidence": self.min_confidence,
        }


#: The filter that keeps every tie.
ALL_TIES = RelationFilter()


@dataclass(frozen=True)
class FilteredNetwork(MemoKey[PersonNetwork]):
    """Memo key: the network restricted to the ties one filter keeps."""

    relations: RelationFilter


@dataclass(frozen=True)
class AppliedFilter(MemoKey[RelationFilter]):
    """Memo key, on a filtered network: the filter it was restricted by."""


def applied_filter(network: PersonNetwork) -> RelationFilter:
    """The relation filter ``network`` was restricted by (:data:`ALL_TIES` for a full one).

    Lets an analysis handed a filtered network state, and default by, what it reads.
    """
    return network.memo.get(AppliedFilter()) or ALL_TIES


def filtered_network(network: PersonNetwork, relations: RelationFilter | None) -> PersonNetwork:
    """The network of the same day with only the ties ``relations`` keeps.

    Definition
    ----------
    Persons, owners, grades, formal and oversight lines and relationships are those
    of ``network``; ``workspace.ties`` holds the kept ties, and ``tie_deference`` and
    ``tie_strength`` are rebuilt from them by
    :func:`~stakegraph.graph.network.tie_matrices` (parallel ties combined as the
    ``[ties]`` settings say). With no filter, or one that keeps everything, the
    network itself is returned, so default answers are today's.

    Parameters
    ----------
    network : PersonNetwork
    relations : RelationFilter or None

    Returns
    -------
    PersonNetwork
        Kept in ``network.memo`` under :class:`FilteredNetwork`: the arrays are
        built once per network and filter, with a fresh memo of their own.

    Complexity
    ----------
    O(T + n) for T ties on the first call per filter (one pass over the ties and
    one sparse build), O(1) afterwards.

    Examples
    --------
    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> network.tie_strength.nnz
    2
    >>> only_family = filtered_network(network, RelationFilter.of(kinds=["family"]))
    >>> only_family.tie_strength.nnz, only_family.formal.nnz == network.formal.nnz
    (0, True)
    >>> filtered_network(network, RelationFilter.of(kinds=["family"])) is only_family
    True
    """
    if relations is None or not relations.active:
        return network
    return network.memo.get_or_build(
        FilteredNetwork(relations), lambda: _restrict(network, relations)
    )


def _restrict(network: PersonNetwork, relations: RelationFilter) -> PersonNetwork:
    ws = network.workspace
    kept = {tid: tie for tid, tie in ws.ties.items() if relations.keeps(tie)}
    view = workspace_view(ws, {"ties": dict(kept)})
    deference, strength = tie_matrices(kept.values(), network.person_index, ws.settings.ties)
    memo = Memo()
    memo.get_or_build(AppliedFilter(), lambda: relations)
    return replace(
        network, workspace=view, tie_deference=deference, tie_strength=strength, memo=memo
    )
