"""Where the records read back from the cache were read, pickled until a command looks."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from typing import Any

from stakegraph._gc import gc_paused
from stakegraph.records.workspace import PackedLocations, PackedRecordLocations, RawRecord


@dataclass
class StoredPart:
    """Where the records admitted from one payload were read, pickled until looked at."""

    where: bytes | list[Any]
    #: (item, (collection, id)) of each record admitted from the payload, in file order
    keys: list[tuple[int, tuple[str, str]]]
    collections: set[str]
    done: bool = False

    def unpickle(self) -> list[Any]:
        located = pickle.loads(self.where) if isinstance(self.where, bytes) else self.where
        self.where, self.done = [], True
        return located


class StoredLocations(PackedLocations):
    """Locations still pickled in the payloads they were stored with: a look-up unpickles
    only the payloads that hold records of its collection, and anything else (iterating,
    counting, copying) all of them, in file order. Most commands never look."""

    def __init__(self, parts: list[StoredPart]) -> None:
        #: the payloads' parts, in file order; the loader may still add to the list
        self._parts = parts
        self._scope: str | None = None
        self._unpacked: dict[tuple[str, str], PackedRecordLocations] = {}
        super().__init__(None)

    def __getitem__(self, key: tuple[str, str]) -> RawRecord:
        self._scope = key[0]
        try:
            return super().__getitem__(key)
        finally:
            self._scope = None

    def __contains__(self, key: object) -> bool:
        self._scope = key[0] if isinstance(key, tuple) and key and isinstance(key[0], str) else None
        try:
            return super().__contains__(key)
        finally:
            self._scope = None

    @property
    def _packed(self) -> dict[tuple[str, str], PackedRecordLocations]:
        pending = [part for part in self._parts if not part.done]
        if not pending:
            return self._unpacked
        with gc_paused():
            if self._scope is not None:
                for part in pending:
                    if self._scope in part.collections:
                        located = part.unpickle()
                        for index, key in part.keys:
                            self._unpacked[key] = located[index]
                return self._unpacked
            ordered: dict[tuple[str, str], PackedRecordLocations] = {}
            for part in self._parts:  # all of them, rebuilt in file order
                if part.done:
                    for _, key in part.keys:
                        if key in self._unpacked:  # not opened or deleted since
                            ordered[key] = self._unpacked[key]
                else:
                    located = part.unpickle()
                    for index, key in part.keys:
                        ordered[key] = located[index]
            for key, value in self._unpacked.items():
                ordered.setdefault(key, value)
            self._unpacked = ordered
        return self._unpacked

    @_packed.setter
    def _packed(self, value: dict[tuple[str, str], PackedRecordLocations]) -> None:
        self._unpacked = value


__all__ = ["StoredLocations", "StoredPart"]
