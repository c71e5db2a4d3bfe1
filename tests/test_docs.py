"""README stays true: every command is documented, the sample error is what check prints."""

import re
import shlex
import shutil

from stakegraph.cli.main import main
from tests.builders import EXAMPLES, ROOT, run_cli

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
    result = run_cli(["check", broken])
    assert result.exit_code == 1
    assert line in result.output.splitlines()


def _readme_commands() -> list[list[str]]:
    """Every command of the README's ``bash`` blocks, top to bottom (the Neo4j section's
    blocks are ``sh``: they need a server and are run by the engine tests)."""
    commands: list[list[str]] = []
    block = None
    for line in README.replace("\\\n", " ").splitlines():
        if line.startswith("```"):
            block = None if block is not None else line[3:]
            continue
        if block == "bash":
            words = shlex.split(line, comments=True)
            if words and words[0] in ("stakegraph", "cp"):
                commands.append(words)
    return commands


def test_every_command_in_the_readme_runs_top_to_bottom_on_a_copy(tmp_path, monkeypatch):
    # A new user follows the README line by line; the bundled examples are a copy
    # here, and must come out unchanged (only the copies the README makes are written).
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    before = {p: p.read_bytes() for p in (tmp_path / "examples").rglob("*") if p.is_file()}
    monkeypatch.chdir(tmp_path)
    commands = _readme_commands()
    assert commands[0][:2] == ["stakegraph", "check"] and len(commands) >= 40
    for command in commands:
        if command[0] == "cp":
            assert command[1:3] == ["-r", "examples/smart-city"], command
            shutil.copytree(tmp_path / command[2], tmp_path / command[3])
            continue
        result = run_cli(command[1:], catch_exceptions=False)
        assert result.exit_code == 0, f"{shlex.join(command)}:\n{result.output}"
    after = {p: p.read_bytes() for p in (tmp_path / "examples").rglob("*") if p.is_file()}
    assert after == before, "a README command wrote into the bundled examples"
    ws = (tmp_path / "my-city" / "actions.yaml").read_text(encoding="utf-8")
    assert "complaint: 2026-11-24-fin-complaint" in ws and "done: 2026-11-28" in ws


#: Commands (and the option that makes them write) whose help examples must not
#: write into the bundled examples.
_WRITERS = {
    "log": "",
    "assess": "",
    "act": "",
    "plan": "--save",
    "surveys": "--import",
    "import-popolo": "",
    "init": "",
    "convert": "",
}


def test_help_examples_never_write_into_the_bundled_examples():
    from stakegraph.cli.main import main

    for name, flag in _WRITERS.items():
        text = main.commands[name].help or ""
        lines = [
            w
            for w in (
                shlex.split(x)
                for x in text.replace("\\\n", " ").splitlines()
                if x.strip().startswith(f"stakegraph {name} ")
            )
            if w
        ]
        assert lines, f"{name} --help gives no example"
        for words in lines:
            if flag and flag not in words:
                continue
            # the workspace written is the first argument, or the second of a copy
            target = words[3] if name in ("convert", "import-popolo") else words[2]
            assert not target.startswith("examples/"), f"{name} --help writes into {target}"
