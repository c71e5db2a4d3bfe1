"""The Python equivalent of every named query: the same rows, from a workspace in memory.

Each query of :mod:`stakegraph.engines.queries` has an entry in :data:`REGISTRY`: a
function that computes the rows the Cypher text returns, column for column and in
the same order, from a :class:`~stakegraph.records.workspace.Workspace` with the
algorithms of the embedded engine (the chain resolution, coverage, warm channels,
strength and influence). The folder store answers ``stakegraph query NAME`` with it,
so a question has one answer whether the workspace is a folder or stored in Neo4j,
and the parity tests run every entry against the server.

A new query needs an entry here (the tests fail on a query without one). An entry
names how rows are told apart when the two engines may order rows of equal value
differently (``key``), the columns the engines may not agree on (``loose``), and the
tolerance for numbers (Java and Python round a product of the same factors
alike to about 1e-15; PageRank agrees to the iteration's tolerance).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from stakegraph.config import Settings
from stakegraph.engines.queries import SETTING_PARAMS, bind_params, get_query, list_queries
from stakegraph.errors import StakegraphError
from stakegraph.graph.network import PersonNetwork, build_network
from stakegraph.records.lineage import continued_from
from stakegraph.records.workspace import Workspace

Rows = list[dict[str, Any]]
Compute = Callable[[Workspace, Mapping[str, Any]], Rows]


@dataclass(frozen=True)
class Equivalent:
    """How the embedded engine answers one named query.

    Attributes
    ----------
    name : str
        The query's name (its file ``queries/<name>.cypher``).
    compute : callable
        ``compute(workspace, params)`` with the parameters bound by
        :func:`~stakegraph.engines.queries.bind_params`; returns the rows.
    key : tuple of str
        Columns that identify a row, when the engines may order rows of equal value
        differently; empty when the order is fully determined.
    loose : tuple of str
        Columns that follow from that order (a rank), not compared row by row.
    tolerance : float
        Absolute tolerance for numbers.
    """

    name: str
    compute: Compute
    key: tuple[str, ...] = ()
    loose: tuple[str, ...] = ()
    tolerance: float = 1e-9


# --- shared steps ------------------------------------------------------------------------
def _day(params: Mapping[str, Any]) -> dt.date:
    return dt.date.fromisoformat(params["as_of"])


def _settings(settings: Settings, params: Mapping[str, Any]) -> Settings:
    """The workspace settings with the setting-like parameters of a query applied.

    Copied without validation: a query may ask what a threshold the settings file
    would refuse gives, as the Cypher text does.
    """
    sections: dict[str, dict[str, Any]] = defaultdict(dict)
    for name, (section, field) in SETTING_PARAMS.items():
        if params.get(name) is not None:
            sections[section][field] = params[name]
    return settings.model_copy(
        update={
            section: getattr(settings, section).model_copy(update=fields)
            for section, fields in sections.items()
        }
    )


def _network(ws: Workspace, params: Mapping[str, Any]) -> PersonNetwork:
    """The network on the query's day under the query's settings."""
    view = Workspace(_settings(ws.settings, params), ws.name)
    view.settings_text = ws.settings_text
    view.records = ws.records  # shared, not copied: nothing here changes a record
    return build_network(view, _day(params))


def _strongest(network: PersonNetwork, person: str) -> tuple[str | None, float]:
    """The best direct relationship to a person: (owner, strength), ties to the smaller id."""
    from stakegraph.graph.strength import relationship_strength

    ws = network.workspace
    best: tuple[float, str] | None = None
    for rel in ws.relationships.values():
        if rel.person != person:
            continue
        s = relationship_strength(rel, network.day, ws.settings)
        if best is None or s > best[0] or (s == best[0] and rel.owner < best[1]):
            best = (s, rel.owner)
    return (None, 0.0) if best is None else (best[1], best[0])


def _steps(network: PersonNetwork, opportunity: str) -> list:
    from stakegraph.graph.chains import resolve_chain

    if opportunity not in network.workspace.opportunities:
        return []  # the Cypher MATCH finds nothing
    return resolve_chain(network.workspace, opportunity, network.day)


def _value(x: Any) -> Any:
    return getattr(x, "value", x)


# --- the queries -------------------------------------------------------------------------
def decision_chain(ws: Workspace, params: Mapping[str, Any]) -> Rows:
    """:func:`~stakegraph.graph.chains.resolve_chain` with each holder's direct cover.

    Names are those in force on the day; ``acting`` flags a holder acting for the post.
    """
    network = _network(ws, params)
    on_day = network.workspace.persons
    rows = []
    for step in _steps(network, params["opportunity"]):
        for index, role in enumerate(step.roles):
            holders: list[str | None] = [*sorted(role.holders)] or [None]
            post = network.workspace.posts.get(role.post) if role.post else None
            for pid in holders:
                owner, cover = _strongest(network, pid) if pid else (None, 0.0)
                rows.append(
                    {
                        "step_index": step.index,
                        "step": step.id,
                        "step_name": step.name,
                        "role_index": index,
                        "role": role.role.value,
                        "weight": role.weight,
                        "share": role.weight / max(len(role.holders), 1),
                        "stance": _value(role.stance),
                        "competitor_leaning": role.competitor_leaning,
                        "post": role.post,
                        "post_title": post.title if post else None,
                        "holder": pid,
                        "holder_name": on_day[pid].name if pid else None,
                        "acting": pid in role.acting,
                        "vacant": pid is None and role.unknown is None,
                        "direct_cover": cover,
                        "direct_owner": owner,
                        "unknown_org": role.unknown.org if role.unknown else None,
                    }
                )
    return rows


#: The gap kinds coverage_gaps answers, in the order of its rows within a holder.
_GAP_ORDER = (
    "UNCOVERED",
    "WEAK",
    "STALE",
    "NO_OWNER",
    "OPPONENT",
    "VACANT",
    "UNKNOWN_HOLDER",
    "ROTATED",
)


def coverage_gaps(ws: Workspace, params: Mapping[str, Any]) -> Rows:
    """The gaps of :func:`~stakegraph.analysis.coverage.coverage` that need no influence."""
    from stakegraph.analysis.coverage import coverage

    network = _network(ws, params)
    steps = _steps(network, params["opportunity"])
    if not steps:
        return []
    index_of = {s.id: s.index for s in steps}
    on_day = network.workspace.relationships.values()
    day = network.day
    rows = []
    for h in coverage(network, params["opportunity"]).holders:
        kinds = [g.kind.value for g in h.gaps if g.kind.value in _GAP_ORDER]
        rels = [r for r in on_day if h.person and r.person == h.person]
        contacts = [r.last_contact for r in rels if r.last_contact]
        # the owner of the latest contact (no date counts as the day), then by id
        latest = min(
            rels, key=lambda r: (-(r.last_contact or day).toordinal(), r.owner), default=None
        )
        for kind in sorted(kinds, key=_GAP_ORDER.index):
            stale = kind == "STALE"
            rows.append(
                {
                    "step_index": index_of[h.step],
                    "step": h.step,
                    "step_name": h.step_name,
                    "role_index": h.role_index,
                    "kind": kind,
                    "person": h.person,
                    "person_name": (network.workspace.persons[h.person].name if h.person else None),
                    "post": h.post,
                    "cover": h.cover,
                    "owner": latest.owner if stale and latest else None,
                    "last_contact": max(contacts) if stale and contacts else None,
                }
            )
    rows.sort(
        key=lambda r: (
            r["step_index"],
            r["role_index"],
            r["person"] is None,
            r["person"] or "",
            _GAP_ORDER.index(r["kind"]),
        )
    )
    return rows


def warm_paths(ws: Workspace, params: Mapping[str, Any]) -> Rows:
    """:func:`~stakegraph.analysis.paths.warm_channels` as rows, formal lines as asked."""
    from stakegraph.analysis.paths import warm_channels

    network = _network(ws, params)
    person, owner = params["person"], params["owner"]
    if person not in network.person_index or (owner is not None and owner not in ws.owners):
        return []  # the Cypher MATCH finds nothing
    owners = None if owner is None else [owner]
    channels = warm_channels(
        network, person, params["k"], owners, params["max_hops"], params["formal_lines"]
    )
    return [
        {
            "rank": rank,
            "owner": c.owner,
            "owner_name": ws.owners[c.owner].name,
            "persons": list(c.persons),
            "person_names": [network.workspace.persons[p].name for p in c.persons],
            "strength": c.strength,
            "hops": c.hops,
            "links": list(c.links),
            "relationship": c.relationship_id,
            "steps": list(c.steps),
        }
        for rank, c in enumerate(channels, start=1)
    ]


def _relationship_rows(network: PersonNetwork, rels: list) -> list[dict[str, Any]]:
    """Strength, computed level, stated level and last contact of relationships on the day."""
    from stakegraph.graph.strength import level_from_scores, relationship_strength

    settings = network.workspace.settings
    return [
        {
            "relationship": r.id,
            "strength": relationship_strength(r, network.day, settings),
            "level": level_from_scores(r.scores(), settings).value,
            "stated_level": _value(r.level) if r.level else None,
            "responsible": bool(r.responsible),
            "last_contact": r.last_contact,
            "_record": r,
        }
        for r in rels
    ]


def who_covers(ws: Workspace, params: Mapping[str, Any]) -> Rows:
    """Our relationships to one person on the day, strongest first."""
    network = _network(ws, params)
    rels = [r for r in network.workspace.relationships.values() if r.person == params["person"]]
    rows = []
    for row in _relationship_rows(network, rels):
        rel = row.pop("_record")
        owner = ws.owners[rel.owner]
        rows.append(
            {
                "owner": owner.id,
                "owner_name": owner.name,
                "tier": owner.tier,
                "relationship": row["relationship"],
                "strength": row["strength"],
                "level": row["level"],
                "stated_level": row["stated_level"],
                "responsible": row["responsible"],
                "last_contact": row["last_contact"],
            }
        )
    rows.sort(key=lambda r: (-r["strength"], r["owner"], r["relationship"]))
    return rows


def owner_portfolio(ws: Workspace, params: Mapping[str, Any]) -> Rows:
    """One owner's relationships on the day, strongest first, with their load."""
    network = _network(ws, params)
    owner = ws.owners.get(params["owner"])
    if owner is None:
        return []
    rels = [r for r in network.workspace.relationships.values() if r.owner == owner.id]
    load = sum(1 for r in rels if r.responsible)
    rows = []
    for row in _relationship_rows(network, rels):
        rel = row.pop("_record")
        rows.append(
            {
                "person": rel.person,
                "person_name": network.workspace.persons[rel.person].name,
                "relationship": row["relationship"],
                "strength": row["strength"],
                "level": row["level"],
                "responsible": row["responsible"],
                "last_contact": row["last_contact"],
                "responsible_count": load,
                "capacity": owner.capacity,
                "over_capacity": load > owner.capacity,
            }
        )
    rows.sort(key=lambda r: (-r["strength"], r["person"], r["relationship"]))
    return rows


def _goes_on(ws: Workspace, person_id: str, post_id: str, start: dt.date) -> bool:
    """Whether a tenure starting ``start`` carries on the person's own: back from leave
    on the same post, or across a reform from a predecessor post (not a rotation)."""
    own = ws.persons[person_id].tenures
    if any(t.post == post_id and t.end == start for t in own):
        return True
    return continued_from(ws, person_id, post_id, start) is not None


def vacancies_and_rotations(ws: Workspace, params: Mapping[str, Any]) -> Rows:
    """Live posts nobody holds on the day (:meth:`Workspace.holders`) and recent starts.

    A post abolished or not yet created that day is not vacant (:meth:`Workspace.post_live`),
    and one whose only holder is on leave is. A start that carries on the person's own
    tenure (back from leave, or across a reform) is not a rotation. Names are those in
    force on the day.
    """
    day = _day(params)

    def post_columns(post_id: str) -> dict[str, Any]:
        post = ws.posts[post_id]
        org = ws.organisations.get(post.org)
        return {
            "post": post_id,
            "post_title": post.title,
            "org": post.org,
            "org_name": org.name if org else None,
        }

    vacant = [
        {"kind": "VACANT", **post_columns(p), "person": None, "person_name": None}
        | {"start": None, "predecessor": None, "predecessor_name": None}
        for p in sorted(ws.posts)
        if ws.post_live(p, day) and not ws.holders(p, day)
    ]
    rotations = []
    for person in ws.persons.values():
        for tenure in person.tenures:
            start = tenure.start
            if start is None or not tenure.holds_on(day) or (day - start).days > params["days"]:
                continue
            if _goes_on(ws, person.id, tenure.post, start):
                continue
            before = max(
                (
                    (t.end, pid)
                    for pid, t in ws.tenures_of_post(tenure.post)
                    if pid != person.id and t.end is not None and t.end <= start
                ),
                default=None,
            )
            rotations.append(
                {
                    "kind": "ROTATION",
                    **post_columns(tenure.post),
                    "person": person.id,
                    "person_name": person.name_on(day),
                    "start": start,
                    "predecessor": before[1] if before else None,
                    "predecessor_name": ws.persons[before[1]].name_on(day) if before else None,
                }
            )
    rotations.sort(key=lambda r: (-r["start"].toordinal(), r["post"], r["person"]))
    return vacant + rotations


def rotation_risk_inputs(ws: Workspace, params: Mapping[str, Any]) -> Rows:
    """:func:`~stakegraph.analysis.rotation_risk.rotation_inputs` of one opportunity as rows,
    co-holders by id."""
    from stakegraph.analysis.rotation_risk import rotation_inputs

    view = Workspace(_settings(ws.settings, params), ws.name)
    view.settings_text = ws.settings_text
    view.records = ws.records  # shared, not copied: nothing here changes a record
    if params["opportunity"] not in ws.opportunities:
        return []  # the Cypher MATCH finds nothing
    facts = rotation_inputs(view, _day(params), [params["opportunity"]])
    facts.sort(key=lambda f: (f["step_index"], f["role_index"], f["person"]))
    columns = get_query("rotation_risk_inputs").returns
    return [{column: fact[column] for column in columns} for fact in facts]


def influence_ranking(ws: Workspace, params: Mapping[str, Any]) -> Rows:
    """The deference edges and teleport inputs of :func:`~stakegraph.analysis.influence.influence`."""
    network = _network(ws, params)
    persons = network.persons
    rows: Rows = [
        {"part": "grade", "source": p, "target": None, "weight": float(network.grade[i])}
        for i, p in enumerate(persons)
    ]
    for part, matrix in (
        ("formal", network.formal),
        ("oversight", network.oversight),
        ("tie", network.tie_deference),
    ):
        coo = matrix.tocoo()
        for i, j, w in zip(coo.row, coo.col, coo.data, strict=True):
            weight = float(w) if part == "tie" else 1.0  # formal lines count once
            rows.append(
                {"part": part, "source": persons[i], "target": persons[j], "weight": weight}
            )
    if params.get("opportunity"):
        decision: dict[str, float] = defaultdict(float)
        for step in _steps(network, params["opportunity"]):
            for role in step.roles:
                for pid in role.holders:
                    decision[pid] += role.weight
        rows += [
            {"part": "decision", "source": p, "target": None, "weight": w}
            for p, w in decision.items()
        ]
    return rows


def influence_pagerank(ws: Workspace, params: Mapping[str, Any]) -> Rows:
    """:func:`~stakegraph.analysis.influence.influence` ranked as the query ranks it.

    The embedded engine iterates to its tolerance; the query takes ``iterations``
    steps, which at the default 100 leaves it within 1e-6 of the same scores.
    """
    from stakegraph.analysis.influence import influence

    network = _network(ws, params)
    opportunity = params.get("opportunity")
    if opportunity is not None and opportunity not in ws.opportunities:
        opportunity = None  # the Cypher MATCH finds no decision roles
    result = influence(network, opportunity, params["decision_boost"])
    ranked = sorted(
        ((float(result.score[i]), p) for i, p in enumerate(result.persons)),
        key=lambda x: (-x[0], x[1]),
    )
    return [
        {"person": p, "name": network.workspace.persons[p].name, "score": score, "rank": rank}
        for rank, (score, p) in enumerate(ranked, start=1)
    ]


#: Every named query and its Python equivalent.
REGISTRY: dict[str, Equivalent] = {
    e.name: e
    for e in (
        Equivalent("decision_chain", decision_chain),
        Equivalent("coverage_gaps", coverage_gaps),
        Equivalent("warm_paths", warm_paths),
        Equivalent("who_covers", who_covers),
        Equivalent("owner_portfolio", owner_portfolio),
        Equivalent("vacancies_and_rotations", vacancies_and_rotations),
        Equivalent("rotation_risk_inputs", rotation_risk_inputs),
        Equivalent("influence_ranking", influence_ranking, key=("part", "source", "target")),
        Equivalent(
            "influence_pagerank",
            influence_pagerank,
            key=("person",),
            loose=("rank",),
            tolerance=1e-6,
        ),
    )
}


def missing_equivalents() -> list[str]:
    """Named queries without an entry in :data:`REGISTRY` (should be none)."""
    return [q.name for q in list_queries() if q.name not in REGISTRY]


def answer(workspace: Workspace, name: str, params: Mapping[str, Any]) -> Rows:
    """Answer a named query from a workspace in memory, as the server would.

    Parameters are checked and bound exactly as for the server (types, bounds,
    defaults from the workspace's settings); ``workspace`` may be left out.

    Raises
    ------
    QueryError
        Unknown query or bad parameters (:class:`ParamOutOfRange` for a bound).
    """
    query = get_query(name)
    entry = REGISTRY.get(name)
    if entry is None:
        raise StakegraphError(f"query {name} has no Python equivalent; run it with --neo4j")
    values = dict(params)
    if query.param("workspace") is not None:
        values.setdefault("workspace", workspace.name)
    bound = bind_params(query, values, workspace.settings)
    return entry.compute(workspace, bound)
