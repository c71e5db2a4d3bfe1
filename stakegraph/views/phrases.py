"""The sentences the views print, phrased per language from the analysis' facts.

Gap reasons and next actions are sentences: a Chinese workspace gets them in
Chinese, an English one in English with no Chinese gloss. The analysis keeps its
own English sentence (``Gap.reason``, ``PlanRow.action``) for ``--json``; the views
phrase what they show here, from the same facts (the gap's kind, holder and owner,
the plan row's channel and owners).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stakegraph.analysis.coverage import Gap, GapKind, HolderCover
from stakegraph.graph.chains import UnknownHolder
from stakegraph.graph.network import PersonNetwork
from stakegraph.records.model import DIMENSION_LABELS
from stakegraph.records.naming import post_label
from stakegraph.records.vocabulary import term
from stakegraph.records.workspace import Workspace
from stakegraph.views.labels import TIE_KIND_LABELS
from stakegraph.views.language import current_language, has_cjk

if TYPE_CHECKING:  # the gaps command imports these phrases, not the other analyses
    from stakegraph.analysis.circles import Circle  # (with networkx)
    from stakegraph.analysis.evidence import Disagreement
    from stakegraph.analysis.formal_informal import Finding
    from stakegraph.analysis.plan import PlanRow, UnknownTarget
    from stakegraph.analysis.rotation_risk import HolderRisk

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


def unknown_holder_label(
    workspace: Workspace, unknown: UnknownHolder, language: str | None = None
) -> str:
    """An unknown holder (人选未明) as the tables name it: organisation, grade, description.

    >>> from stakegraph.records.sample import sample_workspace
    >>> ws = sample_workspace()
    >>> unknown_holder_label(ws, UnknownHolder("bureau", 3, "an evaluator"), "zh")
    '市数据局（正科，an evaluator）'
    >>> unknown_holder_label(ws, UnknownHolder("bureau", 3), "en")
    '市数据局 (section chief)'
    """
    zh = (language or current_language()) == "zh"
    settings = workspace.settings
    grade = None
    if unknown.grade is not None:
        grade = (
            settings.grade_name(unknown.grade)
            if zh
            else settings.grade_name_in(unknown.grade, "en") or settings.grade_name(unknown.grade)
        ) or str(unknown.grade)
    known = [x for x in (grade, unknown.description) if x]
    org = workspace.organisations[unknown.org].name
    if not known:
        return org
    return f"{org}（{'，'.join(known)}）" if zh else f"{org} ({', '.join(known)})"


def _en_reason(network: PersonNetwork, gap: Gap) -> str:
    ws = network.workspace
    settings = ws.settings
    kind = gap.kind
    if kind is GapKind.UNKNOWN_HOLDER and gap.unknown is not None:
        return (
            f"{unknown_holder_label(ws, gap.unknown, 'en')}: the holder of this role is not "
            "known yet; identify who holds it and fill in the post or person."
        )
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

    Chinese: ``"张伟·李娜 圈 (同学, 老同事)"``; English keeps the heads as written and
    names the circle and the kinds in English (``"张伟·李娜 circle (classmate, ...)"``).
    A kind without a label keeps its code.
    """
    heads = "·".join(circle.heads)
    if (language or current_language()) == "zh":
        kinds = [TIE_KIND_LABELS.get(code, code) for code in circle.main_kinds]
        word = "圈"
    else:
        kinds = [term("TieKind", c).en if c in TIE_KIND_LABELS else c for c in circle.main_kinds]
        word = "circle"
    return f"{heads} {word} ({', '.join(kinds)})" if kinds else f"{heads} {word}"


def disagreement_phrase(flag: Disagreement) -> str:
    """One sentence for a typed score the log does not bear out.

    Examples
    --------
    >>> from stakegraph.analysis.evidence import Disagreement
    >>> disagreement_phrase(Disagreement("participation", 5, silent=True, days_silent=200))
    'scored 5 on 活动参与度 participation, but no contact in 200 days'
    >>> disagreement_phrase(
    ...     Disagreement("information", 4.5, False, suggested=1, count=1, window_days=180)
    ... )
    'scored 4.5 on 信息传递度 information; the log suggests 1 (1 contact sharing information in 180 days)'
    """
    label = f"{DIMENSION_LABELS[flag.dimension]} {flag.dimension}"
    if flag.silent:
        since = (
            f"no contact in {flag.days_silent} days"
            if flag.days_silent is not None
            else "no contact on record"
        )
        return f"scored {flag.typed:g} on {label}, but {since}"
    what = "contact" if flag.count == 1 else "contacts"
    if flag.dimension == "information":
        what += " sharing information"
    return (
        f"scored {flag.typed:g} on {label}; the log suggests {flag.suggested} "
        f"({flag.count} {what} in {flag.window_days} days)"
    )


def plan_action(network: PersonNetwork, row: PlanRow, language: str | None = None) -> str:
    """The plan row's next action in ``language`` (default: the run's).

    Chinese is phrased here from the row's channel, introducer and owners; English
    is the analysis' own sentence without its Chinese gloss.
    """
    if (language or current_language()) == "zh":
        pairing = _zh_pairing(network, row)
        action = _zh_action(network, row, NOBODY["zh"])
        return action + pairing if pairing else action
    text = row.action
    settings = network.workspace.settings
    chinese, shown = settings.grade_name(row.grade), settings.grade_name_in(row.grade, "en")
    if row.pairing and chinese and shown:
        text = text.replace(f"{chinese} pairs with", f"{shown} pairs with", 1)
    return _GLOSSES.sub("", text)


def unknown_action(
    network: PersonNetwork, target: UnknownTarget, language: str | None = None
) -> str:
    """The next action for a role whose holder is not known yet: identify who (摸清人选)."""
    ws = network.workspace
    where = unknown_holder_label(ws, target.unknown, language)
    role = term("RoleKind", target.role)
    if (language or current_language()) == "zh":
        return (
            f"摸清人选：查明「{target.step_name}」环节{where}的{role.zh}由谁担任，补填岗位或人员。"
        )
    return (
        f"Identify who: find out who at {where} is the {role.en} of step "
        f"'{target.step_name}', then fill in the post or person."
    )


def _zh_pairing(network: PersonNetwork, row: PlanRow) -> str:
    """Why a senior target is paired with whom, in Chinese (see ``PlanRow.pairing``)."""
    if row.pairing is None or row.paired_owner is None:
        return ""
    ws = network.workspace
    settings = ws.settings
    owner = ws.owners[row.paired_owner]

    def tier_zh(number: int | None) -> str:
        names = [n for n, v in settings.tiers.items() if v == number]
        return next((n for n in names if has_cjk(n)), names[0] if names else str(number))

    tier = tier_zh(owner.tier)
    grade = settings.grade_name(row.grade) or str(row.grade)
    if row.paired_exact:
        why = f"{grade}对等我方{tier}"
    else:
        paired = tier_zh(row.paired_tier)
        why = f"{grade}应对等{paired}，我方最接近的层级为{tier}"
    if row.pairing == "channel":
        return f"高层对接：{why}，{owner.name}在该层级中渠道最强。"
    return (
        f"高层对接：{why}，该层级无人有渠道联系{row.name}；"
        f"由{owner.name}经组织渠道（函件/汇报）正式请求首次会面。"
    )


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
    if kind is GapKind.UNKNOWN_HOLDER:
        return f"{gap_who(network, gap)}：人选未明；摸清人选，补填岗位或人员。"
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
    if gap.unknown is not None:
        return unknown_holder_label(ws, gap.unknown)
    return post_label(ws, gap.post) if gap.post else gap.step_name


def _zh_action(network: PersonNetwork, row: PlanRow, nobody: str) -> str:
    """The plan's next action in Chinese, from the same plan row as its English text."""
    ws = network.workspace

    def owner(oid: str | None) -> str:
        return ws.owners[oid].name if oid else nobody

    target = row.name
    if row.channel is None:
        if row.introducer and row.introducer_step in _LINE_ROLE_ZH:
            step = row.introducer_step
            return (
                f"暂无渠道：先接触{ws.persons[row.introducer].name}（{_LINE_ROLE_ZH[step]}），"
                f"请其{_LINE_ASK_ZH[step]}{target}；由{owner(row.responsible)}负责。"
            )
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
    last = row.channel.steps[-1] if row.channel.steps else "tie"
    if last in _LINE_ROLE_ZH:
        # the last step is a formal line: name the person on it and what we ask of them
        how = (
            f"我方关系 {row.channel.links[0]:.2f}"
            if len(via) == 1
            else "经" + "→".join(ws.persons[p].name for p in via[:-1])
        )
        return (
            f"{lead}：{owner(row.channel.owner)}请{ws.persons[via[-1]].name}"
            f"（{_LINE_ROLE_ZH[last]}，{how}）{_LINE_ASK_ZH[last]}{target}（渠道 {strength:.2f}）。"
        )
    return f"{lead}：{owner(row.channel.owner)}请{intro}引荐{target}（渠道 {strength:.2f}）。"


#: Who the person on a formal line is to the target, and what we ask of them.
_LINE_ROLE_ZH = {"up": "其下属", "down": "其上级"}
_LINE_ASK_ZH = {"up": "引荐/汇报", "down": "转介"}


def rotation_reason(
    network: PersonNetwork, risk: HolderRisk, horizon: str, language: str | None = None
) -> str:
    """Why a holder may leave their post within the horizon, in ``language``.

    Parameters
    ----------
    network : PersonNetwork
        The network the estimate was made on (its settings and reforms).
    risk : HolderRisk
        One estimate of :func:`stakegraph.analysis.rotation_risk.rotation_risk`.
    horizon : str
        The horizon as written (``6m``).
    language : {"zh", "en"}, optional

    Returns
    -------
    str
        The rule's facts and the chance, in one sentence.
    """
    ws = network.workspace
    rs = ws.settings.rotation
    zh = (language or current_language()) == "zh"
    rule = risk.rule.value
    # the table shows the years rounded as --json gives them: say the same number
    years = f"{round(risk.years, 2):.1f}" if risk.years is not None else "?"
    within = horizon_words(horizon, "zh" if zh else "en")
    chance = f"{100 * risk.probability:.0f}%"
    reform = ws.reforms.get(risk.reform or "")
    if rule == "RETIREMENT" and risk.retirement is not None and risk.age is not None:
        at = risk.retirement.year - (network.day.year - risk.age)
        text = (
            f"{risk.retirement.year} 年年满 {at} 岁退休年龄"
            if zh
            else f"reaches the retirement age of {at} in {risk.retirement.year}"
        )
    elif rule == "TERM_LIMIT":
        text = (
            f"任现职 {years} 年，满 {rs.term_limit_years:g} 年必须交流"
            if zh
            else f"{years} years in the post; must rotate after {rs.term_limit_years:g}"
        )
    elif rule == "TERM_DUE":
        text = (
            f"任现职 {years} 年，{risk.term_years:g} 年任期在期内届满或已满"
            if zh
            else f"{years} years in the post; the {risk.term_years:g}-year term is served "
            "within the horizon"
        )
    elif rule == "REFORM" and reform is not None:
        text = (
            f"所在单位或岗位 {reform.day} 机构改革，人员可能调整"
            if zh
            else f"their organisation or post was reformed on {reform.day}; posts may be reshuffled"
        )
    elif rule == "START_UNKNOWN":
        text = (
            "到任日期不详，仅按基础概率估计" if zh else "start in the post unknown: base rate only"
        )
    else:
        text = (
            f"任现职 {years} 年，未满 {risk.term_years:g} 年任期"
            if zh
            else f"{years} years in the post, within the {risk.term_years:g}-year term"
        )
    if risk.acting:
        text += (
            "；主持工作，正式任命时可能换人"
            if zh
            else "; acting head: an appointment may replace them"
        )
    return (
        f"{text}；{within}内离任概率 {chance}。"
        if zh
        else f"{text}; chance of leaving within {within}: {chance}."
    )


_SPANS = {
    "d": ("天", "day", "days"),
    "w": ("周", "week", "weeks"),
    "m": ("个月", "month", "months"),
    "y": ("年", "year", "years"),
}


def horizon_words(horizon: str, language: str | None = None) -> str:
    """A horizon as written (``6m``) in words of ``language``.

    >>> horizon_words("6m", "zh"), horizon_words("1y", "en"), horizon_words("90d", "en")
    ('6 个月', '1 year', '90 days')
    """
    amount, unit = int(horizon[:-1]), horizon[-1]
    zh, one, many = _SPANS[unit]
    if (language or current_language()) == "zh":
        return f"{amount} {zh}"
    return f"{amount} {one if amount == 1 else many}"


def rotation_summary(
    before: float, after: float, leaving: int, until: str, language: str | None = None
) -> str:
    """The coverage at risk in one sentence, with the advice to build the successor line.

    >>> rotation_summary(0.52, 0.31, 3, "2027-05-28", "en")
    'If the 3 holders likely to leave before 2027-05-28 do, coverage falls from 52% to 31%; build the successor line now.'
    >>> rotation_summary(0.52, 0.52, 0, "2027-05-28", "zh")
    '2027-05-28 前无人可能离任，覆盖率保持 52%。'
    """
    zh = (language or current_language()) == "zh"
    b, a = f"{100 * before:.0f}%", f"{100 * after:.0f}%"
    if not leaving:
        return (
            f"{until} 前无人可能离任，覆盖率保持 {b}。"
            if zh
            else f"Nobody is likely to leave before {until}; coverage stays at {b}."
        )
    if b == a:
        return (
            f"若 {until} 前可能离任的 {leaving} 人离任，覆盖率仍为 {b}（我方目前未覆盖他们）；"
            "仍应尽早结识接替人选。"
            if zh
            else f"If the {leaving} likely to leave before {until} do, coverage stays at {b} "
            "(we do not cover them now); still get to know who may follow."
        )
    if zh:
        return f"若 {until} 前可能离任的 {leaving} 人离任，覆盖率将从 {b} 降至 {a}；现在就建立接替人选的关系。"
    who = "the holder" if leaving == 1 else f"the {leaving} holders"
    return (
        f"If {who} likely to leave before {until} {'does' if leaving == 1 else 'do'}, "
        f"coverage falls from {b} to {a}; build the successor line now."
    )


def graph_phrase(statement: dict, language: str | None = None) -> str:
    """Which ties an analysis read and which graph brokerage used, as one heading line.

    ``statement`` is :func:`stakegraph.views.report.graph_statement`'s: the relation
    filter (None: every tie) and betweenness's graph, n, isolates and normalisation.
    Constraint is always Burt's, on the weighted undirected person graph.

    >>> statement = {"relations": {"kinds": ["mentor"], "tags": None, "sources": None,
    ...     "min_confidence": 0.6}, "brokerage": {"directed": True, "n": 5, "isolates": 2,
    ...     "normalisation": "1 / ((n − 1)(n − 2))", "samples": None}}
    >>> print(graph_phrase(statement, "en"))
    relations: kinds mentor; confidence ≥ 0.6 · betweenness: directed tie graph (u → v: u defers to v), n = 5 persons, 2 isolates counted, normalised by 1 / ((n − 1)(n − 2)) · constraint: Burt, undirected weighted person graph
    >>> print(graph_phrase(statement, "zh"))
    关系筛选：类型 师生；置信度 ≥ 0.6 · 中介度：有向非正式关系图（u → v：u 求教于 v），n = 5 人，含 2 名孤立者，归一化 1 / ((n − 1)(n − 2)) · 约束度：Burt，无向加权人员关系图
    """
    zh = (language or current_language()) == "zh"
    kept = relations_phrase(statement.get("relations"), language)
    broker = statement["brokerage"]
    n, isolates, norm = broker["n"], broker["isolates"], broker["normalisation"]
    sampled = broker.get("samples")
    if zh:
        graph = (
            "有向非正式关系图（u → v：u 求教于 v）"
            if broker["directed"]
            else "无向人员关系图（正式、分管与非正式关系）"
        )
        estimate = f"，由 {sampled} 个抽样起点估计" if sampled else ""
        return (
            f"{kept} · 中介度：{graph}，n = {n} 人，含 {isolates} 名孤立者，归一化 {norm}{estimate}"
            " · 约束度：Burt，无向加权人员关系图"
        )
    graph = (
        "directed tie graph (u → v: u defers to v)"
        if broker["directed"]
        else "undirected person graph (formal, oversight and ties)"
    )
    estimate = f", estimated from {sampled} sampled sources" if sampled else ""
    return (
        f"{kept} · betweenness: {graph}, n = {n} persons, {isolates} isolates counted, "
        f"normalised by {norm}{estimate} · constraint: Burt, undirected weighted person graph"
    )


def relations_phrase(relations: dict | None, language: str | None = None) -> str:
    """The relation filter an analysis ran with, as a heading (``RelationFilter.to_dict()``).

    >>> relations_phrase(None, "en"), relations_phrase(None, "zh")
    ('relations: every tie', '关系筛选：全部关系')
    >>> relations_phrase({"kinds": ["family", "classmate"], "tags": ["2024"],
    ...     "sources": None, "min_confidence": 0.5}, "en")
    'relations: kinds family, classmate; tags 2024; confidence ≥ 0.5'
    """
    zh = (language or current_language()) == "zh"
    if relations is None:
        return "关系筛选：全部关系" if zh else "relations: every tie"
    parts = []
    if relations["kinds"]:
        if zh:
            parts.append("类型 " + "、".join(TIE_KIND_LABELS.get(k, k) for k in relations["kinds"]))
        else:
            parts.append("kinds " + ", ".join(term("TieKind", k).en for k in relations["kinds"]))
    if relations["tags"]:
        parts.append(("标签 " if zh else "tags ") + ", ".join(relations["tags"]))
    if relations["sources"]:
        parts.append(("来源 " if zh else "sources ") + ", ".join(relations["sources"]))
    if relations["min_confidence"]:
        parts.append(f"{'置信度' if zh else 'confidence'} ≥ {relations['min_confidence']:g}")
    return ("关系筛选：" + "；".join(parts)) if zh else ("relations: " + "; ".join(parts))


def _parallel(combine: str, zh: bool) -> str:
    """How parallel ties between two persons combine, as a clause."""
    if combine == "noisy_or":
        return "并行关系按 1 − Π(1 − s) 合并" if zh else "parallel ties 1 − Π(1 − s)"
    if combine == "sum":
        return "并行关系相加" if zh else "parallel ties summed"
    return "并行关系取最强" if zh else "parallel ties: the strongest"


def stated_graph_phrase(graph: dict, language: str | None = None) -> str:
    """The graph an answer was computed on, as one heading line.

    ``graph`` is :meth:`stakegraph.analysis.stated_graph.StatedGraph.to_dict`'s: the
    deference graph of influence or the channel graph of warm paths and the plan,
    with its weights, ``[ties]`` settings, n, isolates and normalisation. The
    relation filter, when one is in force, leads the line.

    >>> channels = {"name": "channels", "lines": ["informal", "formal", "oversight"],
    ...     "n": 31, "isolates": 3, "relations": None, "max_hops": 2,
    ...     "weights": {"upward": 0.5, "downward": 0.6},
    ...     "combine": {"strength": "max", "against_deference": 0.5}}
    >>> print(stated_graph_phrase(channels, "en"))
    channel graph: informal ties (against deference × 0.5, parallel ties: the strongest) and formal lines (upward 0.5, downward 0.6), at most 2 ties; n = 31 persons, 3 isolates counted; strength = product of the steps, not normalised
    >>> print(stated_graph_phrase(channels, "zh"))
    关系通道图：非正式关系（逆求教方向 × 0.5，并行关系取最强）与正式上下级（向上 0.5，向下 0.6），最多 2 条非正式关系；n = 31 人，含 3 名孤立者；强度为各步之积，不归一化
    >>> deference = {"name": "deference", "n": 5, "isolates": 0,
    ...     "relations": {"kinds": ["mentor"], "tags": None, "sources": None,
    ...     "min_confidence": 0}, "combine": {"deference": "max"},
    ...     "weights": {"formal": 1.0, "oversight": 1.0, "tie": 0.5, "damping": 0.85}}
    >>> print(stated_graph_phrase(deference, "en"))
    relations: kinds mentor · deference graph (u → v: u defers to v): formal lines × 1, oversight × 1, informal ties × 0.5 (parallel ties: the strongest), damping 0.85; n = 5 persons, 0 isolates counted; scores sum to 100
    """
    zh = (language or current_language()) == "zh"
    kept = relations_phrase(graph["relations"], language) + " · " if graph["relations"] else ""
    weights, combine = graph["weights"], graph["combine"]
    n, isolates = graph["n"], graph["isolates"]
    counted = (
        f"n = {n} 人，含 {isolates} 名孤立者"
        if zh
        else (f"n = {n} persons, {isolates} isolates counted")
    )
    if graph["name"] == "deference":
        w = {key: f"{value:g}" for key, value in weights.items()}
        parallel = _parallel(combine["deference"], zh)
        if zh:
            return (
                f"{kept}服从关系图（u → v：u 服从 v）：正式上下级 × {w['formal']}，"
                f"分管 × {w['oversight']}，非正式关系 × {w['tie']}（{parallel}），"
                f"阻尼 {w['damping']}；{counted}；得分合计 100"
            )
        return (
            f"{kept}deference graph (u → v: u defers to v): formal lines × {w['formal']}, "
            f"oversight × {w['oversight']}, informal ties × {w['tie']} ({parallel}), "
            f"damping {w['damping']}; {counted}; scores sum to 100"
        )
    against = f"{combine['against_deference']:g}"
    parallel = _parallel(combine["strength"], zh)
    up, down = (f"{weights[key]:g}" if key in weights else "" for key in ("upward", "downward"))
    hops = graph["max_hops"]
    if zh:
        lines = (
            f"与正式上下级（向上 {up}，向下 {down}）"
            if "formal" in graph["lines"]
            else "，不走正式上下级"
        )
        return (
            f"{kept}关系通道图：非正式关系（逆求教方向 × {against}，{parallel}）{lines}，"
            f"最多 {hops} 条非正式关系；{counted}；强度为各步之积，不归一化"
        )
    lines = (
        f" and formal lines (upward {up}, downward {down})"
        if "formal" in graph["lines"]
        else ", no formal lines"
    )
    return (
        f"{kept}channel graph: informal ties (against deference × {against}, {parallel})"
        f"{lines}, at most {hops} ties; {counted}; strength = product of the steps, "
        "not normalised"
    )


def formal_informal_reason(
    network: PersonNetwork, finding: Finding, language: str | None = None
) -> str:
    """What a formal-versus-informal finding means, with its figures, in ``language``.

    The table beside it names the person, the superior and the line; the sentence
    gives the figures and what they mean for a request.

    Parameters
    ----------
    network : PersonNetwork
        The network the findings were made on (names, grades, settings).
    finding : Finding
        One finding of :func:`stakegraph.analysis.formal_informal.formal_informal`.
    language : {"zh", "en"}, optional

    Returns
    -------
    str
        One sentence.
    """
    from stakegraph.analysis.formal_informal import FindingKind  # not on the gaps command's path

    ws = network.workspace
    zh = (language or current_language()) == "zh"
    value, reference = finding.value, finding.reference
    if finding.kind is FindingKind.BARE_LINE:
        if zh:
            return (
                f"两人之间最强的非正式关系 {value:.2f}，低于 {reference:.2f}："
                "这条线上的请求只能按程序走。"
            )
        return (
            f"Strongest informal tie between the two {value:.2f}, below {reference:.2f}: "
            "requests on this line go by the book."
        )
    if finding.kind is FindingKind.CONSULTED_OVER_SUPERIOR:
        if zh:
            return (
                f"被非正式请教的强度 {value:.2f}，其上级仅 {reference:.2f}：上级之下的非正式中心。"
            )
        return (
            f"Consulted informally at {value:.2f} against their superior's {reference:.2f}: "
            "an informal centre below the top."
        )
    grade_zh = ws.settings.grade_name(finding.grade) or str(finding.grade)
    grade_en = ws.settings.grade_name_in(finding.grade, "en") or str(finding.grade)
    count, median = int(value), f"{reference:g}"
    rank = finding.dark_horse_rank
    if zh:
        horse = f"黑马第 {rank} 名" if rank else "不在黑马之列（已覆盖或无其他迹象）"
        return f"{count} 人非正式求助于其，{grade_zh}同级中位数 {median} 人；{horse}。"
    horse = (
        f"dark horse #{rank}" if rank else "not a dark horse (covered already, or no other sign)"
    )
    return (
        f"{count} people turn to them informally, where the {grade_en} median is {median}; {horse}."
    )
