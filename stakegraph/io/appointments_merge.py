"""Merging appointment rows into a workspace: which records are new, which changed.

Matching (so a re-run reuses every record it made)
--------------------------------------------------
* Organisation: by ``org_id`` when the row gives one, else by name (or alias).
* Post: by ``post_id``, else by organisation and title (or alias).
* Person: by ``person_id``, else by any of their names (dated names included) or
  aliases. Rows naming the same
  person without an id are one person, whatever the organisation: a minister
  moving to another ministry stays one official. When the workspace holds
  several persons of that name, the one holding a post in an organisation of
  the rows is taken; otherwise the row asks for a person id.
* Tenure: the person's tenure of the same post that starts on the same day or
  overlaps the row's period.

New ids are readable slugs (:mod:`stakegraph.records.naming`): ``liu-dehua`` for
刘德华, ``wai-jiao-bu`` for 外交部, ``wai-jiao-bu~bu-zhang`` for its 部长; a
numeric suffix (``-2``) only when the id is taken by another record.

What the file says wins for what it has columns for: a tenure's end, title and
acting flag, a post's grade, an organisation's kind, level and region, a
person's year of birth. Records and tenures the file does not mention are kept
as they are; nothing is deleted.

Seats: a post gets as many seats as the most holders it has at once, counting
neither handover overlaps (a successor starting at most ``[structure]
handover_days`` before the predecessor leaves, which ``check`` lists as
warnings), nor tenures on leave, nor acting holders (主持工作: acting beside a
holder is an error the check reports, not a reason for a second seat). A
post's seats are never lowered.
"""

from __future__ import annotations

import datetime as dt
from collections import ChainMap, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from stakegraph.errors import WARNING, Location, Problem
from stakegraph.io.appointments import Appointment, AppointmentTable
from stakegraph.io.popolo import max_overlap, without_handovers
from stakegraph.records.model import Organisation, Person, Post, Record, Tenure
from stakegraph.records.naming import person_slug, text_slug
from stakegraph.records.workspace import RawRecord, Workspace

#: Kinds of record a change summary counts, in the order it prints them.
KINDS = ("organisation", "post", "person", "tenure", "tie")


@dataclass(frozen=True)
class Change:
    """One record added, changed or removed; ``fields`` names what changed."""

    kind: str
    action: str
    id: str
    fields: tuple[str, ...] = ()
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "action": self.action,
            "id": self.id,
            "fields": list(self.fields),
            "detail": self.detail,
        }


@dataclass
class Merge:
    """The workspace with the rows merged in, what changed, and the problems found."""

    workspace: Workspace
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    collections: set[str] = field(default_factory=set)


def _open(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    return start or dt.date.min, end or dt.date.max


def _overlap(
    a: tuple[dt.date | None, dt.date | None], b: tuple[dt.date | None, dt.date | None]
) -> bool:
    (a0, a1), (b0, b1) = _open(*a), _open(*b)
    return a0 < b1 and b0 < a1


def shallow_copy(workspace: Workspace) -> Workspace:
    """A workspace sharing the records of ``workspace`` (records are replaced, never
    changed in place, so the original stays as it was)."""
    other = Workspace(workspace.settings, workspace.name)
    other.records = {c: dict(r) for c, r in workspace.records.items()}
    other.locations = dict(workspace.locations)
    other.settings_text = workspace.settings_text
    return other


class _Merger:
    def __init__(self, workspace: Workspace, table: AppointmentTable, default_grade: Any) -> None:
        self.base = workspace
        self.ws = shallow_copy(workspace)
        self.table = table
        self.settings = workspace.settings
        self.default_grade = default_grade
        self.out = Merge(self.ws)
        self.changed: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.added: dict[tuple[str, str], Appointment] = {}
        self.org_of_row: list[str | None] = []
        self.post_of_row: list[str | None] = []
        self.person_of_row: list[str | None] = []
        self.pending_posts: dict[str, dict[str, Any]] = {}

    # --- helpers -------------------------------------------------------------------
    def problem(self, message: str, where: Location, hint: str) -> None:
        self.out.problems.append(Problem(message, where, hint=hint))

    def index(self, collection: str, key: Any) -> dict[Any, list[str]]:
        found: dict[Any, list[str]] = defaultdict(list)
        for record in self.ws.records[collection].values():
            for name in key(record):
                found[name].append(record.id)
        return found

    def put(self, record: Record, row: Appointment | None, fields: set[str]) -> None:
        key = (record.collection, record.id)
        if record.id not in self.base.records[record.collection]:
            if row is not None:
                self.added.setdefault(key, row)
        elif fields:
            self.changed[key] |= fields
        self.ws.records[record.collection][record.id] = record
        self.out.collections.add(record.collection)

    # --- organisations -------------------------------------------------------------
    def organisations(self) -> None:
        by_name = self.index("organisations", lambda o: [o.name, *o.aliases])
        resolved: dict[tuple[str, str], str] = {}
        for row in self.table.rows:
            if row.org_id is None and row.organisation is None:
                post = self.ws.posts.get(row.post_id or "")
                self.org_of_row.append(post.org if post else None)
                if post is None and row.post_id:
                    self.problem(
                        f"post '{row.post_id}' is not in the workspace and the row names no "
                        "organisation.",
                        row.at("post_id"),
                        "fill in the organisation, or correct the post id.",
                    )
                continue
            key = ("id", row.org_id) if row.org_id else ("name", row.organisation or "")
            org_id = resolved.get(key)
            if org_id is None:
                org_id = self.find_org(row, by_name)
                if org_id is None:
                    self.org_of_row.append(None)
                    continue
                resolved[key] = org_id
            self.org_of_row.append(org_id)
            self.update_org(org_id, row)

    def find_org(self, row: Appointment, by_name: dict[Any, list[str]]) -> str | None:
        orgs = self.ws.organisations
        if row.org_id is not None:
            if row.org_id in orgs:
                return row.org_id
            name = row.organisation or row.org_id
            new_id = row.org_id
        else:
            name = row.organisation or ""
            found = by_name.get(name, [])
            if len(found) > 1:
                self.problem(
                    f"the workspace has several organisations named {name!r} ({', '.join(found)}).",
                    row.at("organisation"),
                    "add an org id column naming which one is meant.",
                )
                return None
            if found:
                return found[0]
            new_id = _free_id(text_slug(name) or "org", orgs)
        org = Organisation.model_validate(
            {"id": new_id, "name": name}, context={"settings": self.settings}
        )
        self.put(org, row, set())
        by_name[name].append(new_id)
        return new_id

    def update_org(self, org_id: str, row: Appointment) -> None:
        org = self.ws.organisations[org_id]
        update: dict[str, Any] = {}
        if row.org_kind is not None and org.kind.value != row.org_kind:
            update["kind"] = row.org_kind
        if row.level is not None and (org.level is None or org.level.value != row.level):
            update["level"] = row.level
        if row.region is not None and org.region != row.region:
            update["region"] = row.region
        renamed = row.organisation and org.name != row.organisation
        if row.org_id and renamed and row.organisation not in org.aliases:
            update["name"] = row.organisation
        if update:
            data = {**org.model_dump(exclude_defaults=True), **update}
            new = Organisation.model_validate(data, context={"settings": self.settings})
            self.put(new, row, set(update))

    # --- posts ---------------------------------------------------------------------
    def posts(self) -> None:
        by_title = self.index("posts", lambda p: [(p.org, t) for t in (p.title, *p.aliases)])
        resolved: dict[tuple[str, ...], str] = {}
        rows_of: dict[str, list[Appointment]] = defaultdict(list)
        for row, org_id in zip(self.table.rows, self.org_of_row, strict=True):
            post_id = self.find_post(row, org_id, by_title, resolved)
            self.post_of_row.append(post_id)
            if post_id is not None:
                rows_of[post_id].append(row)
        for post_id, rows in rows_of.items():
            self.grade_post(post_id, rows)

    def find_post(
        self,
        row: Appointment,
        org_id: str | None,
        by_title: dict[Any, list[str]],
        resolved: dict[tuple[str, ...], str],
    ) -> str | None:
        posts = self.ws.posts
        if row.post_id is not None:
            post = posts.get(row.post_id)
            if post is not None:
                if org_id is not None and post.org != org_id:
                    self.problem(
                        f"post '{post.id}' belongs to organisation '{post.org}', not '{org_id}'.",
                        row.at("post_id"),
                        "correct the post id or the organisation.",
                    )
                    return None
                return post.id
            key: tuple[str, ...] = ("id", row.post_id)
        else:
            key = (org_id or "", row.post or "")
        if org_id is None:
            return None  # its organisation was reported
        if key in resolved:
            return resolved[key]
        title = row.post or row.post_id or ""
        found = by_title.get((org_id, title), []) if row.post_id is None else []
        if found:
            resolved[key] = found[0]
            return found[0]
        taken: ChainMap[str, object] = ChainMap(posts, self.pending_posts)  # type: ignore[arg-type]
        new_id = row.post_id or _free_id(f"{org_id}~{text_slug(title) or 'post'}", taken)
        resolved[key] = new_id
        # made by grade_post, once every row of the post is known
        self.pending_posts[new_id] = {"id": new_id, "org": org_id, "title": title}
        by_title[(org_id, title)].append(new_id)
        return new_id

    def grade_post(self, post_id: str, rows: list[Appointment]) -> None:
        grades = [r.grade for r in rows if r.grade is not None]
        pending = self.pending_posts.pop(post_id, None)
        if grades:
            grade: Any = max(grades)
        elif pending is None:
            return
        elif self.default_grade is not None:
            grade = self.default_grade
        else:
            low, high = self.settings.grade_range()
            self.problem(
                f"post '{pending['title']}' of '{pending['org']}' has no rank in any of its rows.",
                rows[0].at("rank"),
                f"give its rank (a grade such as 正处, or a number {low}–{high}) in a rank "
                "(职级) column, or a default grade (--default-grade, or [defaults] grade "
                "in the mapping).",
            )
            grade = low
        if pending is None:
            post = self.ws.posts[post_id]
            data = {**post.model_dump(exclude_defaults=True), "grade": grade}
        else:
            data = {**pending, "grade": grade}
        try:
            record = Post.model_validate(data, context={"settings": self.settings})
        except ValidationError as exc:  # a default grade off the scale
            reason = exc.errors()[0].get("msg", str(exc)).removeprefix("Value error, ")
            self.problem(
                f"post '{post_id}': {reason}.",
                rows[0].at("rank"),
                "give a grade name of the workspace's scale or a number within it.",
            )
            return
        if pending is not None or record.grade != self.ws.posts[post_id].grade:
            self.put(record, rows[0], set() if pending is not None else {"grade"})

    # --- persons -------------------------------------------------------------------
    def persons(self) -> None:
        by_name = self.index("persons", lambda p: p.every_name())  # dated names too
        keyed: dict[tuple[str, str], list[int]] = defaultdict(list)
        for number, row in enumerate(self.table.rows):
            if row.person_id is None and row.person is None:
                continue
            key = ("id", row.person_id) if row.person_id else ("name", row.person or "")
            keyed[key].append(number)
        self.person_of_row = [None] * len(self.table.rows)
        for key, numbers in keyed.items():
            rows = [self.table.rows[n] for n in numbers]
            person_id = self.find_person(key, rows, numbers, by_name)
            for n in numbers:
                self.person_of_row[n] = person_id

    def find_person(
        self,
        key: tuple[str, str],
        rows: list[Appointment],
        numbers: list[int],
        by_name: dict[Any, list[str]],
    ) -> str | None:
        persons = self.ws.persons
        first = rows[0]
        if key[0] == "id":
            if key[1] in persons:
                return key[1]
            new_id = key[1]
            name = first.person or key[1]
        else:
            name = key[1]
            found = by_name.get(name, [])
            if len(found) > 1:
                orgs = {self.org_of_row[n] for n in numbers}
                held = [
                    pid
                    for pid in found
                    if any(self.org_of_post(t.post) in orgs for t in persons[pid].tenures)
                ]
                if len(held) != 1:
                    self.problem(
                        f"the workspace has several persons named {name!r} ({', '.join(found)}).",
                        first.at("person"),
                        "add a person id column naming which one is meant.",
                    )
                    return None
                found = held
            if found:
                return found[0]
            new_id = _free_id(person_slug(name) or "person", persons)
        person = Person.model_validate({"id": new_id, "name": name})
        self.put(person, first, set())
        by_name[name].append(new_id)
        return new_id

    def org_of_post(self, post_id: str) -> str | None:
        post = self.ws.posts.get(post_id)
        return post.org if post else None

    # --- tenures and person fields -----------------------------------------------------
    def tenures(self) -> None:
        by_person: dict[str, list[tuple[Appointment, str]]] = defaultdict(list)
        for row, post_id, person_id in zip(
            self.table.rows, self.post_of_row, self.person_of_row, strict=True
        ):
            if post_id is not None and person_id is not None:
                by_person[person_id].append((row, post_id))
        given = self.table.given
        for person_id, items in by_person.items():
            items = self.without_contradictions(items)
            person = self.ws.persons[person_id]
            tenures = list(person.tenures)
            fields: set[str] = set()
            matched: set[int] = set()
            added: list[tuple[Tenure, Appointment]] = []
            for row, post_id in items:
                tenure = self.tenure(row, post_id, given)
                index = _match(tenures, tenure, matched)
                if index is None:
                    added.append((tenure, row))
                    continue
                matched.add(index)
                new = _merged(tenures[index], tenure, given)
                if new != tenures[index]:
                    tenures[index] = new
                    fields.add("tenures")
                    self.out.changes.append(
                        Change(
                            "tenure",
                            "changed",
                            f"{person_id}~{post_id}~{tenure.start}",
                            tuple(_differences(person.tenures[index], new)),
                            f"row {row.row}",
                        )
                    )
            added.sort(key=lambda item: (item[0].start or dt.date.min, item[0].post))
            where = self.ws.locations.get(("persons", person_id))
            locations = dict(where.field_locations) if where else {}
            for tenure, row in added:
                locations[("tenures", len(tenures))] = row.where
                tenures.append(tenure)
                if ("persons", person_id) not in self.added:
                    fields.add("tenures")
                self.out.changes.append(
                    Change(
                        "tenure",
                        "added",
                        f"{person_id}~{tenure.post}~{tenure.start}",
                        (),
                        f"row {row.row}",
                    )
                )
            update = self.person_fields(person, [r for r, _ in items], fields)
            if not fields and ("persons", person_id) not in self.added:
                continue
            new_person = person.model_copy(update={"tenures": tenures, **update})
            self.put(new_person, items[0][0] if items else None, fields)
            location = where.location if where else (items[0][0].where if items else None)
            if location is not None:
                self.ws.locations[("persons", person_id)] = RawRecord(
                    "persons", {}, location, locations
                )

    def tenure(self, row: Appointment, post_id: str, given: set[str]) -> Tenure:
        return Tenure(
            post=post_id,
            start=row.start,
            end=row.end,
            title=row.title,
            acting=bool(row.acting),
            concurrent=bool(row.concurrent),
        )

    def without_contradictions(
        self, items: list[tuple[Appointment, str]]
    ) -> list[tuple[Appointment, str]]:
        """Rows of one person, exact repeats dropped; two rows giving the same post for
        overlapping periods are reported."""
        kept: list[tuple[Appointment, str]] = []
        by_post: dict[str, list[Appointment]] = defaultdict(list)
        for row, post_id in items:
            by_post[post_id].append(row)
        for post_id, rows in by_post.items():
            rows.sort(key=lambda r: (r.start or dt.date.min, r.row))
            latest: Appointment | None = None
            for row in rows:
                if latest is not None and _overlap(
                    (latest.start, latest.end), (row.start, row.end)
                ):
                    if _same_tenure(latest, row):
                        self.out.notes.append(
                            Problem(f"repeats row {latest.row}; read once.", row.where)
                        )
                        continue
                    self.problem(
                        f"contradicts row {latest.row}: both give {row.person or row.person_id} "
                        f"the post {row.post or post_id} for overlapping periods "
                        f"({_period(latest)} and {_period(row)}).",
                        row.where,
                        "correct the dates, or remove one of the rows.",
                    )
                    continue
                kept.append((row, post_id))
                if (
                    latest is None
                    or _open(latest.start, latest.end)[1] < _open(row.start, row.end)[1]
                ):
                    latest = row
        return kept

    def person_fields(
        self, person: Person, rows: list[Appointment], fields: set[str]
    ) -> dict[str, Any]:
        update: dict[str, Any] = {}
        born = {r.born for r in rows if r.born is not None}
        if len(born) > 1:
            with_born = [r for r in rows if r.born is not None]
            self.problem(
                f"contradicts row {with_born[0].row}: year of birth "
                f"{sorted(born)[1]} against {sorted(born)[0]} for the same person.",
                next(r for r in with_born if r.born != with_born[0].born).at("born"),
                "correct the year, or give the two persons ids of their own.",
            )
        elif born and person.born != next(iter(born)):
            update["born"] = next(iter(born))
        tags = list(person.tags)
        for row in rows:
            for name in ("hometown", "school"):
                value = getattr(row, name)
                if value and f"{name}:{value}" not in tags:
                    tags.append(f"{name}:{value}")
        if tags != person.tags:
            update["tags"] = tags
        fields |= set(update)
        return update

    # --- seats ---------------------------------------------------------------------
    def seats(self) -> None:
        first_row: dict[str, Appointment] = {}
        for row, post_id in zip(self.table.rows, self.post_of_row, strict=True):
            if post_id is not None:
                first_row.setdefault(post_id, row)
        touched = set(first_row)
        spans: dict[str, list[tuple[dt.date | None, dt.date | None]]] = defaultdict(list)
        for person in self.ws.persons.values():
            for tenure in person.tenures:
                if tenure.post in touched and not (tenure.on_leave or tenure.acting):
                    spans[tenure.post].append((tenure.start, tenure.end))
        limit = self.settings.structure.handover_days
        for post_id in sorted(touched):
            post = self.ws.posts[post_id]
            most = _most_holders(spans.get(post_id, []), limit)
            if most > post.seats:
                new = post.model_copy(update={"seats": most})
                self.put(new, None, {"seats"})
                self.out.notes.append(
                    Problem(
                        f"has {most} holders at once (handovers and acting holders not "
                        f"counted); given {most} seats.",
                        first_row[post_id].at("post"),
                        "post",
                        post_id,
                        severity=WARNING,
                    )
                )

    def run(self) -> Merge:
        self.organisations()
        self.posts()
        self.persons()
        if not self.out.problems:
            self.tenures()
            self.seats()
        for key, row in self.added.items():
            self.out.changes.append(Change(_noun(key[0]), "added", key[1], (), f"row {row.row}"))
            if key not in self.ws.locations:
                self.ws.locations[key] = RawRecord(key[0], {}, row.where, {})
        for key, fields in self.changed.items():
            if key in self.added:
                continue
            self.out.changes.append(Change(_noun(key[0]), "changed", key[1], tuple(sorted(fields))))
        self.out.changes.sort(key=lambda c: (KINDS.index(c.kind), c.action, c.id))
        return self.out


def _free_id(base: str, taken: Mapping[str, object]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever no record of ``taken`` has."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _most_holders(spans: list[tuple[dt.date | None, dt.date | None]], limit: int) -> int:
    """The most holders at once, handovers not counted; one quick pass when none overlap."""
    ordered = sorted(spans, key=lambda span: span[0] or dt.date.min)
    latest = dt.date.min
    for start, end in ordered:
        if (start or dt.date.min) < latest:
            return max_overlap(without_handovers(spans, limit))
        latest = max(latest, end or dt.date.max)
    return min(1, len(spans)) or 1


def _noun(collection: str) -> str:
    return {"organisations": "organisation", "posts": "post", "persons": "person"}[collection]


def _period(row: Appointment) -> str:
    return f"{row.start or '…'} – {row.end or '…'}"


def _same_tenure(a: Appointment, b: Appointment) -> bool:
    keys = ("start", "end", "title", "acting", "concurrent")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


def _match(tenures: list[Tenure], tenure: Tenure, matched: set[int]) -> int | None:
    """The index of the tenure ``tenure`` updates: same post, same start, else overlapping."""
    overlapping = None
    for index, old in enumerate(tenures):
        if index in matched or old.post != tenure.post:
            continue
        if old.start == tenure.start:
            return index
        if overlapping is None and _overlap((old.start, old.end), (tenure.start, tenure.end)):
            overlapping = index
    return overlapping


#: Tenure fields and the table field whose column gives them.
_TENURE_COLUMNS = {
    "start": "start",
    "end": "end",
    "title": "title",
    "acting": "acting",
    "concurrent": "concurrent",
}


def _merged(old: Tenure, new: Tenure, given: set[str]) -> Tenure:
    """``old`` with what the file gives for it (fields without a column stay)."""
    update = {
        name: getattr(new, name)
        for name, column in _TENURE_COLUMNS.items()
        if column in given and getattr(new, name) != getattr(old, name)
    }
    return old.model_copy(update=update) if update else old


def _differences(old: Tenure, new: Tenure) -> list[str]:
    return [name for name in _TENURE_COLUMNS if getattr(old, name) != getattr(new, name)]


def merge_appointments(
    workspace: Workspace, table: AppointmentTable, default_grade: int | str | None = None
) -> Merge:
    """Merge the rows of ``table`` into a copy of ``workspace`` (see the module).

    Parameters
    ----------
    workspace : the workspace as it is (not changed).
    table : the rows read by :func:`~stakegraph.io.appointments.read_appointments`.
    default_grade : the grade of new posts whose rows give no rank.

    Returns
    -------
    Merge
        The merged workspace (not yet validated as a whole), the changes, the
        problems of rows (located; when there are any the workspace is not to be
        written) and notes.

    Notes
    -----
    Cost: O(rows + records) with dictionary look-ups, plus sorting each
    person's rows and each post's tenures.
    """
    return _Merger(workspace, table, default_grade).run()


__all__ = ["KINDS", "Change", "Merge", "merge_appointments", "shallow_copy"]
