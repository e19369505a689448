"""The record files of a commit, listed once: `git ls-tree` the first time, then the record
cache (a commit id names the same files for ever). With them, what else its records folders
hold and where a folder stored as a symbolic link leads: a commit's snapshot names those as
the working tree's names what in elements/ is no record."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ichinv.core.model import Finding, RecordKind
from ichinv.inventory import record_folders, unreadable
from ichinv.inventory.folder_entries import entry_problem
from ichinv.inventory.record_cache import RecordCache
from ichinv.io.git import GitRepo
from ichinv.io.git_log import record_kind
from ichinv.io.git_types import EMPTY_BLOBS, GITLINK_MODE, SYMLINK_MODE, FolderAt

_KINDS = {kind.value: kind for kind in RecordKind}
_COMMIT_ID = re.compile("[0-9a-f]{40}|[0-9a-f]{64}")
FILE_MODE = "100644"
"""The mode a record file is listed with (an executable one too)."""


@dataclass(frozen=True, slots=True)
class Listing:
    """A commit's record files and what else its records folders hold."""

    files: list[tuple[RecordKind, str, str, str]]
    """Kind, path, object id and how git stores each record path: FILE_MODE, SYMLINK_MODE
    (the blob holds the link's target) or GITLINK_MODE (the id names another repository's
    commit); sorted by path."""
    others: dict[str, tuple[str, str]]
    """Path → git object type (`tree`, `blob`, `commit`) and id of each entry of a records
    folder that is no record file (a folder, a file of another name, a gitlink of another
    name)."""
    folders: dict[RecordKind, FolderAt]
    """Where each records folder stored as no folder (a symbolic link, a file) leads."""


def listed(repo: GitRepo, commit: str, cache: RecordCache | None) -> Listing:
    """The record files of `commit` and what else its records folders hold. From the record
    cache when an earlier run listed the same commit (a commit id names the same files for
    ever: ichinv.io.git_blobs turns `git replace` off), else from `git ls-tree`, and then kept
    there. At 10,000 records: 3 ms against 40 ms."""
    key = f"files {repo.prefix}\0{commit}" if _COMMIT_ID.fullmatch(commit) else None
    if cache is not None and key is not None:
        known = _decoded(cache.whole(key))
        if known is not None:
            return known
    others: dict[str, tuple[str, str]] = {}
    folders: dict[RecordKind, FolderAt] = {}
    entries = repo.record_blobs(commit, others, folders)
    files = [(e.kind, e.path, e.blob, SYMLINK_MODE if e.symlink else FILE_MODE) for e in entries]
    # A gitlink named as a record is a record path git stores as no file (as a link is).
    gitlinks = {
        path: kind
        for path, (what, __) in others.items()
        if what == "commit" and (kind := record_kind(path)) is not None
    }
    for path in gitlinks:
        del others[path]
    for kind in set(gitlinks.values()):
        where = folders[kind].path if kind in folders else kind.folder
        for path, mode, oid in repo.files_under(commit, where or ""):
            name = path.removeprefix(f"{where}/") if where else path
            if f"{kind.folder}/{name}" in gitlinks and mode == GITLINK_MODE:
                files.append((kind, f"{kind.folder}/{name}", oid, GITLINK_MODE))
    files.sort(key=lambda f: f[1])
    listing = Listing(files, others, folders)
    if cache is not None and key is not None:
        cache.put_whole(key, _encoded(listing))
    return listing


def _encoded(listing: Listing) -> list[Any]:
    return [
        [(k.value, path, blob, mode) for k, path, blob, mode in listing.files],
        sorted((path, kind, oid) for path, (kind, oid) in listing.others.items()),
        [(k.value, f.path, f.stored, f.target, f.why) for k, f in listing.folders.items()],
    ]


def _decoded(known: Any) -> Listing | None:
    """What `_encoded` made, None when `known` is not that (damaged, or another shape)."""
    if type(known) is not list or len(known) != 3:
        return None
    files, others, folders = known
    if not (type(files) is list and type(others) is list and type(folders) is list):
        return None
    try:
        made = Listing(
            [(_KINDS[k], path, blob, mode) for k, path, blob, mode in files],
            {path: (kind, oid) for path, kind, oid in others},
            {
                _KINDS[k]: FolderAt(path, stored, target, why)
                for k, path, stored, target, why in folders
            },
        )
    except (KeyError, TypeError, ValueError):
        return None
    texts = [v for __, path, blob, mode in made.files for v in (path, blob, mode)]
    texts += [v for path, (kind, oid) in made.others.items() for v in (path, kind, oid)]
    texts += [v for f in made.folders.values() for v in (f.stored, f.target, f.why)]
    if not all(type(v) is str for v in texts):
        return None
    if not all(f.path is None or type(f.path) is str for f in made.folders.values()):
        return None
    return made


def problems(listing: Listing) -> tuple[Finding, ...]:
    """What a commit's records folders hold that is no record, in the words of the working
    tree's listing (`record_files.discover`): a folder, a file of another name…, and a records
    folder stored as no folder whose records cannot be read."""
    found = [
        problem
        for kind, where in listing.folders.items()
        if (problem := record_folders.in_commit(kind, where)) is not None
    ]
    for path, (object_type, oid) in listing.others.items():
        problem = other_problem(path, object_type, oid)
        if problem is not None:
            found.append(problem)
    return tuple(sorted(found, key=Finding.sort_key))


def other_problem(path: str, object_type: str, oid: str) -> Finding | None:
    """The problem of an entry of a commit's records folder that is no record file (`path`,
    git object type and id, as `Listing.others` holds them), in the words of the working
    tree's listing; None when it is fine there (an empty `.gitkeep`)."""
    folder, __, name = path.partition("/")
    # A gitlink is what a clone makes an empty folder of.
    what = "file" if object_type == "blob" else "folder"
    return entry_problem(_FOLDERS[folder], name, what, empty=oid in EMPTY_BLOBS)


_FOLDERS = {kind.folder: kind for kind in RecordKind}


def holdings(
    repo: GitRepo, commit: str, listing: Listing, problems: Iterable[Finding]
) -> dict[Finding, frozenset[str]]:
    """The problem (of `problems`) of each thing directly in `commit`'s elements/ that cannot
    be read → the ids of the elements it may hold, as ichinv.inventory.unreadable.holdings
    finds them in the working tree."""
    folder = RecordKind.ELEMENT.folder
    mine = [p for p in problems if p.path.rpartition("/")[0] == folder]
    where = listing.folders.get(RecordKind.ELEMENT)
    place = where.path if where is not None else folder
    if not mine or place is None:
        return {}
    listed = [
        (path.removeprefix(f"{place}/") if place else path, mode, oid)
        for path, mode, oid in repo.files_under(commit, place)
    ]

    def read(blobs: list[str]) -> dict[str, bytes | None]:
        found = repo.read_blobs(blobs, max_size=unreadable.LOOKED_AT)
        return {b: raw if isinstance(raw, bytes) else None for b, raw in found.items()}

    return unreadable.holdings_in_commit(mine, listed, read)
