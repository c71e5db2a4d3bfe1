"""The fixed words of every figure, in Chinese and in English, asked for as they are drawn.

A figure is drawn in one language: the run's (``stakegraph --lang``), else its
workspace's (:func:`stakegraph.views.language.speaking` on each ``plot_*``
function). Every fixed word or sentence a figure writes is a key of
:data:`FIGURE_WORDS`, the Chinese as the figure shows it, with its English beside
it; :func:`say` returns the one of the run's language, with the user's data filled
in after the choice, so a name is never read, split or translated. Enumerations
(roles, stances, backgrounds, gap kinds, phases, tiers, grades, score dimensions)
come from their own tables in the right language through the small functions below.
"""

from __future__ import annotations

from stakegraph.analysis.coverage import GapKind
from stakegraph.records.model import DIMENSION_LABELS
from stakegraph.records.vocabulary import term
from stakegraph.records.workspace import Workspace
from stakegraph.views.labels import ALERT_WORD, GAP_LABELS
from stakegraph.views.language import current_language, english

#: Chinese → English of each fixed text of the figures. ``{name}`` fields take the
#: user's data (or numbers) after the language is chosen.
FIGURE_WORDS: dict[str, str] = {
    # shared
    "覆盖 {value}": "cover {value}",
    " 经{names}": " via {names}",
    "、": ", ",
    "0.4 弱": "0.4 weak",
    "0.6 强": "0.6 strong",
    # formal versus informal
    "正式与非正式：{name}": "Formal versus informal: {name}",
    "有私交的正式线": "formal line with a tie",
    "无私交的正式线": "formal line, no informal tie",
    "非正式关系": "informal tie",
    "非正式中心": "informal centre",
    # chain
    "空缺": "vacant",
    "岗位空缺：了解主持工作者": "vacant post: find who acts for it",
    "人选未明": "holder unknown",
    "人选未明：摸清人选": "holder unknown: identify who",
    " 无渠道": " no channel",
    "我方人员：线宽 = 关系强度，颜色区分人员": "our people: line width = strength, colour = person",
    "决策链覆盖：{title}（整体覆盖 {overall}，{day}）": (
        "Decision chain cover: {title} (overall cover {overall}, {day})"
    ),
    "覆盖度 cover": "cover",
    # heatmap
    "{name}（{step}）": "{name} ({step})",
    "关系强度 strength": "strength",
    "\n另有 {hidden} 名我方人员与该链上的人无直接关系（未列出）": (
        "\n{hidden} more of our people have no direct relationship on this chain (not listed)"
    ),
    "粗框 = 责任人（责任到人）；红色姓名 = 无覆盖；空白 = 无直接关系": (
        f"bold frame = named owner; {ALERT_WORD} name = uncovered; blank = no direct relationship"
    ),
    "决策链角色 × 我方人员：关系强度（{name}）": "Chain roles × our people: strength ({name})",
    # influence
    "正式 formal": "formal",
    "非正式 informal": "informal",
    "职位 position": "position",
    "决策 decision": "decision",
    "影响力（×100，各部分相加）": "influence (×100, parts added up)",
    "构成": "parts",
    "（按商机 {name} 加权）": " (weighted by opportunity {name})",
    "影响力排名 前 {count} 位{weighted}": "Influence ranking: top {count}{weighted}",
    # orgchart
    "块：属地领导（parent）": "territory: led by (parent)",
    "条：业务指导（guided_by）": "line: guided by (guided_by)",
    "（负责人：{day}）": " (heads on {day})",
    "组织结构：{name}{when}": "Organisations: {name}{when}",
    "党委": "party committee",
    "政府": "government",
    "人大": "congress",
    "厅/局/委": "department/bureau/commission",
    "机构/中心": "agency/centre",
    "处室/科室": "division/section",
    "国企/企业": "SOE/enterprise",
    "其他": "other",
    # portfolio
    "关键 key": "key",
    "普遍 general": "general",
    " (+{count} 未知)": " (+{count} unknown)",
    "覆盖度 coverage": "coverage",
    "斜线 = 该阶段无商机 (no opportunity); 红色客户 = 覆盖不足 (under {threshold})": (
        f"hatched = no opportunity at this stage; {ALERT_WORD} account = under-covered "
        "(under {threshold})"
    ),
    "客户组合覆盖度 portfolio coverage — {day}": "portfolio coverage — {day}",
    " (+{count} 金额未知 unknown)": " (+{count} unknown value)",
    "{count} 个商机, {value}{unknown}": "{count} opportunities, {value}{unknown}",
    "客户漏斗 funnel: opportunities and value by stage": (
        "funnel: opportunities and value by stage"
    ),
    # radar
    "{name}（{title}）": "{name} ({title})",
    " ★责任人": " ★named owner",
    "{who}{when} 强度 {strength}{mark}": "{who}{when} strength {strength}{mark}",
    "我方各人与其关系的六维评分": "our people's six scores with them",
    "其所有客户关系的六维评分": "six scores of all their relationships",
    "：{day} 实线 vs {compare} 虚线": ": {day} solid vs {compare} dashed",
    "{title}\n{subtitle}（0–5）": "{title}\n{subtitle} (0–5)",
    "我方人员": "our people",
    "客户": "their people",
    "无关系记录": "no relationship recorded",
    # triangle
    "无职级": "no grade",
    "无渠道 经{name}引荐": "no channel, introduced by {name}",
    "无渠道": "no channel",
    "责任人 {name}": "owner {name}",
    "待定": "to be named",
    "客户方：按职级（高 → 低）": "their side: by grade (high → low)",
    "我方：按层级（与对方职级配对）": "our side: by tier (paired with their grades)",
    "直接渠道（颜色/线宽 = 强度）": "direct channel (colour/width = strength)",
    "经人引荐的渠道": "channel through an introducer",
    "无渠道：待建立": "no channel: to build",
    "未覆盖的目标": "uncovered target",
    "倒三角推进图：高层对接 → 持续互动 → 责任到人": (
        "Inverted triangle: senior pairing → channels → named owners"
    ),
    # plan phases
    "高层对接": "senior pairing",
    "持续互动": "channels",
    "责任到人": "named owners",
}

#: Our tiers by the names of the default scale: Chinese and English.
TIER_WORDS: dict[str, tuple[str, str]] = {
    "executive": ("总裁", "executive"),
    "vp": ("副总裁", "VP"),
    "director": ("总监", "director"),
    "manager": ("经理", "manager"),
    "rep": ("客户经理", "rep"),
}

#: The plan's phases as the triangle names them.
PHASE_WORDS = {"senior": "高层对接", "middle": "持续互动", "base": "责任到人"}


def figure_language(language: str | None = None) -> str:
    """The language figures are drawn in: ``language``, else the run's (``"zh"`` or ``"en"``)."""
    return language or current_language()


def say(key: str, language: str | None = None, **values: object) -> str:
    """A fixed figure text in the figure's language, with ``values`` filled in.

    ``say("覆盖 {value}", value="74%")`` is ``"覆盖 74%"`` in Chinese and
    ``"cover 74%"`` in English. The values (names, titles, numbers) are inserted
    after the language is chosen, so they come out exactly as given.
    """
    text = FIGURE_WORDS[key] if figure_language(language) == "en" else key
    return text.format(**values) if values else text


def vocabulary_word(enumeration: str, code: str, language: str | None = None) -> str:
    """A role, stance, background or stage code as a figure writes it (预算把控 / budget holder)."""
    try:
        found = term(enumeration, code)
    except KeyError:
        return code
    return found.en if figure_language(language) == "en" else found.zh


def gap_tag(kind: GapKind, language: str | None = None) -> str:
    """The short tag of a gap kind: 关系弱 / weak."""
    label = GAP_LABELS[kind]
    return english(label) if figure_language(language) == "en" else label.split(" ")[0]


def phase_word(phase: str, language: str | None = None) -> str:
    """A plan phase (senior, middle, base) as the triangle names it."""
    return say(PHASE_WORDS[phase], language) if phase in PHASE_WORDS else phase


def tier_word(workspace: Workspace, tier: int, language: str | None = None) -> str:
    """Our tier number by its name: 副总裁 / VP; a workspace's own tier name as written."""
    name = workspace.settings.tier_name(tier) or str(tier)
    if name in TIER_WORDS:
        return TIER_WORDS[name][figure_language(language) == "en"]
    return name


def grade_word(workspace: Workspace, grade: int, language: str | None = None) -> str:
    """A grade number by its name in the figure's language (正处 / division chief)."""
    return workspace.settings.grade_name_in(grade, figure_language(language)) or str(grade)


def dimension_word(dimension: str, language: str | None = None) -> str:
    """A relationship score dimension: 接受认可度 / acceptance."""
    if figure_language(language) == "en":
        return dimension
    return DIMENSION_LABELS.get(dimension, dimension)


__all__ = [
    "FIGURE_WORDS",
    "dimension_word",
    "figure_language",
    "gap_tag",
    "grade_word",
    "phase_word",
    "say",
    "tier_word",
    "vocabulary_word",
]
