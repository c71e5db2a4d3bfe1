"""One writer at a time: the workspace lock, its undo journal and the litter of killed writes.

Every command that changes a workspace in place (``log``, ``assess``, ``act``,
``plan --save``, ``surveys --import`` ...) reads the workspace, validates the
change and writes files. Two such cycles interleaved lose records: the second
writer writes its own copy of a file over the first one's record. So each cycle
runs under :func:`workspace_lock`, an exclusive lock on the workspace:

- The lock is :func:`fcntl.flock` on a hidden file: ``.stakegraph.lock`` inside a
  workspace folder, ``.<name>.lock`` beside a workbook (the workbook itself is
  replaced by each write, so it cannot carry the lock). No reader takes these
  names for a table. A kernel lock disappears with its process, so a writer killed
  with SIGKILL never leaves a lock that blocks the next one; the file is removed
  when the lock is released and is harmless when a killed writer leaves it.
- A writer that finds the lock held says so once on stderr and waits, at most
  ``timeout`` seconds (default :data:`DEFAULT_TIMEOUT`, or the environment
  variable ``STAKEGRAPH_LOCK_TIMEOUT``), then fails with :class:`WorkspaceBusy`.
- :meth:`WorkspaceLock.write_files` writes through an undo journal (``.stakegraph.journal``
  / ``.<name>.journal``): before the first file is replaced, the journal names
  each file with a backup of its old text and a digest of the old and new text.
  A failed write puts back only the files that still hold what this writer wrote,
  never an older copy over somebody else's change. A writer killed between two
  files leaves the journal, and the next writer undoes that half-finished change
  before anything else.
- Temporary files of killed writes (``.<file>.<random>.tmp``) are removed when
  the next writer takes the lock; while it holds the lock no other writer can be
  writing them.

The lock is reentrant within a process (a writer that holds it may call another).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from stakegraph.errors import StakegraphError
from stakegraph.io.atomic import scratch_file, write_file_atomically

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: Seconds a writer waits for another one before giving up.
DEFAULT_TIMEOUT = 30.0
#: The environment variable that overrides :data:`DEFAULT_TIMEOUT` (seconds).
TIMEOUT_ENV = "STAKEGRAPH_LOCK_TIMEOUT"

#: The lock and journal of a workspace folder, inside it.
FOLDER_LOCK = ".stakegraph.lock"
FOLDER_JOURNAL = ".stakegraph.journal"

#: Suffixes of the files a writer replaces in a workspace folder.
_FOLDER_SUFFIXES = (".yaml", ".yml", ".csv")
#: A temporary file of :func:`~stakegraph.io.atomic.write_file_atomically` or a backup of
#: the journal: ``.<file name>.<pid>.<8 random characters>.tmp`` (no pid: older versions).
_TEMP = re.compile(r"^\.(?P<name>.+?)\.(?:(?P<pid>\d+)\.)?[a-z0-9_]{8}\.tmp$")

#: A planned write: the file, its new bytes.
Write = tuple[Path, bytes]


class WorkspaceBusy(StakegraphError):
    """Another writer held the workspace lock for longer than the timeout."""


def lock_timeout(timeout: float | None = None) -> float:
    """``timeout`` or, when None, ``$STAKEGRAPH_LOCK_TIMEOUT`` or :data:`DEFAULT_TIMEOUT`."""
    if timeout is not None:
        return max(0.0, float(timeout))
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        raise StakegraphError(
            f"{TIMEOUT_ENV}={text!r} is not a number of seconds; set it to e.g. 30 or unset it."
        ) from None
    if not value >= 0:  # also refuses nan
        raise StakegraphError(f"{TIMEOUT_ENV}={text!r} must be 0 or more seconds.")
    return value


def lock_file(workspace: Path | str) -> Path:
    """The lock file of a workspace: inside a folder, beside a workbook."""
    workspace = Path(workspace)
    if workspace.is_dir():
        return workspace / FOLDER_LOCK
    return workspace.parent / f".{workspace.name}.lock"


def journal_file(workspace: Path | str) -> Path:
    """The undo journal of a workspace: inside a folder, beside a workbook."""
    workspace = Path(workspace)
    if workspace.is_dir():
        return workspace / FOLDER_JOURNAL
    return workspace.parent / f".{workspace.name}.journal"


# --- the lock --------------------------------------------------------------------------

_held_guard = threading.Lock()
#: Locks this process holds: lock file -> (its guard, how many times it is held).
_held: dict[Path, list] = {}


@contextlib.contextmanager
def workspace_lock(workspace: Path | str, timeout: float | None = None) -> Iterator[WorkspaceLock]:
    """Hold the exclusive writer lock of ``workspace`` (a folder or an ``.xlsx`` workbook).

    Parameters
    ----------
    workspace : the workspace folder or workbook.
    timeout : seconds to wait for another writer (None: ``$STAKEGRAPH_LOCK_TIMEOUT``
        or 30 s). While waiting, one line on stderr says who holds the lock.

    Yields
    ------
    WorkspaceLock
        Its :meth:`~WorkspaceLock.write_files` writes files under the lock.

    Raises
    ------
    WorkspaceBusy
        Another writer kept the lock for longer than ``timeout``.
    OSError
        The lock file cannot be created (a read-only folder, a missing one).

    Notes
    -----
    On taking the lock, a change left half-done by a killed writer is undone and
    the temporary files of killed writes are removed.
    """
    workspace = Path(workspace)
    path = lock_file(workspace).absolute()
    with _held_guard:
        entry = _held.setdefault(path, [threading.RLock(), 0, None])
    guard: threading.RLock = entry[0]
    wait = lock_timeout(timeout)
    got = guard.acquire(timeout=wait) if wait > 0 else guard.acquire(blocking=False)
    if not got:  # pragma: no cover - threads
        raise WorkspaceBusy(f"{workspace}: another thread of this process is writing it.")
    try:
        if entry[1] == 0:
            entry[2] = _acquire(path, workspace, wait)
            try:
                _recover(workspace)
                _clean_litter(workspace)
            except BaseException:
                _release(path, entry[2])
                entry[2] = None
                raise
        entry[1] += 1
        try:
            yield WorkspaceLock(workspace)
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                _release(path, entry[2])
                entry[2] = None
    finally:
        guard.release()


def _open(path: Path, workspace: Path) -> int:
    # an OSError (a read-only or missing folder) names the lock file, inside or beside
    # the workspace; the command line turns it into one line saying what to do
    return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)


def _try_lock(fd: int) -> bool:
    if fcntl is None:  # pragma: no cover - Windows: a byte-range lock on the first byte
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:  # a file system without locks
        raise StakegraphError(
            f"cannot lock {exc.filename or 'the workspace'} ({exc.strerror or exc}); "
            "keep the workspace on a local disk."
        ) from None
    return True


def _holder(path: Path) -> str:
    """'process 1234' when the holder wrote its id into the lock file, else ''."""
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return ""
    return f"process {text}" if text.isdigit() else ""


def _acquire(path: Path, workspace: Path, wait: float) -> int:
    """The descriptor of the lock file, locked by this process."""
    deadline = time.monotonic() + wait
    told = False
    while True:
        fd = _open(path, workspace)
        if _try_lock(fd):
            # the holder before us may have removed the file between our open and our
            # lock: then we locked a file nobody else will find, so start again
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except OSError:
                same = False
            if same:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
                    os.write(fd, str(os.getpid()).encode("ascii"))
                return fd
            os.close(fd)
            continue
        os.close(fd)
        now = time.monotonic()
        if now >= deadline:
            who = _holder(path)
            raise WorkspaceBusy(
                f"{workspace}: another writer{f' ({who})' if who else ''} kept the workspace "
                f"locked for {wait:g} s; nothing was written. Try again when it has finished "
                f"(or wait longer: {TIMEOUT_ENV}=SECONDS)."
            )
        if not told:
            who = _holder(path)
            print(
                f"stakegraph: another writer{f' ({who})' if who else ''} is changing "
                f"{workspace}; waiting up to {wait:g} s …",
                file=sys.stderr,
                flush=True,
            )
            told = True
        time.sleep(min(random.uniform(0.01, 0.05), max(0.0, deadline - now)))


def _release(path: Path, fd: int | None) -> None:
    if fd is None:  # pragma: no cover - defensive
        return
    # removed while still locked, so a waiter that opened the old file notices (see _acquire)
    with contextlib.suppress(OSError):
        if os.path.samestat(os.fstat(fd), os.stat(path)):
            os.unlink(path)
    os.close(fd)  # releases the lock


# --- litter of killed writes -----------------------------------------------------------


def _clean_litter(workspace: Path) -> list[Path]:
    """Remove the temporary files a killed write left (``.<file>.<random>.tmp``): of the
    workspace's files, their backups and the undo journal, never of other files."""
    journal = journal_file(workspace).name
    if workspace.is_dir():
        folder = workspace
        wanted = lambda name: name == journal or name.lower().endswith(_FOLDER_SUFFIXES)  # noqa: E731
    else:
        folder = workspace.parent
        wanted = lambda name: name in (workspace.name, journal)  # noqa: E731
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP.match(entry.name)
        if not (match and wanted(match["name"]) and entry.is_file(follow_symlinks=False)):
            continue
        if match["pid"] and _alive(int(match["pid"])):
            continue  # not a writer (they hold the lock): leave its file alone
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (where that cannot be asked, it is taken as running)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":  # pragma: no cover - os.kill would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


# --- writing under the lock ------------------------------------------------------------


def _digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


@dataclass
class _Entry:
    """One file of a change: where it is, its backup, what it held and what was written."""

    target: Path
    backup: Path | None
    mode: int | None
    before: str | None
    after: str

    def as_json(self, base: Path) -> dict:
        return {
            "target": os.path.relpath(self.target, base),
            "backup": None if self.backup is None else os.path.relpath(self.backup, base),
            "mode": self.mode,
            "before": self.before,
            "after": self.after,
        }

    @classmethod
    def from_json(cls, data: dict, base: Path) -> _Entry:
        return cls(
            base / data["target"],
            None if data["backup"] is None else base / data["backup"],
            data["mode"],
            data["before"],
            data["after"],
        )


def _backup(target: Path, data: bytes) -> Path:
    """A copy of ``target`` as it is now, named like a temporary file beside it."""
    backup = scratch_file(target)
    try:
        backup.unlink()
        os.link(target, backup)  # the old inode: replacing the target does not touch it
    except OSError:
        write_file_atomically(backup, data)
    return backup


def _undo(entries: list[_Entry], workspace: Path) -> list[Path]:
    """Put back the files that still hold what was written; the others stay as they are.

    Returns the files that had been changed by someone else and were left alone.
    """
    left = []
    for entry in reversed(entries):
        current = _digest(_read(entry.target))
        if current == entry.after and current != entry.before:
            if entry.backup is None:
                entry.target.unlink(missing_ok=True)
            elif entry.backup.is_file():
                os.replace(entry.backup, entry.target)
                if entry.mode is not None:
                    with contextlib.suppress(OSError):
                        os.chmod(entry.target, entry.mode)
        elif current != entry.before:
            left.append(entry.target)
        if entry.backup is not None:
            entry.backup.unlink(missing_ok=True)
    return left


def _recover(workspace: Path) -> None:
    """Undo the change a killed writer left half-done (its journal is still there)."""
    journal = journal_file(workspace)
    try:
        text = journal.read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StakegraphError(f"{journal}: cannot read the undo journal ({exc}).") from None
    try:
        entries = [_Entry.from_json(item, journal.parent) for item in json.loads(text)["files"]]
    except (ValueError, KeyError, TypeError):
        # the journal is written in one rename, so it is whole or absent; anything else
        # was not written by a writer: keep it for a person to look at
        raise StakegraphError(
            f"{journal}: is not an undo journal stakegraph wrote; move it away and try again."
        ) from None
    left = _undo(entries, workspace)
    journal.unlink(missing_ok=True)
    names = ", ".join(str(p) for p in left)
    print(
        f"stakegraph: undid a change to {workspace} that an interrupted writer left unfinished"
        + (f"; left alone, as they were changed since: {names}" if left else "")
        + ".",
        file=sys.stderr,
        flush=True,
    )


class WorkspaceLock:
    """The writer lock of one workspace, held (see :func:`workspace_lock`)."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace

    def write_files(self, plans: list[Write], check: Callable[[], str | None]) -> str | None:
        """Write every planned file, then ``check`` what reads back.

        When a write fails or ``check`` names a problem (which is returned; None:
        the files stay as written), the files that still hold what was written get
        their old text back (a new file is removed); a file somebody else changed
        in the meantime is left as it is and named in the problem.
        """
        journal = journal_file(self.workspace)
        entries: list[_Entry] = []
        try:
            for target, data in plans:
                old = _read(target)
                mode = target.stat().st_mode & 0o7777 if old is not None else None
                backup = _backup(target, old) if old is not None else None
                entries.append(
                    _Entry(target, backup, mode, _digest(old), hashlib.sha256(data).hexdigest())
                )
            record = {
                "workspace": str(self.workspace),
                "files": [e.as_json(journal.parent) for e in entries],
            }
            write_file_atomically(journal, json.dumps(record, ensure_ascii=False).encode("utf-8"))
            for (target, data), entry in zip(plans, entries, strict=True):
                write_file_atomically(target, data)
                if entry.mode is not None:
                    os.chmod(target, entry.mode)  # a private workbook stays private
            problem = check()
        except BaseException:
            _undo(entries, self.workspace)
            journal.unlink(missing_ok=True)
            raise
        if problem:
            left = _undo(entries, self.workspace)
            if left:
                problem += "; changed by someone else meanwhile and left as they are: " + ", ".join(
                    str(p) for p in left
                )
        else:
            for entry in entries:
                if entry.backup is not None:
                    entry.backup.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
        return problem


__all__ = [
    "DEFAULT_TIMEOUT",
    "TIMEOUT_ENV",
    "WorkspaceBusy",
    "WorkspaceLock",
    "journal_file",
    "lock_file",
    "lock_timeout",
    "workspace_lock",
]
