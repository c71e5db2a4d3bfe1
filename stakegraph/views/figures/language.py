"""Figures in English: the fixed Chinese words of every figure, and their English.

The figures are drawn in Chinese, the product's first language. For an English
workspace, :func:`speak_english` rewrites the finished figure's texts (titles, axis
and tick labels, legends, annotations): each fixed phrase below becomes its English,
and bilingual labels (``"正式 formal"``) keep their English words. Names typed by the
user are left as written; the phrases are chosen so none is a common part of a name
(single characters only with the punctuation around them).
"""

from __future__ import annotations

import re
from functools import cache

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FixedFormatter, FuncFormatter

from stakegraph.records.naming import workspace_language
from stakegraph.records.workspace import Workspace
from stakegraph.views.labels import ALERT_WORD

#: Chinese phrase → English, as the figure modules write them. Longer phrases are
#: replaced first, so a phrase inside a longer one never half-translates it.
PHRASES: dict[str, str] = {
    # chain
    "岗位空缺：了解主持工作者": "vacant post: find who acts for it",
    "我方人员：线宽 = 关系强度，颜色区分人员": "our people: line width = strength, colour = person",
    "决策链覆盖：": "Decision chain cover: ",
    "整体覆盖 ": "overall cover ",
    "覆盖度 cover": "cover",
    "覆盖度 coverage": "coverage",
    " 无渠道": " no channel",
    "无渠道 经": "no channel, introduced by ",
    "无渠道：待建立": "no channel: to build",
    "无渠道": "no channel",
    " 经": " via ",
    "覆盖 ": "cover ",
    "空缺": "vacant",
    # common
    "0.4 弱": "0.4 weak",
    "0.6 强": "0.6 strong",
    "高层对接": "senior pairing",
    "持续互动": "channels",
    "责任到人": "named owners",
    "客户经理": "rep",
    "副总裁": "VP",
    "总裁": "executive",
    "总监": "director",
    "经理": "manager",
    # heatmap
    "关系强度 strength": "strength",
    "名我方人员与该链上的人无直接关系（未列出）": " more of our people have no direct "
    "relationship on this chain (not listed)",
    "另有 ": "",
    "粗框 = 责任人（责任到人）；红色姓名 = 无覆盖；空白 = 无直接关系": "bold frame = named "
    f"owner; {ALERT_WORD} name = uncovered; blank = no direct relationship",
    "决策链角色 × 我方人员：关系强度（": "Chain roles × our people: strength (",
    # influence
    "影响力（×100，各部分相加）": "influence (×100, parts added up)",
    "（按商机 ": " (weighted by opportunity ",
    " 加权）": ")",
    "影响力排名 前 ": "Influence ranking: top ",
    " 位": "",
    "构成": "parts",
    # orgchart
    "块：属地领导（parent）": "territory: led by (parent)",
    "条：业务指导（guided_by）": "line: guided by (guided_by)",
    "（负责人：": " (heads on ",
    "组织结构：": "Organisations: ",
    "党委": "party committee",
    "政府": "government",
    "人大": "congress",
    "厅/局/委": "department/bureau/commission",
    "机构/中心": "agency/centre",
    "处室/科室": "division/section",
    "国企/企业": "SOE/enterprise",
    "其他": "other",
    # portfolio
    "斜线 = 该阶段无商机 (no opportunity); 红色客户 = 覆盖不足 ": "hatched = no opportunity "
    f"at this stage; {ALERT_WORD} account = under-covered ",
    " 个商机, ": " opportunities, ",
    " 金额未知 unknown": " unknown value",
    " 未知": " unknown",
    # radar
    " ★责任人": " ★named owner",
    " 强度 ": " strength ",
    "我方各人与其关系的六维评分": "our people's six scores with them",
    "其所有客户关系的六维评分": "six scores of all their relationships",
    " 实线 vs ": " solid vs ",
    " 虚线": " dashed",
    "我方人员": "our people",
    "无关系记录": "no relationship recorded",
    # triangle
    "无职级": "no grade",
    "责任人 ": "owner ",
    "待定": "to be named",
    "客户方：按职级（高 → 低）": "their side: by grade (high → low)",
    "我方：按层级（与对方职级配对）": "our side: by tier (paired with their grades)",
    "直接渠道（颜色/线宽 = 强度）": "direct channel (colour/width = strength)",
    "经人引荐的渠道": "channel through an introducer",
    "未覆盖的目标": "uncovered target",
    "倒三角推进图：高层对接 → 持续互动 → 责任到人": "Inverted triangle: senior pairing → "
    "channels → named owners",
    "引荐": "",
    # punctuation that joins the phrases above
    "：": ": ",
    "（": " (",
    "）": ")",
    "，": ", ",
}


@cache
def _words() -> dict[str, str]:
    """Whole Chinese words of the vocabulary, grades, tiers and gap tags → English."""
    from stakegraph.config import DEFAULT_GRADE_NAMES_EN, DEFAULT_GRADES
    from stakegraph.records.vocabulary import VOCABULARY
    from stakegraph.views.labels import GAP_LABELS
    from stakegraph.views.language import _known_labels, english

    found = {label.split(" ")[0]: english(label) for label in GAP_LABELS.values()}
    found.update({t.zh: t.en for table in VOCABULARY.values() for t in table})
    found.update(_known_labels())
    for name, number in DEFAULT_GRADES.items():
        found.setdefault(name, DEFAULT_GRADE_NAMES_EN[number])
    for zh, en in PHRASES.items():
        found.setdefault(zh, en)
    return found


@cache
def _phrases() -> tuple[tuple[str, str], ...]:
    """The figures' own phrases, longest first (a stable sort keeps their order)."""
    return tuple(sorted(PHRASES.items(), key=lambda item: -len(item[0])))


_CJK = re.compile(r"[\u3400-\u9fff]")
_SEPARATOR = re.compile(r"(\s*[·・]\s*|\s+)")
_BILINGUAL = re.compile(r"^[\u3400-\u9fff/（）()]+ [A-Za-z]")


def _english_line(line: str) -> str:
    words = _words()
    if line.strip() in words:
        return line.replace(line.strip(), words[line.strip()])
    # a word standing alone between separators is a known word, never part of a name
    parts = _SEPARATOR.split(line)
    line = "".join(p if i % 2 else words.get(p, p) for i, p in enumerate(parts))
    if not _CJK.search(line):
        return line
    if _BILINGUAL.match(line):
        from stakegraph.views.language import english

        return english(line)
    for zh, en in _phrases():
        if zh in line:
            line = line.replace(zh, en)
    return line


def english_figure_text(text: str, keep: frozenset[str] = frozenset()) -> str:
    """A figure text with its fixed Chinese words in English; ``keep`` are left as written.

    Each line is taken whole when it is a known word (a role, a grade, a tier, a gap
    tag) or a list of them; otherwise the figures' own phrases are replaced inside
    it. So a generic word such as 委员会 is never replaced inside a name.
    """
    saved: dict[str, str] = {}
    for number, name in enumerate(sorted(keep, key=len, reverse=True)):
        if name and name in text:
            mark = f"\x00{number}\x00"
            saved[mark] = name
            text = text.replace(name, mark)
    text = "\n".join(_english_line(line) for line in text.split("\n"))
    for mark, name in saved.items():
        text = text.replace(mark, name)
    return text


def figure_texts(figure: Figure) -> list[Text]:
    """Every text artist of a figure (titles, labels, ticks, legends, annotations)."""
    return list(figure.findobj(Text))


def user_names(workspace: Workspace) -> frozenset[str]:
    """The names and titles a workspace writes, which figures show as written."""
    names: set[str] = set()
    for table in (workspace.persons, workspace.organisations, workspace.owners):
        for record in table.values():
            names.add(record.name)
            names.update(getattr(record, "aliases", None) or ())
    for post in workspace.posts.values():
        names.add(post.title)
    names.update(owner.title or "" for owner in workspace.owners.values())
    for opp in workspace.opportunities.values():
        names.add(opp.name)
        names.update(step.name for step in opp.chain)
    names.update(p.name for person in workspace.persons.values() for p in person.names or ())
    return frozenset(n for n in names if n)


def in_language(ax: Axes, workspace: Workspace) -> Axes:
    """``ax`` in the workspace's language: unchanged in Chinese, rewritten in English."""
    if workspace_language(workspace) == "en":
        speak_english(ax, user_names(workspace))
    return ax


def _english_formatter(formatter: FuncFormatter, keep: frozenset[str]) -> FuncFormatter:
    def label(value: float, pos: int | None = None) -> str:
        return english_figure_text(str(formatter(value, pos)), keep)

    return FuncFormatter(label)


def speak_english(ax: Axes, keep: frozenset[str] = frozenset()) -> Axes:
    """Rewrite the texts of ``ax``'s figure in English, keeping the names in ``keep``."""
    figure = ax.figure
    for text in figure_texts(figure):  # type: ignore[arg-type]
        shown = text.get_text()
        if shown:
            text.set_text(english_figure_text(shown, keep))
    # fixed tick labels are made again at every draw, from their formatter
    for axes in figure.findobj(Axes):
        for axis in (axes.xaxis, axes.yaxis):
            formatter = axis.get_major_formatter()
            if isinstance(formatter, FixedFormatter):
                formatter.seq = [english_figure_text(t, keep) for t in formatter.seq]
            elif isinstance(formatter, FuncFormatter):
                axis.set_major_formatter(_english_formatter(formatter, keep))
    return ax


__all__ = [
    "PHRASES",
    "english_figure_text",
    "figure_texts",
    "in_language",
    "speak_english",
    "user_names",
]
