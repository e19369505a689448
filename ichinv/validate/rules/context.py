"""What a record rule looks at, and the helpers every rule uses."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ichinv.core import pointers
from ichinv.core.model import Finding, NoContact, Record
from ichinv.inventory.overlay import restricted_parts
from ichinv.schemas.loader import Schema


@dataclass(slots=True)
class Learnt:
    """What record rules learn of a record on the way, for the record cache
    (ichinv.validate.file_check.check_and_keep)."""

    no_contact: NoContact | None = None
    """Rule text.contact's search of the record's texts, when it found no contact."""


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
    learnt: Learnt = field(default_factory=Learnt)

    @property
    def data(self) -> Mapping[str, Any]:
        return self.record.data

    @property
    def path(self) -> str:
        return self.record.path

    def kept_elsewhere(self, pointer: str) -> bool:
        """Whether the field at `pointer`, absent from the record, is taken to be kept in the
        private overlay: records may leave their restricted parts there (`elsewhere`) and the
        record lists it, or a field holding it, in `access.restricted_parts`. A rule that needs
        the field says nothing of the record alone then; ichinv.validate.overlay judges the
        record merged with its overlay file where the overlay is at hand."""
        return (
            self.elsewhere
            and pointers.at(self.data, pointer) is pointers.MISSING
            and any(
                pointers.within(pointer, part)
                for part in held_privately(self.data, self.schema)
                if "*" not in part
            )
        )


def held_privately(data: Mapping[str, Any], schema: Schema) -> tuple[str, ...]:
    """Pointers of what a public repository keeps in the private overlay: the personal-data
    fields of the schema and the listed restricted parts of a restricted record."""
    return (*schema.personal_fields, *(restricted_parts(data) or ()))


RecordCheck = Callable[[RecordContext], Iterator[Finding]]


def looked_up(root: Path, relative: str) -> str:
    """The path of `relative` under the inventory `root`, as a rule looks a file up: noted,
    like `root / relative`, among the paths a verdict depends on when `root` notes them (the
    root ichinv.validate.file_check gives the rules), without making a Path (a rule that
    looks up every record's paths does it tens of thousands of times a run)."""
    note = getattr(root, "note", None)
    return note(relative) if note is not None else os.path.join(root, relative)


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
