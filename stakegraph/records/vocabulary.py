"""The words of every enumeration users type: one table each, for parsing and display.

Each value of an enumeration in :mod:`stakegraph.records.model` (stance, role kind,
stage, relationship level, ...) is one :class:`Term`: its code (what files hold),
its Chinese and English labels, and the synonyms people also type. Views print
:attr:`Term.zh` or :attr:`Term.label` (``"坚定支持者 champion"``) from these tables
and the parser accepts every one of those spellings, so what the tool prints always
reads back as the same value.

:data:`CHANGED_MEANINGS` lists the words whose meaning changed: before 0.2,
``支持者`` in a stance meant champion, while the report printed it for a supporter.
It now means supporter; ``stakegraph check`` warns about a workspace that may have
been written with the old meaning (see :func:`stance_word_warnings`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The vocabulary version a workspace declares (``vocabulary = 2`` in stakegraph.toml)
#: once it uses the words of these tables; below it, changed words get a warning.
VOCABULARY_VERSION = 2


@dataclass(frozen=True, slots=True)
class Term:
    """One value of an enumeration and its words."""

    #: What files hold ("budget_holder").
    code: str
    #: The Chinese label views print ("预算把控").
    zh: str
    #: Other words that mean this value (older labels, short forms, 2-character forms).
    synonyms: tuple[str, ...] = ()
    #: The English label; by default the code with spaces ("budget holder").
    en_label: str | None = None

    @property
    def en(self) -> str:
        return self.en_label or self.code.replace("_", " ")

    @property
    def label(self) -> str:
        """Both labels, as tables print them: ``"预算把控 budget holder"``."""
        return f"{self.zh} {self.en}"

    def spellings(self) -> tuple[str, ...]:
        """Every text that parses as this value (before normalising case and separators)."""
        zh_words = (self.zh, *(s for s in self.synonyms if _has_cjk(s)))
        return (
            self.code,
            self.en,
            self.zh,
            self.label,
            *self.synonyms,
            # an older bilingual label, as an earlier report printed it ("预算 budget holder")
            *(f"{word} {self.en}" for word in zh_words[1:]),
            *(f"{word}/{self.en}" for word in zh_words),
        )


#: Every enumeration users type, by the name of its enum class in the model.
VOCABULARY: dict[str, tuple[Term, ...]] = {
    "OrgKind": (
        Term("government", "政府", ("人民政府",)),
        Term("party_committee", "党委", ("党委会",), "party committee"),
        Term("congress", "人大", ("人大常委会",)),
        Term("department", "部门", ("厅",)),
        Term("bureau", "局"),
        Term("division", "处室", ("科室", "处", "科")),
        Term("committee", "委员会", ("委",)),
        Term("agency", "机构", ("中心",)),
        Term("soe", "国企", ("国有企业",), "state-owned enterprise"),
        Term("institution", "事业单位"),
        Term("company", "企业", ("公司",)),
        Term("other", "其他"),
    ),
    "Level": (
        Term("national", "国家级", ("中央",)),
        Term("provincial", "省级", ("省",)),
        Term("municipal", "市级", ("市", "地市级")),
        Term("district", "区级", ("区",)),
        Term("county", "县级", ("县",)),
        Term("township", "乡镇", ("乡镇级", "街道")),
    ),
    "Background": (
        Term("military", "军队出身", ("军队", "军转干部")),
        Term("academia", "学者/专家", ("学者", "专家")),
        Term("rotation", "交流干部", ("交流", "挂职")),
        Term("career", "公务员"),
        Term("recruited", "选调生", ("选调",)),
        Term("business", "企业出身", ("企业",)),
        Term("other", "其他"),
    ),
    "TieKind": (
        Term("classmate", "同学", ("校友",)),
        Term("former_colleague", "老同事", ("同事", "前同事"), "former colleague"),
        Term("hometown", "同乡", ("老乡",)),
        Term("mentor", "师生", ("师徒",)),
        Term("family", "亲属", ("亲戚", "家人")),
        Term("friend", "朋友"),
        Term("other", "其他"),
    ),
    "Stage": (
        Term("early", "早期"),
        Term("pursuit", "前期"),
        Term("delivery", "中期"),
        Term("collection", "后期"),
    ),
    "RoleKind": (
        Term("decision_maker", "决策者", ("拍板人",)),
        Term("approver", "审批者", ("审批人",)),
        Term("budget_holder", "预算把控", ("预算", "预算负责人")),
        Term("evaluator", "评估者", ("评审", "评估人")),
        Term("influencer", "影响者"),
        Term("user", "使用者", ("用户",)),
        Term("gatekeeper", "把关者", ("把关人",)),
    ),
    "Stance": (
        Term("champion", "坚定支持者", ("坚定支持", "铁杆支持者")),
        Term("supporter", "支持者", ("倾向支持", "支持")),
        Term("neutral", "中立", ("中立者",)),
        Term("skeptic", "怀疑", ("怀疑者", "质疑")),
        Term("opponent", "反对", ("反对者",)),
    ),
    "RelationshipLevel": (
        Term("vendor", "卖主关系", ("卖主",)),
        Term("preferred", "被优先考虑的供应商", ("优先供应商",)),
        Term("partner", "合作伙伴关系", ("合作伙伴",)),
        Term("strategic", "战略联盟关系", ("战略联盟",)),
    ),
    "InteractionKind": (
        Term("visit", "拜访"),
        Term("meeting", "会议", ("开会",)),
        Term("event", "活动"),
        Term("call", "电话"),
        Term("complaint", "投诉"),
        Term("survey", "调研", ("调查",)),
        Term("agreement", "签约", ("协议",)),
        Term("other", "其他"),
    ),
    "ActionStatus": (
        Term("planned", "计划", ("计划中", "未开始")),
        Term("in_progress", "进行中", ("执行中",)),
        Term("done", "完成", ("已完成",)),
        Term("dropped", "取消", ("已取消",)),
    ),
    "ActionOrigin": (
        Term("plan", "行动计划"),
        Term("improvement", "改进措施", ("改进", "整改")),
    ),
}

#: Words whose meaning changed: enumeration -> word -> the code it used to mean.
CHANGED_MEANINGS: dict[str, dict[str, str]] = {"Stance": {"支持者": "champion"}}

_CJK = re.compile(r"[\u3400-\u9fff]")
_SEPARATORS = re.compile(r"[\s_\-]+")


def _has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def normalise(text: str) -> str:
    """The form spellings are compared in: case, spaces, '-' and '_' do not matter;
    full-width slashes and brackets count as their ASCII forms."""
    text = text.strip().replace("／", "/").casefold()
    return _SEPARATORS.sub(" ", text).strip()


def _index(terms: tuple[Term, ...], name: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for term in terms:
        for spelling in term.spellings():
            key = normalise(spelling)
            other = index.setdefault(key, term.code)
            if other != term.code:
                raise ValueError(f"{name}: '{spelling}' would mean both {other} and {term.code}")
    return index


#: normalised spelling -> code, per enumeration (built once; a clash fails at import).
_INDEX: dict[str, dict[str, str]] = {name: _index(t, name) for name, t in VOCABULARY.items()}


def parse_term(enumeration: str, text: str) -> str | None:
    """The code ``text`` names in ``enumeration`` (None: no such word)."""
    return _INDEX.get(enumeration, {}).get(normalise(text))


def suggest(enumeration: str, text: str) -> tuple[str, Term] | None:
    """The spelling closest to a mistyped word, and its term (None: nothing close).

    >>> spelling, found = suggest("Stance", "champoin")
    >>> spelling, found.zh
    ('champion', '坚定支持者')
    """
    import difflib

    spellings: dict[str, tuple[str, Term]] = {}
    for item in VOCABULARY.get(enumeration, ()):
        for spelling in item.spellings():
            spellings.setdefault(normalise(spelling), (spelling, item))
    close = difflib.get_close_matches(normalise(text), list(spellings), n=1, cutoff=0.6)
    return spellings[close[0]] if close else None


def terms(enumeration: str) -> tuple[Term, ...]:
    return VOCABULARY[enumeration]


def term(enumeration: str, code: str) -> Term:
    """The term of one code (``term("Stance", "champion").zh == "坚定支持者"``)."""
    for item in VOCABULARY[enumeration]:
        if item.code == code:
            return item
    raise KeyError(f"{enumeration} has no value '{code}'")


def labels(enumeration: str) -> dict[str, str]:
    """code -> bilingual label (``"坚定支持者 champion"``), for tables."""
    return {t.code: t.label for t in VOCABULARY[enumeration]}


def zh_labels(enumeration: str) -> dict[str, str]:
    """code -> Chinese label (``"坚定支持者"``), for figures."""
    return {t.code: t.zh for t in VOCABULARY[enumeration]}


def choices(enumeration: str) -> str:
    """``"champion 坚定支持者, supporter 支持者, ..."``, for help and error messages."""
    return ", ".join(f"{t.code} {t.zh}" for t in VOCABULARY[enumeration])


__all__ = [
    "CHANGED_MEANINGS",
    "VOCABULARY",
    "VOCABULARY_VERSION",
    "Term",
    "choices",
    "labels",
    "normalise",
    "parse_term",
    "suggest",
    "term",
    "terms",
    "zh_labels",
]
