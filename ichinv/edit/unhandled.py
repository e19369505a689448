"""A record file a writing command (`fmt`, `migrate`) could not handle, and why: left as it
is, and named in the report with the reason and a hint."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Unhandled:
    """A record file left as it was, and why."""

    path: str
    message: str
    hint: str | None = None
