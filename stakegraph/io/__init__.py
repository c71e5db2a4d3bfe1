"""Reading and writing workspaces in their three formats.

=========  ==============================================================
format     what it is
=========  ==============================================================
``yaml``   a folder of ``<records>.yaml`` files (the format people edit)
``csv``    a folder of ``<records>.csv`` files, nested lists in child files
``xlsx``   one workbook, one sheet per record type (and per nested list)
=========  ==============================================================

:func:`load_workspace` detects the format; :func:`save_workspace` writes any of
them. Writing is all-or-nothing: files are written to a temporary folder beside
the destination and moved into place only when everything was written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from stakegraph.caching import USE_CACHE
from stakegraph.config import CONFIG_FILE, Settings, load_settings
from stakegraph.errors import StakegraphError, WorkspaceNotFound
from stakegraph.io import csv_folder
from stakegraph.io.atomic import scratch_file, scratch_folder
from stakegraph.io.yaml_folder import read_yaml_folder, write_yaml_folder, yaml_files
from stakegraph.records.workspace import RawRecord, Workspace, build_workspace

FORMATS = ("yaml", "csv", "xlsx")


def detect_format(path: Path | str) -> str:
    """The format of an existing workspace path: 'yaml', 'csv' or 'xlsx'."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".xlsx":
        return "xlsx"
    if path.is_dir():
        if yaml_files(path):
            return "yaml"
        if csv_folder.csv_files(path):
            return "csv"
        raise WorkspaceNotFound(
            f"{path}: no workspace files here (expected *.yaml or *.csv files). "
            "Run 'stakegraph init DIR' to start one."
        )
    if not path.exists():
        raise WorkspaceNotFound(f"{path}: no such file or folder.")
    raise WorkspaceNotFound(
        f"{path}: not a workspace: give a folder of YAML or CSV files, or an .xlsx workbook."
    )


def load_workspace(
    path: Path | str,
    progress: Callable[[int], None] | None = None,
    cache: bool | None = None,
) -> Workspace:
    """Read and validate a workspace in any format.

    With ``cache`` (default: :data:`stakegraph.caching.USE_CACHE`, which the command
    line turns on) the validated records of each unchanged file are taken from the
    workspace's cache (:mod:`stakegraph.io.cache`); the result is the same.

    Raises :class:`~stakegraph.errors.WorkspaceInvalid` listing every problem found,
    :class:`~stakegraph.errors.WorkspaceNotFound` when the path holds no workspace and
    :class:`~stakegraph.errors.ConfigError` for a bad ``stakegraph.toml``.
    """
    path = Path(path)
    fmt = detect_format(path)
    if cache is None:
        cache = USE_CACHE.get()
    if cache:
        return _load_cached(path, fmt, progress)
    if fmt == "xlsx":
        from stakegraph.io import xlsx_book  # openpyxl: imported only for a workbook

        raws, problems, settings_text = xlsx_book.read_xlsx(path)
        settings = load_settings_text(settings_text, path)
    else:
        settings_text = _read_settings_text(path)
        settings = load_settings(path)
        if fmt == "yaml":
            raws, problems = read_yaml_folder(path, progress)
        else:
            raws, problems = csv_folder.read_csv_folder(path)
    workspace = build_workspace(
        drain_raw_records(raws),
        settings,
        name=path.resolve().name,
        extra_problems=problems,
        progress=progress,
    )
    workspace.settings_text = settings_text
    return workspace


def _load_cached(path: Path, fmt: str, progress: Callable[[int], None] | None) -> Workspace:
    from stakegraph.io.cache import load_cached, load_cached_workbook

    if fmt == "xlsx":
        return load_cached_workbook(path, progress)
    return load_cached(path, fmt, load_settings(path), _read_settings_text(path), progress)


def drain_raw_records(items: list[RawRecord]) -> Iterator[RawRecord]:
    """Yield the items in order, letting go of each: a validated record's raw dict is
    freed while the others are validated, so both never fill memory at once."""
    items.reverse()
    while items:
        yield items.pop()


def _read_settings_text(folder: Path) -> str | None:
    path = folder / CONFIG_FILE
    return path.read_text(encoding="utf-8") if path.is_file() else None


def load_settings_text(text: str | None, origin: Path | str) -> Settings:
    """Settings from TOML text kept inside a workbook (validated like the file)."""
    if not text:
        return load_settings(None)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / CONFIG_FILE
        path.write_text(text, encoding="utf-8")
        try:
            return load_settings(path)
        except StakegraphError as exc:
            raise type(exc)(str(exc).replace(str(path), f"{origin} (sheet settings)")) from None


def save_workspace(
    workspace: Workspace, dest: Path | str, fmt: str | None = None, overwrite: bool = False
) -> list[Path]:
    """Write a workspace; ``fmt`` defaults to 'xlsx' for ``*.xlsx`` and 'yaml' otherwise.

    A folder destination must be empty or absent, and a workbook must not exist
    unless ``overwrite`` is set. Files appear only once all are written (an error
    leaves the destination as it was), and what an earlier, killed write left
    beside the destination is removed first (:mod:`stakegraph.io.atomic`).
    """
    dest = Path(dest)
    fmt = fmt or ("xlsx" if dest.suffix.lower() == ".xlsx" else "yaml")
    if fmt not in FORMATS:
        raise StakegraphError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}.")
    if fmt == "xlsx":
        if dest.suffix.lower() != ".xlsx":
            raise StakegraphError(f"{dest}: an xlsx workbook's name must end in .xlsx.")
        if dest.is_dir():
            raise StakegraphError(f"{dest}: is a folder; give the workbook a new file name.")
        if dest.exists() and not overwrite:
            raise StakegraphError(
                f"{dest}: already exists; choose a new name, or add --force to replace it."
            )
        from stakegraph.io import xlsx_book

        tmp = scratch_file(dest)
        try:
            xlsx_book.write_xlsx(
                workspace, tmp, getattr(workspace, "settings_text", None), label=dest.name
            )
            os.replace(tmp, dest)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return [dest]
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise StakegraphError(
            f"{dest}: already exists and is not empty; choose a new folder so nothing is overwritten."
        )
    tmp = scratch_folder(dest)
    try:
        if fmt == "yaml":
            names = [p.name for p in write_yaml_folder(workspace, tmp)]
        else:
            names = [p.name for p in csv_folder.write_csv_folder(workspace, tmp)]
        settings_text = getattr(workspace, "settings_text", None)
        if settings_text:
            (tmp / CONFIG_FILE).write_text(settings_text, encoding="utf-8")
            names.append(CONFIG_FILE)
        if dest.exists():
            dest.rmdir()
        os.replace(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [dest / n for n in names]


__all__ = ["FORMATS", "detect_format", "load_workspace", "save_workspace"]
