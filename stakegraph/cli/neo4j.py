"""Command-line commands for the Neo4j engine: push, pull, query.

The commands are thin: each parses its arguments, calls one library function
(:mod:`stakegraph.engines.neo4j`, :mod:`stakegraph.engines.queries`) and prints the
result. Connection options and ``--neo4j`` on analysis commands live in
:mod:`stakegraph.cli.source`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from stakegraph.cli.common import (
    SafePath,
    _console,
    _json,
    echo,
    handle_errors,
    json_option,
    load,
    quiet_option,
    settle_language,
)
from stakegraph.cli.source import (
    Source,
    _connection_options,
    _pick_workspace,
    open_store,
    workspace_source,
)
from stakegraph.errors import StakegraphError

if TYPE_CHECKING:  # the records import pydantic; keep `stakegraph --help` instant
    pass


# --- commands ----------------------------------------------------------------------------
@click.command()
@click.argument("directory", type=SafePath(exists=True, path_type=Path))
@click.option(
    "--workspace",
    "workspace_id",
    default=None,
    metavar="ID",
    help="Id of the workspace in Neo4j (default: the folder's name).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Push files behind the server anyway, overwriting the colleagues' writes it "
    "lists first; asks to confirm (or give --yes).",
)
@click.option("--yes", is_flag=True, help="With --force: confirm without being asked.")
@click.option(
    "--bulk",
    "bulk_home",
    type=SafePath(exists=True, file_okay=False, path_type=Path),
    default=None,
    metavar="SERVER_FOLDER",
    help="First push into a new database of a stopped local server, through Neo4j's "
    "bulk importer; SERVER_FOLDER is the server's NEO4J_HOME. Starts the server.",
)
@_connection_options
@json_option
@quiet_option
@handle_errors
def push(
    directory: Path,
    workspace_id: str | None,
    force: bool,
    yes: bool,
    bulk_home: Path | None,
    uri: str | None,
    user: str | None,
    password_env: str | None,
    database: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Upsert a workspace into Neo4j (idempotent: pushing again replaces it).

    Several workspaces share one database, each under its id. Credentials come
    from NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD. Files behind the server (a
    colleague's log, assess or act since they were pulled) are refused with the list
    of conflicts; nothing is overwritten. Pull, carry your changes over, push again.
    With --force the push goes through anyway: it first lists each write it overwrites
    (record, fields, whose write) and asks to confirm (--yes confirms); a write that
    comes in after the list was read still refuses the push.

    \b
    Example:
      stakegraph push examples/smart-city
      stakegraph push examples/smart-city --workspace city-2026 --uri bolt://db:7687
      stakegraph push my-city --workspace smart-city --force --yes
      stakegraph push big-province --bulk /opt/neo4j     # server stopped, database new
    """
    from stakegraph.io.property_graph import build_graph
    from stakegraph.progress import Progress

    if yes and not force:
        raise StakegraphError("--yes confirms --force only; add --force, or drop --yes.")
    quiet = quiet or as_json
    ws = settle_language(load(directory, quiet=quiet))
    G = build_graph(ws)
    total = G.number_of_nodes() + G.number_of_edges()
    from stakegraph.engines.neo4j_team import read_versions, write_versions

    target = workspace_id or ws.name
    # the versions the files were pulled at: a push of files behind the server is refused
    base = read_versions(directory, target)
    pushed: dict[str, int] = {}
    overwritten: list[Any] = []
    if bulk_home is not None:
        if force:
            raise StakegraphError(
                "--bulk fills a new database, so --force has nothing to overwrite; drop one."
            )
        from stakegraph.engines.neo4j_bulk import bulk_push

        imported = bulk_push(
            bulk_home, {target: ws}, lambda: open_store(uri, user, password_env, database)
        )
        counts, where, pushed = imported.counts[target], imported.uri, imported.versions[target]
    else:
        with open_store(uri, user, password_env, database) as store:
            accepted = base
            if force:
                overwritten, accepted = _confirm_overwrite(store, target, G, base, yes)
            with (
                _said_behind(target),
                Progress("pushing to Neo4j", total=total, quiet=quiet) as bar,
            ):
                counts = store.push(
                    ws,
                    workspace_id,
                    progress=bar.advance,
                    base_versions=accepted,
                    pushed_versions=pushed,
                )
            where = store.uri
    if base is not None:
        write_versions(directory, target, pushed)
    if as_json:
        data = {"pushed": target, "uri": where, "source": str(directory)}
        if force:
            data["overwritten"] = [_conflict_data(c) for c in overwritten]
        click.echo(_json({**data, "counts": dict(counts), "records": ws.counts()}))
        return
    from stakegraph.views.write_lines import team_line

    if overwritten:
        click.echo(team_line("forced", count=len(overwritten)))
    click.echo(_pushed_line(target, where, counts))


def _pushed_line(target: str, uri: str, counts: Mapping[str, int]) -> str:
    """What a push says it did, in the run's language."""
    from stakegraph.views.write_lines import team_line

    return team_line(
        "pushed",
        workspace=target,
        uri=uri,
        nodes=counts["nodes"],
        relationships=counts["relationships"],
        nodes_created=counts["nodes_created"],
        relationships_created=counts["relationships_created"],
        nodes_deleted=counts["nodes_deleted"],
        relationships_deleted=counts["relationships_deleted"],
    )


@contextlib.contextmanager
def _said_behind(target: str, shown: int = 20) -> Iterator[None]:
    """A push refused for files behind the server, said in the run's language."""
    from stakegraph.engines.neo4j_team import FilesBehind
    from stakegraph.views.write_lines import conflict_phrase, team_line

    try:
        yield
    except FilesBehind as exc:
        found = exc.conflicts
        lines = [team_line("behind", workspace=target, count=len(found))]
        lines += [f"  {conflict_phrase(c)}" for c in found[:shown]]
        if len(found) > shown:
            lines.append(f"  … +{len(found) - shown}")
        raise FilesBehind("\n".join(lines), found) from None


def _confirm_overwrite(
    store: Any, target: str, graph: Any, base: dict[str, int] | None, yes: bool
) -> tuple[list[Any], dict[str, int]]:
    """``push --force``: list the writes it overwrites (on stderr), then confirm.

    Returns them and the server's versions as read: the push's base, so it overwrites
    exactly these and is refused if another write came in since.
    """
    import sys

    from stakegraph.engines.neo4j_push_check import preview_push
    from stakegraph.views.write_lines import conflict_phrase, team_line

    found, seen = preview_push(store, target, graph, base)
    if not found:
        return found, seen
    click.echo(team_line("force_head", workspace=target, count=len(found)), err=True)
    for conflict in found:
        echo(f"  {conflict_phrase(conflict)}", err=True)
    if yes:
        return found, seen
    if not sys.stdin.isatty() or not click.confirm(team_line("force_ask"), err=True):
        raise StakegraphError(team_line("force_refused"))
    return found, seen


def _conflict_data(conflict: Any) -> dict[str, Any]:
    data = {k: getattr(conflict, k) for k in ("record", "change", "yours", "theirs", "by")}
    return {**data, "fields": list(conflict.fields)}


@click.command()
@click.argument("outdir", type=SafePath(path_type=Path))
@click.option(
    "--workspace",
    "workspace_id",
    default=None,
    metavar="ID",
    help="Id of the stored workspace (default: the only one stored).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "csv", "xlsx"]),
    default=None,
    help="Output format (default: xlsx for a *.xlsx name, else yaml).",
)
@_connection_options
@json_option
@handle_errors
def pull(
    outdir: Path,
    workspace_id: str | None,
    fmt: str | None,
    uri: str | None,
    user: str | None,
    password_env: str | None,
    database: str | None,
    as_json: bool,
) -> None:
    """Read a workspace back from Neo4j and write it as files (all or nothing).

    OUTDIR must be new or empty (or a new .xlsx file); nothing is written unless
    every file is.

    \b
    Example:
      stakegraph pull --workspace smart-city pulled/smart-city
      stakegraph pull --workspace smart-city city.xlsx
    """
    from stakegraph.engines.neo4j_team import pull_with_versions, write_versions
    from stakegraph.io import save_workspace

    with open_store(uri, user, password_env, database) as store:
        wid = _pick_workspace(store, workspace_id)
        ws, versions = pull_with_versions(store, wid)
    written = save_workspace(ws, outdir, fmt)
    # kept beside the records, never in them: the next push compares them with the server's
    write_versions(outdir, wid, versions)
    if as_json:
        used = fmt or ("xlsx" if outdir.suffix.lower() == ".xlsx" else "yaml")
        data = {"pulled": wid, "destination": str(outdir), "format": used}
        click.echo(_json({**data, "records": ws.counts(), "files": [str(p) for p in written]}))
        return
    from stakegraph.cli.common import settle_language
    from stakegraph.views.write_lines import counts_phrase, team_line

    settle_language(ws)
    counts = counts_phrase(ws.counts())
    click.echo(team_line("pulled", workspace=wid, counts=counts, folder=outdir, files=len(written)))


def _parse_params(items: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise StakegraphError(f"--param takes NAME=VALUE, got {item!r}")
        params[name.strip()] = value
    return params


@click.command()
@click.argument("name", required=False)
@workspace_source
@click.option("--list", "list_only", is_flag=True, help="List the named queries and exit.")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A query parameter; repeat for several (dates as YYYY-MM-DD). person, owner and "
    "opportunity take an id, a name, an alias or pinyin.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.01, 3600),
    default=None,
    metavar="SECONDS",
    help="Neo4j: seconds the server may spend on the query before it stops it (default: 60).",
)
@click.option(
    "--browser",
    is_flag=True,
    help="Print a block to paste into Neo4j Browser (:param lines with the given values, "
    "else the bundled example's, then the query) instead of running it.",
)
@json_option
@handle_errors
def query(
    name: str | None,
    source: Source,
    list_only: bool,
    params: tuple[str, ...],
    timeout: float | None,
    browser: bool,
    as_json: bool,
) -> None:
    """Run a named query (queries/NAME.cypher) on a workspace folder or on Neo4j.

    On a folder (or workbook) the query is answered by its Python equivalent, with
    no server; on Neo4j (--neo4j, or no folder) by its Cypher; the rows are the same.
    Setting-like parameters (half_life_days, the score weights, max_hops, the gap
    thresholds) default to the workspace's stakegraph.toml. Every number has bounds
    (shown by --list); a value outside them is refused before anything runs.

    \b
    Example:
      stakegraph query --list
      stakegraph query coverage_gaps examples/smart-city -p opportunity=smart-city \\
          -p as_of=2026-11-28
      stakegraph query warm_paths --neo4j --workspace smart-city \\
          --param person=xu-zhiheng --param as_of=2026-11-28 --param k=3
      stakegraph query coverage_gaps -p opportunity=smart-city -p as_of=2026-11-28 --json
      stakegraph query who_covers --browser -p person=he-jing
      stakegraph query who_covers examples/smart-city -p person=周蔚然 -p as_of=2026-11-28
    """
    from stakegraph.engines.queries import (
        DEFAULT_TIMEOUT,
        bind_params,
        browser_script,
        get_query,
        list_queries,
    )

    if list_only or not name:
        _print_list(list_queries(), as_json, list_only)
        return
    named = get_query(name)
    values: dict[str, Any] = _parse_params(params)
    if browser:
        # Nothing runs: the block is for a person to paste into Neo4j Browser.
        given = {"workspace": source.workspace_id, **values} if source.workspace_id else values
        click.echo(browser_script(named, given), nl=False)
        return
    # Refuse a bad value before connecting: nothing reaches the server.
    bind_params(named, {"workspace": source.workspace_id or "-", **values})
    if source.path is None:
        source = replace(source, neo4j=True)  # no folder: the stored workspace, as ever
    with source.open() as store:
        values = store.named(values, source.workspace_id)  # names and pinyin become ids
        rows = store.query(name, values, source.workspace_id, timeout=timeout or DEFAULT_TIMEOUT)
    if as_json:
        click.echo(_json(rows))
        return
    if not rows:
        click.echo("No rows.")
        return
    from stakegraph.views.query_tables import query_table
    from stakegraph.views.terminal import rich_table

    _console().print(rich_table(query_table(name, list(named.returns), rows)))


def influence_on_server(
    source: Source,
    opportunity: str,
    day: Any,
    top: int,
    server: bool | None,
    as_json: bool,
) -> bool:
    """``influence --neo4j -o ID``: rank on the server when asked or the region is large.

    Renders and returns True when the server ranked; False leaves the embedded engine
    to rank (``--embedded``, or a region of at most ``SERVER_RANKING_ABOVE`` persons).
    """
    from stakegraph.engines.queries import rank_on_server

    with source.open() as store:
        ranking = rank_on_server(store, opportunity, day, top, source.workspace_id, server)
    if ranking.path != "server":
        return False
    if as_json:
        click.echo(
            _json(
                {
                    "path": ranking.path,
                    "day": day.isoformat(),
                    "persons": ranking.persons,
                    "above": ranking.above,
                    "opportunity": ranking.opportunity,
                    "rows": ranking.rows,
                }
            )
        )
        return True
    from stakegraph.views.tables import server_influence_table
    from stakegraph.views.terminal import rich_table

    _console().print(rich_table(server_influence_table(ranking.rows)))
    return True


def _print_list(queries: list, as_json: bool, list_only: bool) -> None:
    """The named queries with their parameters (and bounds) and columns."""
    if as_json:
        click.echo(
            _json(
                [
                    {
                        "name": q.name,
                        "description": q.description,
                        "params": [p.describe() for p in q.params],
                        "returns": list(q.returns),
                    }
                    for q in queries
                ]
            )
        )
        return
    for q in queries:
        click.echo(click.style(q.name, bold=True))
        click.echo(f"  {q.description}")
        for p in q.params:
            click.echo(f"    {p.describe()}")
        click.echo(f"  returns: {', '.join(q.returns)}")
    if not list_only:
        click.echo("\nRun one with: stakegraph query NAME [WORKSPACE] --param KEY=VALUE ...")


COMMANDS = (push, pull, query)


def register(group: click.Group) -> click.Group:
    """Add push, pull and query to a click group (the main ``stakegraph`` group)."""
    for command in COMMANDS:
        group.add_command(command)
    return group
