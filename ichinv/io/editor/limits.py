"""How large a record the round-trip editor takes on, so that no writing command runs for minutes.

Opening and writing a record with ruamel.yaml costs about 0.1 ms per value and a few µs per
line in pure Python, linear in size but slow: a 10 MiB record of 1.3 million short keys would
take several minutes and gigabytes of memory. Records are a few hundred values and about a
hundred lines, so the editor refuses, before ruamel.yaml sees the file, any record that is far
beyond that; `validate` still reads it.
"""

from __future__ import annotations

from typing import Any

from ichinv.core.i18n import _

MAX_VALUES = 20_000
"""Most keys, values and list items in a record the editor opens (the largest record of the
inventory has about 350; at the limit, formatting takes about two seconds)."""

MAX_LINES = 100_000
"""Most lines in a record the editor opens (records have about a hundred). Blank and comment
lines cost the editor as much as values do, and they are not counted in MAX_VALUES."""

_BREAKS = ("\n", "\x85", "\u2028", "\u2029")


def count_values(data: Any) -> int:
    """Keys, values and list items in plain data (the record mapping itself included)."""
    count = 0
    stack = [data]
    while stack:
        value = stack.pop()
        count += 1
        if isinstance(value, dict):
            count += len(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return count


def excess(text: str, data: Any) -> str | None:
    """What makes the record (its text with LF line ends, and its plain data) too large for
    the editor, in words with the limit; None when it is within the limits."""
    lines = sum(text.count(mark) for mark in _BREAKS) + 1
    if lines > MAX_LINES:
        return _("it has {lines:,} lines, more than the {limit:,} the record writer takes").format(
            lines=lines, limit=MAX_LINES
        )
    values = count_values(data)
    if values > MAX_VALUES:
        return _(
            "it has {values:,} keys, values and list items, more than the {limit:,} the record "
            "writer takes"
        ).format(values=values, limit=MAX_VALUES)
    return None
