"""Where each part of the brief sits on its 16:9 page, shared by every renderer."""

from __future__ import annotations

#: The page: a 16:9 slide, 13.333 × 7.5 inches (PowerPoint's widescreen size).
PAGE_WIDTH = 13.333
PAGE_HEIGHT = 7.5

#: Boxes as (left, top, width, height) in inches from the page's top-left corner.
BOXES: dict[str, tuple[float, float, float, float]] = {
    "title": (0.4, 0.25, 12.5, 0.6),
    "subtitle": (0.4, 0.85, 12.5, 0.35),
    "chain_heading": (0.4, 1.3, 8.4, 0.3),
    "chain": (0.4, 1.6, 8.4, 2.95),
    "coverage_heading": (9.1, 1.3, 3.8, 0.3),
    "overall": (9.1, 1.6, 3.8, 0.6),
    "coverage": (9.1, 2.2, 3.8, 2.35),
    "gaps_heading": (0.4, 4.7, 7.0, 0.3),
    "gaps": (0.4, 5.0, 7.0, 2.3),
    "actions_heading": (7.7, 4.7, 5.2, 0.3),
    "actions": (7.7, 5.0, 5.2, 2.3),
}


def inches(name: str) -> tuple[float, float, float, float]:
    """The box ``name`` as (left, top, width, height) in inches."""
    return BOXES[name]


def fraction(name: str) -> tuple[float, float, float, float]:
    """The box ``name`` in figure fractions (left, bottom, width, height), for matplotlib."""
    left, top, width, height = BOXES[name]
    return (
        left / PAGE_WIDTH,
        1.0 - (top + height) / PAGE_HEIGHT,
        width / PAGE_WIDTH,
        height / PAGE_HEIGHT,
    )
