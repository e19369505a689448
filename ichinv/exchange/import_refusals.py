"""What stops `ichinv import` before anything is written, row by row: a cell holding the note
of a public output, an edit of what the private overlay keeps, a row without its checksum, a
new row under an id used before, a row of an element that has left its id since the export,
a row of a record whose file is named by another id (ichinv.exchange.importing makes the
plan)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

from ichinv.core import pointers
from ichinv.core.errors import RecordUnreadable, UsageError
from ichinv.core.i18n import _
from ichinv.core.model import RecordKind
from ichinv.core.vocabulary import ATTACHMENT_FOLDERS
from ichinv.exchange import json_export, table
from ichinv.inventory import attachment_folders, ids, plaindata
from ichinv.inventory import audience as redact
from ichinv.inventory import view as inventory_view
from ichinv.inventory.unreadable import cannot_read, whole_folder
from ichinv.inventory.withheld_note import note_test
from ichinv.io.settings import Settings
from ichinv.validate.rules.identity import file_name_hint


def no_checksum(name: str, line: int, element_id: str) -> UsageError:
    """The refusal of a row that would change a record but has no checksum: whether the
    record changed since the export cannot be told, and the row could undo those changes."""
    return UsageError(
        _(
            "{name}:{line}: {id} has no checksum (_checksum) in this file, so whether its "
            "record changed after the export cannot be checked, and its row could undo "
            "those changes"
        ).format(name=name, line=line, id=element_id),
        hint=_(json_export.CHECKSUM_HINT),
    )


def gone_since_export(name: str, line: int, element_id: str) -> UsageError:
    """The refusal of a row that has a checksum (it was exported from an element) under an id
    no element has now: that element was renumbered or deleted since, and the row is no new
    element (imported as one, it would bring the element back under its old id)."""
    return UsageError(
        _(
            "{name}:{line}: the row has a checksum (_checksum), so it was exported from an "
            "element, but no element has the id {id} now: the element of this row was "
            "renumbered or deleted after the export"
        ).format(name=name, line=line, id=element_id),
        hint=_(
            "export again (`ichinv export --audience committee`) and make the edits in the new "
            "file; for a new element, give its row a new id and an empty _checksum"
        ),
    )


def exported_from_another(name: str, line: int, element_id: str, other: str) -> UsageError:
    """The refusal of a row whose checksum is the record of another element than the one its
    id cell names (the id overwritten with another element's, or with a new one): imported,
    the other element's values would replace that record, or make a copy of the element.
    Refused even with --force, as a row of an element renumbered or deleted since is."""
    return UsageError(
        _(
            "{name}:{line}: column id: the row was exported from the record of {other} (its "
            "_checksum says so), but its id cell holds {id}, and an import never moves an "
            "element's values to another id"
        ).format(name=name, line=line, id=element_id, other=other),
        hint=_(
            "write {other} back into the id cell (an import never changes which element a row "
            "is), or export again; for a new element, give its row a new id and an empty "
            "_checksum"
        ).format(other=other),
    )


def doubtful_record(name: str, line: int, element_id: str, path: str) -> UsageError:
    """The refusal of a row that would change a record whose file is named by another id (a
    mistyped `id:` line, a copy made for a new element, a renumber cut short: validate's
    id.file-name), unless the row was exported from that very file (its checksum): which
    element the row means is in doubt, and a row typed for a new element would overwrite
    another's fields."""
    return UsageError(
        _(
            "{name}:{line}: {id} is the `id:` line of {path}, a file named by another id "
            "(`ichinv validate` reports it: id.file-name), so which element the row means is in "
            "doubt, and the row would change that file"
        ).format(name=name, line=line, id=element_id, path=path),
        hint=_("{advice}; then import again").format(
            advice=file_name_hint(element_id, PurePosixPath(path).stem)
        ),
    )


def refuse_named_otherwise(
    inventory: inventory_view.Inventory, where: tuple[str, int], element_id: str, path: str
) -> None:
    """Stop at a new row whose id names the file `path` of a record that holds another id (a
    mistyped `id:` line, a copy made for a new element, a renumber cut short: validate's
    id.file-name): it was "exists but could not be read", of a file that reads fine. A new
    record cannot be written there, and which element the row means is in doubt."""
    held = next((rec.id for rec in inventory.elements if rec.path == path and rec.id), None)
    if held is None:
        return
    name, line = where
    raise UsageError(
        _(
            "{name}:{line}: {path} holds the id {held}, not the {id} of its name (`ichinv "
            "validate` reports it: id.file-name), so the row cannot be a new element {id}, and "
            "which element it means is in doubt"
        ).format(name=name, line=line, path=path, held=held, id=element_id),
        hint=_("{advice}; then import again").format(
            advice=file_name_hint(str(held), PurePosixPath(path).stem)
        ),
    )


def refuse_private_edits(
    inventory: inventory_view.Inventory, current: Any, edits: Iterable[table.Column], where: str
) -> None:
    """Stop when a row edits what the private overlay keeps: written into the record, it would
    put personal data or restricted parts into the repository."""
    held = [*inventory.private_fields(current), *_placeholders(current.data)]
    for column in edits:
        if any(plaindata.overlaps(column.pointer, pointer) for pointer in held):
            raise UsageError(
                _(
                    "{where}: {id}: {name} is kept in the private overlay, not in the "
                    "record, and importing cannot change it"
                ).format(where=where, id=current.id, name=column.name),
                hint=_(
                    "edit it in the private overlay file of the element; leave the cell as exported"
                ),
            )


def _placeholders(data: Any, pointer: str = "") -> list[str]:
    """Pointers of the `Withheld` placeholders a record holds (parts kept elsewhere)."""
    if isinstance(data, redact.Withheld):
        return [pointer]
    if isinstance(data, Mapping):
        return [
            p
            for key, value in data.items()
            for p in _placeholders(value, f"{pointer}/{pointers.escape(key)}")
        ]
    if isinstance(data, list):
        return [p for i, value in enumerate(data) for p in _placeholders(value, f"{pointer}/{i}")]
    return []


def refuse_notes(
    cells: Iterable[tuple[table.Column, Iterable[str]]], where: str, phrasings: Collection[str]
) -> None:
    """Stop at a cell holding the note a public output writes where it withheld a value (the
    whole cell, or a text inside a list or JSON cell: each column's texts are given):
    imported, the note would replace what the record holds there (a restricted text)."""
    is_note = note_test(phrasings)
    for column, texts in cells:
        if any(is_note(text) for text in texts):
            raise UsageError(
                _(
                    "{where}: column {name}: the cell holds the note a public export writes "
                    "where it left a value out ([withheld: …]), not a value; importing it "
                    "would write that note over the record"
                ).format(where=where, name=column.name),
                hint=_(
                    "public exports, packets and pages leave values out and cannot be "
                    "imported: export with `ichinv export --audience committee`, make the "
                    "edits in that file and import it"
                ),
            )


def refuse_reused_id(
    settings: Settings, where: tuple[str, int], element_id: str, taken: ids.Taken
) -> None:
    """Stop at a new row whose id a new element must not be given (`taken`:
    ids.unavailable), as `ichinv new` and `import --from odk` never give one: an id an
    element had before (ids are never reused), one naming a folder of elements' files that
    no element has, in documentation/, evidence/ or elements/ (the new element would take its
    files over), one a renumber cut short is giving another element, or one a record names
    (a reference to it would lead to the new element). The hint names the next free id of
    the year."""
    parsed = ids.parse(element_id)
    if parsed is None or element_id not in taken:
        return
    name, line = where
    free = ids.next_free(parsed[0], taken, settings.folder(RecordKind.ELEMENT))
    folder = next((f.shown for f in attachment_folders.found(settings) if f.id == element_id), None)
    hint = _(
        "give the new element a new id, such as {free} (the next free one; `ichinv new` gives "
        "one too); if the files are this element's, move them to the folder of that id"
    ).format(free=free)
    if folder is None and (folder := ids.named_folder(settings, element_id)) is not None:
        documentation, evidence = (f"{place}/{free}/" for place in ATTACHMENT_FOLDERS)
        hint = _(
            "give the new element a new id, such as {free} (the next free one; `ichinv new` "
            "gives one too); if the files are this element's, move them to {documentation} or "
            "{evidence}: an element's files belong there, not in elements/"
        ).format(free=free, documentation=documentation, evidence=evidence)
    if folder is not None:
        raise UsageError(
            _(
                "{name}:{line}: {id} names {folder}/, a folder of an element's files that no "
                "element has, and a new element with that id would take its files over"
            ).format(name=name, line=line, id=element_id, folder=folder),
            hint=hint,
        )
    held = ids.id_lines(settings).get(element_id)
    if held is not None:  # a renumber cut short leaves it so, and a mistyped id too
        raise UsageError(
            _(
                "{name}:{line}: {id} is held by the `id:` line of {path}, a file not named by "
                "it (`ichinv validate` reports such a file: id.file-name): that line may be "
                "mistyped, and no id is given to two elements"
            ).format(name=name, line=line, id=element_id, path=held),
            hint=_(
                "{advice}; else give the new element another id, such as {free} (the next "
                "free one; `ichinv new` gives one too)"
            ).format(advice=file_name_hint(element_id, PurePosixPath(held).stem), free=free),
        )
    noted = [old for old, new in ids.noted_renumbers(settings).items() if new == element_id]
    if noted:
        raise UsageError(
            _(
                "{name}:{line}: {id} is the new id a renumber cut short is giving another "
                "element ({place} holds it), and no id is given to two elements"
            ).format(name=name, line=line, id=element_id, place=ids.note_shown(settings, noted[0])),
            hint=_(
                "give the new element a new id, such as {free} (the next free one; `ichinv "
                "new` gives one too); running that renumber again completes it"
            ).format(free=free),
        )
    named = ids.named_in_records(settings).get(element_id)
    if named is not None and element_id not in taken.used:
        raise UsageError(
            _(
                "{name}:{line}: {id} is named in {place}, though no element has it: a new "
                "element with that id would be the one named there"
            ).format(name=name, line=line, id=element_id, place=named),
            hint=_(
                "give the new element a new id, such as {free} (the next free one; `ichinv new` "
                "gives one too); if {place} means this element by {id}, write its new id there"
            ).format(free=free, place=named, id=element_id),
        )
    raise UsageError(
        _(
            "{name}:{line}: {id} was the id of an element the inventory no longer has "
            "(deleted, renumbered, or on another branch, as git history shows), and ids are "
            "never reused"
        ).format(name=name, line=line, id=element_id),
        hint=_(
            "give the new element a new id, such as {free} (the next free one; `ichinv new` "
            "gives one too); to bring the deleted element back, restore its file from git "
            "(`git log -- elements/{id}.yaml` shows when it went) instead of importing it"
        ).format(free=free, id=element_id),
    )


def refuse_unread(inventory: inventory_view.Inventory, element_id: str | None = None) -> None:
    """The error `show` gives (exit 1) when the records of the import cannot be read: elements/
    itself (a link leading out of the inventory, another repository: no record was read, and
    a new one would be written there, outside the repository), or, for `element_id` (a row no
    readable record holds), the file that holds it (it was "exists but could not be read",
    exit 2). Nothing is written."""
    if element_id is None:
        folder = whole_folder(inventory.problems)
        if folder is not None:
            raise RecordUnreadable(
                _("{problem}; nothing was changed").format(problem=folder.message),
                hint=folder.hint,
            )
        return
    problem = inventory.unreadable.get(element_id.upper())  # ids only: nothing else quoted
    if problem is not None:
        raise cannot_read(element_id.upper(), problem)
