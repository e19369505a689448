"""The elements as `retire`, `merge` and `renumber` read and change them.

Every readable element record by id (`Index`), the one record a command names (`find`), the
records that refer to an element (`referrers`), and an element's record opened for editing,
written back only if its file still holds the bytes it was read from (`change`).
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ichinv.core.errors import UsageError, typed
from ichinv.core.i18n import _
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.inventory import ids as idalloc
from ichinv.inventory import record_files as records
from ichinv.inventory.unreadable import cannot_read, held_ids
from ichinv.io import atomic as files
from ichinv.io import editor as yamlio
from ichinv.io import transaction
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader


@dataclass(frozen=True, slots=True)
class Written:
    """What a command changed, and what the editor should know about it."""

    summary: str
    """One line saying what was done."""
    paths: tuple[str, ...]
    """Files written (relative to the inventory root), in the order written."""
    notes: tuple[str, ...] = ()
    """Consequences worth checking (shown after the summary)."""
    removed: tuple[str, ...] = ()
    """Files removed (renumber: the record's old file)."""


@dataclass(frozen=True, slots=True)
class Index:
    by_id: Mapping[str, tuple[Record, ...]]
    """Every readable element record, by id."""
    unreadable: tuple[Finding, ...] = ()
    """The files in elements/ that could not be read (and elements/ itself, when it cannot
    be): any of them may be an element's record, or refer to one."""

    def holders(self, element_id: str) -> tuple[Record, ...]:
        return self.by_id.get(element_id, ())


def read_index(settings: Settings) -> Index:
    by_id: dict[str, list[Record]] = {}
    unreadable: list[Finding] = []
    folder = RecordKind.ELEMENT.folder
    for item in records.load_all(settings):
        if isinstance(item, Finding):
            if item.path.rstrip("/") == folder or item.path.startswith(folder + "/"):
                unreadable.append(item)
        elif item.kind is RecordKind.ELEMENT and item.id is not None:
            by_id.setdefault(item.id, []).append(item)
    return Index({k: tuple(v) for k, v in by_id.items()}, tuple(unreadable))


def find(settings: Settings, index: Index, element_id: str, role: str = "") -> Record:
    """The one record holding `element_id`: a UsageError when there is none, or several; the
    error `show` gives (exit 1) when its file cannot be read."""
    if idalloc.parse(element_id) is None:
        raise UsageError(
            _("{id!r} is not an element id").format(id=typed(element_id)),
            hint=_("element ids look like KZ-2013-0001"),
        )
    holders = index.holders(element_id)
    if len(holders) > 1:
        paths = ", ".join(h.path for h in holders)
        raise UsageError(
            _("the id {id} is used by {count} records: {paths}").format(
                id=element_id, count=len(holders), paths=paths
            ),
            hint=_("give one of them a new id first: `ichinv renumber {path}`").format(
                path=shlex.quote(newest(settings, holders).path)
            ),
        )
    if holders:
        return holders[0]
    problem = held_ids(settings, index.unreadable).get(element_id)
    if problem is not None:
        raise cannot_read(element_id, problem)
    guess = difflib.get_close_matches(element_id, list(index.by_id), n=1)
    raise UsageError(
        _("there is no element {id} in {folder}/").format(id=role + element_id, folder="elements"),
        hint=(
            _("did you mean {guess}?").format(guess=guess[0])
            if guess
            else _("`ichinv list` shows the elements")
        ),
    )


def newest(settings: Settings, holders: Sequence[Record]) -> Record:
    """Of records sharing an id, the one to renumber: one git does not know yet (a copy not
    committed), else one whose file is not named after the id, else the last by path."""
    committed = idalloc.committed_paths(settings, complete=False)
    return next(
        (h for h in holders if h.path not in committed),
        next((h for h in holders if Path(h.path).stem != h.id), holders[-1]),
    )


def open_record(settings: Settings, record: Record) -> tuple[yamlio.Document, bytes]:
    """The record for editing, and the bytes it was read from (written back only if the file
    still holds them)."""
    path = settings.root / record.path
    order = schema_loader.load_schema(
        RecordKind.ELEMENT, settings.schema_file(RecordKind.ELEMENT), check=False
    ).property_order
    raw = path.read_bytes()
    return yamlio.load(raw, record.path, order), raw


def change(settings: Settings, rel: str, text: str, read: bytes) -> transaction.Change:
    """Replacing the record at `rel` (read as `read`) with `text`."""
    path = files.edited(settings.root / rel, settings.root)
    return transaction.Change(path, text.encode("utf-8"), read)


def write_all(settings: Settings, texts: list[tuple[str, str, bytes]]) -> tuple[str, ...]:
    """Replace every record (path, new text, bytes read): all of them, or none."""
    transaction.apply([change(settings, rel, text, read) for rel, text, read in texts])
    return tuple(rel for rel, __, ___ in texts)


def referrers(index: Index, element_id: str, *, skip: str = "") -> list[tuple[Record, str]]:
    """(record, how) for every record that refers to `element_id`."""
    found = []
    for holders in index.by_id.values():
        for record in holders:
            if record.path == skip:
                continue
            status_change = record.data.get("status_change")
            if (
                isinstance(status_change, Mapping)
                and status_change.get("merged_into") == element_id
            ):
                found.append((record, "merged into it"))
            related = record.data.get("related")
            found.extend(
                (record, f"related ({item.get('relation')})")
                for item in (related if isinstance(related, list) else [])
                if isinstance(item, Mapping) and item.get("id") == element_id
            )
    return sorted(found, key=lambda pair: pair[0].path)


def rename_references(
    index: Index, settings: Settings, rel: str, old_id: str, new_id: str
) -> tuple[str, bytes]:
    """The new text of the record at `rel`, its references to `old_id` naming `new_id`, and
    the bytes it was read from."""
    record = next(r for holders in index.by_id.values() for r in holders if r.path == rel)
    document, raw = open_record(settings, record)
    if document.get("/status_change/merged_into") == old_id:
        document.set("/status_change/merged_into", new_id)
    related = document.get("/related")
    for number, item in enumerate(related if isinstance(related, list) else []):
        if isinstance(item, Mapping) and item.get("id") == old_id:
            document.set(f"/related/{number}/id", new_id)
    return yamlio.dump(document), raw


def texts(data: Any) -> str:
    """Every text of a record except its id and its structured references, joined."""
    found: list[str] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        key, value = stack.pop()
        if isinstance(value, Mapping):
            stack.extend((str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((key, v) for v in value)
        elif isinstance(value, str) and key not in ("id", "merged_into"):
            found.append(value)
    return "\n".join(found)
