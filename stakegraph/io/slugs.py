"""Readable record ids made from names: pinyin for Chinese, ASCII words for the rest.

A person's id follows the way Chinese names are romanised (GB/T 28039): the
surname, a hyphen, then the given name in one word, all lower case and without
tone marks, so 刘德华 is ``liu-dehua`` and 欧阳修 ``ouyang-xiu``. Two-character
surnames (欧阳, 司马, ...) are kept together, and surnames read differently
from the same character elsewhere (单 shan, 曾 zeng, 解 xie, ...) are read as
surnames. Other names (organisations, post titles) are romanised one syllable
per hyphen: 外交部 is ``wai-jiao-bu``. English and other Latin text becomes its
words in lower case joined by hyphens, accents dropped: "Ministry of Finance"
is ``ministry-of-finance``. Text in another script keeps its letters.

``ü`` is written ``v`` (``lv``), as in most pinyin input methods and ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

#: Longest id made from a name; longer ones are cut at a hyphen.
MAX_SLUG = 60

#: Surnames of two characters (复姓), kept together as one word.
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
        "澹台",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "轩辕",
        "呼延",
        "申屠",
        "钟离",
        "闻人",
        "太史",
        "东郭",
        "百里",
        "万俟",
        "司空",
        "左丘",
    ]
)

#: Characters read another way as surnames than in ordinary words.
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "翟": "zhai",
    "乐": "yue",
    "缪": "miao",
    "尉": "yu",
    "盖": "ge",
    "召": "shao",
    "员": "yun",
    "种": "chong",
    "秘": "bi",
    "繁": "po",
    "隗": "wei",
    "万俟": "moqi",
    "尉迟": "yuchi",
}

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NOT_WORD = re.compile(r"[^\w]+")


def has_han(text: str) -> bool:
    """Whether ``text`` holds a Chinese character."""
    return _HAN.search(text) is not None


@lru_cache(maxsize=1)
def _pinyin() -> Callable[[str], list[str]]:
    # imported on first use: pypinyin loads its dictionaries when imported
    from pypinyin import Style, lazy_pinyin

    return lambda text: lazy_pinyin(text, style=Style.NORMAL, errors="default")


def _ascii_words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return [w for w in _NOT_WORD.split(plain.lower().replace("_", " ")) if w]


def _romanised(text: str) -> list[str]:
    """Syllables and words of ``text``: one pinyin syllable per Chinese character."""
    words: list[str] = []
    for part in _pinyin()(text):
        words += _ascii_words(part)
    return words


def _cut(slug: str) -> str:
    if len(slug) <= MAX_SLUG:
        return slug
    cut = slug[:MAX_SLUG]
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


@lru_cache(maxsize=4096)
def text_slug(text: str) -> str:
    """An id for a name of an organisation or a post.

    >>> text_slug("外交部")
    'wai-jiao-bu'
    >>> text_slug("Committee on Foreign Affairs")
    'committee-on-foreign-affairs'
    >>> text_slug("  ")
    ''
    """
    words = _romanised(text) if has_han(text) else _ascii_words(text)
    return _cut("-".join(words))


def person_slug(name: str) -> str:
    """An id for a person's name: ``surname-givenname`` in pinyin, or its words.

    >>> person_slug("刘德华")
    'liu-dehua'
    >>> person_slug("欧阳修")
    'ouyang-xiu'
    >>> person_slug("曾国藩")
    'zeng-guofan'
    >>> person_slug("Nancy Pelosi")
    'nancy-pelosi'
    """
    joined = "".join(name.split())
    if not joined or not all(_HAN.match(ch) for ch in joined):
        return text_slug(name)
    name = joined
    size = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
    surname, given = name[:size], name[size:]
    family = SURNAME_READINGS.get(surname) or "".join(_syllable(ch) for ch in surname)
    parts = [family, "".join(_syllable(ch) for ch in given)] if given else [family]
    return _cut("-".join(p for p in parts if p))


@cache
def _syllable(char: str) -> str:
    """The pinyin of one character of a name (names are read character by character:
    dictionaries of words seldom know a given name)."""
    return "".join(_romanised(char))


__all__ = ["COMPOUND_SURNAMES", "MAX_SLUG", "has_han", "person_slug", "text_slug"]
