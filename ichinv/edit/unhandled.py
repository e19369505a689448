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
    line: int | None = None
    """The line (1-based) of the value that stopped the command, when one did."""
    column: int | None = None

    @property
    def where(self) -> str:
        """`PATH:LINE:COLUMN`, or the path alone when no value is to blame."""
        return self.path if self.line is None else f"{self.path}:{self.line}:{self.column}"
