"""Every command takes ``--json``; the commands that write print what they wrote.

Each writing command prints one JSON document on stdout (paths, format, counts) and
nothing else; progress and notes stay on stderr. push and pull are covered against a
server in tests/engines/test_cli_neo4j.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import networkx as nx
import pytest

from stakegraph.cli.main import main
from stakegraph.io import load_workspace
from tests.builders import DAY, SMART_CITY, run_cli


def _document(args: list) -> dict:
    result = run_cli(args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # fails on any other text on stdout


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
        else:
            found.append((prefix + name, command))
    return found


def test_every_command_takes_json():
    missing = [
        name
        for name, command in _commands(main)
        if not any(param.name == "as_json" for param in command.params)
    ]
    assert missing == []


def test_init_json_lists_the_starter_files(tmp_path):
    dest = tmp_path / "acct"
    data = _document(["init", dest, "--json"])
    assert data["written"] == "starter" and data["directory"] == str(dest)
    assert sorted(data["files"]) == sorted(str(p) for p in dest.iterdir())
    assert (dest / "stakegraph.toml").is_file()


@pytest.mark.parametrize(
    ("name", "fmt"), [("copy", "yaml"), ("book.xlsx", "xlsx"), ("flat", "csv")]
)
def test_convert_json_names_format_counts_and_files(tmp_path, name, fmt):
    dest = tmp_path / name
    args = ["convert", SMART_CITY, dest, "--json"]
    if fmt == "csv":
        args += ["--to", "csv"]
    data = _document(args)
    assert data["format"] == fmt and data["destination"] == str(dest)
    assert data["pseudonymised"] is False
    assert data["counts"] == load_workspace(SMART_CITY).counts() == load_workspace(dest).counts()
    on_disk = [dest] if fmt == "xlsx" else list(dest.iterdir())
    assert sorted(data["files"]) == sorted(str(p) for p in on_disk)


def test_convert_json_keeps_the_key_note_on_stderr(tmp_path):
    result = run_cli(
        ["convert", SMART_CITY, tmp_path / "shared", "--pseudonymise", tmp_path / "k", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["pseudonymised"] is True
    assert "Created a new key" in result.stderr


@pytest.mark.parametrize("as_of", [None, DAY])
def test_export_graphml_json_counts_nodes_and_edges(tmp_path, as_of):
    out = tmp_path / "city.graphml"
    args = ["export", SMART_CITY, "--format", "graphml", "--out", out, "--json"]
    data = _document(args + (["--as-of", as_of] if as_of else []))
    graph = nx.read_graphml(out)
    assert data["path"] == str(out) and data["format"] == "graphml"
    assert (data["nodes"], data["edges"]) == (graph.number_of_nodes(), graph.number_of_edges())
    assert data["as_of"] == (as_of.isoformat() if as_of else None)


def test_export_popolo_json_and_import_popolo_json(tmp_path):
    out = tmp_path / "officials.json"
    exported = _document(["export", SMART_CITY, "--format", "popolo", "--out", out, "--json"])
    counts = load_workspace(SMART_CITY).counts()
    assert exported["path"] == str(out)
    assert exported["counts"] == {k: counts[k] for k in ("organisations", "posts", "persons")}

    dest = tmp_path / "imported"
    imported = _document(["import-popolo", out, dest, "--default-grade", "正处", "--json"])
    assert imported["destination"] == str(dest) and imported["format"] == "yaml"
    assert imported["counts"] == load_workspace(dest).counts()
    assert imported["counts"]["persons"] == counts["persons"]
    assert sorted(imported["files"]) == sorted(str(p) for p in dest.iterdir())
    assert isinstance(imported["notes"], list)


def test_map_json_names_the_page(tmp_path):
    out = tmp_path / "map.html"
    data = _document(["map", SMART_CITY, "--as-of", DAY, "--out", out, "--json"])
    assert data == {
        "written": "map",
        "format": "html",
        "path": str(out),
        "as_of": DAY.isoformat(),
        "opportunity": None,
        "circle": None,
    }
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_plot_json_names_the_figure(tmp_path, suffix):
    out = tmp_path / f"chain.{suffix}"
    args = ["plot", SMART_CITY, "chain", "-o", "smart-city", "--as-of", DAY, "--out", out]
    data = _document([*args, "--json"])
    assert data["kind"] == "chain" and data["format"] == suffix
    assert data["path"] == str(out) and out.stat().st_size > 0
    assert data["opportunity"] == "smart-city" and data["as_of"] == DAY.isoformat()


def test_errors_are_unchanged_with_json(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    plain = run_cli(["convert", SMART_CITY, tmp_path / "full"])
    with_json = run_cli(["convert", SMART_CITY, tmp_path / "full", "--json"])
    assert with_json.exit_code == plain.exit_code == 1
    assert with_json.output == plain.output


def test_brief_json_names_the_page(tmp_path):
    out = tmp_path / "brief.svg"
    args = ["brief", SMART_CITY, "-o", "smart-city", "--as-of", DAY, "--out", out, "--json"]
    data = _document(args)
    assert data == {
        "written": "brief",
        "format": "svg",
        "path": str(out),
        "as_of": DAY.isoformat(),
        "opportunity": "smart-city",
    }
    assert out.stat().st_size > 0


def test_cache_clear_json_says_what_it_deleted(tmp_path, monkeypatch):
    import shutil

    monkeypatch.delenv("STAKEGRAPH_NO_CACHE", raising=False)
    ws = Path(shutil.copytree(SMART_CITY, tmp_path / "ws"))
    run_cli(["check", ws])  # reading it leaves a cache
    first = _document(["cache", "clear", ws, "--json"])
    second = _document(["cache", "clear", ws, "--json"])
    assert first["cache"] == second["cache"]
    assert (first["deleted"], second["deleted"]) == (True, False)
