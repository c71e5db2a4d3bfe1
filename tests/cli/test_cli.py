"""The command line: every command runs, explains itself, and fails cleanly."""

import json

import pytest

from stakegraph.cli.main import main
from tests.builders import cli_runner


@pytest.fixture
def run():
    return cli_runner(catch_exceptions=False)


def test_every_command_has_help_with_an_example(run):
    for name, command in main.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert command.help and "stakegraph " in command.help, f"{name} help lacks an example"


def test_check_clean_workspace(run, mini_path):
    result = run("check", mini_path)
    assert result.exit_code == 0
    assert "is valid" in result.output


def test_check_json(run, mini_path):
    result = run("check", mini_path, "--json")
    data = json.loads(result.output)
    assert data["ok"] is True and data["counts"]["persons"] == 4


def test_show_resolves_holders_as_of(run, mini_path):
    result = run("show", mini_path, "--as-of", "2026-11-28")
    assert result.exit_code == 0
    assert "钱伟" in result.output and "赵强" not in result.output
    assert "空缺" in result.output
    earlier = run("show", mini_path, "--as-of", "2026-08-01")
    assert "赵强" in earlier.output


def test_show_json_is_stable(run, mini_path):
    one = run("show", mini_path, "--as-of", "2026-11-28", "--json").output
    two = run("show", mini_path, "--as-of", "2026-11-28", "--json").output
    assert one == two
    data = json.loads(one)
    step = data["opportunities"][0]["steps"][0]
    assert step["roles"][1]["vacant"] is True
    assert data["organisations"][0]["children"][0]["guided_by"] == ["prov-dsj"]


def test_bad_date_is_a_usage_error(run, mini_path):
    result = run("show", mini_path, "--as-of", "28/11/2026")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_unknown_opportunity_is_one_clear_line(run, mini_path):
    result = run("show", mini_path, "--opportunity", "nope")
    assert result.exit_code == 1
    assert 'no 商机 opportunity "nope"' in result.output
    assert "Traceback" not in result.output


def test_missing_workspace(run, tmp_path):
    result = run("check", tmp_path)
    assert result.exit_code == 1
    assert "no workspace files here" in result.output


def test_convert_yaml_to_yaml_round_trips(run, mini_path, mini, tmp_path):
    from stakegraph.io import load_workspace

    out = tmp_path / "copy"
    result = run("convert", mini_path, out)
    assert result.exit_code == 0, result.output
    assert load_workspace(out) == mini
    text = (out / "persons.yaml").read_text(encoding="utf-8")
    assert "王芳" in text and "\\u" not in text


def test_convert_refuses_to_overwrite(run, mini_path, tmp_path):
    out = tmp_path / "full"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = run("convert", mini_path, out)
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
