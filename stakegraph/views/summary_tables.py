"""Tables of the overviews: the chains of ``stakegraph show`` and the report's summary.

Defined once as :class:`~stakegraph.views.tables.Table`, like the report's tables,
and rendered by :func:`stakegraph.views.terminal.rich_table`.
"""

from __future__ import annotations

from typing import Any

from stakegraph.views.labels import GAP_LABELS, ROLE_LABELS, STANCE_LABELS, holder_name
from stakegraph.views.language import money, money_amount, percent, stage_word, word
from stakegraph.views.tables import Cell, Table


def holders_chain_table(opp: dict[str, Any]) -> Table:
    """决策链: who holds each role of each step on the day (``stakegraph show``).

    ``opp`` is one opportunity of :func:`~stakegraph.views.summary.workspace_summary`.
    """
    value = f", {money_amount(opp['value'])}" if opp.get("value") else ""
    table = Table(
        key="holders-chain",
        title=f"决策链 {opp['name']} ({opp['id']}; {opp['client_name']}; {stage_word(opp['stage'])}{value})",
        columns=["step", "role", "post", "grade", "holder", "stance", "weight"],
    )
    for number, step in enumerate(opp["steps"], start=1):
        for index, role in enumerate(step["roles"]):
            names = ", ".join(
                holder_name(h["name"], h.get("acting", False)) for h in role["holders"]
            )
            stance = STANCE_LABELS.get(role["stance"], role["stance"])
            if role["competitor_leaning"]:
                stance += f" → {role['competitor_leaning']}"
            post = (
                role["post_label"]
                if role["post"]
                else role["unknown_label"]
                if role.get("unknown")
                else word("named person")
            )
            if role.get("named_post"):  # the chain names a post a reform replaced
                post += f" ({word('formerly')} {role['named_post_label']})"
            table.rows.append(
                [
                    Cell(f"{number}. {step['name']}" if index == 0 else ""),
                    Cell(ROLE_LABELS.get(role["role"], role["role"])),
                    Cell(post),
                    Cell(role["grade"] or ""),
                    Cell(names)
                    if names
                    else Cell(GAP_LABELS["UNKNOWN_HOLDER"], "vacant")
                    if role.get("unknown")
                    else Cell("空缺 vacant", "vacant"),
                    Cell(stance, f"stance-{role['stance']}"),
                    Cell(f"{role['weight']:.2f}"),
                ]
            )
    return table


def opportunities_summary_table(
    opportunities: list[dict[str, Any]],
    owner_names: dict[str, str] | None = None,
    links: dict[str, str] | None = None,
) -> Table:
    """商机一览: one row per opportunity of the report, weakest cover first, with its
    stage, value, cover, number of gaps and worst gap.

    With ``owner_names`` a last column names the owner of ours responsible for the
    worst gap's person (— when nobody is); ``links`` (opportunity id → relative path)
    makes each opportunity's name a link, as the book's index does.
    """
    columns = [
        "商机 opportunity",
        "客户 client",
        "阶段 stage",
        "金额 value (万元)",
        "覆盖 coverage",
        "缺口 gaps",
        "最严重 worst gap",
    ]
    table = Table(
        key="opportunities-summary",
        title="商机一览 opportunities at a glance",
        columns=columns + (["责任人 owner"] if owner_names is not None else []),
        numeric=frozenset({3, 4, 5}),
    )
    ordered = sorted(opportunities, key=lambda o: (o["coverage"], -(o["value"] or 0), o["id"]))
    for opp in ordered:
        worst = max(opp["gaps"], key=lambda g: g["severity"], default=None)
        row = [
            Cell(f"{opp['name']} ({opp['id']})", link=(links or {}).get(opp["id"], "")),
            Cell(opp["client_name"]),
            Cell(stage_word(opp["stage"])),
            Cell(money(opp["value"] or 0)),
            Cell(percent(opp["coverage"])),
            Cell(str(len(opp["gaps"]))),
            Cell(f"{worst['label']}: {worst['who']} ({worst['step_name']})" if worst else "—"),
        ]
        if owner_names is not None:
            owner = (worst or {}).get("owner")
            row.append(Cell(owner_names.get(owner, owner) if owner else "—"))
        table.rows.append(row)
    return table
