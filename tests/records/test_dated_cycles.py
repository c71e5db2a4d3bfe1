"""Dated reporting cycles: searched from the days lines start, against every day in turn."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from stakegraph.records.model import Post
from stakegraph.records.periods import change_days
from stakegraph.records.validate import _check_cycles
from stakegraph.records.workspace import Workspace

DAYS = [dt.date(2026, 1, 1) + dt.timedelta(days=30 * n) for n in range(6)]


def _random_posts(rng: random.Random, n: int) -> Workspace:
    ws = Workspace(name="cycles")
    ids = [f"p{i}" for i in range(n)]
    for pid in ids:
        lines = []
        cuts = sorted(rng.sample(DAYS, rng.randint(0, 3)))
        bounds = [None, *cuts, None]
        for start, end in zip(bounds, bounds[1:], strict=False):
            if rng.random() < 0.8:
                entry = {"post": rng.choice(ids), "start": start, "end": end}
                lines.append({k: v for k, v in entry.items() if v is not None})
        reports_to = lines or None
        ws.add(Post(id=pid, org="o", title=pid, grade=1, reports_to=reports_to))
    return ws


def _every_day(ws: Workspace) -> dict[frozenset[str], dt.date | None]:
    """Independently: follow each post's one superior on every day a line changes."""
    days: set[dt.date] = set()
    for post in ws.posts.values():
        days |= change_days(post.reports_to)
    found: dict[frozenset[str], dt.date | None] = {}
    for day in [dt.date.min, *sorted(days)]:
        for start in ws.posts:
            path, node = [], start
            while node is not None and node not in path:
                path.append(node)
                post = ws.posts.get(node)
                node = post.reports_to_on(day) if post else None
            if node is not None:
                cycle = frozenset(path[path.index(node) :])
                found.setdefault(cycle, None if day == dt.date.min else day)
    return found


@pytest.mark.parametrize("seed", range(40))
def test_each_cycle_is_found_on_the_first_day_it_holds(seed: int) -> None:
    ws = _random_posts(random.Random(seed), 6)
    expected = _every_day(ws)
    found = {}
    for problem in _check_cycles(ws, "posts", "reports_to", "reports-to"):
        match = re.match(r"reports-to cycle(?: from (\S+))?: (.*)\.$", problem.message)
        assert match, problem.message
        day = dt.date.fromisoformat(match[1]) if match[1] else None
        found[frozenset(match[2].split(" → "))] = day
    assert found == expected
