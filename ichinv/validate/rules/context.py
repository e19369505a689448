"""What a record rule looks at, and the helpers every rule uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ichinv.core.model import Finding, Record
from ichinv.schemas.loader import Schema


@dataclass(frozen=True, slots=True)
class RecordContext:
    """What a record check may look at."""

    record: Record
    schema: Schema
    root: Path
    today: dt.date
    public: bool = False
    """The repository is public (settings `visibility = "public"`): personal data and
    restricted parts belong in the private overlay, not in the record."""
    elsewhere: bool = False
    """Restricted parts absent from the record may be kept in the private overlay
    (Settings.overlay_may_hold: the settings name one, or the repository is public)."""

    @property
    def data(self) -> Mapping[str, Any]:
        return self.record.data

    @property
    def path(self) -> str:
        return self.record.path


RecordCheck = Callable[[RecordContext], Iterator[Finding]]


def get(data: Any, *keys: Any) -> Any:
    """The value at a path of keys and list indices; None when any step is missing."""
    for key in keys:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            data = data[key]
        else:
            return None
    return data


def date(value: Any) -> dt.date | None:
    """A YYYY-MM-DD date of a record, or None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None
