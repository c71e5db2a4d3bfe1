"""The account portfolio: segments, the funnel, owner load and a coverage heatmap.

One opportunity's chain is the view of a deal; the portfolio is the view of the
book (客户漏斗, GLOSSARY): every client organisation (an *account*, see
:mod:`~stakegraph.graph.accounts`) and every opportunity on one day.

* **Segments.** Accounts are *key* or *general* by value, and *covered* or
  *under-covered* by value-weighted coverage; each of the four cells has a stance:
  key and under-covered → invest (压强, pressure strategy on its key persons); key and
  covered → defend; general and covered → maintain and penetrate (渗透); general and
  under-covered → nurture (organisation-level exchanges first).
* **Funnel** by stage (早期 early, 前期 pursuit, 中期 delivery, 后期 collection):
  opportunities and value.
* **Owner load**: key persons each owner is the named owner of (责任到人) against
  their capacity.
* **Heatmap**: accounts × stages, the mean coverage of that account's opportunities
  at that stage.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from stakegraph.analysis.coverage import coverage
from stakegraph.analysis.frames import Tabular
from stakegraph.analysis.influence import influence
from stakegraph.analysis.relationship_kinds import DEFAULT_KEY_SHARE, key_persons
from stakegraph.graph.accounts import accounts
from stakegraph.graph.network import PersonNetwork
from stakegraph.records.model import Stage

STAGES: tuple[Stage, ...] = tuple(Stage)
#: The quadrants from the most to the least urgent call on our people.
QUADRANT_ORDER = (("key", False), ("key", True), ("general", True), ("general", False))


@dataclass
class AccountRow:
    """One account on the day."""

    org: str
    name: str
    opportunities: list[str]
    value: float
    unknown_value: int
    coverage: float
    segment: str  # "key" or "general"
    covered: bool
    by_stage: dict[str, int]


@dataclass
class Quadrant:
    """One cell of key/general × covered/under-covered, with its accounts.

    The views name the stance each cell calls for (:data:`stakegraph.views.labels.STANCES`).
    """

    segment: str
    covered: bool
    accounts: list[str]
    value: float


@dataclass
class OwnerLoad:
    """Key persons an owner is the named owner of, against their capacity."""

    owner: str
    name: str
    tier: int
    key_persons: list[str]
    capacity: int
    load: float | None  # key persons / capacity; None when capacity is 0
    over: bool


@dataclass
class Portfolio(Tabular):
    """The portfolio of a workspace on one day (see the module documentation).

    :meth:`rows` and :meth:`to_pandas` give the accounts, one row each, as
    ``stakegraph portfolio --json`` lists them under ``accounts``.

    Attributes
    ----------
    day : the day of the network.
    accounts : one row per account, key accounts first, then by value.
    quadrants : the four segment × cover cells in the order invest, defend,
        maintain, nurture, each with its accounts (ids) and their total value.
    funnel : per stage, in stage order: ``stage``, ``opportunities``,
        ``value`` (missing values count 0) and ``unknown_value`` (how many are missing).
    owners : owner load, over-capacity owners first, then by load.
    heatmap : account id → stage → mean coverage, None where the account has no
        opportunity at that stage.
    opportunity_coverage : overall coverage of each opportunity.
    key_threshold : the value that made an account key (the smallest key value
        under the share rule, ``key_account_value`` otherwise).
    covered_threshold : ``[portfolio] covered``.
    key_persons : the key persons of the day, as owner load counts them.
    key_rule : the segmentation rule in words, for tables and reports.
    notes : accounts with missing opportunity values.
    """

    day: Any
    accounts: list[AccountRow]
    funnel: list[dict[str, Any]]
    owners: list[OwnerLoad]
    heatmap: dict[str, dict[str, float | None]]
    opportunity_coverage: dict[str, float]
    key_threshold: float
    covered_threshold: float = 0.6
    quadrants: list[Quadrant] = field(default_factory=list)
    key_persons: list[str] = field(default_factory=list)
    key_rule: str = ""
    notes: list[str] = field(default_factory=list)

    frame_columns = ("org", "name", "value")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def rows(self) -> list[dict[str, Any]]:
        """One dict per account, key accounts first, then by value."""
        return [asdict(account) for account in self.accounts]


def portfolio(
    network: PersonNetwork,
    progress: Callable[[], None] | None = None,
    opportunity_coverage: dict[str, float] | None = None,
) -> Portfolio:
    """Segment the accounts, build the funnel, owner load and the heatmap.

    Definition
    ----------
    For account a with opportunities O_a: value V_a = Σ value (a missing value
    counts 0 and is reported); coverage C_a = Σ_o v_o·cov_o / Σ_o v_o with v_o the
    value of o (equal weights when all are 0 or missing), cov_o the overall coverage
    of :func:`~stakegraph.analysis.coverage.coverage`. a is *key* when
    V_a ≥ ``[portfolio] key_account_value`` (when that is above 0), else when it is
    among the first ``max(1, ceil(share × |accounts|))`` accounts by value;
    *covered* when C_a ≥ ``[portfolio] covered``. The funnel counts opportunities and
    sums values per stage; heatmap cell (a, s) is the mean cov_o over a's
    opportunities at stage s (None when there is none). Owner load counts, for
    each owner, the key persons (:func:`~stakegraph.analysis.relationship_kinds.key_persons`)
    whose relationship with that owner is marked ``responsible`` on the day;
    over capacity when the count exceeds ``capacity``.

    Key persons are those of :func:`~stakegraph.analysis.relationship_kinds.key_persons` with
    its default share (:data:`~stakegraph.analysis.relationship_kinds.DEFAULT_KEY_SHARE`): every
    role holder on any opportunity's chain on the day plus the top share of post
    holders by unpersonalised influence — the same set the relationship kinds
    (关键 / 普遍 / 组织) count as key.

    Parameters
    ----------
    network : the person network of the day (:func:`~stakegraph.graph.network.build_network`);
        its ``workspace`` is the view on that day, so re-assessed scores and
        ``responsible`` flags are those that held then.
    progress : callable, optional
        Called once per opportunity covered (the long part in a large book).
    opportunity_coverage : dict, optional
        cov_o already computed on this network (a report has them from the diff
        whose later side it is); the others are computed here.

    Returns
    -------
    Portfolio

    Complexity: one coverage per opportunity plus one unpersonalised influence,
    O(opportunities × coverage + relationships + accounts log accounts).
    Reference: GLOSSARY (客户漏斗 customer funnel, 关键/普遍客户, stages 早期…后期);
    seed 003 (关键客户关系 with the pressure strategy 压强, 普遍客户关系 with
    penetration 渗透; resources go to key relationships first, 责任到人).

    Examples
    --------
    The sample workspace (:mod:`stakegraph.records.sample`) has one account with
    one opportunity of unknown value; with equal weights the account's coverage
    is that opportunity's, 0.4.

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> row = portfolio(network).accounts[0]
    >>> row.org, row.opportunities, round(row.coverage, 9), row.unknown_value
    ('bureau', ['portal'], 0.4, 1)
    """
    ws = network.workspace
    rule = ws.settings.portfolio
    cov: dict[str, float] = {}
    known = opportunity_coverage or {}
    for opp in ws.opportunities:
        cov[opp] = known[opp] if opp in known else coverage(network, opp).overall
        if progress is not None:
            progress()
    rows: list[AccountRow] = []
    for account in accounts(ws):
        opps = [ws.opportunities[o] for o in account.opportunities]
        values = [o.value or 0.0 for o in opps]
        total = sum(values)
        weights = values if total > 0 else [1.0] * len(opps)
        covered_share = sum(w * cov[o.id] for w, o in zip(weights, opps, strict=True)) / sum(
            weights
        )
        by_stage = {s.value: sum(1 for o in opps if o.stage == s) for s in STAGES}
        rows.append(
            AccountRow(
                org=account.org,
                name=account.name,
                opportunities=account.opportunities,
                value=total,
                unknown_value=sum(1 for o in opps if o.value is None),
                coverage=round(covered_share, 4),
                segment="general",
                covered=covered_share >= rule.covered,
                by_stage=by_stage,
            )
        )
    ranked = sorted(rows, key=lambda r: (-r.value, r.org))
    if rule.key_account_value > 0:
        threshold = rule.key_account_value
        key = {r.org for r in rows if r.value >= threshold}
        key_rule = f"关键 key: value ≥ {threshold / 10000:,.0f} 万元"
    else:
        count = max(1, math.ceil(rule.key_account_share * len(rows))) if rows else 0
        key = {r.org for r in ranked[:count]}
        threshold = ranked[count - 1].value if count else 0.0
        key_rule = (
            f"关键 key: the top {rule.key_account_share:.0%} of accounts by value, "
            f"at least one ({count} of {len(rows)})"
        )
    for row in rows:
        row.segment = "key" if row.org in key else "general"
    rows.sort(key=lambda r: (r.segment != "key", -r.value, r.org))

    funnel = []
    for stage in STAGES:
        opps = [o for o in ws.opportunities.values() if o.stage == stage]
        funnel.append(
            {
                "stage": stage.value,
                "opportunities": len(opps),
                "value": sum(o.value or 0.0 for o in opps),
                "unknown_value": sum(1 for o in opps if o.value is None),
            }
        )

    heatmap: dict[str, dict[str, float | None]] = {}
    for row in rows:
        cells: dict[str, float | None] = {}
        for stage in STAGES:
            here = [cov[o] for o in row.opportunities if ws.opportunities[o].stage == stage]
            cells[stage.value] = round(sum(here) / len(here), 4) if here else None
        heatmap[row.org] = cells

    quadrants = [
        Quadrant(
            segment=segment,
            covered=covered,
            accounts=[r.org for r in rows if (r.segment, r.covered) == (segment, covered)],
            value=sum(r.value for r in rows if (r.segment, r.covered) == (segment, covered)),
        )
        for segment, covered in QUADRANT_ORDER
    ]

    keys = key_persons(network, share=DEFAULT_KEY_SHARE, influence_result=influence(network))
    responsible_for: dict[str, set[str]] = {}
    for r in ws.relationships.values():
        if r.responsible and r.person in keys:
            responsible_for.setdefault(r.owner, set()).add(r.person)
    owners = []
    for owner in ws.owners.values():
        mine = sorted(responsible_for.get(owner.id, ()))
        load = len(mine) / owner.capacity if owner.capacity else None
        owners.append(
            OwnerLoad(
                owner=owner.id,
                name=owner.name,
                tier=owner.tier,
                key_persons=mine,
                capacity=owner.capacity,
                load=round(load, 3) if load is not None else None,
                over=len(mine) > owner.capacity,
            )
        )
    owners.sort(key=lambda o: (not o.over, -(o.load or 0.0), o.owner))
    notes = [
        f"{r.name}: {r.unknown_value} opportunity value(s) missing, counted as 0"
        for r in rows
        if r.unknown_value
    ]
    return Portfolio(
        day=network.day,
        accounts=rows,
        funnel=funnel,
        owners=owners,
        heatmap=heatmap,
        opportunity_coverage={k: round(v, 4) for k, v in cov.items()},
        key_threshold=threshold,
        covered_threshold=rule.covered,
        quadrants=quadrants,
        key_persons=sorted(keys),
        key_rule=key_rule,
        notes=notes,
    )
