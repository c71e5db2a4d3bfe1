"""The formal and oversight edges of a day's structure, by hand.

A line clerk → chief → director → mayor in two organisations (bureau, gov), a vice
mayor overseeing the bureau; cases just on either side of each rule: a vacant post
passed or held, a holder of two posts on one line, a leader at the top of the
organisation or under a post of the same one.
"""

from __future__ import annotations

from stakegraph.graph.arrays import (
    DayStructure,
    formal_pairs,
    held_posts,
    occupied_superior,
    oversight_pairs,
)


def _structure(chief: list[str]) -> DayStructure:
    return DayStructure(
        holders={
            "clerk": ["c1", "c2"],
            "chief": chief,
            "director": ["d"],
            "mayor": ["m"],
            "vice": ["v"],
        },
        superior={"clerk": "chief", "chief": "director", "director": "vice", "vice": "mayor"},
        org={
            "clerk": "bureau",
            "chief": "bureau",
            "director": "bureau",
            "mayor": "gov",
            "vice": "gov",
        },
        grade={"clerk": 1, "chief": 3, "director": 5, "mayor": 9, "vice": 8},
        leadership={"director", "chief", "mayor", "vice"},
        oversees={"vice": ["bureau"]},
    )


def test_a_vacant_post_is_climbed_past_and_a_held_one_stops_the_climb():
    vacant, held = _structure([]), _structure(["k"])
    assert occupied_superior("clerk", vacant.superior, vacant.holders) == ["d"]
    assert occupied_superior("clerk", held.superior, held.holders) == ["k"]
    assert sorted(formal_pairs(vacant)) == [("c1", "d"), ("c2", "d"), ("d", "v"), ("v", "m")]
    assert sorted(formal_pairs(held)) == [
        ("c1", "k"),
        ("c2", "k"),
        ("d", "v"),
        ("k", "d"),
        ("v", "m"),
    ]


def test_nobody_defers_to_themselves_on_a_line_they_hold_twice():
    structure = _structure(["d"])  # the director also holds the chief's post
    assert ("d", "d") not in formal_pairs(structure)
    assert ("c1", "d") in formal_pairs(structure)


def test_only_a_leader_at_the_top_of_the_organisation_defers_to_the_overseer():
    structure = _structure(["k"])
    # the director reports to a post of another organisation: the bureau's leader;
    # the chief is a leadership post under a post of the same bureau: not a leader
    assert oversight_pairs(structure) == [("d", "v")]
    structure.superior["director"] = "chief-of-staff"  # a post outside the workspace
    structure.org["chief-of-staff"] = "bureau"
    assert oversight_pairs(structure) == []
    del structure.superior["director"]  # reports to nobody: the top again
    assert oversight_pairs(structure) == [("d", "v")]


def test_grade_is_the_highest_held_and_zero_without_a_post():
    structure = _structure(["d"])
    index = {pid: i for i, pid in enumerate(["c1", "c2", "d", "m", "v", "x"])}
    grade, posts = held_posts(structure, index)
    assert grade.tolist() == [1, 1, 5, 9, 8, 0]
    assert posts["d"] == ["chief", "director"]
    assert "x" not in posts
