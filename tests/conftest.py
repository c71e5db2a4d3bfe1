"""Shared fixtures: the small test workspace and the bundled examples."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import DATA, EXAMPLES


@pytest.fixture(autouse=True, scope="session")
def _no_workspace_cache() -> Iterator[None]:
    """Commands run by tests write no cache into the repository's example folders
    (tests/io/test_cache.py turns it back on, in copies). Session-wide, so fixtures of
    a module or the session that run commands are covered too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STAKEGRAPH_NO_CACHE", "1")
        yield


@pytest.fixture
def mini_path() -> Path:
    return DATA / "mini"


@pytest.fixture
def mini(mini_path):
    from stakegraph.io import load_workspace

    return load_workspace(mini_path)


@pytest.fixture
def yaml_ws(tmp_path: Path) -> Path:
    """A copy of the bundled smart-city workspace that a test may write to."""
    return Path(shutil.copytree(EXAMPLES / "smart-city", tmp_path / "ws"))


# A real Neo4j server for tests marked @pytest.mark.neo4j (started once per session).
from tests.neo4j_fixture import (  # noqa: E402, F401
    neo4j_auth,
    neo4j_connection,
    neo4j_driver,
    neo4j_env,
    neo4j_uri,
)
