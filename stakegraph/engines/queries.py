"""Named Cypher queries: one question per file in ``stakegraph/queries/``, run by name.

Each ``<name>.cypher`` file starts with a header of ``//`` comment lines::

    // name: warm_paths
    // description: The k most reliable warm channels ...
    //   (indented lines continue the field above)
    // params:
    //   workspace: str — workspace id
    //   k: int = 3 [1, 50] — how many channels
    //   owner: str = null — only this owner (optional)
    // example: workspace=smart-city person=zhou-weiran as_of=2026-11-28
    // returns: rank, owner, persons, strength

A parameter without a default is required; ``= null`` makes it optional. The
``example`` line gives a value for each required one (on the bundled example), so
:func:`browser_script` can print a ``:param`` block that runs as pasted into Neo4j
Browser after ``stakegraph push examples/smart-city``. Types are
``str``, ``int``, ``float``, ``bool`` and ``date`` (an ISO date string the query
reads with ``date($as_of)``). A number may declare its bounds ``[low, high]``
(inclusive); every number of a shipped query does, so no value can make the server
work without end (a billion PageRank steps, a hundred-hop path search). A text
parameter may list the values it takes, ``{max|noisy_or}``.
:func:`bind_params` converts values given as text (from the command line) to these
types, checks that every required one is there, that each number lies within its
bounds and each listed text is one of its values, and refuses unknown ones, all
before anything is sent; the query text itself is never assembled from user data. :func:`run_query` then runs the query in
a read transaction with a timeout (:data:`DEFAULT_TIMEOUT`), after which the server
stops it.

Parameters that mirror a workspace setting (``half_life_days``, the six score
weights, ``max_hops``, the gap thresholds, the level rule, the influence damping and
deference weights, the ``[formal_lines]`` strengths, ``[ties] against_deference`` and
``strength``) default to the value in the stored workspace's ``stakegraph.toml``, so a
query answers like the embedded engine does on the same workspace.

The module also loads stored workspaces for the analyses (:func:`workspace_from_neo4j`)
and ranks influence from the rows of the ``influence_ranking`` query
(:func:`influence_from_neo4j`) with the same PageRank as
:func:`stakegraph.analysis.influence.influence`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from stakegraph.config import Settings
from stakegraph.errors import ParamOutOfRange, QueryError
from stakegraph.records.workspace import Workspace


def _query_dir() -> Path:
    """The folder of named queries: queries/ at the top of the repository, shipped in
    the wheel as the package ``stakegraph.queries``."""
    try:
        found = resources.files("stakegraph.queries")
        if isinstance(found, Path) and found.is_dir():
            return found
        for path in getattr(found, "_paths", ()):  # a namespace package (editable install)
            return Path(path)
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / "queries"


QUERY_DIR = _query_dir()
TYPES = ("str", "int", "float", "bool", "date")

_FIELD = re.compile(r"^//\s?(\w+):\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>\w+)\s*(?:=\s*(?P<default>[^\s\[]+))?\s*"
    r"(?:\[\s*(?P<low>[^,\]\s]+)\s*,\s*(?P<high>[^\]\s]+)\s*\])?\s*"
    r"(?:\{\s*(?P<choices>[^}]*?)\s*\})?\s*"
    r"(?:[—–-]+\s*(?P<meaning>.*))?$"
)
#: Seconds a named query may run on the server before the server stops it.
DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class QueryParam:
    """One parameter of a named query, as its header declares it."""

    name: str
    type: str
    required: bool
    default: Any
    meaning: str
    #: Inclusive bounds of a number (None: unbounded on that side).
    low: float | None = None
    high: float | None = None
    #: The values a text parameter may take (empty: any).
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        """``name: type [= default] [[low, high]] [{a|b}] — meaning`` as in the header."""
        default = "" if self.required else f" = {'null' if self.default is None else self.default}"
        bounds = f" [{_num(self.low)}, {_num(self.high)}]" if self.bounded else ""
        choices = f" {{{'|'.join(self.choices)}}}" if self.choices else ""
        return f"{self.name}: {self.type}{default}{bounds}{choices} — {self.meaning}"

    @property
    def bounded(self) -> bool:
        return self.low is not None and self.high is not None


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its header fields and its Cypher text."""

    name: str
    description: str
    params: tuple[QueryParam, ...]
    returns: tuple[str, ...]
    text: str
    path: Path
    #: A value for each required parameter, on the bundled example (``// example:``).
    example: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> QueryParam | None:
        return next((p for p in self.params if p.name == name), None)


# --- parsing -----------------------------------------------------------------------------
def _convert(value: Any, kind: str, what: str) -> Any:
    """A parameter value of the declared type; text is parsed, None stays None."""
    if value is None:
        return None
    try:
        if kind == "str":
            return str(value)
        if kind == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(value) if not isinstance(value, str) else int(value.strip())
        if kind == "float":
            if isinstance(value, bool):
                raise ValueError
            number = float(value)
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError
            return number
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("true", "yes", "1", "on"):
                return True
            if text in ("false", "no", "0", "off"):
                return False
            raise ValueError
        if kind == "date":
            if isinstance(value, dt.datetime):
                value = value.date()
            if isinstance(value, dt.date):
                return value.isoformat()
            return dt.date.fromisoformat(str(value).strip()).isoformat()
    except (TypeError, ValueError):
        example = {"int": "3", "float": "0.5", "bool": "true", "date": "2026-11-28"}.get(kind, "")
        raise QueryError(
            f"{what} must be {'a' if kind != 'int' else 'an'} {kind}"
            f"{f' (e.g. {example})' if example else ''}, got {value!r}"
        ) from None
    raise QueryError(f"{what} has an unknown type {kind!r}")


def parse_query(text: str, path: Path) -> NamedQuery:
    """Read the header of a query file (see the module notes for its form)."""
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            break
        match = _FIELD.match(stripped)
        if match and match.group(1) in ("name", "description", "params", "example", "returns"):
            current = match.group(1)
            fields[current] = [match.group(2).strip()] if match.group(2).strip() else []
        elif current is not None:
            fields[current].append(stripped[2:].strip())
    where = path.name
    for required in ("name", "description", "params", "returns"):
        if required not in fields:
            raise QueryError(f"query file {where} has no '// {required}:' header line")
    name = " ".join(fields["name"])
    if name != path.stem:
        raise QueryError(f"query file {where} is named {name!r} in its header")
    params = []
    for item in fields["params"]:
        match = _PARAM.match(item)
        if not match or match.group("type") not in TYPES:
            raise QueryError(f"query file {where}: cannot read the parameter line {item!r}")
        raw_default = match.group("default")
        kind = match.group("type")
        default = (
            None
            if raw_default in (None, "null")
            else _convert(raw_default, kind, f"default of {match.group('name')}")
        )
        low = high = None
        if match.group("low") is not None:
            if kind not in ("int", "float"):
                raise QueryError(f"query file {where}: only numbers take bounds, in {item!r}")
            low = _convert(match.group("low"), "float", f"lower bound of {match.group('name')}")
            high = _convert(match.group("high"), "float", f"upper bound of {match.group('name')}")
            if low > high:
                raise QueryError(f"query file {where}: bounds of {match.group('name')} fall")
        choices: tuple[str, ...] = ()
        if match.group("choices") is not None:
            if kind != "str":
                raise QueryError(
                    f"query file {where}: only text takes a list of values, in {item!r}"
                )
            choices = tuple(c.strip() for c in match.group("choices").split("|") if c.strip())
            if not choices or (default is not None and default not in choices):
                raise QueryError(
                    f"query file {where}: list the values of {match.group('name')} as "
                    f"{{a|b}}, its default among them, in {item!r}"
                )
        params.append(
            QueryParam(
                name=match.group("name"),
                type=kind,
                required=raw_default is None,
                default=default,
                meaning=(match.group("meaning") or "").strip(),
                low=low,
                high=high,
                choices=choices,
            )
        )
    returns = tuple(c.strip() for c in " ".join(fields["returns"]).split(",") if c.strip())
    example = _parse_example(" ".join(fields.get("example", [])), params, where)
    return NamedQuery(
        name=name,
        description=" ".join(fields["description"]),
        params=tuple(params),
        returns=returns,
        text=text,
        path=path,
        example=example,
    )


def _parse_example(text: str, params: list[QueryParam], where: str) -> tuple[tuple[str, str], ...]:
    """The ``// example:`` line: ``NAME=VALUE`` pairs, one for every required parameter."""
    known = {p.name for p in params}
    pairs = []
    for item in text.split():
        name, equals, value = item.partition("=")
        if not equals or name not in known:
            raise QueryError(f"query file {where}: cannot read the example value {item!r}")
        pairs.append((name, value))
    lacking = [p.name for p in params if p.required and p.name not in dict(pairs)]
    if lacking:
        raise QueryError(
            f"query file {where}: the '// example:' line gives no value for {', '.join(lacking)}"
        )
    return tuple(pairs)


@cache
def _load_all() -> dict[str, NamedQuery]:
    queries = {}
    for path in sorted(QUERY_DIR.glob("*.cypher")):
        query = parse_query(path.read_text(encoding="utf-8"), path)
        queries[query.name] = query
    return queries


def list_queries() -> list[NamedQuery]:
    """Every named query shipped with stakegraph, by name."""
    return list(_load_all().values())


def get_query(name: str) -> NamedQuery:
    """The named query ``name``; :class:`QueryError` listing the known ones otherwise."""
    queries = _load_all()
    if name not in queries:
        raise QueryError(f"no query named '{name}'; known queries: {', '.join(queries)}")
    return queries[name]


# --- parameters ---------------------------------------------------------------------------
#: Parameters that mirror a workspace setting: name → (settings section, field).
SETTING_PARAMS: dict[str, tuple[str, str]] = {
    "half_life_days": ("strength", "half_life_days"),
    "w_acceptance": ("strength", "acceptance"),
    "w_participation": ("strength", "participation"),
    "w_information": ("strength", "information"),
    "w_guidance": ("strength", "guidance"),
    "w_support": ("strength", "support"),
    "w_preference": ("strength", "preference"),
    "max_hops": ("coverage", "max_hops"),
    "weak_threshold": ("coverage", "weak_threshold"),
    "strong_threshold": ("coverage", "strong_threshold"),
    "stale_days": ("coverage", "stale_days"),
    "level_preferred": ("levels", "preferred"),
    "level_partner": ("levels", "partner"),
    "level_strategic": ("levels", "strategic"),
    "strategic_min_support": ("levels", "strategic_min_support"),
    "strategic_min_preference": ("levels", "strategic_min_preference"),
    "damping": ("influence", "damping"),
    "w_formal": ("influence", "formal"),
    "w_oversight": ("influence", "oversight"),
    "w_tie": ("influence", "tie"),
    "upward": ("formal_lines", "upward"),
    "downward": ("formal_lines", "downward"),
    "against_deference": ("ties", "against_deference"),
    "tie_strength": ("ties", "strength"),
    "tie_deference": ("ties", "deference"),
    "reform_days": ("rotation", "reform_days"),
}


def settings_params(settings: Settings) -> dict[str, Any]:
    """The values of :data:`SETTING_PARAMS` in a workspace's settings."""
    return {
        name: getattr(getattr(settings, section), field)
        for name, (section, field) in SETTING_PARAMS.items()
    }


def bind_params(
    query: NamedQuery, params: Mapping[str, Any], settings: Settings | None = None
) -> dict[str, Any]:
    """Check and convert the parameters of a query; fill defaults.

    Defaults come from ``settings`` (for :data:`SETTING_PARAMS`) when given, else
    from the header. Raises :class:`QueryError` naming every missing parameter, or
    the first unknown or malformed one, and :class:`ParamOutOfRange` for a number
    outside the bounds its header declares (a default from ``settings`` too).
    """
    known = {p.name for p in query.params}
    unknown = sorted(set(params) - known)
    if unknown:
        raise QueryError(
            f"query {query.name} has no parameter {', '.join(unknown)}; "
            f"its parameters: {', '.join(p.name for p in query.params)}"
        )
    from_settings = settings_params(settings) if settings is not None else {}
    bound: dict[str, Any] = {}
    missing = []
    for p in query.params:
        if p.name in params and params[p.name] is not None:
            bound[p.name] = _convert(params[p.name], p.type, f"parameter {p.name}")
        elif p.required:
            missing.append(p.name)
        elif p.name in from_settings:
            bound[p.name] = _convert(from_settings[p.name], p.type, f"parameter {p.name}")
        else:
            bound[p.name] = p.default
    if missing:
        raise QueryError(
            f"query {query.name} needs {', '.join(missing)}; "
            "pass each as --param NAME=VALUE (stakegraph query --list shows them)"
        )
    for p in query.params:
        value = bound[p.name]
        if value is not None and p.choices and value not in p.choices:
            origin = "" if p.name in params else " (from the workspace's stakegraph.toml)"
            raise ParamOutOfRange(
                f"parameter {p.name} of query {query.name} must be one of "
                f"{', '.join(p.choices)}, got {value}{origin}; pass --param {p.name}=VALUE"
            )
        if value is None or not p.bounded:
            continue
        assert p.low is not None and p.high is not None
        if not p.low <= value <= p.high:
            origin = "" if p.name in params else " (from the workspace's stakegraph.toml)"
            raise ParamOutOfRange(
                f"parameter {p.name} of query {query.name} must be from {_num(p.low)} to "
                f"{_num(p.high)}, got {value}{origin}; the bounds are declared in "
                f"queries/{query.path.name}; pass --param {p.name}=VALUE within them"
            )
    return bound


def _cypher_literal(value: Any, kind: str) -> str:
    """A bound value as a Cypher expression for Neo4j Browser's ``:param``."""
    if value is None:
        return "null"
    if kind == "bool":
        return "true" if value else "false"
    if kind == "date":
        return f"date('{value}')"
    if kind in ("int", "float"):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def browser_script(query: NamedQuery, values: Mapping[str, Any]) -> str:
    """A block to paste into Neo4j Browser: one ``:param`` line per parameter, then the query.

    Each parameter takes the value given in ``values``, else the query's example value
    (the bundled example), else its default; every value is checked as
    :func:`bind_params` checks it, so what is printed runs as it is. Dates are passed
    as ``date(...)`` values, which the queries read like their ISO text.

    >>> q = get_query("who_covers")
    >>> print(browser_script(q, {"person": "he-jing"}).splitlines()[1])
    :param person => 'he-jing';
    """
    given = {**dict(query.example), **{k: v for k, v in values.items() if v is not None}}
    bound = bind_params(query, given)
    lines = [f":param {p.name} => {_cypher_literal(bound[p.name], p.type)};" for p in query.params]
    return "\n".join([*lines, "", query.text.rstrip(), ""])


def _native(value: Any) -> Any:
    if isinstance(value, list):
        return [_native(v) for v in value]
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def _stored_settings(store: Any, workspace_id: str) -> Settings:
    """The settings of a stored workspace whose last push completed."""
    from stakegraph.errors import IncompletePush
    from stakegraph.io import load_settings_text

    meta = store.info(workspace_id)
    if not meta.get("complete"):
        # a half-written workspace answers with half the rows: refuse, as pull does
        raise IncompletePush(
            f"the last push of workspace '{workspace_id}' to {store.uri} did not finish; "
            "push it again"
        )
    return load_settings_text(meta.get("settings_text"), f"neo4j workspace {workspace_id}")


def run_query(
    store: Any,
    name: str,
    params: Mapping[str, Any],
    use_settings: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[dict[str, Any]]:
    """Run the named query on a :class:`~stakegraph.engines.neo4j.Store`; rows as plain dicts.

    Parameters
    ----------
    store : Store
        From :func:`stakegraph.engines.neo4j.connect`.
    name : str
        A query of :func:`list_queries`.
    params : mapping
        Parameter values, as text or as values of the declared types.
    use_settings : bool, default True
        Default the setting-like parameters from the stored workspace's
        ``stakegraph.toml`` (the workspace must then be stored).
    timeout : float, default :data:`DEFAULT_TIMEOUT`
        Seconds the server may spend on the query; it then stops the query and
        :class:`~stakegraph.engines.neo4j.QueryTimedOut` is raised.

    Returns
    -------
    list of dict
        One dict per row with the columns of the header's ``returns``; Neo4j dates
        become :class:`datetime.date`.

    Raises
    ------
    QueryError
        Unknown query, missing, unknown or malformed parameters.
    ParamOutOfRange
        A number outside its declared bounds (nothing was sent).
    WorkspaceNotStored
        The workspace parameter names no stored workspace.
    IncompletePush
        The workspace's last push did not finish.
    QueryTimedOut
        The server stopped the query after ``timeout`` seconds.
    """
    query = get_query(name)
    if not timeout > 0:
        raise ParamOutOfRange(f"the query timeout must be above 0 seconds, got {timeout:g}")
    bind_params(query, params)  # refuse bad values before any round trip
    settings = None
    workspace_id = params.get("workspace")
    if workspace_id is not None:
        # Checks the workspace exists and is whole, so a typo is not an empty answer.
        settings = _stored_settings(store, str(workspace_id))
    bound = bind_params(query, params, settings if use_settings else None)
    with store._errors():
        rows = store._read(query.text, timeout=timeout, **bound)
    return [{k: _native(v) for k, v in row.items()} for row in rows]


# --- analyses on Neo4j data ---------------------------------------------------------------
def workspace_from_neo4j(store: Any, workspace_id: str) -> Workspace:
    """The stored workspace as records, for every analysis of the embedded engine.

    ``build_report(workspace_from_neo4j(store, id), day)`` equals the report on the
    folder that was pushed.
    """
    return store.pull(workspace_id)


def influence_from_rows(
    rows: list[dict[str, Any]],
    settings: Settings,
    day: dt.date,
    opportunity: str | None = None,
    decision_boost: float = 3.0,
) -> Any:
    """Rank influence from the rows of the ``influence_ranking`` query.

    Builds the formal, oversight and tie deference matrices and the grades from the
    rows and runs :func:`stakegraph.analysis.influence.influence` on them, so the
    scores are those of the embedded engine (persons are indexed by id, which only
    changes the order in which equal scores are ranked). The decision weights of the
    ``decision`` rows enter the teleport vector as ``g·(1 + β·w)``; the position and
    decision parts are then split as :func:`influence` splits them.

    Returns
    -------
    Influence
    """
    from stakegraph.analysis.influence import Influence, influence
    from stakegraph.graph.network import PersonNetwork

    persons = sorted({r["source"] for r in rows if r["part"] == "grade"})
    index = {pid: i for i, pid in enumerate(persons)}
    n = len(persons)
    grade = np.zeros(n)
    decision = np.zeros(n)
    parts: dict[str, tuple[list[int], list[int], list[float]]] = {
        "formal": ([], [], []),
        "oversight": ([], [], []),
        "tie": ([], [], []),
    }
    for row in rows:
        part = row["part"]
        if part == "grade":
            grade[index[row["source"]]] = row["weight"]
        elif part == "decision":
            decision[index[row["source"]]] += row["weight"]
        elif part in parts:
            src, dst, val = parts[part]
            src.append(index[row["source"]])
            dst.append(index[row["target"]])
            val.append(float(row["weight"]))

    def matrix(part: str) -> sp.csr_matrix:
        src, dst, val = parts[part]
        return sp.csr_matrix(
            (np.asarray(val, dtype=float), (np.asarray(src), np.asarray(dst))), shape=(n, n)
        )

    base = np.maximum(grade, 1.0)
    stand_in = Workspace(settings, "neo4j")
    network = PersonNetwork(
        workspace=stand_in,
        day=day,
        persons=persons,
        person_index=index,
        owners=[],
        owner_index={},
        # influence() teleports ∝ max(grade, 1); folding the decision boost in here
        # gives it the personalised vector without a chain to resolve.
        grade=base * (1.0 + decision_boost * decision),
        posts={},
        formal=matrix("formal"),
        oversight=matrix("oversight"),
        tie_deference=matrix("tie"),
        tie_strength=sp.csr_matrix((n, n)),
        relationship=sp.csr_matrix((0, n)),
    )
    plain = influence(network)
    teleport = plain.score - plain.formal - plain.informal
    position_mass = base
    decision_mass = base * decision_boost * decision
    share = np.divide(position_mass, position_mass + decision_mass)
    position = teleport * share
    return Influence(
        persons,
        plain.score,
        plain.formal,
        plain.informal,
        position,
        teleport - position,
        plain.iterations,
        opportunity,
    )


def influence_from_neo4j(
    store: Any,
    workspace_id: str,
    day: dt.date,
    opportunity: str | None = None,
    decision_boost: float = 3.0,
) -> Any:
    """Influence of every person of a stored workspace, from the ``influence_ranking`` rows."""
    settings = _stored_settings(store, workspace_id)
    rows = run_query(
        store,
        "influence_ranking",
        {"workspace": workspace_id, "as_of": day, "opportunity": opportunity},
    )
    return influence_from_rows(rows, settings, day, opportunity, decision_boost)


# --- influence of one opportunity on the server ---------------------------------------------
#: Persons of a stored workspace above which ``influence --neo4j --opportunity ID`` ranks
#: on the server by default (the ``influence_pagerank`` query, no pull): below it the
#: pull and the embedded engine answer in seconds and give the parts of each score; above
#: it pulling the whole region costs more than the server's power iteration.
SERVER_RANKING_ABOVE = 3000


@dataclass(frozen=True)
class ServerRanking:
    """Which engine ranks one opportunity's influence, and the server's ranking.

    Attributes
    ----------
    path : str
        ``"server"`` (the ``influence_pagerank`` query) or ``"embedded"`` (the
        caller pulls the workspace and runs :func:`stakegraph.analysis.influence.influence`).
    persons : int
        Persons of the stored workspace.
    above : int
        The threshold the choice was made against.
    opportunity : str
        The opportunity's id.
    rows : list of dict
        On the server path, the best ``top`` rows of ``influence_pagerank`` (person,
        name, score, rank); empty on the embedded path.
    """

    path: str
    persons: int
    above: int
    opportunity: str
    rows: list[dict[str, Any]]


def influence_path(persons: int, server: bool | None, above: int = SERVER_RANKING_ABOVE) -> str:
    """``"server"`` when asked (``server=True``) or, unasked, when ``persons > above``.

    >>> influence_path(3000, None), influence_path(3001, None), influence_path(10, True)
    ('embedded', 'server', 'server')
    """
    if server is not None:
        return "server" if server else "embedded"
    return "server" if persons > above else "embedded"


def rank_on_server(
    store: Any,
    opportunity: str,
    day: dt.date,
    top: int,
    workspace_id: str | None = None,
    server: bool | None = None,
    above: int = SERVER_RANKING_ABOVE,
) -> ServerRanking:
    """Rank one opportunity's influence on the Neo4j server when the region is large.

    Counts the stored workspace's persons (one round trip) and, on the server path
    (:func:`influence_path`), runs the personalised PageRank of ``influence_pagerank``
    there; its scores agree with :func:`stakegraph.analysis.influence.influence` to
    1e-6 (100 power steps at damping 0.85; the query's header). ``opportunity`` may
    be an id, a name, an alias or pinyin. Cost on the server: O(iterations × edges).

    Parameters
    ----------
    store : Neo4jStore
        From :func:`stakegraph.engines.store.open_store` on a database.
    opportunity : str
    day : datetime.date
    top : int
        How many rows to keep (at least 1).
    workspace_id : str, optional
        The stored workspace (optional when the database holds one).
    server : bool, optional
        True: always the server; False: never; None: by size.
    above : int, default :data:`SERVER_RANKING_ABOVE`

    Returns
    -------
    ServerRanking
    """
    wid = store.pick(workspace_id)
    with store.database._errors():  # one count, under the same time limit as a query
        counted = store.database._read(
            "MATCH (p:Person {workspace: $workspace}) RETURN count(p) AS n",
            timeout=DEFAULT_TIMEOUT,
            workspace=wid,
        )
    persons = int(counted[0]["n"]) if counted else 0
    opportunity = store.named({"opportunity": opportunity}, wid)["opportunity"]
    path = influence_path(persons, server, above)
    rows: list[dict[str, Any]] = []
    if path == "server":
        found = store.query("influence_pagerank", {"opportunity": opportunity, "as_of": day}, wid)
        rows = sorted(found, key=lambda r: r["rank"])[:top]
    return ServerRanking(path, persons, above, opportunity, rows)
