"""Pseudonymised copies of a workspace, to share or export without naming people.

What changes
------------
Tokens are keyed: HMAC-SHA256 of the original value and a field name under a
secret key, so the same key gives the same tokens and nothing maps back without it.

- **People.** Every :class:`~stakegraph.records.model.Person` gets ``p-<12 hex>``
  as id, ``人员-<8 HEX>`` as name and one ``别名-<8 HEX>`` per alias; every owner
  (our own people) gets ``o-<12 hex>``, ``负责人-<8 HEX>`` and alias tokens, and
  an owner's ``title`` is dropped. A person's ``background`` and ``born`` are dropped.
- **Ids that embed people.** Ids of relationships, ties and assessments derived
  from their owner and person (``owner~person``) are derived again from the new
  ids; any other id of those types, and every id of interactions, surveys and
  actions (``log``, ``surveys --import``, ``plan --save`` and ``act`` make them from
  a person's id and a date), becomes ``r-``, ``t-``, ``s-``, ``i-``, ``sv-`` or
  ``a-<12 hex>``. Every reference follows.
- **Free text.** ``notes`` (of every record and every role in a chain, with the
  ``unknown_description`` of a role whose holder is not known yet) and the
  ``source`` of relationships, ties and assessments are dropped; an action's text,
  which is required, becomes "—"; tags become ``标签-<8 HEX>`` (one token per tag
  text, so records that shared a tag still share one). The comments of
  ``stakegraph.toml`` are dropped: the settings are written again from their values.
- **Names of things that mention a person.** The names, ids, titles, aliases,
  regions, competitors, step names and survey items of organisations, posts and
  opportunities are kept, unless one mentions a person or an owner (by id, name,
  alias or tag; compared without case, spaces or punctuation) or looks like a
  phone number, an e-mail address or a WeChat id: then it becomes a token too.

What stays, and why
-------------------
The structure (which post is in which organisation, who holds it from when to
when, who reports to whom, the chains and their roles), every date, score, weight,
grade, tier, stance, level and flag, and the settings' values. The analyses read
nothing else, so influence, coverage, gaps and plans give the same figures on the
copy once ids are mapped. Organisation and post names stay so the copy can still
be read; a 局长 of a named bureau is easy to look up, so a copy protects names in
transit, not against someone who knows the account.

Any of the dropped or replaced groups can be kept by name (:data:`KEEPABLE`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import tomllib
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from stakegraph.errors import StakegraphError
from stakegraph.records.model import (
    Action,
    Assessment,
    Opportunity,
    Organisation,
    Owner,
    Person,
    Post,
    Record,
    Reform,
    Relationship,
    Survey,
    Tie,
    record_references,
)
from stakegraph.records.workspace import Workspace

#: Fewest bytes of key material :func:`load_key` accepts.
MIN_KEY_BYTES = 16

#: What a user may keep in a private copy, by name, and what each name keeps.
KEEPABLE: dict[str, str] = {
    "ids": "every record id as it is (persons', owners' and generated ones)",
    "owners": "our own people's ids, names, aliases and titles",
    "tags": "tags as they are written",
    "notes": "notes of records and roles, unknown holders' descriptions, and actions' text",
    "sources": "the source of relationships, ties and assessments",
    "aliases": "aliases of persons, organisations, posts and opportunities",
    "background": "a person's background",
    "born": "a person's year of birth",
    "titles": "owners' titles",
    "comments": "stakegraph.toml as it is written, comments included",
}

# Prefixes of the id tokens of records whose ids embed a person.
_ID_PREFIX = {
    "relationships": "r",
    "ties": "t",
    "assessments": "s",
    "interactions": "i",
    "surveys": "sv",
    "actions": "a",
}
# Tokens for kept names that turned out to mention a person, and for their ids.
_NAME_LABEL = {"organisations": "机构", "posts": "职务", "opportunities": "项目"}
_KEPT_ID_PREFIX = {
    "organisations": "org",
    "posts": "post",
    "opportunities": "opp",
    "reforms": "reform",
}

# A needle shorter than this finds too much by chance ("li" is in "policy").
_MIN_LATIN, _MIN_OTHER = 4, 2
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w])\+?\d(?:[\s().-]*\d){6,}(?![\w])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WECHAT = re.compile(r"wxid_\w+|微信|wechat|weixin|\bvx\b", re.IGNORECASE)


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


def parse_keep(text: str | Iterable[str] | None) -> frozenset[str]:
    """The names of :data:`KEEPABLE` in a comma-separated list (or an iterable).

    Raises :class:`~stakegraph.errors.StakegraphError` naming an unknown entry and
    listing the known ones.
    """
    if text is None:
        return frozenset()
    items = text.split(",") if isinstance(text, str) else list(text)
    names = frozenset(item.strip().lower() for item in items if item.strip())
    unknown = sorted(names - KEEPABLE.keys())
    if unknown:
        raise StakegraphError(
            f"--keep: unknown name(s) {', '.join(map(repr, unknown))}; "
            f"use any of: {', '.join(KEEPABLE)}."
        )
    return names


def _normal(text: str) -> str:
    """Lower case, letters and digits only: 'Xu Zhiheng' and 'xu-zhiheng' compare equal."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class _Scrubber:
    """Finds mentions of the workspace's people in text and makes keyed tokens."""

    def __init__(self, workspace: Workspace, key: bytes, keep: frozenset[str]) -> None:
        self.key = key
        needles: set[str] = set()
        people: list[Record] = [*workspace.persons.values()]
        if "owners" not in keep:
            people += workspace.owners.values()
        for record in people:
            texts = [record.id, getattr(record, "name", ""), *record.aliases]
            texts += [n.name for n in getattr(record, "names", [])]  # dated names
            if "tags" not in keep:
                texts += record.tags
            for text in texts:
                needle = _normal(text)
                short = _MIN_LATIN if needle.isascii() else _MIN_OTHER
                if len(needle) >= short:
                    needles.add(needle)
        # one alternation is far quicker than a loop over thousands of names
        ordered = sorted(needles, key=len, reverse=True)
        self.needles = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def mentions_someone(self, text: str) -> bool:
        """True when ``text`` names a person or an owner or looks like contact details."""
        if self.needles is not None and self.needles.search(_normal(text)):
            return True
        if _EMAIL.search(text) or _WECHAT.search(text):
            return True
        return any(not _DATE.fullmatch(m.group().strip()) for m in _PHONE.finditer(text))

    def token(self, value: str, field: str, digits: int = 8) -> str:
        return pseudonym(self.key, value, field, digits)

    def label(self, label: str, value: str, field: str | None = None) -> str:
        """``label-<8 HEX>`` for ``value`` (the same text gets the same token)."""
        return f"{label}-{self.token(value, field or label).upper()}"

    def text(self, value: str | None, label: str) -> str | None:
        """``value`` itself, or its token when it mentions someone."""
        if value is None or not self.mentions_someone(value):
            return value
        return self.label(label, value)


def pseudonymise(
    workspace: Workspace, key: bytes, ids: bool = True, keep: Collection[str] = ()
) -> Workspace:
    """A private copy of a workspace: people replaced by keyed tokens, free text dropped.

    Parameters
    ----------
    workspace
        A validated workspace; it is not changed.
    key
        The secret key (see :func:`load_key`); the same key gives the same tokens.
    ids
        Replace ids that name people (False is the same as keeping ``"ids"``).
    keep
        Names from :data:`KEEPABLE` to copy as they are (see :func:`parse_keep`).

    Returns
    -------
    Workspace
        The copy, with the same settings values. Source locations are dropped:
        they would point at the original files.

    Notes
    -----
    See the module documentation for every field that changes. Raises
    :class:`~stakegraph.errors.StakegraphError` in the (astronomically unlikely)
    case that two records of one type get the same id token.
    """
    if not key:
        raise StakegraphError("a pseudonymisation key must not be empty.")
    keep = parse_keep(keep) | (frozenset() if ids else {"ids"})
    scrub = _Scrubber(workspace, key, keep)
    maps = _id_maps(workspace, scrub, keep)

    out = Workspace(workspace.settings, workspace.name)
    out.settings_text = workspace.settings_text
    if workspace.settings_text and "comments" not in keep:
        out.settings_text = settings_without_comments(workspace.settings_text)
    context = {"settings": workspace.settings}
    for record in workspace.iter_records():
        data = _private_data(record, scrub, keep, maps)
        copy = type(record).model_validate(data, context=context)
        if copy.id in out.records[copy.collection]:
            raise StakegraphError(
                f"two {record.noun} records got the pseudonym '{copy.id}'; "
                "use another key (this should practically never happen)."
            )
        out.add(copy)
    return out


def _id_maps(workspace: Workspace, scrub: _Scrubber, keep: frozenset[str]) -> dict[str, dict]:
    """Old id -> new id, by collection, for every id that changes."""
    maps: dict[str, dict[str, str]] = {c: {} for c in workspace.records}
    if "ids" in keep:
        return maps
    for pid in workspace.persons:
        maps["persons"][pid] = f"p-{scrub.token(pid, 'id', 12)}"
    if "owners" not in keep:
        for oid in workspace.owners:
            maps["owners"][oid] = f"o-{scrub.token(oid, 'owner-id', 12)}"
    for collection, prefix in _KEPT_ID_PREFIX.items():
        for rid in workspace.records[collection]:
            if scrub.mentions_someone(rid):
                maps[collection][rid] = f"{prefix}-{scrub.token(rid, collection, 12)}"
    for collection, prefix in _ID_PREFIX.items():
        for rid, record in workspace.records[collection].items():
            derived = getattr(record, "default_id", None)
            if derived is None or rid != derived():
                maps[collection][rid] = f"{prefix}-{scrub.token(rid, collection, 12)}"
    return maps


def _private_data(
    record: Record, scrub: _Scrubber, keep: frozenset[str], maps: dict[str, dict]
) -> dict[str, Any]:
    """The fields of a record as they go into the private copy."""
    data = record.model_dump()
    derived = getattr(record, "default_id", None)
    if derived is not None and record.id == derived():
        del data["id"]  # derived before, so derived again from the new references
    else:
        data["id"] = maps[record.collection].get(record.id, record.id)
    for path, target in record_references(record).items():
        _follow(data, path.split("."), maps[target])
    if "notes" not in keep:
        data["notes"] = None
    if "tags" not in keep:
        data["tags"] = [scrub.label("标签", tag, "tag") for tag in record.tags]

    people = record.collection == "persons" or (
        record.collection == "owners" and "owners" not in keep
    )
    if people:
        label = "人员" if isinstance(record, Person) else "负责人"
        data["name"] = scrub.label(label, record.id, "name")
        for index, item in enumerate(data.get("names", [])):
            item["name"] = scrub.label(label, record.id, f"name{index}")
        if "aliases" not in keep:
            aliases = enumerate(record.aliases)
            data["aliases"] = [scrub.label("别名", record.id, f"alias{i}") for i, _ in aliases]
    elif "aliases" not in keep:
        data["aliases"] = [scrub.text(a, "别名") for a in record.aliases]

    if isinstance(record, Person):
        if "background" not in keep:
            data["background"] = None
        if "born" not in keep:
            data["born"] = None
    elif isinstance(record, Owner):
        if "titles" not in keep and "owners" not in keep:
            data["title"] = None
    elif isinstance(record, Relationship | Tie | Assessment):
        if "sources" not in keep:
            data["source"] = None
    elif isinstance(record, Organisation):
        data["name"] = scrub.text(record.name, "机构")
        data["region"] = scrub.text(record.region, "地区")
    elif isinstance(record, Post):
        data["title"] = scrub.text(record.title, _NAME_LABEL["posts"])
    elif isinstance(record, Opportunity):
        _private_opportunity(data, scrub, keep)
    elif isinstance(record, Survey):
        data["scores"] = {scrub.text(k, "题目"): v for k, v in record.scores.items()}
    elif isinstance(record, Action) and "notes" not in keep:
        data["action"] = "—"
    elif isinstance(record, Reform):
        data["functions"] = scrub.text(record.functions, "职能")
    return data


def _private_opportunity(data: dict[str, Any], scrub: _Scrubber, keep: frozenset[str]) -> None:
    data["name"] = scrub.text(data["name"], _NAME_LABEL["opportunities"])
    # one token per competitor text, so a role's leaning still matches the list
    data["competitors"] = [scrub.text(c, "竞争者") for c in data["competitors"]]
    for index, step in enumerate(data["chain"], start=1):
        step["name"] = scrub.text(step["name"], "步骤")
        if step["id"] != f"s{index}" and scrub.mentions_someone(step["id"]):
            step["id"] = f"step-{scrub.token(step['id'], 'step', 12)}"
        for role in step["roles"]:
            role["competitor_leaning"] = scrub.text(role["competitor_leaning"], "竞争者")
            if "notes" not in keep:
                role["notes"] = None
                role["unknown_description"] = None


def _follow(data: Any, path: list[str], mapping: dict[str, str]) -> None:
    """Rename the ids at a dotted reference path (lists are walked) in place."""
    if not mapping or data is None:
        return
    if isinstance(data, list):
        for item in data:
            _follow(item, path, mapping)
        return
    head, rest = path[0], path[1:]
    value = data.get(head)
    if rest:
        _follow(value, rest, mapping)
    elif isinstance(value, list):
        data[head] = [_renamed(v, mapping) for v in value]
    elif isinstance(value, str):
        data[head] = mapping.get(value, value)


def _renamed(value: Any, mapping: dict[str, str]) -> Any:
    """An id, or the id in a dated entry (``{"post": id, "start": ...}``), renamed."""
    if isinstance(value, dict):
        return {k: mapping.get(v, v) if k in ("post", "org") else v for k, v in value.items()}
    return mapping.get(value, value)


def settings_without_comments(text: str) -> str:
    """``stakegraph.toml`` written again from its values: comments and layout dropped.

    Comments are free text and can name anyone; the values are what the analyses read.
    """
    return _toml_tables(tomllib.loads(text), [])


def _toml_tables(table: dict[str, Any], where: list[str]) -> str:
    plain = {k: v for k, v in table.items() if not isinstance(v, dict)}
    nested = {k: v for k, v in table.items() if isinstance(v, dict)}
    lines = [f"[{'.'.join(map(_toml_key, where))}]"] if where and (plain or not nested) else []
    lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in plain.items()]
    parts = ["\n".join(lines) + "\n"] if lines else []
    parts += [_toml_tables(v, [*where, k]) for k, v in nested.items()]
    return "\n".join(parts)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)
