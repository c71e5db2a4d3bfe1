"""Commands that make, check, describe and convert a workspace."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from stakegraph.cli.common import (
    DATE,
    SafePath,
    _console,
    _json,
    _today,
    as_of_option,
    echo_warnings,
    handle_errors,
    json_option,
    load,
    quiet_option,
)
from stakegraph.cli.source import Source, named, workspace_source


@click.command()
@click.argument("directory", type=SafePath(path_type=Path), required=False)
@click.option(
    "--xlsx",
    "workbook",
    type=SafePath(dir_okay=False, path_type=Path),
    default=None,
    help="Write the starter as one workbook FILE (*.xlsx) instead of a folder.",
)
@click.option(
    "--language",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of the workbook's sheets and headers (default zh, Chinese).",
)
@json_option
@handle_errors
def init(
    directory: Path | None, workbook: Path | None, language: str | None, as_json: bool
) -> None:
    """Write a commented starter workspace into DIRECTORY (must be new or empty).

    A DIRECTORY ending in .xlsx, or --xlsx FILE, writes the starter as one workbook
    instead: a help sheet first, drop-down lists and the explanation of every field
    on its header.

    \b
    Example:
      stakegraph init my-account && stakegraph check my-account
      stakegraph init my-account.xlsx
    """
    if directory is not None and directory.suffix.lower() == ".xlsx" and workbook is None:
        directory, workbook = None, directory
    if (directory is None) == (workbook is None):
        raise click.UsageError("give a folder DIRECTORY or a workbook --xlsx FILE (one of them).")
    if workbook is not None:
        from stakegraph.io.starter import write_starter_workbook

        written = write_starter_workbook(workbook, language)
        if as_json:
            data = {"written": "starter", "format": "xlsx", "path": str(written)}
            click.echo(_json({**data, "language": language or "zh"}))
            return
        click.echo(f"Wrote a starter workbook to {written}.")
        click.echo(
            f"Fill it in Excel or WPS (the first sheet explains it), then run: "
            f"stakegraph check {written}"
        )
        return
    if language is not None:
        raise click.UsageError("--language applies to a workbook (--xlsx FILE).")
    from stakegraph.io.starter import write_starter

    assert directory is not None
    files = write_starter(directory)
    if as_json:
        click.echo(
            _json({"written": "starter", "directory": str(directory), "files": _paths(files)})
        )
        return
    click.echo(f"Wrote a starter workspace to {directory}/ ({len(files)} files):")
    for path in files:
        click.echo(f"  {path.name}")
    click.echo(f"Edit the files, then run: stakegraph check {directory}")


@click.command()
@workspace_source
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@json_option
@quiet_option
@handle_errors
def check(source: Source, strict: bool, as_json: bool, quiet: bool) -> None:
    """Validate a workspace and list every problem (file, line or row, record, field).

    Errors (a post that does not exist, two holders of one seat, ...) stop every
    command. Warnings (a handover overlap of a few days) are listed apart on
    stderr; the workspace still loads (a stance written 支持者, which meant champion
    before 0.2, is one, until the settings say 'vocabulary = 2'). Exit code 0 when there are no errors (and,
    with --strict, no warnings), 1 otherwise. A workspace stored in Neo4j
    (--neo4j) gets the same cross-record checks.

    
    Example:
      stakegraph check examples/smart-city --strict
      stakegraph check --neo4j --workspace smart-city
    """
    ws = source.load(quiet or as_json, warn=False)
    if not source.is_folder:
        # reading files validates them; records read back from the database are
        # checked here, since the database may have been edited since the push
        from stakegraph.errors import WorkspaceInvalid
        from stakegraph.records.validate import check_workspace

        problems = check_workspace(ws)
        errors = [p for p in problems if not p.is_warning]
        ws.warnings = [p for p in problems if p.is_warning]
        if errors:
            raise WorkspaceInvalid(errors, ws.warnings)
    counts = {k: v for k, v in ws.counts().items()}
    failed = strict and bool(ws.warnings)
    if as_json:
        data = {
            "ok": not failed,
            "problems": [],
            "warnings": [p.to_dict() for p in ws.warnings],
            "counts": counts,
        }
        click.echo(_json(data))
    else:
        total = sum(counts.values())
        detail = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
        n = len(ws.warnings)
        warned = f"{n} warning{'s' if n != 1 else ''}"
        if failed:
            click.echo(f"FAILED: {source.label(ws)} has {warned}, and --strict makes them fail.")
        else:
            note = f", with {warned}" if n else ""
            click.echo(f"OK: {source.label(ws)} is valid ({total} records: {detail}){note}.")
        echo_warnings(ws.warnings)
    if failed:
        sys.exit(1)


@click.command()
@workspace_source
@as_of_option
@click.option(
    "--opportunity",
    "-o",
    help="Show only this opportunity's chain: id, name, alias or pinyin.",
)
@json_option
@quiet_option
@handle_errors
def show(
    source: Source, as_of: dt.date | None, opportunity: str | None, as_json: bool, quiet: bool
) -> None:
    """Summarise a workspace: counts, organisations (条块 tree), decision chains.

    Each chain step lists its roles and who holds them on the --as-of date;
    vacant posts are marked (空缺).

    \b
    Example:
      stakegraph show examples/smart-city --as-of 2026-11-28
      stakegraph show --neo4j --workspace smart-city --as-of 2026-11-28
    """
    from stakegraph.views.summary import chain_table, workspace_summary

    ws = source.load(quiet or as_json)
    day = as_of or _today()
    data = workspace_summary(ws, day)
    if opportunity:
        opportunity = named(ws, "opportunity", opportunity, day, "--opportunity") or opportunity
        data["opportunities"] = [chain_table(ws, opportunity, day)]
    if as_json:
        click.echo(_json(data))
        return
    from stakegraph.views.terminal import print_summary

    print_summary(_console(), data)


@click.command()
@click.argument("source", type=SafePath(exists=True, path_type=Path))
@click.argument("destination", type=SafePath(path_type=Path))
@click.option(
    "--to",
    "fmt",
    type=click.Choice(["yaml", "csv", "xlsx"]),
    default=None,
    help="Format to write. Default: xlsx for a *.xlsx destination, else yaml.",
)
@click.option(
    "--pseudonymise",
    "key_file",
    type=SafePath(dir_okay=False, path_type=Path),
    default=None,
    help="Make a private copy: people's ids, names and aliases become stable keyed tokens, "
    "ids made from them too, and free text (notes, sources, tags, settings comments) is "
    "dropped or hashed. KEYFILE holds the secret key (created if missing); the same key "
    "gives the same tokens in every copy. Keep it private.",
)
@click.option(
    "--keep",
    "keep",
    default=None,
    metavar="NAMES",
    help="With --pseudonymise: copy these as they are, comma-separated: "
    "ids, owners, tags, notes, sources, aliases, background, born, titles, comments.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace an existing destination workbook (a folder is never overwritten).",
)
@json_option
@quiet_option
@handle_errors
def convert(
    source: Path,
    destination: Path,
    fmt: str | None,
    key_file: Path | None,
    keep: str | None,
    force: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Convert a workspace between YAML folder, CSV folder and .xlsx workbook.

    The source is validated first; nothing is written when it has problems. An
    existing workbook is replaced only with --force, and an existing non-empty
    destination folder never.

    \b
    Examples:
      stakegraph convert examples/smart-city book.xlsx
      stakegraph convert book.xlsx my-account --to csv
      stakegraph convert examples/smart-city shared/ --pseudonymise secret.key
      stakegraph convert my-account shared/ --pseudonymise secret.key --keep tags
    """
    from stakegraph.io import save_workspace

    if keep is not None and key_file is None:
        raise click.UsageError("--keep only applies to a private copy; add --pseudonymise KEYFILE.")
    if key_file is not None:
        from stakegraph.io.pseudonymise import parse_keep

        kept = parse_keep(keep)  # a typo is reported before anything is read
    ws = load(source, quiet=quiet or as_json)
    if key_file is not None:
        from stakegraph.io.pseudonymise import load_key, pseudonymise

        key, created = load_key(key_file)
        if created:
            click.echo(
                f"Created a new key in {key_file}. Keep it private, and reuse it so the "
                "same official gets the same token in every shared copy.",
                err=True,
            )
        ws = pseudonymise(ws, key, keep=kept)
    written = save_workspace(ws, destination, fmt, overwrite=force)
    if as_json:
        data = {
            "written": "workspace",
            "source": str(source),
            "destination": str(destination),
            "format": _format_of(destination, fmt),
            "pseudonymised": key_file is not None,
            "counts": ws.counts(),
            "files": _paths(written),
        }
        click.echo(_json(data))
        return
    from stakegraph.views.write_lines import team_line

    click.echo(team_line("wrote_count", count=len(written), destination=destination))


EXPORT_FORMATS = ("graphml", "popolo")


@click.command("export")
@workspace_source
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="graphml: the whole graph for Gephi, Cytoscape or yEd. "
    "popolo: organisations, posts, persons and their tenures as Popolo JSON.",
)
@click.option(
    "--out",
    "out",
    type=SafePath(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write (replaced only once fully written).",
)
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    default=None,
    help="GraphML only: keep just the tenures active that day (YYYY-MM-DD) and mark "
    "vacant posts. Default: the whole history, which reads back losslessly.",
)
@click.option(
    "--yed",
    is_flag=True,
    help="GraphML only: also write yEd's node graphics so yEd shows the labels.",
)
@json_option
@quiet_option
@handle_errors
def export(
    source: Source,
    fmt: str,
    out: Path,
    as_of: dt.date | None,
    yed: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Export WORKSPACE as GraphML or Popolo JSON.

    GraphML nodes carry a readable `label` (Gephi) and `name` (Cytoscape), `kind`
    (Organisation, Post, Person, ...) and every field; edges carry `type`. Popolo
    keeps only organisations, posts, persons and tenures (as memberships).

    \b
    Examples:
      stakegraph export examples/smart-city --format graphml --out city.graphml
      stakegraph export examples/smart-city --format graphml --out now.graphml --as-of 2026-11-28
      stakegraph export examples/harbor-county --format popolo --out officials.json
      stakegraph export --neo4j --workspace smart-city --format graphml --out city.graphml
    """
    from stakegraph.errors import StakegraphError

    if fmt == "popolo" and (as_of is not None or yed):
        raise StakegraphError("--as-of and --yed apply to --format graphml only.")
    from stakegraph.views.write_lines import team_line

    ws = source.load(quiet or as_json)
    if fmt == "graphml":
        from stakegraph.io.graphml import write_graphml

        path = write_graphml(ws, out, as_of=as_of, yed=yed)
        if as_json:
            click.echo(_json(_graphml_done(ws, path, as_of, yed)))
            return
        if as_of:
            click.echo(team_line("graph_as_of", day=as_of.isoformat(), path=path))
        else:
            click.echo(team_line("graph_history", path=path))
    else:
        from stakegraph.io.popolo import write_popolo

        path = write_popolo(ws, out)
        counts = ws.counts()
        if as_json:
            kept = ("organisations", "posts", "persons")
            data = {"written": "popolo", "format": "popolo", "path": str(path)}
            click.echo(_json({**data, "counts": {k: counts[k] for k in kept}}))
            return
        click.echo(
            team_line(
                "popolo",
                path=path,
                organisations=counts["organisations"],
                posts=counts["posts"],
                persons=counts["persons"],
            )
        )


@click.command("import-popolo")
@click.argument("file", type=SafePath(exists=True, dir_okay=False, path_type=Path))
@click.argument("outdir", type=SafePath(path_type=Path))
@click.option(
    "--to",
    "fmt",
    type=click.Choice(["yaml", "csv", "xlsx"]),
    default="yaml",
    show_default=True,
    help="Format of the new workspace. For xlsx, OUTDIR may name the workbook (*.xlsx); "
    "otherwise the workbook is OUTDIR/<FILE name>.xlsx.",
)
@click.option(
    "--default-grade",
    default=None,
    help='Grade of posts without "stakegraph:grade" (a name such as 正处, or a number). '
    "Without it such posts are reported and nothing is written.",
)
@click.option(
    "--settings",
    "settings_file",
    type=SafePath(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A stakegraph.toml whose grade names to use; copied into the new workspace.",
)
@json_option
@handle_errors
def import_popolo(
    file: Path,
    outdir: Path,
    fmt: str,
    default_grade: str | None,
    settings_file: Path | None,
    as_json: bool,
) -> None:
    """Import a Popolo JSON directory of officials (FILE) into a new workspace OUTDIR.

    Organizations, posts, persons and memberships are read; memberships become
    tenures. The records are validated before anything is written: on any problem
    (each located by its JSON path) nothing is written. Ignored fields, changed ids
    and other adjustments are listed as notes.

    \b
    Examples:
      stakegraph import-popolo officials.json my-account --default-grade 正处
      stakegraph import-popolo officials.json book.xlsx --to xlsx --default-grade 5
    """
    from stakegraph.config import load_settings
    from stakegraph.errors import StakegraphError
    from stakegraph.io import save_workspace
    from stakegraph.io.popolo import read_popolo

    settings = load_settings(settings_file) if settings_file else None
    notes: list = []
    ws = read_popolo(file, settings, default_grade=default_grade, notes=notes)
    if settings_file is not None:
        ws.settings_text = settings_file.read_text(encoding="utf-8")
    dest = outdir
    if fmt == "xlsx":
        if dest.suffix.lower() != ".xlsx":
            dest = dest / f"{file.stem}.xlsx"
        if dest.exists():
            raise StakegraphError(
                f"{dest}: already exists; choose a new name so nothing is overwritten."
            )
    for note in notes:
        click.echo(click.style("note: ", fg="yellow") + note.format(), err=True)
    echo_warnings(ws.warnings)
    written = save_workspace(ws, dest, fmt)
    counts = ws.counts()
    if as_json:
        data = {
            "written": "workspace",
            "source": str(file),
            "destination": str(dest),
            "format": fmt,
            "counts": counts,
            "files": _paths(written),
            "notes": [note.format() for note in notes],
        }
        click.echo(_json(data))
        return
    click.echo(
        f"Imported {counts['organisations']} organisations, {counts['posts']} posts and "
        f"{counts['persons']} persons into {dest} ({fmt}, {len(written)} file(s))."
    )


def _paths(paths) -> list[str]:
    """Written files as the strings a script passes on, in the order written."""
    return [str(path) for path in paths]


def _format_of(destination: Path, fmt: str | None) -> str:
    """The format ``save_workspace`` chose: the one given, else from the name."""
    if fmt:
        return fmt
    return "xlsx" if destination.suffix.lower() == ".xlsx" else "yaml"


def _graphml_done(ws, path: Path, as_of: dt.date | None, yed: bool) -> dict:
    """What ``export --format graphml --json`` prints: the file, its day and its size."""
    from stakegraph.io.property_graph import build_graph

    graph = build_graph(ws, as_of=as_of)
    return {
        "written": "graphml",
        "format": "graphml",
        "path": str(path),
        "as_of": as_of.isoformat() if as_of else None,
        "yed": yed,
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
    }


__all__ = ["COMMANDS", "export", "import_popolo", "register"]


@click.group()
def cache() -> None:
    """The cache of validated records that makes reading an unchanged workspace quick.

    It lives in WORKSPACE/.stakegraph-cache/ (beside a workbook book.xlsx:
    .book.xlsx.stakegraph-cache/). Every file is checked against it by its content,
    so an edited file is always read again; deleting the cache is always safe.
    `stakegraph --no-cache COMMAND` reads without it.
    """


@cache.command("clear")
@click.argument("workspace", type=SafePath(exists=True, path_type=Path))
@json_option
@handle_errors
def cache_clear(workspace: Path, as_json: bool) -> None:
    """Delete the cache of WORKSPACE (a folder or workbook); the next command reads every file.

    \b
    Example:
      stakegraph cache clear examples/smart-city
    """
    from stakegraph.io.cache import cache_folder, clear_cache

    folder = cache_folder(workspace)
    deleted = clear_cache(workspace)
    if as_json:
        click.echo(_json({"cache": str(folder), "deleted": bool(deleted)}))
        return
    if deleted:
        click.echo(f"Deleted {folder}.")
    else:
        click.echo(f"No cache to delete ({folder} does not exist).")


COMMANDS = (
    init,
    cache,
    check,
    show,
    convert,
    export,
    import_popolo,
)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
