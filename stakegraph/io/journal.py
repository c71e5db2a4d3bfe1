"""The journal: what ``log``, ``assess`` and ``act`` add to a workspace, as library calls.

Each function builds its record from plain values, validates it together with the
workspace and writes it in place (appended, or one action's lines changed); on any
problem nothing is written. The command line only parses options and prints what
these return, so a notebook can keep the journal the same way.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Required, TypedDict, Unpack

from pydantic import ValidationError

from stakegraph.errors import (
    AmbiguousName,
    Location,
    Problem,
    StakegraphError,
    UnknownRecord,
    WorkspaceInvalid,
)
from stakegraph.io import load_workspace
from stakegraph.io.append import append_records
from stakegraph.io.common import unique_id
from stakegraph.records.lookup import Lookup
from stakegraph.records.model import (
    Action,
    ActionOrigin,
    ActionStatus,
    Assessment,
    Interaction,
    InteractionKind,
    RelationshipLevel,
)
from stakegraph.records.naming import id_slug
from stakegraph.records.words import ACTION_STATUSES, INTERACTION_KINDS, RELATIONSHIP_LEVELS
from stakegraph.records.workspace import RawRecord, Workspace, problems_from


# --- interactions ------------------------------------------------------------------------------
def read_interactions(source: Path) -> tuple[list[Interaction], dict[str, RawRecord]]:
    """Interactions from a CSV file or the ``interactions`` sheet of a workbook.

    Each row is validated on its own here; references are checked against the
    workspace when appending. Returns the records and their rows by id.
    """
    from stakegraph.io import csv_folder, xlsx_book

    suffix = source.suffix.lower()
    if suffix == ".xlsx":
        raws, problems, _ = xlsx_book.read_xlsx(source)
    elif suffix == ".csv":
        with tempfile.TemporaryDirectory() as tmp:
            # the CSV reader names a table by its file name
            shutil.copyfile(source, Path(tmp) / "interactions.csv")
            raws, problems = csv_folder.read_csv_folder(Path(tmp))
        raws = [_renamed(raw, source.name) for raw in raws]
        problems = [
            replace(p, location=replace(p.location, file=source.name)) if p.location else p
            for p in problems
        ]
    else:
        raise StakegraphError(f"{source}: give a .csv file or an .xlsx workbook of interactions.")
    raws = [r for r in raws if r.collection == "interactions"]
    if not raws and not problems:
        raise StakegraphError(
            f"{source}: no interactions found; give a sheet or file named interactions with "
            "the columns id, date, kind, owners, persons, orgs, information_shared, notes."
        )
    records, by_id = [], {}
    for raw in raws:
        try:
            record = Interaction.model_validate(raw.data)
        except ValidationError as exc:
            problems.extend(problems_from(exc, raw, Interaction))
            continue
        records.append(record)
        by_id[record.id] = raw
    if problems:
        raise WorkspaceInvalid(problems)
    return records, by_id


def _renamed(raw: RawRecord, name: str) -> RawRecord:
    return RawRecord(
        raw.collection,
        raw.data,
        replace(raw.location, file=name),
        {k: replace(v, file=name) for k, v in raw.field_locations.items()},
    )


def located(exc: WorkspaceInvalid, rows: Mapping[str, RawRecord]) -> WorkspaceInvalid:
    """Point problems of imported records at their row and column in the file."""
    problems = []
    for p in exc.problems:
        raw = rows.get(p.record_id or "") if p.record_type == "interaction" else None
        if raw is not None and p.location is None:
            path = tuple(
                int(x) if x.isdigit() else x
                for x in (p.field or "").replace("[", ".").replace("]", "").split(".")
                if x
            )
            p = replace(p, location=raw.locate(path))
        problems.append(p)
    return WorkspaceInvalid(problems)


def import_interactions(workspace: Path, source: Path) -> tuple[list[Interaction], list[Path]]:
    """Append every interaction of a CSV file or workbook; problems point at its cells.

    Owners, persons and organisations may be named by id, name, alias or pinyin, as
    on the command line; the interactions hold their ids.
    """
    records, rows = read_interactions(source)
    records = participants_named(load_workspace(workspace), records, rows)
    try:
        written = append_records(workspace, records)
    except WorkspaceInvalid as exc:
        raise located(exc, rows) from None
    return records, written


#: The fields of an interaction that name records, and the kind each names.
_PARTICIPANTS = (("owners", "owner"), ("persons", "person"), ("orgs", "organisation"))


def participants_named(
    ws: Workspace, records: list[Interaction], rows: Mapping[str, RawRecord]
) -> list[Interaction]:
    """The interactions with every participant given by its id; a name that fits no
    record, or several, is a problem located at its cell."""
    lookups: dict[dt.date, Lookup] = {}
    problems: list[Problem] = []
    out = []
    for record in records:
        names = lookups.setdefault(record.date, Lookup(ws, record.date))
        changes: dict[str, list[str]] = {}
        for field, kind in _PARTICIPANTS:
            ids = []
            for index, text in enumerate(getattr(record, field)):
                try:
                    ids.append(names.resolve(kind, text))
                except (AmbiguousName, UnknownRecord) as exc:
                    ids.append(text)
                    if isinstance(exc, UnknownRecord):
                        continue  # reported by validation as a missing reference
                    where = rows[record.id].locate((field, index)) if record.id in rows else None
                    problems.append(
                        Problem(
                            str(exc),
                            where,
                            "interaction",
                            record.id,
                            f"{field}[{index}]",
                            "write the id.",
                        )
                    )
            changes[field] = ids
        out.append(record.model_copy(update=changes))
    if problems:
        raise WorkspaceInvalid(problems)
    return out


class InteractionFields(TypedDict, total=False):
    """The values of one interaction, as :func:`log_interaction` and
    :func:`build_interaction` take them: the day and kind, who took part and what was noted."""

    day: Required[dt.date]
    kind: Required[str]
    owners: Iterable[str]
    persons: Iterable[str]
    orgs: Iterable[str]
    notes: str | None
    information_shared: bool
    record_id: str | None


def log_interaction(
    workspace: Path, **fields: Unpack[InteractionFields]
) -> tuple[Interaction, list[Path]]:
    """Append one interaction; its id is ``date-kind-first participant`` unless given.

    Owners, persons and organisations may be named by id, name, alias or pinyin
    (:mod:`stakegraph.records.lookup`, names as on ``day``); the record holds their ids.
    """
    record = build_interaction(load_workspace(workspace), **fields)
    return record, append_records(workspace, [record])


def build_interaction(ws: Workspace, **fields: Unpack[InteractionFields]) -> Interaction:
    """The interaction :func:`log_interaction` appends, participants named as in ``ws``."""
    day, kind, record_id = fields["day"], fields["kind"], fields.get("record_id")
    owners = list(fields.get("owners", ()))
    persons = list(fields.get("persons", ()))
    orgs = list(fields.get("orgs", ()))
    if not owners and not persons and not orgs:
        raise StakegraphError("name who took part: --owner, --person or --org.")
    try:
        kind_value = InteractionKind(kind)
    except ValueError:
        raise StakegraphError(f"unknown kind '{kind}'; use one of: {INTERACTION_KINDS}.") from None
    names = Lookup(ws, day)
    owners = names.resolve_all("owner", owners, "--owner")
    persons = names.resolve_all("person", persons, "--person")
    orgs = names.resolve_all("organisation", orgs, "--org")
    base = record_id or id_slug(
        f"{day.isoformat()}-{kind_value.value}-{(persons or orgs or owners)[0]}"
    )
    record = Interaction(
        id=record_id or unique_id(base, set(ws.interactions)),
        date=day,
        kind=kind_value,
        owners=owners,
        persons=persons,
        orgs=orgs,
        notes=fields.get("notes"),
        information_shared=fields.get("information_shared", False),
    )
    return record


# --- assessments ------------------------------------------------------------------------------
def parse_level(level: str) -> str:
    """The code of a relationship level typed by a person (``partner``, …)."""
    try:
        return RelationshipLevel(level).value
    except ValueError:
        raise StakegraphError(
            f"unknown level '{level}'; use one of: {RELATIONSHIP_LEVELS}."
        ) from None


class AssessmentFields(TypedDict, total=False):
    """The values of one assessment, as :func:`record_assessment` and
    :func:`build_assessment` take them: whose relationship, on which day, its scores and
    level, where they came from and what was noted."""

    owner: Required[str]
    person: Required[str]
    day: Required[dt.date]
    scores: Required[Mapping[str, float]]
    level: str | None
    source: str | None
    notes: str | None


def record_assessment(
    workspace: Path, ws: Workspace, **fields: Unpack[AssessmentFields]
) -> tuple[Assessment, list[Path]]:
    """Append a dated re-assessment of the relationship of ``owner`` and ``person``.

    ``ws`` is the workspace as loaded from ``workspace`` (the caller has usually
    read it already, to suggest scores); one assessment per pair and day.
    """
    record = build_assessment(ws, **fields)
    return record, append_records(workspace, [record])


def build_assessment(
    ws: Workspace, *, again: bool = False, **fields: Unpack[AssessmentFields]
) -> Assessment:
    """The assessment :func:`record_assessment` appends; one per pair and day in ``ws``
    (``again``: a second one is allowed, for a store that updates the first)."""
    owner, person, day, scores = fields["owner"], fields["person"], fields["day"], fields["scores"]
    level, source, notes = fields.get("level"), fields.get("source"), fields.get("notes")
    if not scores and not level:
        raise StakegraphError(
            "give at least one score (e.g. --support 4), --level, or --accept-suggested."
        )
    record = Assessment(
        owner=owner, person=person, date=day, level=level, source=source, notes=notes, **scores
    )
    if record.id in ws.assessments and not again:
        raise StakegraphError(
            f"{owner} already assessed {person} on {day} ({record.id}); nothing was written. "
            "Re-assess on another day, or edit that record."
        )
    return record


# --- improvement actions ------------------------------------------------------------------------
def unknown_record(noun: str, given: str, ids: list[str], where: str) -> UnknownRecord:
    """No such record: name the ids that look like it.

    Ids containing it come first, then those containing each of its words
    (``plan-du`` finds ``plan-smart-city-du-mingchuan``), then similar spellings.
    """
    low = given.lower()
    parts = [p for p in re.split(r"[-_\s]+", low) if p]
    close = [i for i in ids if low in i.lower()]
    close += [i for i in ids if parts and all(p in i.lower() for p in parts)]
    close += difflib.get_close_matches(given, ids, n=5, cutoff=0.4)
    close = list(dict.fromkeys(close))[:5]
    if close:
        return UnknownRecord(f"no {noun} '{given}' in {where}; did you mean: {', '.join(close)}?")
    known = ", ".join(ids[:8]) + (" …" if len(ids) > 8 else "") if ids else "none yet"
    return UnknownRecord(f"no {noun} '{given}' in {where}; known ids: {known}.")


def _check_complaint(ws: Workspace, complaint: str, workspace: str) -> None:
    """The complaint an improvement answers must be a logged complaint."""
    complaints = [i.id for i in ws.interactions.values() if i.kind == InteractionKind.COMPLAINT]
    interaction = ws.interactions.get(complaint)
    if interaction is None:
        raise unknown_record("complaint", complaint, complaints, f"the interactions of {workspace}")
    if interaction.kind != InteractionKind.COMPLAINT:
        raise StakegraphError(
            f"interaction '{complaint}' is a {interaction.kind.value}, not a complaint; "
            f"link a complaint ({', '.join(complaints[-5:]) or 'none logged'}) or use --survey."
        )


class ImprovementFields(TypedDict, total=False):
    """The values of one improvement action (改进措施), as :func:`add_improvement` and
    :func:`build_improvement` take them: the day it is set, our owner who carries it out
    and what is to be done, then what it answers and whom it is for."""

    day: Required[dt.date]
    owner: Required[str | None]
    text: Required[str | None]
    person: str | None
    org: str | None
    complaint: str | None
    survey: str | None
    opportunity: str | None
    due: dt.date | None
    notes: str | None
    record_id: str | None


def add_improvement(
    workspace: Path, **fields: Unpack[ImprovementFields]
) -> tuple[Action, Workspace, list[Path]]:
    """Append one improvement action (改进措施), validated with the workspace first.

    Returns the action, the workspace it was checked against (to name its owner and
    targets) and the files written. The owner, person, organisation and opportunity
    may be named by id, name, alias or pinyin (:mod:`stakegraph.records.lookup`).
    """
    ws = load_workspace(workspace)
    record = build_improvement(ws, where=str(workspace), **fields)
    return record, ws, append_records(workspace, [record])


def build_improvement(
    ws: Workspace, *, where: str = "the workspace", **fields: Unpack[ImprovementFields]
) -> Action:
    """The improvement action :func:`add_improvement` appends, checked against ``ws``."""
    day, owner, text, due = fields["day"], fields["owner"], fields["text"], fields.get("due")
    if not text or not text.strip():
        raise StakegraphError(
            'say what is to be done with --action "…" (or give ACTION_ID with --done or '
            "--status to change an existing action)."
        )
    if not owner:
        raise StakegraphError("name our owner who carries it out with --owner.")
    if due is not None and due < day:
        raise StakegraphError(
            f"--due {due} is before the day the action is set ({day}); give a later "
            "deadline, or the day it was set with --date."
        )
    names = Lookup(ws, day)
    owner = names.resolve("owner", owner, "--owner")
    person = _named(names, "person", fields.get("person"), "--person")
    org = _named(names, "organisation", fields.get("org"), "--org")
    opportunity = _named(names, "opportunity", fields.get("opportunity"), "--opportunity")
    complaint, survey = fields.get("complaint"), fields.get("survey")
    if complaint:
        _check_complaint(ws, complaint, where)
    prompt = complaint or survey or person or org or owner
    base = id_slug(f"improve-{prompt}-{day.isoformat()}")
    data: dict[str, Any] = {
        "id": fields.get("record_id") or unique_id(base, set(ws.actions)),
        "owner": owner,
        "action": text,
        "origin": ActionOrigin.IMPROVEMENT,
        "person": person,
        "org": org,
        "opportunity": opportunity,
        "created": day,
        "due": due,
        "complaint": complaint,
        "survey": survey,
        "notes": fields.get("notes"),
    }
    try:
        record = Action.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        raw = RawRecord("actions", data, Location("command line"))
        raise WorkspaceInvalid(problems_from(exc, raw, Action)) from None
    return record


def _named(names: Lookup, kind: str, text: str | None, option: str) -> str | None:
    return names.resolve(kind, text, option) if text else text


@dataclass(frozen=True)
class StatusChange:
    """What :func:`set_action_status` changed: the new status, its done day and the file."""

    action_id: str
    status: ActionStatus
    done: dt.date | None
    shown: str
    written: Path


def set_action_status(
    workspace: Path,
    action_id: str,
    *,
    mark_done: bool = False,
    status: str | None = None,
    day: dt.date | None = None,
    today: dt.date | None = None,
) -> StatusChange:
    """Change the status (and done day) of one action in place: only its own lines change.

    ``mark_done`` sets it done on ``day`` (default ``today``); ``status`` sets any
    status, and reopening or dropping a done action clears its done day.
    """
    from stakegraph.io.update import update_record

    target = status_target(mark_done, status, action_id)
    ws = load_workspace(workspace)
    changes, shown = status_change(
        ws, action_id, target, day=day, today=today, where=str(workspace)
    )
    written = update_record(workspace, "actions", action_id, changes)
    return StatusChange(action_id, target, changes.get("done"), shown, written)


def status_target(mark_done: bool, status: str | None, action_id: str) -> ActionStatus:
    """The status ``--done`` or ``--status`` asks for (they must agree)."""
    target = ActionStatus.DONE if mark_done else None
    if status is not None:
        try:
            chosen = ActionStatus(status)
        except ValueError:
            raise StakegraphError(
                f"unknown status '{status}'; use one of: {ACTION_STATUSES}."
            ) from None
        if target is not None and chosen != target:
            raise StakegraphError(f"--done and --status {status} disagree; give one of them.")
        target = chosen
    if target is None:
        raise StakegraphError(
            f"say what happened to action '{action_id}': --done, or --status with one of "
            f"{ACTION_STATUSES}."
        )
    return target


def status_change(
    ws: Workspace,
    action_id: str,
    target: ActionStatus,
    *,
    day: dt.date | None = None,
    today: dt.date | None = None,
    where: str = "the workspace",
) -> tuple[dict[str, Any], str]:
    """The field changes that give action ``action_id`` of ``ws`` the status ``target``,
    and how to say so."""
    action = ws.actions.get(action_id)
    if action is None:
        raise unknown_record("action", action_id, list(ws.actions), where)
    changes: dict[str, Any]
    if target == ActionStatus.DONE:
        if action.status == ActionStatus.DONE:
            on = f" on {action.done}" if action.done else ""
            raise StakegraphError(f"action '{action_id}' is already done{on}; nothing was written.")
        day = day or today or dt.date.today()
        if day < action.created:
            raise StakegraphError(
                f"done date {day} is before action '{action_id}' was created "
                f"({action.created}); give the day it was done with --date."
            )
        changes = {"status": target, "done": day}
        shown = f"done on {day}"
    else:
        if day is not None:
            raise StakegraphError("--date is the day an action was done; use it with --done.")
        if action.status == target:
            raise StakegraphError(
                f"action '{action_id}' is already {target.value}; nothing was written."
            )
        changes = {"status": target}
        shown = target.value
        if action.done is not None:
            changes["done"] = None  # reopened or dropped: it was not done after all
            shown += f" (was done on {action.done})"
    return changes, shown
