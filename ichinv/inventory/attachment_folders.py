"""The folders of elements' files: `documentation/<id>/` and `evidence/<id>/`, in the repository
and in the private overlay (`ichinv import --from odk` copies attachments there).

Such a folder is named by an element id, whether or not an element has it: one left by an
interrupted import holds the files of a draft that was never written (a signed consent form,
personal data). Its id is never given to a new element (ichinv.inventory.ids), so that no
element takes over another's files, and `validate` reports it (`path.orphan`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ichinv.core.vocabulary import ATTACHMENT_FOLDERS, is_element_id
from ichinv.inventory import overlay
from ichinv.io.settings import Settings


@dataclass(frozen=True, slots=True)
class AttachmentFolder:
    """A folder of an element's files."""

    id: str
    """The element id it is named by."""
    path: Path
    shown: str
    """As reports show it (relative to the inventory root: `documentation/KZ-2026-0055`,
    `../private/evidence/KZ-2026-0055`)."""
    rel: str
    """Its place below the repository or the overlay, as records name files in it:
    `documentation/KZ-2026-0055`."""


def found(settings: Settings) -> list[AttachmentFolder]:
    """Every folder named by an element id in the attachment folders of the repository and of
    the private overlay (when it is at hand), in order."""
    bases = [settings.root]
    if settings.private_overlay is not None:
        bases.append(settings.private_overlay)
    folders = []
    for base in bases:
        for name in ATTACHMENT_FOLDERS:
            try:
                with os.scandir(base / name) as entries:
                    named = sorted(e.name for e in entries if is_element_id(e.name) and e.is_dir())
            except OSError:  # no such folder, or not one
                continue
            for element_id in named:
                path = base / name / element_id
                shown = overlay.display(settings, path)
                folders.append(AttachmentFolder(element_id, path, shown, f"{name}/{element_id}"))
    return folders


def ids(settings: Settings) -> set[str]:
    """The element ids that name folders of elements' files."""
    return {folder.id for folder in found(settings)}
