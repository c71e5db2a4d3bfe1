"""README stays true: every command is documented, the sample error is what check prints."""

import re
import shutil

from click.testing import CliRunner

from stakegraph.cli import main

from .conftest import EXAMPLES, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_appears_in_the_readme():
    for name in main.commands:
        assert f"stakegraph {name}" in README, f"README does not show 'stakegraph {name}'"


def test_readme_gives_the_two_setup_commands_and_ci_calls_the_test_one():
    assert "make demo" in README and "make test" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)


def test_sample_validation_message_is_what_check_prints(tmp_path):
    line = next(x for x in README.splitlines() if x.startswith("persons.yaml:119:"))
    broken = tmp_path / "ws"
    shutil.copytree(EXAMPLES / "smart-city", broken)
    persons = broken / "persons.yaml"
    lines = persons.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[118].strip() == "- post: jc-bdb-deputy-build"
    lines[118] = lines[118].replace("jc-bdb-deputy-build", "jc-bdb-deputy-bulid")
    persons.write_text("".join(lines), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(broken)])
    assert result.exit_code == 1
    assert line in result.output.splitlines()
