"""Terminal rendering (rich) of the plain data the library returns.

Views only format: every number and list comes from a library function, so the
table and the ``--json`` document always say the same thing.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

STANCE_LABELS = {
    "champion": "支持者 champion",
    "supporter": "倾向支持 supporter",
    "neutral": "中立 neutral",
    "skeptic": "怀疑 skeptic",
    "opponent": "反对 opponent",
}

ROLE_LABELS = {
    "decision_maker": "决策者 decision maker",
    "approver": "审批者 approver",
    "budget_holder": "预算 budget holder",
    "evaluator": "评估者 evaluator",
    "influencer": "影响者 influencer",
    "user": "使用者 user",
    "gatekeeper": "把关者 gatekeeper",
}


def print_summary(console: Console, data: dict[str, Any]) -> None:
    counts = data["counts"]
    console.print(f"[bold]{data['workspace']}[/] as of {data['as_of']}")
    console.print(
        "  " + ", ".join(f"{n} {name}" for name, n in counts.items() if n), markup=False
    )
    if data["vacant_posts"]:
        console.print(f"  vacant posts (空缺): {', '.join(data['vacant_posts'])}", markup=False)
    console.print()
    tree = Tree("[bold]Organisations[/] (块: parent lines; 条: guided by)")
    for root in data["organisations"]:
        _add_org(tree, root)
    console.print(tree)
    for opp in data["opportunities"]:
        console.print()
        console.print(chain_table(opp))


def _add_org(parent: Tree, org: dict[str, Any]) -> None:
    label = f"{org['name']} [dim]({org['id']}, {org['kind']}"
    label += f", {org['level']}" if org["level"] else ""
    label += f", {org['posts']} posts)[/]"
    if org["guided_by"]:
        label += f" [cyan]条→ {', '.join(org['guided_by'])}[/]"
    branch = parent.add(label)
    for child in org["children"]:
        _add_org(branch, child)


def chain_table(opp: dict[str, Any]) -> Table:
    value = f", {opp['value']:,.0f}" if opp.get("value") else ""
    table = Table(
        title=f"决策链 {opp['name']} ({opp['id']}; {opp['client_name']}; {opp['stage']}{value})",
        title_justify="left",
        show_lines=False,
    )
    for column in ("step", "role", "post", "grade", "holder", "stance", "weight"):
        table.add_column(column, overflow="fold")
    for number, step in enumerate(opp["steps"], start=1):
        for index, role in enumerate(step["roles"]):
            holder = ", ".join(h["name"] for h in role["holders"]) or "[red]空缺 vacant[/]"
            post = f"{role['org']} {role['post_title']}" if role["post"] else "(named person)"
            stance = STANCE_LABELS.get(role["stance"], role["stance"])
            if role["competitor_leaning"]:
                stance += f" [yellow]→ {role['competitor_leaning']}[/]"
            table.add_row(
                f"{number}. {step['name']}" if index == 0 else "",
                ROLE_LABELS.get(role["role"], role["role"]),
                post,
                role["grade"] or "",
                holder,
                stance,
                f"{role['weight']:.2f}",
            )
    return table
