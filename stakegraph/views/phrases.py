"""The sentences the views print, phrased per language from the analysis' facts.

Gap reasons and next actions are sentences: a Chinese workspace gets them in
Chinese, an English one in English with no Chinese gloss. The analysis keeps its
own English sentence (``Gap.reason``, ``PlanRow.action``) for ``--json``; the views
phrase what they show here, from the same facts (the gap's kind, holder and owner,
the plan row's channel and owners).
"""

from __future__ import annotations

import re

from stakegraph.analysis.circles import TIE_KIND_LABELS, Circle
from stakegraph.analysis.coverage import Gap, GapKind, HolderCover
from stakegraph.analysis.plan import PlanRow
from stakegraph.graph.network import PersonNetwork
from stakegraph.records.naming import post_label
from stakegraph.records.vocabulary import term
from stakegraph.views.language import current_language

#: The Chinese glosses the analysis' English sentences carry, dropped in English.
_GLOSSES = re.compile(r" \((?:责任到人|轮岗|高层对接|函件/汇报|主持工作)\)")

NOBODY = {"zh": "（无空余负荷的人员）", "en": "(no owner with spare capacity)"}


def gap_reason(
    network: PersonNetwork, gap: Gap, holder: HolderCover | None, language: str | None = None
) -> str:
    """Why a gap matters and what to do, in ``language`` (default: the run's).

    Parameters
    ----------
    network : PersonNetwork
        The network the coverage was computed on.
    gap : Gap
        One gap of :func:`stakegraph.analysis.coverage.coverage`.
    holder : HolderCover or None
        The holder the gap is on (its cover and channel), when there is one.
    language : {"zh", "en"}, optional

    Returns
    -------
    str
        One sentence; names of people and posts as the workspace writes them.
    """
    if (language or current_language()) == "zh":
        return _zh_reason(network, gap, holder)
    return _en_reason(network, gap)


def _en_reason(network: PersonNetwork, gap: Gap) -> str:
    ws = network.workspace
    settings = ws.settings
    kind = gap.kind
    if kind is GapKind.VACANT and gap.post:
        return (
            f"{post_label(ws, gap.post)}: vacant, no one holds this post on {network.day}; "
            "find out who acts for it and who will be appointed."
        )
    if kind is GapKind.ACTING and gap.post and gap.person:
        return (
            f"{post_label(ws, gap.post)}: {ws.persons[gap.person].name} is the acting head; "
            "the post is formally vacant: find out who will be appointed and when."
        )
    if kind is GapKind.RANK_MISMATCH and gap.person:
        grade = int(network.grade[network.person_index[gap.person]])
        chinese = settings.grade_name(grade)
        shown = settings.grade_name_in(grade, "en")
        if chinese and shown:
            return _GLOSSES.sub("", gap.reason.replace(f"({chinese})", f"({shown})", 1))
    return _GLOSSES.sub("", gap.reason)


def circle_name(circle: Circle, language: str | None = None) -> str:
    """A circle's name in ``language``: its two heads, then the main tie kinds.

    The analysis names it in Chinese (``"张伟·李娜 圈 (同学, 老同事)"``); English
    keeps the heads as written and names the circle and the kinds in English.
    """
    if (language or current_language()) == "zh":
        return circle.name
    name = circle.name.replace(" 圈", " circle")
    for code in sorted(circle.kinds, key=lambda c: -len(TIE_KIND_LABELS.get(c) or c)):
        label = TIE_KIND_LABELS.get(code)
        if label:
            name = name.replace(label, term("TieKind", code).en)
    return name


def plan_action(network: PersonNetwork, row: PlanRow, language: str | None = None) -> str:
    """The plan row's next action in ``language`` (default: the run's).

    Chinese is phrased here from the row's channel, introducer and owners; English
    is the analysis' own sentence without its Chinese gloss.
    """
    if (language or current_language()) == "zh":
        return _zh_action(network, row, NOBODY["zh"])
    return _GLOSSES.sub("", row.action)


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
        return f"{gap_who(network, gap)}：岗位空缺；了解主持工作者和拟任人选。"
    if kind is GapKind.ACTING:
        return f"{name}：主持工作，岗位正式空缺；同时关注拟任人选。"
    if kind is GapKind.ROTATED:
        return f"{name}：新近轮岗到任，我方关系在前任；请前任或同事引荐。"
    return gap.reason


def gap_who(network: PersonNetwork, gap: Gap) -> str:
    """On whom a gap is: the holder's name, else the post's, else the step's."""
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
