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
