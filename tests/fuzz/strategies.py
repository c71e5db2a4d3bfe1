"""What the fuzz tests generate, the hostile values they always try, and what they assert.

Profiles
--------
``fuzz`` (the default) and ``fuzz-ci`` (when ``CI`` is set: derandomised, so a run
is repeatable) keep the whole suite within about two minutes on two cores;
``fuzz-deep`` (``STAKEGRAPH_FUZZ=deep``) runs twenty times the examples for a
search before a release. Pick one with ``STAKEGRAPH_FUZZ=default|ci|deep``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from click.testing import Result
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.builders import run_cli

# --- profiles ---------------------------------------------------------------------------

_COMMON = {
    "deadline": dt.timedelta(seconds=20),  # a shared two-core machine is slow at times
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    "print_blob": True,
}
settings.register_profile("fuzz", max_examples=20, **_COMMON)
settings.register_profile("fuzz-ci", max_examples=20, derandomize=True, **_COMMON)
settings.register_profile("fuzz-deep", max_examples=400, **_COMMON)


def fuzz_settings(scale: float = 1.0) -> settings:
    """The chosen profile, with ``scale`` times its examples (slow tests take fewer)."""
    choice = os.environ.get("STAKEGRAPH_FUZZ") or ("ci" if os.environ.get("CI") else "default")
    name = {"default": "fuzz", "ci": "fuzz-ci", "deep": "fuzz-deep"}.get(choice, "fuzz")
    profile = settings.get_profile(name)
    return settings(profile, max_examples=max(1, int(profile.max_examples * scale)))


# --- the hostile values always tried ----------------------------------------------------

#: Text a careless or hostile user may type into any field or option.
HOSTILE_STRINGS: tuple[str, ...] = (
    "",
    " ",
    "\t",
    "a b",
    "a/b",
    "a:b",
    "../../etc/passwd",
    "/dev/null",
    "C:\\Windows\\system32",
    "~/.ssh/id_rsa",
    "file:///etc/hosts",
    "\x00",
    "a\x00b",
    "\x07\x08\x0b\x0c",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\x1b[2J\x1b[H",
    "\r\n",
    "line\rreturn",
    "\u202eevil\u202c",
    "\u200f\u05e9\u05dc\u05d5\u05dd",
    "\u200b",
    "\ufeffbom",
    "\ufffd",
    "\U0001f600",
    "e\u0301",
    "Ｆｕｌｌ",
    "许志恒",
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-1-1",
    "@SUM(A1)",
    "'quoted",
    '"double"',
    "a,b",
    "a;b",
    "a\nb",
    "{a: b}",
    "[1, 2]",
    "*alias",
    "&anchor x",
    "!!python/object:os.system",
    "- item",
    "key: value",
    "# comment",
    "null",
    "~",
    "yes",
    "NaN",
    "0571",
    "1-2",
    "1e3",
    "True",
    "%s%n%x",
    "{0}",
    "$(id)",
    "`id`",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "MATCH (n) DETACH DELETE n",
    "x" * 300,
    "长" * 2000,
    "a" * 40_000,
)

#: Numbers at and past every limit, as a user would type them.
HOSTILE_NUMBERS: tuple[str, ...] = (
    "0",
    "-0",
    "-1",
    "-5",
    "1",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "99999999999999999999",
    "-99999999999999999999",
    "1e308",
    "1e999",
    "-1e999",
    "nan",
    "inf",
    "-inf",
    "0x10",
    "1_000",
    "３",
    "1.5",
    "",
)

#: Dates at the limits of what a date can be, and near-dates.
HOSTILE_DATES: tuple[str, ...] = (
    "0001-01-01",
    "9999-12-31",
    "1900-01-01",
    "1970-01-01",
    "2100-12-31",
    "2024-02-29",
    "2026-02-29",
    "2024-02-30",
    "2026-13-01",
    "2026-00-10",
    "2026-11-31",
    "10000-01-01",
    "-2026-01-01",
    "20261128",
    "2026/11/28",
    "28.11.2026",
    "2026-11-28T25:00",
    "1700000000",
    "today",
)

HOSTILE = HOSTILE_STRINGS + HOSTILE_NUMBERS + HOSTILE_DATES

# --- strategies -------------------------------------------------------------------------

#: Characters a spreadsheet or YAML file can hold as they are (no control characters,
#: no surrogates, no line or paragraph separators).
_PRINTABLE = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
    blacklist_characters="\x85\ufeff",
)


#: Where str.splitlines breaks a line. A value holding one splits the message that
#: quotes it over two lines, the second naming no file: pinned as expected failures
#: (BREAKS_A_MESSAGE_LINE) until messages escape control characters, and left out of
#: the generated text so the properties stay about everything else.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def one_line(text: str) -> bool:
    return not any(ch in LINE_BREAKS for ch in text)


def hostile_text() -> st.SearchStrategy[str]:
    """Any one-line text: the pinned hostile values, arbitrary Unicode, control characters."""
    controls = st.text(st.sampled_from("\x00\x07\x08\x1b\t\u202e\u200f[];:/\\"), max_size=12)
    return st.one_of(
        st.sampled_from([h for h in HOSTILE if one_line(h)]),
        st.text(max_size=60).filter(one_line),
        controls,
        st.integers().map(str),
    )


def valid_text(max_size: int = 24) -> st.SearchStrategy[str]:
    """Text that every format must carry unchanged: printable, trimmed, never empty.

    Carriage returns are left out: CR LF comes back as LF from a workbook, pinned as an
    expected failure in test_fuzz_round_trip.py.
    """
    return st.text(_PRINTABLE, min_size=1, max_size=max_size).map(str.strip).filter(bool)


IDS = st.one_of(
    st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,3})?", fullmatch=True),
    st.from_regex(r"[0-9][0-9-]{0,5}|[一-龥]{1,4}", fullmatch=True),
)
DATES = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
SCORES = st.one_of(st.integers(0, 5), st.sampled_from([0.5, 1.5, 2.5, 3.5, 4.5]))


@st.composite
def _maybe_dated(draw: st.DrawFn, earlier: list[str], key: str) -> Any:
    """An id from ``earlier``, or two of them one after the other around a drawn day."""
    first = draw(st.sampled_from(earlier))
    if draw(st.booleans()):
        return first
    day = draw(DATES)
    return [{key: first, "end": day}, {key: draw(st.sampled_from(earlier)), "start": day}]


@st.composite
def workspace_data(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """A valid workspace as the data of its YAML files: every reference resolves,
    no post has more holders than seats, no cycle, no self-tie."""
    text = valid_text()
    org_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    orgs = []
    for i, oid in enumerate(org_ids):
        org: dict[str, Any] = {"id": oid, "name": draw(text)}
        if i:
            # parents, guides and superiors come earlier in file order: no cycle on any day
            org["parent"] = draw(_maybe_dated(org_ids[:i], "org"))
            if draw(st.booleans()):
                org["guided_by"] = [
                    {"org": draw(st.sampled_from(org_ids[:i])), "start": draw(DATES)}
                ]
        if draw(st.booleans()):
            org["aliases"] = draw(st.lists(text, max_size=2))
            org["notes"] = draw(valid_text(80))
        orgs.append(org)
    post_ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    posts = []
    for i, pid in enumerate(post_ids):
        post: dict[str, Any] = {
            "id": pid,
            "org": draw(st.sampled_from(org_ids)),
            "title": draw(text),
            "grade": draw(st.integers(1, 10)),
            "leadership": draw(st.booleans()),
        }
        if i and draw(st.booleans()):
            post["reports_to"] = draw(_maybe_dated(post_ids[:i], "post"))
        below = org_ids[org_ids.index(post["org"]) + 1 :]  # never an ancestor of its own org
        if below and draw(st.booleans()):
            overseen = draw(st.lists(st.sampled_from(below), unique=True, min_size=1, max_size=2))
            post["oversees"] = [
                o if draw(st.booleans()) else {"org": o, "end": draw(DATES)} for o in overseen
            ]
        posts.append(post)
    person_ids = draw(st.lists(IDS, max_size=4, unique=True))
    held = draw(st.permutations(post_ids))
    persons = []
    for i, pid in enumerate(person_ids):
        person: dict[str, Any] = {
            "id": pid,
            "name": draw(text),
            "tags": draw(st.lists(text, max_size=2)),
        }
        if i < len(held):
            start = draw(DATES)
            person["tenures"] = [{"post": held[i], "start": start}]
        if draw(st.booleans()):
            person["names"] = [{"name": draw(text), "end": draw(DATES)}]
        persons.append(person)
    owner_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    owners = []
    for i, oid in enumerate(owner_ids):
        owner: dict[str, Any] = {"id": oid, "name": draw(text), "tier": draw(st.integers(1, 5))}
        if i:
            owner["manager"] = owner_ids[draw(st.integers(0, i - 1))]
        owners.append(owner)
    pairs = [(o, p) for o in owner_ids for p in person_ids]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=4)) if pairs else []
    relationships = [
        {
            "owner": o,
            "person": p,
            "acceptance": draw(SCORES),
            "support": draw(SCORES),
            "responsible": draw(st.booleans()),
            "last_contact": draw(DATES),
            "source": draw(text),
        }
        for o, p in chosen
    ]
    ties = []
    if len(person_ids) >= 2:
        a, b = draw(st.permutations(person_ids))[:2]
        ties.append(
            {"a": a, "b": b, "kind": "classmate", "strength": draw(st.sampled_from([0.1, 0.5, 1]))}
        )
    opportunities = []
    if draw(st.booleans()):
        roles = [{"post": draw(st.sampled_from(post_ids)), "role": "decision_maker"}]
        if person_ids:
            roles.append({"person": draw(st.sampled_from(person_ids)), "role": "influencer"})
        opportunities.append(
            {
                "id": draw(IDS),
                "name": draw(text),
                "client": draw(st.sampled_from(org_ids)),
                "chain": [{"name": draw(text), "roles": roles}],
            }
        )
    interactions = [
        {
            "id": f"i{n}",
            "date": draw(DATES),
            "kind": draw(st.sampled_from(["visit", "meeting", "call", "complaint"])),
            "owners": [draw(st.sampled_from(owner_ids))],
            "persons": draw(st.lists(st.sampled_from(person_ids), unique=True, max_size=2))
            if person_ids
            else [],
            "notes": draw(valid_text(80)),
        }
        for n in range(draw(st.integers(0, 2)))
    ]
    surveys = [
        {
            "id": f"s{n}",
            "date": draw(DATES),
            "org": draw(st.sampled_from(org_ids)),
            "scores": {draw(text): draw(st.integers(1, 5))},
        }
        for n in range(draw(st.integers(0, 2)))
    ]
    reforms = []
    if draw(st.booleans()):
        # two organisations of their own (ids the IDS strategy never makes), so the
        # lifetimes a reform needs cannot clash with tenures drawn above
        day = draw(DATES)
        kind = draw(st.sampled_from(["rename", "transfer"]))
        orgs.append({"id": "old_org", "name": draw(text), "end": day, "parent": org_ids[0]})
        orgs.append({"id": "new_org", "name": draw(text), "start": day})
        reform: dict[str, Any] = {
            "id": "r_1",
            "kind": kind,
            "day": day,
            "predecessors": ["old_org"],
            "successors": ["new_org"],
        }
        if draw(st.booleans()):
            reform["functions"] = draw(text)
            reform["notes"] = draw(valid_text(80))
        reforms.append(reform)
    return {
        "organisations": orgs,
        "posts": posts,
        "persons": persons,
        "owners": owners,
        "relationships": relationships,
        "ties": ties,
        "opportunities": opportunities,
        "interactions": interactions,
        "surveys": surveys,
        "reforms": reforms,
    }


def write_yaml_workspace(data: dict[str, list[dict[str, Any]]], folder: Path) -> Path:
    """Write workspace data as a YAML folder (one file per non-empty record type)."""
    folder.mkdir(parents=True, exist_ok=True)
    for collection, records in data.items():
        if records:
            text = yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=1000)
            (folder / f"{collection}.yaml").write_text(text, encoding="utf-8")
    return folder


# --- what every run must satisfy --------------------------------------------------------


def run(args: Sequence[Any]) -> Result:
    """Run the command line and assert it ended as a command line should: no traceback,
    no uncaught exception, exit 0 (done), 1 (refused, with a message) or 2 (usage)."""
    result = run_cli(args)
    shown = " ".join(repr(str(a))[:80] for a in args)
    assert "Traceback" not in result.output, f"stakegraph {shown}\n{result.output[-3000:]}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            f"stakegraph {shown} raised {result.exception!r}"
        ) from result.exception
    assert result.exit_code in (0, 1, 2), f"stakegraph {shown}: exit {result.exit_code}"
    if result.exit_code:
        assert result.output.strip(), f"stakegraph {shown} failed without a word"
    return result


_HEADER = re.compile(r"^\d+ problems? found")


def assert_located(result: Result, places: Sequence[str]) -> None:
    """A failed run names where: every problem line (or the one error line) mentions one
    of ``places`` (file names, option names, values)."""
    lines = [line for line in result.output.splitlines() if line.strip()]
    problems = [line for line in lines if not line.startswith(" ") and not _HEADER.match(line)]
    assert problems, result.output
    unplaced = [line for line in problems if not any(p in line for p in places)]
    assert not unplaced, f"not located ({', '.join(places)}):\n" + "\n".join(unplaced[:5])


def snapshot_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
