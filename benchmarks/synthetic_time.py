"""Time in the synthetic province: reforms, 分工调整 and acting heads, as a real one has them.

:func:`add_time` takes the plain records of a generated province
(:func:`benchmarks.synthetic.generate_workspace`, then ``Workspace.as_data()``)
and returns a copy with

* **reforms** (机构改革): a share of the bureaus, departments and committees
  (default 3 % of all organisations) renamed on a day between 2019 and 2026: the
  organisation and each of its posts end that day and a successor starts, with one
  ``rename`` reform each; the tenures that ran across the day are split in two (the
  lineage makes them one), later ones move to the successor; the divisions they lead
  get a dated ``parent``, the bureaus they guide a dated ``guided_by``, the posts
  reporting to them a dated ``reports_to`` and the leaders overseeing them a dated
  ``oversees``. Chains keep naming the old posts, so they resolve through the reform;
* **分工调整**: a share of the leaders who oversee bureaus (default 10 %) hand one of
  them to another leader of the same government on a day in 2025–2026 (two dated
  ``oversees`` entries, and the bureau head's ``reports_to`` dated the same way);
* **acting heads** (主持工作): a share of the officials (default 2 %) hold a post as
  acting heads after its holder left in 2026, beside their own post.

Everything comes from one seeded generator; the records left alone are the very
same dicts, so the copy costs only what it changes. The result is valid
(``build_workspace`` accepts it), which the benchmark smoke test checks.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections import defaultdict
from typing import Any

Data = dict[str, list[dict[str, Any]]]

#: Kinds of organisation a reform renames (not governments, party committees, divisions).
REFORMED_KINDS = ("bureau", "department", "committee", "agency")
SUFFIX = "~2"  # the successor's id: the old id and this


def add_time(
    data: Data,
    seed: int = 0,
    reformed_share: float = 0.03,
    reshuffled_share: float = 0.10,
    acting_share: float = 0.02,
) -> tuple[Data, dict[str, int]]:
    """A copy of ``data`` with reforms, reshuffles and acting heads; and their counts.

    Parameters
    ----------
    data : dict
        Records by collection, as ``Workspace.as_data()`` gives them.
    seed : int
    reformed_share : float
        Organisations renamed, as a share of all organisations.
    reshuffled_share : float
        Overseeing leaders who hand a bureau on, as a share of those leaders.
    acting_share : float
        Acting tenures, as a share of the persons.

    Returns
    -------
    (dict, dict)
        The new records by collection and the counts of what was added.
    """
    rng = random.Random(seed * 104729 + 7)
    out: Data = {c: list(records) for c, records in data.items()}
    out.setdefault("reforms", [])
    counts = {"reformed organisations": 0, "reforms": 0, "reshuffles": 0, "acting tenures": 0}
    _reform(out, rng, reformed_share, counts)
    _reshuffle(out, rng, reshuffled_share, counts)
    _acting(out, rng, acting_share, counts)
    counts["dated lines"] = _dated_lines(out)
    return out, counts


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _editable(out: Data, collection: str) -> dict[str, int]:
    """Index of a collection by id (its dicts are copied before they change)."""
    return {r["id"]: i for i, r in enumerate(out[collection])}


def _copy(out: Data, collection: str, index: int) -> dict[str, Any]:
    record = copy.deepcopy(out[collection][index])
    out[collection][index] = record
    return record


def _reform(out: Data, rng: random.Random, share: float, counts: dict[str, int]) -> None:
    orgs = out["organisations"]
    candidates = [o["id"] for o in orgs if o["kind"] in REFORMED_KINDS and o["end"] is None]
    chosen = rng.sample(candidates, min(len(candidates), round(share * len(orgs))))
    org_at, post_at = _editable(out, "organisations"), _editable(out, "posts")
    posts_of: dict[str, list[str]] = defaultdict(list)
    for post in out["posts"]:
        posts_of[post["org"]].append(post["id"])
    renamed_posts: dict[str, tuple[str, str]] = {}  # old post → (successor, day)
    renamed_orgs: dict[str, tuple[str, str]] = {}
    for org_id in chosen:
        day = _day(rng, dt.date(2019, 1, 1), dt.date(2026, 6, 30)).isoformat()
        old = _copy(out, "organisations", org_at[org_id])
        new = {**copy.deepcopy(old), "id": org_id + SUFFIX, "name": old["name"] + "（新）"}
        old["end"], new["start"] = day, day
        orgs.append(new)
        renamed_orgs[org_id] = (new["id"], day)
        out["reforms"].append(_rename(f"r-{org_id}", "organisations", day, org_id, new["id"]))
        for post_id in posts_of[org_id]:
            renamed_posts[post_id] = (post_id + SUFFIX, day)
        counts["reformed organisations"] += 1
    for post_id, (successor, day) in renamed_posts.items():
        old = _copy(out, "posts", post_at[post_id])
        new = {**copy.deepcopy(old), "id": successor, "org": old["org"] + SUFFIX}
        old["end"], new["start"] = day, day
        if isinstance(new["reports_to"], str) and new["reports_to"] in renamed_posts:
            new["reports_to"] = renamed_posts[new["reports_to"]][0]  # same reform, same day
        out["posts"].append(new)
        out["reforms"].append(_rename(f"r-{post_id}", "posts", day, post_id, successor))
    counts["reforms"] = len(out["reforms"])
    _follow_reforms(out, renamed_orgs, renamed_posts)


def _rename(rid: str, of: str, day: str, old: str, new: str) -> dict[str, Any]:
    return {
        "id": rid,
        "kind": "rename",
        "of": of,
        "day": day,
        "predecessors": [old],
        "successors": [new],
    }


def _split(value: str, successor: tuple[str, str], key: str) -> list[dict[str, Any]]:
    new, day = successor
    return [{key: value, "end": day}, {key: new, "start": day}]


def _follow_reforms(
    out: Data, orgs: dict[str, tuple[str, str]], posts: dict[str, tuple[str, str]]
) -> None:
    """Date the lines that named a renamed record, and split the tenures across the day."""
    for i, org in enumerate(out["organisations"]):
        parent, guided = org["parent"], org["guided_by"]
        touched = (isinstance(parent, str) and parent in orgs) or any(
            isinstance(g, str) and g in orgs for g in guided
        )
        if not touched or org["id"] in orgs:
            continue
        org = out["organisations"][i] = copy.deepcopy(org)
        if isinstance(parent, str) and parent in orgs:
            org["parent"] = _split(parent, orgs[parent], "org")
        org["guided_by"] = [
            p for g in guided for p in (_split(g, orgs[g], "org") if g in orgs else [g])
        ]
    for i, post in enumerate(out["posts"]):
        boss, oversees = post["reports_to"], post["oversees"]
        touched = (isinstance(boss, str) and boss in posts) or any(
            isinstance(o, str) and o in orgs for o in oversees
        )
        if not touched or post["end"] is not None:
            continue
        post = out["posts"][i] = copy.deepcopy(post)
        if isinstance(boss, str) and boss in posts:
            post["reports_to"] = _split(boss, posts[boss], "post")
        post["oversees"] = [
            p
            for o in oversees
            for p in (_split(o, orgs[o], "org") if isinstance(o, str) and o in orgs else [o])
        ]
    for i, person in enumerate(out["persons"]):
        if not any(t["post"] in posts for t in person["tenures"]):
            continue
        person = out["persons"][i] = copy.deepcopy(person)
        tenures = []
        for tenure in person["tenures"]:
            if tenure["post"] not in posts:
                tenures.append(tenure)
                continue
            successor, day = posts[tenure["post"]]
            start, end = tenure["start"], tenure["end"]
            if end is not None and end <= day:
                tenures.append(tenure)
            elif start is not None and start >= day:
                tenures.append({**tenure, "post": successor})
            else:
                tenures += [{**tenure, "end": day}, {**tenure, "post": successor, "start": day}]
        person["tenures"] = tenures


def _reshuffle(out: Data, rng: random.Random, share: float, counts: dict[str, int]) -> None:
    live = [p for p in out["posts"] if p["end"] is None and p["start"] is None]
    leaders: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for post in live:
        if sum(isinstance(o, str) for o in post["oversees"]) >= 2:
            leaders[post["org"]].append(post)
    post_at = _editable(out, "posts")
    movers = [p for posts in leaders.values() if len(posts) >= 2 for p in posts]
    for giver in rng.sample(movers, round(share * len(movers))):
        others = [p for p in leaders[giver["org"]] if p["id"] != giver["id"]]
        taker = rng.choice(others)
        a = out["posts"][post_at[giver["id"]]]
        b = out["posts"][post_at[taker["id"]]]
        plain = [o for o in a["oversees"] if isinstance(o, str)]
        if len(plain) < 2:
            continue
        bureau = rng.choice(plain)
        head_id = f"{bureau}.head"
        head = out["posts"][post_at[head_id]] if head_id in post_at else None
        if head is not None and head["reports_to"] != a["id"]:
            continue
        day = _day(rng, dt.date(2025, 1, 1), dt.date(2026, 11, 1)).isoformat()
        a = _copy(out, "posts", post_at[a["id"]])
        b = _copy(out, "posts", post_at[b["id"]])
        a["oversees"] = [{"org": o, "end": day} if o == bureau else o for o in a["oversees"]]
        b["oversees"] = [*b["oversees"], {"org": bureau, "start": day}]
        if head is not None:
            head = _copy(out, "posts", post_at[head_id])
            head["reports_to"] = [{"post": a["id"], "end": day}, {"post": b["id"], "start": day}]
        counts["reshuffles"] += 1


def _acting(out: Data, rng: random.Random, share: float, counts: dict[str, int]) -> None:
    """Holders who left in 2026, each followed by a colleague of the same organisation acting."""
    post_org = {p["id"]: p["org"] for p in out["posts"] if p["end"] is None and p["seats"] == 1}
    current: dict[str, list[tuple[int, str]]] = defaultdict(list)  # org → (person, post)
    for i, person in enumerate(out["persons"]):
        for tenure in person["tenures"]:
            if tenure["end"] is None and tenure["post"] in post_org:
                current[post_org[tenure["post"]]].append((i, tenure["post"]))
    wanted = round(share * len(out["persons"]))
    pairs = [(org, held) for org, held in current.items() if len(held) >= 2]
    used: set[int] = set()
    rng.shuffle(pairs)
    for _org, held in pairs:
        if counts["acting tenures"] >= wanted:
            break
        (leaver, post), (actor, _) = rng.sample(held, 2)
        if leaver in used or actor in used:
            continue
        person = out["persons"][leaver]
        tenure = next(t for t in person["tenures"] if t["post"] == post and t["end"] is None)
        first = max(dt.date(2026, 1, 1), dt.date.fromisoformat(tenure["start"]) + dt.timedelta(1))
        if first > dt.date(2026, 11, 1):
            continue
        day = _day(rng, first, dt.date(2026, 11, 1)).isoformat()
        person = _copy(out, "persons", leaver)
        for t in person["tenures"]:
            if t["post"] == post and t["end"] is None:
                t["end"] = day
        acting = _copy(out, "persons", actor)
        acting["tenures"].append(
            {
                "post": post,
                "start": day,
                "end": None,
                "title": None,
                "acting": True,
                "concurrent": False,
                "on_leave": False,
            }
        )
        used.update((leaver, actor))
        counts["acting tenures"] += 1


def _dated_lines(out: Data) -> int:
    """Dated entries of parent, guided_by, reports_to and oversees."""
    total = 0
    for org in out["organisations"]:
        total += sum(isinstance(v, dict) for v in [org["parent"], *org["guided_by"]])
        if isinstance(org["parent"], list):
            total += len(org["parent"])
    for post in out["posts"]:
        total += sum(isinstance(v, dict) for v in post["oversees"])
        if isinstance(post["reports_to"], list):
            total += len(post["reports_to"])
    return total
