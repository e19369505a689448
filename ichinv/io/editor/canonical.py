"""A record file's canonical form, told and written without ruamel.yaml.

`tidy` (what `ichinv fmt` writes) costs ruamel.yaml's pure-Python round trip about 30 ms a
record. For a narrow and common part of YAML, this module writes a record's data (read by the
strict reader, ~0.5 ms) the way `tidy` writes it:

* comment lines only at the head of the file (the schema line), none after the first field
  (in a file laid out otherwise, none below the schema line: those are the first field's,
  and `tidy` moves them with it);
* block mappings and lists, keys in canonical order, nothing empty, no list directly in a list;
* one-line text written plain or in the quotes it was written in (a quote in single quotes
  doubled, no escapes), multi-line text as a literal block (`|` or `|-`), decimal integers,
  floats as Python writes them, `true` and `false`.

`canonical_text` answers whether the file is exactly that text (most records `fmt` is asked
about are canonical already, ~1.3 ms). `formatted_text` writes that text for a file laid out
otherwise, ~2.5 ms: keys out of order, flow lists, other indentation, text over several lines or
with a line break in quotes (`tidy` writes it as a literal block). It reads how each value is
written from libyaml's events, and answers None for what `tidy` keeps as written (comments
after the head, blank lines, folded blocks, numbers written otherwise, tags, explicit keys,
flow mappings, document markers) or writes in a way not worked out here (escapes, tabs,
nulls, characters outside the Basic Multilingual Plane…): then ask `tidy`.

The law, tested on generated records near canonical form and laid out by another YAML writer,
the official YAML test suite, the hostile corpus and the repository's records
(tests/io/test_canonical.py): whenever either function gives a text, `tidy` gives the same.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Any, NamedTuple

from ichinv.io import strict_yaml
from ichinv.io.editor import limits
from ichinv.io.editor.comments import first_fields_lines
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


Path = tuple[str | int, ...]
"""Where a value is in a record: its keys and list indices."""

Styles = dict[Path, tuple[str, str]]
"""How each single value of a record is written: its style (`""` plain, `'`, `"`, `|`) and
its text as written (for numbers and `true`/`false`), by path."""


class _Outside(Exception):
    """The record uses YAML this module does not write: ask `tidy`."""


class _Record(NamedTuple):
    """A record file as the writers here read it (`_read`)."""

    text: str
    lines: list[str]
    head: int
    """How many comment lines head the file."""
    data: dict[str, Any]


def canonical_text(raw: bytes, order: KeyOrder) -> str | None:
    """The record's text when it is exactly what `tidy(raw, order)` returns; None when that
    is not so or cannot be told here (then `tidy` must be asked)."""
    record = _read(raw)
    return record.text if record is not None and _written_so(record, order) else None


def _written_so(record: _Record, order: KeyOrder) -> bool:
    """Whether the record's text is exactly what `tidy` writes of its data."""
    writer = _Writer(record.lines, record.head, order)
    try:
        writer.mapping(record.data, [], 0, "")
    except _Outside:
        return False
    return writer.lines == len(record.lines) - 1


def formatted_text(raw: bytes, order: KeyOrder) -> str | None:
    """What `tidy(raw, order)` returns, written here for a record in the YAML `canonical_text`
    writes but laid out otherwise: keys out of order, flow lists (`[KZ-11, KZ-23]`), other
    indentation, text in quotes or over several lines, or with a line break, as a literal block.
    None when the record holds anything `tidy` keeps as it was written (comments after the
    head, blank lines, folded blocks, tags, explicit keys, flow mappings, document markers)
    or writes in a way not worked out here: then `tidy` must be asked.

    A canonical record is its own text (as `canonical_text` tells). A text written anew is
    checked before it is given: it reads as the record's data, and is canonical."""
    record = _read(raw)
    if record is None:
        return None
    if _written_so(record, order):
        return record.text  # canonical already
    if "\t" in record.text:  # where it is white space, ruamel.yaml and libyaml disagree
        return None
    if first_fields_lines(record.lines[: record.head]) < record.head:
        return None  # comment lines of the first field, which `tidy` moves with it
    styles = _styles(record)
    if styles is None:
        return None
    writer = _Writer(record.lines, record.head, order, styles)
    try:
        writer.mapping(record.data, [], 0, "")
    except _Outside:
        return None
    made = "".join(line + "\n" for line in writer.out)
    again = _read(made.encode("utf-8"))
    if again is None or not _same(again.data, record.data) or not _written_so(again, order):
        return None
    return made


def _same(value: Any, other: Any) -> bool:
    """Whether two values read from YAML are the same, of the same types throughout (`True`
    is not `1`, nor `1` `1.0`, as `==` has them)."""
    if type(value) is not type(other):
        return False
    if type(value) is dict:
        return value.keys() == other.keys() and all(_same(v, other[k]) for k, v in value.items())
    if type(value) is list:
        return len(value) == len(other) and all(map(_same, value, other))
    return bool(value == other)


def _read(raw: bytes) -> _Record | None:
    """The record file read; None for a file neither writer above takes (not UTF-8, line breaks other than LF, a byte-order
    mark, no final line break, head lines `tidy` rewrites, anything the strict reader refuses,
    a record beyond the writer's limits)."""
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
    return _Record(text, lines, head, data)


_KEY_LEAD = re.compile(r"(?: *- )* *")
"""What may come before a key on its line: indentation and list dashes (not `? `)."""


def _styles(record: _Record) -> Styles | None:
    """How each single value of the record is written (libyaml's events); None when the text
    holds anything `tidy` keeps as it is, which `formatted_text` does not write: a comment or
    a blank line after the head, spaces at the end of a line, a document marker or directive,
    a tag or anchor, a flow mapping, a key not written plain on one line (quoted, explicit
    `? `), a folded block, a literal block with an indicator (`|2`, `|+`) or a comment."""
    text = record.text
    spans: list[tuple[int, int]] = []
    """Where the values are written (of a literal block, its header and its lines)."""
    styles: Styles = {}
    frames: list[list[Any]] = []
    """Open mappings and lists: [is a mapping, path, current key or index, a key is next]."""
    try:
        for event in strict_yaml.events(text):
            kind = type(event).__name__
            if kind == "DocumentStartEvent":
                if event.explicit or event.version or event.tags:
                    return None
                continue
            if kind == "DocumentEndEvent":
                if event.explicit:
                    return None
                continue
            if kind in ("MappingEndEvent", "SequenceEndEvent"):
                frames.pop()
                continue
            if kind in ("StreamStartEvent", "StreamEndEvent"):
                continue
            if kind == "AliasEvent" or event.anchor is not None or event.tag is not None:
                return None
            start, end = event.start_mark.index, event.end_mark.index
            path: Path = ()
            if frames:
                frame = frames[-1]
                if frame[0] and frame[3]:  # a key
                    line_start = text.rfind("\n", 0, start) + 1
                    if (
                        kind != "ScalarEvent"
                        or event.style
                        or text[start:end] != event.value
                        or not _KEY_LEAD.fullmatch(text, line_start, start)
                    ):
                        return None
                    frame[2], frame[3] = event.value, False
                    spans.append((start, end))
                    continue
                path = (*frame[1], frame[2])
                if frame[0]:
                    frame[3] = True
                else:
                    frame[2] += 1
            if kind == "ScalarEvent":
                style = event.style or ""
                if style == "|":
                    end = _literal_end(text, start, end, event.value)
                    if end is None:
                        return None
                elif style not in ("", "'", '"'):
                    return None
                styles[path] = (style, event.value)
                spans.append((start, end))
            elif kind == "MappingStartEvent" and event.flow_style:
                return None
            else:
                frames.append([kind == "MappingStartEvent", path, 0, True])
    except (strict_yaml.EventsRefused, RecursionError):  # libyaml cannot read it: `tidy`
        return None
    return styles if _only_values(record, spans) else None


def _literal_end(text: str, start: int, end: int, value: str) -> int | None:
    """Where the lines of the literal block at `start` holding `value` end (its blank lines
    after them are not its text); None for a header other than `|` or `|-`."""
    header_end = text.find("\n", start)
    if header_end < 0 or text[start:header_end] not in ("|", "|-"):
        return None
    position = header_end + 1
    for __ in (value[:-1] if value.endswith("\n") else value).split("\n"):
        position = text.find("\n", position) + 1
        if position <= 0 or position > end:
            return None
    return position


def _only_values(record: _Record, spans: list[tuple[int, int]]) -> bool:
    """Whether every `#`, every blank line and every space at the end of a line after the
    head lies in a value (`spans`, in order): elsewhere it is a comment or a blank line that
    `tidy` keeps, or white space whose fate is not worked out here."""
    starts = [span[0] for span in spans]

    def inside(index: int) -> bool:
        at = bisect.bisect_right(starts, index) - 1
        return at >= 0 and index < spans[at][1]

    text, lines, head = record.text, record.lines, record.head
    offset = sum(len(line) + 1 for line in lines[:head])
    mark = text.find("#", offset)
    while mark >= 0:
        if not inside(mark):
            return False
        mark = text.find("#", mark + 1)
    for line in lines[head:-1]:
        if (not line.strip(" ") and not inside(offset)) or (
            line.endswith(" ") and not inside(offset + len(line) - 1)
        ):
            return False
        offset += len(line) + 1
    return True


class _Writer:
    """Writes a record's lines as `tidy` does: comparing each with the file's as it goes, or,
    given the styles the file writes its values in (`formatted_text`), into `out`."""

    def __init__(
        self, source: list[str], head: int, order: KeyOrder, styles: Styles | None = None
    ) -> None:
        self.source = source
        self.lines = head
        """Lines written (and found equal to the file's) so far."""
        self.order = order
        self.styles = styles
        self.out: list[str] = source[:head] if styles is not None else []
        """The lines written, when writing anew."""

    def line(self, text: str) -> None:
        """Write one line: it must be the file's next (unless writing anew)."""
        if self.styles is not None:
            self.out.append(text)
        elif self.lines >= len(self.source) or self.source[self.lines] != text:
            raise _Outside
        self.lines += 1

    def mapping(
        self, mapping: dict[str, Any], parts: list[str | int], indent: int, first: str
    ) -> None:
        """Write `mapping`'s fields at `indent`, the first one after `first` (a list's dash)."""
        if len(parts) > MAX_DEPTH:
            raise _Outside
        wanted = order_for(self.order, parts)
        keys = list(mapping)
        if wanted:
            rank = {key: number for number, key in enumerate(wanted)}
            ranks = [rank.get(key, len(rank)) for key in keys]
            if ranks != sorted(ranks):
                if self.styles is None:
                    raise _Outside
                # as `tidy` orders them: sorted() is stable, keys without a place go last
                keys.sort(key=lambda key: rank.get(key, len(rank)))
        margin = " " * indent
        for number, key in enumerate(keys):
            if len(key) > MAX_KEY or not _plain(key) or _KEY_MARKS.intersection(key):
                raise _Outside
            start = (first if number == 0 and first else margin) + key + ":"
            self.value(start, mapping[key], [*parts, key], indent)

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
            start = start if start.endswith(" ") else start + " "
            self.scalar(start, value, body, self._style(value, parts))

    def _style(self, value: Any, parts: list[str | int]) -> str | None:
        """The quotes a one-line text is written in (`""`: none), when writing anew; None when
        comparing (the file's line tells). Raises _Outside for a value `tidy` keeps in a form
        written otherwise here: a number or `true` written another way (`1.50`, `0x1F`,
        `True`), a literal block holding one line, a folded block, one-line text in a block."""
        if self.styles is None:
            return None
        style, written = self.styles.get(tuple(parts), (">", ""))
        if isinstance(value, str):
            if style == ">" or (style == "|" and "\n" not in value):
                raise _Outside
            return style if style in ("'", '"') else ""
        if style != "" or written != _typed(value):
            raise _Outside
        return ""

    def scalar(self, start: str, value: Any, body: int, quote: str | None) -> None:
        """Write a single value after `start`; a literal block's lines at `body`."""
        if isinstance(value, bool | int | float):
            written = _typed(value)
            if written is None:
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
            self.line(start + self.written(start, value, quote))

    def written(self, start: str, text: str, quote: str | None) -> str:
        """One-line `text` as the file writes it, when the emitter keeps it so: plain, or in
        the quotes it was written in (`quote`, else those of the file's line)."""
        if quote is None:
            line = self.source[self.lines] if self.lines < len(self.source) else ""
            quote = line[len(start) : len(start) + 1]
        if quote not in ("'", '"'):  # no plain text starts with a quote
            if _plain(text):
                return text
        elif "\\" not in text and _SHOWN.fullmatch(text):
            if quote == "'":  # a quote in single quotes is written twice: 'the team''s'
                return quote + text.replace("'", "''") + quote
            if quote not in text:
                return quote + text + quote
        raise _Outside


def _typed(value: bool | int | float) -> str | None:
    """A number or `true`/`false` as the emitter writes it; None for a float it writes
    otherwise than Python (`1e+20`, `inf`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    written = repr(value)
    return written if _FLOAT.fullmatch(written) else None


def _plain(text: str) -> bool:
    """Whether `text` is one the emitter writes plain, as it is."""
    return _plain_short(text) if len(text) <= SHORT else _plain_text(text)


SHORT = 200
"""Texts up to this long have their answer kept (`formatted_text` asks about each twice, and
names, dates and vocabulary words recur); longer ones are asked afresh."""


def _plain_text(text: str) -> bool:
    return (
        bool(text)
        and text[0] not in _FIRST
        and text[-1] not in " :"
        and ": " not in text
        and " #" not in text
        and _SHOWN.fullmatch(text) is not None
        and not needs_quotes(text)
    )


_plain_short = functools.lru_cache(maxsize=4096)(_plain_text)


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
