"""All-or-nothing writes.

One file goes through a temporary file beside it, then a rename. A set of files
(a report: HTML, Markdown, PNG figures) is built in a scratch folder and then
moved in; nothing is moved until every file has been written, and a failure while
moving puts the previous files back.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


def current_umask() -> int:
    """The process umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_file_atomically(out: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``out``; a failure leaves any earlier file as it was."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp creates 0600; give the file the mode an ordinary write would
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return out


@contextlib.contextmanager
def staging_dir(out_dir: Path) -> Iterator[Path]:
    """A scratch folder next to ``out_dir`` (same file system), removed afterwards."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def commit(scratch: Path, out_dir: Path, files: list[Path]) -> list[Path]:
    """Move ``files`` (relative to ``scratch``) into ``out_dir``; all or nothing.

    When ``out_dir`` does not exist yet, the scratch folder becomes it in one
    rename. Otherwise each file replaces its namesake in turn (the last file of
    ``files`` last, so list the main document last), and an error puts back
    what was there before. Other files in ``out_dir`` are left alone.

    Returns the written paths inside ``out_dir``, in the order of ``files``.
    """
    out_dir = Path(out_dir)
    targets = [out_dir / f for f in files]
    if not out_dir.exists():
        scratch.rename(out_dir)
        # mkdtemp makes a private (0700) folder; a report folder is as public as any other
        out_dir.chmod(0o777 & ~current_umask())
        # the caller's cleanup must not find (and delete) the folder under its old name
        scratch.mkdir()
        return targets
    backup = scratch / ".previous"
    moved: list[tuple[Path, Path | None]] = []
    try:
        for rel, target in zip(files, targets, strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            saved = None
            if target.exists():
                saved = backup / rel
                saved.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, saved)
            moved.append((target, saved))
            os.replace(scratch / rel, target)
    except BaseException:
        for target, saved in reversed(moved):
            with contextlib.suppress(OSError):
                if saved is not None:
                    os.replace(saved, target)
                else:
                    target.unlink(missing_ok=True)
        raise
    return targets
