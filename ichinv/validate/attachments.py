"""`path.orphan`: folders of elements' files (`documentation/<id>/`, `evidence/<id>/`, in the
repository or the private overlay) that belong to no element.

Such a folder is one an interrupted `import --from odk` left (the files of a draft that was
never written, a signed consent form among them), or one of an element deleted. A folder
belongs to an element when a record file is named by its id, or when a record or an overlay
file names a file in it (a renumbered element keeps its files where they were).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ichinv.core.catalogue import rule
from ichinv.core.i18n import _
from ichinv.core.model import Finding, RecordKind
from ichinv.inventory import attachment_folders
from ichinv.inventory import record_files as records
from ichinv.io.settings import Settings


def check(settings: Settings, files: Iterable[records.SourceFile]) -> list[Finding]:
    """A finding for each folder of elements' files that belongs to no element (`files`: the
    record files of the run)."""
    files = list(files)
    elements = {Path(f.rel).stem for f in files if f.kind is RecordKind.ELEMENT}
    unclaimed = [f for f in attachment_folders.found(settings) if f.id not in elements]
    if not unclaimed:
        return []
    named = _named(settings, files, {f.rel for f in unclaimed})
    return [
        rule("path.orphan").finding(
            folder.shown,
            _(
                "{folder}/ is named by {id}, but no element has that id and no record names a "
                "file in it"
            ).format(folder=folder.shown, id=folder.id),
            hint=_(
                "an interrupted `ichinv import --from odk` leaves such a folder: if its files "
                "belong to an element, move them to that element's folder and name them in its "
                "record; otherwise delete the folder (it may hold personal data)"
            ),
        )
        for folder in unclaimed
        if folder.rel not in named
    ]


def _named(settings: Settings, files: list[records.SourceFile], folders: set[str]) -> set[str]:
    """Those of `folders` (`documentation/<id>`) that a record or an overlay file names a file
    in (read only when some folder is unclaimed: rarely)."""
    sources = [f for f in files if f.kind is RecordKind.ELEMENT]
    kept = settings.private_overlay
    if kept is not None:
        sources += [
            records.SourceFile(RecordKind.ELEMENT, str(path), path.name)
            for path in sorted((kept / RecordKind.ELEMENT.folder).glob("*.yaml"))
        ]
    wanted = {folder: f"{folder}/".encode() for folder in folders}
    named: set[str] = set()
    for source in sources:
        raw = records.read(source, settings.max_file_size)
        if isinstance(raw, bytes):  # else validate reports the file
            named.update(folder for folder, text in wanted.items() if text in raw)
        if len(named) == len(wanted):
            break
    return named
