"""The analyses of one workspace on a day: the report and its drill-downs."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from stakegraph.cli.common import (
    DATE,
    SafePath,
    _console,
    _json,
    _today,
    as_of_option,
    brokerage_option,
    echo_warnings,
    handle_errors,
    json_option,
    quiet_option,
    relation_filter_options,
)
from stakegraph.cli.source import (
    Source,
    _network,
    _opportunity,
    focused_network,
    named,
    opportunity_option,
    ranked_centrality,
    ranked_network,
    relationship_network,
    with_source,
    workspace_source,
)
from stakegraph.errors import StakegraphError

if TYPE_CHECKING:
    from stakegraph.analysis.brokerage import BrokerageGraph
    from stakegraph.analysis.stated_graph import StatedGraph
    from stakegraph.graph.relation_filter import RelationFilter


@click.command()
@workspace_source
@click.option(
    "--opportunity",
    "-o",
    help="Report only this opportunity: id, name, alias or pinyin (default: all).",
)
@as_of_option
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Rows of the influence list.",
)
@click.option(
    "--out",
    "out_dir",
    type=SafePath(file_okay=False, path_type=Path),
    default=None,
    help="Also write report.html (one self-contained page with figures and the "
    "interactive map) and report.md with its figures into this folder.",
)
@click.option(
    "--summary",
    is_flag=True,
    help="On the terminal, one line per opportunity (weakest cover first) instead of "
    "its five tables; the book of accounts follows. For large books.",
)
@relation_filter_options
@brokerage_option
@click.option(
    "--layout",
    type=click.Choice(["auto", "page", "book"]),
    default="auto",
    show_default=True,
    help="With --out: one page for everything, or (book) report.html as a sortable, "
    "searchable index with one page per opportunity in opportunities/; auto chooses "
    "the book beyond 12 opportunities.",
)
@json_option
@quiet_option
@handle_errors
def report(
    source: Source,
    opportunity: str | None,
    as_of: dt.date | None,
    top: int,
    out_dir: Path | None,
    summary: bool,
    relations: RelationFilter | None,
    brokerage_graph: BrokerageGraph | None,
    layout: str,
    as_json: bool,
    quiet: bool,
) -> None:
    """The main job: chain and cover, gaps, influence, informal circles, plan.

    For each opportunity, in this order: the decision chain (决策链) with who
    holds each role and how well we cover them; the gaps by severity; the most
    influential officials with the parts of their score; the informal circles
    (非正式组织) and our way into each; the inverted-triangle plan (倒三角).

    \b
    Examples:
      stakegraph report examples/smart-city --as-of 2026-11-28
      stakegraph report examples/smart-city --out smart-city-report/
      stakegraph report big-book/ --summary --out big-book-report/
      stakegraph report examples/smart-city --layout book --out smart-city-book/
    """
    from stakegraph.views.report import build_report

    # Even about one opportunity the report reads the whole book from Neo4j: of its
    # sections, chain, gaps, plan and low confidence could come from the part around the
    # chain, but the influence list (the region's top with brokerage, a betweenness over
    # every official), the informal circles (communities of the whole tie graph), the
    # formal-versus-informal findings and the header's counts are about the whole region.
    ws, network, day = _network(source, as_of, quiet or as_json, relations)
    read = {"engine": "neo4j", "read": "whole"} if source.neo4j else None
    opportunity = named(ws, "opportunity", opportunity, day, "--opportunity")
    data = build_report(
        ws, day, opportunity, top=top, network=network, brokerage_graph=brokerage_graph
    )
    if out_dir is not None:
        from stakegraph.progress import Progress
        from stakegraph.views.report_writer import write_report

        quiet_progress = quiet or as_json
        with Progress(
            "drawing figures", total=len(data["opportunities"]), quiet=quiet_progress
        ) as progress:
            written = write_report(
                network,
                day,
                out_dir,
                opportunity,
                top=top,
                report=data,
                progress=progress.advance,
                layout=layout,
            )
        from stakegraph.views.language import current_language

        if current_language() == "zh":
            click.echo(f"已写入 {len(written)} 个文件到 {out_dir}/（打开 report.html）。", err=True)
        else:
            click.echo(f"Wrote {len(written)} files to {out_dir}/ (open report.html).", err=True)
    if as_json:
        click.echo(_json(with_source(data, read)))
        return
    from stakegraph.views.terminal import print_report

    print_report(_console(), data, summary=summary)


@click.command()
@workspace_source
@opportunity_option
@as_of_option
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="How many officials to list.",
)
@relation_filter_options
@brokerage_option
@click.option(
    "--server/--embedded",
    default=None,
    help="Neo4j with --opportunity: rank on the server (personalised PageRank in Cypher; "
    "rank and score only) or pull and rank here (every part). Default: the server for a "
    "workspace of more than 3,000 persons; --json then says which ('path').",
)
@json_option
@quiet_option
@handle_errors
def influence(
    source: Source,
    opportunity: str | None,
    as_of: dt.date | None,
    top: int,
    relations: RelationFilter | None,
    brokerage_graph: BrokerageGraph | None,
    server: bool | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Rank officials by influence (影响力), with the parts of each score.

    Weighted PageRank on who defers to whom: formal reporting lines, 分管
    oversight and informal ties; personalised by grade and, with --opportunity,
    by decision weight on its chain. Brokerage (betweenness, Burt's constraint)
    is shown beside it.

    \b
    Example:
      stakegraph influence examples/smart-city --opportunity smart-city --top 10
    """
    from stakegraph.cli.neo4j import influence_on_server
    from stakegraph.views.report import influence_document

    # the server ranks without the relation filters, which need the records here
    on_server = source.neo4j and server is not False and relations is None
    day = as_of or _today()
    if (
        on_server
        and opportunity is not None
        and influence_on_server(source, opportunity, day, top, server, as_json)
    ):
        return
    network, result, day, read = ranked_network(
        source, as_of, quiet or as_json, relations, opportunity, top
    )
    data = influence_document(network, result, top, brokerage_graph)
    if as_json:
        # the same key as the server's answer says which path ranked
        click.echo(_json({"path": "embedded", **with_source(data, read)}))
        return
    from stakegraph.analysis.stated_graph import deference_graph
    from stakegraph.graph.relation_filter import ALL_TIES
    from stakegraph.views.phrases import graph_phrase
    from stakegraph.views.report import graph_statement
    from stakegraph.views.tables import influence_command_table
    from stakegraph.views.terminal import rich_table

    console = _console()
    console.print(
        graph_phrase(graph_statement(network, brokerage_graph)), markup=False, highlight=False
    )
    _print_graph(console, replace(deference_graph(network), relations=ALL_TIES))  # stated above
    console.print(rich_table(influence_command_table(data["rows"])))


@click.command()
@workspace_source
@opportunity_option
@as_of_option
@relation_filter_options
@json_option
@quiet_option
@handle_errors
def gaps(
    source: Source,
    opportunity: str | None,
    as_of: dt.date | None,
    relations: RelationFilter | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Coverage gaps (缺口) of an opportunity's chain, most severe first.

    Kinds: UNCOVERED, WEAK, STALE, NO_OWNER, SINGLE_THREADED, RANK_MISMATCH,
    OPPONENT, VACANT, ACTING (主持工作: filled by an acting head, formally vacant),
    ROTATED; severity = weight × influence × (1 − cover). A role on a post that does
    not exist on the day is left out and reported as a warning. With a relation
    filter, cover counts only the warm channels through the ties it keeps.

    \b
    Example:
      stakegraph gaps examples/smart-city --opportunity smart-city
      stakegraph gaps examples/smart-city -o smart-city --min-confidence 0.8
    """
    from stakegraph.views.chain_gaps import gaps_report

    ws, network, day, read = focused_network(
        source, as_of, quiet or as_json, relations, opportunity=opportunity
    )
    data = gaps_report(network, _opportunity(ws, opportunity, day))
    if as_json:
        click.echo(_json(with_source(data, read)))
        return
    from stakegraph.analysis.stated_graph import channel_graph
    from stakegraph.graph.chains import chain_problems
    from stakegraph.views.tables import chain_table, gaps_table
    from stakegraph.views.terminal import print_heading, rich_table

    echo_warnings(chain_problems(ws, data["id"], network.day))
    console = _console()
    print_heading(console, data)
    stated = channel_graph(network, formal_lines=False)  # cover reads informal ties only
    _print_graph(console, stated)
    console.print(rich_table(chain_table(data)))
    console.print()
    console.print(rich_table(gaps_table(data)))


@click.command()
@workspace_source
@click.option(
    "--to",
    "target",
    required=True,
    help="The official to reach: person id, name, alias or pinyin.",
)
@click.option(
    "--from",
    "owner",
    default=None,
    help="Only channels from this owner of ours: owner id, name, alias or pinyin.",
)
@click.option(
    "-k", type=click.IntRange(min=1), default=3, show_default=True, help="How many channels."
)
@click.option(
    "--max-hops",
    type=click.IntRange(0, 6),
    default=None,
    help="Most informal ties on a channel (default from stakegraph.toml, 2).",
)
@as_of_option
@relation_filter_options
@json_option
@quiet_option
@handle_errors
def paths(
    source: Source,
    target: str,
    owner: str | None,
    k: int,
    max_hops: int | None,
    as_of: dt.date | None,
    relations: RelationFilter | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """The k most reliable warm channels (关系通道) from our owners to an official.

    A channel is owner → contact → … → target through our relationships and
    informal ties; its strength is the product of the strengths along it.

    \b
    Example:
      stakegraph paths examples/smart-city --to 周蔚然 -k 3 --as-of 2026-11-28
      stakegraph paths examples/smart-city --to zhou-weiran --from liu-kai
    """
    from stakegraph.analysis.paths import warm_channels
    from stakegraph.analysis.stated_graph import channel_graph
    from stakegraph.views.json_out import stated_document
    from stakegraph.views.rows import channel_rows

    ws, network, day, read = focused_network(
        source, as_of, quiet or as_json, relations, person=target, hops=max_hops
    )
    target = named(ws, "person", target, day, "--to") or target
    owner = named(ws, "owner", owner, day, "--from")
    owners = [owner] if owner else None
    rows = channel_rows(network, warm_channels(network, target, k, owners, max_hops))
    stated = channel_graph(network, max_hops)
    if as_json:
        click.echo(_json(with_source(stated_document(stated, rows), read)))
        return
    from stakegraph.views.relationship_tables import warm_channels_table
    from stakegraph.views.terminal import rich_table

    console = _console()
    _print_graph(console, stated)
    name = network.workspace.persons[target].name  # the name in force on the day
    if rows:
        console.print(rich_table(warm_channels_table(rows, name)))
    else:
        console.print(f"No channel reaches {name} within the hop bound.")


@click.command()
@workspace_source
@opportunity_option
@as_of_option
@click.option(
    "--save",
    is_flag=True,
    help="Save the plan as actions (行动计划) in the workspace's actions: owner, target, "
    "action, due date, status planned and the target's cover today. "
    "Review progress later with `stakegraph review`.",
)
@click.option(
    "--due",
    type=DATE,
    default=None,
    help="With --save: due date of the actions (YYYY-MM-DD). Default: [review] due_days (30) after --as-of.",
)
@relation_filter_options
@json_option
@quiet_option
@handle_errors
def plan(
    source: Source,
    opportunity: str | None,
    as_of: dt.date | None,
    save: bool,
    due: dt.date | None,
    relations: RelationFilter | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """The inverted-triangle plan (倒三角): senior pairing, channels, named owners.

    Targets top-down by grade then influence; each gets the grade-matched tier
    of ours (高层对接), the best channel or introducer, one responsible owner
    within capacity (责任到人) and a next action. With --save the plan becomes
    actions in the workspace (step 4 of the five steps, 行动计划), one per target,
    with id plan-<opportunity>-<person>-<date>. Saving a plan again on its day is
    refused in a folder (edit actions.yaml instead); on --neo4j it updates the
    actions saved first (owner, text, due, baseline; status, done and notes stay),
    refused if a colleague changed one since it was read.

    \b
    Examples:
      stakegraph plan examples/smart-city --opportunity smart-city --as-of 2026-11-28
      stakegraph plan my-account -o smart-city --as-of 2026-11-28 --save --due 2026-12-31
      stakegraph plan --neo4j --workspace smart-city -o smart-city --as-of 2026-11-28 --save
    """
    from stakegraph.analysis.plan import engagement_plan
    from stakegraph.analysis.stated_graph import channel_graph
    from stakegraph.cli.plan_save import save_plan, say_saved
    from stakegraph.errors import StakegraphError
    from stakegraph.views.json_out import stated_document
    from stakegraph.views.rows import plan_rows

    if due is not None and not save:
        raise StakegraphError("--due applies to --save only; add --save to save the plan.")
    workspace = source.path
    # a save checks its ids against every action, so it reads the whole workspace
    ws, network, day, read = focused_network(
        source, as_of, quiet or as_json, relations, opportunity=None if save else opportunity
    )
    opp = _opportunity(ws, opportunity, day)
    targets = engagement_plan(network, opp)
    rows = plan_rows(network, targets)
    saved = save_plan(source, ws, network, opp, targets, due) if save else None
    stated = channel_graph(network)
    if as_json:
        document = stated_document(stated, rows)
        if saved is not None:
            document |= saved.document()
        click.echo(_json(with_source(document, read)))
        return
    from stakegraph.views.tables import plan_command_table
    from stakegraph.views.terminal import rich_table

    console = _console()
    _print_graph(console, stated)
    console.print(rich_table(plan_command_table(rows, ws.opportunities[opp].name)))
    if saved is not None:
        say_saved(saved, ws, opp, day, workspace)


def _print_graph(console: Any, stated: StatedGraph) -> None:
    """The graph an answer was computed on, above the command's table, when a relation
    filter or a setting other than the default is in force."""
    from stakegraph.views.phrases import stated_graph_phrase

    if stated.departs_from_default:
        console.print(stated_graph_phrase(stated.to_dict()), markup=False, highlight=False)


@click.command()
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
@as_of_option
@json_option
@quiet_option
@handle_errors
def relationships(
    source: Source,
    person: str | None,
    owner: str | None,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Our relationships: six scores, strength, computed vs stated vs target level.

    Levels (seed 003): vendor 卖主关系 < preferred 被优先考虑的供应商 < partner
    合作伙伴关系 < strategic 战略联盟关系.

    \b
    Example:
      stakegraph relationships examples/smart-city --owner <owner-id>
    """
    from stakegraph.analysis.relationships import relationship_levels
    from stakegraph.views.rows import relationship_rows

    ws, network, day, read = relationship_network(source, as_of, quiet or as_json, person, owner)
    person = named(ws, "person", person, day, "--person")
    owner = named(ws, "owner", owner, day, "--owner")
    rows = relationship_rows(network, relationship_levels(network, person, owner))
    if as_json:
        click.echo(_json(with_source(rows, read)))
        return
    if not rows:
        from stakegraph.views.write_lines import no_relationships_phrase

        click.echo(no_relationships_phrase(ws, person, owner))
        return
    from stakegraph.views.relationship_tables import relationships_table
    from stakegraph.views.terminal import rich_table

    _console().print(rich_table(relationships_table(rows)))


@click.command()
@workspace_source
@opportunity_option
@click.option(
    "--rotate",
    multiple=True,
    metavar="PERSON:POST",
    help="Move an official to another post (平调/轮岗) on the --as-of date; each of PERSON "
    "and POST an id, name, alias or pinyin.",
)
@click.option(
    "--remove",
    "remove_person",
    multiple=True,
    metavar="PERSON",
    help="An official leaves altogether: person id, name, alias or pinyin.",
)
@click.option(
    "--owner-leaves",
    multiple=True,
    metavar="OWNER",
    help="One of our owners leaves; their relationships go with them (owner id, name, "
    "alias or pinyin).",
)
@click.option(
    "--relationship",
    "set_rel",
    multiple=True,
    metavar="OWNER:PERSON:SCORES",
    help="Add or change a relationship: OWNER:PERSON:4 (all six) or "
    "OWNER:PERSON:support=5,acceptance=4; OWNER and PERSON by id, name, alias or pinyin.",
)
@click.option(
    "--horizon",
    metavar="SPAN",
    help="轮岗预警 rotation risk ahead: each chain holder's chance of leaving the post "
    "within SPAN (90d, 8w, 6m, 12m, 1y), and the coverage left if the likely ones leave, "
    "with their likely successors. Given alone, without other changes.",
)
@as_of_option
@relation_filter_options
@json_option
@quiet_option
@handle_errors
def whatif(
    source: Source,
    opportunity: str | None,
    rotate: tuple[str, ...],
    remove_person: tuple[str, ...],
    owner_leaves: tuple[str, ...],
    set_rel: tuple[str, ...],
    horizon: str | None,
    as_of: dt.date | None,
    relations: RelationFilter | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """What if an official rotates or leaves, or an owner leaves? (假设分析)

    Shows the change in coverage per step and overall, gaps that open or close,
    influence rank moves and plan changes. Your files are never changed.

    \b
    Example:
      stakegraph whatif examples/smart-city -o smart-city --owner-leaves <owner-id>
      stakegraph whatif examples/smart-city -o smart-city --remove 周蔚然
      stakegraph whatif examples/smart-city -o smart-city --horizon 6m
    """
    from stakegraph.cli.whatif_read import whatif_document

    if horizon is not None:
        if rotate or remove_person or owner_leaves or set_rel:
            raise StakegraphError(
                "--horizon: give it alone; it removes the holders likely to leave by itself. "
                "Run the other changes as a second whatif."
            )
        _horizon_outlook(source, opportunity, horizon, as_of, relations, as_json, quiet)
        return
    data, read = whatif_document(
        source,
        opportunity,
        as_of,
        relations,
        quiet or as_json,
        rotate,
        remove_person,
        owner_leaves,
        set_rel,
    )
    if as_json:
        click.echo(_json(with_source(data, read)))
        return
    from stakegraph.views.terminal import print_whatif

    print_whatif(_console(), data)


def _horizon_outlook(
    source: Source,
    opportunity: str | None,
    text: str,
    as_of: dt.date | None,
    relations: RelationFilter | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """``whatif --horizon``: rotation risk ahead and the coverage at risk."""
    from stakegraph.analysis.rotation_risk import Horizon, coverage_at_risk
    from stakegraph.errors import HorizonError

    try:
        horizon = Horizon.parse(text)
    except HorizonError as exc:
        raise HorizonError(f"--horizon: {exc}") from None
    ws = source.load(quiet or as_json)
    day = as_of or _today()
    opp = _opportunity(ws, opportunity, day)
    outlook = coverage_at_risk(ws, opp, day, horizon, relations)
    from stakegraph.views.rotation_tables import outlook_data, print_outlook

    network = outlook.scenario.before.network
    assert network is not None  # coverage keeps the network it was computed on
    data = outlook_data(network, outlook)
    if as_json:
        # the holders likely to leave move influence over the region: the whole book is read
        click.echo(
            _json(with_source(data, {"engine": "neo4j", "read": "whole"} if source.neo4j else None))
        )
        return
    print_outlook(_console(), data)


#: The measures of ``stakegraph centrality`` (kept in step with
#: :data:`stakegraph.analysis.centrality.MEASURES`; listed here so --help imports nothing).
CENTRALITY_MEASURES = (
    "degree",
    "in-degree",
    "out-degree",
    "closeness",
    "harmonic",
    "eigenvector",
    "betweenness",
)


@click.command()
@workspace_source
@as_of_option
@click.option(
    "--measure",
    type=click.Choice(CENTRALITY_MEASURES),
    default="degree",
    show_default=True,
    help="in-degree: how many seek the person out; out-degree: how many the person seeks "
    "out; closeness (Wasserman–Faust), harmonic and eigenvector read a directed graph "
    "inwards.",
)
@click.option(
    "--directed/--undirected",
    default=None,
    help="The directed tie graph (a directed tie one way, an undirected one both ways) or "
    "the undirected one. Default: directed for in- and out-degree, undirected otherwise.",
)
@relation_filter_options
@click.option(
    "--weighted",
    is_flag=True,
    help="Degree and eigenvector: weigh each tie by strength × confidence.",
)
@click.option(
    "--samples",
    type=click.IntRange(min=2),
    default=None,
    help="Betweenness only: estimate from this many sampled source persons (default exact).",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="How many officials to list.",
)
@json_option
@quiet_option
@handle_errors
def centrality(
    source: Source,
    as_of: dt.date | None,
    measure: str,
    directed: bool | None,
    relations: RelationFilter | None,
    weighted: bool,
    samples: int | None,
    top: int,
    as_json: bool,
    quiet: bool,
) -> None:
    """Standard centralities (中心度) of the informal tie graph, directed or not.

    Computed on the informal tie graph of the day, directed or not and optionally
    restricted to some tie kinds; every person of the day counts (n includes those
    without a tie). The heading states the graph, n and the normalisation; --json
    gives person ids. Closeness and harmonic run one search per person and exact
    betweenness one per person too (O(n·m)): on a large book, use --samples for
    betweenness. With --neo4j the persons and ties are streamed from the server
    and only the officials listed are read (a relation filter reads the book).

    \b
    Examples:
      stakegraph centrality examples/smart-city --as-of 2026-11-28 --measure in-degree
      stakegraph centrality examples/smart-city --measure betweenness --directed --kind mentor
    """
    from stakegraph.views.centrality_tables import centrality_data

    if samples is not None and measure != "betweenness":
        raise StakegraphError("--samples applies to --measure betweenness only.")
    try:
        network, result, read = ranked_centrality(
            source,
            as_of,
            quiet or as_json,
            measure,
            top,
            relations,
            directed=directed,
            weighted=weighted,
            samples=samples,
        )
    except ValueError as exc:
        raise StakegraphError(f"{exc}.") from None
    data = centrality_data(network, result, top)
    if as_json:
        click.echo(_json(with_source(data, read)))
        return
    from stakegraph.views.centrality_tables import centrality_heading, centrality_table
    from stakegraph.views.terminal import rich_table

    console = _console()
    console.print(centrality_heading(data), markup=False, highlight=False)
    console.print(rich_table(centrality_table(network, data)))


COMMANDS = (
    report,
    influence,
    centrality,
    gaps,
    paths,
    plan,
    relationships,
    whatif,
)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
