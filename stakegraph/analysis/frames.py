"""Results as pandas DataFrames, for notebooks; pandas stays optional.

Every result that is a table answers :meth:`Tabular.rows` (plain dicts, the same
rows and numbers as the command's ``--json``) and :meth:`Tabular.to_pandas` (those
rows as a DataFrame, nested dicts flattened into ``parent.child`` columns the way
:func:`pandas.json_normalize` names them, lists kept as lists). pandas is imported
only when a frame is asked for; without it the error says what to install.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import pandas

#: What to install when pandas is missing.
PANDAS_HINT = "to_pandas() needs pandas: pip install stakegraph[pandas]"

T = TypeVar("T")


def require_pandas() -> Any:
    """The pandas module, or an ImportError that names the extra to install.

    Raises
    ------
    ImportError
        pandas is not installed; the message says ``pip install stakegraph[pandas]``.
    """
    try:
        import pandas
    except ImportError as exc:
        raise ImportError(PANDAS_HINT) from exc
    return pandas


def flatten(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """One flat dict: a nested dict's keys become ``parent.child``; lists stay as they are.

    Examples
    --------
    >>> flatten({"rank": 1, "parts": {"formal": 2.0, "decision": None}, "posts": ["a"]})
    {'rank': 1, 'parts.formal': 2.0, 'parts.decision': None, 'posts': ['a']}
    >>> flatten({"channel": None})
    {'channel': None}
    """
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def rows_to_frame(rows: list[dict[str, Any]], columns: list[str] | None = None) -> pandas.DataFrame:
    """A DataFrame of plain rows, one column per (flattened) key in order of appearance.

    Parameters
    ----------
    rows : list of dict
        The rows, as :meth:`Tabular.rows` gives them.
    columns : list of str, optional
        The columns of an empty result (rows give them otherwise).

    Returns
    -------
    pandas.DataFrame
        One row per dict; a key missing from a row is ``None`` there.
    """
    pd = require_pandas()
    flat = [flatten(row) for row in rows]
    names: dict[str, None] = dict.fromkeys(columns or [])
    for row in flat:
        names.update(dict.fromkeys(row))
    return pd.DataFrame.from_records(
        [[row.get(name) for name in names] for row in flat], columns=list(names)
    )


class Tabular:
    """A result that reads as one table: :meth:`rows` and :meth:`to_pandas`."""

    #: Columns of the frame when there are no rows.
    frame_columns: tuple[str, ...] = ()

    def rows(self) -> list[dict[str, Any]]:
        """The result as plain rows (the same keys and numbers as ``--json``)."""
        raise NotImplementedError

    def to_pandas(self) -> pandas.DataFrame:
        """The rows of :meth:`rows` as a pandas DataFrame (needs ``stakegraph[pandas]``)."""
        return rows_to_frame(self.rows(), list(self.frame_columns))


class ResultList(list[T], Tabular):
    """A list of result items that is also a table (see :class:`Tabular`).

    It compares, iterates and indexes like the plain list it replaces.
    """
