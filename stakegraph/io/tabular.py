"""CSV folders and xlsx workbooks (being written)."""

from pathlib import Path


def csv_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.csv"))


def read_csv_folder(folder):
    raise NotImplementedError


def read_xlsx(path):
    raise NotImplementedError


def write_csv_folder(workspace, folder):
    raise NotImplementedError


def write_xlsx(workspace, path, settings_text):
    raise NotImplementedError
