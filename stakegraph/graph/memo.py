"""What a network keeps warm: derived things, each under a typed key.

Building a :class:`~stakegraph.graph.network.PersonNetwork` is the cheap part; the
analyses then derive heavier things from it (PageRank transition matrices, the
warm cover, adjacency dicts for the channel search, the igraph person graph,
informal circles). The report, the map, the book of accounts and every what-if
scenario on the same network need the same ones, so each is built once and kept
in the network's :class:`Memo` (DESIGN §4 "Speed by representation").

An entry is found by a key, never by a string: a key class is a frozen dataclass
that subclasses ``MemoKey[T]``, one class per kind of derived thing, its fields the
parameters the thing depends on, and ``T`` the type of the value kept under it. A
misspelt key class is a ``NameError`` at import and a value of the wrong type a
mypy error; two keys with different parameters are two entries.

>>> from dataclasses import dataclass
>>> from stakegraph.graph.memo import Memo, MemoKey
>>> @dataclass(frozen=True)
... class Squares(MemoKey[list[int]]):
...     up_to: int
>>> memo = Memo()
>>> memo.get_or_build(Squares(4), lambda: [i * i for i in range(4)])
[0, 1, 4, 9]
>>> memo.get_or_build(Squares(4), lambda: [])  # kept: the builder is not called
[0, 1, 4, 9]
>>> Squares(3) in memo, len(memo)
(False, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")


class MemoKey(Generic[T]):
    """Base of the keys of a :class:`Memo`; ``T`` is the type of the value kept.

    Subclass it as a frozen dataclass whose fields are the parameters of the
    derived thing (``@dataclass(frozen=True) class Walk(MemoKey[Matrix]): tie: float``).
    Equality and hashing come from the dataclass, which compares the class as well,
    so keys of two kinds never collide even when their fields are equal.
    """

    __slots__ = ()


class Memo:
    """Derived values of one network, built on first use and reused afterwards.

    Keeps the derived matrices and indexes that several analyses, the views and
    the what-if scenarios share (transition matrices, warm cover, adjacency lists,
    circles), so they are computed once per network rather than once per call.
    Entries are never invalidated: a network is a snapshot of one day, so what is
    derived from it stays true. The benchmarks empty it (:meth:`clear`) to time an
    analysis with the work it needs.
    """

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: dict[MemoKey[Any], Any] = {}

    def get_or_build(self, key: MemoKey[T], build: Callable[[], T]) -> T:
        """The value kept under ``key``, calling ``build()`` and keeping its result if none.

        Parameters
        ----------
        key : MemoKey[T]
            Which derived thing, with its parameters.
        build : callable
            Computes the value; called at most once per key while the entry stays.

        Returns
        -------
        T
            The kept value (the same object on every call).
        """
        if key in self._entries:
            return cast(T, self._entries[key])
        value = build()
        self._entries[key] = value
        return value

    def get(self, key: MemoKey[T]) -> T | None:
        """The value kept under ``key``, or None when nothing was built for it yet."""
        return cast("T | None", self._entries.get(key))

    def clear(self, kind: type[MemoKey[Any]] | None = None) -> None:
        """Forget every entry, or only the entries whose key is of class ``kind``.

        Parameters
        ----------
        kind : type, optional
            A key class (``clear(PersonGraphEdges)`` drops the edge lists, whatever
            their parameters); every entry when omitted.
        """
        if kind is None:
            self._entries.clear()
            return
        for key in [k for k in self._entries if isinstance(k, kind)]:
            del self._entries[key]

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[MemoKey[Any]]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Memo({len(self._entries)} entries)"
