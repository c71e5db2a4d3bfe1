"""A team writes to one Neo4j workspace: appends and updates with optimistic concurrency.

``log``, ``assess``, ``act`` and ``plan --save`` on ``--neo4j`` call these functions, each
of which is one write transaction:

* :func:`append_records` adds new interactions, assessments, actions or surveys. The
  records are checked as the files are checked (the record model when they are built;
  here the references: every owner, person, organisation, opportunity, complaint or
  survey named must exist on the server) with one Cypher read in the transaction, and
  the messages are those of ``check``, located by the record id. An id already taken
  is refused (the uniqueness constraint backs this up), or, with ``allocate_ids``, the
  next free ``-2``, ``-3`` … is taken inside the transaction.
* :func:`update_record` changes fields of one record, :func:`write_records` adds and
  changes several at once. The caller names the version it read; when the server
  holds another version the write is refused with :class:`StaleWrite`, which names
  the record, the fields that changed since, their old and new values and who wrote
  them. Nothing is lost: the caller reads again.

Versions
--------
Every node carries ``_version`` (an integer, 1 when created, bumped by each write
that changes it) and ``_hash`` (a fingerprint of its properties, so a push bumps only
what it changes); relationships carry their start node's version when written. A team
write also stamps ``_by``, the writer (``$STAKEGRAPH_WRITER``, else the login name), until
the next push. :meth:`~stakegraph.engines.neo4j.Store.pull` leaves these out of the
records; the pulled versions go to a sidecar file beside the files
(:func:`write_versions`, ``.stakegraph-versions.json`` in the folder, or
``.book.xlsx.stakegraph-versions.json`` beside a workbook), never into the records,
so convert, export and pseudonymise never see them.

A push (:func:`~stakegraph.engines.neo4j_push_check.begin_push`) compares the server's versions with the sidecar's and
refuses, listing every conflict, when the files are behind: a record added, changed
or deleted on the server since the files were pulled. Without a sidecar (files never
pulled) it refuses when team writes have happened since the last push. Each team
write first takes the workspace node's write lock, so writes of one workspace are
serialised against each other and against the start of a push; while a push runs
(the workspace is marked incomplete) team writes are refused.

This is optimistic concurrency control with validation at write time (Kung, H. T. and
Robinson, J. T., "On optimistic methods for concurrency control", ACM Transactions on
Database Systems 6(2), 1981): nobody holds a lock while reading or editing; a write
checks that what it was based on is still current, and is refused otherwise.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stakegraph.engines.neo4j_properties import (
    HASH,
    VERSION,
    WORKSPACE_LABEL,
    WRITER,
    edge_key,
    query_edge_type,
    query_label,
    to_properties,
)
from stakegraph.errors import (
    IncompletePush,
    Location,
    Problem,
    StoreError,
    WorkspaceInvalid,
    WorkspaceNotStored,
)
from stakegraph.io.common import unique_id
from stakegraph.io.property_graph import LABELS, build_graph
from stakegraph.records.model import RECORD_BY_COLLECTION, Record, record_references
from stakegraph.records.workspace import Workspace

#: A connected :class:`stakegraph.engines.neo4j.Store` (not imported: it imports this module).
Store = Any

#: Properties of the concurrency bookkeeping, never part of a record.
BOOKKEEPING = (VERSION, HASH, WRITER)
WRITER_ENV = "STAKEGRAPH_WRITER"
#: The sidecar of a workspace folder (a workbook's is ``.<name>.stakegraph-versions.json``).
SIDECAR = ".stakegraph-versions.json"
_SEQ = "_seq"

#: Record collections a team write may add or change, and their node labels.
TEAM_LABELS: dict[str, str] = {
    "interactions": "Interaction",
    "assessments": "Assessment",
    "actions": "Action",
    "surveys": "Survey",
}
#: Collection → label of every record that can be referred to.
_LABEL_OF: dict[str, str] = {
    "organisations": "Organisation",
    "posts": "Post",
    "persons": "Person",
    "owners": "Owner",
    "opportunities": "Opportunity",
    **TEAM_LABELS,
}


# --- errors --------------------------------------------------------------------------------
class StaleWrite(StoreError):
    """An update based on a version the server no longer holds; nothing was written.

    ``stale`` says, for each record refused, what changed since it was read.
    """

    def __init__(self, message: str, stale: list[StaleRecord]) -> None:
        super().__init__(message)
        self.stale = stale


class FilesBehind(StoreError):
    """A push of files that do not have the server's latest writes; nothing was written."""

    def __init__(self, message: str, conflicts: list[Conflict]) -> None:
        super().__init__(message)
        self.conflicts = conflicts


class IdTaken(StoreError):
    """A new record's id is already used on the server; nothing was written."""


@dataclass(frozen=True)
class Conflict:
    """A record the server holds differently from the files being pushed.

    ``change`` is ``added``, ``changed`` or ``deleted`` (on the server, since the files
    were pulled); ``yours`` and ``theirs`` the versions; ``by`` the team writer, if known;
    ``fields`` those whose server value the files would replace, when that was read
    (:func:`~stakegraph.engines.neo4j_push_check.preview_push`).
    """

    record: str
    change: str
    yours: int | None
    theirs: int | None
    by: str | None = None
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        who = f" by {self.by}" if self.by else ""
        if self.change == "added":
            return f"{self.record}: added on the server{who}"
        if self.change == "deleted":
            return f"{self.record}: deleted on the server"
        what = f": {', '.join(self.fields)}" if self.fields else ""
        if self.yours is None:
            return f"{self.record}: changed on the server{who} (now version {self.theirs}){what}"
        return (
            f"{self.record}: changed on the server{who} "
            f"(version {self.yours} → {self.theirs}){what}"
        )


@dataclass(frozen=True)
class StaleRecord:
    """One record changed since it was read: by whom, the versions and each field's
    stored value then and now (``changes``: name, value read, value now)."""

    noun: str
    record_id: str
    by: str | None
    base_version: int | None
    version: int
    changes: tuple[tuple[str, Any, Any], ...] = ()

    def __str__(self) -> str:
        who = f" by {self.by}" if self.by else ""
        if self.base_version is None or self.base_version == self.version:
            versions = f"now version {self.version}"
        else:
            versions = f"version {self.base_version} → {self.version}"
        text = f"{self.noun} '{self.record_id}' was changed{who} since you read it ({versions})"
        if self.changes:
            shown = [f"{name}: {_shown(old)} → {_shown(new)}" for name, old, new in self.changes]
            text += ": " + "; ".join(shown)
        return text


@dataclass(frozen=True)
class Update:
    """A change of one stored record: the record as it should be, and what it is based on.

    ``base_version`` is the version read (None: not known, the fields decide);
    ``base`` the stored fields read (:func:`read_record`, :func:`stored_fields`), so a
    refusal names what changed since, and, without a version, so a change is seen.
    """

    record: Record
    base_version: int | None
    base: Mapping[str, Any] | None = None


@dataclass
class TeamWrite:
    """What one team write did: the record ids written, their versions, the writer."""

    ids: list[str]
    versions: dict[str, int] = field(default_factory=dict)
    writer: str = ""


# --- fingerprints and versions -------------------------------------------------------------
def fingerprint(props: Mapping[str, Any]) -> str:
    """A short hash of a node's properties, bookkeeping and ``_seq`` left out.

    Two nodes with the same stored properties have the same fingerprint whatever
    their position, so a push can tell which records it changes. O(size of props).
    """
    plain = {k: v for k, v in props.items() if k not in (*BOOKKEEPING, _SEQ)}
    text = json.dumps(plain, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def writer_name() -> str:
    """Who writes: ``$STAKEGRAPH_WRITER``, else the login name."""
    name = os.environ.get(WRITER_ENV, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def sidecar_path(workspace: Path | str) -> Path:
    """Where the versions of a pulled workspace are kept (see the module notes)."""
    path = Path(workspace)
    if path.suffix.lower() == ".xlsx":
        return path.with_name(f".{path.name}{SIDECAR}")
    return path / SIDECAR


def write_versions(workspace: Path | str, workspace_id: str, versions: Mapping[str, int]) -> Path:
    """Keep the versions a pull or push left the files at, for the next push to compare."""
    target = sidecar_path(workspace)
    data = {"format": 1, "workspace": workspace_id, "versions": dict(sorted(versions.items()))}
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    tmp.replace(target)
    return target


def read_versions(workspace: Path | str, workspace_id: str) -> dict[str, int] | None:
    """The versions kept for ``workspace_id`` beside the files; None when there are none.

    Raises
    ------
    StoreError
        The sidecar exists but cannot be read (it names the file and what to do).
    """
    path = sidecar_path(workspace)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        versions = {str(k): int(v) for k, v in data["versions"].items()}
        stored_for = str(data["workspace"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise StoreError(
            f"{path}: the versions of the last pull cannot be read; delete the file and pull "
            "the workspace again before pushing"
        ) from None
    return versions if stored_for == workspace_id else None


# --- reading the server in a transaction ---------------------------------------------------
def _lock_workspace(tx: Any, store: Store, workspace_id: str, writes: int) -> dict[str, Any]:
    """Take the workspace node's write lock; refuse a missing or half-pushed workspace."""
    row = tx.run(
        f"MATCH (w:{WORKSPACE_LABEL} {{id: $workspace}}) "
        "SET w.team_writes = coalesce(w.team_writes, 0) + $writes "
        "RETURN w.complete AS complete, w.nodes AS nodes, w.relationships AS relationships",
        workspace=workspace_id,
        writes=writes,
    ).single()
    if row is None:
        raise WorkspaceNotStored(
            f"no workspace '{workspace_id}' in Neo4j at {store.uri}; push it first"
        )
    if not row["complete"]:
        raise IncompletePush(
            f"workspace '{workspace_id}' in Neo4j at {store.uri} is being pushed (or its "
            "last push did not finish); nothing was written, try again when the push is done"
        )
    return dict(row)


def _exists_query(wanted: Mapping[str, Any]) -> str:
    """One read: for each label, which of the ids given exist (labels from the allow-list)."""
    parts = []
    for label in wanted:
        if label not in LABELS:
            raise StoreError(f"unknown node label {label!r}")
        parts.append(
            f"[x IN $ids.{label} WHERE EXISTS {{ MATCH (n:{label} {{workspace: $workspace, "
            f"id: x}}) }}] AS {label}"
        )
    return "RETURN " + ", ".join(parts)


def _existing(tx: Any, workspace_id: str, wanted: Mapping[str, set[str]]) -> dict[str, set[str]]:
    if not wanted:
        return {}
    ids = {label: sorted(values) for label, values in wanted.items()}
    row = tx.run(_exists_query(ids), workspace=workspace_id, ids=ids).single()
    return {label: set(row[label]) for label in ids}


def _references(record: Record) -> Iterable[tuple[str, str, str]]:
    """(field path, target collection, id) of every reference of a record."""
    from stakegraph.records.validate import _walk

    for spec, target in record_references(record).items():
        parts = spec.split(".")
        for path, ref in _walk(getattr(record, parts[0], None), parts[1:], (parts[0],)):
            dotted = ""
            for part in path:
                dotted += f"[{part}]" if isinstance(part, int) else ("." if dotted else "") + part
            yield dotted, target, ref


def _reference_problems(
    tx: Any, store: Store, workspace_id: str, records: Sequence[Record]
) -> list[Problem]:
    """The missing-reference problems ``check`` would report, from one read of the server.

    A reference to another record of the same write counts as present.
    """
    wanted: dict[str, set[str]] = {}
    refs = []
    own = {(r.collection, r.id) for r in records}
    for record in records:
        for path, target, ref in _references(record):
            if (target, ref) in own or target not in _LABEL_OF:
                continue
            wanted.setdefault(_LABEL_OF[target], set()).add(ref)
            refs.append((record, path, target, ref))
    found = _existing(tx, workspace_id, wanted)
    where = Location(f"Neo4j {store.uri} workspace '{workspace_id}'")
    problems = []
    for record, path, target, ref in refs:
        if ref in found[_LABEL_OF[target]]:
            continue
        noun = RECORD_BY_COLLECTION[target].noun
        article = "an" if noun[0] in "aeiou" else "a"
        problems.append(
            Problem(
                f"refers to {noun} '{ref}', which does not exist.",
                where,
                record.noun,
                record.id,
                path,
                f"add {article} {noun} with id '{ref}' to {target}, or correct the id.",
            )
        )
    return problems


# --- what a record becomes on the server ---------------------------------------------------
@dataclass
class _NodeWrite:
    label: str
    record_id: str
    props: dict[str, Any]
    #: (relationship type, target label, target id, key, properties)
    edges: list[tuple[str, str, str, str, dict[str, Any]]]


def node_writes(records: Sequence[Record]) -> list[_NodeWrite]:
    """Each record's node properties and outgoing relationships, as a push writes them.

    Builds the graph of a workspace holding only these records, so the stored form
    is exactly the push's (:func:`~stakegraph.io.property_graph.build_graph`).
    """
    ws = Workspace()
    for record in records:
        ws.add(record)
    G = build_graph(ws)
    out = []
    for record in records:
        label = TEAM_LABELS[record.collection]
        key = f"{label}:{record.id}"
        data = dict(G.nodes[key])
        props = to_properties({k: v for k, v in data.items() if k not in ("label", "id")})
        edges = []
        for _, target, attrs in G.out_edges(key, data=True):
            target_label, _, target_id = target.partition(":")
            plain = {k: v for k, v in attrs.items() if k != "type"}
            edges.append(
                (attrs["type"], target_label, target_id, edge_key(plain), to_properties(plain))
            )
        out.append(_NodeWrite(label, record.id, props, edges))
    return out


def _check_team_records(records: Sequence[Record]) -> None:
    for record in records:
        if record.collection not in TEAM_LABELS:
            kinds = ", ".join(TEAM_LABELS)
            raise StoreError(
                f"{record.noun} '{record.id}': a team write adds or changes only {kinds}; "
                "edit the other records in the files, then pull and push"
            )


def _free_ids(tx: Any, workspace_id: str, records: list[Record]) -> list[Record]:
    """The records with ids no record of their label holds yet (``-2``, ``-3`` … added)."""
    out: list[Record] = []
    for record in records:
        label = TEAM_LABELS[record.collection]
        taken = {
            row["id"]
            for row in tx.run(
                f"MATCH (n:{label}) WHERE n.workspace = $workspace AND n.id STARTS WITH $base "
                "RETURN n.id AS id",
                workspace=workspace_id,
                base=record.id,
            )
        }
        taken |= {r.id for r in out if r.collection == record.collection}
        new_id = unique_id(record.id, taken)
        out.append(record if new_id == record.id else record.model_copy(update={"id": new_id}))
    return out


# --- appends -------------------------------------------------------------------------------
def append_records(
    store: Store,
    workspace_id: str,
    records: Sequence[Record],
    allocate_ids: bool = False,
) -> TeamWrite:
    """Add new records to a stored workspace in one transaction, checked as files are.

    Parameters
    ----------
    store : the Neo4j store.
    workspace_id : the stored workspace.
    records : new interactions, assessments, actions or surveys (already validated
        by the record model, as reading a file validates them).
    allocate_ids : when a record's id is taken, give it the next free one
        (``<id>-2``, ``<id>-3`` …, as ``log`` does on files) instead of refusing.

    Returns
    -------
    TeamWrite
        The ids written (after allocation) and their versions (1).

    Raises
    ------
    WorkspaceInvalid
        A reference names a record the server does not hold (messages as ``check``
        gives them, located by record id); nothing is written.
    IdTaken
        An id is already used (without ``allocate_ids``); nothing is written.
    WorkspaceNotStored, IncompletePush
        No such workspace, or a push of it is under way.

    Notes
    -----
    One transaction: the workspace lock, one read of the references and ids, then
    one statement per node and relationship. Cost O(records + references) plus, with
    ``allocate_ids``, one read per record of the ids of its label that start with its id.
    """
    records = list(records)
    _check_team_records(records)
    writer = writer_name()

    def work(tx: Any) -> TeamWrite:
        meta = _lock_workspace(tx, store, workspace_id, len(records))
        chosen = _free_ids(tx, workspace_id, records) if allocate_ids else records
        _refuse_taken(tx, store, workspace_id, chosen)
        problems = _reference_problems(tx, store, workspace_id, chosen)
        if problems:
            raise WorkspaceInvalid(problems)
        _create(tx, workspace_id, node_writes(chosen), meta, writer)
        return TeamWrite([r.id for r in chosen], {r.id: 1 for r in chosen}, writer)

    return _run(store, work)


def _refuse_taken(tx: Any, store: Store, workspace_id: str, records: Sequence[Record]) -> None:
    """Refuse new records whose ids the server already holds (:class:`IdTaken`)."""
    new_ids: dict[str, set[str]] = {}
    for record in records:
        new_ids.setdefault(TEAM_LABELS[record.collection], set()).add(record.id)
    taken = _existing(tx, workspace_id, new_ids)
    clashes = sorted(f"{lab.lower()} '{i}'" for lab, ids in taken.items() for i in ids)
    if clashes:
        raise IdTaken(
            f"{', '.join(clashes)} already exist{'s' if len(clashes) == 1 else ''} in "
            f"workspace '{workspace_id}' at {store.uri}; nothing was written. "
            "Give the new record another id."
        )


def _create(
    tx: Any, workspace_id: str, writes: list[_NodeWrite], meta: dict[str, Any], writer: str
) -> None:
    """Create the nodes and relationships, numbered after everything stored."""
    node_seq = int(meta.get("nodes") or 0)
    edge_seq = int(meta.get("relationships") or 0)
    edges = 0
    for write in writes:
        props = {**write.props, _SEQ: node_seq, VERSION: 1, WRITER: writer}
        props[HASH] = fingerprint(props)
        node_seq += 1
        tx.run(
            f"CREATE (n:{query_label(write.label)}) SET n = $props, n.workspace = $workspace, "
            "n.id = $id",
            props=props,
            workspace=workspace_id,
            id=write.record_id,
        ).consume()
        for edge_type, target_label, target_id, key, edge_props in write.edges:
            tx.run(
                f"MATCH (a:{query_label(write.label)} {{workspace: $workspace, id: $a}}) "
                f"MATCH (b:{query_label(target_label)} {{workspace: $workspace, id: $b}}) "
                f"CREATE (a)-[r:{query_edge_type(edge_type)}]->(b) SET r = $props, r.key = $key",
                workspace=workspace_id,
                a=write.record_id,
                b=target_id,
                key=key,
                props={**edge_props, _SEQ: edge_seq, VERSION: 1},
            ).consume()
            edge_seq += 1
            edges += 1
    tx.run(
        f"MATCH (w:{WORKSPACE_LABEL} {{id: $workspace}}) "
        "SET w.nodes = $nodes, w.relationships = $relationships",
        workspace=workspace_id,
        nodes=node_seq,
        relationships=edge_seq,
    ).consume()


def _run(store: Store, work: Any) -> Any:
    """Run ``work`` as one write transaction, the driver's errors made one line.

    A uniqueness-constraint violation (a record created by a concurrent writer between
    the check and the write) becomes :class:`IdTaken`.
    """
    try:
        with store._errors(), store._session() as session:
            return session.execute_write(work)
    except StoreError as exc:
        if "ConstraintValidationFailed" not in str(exc):
            raise
    raise IdTaken(
        f"a record with that id was just added in Neo4j at {store.uri}; nothing was "
        "written. Give the new record another id."
    )


# --- updates -------------------------------------------------------------------------------
def read_record(store: Store, workspace_id: str, label: str, record_id: str) -> tuple[dict, int]:
    """The stored properties (bookkeeping left out) and version of one record."""
    from stakegraph.engines.neo4j_properties import from_properties

    rows = store.read(
        f"MATCH (n:{query_label(label)} {{workspace: $workspace, id: $id}}) "
        "RETURN properties(n) AS props",
        workspace=workspace_id,
        id=record_id,
    )
    if not rows:
        raise StoreError(f"no {label.lower()} '{record_id}' in workspace '{workspace_id}'")
    props = from_properties(rows[0]["props"])
    version = int(props.get(VERSION) or 0)
    return record_fields(props), version


def record_fields(props: Mapping[str, Any]) -> dict[str, Any]:
    """A node's properties without the bookkeeping, its position and its key."""
    return {k: v for k, v in props.items() if k not in (*BOOKKEEPING, _SEQ, "workspace", "id")}


def stored_fields(record: Record) -> dict[str, Any]:
    """The fields :func:`read_record` gives for ``record`` once stored (to compare with)."""
    from stakegraph.engines.neo4j_properties import from_properties

    return record_fields(from_properties(node_writes([record])[0].props))


def update_record(
    store: Store,
    workspace_id: str,
    record: Record,
    base_version: int | None,
    base: Mapping[str, Any] | None = None,
) -> TeamWrite:
    """Replace the fields of a stored record, if it is still at ``base_version``.

    One :class:`Update` written by :func:`write_records` (see there); ``record`` is
    the record as it should be (validated by the record model).
    """
    return write_records(store, workspace_id, [], [Update(record, base_version, base)])


def write_records(
    store: Store,
    workspace_id: str,
    new: Sequence[Record],
    updates: Sequence[Update],
) -> TeamWrite:
    """Add new records and change stored ones in one transaction, each change refused
    if the record moved on since it was read.

    Parameters
    ----------
    new : records to add (as :func:`append_records` adds them, ids as given).
    updates : stored records to change. An update is current when the stored
        version is its ``base_version`` and, with ``base``, the stored fields are
        ``base``; its relationships become those of the new record (kept where
        unchanged, so their order stays).

    Raises
    ------
    StaleWrite
        An update is not current; ``stale`` names each record, the fields changed
        since with their value read and their value now, and who wrote them. Nothing
        is written.
    IdTaken, WorkspaceInvalid, WorkspaceNotStored, IncompletePush
        As :func:`append_records`; nothing is written.

    Notes
    -----
    Validation of optimistic concurrency control (Kung and Robinson 1981), inside the
    transaction that writes: the workspace lock, one read per updated record, one of
    the references and new ids, then the writes. O(records + fields + references).
    """
    from stakegraph.engines.neo4j_properties import from_properties

    new, updates = list(new), list(updates)
    records = [*new, *(u.record for u in updates)]
    _check_team_records(records)
    writer = writer_name()
    writes = node_writes([u.record for u in updates])

    def work(tx: Any) -> TeamWrite:
        meta = _lock_workspace(tx, store, workspace_id, len(records))
        _refuse_taken(tx, store, workspace_id, new)
        stale, stored = [], []
        for update, write in zip(updates, writes, strict=True):
            row = tx.run(
                f"MATCH (n:{query_label(write.label)} {{workspace: $workspace, id: $id}}) "
                "RETURN properties(n) AS props",
                workspace=workspace_id,
                id=write.record_id,
            ).single()
            if row is None:
                raise StoreError(
                    f"no {update.record.noun} '{write.record_id}' in workspace "
                    f"'{workspace_id}' at {store.uri}; it may have been removed by a push: "
                    "pull the workspace again"
                )
            props = from_properties(row["props"])
            stored.append(props)
            found = _stale(update, props)
            if found is not None:
                stale.append(found)
        if stale:
            message = "; ".join(str(s) for s in stale)
            raise StaleWrite(
                f"{message}; nothing was written. Read it again and redo your change.", stale
            )
        problems = _reference_problems(tx, store, workspace_id, records)
        if problems:
            raise WorkspaceInvalid(problems)
        edge_seq = int(meta.get("relationships") or 0)
        versions: dict[str, int] = {}
        for write, props in zip(writes, stored, strict=True):
            version = int(props.get(VERSION) or 0) + 1
            edge_seq = _replace(tx, workspace_id, write, props.get(_SEQ), version, writer, edge_seq)
            versions[write.record_id] = version
        meta["relationships"] = edge_seq
        _create(tx, workspace_id, node_writes(new), meta, writer)
        return TeamWrite([r.id for r in records], {**{r.id: 1 for r in new}, **versions}, writer)

    return _run(store, work)


def _stale(update: Update, stored: Mapping[str, Any]) -> StaleRecord | None:
    """What changed in a stored record since ``update`` read it; None when nothing did."""
    version = int(stored.get(VERSION) or 0)
    now = record_fields(stored)
    moved = update.base_version is not None and version != update.base_version
    base = update.base
    if not moved and (base is None or base == now):
        return None
    changes: tuple[tuple[str, Any, Any], ...] = ()
    if base is not None:
        names = sorted(set(base) | set(now))
        changes = tuple((n, base.get(n), now.get(n)) for n in names if base.get(n) != now.get(n))
    record = update.record
    return StaleRecord(
        record.noun, record.id, stored.get(WRITER), update.base_version, version, changes
    )


def _replace(
    tx: Any,
    workspace_id: str,
    write: _NodeWrite,
    seq: Any,
    version: int,
    writer: str,
    edge_seq: int,
) -> int:
    """Set a stored node's fields and relationships to ``write``; the next edge number.

    Relationships the record keeps keep their position; those it drops are deleted,
    new ones are numbered after everything stored.
    """
    label = query_label(write.label)
    props = {**write.props, _SEQ: seq, VERSION: version, WRITER: writer}
    props = {k: v for k, v in props.items() if v is not None}
    props[HASH] = fingerprint(props)
    match = f"MATCH (a:{label} {{workspace: $workspace, id: $id}}) "
    tx.run(
        match + "SET a = $props, a.workspace = $workspace, a.id = $id",
        workspace=workspace_id,
        id=write.record_id,
        props=props,
    ).consume()
    stored = {
        (row["type"], row["target"], row["key"]): row["rid"]
        for row in tx.run(
            match + "MATCH (a)-[r]->(b) WHERE b.workspace = $workspace "
            "RETURN type(r) AS type, b.id AS target, r.key AS key, elementId(r) AS rid",
            workspace=workspace_id,
            id=write.record_id,
        )
    }
    wanted = {(t, target, key) for t, _, target, key, _ in write.edges}
    gone = [rid for ident, rid in stored.items() if ident not in wanted]
    if gone:
        tx.run("MATCH ()-[r]->() WHERE elementId(r) IN $ids DELETE r", ids=gone).consume()
    for edge_type, target_label, target_id, key, edge_props in write.edges:
        rid = stored.get((edge_type, target_id, key))
        if rid is not None:
            tx.run(
                f"MATCH ()-[r]->() WHERE elementId(r) = $rid SET r.{VERSION} = $version",
                rid=rid,
                version=version,
            ).consume()
            continue
        tx.run(
            match + f"MATCH (b:{query_label(target_label)} {{workspace: $workspace, id: $b}}) "
            f"CREATE (a)-[r:{query_edge_type(edge_type)}]->(b) SET r = $props, r.key = $key",
            workspace=workspace_id,
            id=write.record_id,
            b=target_id,
            key=key,
            props={**edge_props, _SEQ: edge_seq, VERSION: version},
        ).consume()
        edge_seq += 1
    return edge_seq


def _shown(value: Any) -> str:
    return "(none)" if value is None else str(value)


# --- pulls ---------------------------------------------------------------------------------
def pull_with_versions(store: Store, workspace_id: str) -> tuple[Workspace, dict[str, int]]:
    """The stored workspace and the versions of its records, by ``Label:id``."""
    from stakegraph.io.property_graph import graph_to_workspace

    meta = store.info(workspace_id)
    if not meta.get("complete"):
        raise IncompletePush(
            f"the last push of workspace '{workspace_id}' to {store.uri} did not finish; "
            "push it again"
        )
    G = store.pull_graph(workspace_id, meta)
    return graph_to_workspace(G), dict(G.graph.get("versions", {}))
