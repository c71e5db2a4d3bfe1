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

from stakegraph.cli.common import (
    DATE,
    RECORD_ID,
    _console,
    _json,
    _today,
    as_of_option,
    handle_errors,
    json_option,
    load,
    quiet_option,
)
from stakegraph.cli.source import load_chosen_source, neo4j_options
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
    type=RECORD_ID,
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
    click.echo(
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
    click.echo(f"Action {action_id}: {shown}. Wrote {written}.")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _cover(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _points(change: float | None) -> str:
    if change is None:
        return "—"
    return f"{'+' if change >= 0 else ''}{100 * change:.1f} pts"


@click.command("review")
@click.argument("workspace", required=False, type=click.Path(exists=True, path_type=Path))
@neo4j_options
@click.option("--opportunity", "-o", default=None, help="Only the actions of this opportunity.")
@click.option(
    "--since",
    type=DATE,
    default=None,
    help="Only actions created on or after this day (YYYY-MM-DD), e.g. the latest plan.",
)
@as_of_option
@json_option
@quiet_option
@handle_errors
def review_command(
    workspace: Path | None,
    opportunity: str | None,
    since: dt.date | None,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
    **source: Any,
) -> None:
    """Progress against the action plan (执行与纠偏, step 5 of the five steps).

    For every action (actions.yaml; `stakegraph plan --save` writes plan lines):
    its status, due date, the logged interactions showing it was carried out
    (after it was set, naming its owner and its person or organisation), the
    target's cover when planned → now, and what needs correction: 逾期 overdue,
    覆盖未提升 done but cover not improved, 无互动 no contact logged, 责任人变动
    owner left or no longer responsible, 对象轮岗 target rotated out of their post.
    Totals: executed (done or with evidence) vs planned, per opportunity and owner.

    \b
    Example:
      stakegraph review examples/smart-city --as-of 2026-11-28
      stakegraph review --neo4j --workspace smart-city --as-of 2026-11-28
    """
    from stakegraph.analysis.review import review
    from stakegraph.graph.network import build_network

    ws = load_chosen_source(workspace, quiet or as_json, source)
    if opportunity:
        ws.get("opportunities", opportunity)
    day = as_of or _today()
    data = review(build_network(ws, day), since=since, opportunity=opportunity).to_dict()
    if as_json:
        click.echo(_json(data))
        return
    console = _console()
    if not data["actions"]:
        # plan --save writes to a folder, so with --neo4j point at the folder that was pushed
        where = workspace or "WORKSPACE"
        found = workspace or f"the stored workspace '{source.get('neo4j_workspace') or ws.name}'"
        console.print(
            f"No actions to review in {found} as of {day}. Save a plan first: "
            f"stakegraph plan {where} --opportunity ID --save",
            markup=False,
        )
        return
    from rich.table import Table

    table = Table(
        title=f"行动计划执行 progress against the plan — as of {day}", title_justify="left"
    )
    for column in (
        "对象 target",
        "责任人 owner",
        "行动 action",
        "状态 status",
        "期限 due",
        "互动 evidence",
        "覆盖 cover then→now",
        "需纠偏 needs correction",
    ):
        table.add_column(column, overflow="fold")
    for row in data["actions"]:
        target = row["person_name"] or row["org_name"] or ""
        due = row["due"] or "—"
        if row["overdue"]:
            due = f"[red]{due} (+{row['days_overdue']}d)[/]"
        cover = f"{_cover(row['baseline_cover'])} → {_cover(row['cover'])}"
        reasons = "\n".join(r["label"] for r in row["reasons"])
        table.add_row(
            target,
            row["owner_name"] or row["owner"],
            _short(row["action"]),
            row["status_label"],
            due,
            str(row["evidence_count"]),
            cover,
            f"[yellow]{_escape(reasons)}[/]" if reasons else "[green]✓[/]",
        )
    console.print(table)
    flagged = [row for row in data["actions"] if row["reasons"]]
    if flagged:
        console.print()
        console.print("[bold]需纠偏 what to correct[/]")
        for row in flagged:
            target = row["person_name"] or row["org_name"] or ""
            who = f"{target} ({row['owner_name'] or row['owner']}, {row['id']})"
            for reason in row["reasons"]:
                console.print(f"  • {_escape(who)} {reason['label']}: {_escape(reason['text'])}")
    console.print()
    totals = Table(title="执行 vs 计划 executed vs planned", title_justify="left")
    for column in ("", "planned", "executed", "done", "overdue", "needs correction", "rate"):
        totals.add_column(column)

    def add(label: str, tally: dict[str, Any]) -> None:
        totals.add_row(
            label,
            str(tally["planned"]),
            str(tally["executed"]),
            str(tally["done"]),
            str(tally["overdue"]),
            str(tally["needs_correction"]),
            _pct(tally["rate"]),
        )

    add("[bold]合计 total[/]", data["totals"])
    for row in data["by_opportunity"]:
        add(f"商机 {row['name']}" if row["opportunity"] else row["name"], row)
    for row in data["by_owner"]:
        add(f"责任人 {row['name']}", row)
    console.print(totals)


def _short(text: str, limit: int = 60) -> str:
    head = text.split(" | ")[0]
    return _escape(head if len(head) <= limit else head[: limit - 1] + "…")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@click.command("diff")
@click.argument("workspace", required=False, type=click.Path(exists=True, path_type=Path))
@neo4j_options
@click.option("--from", "from_day", type=DATE, default=None, help="The earlier day (YYYY-MM-DD).")
@click.option(
    "--to",
    "to_day",
    type=DATE,
    default=None,
    help="The later day (YYYY-MM-DD). Default: --as-of, else today.",
)
@click.option(
    "--against",
    "against",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="An older version of the workspace (folder or .xlsx): what changed from it to "
    "WORKSPACE (or the --neo4j workspace), both seen on --as-of.",
)
@click.option("--opportunity", "-o", default=None, help="Only this opportunity (default: all).")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Size of the influence top list to compare.",
)
@as_of_option
@json_option
@quiet_option
@handle_errors
def diff_command(
    workspace: Path | None,
    from_day: dt.date | None,
    to_day: dt.date | None,
    against: Path | None,
    opportunity: str | None,
    top: int,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
    **source: Any,
) -> None:
    """What changed (时间对比): rotations, levels, new ties, coverage and influence moves.

    Between two days of one workspace (--from, --to), or between an older version
    of it (--against OLD) and WORKSPACE on one day (--as-of). With --neo4j the
    workspace is the one stored in Neo4j; OLD is always a folder or workbook.
    Lists who rotated in and out of which posts (轮岗), relationships whose level
    (from the six scores) rose or fell, relationships and informal ties (非正式组织)
    added, and for each opportunity the coverage on each side, role holders that
    changed and influence rank moves (who entered or left the top --top).

    \b
    Examples:
      stakegraph diff examples/smart-city --from 2026-06-30 --to 2026-11-28
      stakegraph diff my-account --against my-account-june/ --as-of 2026-11-28
      stakegraph diff --neo4j --workspace smart-city --from 2026-06-30 --to 2026-11-28
    """
    from stakegraph.analysis.diff import diff, diff_workspaces
    from stakegraph.errors import StakegraphError
    from stakegraph.progress import Progress

    if against is not None and (from_day or to_day):
        raise StakegraphError("use --from/--to (two days) or --against (two versions), not both.")
    if against is None and from_day is None:
        raise StakegraphError(
            "give --from DATE (and --to DATE) to compare two days, or --against OLD to "
            "compare with an older version of the workspace."
        )
    if to_day is not None and as_of is not None and to_day != as_of:
        raise StakegraphError("--to and --as-of name different days; give only --to.")
    ws = load_chosen_source(workspace, quiet or as_json, source)
    opportunities = None
    if opportunity:
        opportunities = [opportunity]
    old = load(against, quiet=quiet or as_json) if against is not None else None
    if opportunity and (old is None or opportunity not in old.opportunities):
        ws.get("opportunities", opportunity)  # the usual unknown-id message
    compared = opportunities or list(
        dict.fromkeys([*(old.opportunities if old else []), *ws.opportunities])
    )
    with Progress("comparing opportunities", total=len(compared), quiet=quiet or as_json) as bar:
        if old is not None:
            result = diff_workspaces(
                old, ws, as_of or _today(), opportunities, top, progress=bar.advance
            )
        else:
            assert from_day is not None
            result = diff(
                ws,
                from_day,
                to_day or as_of or _today(),
                opportunities,
                top,
                progress=bar.advance,
            )
    data = result.to_dict()
    if as_json:
        click.echo(_json(data))
        return
    print_diff(data)


def print_diff(data: dict[str, Any]) -> None:
    """The tables of a diff, one per kind of change (only kinds that changed)."""
    from rich.table import Table

    console = _console()
    if data["mode"] == "dates":
        head = f"变化 what changed: {data['from']} → {data['to']}"
    else:
        head = f"变化 what changed: {data['before']} → {data['after']} (as of {data['to']})"
    console.print(f"[bold]{_escape(head)}[/]")
    if data["empty"]:
        console.print("Nothing changed.")
        return

    def table(title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        if not rows:
            return
        out = Table(title=title, title_justify="left")
        for column in columns:
            out.add_column(column, overflow="fold")
        for row in rows:
            out.add_row(*(_escape(str(c)) for c in row))
        console.print()
        console.print(out)

    table(
        "轮岗 rotations",
        ("date", "person", "change", "post"),
        [
            (r["date"] or "—", r["name"], r["change_label"], r["post_label"])
            for r in data["rotations"]
        ],
    )
    table(
        "关系层级变化 relationship levels",
        ("owner", "person", "before", "after", "", "strength"),
        [
            (
                c["owner_name"],
                c["person_name"],
                c["before_label"],
                c["after_label"],
                "↑ up" if c["direction"] == "up" else "↓ down",
                f"{c['strength_before']:.2f} → {c['strength_after']:.2f}",
            )
            for c in data["level_changes"]
        ],
    )
    for key, title in (
        ("relationships_added", "新增关系 relationships added"),
        ("relationships_removed", "移除关系 relationships removed"),
    ):
        table(
            title,
            ("owner", "person", "since", "level"),
            [(x["a_name"], x["b_name"], x["since"] or "—", x["detail"]) for x in data[key]],
        )
    for key, title in (
        ("ties_added", "新增非正式关系 ties added"),
        ("ties_removed", "移除非正式关系 ties removed"),
    ):
        table(
            title,
            ("person", "person", "since", "kind"),
            [(x["a_name"], x["b_name"], x["since"] or "—", x["detail"]) for x in data[key]],
        )
    for opp in data["opportunities"]:
        console.print()
        console.print(
            f"[bold]商机 {_escape(opp['name'])}[/] ({_escape(opp['opportunity'])}): coverage "
            f"{_pct(opp['coverage_before'])} → {_pct(opp['coverage_after'])} "
            f"({_points(opp['coverage_change'])})"
        )
        table(
            "覆盖 coverage per step",
            ("step", "before", "after", "change"),
            [
                (s["name"], _pct(s["before"]), _pct(s["after"]), _points(s["change"]))
                for s in opp["steps"]
                if s["change"] != 0
            ],
        )
        table(
            "角色人员变化 role holders",
            ("step", "post", "before", "after"),
            [
                (
                    h["step_name"],
                    h["post_label"] or "—",
                    ", ".join(h["before"]) or "空缺 vacant",
                    ", ".join(h["after"]) or "空缺 vacant",
                )
                for h in opp["holders"]
            ],
        )
        moved = [r for r in opp["ranks"] if r["change"] != 0]
        table(
            f"影响力排名 influence ranks (top {data['top']} and role holders that moved)",
            ("person", "before", "after", "move"),
            [
                (
                    r["name"],
                    str(r["before"] or "—"),
                    str(r["after"] or "—"),
                    _rank_move(r, data["top"]),
                )
                for r in moved
            ],
        )


def _rank_move(row: dict[str, Any], top: int) -> str:
    text = "" if row["change"] is None else f"{'+' if row['change'] > 0 else ''}{row['change']}"
    if row["top_after"] and not row["top_before"]:
        text += f" entered top {top}"
    elif row["top_before"] and not row["top_after"]:
        text += f" left top {top}"
    return text.strip()


__all__ = ["COMMANDS", "diff_command", "print_diff", "register", "review_command"]


COMMANDS = (
    act,
    review_command,
    diff_command,
)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
