"""Pseudonymised copies of a workspace, to share or export without naming officials.

What changes
------------
Every :class:`~stakegraph.records.model.Person` gets keyed pseudonyms, computed as
HMAC-SHA256 of the person's original id and the field under a secret key:

- ``id`` becomes ``p-<12 hex digits>`` (by default; ids are often pinyin names),
  and every reference to the person follows: relationships' ``person``, ties'
  ``a``/``b``, roles' ``person`` in opportunity chains, interactions'
  ``persons``, surveys', assessments' and actions' ``person``. Tenures sit inside the person and move
  with it. The mapping is one-to-one, so every analysis gives the same numbers.
- ``name`` becomes ``人员-<8 HEX DIGITS>``; ``aliases`` become ``别名-<8 HEX>``,
  one per alias.
- Relationships and ties whose id was derived from the persons they link
  (``owner~person``) get the id derived from the new ids; an id written by hand
  may spell a name too, so it becomes ``r-``/``t-<12 hex digits>`` (kept as it
  is when person ids are kept).

Free text can name anyone, so it is removed (set to None) everywhere: the
``notes`` of every record, of every role in a chain, and the ``source`` of
relationships, ties and assessments (who told us, often a person). An action's
text is required, so it becomes "—"; an action's id is often written from its
target's name, so it becomes ``a-<12 hex digits>`` (when person ids change).

What stays
----------
Organisations, posts, owners (our own people), opportunities, steps,
interactions and surveys keep their ids, names and titles; tags, dates, scores
and the structure are untouched. Posts and organisations can still point at a
person (a 局长 of a named bureau is easy to look up), so a pseudonymised copy
protects names in transit, not against someone who knows the account.

Keys
----
The same key gives the same pseudonyms in every export, so exports taken at
different times can be compared; without the key nothing maps back (HMAC is a
one-way function of id and key). :func:`load_key` keeps the key in a file.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from stakegraph.errors import StakegraphError
from stakegraph.records.model import (
    Action,
    Assessment,
    Interaction,
    Opportunity,
    Person,
    Relationship,
    Step,
    Survey,
    Tie,
)
from stakegraph.records.workspace import Workspace

#: Fewest bytes of key material :func:`load_key` accepts.
MIN_KEY_BYTES = 16


class KeyFile(NamedTuple):
    """A key read (or made) by :func:`load_key`; unpacks as ``key, created``."""

    key: bytes
    #: True when the file did not exist and was just written with a new key.
    created: bool


def load_key(path: Path) -> KeyFile:
    """Read a pseudonymisation key from a file, creating the file when missing.

    Parameters
    ----------
    path
        A file holding the key as hex text (what this function writes) or any
        other text of at least 16 bytes, used as it is.

    Returns
    -------
    KeyFile
        ``(key, created)``; ``created`` is True when the file was missing and has
        just been written with 32 random bytes as hex, readable by its owner only
        (mode 0600). Tell the user to keep it: without it, later exports get new
        pseudonyms.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return KeyFile(_create_key(path), True)
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = text.encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        raise StakegraphError(
            f"{path}: the key is too short ({len(key)} bytes); use at least {MIN_KEY_BYTES}, "
            "or delete the file to have a new random key written."
        )
    return KeyFile(key, False)


def _create_key(path: Path) -> bytes:
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: never overwrite a key another process has just written
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key.hex() + "\n")
    return key


def pseudonym(key: bytes, person_id: str, field: str, digits: int = 8) -> str:
    """Hex digest of HMAC-SHA256(key, person id + field), shortened to ``digits``.

    A unit separator between id and field keeps ("ab", "c") apart from ("a", "bc").

    >>> pseudonym(b"k" * 16, "zhang-san", "name")
    'fbedb514'
    """
    message = f"{person_id}\x1f{field}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:digits]


def pseudonymise(workspace: Workspace, key: bytes, ids: bool = True) -> Workspace:
    """A copy of a workspace with persons' names (and by default ids) pseudonymised.

    Parameters
    ----------
    workspace
        A validated workspace; it is not changed.
    key
        The secret key (see :func:`load_key`); the same key gives the same
        pseudonyms.
    ids
        Also replace person ids, and every reference to them, with keyed tokens.

    Returns
    -------
    Workspace
        The copy, with the same settings. Source locations are dropped: they
        would point at the original files.

    Notes
    -----
    See the module documentation for every field that changes. Raises
    :class:`~stakegraph.errors.StakegraphError` in the (astronomically unlikely)
    case that two persons get the same id token.
    """
    if not key:
        raise StakegraphError("a pseudonymisation key must not be empty.")

    def person_id(old: str) -> str:
        return f"p-{pseudonym(key, old, 'id', 12)}" if ids else old

    out = Workspace(workspace.settings, workspace.name)
    out.settings_text = workspace.settings_text
    for record in workspace.iter_records():
        update: dict[str, object] = {"notes": None}
        if isinstance(record, Person):
            update |= {
                "id": person_id(record.id),
                "name": f"人员-{pseudonym(key, record.id, 'name').upper()}",
                "aliases": [
                    f"别名-{pseudonym(key, record.id, f'alias{i}').upper()}"
                    for i in range(len(record.aliases))
                ],
            }
        elif isinstance(record, Relationship):
            update |= {"person": person_id(record.person), "source": None}
        elif isinstance(record, Tie):
            update |= {"a": person_id(record.a), "b": person_id(record.b), "source": None}
        elif isinstance(record, Opportunity):
            update["chain"] = [_step(step, person_id) for step in record.chain]
        elif isinstance(record, Interaction):
            update["persons"] = [person_id(p) for p in record.persons]
        elif isinstance(record, Survey) and record.person:
            update["person"] = person_id(record.person)
        elif isinstance(record, Assessment):
            update |= {"person": person_id(record.person), "source": None}
        elif isinstance(record, Action):
            update["action"] = "—"
            if record.person:
                update["person"] = person_id(record.person)
            if ids:
                update["id"] = f"a-{pseudonym(key, record.id, 'action', 12)}"
        copy = record.model_copy(update=update, deep=True)
        if isinstance(record, Relationship | Tie) and isinstance(copy, Relationship | Tie):
            copy.id = _link_id(record, copy, key, ids)
        if isinstance(record, Assessment) and isinstance(copy, Assessment):
            if record.id == record.default_id():
                copy.id = copy.default_id()
            elif ids:
                copy.id = f"s-{pseudonym(key, record.id, record.collection, 12)}"
        if copy.id in out.records[copy.collection]:
            raise StakegraphError(
                f"two {record.noun} records got the pseudonym '{copy.id}'; "
                "use another key (this should practically never happen)."
            )
        out.add(copy)
    return out


def _step(step: Step, person_id: Callable[[str], str]) -> Step:
    roles = [
        role.model_copy(
            update={"notes": None, "person": person_id(role.person) if role.person else None}
        )
        for role in step.roles
    ]
    return step.model_copy(update={"roles": roles})


def _link_id(record: Relationship | Tie, copy: Relationship | Tie, key: bytes, ids: bool) -> str:
    """The id of a relationship or tie once its persons are renamed."""
    if record.id == record.default_id():
        return copy.default_id()  # derived before, so derived again (and omitted in files)
    if not ids:
        return record.id
    prefix = "r" if isinstance(record, Relationship) else "t"
    return f"{prefix}-{pseudonym(key, record.id, record.collection, 12)}"
