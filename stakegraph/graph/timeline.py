"""Relationships on a day: re-assessments and the interactions log applied.

A relationship record holds the scores as first typed; every later assessment
overlays the scores it gives, and every logged contact refreshes the contact
date. :func:`workspace_on` applies both as of a day, so each analysis (and the
named Cypher queries, which do the same) sees the map as it stood that day and a
logged visit keeps a relationship from decaying. Nothing in the files changes.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from stakegraph.records.model import (
    SCORE_DIMENSIONS,
    Assessment,
    Organisation,
    Person,
    Post,
    Record,
    Relationship,
    RelationshipLevel,
)
from stakegraph.records.periods import is_dated
from stakegraph.records.record_collections import RecordCollections
from stakegraph.records.workspace import Workspace


@dataclass(frozen=True)
class Snapshot:
    """The six scores and stated level of a relationship as of one assessment."""

    date: dt.date | None
    scores: dict[str, float]
    level: RelationshipLevel | None
    assessment: str | None
    source: str | None


def assessments_by_pair(ws: Workspace) -> dict[tuple[str, str], list[Assessment]]:
    """Assessments per (owner, person), oldest first (ties broken by id). O(A log A)."""
    pairs: dict[tuple[str, str], list[Assessment]] = defaultdict(list)
    for item in ws.assessments.values():
        pairs[(item.owner, item.person)].append(item)
    for items in pairs.values():
        items.sort(key=lambda a: (a.date, a.id))
    return dict(pairs)


def contact_dates(ws: Workspace) -> dict[tuple[str, str], list[dt.date]]:
    """Dates of logged contacts per (owner, person), sorted. O(Σ owners × persons).

    Every logged interaction naming both counts as a contact, whatever its kind.
    """
    dates: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    for item in ws.interactions.values():
        for owner in item.owners:
            for person in item.persons:
                dates[(owner, person)].append(item.date)
    for items in dates.values():
        items.sort()
    return dict(dates)


def history(
    rel: Relationship, assessments: Sequence[Assessment], until: dt.date | None = None
) -> list[Snapshot]:
    """The snapshots of one relationship: its own scores, then one per assessment.

    Each snapshot carries the scores in force after that assessment (left-out
    dimensions carry over). ``until`` drops assessments after that day. O(A).
    """
    scores = rel.scores()
    level = rel.level
    out = [Snapshot(rel.since, dict(scores), level, None, rel.source)]
    for item in assessments:
        if until is not None and item.date > until:
            break
        scores = {**scores, **item.given_scores()}
        level = item.level or level
        out.append(Snapshot(item.date, dict(scores), level, item.id, item.source))
    return out


def relationship_on(
    rel: Relationship,
    day: dt.date,
    assessments: Sequence[Assessment] = (),
    contacts: Sequence[dt.date] = (),
) -> Relationship:
    """The relationship as it stood on ``day``.

    Definition
    ----------
    Scores and stated level: the record's own, overlaid in date order by every
    assessment dated on or before ``day``. Last contact: the later of the record's
    ``last_contact`` and the latest logged contact on or before ``day``. Returns the
    record itself when nothing applies. O(A + log C).

    Examples
    --------
    A contact logged ten days after the record's own ``last_contact`` counts from
    the day it happened, and not before:

    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> ws = sample_workspace()
    >>> rel = ws.relationships["chen~li"]
    >>> later = SAMPLE_DAY + dt.timedelta(days=10)
    >>> relationship_on(rel, later, contacts=[later]).last_contact
    datetime.date(2026, 12, 11)
    >>> relationship_on(rel, SAMPLE_DAY, contacts=[later]).last_contact
    datetime.date(2026, 12, 1)
    """
    update: dict = {}
    if assessments:
        snapshot = history(rel, assessments, until=day)[-1]
        if snapshot.assessment is not None:
            update.update(snapshot.scores)
            update["level"] = snapshot.level
    if contacts:
        index = bisect.bisect_right(contacts, day)
        if index:
            logged = contacts[index - 1]
            if rel.last_contact is None or logged > rel.last_contact:
                update["last_contact"] = logged
    return rel.model_copy(update=update) if update else rel


def organisation_on(org: Organisation, day: dt.date) -> Organisation:
    """The organisation with its ``parent`` and ``guided_by`` of ``day`` in plain form."""
    if not is_dated(org.parent) and not is_dated(org.guided_by):
        return org
    return org.model_copy(update={"parent": org.parent_on(day), "guided_by": org.guided_by_on(day)})


def post_on(post: Post, day: dt.date) -> Post:
    """The post with its ``reports_to`` and ``oversees`` of ``day`` in plain form.

    Examples
    --------
    >>> from stakegraph.records.periods import OrgPeriod
    >>> post = Post(id="vm", org="gov", title="副市长", grade=6,
    ...             oversees=["edu", OrgPeriod(org="data", start=dt.date(2026, 6, 1))])
    >>> post_on(post, dt.date(2026, 5, 31)).oversees, post_on(post, dt.date(2026, 6, 1)).oversees
    (['edu'], ['edu', 'data'])
    """
    if not is_dated(post.reports_to) and not is_dated(post.oversees):
        return post
    return post.model_copy(
        update={"reports_to": post.reports_to_on(day), "oversees": post.oversees_on(day)}
    )


def person_on(person: Person, day: dt.date) -> Person:
    """The person with ``name`` the name in force on ``day`` (dated names kept)."""
    name = person.name_on(day)
    return person if name == person.name else person.model_copy(update={"name": name})


def _dated_records(ws: Workspace, day: dt.date) -> dict[str, dict[str, Record]]:
    """The collections whose records change on ``day``, each record as of that day."""
    out: dict[str, dict[str, Record]] = {}
    if any(is_dated(o.parent) or is_dated(o.guided_by) for o in ws.organisations.values()):
        out["organisations"] = {i: organisation_on(o, day) for i, o in ws.organisations.items()}
    if any(is_dated(p.reports_to) or is_dated(p.oversees) for p in ws.posts.values()):
        out["posts"] = {i: post_on(p, day) for i, p in ws.posts.items()}
    if any(p.names for p in ws.persons.values()):
        out["persons"] = {i: person_on(p, day) for i, p in ws.persons.items()}
    return out


def structure_on(ws: Workspace, day: dt.date) -> Workspace:
    """``ws`` with only its dated structure and names resolved to ``day``.

    Relationships and ties are left as they are (see :func:`workspace_on` for the
    whole view of a day). Returns ``ws`` itself when nothing is dated. O(O + P + N).
    """
    dated = _dated_records(ws, day)
    return _view(ws, dated) if dated else ws


def _view(ws: Workspace, replaced: dict[str, dict[str, Record]]) -> Workspace:
    view = Workspace(ws.settings, ws.name)
    view.settings_text = ws.settings_text
    # still-pending collections of a workspace read from the cache stay pending
    records = ws.records
    view.records = (
        records.shared(replaced)
        if isinstance(records, RecordCollections)
        else {**records, **replaced}
    )
    view.locations = ws.locations
    view.invalid_ids = ws.invalid_ids
    view._holders = ws._holders
    view._lifetimes = ws._lifetimes
    return view


def workspace_view(ws: Workspace, replaced: dict[str, dict[str, Record]]) -> Workspace:
    """A view of ``ws`` with the collections in ``replaced`` swapped, every other shared.

    Nothing is copied: a relation filter keeps some ties this way, as the as-of view
    keeps the records of a day. O(number of collections).
    """
    return _view(ws, replaced)


def workspace_on(ws: Workspace, day: dt.date, future_ties: bool | None = None) -> Workspace:
    """A view of ``ws`` on ``day`` for the analyses (the files are not touched).

    Relationships and ties whose ``since`` is after ``day`` did not exist yet and
    are left out; the others are as :func:`relationship_on` says. Dated structure
    is resolved to the plain form of the day (:func:`post_on`,
    :func:`organisation_on`: the reporting lines, oversight (分管), parents and
    guidance in force), and each person carries the name in force that day
    (:func:`person_on`), so views show it. Every other collection is shared with
    ``ws``, not copied; so are the ties when none starts after ``day``.
    O(R + T + A + Σ interaction owners × persons + O + P + N).

    ``future_ties`` says whether a tie starts after ``day``, when the caller already
    knows (the cached network does): the ties are then not read at all when none does.
    """
    assessments = assessments_by_pair(ws) if ws.assessments else {}
    contacts = contact_dates(ws) if ws.interactions else {}
    if future_ties is None:
        future_ties = any(t.since and t.since > day for t in ws.ties.values())
    future = future_ties or any(r.since and r.since > day for r in ws.relationships.values())
    dated = _dated_records(ws, day)
    if not assessments and not contacts and not future and not dated:
        return ws
    view = _view(ws, dated)
    view.records["relationships"] = {
        rid: relationship_on(
            rel,
            day,
            assessments.get((rel.owner, rel.person), ()),
            contacts.get((rel.owner, rel.person), ()),
        )
        for rid, rel in ws.relationships.items()
        if not (rel.since and rel.since > day)
    }
    if future_ties:
        view.records["ties"] = {
            tid: tie for tid, tie in ws.ties.items() if not (tie.since and tie.since > day)
        }
    return view


def scores_of(snapshot: Snapshot) -> list[float]:
    """The six scores of a snapshot in the fixed dimension order."""
    return [snapshot.scores[d] for d in SCORE_DIMENSIONS]
