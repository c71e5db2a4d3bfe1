"""The report's tables as plain rows of text, shared by the HTML and Markdown writers.

The columns and the formatting of every number follow the terminal report
(:mod:`stakegraph.views.terminal`), so the three outputs say the same thing; only the
role and stance get their Chinese labels here, where there is room for them.
Cells are plain text: each writer escapes them for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stakegraph.views.labels import GAP_LABELS, ROLE_LABELS, STANCE_LABELS, holder_name
from stakegraph.views.language import (
    PROPOSED_LABEL,
    current_language,
    money,
    money_amount,
    percent,
    shown,
    shown_label,
    stage_word,
    word,
)

#: Gap kinds from the most to the least alarming; the order of the colour legend.
GAP_ORDER = (
    "UNCOVERED",
    "VACANT",
    "UNKNOWN_HOLDER",
    "OPPONENT",
    "ACTING",
    "ROTATED",
    "WEAK",
    "STALE",
    "RANK_MISMATCH",
    "NO_OWNER",
    "SINGLE_THREADED",
)


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, an optional style class and gap-kind tags."""

    text: str = ""
    cls: str = ""
    #: gap kinds shown as coloured tags (the text is then their space-joined list)
    tags: tuple[str, ...] = ()
    #: where the cell links to in HTML (a relative path); text elsewhere
    link: str = ""


@dataclass
class Table:
    """A titled table; ``starts`` marks rows that open a new group (a chain step)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    numeric: frozenset[int] = frozenset()
    starts: set[int] = field(default_factory=set)
    note: str | None = None
    #: long cells fold over lines on a terminal; False cuts them with an ellipsis,
    #: for tables of many generic columns
    fold: bool = True


def _gaps_cell(kinds: list[str]) -> Cell:
    return Cell(" ".join(kinds), "gaps", tuple(kinds))


def chain_table(opp: dict[str, Any]) -> Table:
    """决策链: every role of every step with its holder, stance, weight, cover, channel, gaps."""
    table = Table(
        key="chain",
        title=f"决策链 decision chain — {opp['name']} (coverage {percent(opp['coverage'])})",
        columns=[
            "步骤 step",
            "角色 role",
            "职位 post",
            "人员 holder",
            "立场 stance",
            "权重 w",
            "覆盖 cover",
            "渠道 via",
            "缺口 gaps",
        ],
        numeric=frozenset({5, 6}),
    )
    for number, step in enumerate(opp["chain"], start=1):
        table.starts.add(len(table.rows))
        for index, role in enumerate(step["roles"]):
            if role["name"]:
                name = holder_name(role["name"], role.get("acting", False))
                holder = Cell(name + (" (?)" if role["low_confidence"] else ""))
            elif role.get("unknown"):
                holder = Cell(GAP_LABELS["UNKNOWN_HOLDER"], "vacant")
            else:
                holder = Cell("空缺 vacant", "vacant")
            stance = STANCE_LABELS.get(role["stance"], role["stance"])
            if role["competitor_leaning"]:
                stance += f" → {role['competitor_leaning']}"
            via = role["channel_owner_name"] or ""
            if role["via"]:
                via += " → " + " → ".join(role["via"])
            table.rows.append(
                [
                    Cell(
                        f"{number}. {step['name']} {percent(step['coverage'])}"
                        if index == 0
                        else "",
                        "step",
                    ),
                    Cell(ROLE_LABELS.get(role["role"], role["role"])),
                    Cell(_post_cell(role)),
                    holder,
                    Cell(stance, f"stance-{role['stance']}"),
                    Cell(f"{role['weight']:.2f}"),
                    Cell(f"{role['cover']:.2f}", _cover_class(role["cover"])),
                    Cell(via),
                    _gaps_cell(role["gaps"]),
                ]
            )
    if opp.get("low_confidence"):
        names = ", ".join(p["name"] for p in opp["low_confidence"])
        table.note = f"(?) cover of {names} rests on low-confidence evidence."
    return table


def _post_cell(role: dict[str, Any]) -> str:
    """The post column: the post, an unknown holder's organisation and grade, or a named person."""
    if role["post"]:
        return str(role["post_label"])
    if role.get("unknown"):
        return str(role["unknown_label"])
    return word("named person")


def _cover_class(value: float) -> str:
    if value >= 0.6:
        return "cover-good"
    if value >= 0.4:
        return "cover-fair"
    return "cover-poor"


def gaps_table(opp: dict[str, Any]) -> Table:
    """缺口: every gap by descending severity."""
    table = Table(
        key="gaps",
        title=f"缺口 gaps by severity — {opp['name']}",
        columns=["严重度 severity", "类型 kind", "步骤 step", "对象 who", "原因 reason"],
        numeric=frozenset({0}),
    )
    for gap in opp["gaps"]:
        table.rows.append(
            [
                Cell(f"{gap['severity']:.3f}"),
                _gaps_cell([gap["kind"]]),
                Cell(gap["step_name"], "nowrap"),
                Cell(gap["who"] or ""),
                Cell(shown(gap, "reason")),
            ]
        )
    return table


#: The influence table's title: the score and its parts are ×100, brokerage is not.
INFLUENCE_TITLE = "影响力 influence (score and parts ×100)"


def influence_table(rows: list[dict[str, Any]], title: str = INFLUENCE_TITLE) -> Table:
    """影响力: the top list with the parts of each score (×100) and brokerage.

    Betweenness is normalised to [0, 1] and constraint is Burt's (up to about 1.3),
    so neither is ×100; the heading above the table names their graph.
    """
    table = Table(
        key="influence",
        title=title,
        columns=[
            "#",
            "人员 person",
            "职位 post",
            "级别 grade",
            "score",
            "正式 formal",
            "非正式 informal",
            "职位 position",
            "决策 decision",
            "中介度 betweenness (0–1)",
            "约束度 constraint (Burt)",
        ],
        numeric=frozenset({0, 4, 5, 6, 7, 8, 9, 10}),
    )
    for row in rows:
        parts = row["parts"]
        table.rows.append(
            [
                Cell(str(row["rank"])),
                Cell(row["name"]),
                Cell("; ".join(row["posts"])),
                Cell(row["grade"] or ""),
                Cell(f"{row['score']:.2f}"),
                Cell(f"{parts['formal']:.2f}"),
                Cell(f"{parts['informal']:.2f}"),
                Cell(f"{parts['position']:.2f}"),
                Cell(f"{parts['decision']:.2f}"),
                Cell(f"{row['betweenness']:.3f}" if "betweenness" in row else ""),
                Cell("" if row.get("constraint") is None else f"{row['constraint']:.3f}"),
            ]
        )
    return table


SERVER_INFLUENCE_TITLE = "影响力 influence, 服务器计算 computed on the Neo4j server (score ×100)"


def server_influence_table(rows: list[dict[str, Any]]) -> Table:
    """影响力 ranked on the server: rank, person and score ×100 (no parts, no brokerage)."""
    table = Table(
        key="influence-server",
        title=SERVER_INFLUENCE_TITLE,
        columns=["#", "人员 person", "score"],
        numeric=frozenset({0, 2}),
    )
    for row in rows:
        table.rows.append(
            [Cell(str(row["rank"])), Cell(row["name"]), Cell(f"{row['score'] * 100:.2f}")]
        )
    return table


def circles_table(rows: list[dict[str, Any]]) -> Table:
    """非正式组织: each circle, its members and ties, weight on the chain, our way in."""
    table = Table(
        key="circles",
        title="非正式组织 informal circles",
        columns=[
            "圈子 circle",
            "成员 members",
            "关系 ties",
            "链上权重 chain weight",
            "切入点 our way in",
        ],
        numeric=frozenset({3}),
    )
    for row in rows:
        way = row.get("way_in")
        way_cell = (
            Cell(f"{way['owner_name']} → {way['member_name']} ({way['strength']:.2f})")
            if way
            else Cell("none", "missing")
        )
        name = shown(row, "name") + (" (low confidence)" if row.get("low_confidence") else "")
        table.rows.append(
            [
                Cell(name),
                Cell(", ".join(row["member_names"])),
                Cell(", ".join(f"{k} {n}" for k, n in row["kinds"].items())),
                Cell(f"{row['chain_weight']:.2f}"),
                way_cell,
            ]
        )
    return table


def _backup_cell(row: dict[str, Any]) -> Cell:
    """The backup owner (B角); one the plan proposes is marked so."""
    name = row.get("backup_name")
    if not name:
        return Cell("—", "missing")
    return Cell(f"{name} ({PROPOSED_LABEL})" if row.get("backup_proposed") else name)


#: How a step shows in a channel: along an informal tie, or a formal line up or down.
STEP_ARROWS = {"tie": " → ", "up": " ↑ ", "down": " ↓ "}


def channel_text(owner_name: str, names: list[str], steps: list[str] | None = None) -> str:
    """A channel as ``owner → contact → … → target``.

    A step along a reporting or oversight line shows as ``↑`` (a subordinate
    introduces us or reports up) or ``↓`` (a superior refers us down); ``steps``
    None means informal ties throughout.

    >>> channel_text("陈总", ["李明", "王芳"], ["up"])
    '陈总 → 李明 ↑ 王芳'
    >>> channel_text("小刘", ["赵强", "王芳"])
    '小刘 → 赵强 → 王芳'
    """
    text = f"{owner_name} → {names[0]}"
    for step, name in zip(steps or ["tie"] * (len(names) - 1), names[1:], strict=True):
        text += STEP_ARROWS[step] + name
    return text


def influence_command_table(rows: list[dict[str, Any]]) -> Table:
    """The table of ``stakegraph influence``: the ranking as the command lists it."""
    return influence_table(rows)


def plan_command_table(rows: list[dict[str, Any]], opportunity_name: str) -> Table:
    """The table of ``stakegraph plan``: the plan titled with its opportunity."""
    return plan_table(rows, f"倒三角 plan — {opportunity_name}")


def plan_table(rows: list[dict[str, Any]], title: str = "倒三角 inverted-triangle plan") -> Table:
    """倒三角: targets top-down with the paired tier, channel, named owner and next action."""
    table = Table(
        key="plan",
        title=title,
        columns=[
            "阶段 phase",
            "对象 target",
            "级别 grade",
            "对等层级 paired",
            "渠道 channel",
            "责任人 owner",
            "B角 backup",
            "下一步 next action",
        ],
    )
    phase = None
    for row in rows:
        if row["phase"] != phase:
            table.starts.add(len(table.rows))
            phase = row["phase"]
        channel = row["channel"]
        if channel:
            path = channel_text(channel["owner_name"], channel["names"], channel.get("steps"))
            channel_cell = Cell(f"{path} ({channel['strength']:.2f})")
        else:
            channel_cell = Cell("none", "missing")
        table.rows.append(
            [
                Cell(row["phase_label"], f"phase-{row['phase']}"),
                Cell(holder_name(row["name"], row.get("acting", False))),
                Cell(row["grade"] or ""),
                Cell(row["paired_tier"] or ""),
                channel_cell,
                Cell(row["responsible_name"] or "—", "" if row["responsible_name"] else "missing"),
                _backup_cell(row),
                Cell(shown(row, "action")),
            ]
        )
    return table


def rotation_risk_table(rotation: dict[str, Any]) -> Table:
    """轮岗预警: each holder's chance of leaving the post within the horizon, and why.

    ``rotation`` holds ``horizon``, ``until`` and the ``holders`` rows, most likely
    first; a chance at or above ``likely_threshold`` is marked.
    """
    table = Table(
        key="rotation-risk",
        title=f"轮岗预警 rotation risk ahead ({rotation['horizon']}) — until {rotation['until']}",
        columns=[
            "人员 holder",
            "职位 post",
            "步骤 step",
            "任职 years in post",
            "年龄 age",
            "离任概率 chance",
            "规则 rule",
            "依据 reason",
        ],
        numeric=frozenset({3, 4, 5}),
    )
    zh = current_language() == "zh"
    for row in rotation["holders"]:
        likely = row["probability"] >= rotation["likely_threshold"]
        table.rows.append(
            [
                Cell(holder_name(row["name"], row["acting"])),
                Cell(row["post_label"]),
                Cell(row["step_name"], "nowrap"),
                Cell("—" if row["years"] is None else f"{row['years']:.1f}"),
                Cell("—" if row["age"] is None else str(row["age"])),
                Cell(percent(row["probability"]), "bad" if likely else ""),
                Cell(shown_label(row["rule_label"])),
                Cell(row["reason_zh"] if zh else row["reason_en"]),
            ]
        )
    return table


def formal_informal_table(findings: list[dict[str, Any]]) -> Table:
    """正式与非正式: where the informal organisation departs from the chart on the chain.

    ``findings`` are the rows of :func:`stakegraph.views.formal_informal_rows.finding_rows`.
    """
    table = Table(
        key="formal-informal",
        title="正式与非正式 formal versus informal",
        columns=["发现 finding", "人员 person", "上级 superior", "线 line", "依据 reason"],
    )
    _finding_cells(table, findings)
    return table


def organisation_findings_table(organisations: list[dict[str, Any]]) -> Table:
    """正式与非正式（按单位）: the findings of every organisation, one group each.

    ``organisations`` are the rows of
    :func:`stakegraph.views.formal_informal_rows.organisation_rows`.
    """
    table = Table(
        key="formal-informal-organisations",
        title="正式与非正式（按单位） formal versus informal by organisation",
        columns=[
            "单位 organisation",
            "发现 finding",
            "人员 person",
            "上级 superior",
            "线 line",
            "依据 reason",
        ],
    )
    for org in organisations:
        table.starts.add(len(table.rows))
        first = len(table.rows)
        _finding_cells(table, org["findings"])
        for index in range(first, len(table.rows)):
            shown_org = org["name"] if index == first else ""
            table.rows[index].insert(0, Cell(shown_org, "nowrap"))
    return table


def _finding_cells(table: Table, findings: list[dict[str, Any]]) -> None:
    zh = current_language() == "zh"
    for row in findings:
        table.rows.append(
            [
                Cell(shown_label(row["kind_label"])),
                Cell(row["name"]),
                Cell(row["superior_name"] or ""),
                Cell(shown_label(row["line_label"]) if row["line_label"] else ""),
                Cell(row["reason_zh"] if zh else row["reason_en"]),
            ]
        )


def opportunity_tables(opp: dict[str, Any]) -> list[Table]:
    """The tables of one opportunity, in the order of the terminal report (the rotation
    risk and the formal-versus-informal findings last, when the report has them)."""
    return (
        [
            chain_table(opp),
            gaps_table(opp),
            influence_table(opp["influence"]),
            circles_table(opp["circles"]),
            plan_table(opp["plan"]),
        ]
        + (
            [rotation_risk_table(opp["rotation"])]
            if (opp.get("rotation") or {}).get("holders")
            else []
        )
        + ([formal_informal_table(opp["formal_informal"])] if opp.get("formal_informal") else [])
    )


def opportunity_heading(opp: dict[str, Any]) -> str:
    """``name (id; client; stage, value, close)`` as one line, the value in the run's unit."""
    value = f", {money_amount(opp['value'])}" if opp.get("value") else ""
    close = f", {word('close')} {opp['close']}" if opp.get("close") else ""
    return f"{opp['name']} ({opp['id']}; {opp['client_name']}; {stage_word(opp['stage'])}{value}{close})"


def _wan(value: float) -> str:
    return money(value)


#: The account tables that make the 客户组合 Portfolio section; the rest is relationship health.
PORTFOLIO_TABLES = frozenset({"portfolio", "funnel", "owner-load"})


def account_tables(accounts: dict[str, Any]) -> list[Table]:
    """The book of accounts: portfolio, funnel, owner load, level changes, dark horses, loop."""
    since = _since_review_table(accounts.get("since_review"))
    return [
        *portfolio_tables(accounts["portfolio"]),
        level_changes_table(accounts["level_changes"]),
        dark_horses_table(accounts["dark_horses"]),
        improvement_loop_table(accounts["overdue"], accounts["unanswered_complaints"]),
    ] + ([since] if since else [])


def portfolio_tables(pf: dict[str, Any]) -> list[Table]:
    """客户组合: the segments, the funnel and the owner load of :func:`portfolio`'s result.

    ``pf`` is the result as a dict, with ``key_person_names`` added to each owner.
    """
    segments = Table(
        key="portfolio",
        title="客户组合 portfolio (value 万元)",
        columns=[
            "客户 account",
            "分类 segment",
            "商机 opportunities",
            "金额 value",
            "覆盖 coverage",
            "策略 stance",
        ],
        numeric=frozenset({2, 3, 4}),
        note=_portfolio_note(pf),
    )
    for row in pf["accounts"]:
        segment = "关键 key" if row["segment"] == "key" else "普遍 general"
        segments.rows.append(
            [
                Cell(row["name"]),
                Cell(segment + ("" if row["covered"] else " · 覆盖不足 under-covered")),
                Cell(str(len(row["opportunities"]))),
                Cell(
                    _wan(row["value"])
                    + (f" (+{row['unknown_value']} unknown)" if row["unknown_value"] else "")
                ),
                Cell(percent(row["coverage"]), _cover_class(row["coverage"])),
                Cell(row["stance"]),
            ]
        )
    funnel = Table(
        key="funnel",
        title="客户漏斗 funnel by stage (value 万元)",
        columns=["阶段 stage", "商机 count", "金额 value"],
        numeric=frozenset({1, 2}),
    )
    for stage in pf["funnel"]:
        unknown = stage.get("unknown_value")
        funnel.rows.append(
            [
                Cell(stage["label"]),
                Cell(str(stage["opportunities"])),
                Cell(_wan(stage["value"]) + (f" (+{unknown} unknown)" if unknown else "")),
            ]
        )
    load = Table(
        key="owner-load",
        title="负责人负荷 owner load: key persons named to each owner vs capacity",
        columns=["owner", "关键人 key persons", "人员 who", "容量 capacity", "负荷 load"],
        numeric=frozenset({1, 3, 4}),
    )
    for o in pf["owners"]:
        over = " 超负荷 over" if o["over"] else ""
        load.rows.append(
            [
                Cell(o["name"]),
                Cell(str(len(o["key_persons"]))),
                Cell(", ".join(o.get("key_person_names") or o["key_persons"]) or "—"),
                Cell(str(o["capacity"])),
                Cell(
                    (percent(o["load"]) if o["load"] is not None else "—") + over,
                    "bad" if o["over"] else "",
                ),
            ]
        )
    return [segments, funnel, load]


def portfolio_heatmap_table(pf: dict[str, Any], stages: list[tuple[str, str]]) -> Table:
    """覆盖度: coverage per account and stage (``stages``: code and label, in order)."""
    table = Table(
        key="portfolio-heatmap",
        title="覆盖度 coverage by account × stage",
        columns=["客户 account", *(label for _, label in stages)],
        numeric=frozenset(range(1, len(stages) + 1)),
    )
    for row in pf["accounts"]:
        cells = pf["heatmap"][row["org"]]
        table.rows.append(
            [
                Cell(row["name"]),
                *(
                    Cell(percent(cells[code]), _cover_class(cells[code]))
                    if cells[code] is not None
                    else Cell("—")
                    for code, _ in stages
                ),
            ]
        )
    return table


def level_changes_table(level_changes: list[dict[str, Any]]) -> Table:
    """关系层级变化: relationships whose latest assessment moved their level."""
    changes = Table(
        key="level-changes",
        title="关系层级变化 relationships that changed level at their latest assessment",
        columns=["owner", "人员 person", "之前 before", "之后 after", "日期 date"],
    )
    for c in level_changes:
        arrow = "↓ " if c["direction"] == "down" else "↑ "
        changes.rows.append(
            [
                Cell(c["owner_name"]),
                Cell(c["person_name"]),
                Cell(f"{c['before']} ({c['before_date'] or 'first'})"),
                Cell(arrow + c["after"], "bad" if c["direction"] == "down" else "good"),
                Cell(str(c["after_date"])),
            ]
        )
    return changes


def dark_horses_table(dark_horses: list[dict[str, Any]], detail: bool = False) -> Table:
    """培养黑马: juniors strong for their grade and weakly covered, with the reason.

    ``detail`` adds the influence and brokerage ratios and the score
    (``stakegraph darkhorses``); the report shows the short form.
    """
    ratios = ["影响力比 influence ×", "中介度比 brokerage ×"] if detail else []
    horses = Table(
        key="dark-horses",
        title="培养黑马 dark horses: juniors strong for their grade, weakly covered",
        columns=[
            "#",
            "人员 person",
            "职位 post",
            "级别 grade",
            *ratios,
            "覆盖 cover",
            *(["得分 score"] if detail else []),
            "理由 reason",
        ],
        numeric=frozenset({0, 4, 5, 6, 7} if detail else {0, 4}),
    )
    for h in dark_horses:
        extra = (
            [
                Cell(f"{h['influence_ratio']:.2f}"),
                Cell(
                    f"{h['brokerage_ratio']:.2f}"
                    + ("" if h["brokerage_basis"] == "median" else " (mean)")
                ),
            ]
            if detail
            else []
        )
        horses.rows.append(
            [
                Cell(str(h["rank"])),
                Cell(h["name"]),
                Cell("; ".join(h["post_labels"])),
                Cell(h["grade_name"] or str(h["grade"])),
                *extra,
                Cell(f"{h['cover']:.2f}"),
                *([Cell(f"{h['score']:.2f}")] if detail else []),
                Cell(f"{h['reason_zh']} / {h['reason_en']}"),
            ]
        )
    return horses


def improvement_loop_table(
    overdue: list[dict[str, Any]], unanswered_complaints: list[dict[str, Any]]
) -> Table:
    """改进闭环: overdue improvements, then complaints nobody answered with an action."""
    loop = Table(
        key="complaints",
        title="改进闭环 overdue improvements and complaints without an action",
        columns=["类型 kind", "内容 what", "负责 owner / 来自 from", "日期 date"],
    )
    for item in overdue:
        loop.rows.append(
            [
                Cell("逾期 overdue", "bad"),
                Cell(f"{item['action']} ({item['id']})"),
                Cell(item["owner_name"]),
                Cell(f"due {item['due']}, {item['days_overdue']} days ago"),
            ]
        )
    for item in unanswered_complaints:
        loop.rows.append(
            [
                Cell("未整改 no action", "bad"),
                Cell(item["notes"] or item["id"]),
                Cell(", ".join(item["from"])),
                Cell(str(item["date"])),
            ]
        )
    return loop


def _portfolio_note(pf: dict[str, Any]) -> str:
    """How the segments were drawn, and which values are missing."""
    text = (
        f"{pf['key_rule']}; 覆盖 covered: value-weighted coverage ≥ {percent(pf['covered_threshold'])}. "
        "攻 invest = key, under-covered; 守 defend = key, covered; "
        "保 maintain = general, covered; 养 nurture = general, under-covered."
    )
    if pf.get("notes"):
        text += " " + "; ".join(pf["notes"]) + "."
    return text


def _since_review_table(data: dict[str, Any] | None) -> Table | None:
    """What changed since the last review: coverage per opportunity, rotations, levels."""
    if not data:
        return None
    table = Table(
        key="since-review",
        title=f"上次复盘以来的变化 what changed since the last review ({data['from']} → {data['to']})",
        columns=["类型 kind", "内容 what", "之前 before", "之后 after"],
    )
    for opp in data["opportunities"]:
        change = opp["coverage_change"]
        table.rows.append(
            [
                Cell("覆盖 coverage"),
                Cell(opp["name"]),
                Cell(
                    percent(opp["coverage_before"]) if opp["coverage_before"] is not None else "—"
                ),
                Cell(
                    (percent(opp["coverage_after"]) if opp["coverage_after"] is not None else "—")
                    + (f" ({100 * change:+.0f} pts)" if change is not None else ""),
                    "bad" if change is not None and change < 0 else "",
                ),
            ]
        )
    for r in data["rotations"]:
        table.rows.append(
            [
                Cell("轮岗 rotation"),
                Cell(
                    f"{holder_name(r['name'], r.get('acting', False))} "
                    f"{r['change_label']} {r['post_label']}"
                ),
                Cell(str(r["date"] or "")),
                Cell(""),
            ]
        )
    for c in data["level_changes"]:
        table.rows.append(
            [
                Cell("层级 level"),
                Cell(f"{c['owner_name']} → {c['person_name']}"),
                Cell(c["before"]),
                Cell(
                    ("↓ " if c["direction"] == "down" else "↑ ") + c["after"],
                    "bad" if c["direction"] == "down" else "good",
                ),
            ]
        )
    for kind, key in (
        ("新关系 relationship added", "relationships_added"),
        ("新纽带 tie added", "ties_added"),
    ):
        for link in data[key]:
            table.rows.append(
                [
                    Cell(kind),
                    Cell(f"{link['a_name']} — {link['b_name']}"),
                    Cell(""),
                    Cell(str(link["since"] or "")),
                ]
            )
    return table
