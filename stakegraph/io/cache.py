"""A cache of validated records inside the workspace, so an unchanged file is read once.

Reading and validating a large workspace takes seconds to minutes (YAML parsing
most of it); the analyses after it take a fraction of that. The cache keeps, per
source file, the records validated from it, and the result of the checks that
span records, in a folder beside the data:

=============================  ==============================================
workspace                      cache
=============================  ==============================================
a folder of YAML or CSV files  ``FOLDER/.stakegraph-cache/``
a workbook ``book.xlsx``       ``.book.xlsx.stakegraph-cache/`` beside it
=============================  ==============================================

Each entry is keyed by the bytes of its files (a BLAKE2 hash of exactly the bytes
that were parsed), the settings that change how they read (``stakegraph.toml``, the
CSV encoding) and a fingerprint of the code that reads them (package, Python and
library versions, and the source of the reading and validating modules). An entry
whose key differs is parsed again, so an edited, added, removed or renamed file is
always seen, and only the files that changed are parsed again. Each cross-record
check's problems are kept under the keys of the files holding the record kinds it
reads (:mod:`stakegraph.io.cached_checks`), so only the checks of an edited kind run.

A YAML file is one entry, the tables of one record type in a CSV folder are one
(a child table such as ``tenures.csv`` belongs to its parent's), a workbook is one.
The records, and where each was read, are pickled apart inside their entry and
unpickled only when a command first uses their kind, or looks (then only the entries
of that kind). What is computed from a workspace as read, such as the day's network
(:mod:`stakegraph.graph.stored_network`), is kept through :func:`derived_entry` under
the key of all files together, or of the files of the record kinds it reads.

Entries are written whole to a temporary file and renamed into place, so two
commands at once never leave a half-written entry; each carries a keyed hash
(BLAKE2 with a secret kept in the user's cache folder, see :func:`_secret`) and
is unpickled only when the hash matches. A truncated, damaged or foreign entry,
or one written by another user, is ignored and written anew. Deleting the folder
is always safe; ``stakegraph cache clear WORKSPACE`` does it.

The library reads without the cache unless asked (``load_workspace(path,
cache=True)``) or :data:`stakegraph.caching.USE_CACHE` is set, as the command line
does unless given ``--no-cache``.
"""

from __future__ import annotations

import copyreg
import enum
import functools
import hashlib
import hmac
import io
import os
import pickle
import shutil
import sys
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stakegraph._gc import gc_paused, join_frozen
from stakegraph.caching import CACHE_FOLDER, USE_CACHE
from stakegraph.config import Settings
from stakegraph.errors import Problem
from stakegraph.io import csv_folder
from stakegraph.io.atomic import scratch_file
from stakegraph.io.stored_locations import StoredLocations, StoredPart
from stakegraph.io.yaml_folder import read_yaml_bytes
from stakegraph.records.model import RECORD_TYPES, Record
from stakegraph.records.record_collections import CollectionLoader, RecordCollections
from stakegraph.records.workspace import (
    PackedLocations,
    PackedRecordLocations,
    RawRecord,
    RecordValidator,
    Workspace,
    admit_record,
    finish_workspace,
    pack_locations,
)

_MAGIC = b"stakegraph-cache 2\n"
#: Entries derived from a whole workspace (the day's network) end so; pruning leaves them.
_DERIVED_SUFFIX = ".derived"
_DIGEST = 32
_CHECKS = "checks"
#: Modules whose code decides what a file reads as; a change to any of them is a new key.
_READING_PACKAGES = ("records", "io")
_READING_FILES = ("__init__.py", "config.py", "errors.py")


def reading_sources() -> list[Path]:
    """The files of the reading code, in a fixed order: every module of ``records/`` and
    ``io/`` (so a module added there is never left out), the settings and the errors."""
    package = Path(__file__).resolve().parent.parent
    files = [package / name for name in _READING_FILES]
    for folder in _READING_PACKAGES:
        files += sorted((package / folder).glob("*.py"))
    return files


#: One record as cached: collection, the record (as stored, only its id; None when
#: invalid), the id of an invalid record, its problems (None: none), where it was read.
_Item = tuple[
    str, Record | str | None, str | None, list[Problem] | None, PackedRecordLocations | None
]
_Reader = Callable[[], tuple[list[RawRecord], list[Problem]]]


def cache_folder(path: Path | str) -> Path:
    """Where the cache of the workspace at ``path`` lives (it may not exist yet)."""
    path = Path(path)
    if path.is_dir():
        return path / CACHE_FOLDER
    return path.parent / f".{path.name}{CACHE_FOLDER}"


def clear_cache(path: Path | str) -> bool:
    """Delete the cache of the workspace at ``path``; whether there was one.

    Parameters
    ----------
    path
        A workspace folder or workbook.
    """
    folder = cache_folder(path)
    if not folder.is_dir():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True


@dataclass
class _Unit:
    """Files read together into one entry, and how to read them."""

    name: str
    key: bytes
    read: _Reader
    #: (size, mtime_ns, inode) of a file read by path rather than from the hashed bytes:
    #: what it read is stored only if the file did not change meanwhile.
    guard: tuple[Path, tuple[int, int, int]] | None = None


# --- keys ----------------------------------------------------------------------------------
@functools.cache
def _code_fingerprint() -> bytes:
    """Versions and the source of the reading code: entries of other code never match."""
    import pydantic
    import yaml

    from stakegraph import __version__

    digest = hashlib.blake2b(digest_size=_DIGEST)
    for part in (__version__, sys.version, pydantic.VERSION, yaml.__version__):
        digest.update(part.encode() + b"\0")
    for source in reading_sources():
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.digest()


def _key(*parts: bytes | str | None) -> bytes:
    digest = hashlib.blake2b(_code_fingerprint(), digest_size=_DIGEST)
    for part in parts:
        data = b"\1" if part is None else part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.digest()


@functools.cache
def _secret() -> bytes | None:
    """This user's key for the entries' hashes, made once (None: nowhere to keep it).

    Entries are pickles, which can run code when read; only entries hashed with a
    secret that only this user can read are ever unpickled, so an entry planted in
    a shared workspace folder is ignored.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "stakegraph" / "cache-key"
    try:
        data = path.read_bytes()
        if len(data) == _DIGEST:
            return data
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:  # a new key, or one in place of a damaged key; if two processes race, one wins
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".cache-key.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(os.urandom(_DIGEST))
        os.replace(tmp, path)
        data = path.read_bytes()
    except OSError:
        return None
    return data if len(data) == _DIGEST else None


# --- entries -------------------------------------------------------------------------------
def _rebuild(cls: type[Record], state: dict[str, Any], fields_set: set[str]) -> Any:
    """A pydantic model from its field values, as validation left them (no new validation)."""
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", state)
    object.__setattr__(obj, "__pydantic_fields_set__", fields_set)
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


def _reduce_model(obj: Any) -> tuple[Any, ...]:
    return _rebuild, (type(obj), obj.__dict__, obj.__pydantic_fields_set__)


@functools.cache
def _dispatch_table() -> dict[type, Callable[[Any], Any]]:
    """Pickle the record models (and the models nested in them) by their field values.

    Pydantic's own pickling calls Python code twice per model; this keeps it to one
    call when reading, which is most of the time a warm read takes. Every model
    defined under ``stakegraph.records`` is covered (none keeps extra fields or
    private attributes).
    """
    from pydantic import BaseModel

    table: dict[type, Callable[[Any], Any]] = dict(copyreg.dispatch_table)
    pending: list[type] = [BaseModel, enum.Enum]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if not cls.__module__.startswith("stakegraph.records."):
            continue
        if issubclass(cls, enum.Enum):
            table[cls] = _reduce_member
        elif not cls.__private_attributes__:  # type: ignore[attr-defined]
            table[cls] = _reduce_model
    return table


def _reduce_member(member: enum.Enum) -> tuple[Any, ...]:
    # by name, read back with the builtin getattr: no Python call per member
    return getattr, (type(member), member.name)


def _entry_path(folder: Path, name: str, suffix: str = ".entry") -> Path:
    return folder / (hashlib.blake2b(name.encode(), digest_size=12).hexdigest() + suffix)


def _read_entry(folder: Path, name: str, key: bytes, suffix: str = ".entry") -> Any:
    """The payload stored under ``name`` for ``key``; None when absent, stale or damaged."""
    secret = _secret()
    if secret is None:
        return None
    try:
        data = _entry_path(folder, name, suffix).read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + 2 * _DIGEST
    if len(data) < head or not data.startswith(_MAGIC):
        return None
    view = memoryview(data)
    stored_key, mac = data[len(_MAGIC) : len(_MAGIC) + _DIGEST], data[len(_MAGIC) + _DIGEST : head]
    if stored_key != key:
        return None
    expected = hashlib.blake2b(view[head:], key=secret, digest_size=_DIGEST).digest()
    if not hmac.compare_digest(mac, expected):
        return None
    try:
        with gc_paused():
            return pickle.loads(view[head:])
    except Exception:  # a damaged entry of any kind is only a miss
        return None


def _write_entry(folder: Path, name: str, key: bytes, payload: Any, suffix: str = ".entry") -> None:
    """Store ``payload`` under ``name`` for ``key``: whole, or not at all (errors ignored)."""
    secret = _secret()
    if secret is None:
        return
    tmp: Path | None = None
    try:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = _dispatch_table()
        with gc_paused():
            pickler.dump(payload)
        body = buffer.getbuffer()
        mac = hashlib.blake2b(body, key=secret, digest_size=_DIGEST).digest()
        folder.mkdir(exist_ok=True)
        out = _entry_path(folder, name, suffix)
        tmp = scratch_file(out)
        with open(tmp, "wb") as handle:
            handle.write(_MAGIC + key + mac)
            handle.write(body)
        os.replace(tmp, out)
        tmp = None
    except (OSError, pickle.PicklingError, RecursionError):
        pass  # a workspace on a read-only disk, a full disk: read without the cache
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def _prune(folder: Path, names: list[str]) -> None:
    """Remove entries no file needs any more (a removed or renamed file's)."""
    keep = {_entry_path(folder, name).name for name in names}
    try:
        for path in folder.iterdir():
            if path.suffix == ".entry" and path.name not in keep:
                path.unlink(missing_ok=True)
    except OSError:
        pass


# --- units of each format ------------------------------------------------------------------
def _yaml_units(folder: Path, settings_key: bytes) -> list[_Unit]:
    from stakegraph.io.yaml_folder import yaml_files

    order = {t.collection: i for i, t in enumerate(RECORD_TYPES)}
    files = sorted(yaml_files(folder), key=lambda p: (order.get(p.stem, len(order)), p.name))
    units = []
    for path in files:
        data = path.read_bytes()
        units.append(
            _Unit(
                f"yaml:{path.name}",
                _key("yaml", path.name, settings_key, data),
                functools.partial(read_yaml_bytes, data, path.stem, path.name),
            )
        )
    return units


def _csv_units(folder: Path, settings_key: bytes) -> tuple[list[_Unit], list[Problem]]:
    from stakegraph.io.tabular import TABLES

    encoding = csv_folder.DEFAULT_ENCODING.get()
    found, problems = csv_folder.csv_tables(folder)
    groups: dict[str, dict[str, tuple[str, bytes]]] = {}
    for name, table in TABLES.items():
        if name in found:
            collection = table.parent or name
            groups.setdefault(collection, {})[name] = (found[name].name, found[name].read_bytes())
    units = []
    for collection, tables in groups.items():
        parts = [p for name, (label, data) in tables.items() for p in (name, label, data)]
        units.append(
            _Unit(
                f"csv:{collection}",
                _key("csv", encoding, settings_key, *parts),
                functools.partial(csv_folder.read_csv_tables, tables, encoding),
            )
        )
    return units, problems


# --- loading -------------------------------------------------------------------------------
#: A unit's payload: read problems, items, where the records were read and the records,
#: each of the last two pickled apart (one packed location per item, None for an invalid
#: one; the valid records in file order) so a command unpickles only what it looks at;
#: both None when the items carry them (just validated).
_Payload = tuple[list[Problem], list[_Item], bytes | None, bytes | None]


def _validated(unit: _Unit, validator: RecordValidator, progress: Any) -> tuple[_Payload, bool]:
    """The unit's payload, its locations in the items; and whether it may be stored."""
    raws, problems = unit.read()
    if progress is not None:
        progress(len(raws))
    items: list[_Item] = []
    with gc_paused():
        for raw in raws:
            record, found = validator.validate(raw)
            if record is None:
                rid = raw.data.get("id")
                rid = rid if isinstance(rid, str) else None
                items.append((raw.collection, None, rid, found or None, None))
            else:
                items.append((raw.collection, record, None, found or None, pack_locations(raw)))
            raw.data = {}
    fresh = unit.guard is None or _stat(unit.guard[0]) == unit.guard[1]
    return (problems, items, None, None), fresh


def _stored_form(payload: _Payload) -> _Payload:
    """The payload as stored: the locations and the records taken out of the items and
    pickled apart, each record's id left in its place."""
    problems, items, _, _ = payload
    with gc_paused():
        where = pickle.dumps([item[4] for item in items], protocol=pickle.HIGHEST_PROTOCOL)
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = _dispatch_table()
        pickler.dump([item[1] for item in items if isinstance(item[1], Record)])
        stored: list[_Item] = [
            (c, r.id if isinstance(r, Record) else None, i, f, None) for c, r, i, f, _ in items
        ]
        return problems, stored, where, buffer.getvalue()


def _stat(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns, info.st_ino


def _payloads(
    folder: Path, units: list[_Unit], settings: Settings, progress: Any
) -> list[_Payload]:
    validator = RecordValidator(settings)
    payloads = []
    for unit in units:
        payload = _read_entry(folder, unit.name, unit.key)
        if not _well_formed(payload):
            payload, fresh = _validated(unit, validator, progress)
            if fresh:
                _write_entry(folder, unit.name, unit.key, _stored_form(payload))
        payloads.append(payload)
    return payloads


def _well_formed(payload: Any) -> bool:
    return (
        isinstance(payload, tuple)
        and len(payload) == 4
        and isinstance(payload[0], list)
        and isinstance(payload[1], list)
        and isinstance(payload[2], bytes)
        and isinstance(payload[3], bytes)
    )


def _assemble(
    payloads: list[_Payload],
    settings: Settings,
    name: str,
    problems: list[Problem],
) -> tuple[Workspace, list[Problem]]:
    """The workspace of the cached units, and the problems of its records.

    The records stay pickled until a command first asks for their collection
    (:class:`~stakegraph.records.workspace.RecordCollections`); their ids, problems
    and locations are known without them. A workspace with a repeated id (an error)
    is assembled at once, to quote where the first record was read.
    """
    for read_problems, *_ in payloads:
        problems.extend(read_problems)
    parts: list[StoredPart] = []
    found: list[Problem] = []
    invalid: set[tuple[str, str]] = set()
    with gc_paused():
        for _, items, stored_where, _ in payloads:
            keys: list[tuple[int, tuple[str, str]]] = []
            for index, (collection, record, invalid_id, problems_of, _) in enumerate(items):
                if problems_of:
                    found.extend(problems_of)
                if record is None:
                    if invalid_id is not None:
                        invalid.add((collection, invalid_id))
                    continue
                keys.append((index, (collection, record if isinstance(record, str) else record.id)))
            where = stored_where if stored_where is not None else [item[4] for item in items]
            parts.append(StoredPart(where, keys, {key[0] for _, key in keys}))
        if len({key for part in parts for _, key in part.keys}) != sum(len(p.keys) for p in parts):
            return _assemble_at_once([_inline(p) for p in payloads], settings, name, problems)
    problems.extend(found)
    workspace = Workspace(settings, name)
    workspace.locations = StoredLocations(parts)
    workspace.invalid_ids = invalid
    workspace.records = _pending_records(payloads, [part.collections for part in parts])
    return workspace, problems


def _pending_records(payloads: list[_Payload], held: list[set[str]]) -> RecordCollections:
    """Every collection, each read when first asked for. Payloads that hold records of
    the same collection are read together, so each collection keeps its file order."""
    groups: list[tuple[set[str], list[int]]] = []
    for index, collections in enumerate(held):
        if not collections:
            continue
        merged: tuple[set[str], list[int]] = (set(collections), [index])
        for group in [g for g in groups if g[0] & collections]:
            merged[0].update(group[0])
            merged[1].extend(group[1])
            groups.remove(group)
        merged[1].sort()
        groups.append(merged)
    pending: dict[str, CollectionLoader] = {}
    for collections, indexes in groups:
        load = functools.partial(_read_records, [payloads[i] for i in indexes], collections)
        pending.update(dict.fromkeys(collections, load))
    order = [t.collection for t in RECORD_TYPES]
    return RecordCollections({c: {} for c in order if c not in pending}, pending, order)


def _read_records(payloads: list[_Payload], collections: set[str]) -> dict[str, dict[str, Record]]:
    """The records of ``collections`` held in ``payloads``, by collection and id, in file order."""
    out: dict[str, dict[str, Record]] = {c: {} for c in collections}
    with gc_paused():
        for _, items, _, stored in payloads:
            valid = [item for item in items if item[1] is not None]
            records: list[Any] = (
                pickle.loads(stored) if stored is not None else [item[1] for item in valid]
            )
            for (collection, *_), record in zip(valid, records, strict=True):
                out[collection][record.id] = record
        join_frozen()
    return out


def _inline(payload: _Payload) -> _Payload:
    """The payload with its records back in its items (the locations still apart)."""
    problems, items, where, stored = payload
    if stored is None:
        return payload
    with gc_paused():
        records = iter(pickle.loads(stored))
        inline = [(c, None if r is None else next(records), i, f, w) for c, r, i, f, w in items]
    return problems, inline, where, None


def _assemble_at_once(
    payloads: list[_Payload],
    settings: Settings,
    name: str,
    problems: list[Problem],
) -> tuple[Workspace, list[Problem]]:
    """The workspace with every record read, admitted one by one in file order."""
    workspace = Workspace(settings, name)
    parts: list[StoredPart] = []
    workspace.locations = StoredLocations(parts)
    records = workspace.records
    with gc_paused():
        for _, items, stored_where, _ in payloads:
            where: bytes | list[Any] = (
                stored_where if stored_where is not None else [item[4] for item in items]
            )
            keys: list[tuple[int, tuple[str, str]]] = []
            for index, (collection, record, invalid_id, found, _) in enumerate(items):
                if found:
                    problems.extend(found)
                if not isinstance(record, Record):
                    if invalid_id is not None:
                        workspace.invalid_ids.add((collection, invalid_id))
                    continue
                same = records[collection]
                if record.id in same:  # a second record with an id: located at once,
                    # with every record before it (the first one's location is quoted)
                    if isinstance(where, bytes):
                        where = pickle.loads(where)
                    parts.append(StoredPart(where, keys, {k[0] for _, k in keys}))
                    keys = []
                    key = (collection, record.id)
                    located: list[Any] = where  # type: ignore[assignment]
                    duplicate = PackedLocations({key: located[index]})
                    problems.extend(admit_record(workspace, record, duplicate[key]))
                    continue
                same[record.id] = record
                keys.append((index, (collection, record.id)))
            parts.append(StoredPart(where, keys, {k[0] for _, k in keys}))
    return workspace, problems


def load_cached(
    path: Path,
    fmt: str,
    settings: Settings,
    settings_text: str | None,
    progress: Callable[[int], None] | None = None,
) -> Workspace:
    """Read and validate a YAML or CSV folder, reusing what the cache holds for it.

    Parameters
    ----------
    path
        The workspace folder.
    fmt
        ``"yaml"`` or ``"csv"``.
    settings, settings_text
        The folder's settings and the text of its ``stakegraph.toml`` (None without).
    progress
        Called with the number of records of each file parsed (not of those cached).

    Returns
    -------
    The same workspace as reading without the cache; raises the same
    :class:`~stakegraph.errors.WorkspaceInvalid`.
    """
    settings_key = _key("settings", settings_text)
    problems: list[Problem] = []
    if fmt == "yaml":
        units = _yaml_units(path, settings_key)
    else:
        units, problems = _csv_units(path, settings_key)
    folder = cache_folder(path)
    payloads = _payloads(folder, units, settings, progress)
    workspace, problems = _assemble(payloads, settings, path.resolve().name, problems)
    workspace.settings_text = settings_text
    keys = [u.key for u in units]
    held: dict[str, list[bytes]] = {}
    for unit, (_, items, _, _) in zip(units, payloads, strict=True):
        for collection in {item[0] for item in items}:
            held.setdefault(collection, []).append(unit.key)
    _check(workspace, problems, folder, keys, held, settings_key)
    _prune(folder, [u.name for u in units] + [_CHECKS])
    _remember(workspace, folder, keys, held, settings_key)
    return finish_workspace(workspace, problems)


def load_cached_workbook(path: Path, progress: Callable[[int], None] | None = None) -> Workspace:
    """Read and validate a workbook, or take it from the cache when its bytes are unchanged.

    Its settings live in its ``settings`` sheet, so the workbook is one entry and
    its key is its bytes alone. See :func:`load_cached`.
    """
    from stakegraph.io import load_settings_text
    from stakegraph.io.xlsx_book import read_xlsx

    before = _stat(path)
    key = _key("xlsx", path.name, path.read_bytes())
    folder = cache_folder(path)
    cached = _read_entry(folder, "xlsx", key)
    if not (isinstance(cached, tuple) and len(cached) == 2 and _well_formed(cached[0])):
        raws, problems, settings_text = read_xlsx(path)
        settings = load_settings_text(settings_text, path)
        unit = _Unit("xlsx", key, lambda: (raws, problems), guard=(path, before))
        payload, fresh = _validated(unit, RecordValidator(settings), progress)
        cached = (payload, settings_text)
        if fresh:
            _write_entry(folder, "xlsx", key, (_stored_form(payload), settings_text))
    payload, settings_text = cached
    settings = load_settings_text(settings_text, path)
    workspace, problems = _assemble([payload], settings, path.resolve().name, [])
    workspace.settings_text = settings_text
    _check(workspace, problems, folder, [key], {}, key)
    _prune(folder, ["xlsx", _CHECKS])
    _remember(workspace, folder, [key], {}, key)
    return finish_workspace(workspace, problems)


def _check(
    workspace: Workspace,
    problems: list[Problem],
    folder: Path,
    keys: list[bytes],
    held: dict[str, list[bytes]],
    settings_key: bytes,
) -> None:
    """Add the cross-record checks' problems: each check's from the cache when the files
    holding what it reads are unchanged (:mod:`stakegraph.io.cached_checks`)."""
    from stakegraph.io.cached_checks import checked

    workspace_key = _key("workspace", *keys)

    def key_of(name: str, reads: tuple[str, ...]) -> bytes:
        return _key_of_files(f"{_CHECKS}:{name}", workspace_key, held, settings_key, reads)

    entry_key = _key(_CHECKS)
    found, fresh = checked(workspace, _read_entry(folder, _CHECKS, entry_key), key_of)
    if fresh is not None:
        _write_entry(folder, _CHECKS, entry_key, fresh)
    problems.extend(found)


def _key_of_files(
    name: str,
    workspace_key: bytes,
    held: dict[str, list[bytes]],
    settings_key: bytes,
    reads: Iterable[str] | None,
    *parts: bytes | str,
) -> bytes:
    """The key of what ``name`` computes from the records of ``reads`` and ``parts``: of
    the files holding those collections and the settings, or of every file (``reads``
    None, or a workbook: one file)."""
    if reads is not None and held:
        files = [k for c in sorted(set(reads)) for k in (c.encode(), *held.get(c, []))]
        return _key("derived-of", name, settings_key, *files, *parts)
    return _key("derived", name, workspace_key, *parts)


# --- what is computed from a whole workspace ------------------------------------------------
#: Workspaces read through the cache, by ``id``: a reference that lapses with the
#: workspace, its cache folder, the key of all its files, the keys of the files holding
#: each collection (none for a workbook: one file) and the key of the settings. Only the
#: object returned by the loader is here, never a copy made from it.
_READ: dict[int, tuple[weakref.ref[Workspace], Path, bytes, dict[str, list[bytes]], bytes]] = {}


def _remember(
    workspace: Workspace,
    folder: Path,
    keys: list[bytes],
    held: dict[str, list[bytes]],
    settings_key: bytes,
) -> None:
    ident = id(workspace)
    ref = weakref.ref(workspace, lambda _: _READ.pop(ident, None))
    _READ[ident] = (ref, folder, _key("workspace", *keys), held, settings_key)


@dataclass(frozen=True)
class DerivedEntry:
    """Where something computed from a workspace as it was read is kept (see :func:`derived_entry`)."""

    folder: Path
    name: str
    key: bytes

    def load(self) -> Any:
        """The payload stored for this key; None when absent, stale or damaged."""
        return _read_entry(self.folder, self.name, self.key, suffix=_DERIVED_SUFFIX)

    def store(self, payload: Any) -> None:
        """Keep ``payload`` under this key, whole or not at all (in place of an older one)."""
        _write_entry(self.folder, self.name, self.key, payload, suffix=_DERIVED_SUFFIX)


def derived_entry(
    workspace: Workspace, name: str, *parts: bytes | str, reads: Iterable[str] | None = None
) -> DerivedEntry | None:
    """The cache entry for something computed from ``workspace`` alone and ``parts``.

    Only for the workspace object exactly as :func:`load_cached` or
    :func:`load_cached_workbook` returned it (None for any other, such as a copy or
    one read without the cache), and only while nothing changed it: the key is that
    of all its files (so of every record and the settings), the reading code, and
    ``parts``, which must name everything else the result depends on (the day, the
    source of the code that computes it). One entry per ``name``: a new key takes
    its place.

    With ``reads`` (collections), the key covers only the files that hold records
    of those collections, and the settings, instead of all files: for something
    computed from those records alone, so that an edit of another file keeps it.
    """
    found = _READ.get(id(workspace))
    if found is None or found[0]() is not workspace:
        return None
    _, folder, workspace_key, held, settings_key = found
    return DerivedEntry(
        folder, name, _key_of_files(name, workspace_key, held, settings_key, reads, *parts)
    )


__all__ = [
    "CACHE_FOLDER",
    "USE_CACHE",
    "DerivedEntry",
    "cache_folder",
    "clear_cache",
    "derived_entry",
    "load_cached",
]
