"""A record's id and status read from their top-level lines, without parsing the YAML.

Used only to name and describe records whose bytes did not change since a state that was
parsed or validated (a changed record is parsed): a diff of 10,000 records reads these lines
instead of parsing 10,000 files. In a valid record, a top-level key is the only place a line
can start with `id:` or `status:`.
"""

from __future__ import annotations

import re

_ID_LINE = re.compile(
    rb"^id:[ \t]*([\"']?)(KZ-(?:[0-9]{4}-[0-9]{4}|[0-9]{2}|[A-Z]{3}))\1[ \t]*(?:#[^\n]*)?\r?$",
    re.MULTILINE,
)
"""A top-level `id:` line holding what looks like an element or province id."""


def quick_id(raw: bytes) -> str | None:
    """The record id from a top-level `id:` line; None if absent."""
    found = _ID_LINE.search(raw)
    return found.group(2).decode("ascii") if found else None


_STATUS_LINE = re.compile(
    rb"^status:[ \t]*([\"']?)(active|retired|merged)\1[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE
)


def quick_status(raw: bytes) -> str | None:
    """The element's status from a top-level `status:` line; None if absent or another value."""
    found = _STATUS_LINE.search(raw)
    return found.group(2).decode("ascii") if found else None
