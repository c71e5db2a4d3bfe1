"""The Workspace: every record of one account book, indexed, with where it came from.

Loaders (:mod:`stakegraph.io`) turn files into :class:`RawRecord` entries; this
module validates each one against the record classes, then runs the checks that
span records (:mod:`stakegraph.records.validate`), and either returns a Workspace or raises
:class:`~stakegraph.errors.WorkspaceInvalid` with every problem found.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from stakegraph._gc import gc_paused, join_frozen
from stakegraph.config import DEFAULT_SETTINGS, Settings
from stakegraph.errors import WARNING, Location, Problem, UnknownRecord, WorkspaceInvalid
from stakegraph.errors import shown as _shown
from stakegraph.records.fields import parse_day
from stakegraph.records.model import (
    RECORD_BY_COLLECTION,
    RECORD_TYPES,
    Action,
    Assessment,
    Interaction,
    Opportunity,
    Organisation,
    Owner,
    Person,
    Post,
    Record,
    Reform,
    Relationship,
    Stance,
    Survey,
    Tenure,
    Tie,
    TieKind,
)
from stakegraph.records.vocabulary import (
    CHANGED_MEANINGS,
    VOCABULARY,
    VOCABULARY_VERSION,
    normalise,
    suggest,
    term,
)

FieldPath = tuple[str | int, ...]
#: A lifetime: first day, first day after (None: open on that side).
Lifetime = tuple[dt.date | None, dt.date | None]


@dataclass(slots=True)
class RawRecord:
    """One record as read from a file, before validation."""

    collection: str
    data: dict[str, Any]
    location: Location
    field_locations: dict[FieldPath, Location] = field(default_factory=dict)

    def locate(self, path: Iterable[str | int]) -> Location:
        """The most precise known location of a field path (falls back to the record)."""
        path = tuple(path)
        while path:
            if path in self.field_locations:
                return self.field_locations[path]
            path = path[:-1]
        return self.location


#: A location as plain data: (file, line, sheet, row, column).
PackedLocation = tuple[str, int | None, str | None, int | None, str | None]
#: Where a record was read, as plain data: its location, its field paths and theirs.
PackedRecordLocations = tuple[PackedLocation, tuple[FieldPath, ...], tuple[PackedLocation, ...]]


def pack_locations(raw: RawRecord) -> PackedRecordLocations:
    """Where a record was read, as tuples of plain values (quick to store and load)."""

    def packed(loc: Location) -> PackedLocation:
        return (loc.file, loc.line, loc.sheet, loc.row, loc.column)

    paths = tuple(raw.field_locations)
    return packed(raw.location), paths, tuple(packed(loc) for loc in raw.field_locations.values())


class PackedLocations(MutableMapping[tuple[str, str], RawRecord]):
    """Where each record was read, by (collection, id), unpacked only when asked for.

    A workspace read back from the cache (:mod:`stakegraph.io.cache`) holds its
    locations this way: most commands never look at them, so building a
    :class:`RawRecord` and its :class:`~stakegraph.errors.Location` objects for every
    field of every record would be wasted. O(fields of the record) per first look-up.
    """

    def __init__(self, packed: dict[tuple[str, str], PackedRecordLocations] | None = None) -> None:
        self._packed = packed if packed is not None else {}
        self._open: dict[tuple[str, str], RawRecord] = {}

    def __getitem__(self, key: tuple[str, str]) -> RawRecord:
        found = self._open.get(key)
        if found is None:
            where, paths, locations = self._packed.pop(key)
            found = RawRecord(
                key[0],
                {},
                Location(*where),
                dict(zip(paths, (Location(*x) for x in locations), strict=True)),
            )
            self._open[key] = found
        return found

    def __setitem__(self, key: tuple[str, str], value: RawRecord) -> None:
        self._packed.pop(key, None)
        self._open[key] = value

    def __delitem__(self, key: tuple[str, str]) -> None:
        if key not in self._open and key not in self._packed:
            raise KeyError(key)
        self._open.pop(key, None)
        self._packed.pop(key, None)

    def __contains__(self, key: object) -> bool:
        return key in self._open or key in self._packed

    def copy(self) -> PackedLocations:
        """A copy that leaves what is still packed packed. O(records), no unpacking."""
        other = PackedLocations(dict(self._packed))
        other._open = dict(self._open)
        return other

    def __iter__(self) -> Iterator[tuple[str, str]]:
        yield from list(self._open)
        yield from list(self._packed)

    def __len__(self) -> int:
        return len(self._open) + len(self._packed)


class Workspace:
    """All records of a workspace, by collection and id, in file order."""

    def __init__(self, settings: Settings | None = None, name: str = "workspace") -> None:
        self.settings = settings or DEFAULT_SETTINGS
        self.name = name
        #: The text of stakegraph.toml, kept so conversions carry settings along.
        self.settings_text: str | None = None
        self.records: dict[str, dict[str, Record]] = {t.collection: {} for t in RECORD_TYPES}
        self.locations: MutableMapping[tuple[str, str], RawRecord] = {}
        #: (collection, id) of records that failed validation, so checks skip them.
        self.invalid_ids: set[tuple[str, str]] = set()
        self._holders: dict[str, list[tuple[str, Any]]] | None = None
        self._lifetimes: dict[str, Lifetime] | None = None
        #: Warnings found when the workspace was validated (it loads despite them).
        self.warnings: list[Problem] = []

    # --- typed views -----------------------------------------------------------------
    @property
    def organisations(self) -> dict[str, Organisation]:
        return self.records["organisations"]  # type: ignore[return-value]

    @property
    def posts(self) -> dict[str, Post]:
        return self.records["posts"]  # type: ignore[return-value]

    @property
    def persons(self) -> dict[str, Person]:
        return self.records["persons"]  # type: ignore[return-value]

    @property
    def owners(self) -> dict[str, Owner]:
        return self.records["owners"]  # type: ignore[return-value]

    @property
    def relationships(self) -> dict[str, Relationship]:
        return self.records["relationships"]  # type: ignore[return-value]

    @property
    def ties(self) -> dict[str, Tie]:
        return self.records["ties"]  # type: ignore[return-value]

    @property
    def opportunities(self) -> dict[str, Opportunity]:
        return self.records["opportunities"]  # type: ignore[return-value]

    @property
    def interactions(self) -> dict[str, Interaction]:
        return self.records["interactions"]  # type: ignore[return-value]

    @property
    def surveys(self) -> dict[str, Survey]:
        return self.records["surveys"]  # type: ignore[return-value]

    @property
    def assessments(self) -> dict[str, Assessment]:
        return self.records["assessments"]  # type: ignore[return-value]

    @property
    def actions(self) -> dict[str, Action]:
        return self.records["actions"]  # type: ignore[return-value]

    @property
    def reforms(self) -> dict[str, Reform]:
        return self.records["reforms"]  # type: ignore[return-value]

    # --- building --------------------------------------------------------------------
    def add(self, record: Record) -> None:
        """Add a record (replacing one with the same id) and drop cached indexes."""
        self.records[record.collection][record.id] = record
        self._holders = None
        self._lifetimes = None

    def remove(self, collection: str, record_id: str) -> None:
        self.records[collection].pop(record_id, None)
        self._holders = None
        self._lifetimes = None

    def iter_records(self) -> Iterator[Record]:
        for t in RECORD_TYPES:
            yield from self.records[t.collection].values()

    def counts(self) -> dict[str, int]:
        return {c: len(r) for c, r in self.records.items()}

    # Typed lookups for the collections callers fetch by id, so attribute access is checked.
    @overload
    def get(self, collection: Literal["persons"], record_id: str) -> Person: ...
    @overload
    def get(self, collection: Literal["posts"], record_id: str) -> Post: ...
    @overload
    def get(self, collection: Literal["owners"], record_id: str) -> Owner: ...
    @overload
    def get(self, collection: Literal["opportunities"], record_id: str) -> Opportunity: ...
    @overload
    def get(self, collection: str, record_id: str) -> Record: ...

    def get(self, collection: str, record_id: str) -> Record:
        """The record ``record_id`` of ``collection``; UnknownRecord names the known ids."""
        try:
            return self.records[collection][record_id]
        except KeyError:
            from stakegraph.records.naming import closest, name_keys

            noun = RECORD_BY_COLLECTION[collection].noun
            records = self.records[collection]
            pairs = [(i, getattr(r, "name", i)) for i, r in records.items()]
            near = closest(record_id, name_keys(pairs))
            hint = (
                f"closest: {', '.join(near)}" if near else f"none is close ({len(records)} in all)"
            )
            raise UnknownRecord(f"no {noun} with id '{record_id}' in {self.name}; {hint}") from None

    def copy(self) -> Workspace:
        """A deep copy, for what-if analyses that change records."""
        other = Workspace(self.settings, self.name)
        for record in self.iter_records():
            other.add(record.model_copy(deep=True))
        other.locations = (
            self.locations.copy()
            if isinstance(self.locations, PackedLocations)
            else dict(self.locations)
        )
        other.settings_text = self.settings_text
        other.warnings = list(self.warnings)
        return other

    # --- time ------------------------------------------------------------------------
    def _holder_index(self) -> dict[str, list[tuple[str, Any]]]:
        if self._holders is None:
            index: dict[str, list[tuple[str, Any]]] = defaultdict(list)
            with gc_paused():  # a list and a pair per post and tenure, no cycles
                for person in self.persons.values():
                    for tenure in person.tenures:
                        index[tenure.post].append((person.id, tenure))
                self._holders = dict(index)
                join_frozen()
        return self._holders

    def _lifetime_index(self) -> dict[str, Lifetime]:
        """Posts whose lifetime is bounded, by their own dates or their org's.

        A post lives while both it and its organisation do (the intersection of
        the two lifetimes), so abolishing an organisation ends its posts. Posts
        with no bound on either side are left out, so a workspace without
        lifetimes pays one failed dict lookup per question. Built once: O(posts).
        """
        if self._lifetimes is None:
            index: dict[str, Lifetime] = {}
            for post in self.posts.values():
                org = self.organisations.get(post.org)
                starts = [d for d in (post.start, org and org.start) if d]
                ends = [d for d in (post.end, org and org.end) if d]
                if starts or ends:
                    index[post.id] = (max(starts, default=None), min(ends, default=None))
            self._lifetimes = index
        return self._lifetimes

    def post_lifetime(self, post_id: str) -> Lifetime:
        """(start, end) of a post, its organisation's lifetime included; None is open."""
        return self._lifetime_index().get(post_id, (None, None))

    def post_live(self, post_id: str, day: dt.date) -> bool:
        """Whether a post exists on a day: created, not abolished, its org live. O(1)."""
        bounds = self._lifetime_index().get(post_id)
        if bounds is None:
            return True
        start, end = bounds
        return (start is None or start <= day) and (end is None or day < end)

    def live_posts(self, day: dt.date) -> list[Post]:
        """The posts that exist on a day, in file order. O(posts)."""
        index = self._lifetime_index()
        if not index:
            return list(self.posts.values())
        return [p for p in self.posts.values() if self.post_live(p.id, day)]

    def holder_tenures(self, post_id: str, day: dt.date) -> list[tuple[str, Tenure]]:
        """(person id, tenure) of everyone filling a post on a day, acting holders included.

        A post that does not exist that day has no holders; a tenure on leave
        does not fill the post. O(tenures of the post).
        """
        if not self.post_live(post_id, day):
            return []
        return [(pid, t) for pid, t in self._holder_index().get(post_id, []) if t.holds_on(day)]

    def holders(self, post_id: str, day: dt.date) -> list[str]:
        """Ids of the persons filling a post on a day (empty when vacant or not live)."""
        return [pid for pid, _ in self.holder_tenures(post_id, day)]

    def tenures_of_post(self, post_id: str) -> list[tuple[str, Any]]:
        """(person id, tenure) pairs of everyone who ever held a post."""
        return list(self._holder_index().get(post_id, []))

    def posts_of(self, person_id: str, day: dt.date) -> list[str]:
        return self.persons[person_id].posts_on(day)

    # --- comparison ------------------------------------------------------------------
    def as_data(self) -> dict[str, list[dict[str, Any]]]:
        """Plain data of every record, for comparisons and JSON."""
        return {
            c: [r.model_dump(mode="json") for r in recs.values()]
            for c, recs in self.records.items()
        }

    def __eq__(self, other: object) -> bool:
        # Same records by id, whatever their order: order carries no meaning.
        if not isinstance(other, Workspace):
            return NotImplemented
        return all(
            {i: r.model_dump(mode="json") for i, r in self.records[c].items()}
            == {i: r.model_dump(mode="json") for i, r in other.records[c].items()}
            for c in self.records
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        counts = ", ".join(f"{c}={n}" for c, n in self.counts().items() if n)
        return f"<Workspace {self.name}: {counts}>"


@gc_paused()
def build_workspace(
    raws: Iterable[RawRecord],
    settings: Settings | None = None,
    name: str = "workspace",
    extra_problems: Iterable[Problem] = (),
    progress: Callable[[int], None] | None = None,
) -> Workspace:
    """Validate raw records into a Workspace; raise WorkspaceInvalid with all problems.

    Warnings alone do not stop loading: they are kept in ``Workspace.warnings``.
    """
    from stakegraph.records.validate import check_workspace

    settings = settings or DEFAULT_SETTINGS
    workspace = Workspace(settings, name)
    problems: list[Problem] = list(extra_problems)
    validator = RecordValidator(settings)
    for count, raw in enumerate(raws, start=1):
        if progress is not None and count % 10000 == 0:
            progress(10000)
        record, found = validator.validate(raw)
        problems.extend(found)
        if record is None:
            # other records may still name it: do not also report those as missing
            if isinstance(raw.data.get("id"), str):
                workspace.invalid_ids.add((raw.collection, raw.data["id"]))
            continue
        # keep where the record came from, not its raw data (the record holds that now),
        # so the raw dicts can be freed once validated
        where = RawRecord(raw.collection, {}, raw.location, raw.field_locations)
        problems.extend(admit_record(workspace, record, where))
    problems.extend(check_workspace(workspace))
    return finish_workspace(workspace, problems)


class RecordValidator:
    """Validates one raw record at a time against its record class, for given settings."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or DEFAULT_SETTINGS
        self._context = {"settings": self.settings}
        self._old_words = self.settings.vocabulary < VOCABULARY_VERSION

    def validate(self, raw: RawRecord) -> tuple[Record | None, list[Problem]]:
        """The record (None when invalid) and the problems found in it alone.

        Parameters
        ----------
        raw
            One record as read from a file.

        Returns
        -------
        The validated record or None, and its problems (warnings about changed
        stance words included, so a valid record may come with problems).
        """
        cls = RECORD_BY_COLLECTION[raw.collection]
        problems: list[Problem] = []
        if self._old_words and raw.collection == "opportunities":
            problems.extend(changed_stance_words(raw))
        _typed_days(raw.data, _DATE_FIELDS.get(raw.collection, ()))
        try:
            record = cls.model_validate(raw.data, context=self._context)
        except ValidationError as exc:
            problems.extend(problems_from(exc, raw, cls))
            return None, problems
        return record, problems


def admit_record(workspace: Workspace, record: Record, where: RawRecord) -> list[Problem]:
    """Add a validated record and where it was read, unless its id is already taken.

    Returns
    -------
    Empty, or the duplicate-id problem (the record is then left out).
    """
    existing = workspace.records[record.collection].get(record.id)
    if existing is not None:
        first = workspace.locations[(record.collection, record.id)].location
        return [
            Problem(
                f"duplicate id: '{record.id}' is already used by the {record.noun} at {first}.",
                where.locate(("id",)),
                record.noun,
                record.id,
                "id",
                "give each record its own id, or remove the repeated record.",
            )
        ]
    workspace.records[record.collection][record.id] = record
    workspace.locations[(record.collection, record.id)] = where
    return []


def finish_workspace(workspace: Workspace, problems: list[Problem]) -> Workspace:
    """Raise WorkspaceInvalid when ``problems`` hold an error; else keep the warnings.

    A file that could not be read at all leaves every reference to its records
    dangling; those are left out, so its one problem is not lost among them.
    """
    unread = {p.unread for p in problems if p.unread}
    if unread:
        problems = [p for p in problems if p.refers_to not in unread]
    errors = [p for p in problems if not p.is_warning]
    warnings = [p for p in problems if p.is_warning]
    if errors:
        raise WorkspaceInvalid(errors, warnings)
    workspace.warnings = warnings
    return workspace


def _date_fields(cls: type[Record]) -> tuple[str, ...]:
    """The fields of a record type holding a day (``dt.date`` or ``dt.date | None``)."""
    return tuple(
        name
        for name, info in cls.model_fields.items()
        if info.annotation is dt.date or dt.date in (getattr(info.annotation, "__args__", ()) or ())
    )


#: collection -> its fields holding a day, which take the forms of ``parse_day``.
_DATE_FIELDS: dict[str, tuple[str, ...]] = {
    cls.collection: _date_fields(cls) for cls in RECORD_TYPES
}


def _typed_days(data: dict[str, Any], fields: tuple[str, ...]) -> None:
    """Read ``2019年11月4日`` and the other forms of :func:`parse_day` in date fields.

    Fields declared as :data:`~stakegraph.records.fields.Day` do it themselves; this
    covers those declared as a plain date.
    """
    for name in fields:
        value = data.get(name)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                data[name] = parse_day(value) or value


def changed_stance_words(raw: RawRecord) -> list[Problem]:
    """A warning for each stance of an opportunity written in a word whose meaning changed.

    Before 0.2, ``支持者`` in a stance was read as champion although the report printed
    it for a supporter; it now reads as supporter. A workspace that does not declare
    ``vocabulary = 2`` in its settings may have been written with the old meaning, so
    each such stance is pointed out, never silently reinterpreted.
    """
    changed = {normalise(w): code for w, code in CHANGED_MEANINGS["Stance"].items()}
    chain = raw.data.get("chain")
    out: list[Problem] = []
    for i, step in enumerate(chain if isinstance(chain, list) else []):
        roles = step.get("roles") if isinstance(step, dict) else None
        for j, role in enumerate(roles if isinstance(roles, list) else []):
            word = role.get("stance") if isinstance(role, dict) else None
            if not isinstance(word, str) or normalise(word) not in changed:
                continue
            now = Stance(word)
            before = term("Stance", changed[normalise(word)])
            out.append(
                Problem(
                    f"stance '{word.strip()}' now means {now.value} ({term('Stance', now).zh}); "
                    f"before stakegraph 0.2 it was read as {before.code} ({before.zh}).",
                    raw.locate(("chain", i, "roles", j, "stance")),
                    Opportunity.noun,
                    _raw_id(raw, Opportunity),
                    f"chain[{i}].roles[{j}].stance",
                    f"write '{before.code}' if this person is a {before.en} ({before.zh}), or "
                    f"'{now.value}' if a {now.value}; or, once every {word.strip()} in the "
                    "workspace means supporter, put 'vocabulary = 2' at the top of "
                    "stakegraph.toml (the settings sheet of a workbook) to confirm.",
                    severity=WARNING,
                )
            )
    return out


def problems_from(exc: ValidationError, raw: RawRecord, cls: type[Record]) -> list[Problem]:
    """Located problems of one raw record that failed validation."""
    record_id = _raw_id(raw, cls)
    out = []
    for err in exc.errors():
        # the form of a plain-or-dated field (records.model) is not part of its path
        loc = tuple(part for part in err["loc"] if part not in _FORMS)
        field_name = _dotted(loc) or None
        message, hint = _explain(err, cls, loc)
        out.append(Problem(message, raw.locate(loc), cls.noun, record_id, field_name, hint))
    return out


def _raw_id(raw: RawRecord, cls: type[Record]) -> str | None:
    """The id of a record that failed validation, derived as the model would when absent."""
    data = raw.data
    if isinstance(data.get("id"), str) and data["id"]:
        return data["id"]
    if cls is Relationship and all(isinstance(data.get(k), str) for k in ("owner", "person")):
        return f"{data['owner']}~{data['person']}"
    if cls is Tie and all(isinstance(data.get(k), str) for k in ("a", "b")):
        kind = data.get("kind", TieKind.OTHER)
        with contextlib.suppress(ValueError, TypeError):
            kind = TieKind(kind).value
        return f"{data['a']}~{data['b']}~{kind}"
    return None


#: Tags of the plain and dated forms of a structural field, left out of field paths.
_FORMS = frozenset({"plain", "dated"})

_VALUE_HINTS = {
    "id": "use letters, digits, '-', '_' or '.' (Chinese is fine), without spaces.",
}


def _dotted(loc: FieldPath) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text


def _explain(err: ErrorDetails, cls: type[Record], loc: FieldPath) -> tuple[str, str | None]:
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        allowed = ", ".join(_allowed_fields(cls, loc[:-1]))
        return (f"unknown field '{loc[-1]}'.", f"remove it or rename it to one of: {allowed}.")
    if kind == "missing":
        return ("required field is missing.", f"add '{loc[-1]}' to this record.")
    if kind == "string_too_short":
        return ("must not be empty.", "write a value.")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        # a cell holding 1.5 reads as the text "1.5", shown as written
        shown = value if isinstance(value, str) else _shown(value)
        return (f"{shown} is out of range: {err['msg'].lower()}.", _range_hint(cls, loc))
    if kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        close = _close_word(cls, loc, value)
        return (f"{_shown(value)} is not allowed.", f"{close}use one of: {expected}.")
    if kind == "value_error":
        error = err.get("ctx", {}).get("error", err["msg"])
        msg = str(error)
        return (
            msg + ("" if msg.endswith(".") else "."),
            getattr(error, "hint", None) or _VALUE_HINTS.get(str(loc[-1]) if loc else ""),
        )
    if kind.startswith(("date_", "datetime_")) and isinstance(value, str):
        detail = err["msg"].partition(", ")[2]
        return (
            f"{_shown(value)} is not a valid date" + (f" ({detail})." if detail else "."),
            _type_hint(kind, value),
        )
    if kind.endswith("_parsing") or kind.endswith("_type"):
        return (f"wrong type: {err['msg'].lower()}, got {_shown(value)}.", _type_hint(kind, value))
    return (err["msg"] + ".", None)


def _close_word(cls: type[Record], loc: FieldPath, value: Any) -> str:
    """``did you mean '坚定支持者' (champion)? `` for a mistyped word of an enumeration."""
    info = _field_info(cls, loc)
    if info is None or not isinstance(value, str):
        return ""
    annotation = info.annotation
    for kind in (annotation, *(getattr(annotation, "__args__", ()) or ())):
        name = getattr(kind, "__name__", "")
        found = suggest(name, value) if name in VOCABULARY else None
        if found is not None:
            return f"did you mean '{found[1].zh}' ({found[1].code})? "
    return ""


def _type_hint(kind: str, value: Any) -> str:
    if kind.startswith(("date", "datetime")):
        return "write a real date as YYYY-MM-DD, e.g. 2024-03-01."
    if isinstance(value, list | dict):
        return "write a single value here, not a list or a mapping."
    if kind.startswith(("int", "float")):
        return "write a number (digits only, no units or words)."
    if kind.startswith("bool"):
        return "write true or false."
    return "write a value of the expected type."


def _range_hint(cls: type[Record], loc: FieldPath) -> str:
    """'use a number from 0 to 5.' from the bounds declared on the field."""
    low = high = None
    info = _field_info(cls, loc)
    for bound in info.metadata if info is not None else ():
        low = getattr(bound, "ge", low)
        high = getattr(bound, "le", high)
    if low is not None and high is not None:
        return f"use a number from {low} to {high}."
    if low is not None:
        return f"use a number of at least {low}."
    return "correct the number."


def _field_info(cls: type[Any], loc: FieldPath) -> Any:
    current: Any = cls
    info = None
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None:
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _model_in(info.annotation)
    return info


def _allowed_fields(cls: type[Any], path: FieldPath) -> list[str]:
    current: Any = cls
    for part in path:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            break
        inner = _model_in(info.annotation)
        if inner is None:
            break
        current = inner
    return sorted(current.model_fields)


def _model_in(annotation: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None
