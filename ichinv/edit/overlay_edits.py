"""The private overlay as `retire`, `merge` and `renumber` change it.

These commands read the private overlay (settings `private_overlay`) with the records: a
field the overlay keeps for an element (its `related`, moved there as a restricted part) is
read and changed there, never written into the record beside it, and one it would keep (a
restricted part the record lists, personal data) that the record lacks is written there, in a
file made for the element when it has none (ichinv.edit.elements.ElementEdit); a renumbered element's overlay file is renamed with it, its `id` changed;
references to the old id in overlay files follow as references in records do. Every such file is one more change of the
command's all-or-nothing write (ichinv.io.transaction), written for its owner's eyes only.

What cannot be done safely is refused before anything is written: an overlay named in the
settings that is not here, or that cannot be read, when the command would change what it may
keep (renumber always: any element may have a file there); a field kept partly in the overlay
and partly in the record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ichinv.core.errors import UsageError
from ichinv.core.i18n import _
from ichinv.core.model import RecordKind
from ichinv.inventory import overlay as private
from ichinv.inventory import record_files as records
from ichinv.io import atomic as files
from ichinv.io import editor as yamlio
from ichinv.io import transaction
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader


def read(settings: Settings) -> private.Overlay | None:
    """The private overlay as these commands read it; None when the settings name none."""
    return private.load(settings) if settings.private_overlay is not None else None


def shown_folder(settings: Settings) -> str:
    folder = settings.private_overlay
    return private.display(settings, folder) if folder is not None else ""


def require_here(settings: Settings, kept: private.Overlay | None, element_id: str) -> None:
    """A UsageError when the settings name an overlay that is not here: renumbering
    `element_id` would leave its overlay file, and references to it, under the old id."""
    if kept is not None and not kept.available:
        raise UsageError(
            _(
                "the private overlay {folder} named in the settings is not here, so the file "
                "it may keep for {id}, and its references to {id}, could not follow the new id"
            ).format(folder=shown_folder(settings), id=element_id),
            hint=_("mount or copy the overlay folder there, then run the command again"),
        )


def follow(document: yamlio.Document, old_id: str, new_id: str) -> bool:
    """Make the references to `old_id` in `document` (a record or an overlay file:
    `related`, `status_change.merged_into`) name `new_id`; whether there was one."""
    changed = False
    if document.get("/status_change/merged_into") == old_id:
        document.set("/status_change/merged_into", new_id)
        changed = True
    related = document.get("/related")
    for number, item in enumerate(related if isinstance(related, list) else []):
        if isinstance(item, Mapping) and item.get("id") == old_id:
            document.set(f"/related/{number}/id", new_id)
            changed = True
    return changed


def refers(data: Mapping[str, Any], element_id: str) -> list[str]:
    """How the record or overlay entry `data` refers to `element_id`: `merged into it`, and
    `related (RELATION)` for each entry of `related` naming it."""
    found = []
    status_change = data.get("status_change")
    if isinstance(status_change, Mapping) and status_change.get("merged_into") == element_id:
        found.append("merged into it")
    related = data.get("related")
    found.extend(
        f"related ({item.get('relation')})"
        for item in (related if isinstance(related, list) else [])
        if isinstance(item, Mapping) and item.get("id") == element_id
    )
    return found


def key_order(settings: Settings) -> yamlio.KeyOrder:
    """The element schema's key order, in which new keys of a record or an overlay file go."""
    return schema_loader.load_schema(
        RecordKind.ELEMENT, settings.schema_file(RecordKind.ELEMENT), check=False
    ).property_order


def file_of(kept: private.Overlay, element_id: str) -> Path:
    assert kept.folder is not None
    return kept.folder / private.FOLDER / f"{element_id}{records.SUFFIX}"


def open_file(settings: Settings, kept: private.Overlay, element_id: str) -> yamlio.Document:
    return yamlio.load(kept.raws[element_id], kept.paths[element_id], key_order(settings))


def replaced(
    kept: private.Overlay, element_id: str, document: yamlio.Document
) -> transaction.Change:
    """Writing `document` over the overlay file of `element_id` (where a link inside the
    overlay leads), if it still holds what was read."""
    assert kept.folder is not None
    path = files.edited(file_of(kept, element_id), kept.folder)
    return transaction.Change(
        path, yamlio.dump(document).encode("utf-8"), kept.raws[element_id], private=True
    )


def made(kept: private.Overlay, element_id: str, document: yamlio.Document) -> transaction.Change:
    """Writing `document` as the new overlay file of `element_id` (which must not exist yet),
    for its owner's eyes only."""
    data = yamlio.dump(document).encode("utf-8")
    return transaction.Change(file_of(kept, element_id), data, None, private=True)


# --- renumber ------------------------------------------------------------------------------


def renamed(
    settings: Settings, kept: private.Overlay, old_id: str, new_id: str
) -> tuple[list[transaction.Change], list[str], str | None]:
    """The changes that move the overlay file of `old_id` to `new_id` (its `id` and its
    heading changed), the overlay file written and the one removed; none when it has none."""
    if old_id not in kept.entries:
        return [], [], None
    old = file_of(kept, old_id)
    new = file_of(kept, new_id)
    shown = private.display(settings, new)
    if old.is_symlink():
        raise UsageError(
            _(
                "{path} is a symbolic link, and renumber renames the record's file: the link "
                "would be left leading nowhere"
            ).format(path=kept.paths[old_id]),
            hint=_("replace the link with the record itself (or remove it), then renumber"),
        )
    document = open_file(settings, kept, old_id)
    document.set("/id", new_id)
    document.path = shown
    heading = private.HEAD.format(id=old_id).splitlines()
    if document.head[: len(heading)] == heading:
        document.head[: len(heading)] = private.HEAD.format(id=new_id).splitlines()
    text = yamlio.dump(document).encode("utf-8")
    removed = transaction.Change(old, None, kept.raws[old_id])
    if kept.raws.get(new_id) == text and not new.is_symlink():
        # Written by a renumber killed before it removed the old file: that is left to do.
        return [removed], [shown], kept.paths[old_id]
    if new.exists() or new.is_symlink():
        raise UsageError(
            _(
                "the private overlay holds {path} already, so the file of {old} cannot be "
                "renamed to it"
            ).format(path=shown, old=old_id),
            hint=_(
                "that file belongs to no element; merge it with {old}'s by hand, or move it "
                "away, then run the command again"
            ).format(old=old_id),
        )
    changes = [transaction.Change(new, text, None, private=True, like=old), removed]
    return changes, [shown], kept.paths[old_id]


def referrers(kept: private.Overlay, element_id: str, *, skip: str = "") -> list[str]:
    """The overlay entries (by element id) whose fields refer to `element_id`, but `skip`."""
    return sorted(
        other
        for other, fields in kept.entries.items()
        if other != skip and refers(fields, element_id)
    )


def followed(
    settings: Settings, kept: private.Overlay, ids: Sequence[str], old_id: str, new_id: str
) -> tuple[list[transaction.Change], list[str]]:
    """The changes that make the overlay files of `ids` refer to `new_id` for `old_id`, and
    those files as reports show them."""
    changes, shown = [], []
    for element_id in ids:
        document = open_file(settings, kept, element_id)
        if follow(document, old_id, new_id):
            changes.append(replaced(kept, element_id, document))
            shown.append(kept.paths[element_id])
    return changes, shown


def mentions(
    kept: private.Overlay | None, old_id: str, skip: str, texts: Callable[[Any], str]
) -> list[str]:
    """The overlay files, but `skip`'s, whose free text names `old_id` (`texts`: the joined
    texts of an entry)."""
    if kept is None:
        return []
    return [
        kept.paths[other]
        for other, fields in sorted(kept.entries.items())
        if other != skip and old_id in texts(fields)
    ]
