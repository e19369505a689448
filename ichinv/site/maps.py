"""The schematic map of Kazakhstan's provinces: a tile grid drawn as SVG from the province
records (no map tiles, nothing fetched from the network).

Each current province (a record without `valid_until`) is one tile, placed by `GRID`: the
positions follow the relative places of the units' administrative centres, west to east and
north to south. It is a schematic, not a map to scale, and says so. A current province the grid
does not know (a future unit) is placed in a row below, so that every province has its tile.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping

from ichinv.site.model import Map, Tile

GRID: Mapping[str, tuple[int, int]] = {
    # (column, row), west → east, north → south
    "KZ-39": (2, 0),  # Kostanay
    "KZ-59": (3, 0),  # North Kazakhstan (Petropavl)
    "KZ-55": (4, 0),  # Pavlodar
    "KZ-27": (0, 1),  # West Kazakhstan (Oral)
    "KZ-15": (1, 1),  # Aktobe
    "KZ-11": (3, 1),  # Akmola (Kokshetau)
    "KZ-71": (4, 1),  # Astana
    "KZ-10": (5, 1),  # Abai (Semey)
    "KZ-63": (6, 1),  # East Kazakhstan (Oskemen)
    "KZ-23": (0, 2),  # Atyrau
    "KZ-62": (2, 2),  # Ulytau (Zhezkazgan)
    "KZ-35": (3, 2),  # Karaganda
    "KZ-47": (0, 3),  # Mangystau (Aktau)
    "KZ-43": (1, 3),  # Kyzylorda
    "KZ-33": (5, 3),  # Jetisu (Taldykorgan)
    "KZ-61": (2, 4),  # Turkistan
    "KZ-31": (3, 4),  # Jambyl (Taraz)
    "KZ-19": (4, 4),  # Almaty Region (Konaev)
    "KZ-75": (5, 4),  # Almaty
    "KZ-79": (2, 5),  # Shymkent
}
"""Tile of each current unit (ISO 3166-2 code since 8 June 2022) on a 7 × 6 grid."""

COLUMNS = 7
TILE_WIDTH, TILE_HEIGHT, GAP = 144, 64, 6
LINE_WIDTH = 17
"""Characters of a line of a tile's label."""
SHADES = 4
"""Shades of the tiles that have elements (level 1–4); level 0: none."""


def level(count: int, top: int) -> int:
    """The shade of a tile with `count` active elements when the most any tile has is `top`:
    0 for none, else the quarter of 1…top it falls in (1–4)."""
    if count <= 0 or top <= 0:
        return 0
    return min(SHADES, -(-SHADES * count // top))


def ranges(top: int) -> tuple[tuple[int, int, int], ...]:
    """(level, lowest, highest count) of each shade that some count can have."""
    found = []
    for n in range(1, SHADES + 1):
        low, high = (n - 1) * top // SHADES + 1, n * top // SHADES
        if low <= high:
            found.append((n, low, high))
    return tuple(found)


def lines(name: str) -> tuple[str, ...]:
    """A tile's label: the name in at most three lines (the last one shortened)."""
    wrapped = textwrap.wrap(name, LINE_WIDTH, break_long_words=True) or [""]
    if len(wrapped) > 3:
        wrapped = [
            *wrapped[:2],
            textwrap.shorten(" ".join(wrapped[2:]), LINE_WIDTH, placeholder="…"),
        ]
    return tuple(wrapped)


def build(
    current: Mapping[str, str],
    counts: Mapping[str, int],
    highlight: frozenset[str],
    *,
    title: str,
    description: str,
    legend: Callable[[int, int], str],
) -> Map:
    """The map of the `current` provinces (id → name in the page's language), each tile
    shaded by its count of active elements and linking to its page; `highlight` marks the
    page's own province or the units that took over from it. `legend(low, high)` words a
    shade (`legend(0, 0)`: none)."""
    top = max((counts.get(p, 0) for p in current), default=0)
    places: dict[str, tuple[int, int]] = {}
    extra = sorted(p for p in current if p not in GRID)
    bottom = max((GRID[p][1] for p in current if p in GRID), default=-1) + 1
    for pid in current:
        if pid in GRID:
            places[pid] = GRID[pid]
    for n, pid in enumerate(extra):
        places[pid] = (n % COLUMNS, bottom + n // COLUMNS)
    tiles = tuple(
        Tile(
            id=pid,
            label=lines(current[pid]),
            name=current[pid],
            href=f"provinces/{pid}.html",
            x=col * (TILE_WIDTH + GAP),
            y=row * (TILE_HEIGHT + GAP),
            count=counts.get(pid, 0),
            level=level(counts.get(pid, 0), top),
            current=pid in highlight,
        )
        for pid, (col, row) in sorted(places.items(), key=lambda item: (item[1][1], item[1][0]))
    )
    rows = max((r for _, r in places.values()), default=0) + 1
    return Map(
        title=title,
        description=description,
        width=COLUMNS * (TILE_WIDTH + GAP) - GAP,
        height=rows * (TILE_HEIGHT + GAP) - GAP,
        tile_width=TILE_WIDTH,
        tile_height=TILE_HEIGHT,
        tiles=tiles,
        legend=((0, legend(0, 0)), *((n, legend(low, high)) for n, low, high in ranges(top))),
    )
