"""Commands that bring public records in: appointment tables, and the ties they imply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from stakegraph.cli.common import (
    SafePath,
    _json,
    echo_warnings,
    handle_errors,
    json_option,
    problem_line,
)

#: Changed records listed one per line before "… and N more".
SHOWN_CHANGES = 20


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip() or not rest.strip():
            raise click.UsageError(f"{option} takes NAME=VALUE, got {value!r}.")
        out[key.strip()] = rest.strip()
    return out


@click.group("import")
def import_group() -> None:
    """Import public records into a workspace (导入任免信息).

    \b
    Example:
      stakegraph import appointments examples/imports/cabinet-appointments.csv /tmp/cabinet
    """


@import_group.command("appointments")
@click.argument("file", type=SafePath(exists=True, dir_okay=False, path_type=Path))
@click.argument("workspace", type=SafePath(path_type=Path))
@click.option(
    "--mapping",
    "mapping_file",
    type=SafePath(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help='A TOML file naming the table\'s columns ([columns] person = "Member"), rank words '
    '([ranks] "部长级" = "正部") and a default grade ([defaults] grade = "正处").',
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=HEADER",
    help="The column of a field, e.g. --column person=Member (repeatable; over the mapping). "
    "Fields: person, post, organisation, start, end, title, acting, concurrent, rank, "
    "person_id, post_id, org_id, org_kind, level, region, born, hometown, school.",
)
@click.option(
    "--rank",
    "ranks",
    multiple=True,
    metavar="WORD=GRADE",
    help="Read a rank word as a grade, e.g. --rank 部长级=正部 or --rank Cabinet=9 (repeatable).",
)
@click.option(
    "--default-grade",
    default=None,
    help="Grade of new posts whose rows give no rank (a name such as 正处, or a number). "
    "Without it such posts are reported and nothing is written.",
)
@click.option(
    "--to",
    "fmt",
    type=click.Choice(["yaml", "csv", "xlsx"]),
    default=None,
    help="Format of a new workspace (default: xlsx for *.xlsx, else yaml). An existing "
    "workspace keeps its format.",
)
@click.option(
    "--settings",
    "settings_file",
    type=SafePath(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A stakegraph.toml for a new workspace: its grade scale reads the ranks; copied in.",
)
@click.option(
    "--derive-ties",
    is_flag=True,
    help="Then bring the derived ties up to date (see derive-ties; not with --dry-run).",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@json_option
@handle_errors
def appointments(
    file: Path,
    workspace: Path,
    mapping_file: Path | None,
    columns: tuple[str, ...],
    ranks: tuple[str, ...],
    default_grade: str | None,
    fmt: str | None,
    settings_file: Path | None,
    derive_ties: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import an appointments table (任免表) FILE into WORKSPACE.

    FILE is a .csv (UTF-8 or GB18030) or .xlsx table, one row per person, post
    and period. Chinese and English headers are recognised: 姓名/name,
    职务/post, 单位/organisation, 任职开始/start, 任职结束/end, 头衔/title,
    代理/主持工作/acting, 职级/rank, and optional ids, region, born, 籍贯 and 毕业院校.

    WORKSPACE is created when it does not exist (or is an empty folder);
    otherwise organisations, posts, persons and tenures are matched (by id, else
    by name) and only what is new or changed is written. Ids are readable:
    刘德华 → liu-dehua, 外交部 → wai-jiao-bu. Re-running with the same file
    changes nothing. Every bad row is reported (file, row, column) and nothing
    is written; handover overlaps of a few days stay as warnings for `check`.

    \b
    Examples:
      stakegraph import appointments examples/imports/cabinet-appointments.csv /tmp/cabinet
      stakegraph import appointments 任免.csv /tmp/ws --rank 部长级=正部 --dry-run
      stakegraph import appointments members.xlsx /tmp/hill --mapping hill.toml --derive-ties
    """
    from stakegraph.io.appointments import FIELDS, Mapping, load_mapping
    from stakegraph.io.appointments_import import import_appointments

    mapping = load_mapping(mapping_file) if mapping_file else Mapping()
    extra_columns = _pairs(columns, "--column")
    for name in extra_columns:
        if name not in FIELDS:
            raise click.UsageError(
                f"--column names an unknown field '{name}'; fields: {', '.join(FIELDS)}."
            )
    mapping.columns.update(extra_columns)
    mapping.ranks.update(_pairs(ranks, "--rank"))
    result = import_appointments(
        workspace,
        file,
        mapping=mapping,
        default_grade=default_grade,
        fmt=fmt,
        settings_file=settings_file,
        dry_run=dry_run,
    )
    sync = None
    if derive_ties and not dry_run:
        sync = _derive(workspace, dry_run=False)
    if as_json:
        data = result.to_dict()
        if sync is not None:
            data["derived_ties"] = sync.to_dict()
        click.echo(_json(data))
        return
    _print_import(result)
    if sync is not None:
        _print_sync(sync, listing=False)


def _print_import(result: Any) -> None:
    for note in result.notes:
        click.echo(click.style("note: ", fg="yellow") + problem_line(note), err=True)
    counts = result.counts()
    verb = "Would import" if result.dry_run else "Imported"
    parts = []
    for kind, by_action in counts.items():
        done = [f"{n} {action}" for action, n in by_action.items() if n]
        if done:
            parts.append(f"{kind}s: {', '.join(done)}")
    what = "; ".join(parts) if parts else "nothing new or changed"
    click.echo(f"{verb} {result.rows} rows of {result.source} into {result.workspace}: {what}.")
    changed = [c for c in result.changes if c.action != "added"]
    for change in changed[:SHOWN_CHANGES]:
        fields = f" ({', '.join(change.fields)})" if change.fields else ""
        detail = f", {change.detail}" if change.detail else ""
        click.echo(f"  {change.action} {change.kind} {change.id}{fields}{detail}")
    if len(changed) > SHOWN_CHANGES:
        click.echo(f"  … and {len(changed) - SHOWN_CHANGES} more (--json lists them all)")
    if result.dry_run:
        click.echo("Dry run: nothing was written.")
    elif result.written:
        click.echo(f"Wrote {len(result.written)} file(s).")
    echo_warnings(result.warnings)


def _derive(workspace: Path, *, dry_run: bool, remove: bool = False, min_days: int = 30) -> Any:
    from stakegraph.io.derived_ties import sync_derived_ties

    def derive(ws: Any) -> Any:
        from stakegraph.analysis.derived_ties import derive_ties

        found = derive_ties(ws, min_days=min_days)
        return found.ties, found.skipped_groups

    return sync_derived_ties(workspace, None if remove else derive, dry_run=dry_run)


def _print_sync(sync: Any, *, listing: bool) -> None:
    counts = sync.counts()
    done = ", ".join(f"{n} {action}" for action, n in counts.items() if n) or "no change"
    verb = "Would change" if sync.dry_run else "Derived ties"
    click.echo(f"{verb}: {done}; {len(sync.ties)} derived tie(s) in all.")
    if listing:
        for tie in sync.ties:
            click.echo(
                f"  {tie.a} – {tie.b}  {tie.kind.value}  strength {tie.strength:g}, "
                f"confidence {tie.confidence:g}: {tie.notes}"
            )
    else:
        for change in sync.changes[:SHOWN_CHANGES]:
            click.echo(f"  {change.action} {change.id}: {change.detail}")
        if len(sync.changes) > SHOWN_CHANGES:
            click.echo(f"  … and {len(sync.changes) - SHOWN_CHANGES} more (--list shows all)")
    for tag, size in sorted(sync.skipped_groups.items()):
        click.echo(f"  skipped {tag}: {size} persons share it (too many to tie).", err=True)
    if sync.dry_run:
        click.echo("Dry run: nothing was written.")


@click.command("derive-ties")
@click.argument("workspace", type=SafePath(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--list",
    "listing",
    is_flag=True,
    help="List every derived tie with its evidence (writes nothing).",
)
@click.option("--remove", is_flag=True, help="Remove every derived tie (typed ties stay).")
@click.option(
    "--min-days",
    type=click.IntRange(1, 36500),
    default=30,
    show_default=True,
    help="Shortest overlap of two tenures in one organisation that makes colleagues.",
)
@json_option
@handle_errors
def derive_ties(
    workspace: Path, dry_run: bool, listing: bool, remove: bool, min_days: int, as_json: bool
) -> None:
    """Derive ties from the record: 老同事 former colleagues, fellow committee members,
    同学 classmates and 同乡 hometown.

    Colleagues: tenures overlapping at least --min-days in one organisation;
    strength = min(1, days / 730) / (1 + grade difference), the grade term left
    out in committees, congresses and party committees; confidence 0.6.
    Classmates and hometown: persons sharing a tag school:… or hometown:…
    (written by `import appointments` from 毕业院校 and 籍贯); strength 0.4 and
    0.3, confidence 0.3. Derived ties carry source 'derived' and their evidence
    in notes; a tie typed by a person for the same pair and kind always wins.
    A second run changes nothing.

    \b
    Examples:
      stakegraph derive-ties /tmp/cabinet --list
      stakegraph derive-ties /tmp/cabinet
      stakegraph derive-ties /tmp/cabinet --remove
    """
    if remove and listing:
        raise click.UsageError("--list and --remove do not go together.")
    sync = _derive(workspace, dry_run=dry_run or listing, remove=remove, min_days=min_days)
    if as_json:
        click.echo(_json(sync.to_dict()))
        return
    _print_sync(sync, listing=listing)


__all__ = ["COMMANDS", "appointments", "derive_ties", "import_group", "register"]


COMMANDS = (import_group, derive_ties)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
