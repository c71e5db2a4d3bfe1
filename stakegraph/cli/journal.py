"""Commands that keep the map alive: log interactions, check scores, re-assess, trends.

``log`` appends interactions (one, or many from a CSV/xlsx file), ``evidence``
sets typed scores beside what the log says, ``assess`` adds a dated re-assessment
and ``history`` shows the trend of a person's relationships. Nothing here edits
an existing record: each change is a new record appended to the workspace files.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import replace
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
from stakegraph.errors import StakegraphError, WorkspaceInvalid
from stakegraph.io.common import id_slug, unique_id
from stakegraph.records.model import (
    SCORE_DIMENSIONS,
    Assessment,
    Interaction,
    InteractionKind,
    RelationshipLevel,
)
from stakegraph.records.workspace import RawRecord, problems_from

_KINDS = ", ".join(f"{k.value}" for k in InteractionKind)
_LEVELS = "vendor (卖主关系), preferred (被优先考虑的供应商), partner (合作伙伴关系), strategic (战略联盟关系)"


def _read_interactions(source: Path) -> tuple[list[Interaction], dict[str, RawRecord]]:
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


def _located(exc: WorkspaceInvalid, rows: dict[str, RawRecord]) -> WorkspaceInvalid:
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


@click.command("log")
@click.argument("workspace", type=click.Path(exists=True, path_type=Path))
@click.option("--date", "day", type=DATE, default=None, help="Day it happened (default today).")
@click.option(
    "--kind",
    default=None,
    help=f"What happened: {_KINDS} (or 拜访, 会议, 活动, 电话, 投诉, 调研, 签约).",
)
@click.option("--owner", "owners", multiple=True, help="Our owner present (repeat for more).")
@click.option("--person", "persons", multiple=True, help="Their official present (repeatable).")
@click.option("--org", "orgs", multiple=True, help="Organisation involved (repeatable).")
@click.option("--notes", default=None, help="What was said or agreed.")
@click.option(
    "--information-shared",
    is_flag=True,
    help="They passed us information (evidence for 信息传递度).",
)
@click.option(
    "--id",
    "record_id",
    type=RECORD_ID,
    default=None,
    help="Id of the record (default: date-kind-person).",
)
@click.option(
    "--import",
    "source",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Append every interaction of a CSV file or of the 'interactions' sheet of a workbook.",
)
@json_option
@handle_errors
def log(
    workspace: Path,
    day: dt.date | None,
    kind: str | None,
    owners: tuple[str, ...],
    persons: tuple[str, ...],
    orgs: tuple[str, ...],
    notes: str | None,
    information_shared: bool,
    record_id: str | None,
    source: Path | None,
    as_json: bool,
) -> None:
    """Append to the interactions log (互动记录): one interaction, or many from a file.

    The log is the evidence behind the participation and information scores and
    refreshes each relationship's last contact. The workspace is validated with the
    new records first; on any problem nothing is written.

    \b
    Examples:
      stakegraph log examples/smart-city --date 2026-11-27 --kind visit \\
          --owner liu-kai --person xu-zhiheng --information-shared --notes "汇报一期范围"
      stakegraph log examples/smart-city --import visits.csv
    """
    from stakegraph.io.append import append_records

    if source is not None:
        if kind or owners or persons or orgs or notes or record_id:
            raise StakegraphError(
                "--import takes the interactions from the file; drop the other options."
            )
        records, rows = _read_interactions(source)
        try:
            written = append_records(workspace, records)
        except WorkspaceInvalid as exc:
            raise _located(exc, rows) from None
    else:
        if not kind:
            raise StakegraphError(
                "say what happened with --kind (e.g. --kind visit), or use --import FILE."
            )
        if not owners and not persons and not orgs:
            raise StakegraphError("name who took part: --owner, --person or --org.")
        try:
            kind_value = InteractionKind(kind)
        except ValueError:
            raise StakegraphError(f"unknown kind '{kind}'; use one of: {_KINDS}.") from None
        day = day or _today()
        ws = load(workspace, quiet=True)
        base = record_id or id_slug(
            f"{day.isoformat()}-{kind_value.value}-{(persons or orgs or owners)[0]}"
        )
        records = [
            Interaction(
                id=record_id or unique_id(base, set(ws.interactions)),
                date=day,
                kind=kind_value,
                owners=list(owners),
                persons=list(persons),
                orgs=list(orgs),
                notes=notes,
                information_shared=information_shared,
            )
        ]
        written = append_records(workspace, records)
    if as_json:
        click.echo(_json({"added": [r.id for r in records], "files": [str(p) for p in written]}))
        return
    for record in records:
        click.echo(f"Logged {record.kind.value} {record.id} on {record.date}.")
    click.echo(f"Wrote {', '.join(str(p) for p in written)}.")


@click.command("evidence")
@click.argument("workspace", required=False, type=click.Path(exists=True, path_type=Path))
@neo4j_options
@click.option("--person", default=None, help="Only this official's relationships.")
@click.option("--owner", default=None, help="Only this owner's relationships.")
@click.option(
    "--flagged", is_flag=True, help="Only relationships whose scores disagree with the log."
)
@as_of_option
@json_option
@quiet_option
@handle_errors
def evidence_command(
    workspace: Path | None,
    person: str | None,
    owner: str | None,
    flagged: bool,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
    **source: Any,
) -> None:
    """Typed scores beside what the interactions log says (活动参与度, 信息传递度).

    Contacts in the window (stakegraph.toml [evidence], default 365 days) suggest a
    participation score; contacts where they shared information suggest an
    information score. Disagreements of 3 or more, and high scores with no contact
    in 180 days, are flagged (thresholds in [evidence]). Accept a suggestion with `stakegraph assess
    --accept-suggested`.

    \b
    Example:
      stakegraph evidence examples/smart-city --as-of 2026-11-28 --flagged
      stakegraph evidence --neo4j --workspace smart-city --person he-jing
    """
    from stakegraph.analysis.evidence import evidence
    from stakegraph.graph.network import build_network

    ws = load_chosen_source(workspace, quiet or as_json, source)
    if person:
        ws.get("persons", person)
    if owner:
        ws.get("owners", owner)
    day = as_of or _today()
    rows = evidence(build_network(ws, day), person, owner)
    if flagged:
        rows = [r for r in rows if r.flags]
    if as_json:
        click.echo(_json([r.to_dict() for r in rows]))
        return
    from rich.table import Table

    table = Table(title=f"互动证据 evidence from the log — {day}", title_justify="left")
    for column in (
        "owner",
        "person",
        "接触 contacts",
        "传递信息 shared",
        "每90天 per 90d",
        "最近 last logged",
        "参与 typed→log",
        "信息 typed→log",
        "不一致 flags",
    ):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r.owner_name,
            r.person_name,
            str(r.contacts),
            str(r.shared),
            f"{r.per_90_days:g}",
            r.last_logged.isoformat() if r.last_logged else "—",
            f"{r.typed['participation']:g} → {r.suggested['participation']}",
            f"{r.typed['information']:g} → {r.suggested['information']}",
            "\n".join(r.flags),
        )
    _console().print(table)


@click.command("assess")
@click.argument("workspace", type=click.Path(exists=True, path_type=Path))
@click.option("--owner", required=True, help="Our owner in the relationship.")
@click.option("--person", required=True, help="The official.")
@click.option(
    "--date", "day", type=DATE, default=None, help="Day of the assessment (default today)."
)
@click.option("--acceptance", type=click.FloatRange(0, 5), default=None, help="接受认可度 0–5.")
@click.option("--participation", type=click.FloatRange(0, 5), default=None, help="活动参与度 0–5.")
@click.option("--information", type=click.FloatRange(0, 5), default=None, help="信息传递度 0–5.")
@click.option("--guidance", type=click.FloatRange(0, 5), default=None, help="日常指导度 0–5.")
@click.option("--support", type=click.FloatRange(0, 5), default=None, help="项目支持度 0–5.")
@click.option("--preference", type=click.FloatRange(0, 5), default=None, help="竞争偏向度 0–5.")
@click.option("--level", default=None, help="Stated level: vendor, preferred, partner, strategic.")
@click.option(
    "--accept-suggested",
    is_flag=True,
    help="Take participation and information from the log's suggestion (explicit options win).",
)
@click.option("--notes", default=None, help="Why the scores changed.")
@json_option
@handle_errors
def assess(
    workspace: Path,
    owner: str,
    person: str,
    day: dt.date | None,
    level: str | None,
    accept_suggested: bool,
    notes: str | None,
    as_json: bool,
    **scores: float | None,
) -> None:
    """Re-assess a relationship: append a dated snapshot of its scores.

    Nothing is overwritten: the relationship keeps its history, and every analysis
    uses the scores in force on its --as-of day. Scores left out carry over.

    \b
    Example:
      stakegraph assess examples/smart-city --owner liu-kai --person xu-zhiheng \\
          --accept-suggested --support 5
    """
    from stakegraph.analysis.evidence import evidence
    from stakegraph.graph.network import build_network
    from stakegraph.io.append import append_records

    if level is not None:
        try:
            level = RelationshipLevel(level).value
        except ValueError:
            raise StakegraphError(f"unknown level '{level}'; use one of: {_LEVELS}.") from None
    ws = load(workspace, quiet=True)
    ws.get("owners", owner)
    ws.get("persons", person)
    day = day or _today()
    given = {d: v for d, v in scores.items() if v is not None}
    source = None
    if accept_suggested:
        rows = evidence(build_network(ws, day), person, owner)
        if not rows:
            raise StakegraphError(
                f"no relationship between owner '{owner}' and person '{person}'; add it to "
                "relationships.yaml first."
            )
        given = {**rows[0].suggested, **given}
        source = "evidence"
    if not given and not level:
        raise StakegraphError(
            "give at least one score (e.g. --support 4), --level, or --accept-suggested."
        )
    record = Assessment(
        owner=owner, person=person, date=day, level=level, source=source, notes=notes, **given
    )
    if record.id in ws.assessments:
        raise StakegraphError(
            f"{owner} already assessed {person} on {day} ({record.id}); nothing was written. "
            "Re-assess on another day, or edit that record."
        )
    written = append_records(workspace, [record])
    if as_json:
        click.echo(_json({"added": record.id, "files": [str(p) for p in written]}))
        return
    shown = ", ".join(
        f"{d} {record.given_scores()[d]:g}" for d in SCORE_DIMENSIONS if d in record.given_scores()
    )
    click.echo(f"Assessed {record.id}: {shown or 'level ' + str(level)}. Wrote {written[0]}.")


@click.command("history")
@click.argument("workspace", required=False, type=click.Path(exists=True, path_type=Path))
@neo4j_options
@click.option("--person", required=True, help="The official whose relationships to show.")
@click.option("--owner", default=None, help="Only this owner's relationship.")
@json_option
@quiet_option
@handle_errors
def history_command(
    workspace: Path | None,
    person: str,
    owner: str | None,
    as_json: bool,
    quiet: bool,
    **source: Any,
) -> None:
    """How a person's relationships moved: every assessment, scores, mean and level.

    \b
    Example:
      stakegraph history examples/smart-city --person he-jing
      stakegraph history --neo4j --workspace smart-city --person he-jing
    """
    from stakegraph.analysis.evidence import trend

    ws = load_chosen_source(workspace, quiet or as_json, source)
    ws.get("persons", person)
    if owner:
        ws.get("owners", owner)
    rows = trend(ws, person, owner)
    if as_json:
        click.echo(_json(rows))
        return
    if not rows:
        click.echo(f"No relationship of ours with {ws.persons[person].name} ({person}).")
        return
    from rich.table import Table

    table = Table(title=f"关系趋势 history — {ws.persons[person].name}", title_justify="left")
    for column in (
        "owner",
        "date",
        "接受",
        "参与",
        "信息",
        "指导",
        "支持",
        "偏向",
        "mean",
        "level",
        "stated",
        "",
    ):
        table.add_column(column)
    for r in rows:
        sc = r["scores"]
        table.add_row(
            r["owner_name"],
            r["date"].isoformat() if r["date"] else "(first typed)",
            *(f"{sc[d]:g}" for d in SCORE_DIMENSIONS),
            f"{r['mean']:.2f}",
            r["level"],
            r["stated_level"] or "",
            r["change"],
        )
    _console().print(table)


COMMANDS = (log, evidence_command, assess, history_command)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
