"""Shared fixtures: the small test workspace and the bundled examples."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples"


@pytest.fixture
def mini_path() -> Path:
    return DATA / "mini"


@pytest.fixture
def mini(mini_path):
    from stakegraph.io import load_workspace

    return load_workspace(mini_path)


# A real Neo4j server for tests marked @pytest.mark.neo4j (started once per session).
from tests.neo4j_fixture import (  # noqa: E402, F401
    neo4j_auth,
    neo4j_connection,
    neo4j_driver,
    neo4j_uri,
)
