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

from stakegraph.analysis.coverage import Coverage, GapKind, coverage
from stakegraph.analysis.plan import PlanRow, engagement_plan
from stakegraph.config import LANGUAGE
from stakegraph.graph.network import PersonNetwork
from stakegraph.graph.relation_filter import applied_filter
from stakegraph.records.vocabulary import term
from stakegraph.views.labels import GAP_LABELS
from stakegraph.views.phrases import gap_reason, gap_who, plan_action, relations_phrase

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
        "holder unknown": "人选未明",
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
        "holder unknown": "holder unknown",
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
    """The run's or the workspace's language when chosen; else ``"zh"`` when the
    opportunity or its client is named in Chinese, else ``"en"``."""
    ws = network.workspace
    chosen = LANGUAGE.get() or ws.settings.language
    if chosen:
        return chosen
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
                name=(
                    ws.persons[h.person].name
                    if h.person
                    else WORDS[language]["holder unknown" if h.unknown else "vacant"]
                ),
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
        reason = gap_reason(network, gap, holder, language)
        out.append(
            BriefGap(
                kind=gap.kind.value,
                label=_gap_label(gap.kind, language),
                who=gap_who(network, gap),
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
            text=plan_action(network, row, language),
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
    relations = applied_filter(network)
    if relations.active:  # cover and the plan read only these ties: say so
        parts.append(relations_phrase(relations.to_dict(), language))
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
