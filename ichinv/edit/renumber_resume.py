"""A renumber cut short (killed, a power cut) after it gave the record its new id and before it
renamed the file, and the same command run again, which completes it (ichinv.edit.renumber).

Such a renumber leaves `elements/<old id>.yaml` holding the new id (`validate`:
id.file-name). A record whose id differs from its file name for another reason (an id
mistyped, a file copied and edited) is no such renumber, and "completing" it would give the
record an id `renumber` never gives (one used before, one of a year to come) or make another
element's private overlay file its own. So the id the file holds is checked as free, as the
command checked it when it chose it (`check`: no other file's, none of the git history, one `new`
gives), but not checked to be the next free one still (a lower id freed since, the renumber
could not be completed, and references it wrote to the new id led nowhere), and a file the
overlay holds under that id counts as
the record's, moved there by the renumber, only when the renumber's note says so (`noting`,
written before any file changes, removed once all have): without it, that file belongs to no
element and may hold someone else's contacts.

No other element is given the id a renumber cut short is giving, whether the record holds it
already (ichinv.inventory.ids.id_lines) or only the note names it (`noted_renumbers`): run
again, the renumber gives that id (`noted_free`), even when other ids were given meanwhile.
The record's text changes before any other record's reference follows, so no reference names
that id before one of them holds it (and no id a record names is given: `named_in_records`).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path, PurePosixPath

from ichinv.core import dates
from ichinv.core.errors import UsageError
from ichinv.core.i18n import _
from ichinv.core.model import Record, RecordKind
from ichinv.edit.elements import Index
from ichinv.inventory import attachment_folders
from ichinv.inventory import ids as idalloc
from ichinv.inventory.overlay import Overlay
from ichinv.io import confined, transaction
from ichinv.io.settings import Settings


def by_path(target: str) -> bool:
    """Whether `target`, as `renumber` was given it, names a record by its path (else by its
    id)."""
    return idalloc.parse(target) is None or target.endswith(".yaml")


def found(settings: Settings, index: Index, target: str, to: str | None) -> Record | None:
    """The record that a renumber of `target` (an id no record holds) may have left half done:
    still in `elements/<target>.yaml`, but holding another id already (see `left`); None when
    there is none. A UsageError when that file holds the id of another record's (a copy),
    which no renumber of `target` leaves."""
    if by_path(target) or index.holders(target):
        return None
    rel = f"{RecordKind.ELEMENT.folder}/{target}.yaml"
    record = next((r for holders in index.by_id.values() for r in holders if r.path == rel), None)
    if record is None or left(settings, index, record, to):
        return record
    others = [h.path for h in index.holders(str(record.id)) if h.path != rel]
    if others and idalloc.parse(str(record.id)) is not None:
        raise UsageError(
            _(
                "{path} holds the id {id}, which {other} holds too, and no renumber of {old} "
                "leaves its file so"
            ).format(path=rel, id=record.id, other=others[0], old=target),
            hint=_(
                "if the file is a copy made for a new element, write {old} in it as its id "
                "(`ichinv renumber {path} --to {old}` does that), or give it the next free id "
                "with `ichinv renumber {path}`"
            ).format(old=target, path=rel),
        )
    return None


def refuse_named_otherwise(record: Record) -> None:
    """A UsageError when `record`, named by its id, is in a file named by another id: the id
    was mistyped there, or a renumber of the id of its name was cut short (`left`), and
    renumbering it as the id it holds would rename a file that may be published under its
    name, as a record it is not."""
    name = PurePosixPath(record.path).stem
    if name == record.id or idalloc.parse(name) is None:
        return
    raise UsageError(
        _(
            "{id} is the id that {path} holds, but the file is named by another id, {old}: the "
            "id was mistyped there, or a renumber of {old} was cut short"
        ).format(id=record.id, path=record.path, old=name),
        hint=_(
            "if the id was mistyped, write {old} back in {path}; if a renumber of {old} was "
            "cut short, `ichinv renumber {old}` completes it"
        ).format(old=name, path=record.path),
    )


def left(settings: Settings, index: Index, record: Record, to: str | None) -> bool:
    """Whether `record` may be what a renumber (to `to`) of the id its file is named by left
    half done, named by its id or by its path alike: its file, `elements/<old id>.yaml`, holds
    another id already, which no other record holds (False too when `to` is no element id).
    Whether a renumber can have left it so, `check` says."""
    path = PurePosixPath(record.path)
    if path.parent.as_posix() != RecordKind.ELEMENT.folder or idalloc.parse(path.stem) is None:
        return False
    if idalloc.parse(str(record.id)) is None or str(record.id) == path.stem:
        return False
    if to is not None and idalloc.parse(to) is None:
        return False
    new = settings.folder(RecordKind.ELEMENT) / f"{record.id}.yaml"
    others = [h for h in index.holders(str(record.id)) if h.path != record.path]
    # Killed while renaming, the file may have both names (the new one made first).
    return not others or (
        len(others) == 1
        and others[0].path == settings.relative(new)
        and same_file(settings.root / record.path, new)
    )


def same_file(one: Path, other: Path) -> bool:
    """Whether `one` and `other` are names of the same file (hard links)."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def check(
    settings: Settings,
    index: Index,
    record: Record,
    *,
    to: str | None,
    history: set[str],
    folders: set[str],
) -> None:
    """A UsageError unless `record` (as `found` finds it) holds an id the renumber it may be can
    have given it, which completing it gives: one no other file in elements/ holds, never one
    of the git `history`, one `new` would give (ids.never_given), not one of an overlay file
    that is not its own, nor, without `to`, one of the folders of elements' files (`folders`);
    with `to`, `to` itself. Not the next free id the command would give now: after the record
    was given its new id, a lower one may have been freed (an element deleted), and other
    records' references may name the new id already."""
    old, new = Path(record.path).stem, str(record.id)
    reason = _why_not(settings, index, record, history=history)
    if reason is not None:
        raise UsageError(
            _(
                "{path} holds the id {new}, not the {old} of its name, and no renumber of {old} "
                "can have left it so: {reason}"
            ).format(path=record.path, new=new, old=old, reason=reason),
            hint=_(
                "if the id was mistyped, write {old} back in the file (`ichinv validate` "
                "reports such a file: id.file-name); to give the record another id, do that, "
                "then run `ichinv renumber {old} --to ID`"
            ).format(old=old),
        )
    if to is not None and to != new:
        raise UsageError(
            _(
                "{path} holds the id {new}, not the {old} of its name, as a renumber of {old} "
                "to {new} leaves it when it is cut short, and not the {to} of --to"
            ).format(path=record.path, new=new, old=old, to=to),
            hint=_(
                "complete that renumber first (`ichinv renumber {old}`), then run `ichinv "
                "renumber {new} --to {to}`; if the id was mistyped, write {old} back in the file"
            ).format(old=old, new=new, to=to),
        )
    if to is None and new in folders:
        places = [f.shown for f in attachment_folders.found(settings) if f.id == new]
        raise UsageError(
            _(
                "{path} holds the id {new}, not the {old} of its name, as a renumber of {old} "
                "cut short leaves it, but {new} names {folder}/, a folder of an element's files "
                "that no element has: completed, the renumber would make them this record's"
            ).format(path=record.path, new=new, old=old, folder=places[0] if places else new),
            hint=_(
                "if they are this element's files, `ichinv renumber {old} --to {new}` completes "
                "the renumber; if the id was mistyped, write {old} back in the file"
            ).format(old=old, new=new),
        )


def _why_not(settings: Settings, index: Index, record: Record, *, history: set[str]) -> str | None:
    """Why no renumber can have given `record` the id it holds: one `new` never gives, one of
    the git `history` or of another file, one of an overlay file that belongs to no element."""
    old, new = Path(record.path).stem, str(record.id)
    never = idalloc.never_given(new, today=dates.today())
    if never is not None:
        return never
    own = settings.root / record.path
    second = settings.folder(RecordKind.ELEMENT) / f"{new}.yaml"
    if new in history or (new in idalloc.named_ids(settings) and not same_file(own, second)):
        return _("{to} is already used (in elements/ or in the git history)").format(to=new)
    kept = index.kept
    if kept is not None and new in kept.entries and old not in kept.entries:
        if not noted(kept, old, new):
            return _(
                "{to} is already used by {path} in the private overlay, which belongs to no element"
            ).format(to=new, path=kept.paths[new])
    return None


def noted_free(settings: Settings, old: str, taken: set[str]) -> str | None:
    """The id the note of a renumber of `old` names (see `noting`), when it is still one that
    renumber may give `old`'s record: of the year of `old`, one `new` gives, not `taken`
    (elements/, the git history, the overlay, folders of elements' files, the record's own
    id). Such a renumber was cut short before the record's text changed, and may have
    changed other records' references to that id already: run again, it gives that id again
    (every command that gives ids passes it by), where the next free one may be above it."""
    folder = settings.private_overlay
    new = idalloc.noted_id(folder, old) if folder is not None else None
    if new is None or new in taken or _year(new) != _year(old):
        return None
    if idalloc.never_given(new, today=dates.today()) is not None:
        return None
    return new


def _year(element_id: str) -> int | None:
    """The year of an element id; None for text that is no id."""
    parsed = idalloc.parse(element_id)
    return parsed[0] if parsed is not None else None


def _note(kept: Overlay, old: str) -> Path:
    assert kept.folder is not None
    return idalloc.renumber_note(kept.folder, old)


def noting(kept: Overlay, old: str, new: str) -> transaction.Change:
    """The change that leaves the note that the renumber of `old` to `new` moves the overlay
    file of `old`: the first of the renumber's changes, so that a renumber cut short after it
    moved that file has left it."""
    path = _note(kept, old)
    try:
        read: bytes | None = confined.read(path, kept.folder or Path(), limit=4096)
    except FileNotFoundError:
        read = None  # a note left before is written over
    text = (
        f"# ichinv renumber {old} is moving the overlay file of {old} to {new}; if it was cut\n"
        f"# short, `ichinv renumber {old}` completes it. Removed once it is done.\n{new}\n"
    )
    return transaction.Change(path, text.encode("utf-8"), read)


def noted(kept: Overlay, old: str, new: str) -> bool:
    """Whether the note of a renumber of `old` to `new` is there (see `noting`)."""
    return kept.folder is not None and idalloc.noted_id(kept.folder, old) == new


def done(kept: Overlay, old: str) -> None:
    """Remove the note of a renumber of `old` (see `noting`), once every file has changed."""
    if kept.folder is not None:
        with contextlib.suppress(OSError):
            _note(kept, old).unlink()
