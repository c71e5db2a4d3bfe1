"""The language the views speak: Chinese first, English complete.

A run speaks one language (:func:`current_language`): the one ``stakegraph --lang``
gave, else the workspace's (:func:`stakegraph.records.naming.workspace_language`).

What each kind of text becomes:

- Fixed labels (table titles and headers, stances, roles, gap kinds, plan phases)
  are written once, bilingual (``"坚定支持者 champion"``). Chinese output keeps them
  bilingual, the product's style, so a Chinese user still learns the English code;
  English output keeps only the English words (:func:`english`).
- Sentences (gap reasons, next actions) are phrased per language from the facts
  (:mod:`stakegraph.views.phrases`); a Chinese workspace never gets an English-only
  sentence. ``--json`` keeps the analysis' own text, as before.
- Grade names: the workspace's scale; in English the first name of the scale
  written without Chinese (the default scale has English names of its own).
- Money: the ``[workspace]`` unit, by default 万元 in Chinese and k in English.
- User data (names of people, organisations, steps) is shown as typed.

Rendering applies this to a whole table (:func:`shown_table`), so the terminal,
HTML and Markdown stay one definition.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any, TypeVar

from stakegraph.config import DEFAULT_GRADE_NAMES_EN, DEFAULT_GRADES, LANGUAGE

#: The ``[workspace]`` money settings of this run's workspace (unit, currency); None:
#: the language's default unit.
MONEY: ContextVar[tuple[str | None, str | None] | None] = ContextVar(
    "stakegraph_money", default=None
)
F = TypeVar("F", bound=Callable[..., Any])
_DIVISORS = {"元": 1.0, "万元": 1e4, "亿元": 1e8, "k": 1e3, "M": 1e6, "units": 1.0}

_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
#: A gloss in brackets holding Chinese: " (责任到人)", "（函件/汇报）".
_CJK_GLOSS = re.compile(r"\s*[(（][^()（）]*[\u3400-\u9fff][^()（）]*[)）]")
#: A word holding Chinese, with the slash or space that joins it to the next.
_CJK_WORD = re.compile(r"[^\s()（）]*[\u3400-\u9fff][^\s()（）]*\s*")

#: Words the tables print on their own, per language.
WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "none": "无",
        "named person": "（指定人员） named person",
        "vacant": "空缺",
        "holder unknown": "人选未明",
        "formerly": "原",
        "close": "预计签约",
    },
    "en": {
        "none": "none",
        "named person": "(named person)",
        "vacant": "vacant",
        "holder unknown": "holder unknown",
        "formerly": "formerly",
        "close": "close",
    },
}


#: A person no longer in the network (a rank move to nowhere).
GONE_LABEL = "已离开 gone"
#: What the plan proposes rather than the workspace names (a backup owner, B角).
PROPOSED_LABEL = "建议 proposed"


class ShownRow(dict):
    """A row as ``--json`` prints it, carrying the texts the tables show instead.

    JSON writes the dict's items only, so a sentence phrased for the screen
    (:mod:`stakegraph.views.phrases`) never changes the machine output.
    """

    shown: dict[str, str]

    def __init__(self, data: dict[str, Any], shown: dict[str, str]) -> None:
        super().__init__(data)
        self.shown = shown


def shown(row: dict[str, Any], key: str) -> Any:
    """What a table shows for ``row[key]``: the phrased text when the row has one."""
    texts = getattr(row, "shown", None) or {}
    return texts.get(key, row[key])


def speaking(func: F) -> F:
    """Run a view of a workspace (or network, its first argument) in its language.

    A command has fixed the language already (``--lang`` or its workspace); a
    caller from Python gets the workspace's language and money unit for the call.
    """

    @functools.wraps(func)
    def wrapper(source: Any, *args: Any, **kwargs: Any) -> Any:
        if LANGUAGE.get() is not None:
            return func(source, *args, **kwargs)
        from stakegraph.records.naming import workspace_language

        workspace = getattr(source, "workspace", source)
        if not hasattr(workspace, "settings"):
            return func(source, *args, **kwargs)  # not a workspace: the view says so
        token = LANGUAGE.set(workspace_language(workspace))
        money_token = hold_money(workspace.settings)
        try:
            return func(source, *args, **kwargs)
        finally:
            MONEY.reset(money_token)
            LANGUAGE.reset(token)

    return wrapper  # type: ignore[return-value]


def current_language() -> str:
    """The language of this run: ``"zh"`` (the default) or ``"en"``."""
    return LANGUAGE.get() or "zh"


def percent(value: float | None, digits: int = 0) -> str:
    """A share as every view shows it: ``0.445`` → ``45%``, None → ``—``.

    The value is first cut to the four decimals the data rows keep, then rounded half
    up, so a table fed ``round(x, 4)`` and a figure fed ``x`` show the same figure
    (formatting each with ``:.0%`` rounded 0.445 half to even in one and 0.44500001 up
    in the other).

    >>> percent(0.445), percent(0.44500001), percent(0.4449), percent(None)
    ('45%', '45%', '44%', '—')
    >>> percent(0.12345, 1)
    '12.4%'
    """
    if value is None:
        return "—"
    shown = Decimal(repr(round(float(value), 4))) * 100
    return f"{shown.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)}%"


def page_language() -> str:
    """The ``lang`` of a page: the run's language, so a browser picks fonts and
    hyphenation for it (an English page marked Chinese is set in a CJK font's Latin
    letters)."""
    return "en" if current_language() == "en" else "zh-CN"


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese character or Chinese punctuation."""
    return bool(_CJK.search(text))


def english(label: str) -> str:
    """The English words of a bilingual label: ``"坚定支持者 champion"`` → ``"champion"``.

    Chinese glosses in brackets and words holding Chinese go; text without Chinese
    is returned unchanged.

    >>> english("下一步 next action"), english("no named owner (责任到人)")
    ('next action', 'no named owner')
    """
    if not has_cjk(label):
        return label
    text = _CJK_GLOSS.sub("", label)
    text = _CJK_WORD.sub("", text)
    text = re.sub(r"\(\s*\)", "", text)
    return re.sub(r"\s{2,}", " ", text).strip(" /·")


def shown_label(label: str, language: str | None = None) -> str:
    """A bilingual fixed label as the run shows it: whole in Chinese, English words in English."""
    return english(label) if (language or current_language()) == "en" else label


def word(key: str, language: str | None = None) -> str:
    """A fixed word of the tables in ``language`` (default: the run's)."""
    return WORDS[language or current_language()][key]


@cache
def _known_labels() -> dict[str, str]:
    """Every bilingual fixed label → its English words, longest first."""
    from stakegraph.records.vocabulary import VOCABULARY
    from stakegraph.views.labels import ACTING_LABEL, GAP_LABELS, PHASE_LABELS, STANCES

    found = {t.label: t.en for table in VOCABULARY.values() for t in table}
    found.update({label: english(label) for label in GAP_LABELS.values()})
    found.update({label: english(label) for label in PHASE_LABELS.values()})
    found[ACTING_LABEL] = english(ACTING_LABEL)
    found[WORDS["zh"]["named person"]] = WORDS["en"]["named person"]
    found.update({label: english(label) for label in STANCES.values()})
    for label in (
        "空缺 vacant",
        "关键 key",
        "普遍 general",
        "覆盖不足 under-covered",
        GONE_LABEL,
        PROPOSED_LABEL,
    ):
        found[label] = english(label)
    for name, number in DEFAULT_GRADES.items():
        found.setdefault(name, DEFAULT_GRADE_NAMES_EN[number])
    return dict(sorted(found.items(), key=lambda item: -len(item[0])))


def english_cell(text: str) -> str:
    """A cell's text in English: fixed labels in it become their English words.

    A whole cell that is a Chinese grade of the default scale becomes its English
    name; inside a longer text only bilingual labels are replaced, so names typed
    by the user stay as typed.
    """
    if not has_cjk(text):
        return text
    known = _known_labels()
    if text in known:
        return known[text]
    for label, en in known.items():
        if " " in label and label in text:
            text = text.replace(label, en)
    return text


def english_title(title: str) -> str:
    """A table title in English: its fixed part translated, what follows `` — `` kept."""
    head, dash, rest = title.partition(" — ")
    return english(head) + dash + rest


def shown_table(table: Any, language: str | None = None) -> Any:
    """The table as the run's language shows it (a copy; Chinese: unchanged).

    The money unit 万元 that titles and headers name becomes the run's unit.
    """
    unit = money_unit(language)[0]
    english_out = (language or current_language()) == "en"
    if not english_out and unit == "万元":
        return table

    def fixed(text: str, translate: Any) -> str:
        text = text.replace("万元", unit) if unit else text.replace(" (万元)", "")
        return translate(text) if english_out else text

    return dataclasses.replace(
        table,
        title=fixed(table.title, english_title),
        columns=[fixed(c, english) for c in table.columns],
        rows=[
            [dataclasses.replace(cell, text=fixed(cell.text, english_cell)) for cell in row]
            for row in table.rows
        ],
        note=fixed(table.note, english) if table.note else table.note,
        starts=set(table.starts),
    )


def hold_money(settings: Any) -> Any:
    """Make the workspace's ``[workspace]`` unit and currency this run's; returns the token."""
    return MONEY.set((settings.workspace.unit, settings.workspace.currency))


def money_unit(language: str | None = None) -> tuple[str, float]:
    """The unit money is shown in, and its divisor: ``[workspace]``'s or the language's.

    >>> money_unit("zh"), money_unit("en")
    (('万元', 10000.0), ('k', 1000.0))
    """
    unit, currency = MONEY.get() or (None, None)
    chosen = unit or ("万元" if (language or current_language()) == "zh" else "k")
    label = "" if chosen == "units" else chosen
    if currency:
        label = f"{currency} {label}".strip()
    return label, _DIVISORS[chosen]


def money(value: float, language: str | None = None) -> str:
    """A value in the run's money unit, without the unit (tables name it in the header).

    >>> money(1_200_000, "zh"), money(1_200_000, "en")
    ('120', '1,200')
    """
    return f"{value / money_unit(language)[1]:,.0f}"


def stage_word(code: str, language: str | None = None) -> str:
    """An opportunity stage as one word of the run's language (the code if unknown).

    >>> stage_word("pursuit", "zh"), stage_word("pursuit", "en")
    ('前期', 'pursuit')
    """
    from stakegraph.records.vocabulary import terms

    found = next((t for t in terms("Stage") if t.code == code), None)
    if found is None:
        return code
    return found.zh if (language or current_language()) == "zh" else found.en


def money_amount(value: float, language: str | None = None) -> str:
    """A value with its unit, for running text such as a heading.

    >>> money_amount(1_200_000, "zh"), money_amount(1_200_000, "en")
    ('120 万元', '1,200k')
    """
    unit, currency = MONEY.get() or (None, None)
    chosen = unit or ("万元" if (language or current_language()) == "zh" else "k")
    number = money(value, language)
    text = number if chosen == "units" else f"{number}{'' if chosen in ('k', 'M') else ' '}{chosen}"
    return f"{currency} {text}" if currency else text


__all__ = [
    "GONE_LABEL",
    "MONEY",
    "PROPOSED_LABEL",
    "WORDS",
    "ShownRow",
    "current_language",
    "english",
    "english_cell",
    "english_title",
    "has_cjk",
    "hold_money",
    "money",
    "money_amount",
    "money_unit",
    "shown",
    "shown_label",
    "shown_table",
    "speaking",
    "stage_word",
    "word",
]
