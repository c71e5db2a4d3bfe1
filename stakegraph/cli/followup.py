"""Follow-up: progress against the plan (``review``), what changed (``diff``), and the
actions themselves (``act``).

Steps 4–5 of the five steps live in actions.yaml: ``plan --save`` writes plan
lines, ``review`` and ``surveys`` read them. ``act`` keeps them current without
editing the file by hand: it appends an improvement (改进措施) after a complaint
or a survey, or changes one action's status (done, in progress, dropped) in
place, leaving every other line of the file as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from stakegraph.cli.common import (
    DATE,
    RECORD_ID,
    LazyHelpOption,
    SafePath,
    _console,
    _json,
    _today,
    as_of_option,
    echo,
    handle_errors,
    json_option,
    load,
    quiet_option,
    settle_language,
)
from stakegraph.cli.source import Source, named, team_store, workspace_source
from stakegraph.errors import StakegraphError

#: Options of a new action whose parameter is named apart from the flag.
_FLAGS = {"text": "--action", "record_id": "--id"}


def _statuses() -> str:
    from stakegraph.records.words import ACTION_STATUSES

    return ACTION_STATUSES


@click.command("act")
@workspace_source(must_exist=False, writes=True)
@click.argument("action_id", required=False)
@click.option(
    "--done",
    "mark_done",
    is_flag=True,
    help="Mark ACTION_ID done, on --date (default today).",
)
@click.option(
    "--status",
    default=None,
    cls=LazyHelpOption,
    help_text=lambda: f"Set the status of ACTION_ID: {_statuses()}.",
)
@click.option(
    "--owner",
    default=None,
    help="New action: our owner who carries it out (责任人): id, name, alias or pinyin.",
)
@click.option("--action", "text", default=None, help="New action: what is to be done.")
@click.option(
    "--person",
    default=None,
    help="New action: the official it is for: id, name, alias or pinyin.",
)
@click.option(
    "--org",
    default=None,
    help="New action: the organisation it is for: id, name, alias or pinyin.",
)
@click.option("--complaint", default=None, help="New action: the complaint it answers (its id).")
@click.option("--survey", default=None, help="New action: the survey it answers (its id).")
@click.option(
    "--opportunity",
    default=None,
    help="New action: the opportunity it serves: id, name, alias or pinyin.",
)
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
    source: Source,
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
    Examples (on a copy: cp -r examples/smart-city my-city):
      stakegraph act my-city --owner qin-lang --org jc-fin \\
          --action "预算系统扩容，年底高峰前完成压测" --due 2026-12-15 \\
          --complaint 2026-11-24-fin-complaint
      stakegraph act my-city --done plan-smart-city-du-mingchuan --date 2026-11-28
      stakegraph act my-city --status in_progress fix-2026-h1-delivery
      stakegraph act --neo4j --workspace smart-city --done plan-smart-city-du-mingchuan
    """
    if source.neo4j and source.path is not None and action_id is None:
        # with --neo4j there is no folder: the one argument is the action
        action_id, source = str(source.path), replace(source, path=None)
    source.check()
    workspace: Any = source.path if source.path is not None else source
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
            f"stakegraph act {source.path or '--neo4j'} ACTION_ID "
            f"{'--done' if mark_done else '--status …'}."
        )
    if not mark_done and status is None:
        raise StakegraphError(
            f"say what happened to action '{action_id}': --done, or --status with one of "
            f"{_statuses()}."
        )
    _update(workspace, action_id, mark_done, status, day, as_json)


def _add(workspace: Path | Source, day: dt.date | None, as_json: bool, **new: Any) -> None:
    """Append one improvement action and say what was added."""
    from stakegraph.io.journal import add_improvement, build_improvement

    if isinstance(workspace, Source):
        from stakegraph.engines.neo4j_team import append_records

        with team_store(workspace) as (store, workspace_id):
            ws = settle_language(store.pull(workspace_id))
            place = f"workspace '{workspace_id}' at {store.uri}"
            record = build_improvement(ws, day=day or _today(), where=place, **new)
            done = append_records(
                store, workspace_id, [record], allocate_ids=not new.get("record_id")
            )
            record = record.model_copy(update={"id": done.ids[0]})
            uri = store.uri
        if as_json:
            click.echo(_json({"added": record.id, "workspace": workspace_id}))
            return
        _say_added(ws, record, workspace_id, uri)
        return
    else:
        record, ws, written = add_improvement(workspace, day=day or _today(), **new)
        if as_json:
            click.echo(_json({"added": record.id, "files": [str(p) for p in written]}))
            return
    _say_added(settle_language(ws), record, None, None, written)


def _say_added(
    ws: Any, record: Any, workspace_id: str | None, uri: str | None, written: Any = ()
) -> None:
    """The line of a new action, in the run's language."""
    # the names are those of the workspace the new record was checked against
    owner = ws.owners[record.owner].name
    targets = [ws.persons[record.person].name] if record.person else []
    if record.org:
        targets.append(ws.organisations[record.org].name)
    target = " → " + " / ".join(targets) if targets else ""
    if workspace_id is not None:
        from stakegraph.views.write_lines import team_line

        due = team_line("due", due=record.due) if record.due else ""
        wrote = team_line("wrote", workspace=workspace_id, uri=uri)
        owned = {"owner": owner, "target": target, "due": due}
        echo(team_line("action_added", id=record.id, wrote=wrote, **owned))
        return
    from stakegraph.views.write_lines import team_line

    due = team_line("due", due=record.due) if record.due else ""
    wrote = team_line("wrote_files", files=", ".join(str(p) for p in written))
    echo(team_line("action_added", id=record.id, owner=owner, target=target, due=due, wrote=wrote))


def _update(
    workspace: Path | Source,
    action_id: str,
    mark_done: bool,
    status: str | None,
    day: dt.date | None,
    as_json: bool,
) -> None:
    """Change the status (and done date) of one action in place and say so."""
    from stakegraph.io.journal import set_action_status

    if isinstance(workspace, Source):
        from stakegraph.engines import neo4j_journal

        with team_store(workspace) as (store, workspace_id):
            updated, shown, done = neo4j_journal.set_action_status(
                store,
                workspace_id,
                action_id,
                mark_done=mark_done,
                status=status,
                day=day,
                today=_today(),
                on_read=settle_language,
            )
            uri = store.uri
        if as_json:
            data = {"updated": action_id, "status": updated.status.value, "done": updated.done}
            click.echo(_json({**data, "version": done.versions[action_id]}))
            return
        from stakegraph.views.write_lines import team_line, team_word

        wrote = team_line("wrote", workspace=workspace_id, uri=uri)
        version = done.versions[action_id]
        if updated.done is not None:
            line = team_line("action_done", id=action_id, day=updated.done, version=version,
                             wrote=wrote)  # fmt: skip
        else:
            status = team_word("ActionStatus", updated.status.value)
            line = team_line("action_status", id=action_id, status=status, version=version,
                             wrote=wrote)  # fmt: skip
        echo(line)
        return

    change = set_action_status(
        workspace, action_id, mark_done=mark_done, status=status, day=day, today=_today()
    )
    if as_json:
        click.echo(
            _json(
                {
                    "updated": action_id,
                    "status": change.status.value,
                    "done": change.done,
                    "files": [str(change.written)],
                }
            )
        )
        return
    echo(f"Action {action_id}: {change.shown}. Wrote {change.written}.")


@click.command("review")
@workspace_source
@click.option(
    "--opportunity",
    "-o",
    default=None,
    help="Only the actions of this opportunity: id, name, alias or pinyin.",
)
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
    source: Source,
    opportunity: str | None,
    since: dt.date | None,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
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

    ws = source.load(quiet or as_json)
    day = as_of or _today()
    opportunity = named(ws, "opportunity", opportunity, day, "--opportunity")
    from stakegraph.views.json_out import review_document

    data = review_document(review(build_network(ws, day), since=since, opportunity=opportunity))
    if as_json:
        click.echo(_json(data))
        return
    console = _console()
    if not data["actions"]:
        # plan --save writes to a folder, so with --neo4j point at the folder that was pushed
        where = source.path or "WORKSPACE"
        found = source.label(ws)
        console.print(
            f"No actions to review in {found} as of {day}. Save a plan first: "
            f"stakegraph plan {where} --opportunity ID --save",
            markup=False,
        )
        return
    from rich.text import Text

    from stakegraph.views.followup_tables import (
        correction_lines,
        review_table,
        review_totals_table,
    )
    from stakegraph.views.terminal import rich_table

    console.print(rich_table(review_table(data["actions"], day)))
    corrections = correction_lines(data["actions"])
    if corrections:
        console.print()
        console.print(Text("需纠偏 what to correct", style="bold"))
        for line in corrections:
            console.print(line, markup=False)
    console.print()
    console.print(rich_table(review_totals_table(data)))


@click.command("diff")
@workspace_source
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
    type=SafePath(exists=True, path_type=Path),
    default=None,
    help="An older version of the workspace (folder or .xlsx): what changed from it to "
    "WORKSPACE (or the --neo4j workspace), both seen on --as-of.",
)
@click.option(
    "--opportunity",
    "-o",
    default=None,
    help="Only this opportunity: id, name, alias or pinyin (default: all).",
)
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
    source: Source,
    from_day: dt.date | None,
    to_day: dt.date | None,
    against: Path | None,
    opportunity: str | None,
    top: int,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
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
    ws = source.load(quiet or as_json)
    old = load(against, quiet=quiet or as_json) if against is not None else None
    if opportunity:
        opportunity = _diff_opportunity(ws, old, opportunity, to_day or as_of)
    opportunities = [opportunity] if opportunity else None
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
    from stakegraph.views.json_out import diff_document

    data = diff_document(result)
    if as_json:
        click.echo(_json(data))
        return
    from rich.text import Text

    from stakegraph.views.followup_tables import diff_heading, diff_tables
    from stakegraph.views.terminal import rich_table

    console = _console()
    console.print(Text(diff_heading(data), style="bold"))
    if data["empty"]:
        console.print("Nothing changed.")
        return
    for item in diff_tables(data):
        console.print()
        console.print(Text(item, style="bold") if isinstance(item, str) else rich_table(item))


def _diff_opportunity(ws: Any, old: Any, text: str, day: dt.date | None) -> str:
    """The opportunity named: in the workspace, else in the older version (--against)."""
    from stakegraph.errors import UnknownRecord

    try:
        return named(ws, "opportunity", text, day, "--opportunity") or text
    except UnknownRecord:
        if old is None:
            raise
        return named(old, "opportunity", text, day, "--opportunity") or text


__all__ = ["COMMANDS", "diff_command", "register", "review_command"]


COMMANDS = (
    act,
    review_command,
    diff_command,
)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
