"""``stakegraph init``: copy the commented starter workspace shipped in the package."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from stakegraph.caching import CACHE_FOLDER
from stakegraph.errors import StakegraphError


def write_starter(directory: Path | str) -> list[Path]:
    """Copy the starter workspace into a new or empty folder; return the files written."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise StakegraphError(f"{directory}: already exists and is not empty; choose a new folder.")
    source = resources.files("stakegraph") / "starter"
    names = sorted(p.name for p in source.iterdir() if p.name.endswith((".yaml", ".toml")))
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    ignore = directory / ".gitignore"
    # the cache of validated records (stakegraph.io.cache) is not part of the workspace
    ignore.write_text(f"{CACHE_FOLDER}/\n", encoding="utf-8")
    written.append(ignore)
    for name in names:
        with resources.as_file(source / name) as path:
            shutil.copyfile(path, directory / name)
        written.append(directory / name)
    return written
