"""``stakegraph whatif``: the scenario's changes, and the part of a Neo4j workspace it reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from stakegraph.cli.common import _today, settle_language
from stakegraph.cli.source import Source, _opportunity, _read_of
from stakegraph.errors import StakegraphError

if TYPE_CHECKING:
    from stakegraph.analysis.whatif import Change
    from stakegraph.graph.relation_filter import RelationFilter
    from stakegraph.records.workspace import Workspace


def scenario_changes(
    ws: Workspace,
    day: dt.date,
    rotate: tuple[str, ...] = (),
    remove_person: tuple[str, ...] = (),
    owner_leaves: tuple[str, ...] = (),
    set_rel: tuple[str, ...] = (),
) -> list[Change]:
    """The changes the options name, each record resolved by id, name, alias or pinyin."""
    from stakegraph.analysis.whatif import Change, parse_relationship_change
    from stakegraph.records.lookup import Lookup

    names = Lookup(ws, day)
    changes = []
    for item in rotate:
        if ":" not in item:
            raise StakegraphError(f"--rotate '{item}': write PERSON:POST.")
        person, post = item.split(":", 1)
        changes.append(
            Change(
                "rotate",
                names.resolve("person", person, "--rotate"),
                names.resolve("post", post, "--rotate"),
            )
        )
    changes += [
        Change("remove_person", p) for p in names.resolve_all("person", remove_person, "--remove")
    ]
    changes += [
        Change("owner_leaves", o)
        for o in names.resolve_all("owner", owner_leaves, "--owner-leaves")
    ]
    for text in set_rel:
        change = parse_relationship_change(text)
        owner = names.resolve("owner", change.subject, "--relationship")
        person = names.resolve("person", change.target or "", "--relationship")
        changes.append(replace(change, subject=owner, target=person))
    if not changes:
        raise StakegraphError(
            "give at least one change: --rotate, --remove, --owner-leaves or --relationship."
        )
    return changes


def whatif_document(
    source: Source,
    opportunity: str | None,
    as_of: dt.date | None,
    relations: RelationFilter | None,
    quiet: bool,
    rotate: tuple[str, ...] = (),
    remove_person: tuple[str, ...] = (),
    owner_leaves: tuple[str, ...] = (),
    set_rel: tuple[str, ...] = (),
) -> tuple[dict[str, Any], dict[str, str] | None]:
    """The scenario's before and after (:func:`~stakegraph.views.whatif_tables.whatif_data`)
    and how a Neo4j source was read.

    From Neo4j, a scenario of ``--owner-leaves`` and ``--relationship`` changes only,
    with the opportunity, owners and persons given as stored ids and no relation
    filter, reads the part around the chain
    (:func:`stakegraph.engines.neo4j_subgraph.read_around`, with the persons of the
    relationships set as seeds, so each is read even when far from the chain); every
    channel of our owners to the chain's holders lies in it, before and after the
    changes, and influence is the whole book's from the server
    (:func:`~stakegraph.engines.neo4j_subgraph.region_influence`), which these changes
    leave as it is. ``--rotate`` and ``--remove`` move influence over the whole region,
    a relation filter changes the region's influence and a name needs the whole
    workspace to resolve: those read the whole workspace.

    Returns
    -------
    tuple
        The document and the read: None for a folder, else
        ``{"engine": "neo4j", "read": "targeted" | "whole"}``.
    """
    from stakegraph.analysis.whatif import what_if
    from stakegraph.views.whatif_tables import whatif_data

    day = as_of or _today()
    options = (rotate, remove_person, owner_leaves, set_rel)
    targetable = any(options) and not (rotate or remove_person) and relations is None
    if source.neo4j and targetable and opportunity:
        targeted = _targeted(source, opportunity, day, options)
        if targeted is not None:
            return targeted, _read_of("targeted")
    ws = source.load(quiet)
    opp = _opportunity(ws, opportunity, day)
    changes = scenario_changes(ws, day, *options)
    data = whatif_data(ws, what_if(ws, opp, day, changes, relations))
    return data, (_read_of("whole") if source.neo4j else None)


def _targeted(
    source: Source, opportunity: str, day: dt.date, options: tuple[tuple[str, ...], ...]
) -> dict[str, Any] | None:
    """The scenario on the part read around the chain; None when an id is not stored."""
    from stakegraph.analysis.whatif import parse_relationship_change, what_if
    from stakegraph.engines.neo4j_subgraph import read_around, region_influence
    from stakegraph.engines.store import Neo4jStore
    from stakegraph.views.whatif_tables import whatif_data

    _, _, owner_leaves, set_rel = options
    relationships = [parse_relationship_change(text) for text in set_rel]
    owners = [*owner_leaves, *(c.subject for c in relationships)]
    persons = [c.target or "" for c in relationships]
    with source.open() as store:
        assert isinstance(store, Neo4jStore)  # source.neo4j
        wid = store.pick(source.workspace_id)
        named = [("Opportunity", opportunity)]
        named += [("Owner", o) for o in owners] + [("Person", p) for p in persons]
        if not all(store._has(label, wid, text) for label, text in named):
            return None
        read = read_around(store.database, wid, day, None, opportunity, persons)
        ws = settle_language(read.workspace)
        changes = scenario_changes(ws, day, *options)
        result = what_if(
            ws,
            opportunity,
            day,
            changes,
            region_scores=lambda network: region_influence(
                store.database, wid, network, opportunity
            ),
        )
    return whatif_data(ws, result)
