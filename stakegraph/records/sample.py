"""A three-person workspace built in memory, small enough to check any result by hand.

The documentation examples of the algorithms run on it. Its people:

=========  ==========================  ==================================
 person     post (grade)                reports to
=========  ==========================  ==================================
 ``wang``   局长 director (正处)         —
 ``li``     副局长 deputy (副处)          director
 ``zhao``   科长 section chief (正科)     deputy
=========  ==========================  ==================================

Our side: ``chen`` (executive) manages ``liu`` (account rep). ``liu`` knows
``zhao`` (all six scores 4, strength 0.8 on :data:`SAMPLE_DAY`, named
responsible); ``chen`` knows ``li`` (all scores 3, strength 0.6). ``zhao`` and
``wang`` are former classmates (tie strength 0.5). One opportunity, ``portal``,
has a one-step chain whose decision maker is the director's post. Every contact
is dated :data:`SAMPLE_DAY`, so no strength has decayed on that day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from stakegraph.errors import Location
from stakegraph.records.workspace import RawRecord, Workspace, build_workspace

#: The day the sample is looked at: every relationship was last contacted on it.
SAMPLE_DAY = dt.date(2026, 12, 1)

_RECORDS: dict[str, list[dict[str, Any]]] = {
    "organisations": [
        {"id": "bureau", "name": "市数据局", "kind": "government", "level": "municipal"},
    ],
    "posts": [
        {"id": "director", "org": "bureau", "title": "局长", "grade": "正处", "leadership": True},
        {
            "id": "deputy",
            "org": "bureau",
            "title": "副局长",
            "grade": "副处",
            "reports_to": "director",
        },
        {
            "id": "chief",
            "org": "bureau",
            "title": "科长",
            "grade": "正科",
            "reports_to": "deputy",
        },
    ],
    "persons": [
        {"id": "wang", "name": "王芳", "tenures": [{"post": "director", "start": "2024-01-01"}]},
        {"id": "li", "name": "李明", "tenures": [{"post": "deputy", "start": "2024-01-01"}]},
        {"id": "zhao", "name": "赵强", "tenures": [{"post": "chief", "start": "2024-01-01"}]},
    ],
    "owners": [
        {"id": "chen", "name": "陈总", "tier": "executive"},
        {"id": "liu", "name": "小刘", "tier": "rep", "manager": "chen"},
    ],
    "relationships": [
        {
            "owner": "liu",
            "person": "zhao",
            **dict.fromkeys(
                ("acceptance", "participation", "information", "guidance", "support"), 4
            ),
            "preference": 4,
            "responsible": True,
            "last_contact": SAMPLE_DAY.isoformat(),
        },
        {
            "owner": "chen",
            "person": "li",
            **dict.fromkeys(
                ("acceptance", "participation", "information", "guidance", "support"), 3
            ),
            "preference": 3,
            "last_contact": SAMPLE_DAY.isoformat(),
        },
    ],
    "ties": [{"a": "zhao", "b": "wang", "kind": "classmate", "strength": 0.5}],
    "opportunities": [
        {
            "id": "portal",
            "name": "政务门户",
            "client": "bureau",
            "stage": "pursuit",
            "chain": [
                {
                    "name": "立项",
                    "roles": [{"post": "director", "role": "decision_maker", "weight": 1}],
                }
            ],
        }
    ],
}


def sample_workspace() -> Workspace:
    """The validated three-person workspace described in this module's docstring.

    Examples
    --------
    >>> ws = sample_workspace()
    >>> sorted(ws.persons), sorted(ws.owners), list(ws.opportunities)
    (['li', 'wang', 'zhao'], ['chen', 'liu'], ['portal'])
    """
    raws = [
        RawRecord(collection, dict(data), Location(f"sample {collection}"))
        for collection, items in _RECORDS.items()
        for data in items
    ]
    return build_workspace(raws, name="sample")
