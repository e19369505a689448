"""Where a change lies in each version of a record (lists are matched by key, so an item may
stand at another position in each), and how deep the part withheld in a version that holds it
lies: what ichinv.inventory.changes_view judges each change by."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ichinv.core import pointers
from ichinv.core.model import Change
from ichinv.inventory.audience import WHOLE_RECORD
from ichinv.inventory.plaindata import keys
from ichinv.inventory.redaction import covering

Locate = Callable[[Mapping[str, Any], str, Mapping[str, Any]], str]
"""Where the part of one version of a record at a pointer lies in another version: the pointer
into it, `*` for a list position that cannot be told (ichinv.inventory.positions.Locator)."""

ANY_PLACE = "*"
"""A list position that cannot be told, in a pointer: it stands for every position."""


def sides(change: Change) -> tuple[str, str]:
    """Where `change` lies in the older and the newer version (not known: any position)."""
    if change.sides is not None:
        return change.sides
    unknown = anywhere(change.pointer)
    return unknown, unknown


def anywhere(pointer: str) -> str:
    """`pointer` with every list position (every index) standing for any position."""
    return pointers.join(ANY_PLACE if pointers.is_index(k) else k for k in keys(pointer))


def depth_to(at: str, part: str) -> int | None:
    """How many keys of `at` (`*`: any position) lie down to the withheld `part` that holds it,
    or that it holds; None when neither holds the other (`*` for `part`: all but the public
    identification)."""
    segments = keys(at)
    wanted = keys(part)
    if not wanted:
        return 1 if covering(at, [WHOLE_RECORD]) is not None else None
    size = min(len(segments), len(wanted))
    if all(s in (ANY_PLACE, w) for s, w in zip(segments[:size], wanted[:size], strict=True)):
        return size
    return None


def prefix(pointer: str, depth: int) -> str:
    return pointers.join(keys(pointer)[:depth])


def shown_at(pointer: str, old_at: str, new_at: str, depth: int) -> str:
    """The pointer a withheld part of a change at `pointer` is shown by: the change's own when
    the part is the change; else where the part is in the newer version, or in the older one
    when the newer one does not hold it."""
    if depth >= len(keys(pointer)):
        return pointer
    for at in (new_at, old_at):
        if ANY_PLACE not in keys(at)[:depth]:
            return prefix(at, depth)
    return prefix(pointer, depth)
