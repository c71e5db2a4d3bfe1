"""`stakegraph query` on a folder takes people, owners and opportunities by name, as every
other command does: id, name in force on the day, alias, pinyin or initials."""

from __future__ import annotations

import json

import pytest

from stakegraph.engines.store import FolderStore, resolve_names
from stakegraph.errors import AmbiguousName, Location, UnknownRecord
from stakegraph.io import load_workspace
from stakegraph.records.workspace import RawRecord, build_workspace
from tests.builders import DAY, SMART_CITY, cli_runner

invoke = cli_runner()


def _rows(name: str, *params: str) -> list[dict]:
    result = invoke("query", name, SMART_CITY, *params, "-p", f"as_of={DAY}", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("typed", ["许志恒", "Xu Zhiheng", "xuzhiheng", "xzh"])
def test_a_person_by_name_alias_or_pinyin_gives_the_rows_of_the_id(typed):
    want = _rows("who_covers", "-p", "person=xu-zhiheng")
    assert want, "xu-zhiheng is covered in the example"
    assert _rows("who_covers", "-p", f"person={typed}") == want


def test_an_owner_and_an_opportunity_by_name():
    ws = load_workspace(SMART_CITY)
    owner = next(iter(ws.owners.values()))
    opportunity = next(iter(ws.opportunities.values()))
    assert _rows("owner_portfolio", "-p", f"owner={owner.name}") == _rows(
        "owner_portfolio", "-p", f"owner={owner.id}"
    )
    assert _rows("coverage_gaps", "-p", f"opportunity={opportunity.name}") == _rows(
        "coverage_gaps", "-p", f"opportunity={opportunity.id}"
    )


def test_an_unknown_name_is_refused_with_the_parameter_and_close_matches():
    result = invoke("query", "who_covers", SMART_CITY, "-p", "person=许志", "-p", f"as_of={DAY}")
    assert result.exit_code == 1
    assert "--param person" in result.output and "xu-zhiheng" in result.output, result.output


def test_other_parameters_and_empty_values_are_left_alone():
    ws = load_workspace(SMART_CITY)
    params = {"person": "xu-zhiheng", "k": "3", "owner": None, "as_of": "not a day"}
    assert resolve_names(ws, params) == params


def test_an_ambiguous_name_lists_the_candidates():
    records = {
        "persons": [{"id": "wang-wei", "name": "王伟"}, {"id": "wang-wei-2", "name": "王伟"}],
    }
    raws = [
        RawRecord(collection, dict(data), Location(collection))
        for collection, items in records.items()
        for data in items
    ]
    ws = build_workspace(raws, name="twins")
    with pytest.raises(AmbiguousName, match="--param person: .*wang-wei .*wang-wei-2"):
        resolve_names(ws, {"person": "王伟"})
    assert resolve_names(ws, {"person": "wang-wei-2"}) == {"person": "wang-wei-2"}


def test_the_folder_store_resolves_without_changing_ids():
    with FolderStore(SMART_CITY) as store:
        assert store.named({"person": "xu-zhiheng"}) == {"person": "xu-zhiheng"}
        with pytest.raises(UnknownRecord):
            store.named({"person": "nobody-at-all"})
