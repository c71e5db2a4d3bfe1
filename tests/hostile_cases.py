"""How many distinct hostile cases the suite pins, for the README's reliability section.

A case is one input the suite always tries, whatever Hypothesis draws besides: a
folder of the broken-workspace corpus, a hostile value of the fuzz strategies, a
damaged import file, a pinned command line, a value that must survive every format.
The same value used by several tests counts once.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

BROKEN = Path(__file__).resolve().parent / "broken"


def hostile_case_groups() -> dict[str, list[str]]:
    """The pinned cases by group, each as a short text key (duplicates kept, to be found)."""
    from tests.fuzz import (
        strategies,
        test_fuzz_arguments,
        test_fuzz_check,
        test_fuzz_imports,
        test_fuzz_round_trip,
    )

    lines = [*test_fuzz_arguments.REFUSED]
    return {
        "broken workspaces": sorted(
            p.name for p in BROKEN.iterdir() if (p / "expected.txt").is_file()
        ),
        "hostile strings": [repr(v) for v in strategies.HOSTILE_STRINGS],
        "hostile numbers": [repr(v) for v in strategies.HOSTILE_NUMBERS],
        "hostile dates": [repr(v) for v in strategies.HOSTILE_DATES],
        "damaged import files": list(test_fuzz_imports.DAMAGED_FILES),
        "hostile YAML files": list(test_fuzz_check.YAML_FILES),
        "command lines": [" ".join(map(repr, args)) for args in lines],
        "round-trip values": [
            f"{p.values[0]}={p.values[1]!r}" for p in test_fuzz_round_trip.ROUND_TRIP_CASES
        ],
    }


def duplicates(groups: dict[str, list[str]]) -> dict[str, list[str]]:
    """Keys pinned twice within one group (a copy-paste slip, not a second case)."""
    found = {g: [k for k, n in Counter(keys).items() if n > 1] for g, keys in groups.items()}
    return {g: keys for g, keys in found.items() if keys}


def hostile_case_count() -> int:
    """Distinct pinned hostile cases; a value in several value groups counts once."""
    groups = hostile_case_groups()
    values = {"hostile strings", "hostile numbers", "hostile dates"}
    distinct = {("value", k) for g in values for k in groups[g]}
    distinct |= {(g, k) for g, keys in groups.items() if g not in values for k in keys}
    return len(distinct)


if __name__ == "__main__":  # python -m tests.hostile_cases
    for group, keys in hostile_case_groups().items():
        print(f"{len(keys):4d}  {group}")
    print(f"{hostile_case_count():4d}  distinct hostile cases")
