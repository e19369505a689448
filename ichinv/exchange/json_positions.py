"""Where the items of a list in a JSON document start, to name their line in messages: the
standard library's decoder gives no positions, so the list is walked item by item."""

from __future__ import annotations

import json
import re


def item_lines(text: str, list_key: str, count: int) -> list[int]:
    """The line where each item of the list under `list_key` starts (the top-level list when
    `list_key` is empty); all 1 when the layout does not tell."""
    decoder = json.JSONDecoder()
    start = (
        re.search(rf'"{re.escape(list_key)}"\s*:\s*\[', text)
        if list_key
        else re.search(r"^\s*\[", text)
    )
    lines: list[int] = []
    position = start.end() if start else len(text)
    while start and len(lines) < count:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        try:
            __, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            break
        lines.append(text.count("\n", 0, position) + 1)
        position = end
    return lines if len(lines) == count else [1] * count
