"""Commands that look across accounts: satisfaction, relationship kinds, dark horses.

``surveys`` summarises satisfaction surveys, complaints and improvement actions
(seed 004), first importing a survey tool's results file with ``--import``;
``kinds`` reports coverage per account by relationship kind (关键 / 普遍 / 组织);
``darkhorses`` lists the juniors to cultivate (培养黑马). Register them on the
main group with :func:`register`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

import click

from stakegraph.cli.common import (
    SafePath,
    _console,
    _fail,
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
from stakegraph.cli.source import Source, named, workspace_source
from stakegraph.errors import UnknownRecord, WorkspaceInvalid


def _esc(text: str | None) -> str:
    from rich.markup import escape

    return escape(text or "")


def _names(ws: Any, collection: str, ids: list[str]) -> str:
    records = ws.records[collection]
    return _esc(", ".join(getattr(records.get(i), "name", i) or i for i in ids))


# ---------------------------------------------------------------------- surveys
@click.command("surveys")
@workspace_source
@click.option(
    "--account",
    default=None,
    metavar="ORG",
    help="Only this account: the client organisation of an opportunity, by id, name, "
    "alias or pinyin.",
)
@click.option(
    "--period",
    type=click.Choice(["date", "month", "quarter", "half", "year"]),
    default="quarter",
    show_default=True,
    help="How survey dates are grouped into periods for the trend.",
)
@click.option(
    "--import",
    "results",
    type=SafePath(exists=True, dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="First add the surveys of a results file (.csv or .xlsx, one row per respondent).",
)
@encoding_option
@as_of_option
@json_option
@quiet_option
@handle_errors
def surveys(
    source: Source,
    account: str | None,
    period: str,
    results: Path | None,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Satisfaction (客户满意度): surveys per account and item over time, complaints, fixes.

    Survey scores (1–5 per item) are averaged per period with the change on the
    period before; complaints (投诉, the passive voice) are listed with the
    improvement actions (改进措施) linked to them, their owner (责任人), deadline
    and status; overdue actions and complaints nobody acted on are flagged.

    --import FILE first appends the surveys of a results file as survey tools
    export it: a .csv (UTF-8 or GB18030) or .xlsx (sheet surveys, 调查 or
    满意度调查, else the first), one row per respondent. Row 1 names the columns
    date (日期), person (回答人) and/or org (回答单位) (each an id, name, alias or
    pinyin), optional id (made as DATE-RESPONDENT when empty) and notes (备注);
    every other column is an item
    scored 1–5, an empty cell meaning the item was not asked. Every bad cell is
    reported by row and column, and nothing is written unless all rows are good.

    \b
    Example:
      stakegraph surveys examples/smart-city --as-of 2026-11-28
      stakegraph surveys examples/smart-city --account jc-bdb --period half
      stakegraph surveys my-city --import examples/imports/survey-results.csv
      stakegraph surveys --neo4j --workspace smart-city --import examples/imports/survey-results.csv
      stakegraph surveys --neo4j --workspace smart-city --as-of 2026-11-28
    """
    from stakegraph.analysis.satisfaction import satisfaction

    imported: list[str] = []
    written: list[Path] = []
    said = None
    if results is not None:
        imported, written, said = _import_surveys(source, results)
    ws = source.load(quiet or as_json)
    day = as_of or _today()
    # an unknown one is left to the summary, whose message lists the accounts there are
    with contextlib.suppress(UnknownRecord):
        account = named(ws, "organisation", account, day, "--account")
    result = satisfaction(ws, day, period=period, account=account)
    data = result.as_dict()
    if as_json:
        if results is not None:
            # the summary keeps its usual shape, under its own key
            data = {"imported": imported, "files": [str(p) for p in written], "surveys": data}
        click.echo(_json(data))
        return
    if said is not None:
        echo(said)
    elif results is not None:
        from stakegraph.views.write_lines import team_line

        n = len(imported)
        files = ", ".join(str(p) for p in written)
        surveys = "survey" if n == 1 else "surveys"
        echo(
            team_line(
                "surveys_imported_files", count=n, surveys=surveys, source=results, files=files
            )
        )
    _print_surveys(ws, data)


def _import_surveys(source: Source, results: Path) -> tuple[list[str], list[Any], str | None]:
    """Append the surveys of a results file (to the files, or to Neo4j in one
    transaction); their ids, where they were written, and on Neo4j the line to say."""
    from stakegraph.io.append import append_records
    from stakegraph.io.survey_import import locate_problems, read_survey_results

    source.check()
    if source.neo4j:
        from stakegraph.cli.source import team_store
        from stakegraph.engines.neo4j_journal import import_surveys

        with team_store(source) as (store, workspace_id):
            ws = settle_language(store.pull(workspace_id))
            records, done = import_surveys(store, workspace_id, ws, results)
            from stakegraph.views.write_lines import team_line

            # the line to print, in the workspace's language; --json keeps the plain place
            wrote = team_line("wrote", workspace=workspace_id, uri=store.uri)
            said = team_line("surveys_imported", count=len(done.ids), source=results, wrote=wrote)
            return done.ids, [f"workspace '{workspace_id}' in Neo4j at {store.uri}"], said
    workspace = source.path
    assert workspace is not None  # checked by the source
    found = read_survey_results(results, load(workspace, quiet=True))
    try:
        written = append_records(workspace, found.surveys)
    except WorkspaceInvalid as exc:
        raise locate_problems(exc, found.rows) from None
    return [s.id for s in found.surveys], written, None


def _print_surveys(ws: Any, data: dict[str, Any]) -> None:
    from stakegraph.views.account_tables import (
        complaints_table,
        improvements_table,
        satisfaction_summary_table,
        score_series_table,
    )
    from stakegraph.views.terminal import rich_table

    console = _console()
    console.print(rich_table(satisfaction_summary_table(data)))
    for row in data["accounts"]:
        if row["periods"]:
            console.print()
            console.print(rich_table(score_series_table(row["name"], row["periods"])))
    console.print()
    if not data["complaints"]:
        console.print("投诉 complaints: none logged up to this day.")
    else:
        console.print(rich_table(complaints_table(ws, data["complaints"])))
    console.print()
    if not data["improvements"]:
        console.print("改进措施 improvements: none recorded up to this day.")
        return
    console.print(rich_table(improvements_table(data["improvements"])))
    if data["overdue"]:
        console.print(
            f"[red]逾期 overdue: {len(data['overdue'])}[/] — "
            + "; ".join(
                _esc(f"{i['id']} ({i['owner_name']}, due {i['due']}, {i['days_overdue']} days)")
                for i in data["overdue"]
            )
        )


# ---------------------------------------------------------------------- kinds
@click.command("kinds")
@workspace_source
@click.option(
    "--share",
    type=click.FloatRange(0, 1),
    default=0.1,
    show_default=True,
    help="Top share of post holders by influence counted as key, besides chain role holders.",
)
@click.option(
    "--window",
    "window_days",
    type=click.IntRange(1),
    default=365,
    show_default=True,
    help="Days back in which organisation-level exchanges are counted.",
)
@click.option(
    "--relationships",
    "list_relationships",
    is_flag=True,
    help="Also list each relationship with its kind and why, and each organisation we "
    "have exchanges with.",
)
@as_of_option
@json_option
@quiet_option
@handle_errors
def kinds(
    source: Source,
    share: float,
    window_days: int,
    list_relationships: bool,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Coverage per account by relationship kind: 关键 key, 普遍 general, 组织 organisational.

    Key persons hold a role on a decision chain or rank in the top --share by
    influence; key coverage is the share of them we cover strongly. General
    penetration is the share of the other officials we have any relationship
    with. Organisational relationships are org-level exchanges (events,
    agreements, visits naming only organisations) in the last --window days.

    \b
    Example:
      stakegraph kinds examples/smart-city --as-of 2026-11-28
      stakegraph kinds examples/smart-city --relationships
      stakegraph kinds --neo4j --workspace smart-city --as-of 2026-11-28
    """
    from stakegraph.analysis.relationship_kinds import relationship_kinds
    from stakegraph.graph.network import build_network

    ws = source.load(quiet or as_json)
    day = as_of or _today()
    network = build_network(ws, day)
    result = relationship_kinds(network, share=share, window_days=window_days)
    data = result.as_dict()
    if not list_relationships:
        for name in ("key", "relationships", "organisational", "exchanges"):
            data.pop(name)
    if as_json:
        click.echo(_json(data))
        return
    _print_kinds(ws, data)


def _print_kinds(ws: Any, data: dict[str, Any]) -> None:
    from stakegraph.views.account_tables import (
        kinds_summary_table,
        organisational_table,
        relationships_by_kind_table,
    )
    from stakegraph.views.terminal import rich_table

    console = _console()
    console.print(rich_table(kinds_summary_table(data)))
    uncovered_lines = [
        f"{_esc(row['name'])}: {_names(ws, 'persons', row['key_uncovered'])}"
        for row in data["accounts"]
        if row["key_uncovered"]
    ]
    if uncovered_lines:
        console.print("无覆盖的关键人 uncovered key persons: " + "; ".join(uncovered_lines))
    if "relationships" not in data:
        return
    console.print()
    console.print(rich_table(relationships_by_kind_table(ws, data["relationships"])))
    console.print()
    if not data["organisational"]:
        console.print("组织 organisational: no organisation-level exchange logged up to this day.")
        return
    console.print(rich_table(organisational_table(ws, data)))


# ---------------------------------------------------------------------- dark horses
@click.command("darkhorses")
@workspace_source
@click.option(
    "--top",
    type=click.IntRange(1),
    default=None,
    help="How many to list (default [dark_horses] top in stakegraph.toml, 10).",
)
@as_of_option
@json_option
@quiet_option
@handle_errors
def darkhorses(
    source: Source,
    top: int | None,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Dark horses to cultivate (培养黑马): juniors high for their grade, weakly covered.

    Officials without a leadership post whose influence or brokerage is at least
    [dark_horses] ratio times their grade's median, or who were promoted within
    [dark_horses] promoted_days, and whom we cover below [coverage]
    strong_threshold; ranked by potential × (1 − cover), with the reason.

    \b
    Example:
      stakegraph darkhorses examples/smart-city --as-of 2026-11-28 --top 5
      stakegraph darkhorses --neo4j --workspace smart-city --as-of 2026-11-28
    """
    from stakegraph.analysis.darkhorses import assess_candidates, dark_horses
    from stakegraph.graph.network import build_network

    ws = source.load(quiet or as_json)
    day = as_of or _today()
    network = build_network(ws, day)
    rows = dark_horses(network, top=top)
    data = {"day": day, "dark_horses": [r.as_dict() for r in rows]}
    if as_json:
        click.echo(_json(data))
        return
    console = _console()
    if not rows:
        settings = ws.settings
        candidates = len(assess_candidates(network))
        console.print(
            f"没有黑马 No dark horses on {day}: of {candidates} officials without a "
            f"leadership post, none has influence or brokerage ≥ {settings.dark_horses.ratio:g}× "
            f"the median of their grade, or a promotion in the last "
            f"{settings.dark_horses.promoted_days} days, while covered below "
            f"{settings.coverage.strong_threshold:g}."
        )
        return
    from stakegraph.views.account_tables import dark_horses_command_table
    from stakegraph.views.terminal import rich_table

    console.print(rich_table(dark_horses_command_table(rows, day)))


__all__ = ["COMMANDS", "darkhorses", "kinds", "register", "surveys"]


@click.command("portfolio")
@workspace_source
@click.option(
    "--out",
    type=SafePath(dir_okay=False, path_type=Path),
    default=None,
    help="Also draw the accounts × stages heatmap and the funnel to this .png or .svg file.",
)
@as_of_option
@json_option
@quiet_option
@handle_errors
def portfolio_command(
    source: Source,
    out: Path | None,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """The account portfolio (客户组合): segments, funnel, owner load, heatmap.

    Accounts (client organisations) are key (关键) or general (普遍) by value and
    covered or under-covered (覆盖不足) by value-weighted coverage ([portfolio] in
    stakegraph.toml); each of the four cells has a stance (攻 invest, 守 defend,
    保 maintain, 养 nurture). The funnel (客户漏斗) counts opportunities and value
    per stage (早期, 前期, 中期, 后期); owner load (责任到人) sets the key persons each
    owner is named for (role holders and the most influential) against their
    capacity; the heatmap gives coverage per account and stage.

    \b
    Example:
      stakegraph portfolio examples/smart-city --as-of 2026-11-28 --out portfolio.png
      stakegraph portfolio --neo4j --workspace smart-city --as-of 2026-11-28
    """
    from stakegraph.analysis.portfolio import portfolio
    from stakegraph.graph.network import build_network
    from stakegraph.progress import Progress

    if out is not None and out.suffix.lower() not in (".png", ".svg"):
        # refuse before loading, so a long run does not end in this error
        _fail(f"{out}: use a .png or .svg file name.")
    ws = source.load(quiet or as_json)
    day = as_of or _today()
    network = build_network(ws, day)
    with Progress(
        "covering opportunities", total=len(ws.opportunities), quiet=quiet or as_json
    ) as bar:
        result = portfolio(network, progress=bar.advance)
    written = None
    if out is not None:
        from stakegraph.views.figures.portfolio import render_portfolio

        written = render_portfolio(result, out)
    if as_json:
        from stakegraph.views.json_out import portfolio_document

        data = portfolio_document(result)
        data["figure"] = str(written) if written else None
        click.echo(_json(data))
        return
    from stakegraph.views.account_tables import portfolio_command_tables
    from stakegraph.views.terminal import rich_table

    console = _console()
    for table in portfolio_command_tables(ws, result, day):
        console.print(rich_table(table))
    if written:
        from stakegraph.views.write_lines import team_line

        click.echo(team_line("wrote_files", files=written))


COMMANDS = (
    surveys,
    kinds,
    darkhorses,
    portfolio_command,
)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
