"""Whether workspaces are read through their cache (see :mod:`stakegraph.io.cache`).

Kept apart from the cache itself, which imports the records, so the command line
can set it while ``stakegraph --help`` imports nothing heavy.
"""

from __future__ import annotations

from contextvars import ContextVar

#: The cache folder inside a workspace folder; a workbook ``book.xlsx`` has
#: ``.book.xlsx.stakegraph-cache`` beside it.
CACHE_FOLDER = ".stakegraph-cache"

#: Whether :func:`stakegraph.io.load_workspace` reads through the cache when not told.
#: Off for the library; the command line turns it on unless given ``--no-cache``.
USE_CACHE: ContextVar[bool] = ContextVar("use_cache", default=False)
