"""A record's id and status read from their top-level lines, without parsing the YAML.

Used only to name and describe records whose bytes did not change since a state that was
parsed or validated (a changed record is parsed): a diff of 10,000 records reads these lines
instead of parsing 10,000 files.

A line that starts with `id:` or `status:` is the record's top-level key only when nothing
before it is left open: YAML lets a quoted text or a flow collection (`[…]`, `{…}`) run over
lines, and the lines inside may start anywhere, `id: …` too (a block text or a plain one
cannot reach back to the first column). So the line is taken at its word only when every line
before it is known to close what it opens (most records hold no quote or bracket before it at
all), and when no indented line follows it that could continue its value; otherwise the bytes
are parsed by the one record reader (ichinv.inventory.record_files.parse) and its answer is
given. The answer is never a line inside a text; None when there is no such line (or the
record says another value), or when the bytes that needed parsing cannot be parsed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core.model import Finding, RecordKind
from ichinv.inventory import record_files as records

_ID_FORM = rb"KZ-(?:[0-9]{4}-[0-9]{4}|[0-9]{2}|[A-Z]{3})"
"""What looks like an element or province id."""
_STATUS_FORM = rb"active|retired|merged"


@dataclass(frozen=True, slots=True)
class _Key:
    """A top-level key read from its line."""

    name: str
    line: re.Pattern[bytes]
    """Its first line, searched."""
    first: re.Pattern[bytes]
    """The same line matched from the start when no line before it holds a quote or a
    bracket: the common case in one pass."""
    form: re.Pattern[bytes]
    """What its values look like."""

    @classmethod
    def of(cls, key: bytes, form: bytes) -> _Key:
        """`key` given a value of `form`, quoted or not, a comment after it allowed."""
        line = key + rb":[ \t]*([\"']?)(" + form + rb")\1(?:[ \t]++(?:#[^\r\n]*)?)?\r?$"
        lines_before = rb"\A(?:[^\"'\[{\n]*+\n)*?"
        return cls(
            key.decode(),
            re.compile(rb"^" + line, re.MULTILINE),
            re.compile(lines_before + line, re.MULTILINE),
            re.compile(form),
        )

    def value_in(self, data: Mapping[str, Any] | None) -> str | None:
        """The key's value in the parsed `data`, when it has the form this module reads."""
        value = data.get(self.name) if data is not None else None
        if isinstance(value, str) and value.isascii() and self.form.fullmatch(value.encode()):
            return value
        return None


_ID = _Key.of(rb"id", _ID_FORM)
_STATUS = _Key.of(rb"status", _STATUS_FORM)

_END = rb"[ \t]*+(?:\#[^\r\n]*+)?\r?\n"
_PLAIN_START = rb"(?:[^-?:,\[\]{}\#&*!|>'\"%@`\s]|[-?:](?=[^ \t\r\n]))"
_SAFE_LINES = re.compile(
    rb"(?:\xef\xbb\xbf)?(?:"
    rb"(?:---|\.\.\.)(?=[ \t\r\n])" + _END + rb"|"  # a document marker alone
    rb"(?!(?:---|\.\.\.)[ \t\r\n])"
    rb"[ ]*+(?:[-?](?:[ ]++|(?=\r?\n)))*+"  # indentation, `- ` and `? ` indicators
    rb"(?:" + _PLAIN_START + rb"[^:\#\r\n]*+:(?:[ \t]++|(?=\r?\n)))?+"  # a plain key
    rb"(?:"
    rb"[|>][-+0-9]*+"  # the head of a block text (its lines cannot reach the first column)
    rb"|\"(?:[^\"\\\r\n]++|\\[^\r\n])*+\""  # a double-quoted text closed on the line
    rb"|'(?:[^'\r\n]++|'')*+'"  # a single-quoted text closed on the line
    rb"|\[[^\[\]{}\"'\#\r\n]*+\]|\{[^\[\]{}\"'\#\r\n]*+\}"  # a flow collection closed on it
    rb"|" + _PLAIN_START + rb"(?:[^:\#\r\n]++|:(?=[^ \t\r\n])|(?<=[^ \t])\#)*+"  # plain text
    rb")?" + _END + rb")*+"
)
"""Lines each of which leaves nothing open after it, read as if each started afresh (a line
inside a block or plain text opens nothing either, whatever this takes it for). A line break
of a carriage return alone is none of them: such bytes are parsed."""

_NOT_CONTINUED = re.compile(rb"(?:[ \t]*+\r?\n)*+(?![ \t\r])")
"""After a value's line: blank lines, then one that cannot continue the value (or the end)."""
_MAY_CONTINUE = (b" ", b"\t", b"\r", b"\n")
"""How a line that may continue the value before it (or a blank one) starts."""


def quick_id(raw: bytes) -> str | None:
    """The record id from its top-level `id:` line (see the module); None if absent."""
    return _read(raw, (_ID,))[0]


def quick_status(raw: bytes) -> str | None:
    """The element's status from its top-level `status:` line; None if absent or another
    value."""
    return _read(raw, (_STATUS,))[0]


def quick_facts(raw: bytes) -> tuple[str | None, str | None]:
    """`quick_id(raw), quick_status(raw)`, parsing the bytes at most once."""
    found_id, status = _read(raw, (_ID, _STATUS))
    return found_id, status


def _read(raw: bytes, keys: tuple[_Key, ...]) -> list[str | None]:
    answers: list[str | None] = []
    data: Mapping[str, Any] | None = None
    parsed = False
    for key in keys:
        found = key.first.match(raw)
        if found is not None:
            taken = _value_ends(raw, found)
        else:
            found = key.line.search(raw)
            if found is None:
                answers.append(None)
                continue
            taken = _closed_before(raw, found.start()) and _value_ends(raw, found)
        if taken:
            answers.append(found.group(2).decode("ascii"))
            continue
        if not parsed:
            parsed, record = True, records.parse(RecordKind.ELEMENT, "", raw)
            data = None if isinstance(record, Finding) else record[0].data
        answers.append(key.value_in(data))
    return answers


def _closed_before(raw: bytes, start: int) -> bool:
    """Whether every line before `start` closes the quoted texts and collections it opens."""
    safe = _SAFE_LINES.match(raw, 0, start)
    return safe is not None and safe.end() == start


def _value_ends(raw: bytes, found: re.Match[bytes]) -> bool:
    """Whether no line after the line `found` can continue its value."""
    after = found.end() + 1  # past the line break
    return raw[after : after + 1] not in _MAY_CONTINUE or bool(_NOT_CONTINUED.match(raw, after))
