"""What ``stakegraph centrality`` prints: the ranking, and a heading naming the graph used.

The rows (:func:`centrality_data`) carry person ids for ``--json``; the table
(:func:`centrality_table`, rendered by :func:`stakegraph.views.terminal.rich_table`)
shows names in force on the day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stakegraph.analysis.centrality import KEPT
from stakegraph.graph.relation_filter import applied_filter
from stakegraph.views.phrases import relations_phrase
from stakegraph.views.tables import Cell, Table

if TYPE_CHECKING:
    from stakegraph.analysis.centrality import Centrality
    from stakegraph.graph.network import PersonNetwork

#: Decimal places shown on the terminal.
DIGITS = 4


def centrality_data(network: PersonNetwork, result: Centrality, top: int) -> dict[str, Any]:
    """The top ``top`` persons by ``result``, highest first (ties by person id), with the
    graph, the count and the normalisation behind the scores. Scores are kept to 12
    decimal places.

    >>> from stakegraph.analysis.centrality import centrality
    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> data = centrality_data(network, centrality(network, "degree"), top=2)
    >>> [(r["rank"], r["person"], r["value"]) for r in data["rows"]]
    [(1, 'wang', 0.5), (2, 'zhao', 0.5)]
    """
    rows = [
        {"rank": rank, "person": network.persons[i], "value": round(float(result.values[i]), KEPT)}
        for rank, i in enumerate(result.ranked(network.persons, top), start=1)
    ]
    data: dict[str, Any] = {
        "day": network.day,
        "measure": result.measure,
        "graph": {
            "ties": "informal",
            "directed": result.directed,
            "kinds": None if result.kinds is None else sorted(k.value for k in result.kinds),
            "weighted": result.weighted,
        },
        "n": result.n,
        "isolates": result.isolates,
        "isolates_counted": True,
        "normalisation": result.normalisation,
        "samples": result.samples,
        "rows": rows,
    }
    relations = applied_filter(network)
    if relations.active:  # only when asked for, so the default document is unchanged
        data["relations"] = relations.to_dict()
    return data


def centrality_heading(data: dict[str, Any]) -> str:
    """The lines above the ranking: which graph, how many persons, which normalisation."""
    graph = data["graph"]
    kinds = ", ".join(graph["kinds"]) if graph["kinds"] is not None else "all kinds"
    shape = "directed (u → v: u seeks out v)" if graph["directed"] else "undirected"
    weights = "strength-weighted" if graph["weighted"] else "unweighted, distances in hops"
    sampled = f"; estimated from {data['samples']} sampled sources" if data.get("samples") else ""
    kept = f"\n{relations_phrase(data['relations'])}" if data.get("relations") else ""
    return (
        f"中心度 {data['measure']} on {data['day']}\n"
        f"graph: informal ties, {shape}, {kinds}, {weights}\n"
        f"n = {data['n']} persons, isolates counted ({data['isolates']} without a tie)\n"
        f"normalisation: {data['normalisation']}{sampled}{kept}"
    )


def centrality_table(network: PersonNetwork, data: dict[str, Any]) -> Table:
    """中心度: rank, name and score of the top persons."""
    table = Table(
        key="centrality",
        title=f"中心度 {data['measure']}",
        columns=["# rank", "姓名 person", data["measure"]],
        numeric=frozenset({0, 2}),
    )
    persons = network.workspace.persons
    for row in data["rows"]:
        table.rows.append(
            [
                Cell(str(row["rank"])),
                Cell(persons[row["person"]].name),
                Cell(f"{row['value']:.{DIGITS}f}"),
            ]
        )
    return table
