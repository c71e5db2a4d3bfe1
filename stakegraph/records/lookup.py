"""Find the record a person means from what they type: its id, name, alias or pinyin.

Account managers type names, not ids. Every command option that names a person,
an owner, an organisation, a post or an opportunity goes through :func:`resolve`
(or one :class:`Lookup` for several), which tries in this order and stops at the
first rule that finds something:

1. the id as written (an id always wins, even over another record's name);
2. the id in another case (``Zhou-Weiran``);
3. the name: a person's name in force on the day, a post's full label (organisation
   and title, as tables print it);
4. an alias (a post's bare title, a person's other names count as aliases);
5. the full pinyin of a name or alias, with or without spaces and hyphens, tones
   and case ignored, any reading of a character accepted (``zhou weiran``,
   ``Zhou-Weiran``, ``zhouweiran`` for 周蔚然); Latin names the same way;
6. the initials of a name or alias, one letter per character or word (``xzh`` for
   许志恒).

Latin text is compared without regard to case or accents; Chinese as written
(full-width forms folded). When a rule finds more than one record the text is
ambiguous: :class:`~stakegraph.errors.AmbiguousName` lists the candidates with what
tells them apart (a person's posts on the day) and asks for the id; initials are
never taken unless they fit one record. When nothing is found,
:class:`~stakegraph.errors.UnknownRecord` suggests up to five close ids, names or
spellings.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from stakegraph.errors import AmbiguousName, UnknownRecord
from stakegraph.records.model import Opportunity, Organisation, Owner, Person, Post
from stakegraph.records.naming import (
    closest,
    compact,
    has_han,
    initials_of,
    name_keys,
    plain,
    post_label,
    spellings,
    spells,
)

if TYPE_CHECKING:
    from stakegraph.records.workspace import Workspace

#: What a command can name, by noun: (collection, Chinese noun).
KINDS: dict[str, tuple[str, str]] = {
    "person": ("persons", "人员"),
    "owner": ("owners", "我方人员"),
    "organisation": ("organisations", "组织"),
    "post": ("posts", "岗位"),
    "opportunity": ("opportunities", "商机"),
}

#: Most candidates an ambiguity lists.
SHOWN_CANDIDATES = 8


def _key(text: str) -> str:
    """How names are compared: case and width folded, spaces collapsed (none in Chinese)."""
    if text.isascii():
        return " ".join(text.lower().split())
    folded = unicodedata.normalize("NFKC", text).casefold()
    if has_han(folded):
        return "".join(folded.split())
    return " ".join(plain(folded).split())  # accents of Latin names dropped


@dataclass
class _Entry:
    """One record as it can be named."""

    id: str
    names: list[str]
    aliases: list[str]
    _spelt: list[list[tuple[str, ...]]] | None = field(default=None, repr=False)

    def spelt(self) -> list[list[tuple[str, ...]]]:
        if self._spelt is None:
            self._spelt = [spellings(t) for t in dict.fromkeys([*self.names, *self.aliases])]
        return self._spelt


def _record_names(workspace: Workspace, kind: str, record: Any, day: dt.date | None) -> _Entry:
    """The names of a record on a day: the name in force, then its aliases."""
    aliases = list(record.aliases)
    if kind == "post":
        return _Entry(record.id, [post_label(workspace, record.id)], [record.title, *aliases])
    name = record.name
    if isinstance(record, Person):
        # the name in force on the day is the name; the others count as aliases
        name = record.name_on(day)
        aliases += [n for n in record.every_name() if n != name and n not in aliases]
    return _Entry(record.id, [name], aliases)


class Lookup:
    """Finds records of one workspace by what is typed, as of one day.

    Parameters
    ----------
    workspace : Workspace
        The records to look in.
    day : datetime.date, optional
        The day whose names are in force, and whose posts tell two persons apart in
        an ambiguity (default: names as written, posts today).
    """

    def __init__(self, workspace: Workspace, day: dt.date | None = None) -> None:
        self.workspace = workspace
        self.day = day
        self._entries: dict[str, list[_Entry]] = {}
        self._names: dict[str, dict[str, str]] = {}
        self._indexes: dict[str, tuple[dict[str, list[str]], ...]] = {}

    def entries(self, kind: str) -> list[_Entry]:
        if kind not in self._entries:
            collection = _collection(kind)
            self._entries[kind] = [
                _record_names(self.workspace, kind, r, self.day)
                for r in self.workspace.records[collection].values()
            ]
        return self._entries[kind]

    def find(self, kind: str, text: str) -> tuple[str, list[str]]:
        """(the rule that matched, ids found); ``("", [])`` when none matched.

        Rules are tried in the order of the module docstring; the first that finds
        anything decides, with every record it finds.
        """
        given = text.strip()
        if given in self.workspace.records[_collection(kind)]:
            return "id", [given]
        key = _key(given)
        if not key:
            return "", []
        for how, index in zip(("id", "name", "alias"), self._index(kind), strict=True):
            if key in index:
                return how, list(dict.fromkeys(index[key]))
        entries = self.entries(kind)
        typed = compact(given)
        if not typed or has_han(given):
            return "", []
        found = [e.id for e in entries if any(spells(typed, s) for s in e.spelt())]
        if found:
            return "pinyin", found
        if typed.isalpha():
            found = [e.id for e in entries if any(initials_of(typed, s) for s in e.spelt())]
            if found:
                return "initials", found
        return "", []

    def _index(self, kind: str) -> tuple[dict[str, list[str]], ...]:
        """Ids by the compared form of their id, of their names, and of their aliases."""
        if kind not in self._indexes:
            indexes: tuple[dict[str, list[str]], ...] = ({}, {}, {})
            for entry in self.entries(kind):
                for index, texts in zip(
                    indexes, ([entry.id], entry.names, entry.aliases), strict=True
                ):
                    for text in texts:
                        index.setdefault(_key(text), []).append(entry.id)
            self._indexes[kind] = indexes
        return self._indexes[kind]

    def resolve(self, kind: str, text: str, option: str | None = None) -> str:
        """The id of the one record ``text`` names.

        Parameters
        ----------
        kind : str
            ``person``, ``owner``, ``organisation``, ``post`` or ``opportunity``.
        text : str
            An id, a name, an alias or pinyin, as typed.
        option : str, optional
            The option it was given to (``--to``), named at the head of an error.

        Returns
        -------
        str
            The record's id.

        Raises
        ------
        AmbiguousName
            When it names several records: the candidates, with their posts.
        UnknownRecord
            When it names none: up to five close matches.
        """
        how, found = self.find(kind, text)
        if len(found) == 1:
            return found[0]
        head = f"{option}: " if option else ""
        noun = f"{KINDS[kind][1]} {kind}"
        if not text.strip():
            raise UnknownRecord(f"{head}empty; give the {noun}'s id, name, alias or pinyin.")
        shown = _quoted(text.strip())
        if found:
            listed = ", ".join(self.describe(kind, i) for i in found[:SHOWN_CANDIDATES])
            more = (
                f" and {len(found) - SHOWN_CANDIDATES} more"
                if len(found) > SHOWN_CANDIDATES
                else ""
            )
            by = " by its initials" if how == "initials" else ""
            raise AmbiguousName(
                f"{head}{noun} {shown} matches {len(found)}{by}: {listed}{more}; give the id."
            )
        near = self.closest(kind, text.strip()[:100])
        where = f"no {noun} {shown} in {self.workspace.name} (by id, name, alias or pinyin)"
        if near:
            listed = ", ".join(self.describe(kind, i) for i in near)
            raise UnknownRecord(f"{head}{where}; closest: {listed}.")
        count = len(self.workspace.records[_collection(kind)])
        raise UnknownRecord(
            f"{head}{where}, and none is close ({count} in all); check the spelling, or add "
            f"the {kind} to {_collection(kind)} first."
        )

    def resolve_all(self, kind: str, texts: Iterable[str], option: str | None = None) -> list[str]:
        """:meth:`resolve` for each of ``texts``, in order."""
        return [self.resolve(kind, t, option) for t in texts]

    def closest(self, kind: str, text: str) -> list[str]:
        """Ids of up to five records whose id, name, alias or pinyin looks like ``text``."""
        pairs = [(e.id, n) for e in self.entries(kind) for n in [*e.names, *e.aliases]]
        return closest(text, name_keys(pairs))

    def describe(self, kind: str, record_id: str) -> str:
        """``id name (what tells it apart)``: a person's posts on the day, an owner's
        title, an opportunity's client, an organisation's parent, a post's holders."""
        ws = self.workspace
        day = self.day or dt.date.today()
        record = ws.records[_collection(kind)][record_id]
        name = self._names_by_id(kind)[record_id]
        detail = _detail(ws, record, day)
        return f"{record_id} {name}" + (f" ({'、'.join(detail)})" if detail else "")

    def _names_by_id(self, kind: str) -> dict[str, str]:
        """The name of each record of ``kind`` on the day (a post's full name)."""
        if kind not in self._names:
            self._names[kind] = {e.id: e.names[0] for e in self.entries(kind)}
        return self._names[kind]


def _detail(ws: Workspace, record: Any, day: dt.date) -> list[str]:
    """What tells a record apart from another of its name, on a day."""
    if isinstance(record, Person):
        posts = [post_label(ws, p) for p in record.posts_on(day) if p in ws.posts]
        return posts or [f"无任职 no post on {day.isoformat()}"]
    if isinstance(record, Owner):
        return [record.title] if record.title else []
    if isinstance(record, Opportunity) and record.client in ws.organisations:
        return [ws.organisations[record.client].name]
    if isinstance(record, Organisation):
        parent = record.parent_on(day)
        return [ws.organisations[parent].name] if parent in ws.organisations else []
    if isinstance(record, Post):
        return [ws.persons[p].name_on(day) for p in ws.holders(record.id, day)] or ["空缺 vacant"]
    return []


def _quoted(text: str, limit: int = 60) -> str:
    """``text`` in double quotes on one line (line breaks and control characters
    escaped), cut to ``limit`` characters."""
    cut = f"{text[:limit]}…" if len(text) > limit else text
    more = f" ({len(text)} characters)" if len(text) > limit else ""
    return json.dumps(cut, ensure_ascii=False) + more


def _collection(kind: str) -> str:
    try:
        return KINDS[kind][0]
    except KeyError:
        raise ValueError(f"cannot look up a {kind!r}; use one of {', '.join(KINDS)}") from None


def resolve(
    workspace: Workspace,
    kind: str,
    text: str,
    day: dt.date | None = None,
    option: str | None = None,
) -> str:
    """The id of the record of ``kind`` that ``text`` names: id, name, alias or pinyin.

    See the module docstring for the rules; :class:`Lookup` resolves several at once.

    >>> from stakegraph.records.sample import sample_workspace
    >>> ws = sample_workspace()
    >>> first = next(iter(ws.persons.values()))
    >>> resolve(ws, "person", first.name) == first.id
    True
    """
    return Lookup(workspace, day).resolve(kind, text, option)


__all__ = ["KINDS", "Lookup", "resolve"]
