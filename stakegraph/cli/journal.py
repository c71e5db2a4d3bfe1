"""Commands that keep the map alive: log interactions, check scores, re-assess, trends.

``log`` appends interactions (one, or many from a CSV/xlsx file), ``evidence``
sets typed scores beside what the log says, ``assess`` adds a dated re-assessment
and ``history`` shows the trend of a person's relationships. Nothing here edits
an existing record in files: each change is a new record appended to them. On
``--neo4j`` a second assessment of a pair on one day updates the first, versioned
(:mod:`stakegraph.engines.neo4j_team`).
"""

from __future__ import annotations

import datetime as dt
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
    encoding_option,
    handle_errors,
    json_option,
    load,
    quiet_option,
    settle_language,
)
from stakegraph.cli.source import (
    Source,
    named,
    relationship_workspace,
    team_store,
    with_source,
    workspace_source,
    workspace_target,
)
from stakegraph.errors import StakegraphError


def _kinds() -> str:
    from stakegraph.records.words import INTERACTION_KINDS

    return INTERACTION_KINDS


@click.command("log")
@workspace_target
@click.option("--date", "day", type=DATE, default=None, help="Day it happened (default today).")
@click.option(
    "--kind",
    default=None,
    cls=LazyHelpOption,
    help_text=lambda: f"What happened: {_kinds()}.",
)
@click.option(
    "--owner",
    "owners",
    multiple=True,
    help="Our owner present: id, name, alias or pinyin (repeat for more).",
)
@click.option(
    "--person",
    "persons",
    multiple=True,
    help="Their official present: id, name, alias or pinyin (repeatable).",
)
@click.option(
    "--org",
    "orgs",
    multiple=True,
    help="Organisation involved: id, name, alias or pinyin (repeatable).",
)
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
    help="Id of the record (default: date-kind-person, the ids of those named).",
)
@click.option(
    "--import",
    "import_file",
    type=SafePath(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Append every interaction of a CSV file or of the 'interactions' sheet of a "
    "workbook (owners, persons and orgs by id, name, alias or pinyin).",
)
@encoding_option
@json_option
@handle_errors
def log(
    source: Source,
    day: dt.date | None,
    kind: str | None,
    owners: tuple[str, ...],
    persons: tuple[str, ...],
    orgs: tuple[str, ...],
    notes: str | None,
    information_shared: bool,
    record_id: str | None,
    import_file: Path | None,
    as_json: bool,
) -> None:
    """Append to the interactions log (互动记录): one interaction, or many from a file.

    The log is the evidence behind the participation and information scores and
    refreshes each relationship's last contact. The workspace is validated with the
    new records first; on any problem nothing is written.

    \b
    Examples (on a copy: cp -r examples/smart-city my-city):
      stakegraph log my-city --date 2026-11-27 --kind visit \\
          --owner liu-kai --person xu-zhiheng --information-shared --notes "汇报一期范围"
      stakegraph log my-city --date 2026-11-28 --kind call --owner 刘凯 --person 许志恒
      stakegraph log my-city --import examples/imports/visits.csv
      stakegraph log --neo4j --workspace smart-city --kind call --owner 刘凯 --person 许志恒
    """
    from stakegraph.io import journal

    if import_file is not None:
        if kind or owners or persons or orgs or notes or record_id:
            raise StakegraphError(
                "--import takes the interactions from the file; drop the other options."
            )
    elif not kind:
        raise StakegraphError(
            "say what happened with --kind (e.g. --kind visit), or use --import FILE."
        )
    fields = {
        "day": day or _today(),
        "kind": kind,
        "owners": owners,
        "persons": persons,
        "orgs": orgs,
        "notes": notes,
        "information_shared": information_shared,
        "record_id": record_id,
    }
    if source.neo4j:
        _log_to_neo4j(source, import_file, fields, as_json)
        return
    workspace = source.path
    assert workspace is not None  # checked by the source
    source.check()
    if import_file is not None:
        records, written = journal.import_interactions(workspace, import_file)
        ws = None
    else:
        # read once: to check the new record and to say it in the workspace's language
        from stakegraph.io.append import append_records

        ws = load(workspace, quiet=True)
        record = journal.build_interaction(ws, **fields)  # type: ignore[arg-type]
        written = append_records(workspace, [record])
        records = [record]
    if as_json:
        click.echo(_json({"added": [r.id for r in records], "files": [str(p) for p in written]}))
        return
    settle_language(ws if ws is not None else load(workspace, quiet=True))
    from stakegraph.views.write_lines import team_line, team_word

    for record in records:
        kind = team_word("InteractionKind", record.kind.value)
        echo(team_line("logged", kind=kind, id=record.id, date=record.date))
    echo(team_line("wrote_files", files=", ".join(str(p) for p in written)))


def _log_to_neo4j(
    source: Source, import_file: Path | None, fields: dict[str, Any], as_json: bool
) -> None:
    """``log --neo4j``: one transaction on the stored workspace, then say what was added."""
    from stakegraph.engines import neo4j_journal

    with team_store(source) as (store, workspace_id):
        ws = settle_language(store.pull(workspace_id))
        if import_file is not None:
            records, done = neo4j_journal.import_interactions(store, workspace_id, ws, import_file)
        else:
            record, done = neo4j_journal.log_interaction(store, workspace_id, ws, **fields)
            records = [record]
        where = store.uri
    if as_json:
        click.echo(_json({"added": done.ids, "workspace": workspace_id, "uri": where}))
        return
    from stakegraph.views.write_lines import team_line, team_word

    for record in records:
        kind = team_word("InteractionKind", record.kind.value)
        echo(team_line("logged", kind=kind, id=record.id, date=record.date))
    echo(team_line("wrote", workspace=workspace_id, uri=where))


@click.command("evidence")
@workspace_source
@click.option(
    "--person",
    default=None,
    help="Only this official's relationships: person id, name, alias or pinyin.",
)
@click.option(
    "--owner",
    default=None,
    help="Only this owner's relationships: owner id, name, alias or pinyin.",
)
@click.option(
    "--flagged", is_flag=True, help="Only relationships whose scores disagree with the log."
)
@as_of_option
@json_option
@quiet_option
@handle_errors
def evidence_command(
    source: Source,
    person: str | None,
    owner: str | None,
    flagged: bool,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
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

    ws = source.load(quiet or as_json)
    day = as_of or _today()
    person = named(ws, "person", person, day, "--person")
    owner = named(ws, "owner", owner, day, "--owner")
    rows = evidence(build_network(ws, day), person, owner)
    if flagged:
        rows = [r for r in rows if r.flags]
    if as_json:
        from stakegraph.views.json_out import evidence_document

        click.echo(_json(evidence_document(rows)))
        return
    from stakegraph.views.relationship_tables import evidence_table
    from stakegraph.views.terminal import rich_table

    _console().print(rich_table(evidence_table(rows, day)))


@click.command("assess")
@workspace_target
@click.option(
    "--owner",
    required=True,
    help="Our owner in the relationship: id, name, alias or pinyin.",
)
@click.option("--person", required=True, help="The official: id, name, alias or pinyin.")
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
    source: Source,
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
    uses the scores in force on its --as-of day. Scores left out carry over. A
    second assessment of the pair on one day is refused in a folder (edit that
    record in assessments.yaml); on --neo4j it updates that day's assessment, the
    scores given replacing its own, refused if a colleague changed it since it was read.

    \b
    Example (on a copy: cp -r examples/smart-city my-city):
      stakegraph assess my-city --owner liu-kai --person xu-zhiheng \\
          --accept-suggested --support 5
      stakegraph assess --neo4j --workspace smart-city --owner liu-kai --person xu-zhiheng \\
          --support 4
    """
    from stakegraph.io import journal

    if level is not None:
        level = journal.parse_level(level)
    if source.neo4j:
        _assess_on_neo4j(
            source, owner, person, day, level, accept_suggested, notes, scores, as_json
        )
        return
    source.check()
    workspace = source.path
    assert workspace is not None  # checked by the source
    ws = settle_language(load(workspace, quiet=True))
    record = _assessment(ws, owner, person, day, level, accept_suggested, notes, scores)
    from stakegraph.io.append import append_records

    written = append_records(workspace, [record])
    if as_json:
        click.echo(_json({"added": record.id, "files": [str(p) for p in written]}))
        return
    _say_assessed(record, level, str(written[0]))


def _assess_on_neo4j(
    source: Source,
    owner: str,
    person: str,
    day: dt.date | None,
    level: str | None,
    accept_suggested: bool,
    notes: str | None,
    scores: dict[str, float | None],
    as_json: bool,
) -> None:
    """``assess --neo4j``: one transaction adding the assessment, or updating that day's."""
    from stakegraph.engines.neo4j_journal import record_assessment
    from stakegraph.engines.neo4j_team import pull_with_versions

    with team_store(source) as (store, workspace_id):
        ws, versions = pull_with_versions(store, workspace_id)
        settle_language(ws)
        record = _assessment(
            ws, owner, person, day, level, accept_suggested, notes, scores, again=True
        )
        record, done, updated = record_assessment(store, workspace_id, ws, versions, record)
        uri = store.uri
    if as_json:
        if updated:
            data = {"updated": record.id, "version": done.versions[record.id]}
        else:
            data = {"added": record.id}
        click.echo(_json({**data, "workspace": workspace_id}))
        return
    from stakegraph.views.write_lines import scores_phrase, team_line

    echo(
        team_line(
            "reassessed" if updated else "assessed",
            id=record.id,
            version=done.versions[record.id],
            scores=scores_phrase(record.given_scores(), level),
            wrote=team_line("wrote", workspace=workspace_id, uri=uri),
        )
    )


def _assessment(
    ws: Any,
    owner: str,
    person: str,
    day: dt.date | None,
    level: str | None,
    accept_suggested: bool,
    notes: str | None,
    scores: dict[str, float | None],
    again: bool = False,
) -> Any:
    """The assessment ``assess`` adds: names resolved, suggestions taken when asked;
    ``again``: one of the pair that day is allowed (the caller updates it)."""
    from stakegraph.analysis.evidence import evidence
    from stakegraph.graph.network import build_network
    from stakegraph.io import journal

    day = day or _today()
    owner = named(ws, "owner", owner, day, "--owner") or owner
    person = named(ws, "person", person, day, "--person") or person
    given = {d: v for d, v in scores.items() if v is not None}
    origin = None
    if accept_suggested:
        rows = evidence(build_network(ws, day), person, owner)
        if not rows:
            raise StakegraphError(
                f"no relationship between owner '{owner}' and person '{person}'; add it to "
                "relationships.yaml first."
            )
        given = {**rows[0].suggested, **given}
        origin = "evidence"
    return journal.build_assessment(
        ws,
        owner=owner,
        person=person,
        day=day,
        scores=given,
        level=level,
        source=origin,
        notes=notes,
        again=again,
    )


def _say_assessed(record: Any, level: str | None, where: str) -> None:
    """The line of a new assessment in files, in the run's language."""
    from stakegraph.records.model import SCORE_DIMENSIONS
    from stakegraph.views.write_lines import scores_phrase, team_line

    given = record.given_scores()
    scores = {d: given[d] for d in SCORE_DIMENSIONS if d in given}
    wrote = team_line("wrote_files", files=where)
    echo(team_line("assessed", id=record.id, scores=scores_phrase(scores, level), wrote=wrote))


@click.command("history")
@workspace_source
@click.option(
    "--person",
    required=True,
    help="The official whose relationships to show: id, name, alias or pinyin.",
)
@click.option(
    "--owner",
    default=None,
    help="Only this owner's relationship: owner id, name, alias or pinyin.",
)
@json_option
@quiet_option
@handle_errors
def history_command(
    source: Source,
    person: str,
    owner: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """How a person's relationships moved: every assessment, scores, mean and level.

    \b
    Example:
      stakegraph history examples/smart-city --person he-jing
      stakegraph history --neo4j --workspace smart-city --person he-jing
    """
    from stakegraph.analysis.evidence import trend

    ws, read = relationship_workspace(source, quiet or as_json, person, owner)
    person = named(ws, "person", person, None, "--person") or person
    owner = named(ws, "owner", owner, None, "--owner")
    rows = trend(ws, person, owner)
    if as_json:
        click.echo(_json(with_source(rows, read)))
        return
    if not rows:
        echo(f"No relationship of ours with {ws.persons[person].name} ({person}).")
        return
    from stakegraph.views.relationship_tables import history_table
    from stakegraph.views.terminal import rich_table

    _console().print(rich_table(history_table(rows, ws.persons[person].name)))


COMMANDS = (log, evidence_command, assess, history_command)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
