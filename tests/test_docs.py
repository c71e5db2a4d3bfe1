"""README stays true: every command is documented, the sample error is what check prints."""

import re
import shlex
import shutil

from click.testing import CliRunner

from stakegraph.cli.main import main
from tests.builders import EXAMPLES, ROOT

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


def test_the_workflow_in_the_readme_runs_as_written(tmp_path, monkeypatch):
    # every command of "Keeping the map alive", in order, on the copy it tells users to make
    start = README.index("## Keeping the map alive")
    block = README[README.index("```bash\n", start) + 8 : README.index("```\n", start + 40)]
    lines = block.replace("\\\n", " ").splitlines()
    assert lines[0].startswith("cp -r examples/smart-city my-city")
    shutil.copytree(EXAMPLES / "smart-city", tmp_path / "my-city")
    (tmp_path / "examples").symlink_to(EXAMPLES)
    monkeypatch.chdir(tmp_path)
    commands = [shlex.split(line, comments=True) for line in lines[1:]]
    commands = [c for c in commands if c]
    assert len(commands) >= 15 and all(c[0] == "stakegraph" for c in commands)
    for command in commands:
        result = CliRunner().invoke(main, command[1:], catch_exceptions=False)
        assert result.exit_code == 0, f"{' '.join(command)}:\n{result.output}"
    ws = (tmp_path / "my-city" / "actions.yaml").read_text(encoding="utf-8")
    assert "complaint: 2026-11-24-fin-complaint" in ws and "done: 2026-11-28" in ws
