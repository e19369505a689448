"""JSON pointers (RFC 6901): the one place that knows how a key becomes a pointer segment.

Records, findings, restricted parts and schema paths all name fields by JSON pointer
(`/names/en`, `/safeguarding/0/measure`); a key holding `/` or `~` is escaped as `~1`/`~0`.
"""

from __future__ import annotations


def escape(key: str) -> str:
    """The pointer segment for `key` (`a/b` → `a~1b`, `~` → `~0`)."""
    return key.replace("~", "~0").replace("/", "~1")


def unescape(segment: str) -> str:
    """The key a pointer segment names (`a~1b` → `a/b`)."""
    return segment.replace("~1", "/").replace("~0", "~")


def is_index(segment: str) -> bool:
    """Whether a segment is an array index: ASCII digits without a leading zero (`²`, `٣`,
    `01` and `-` name no item)."""
    return segment.isascii() and segment.isdigit() and (segment == "0" or segment[0] != "0")


def within(pointer: str, prefix: str) -> bool:
    """Whether `pointer` is `prefix` or lies under it (`/a/b` is within `/a`, `/ab` is not)."""
    return pointer == prefix or pointer.startswith(prefix + "/")
