"""Pausing Python's cycle collector while large trees of objects are built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector for the duration of a ``with`` block.

    Reading, validating and graphing a workspace each allocate millions of small
    objects that form no cycles. With the collector on, its full passes over the
    ever larger heap took most of the time (three to four times the work itself);
    anything cyclic made meanwhile is collected once the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: Whether :func:`freeze` holds the heap out of the collector's passes now.
_frozen = False


def freeze() -> None:
    """Leave every object alive now out of the collector's passes, until :func:`unfreeze`."""
    global _frozen
    gc.freeze()
    _frozen = True


def unfreeze() -> None:
    """Return the objects :func:`freeze` left out to the collector."""
    global _frozen
    _frozen = False
    gc.unfreeze()


def join_frozen() -> None:
    """Freeze everything alive now if :func:`freeze` holds the heap.

    The command line freezes a workspace once it is read, so the collector's full
    passes never walk its records; records read later, on first use
    (:class:`~stakegraph.records.workspace.RecordCollections`), join them. (A flag, as
    ``gc.get_freeze_count()`` walks every frozen object.)
    """
    if _frozen:
        gc.freeze()
