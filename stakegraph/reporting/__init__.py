"""Reports as files: report.html (self-contained), report.md with PNG figures, the map.

:func:`write_report` writes the same content as ``stakegraph report`` prints (the
chain with holders and cover, the gaps by severity, the influence top list with
its parts, the informal circles, the plan) plus the figures and the interactive
map; :func:`write_map` writes the map alone.
"""

from .netmap import MAP_PERSON_LIMIT, MapError, map_data, write_map
from .writer import write_report

__all__ = ["MAP_PERSON_LIMIT", "MapError", "map_data", "write_map", "write_report"]
