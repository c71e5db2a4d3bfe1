"""Both examples in both languages: no Chinese in English output, no English-only
sentence in Chinese output, outside what the workspace itself writes."""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from stakegraph.config import LANGUAGE, Settings
from stakegraph.io import load_workspace
from stakegraph.records.naming import post_label, workspace_language
from tests.builders import DAY, HARBOR_COUNTY, SMART_CITY, cli_runner

run = cli_runner(catch_exceptions=False, env={"COLUMNS": "3000"})

CJK = re.compile(r"[\u3400-\u9fff]")
#: Four or more English words in a row: a sentence, not a gloss.
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,;:/]+[A-Za-z][A-Za-z'’-]*){3,}")
#: What splits a text into the pieces a reader takes as one (cells, lines, tags).
PIECES = re.compile(r"[\n|│┃<>]")

EXAMPLES = {"smart-city": (SMART_CITY, "smart-city"), "harbor-county": (HARBOR_COUNTY, None)}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple | set):
        return [s for v in value for s in _strings(v)]
    return []


def user_strings(folder: Path) -> list[str]:
    """Every text the workspace's records hold (names, titles, notes, ids), longest first."""
    ws = load_workspace(folder)
    found = {s for record in ws.iter_records() for s in _strings(record.model_dump())}
    found |= {post_label(ws, p) for p in ws.posts}
    found.add(ws.name)
    return sorted((s for s in found if len(s) > 1), key=len, reverse=True)


def without(text: str, strings: list[str]) -> str:
    for s in strings:
        text = text.replace(s, " ")
    return text


def outputs(folder: Path, language: str, tmp: Path) -> dict[str, str]:
    """Report text, HTML and Markdown, gaps, plan and show of one example in one language."""
    opp = EXAMPLES[folder.name][1] or _first_opportunity(folder)
    day = DAY.isoformat()
    out: dict[str, str] = {}
    for name, args in {
        "report": ["report", folder, "-o", opp, "--as-of", day, "--out", tmp],
        "gaps": ["gaps", folder, "-o", opp, "--as-of", day],
        "plan": ["plan", folder, "-o", opp, "--as-of", day],
        "show": ["show", folder, "--as-of", day],
        # an owner who leaves moves every kind of what-if table: gaps open, change kind, go
        "whatif": ["whatif", folder, "-o", opp, "--as-of", day, "--owner-leaves", _busiest(folder)],
        # a chain with a role whose holder is not known yet (人选未明)
        **(
            {
                "unknown-gaps": ["gaps", folder, "-o", "gov-cloud", "--as-of", day],
                "unknown-plan": ["plan", folder, "-o", "gov-cloud", "--as-of", day],
            }
            if folder == SMART_CITY
            else {}
        ),
    }.items():
        result = run("--lang", language, *args)
        assert result.exit_code == 0, result.output
        out[name] = result.output
    page = (tmp / "report.html").read_text(encoding="utf-8")
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"data:[^\"']+", " ", page)
    out["html"] = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    out["markdown"] = (tmp / "report.md").read_text(encoding="utf-8")
    return out


def _busiest(folder: Path) -> str:
    """The owner with the most relationships: their leaving changes the most."""
    ws = load_workspace(folder)
    counts = Counter(r.owner for r in ws.relationships.values())
    return counts.most_common(1)[0][0]


def _first_opportunity(folder: Path) -> str:
    return next(iter(load_workspace(folder).opportunities))


@pytest.fixture(scope="module", params=[(ex, lang) for ex in EXAMPLES for lang in ("zh", "en")])
def rendered(request, tmp_path_factory):
    example, language = request.param
    folder = EXAMPLES[example][0]
    texts = outputs(folder, language, tmp_path_factory.mktemp(f"{example}-{language}"))
    return language, {k: without(v, user_strings(folder)) for k, v in texts.items()}


def test_no_text_in_the_other_language(rendered):
    language, texts = rendered
    wrong = []
    for kind, text in texts.items():
        for piece in PIECES.split(text):
            if language == "en" and CJK.search(piece):
                wrong.append(f"{kind}: Chinese in English output: {piece.strip()!r}")
            if language == "zh" and not CJK.search(piece) and ENGLISH_RUN.search(piece):
                wrong.append(f"{kind}: English-only text in Chinese output: {piece.strip()!r}")
    assert not wrong, "\n".join(dict.fromkeys(wrong))


def test_the_language_follows_the_names_unless_set(tmp_path):
    ws = load_workspace(HARBOR_COUNTY)
    assert workspace_language(ws) == "en"
    assert workspace_language(load_workspace(SMART_CITY)) == "zh"
    ws.settings = Settings(language="zh")
    assert workspace_language(ws) == "zh"
    token = LANGUAGE.set("en")
    try:
        assert workspace_language(ws) == "en"
    finally:
        LANGUAGE.reset(token)


def test_lang_overrides_for_one_run_only():
    day = DAY.isoformat()
    english = run("--lang", "en", "gaps", SMART_CITY, "-o", "smart-city", "--as-of", day)
    assert "decision chain" in english.output and "决策链 decision chain" not in english.output
    again = run("gaps", SMART_CITY, "-o", "smart-city", "--as-of", day)
    assert "决策链 decision chain" in again.output
    assert LANGUAGE.get() is None


def test_grades_and_money_in_english():
    settings = Settings()
    assert settings.grade_name_in(7, "zh") == "正厅"
    assert settings.grade_name_in(7, "en") == "director-general"
    custom = Settings(grades={"GS-13": 5, "主任": 6})
    assert custom.grade_name_in(5, "en") == "GS-13"
    assert custom.grade_name_in(6, "en") == "grade 6"
    out = run("--lang", "en", "show", SMART_CITY, "--as-of", DAY.isoformat()).output
    assert "万元" not in out


@pytest.mark.parametrize("example", ["smart-city", "harbor-county"])
@pytest.mark.parametrize(
    "kind", ["chain", "heatmap", "influence", "triangle", "orgchart", "formal"]
)
def test_figures_in_english_hold_no_chinese_words(example, kind):
    from matplotlib.text import Text

    from stakegraph.graph.network import build_network
    from stakegraph.views.figures.render import FIGURES

    folder, opp = EXAMPLES[example]
    ws = load_workspace(folder)
    network = build_network(ws, DAY)
    opp = opp or _first_opportunity(folder)
    token = LANGUAGE.set("en")  # the figure is drawn in English, not translated afterwards
    try:
        if kind in ("chain", "heatmap", "triangle"):
            from stakegraph.analysis.coverage import coverage
            from stakegraph.analysis.plan import engagement_plan

            cov = coverage(network, opp)
            plan = engagement_plan(network, opp, coverage_result=cov)
            ax = FIGURES[kind](network, plan if kind == "triangle" else cov)
        elif kind == "influence":
            from stakegraph.analysis.influence import influence

            ax = FIGURES[kind](network, influence(network, opp))
        elif kind == "formal":
            from stakegraph.analysis.formal_informal import formal_informal

            ax = FIGURES[kind](network, opp, formal_informal(network))
        else:
            ax = FIGURES[kind](ws, as_of=DAY)
    finally:
        LANGUAGE.reset(token)
    ax.figure.canvas.draw()  # tick labels are made at drawing
    user = user_strings(folder)
    corpus = "\n".join(user)
    wrong = [
        t.get_text()
        for t in ax.figure.findobj(Text)
        if not all(_from_user(run_, corpus) for run_ in CJK_RUN.findall(t.get_text()))
    ]
    assert not wrong


CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def _from_user(run_: str, corpus: str) -> bool:
    """Whether a run of Chinese is made of pieces of the workspace's own text.

    Figures shorten and wrap names (江川市人民政府 + 副市长 → 江川市政府副市长), so a
    run counts as user data when it splits into pieces of two or more characters
    (or a last single one) that each occur in what the workspace writes.
    """
    if not run_:
        return True
    for size in range(len(run_), 0, -1):
        piece = size >= 2 or size == len(run_)
        if piece and run_[:size] in corpus and _from_user(run_[size:], corpus):
            return True
    return False
