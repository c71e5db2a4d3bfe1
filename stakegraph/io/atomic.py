"""All-or-nothing writes.

One file goes through a temporary file beside it, then a rename. A set of files
(a report: HTML, Markdown, PNG figures) is built in a scratch folder beside its
destination. A destination folder that holds nothing but such a set is then
swapped with the scratch folder in one step (Linux ``renameat2`` with
``RENAME_EXCHANGE``), so a process killed at any moment leaves either the old
set or the new one; a folder that also holds other files gets the new files
moved in one by one, and a failure while moving puts the previous files back.

Temporary files and folders are named ``.<name>.<pid>.<random>.tmp`` after the
destination and the writing process. A write killed part-way leaves one behind;
the next write to the same destination removes every such leftover whose
process is gone (see :func:`sweep_leftovers`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

TEMP_SUFFIX = ".tmp"
#: Where processes cannot be asked whether they live (Windows), leftovers this old go.
STALE_AFTER = 24 * 3600
#: A destination folder moved aside by the two-rename fallback ends in this.
_ASIDE = ".previous" + TEMP_SUFFIX


def current_umask() -> int:
    """The process umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _prefix(out: Path) -> str:
    return f".{out.name}.{os.getpid()}."


def scratch_file(out: Path | str) -> Path:
    """A new empty temporary file beside ``out``, after removing stale leftovers."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(out)
    fd, tmp = tempfile.mkstemp(prefix=_prefix(out), suffix=TEMP_SUFFIX, dir=out.parent)
    os.close(fd)
    return Path(tmp)


def scratch_folder(out: Path | str) -> Path:
    """A new empty temporary folder beside ``out``, after removing stale leftovers."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(out)
    return Path(tempfile.mkdtemp(prefix=_prefix(out), suffix=TEMP_SUFFIX, dir=out.parent))


def sweep_leftovers(out: Path | str) -> list[Path]:
    """Remove what killed writes to ``out`` left beside it; return what was removed.

    Only temporary files and folders named after ``out`` (``.<name>.<pid>.….tmp``)
    whose writing process no longer runs are touched, so a write in progress in
    another process keeps its own. A folder that a killed swap had moved aside
    while ``out`` is missing is put back instead of removed.
    """
    out = Path(out)
    head = f".{out.name}."
    removed: list[Path] = []
    try:
        entries = [p for p in out.parent.iterdir() if p.name.startswith(head)]
    except OSError:
        return removed
    for entry in entries:
        rest = entry.name[len(head) :]
        pid, _, tail = rest.partition(".")
        if not (pid.isdigit() and tail.endswith(TEMP_SUFFIX)) or _running(int(pid), entry):
            continue
        with contextlib.suppress(OSError):
            if tail == _ASIDE[1:] and not os.path.lexists(out):
                os.rename(entry, out)  # the old folder, never replaced: back it goes
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
    return removed


def _running(pid: int, entry: Path) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill would end the process there: judge by age instead
        try:
            return time.time() - entry.lstat().st_mtime < STALE_AFTER
        except OSError:
            return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def write_file_atomically(out: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``out``; a failure leaves any earlier file as it was."""
    out = Path(out)
    tmp = scratch_file(out)
    try:
        with open(tmp, "wb") as handle:
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
    scratch = scratch_folder(out_dir)
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def commit(
    scratch: Path, out_dir: Path, files: list[Path], owned: Iterable[str] | None = None
) -> list[Path]:
    """Move ``files`` (relative to ``scratch``) into ``out_dir``; all or nothing.

    When ``out_dir`` does not exist yet, the scratch folder becomes it in one
    rename. When it holds nothing but entries matching ``owned`` (glob patterns
    relative to it, such as ``report.html`` or ``figures/*.png``: what an earlier
    run wrote), the scratch folder takes its place in one swap, and what was there
    is removed with the scratch folder. Otherwise each file replaces its namesake
    in turn (the last file of ``files`` last, so list the main document last), an
    error puts back what was there before, and other files are left alone.

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
    if owned is not None and _swappable(out_dir) and _holds_only(out_dir, owned):
        scratch.chmod(stat.S_IMODE(out_dir.stat().st_mode))
        swap_folders(scratch, out_dir)
        return targets
    return _move_each(scratch, out_dir, files, targets)


def _swappable(folder: Path) -> bool:
    """Whether ``folder`` may be swapped: a real folder, not where the process stands.

    A symlink would turn into a folder, and the working folder into a deleted one.
    """
    if folder.is_symlink():
        return False
    here = Path.cwd().resolve()
    return not (here == folder.resolve() or folder.resolve() in here.parents)


def _holds_only(folder: Path, patterns: Iterable[str]) -> bool:
    """Whether every file under ``folder`` matches one of ``patterns`` (and no symlink)."""
    patterns = list(patterns)
    for path in folder.rglob("*"):
        if path.is_symlink():
            return False
        if path.is_dir():
            continue
        rel = path.relative_to(folder)
        if not any(rel.match(p) and len(rel.parts) == len(Path(p).parts) for p in patterns):
            return False
    return True


def swap_folders(new: Path, out: Path) -> None:
    """Put folder ``new`` at ``out`` and the old ``out`` at ``new``.

    One atomic exchange where the system offers it; elsewhere two renames, with
    the old folder first moved to a name :func:`sweep_leftovers` puts back if the
    process dies between them.
    """
    if _exchange(new, out):
        return
    aside = out.parent / f"{_prefix(out)}{_ASIDE[1:]}"
    os.rename(out, aside)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(aside, out)
        raise
    os.rename(aside, new)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths with renameat2(RENAME_EXCHANGE); False when not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not Linux, or a C library without it
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False  # the file system cannot exchange: fall back
    raise OSError(code, os.strerror(code), str(b))


def _move_each(scratch: Path, out_dir: Path, files: list[Path], targets: list[Path]) -> list[Path]:
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
