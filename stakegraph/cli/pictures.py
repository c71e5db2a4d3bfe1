"""Pictures: the interactive map and single figures as PNG or SVG."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from stakegraph.cli.common import (
    DATE,
    SafePath,
    _json,
    _today,
    as_of_option,
    handle_errors,
    json_option,
    quiet_option,
    relation_filter_options,
)
from stakegraph.cli.source import (
    Source,
    _network,
    _opportunity,
    named,
    opportunity_option,
    workspace_source,
)

if TYPE_CHECKING:
    from stakegraph.graph.relation_filter import RelationFilter


def _say_written(path: Any) -> None:
    """Say which file was written, in the run's language."""
    from stakegraph.views.write_lines import team_line

    click.echo(team_line("wrote_files", files=path))


@click.command(name="map")
@workspace_source
@opportunity_option
@click.option("--circle", default=None, help="Show one informal circle (circle-1, circle-2 …).")
@click.option(
    "--out",
    "out",
    required=True,
    type=SafePath(dir_okay=False, path_type=Path),
    help="The HTML file to write.",
)
@as_of_option
@relation_filter_options
@json_option
@quiet_option
@handle_errors
def map_command(
    source: Source,
    opportunity: str | None,
    circle: str | None,
    out: Path,
    as_of: dt.date | None,
    relations: Any,
    as_json: bool,
    quiet: bool,
) -> None:
    """Write an interactive map (one HTML file, works offline) of officials and owners.

    The chain reads top-down by grade with our owners beneath; pan and zoom,
    hover or click a person for post, grade, influence, cover and gaps; filter to
    one opportunity or one informal circle (非正式组织). Large workspaces show the
    chains' persons and their neighbours.

    \b
    Example:
      stakegraph map examples/smart-city --out map.html
      stakegraph map --neo4j --workspace smart-city --out map.html
    """
    from stakegraph.views.map import write_map

    ws, network, day = _network(source, as_of, quiet or as_json, relations)
    opportunity = named(ws, "opportunity", opportunity, day, "--opportunity")
    written = write_map(network, day, out, opportunity, circle)
    if as_json:
        data = {
            "written": "map",
            "format": "html",
            "path": str(written),
            "as_of": day.isoformat(),
            "opportunity": opportunity,
            "circle": circle,
        }
        if relations is not None:
            data["relations"] = relations.to_dict()
        click.echo(_json(data))
        return
    _say_written(written)


FIGURE_KINDS = ("chain", "influence", "radar", "heatmap", "triangle", "orgchart", "formal")


@click.command()
# With --neo4j there is no folder: `plot --neo4j KIND` puts the kind first, so the
# folder is not checked by click and KIND is optional here and checked below.
@workspace_source(must_exist=False)
@click.argument("kind", required=False, metavar=f"[{'|'.join(FIGURE_KINDS)}]")
@opportunity_option
@click.option(
    "--person",
    default=None,
    help="Radar: this official's relationships (person id, name, alias or pinyin).",
)
@click.option(
    "--owner",
    default=None,
    help="Radar: this owner's relationships (owner id, name, alias or pinyin).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=SafePath(dir_okay=False, path_type=Path),
    help="File to write: .png or .svg.",
)
@click.option(
    "--compare",
    type=DATE,
    default=None,
    help="Radar: also draw the scores on this date (YYYY-MM-DD), dashed, to see a trend.",
)
@as_of_option
@json_option
@quiet_option
@handle_errors
def plot(
    source: Source,
    kind: str | None,
    opportunity: str | None,
    person: str | None,
    owner: str | None,
    out: Path,
    compare: dt.date | None,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Draw a figure to a PNG or SVG file.

    \b
    Kinds:
      chain      决策链: steps, holders coloured by cover, gaps, our owners
      influence  影响力: top officials split into formal/informal/position/decision
      radar      六维雷达: the six scores of a person (--person) or an owner (--owner)
      heatmap    覆盖热力图: chain role holders × our owners, cell = strength
      triangle   倒三角: their leaders by grade paired with our tiers
      orgchart   组织结构: 块 parent lines solid, 条 guidance dashed
      formal     正式与非正式: the chain's reporting lines (red: no tie behind) and
                 informal ties (dashed) apart

    \b
    Examples:
      stakegraph plot examples/smart-city chain -o smart-city --out chain.png
      stakegraph plot examples/smart-city radar --person he-jing --compare 2026-07-31 \\
          --as-of 2026-11-28 --out he-jing.png
      stakegraph plot --neo4j --workspace smart-city influence --out influence.png
    """
    from stakegraph.errors import StakegraphError
    from stakegraph.views.figures import render_figure

    if kind is None and source.neo4j and source.path is not None:
        source, kind = replace(source, path=None), str(source.path)
    if kind not in FIGURE_KINDS:
        shown = "nothing" if kind is None else repr(kind)
        raise click.BadParameter(
            f"{shown} is not a figure kind; choose one of {', '.join(FIGURE_KINDS)}.",
            param_hint="KIND",
        )
    if compare is not None and kind != "radar":
        raise StakegraphError("--compare applies to the radar only.")
    ws = source.load(quiet or as_json)
    day = as_of or _today()
    opportunity = named(ws, "opportunity", opportunity, day, "--opportunity")
    person = named(ws, "person", person, day, "--person")
    owner = named(ws, "owner", owner, day, "--owner")
    written = render_figure(ws, kind, opportunity, day, person, owner, out=out, compare=compare)
    if as_json:
        data = {
            "written": "figure",
            "kind": kind,
            "format": Path(written).suffix.lstrip(".").lower(),
            "path": str(written),
            "as_of": day.isoformat(),
            "opportunity": opportunity,
            "person": person,
            "owner": owner,
            "compare": compare.isoformat() if compare else None,
        }
        click.echo(_json(data))
        return
    _say_written(written)


@click.command()
@workspace_source
@opportunity_option
@click.option(
    "--out",
    "out",
    required=True,
    type=SafePath(dir_okay=False, path_type=Path),
    help="File to write: .pptx (editable), .pdf, .png or .svg.",
)
@as_of_option
@relation_filter_options
@json_option
@quiet_option
@handle_errors
def brief(
    source: Source,
    opportunity: str | None,
    out: Path,
    as_of: dt.date | None,
    relations: RelationFilter | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Write a one-page brief (一页纸简报) of an opportunity for the boss.

    One 16:9 page: the opportunity, client, stage, value and day; the decision
    chain coloured by cover (决策链覆盖); overall and step coverage; the most
    severe gaps (主要缺口) with their reasons; the plan's next three actions
    (下一步行动) and their owners. Chinese for a workspace written in Chinese,
    English otherwise. A .pptx has editable text boxes and tables (needs
    python-pptx: pip install 'stakegraph[pptx]'); .pdf, .png and .svg have the
    same layout.

    \b
    Examples:
      stakegraph brief examples/smart-city -o smart-city --as-of 2026-11-28 --out brief.pptx
      stakegraph brief examples/harbor-county --out brief.pdf
    """
    from stakegraph.views.brief import BRIEF_FORMATS, write_brief

    if out.suffix.lower() not in BRIEF_FORMATS:
        raise click.BadParameter(
            f"{out.name}: use one of {', '.join(BRIEF_FORMATS)}.", param_hint="--out"
        )
    ws, network, day = _network(source, as_of, quiet or as_json, relations)
    opp = _opportunity(ws, opportunity, network.day)
    written = write_brief(network, opp, out)
    if as_json:
        data: dict[str, Any] = {
            "written": "brief",
            "format": Path(written).suffix.lstrip(".").lower(),
        }
        data |= {"path": str(written), "as_of": day.isoformat(), "opportunity": opp}
        if relations is not None:  # as the page's subtitle says
            data["relations"] = relations.to_dict()
        click.echo(_json(data))
        return
    _say_written(written)


COMMANDS = (
    map_command,
    plot,
    brief,
)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
