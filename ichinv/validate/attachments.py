"""`path.orphan`: folders of elements' files (`documentation/<id>/`, `evidence/<id>/`, in the
repository or the private overlay) that belong to no element.

Such a folder is one an interrupted `import --from odk` left (the files of a draft that was
never written, a signed consent form among them), or one of an element deleted. A folder
belongs to an element when a record file is named by its id, or when a record or an overlay
file names a file in it (a renumbered element keeps its files where they were).

`validate --new-since REV` judges the repository's folders at REV too (`orphaned_at`, from the
commit's tree): a folder that was there and belonged to no element then is an old problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from ichinv.core.catalogue import rule
from ichinv.core.i18n import _
from ichinv.core.model import Finding, RecordKind
from ichinv.core.vocabulary import ATTACHMENT_FOLDERS, is_element_id
from ichinv.inventory import attachment_folders
from ichinv.inventory import record_files as records
from ichinv.io.git import GitRepo
from ichinv.io.git_types import TreeEntry
from ichinv.io.settings import Settings

RULE = "path.orphan"


def check(settings: Settings, files: Iterable[records.SourceFile]) -> list[Finding]:
    """A finding for each folder of elements' files that belongs to no element (`files`: the
    record files of the run)."""
    files = list(files)
    elements = {Path(f.rel).stem for f in files if f.kind is RecordKind.ELEMENT}
    unclaimed = [f for f in attachment_folders.found(settings) if f.id not in elements]
    if not unclaimed:
        return []
    named = _named(_contents(settings, files), {f.rel for f in unclaimed})
    return [
        rule(RULE).finding(
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


def orphaned_at(
    settings: Settings, repo: GitRepo, commit: str, entries: Iterable[TreeEntry]
) -> list[str]:
    """The folders of elements' files in the repository (`documentation/<id>`) that belonged to
    no element at `commit`, read from its tree (`entries`: its record files). The private
    overlay is no part of a commit: what it names now is not asked (a folder it names now is
    no orphan now either)."""
    entries = [e for e in entries if e.kind is RecordKind.ELEMENT]
    elements = {PurePosixPath(e.path).stem for e in entries}
    candidates = [
        f"{base}/{name}"
        for base, names in repo.names_in(commit, ATTACHMENT_FOLDERS).items()
        for name in sorted(names)
        if is_element_id(name) and name not in elements
    ]
    if not candidates:
        return []
    # git keeps no empty folder: one that holds nothing was a file (or a link) there
    unclaimed = {folder for folder, held in repo.names_in(commit, candidates).items() if held}
    if not unclaimed:
        return []
    blobs = [e.blob for e in entries if not e.symlink]
    contents = repo.read_blobs(blobs, max_size=settings.max_file_size)
    named = _named((raw for raw in contents.values() if isinstance(raw, bytes)), unclaimed)
    return sorted(unclaimed - named)


def _contents(settings: Settings, files: list[records.SourceFile]) -> Iterable[bytes]:
    """The bytes of the element records of the run and of the overlay files (read as asked)."""
    sources = [f for f in files if f.kind is RecordKind.ELEMENT]
    kept = settings.private_overlay
    if kept is not None:
        sources += [
            records.SourceFile(RecordKind.ELEMENT, str(path), path.name)
            for path in sorted((kept / RecordKind.ELEMENT.folder).glob("*.yaml"))
        ]
    for source in sources:
        raw = records.read(source, settings.max_file_size)
        if isinstance(raw, bytes):  # else validate reports the file
            yield raw


def _named(contents: Iterable[bytes], folders: set[str]) -> set[str]:
    """Those of `folders` (`documentation/<id>`) that a file of `contents` names a file in (read
    only when some folder is unclaimed: rarely, and only until every folder is named)."""
    wanted = {folder: f"{folder}/".encode() for folder in folders}
    named: set[str] = set()
    for raw in contents:
        named.update(folder for folder, text in wanted.items() if text in raw)
        if len(named) == len(wanted):
            break
    return named
