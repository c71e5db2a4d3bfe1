"""Popolo JSON import and export: organisations, posts, persons and their tenures.

`Popolo <https://www.popoloproject.com/specs/>`_ is the open format many public
directories of officials use. It has four collections that stakegraph shares:

==============  ================  ==============================================
Popolo          stakegraph        mapping
==============  ================  ==============================================
organizations   organisations     ``classification`` = kind, ``parent_id`` = parent
                                  (a dated parent: see below), ``other_names`` = aliases
posts           posts             ``label`` = title, ``organization_id`` = org,
                                  ``other_label`` = aliases
persons         persons           ``other_names`` = aliases, and dated names with
                                  ``start_date``/``end_date``; ``birth_date`` = born
memberships     Person.tenures    ``person_id``, ``post_id``, ``organization_id``,
                                  ``start_date``, ``end_date``
==============  ================  ==============================================

Every other field of these records is kept under a namespaced key
(``"stakegraph:grade"``, ``"stakegraph:reports_to"``, ``"stakegraph:background"``,
``"stakegraph:tags"``, ...), which Popolo consumers ignore, so
``from_popolo(to_popolo(ws))`` gives back the same organisations, posts and persons.
Only that part round-trips: owners, relationships, ties, opportunities,
interactions and surveys have no Popolo form and are not written.

Choices
-------
* ``birth_date``: stakegraph keeps the birth year only, so it is written as a
  reduced-precision Popolo date (``"1967"``); a full date read in keeps its year.
* ``end_date`` is the day the person left the post, as a tenure's ``end``: both
  read "the date on which the relationship ended", so dates are copied as they are.
  Reduced-precision membership dates (``"2021"``, ``"2021-06"``) are read as the
  first day of that year or month, with a note.
* Grades: Popolo has none. A post's grade is read from ``"stakegraph:grade"``
  (a grade name such as ``正处`` or a number). A post without one takes
  ``default_grade`` when given; otherwise it is reported as a problem located by
  its JSON path (``$.posts[3]``), and nothing is imported. Public directories
  seldom carry grades, so pass ``default_grade`` (``--default-grade`` on the
  command line) to import one as it is and correct the grades afterwards.
* Seats: a post without ``"stakegraph:seats"`` gets as many seats as it has holders
  at the busiest moment (at least one), so a directory listing four deputy
  mayors on one post is valid. A handover overlap (a successor starting at most
  ``[structure] handover_days`` before the predecessor leaves) is not counted as a
  seat: it stays in the data and is reported as a warning of the workspace.
* Lifetimes: an organisation's ``founding_date`` and ``dissolution_date`` and a
  post's ``start_date`` and ``end_date`` are its ``start`` and ``end`` (the end
  read, like a membership's, as the first day it no longer exists).
* Tenures: a membership's ``role`` is the tenure's ``title`` when the membership
  names a post; ``acting``, ``concurrent`` and ``on_leave`` are namespaced.
* Memberships without ``post_id`` (a seat in a body, as legislature directories
  write them) become a post of that organisation titled by the membership's
  ``role`` (or ``label``, else ``member``), shared by every membership with the
  same organisation and role; its id is ``<organization id>~<role>``.
* Ids are kept when they are valid stakegraph ids (no spaces, ``/`` or ``:``).
  Others are made valid deterministically: each run of spaces, ``/`` and ``:``
  becomes ``-`` (``ocd-person/1f3a`` → ``ocd-person-1f3a``); a clash gets
  ``-2``, ``-3``, ... in file order; every change is noted.
* Dated structure and names: see :mod:`stakegraph.io.popolo_periods`.
* Fields and collections stakegraph does not use (``email``, ``contact_details``,
  ``areas``, ...) are ignored, with one note per field naming where it was first
  seen and how often.

Notes are collected in the ``notes`` list given to :func:`from_popolo` (or
:func:`read_popolo`) as :class:`~stakegraph.errors.Problem` objects; problems that
stop the import raise :class:`~stakegraph.errors.WorkspaceInvalid`, each located
by file and JSON path.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from stakegraph.config import DEFAULT_SETTINGS, Settings
from stakegraph.errors import Location, Problem, StakegraphError
from stakegraph.io import popolo_periods as dated
from stakegraph.io.atomic import write_file_atomically
from stakegraph.records.model import ID_PATTERN, Organisation, OrgKind, Person, Post
from stakegraph.records.naming import text_slug
from stakegraph.records.periods import is_dated
from stakegraph.records.workspace import RawRecord, Workspace, build_workspace

NAMESPACE = "stakegraph:"

# Popolo field → stakegraph field, per collection (the rest goes under NAMESPACE).
_ORG_FIELDS = {"id": "id", "name": "name", "classification": "kind", "parent_id": "parent"}
_POST_FIELDS = {"id": "id", "label": "title", "organization_id": "org"}
_PERSON_FIELDS = {"id": "id", "name": "name"}
# Popolo fields read in some other way (aliases, dates, name parts).
_ORG_KNOWN = {*_ORG_FIELDS, "other_names", "founding_date", "dissolution_date"}
_POST_KNOWN = {*_POST_FIELDS, "other_label", "start_date", "end_date"}
_PERSON_KNOWN = {*_PERSON_FIELDS, "other_names", "birth_date", "given_name", "family_name"}
_MEMBERSHIP_KNOWN = {
    "id",
    "person_id",
    "post_id",
    "organization_id",
    "start_date",
    "end_date",
    "role",
    "label",
}
#: Tenure fields a membership carries under the namespace.
_TENURE_FLAGS = ("acting", "concurrent", "on_leave")
_COLLECTIONS = ("organizations", "posts", "persons", "memberships")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


# --- export ------------------------------------------------------------------------------
def to_popolo(workspace: Workspace) -> dict[str, Any]:
    """The organisations, posts and persons of a workspace as a Popolo document.

    Tenures become memberships (``person_id``, ``post_id``, the post's
    ``organization_id``, ``start_date``, ``end_date``). Stakegraph fields without a
    Popolo counterpart are written under ``"stakegraph:<field>"``.
    """
    settings = workspace.settings
    organizations = []
    for org in workspace.organisations.values():
        item: dict[str, Any] = {"id": org.id, "name": org.name, "classification": org.kind.value}
        if isinstance(org.parent, str):
            item["parent_id"] = org.parent
        if org.aliases:
            item["other_names"] = [{"name": a} for a in org.aliases]
        _dates(item, org.start, org.end, "founding_date", "dissolution_date")
        item.update(_extras(org, {"id", "name", "kind", "parent", "aliases", "start", "end"}))
        _dated_extras(item, org, ("parent", "guided_by"))
        organizations.append(item)
    posts = []
    for post in workspace.posts.values():
        item = {"id": post.id, "label": post.title, "organization_id": post.org}
        if post.aliases:
            item["other_label"] = list(post.aliases)
        _dates(item, post.start, post.end, "start_date", "end_date")
        item[NAMESPACE + "grade"] = settings.grade_name(post.grade) or post.grade
        item.update(_extras(post, {"id", "title", "org", "aliases", "grade", "start", "end"}))
        _dated_extras(item, post, ("reports_to", "oversees"))
        posts.append(item)
    persons, memberships = [], []
    for person in workspace.persons.values():
        item = {"id": person.id, "name": person.name}
        if person.aliases or person.names:
            item["other_names"] = dated.other_names(person.aliases, person.names)
        if person.born is not None:
            item["birth_date"] = f"{person.born:04d}"
        item.update(_extras(person, {"id", "name", "aliases", "names", "born", "tenures"}))
        persons.append(item)
        for order, tenure in enumerate(person.tenures):
            membership: dict[str, Any] = {
                "id": f"{person.id}~{tenure.post}~{order}",
                "person_id": person.id,
                "post_id": tenure.post,
            }
            held = workspace.posts.get(tenure.post)
            if held is not None:
                membership["organization_id"] = held.org
            _dates(membership, tenure.start, tenure.end, "start_date", "end_date")
            if tenure.title:
                membership["role"] = tenure.title
            membership.update(_extras(tenure, {"post", "start", "end", "title"}))
            memberships.append(membership)
    return {
        "organizations": organizations,
        "posts": posts,
        "persons": persons,
        "memberships": memberships,
    }


def _dates(
    item: dict[str, Any], start: dt.date | None, end: dt.date | None, first: str, last: str
) -> None:
    if start:
        item[first] = start.isoformat()
    if end:
        item[last] = end.isoformat()


def _dated_extras(item: dict[str, Any], record: Any, fields: tuple[str, ...]) -> None:
    """Dated structural fields under their namespaced keys, with Popolo's date names."""
    for field in fields:
        if is_dated(getattr(record, field)):
            item[NAMESPACE + field] = dated.dated_export(getattr(record, field))


def _extras(record: Any, mapped: set[str]) -> dict[str, Any]:
    data = record.model_dump(mode="json", exclude_defaults=True, exclude=mapped)
    return {NAMESPACE + k: v for k, v in data.items() if v is not None}


def write_popolo(workspace: Workspace, path: Path | str) -> Path:
    """Write :func:`to_popolo` as a UTF-8 JSON file; all or nothing."""
    text = json.dumps(to_popolo(workspace), ensure_ascii=False, indent=2) + "\n"
    return write_file_atomically(Path(path), text.encode("utf-8"))


# --- import ------------------------------------------------------------------------------
def read_popolo(
    path: Path | str,
    settings: Settings | None = None,
    *,
    default_grade: int | str | None = None,
    notes: list[Problem] | None = None,
) -> Workspace:
    """Read a Popolo JSON file into a validated workspace (see :func:`from_popolo`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise StakegraphError(f"{path}: cannot be read: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise StakegraphError(f"{path}: is not UTF-8 text; save it as UTF-8 JSON.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StakegraphError(
            f"{path}:{exc.lineno}: not valid JSON ({exc.msg}, column {exc.colno})."
        ) from None
    workspace = from_popolo(
        data, settings, default_grade=default_grade, notes=notes, source=path.name
    )
    workspace.name = path.stem
    return workspace


def from_popolo(
    data: Any,
    settings: Settings | None = None,
    *,
    default_grade: int | str | None = None,
    notes: list[Problem] | None = None,
    source: str = "popolo",
) -> Workspace:
    """Build a workspace from a Popolo document (organizations, posts, persons, memberships).

    Parameters
    ----------
    data : dict
        The parsed JSON document.
    settings : Settings, optional
        The scale grade names are read with (defaults to stakegraph's own).
    default_grade : int or str, optional
        The grade of posts that carry no ``"stakegraph:grade"``. Without it such
        posts are reported as problems.
    notes : list, optional
        Receives a :class:`~stakegraph.errors.Problem` for every field ignored, id
        changed or value adjusted; none of them stops the import.
    source : str
        The file name used in locations.

    Raises
    ------
    WorkspaceInvalid
        Listing every problem, each located by ``source`` and JSON path.
    """
    settings = settings or DEFAULT_SETTINGS
    reader = _PopoloReader(settings, source, default_grade)
    raws = reader.read(data)
    if notes is not None:
        notes.extend(reader.notes)
    workspace = build_workspace(raws, settings, name=source, extra_problems=reader.problems)
    return workspace


class _PopoloReader:
    """Turns a Popolo document into raw records, collecting notes and problems."""

    def __init__(self, settings: Settings, source: str, default_grade: int | str | None) -> None:
        self.settings = settings
        self.source = source
        self.default_grade = default_grade
        self.notes: list[Problem] = []
        self.problems: list[Problem] = []
        self.ids: dict[str, dict[str, str]] = {c: {} for c in _COLLECTIONS}
        self._ignored: dict[tuple[str, str], list[str]] = {}

    # --- helpers ---------------------------------------------------------------------
    def loc(self, path: str) -> Location:
        return Location(f"{self.source} at {path}")

    def problem(
        self,
        message: str,
        path: str,
        noun: str | None = None,
        record_id: str | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.problems.append(Problem(message, self.loc(path), noun, record_id, field, hint))

    def note(
        self, message: str, path: str, noun: str | None = None, record_id: str | None = None
    ) -> None:
        self.notes.append(Problem(message, self.loc(path), noun, record_id))

    def items(self, data: dict[str, Any], collection: str) -> list[tuple[str, dict[str, Any]]]:
        value = data.get(collection, [])
        if not isinstance(value, list):
            self.problem(f"'{collection}' must be a list of objects.", f"$.{collection}")
            return []
        out = []
        for index, item in enumerate(value):
            path = f"$.{collection}[{index}]"
            if isinstance(item, dict):
                out.append((path, item))
            else:
                self.problem("expected an object.", path)
        return out

    def ignore_unknown(
        self,
        item: dict[str, Any],
        known: set[str],
        collection: str,
        path: str,
        fields: Iterable[str] = (),
    ) -> None:
        allowed = {NAMESPACE + f for f in fields}
        for key in item:
            if key in known or key in allowed:
                continue
            self._ignored.setdefault((collection, key), []).append(f"{path}.{key}")

    def flush_ignored(self) -> None:
        for (collection, key), paths in self._ignored.items():
            more = f" and {len(paths) - 1} more" if len(paths) > 1 else ""
            self.note(
                f"field '{key}' of {collection} is not used by stakegraph and was ignored "
                f"(here{more}).",
                paths[0],
            )

    def record_id(self, collection: str, raw: Any, path: str, noun: str) -> str | None:
        """The stakegraph id for a Popolo id, made valid and unique; None when missing."""
        if not isinstance(raw, str | int) or isinstance(raw, bool) or not str(raw).strip():
            self.problem(
                "has no 'id'.",
                path,
                noun,
                None,
                "id",
                "give every record an 'id' so memberships can refer to it.",
            )
            return None
        original = str(raw).strip()
        ids = self.ids[collection]
        if original in ids:
            self.problem(
                f"duplicate id '{original}'.",
                f"{path}.id",
                noun,
                original,
                "id",
                "give each record its own id.",
            )
            return None
        candidate = slugify(original) or f"{noun}-{len(ids) + 1}"
        taken = set(ids.values())
        unique, n = candidate, 1
        while unique in taken:
            n += 1
            unique = f"{candidate}-{n}"
        if unique != original:
            self.note(
                f"id '{original}' is not a valid stakegraph id; it became '{unique}'.",
                f"{path}.id",
                noun,
                unique,
            )
        ids[original] = unique
        return unique

    def ref(self, collection: str, raw: Any) -> str | None:
        if raw is None:
            return None
        text = str(raw).strip()
        return self.ids[collection].get(text, slugify(text) or text)

    def org_ref(self, raw: Any) -> str | None:
        return self.ref("organizations", raw)

    def post_ref(self, raw: Any) -> str | None:
        return self.ref("posts", raw)

    def namespaced(
        self,
        item: dict[str, Any],
        fields: Iterable[str],
        path: str,
        data: dict[str, Any],
        field_locations: dict[tuple, Location],
    ) -> None:
        for field in fields:
            key = NAMESPACE + field
            if key in item:
                data[field] = item[key]
                field_locations[(field,)] = self.loc(f'{path}["{key}"]')

    def aliases(self, value: Any, path: str) -> list[str]:
        out = []
        for index, entry in enumerate(value if isinstance(value, list) else [value]):
            name = entry.get("name") if isinstance(entry, dict) else entry
            if isinstance(name, str) and name.strip():
                out.append(name.strip())
            else:
                self.note("an alias without a name was skipped.", f"{path}[{index}]")
        return out

    def date(self, value: Any, path: str) -> tuple[dt.date | None, bool]:
        """A Popolo date as a day; (None, False) when it cannot be read (a problem)."""
        if value in (None, ""):
            return None, True
        match = _PARTIAL_DATE.match(str(value).strip())
        if match:
            year, month, day = match.groups()
            try:
                day_ = dt.date(int(year), int(month or 1), int(day or 1))
            except ValueError:
                pass
            else:
                if day is None:
                    self.note(f"date '{value}' has no day; read as {day_.isoformat()}.", path)
                return day_, True
        self.problem(
            f"{value!r} is not a date.",
            path,
            None,
            None,
            None,
            "write dates as YYYY-MM-DD (or YYYY, YYYY-MM).",
        )
        return None, False

    # --- the collections ---------------------------------------------------------------
    def read(self, data: Any) -> list[RawRecord]:
        if not isinstance(data, dict):
            self.problem(
                "a Popolo document is a JSON object with 'persons', "
                "'organizations', 'posts' and 'memberships'.",
                "$",
            )
            return []
        for key in data:
            if key not in _COLLECTIONS:
                self.note(f"'{key}' is not used by stakegraph and was ignored.", f"$.{key}")
        orgs = self.items(data, "organizations")
        posts = self.items(data, "posts")
        persons = self.items(data, "persons")
        memberships = self.items(data, "memberships")
        # ids first, so references can follow renamed ids whatever the order
        org_ids = [
            (p, i, self.record_id("organizations", i.get("id"), p, "organisation")) for p, i in orgs
        ]
        post_ids = [(p, i, self.record_id("posts", i.get("id"), p, "post")) for p, i in posts]
        person_ids = [
            (p, i, self.record_id("persons", i.get("id"), p, "person")) for p, i in persons
        ]
        raws = [self.organisation(p, i, rid) for p, i, rid in org_ids if rid]
        tenures, made_posts = self.memberships(
            memberships, {rid for *_, rid in post_ids if rid is not None}
        )
        post_raws = [self.post(p, i, rid) for p, i, rid in post_ids if rid]
        raws += post_raws + made_posts
        person_raws = [
            self.person(p, i, rid, tenures.pop(rid, [])) for p, i, rid in person_ids if rid
        ]
        for person_id, items in tenures.items():
            for _, path in items:
                self.problem(
                    f"names person '{person_id}', who is not in 'persons'.",
                    f"{path}.person_id",
                    "membership",
                    None,
                    "person_id",
                    "add the person to 'persons' or correct the id.",
                )
        self.set_seats(post_raws + made_posts, person_raws)
        self.flush_ignored()
        return raws + person_raws

    def organisation(self, path: str, item: dict[str, Any], rid: str) -> RawRecord:
        fields = ("level", "region", "guided_by", "parent", "tags", "notes")
        self.ignore_unknown(item, _ORG_KNOWN, "organizations", path, fields)
        data: dict[str, Any] = {"id": rid, "name": item.get("name")}
        locs: dict[tuple, Location] = {("name",): self.loc(f"{path}.name")}
        if item.get("classification") is not None:
            kind = str(item["classification"])
            try:
                data["kind"] = OrgKind(kind).value
            except ValueError:
                data["kind"] = OrgKind.OTHER.value
                self.note(
                    f"classification '{kind}' is not a stakegraph kind; read as 'other'.",
                    f"{path}.classification",
                    "organisation",
                    rid,
                )
        if item.get("parent_id") is not None:
            data["parent"] = self.ref("organizations", item["parent_id"])
            locs[("parent",)] = self.loc(f"{path}.parent_id")
        if "other_names" in item:
            data["aliases"] = self.aliases(item["other_names"], f"{path}.other_names")
        self.lifetime(item, path, ("founding_date", "dissolution_date"), data, locs)
        self.namespaced(item, fields, path, data, locs)
        for field in ("parent", "guided_by"):
            if field in data:
                data[field] = dated.dated_import(data[field], "org", self.org_ref)
        return RawRecord("organisations", data, self.loc(path), locs)

    def post(self, path: str, item: dict[str, Any], rid: str) -> RawRecord:
        fields = ("grade", "leadership", "reports_to", "oversees", "seats", "tags", "notes")
        self.ignore_unknown(item, _POST_KNOWN, "posts", path, fields)
        data: dict[str, Any] = {"id": rid, "title": item.get("label")}
        locs: dict[tuple, Location] = {
            ("title",): self.loc(f"{path}.label"),
            ("org",): self.loc(f"{path}.organization_id"),
        }
        data["org"] = self.ref("organizations", item.get("organization_id"))
        if "other_label" in item:
            data["aliases"] = self.aliases(item["other_label"], f"{path}.other_label")
        self.lifetime(item, path, ("start_date", "end_date"), data, locs)
        self.namespaced(item, fields, path, data, locs)
        if data.get("reports_to") is not None:
            data["reports_to"] = dated.dated_import(data["reports_to"], "post", self.post_ref)
        if isinstance(data.get("oversees"), list):
            data["oversees"] = dated.dated_import(data["oversees"], "org", self.org_ref)
        self.grade(data, path, rid)
        return RawRecord("posts", data, self.loc(path), locs)

    def lifetime(
        self,
        item: dict[str, Any],
        path: str,
        keys: tuple[str, str],
        data: dict[str, Any],
        locs: dict[tuple, Location],
    ) -> None:
        """``start``/``end`` of an organisation or post from its two Popolo date fields."""
        for key, name in zip(keys, ("start", "end"), strict=True):
            if item.get(key) in (None, ""):
                continue
            day, ok = self.date(item[key], f"{path}.{key}")
            if ok and day is not None:
                data[name] = day
                locs[(name,)] = self.loc(f"{path}.{key}")

    def grade(self, data: dict[str, Any], path: str, rid: str) -> None:
        if data.get("grade") is not None:
            return
        if self.default_grade is None:
            low, high = self.settings.grade_range()
            self.problem(
                "has no grade.",
                path,
                "post",
                rid,
                "grade",
                f'add "{NAMESPACE}grade" (a grade name such as '
                f"{next(iter(self.settings.grades))!r} or a number {low}–{high}), "
                "or import with a default grade (--default-grade).",
            )
            data["grade"] = self.settings.grade_range()[0]  # so other checks still run
        else:
            data["grade"] = self.default_grade

    def person(
        self, path: str, item: dict[str, Any], rid: str, tenures: list[tuple[dict[str, Any], str]]
    ) -> RawRecord:
        fields = ("background", "tags", "notes")
        self.ignore_unknown(item, _PERSON_KNOWN, "persons", path, fields)
        name = item.get("name")
        if not name and (item.get("family_name") or item.get("given_name")):
            family, given = item.get("family_name") or "", item.get("given_name") or ""
            cjk = any(ord(c) > 0x2E7F for c in family + given)
            name = f"{family}{given}" if cjk else " ".join(p for p in (given, family) if p)
        data: dict[str, Any] = {"id": rid, "name": name}
        locs: dict[tuple, Location] = {("name",): self.loc(f"{path}.name")}
        if "other_names" in item:
            names = item["other_names"]
            data["aliases"] = self.aliases(dated.undated_names(names), f"{path}.other_names")
            if dated.dated_names(names):
                data["names"] = dated.dated_names(names)
                locs[("names",)] = self.loc(f"{path}.other_names")
        born = item.get("birth_date")
        if born not in (None, ""):
            match = _PARTIAL_DATE.match(str(born).strip())
            if match:
                data["born"] = int(match.group(1))
            else:
                data["born"] = born  # reported by validation, located below
            locs[("born",)] = self.loc(f"{path}.birth_date")
        self.namespaced(item, fields, path, data, locs)
        data["tenures"] = [t for t, _ in tenures]
        for index, (_, mpath) in enumerate(tenures):
            locs[("tenures", index)] = self.loc(mpath)
            locs[("tenures", index, "post")] = self.loc(f"{mpath}.post_id")
        return RawRecord("persons", data, self.loc(path), locs)

    def memberships(
        self, items: list[tuple[str, dict[str, Any]]], post_ids: set[str]
    ) -> tuple[dict[str, list[tuple[dict[str, Any], str]]], list[RawRecord]]:
        """Tenures by person id, and the posts made for memberships without a post."""
        tenures: dict[str, list[tuple[dict[str, Any], str]]] = {}
        made: dict[str, RawRecord] = {}
        for path, item in items:
            self.ignore_unknown(item, _MEMBERSHIP_KNOWN, "memberships", path, _TENURE_FLAGS)
            person = self.ref("persons", item.get("person_id"))
            if person is None:
                self.problem(
                    "has no 'person_id'.",
                    path,
                    "membership",
                    None,
                    "person_id",
                    "name the person who holds the post.",
                )
                continue
            post = self.ref("posts", item.get("post_id"))
            if post is None:
                post = self.made_post(path, item, made)
                if post is None:
                    continue
            elif post not in post_ids:
                self.problem(
                    f"names post '{item.get('post_id')}', which is not in 'posts'.",
                    f"{path}.post_id",
                    "membership",
                    None,
                    "post_id",
                    "add the post to 'posts' or correct the id.",
                )
                continue
            start, ok_start = self.date(item.get("start_date"), f"{path}.start_date")
            end, ok_end = self.date(item.get("end_date"), f"{path}.end_date")
            if not (ok_start and ok_end):
                continue
            tenure = {"post": post, "start": start, "end": end}
            if item.get("post_id") is not None and item.get("role") not in (None, ""):
                tenure["title"] = item["role"]  # without a post, the role names the post made
            for flag in _TENURE_FLAGS:
                if NAMESPACE + flag in item:
                    tenure[flag] = item[NAMESPACE + flag]
            tenures.setdefault(person, []).append((tenure, path))
        return tenures, list(made.values())

    def made_post(self, path: str, item: dict[str, Any], made: dict[str, RawRecord]) -> str | None:
        org = self.ref("organizations", item.get("organization_id"))
        if org is None:
            self.problem(
                "names neither a post nor an organization.",
                path,
                "membership",
                None,
                "post_id",
                "add 'post_id', or 'organization_id' and 'role'.",
            )
            return None
        title = str(item.get("role") or item.get("label") or "member").strip()
        # the post's id is made from its title in pinyin, as every id made from a name
        post_id = f"{org}~{text_slug(title) or slugify(title) or 'member'}"
        if post_id not in made:
            self.note(
                f"membership without a post: made post '{post_id}' ({title}) in "
                f"organization '{org}'.",
                path,
                "post",
                post_id,
            )
            data: dict[str, Any] = {"id": post_id, "org": org, "title": title}
            self.grade(data, path, post_id)
            made[post_id] = RawRecord(
                "posts", data, self.loc(path), {("org",): self.loc(f"{path}.organization_id")}
            )
        return post_id

    def set_seats(self, posts: list[RawRecord], persons: list[RawRecord]) -> None:
        """Seats of posts that do not say: their most holders at any one time.

        Handover overlaps (a successor starting at most ``[structure]
        handover_days`` before the predecessor leaves) do not count, so they stay
        visible as warnings of the imported workspace instead of becoming seats;
        tenures on leave do not count either.
        """
        spans: dict[str, list[tuple[Any, Any]]] = {}
        for raw in persons:
            for tenure in raw.data["tenures"]:
                if tenure.get("on_leave") is True:
                    continue
                spans.setdefault(tenure["post"], []).append((tenure["start"], tenure["end"]))
        limit = self.settings.structure.handover_days
        for raw in posts:
            if "seats" in raw.data:
                continue
            most = max_overlap(without_handovers(spans.get(raw.data["id"], []), limit))
            if most > 1:
                raw.data["seats"] = most
                message = f"post '{raw.data['id']}' has {most} holders at once; given {most} seats."
                self.notes.append(Problem(message, raw.location, "post", raw.data["id"]))


def without_handovers(
    spans: list[tuple[dt.date | None, dt.date | None]], limit: int
) -> list[tuple[dt.date | None, dt.date | None]]:
    """Spans with each predecessor's end moved back to its successor's start.

    A span ending on ``e`` is a predecessor of one starting on ``s`` when it started
    earlier, ``s < e``, ``e − s`` is at most ``limit`` days and the successor
    outlasts it (the rule of the handover warning). O(n log n + overlapping pairs).
    """
    low, high = dt.date.min, dt.date.max
    ordered = sorted(spans, key=lambda span: span[0] or low)
    starts = [span[0] or low for span in ordered]
    out = []
    for start, end in ordered:
        if end is not None:
            first = bisect.bisect_right(starts, start or low)
            for later_start, later_end in ordered[first:]:
                if later_start is None or later_start >= end:
                    break
                if (end - later_start).days <= limit and (later_end or high) > end:
                    end = later_start
                    break
        out.append((start, end))
    return out


def max_overlap(spans: list[tuple[dt.date | None, dt.date | None]]) -> int:
    """The most spans open on any one day; ``end`` is exclusive, None is open-ended."""
    events: Counter[tuple[int, int]] = Counter()
    low = dt.date.min
    for start, end in spans:
        if start and end and end <= start:
            continue
        events[(start or low).toordinal(), 1] += 1
        if end is not None:
            events[end.toordinal(), 0] += 1
    current = most = 0
    # at the same day, departures (0) come before arrivals (1)
    for (_, kind), count in sorted(events.items()):
        current += count if kind == 1 else -count
        most = max(most, current)
    return most


def slugify(text: str) -> str:
    """A valid stakegraph id from any text: runs of spaces, '/' and ':' become '-'."""
    slug = re.sub(r"[\s/:]+", "-", text.strip()).strip("-")
    return slug if slug and ID_PATTERN.match(slug) else ""


def popolo_part(workspace: Workspace) -> dict[str, dict[str, Any]]:
    """The records Popolo carries (organisations, posts, persons), as plain data."""
    return {
        cls.collection: {
            i: r.model_dump(mode="json") for i, r in workspace.records[cls.collection].items()
        }
        for cls in (Organisation, Post, Person)
    }


__all__ = [
    "NAMESPACE",
    "from_popolo",
    "popolo_part",
    "read_popolo",
    "slugify",
    "to_popolo",
    "write_popolo",
]
