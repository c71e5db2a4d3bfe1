"""``stakegraph init``: copy the commented starter workspace shipped in the package,
as a folder of YAML files or as one workbook."""

from __future__ import annotations

import shutil
import tempfile
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


def write_starter_workbook(path: Path | str, language: str | None = None) -> Path:
    """Write the starter workspace as one new workbook; return its path.

    ``language`` ("zh" or "en") sets the sheet names and headers and is written
    into the workbook's settings; by default the starter's own (Chinese).

    Raises
    ------
    StakegraphError
        The path does not end in .xlsx or already exists; nothing is written.
    """
    from stakegraph.io import load_workspace, save_workspace

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise StakegraphError(f"{path}: a workbook's name must end in .xlsx.")
    if path.exists():
        raise StakegraphError(f"{path}: already exists; choose a new file name.")
    with tempfile.TemporaryDirectory() as tmp:
        write_starter(Path(tmp) / "starter")
        workspace = load_workspace(Path(tmp) / "starter")
    if language is not None:
        workspace.settings = workspace.settings.model_copy(update={"language": language})
        text = workspace.settings_text or ""
        setting = f'language = "{language}"'
        workspace.settings_text = text.replace('# language = "zh"', setting, 1)
    save_workspace(workspace, path, "xlsx")
    return path
