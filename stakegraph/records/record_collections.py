"""A workspace's records by collection, some read only when a command first asks for them."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from stakegraph.records.model import Record

#: Reads the records of one or more collections: collection -> records by id, in file order.
CollectionLoader = Callable[[], dict[str, dict[str, "Record"]]]


class RecordCollections(dict[str, dict[str, Record]]):
    """A workspace's records by collection, some of them read only when first asked for.

    A workspace read back from the cache (:mod:`stakegraph.io.cache`) starts with
    every collection *pending*: ``records["ties"]`` (or ``workspace.ties``) reads and
    keeps the ties then, so a command that never looks at them never unpickles them.
    A loader may fill several collections at once (those read from the same file);
    each is the same dict, in the same order, as reading everything at once gives.

    Looking up a collection already read is the plain dict's look-up (a pending one
    goes through :meth:`__missing__`). Anything that lists the collections
    (iterating, ``items()``, ``len()``, comparing, copying) reads them all first, in
    the order of the record types. Setting or deleting a collection drops what was
    pending for it.
    """

    __slots__ = ("_pending", "_order", "_in_order")

    def __init__(
        self,
        loaded: dict[str, dict[str, Record]],
        pending: dict[str, CollectionLoader],
        order: list[str],
    ) -> None:
        super().__init__(loaded)
        #: collection -> the loader that reads it (one loader may serve several)
        self._pending = pending
        #: every collection, in the order a plain workspace lists them
        self._order = order
        #: whether the dict holds its collections in that order (reading one appends it)
        self._in_order = not pending

    def __missing__(self, collection: str) -> dict[str, Record]:
        load = self._pending.get(collection)
        if load is None:
            raise KeyError(collection)
        for name, records in load().items():
            if self._pending.pop(name, None) is not None:
                dict.__setitem__(self, name, records)
                self._in_order = False
        return dict.__getitem__(self, collection)

    @property
    def pending(self) -> frozenset[str]:
        """The collections not read yet."""
        return frozenset(self._pending)

    def load_all(self) -> None:
        """Read every pending collection, and put the collections back in their order
        (also when each was read on its own first use, in another order)."""
        if not self._pending and self._in_order:
            return
        for name in list(self._pending):
            if name in self._pending:
                self[name]  # noqa: B018 - reads it (and any read with it)
        ordered = [
            (c, dict.__getitem__(self, c)) for c in self._order if dict.__contains__(self, c)
        ]
        rest = [(c, v) for c, v in dict.items(self) if c not in set(self._order)]
        dict.clear(self)
        dict.update(self, ordered + rest)
        self._in_order = True

    def shared(self, replaced: dict[str, dict[str, Record]]) -> RecordCollections:
        """The same collections with those in ``replaced`` swapped; the others shared, not
        copied, and those still pending read from this object when first asked for."""
        loaded = {c: v for c, v in dict.items(self) if c not in replaced}
        loaded.update(replaced)
        pending: dict[str, CollectionLoader] = {
            c: functools.partial(_one_collection, self, c)
            for c in self._pending
            if c not in replaced
        }
        return RecordCollections(loaded, pending, self._order)

    # --- everything that lists or changes the collections -----------------------
    def __contains__(self, collection: object) -> bool:
        return dict.__contains__(self, collection) or collection in self._pending

    def __len__(self) -> int:
        return dict.__len__(self) + len(self._pending)

    def __iter__(self) -> Iterator[str]:
        self.load_all()
        return dict.__iter__(self)

    def __reversed__(self) -> Iterator[str]:
        self.load_all()
        return dict.__reversed__(self)

    def __eq__(self, other: object) -> bool:
        self.load_all()
        return dict.__eq__(self, other)

    __hash__ = None

    def __repr__(self) -> str:
        self.load_all()
        return dict.__repr__(self)

    def __reduce__(self) -> tuple[Any, ...]:
        self.load_all()
        return dict, (dict(dict.items(self)),)

    def keys(self) -> Any:
        self.load_all()
        return dict.keys(self)

    def values(self) -> Any:
        self.load_all()
        return dict.values(self)

    def items(self) -> Any:
        self.load_all()
        return dict.items(self)

    def get(self, collection: str, default: Any = None) -> Any:
        if collection in self:  # through __missing__, which reads a pending collection
            return self[collection]
        return default

    def copy(self) -> dict[str, dict[str, Record]]:
        self.load_all()
        return dict(dict.items(self))

    def __setitem__(self, collection: str, records: dict[str, Record]) -> None:
        self._pending.pop(collection, None)
        if not dict.__contains__(self, collection):
            self._in_order = False
        dict.__setitem__(self, collection, records)

    def __delitem__(self, collection: str) -> None:
        if self._pending.pop(collection, None) is None:
            dict.__delitem__(self, collection)

    def pop(self, collection: str, *default: Any) -> Any:
        if collection in self._pending:
            self[collection]  # noqa: B018 - reads it
        return dict.pop(self, collection, *default)

    def popitem(self) -> tuple[str, dict[str, Record]]:
        self.load_all()
        return dict.popitem(self)

    def setdefault(self, collection: str, default: Any = None) -> Any:
        if collection in self:
            return self[collection]
        dict.__setitem__(self, collection, default)
        return default

    def update(self, *args: Any, **kwargs: Any) -> None:
        for collection, records in dict(*args, **kwargs).items():
            self[collection] = records

    def clear(self) -> None:
        self._pending.clear()
        dict.clear(self)

    def __or__(self, other: Any) -> Any:
        self.load_all()
        return dict(dict.items(self)) | other

    def __ior__(self, other: Any) -> Any:
        self.update(other)
        return self


def _one_collection(source: RecordCollections, collection: str) -> dict[str, dict[str, Record]]:
    return {collection: source[collection]}


__all__ = ["CollectionLoader", "RecordCollections"]
