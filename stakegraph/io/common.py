"""What every format shares: turning records into the plain data a file holds.

Writers omit values equal to their defaults (and ids that are derived from other
fields), and write grades and tiers by their names, so written files stay short
and read like the ones people type. Reading them back gives equal records.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from stakegraph.config import Settings
from stakegraph.records.model import Assessment, Opportunity, Owner, Post, Record, Relationship, Tie


def record_to_data(record: Record, settings: Settings) -> dict[str, Any]:
    """Plain data of a record as it should be written (dates stay ``date`` objects)."""
    data = record.model_dump(mode="python", exclude_defaults=True)
    if isinstance(record, Relationship | Tie | Assessment) and record.id == record.default_id():
        data.pop("id", None)
    if isinstance(record, Post):
        data["grade"] = settings.grade_name(record.grade) or record.grade
    if isinstance(record, Owner):
        data["tier"] = settings.tier_name(record.tier) or record.tier
    if isinstance(record, Opportunity):
        for index, step in enumerate(data.get("chain", []), start=1):
            if step.get("id") == f"s{index}":
                step.pop("id")
            for role in step.get("roles", []):
                if role.get("unknown_grade") is not None:
                    grade = role["unknown_grade"]
                    role["unknown_grade"] = settings.grade_name(grade) or grade
    return _plain(data)


def ordered_fields(record: Record, data: dict[str, Any]) -> dict[str, Any]:
    """Put ``id`` and ``name`` first, then the rest in the class's field order."""
    order = ["id", "name", "title", *type(record).model_fields]
    return {k: data[k] for k in dict.fromkeys(order) if k in data}


def _plain(value: Any) -> Any:
    """Enums to their values, floats that are whole numbers to ints, recursively."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is first not in ``taken``."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
