"""A push checked against a team's writes: conflicts, the versions pushed, a forced push.

:meth:`~stakegraph.engines.neo4j.Store.push` starts with :func:`begin_push`, which refuses
files that are behind the server (:class:`~stakegraph.engines.neo4j_team.FilesBehind`,
listing each conflict) and stamps the versions on the rows it will write.
:func:`preview_push` reads, without writing, what a push would overwrite: each
conflict with the fields the files would change and who wrote the server's value,
and the server's versions as read. A forced push passes those versions as its base,
so it overwrites exactly the writes listed and is refused if another one came in
since (see :mod:`stakegraph.engines.neo4j_team` for the versions themselves).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stakegraph.engines.neo4j_properties import HASH, VERSION, WORKSPACE_LABEL, WRITER
from stakegraph.engines.neo4j_team import BOOKKEEPING, Conflict, FilesBehind, Store, fingerprint
from stakegraph.io.property_graph import LABELS

#: ``Label:id`` → (version, fingerprint, team writer or None), as stored.
ServerVersions = dict[str, tuple[int, str | None, str | None]]
#: Stored properties that are not a record's fields.
_NOT_FIELDS = frozenset((*BOOKKEEPING, "_seq", "workspace", "id"))
_FLATTENED = ("__json", "__keys", "__values")


def _server_versions(tx: Any, workspace_id: str) -> ServerVersions:
    """Every node's version, fingerprint and team writer, by ``Label:id``."""
    out: ServerVersions = {}
    for label in LABELS:
        for row in tx.run(
            f"MATCH (n:{label}) WHERE n.workspace = $workspace AND n.id IS NOT NULL "
            f"RETURN n.id AS id, n.{VERSION} AS version, n.{HASH} AS hash, n.{WRITER} AS by",
            workspace=workspace_id,
        ):
            out[f"{label}:{row['id']}"] = (int(row["version"] or 0), row["hash"], row["by"])
    return out


def conflicts(
    server: Mapping[str, tuple[int, str | None, str | None]],
    base: Mapping[str, int] | None,
) -> list[Conflict]:
    """What the server holds that files at the versions ``base`` do not have.

    With ``base`` (the versions kept at the last pull or push): every record added,
    changed (another version) or deleted on the server since. Without: every record
    written by a team write since the last push. Sorted by record.

    Parameters
    ----------
    server : ``Label:id`` → (version, fingerprint, team writer or None), as stored.
    base : ``Label:id`` → version, as kept beside the files; None when there is none.

    Complexity O(n log n) for n records (the sort). This is the validation phase of
    optimistic concurrency control (Kung and Robinson 1981; see
    :mod:`stakegraph.engines.neo4j_team`).
    """
    found: list[Conflict] = []
    if base is None:
        for key, (version, _, by) in server.items():
            if by is not None:
                found.append(
                    Conflict(key, "changed" if version > 1 else "added", None, version, by)
                )
        return sorted(found, key=lambda c: c.record)
    for key, (version, _, by) in server.items():
        if key not in base:
            found.append(Conflict(key, "added", None, version, by))
        elif base[key] != version:
            found.append(Conflict(key, "changed", base[key], version, by))
    for key, version in base.items():
        if key not in server:
            found.append(Conflict(key, "deleted", version, None))
    return sorted(found, key=lambda c: c.record)


def begin_push(
    store: Store,
    workspace_id: str,
    begin_query: str,
    begin_params: Mapping[str, Any],
    node_rows: Mapping[str, list[list]],
    edge_rows: Mapping[tuple[str, str, str], list[list]],
    base_versions: Mapping[str, int] | None,
    check: bool,
) -> dict[str, int]:
    """Start a push: refuse when the files are behind, else stamp versions on the rows.

    In one transaction: mark the workspace as being pushed (``begin_query``, which
    takes its lock, so no team write slips in between), read every node's version
    and, when ``check``, refuse with :class:`FilesBehind` listing the conflicts of
    :func:`conflicts`. Then each node row gets its version (kept when its fingerprint
    is the server's, else one more; 1 when new) and each relationship row its start
    node's. Returns the versions pushed, by ``Label:id``. O(nodes + relationships).
    """

    def work(tx: Any) -> dict[str, int]:
        tx.run(begin_query, **begin_params).consume()
        # counted, so a pull tells that a push ran while it read (neo4j_pull.read_graph)
        tx.run(
            f"MATCH (w:{WORKSPACE_LABEL} {{id: $workspace}}) "
            "SET w.pushes = coalesce(w.pushes, 0) + 1",
            workspace=workspace_id,
        ).consume()
        server = _server_versions(tx, workspace_id)
        if check:
            found = conflicts(server, base_versions)
            if found:
                raise FilesBehind(behind_message(workspace_id, found), found)
        return _stamp(server, node_rows, edge_rows)

    with store._errors(), store._session() as session:
        return session.execute_write(work)


def _stamp(
    server: ServerVersions,
    node_rows: Mapping[str, list[list]],
    edge_rows: Mapping[tuple[str, str, str], list[list]],
) -> dict[str, int]:
    pushed: dict[str, int] = {}
    for label, rows in node_rows.items():
        for row in rows:
            key = f"{label}:{row[0]}"
            props = row[1]
            digest = fingerprint(props)
            version, stored_hash, _ = server.get(key, (0, None, None))
            if key not in server:
                version = 1
            elif stored_hash != digest or version == 0:
                version += 1
            props[VERSION] = version
            props[HASH] = digest
            pushed[key] = version
    for (_, source, _), rows in edge_rows.items():
        for row in rows:
            row[3][VERSION] = pushed.get(f"{source}:{row[0]}", 1)
    return pushed


def behind_message(workspace_id: str, found: list[Conflict], shown: int = 20) -> str:
    """The refusal of a push of files behind the server, with its conflicts."""
    lines = [
        f"the files are behind workspace '{workspace_id}' on the server: {len(found)} "
        f"conflict{'s' if len(found) != 1 else ''}; nothing was pushed. Pull the workspace "
        "into a new folder, carry your changes over, and push that (or push with --force "
        "to overwrite them):"
    ]
    lines += [f"  {c}" for c in found[:shown]]
    if len(found) > shown:
        lines.append(f"  … and {len(found) - shown} more")
    return "\n".join(lines)


def _field_names(props: Mapping[str, Any]) -> dict[str, Any]:
    """Stored properties by the record field they hold (flattened ones joined back)."""
    out: dict[str, Any] = {}
    for name, value in props.items():
        if name in _NOT_FIELDS:
            continue
        base = next((name[: -len(s)] for s in _FLATTENED if name.endswith(s)), name)
        out.setdefault(base, []).append((name, value))
    return {base: sorted(parts) for base, parts in out.items()}


def changed_fields(stored: Mapping[str, Any], pushed: Mapping[str, Any]) -> tuple[str, ...]:
    """The record fields whose stored value a push of ``pushed`` would replace, sorted.

    Both are node properties as stored (temporal values native); a field flattened
    into several properties counts once. O(properties).
    """
    old, new = _field_names(stored), _field_names(pushed)
    return tuple(sorted(n for n in set(old) | set(new) if old.get(n) != new.get(n)))


def preview_push(
    store: Store,
    workspace_id: str,
    graph: Any,
    base_versions: Mapping[str, int] | None,
) -> tuple[list[Conflict], dict[str, int]]:
    """What a push of ``graph`` (:func:`~stakegraph.io.property_graph.build_graph` of the
    files) would overwrite, read in one transaction, nothing written.

    Returns the conflicts of :func:`conflicts`, each with the fields the files would
    change (none for a record the push removes or brings back), and the server's
    versions as read: given to :meth:`~stakegraph.engines.neo4j.Store.push` as its base,
    they let the push overwrite exactly these conflicts and refuse any write since.
    One read of every node's version, one of each conflicting node. O(nodes).
    """
    from stakegraph.engines.neo4j_pull import _temporal_types

    temporal = _temporal_types()
    node_rows, _ = store._rows(graph)

    def native(value: Any) -> Any:
        if type(value) in temporal:
            return value.to_native()
        if isinstance(value, list):
            return [native(item) for item in value]
        return value

    rows = {f"{label}:{row[0]}": row[1] for label, items in node_rows.items() for row in items}

    def work(tx: Any) -> tuple[list[Conflict], dict[str, int]]:
        server = _server_versions(tx, workspace_id)
        found = []
        for conflict in conflicts(server, base_versions):
            label, _, record_id = conflict.record.partition(":")
            mine = rows.get(conflict.record)
            if mine is not None and conflict.record in server:
                row = tx.run(
                    f"MATCH (n:{label} {{workspace: $workspace, id: $id}}) "
                    "RETURN properties(n) AS props",
                    workspace=workspace_id,
                    id=record_id,
                ).single()
                stored = {k: native(v) for k, v in row["props"].items()} if row else {}
                plain = {k: v for k, v in mine.items() if k not in _NOT_FIELDS}
                conflict = Conflict(
                    conflict.record,
                    conflict.change,
                    conflict.yours,
                    conflict.theirs,
                    conflict.by,
                    changed_fields(stored, plain),
                )
            found.append(conflict)
        return found, {key: version for key, (version, _, _) in server.items()}

    with store._errors(), store._session() as session:
        return session.execute_read(work)
