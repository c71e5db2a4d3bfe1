"""Run the notebooks of ``notebooks/`` and save them with their outputs.

The outputs are committed so the notebooks read well on a code host; they must be
the same from one run to the next and tell nothing of the machine, so a run keeps
no timings, joins the pieces of one cell's printed text, resets the kernel's version
details and fails on a cell that prints an absolute path or a memory address
(:func:`volatile`).

Usage::

    python tools/notebooks.py [NAME ...]    # default: every notebook

``03-neo4j`` needs a server: ``NEO4J_URI``, ``NEO4J_USER`` and ``NEO4J_PASSWORD``
(``python tools/neo4j/neo4j.py start`` prints them). tests/test_notebooks.py runs
the notebooks with :func:`execute` too.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
#: Seconds any one cell may take.
CELL_TIMEOUT = 300

#: An absolute path of a machine (POSIX home, temporary or work folders; a drive).
MACHINE_PATH = re.compile(r"(/(home|Users|root|work|tmp)/|[A-Za-z]:\\\\)")
#: A memory address in a repr (``<object at 0x7f…>``), different at every run.
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")


def write_kernelspec(folder: Path, name: str = "python3") -> Path:
    """A kernelspec ``name`` that runs this interpreter, under ``folder/kernels``.

    Put ``folder`` first on ``JUPYTER_PATH`` so a kernel of the same name installed
    elsewhere on the machine cannot take its place.
    """
    spec = folder / "kernels" / name
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (stakegraph)",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    return folder


def execute(path: Path, kernel_name: str = "python3") -> nbformat.NotebookNode:
    """Run the notebook at ``path`` top to bottom in ``notebooks/``; any error raises."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name=kernel_name,
        allow_errors=False,
        record_timing=False,
        coalesce_streams=True,  # one output per run of prints, however they were flushed
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    return notebook


def _texts(output: nbformat.NotebookNode) -> list[str]:
    if output.get("output_type") == "stream":
        return [output.get("text", "")]
    data = output.get("data", {})
    return [value for mime, value in data.items() if mime.startswith("text/")]


def volatile(notebook: nbformat.NotebookNode) -> list[str]:
    """What in the outputs would change from run to run or name the machine."""
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        if "execution" in cell.get("metadata", {}):
            found.append(f"cell {index}: timings in its metadata")
        streams = [
            o.get("name") if o.get("output_type") == "stream" else None for o in cell.outputs
        ]
        if any(a is not None and a == b for a, b in zip(streams, streams[1:], strict=False)):
            found.append(f"cell {index}: a print split where the stream happened to flush")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"cell {index}: an error")
            for text in _texts(output):
                for pattern in (MACHINE_PATH, ADDRESS):
                    match = pattern.search(text)
                    if match:
                        found.append(f"cell {index}: {match.group()!r} in its output")
    return found


def tidy(notebook: nbformat.NotebookNode) -> None:
    """Keep only the metadata that is the same on every machine."""
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    for cell in notebook.cells:
        cell.get("metadata", {}).pop("execution", None)


def render(path: Path, kernel_name: str = "python3") -> None:
    """Run one notebook and write it back with its outputs, or raise on volatile ones."""
    notebook = execute(path, kernel_name)
    tidy(notebook)
    problems = volatile(notebook)
    if problems:
        raise SystemExit(f"{path.name}: " + "; ".join(problems))
    nbformat.write(notebook, path)


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    with tempfile.TemporaryDirectory() as folder:
        os.environ["JUPYTER_PATH"] = str(write_kernelspec(Path(folder)))
        for name in names:
            path = NOTEBOOKS / (name if name.endswith(".ipynb") else f"{name}.ipynb")
            print(f"running {path.name}", flush=True)
            render(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
