"""The count of pinned hostile cases the README states is computed, not typed."""

from __future__ import annotations

import re

from tests.builders import ROOT
from tests.hostile_cases import duplicates, hostile_case_count, hostile_case_groups


def test_the_suite_pins_at_least_a_hundred_distinct_hostile_cases() -> None:
    groups = hostile_case_groups()
    assert all(groups.values()), [g for g, keys in groups.items() if not keys]
    assert duplicates(groups) == {}
    count = hostile_case_count()
    assert count >= 100


def test_a_count_stated_in_the_readme_is_the_computed_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = [int(n) for n in re.findall(r"(\d+) (?:distinct )?hostile cases", readme)]
    assert all(n == hostile_case_count() for n in stated), (stated, hostile_case_count())
