"""What a one-page opportunity brief says, in the workspace's language.

The brief is for the account manager's boss: the opportunity with its client,
stage, value and day; the chain coloured by cover; overall and step coverage;
the most severe gaps with their reasons; the plan's next three actions and who
owns each. This module computes those texts once; the slide renderers (PowerPoint
and matplotlib) only lay them out.

A workspace whose opportunity or client is named in Chinese gets Chinese text; any
other gets English (the English reasons and actions are the analysis' own words).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stakegraph.analysis.coverage import GAP_LABELS, Coverage, Gap, GapKind, HolderCover, coverage
from stakegraph.analysis.plan import PlanRow, engagement_plan
from stakegraph.graph.network import PersonNetwork
from stakegraph.records.naming import post_label
from stakegraph.records.vocabulary import term

#: How many gaps and actions one page holds.
TOP_GAPS = 4
TOP_ACTIONS = 3

_CJK = re.compile(r"[\u3400-\u9fff]")

#: The fixed words of the page, per language.
WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "client": "客户",
        "stage": "阶段",
        "value": "金额",
        "close": "预计签约",
        "as_of": "分析日",
        "chain": "决策链（按覆盖着色）",
        "coverage": "覆盖度",
        "overall": "整体覆盖",
        "gaps": "主要缺口（按严重度）",
        "actions": "下一步三项行动",
        "kind": "缺口",
        "who": "对象",
        "reason": "原因与建议",
        "action": "行动",
        "owner": "负责人",
        "vacant": "空缺",
        "no_gaps": "无缺口",
        "no_actions": "无行动",
        "nobody": "（无空余负荷的人员）",
        "cover_low": "弱",
        "cover_high": "强",
        "colon": "：",
        "tag": "【{}】",
    },
    "en": {
        "client": "Client",
        "stage": "Stage",
        "value": "Value",
        "close": "Close",
        "as_of": "As of",
        "chain": "Decision chain (coloured by cover)",
        "coverage": "Coverage",
        "overall": "Overall cover",
        "gaps": "Top gaps (by severity)",
        "actions": "Next three actions",
        "kind": "Gap",
        "who": "Who",
        "reason": "Reason and remedy",
        "action": "Action",
        "owner": "Owner",
        "vacant": "vacant",
        "no_gaps": "No gaps",
        "no_actions": "No actions",
        "nobody": "(no owner with spare capacity)",
        "cover_low": "weak",
        "cover_high": "strong",
        "colon": ": ",
        "tag": "[{}] ",
    },
}


@dataclass(frozen=True)
class BriefHolder:
    """One role holder as the chain picture shows them."""

    name: str
    role: str
    cover: float
    vacant: bool


@dataclass(frozen=True)
class BriefStep:
    """One step of the chain, with its coverage and holders."""

    name: str
    cover: float
    holders: tuple[BriefHolder, ...]


@dataclass(frozen=True)
class BriefGap:
    """One gap line: its kind, on whom, why and what to do."""

    kind: str
    label: str
    who: str
    reason: str
    severity: float


@dataclass(frozen=True)
class BriefAction:
    """One next action and its owner."""

    target: str
    text: str
    owner: str


@dataclass(frozen=True)
class Brief:
    """Everything one brief page says, in one language (``"zh"`` or ``"en"``)."""

    language: str
    opportunity: str
    title: str
    subtitle: str
    day: dt.date
    overall: float
    steps: tuple[BriefStep, ...]
    gaps: tuple[BriefGap, ...]
    actions: tuple[BriefAction, ...]

    @property
    def words(self) -> dict[str, str]:
        """The page's fixed words in its language."""
        return WORDS[self.language]

    def texts(self) -> list[str]:
        """Every text the page carries, for checks that nothing was dropped."""
        out = [self.title, self.subtitle]
        out += [t for g in self.gaps for t in (g.label, g.who, g.reason)]
        out += [t for a in self.actions for t in (a.text, a.owner)]
        return out


def workspace_language(network: PersonNetwork, opportunity: str) -> str:
    """``"zh"`` when the opportunity or its client is named in Chinese, else ``"en"``."""
    ws = network.workspace
    opp = ws.opportunities[opportunity]
    client = ws.organisations.get(opp.client)
    names = (opp.name, client.name if client else "", *(s.name for s in opp.chain))
    return "zh" if any(_CJK.search(n) for n in names) else "en"


def _money(value: float | None, language: str) -> str:
    if value is None:
        return "—"
    if language == "zh":
        if value >= 1e8:
            return f"{value / 1e8:,.2f} 亿元"
        if value >= 1e4:
            return f"{value / 1e4:,.0f} 万元"
        return f"{value:,.0f} 元"
    return f"{value:,.0f}"


def _gap_label(kind: GapKind, language: str) -> str:
    zh, _, en = GAP_LABELS[kind].partition(" ")
    return zh if language == "zh" else en


def _zh_reason(network: PersonNetwork, gap: Gap, holder: HolderCover | None) -> str:
    """A Chinese reason for a gap, from the same facts the analysis' English reason uses."""
    ws = network.workspace
    cs = ws.settings.coverage
    name = ws.persons[gap.person].name if gap.person else ""
    owner = ws.owners[gap.owner].name if gap.owner else ""
    cover = holder.cover if holder else 0.0
    kind = gap.kind
    if kind is GapKind.UNCOVERED:
        return f"{name}：我方无人认识，也无关系可达；寻找引荐人或安排首次拜访。"
    if kind is GapKind.WEAK:
        via = holder.channel[:-1] if holder else []
        how = (
            "直接联系"
            if not via or holder is None or holder.direct >= cover
            else ("仅经" + "→".join(ws.persons[p].name for p in via))
        )
        return (
            f"{name}：最佳覆盖 {cover:.2f}（{how}），低于 {cs.weak_threshold:.2f}；"
            "以定期接触加深关系。"
        )
    if kind is GapKind.STALE:
        contacts = [
            r.last_contact
            for r in ws.relationships.values()
            if r.person == gap.person and r.last_contact
        ]
        if contacts:
            last = max(contacts)
            since = f"最近联系 {last}（{(network.day - last).days} 天前）"
        else:
            since = "无联系日期记录"
        return f"{name}：{since}；安排拜访。"
    if kind is GapKind.NO_OWNER:
        return f"{name}：未责任到人；指定一位我方负责人。"
    if kind is GapKind.SINGLE_THREADED:
        if holder is not None and holder.owners == [gap.owner]:
            return f"{name}：仅{owner}与其联系，且{owner}承担整个「{gap.step_name}」环节；增加第二联系人。"
        return f"{name}：责任人{owner}负责的关键人超出其负荷；分担负荷。"
    if kind is GapKind.RANK_MISMATCH:
        return f"{name}：我方最高对接人{owner}级别不对等；安排高层对接。"
    if kind is GapKind.OPPONENT:
        return f"{name}：反对我方或倾向对手，覆盖仅 {cover:.2f}；争取或在该环节制衡。"
    if kind is GapKind.VACANT:
        return f"{_who(network, gap)}：岗位空缺；了解主持工作者和拟任人选。"
    if kind is GapKind.ACTING:
        return f"{name}：主持工作，岗位正式空缺；同时关注拟任人选。"
    if kind is GapKind.ROTATED:
        return f"{name}：新近轮岗到任，我方关系在前任；请前任或同事引荐。"
    return gap.reason


def _who(network: PersonNetwork, gap: Gap) -> str:
    ws = network.workspace
    if gap.person:
        return ws.persons[gap.person].name
    return post_label(ws, gap.post) if gap.post else gap.step_name


def _zh_action(network: PersonNetwork, row: PlanRow, nobody: str) -> str:
    """The plan's next action in Chinese, from the same plan row as its English text."""
    ws = network.workspace

    def owner(oid: str | None) -> str:
        return ws.owners[oid].name if oid else nobody

    target = row.name
    if row.channel is None:
        if row.introducer:
            return (
                f"暂无渠道：先接触{ws.persons[row.introducer].name}，请其引荐{target}；"
                f"由{owner(row.responsible)}负责。"
            )
        return (
            f"暂无渠道和引荐人：{owner(row.responsible)}经组织渠道（函件/汇报）正式拜访{target}。"
        )
    via = row.channel.persons[:-1]
    strength = row.channel.strength
    if not via:
        if strength >= ws.settings.coverage.strong_threshold:
            return f"保持：{owner(row.channel.owner)}与{target}定期联系（强度 {strength:.2f}）。"
        return f"深化：{owner(row.channel.owner)}带具体议题拜访{target}（强度 {strength:.2f}）。"
    intro = "→".join(ws.persons[p].name for p in via)
    lead = "高层对接" if row.phase == "senior" else "引荐"
    return f"{lead}：{owner(row.channel.owner)}请{intro}引荐{target}（渠道 {strength:.2f}）。"


def _steps(network: PersonNetwork, cov: Coverage, language: str) -> tuple[BriefStep, ...]:
    ws = network.workspace
    order: list[str] = []
    names: dict[str, str] = {}
    holders: dict[str, list[BriefHolder]] = {}
    for h in cov.holders:
        if h.step not in holders:
            order.append(h.step)
            names[h.step] = h.step_name
            holders[h.step] = []
        role = term("RoleKind", h.role)
        holders[h.step].append(
            BriefHolder(
                name=ws.persons[h.person].name if h.person else WORDS[language]["vacant"],
                role=role.zh if language == "zh" else role.en,
                cover=h.cover,
                vacant=h.person is None,
            )
        )
    return tuple(BriefStep(names[s], cov.steps.get(s, 0.0), tuple(holders[s])) for s in order)


def _gaps(network: PersonNetwork, cov: Coverage, language: str, top: int) -> tuple[BriefGap, ...]:
    holder_of = {(h.step, h.person, h.post): h for h in cov.holders}
    ranked = sorted(cov.gaps, key=lambda g: -g.severity)
    out: list[BriefGap] = []
    for gap in ranked[:top]:
        holder = holder_of.get((gap.step, gap.person, gap.post))
        reason = _zh_reason(network, gap, holder) if language == "zh" else gap.reason
        out.append(
            BriefGap(
                kind=gap.kind.value,
                label=_gap_label(gap.kind, language),
                who=_who(network, gap),
                reason=reason,
                severity=gap.severity,
            )
        )
    return tuple(out)


def _actions(
    network: PersonNetwork, rows: list[PlanRow], language: str, top: int
) -> tuple[BriefAction, ...]:
    ws = network.workspace
    nobody = WORDS[language]["nobody"]
    return tuple(
        BriefAction(
            target=row.name,
            text=_zh_action(network, row, nobody) if language == "zh" else row.action,
            owner=ws.owners[row.responsible].name if row.responsible else nobody,
        )
        for row in rows[:top]
    )


def brief_content(
    network: PersonNetwork,
    opportunity: str,
    language: str | None = None,
    top_gaps: int = TOP_GAPS,
) -> Brief:
    """What the one-page brief of an opportunity says on the network's day.

    Parameters
    ----------
    network : PersonNetwork
        The network of the analysis day.
    opportunity : str
        The opportunity's id; an unknown id raises
        :class:`~stakegraph.errors.UnknownRecord` naming the known ones.
    language : {"zh", "en"}, optional
        Default: :func:`workspace_language`.
    top_gaps : int
        How many of the most severe gaps to list (3 to 5 fit the page).

    Returns
    -------
    Brief
        The title and subtitle, the chain's steps with holders and cover, the
        gaps ordered by severity (highest first), the plan's first three actions.

    Examples
    --------
    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> brief = brief_content(build_network(sample_workspace(), SAMPLE_DAY), "portal")
    >>> brief.language, len(brief.actions)
    ('zh', 1)
    """
    ws = network.workspace
    opp = ws.get("opportunities", opportunity)
    language = language or workspace_language(network, opportunity)
    words = WORDS[language]
    cov = coverage(network, opportunity)
    plan = engagement_plan(network, opportunity, coverage_result=cov)
    client = ws.organisations[opp.client].name if opp.client in ws.organisations else opp.client
    stage = term("Stage", opp.stage.value)
    sep = "　·　" if language == "zh" else "  ·  "
    colon = words["colon"]
    parts = [
        f"{words['client']}{colon}{client}",
        f"{words['stage']}{colon}{stage.zh if language == 'zh' else stage.en}",
        f"{words['value']}{colon}{_money(opp.value, language)}",
    ]
    if opp.close:
        parts.append(f"{words['close']}{colon}{opp.close.isoformat()}")
    parts.append(f"{words['as_of']}{colon}{network.day.isoformat()}")
    return Brief(
        language=language,
        opportunity=opp.id,
        title=opp.name,
        subtitle=sep.join(parts),
        day=network.day,
        overall=cov.overall,
        steps=_steps(network, cov, language),
        gaps=_gaps(network, cov, language, top_gaps),
        actions=_actions(network, plan, language, TOP_ACTIONS),
    )
