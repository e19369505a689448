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

from ichinv.core import pointers
from ichinv.core.errors import UsageError, typed
from ichinv.core.i18n import _
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.edit import overlay_edits
from ichinv.inventory import ids as idalloc
from ichinv.inventory import overlay as private
from ichinv.inventory import record_files as records
from ichinv.inventory.overlay import Overlay, leaves, restricted_parts
from ichinv.inventory.plaindata import merge
from ichinv.inventory.policy import policy_for
from ichinv.inventory.unreadable import (
    about_elements,
    cannot_read,
    held_ids,
    read_record,
    whole_folder,
)
from ichinv.io import atomic as files
from ichinv.io import editor as yamlio
from ichinv.io import transaction
from ichinv.io.settings import Settings


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
    kept: Overlay | None = None
    """The private overlay; None when the settings name none."""

    def holders(self, element_id: str) -> tuple[Record, ...]:
        return self.by_id.get(element_id, ())


def read_index(settings: Settings) -> Index:
    by_id: dict[str, list[Record]] = {}
    unreadable: list[Finding] = []
    for item in records.load_all(settings):
        if isinstance(item, Finding):
            if about_elements(item):
                unreadable.append(item)
        elif item.kind is RecordKind.ELEMENT and item.id is not None:
            by_id.setdefault(item.id, []).append(item)
    return Index(
        {k: tuple(v) for k, v in by_id.items()}, tuple(unreadable), overlay_edits.read(settings)
    )


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
    # Its file cannot be read, or elements/ itself cannot be (a link leading out, another
    # repository): as `show` says it (exit 1), never "no element".
    problem = held_ids(settings, index.unreadable).get(element_id) or whole_folder(index.unreadable)
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
    raw = read_record(settings, record.path, record.id or Path(record.path).stem)
    return yamlio.load(raw, record.path, overlay_edits.key_order(settings)), raw


def change(settings: Settings, rel: str, text: str, read: bytes) -> transaction.Change:
    """Replacing the record at `rel` (read as `read`) with `text`."""
    path = files.edited(settings.root / rel, settings.root)
    return transaction.Change(path, text.encode("utf-8"), read)


def referrers(index: Index, element_id: str, *, skip: str = "") -> list[tuple[Record, str]]:
    """(record, how) for every record that refers to `element_id`, but the one at `skip`."""
    found = [
        (record, how)
        for holders in index.by_id.values()
        for record in holders
        if record.path != skip
        for how in overlay_edits.refers(record.data, element_id)
    ]
    return sorted(found, key=lambda pair: pair[0].path)


def merged_into(index: Index, element_id: str, *, skip: str = "") -> list[tuple[str, str]]:
    """(file, id) of every element said to be merged into `element_id`, in its record or in
    its overlay file, but the element `skip`."""
    found = {
        (record.path, str(record.id))
        for record, how in referrers(index, element_id)
        if how == "merged into it" and record.id != skip
    }
    kept = index.kept
    if kept is not None:
        found.update(
            (kept.paths[other], other)
            for other in overlay_edits.referrers(kept, element_id, skip=skip)
            if "merged into it" in overlay_edits.refers(kept.entries[other], element_id)
        )
    return sorted(found)


def rename_references(
    index: Index, settings: Settings, rel: str, old_id: str, new_id: str
) -> tuple[str, bytes]:
    """The new text of the record at `rel`, its references to `old_id` naming `new_id`, and
    the bytes it was read from."""
    record = next(r for holders in index.by_id.values() for r in holders if r.path == rel)
    document, raw = open_record(settings, record)
    overlay_edits.follow(document, old_id, new_id)
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


# --- one element, wherever its fields are kept --------------------------------------------


class ElementEdit:
    """An element's record opened for editing, and its overlay file when the private overlay
    keeps some of its fields: each field is read and changed where it is kept (see
    ichinv.edit.overlay_edits)."""

    def __init__(self, settings: Settings, record: Record, kept: Overlay | None) -> None:
        self.settings = settings
        self.record = record
        self.document, self.raw = open_record(settings, record)
        self.kept = kept
        self.id = record.id or ""
        held = kept is not None and self.id in kept.entries
        self.private = overlay_edits.open_file(settings, kept, self.id) if kept and held else None
        self.record_changed = False
        self.private_changed = False
        self.private_new = False
        """The overlay file is made by this edit: the element had none."""
        self.leaves = tuple(leaves(kept.entries[self.id])) if kept and held else ()
        self.absent = kept is not None and not held and not kept.available
        """The settings name an overlay that is not here: what it keeps is unknown."""
        self.unreadable = kept is not None and not held and bool(kept.problems)
        """Some overlay file cannot be read: it may be this element's."""

    def _where(self, pointer: str, *, changing: bool) -> yamlio.Document:
        if self.private is not None:
            if any(pointers.within(pointer, leaf) for leaf in self.leaves):
                return self.private
            if changing and any(pointers.within(leaf, pointer) for leaf in self.leaves):
                raise self._partly_kept(pointer)
        if changing:
            self.require_at_hand(pointer)
        if (
            changing
            and self.settings.overlay_may_hold
            and self.document.get(pointer) is None
            and self._kept_apart(pointer)
        ):
            if self._kept_below(pointer):
                # Only a part of the value is kept apart (`/status_change/reason` of the
                # `/status_change` a decision sets): neither file may take all of it.
                raise self._partly_kept(pointer)
            return self._private_file()  # never written into the record beside it
        return self.document

    def require_at_hand(self, pointer: str) -> None:
        """A UsageError when the private overlay may keep `pointer` of this element and it is
        not here, or a file of it cannot be read: what it keeps there is unknown, so the field
        can be neither changed nor relied on."""
        if not (self.absent or self.unreadable) or not self._may_be_kept(pointer):
            return
        words = (
            _(
                "{field} of {id} may be kept in the private overlay {folder}, which is not "
                "here, so it cannot be changed safely"
            )
            if self.absent
            else _(
                "{field} of {id} may be kept in the private overlay {folder}, of which a "
                "file cannot be read, so it cannot be changed safely"
            )
        )
        raise UsageError(
            words.format(
                field=pointer.lstrip("/"),
                id=self.id,
                folder=overlay_edits.shown_folder(self.settings),
            ),
            hint=_(
                "mount or copy the overlay folder there, or fix it (`ichinv validate` "
                "lists its problems), then run the command again"
            ),
        )

    def _partly_kept(self, pointer: str) -> UsageError:
        """The refusal of a change to a field kept partly in the record and partly in the
        overlay (or of which only a part is to be kept there)."""
        return UsageError(
            _(
                "{field} of {id} is kept partly in the record and partly in the "
                "private overlay, so it cannot be changed safely"
            ).format(field=pointer.lstrip("/"), id=self.id),
            hint=_(
                "keep it in one place (wholly in the record, or wholly in the overlay "
                "as a part listed in access.restricted_parts), then run the command "
                "again"
            ),
        )

    def _may_be_kept(self, pointer: str) -> bool:
        """Whether the overlay may keep `pointer` of this element: its personal data, its
        restricted parts, anything of a record restricted as a whole."""
        return restricted_parts(self.record.data) is None or self._kept_apart(pointer)

    def _kept_apart(self, pointer: str) -> bool:
        """Whether `pointer` is personal data or a restricted part the record lists (what
        `private split` moves into the overlay)."""
        return any(_overlap(pointer, part) for part in self._parts_kept_apart())

    def _parts_kept_apart(self) -> list[str]:
        """The patterns of personal data and the restricted parts the record lists."""
        parts = list(policy_for(self.settings.schema_dir).personal_fields(RecordKind.ELEMENT))
        parts.extend(restricted_parts(self.record.data) or [])
        return parts

    def _kept_below(self, pointer: str) -> bool:
        """Whether a part kept apart (see `_kept_apart`) lies inside `pointer`, below it."""
        parts = self._parts_kept_apart()
        try:
            depth = len(pointers.split(pointer))
            return any(
                len(pointers.split(part)) > depth and _overlap(pointer, part) for part in parts
            )
        except ValueError:
            return True  # a restricted part that is no pointer: it may mean anything

    def _private_file(self) -> yamlio.Document:
        """The element's overlay file, made (empty but for its id) when it has none."""
        if self.private is None:
            if self.kept is None:  # the settings name no overlay (a public repository)
                private.require(self.settings)
            assert self.kept is not None
            order = overlay_edits.key_order(self.settings)
            text = private.entry_text(self.id, {}, order)
            shown = private.display(self.settings, overlay_edits.file_of(self.kept, self.id))
            self.private = yamlio.load(text.encode("utf-8"), shown, order)
            self.private_new = True
        return self.private

    def merged(self) -> dict[str, Any]:
        """The element as it stands, wherever its fields are kept: the record with its overlay
        file merged in (as `validate` and the committee read it)."""
        data = self.document.plain()
        if self.private is not None:
            merge(data, self.private.plain())
        return data

    def get(self, pointer: str) -> Any:
        """The value at `pointer`, from the merged element: a field kept wholly or partly in
        the overlay file (`provenance` whose `entered` is there) is read from it."""
        if self.private is None:
            return self.document.get(pointer)
        found = pointers.at(self.merged(), pointer)
        return None if found is pointers.MISSING else found

    def set(self, pointer: str, value: Any) -> None:
        target = self._where(pointer, changing=True)
        target.set(pointer, value)
        self._changed(target)

    def append(self, pointer: str, value: Any) -> None:
        target = self._where(pointer, changing=True)
        target.append(pointer, value)
        self._changed(target)

    def delete(self, pointer: str) -> None:
        """Remove the field at `pointer`, with its comments, where it is kept."""
        target = self._where(pointer, changing=True)
        if target.delete(pointer):
            self._changed(target)

    def require_changeable(self, pointer: str) -> None:
        """A UsageError when the field at `pointer` cannot be changed safely (kept partly in
        the overlay, or in an overlay that is not here): what `set` would refuse."""
        self._where(pointer, changing=True)

    def _changed(self, target: yamlio.Document) -> None:
        self.private_changed |= target is self.private
        self.record_changed |= target is self.document

    def changes(self) -> tuple[list[transaction.Change], list[str]]:
        """The changes that write this element (its record, and its overlay file when that
        changed), and the files as reports show them."""
        changes: list[transaction.Change] = []
        shown: list[str] = []
        if self.record_changed:  # never reported as written when all it changed is elsewhere
            changes.append(
                change(self.settings, self.record.path, yamlio.dump(self.document), self.raw)
            )
            shown.append(self.record.path)
        if self.private is not None and self.private_changed and self.private_new:
            assert self.kept is not None
            changes.append(overlay_edits.made(self.kept, self.id, self.private))
            shown.append(self.private.path)
        elif self.private is not None and self.private_changed and self.kept is not None:
            changes.append(overlay_edits.replaced(self.kept, self.id, self.private))
            shown.append(self.kept.paths[self.id])
        return changes, shown


def write_all(elements: Sequence[ElementEdit]) -> tuple[str, ...]:
    """Write every element (records and overlay files): all of them, or none; the files
    written, as reports show them."""
    changes: list[transaction.Change] = []
    shown: list[str] = []
    for element in elements:
        more, named = element.changes()
        changes.extend(more)
        shown.extend(named)
    transaction.apply(changes)
    return tuple(shown)


def _overlap(pointer: str, pattern: str) -> bool:
    """Whether `pointer` and the field pattern `pattern` (`*`: any key or index) name places
    one of which holds the other."""
    try:
        mine, theirs = pointers.split(pointer), pointers.split(pattern)
    except ValueError:
        return True  # a restricted part that is no pointer: it may mean anything
    return all(b == "*" or a == b for a, b in zip(mine, theirs, strict=False))
