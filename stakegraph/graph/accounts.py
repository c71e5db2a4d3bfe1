"""Accounts: the client organisations we sell to, with what and whom they include.

An account is an organisation that is the ``client`` of at least one
opportunity. It includes the organisations under it (块 children, through
``parent``) down to the next client, and its people on a day are the holders of
posts in those organisations plus every role holder on its opportunities' chains
(a chain often crosses into finance or the tender centre: 用户客户分离).
Surveys, relationship kinds and the portfolio all count per account.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from stakegraph.graph.chains import resolve_chain
from stakegraph.records.periods import latest
from stakegraph.records.workspace import Workspace


@dataclass
class Account:
    """One client organisation and what belongs to it.

    Attributes
    ----------
    org : the client organisation's id; ``name`` its name.
    orgs : the client and the organisations under it that are not clients themselves.
    opportunities : ids of the opportunities whose client is ``org``, in file order.
    """

    org: str
    name: str
    orgs: list[str] = field(default_factory=list)
    opportunities: list[str] = field(default_factory=list)


def accounts(ws: Workspace) -> list[Account]:
    """The accounts of a workspace, in the order their first opportunity appears.

    Each organisation belongs to its nearest client ancestor (itself included).
    O(organisations × depth + opportunities).

    Examples
    --------
    The sample workspace (:mod:`stakegraph.records.sample`) has one client
    organisation with one opportunity:

    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> ws = sample_workspace()
    >>> [(a.org, a.orgs, a.opportunities) for a in accounts(ws)]
    [('bureau', ['bureau'], ['portal'])]
    """
    found: dict[str, Account] = {}
    for opp in ws.opportunities.values():
        if opp.client not in found:
            org = ws.organisations[opp.client]
            found[opp.client] = Account(org.id, org.name)
        found[opp.client].opportunities.append(opp.id)
    for org_id in ws.organisations:
        owner = account_org(ws, org_id, found)
        if owner is not None:
            found[owner].orgs.append(org_id)
    return list(found.values())


def account_org(ws: Workspace, org_id: str, clients: dict | set) -> str | None:
    """The nearest client organisation at or above ``org_id`` (None: no account)."""
    seen: set[str] = set()
    current: str | None = org_id
    while current and current not in seen:
        if current in clients:
            return current
        seen.add(current)
        current = _parent(ws, current)
    return None


def _parent(ws: Workspace, org_id: str) -> str | None:
    """The 块 parent; of a dated parent outside a day's view, the last one listed."""
    org = ws.organisations.get(org_id)
    if org is None:
        return None
    return latest(org.parent)


def account_persons(ws: Workspace, account: Account, day: dt.date) -> list[str]:
    """Person ids in an account on ``day``: post holders in its orgs, then chain roles.

    In first-seen order, without repeats. O(posts + roles); for many accounts use
    :func:`persons_by_account`, which walks the posts once for all of them.
    """
    return persons_by_account(ws, [account], day)[account.org]


def persons_by_account(
    ws: Workspace, account_list: list[Account], day: dt.date
) -> dict[str, list[str]]:
    """Account org → its person ids on ``day``, as :func:`account_persons` gives them.

    One pass over the posts for all accounts (each organisation belongs to at most
    one account), then each account's chain roles: O(posts + roles), not
    O(accounts × posts).
    """
    account_of = {org_id: a.org for a in account_list for org_id in a.orgs}
    seen: dict[str, dict[str, None]] = {a.org: {} for a in account_list}
    for post in ws.posts.values():
        owner = account_of.get(post.org)
        if owner is not None:
            for pid in ws.holders(post.id, day):
                seen[owner].setdefault(pid, None)
    for account in account_list:
        for opp_id in account.opportunities:
            for step in resolve_chain(ws, opp_id, day):
                for role in step.roles:
                    for pid in role.holders:
                        seen[account.org].setdefault(pid, None)
    return {org: list(persons) for org, persons in seen.items()}


def person_accounts(
    ws: Workspace, day: dt.date, by_account: dict[str, list[str]] | None = None
) -> dict[str, list[str]]:
    """Person id → the account orgs they belong to on ``day`` (usually one).

    ``by_account``: the result of :func:`persons_by_account` for that day when the
    caller has it, so the posts are not walked again.
    """
    if by_account is None:
        by_account = persons_by_account(ws, accounts(ws), day)
    out: dict[str, list[str]] = defaultdict(list)
    for org, persons in by_account.items():
        for pid in persons:
            out[pid].append(org)
    return dict(out)
