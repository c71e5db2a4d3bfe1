"""Dark horses (培养黑马): officials below leadership who stand out for their grade.

Seed 004's outline names "培养黑马" (cultivate dark horses) as a method of the
general relationship (普遍客户关系, 第五讲): among the wide base, find the juniors
likely to rise and build the relationship before they do, when it is cheap and
welcome. Three signs mark one here, each measured against the official's own
grade, because a section chief (科长) is never as central as a bureau director and
should not have to be:

* influence far above the grade's median (people defer to them);
* brokerage far above the grade's usual (they sit between groups, so information
  and introductions pass through them);
* a recent promotion (the system already picked them).

Only officials we cover weakly are worth listing: a dark horse we already know
well needs upkeep, not cultivation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from stakegraph.analysis.brokerage import betweenness
from stakegraph.analysis.coverage import warm_cover
from stakegraph.analysis.frames import ResultList
from stakegraph.analysis.influence import influence
from stakegraph.graph.memo import MemoKey
from stakegraph.graph.network import PersonNetwork
from stakegraph.records.naming import post_label

#: Up to this many persons betweenness is exact; above it, the Brandes–Pich estimate
#: from :data:`BETWEENNESS_SAMPLES` sources (seed 0), as the report does: exact
#: betweenness is O(n m) and takes minutes on a province.
EXACT_BETWEENNESS_LIMIT = 5000
BETWEENNESS_SAMPLES = 256


@dataclass
class Promotion:
    """A move into a post of higher grade than the one held before."""

    date: dt.date
    post: str
    grade: int
    previous_post: str
    previous_grade: int


@dataclass
class DarkHorse:
    """One candidate official, the ratios to their grade peers and the verdict.

    Attributes
    ----------
    grade : the highest grade the person holds on the day; ``peers`` the number of
        post holders of that grade (the person included).
    influence_ratio : influence / median influence of the grade.
    brokerage_ratio : betweenness / the grade's median betweenness, or its mean
        when the median is 0 (``brokerage_basis`` says which); 0 when both are 0.
    promotion : the latest promotion within ``[dark_horses] promoted_days``, or None.
    cover : our best cover of the person (direct or warm, 0–1).
    qualifies : a sign is present (a ratio ≥ ``[dark_horses] ratio`` or a
        promotion) and cover < ``[coverage] strong_threshold``.
    potential : max(influence_ratio, brokerage_ratio, promotion bonus if promoted).
    score : potential × (1 − cover); ``rank`` 1 for the highest score (0 when the
        person does not qualify).
    reason_zh, reason_en : the signs present, e.g. "影响力为同级中位数的 2.3 倍;
        2026-05 晋升".
    """

    person: str
    name: str
    posts: list[str]
    post_labels: list[str]
    grade: int
    grade_name: str | None
    peers: int
    influence: float
    influence_ratio: float
    betweenness: float
    brokerage_ratio: float
    brokerage_basis: str
    promotion: Promotion | None
    cover: float
    owners: list[str]
    qualifies: bool
    potential: float
    score: float
    reason_zh: str
    reason_en: str
    rank: int = 0

    def as_dict(self, digits: int = 4) -> dict[str, Any]:
        data = asdict(self)
        for name in (
            "influence",
            "influence_ratio",
            "betweenness",
            "brokerage_ratio",
            "cover",
            "potential",
            "score",
        ):
            data[name] = round(data[name], digits)
        return data


class DarkHorses(ResultList[DarkHorse]):
    """The ranked list of :func:`dark_horses`; a list that is also a table.

    :meth:`rows` gives each as ``stakegraph darkhorses --json`` does
    (:meth:`DarkHorse.as_dict`); :meth:`to_pandas` flattens the promotion into
    ``promotion.<field>`` columns.
    """

    frame_columns = ("person", "name", "grade", "score", "rank")

    def rows(self) -> list[dict[str, Any]]:
        """One dict per candidate, rounded as in JSON."""
        return [horse.as_dict() for horse in self]


def _ratio_base(values: np.ndarray) -> tuple[float, str]:
    """The median of a grade's values, or the mean when the median is 0."""
    median = float(np.median(values)) if len(values) else 0.0
    if median > 0:
        return median, "median"
    return (float(np.mean(values)) if len(values) else 0.0), "mean"


def latest_promotion(network: PersonNetwork, person: str, days: int) -> Promotion | None:
    """The person's latest promotion that started within ``days`` before the day.

    A tenure starting on s with ``0 ≤ day − s ≤ days`` is a promotion when the
    person's previous tenure (the one with the latest start before s; an unknown
    start counts as earliest) was in a post of lower grade. O(tenures²) of the
    person, a handful.
    """
    ws = network.workspace
    day = network.day
    tenures = ws.persons[person].tenures
    found: Promotion | None = None
    for tenure in tenures:
        if tenure.start is None or not 0 <= (day - tenure.start).days <= days:
            continue
        earlier = [
            t for t in tenures if t is not tenure and (t.start is None or t.start < tenure.start)
        ]
        if not earlier:
            continue
        previous = max(earlier, key=lambda t: t.start or dt.date.min)
        grade = ws.posts[tenure.post].grade
        before = ws.posts[previous.post].grade
        if grade > before and (found is None or tenure.start > found.date):
            found = Promotion(tenure.start, tenure.post, grade, previous.post, before)
    return found


@dataclass(frozen=True)
class CandidateBetweenness(MemoKey[np.ndarray]):
    """Memo key: the betweenness the dark-horse ratios use (exact, or from ``samples``)."""

    samples: int | None = None


def assess_candidates(
    network: PersonNetwork, promotion_bonus: float | None = None
) -> list[DarkHorse]:
    """Every candidate dark horse with its ratios, in person order (see :func:`dark_horses`)."""
    ws = network.workspace
    settings = ws.settings.dark_horses
    strong = ws.settings.coverage.strong_threshold
    bonus = settings.ratio if promotion_bonus is None else promotion_bonus
    holders = [i for i, pid in enumerate(network.persons) if network.posts.get(pid)]
    if not holders:
        return []
    scores = influence(network).score
    sampled = network.size > EXACT_BETWEENNESS_LIMIT
    samples = BETWEENNESS_SAMPLES if sampled else None
    # kept in the memo: the report ranks dark horses for its book and for its findings
    between = network.memo.get_or_build(
        CandidateBetweenness(samples), lambda: betweenness(network, samples=samples)
    )
    cover = warm_cover(network).best
    grades = network.grade
    by_grade: dict[int, list[int]] = {}
    for i in holders:
        by_grade.setdefault(int(grades[i]), []).append(i)
    bases: dict[int, tuple[float, float, str]] = {}
    for grade, rows in by_grade.items():
        infl_base, _ = _ratio_base(scores[rows])
        brok_base, basis = _ratio_base(between[rows])
        bases[grade] = (infl_base, brok_base, basis)
    owners_of: dict[str, set[str]] = {}
    for rel in ws.relationships.values():
        owners_of.setdefault(rel.person, set()).add(rel.owner)

    out: list[DarkHorse] = []
    for i in holders:
        pid = network.persons[i]
        posts = network.posts[pid]
        grade = int(grades[i])
        if any(ws.posts[p].leadership for p in posts):
            continue
        if settings.max_grade > 0 and grade > settings.max_grade:
            continue
        infl_base, brok_base, basis = bases[grade]
        infl_ratio = float(scores[i]) / infl_base if infl_base > 0 else 0.0
        brok_ratio = float(between[i]) / brok_base if brok_base > 0 else 0.0
        promotion = latest_promotion(network, pid, settings.promoted_days)
        signs_zh, signs_en = [], []
        if infl_ratio >= settings.ratio:
            signs_zh.append(f"影响力为同级中位数的 {infl_ratio:.1f} 倍")
            signs_en.append(f"influence {infl_ratio:.1f}× the grade median")
        if brok_ratio >= settings.ratio:
            word = "中位数" if basis == "median" else "平均值"
            signs_zh.append(f"中介度为同级{word}的 {brok_ratio:.1f} 倍")
            signs_en.append(f"brokerage {brok_ratio:.1f}× the grade {basis}")
        if promotion is not None:
            month = f"{promotion.date.year}-{promotion.date.month:02d}"
            signs_zh.append(f"{month} 晋升")
            signs_en.append(f"promoted {month}")
        c = float(cover[i])
        potential = max(infl_ratio, brok_ratio, bonus if promotion else 0.0)
        out.append(
            DarkHorse(
                person=pid,
                name=ws.persons[pid].name,
                posts=list(posts),
                post_labels=[post_label(ws, p) for p in posts],
                grade=grade,
                grade_name=ws.settings.grade_name(grade),
                peers=len(by_grade[grade]),
                influence=float(scores[i]),
                influence_ratio=infl_ratio,
                betweenness=float(between[i]),
                brokerage_ratio=brok_ratio,
                brokerage_basis=basis,
                promotion=promotion,
                cover=c,
                owners=sorted(owners_of.get(pid, ())),
                qualifies=bool(signs_zh) and c < strong,
                potential=potential,
                score=potential * (1.0 - c),
                reason_zh="; ".join(signs_zh),
                reason_en="; ".join(signs_en),
            )
        )
    return out


def dark_horses(
    network: PersonNetwork, top: int | None = None, promotion_bonus: float | None = None
) -> DarkHorses:
    """Juniors to cultivate (培养黑马), ranked: high for their grade, weakly covered.

    Definition
    ----------
    Candidates: persons holding a post on the day, none of whose posts is a
    leadership post (``Post.leadership``), and whose grade g (the highest they
    hold) is at most ``[dark_horses] max_grade`` when that is above 0. Peers of
    g: every person holding a post whose highest grade is g, leaders included.

    * influence ratio = I / median of I over the peers, with I the unpersonalised
      influence (:func:`~stakegraph.analysis.influence.influence`);
    * brokerage ratio = B / median of B over the peers, with B the betweenness on
      the person graph (:func:`~stakegraph.analysis.brokerage.betweenness`); when
      the median is 0 (most juniors broker nothing) the mean is used instead, so a
      lone broker still stands out; 0 when nobody of the grade brokers;
    * promoted: a tenure started within ``[dark_horses] promoted_days`` before the
      day in a post of higher grade than the previous one
      (:func:`latest_promotion`).

    A candidate qualifies when a ratio ≥ ``[dark_horses] ratio`` or they were
    promoted, and cover < ``[coverage] strong_threshold`` (cover as in
    :func:`~stakegraph.analysis.coverage.warm_cover`). Rank by
    ``score = potential × (1 − cover)``, ``potential = max(influence ratio,
    brokerage ratio, b·[promoted])``; the promotion bonus b defaults to
    ``[dark_horses] ratio``, so a promotion alone weighs as much as just reaching
    the bar on a ratio. Ties: higher potential, then person id.

    Parameters
    ----------
    network : the person network of the day.
    top : how many to return (default ``[dark_horses] top``).
    promotion_bonus : b above (default ``[dark_horses] ratio``).

    Returns
    -------
    list of DarkHorse, best first, ``rank`` from 1.

    Complexity: one influence (O(iterations × edges)) and one betweenness
    computation (exact, O(n m), up to :data:`EXACT_BETWEENNESS_LIMIT` persons;
    above it estimated from :data:`BETWEENNESS_SAMPLES` sources, O(k m)), then
    O(n log n).

    References
    ----------
    Seed 004 outline, 第五讲 普遍客户关系 (方法: "一带一路", 培养黑马).
    R. S. Burt, *Brokerage and Closure*, Oxford University Press, 2005 (brokers
    gain and rise). L. C. Freeman, "A set of measures of centrality based on
    betweenness", Sociometry 40(1), 1977.

    Examples
    --------
    In the sample workspace (:mod:`stakegraph.records.sample`) the candidates are
    ``li`` and ``zhao`` (no leadership post), but each is alone at their grade, so
    each influence ratio is 1, below the bar of 1.5; in a triangle nobody brokers,
    and nobody was promoted. No dark horse:

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> dark_horses(network)
    []
    """
    limit = network.workspace.settings.dark_horses.top if top is None else top
    found = [d for d in assess_candidates(network, promotion_bonus) if d.qualifies]
    found.sort(key=lambda d: (-d.score, -d.potential, d.person))
    found = found[:limit]
    for rank, item in enumerate(found, start=1):
        item.rank = rank
    return DarkHorses(found)
