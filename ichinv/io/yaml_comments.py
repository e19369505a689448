"""Texts that a comment cut short: a plain value of several words followed, on its line, by
` #`, which YAML reads as the start of a comment (`en: The akyns compete in pairs # or in
teams`). What follows is no part of the value, and nothing says so: the record keeps the comment,
every output drops it. Reported as rule yaml.comment-in-text (a warning: a note for editors after
a value is a comment as YAML means it, and may be meant).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ichinv.core import pointers
from ichinv.io.strict_yaml import EventsRefused, events

_COMMENT_AFTER = re.compile(r"[ \t]+#")
"""What starts a comment right after a value, on its line."""


@dataclass(frozen=True, slots=True)
class CutText:
    """A text value that a comment on its line cut short."""

    pointer: str
    line: int
    """Line of the `#` (1-based)."""
    column: int
    """Column of the `#` (1-based)."""


def may_hold_cut_text(raw: bytes) -> bool:
    """Whether `raw` (a record file's bytes) may hold a text cut short by a comment: false for
    most records, which hold no `#` after a space (a search in C, before any walk of the file)."""
    return b" #" in raw or b"\t#" in raw


def cut_texts(text: str) -> list[CutText]:
    """Each plain value of several words in `text` (a record file that parses) followed on its
    line by a comment; empty when libyaml cannot read the file (its syntax is reported)."""
    found: list[CutText] = []
    # Each open container: [is a mapping, pointer, next key (mappings) or next index (lists)]
    stack: list[list[object]] = []
    try:
        for event in events(text):
            name = event.__class__.__name__
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                is_map = name == "MappingStartEvent"
                stack.append([is_map, _place(stack), None if is_map else 0])
                continue
            if name in ("MappingEndEvent", "SequenceEndEvent"):
                stack.pop()
                _advance(stack)
                continue
            if name != "ScalarEvent" or not stack:
                continue
            frame = stack[-1]
            if frame[0] and frame[2] is None:  # a key
                frame[2] = event.value
                continue
            if not event.style and " " in event.value:
                end = event.end_mark.index
                comment = _COMMENT_AFTER.match(text, end)  # no further than the `#`
                if comment is not None:
                    column = event.end_mark.column + comment.end() - end
                    found.append(CutText(_place(stack), event.end_mark.line + 1, column))
            _advance(stack)
    except EventsRefused:
        return []
    return found


def _place(stack: list[list[object]]) -> str:
    """The pointer of the value the innermost open container takes next."""
    if not stack:
        return ""
    is_map, pointer, next_one = stack[-1]
    return f"{pointer}/{pointers.escape(str(next_one))}" if is_map else f"{pointer}/{next_one}"


def _advance(stack: list[list[object]]) -> None:
    """A value was taken by the innermost open container: its next key is to come, or its next
    item."""
    if not stack:
        return
    frame = stack[-1]
    if frame[0]:
        frame[2] = None
    else:
        index = frame[2]
        assert isinstance(index, int)
        frame[2] = index + 1
