"""Every word the tool prints for an enumeration reads back as the same value.

The tables of stakegraph.records.vocabulary are the one source of the labels views
print and of the words the parser takes; a stance written 支持者 (the word that
meant champion before 0.2) is pointed out by ``check``, never silently reinterpreted.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

import stakegraph.records.model as model
from stakegraph.io import load_workspace, save_workspace
from stakegraph.records.vocabulary import VOCABULARY, Term, _index, parse_term
from stakegraph.views import labels as view_labels
from stakegraph.views.figures import common as figure_labels
from tests.builders import HARBOR_COUNTY, ROOT, SMART_CITY, run_cli

STAKEGRAPH = Path(sys.executable).with_name("stakegraph")

#: Every enumeration users type: the enum classes of the model that accept words.
ENUMS = {
    name: cls
    for name, cls in vars(model).items()
    if isinstance(cls, type)
    and issubclass(cls, model._ChineseAliases)
    and cls is not model._ChineseAliases
}

#: Every table of labels a view prints, with the enumeration it labels.
PRINTED = [
    ("Stance", view_labels.STANCE_LABELS),
    ("RoleKind", view_labels.ROLE_LABELS),
    ("Stance", figure_labels.STANCE_LABELS),
    ("RoleKind", figure_labels.ROLE_LABELS),
    ("Background", figure_labels.BACKGROUND_LABELS),
    ("TieKind", view_labels.TIE_KIND_LABELS),
    ("Stage", view_labels.STAGE_LABELS),
    ("RelationshipLevel", view_labels.LEVEL_LABELS),
    ("ActionStatus", view_labels.STATUS_LABELS),
]


def test_every_enumeration_of_the_model_has_one_table_with_its_values_in_order():
    assert set(ENUMS) == set(VOCABULARY)
    for name, cls in ENUMS.items():
        assert [t.code for t in VOCABULARY[name]] == [m.value for m in cls], name


@pytest.mark.parametrize("name", sorted(VOCABULARY))
def test_every_label_and_synonym_parses_back_to_its_own_value(name: str):
    cls = ENUMS[name]
    for term in VOCABULARY[name]:
        member = cls(term.code)
        for spelling in term.spellings():
            assert cls(spelling) is member, (name, spelling)
            # as people type them: other case, padding, '-' or '_' for spaces
            assert cls(f"  {spelling.upper()} ") is member, (name, spelling)
            assert cls(spelling.replace(" ", "-")) is member, (name, spelling)
        assert cls(term.zh) is member and cls(term.label) is member and cls(term.en) is member


@pytest.mark.parametrize(
    ("name", "table"), PRINTED, ids=[f"{n}-{i}" for i, (n, _) in enumerate(PRINTED)]
)
def test_every_printed_label_of_every_view_parses_back_to_itself(name: str, table: dict):
    cls = ENUMS[name]
    assert {str(code) for code in table} == {m.value for m in cls}
    for code, label in table.items():
        assert cls(label) is cls(code), (name, label)


def test_the_stance_words_mean_what_the_report_prints():
    assert model.Stance("支持者") is model.Stance.SUPPORTER
    assert model.Stance("坚定支持者") is model.Stance.CHAMPION
    assert model.Stance("坚定支持者 champion") is model.Stance.CHAMPION
    assert model.Stance("支持者 supporter") is model.Stance.SUPPORTER
    assert model.Stance("倾向支持") is model.Stance.SUPPORTER
    assert model.Stance("坚定支持") is model.Stance.CHAMPION
    assert view_labels.STANCE_LABELS["supporter"].split()[0] == "支持者"
    with pytest.raises(ValueError):
        model.Stance("支持者 champion")


def test_a_word_with_two_meanings_in_one_table_is_refused():
    with pytest.raises(ValueError, match="both"):
        _index((Term("a", "甲", ("同",)), Term("b", "乙", ("同",))), "Clash")
    assert parse_term("Stance", "no such word") is None


def test_the_starter_names_each_value_in_words_that_parse_to_it():
    """'champion 坚定支持者 | supporter 支持者/倾向支持' in the starter's comments."""
    codes = {t.code: name for name, terms in VOCABULARY.items() for t in terms}
    found = 0
    for path in (ROOT / "stakegraph" / "starter").glob("*.yaml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.lstrip().startswith("#") or "|" not in line:
                continue  # the lists of values: "code 词 | code 词"
            for code, words in re.findall(r"\b([a-z_]+) ([\u4e00-\u9fff][\u4e00-\u9fff/]*)", line):
                names = [n for n, terms in VOCABULARY.items() if code in {t.code for t in terms}]
                if code not in codes or not names:
                    continue
                for word in words.split("/"):
                    assert any(parse_term(n, word) == code for n in names), (path.name, line)
                    found += 1
    assert found > 20


def test_help_lists_the_words_of_the_table():
    done = run_cli(["log", "--help"])
    assert "visit 拜访" in done.output and "agreement 签约" in done.output


# --- the old meaning of 支持者 ----------------------------------------------------------


def _old(tmp_path: Path) -> Path:
    """The example as a workspace of before 0.2 would have it: 支持者 for its champion."""
    ws = Path(shutil.copytree(SMART_CITY, tmp_path / "old"))
    path = ws / "opportunities.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("stance: champion") == 2
    path.write_text(text.replace("stance: champion", "stance: 支持者", 1), encoding="utf-8")
    return ws


def test_check_warns_once_about_a_stance_written_in_the_old_word(tmp_path: Path):
    ws = _old(tmp_path)
    loaded = load_workspace(ws)
    assert len(loaded.warnings) == 1
    warning = loaded.warnings[0]
    assert (warning.location.file, warning.location.line) == ("opportunities.yaml", 45)
    assert warning.field == "chain[0].roles[0].stance"
    assert "champion" in warning.message and "supporter" in warning.message
    assert "vocabulary = 2" in warning.hint
    # the value is the new meaning: never silently the old one
    role = loaded.opportunities["smart-city"].chain[0].roles[0]
    assert role.stance is model.Stance.SUPPORTER

    done = subprocess.run([str(STAKEGRAPH), "check", str(ws)], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stderr.count("warning:") == 1
    assert "opportunities.yaml:45" in done.stderr and "坚定支持者" in done.stderr
    as_json = json.loads(
        subprocess.run(
            [str(STAKEGRAPH), "check", str(ws), "--json"], capture_output=True, text=True
        ).stdout
    )
    assert as_json["ok"] is True
    assert [w["line"] for w in as_json["warnings"]] == [45]
    # other commands that read it say so in one line and point at check
    done = subprocess.run(
        [str(STAKEGRAPH), "gaps", str(ws), "-o", "smart-city", "--as-of", "2026-11-28", "--json"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and json.loads(done.stdout)
    assert done.stderr.count("warning:") == 1 and "stakegraph check" in done.stderr


@pytest.mark.parametrize("fix", ["champion", "坚定支持者", "supporter", "倾向支持", "settings"])
def test_the_warning_stops_once_the_meaning_is_confirmed(tmp_path: Path, fix: str):
    ws = _old(tmp_path)
    if fix == "settings":
        (ws / "stakegraph.toml").write_text("vocabulary = 2\n", encoding="utf-8")
    else:
        path = ws / "opportunities.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("stance: 支持者", f"stance: {fix}"), encoding="utf-8")
    assert load_workspace(ws).warnings == []
    done = subprocess.run([str(STAKEGRAPH), "check", str(ws)], capture_output=True, text=True)
    assert done.returncode == 0 and "warning" not in done.stderr


def test_csv_and_xlsx_workspaces_get_the_warning_at_their_row(tmp_path: Path):
    source = load_workspace(SMART_CITY)
    folder = tmp_path / "csv"
    save_workspace(source, folder, "csv")
    roles = folder / "roles.csv"
    lines = roles.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if ",champion," in line)
    lines[number] = lines[number].replace(",champion,", ",支持者,")
    roles.write_text("".join(lines), encoding="utf-8-sig")
    (warning,) = load_workspace(folder).warnings
    assert (warning.location.file, warning.location.row) == ("roles.csv", number + 1)

    book = tmp_path / "book.xlsx"
    save_workspace(source, book)
    workbook = load_workbook(book)
    sheet = workbook["决策角色"]
    header = [str(c.value).split("\n")[-1] for c in sheet[1]]
    cell = next(
        row[header.index("stance")]
        for row in sheet.iter_rows(min_row=2)
        if row[header.index("stance")].value == "坚定支持者 champion"
    )
    cell.value = "支持者"
    workbook.save(book)
    (warning,) = load_workspace(book).warnings
    assert (warning.location.sheet, warning.location.row) == ("决策角色", cell.row)


def test_a_new_workspace_declares_the_words_and_the_examples_need_no_warning(tmp_path: Path):
    done = run_cli(["init", tmp_path / "mine"])
    assert done.exit_code == 0, done.output
    settings = load_workspace(tmp_path / "mine").settings
    assert settings.vocabulary == 2
    for example in (SMART_CITY, HARBOR_COUNTY):
        out = subprocess.run(
            [str(STAKEGRAPH), "check", str(example), "--json"], capture_output=True, text=True
        )
        assert json.loads(out.stdout)["warnings"] == []
        assert out.stderr == ""
