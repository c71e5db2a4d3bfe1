"""What a write says it did: the lines of ``log``, ``assess``, ``act``, ``plan --save``,
survey imports, ``push``, ``pull``, copies and exports, in the workspace's language, and
the sentences of a change refused as stale or a push refused for conflicts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stakegraph.records.model import DIMENSION_LABELS
from stakegraph.records.vocabulary import term
from stakegraph.views.language import current_language, has_cjk

if TYPE_CHECKING:
    from stakegraph.records.workspace import Workspace


#: The lines a write prints (to files, or to a stored workspace), per language:
#: key → (Chinese, English).
TEAM_LINES: dict[str, tuple[str, str]] = {
    "logged": ("已记录{kind} {id}（{date}）。", "Logged {kind} {id} on {date}."),
    "wrote": ("已写入 Neo4j {uri} 中的工作区“{workspace}”。",
              "Wrote to workspace '{workspace}' in Neo4j at {uri}."),
    "wrote_files": ("已写入 {files}。", "Wrote {files}."),
    "plan_saved_files": ("已保存 {count} 项措施到 {files}（{opp} 于 {day} 的计划）；"
                         "用 stakegraph review {workspace} 跟进进展。",
                         "Saved {count} action(s){updated} to {files} (plan of {opp} on "
                         "{day}); check progress with: stakegraph review {workspace}"),
    "surveys_imported_files": ("已从 {source} 导入 {count} 份满意度调查到 {files}。",
                               "Imported {count} {surveys} from {source} into {files}."),
    "assessed": ("已评估 {id}：{scores}。{wrote}", "Assessed {id}: {scores}. {wrote}"),
    "reassessed": ("已更新当天的评估 {id}（第 {version} 版）：{scores}。{wrote}",
                   "Updated that day's assessment {id} (version {version}): {scores}. {wrote}"),
    "action_added": ("已新增措施 {id}，责任人 {owner}{target}{due}。{wrote}",
                     "Added action {id} for {owner}{target}{due}. {wrote}"),
    "due": ("，期限 {due}", ", due {due}"),
    "action_done": ("措施 {id}：已于 {day} 完成（第 {version} 版）。{wrote}",
                    "Action {id}: done on {day} (version {version}). {wrote}"),
    "action_status": ("措施 {id}：状态改为{status}（第 {version} 版）。{wrote}",
                      "Action {id}: status {status} (version {version}). {wrote}"),
    "plan_saved": ("已保存 {count} 项措施{updated}（{opp} 于 {day} 的计划）。{wrote}"
                   "用 stakegraph review --neo4j 跟进进展。",
                   "Saved {count} action(s){updated} (plan of {opp} on {day}). {wrote} "
                   "Check progress with: stakegraph review --neo4j"),
    "plan_updated": ("，其中 {count} 项为更新", ", {count} of them updated"),
    "surveys_imported": ("已从 {source} 导入 {count} 份满意度调查。{wrote}",
                         "Imported {count} survey(s) from {source}. {wrote}"),
    "stale": ("{noun} '{id}' 在你读取后已被{by}修改（{versions}）{changes}；未写入任何内容。"
              "请重新读取后再做修改。",
              "{noun} '{id}' was changed{by} since you read it ({versions}){changes}; "
              "nothing was written. Read it again and redo your change."),
    "by": (" {who} ", " by {who}"),  # spaced from the Chinese around it
    "versions": ("第 {old} 版 → 第 {new} 版", "version {old} → {new}"),
    "now_version": ("现为第 {new} 版", "now version {new}"),
    "behind": ("文件落后于服务器上的工作区“{workspace}”：{count} 处冲突；未推送任何内容。"
               "请把工作区拉取到新文件夹，把你的修改搬过去再推送（或用 --force 覆盖）：",
               "the files are behind workspace '{workspace}' on the server: {count} "
               "conflict(s); nothing was pushed. Pull the workspace into a new folder, carry "
               "your changes over, and push that (or push with --force to overwrite them):"),
    "added": ("{record}：服务器上{by}新增", "{record}: added on the server{by}"),
    "deleted": ("{record}：已在服务器上删除", "{record}: deleted on the server"),
    "changed": ("{record}：服务器上{by}修改（{versions}）{fields}",
                "{record}: changed on the server{by} ({versions}){fields}"),
    "force_head": ("push --force 将覆盖工作区“{workspace}”中同事的 {count} 处写入：",
                   "push --force overwrites {count} write(s) of colleagues on workspace "
                   "'{workspace}':"),
    "force_ask": ("覆盖以上写入？", "Overwrite the writes listed above?"),
    "force_refused": ("未推送任何内容：push --force 需要确认，加 --yes 或在终端中回答。",
                      "nothing was pushed: push --force needs a confirmation; add --yes, or "
                      "run it in a terminal and answer."),
    "forced": ("已覆盖 {count} 处写入。", "Overwrote {count} write(s)."),
    "pushed": ("已将工作区“{workspace}”推送到 {uri}：{nodes} 个节点、{relationships} 条关系"
               "（新建 {nodes_created} 个节点、{relationships_created} 条关系，删除 "
               "{nodes_deleted} 个节点、{relationships_deleted} 条关系）。",
               "Pushed workspace '{workspace}' to {uri}: {nodes} nodes, {relationships} "
               "relationships ({nodes_created} nodes and {relationships_created} relationships "
               "created, {nodes_deleted} nodes and {relationships_deleted} relationships "
               "removed)."),
    "pulled": ("已将工作区“{workspace}”（{counts}）拉取到 {folder}（{files} 个文件）。",
               "Pulled workspace '{workspace}' ({counts}) into {folder} ({files} file(s))."),
    "wrote_count": ("已写入 {count} 个文件到 {destination}。",
                    "Wrote {count} file(s) to {destination}."),
    "graph_as_of": ("已将 {day} 的关系图写入 {path}。", "Wrote the graph as of {day} to {path}."),
    "graph_history": ("已将关系图（全部历史）写入 {path}。",
                      "Wrote the graph (whole history) to {path}."),
    "popolo": ("已将 {organisations} 个组织、{posts} 个岗位和 {persons} 名人员写入 {path}"
               "（Popolo JSON；我方人员、客户关系、人脉和商机没有 Popolo 形式，未写入）。",
               "Wrote {organisations} organisations, {posts} posts and {persons} persons to "
               "{path} (Popolo JSON; owners, relationships, ties and opportunities have no "
               "Popolo form and were left out)."),
}  # fmt: skip

#: What each collection of records is called, per language: collection → (Chinese, English).
RECORD_NOUNS: dict[str, tuple[str, str]] = {
    "organisations": ("组织", "organisations"),
    "posts": ("岗位", "posts"),
    "persons": ("人员", "persons"),
    "owners": ("我方人员", "owners"),
    "relationships": ("客户关系", "relationships"),
    "ties": ("人脉", "ties"),
    "opportunities": ("商机", "opportunities"),
    "interactions": ("互动", "interactions"),
    "surveys": ("满意度调查", "surveys"),
    "assessments": ("评估", "assessments"),
    "actions": ("措施", "actions"),
    "reforms": ("机构改革", "reforms"),
}


def no_relationships_phrase(
    ws: Workspace, person: str | None, owner: str | None, language: str | None = None
) -> str:
    """What ``relationships`` says when nothing matches, naming whom it looked for."""
    zh = (language or current_language()) == "zh"
    official = ws.records["persons"].get(person) if person else None
    ours = ws.records["owners"].get(owner) if owner else None
    who = getattr(official, "name", person)
    by = getattr(ours, "name", owner)
    if zh:
        who, by = _amid_chinese(who), _amid_chinese(by)
        if who and by:
            return f"{by}与{who}尚无客户关系记录。用 stakegraph assess 记录一次评估。"
        if who:
            return f"我方尚无与{who}的客户关系记录。用 stakegraph assess 记录一次评估。"
        if by:
            return f"{by}名下尚无客户关系记录。"
        return "工作区中尚无客户关系记录。"
    if who and by:
        return f"{by} has no relationship with {who} on record; record one with stakegraph assess."
    if who:
        return f"None of us has a relationship with {who} on record; record one with stakegraph assess."
    if by:
        return f"{by} is responsible for no relationship on record."
    return "The workspace holds no relationships yet."


def _amid_chinese(text: str | None) -> str | None:
    """``text`` ready to sit in a Chinese sentence: a Latin id or name gets a space each side."""
    return text if not text or has_cjk(text) else f" {text} "


def counts_phrase(counts: dict[str, int], language: str | None = None) -> str:
    """Record counts as a line says them, the empty ones left out.

    >>> counts_phrase({"persons": 3, "ties": 0, "posts": 2}, "zh")
    '人员 3、岗位 2'
    >>> counts_phrase({"persons": 3, "ties": 0, "posts": 2}, "en")
    '3 persons, 2 posts'
    """
    if (language or current_language()) == "zh":
        return "、".join(f"{RECORD_NOUNS.get(c, (c, c))[0]} {n}" for c, n in counts.items() if n)
    return ", ".join(f"{n} {RECORD_NOUNS.get(c, (c, c))[1]}" for c, n in counts.items() if n)


def team_line(key: str, language: str | None = None, **values: object) -> str:
    """One line of :data:`TEAM_LINES` in ``language`` (default: the run's), filled in."""
    zh, en = TEAM_LINES[key]
    return (zh if (language or current_language()) == "zh" else en).format(**values)


def team_word(enumeration: str, code: str, language: str | None = None) -> str:
    """An interaction kind or action status as a team line says it (中文, else the code)."""
    return term(enumeration, code).zh if (language or current_language()) == "zh" else code


def scores_phrase(scores: dict[str, float], level: str | None, language: str | None = None) -> str:
    """The scores an assessment sets (``support 4`` / ``项目支持度 4``), else its level."""
    zh = (language or current_language()) == "zh"
    shown = [f"{DIMENSION_LABELS[d] if zh else d} {v:g}" for d, v in scores.items()]
    if shown:
        return ("，" if zh else ", ").join(shown)
    return f"{'关系层级' if zh else 'level'} {level}"


_TEAM_NOUNS = {"action": "措施", "assessment": "评估", "interaction": "互动", "survey": "调查"}


def _versions(old: int | None, new: int | None, language: str | None) -> str:
    if old is None or old == new:
        return team_line("now_version", language, new=new)
    return team_line("versions", language, old=old, new=new)


def stale_phrase(stale: Any, language: str | None = None) -> str:
    """A refused change (:class:`~stakegraph.engines.neo4j_team.StaleRecord`) as a sentence."""
    zh = (language or current_language()) == "zh"
    shown = [
        f"{n}: {'—' if a is None else a} → {'—' if b is None else b}" for n, a, b in stale.changes
    ]
    return team_line(
        "stale",
        language,
        noun=_TEAM_NOUNS.get(stale.noun, stale.noun) if zh else stale.noun,
        id=stale.record_id,
        by=team_line("by", language, who=stale.by) if stale.by else "",
        versions=_versions(stale.base_version, stale.version, language),
        changes=(("：" if zh else ": ") + "; ".join(shown)) if shown else "",
    )


def conflict_phrase(conflict: Any, language: str | None = None) -> str:
    """One conflict of a push (:class:`~stakegraph.engines.neo4j_team.Conflict`), one line."""
    colon = "：" if (language or current_language()) == "zh" else ": "
    return team_line(
        conflict.change,
        language,
        record=conflict.record,
        by=team_line("by", language, who=conflict.by) if conflict.by else "",
        versions=_versions(conflict.yours, conflict.theirs, language),
        fields=colon + ", ".join(conflict.fields) if conflict.fields else "",
    )
