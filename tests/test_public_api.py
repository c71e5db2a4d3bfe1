"""The public API: one import gives the README's notebook everything it needs."""

from __future__ import annotations

import subprocess
import sys

import stakegraph
from tests.builders import DAY, SMART_CITY


def test_every_public_name_resolves_to_its_definition():
    assert sorted(stakegraph.__all__) == sorted([*stakegraph._PUBLIC, "__version__"])
    for name, module in stakegraph._PUBLIC.items():
        value = getattr(stakegraph, name)
        assert getattr(value, "__module__", module).startswith(module), name


def test_an_unknown_name_is_an_attribute_error():
    try:
        stakegraph.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_importing_the_package_loads_no_layer():
    code = "import sys, stakegraph; print(sorted(m for m in sys.modules if m.startswith('stakegraph.')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_readme_example_needs_one_import():
    sg = stakegraph
    ws = sg.load_workspace(SMART_CITY)
    net = sg.build_network(ws, DAY)
    top = sg.influence(net, "smart-city").top(5)
    assert len(top) == 5
    assert 0 < sg.coverage(net, "smart-city").overall <= 1


def test_the_readme_python_block_runs_as_written(monkeypatch, capsys):
    from tests.builders import ROOT

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Python API") :]
    block = section[section.index("```python\n") + len("```python\n") : section.index("```\n", 10)]
    assert block.count("import stakegraph") == 1 and "from stakegraph" not in block
    monkeypatch.chdir(ROOT)
    exec(compile(block, "README.md", "exec"), {})
    assert "0." in capsys.readouterr().out
