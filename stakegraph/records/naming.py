"""How posts are named in every table, figure and message: one rule, one place;
and how a person is found by any of their names."""

from __future__ import annotations

import datetime as dt
import re

from stakegraph.config import LANGUAGE
from stakegraph.errors import UnknownRecord
from stakegraph.records.model import Person
from stakegraph.records.workspace import Workspace

_CJK = re.compile(r"[\u3400-\u9fff]")


def post_label(workspace: Workspace, post_id: str) -> str:
    """Organisation and title as one name, without repeating their shared words.

    ``江川市财政局预算科`` + ``预算科科长`` → ``江川市财政局预算科科长``.
    """
    post = workspace.posts[post_id]
    org = workspace.organisations[post.org].name
    title = post.title
    for size in range(min(len(org), len(title)), 1, -1):  # one shared character is chance
        if org.endswith(title[:size]):
            return org + title[size:]
    joiner = " " if org[-1:].isascii() and title[:1].isascii() else ""
    return org + joiner + title


def workspace_language(workspace: Workspace) -> str:
    """The language a workspace is shown in: ``"zh"`` or ``"en"``.

    Definition
    ----------
    The language a command was given (``stakegraph --lang``, held in
    :data:`stakegraph.config.LANGUAGE`), else the ``language`` setting, else the
    records: ``"zh"`` when at least half of the names of persons, organisations and
    opportunities hold a Chinese character (an empty workspace is Chinese).
    O(records).

    Examples
    --------
    >>> ws = Workspace()
    >>> ws.add(Person(id="grant", name="Olivia Grant"))
    >>> workspace_language(ws)
    'en'
    """
    chosen = LANGUAGE.get() or workspace.settings.language
    if chosen:
        return chosen
    names = [
        record.name
        for table in (workspace.persons, workspace.organisations, workspace.opportunities)
        for record in table.values()
    ]
    chinese = sum(1 for name in names if _CJK.search(name))
    return "zh" if 2 * chinese >= len(names) else "en"


def persons_named(workspace: Workspace, text: str, day: dt.date | None = None) -> list[Person]:
    """Every person whose id or any name matches ``text``, best matches first.

    Definition
    ----------
    ``text`` (spaces around it ignored) is compared with each person's id, the
    name in force on ``day`` (:meth:`Person.name_on`), ``name``, every dated name
    and every alias. Matches rank: the id, then the name of ``day``, then any
    other name or alias; within a rank, file order. O(persons × names).

    Examples
    --------
    >>> from stakegraph.records.periods import NamePeriod
    >>> ws = Workspace()
    >>> ws.add(Person(id="chen", name="陈晓", aliases=["陈局"],
    ...               names=[NamePeriod(name="陈小红", end=dt.date(2026, 4, 15))]))
    >>> [p.id for p in persons_named(ws, "陈小红")], [p.id for p in persons_named(ws, "陈局")]
    (['chen'], ['chen'])
    """
    wanted = text.strip()
    ranked: list[tuple[int, int, Person]] = []
    for order, person in enumerate(workspace.persons.values()):
        if person.id == wanted:
            rank = 0
        elif person.name_on(day) == wanted:
            rank = 1
        elif wanted in person.every_name():
            rank = 2
        else:
            continue
        ranked.append((rank, order, person))
    return [person for _, _, person in sorted(ranked, key=lambda r: (r[0], r[1]))]


def find_person(workspace: Workspace, text: str, day: dt.date | None = None) -> Person:
    """The one person ``text`` names: an id, a name (of any period) or an alias.

    An id wins; then a person whose name on ``day`` is ``text``. Raises
    :class:`~stakegraph.errors.UnknownRecord` when no one matches, or when several
    do equally well (naming their ids, so the caller can write one). See
    :func:`persons_named` for the matching rule.
    """
    found = persons_named(workspace, text, day)
    if not found:
        raise UnknownRecord(
            f"no person in {workspace.name} has the id, name or alias '{text.strip()}'."
        )
    if len(found) > 1:
        best = _match_rank(found[0], text.strip(), day)
        tied = [p for p in found if _match_rank(p, text.strip(), day) == best]
        if len(tied) > 1:
            ids = ", ".join(p.id for p in tied)
            raise UnknownRecord(
                f"'{text.strip()}' names more than one person in {workspace.name} "
                f"({ids}); use the id."
            )
    return found[0]


def _match_rank(person: Person, text: str, day: dt.date | None) -> int:
    if person.id == text:
        return 0
    return 1 if person.name_on(day) == text else 2
