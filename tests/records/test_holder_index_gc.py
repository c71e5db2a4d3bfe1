"""The holders' index joins a frozen heap: a command's collector passes never walk it."""

from __future__ import annotations

import gc

from stakegraph._gc import freeze, unfreeze


def test_the_holder_index_is_built_paused_and_joins_the_frozen_heap(mini):
    was_enabled = gc.isenabled()
    freeze()
    try:
        index = mini._holder_index()
        assert index, "the mini workspace has tenures"
        walked = {id(obj) for obj in gc.get_objects()}  # every generation but the frozen one
        assert not any(id(holders) in walked for holders in index.values())
        assert gc.isenabled() == was_enabled
    finally:
        unfreeze()
    walked = {id(obj) for obj in gc.get_objects()}
    assert all(id(holders) in walked for holders in index.values())  # back once unfrozen


def test_without_a_frozen_heap_the_index_stays_with_the_collector(mini):
    index = mini._holder_index()
    walked = {id(obj) for obj in gc.get_objects()}
    assert all(id(holders) in walked for holders in index.values())
