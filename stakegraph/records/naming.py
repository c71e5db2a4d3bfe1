"""How posts are named in every table, figure and message: one rule, one place;
and how a person is found by any of their names."""

from __future__ import annotations

import datetime as dt

from stakegraph.errors import UnknownRecord
from stakegraph.records.lineage import ceases
from stakegraph.records.model import Person, Reform, ReformKind, ReformScope
from stakegraph.records.workspace import Workspace


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


def record_name(workspace: Workspace, scope: ReformScope, record_id: str) -> str:
    """An organisation's name or a post's label (:func:`post_label`)."""
    if scope == ReformScope.POSTS:
        return post_label(workspace, record_id)
    return workspace.organisations[record_id].name


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe_reform(workspace: Workspace, reform: Reform) -> tuple[str, str]:
    """What a reform did, in Chinese and in English.

    A predecessor that lives on across the reform gave up functions only:
    ``市信息中心、市经信委的数据管理职责于 2019-03-01 合并组建市大数据管理局`` and
    ``江川市信息中心 and the functions (数据管理职责) of 江川市经信委 merged into
    江川市大数据管理局 on 2019-03-01``.
    """

    def name(rid: str) -> str:
        return record_name(workspace, reform.of, rid)

    zh_parts, en_parts = [], []
    for rid in reform.predecessors:
        if ceases(workspace, reform, rid):
            zh_parts.append(name(rid))
            en_parts.append(name(rid))
        else:
            what = reform.functions
            zh_parts.append(f"{name(rid)}的{what or '部分职能'}")
            en_parts.append(
                f"the functions ({what}) of {name(rid)}" if what else f"functions of {name(rid)}"
            )
    after = [name(rid) for rid in reform.successors]
    day = reform.day.isoformat()
    before_zh, after_zh = "、".join(zh_parts), "、".join(after)
    before_en, after_en = _and(en_parts), _and(after) if after else ""
    if reform.kind == ReformKind.RENAME:
        return (
            f"{before_zh}于 {day} 更名为{after_zh}",
            f"{before_en} was renamed {after_en} on {day}",
        )
    if reform.kind == ReformKind.MERGE:
        verb = "合并组建" if reform.of == ReformScope.ORGANISATIONS else "合并为"
        return (
            f"{before_zh}于 {day} {verb}{after_zh}",
            f"{before_en} merged into {after_en} on {day}",
        )
    if reform.kind == ReformKind.SPLIT:
        return (
            f"{before_zh}于 {day} 分设为{after_zh}",
            f"{before_en} was split into {after_en} on {day}",
        )
    if reform.kind == ReformKind.TRANSFER:
        return f"{before_zh}于 {day} 划入{after_zh}", f"{before_en} moved to {after_en} on {day}"
    return (
        f"{before_zh}于 {day} 撤销",
        f"{before_en} {'was' if len(en_parts) == 1 else 'were'} abolished on {day}",
    )


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
