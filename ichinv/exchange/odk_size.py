"""A draft no larger than the inventory's `max_file_size` (for `ichinv import --from odk`).

Every command refuses to read a record file above that size, and the import refuses to run
while a record cannot be read: one answer too long (a hand-edited export, a submission sent
through the server's API) would make a record nobody can read and stop every later import.
So the longest answers are left out of the draft, each said at its cell of the export, until
the record (and its file in the private overlay) fit: the rest of the submission, its consent
and contacts among it, is kept, and the answers left out are still in the export. A
submission that would fit only without more than MAX_LEFT_OUT answers is not imported: which
of many answers to leave out would be a guess, and it is better divided on the server.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ichinv.core import pointers

MAX_LEFT_OUT = 5
"""Most answers left out of one draft; a submission that needs more is not imported."""

KEPT = (
    "/id",
    "/schema_version",
    "/status",
    "/access/level",
    "/access/restricted_parts",
    "/consent/status",
    "/provenance/sources",
)
"""Fields the import writes or decides by (never left out: the draft would lose its place,
its access, or where it comes from)."""


@dataclass(frozen=True, slots=True)
class LeftOut:
    """An answer left out of a draft for its length."""

    pointer: str
    """The field it would have filled."""
    size: int
    """Its length, in bytes of UTF-8."""


def fit(
    data: dict[str, Any],
    private: dict[str, Any],
    limit: int,
    texts: Callable[[], tuple[str, str]],
) -> list[LeftOut] | None:
    """Leave the longest answers out of the draft `data` and its part for the private overlay
    `private` until both texts `texts` gives of them are at most `limit` bytes; the answers
    left out (longest first), or None when that takes more than MAX_LEFT_OUT of them."""
    left: list[LeftOut] = []
    while True:
        sizes = [len(text.encode("utf-8")) for text in texts()]
        over = [
            (part, size - limit)
            for part, size in zip((data, private), sizes, strict=True)
            if size > limit
        ]
        if not over:
            return left
        for part, excess in over:
            # The text of an answer in YAML is about as long as in JSON: the excess is taken
            # from the longest answers, then the texts are measured again.
            for size, pointer, holder, key in sorted(_answers(part, ""), reverse=True):
                if excess <= 0:
                    break
                if len(left) == MAX_LEFT_OUT:
                    return None
                del holder[key]
                left.append(LeftOut(pointer, size))
                excess -= size
            if excess > 0 and not any(True for _ in _answers(part, "")):
                return None


def _answers(node: Any, pointer: str) -> Iterator[tuple[int, str, dict[str, Any], str]]:
    """Each text or number of `node` held under a key, but the fields the import keeps: its
    size, pointer, the mapping holding it and its key."""
    if isinstance(node, dict):
        items: Iterator[tuple[str, Any]] = iter(list(node.items()))
    elif isinstance(node, list):
        items = ((str(index), item) for index, item in enumerate(node))
    else:
        return
    for key, value in items:
        here = f"{pointer}/{pointers.escape(key)}"
        if any(pointers.within(here, kept) for kept in KEPT):
            continue
        if isinstance(value, dict | list):
            yield from _answers(value, here)
        elif isinstance(node, dict):
            text = value if isinstance(value, str) else json.dumps(value)
            yield len(text.encode("utf-8")), here, node, key
