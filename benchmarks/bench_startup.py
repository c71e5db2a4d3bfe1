"""Start-up time of the command line: ``stakegraph --help`` and ``report`` on the example.

Each command runs as a whole new process, as a user types it, alternating with the
baseline ``python -c pass`` (the interpreter alone) so that both see the same
machine load; the figures are the medians of ``--runs`` rounds and their ratio to
the baseline. Nothing is kept warm between runs except the operating system's file
cache and the example's cache of validated records (``.stakegraph-cache/``, written
by the first round, which is a warm-up and is not counted), as for a user's second
command.

``stakegraph --help`` lists every command, so it imports every command module: it
stays fast only while the heavy libraries (pydantic, numpy, openpyxl, matplotlib)
are imported inside the commands that need them. The target is under 0.3 s wall.

Usage::

    python -m benchmarks.bench_startup [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results" / "startup.json"
EXAMPLE = ROOT / "examples" / "smart-city"

COMMANDS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "stakegraph --help": [sys.executable, "-m", "stakegraph.cli.main", "--help"],
    "stakegraph report (smart-city)": [
        sys.executable,
        "-m",
        "stakegraph.cli.main",
        "report",
        str(EXAMPLE),
        "--as-of",
        "2026-11-28",
    ],
}


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(runs: int) -> dict[str, dict[str, float]]:
    """Median wall seconds of each command over ``runs`` alternating rounds."""
    for command in COMMANDS.values():  # warm-up: file cache, compiled bytecode
        _wall(command)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, command in COMMANDS.items():
            times[name].append(_wall(command))
    baseline = statistics.median(times["python -c pass"])
    return {
        name: {
            "median_s": round(statistics.median(values), 4),
            "min_s": round(min(values), 4),
            "max_s": round(max(values), 4),
            "ratio_to_python": round(statistics.median(values) / baseline, 2),
        }
        for name, values in times.items()
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    figures = measure(args.runs)
    for name, f in figures.items():
        print(f"{name:34} {f['median_s']:7.3f} s  (× {f['ratio_to_python']:.1f} python)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {"python": platform.python_version(), "platform": platform.platform()},
                "runs": args.runs,
                "figures": figures,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
