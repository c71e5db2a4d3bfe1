"""The rows of a named query (``stakegraph query``) as one table definition."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from stakegraph.views.tables import Cell, Table


def query_cell(value: Any) -> str:
    """A value of a query row as text: floats to 4 places, lists joined by arrows.

    >>> [query_cell(v) for v in (None, 0.5, ["a", "b"], dt.date(2026, 11, 28), True)]
    ['', '0.5000', 'a → b', '2026-11-28', 'True']
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, list):
        return " → ".join(query_cell(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def query_table(name: str, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> Table:
    """The rows of the named query ``name``, titled by it.

    Parameters
    ----------
    name : str
        The query's name, the table's title.
    columns : sequence of str
        The columns the query declares it returns; when empty, the keys of the
        first row.
    rows : sequence of mapping
        The rows as the store answered them; a column a row lacks is left blank.

    Returns
    -------
    Table
        One text column per query column; long cells are cut, not folded, as a
        query may return many columns.
    """
    columns = list(columns) or (list(rows[0]) if rows else [])
    table = Table(key=f"query-{name}", title=name, columns=columns, fold=False)
    for row in rows:
        table.rows.append([Cell(query_cell(row.get(c))) for c in columns])
    return table
