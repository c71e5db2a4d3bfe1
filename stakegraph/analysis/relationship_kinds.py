"""Relationship kinds (关键 / 普遍 / 组织客户关系) and their coverage per account.

The course outline in seed 004 (第三讲 客户关系的整体规划) plans customer
relationships in three kinds, each with its own strategy:

* 关键客户关系, **key**: relationships with the persons who decide, worked with
  pressure (压强策略) and the five steps (管控关键关系的五步骤);
* 普遍客户关系, **general**: the wide base of staff, worked by penetration
  (渗透策略, "培养黑马");
* 组织客户关系, **organisational**: the organisation as a whole, worked
  three-dimensionally (立体策略: 点线面结合, 定期交流; annual and quarterly routine
  exchanges, high-level events).

Definitions used here, on one day:

* a person is **key** when they hold a role on any opportunity's decision chain
  that day (:func:`~stakegraph.graph.chains.resolve_chain`), or rank in the top ``share``
  of influence (:func:`~stakegraph.analysis.influence.influence`, not personalised
  by any opportunity) among the persons holding a post that day;
* a relationship (owner → person) is key when its person is key, and **general**
  otherwise;
* an **organisational** relationship is ours with an organisation as such, seen
  in org-level exchanges: logged interactions that name organisations and either
  name no person, or are of kind ``event`` or ``agreement`` (a signing or a summit
  involves persons, but its counterpart is the organisation). Complaints are never
  org-level exchanges: they are the customer's voice (seed 004), not an exchange
  we hold.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from stakegraph.analysis.coverage import warm_cover
from stakegraph.analysis.influence import Influence, influence
from stakegraph.graph.accounts import account_org, accounts, person_accounts, persons_by_account
from stakegraph.graph.chains import resolve_chain
from stakegraph.graph.network import PersonNetwork
from stakegraph.graph.strength import relationship_strength
from stakegraph.records.model import Interaction, InteractionKind

#: Default share of post holders counted as key by influence alone: the top 10%.
#: About one official in ten carries a decision in a bureau (its leaders and the
#: heads of the divisions that matter); a smaller share misses the deputy leaders,
#: a larger one turns the key list into the whole leadership.
DEFAULT_KEY_SHARE = 0.1

#: Interaction kinds that are org-level exchanges even when they name persons.
ORG_LEVEL_KINDS = (InteractionKind.EVENT, InteractionKind.AGREEMENT)


class RelationshipKind(StrEnum):
    KEY = "key"
    GENERAL = "general"
    ORGANISATIONAL = "organisational"


@dataclass
class KeyPerson:
    """Why a person is key: chain roles held, and influence rank among post holders.

    ``roles`` lists ``(opportunity, step name, role)``; ``influence_rank`` is the
    person's rank among post holders (1 = most influential) when within the top
    share, else None.
    """

    person: str
    roles: list[tuple[str, str, str]] = field(default_factory=list)
    influence_rank: int | None = None


@dataclass
class ClassifiedRelationship:
    """One relationship of ours with its kind on the day and why."""

    id: str
    owner: str
    person: str
    kind: RelationshipKind
    strength: float
    reasons: list[str]
    accounts: list[str]


@dataclass
class OrgExchange:
    """One org-level exchange (a logged interaction) and the accounts it touches."""

    id: str
    date: dt.date
    kind: str
    orgs: list[str]
    owners: list[str]
    persons: list[str]
    accounts: list[str]


@dataclass
class OrgRelationship:
    """Our relationship with one organisation as such, from its org-level exchanges.

    ``exchanges`` counts those in the window, ``last`` is the latest on or before
    the day (possibly before the window), ``owners`` who of ours took part.
    """

    org: str
    name: str
    account: str | None
    exchanges: int
    last: dt.date | None
    owners: list[str]


@dataclass
class AccountKinds:
    """Coverage of one account by relationship kind on the day.

    Attributes
    ----------
    key_persons : the account's persons (:func:`account_persons`) who are key.
    key_covered : those whose cover is at least ``[coverage] strong_threshold``.
    key_uncovered : those with cover 0 (no relationship, no warm path).
    key_share : ``len(key_covered) / len(key_persons)``; None without key persons.
    general_persons : the account's other persons.
    general_reached : those with any relationship of ours (whatever its strength).
    penetration : ``len(general_reached) / len(general_persons)``; None when empty.
    org_exchanges : org-level exchanges naming an organisation of the account in
        the window; ``org_last`` the latest such exchange on or before the day.
    relationships : per kind, the number of our relationships with the account's
        persons (key, general) and of the account's organisations we have had an
        org-level exchange with (organisational).
    """

    account: str
    name: str
    key_persons: list[str]
    key_covered: list[str]
    key_uncovered: list[str]
    key_share: float | None
    general_persons: list[str]
    general_reached: list[str]
    penetration: float | None
    org_exchanges: int
    org_last: dt.date | None
    org_exchange_ids: list[str]
    relationships: dict[str, int]


@dataclass
class Kinds:
    """Result of :func:`relationship_kinds`."""

    day: dt.date
    share: float
    window_days: int
    strong_threshold: float
    key: dict[str, KeyPerson]
    relationships: list[ClassifiedRelationship]
    organisational: list[OrgRelationship]
    exchanges: list[OrgExchange]
    accounts: list[AccountKinds]

    def as_dict(self, digits: int = 4) -> dict[str, Any]:
        """Plain data for JSON; kinds as their values, ratios rounded to ``digits``."""
        data = asdict(self)
        data["key"] = {
            pid: {
                "roles": [list(r) for r in kp.roles],
                "influence_rank": kp.influence_rank,
            }
            for pid, kp in self.key.items()
        }
        for row in data["relationships"]:
            row["kind"] = row["kind"].value
            row["strength"] = round(row["strength"], digits)
        for row in data["accounts"]:
            for name in ("key_share", "penetration"):
                if row[name] is not None:
                    row[name] = round(row[name], digits)
        return data


def is_org_exchange(item: Interaction) -> bool:
    """Is a logged interaction an org-level exchange (组织客户关系)?

    True when it names at least one organisation, is not a complaint, and either
    names no person or is of kind event or agreement. O(1).
    """
    if not item.orgs or item.kind == InteractionKind.COMPLAINT:
        return False
    return not item.persons or item.kind in ORG_LEVEL_KINDS


def key_persons(
    network: PersonNetwork,
    share: float = DEFAULT_KEY_SHARE,
    influence_result: Influence | None = None,
) -> dict[str, KeyPerson]:
    """The key persons (关键客户) on the network's day, with why each is key.

    Definition
    ----------
    Person p is key when p holds a role on any opportunity's chain on the day, or
    p is among the first ``ceil(share × m)`` of the m persons holding a post on the
    day, ordered by influence (:func:`influence` without personalisation; ties in
    the order of :attr:`Influence.order`).

    Parameters
    ----------
    network : the person network of the day.
    share : the top share of post holders by influence that is key (0–1; default
        :data:`DEFAULT_KEY_SHARE`, 0.1). 0 leaves only role holders.
    influence_result : an unpersonalised influence result to reuse.

    Returns
    -------
    dict person id → KeyPerson, role holders first in chain order.

    Complexity O(roles + n log n) after one influence computation.
    Reference: GLOSSARY (关键客户 / 关键人: a role holder with high decision power
    or influence); seed 004 outline, 第三讲 and 第四讲.
    """
    if not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1, got {share}")
    ws = network.workspace
    out: dict[str, KeyPerson] = {}
    for opp_id in ws.opportunities:
        for step in resolve_chain(ws, opp_id, network.day):
            for role in step.roles:
                for pid in role.holders:
                    out.setdefault(pid, KeyPerson(pid)).roles.append(
                        (opp_id, step.name, role.role.value)
                    )
    ranks = influence_ranks(network, influence_result)
    top = math.ceil(share * len(ranks) - 1e-9)
    for pid, rank in ranks.items():
        if rank <= top:
            out.setdefault(pid, KeyPerson(pid)).influence_rank = rank
    return out


def influence_ranks(
    network: PersonNetwork, influence_result: Influence | None = None
) -> dict[str, int]:
    """Rank by unpersonalised influence among the persons holding a post (1 = highest)."""
    result = influence_result or influence(network)
    holders = [network.persons[i] for i in result.order if network.posts.get(network.persons[i])]
    return {pid: rank for rank, pid in enumerate(holders, start=1)}


def org_exchanges(network: PersonNetwork) -> list[OrgExchange]:
    """Every org-level exchange (:func:`is_org_exchange`) on or before the day, by date."""
    ws = network.workspace
    clients = {a.org for a in accounts(ws)}
    out = []
    for item in sorted(ws.interactions.values(), key=lambda i: (i.date, i.id)):
        if item.date > network.day or not is_org_exchange(item):
            continue
        found: dict[str, None] = {}
        for org_id in item.orgs:
            acc = account_org(ws, org_id, clients)
            if acc:
                found.setdefault(acc, None)
        out.append(
            OrgExchange(
                item.id,
                item.date,
                item.kind.value,
                list(item.orgs),
                list(item.owners),
                list(item.persons),
                list(found),
            )
        )
    return out


def relationship_kinds(
    network: PersonNetwork,
    share: float = DEFAULT_KEY_SHARE,
    window_days: int = 365,
) -> Kinds:
    """Classify our relationships by kind and report the coverage of each per account.

    Definition
    ----------
    Key persons as :func:`key_persons`; cover(p) as
    :func:`~stakegraph.analysis.coverage.warm_cover` (the best direct relationship
    strength or warm path through informal ties, ``[coverage] max_hops``), and s =
    ``[coverage] strong_threshold``. For each account A with persons P_A on the day
    (:func:`~stakegraph.graph.accounts.account_persons`):

    * key: K_A = P_A ∩ key; ``key_share = |{p ∈ K_A : cover(p) ≥ s}| / |K_A|``,
      and the uncovered ones, cover(p) = 0;
    * general: G_A = P_A − K_A; ``penetration = |{p ∈ G_A : we have a
      relationship with p}| / |G_A|``;
    * organisational: the org-level exchanges naming an organisation of A with
      ``day − window_days < date ≤ day``, and the date of the latest one.

    Parameters
    ----------
    network : the person network of the day (relationships as they stood then).
    share : top influence share counted as key (see :func:`key_persons`).
    window_days : the window of org-level exchanges (default 365).

    Returns
    -------
    Kinds

    Complexity O(relationships + interactions + accounts × persons) after one
    influence and one warm-cover computation.

    References
    ----------
    Seed 004, course outline 第三讲 一 (关键 / 普遍 / 组织客户关系), 第五讲 (渗透
    策略), 第六讲 (立体策略: 定期交流); GLOSSARY (key / general / organisational).

    Examples
    --------
    In the sample workspace (:mod:`stakegraph.records.sample`), with ``share=0``
    only role holders are key: the director ``wang``. His cover, 0.4, is below the
    strong threshold 0.6, so no key person is covered; both general persons,
    ``li`` and ``zhao``, have a relationship with us (penetration 2/2).

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> account = relationship_kinds(network, share=0).accounts[0]
    >>> account.key_persons, account.key_share
    (['wang'], 0.0)
    >>> account.general_persons, account.penetration
    (['li', 'zhao'], 1.0)
    """
    ws = network.workspace
    day = network.day
    scores = influence(network)
    key = key_persons(network, share, scores)
    ranks_total = len(influence_ranks(network, scores))
    cover = warm_cover(network).best
    strong = ws.settings.coverage.strong_threshold
    account_list = accounts(ws)
    by_account = persons_by_account(ws, account_list, day)
    belongs = person_accounts(ws, day, by_account)

    relationships: list[ClassifiedRelationship] = []
    related: set[str] = set()
    for rel in ws.relationships.values():
        related.add(rel.person)
        kp = key.get(rel.person)
        reasons = []
        if kp is not None:
            reasons += [f"角色 role: {opp} {step} {role}" for opp, step, role in kp.roles]
            if kp.influence_rank is not None:
                reasons.append(
                    f"影响力排名 influence rank {kp.influence_rank} of {ranks_total} "
                    f"(top {share:.0%})"
                )
        relationships.append(
            ClassifiedRelationship(
                id=rel.id,
                owner=rel.owner,
                person=rel.person,
                kind=RelationshipKind.KEY if kp is not None else RelationshipKind.GENERAL,
                strength=relationship_strength(rel, day, ws.settings),
                reasons=reasons,
                accounts=list(belongs.get(rel.person, [])),
            )
        )

    exchanges = org_exchanges(network)
    start = day - dt.timedelta(days=window_days)
    clients = {a.org for a in account_list}
    by_org: dict[str, list[OrgExchange]] = {}
    for item in exchanges:
        for org_id in item.orgs:
            by_org.setdefault(org_id, []).append(item)
    organisational = [
        OrgRelationship(
            org=org_id,
            name=ws.organisations[org_id].name if org_id in ws.organisations else org_id,
            account=account_org(ws, org_id, clients),
            exchanges=sum(1 for x in items if x.date > start),
            last=max(x.date for x in items),
            owners=sorted({o for x in items for o in x.owners}),
        )
        for org_id, items in by_org.items()
    ]

    # Grouped once so the per-account loop does not scan every relationship and exchange.
    kind_counts: dict[str, dict[str, int]] = {
        a.org: {k.value: 0 for k in RelationshipKind} for a in account_list
    }
    for classified in relationships:
        for org in classified.accounts:
            kind_counts[org][classified.kind.value] += 1
    exchanges_of: dict[str, list[OrgExchange]] = {a.org: [] for a in account_list}
    for x in exchanges:
        for org in dict.fromkeys(x.accounts):
            if org in exchanges_of:
                exchanges_of[org].append(x)
    org_count: dict[str | None, int] = {}
    for o in organisational:
        org_count[o.account] = org_count.get(o.account, 0) + 1

    rows: list[AccountKinds] = []
    for account in account_list:
        persons = by_account[account.org]
        key_p = [p for p in persons if p in key]
        general = [p for p in persons if p not in key]
        covered = [p for p in key_p if cover[network.person_index[p]] >= strong]
        uncovered = [p for p in key_p if cover[network.person_index[p]] <= 0]
        reached = [p for p in general if p in related]
        mine = exchanges_of[account.org]
        recent = [x for x in mine if x.date > start]
        counts = kind_counts[account.org]
        counts[RelationshipKind.ORGANISATIONAL.value] = org_count.get(account.org, 0)
        rows.append(
            AccountKinds(
                account=account.org,
                name=account.name,
                key_persons=key_p,
                key_covered=covered,
                key_uncovered=uncovered,
                key_share=len(covered) / len(key_p) if key_p else None,
                general_persons=general,
                general_reached=reached,
                penetration=len(reached) / len(general) if general else None,
                org_exchanges=len(recent),
                org_last=max((x.date for x in mine), default=None),
                org_exchange_ids=[x.id for x in recent],
                relationships=counts,
            )
        )
    return Kinds(
        day=day,
        share=share,
        window_days=window_days,
        strong_threshold=strong,
        key=key,
        relationships=relationships,
        organisational=organisational,
        exchanges=exchanges,
        accounts=rows,
    )
