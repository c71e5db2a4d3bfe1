"""The ``act`` command: add an improvement action, or move an action along.

Steps 4–5 of the five steps live in actions.yaml: ``plan --save`` writes plan
lines, ``review`` and ``surveys`` read them. ``act`` keeps them current without
editing the file by hand: it appends an improvement (改进措施) after a complaint
or a survey, or changes one action's status (done, in progress, dropped) in
place, leaving every other line of the file as it was.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from stakegraph.cli.common import DATE, _json, _today, echo, handle_errors, json_option, load
from stakegraph.errors import Location, StakegraphError, UnknownRecord, WorkspaceInvalid
from stakegraph.records.model import Action, ActionOrigin, ActionStatus, InteractionKind
from stakegraph.records.workspace import RawRecord, Workspace, problems_from

_STATUSES = "planned, in_progress, done, dropped (or 计划, 进行中, 完成, 取消)"
#: Options of a new action whose parameter is named apart from the flag.
_FLAGS = {"text": "--action", "record_id": "--id"}


def _unknown(noun: str, given: str, ids: list[str], where: str) -> UnknownRecord:
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


@click.command("act")
@click.argument("workspace", type=click.Path(exists=True, path_type=Path))
@click.argument("action_id", required=False)
@click.option(
    "--done",
    "mark_done",
    is_flag=True,
    help="Mark ACTION_ID done, on --date (default today).",
)
@click.option("--status", default=None, help=f"Set the status of ACTION_ID: {_STATUSES}.")
@click.option("--owner", default=None, help="New action: our owner who carries it out (责任人).")
@click.option("--action", "text", default=None, help="New action: what is to be done.")
@click.option("--person", default=None, help="New action: the official it is for.")
@click.option("--org", default=None, help="New action: the organisation it is for.")
@click.option("--complaint", default=None, help="New action: the complaint it answers (its id).")
@click.option("--survey", default=None, help="New action: the survey it answers (its id).")
@click.option("--opportunity", default=None, help="New action: the opportunity it serves.")
@click.option("--due", type=DATE, default=None, help="New action: the deadline (期限).")
@click.option(
    "--date",
    "day",
    type=DATE,
    default=None,
    help="The day a new action is set, or the day ACTION_ID was done (default today).",
)
@click.option("--notes", default=None, help="New action: notes.")
@click.option(
    "--id",
    "record_id",
    default=None,
    help="New action: its id (default improve-<complaint, survey, person or org>-<date>).",
)
@json_option
@handle_errors
def act(
    workspace: Path,
    action_id: str | None,
    mark_done: bool,
    status: str | None,
    day: dt.date | None,
    as_json: bool,
    **new: Any,
) -> None:
    """Add an improvement action (改进措施), or change an action's status.

    A new action is an improvement with an owner, what to do, its target and a
    deadline, usually linked to the complaint or survey that prompted it; it is
    appended to the actions (the workspace is validated with it first; on any
    problem nothing is written). With ACTION_ID, --done or --status changes that
    action in place: only its status and done lines change, comments and every
    other line stay.

    \b
    Examples:
      stakegraph act examples/smart-city --owner qin-lang --org jc-fin \\
          --action "预算系统扩容，年底高峰前完成压测" --due 2026-12-15 \\
          --complaint 2026-11-24-fin-complaint
      stakegraph act examples/smart-city --done plan-smart-city-du-mingchuan --date 2026-11-28
      stakegraph act examples/smart-city --status in_progress fix-2026-h1-delivery
    """
    given = [_FLAGS.get(name, f"--{name}") for name, value in new.items() if value is not None]
    if action_id is None and not mark_done and status is None:
        _add(workspace, day, as_json, **new)
        return
    if given:
        raise StakegraphError(
            f"{', '.join(given)}: only for a new action; to change an existing one give only "
            "its id with --done or --status (and --date)."
        )
    if action_id is None:
        raise StakegraphError(
            "give the id of the action to change, e.g. "
            f"stakegraph act {workspace} ACTION_ID {'--done' if mark_done else '--status …'}."
        )
    if not mark_done and status is None:
        raise StakegraphError(
            f"say what happened to action '{action_id}': --done, or --status with one of "
            f"{_STATUSES}."
        )
    _update(workspace, action_id, mark_done, status, day, as_json)


def _add(workspace: Path, day: dt.date | None, as_json: bool, **new: Any) -> None:
    """Append one improvement action (validated with the workspace first)."""
    from stakegraph.io.append import append_records
    from stakegraph.io.common import id_slug, unique_id

    if not new["text"] or not new["text"].strip():
        raise StakegraphError(
            'say what is to be done with --action "…" (or give ACTION_ID with --done or '
            "--status to change an existing action)."
        )
    if not new["owner"]:
        raise StakegraphError("name our owner who carries it out with --owner.")
    day = day or _today()
    if new["due"] is not None and new["due"] < day:
        raise StakegraphError(
            f"--due {new['due']} is before the day the action is set ({day}); give a later "
            "deadline, or the day it was set with --date."
        )
    ws = load(workspace, quiet=True)
    if new["complaint"]:
        _check_complaint(ws, new["complaint"], workspace)
    prompt = new["complaint"] or new["survey"] or new["person"] or new["org"] or new["owner"]
    base = id_slug(f"improve-{prompt}-{day.isoformat()}")
    data = {
        "id": new["record_id"] or unique_id(base, set(ws.actions)),
        "owner": new["owner"],
        "action": new["text"],
        "origin": ActionOrigin.IMPROVEMENT,
        "person": new["person"],
        "org": new["org"],
        "opportunity": new["opportunity"],
        "created": day,
        "due": new["due"],
        "complaint": new["complaint"],
        "survey": new["survey"],
        "notes": new["notes"],
    }
    try:
        record = Action.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        raw = RawRecord("actions", data, Location("command line"))
        raise WorkspaceInvalid(problems_from(exc, raw, Action)) from None
    written = append_records(workspace, [record])
    if as_json:
        click.echo(_json({"added": record.id, "files": [str(p) for p in written]}))
        return
    # the names are those of the workspace read above: the new record was checked against it
    owner = ws.owners[record.owner].name
    targets = [ws.persons[record.person].name] if record.person else []
    if record.org:
        targets.append(ws.organisations[record.org].name)
    target = " → " + " / ".join(targets) if targets else ""
    due = f", due {record.due}" if record.due else ""
    echo(
        f"Added action {record.id} for {owner}{target}{due}. "
        f"Wrote {', '.join(str(p) for p in written)}."
    )


def _check_complaint(ws: Workspace, complaint: str, workspace: Path) -> None:
    """The complaint an improvement answers must be a logged complaint."""
    complaints = [i.id for i in ws.interactions.values() if i.kind == InteractionKind.COMPLAINT]
    interaction = ws.interactions.get(complaint)
    if interaction is None:
        raise _unknown("complaint", complaint, complaints, f"the interactions of {workspace}")
    if interaction.kind != InteractionKind.COMPLAINT:
        raise StakegraphError(
            f"interaction '{complaint}' is a {interaction.kind.value}, not a complaint; "
            f"link a complaint ({', '.join(complaints[-5:]) or 'none logged'}) or use --survey."
        )


def _update(
    workspace: Path,
    action_id: str,
    mark_done: bool,
    status: str | None,
    day: dt.date | None,
    as_json: bool,
) -> None:
    """Change the status (and done date) of one action in place."""
    from stakegraph.io.update import update_record

    target = ActionStatus.DONE if mark_done else None
    if status is not None:
        try:
            chosen = ActionStatus(status)
        except ValueError:
            raise StakegraphError(f"unknown status '{status}'; use one of: {_STATUSES}.") from None
        if target is not None and chosen != target:
            raise StakegraphError(f"--done and --status {status} disagree; give one of them.")
        target = chosen
    assert target is not None
    ws = load(workspace, quiet=True)
    action = ws.actions.get(action_id)
    if action is None:
        raise _unknown("action", action_id, list(ws.actions), str(workspace))
    changes: dict[str, Any]
    if target == ActionStatus.DONE:
        if action.status == ActionStatus.DONE:
            on = f" on {action.done}" if action.done else ""
            raise StakegraphError(f"action '{action_id}' is already done{on}; nothing was written.")
        day = day or _today()
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
    written = update_record(workspace, "actions", action_id, changes)
    if as_json:
        click.echo(
            _json(
                {
                    "updated": action_id,
                    "status": target.value,
                    "done": changes.get("done"),
                    "files": [str(written)],
                }
            )
        )
        return
    echo(f"Action {action_id}: {shown}. Wrote {written}.")


COMMANDS = (act,)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
