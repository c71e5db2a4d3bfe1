"""Shared fixtures: the small test workspace and the bundled examples."""

import shutil
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


def snapshot(path: Path) -> dict[str, bytes]:
    """The bytes of a file, or of every file in a folder, by name: to show nothing changed."""
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}


@pytest.fixture
def yaml_ws(tmp_path: Path) -> Path:
    """A copy of the bundled smart-city workspace that a test may write to."""
    return Path(shutil.copytree(EXAMPLES / "smart-city", tmp_path / "ws"))


# A real Neo4j server for tests marked @pytest.mark.neo4j (started once per session).
from tests.neo4j_fixture import (  # noqa: E402, F401
    neo4j_auth,
    neo4j_connection,
    neo4j_driver,
    neo4j_uri,
)
