"""Fixtures the cache's test modules share: a secret of each test's own (a module asks
for it with ``pytestmark = pytest.mark.usefixtures("own_cache_secret")``), and ``city``,
a copy of the Chinese example without a cache folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from stakegraph.io import cache as cache_module
from stakegraph.io.cache import CACHE_FOLDER
from tests.builders import SMART_CITY


@pytest.fixture
def own_cache_secret(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Each test keys its entries with a secret of its own (the user's is left alone)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
    monkeypatch.delenv("STAKEGRAPH_NO_CACHE", raising=False)
    cache_module._secret.cache_clear()
    yield
    cache_module._secret.cache_clear()


@pytest.fixture
def city(tmp_path: Path) -> Path:
    dest = tmp_path / "city"
    shutil.copytree(SMART_CITY, dest, ignore=shutil.ignore_patterns(CACHE_FOLDER))
    return dest
