"""Dated structure, names and reforms in Popolo documents (used by :mod:`stakegraph.io.popolo`).

Names: Popolo's ``other_names`` items carry ``start_date`` and ``end_date``
("the date on which the name was adopted / abandoned"). A person's dated names
are written there with their dates, and aliases without dates; reading, an item
with a date is a dated name, one without is an alias. ``end_date`` is copied as
the exclusive ``end``, as for memberships.

Structure: Popolo's ``parent_id`` is one id, and it has no reporting lines or
oversight. A plain parent stays ``parent_id``; a dated parent, and dated
``reports_to``, ``oversees`` and ``guided_by``, are kept under the namespaced
keys (``"stakegraph:parent"`` …) as lists of ``{"org"|"post": id, "start_date",
"end_date"}``, which Popolo consumers ignore. They are not written as Popolo
memberships of posts in posts, which Popolo does not define.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from stakegraph.records.model import Reform
from stakegraph.records.periods import NamePeriod, Period

#: Popolo collection of the records a reform joins, by its ``of``.
_REFORM_TARGET = {"organisations": "organizations", "posts": "posts"}

_DATE_KEYS = (("start", "start_date"), ("end", "end_date"))


def other_names(aliases: Sequence[str], names: Sequence[NamePeriod]) -> list[dict[str, Any]]:
    """``other_names`` of a person: dated names with their dates, then aliases."""
    out: list[dict[str, Any]] = []
    for item in names:
        entry: dict[str, Any] = {"name": item.name}
        entry.update(
            {key: getattr(item, f).isoformat() for f, key in _DATE_KEYS if getattr(item, f)}
        )
        out.append(entry)
    out += [{"name": a} for a in aliases]
    return out


def dated_names(value: Any) -> list[dict[str, Any]]:
    """The dated names among ``other_names`` items (those with a start or end date)."""
    out = []
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, dict) and any(entry.get(k) not in (None, "") for _, k in _DATE_KEYS):
            item = {"name": entry.get("name")}
            item.update({f: entry[k] for f, k in _DATE_KEYS if entry.get(k) not in (None, "")})
            out.append(item)
    return out


def undated_names(value: Any) -> list[Any]:
    """``other_names`` items without dates (aliases)."""
    items = value if isinstance(value, list) else [value]
    return [e for e in items if not (isinstance(e, dict) and dated_names([e]))]


def dated_export(value: Sequence[str | Period]) -> list[Any]:
    """A dated structural field as namespaced JSON: ids, or ids with Popolo dates."""
    out: list[Any] = []
    for item in value:
        if isinstance(item, str):
            out.append(item)
            continue
        entry: dict[str, Any] = {item.value_field: item.value}
        entry.update(
            {key: getattr(item, f).isoformat() for f, key in _DATE_KEYS if getattr(item, f)}
        )
        out.append(entry)
    return out


def dated_import(value: Any, key: str, ref: Callable[[Any], str | None]) -> Any:
    """The inverse of :func:`dated_export`, with each id mapped by ``ref``.

    A value that is not a list is one id.
    """
    if not isinstance(value, list):
        return ref(value)
    out: list[Any] = []
    for entry in value:
        if isinstance(entry, dict):
            item = {k: v for k, v in entry.items() if k not in ("start_date", "end_date")}
            if key in item:
                item[key] = ref(item[key])
            item.update({f: entry[k] for f, k in _DATE_KEYS if k in entry})
            out.append(item)
        else:
            out.append(ref(entry) if isinstance(entry, str) else entry)
    return out


def reform_data(reform: Reform) -> dict[str, Any]:
    """A reform as it is kept under ``"stakegraph:reforms"`` (Popolo has no reforms)."""
    return reform.model_dump(mode="json", exclude_defaults=True)


def reform_from(item: dict[str, Any], ref: Callable[[str, Any], Any]) -> dict[str, Any]:
    """A reform read back, its ids passed through ``ref(collection, id)`` so they
    follow records renamed on reading."""
    data = dict(item)
    target = _REFORM_TARGET.get(str(data.get("of", "organisations")), "organizations")
    for field in ("predecessors", "successors"):
        if isinstance(data.get(field), list):
            data[field] = [ref(target, x) for x in data[field]]
    if data.get("continued_by") is not None:
        data["continued_by"] = ref(target, data["continued_by"])
    return data
