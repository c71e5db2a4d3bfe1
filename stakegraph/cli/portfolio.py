"""The ``portfolio`` command: the whole book of accounts on one day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from stakegraph.cli.common import (
    _console,
    _fail,
    _json,
    _today,
    as_of_option,
    handle_errors,
    json_option,
    quiet_option,
)
from stakegraph.cli.neo4j import load_chosen_source, neo4j_options


@click.command("portfolio")
@click.argument("workspace", required=False, type=click.Path(exists=True, path_type=Path))
@neo4j_options
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also draw the accounts × stages heatmap and the funnel to this .png or .svg file.",
)
@as_of_option
@json_option
@quiet_option
@handle_errors
def portfolio_command(
    workspace: Path | None,
    out: Path | None,
    as_of: dt.date | None,
    as_json: bool,
    quiet: bool,
    **source: Any,
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
    from stakegraph.analysis.portfolio import STAGE_LABELS, STAGES, portfolio
    from stakegraph.graph.network import build_network
    from stakegraph.progress import Progress

    if out is not None and out.suffix.lower() not in (".png", ".svg"):
        # refuse before loading, so a long run does not end in this error
        _fail(f"{out}: use a .png or .svg file name.")
    ws = load_chosen_source(workspace, quiet or as_json, source)
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
        data = result.to_dict()
        data["figure"] = str(written) if written else None
        click.echo(_json(data))
        return
    from rich.table import Table

    console = _console()
    table = Table(title=f"客户组合 portfolio — {day}", title_justify="left")
    for column in (
        "客户 account",
        "分类 segment",
        "商机 opportunities",
        "金额 value (万元)",
        "覆盖 coverage",
        "策略 stance",
    ):
        table.add_column(column)
    for row in result.accounts:
        table.add_row(
            row.name,
            ("关键 key" if row.segment == "key" else "普遍 general")
            + ("" if row.covered else " · 覆盖不足"),
            str(len(row.opportunities)),
            f"{row.value / 10000:,.0f}"
            + (f" (+{row.unknown_value} unknown)" if row.unknown_value else ""),
            f"{row.coverage:.0%}",
            row.stance,
        )
    console.print(table)
    console.print(
        f"{result.key_rule}; 覆盖 covered: value-weighted coverage ≥ {result.covered_threshold:.0%}"
    )
    funnel = Table(title="客户漏斗 funnel", title_justify="left")
    for column in ("阶段 stage", "商机 count", "金额 value (万元)"):
        funnel.add_column(column)
    for stage in result.funnel:
        funnel.add_row(
            stage["label"], str(stage["opportunities"]), f"{stage['value'] / 10000:,.0f}"
        )
    console.print(funnel)
    owners = Table(title="负责人负荷 owner load (key persons vs capacity)", title_justify="left")
    columns = ["负责人 owner", "关键人 key persons", "容量 capacity", "负荷 load"]
    # the flag column only when someone is over capacity: an empty column reads as a glitch
    flagged = any(o.over for o in result.owners)
    for column in columns + (["超负荷 over"] if flagged else []):
        owners.add_column(column)
    for o in result.owners:
        cells = [
            o.name,
            ", ".join(ws.persons[p].name for p in o.key_persons) or "—",
            str(o.capacity),
            f"{o.load:.0%}" if o.load is not None else "—",
        ]
        owners.add_row(*cells, *(["超负荷 over capacity" if o.over else ""] if flagged else []))
    console.print(owners)
    heat = Table(title="覆盖度 coverage by account × stage", title_justify="left")
    heat.add_column("客户 account")
    for stage in STAGES:
        heat.add_column(STAGE_LABELS[stage])
    for row in result.accounts:
        cells = result.heatmap[row.org]
        heat.add_row(
            row.name,
            *(f"{cells[s.value]:.0%}" if cells[s.value] is not None else "—" for s in STAGES),
        )
    console.print(heat)
    for note in result.notes:
        console.print(f"note: {note}")
    if written:
        click.echo(f"Wrote {written}.")


COMMANDS = (portfolio_command,)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
