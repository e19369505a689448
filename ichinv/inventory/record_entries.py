"""What the record cache keeps of a record, as bytes: its parsed data, its *outline* (id and
provinces) and the *facts* a quick look at its bytes finds (ichinv.inventory.record_cache).

Kept as the caches of values keep them (ichinv.io.cache_files.pack: Python's `marshal` format,
which gives back exactly the types the reader made, behind a checksum); the validate workers encode
here what they parsed, and the cache decodes it. A value that does not decode to what was
encoded (a damaged entry) decodes to None.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard

from ichinv.core.model import Finding, Severity
from ichinv.inventory.fields import strings
from ichinv.inventory.quick_read import quick_facts
from ichinv.io.cache_files import pack, unpack

Facts = tuple[str | None, str | None]
"""What the `id:` and `status:` lines of a record's bytes say (None where they say nothing)."""

Failure = tuple[str, str, str, str, int | None, int | None, str | None]
"""Why a record's bytes could not be parsed, for any path holding them: the finding's rule,
message, severity, pointer, line, column and hint."""

Outline = tuple[str | None, tuple[str, ...]]
"""What a record's parsed data says of where it belongs: its `id` (None unless text) and the
text items of its `provinces` (exactly what `Record.id` and `fields.strings` give)."""


def facts_of(raw: bytes) -> Facts:
    """What a quick look at the bytes of a record finds."""
    return quick_facts(raw)


def outline_of(data: Mapping[str, Any]) -> Outline:
    """The outline of a record's parsed data."""
    ident = data.get("id")
    return (ident if isinstance(ident, str) else None, tuple(strings(data.get("provinces"))))


def encode_outline(data: Mapping[str, Any]) -> bytes | None:
    """`outline_of(data)` as the bytes this cache keeps."""
    return pack(outline_of(data))


def encode(data: Mapping[str, Any]) -> bytes | None:
    """A record's data as bytes that decode to equal data of the same types; None when it
    cannot be (the reader gives only mappings with text keys, lists, text, whole and finite
    numbers, true/false and null, all of which marshal keeps; this is a safeguard)."""
    return pack(data) if type(data) is dict else None


def decode(value: bytes) -> dict[str, Any] | None:
    """The data `encode` made (None when the bytes are not what it makes: a damaged entry)."""
    data = unpack(value)
    return data if type(data) is dict else None


def decode_outline(value: bytes) -> Outline | None:
    """The outline `encode_outline` made (None when the bytes are not what it makes)."""
    found = unpack(value)
    return found if is_outline(found) else None


def is_outline(found: Any) -> TypeGuard[Outline]:
    """Whether `found` has the shape of an outline (what a damaged entry may not have)."""
    return (
        type(found) is tuple
        and len(found) == 2
        and (found[0] is None or type(found[0]) is str)
        and type(found[1]) is tuple
        and all(type(p) is str for p in found[1])
    )


def encode_failure(finding: Finding) -> Failure | None:
    """What the cache keeps of `finding`, the reason bytes could not be parsed; None when it
    names its file (another file may hold the same bytes)."""
    if finding.path in finding.message or (finding.hint and finding.path in finding.hint):
        return None
    return (
        finding.rule,
        finding.message,
        finding.severity.value,
        finding.pointer,
        finding.line,
        finding.column,
        finding.hint,
    )


def decode_failure(path: str, value: Any) -> Finding | None:
    """The finding `encode_failure` kept, for the file at `path` (None when `value` is not
    what it makes: a damaged entry)."""
    if type(value) is not tuple or len(value) != 7:
        return None
    rule, message, severity, pointer, line, column, hint = value
    if not (
        type(rule) is str
        and type(message) is str
        and severity in _SEVERITIES
        and type(pointer) is str
        and all(p is None or type(p) is int for p in (line, column))
        and (hint is None or type(hint) is str)
    ):
        return None
    return Finding(
        path,
        rule,
        message,
        severity=Severity(severity),
        pointer=pointer,
        line=line,
        column=column,
        hint=hint,
    )


_SEVERITIES = frozenset(s.value for s in Severity)
