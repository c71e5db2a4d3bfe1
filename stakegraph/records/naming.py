"""How records are named: posts in every table, pinyin, and the ids made from names.

One rule, one place. :func:`post_label` names a post in every table, figure and
message. The rest turns Chinese into pinyin, for two uses: the ids a command makes
when none is given (:func:`person_slug`, :func:`text_slug`, :func:`id_slug`), and
finding a record from its pinyin (:func:`spellings`, used by
:mod:`stakegraph.records.lookup`).

A person's id is the surname, a hyphen, then the given name in one word, in
lower case without tones: 刘德华 is ``liu-dehua``, 欧阳澜 ``ouyang-lan`` (a
two-character surname stays one word) and 曾国藩 ``zeng-guofan`` (a surname is
read as a surname). Other names take one syllable per hyphen (财政局 is
``cai-zheng-ju``). Latin text becomes its words in lower case joined by hyphens,
accents dropped. ``ü`` is written ``v`` (吕 is ``lv``), as pinyin keyboards type it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from stakegraph.config import LANGUAGE
from stakegraph.records.lineage import ceases
from stakegraph.records.model import Reform, ReformKind, ReformScope

if TYPE_CHECKING:
    from stakegraph.records.workspace import Workspace


def post_label(workspace: Workspace, post_id: str) -> str:
    """Organisation and title as one name, without repeating their shared words.

    ``江川市财政局预算科`` + ``预算科科长`` → ``江川市财政局预算科科长``.
    """
    post = workspace.posts[post_id]
    org = workspace.organisations[post.org].name
    title = post.title
    for size in range(min(len(org), len(title)), 1, -1):  # one shared character is chance
        if org.endswith(title[:size]):
            return org + title[size:]
    joiner = " " if org[-1:].isascii() and title[:1].isascii() else ""
    return org + joiner + title


def record_name(workspace: Workspace, scope: ReformScope, record_id: str) -> str:
    """An organisation's name or a post's label (:func:`post_label`)."""
    if scope == ReformScope.POSTS:
        return post_label(workspace, record_id)
    return workspace.organisations[record_id].name


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe_reform(workspace: Workspace, reform: Reform) -> tuple[str, str]:
    """What a reform did, in Chinese and in English.

    A predecessor that lives on across the reform gave up functions only:
    ``市信息中心、市经信委的数据管理职责于 2019-03-01 合并组建市大数据管理局`` and
    ``江川市信息中心 and the functions (数据管理职责) of 江川市经信委 merged into
    江川市大数据管理局 on 2019-03-01``.
    """

    def name(rid: str) -> str:
        return record_name(workspace, reform.of, rid)

    zh_parts, en_parts = [], []
    for rid in reform.predecessors:
        if ceases(workspace, reform, rid):
            zh_parts.append(name(rid))
            en_parts.append(name(rid))
        else:
            what = reform.functions
            zh_parts.append(f"{name(rid)}的{what or '部分职能'}")
            en_parts.append(
                f"the functions ({what}) of {name(rid)}" if what else f"functions of {name(rid)}"
            )
    after = [name(rid) for rid in reform.successors]
    day = reform.day.isoformat()
    before_zh, after_zh = "、".join(zh_parts), "、".join(after)
    before_en, after_en = _and(en_parts), _and(after) if after else ""
    if reform.kind == ReformKind.RENAME:
        return (
            f"{before_zh}于 {day} 更名为{after_zh}",
            f"{before_en} was renamed {after_en} on {day}",
        )
    if reform.kind == ReformKind.MERGE:
        verb = "合并组建" if reform.of == ReformScope.ORGANISATIONS else "合并为"
        return (
            f"{before_zh}于 {day} {verb}{after_zh}",
            f"{before_en} merged into {after_en} on {day}",
        )
    if reform.kind == ReformKind.SPLIT:
        return (
            f"{before_zh}于 {day} 分设为{after_zh}",
            f"{before_en} was split into {after_en} on {day}",
        )
    if reform.kind == ReformKind.TRANSFER:
        return f"{before_zh}于 {day} 划入{after_zh}", f"{before_en} moved to {after_en} on {day}"
    return (
        f"{before_zh}于 {day} 撤销",
        f"{before_en} {'was' if len(en_parts) == 1 else 'were'} abolished on {day}",
    )


# --- pinyin ------------------------------------------------------------------------------
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_RUN = re.compile(r"[a-z0-9]+")
_ALL_HAN = re.compile(f"{_HAN.pattern}+")
_HAN_OR_NOT = re.compile(f"({_HAN.pattern})|((?:(?!{_HAN.pattern}).)+)", re.DOTALL)

#: Surnames of two characters (复姓): one word in an id.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "令狐",
        "司徒",
        "夏侯",
        "长孙",
        "宇文",
        "端木",
        "独孤",
        "南宫",
        "轩辕",
        "呼延",
        "钟离",
        "闻人",
        "万俟",
        "百里",
        "东郭",
        "西门",
        "澹台",
        "公冶",
        "申屠",
        "太史",
        "司空",
        "左丘",
    ]
)

#: Surnames read otherwise than the character's most common reading.
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "翟": "zhai",
    "乐": "yue",
    "缪": "miao",
    "盖": "ge",
    "召": "shao",
    "覃": "qin",
    "种": "chong",
    "员": "yun",
    "秘": "bi",
    "繁": "po",
    "尉": "yu",
    "隗": "wei",
    "长孙": "zhangsun",
    "尉迟": "yuchi",
    "万俟": "moqi",
}


def has_han(text: str) -> bool:
    """Whether ``text`` holds a Chinese character.

    >>> has_han("周蔚然"), has_han("zhou-weiran")
    (True, False)
    """
    return _HAN.search(text) is not None


@cache
def readings(char: str) -> tuple[str, ...]:
    """Every reading of one Chinese character in pinyin without tones, most common first.

    >>> readings("曾")
    ('ceng', 'zeng')
    """
    from pypinyin import Style, pinyin  # loads its dictionaries: only when asked

    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    words = [w.lower() for w in (found[0] if found else []) if w.isascii() and w.isalpha()]
    return tuple(dict.fromkeys(words)) or (char,)


def plain(text: str) -> str:
    """Lower case, accents and tone marks dropped (``ü`` becomes ``u``), width folded.

    >>> plain("Zhōu Wèirán")
    'zhou weiran'
    """
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def _units(text: str) -> list[tuple[str, ...]]:
    """The spoken units of a name: each Chinese character with its readings, each run of
    Latin letters and digits as itself; spaces and punctuation between them drop."""
    if _ALL_HAN.fullmatch(text):  # the usual Chinese name: no punctuation to drop
        return [_said(ch) for ch in text]
    units: list[tuple[str, ...]] = []
    for han, other in _HAN_OR_NOT.findall(text):
        if han:
            units.append(_said(han))
        else:
            units.extend((run,) for run in _LATIN_RUN.findall(plain(other)))
    return units


@cache
def _said(char: str) -> tuple[str, ...]:
    """The readings of a character as typed: ü as v (lv) or u (lu) alike."""
    said = readings(char)
    return tuple(dict.fromkeys([*said, *(r.replace("v", "u") for r in said)]))


def spellings(text: str) -> list[tuple[str, ...]]:
    """:func:`_units` of ``text``: what :func:`spells` and :func:`initials_of` compare with."""
    return _units(text)


def compact(text: str) -> str:
    """Latin letters and digits of ``text`` in lower case, nothing else: how typed
    pinyin is compared (``Zhou-Weiran`` and ``zhou weiran`` are both ``zhouweiran``).

    >>> compact("Zhōu-Wèi rán")
    'zhouweiran'
    """
    return "".join(_LATIN_RUN.findall(plain(text)))


def spells(typed: str, units: list[tuple[str, ...]]) -> bool:
    """Whether ``typed`` (:func:`compact`) is one reading of every unit, in order.

    >>> spells("zhouweiran", spellings("周蔚然")), spells("zhouyuran", spellings("周蔚然"))
    (True, True)
    >>> spells("zhouwei", spellings("周蔚然"))
    False
    """
    if not units:
        return False
    ends = {0}
    for unit in units:
        ends = {end + len(r) for end in ends for r in unit if typed.startswith(r, end)}
        if not ends:
            return False
    return len(typed) in ends


def initials_of(typed: str, units: list[tuple[str, ...]]) -> bool:
    """Whether ``typed`` holds the first letter of each unit, in order (``xzh`` for 许志恒).

    >>> initials_of("xzh", spellings("许志恒")), initials_of("xz", spellings("许志恒"))
    (True, False)
    """
    return len(typed) == len(units) > 1 and all(
        any(r[:1] == letter for r in unit) for letter, unit in zip(typed, units, strict=True)
    )


# --- ids made from names -----------------------------------------------------------------
#: Longest id made from a name; longer ones are cut at a hyphen.
MAX_SLUG = 60

_NOT_WORD = re.compile(r"[^\w]+")


@cache
def _pinyin_of() -> Callable[[str], list[str]]:
    from pypinyin import Style, lazy_pinyin  # loads its dictionaries: only when asked

    return lambda text: lazy_pinyin(text, style=Style.NORMAL, errors="default")


def _words(text: str) -> list[str]:
    """Lower-case words of ``text``, accents dropped; letters of any script kept."""
    return [w for w in _NOT_WORD.split(plain(text).replace("_", " ")) if w]


def _romanised(text: str) -> list[str]:
    """Syllables and words of ``text``: Chinese read as a phrase, one syllable a character."""
    words: list[str] = []
    for part in _pinyin_of()(text):
        words += _words(part)
    return words


def _cut(slug: str) -> str:
    if len(slug) <= MAX_SLUG:
        return slug
    cut = slug[:MAX_SLUG]
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


@cache
def _syllable(char: str) -> str:
    """The pinyin of one character of a name (given names are read character by
    character: phrase dictionaries seldom know them)."""
    return "".join(_romanised(char))


def person_slug(name: str) -> str:
    """A new id for a person called ``name``: ``surname-givenname`` in pinyin.

    >>> person_slug("刘德华"), person_slug("欧阳澜"), person_slug("曾国藩")
    ('liu-dehua', 'ouyang-lan', 'zeng-guofan')
    >>> person_slug("Dana  Whitfield")
    'dana-whitfield'
    """
    joined = "".join(name.split()).replace("·", "")
    if not joined or not all(_HAN.match(ch) for ch in joined):
        return text_slug(name)
    size = 2 if len(joined) > 2 and joined[:2] in COMPOUND_SURNAMES else 1
    surname, given = joined[:size], joined[size:]
    family = SURNAME_READINGS.get(surname) or "".join(_syllable(ch) for ch in surname)
    parts = [family, "".join(_syllable(ch) for ch in given)] if given else [family]
    return _cut("-".join(p for p in parts if p))


@lru_cache(maxsize=4096)
def text_slug(text: str) -> str:
    """A new id for any other name: one pinyin syllable or word per hyphen.

    >>> text_slug("江川市 财政局"), text_slug("Committee on Foreign Affairs")
    ('jiang-chuan-shi-cai-zheng-ju', 'committee-on-foreign-affairs')
    >>> text_slug("  ")
    ''
    """
    words = _romanised(text) if has_han(text) else _words(text)
    return _cut("-".join(words))


def id_slug(text: str) -> str:
    """``text`` (ids, dates and words joined) as a new id: Chinese in pinyin, one
    syllable per hyphen; letters and digits of other scripts, ``-`` and ``_`` kept;
    anything else a hyphen.

    >>> id_slug("2026-11-27-visit-xu-zhiheng"), id_slug("improve-王伟-2026-11-27")
    ('2026-11-27-visit-xu-zhiheng', 'improve-wang-wei-2026-11-27')
    """
    out: list[str] = []
    after_han = False
    for ch in text:
        if _HAN.match(ch):
            if out and out[-1] != "-":
                out.append("-")
            out += [_syllable(ch), "-"]
            after_han = True
            continue
        piece = ch if ch.isalnum() or ch in "-_" else "-"
        if not (piece == "-" and after_han):
            out.append(piece)
        after_han = False
    return "".join(out).strip("-")


# --- what looks like it ------------------------------------------------------------------
def closest(typed: str, names: Mapping[str, str], n: int = 5) -> list[str]:
    """The values of ``names`` (a map from a name, id or pinyin to a record id) whose key
    looks most like ``typed``: keys holding it first, then similar spellings; at most ``n``.

    >>> closest("zhou wr", {"zhou-weiran": "zw", "周蔚然": "zw", "zhao-lei": "zl"})
    ['zw']
    """
    key, flat = plain(typed).strip(), compact(typed)
    found = [i for name, i in names.items() if key and key in plain(name)]
    for probe in dict.fromkeys(p for p in (key, flat) if p):
        found += [names[m] for m in difflib.get_close_matches(probe, names, n=n * 2, cutoff=0.6)]
    return list(dict.fromkeys(found))[:n]


def name_keys(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """A map for :func:`closest` from (record id, name) pairs: each id, name and the
    compact pinyin of each name, the first record named keeping a key."""
    keys: dict[str, str] = {}
    for record_id, name in pairs:
        keys.setdefault(record_id, record_id)
        keys.setdefault(name, record_id)
        if has_han(name):
            keys.setdefault("".join(u[0] for u in _units(name)), record_id)
    return keys


_CJK = re.compile(r"[\u3400-\u9fff]")


def workspace_language(workspace: Workspace) -> str:
    """The language a workspace is shown in: ``"zh"`` or ``"en"``.

    Definition
    ----------
    The language a command was given (``stakegraph --lang``, held in
    :data:`stakegraph.config.LANGUAGE`), else the ``language`` setting, else the
    records: ``"zh"`` when at least half of the names of persons, organisations and
    opportunities hold a Chinese character (an empty workspace is Chinese).
    O(records).

    Examples
    --------
    >>> from stakegraph.records.model import Person
    >>> from stakegraph.records.workspace import Workspace
    >>> ws = Workspace()
    >>> ws.add(Person(id="grant", name="Olivia Grant"))
    >>> workspace_language(ws)
    'en'
    """
    chosen = LANGUAGE.get() or workspace.settings.language
    if chosen:
        return chosen
    names = [
        record.name
        for table in (workspace.persons, workspace.organisations, workspace.opportunities)
        for record in table.values()
    ]
    chinese = sum(1 for name in names if _CJK.search(name))
    return "zh" if 2 * chinese >= len(names) else "en"
