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
