"""Whether a record file is in canonical form already, told without ruamel.yaml.

`tidy` (what `ichinv fmt` writes) costs ruamel.yaml's pure-Python round trip about 30 ms a
record, and most records `fmt` is asked about are canonical already. `canonical_text` writes
the record's data (read by the strict reader, ~0.5 ms) the way `tidy` writes it, for a narrow
and common part of YAML, and answers whether the file is exactly that text:

* comment lines only at the head of the file (the schema line), none after the first field;
* block mappings and lists, keys in canonical order, nothing empty, no list directly in a list;
* one-line text written plain or in quotes without escapes, multi-line text as a literal
  block (`|` or `|-`), decimal integers, floats as Python writes them, `true` and `false`.

Anything else (escapes, quotes inside quotes, flow style, comments among the fields, blank
lines, nulls, folded blocks, tabs, characters outside the Basic Multilingual Plane…) answers
None: ask `tidy`. The law, tested on generated records, the official YAML test suite, the
hostile corpus and the repository's records (tests/io/test_canonical.py): whenever
`canonical_text` gives a text, `tidy` gives the same text.
"""

from __future__ import annotations

import re
from typing import Any

from ichinv.io import strict_yaml
from ichinv.io.editor import limits
from ichinv.io.editor.nodes import KeyOrder, order_for
from ichinv.io.editor.style import INDENT, needs_quotes

_SHOWN = re.compile("[ -~\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
"""Text the emitter writes as it is in any style: printable, no tab, no byte-order mark, no
character beyond the Basic Multilingual Plane, and no U+2028 or U+2029 (line breaks to some
readers: the emitter escapes them; the strict reader refuses them raw anyway)."""

_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`. ")
"""First characters that make the emitter weigh a plain text more carefully: left to `tidy`."""

_KEY_MARKS = frozenset(",[]{}")
"""Characters a plain key does without (the emitter quotes them in some contexts)."""

MAX_KEY = 100
"""Longest key written here (the emitter writes keys of 128 characters or more as `? key`)."""

MAX_DEPTH = 32
"""Deepest nesting written here (records stay below 8)."""

MAX_TEXT = 100_000
"""Longest text written here (the emitter breaks lines of quoted text beyond its width)."""

_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+")
"""A float as Python writes it that the emitter writes the same."""


class _Outside(Exception):
    """The record uses YAML this module does not write: ask `tidy`."""


def canonical_text(raw: bytes, order: KeyOrder) -> str | None:
    """The record's text when it is exactly what `tidy(raw, order)` returns; None when that
    is not so or cannot be told here (then `tidy` must be asked)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.endswith("\n") or "\r" in text or text.startswith("\ufeff"):
        return None
    lines = text.split("\n")
    head = 0
    while head < len(lines) and lines[head].startswith("#"):
        line = lines[head]
        if line != line.rstrip() or not _SHOWN.fullmatch(line):
            return None
        head += 1
    try:
        data, __ = strict_yaml.load(raw)
    except strict_yaml.LoadError:
        return None
    if not isinstance(data, dict) or not data or limits.excess(text, data) is not None:
        return None
    writer = _Writer(lines, head, order)
    try:
        writer.mapping(data, [], 0, "")
    except _Outside:
        return None
    return text if writer.lines == len(lines) - 1 else None


class _Writer:
    """Writes a record's lines as `tidy` does, comparing each with the file's as it goes."""

    def __init__(self, source: list[str], head: int, order: KeyOrder) -> None:
        self.source = source
        self.lines = head
        """Lines written (and found equal to the file's) so far."""
        self.order = order

    def line(self, text: str) -> None:
        """Write one line: it must be the file's next."""
        if self.lines >= len(self.source) or self.source[self.lines] != text:
            raise _Outside
        self.lines += 1

    def mapping(
        self, mapping: dict[str, Any], parts: list[str | int], indent: int, first: str
    ) -> None:
        """Write `mapping`'s fields at `indent`, the first one after `first` (a list's dash)."""
        if len(parts) > MAX_DEPTH:
            raise _Outside
        wanted = order_for(self.order, parts)
        if wanted:
            rank = {key: number for number, key in enumerate(wanted)}
            ranks = [rank.get(key, len(rank)) for key in mapping]
            if ranks != sorted(ranks):
                raise _Outside
        margin = " " * indent
        for number, (key, value) in enumerate(mapping.items()):
            if len(key) > MAX_KEY or not _plain(key) or _KEY_MARKS.intersection(key):
                raise _Outside
            start = (first if number == 0 and first else margin) + key + ":"
            self.value(start, value, [*parts, key], indent)

    def value(self, start: str, value: Any, parts: list[str | int], indent: int) -> None:
        """Write `value` after `start` (`key:` or `- `); nested lines go under `indent`."""
        if isinstance(value, dict):
            if not value:
                raise _Outside
            if start.endswith("- "):
                self.mapping(value, parts, indent + 2 * INDENT, start)
            else:
                self.line(start)
                self.mapping(value, parts, indent + INDENT, "")
        elif isinstance(value, list):
            if not value or start.endswith("- "):
                raise _Outside
            self.line(start)
            dash = " " * (indent + INDENT) + "- "
            for number, item in enumerate(value):
                self.value(dash, item, [*parts, number], indent)
        else:
            body = indent + 2 * INDENT if start.endswith("- ") else indent + INDENT
            self.scalar(start if start.endswith(" ") else start + " ", value, body)

    def scalar(self, start: str, value: Any, body: int) -> None:
        """Write a single value after `start`; a literal block's lines at `body`."""
        if isinstance(value, bool):
            self.line(start + ("true" if value else "false"))
        elif isinstance(value, int):
            self.line(start + str(value))
        elif isinstance(value, float):
            written = repr(value)
            if not _FLOAT.fullmatch(written):
                raise _Outside
            self.line(start + written)
        elif not isinstance(value, str) or len(value) > MAX_TEXT:
            raise _Outside
        elif "\n" in value:
            self.line(start + ("|" if value.endswith("\n") else "|-"))
            margin = " " * body
            for line in _literal(value):
                self.line(margin + line if line else "")
        else:
            self.line(start + self.written(start, value))

    def written(self, start: str, text: str) -> str:
        """One-line `text` as the file writes it, when the emitter keeps it so: plain, or in
        the quotes it was written in."""
        line = self.source[self.lines] if self.lines < len(self.source) else ""
        quote = line[len(start) : len(start) + 1]
        if quote not in ("'", '"'):  # no plain text starts with a quote
            if _plain(text):
                return text
        elif quote not in text and "\\" not in text and _SHOWN.fullmatch(text):
            return quote + text + quote
        raise _Outside


def _plain(text: str) -> bool:
    """Whether `text` is one the emitter writes plain, as it is."""
    return (
        bool(text)
        and text[0] not in _FIRST
        and text[-1] not in " :"
        and ": " not in text
        and " #" not in text
        and _SHOWN.fullmatch(text) is not None
        and not needs_quotes(text)
    )


def _literal(text: str) -> list[str]:
    """The lines of a literal block holding `text` (one ending in a single line break or
    none); raises _Outside for text the emitter would write otherwise."""
    body = text[:-1] if text.endswith("\n") else text
    if not body or body.startswith((" ", "\n")) or body.endswith("\n"):
        raise _Outside
    lines = body.split("\n")
    for line in lines:
        if line.endswith(" ") or not _SHOWN.fullmatch(line):
            raise _Outside
    return lines
