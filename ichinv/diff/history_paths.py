"""What each commit changed in elements/, as `ichinv log` follows a record: every path in it (a
subfolder's too: a record moved into a folder is no record, but still the element's), seen
through elements/ where git stores that folder as a symbolic link to a folder inside the
inventory (as the working tree and a commit's snapshot read it), each version as git stores
it (a file, a symbolic link, a gitlink), or why the folder holding it cannot be read.

One `git log --raw` pass over elements/; where elements/ was ever a link, another over the
folders it led to, and at each commit that made or changed the link the records on both sides
are listed whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ichinv.core.model import Finding, RecordKind
from ichinv.inventory import record_folders
from ichinv.inventory.commit_files import FILE_MODE
from ichinv.io.git import CommitInfo, FolderAt, GitRepo, RawChange

KIND = RecordKind.ELEMENT
FOLDER = KIND.folder


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a path in elements/ as a commit stores it."""

    blob: str
    """Its git object id (a gitlink's: the other repository's commit); empty when `folder`."""
    mode: str = FILE_MODE
    """How git stores it (ichinv.io.git_types: a file, SYMLINK_MODE, GITLINK_MODE)."""
    folder: Finding | None = None
    """Why elements/ cannot be read at that commit (a link leading out of the inventory)."""


@dataclass(frozen=True, slots=True)
class PathChange:
    """What one commit did to one path in elements/."""

    path: str
    """Relative to the inventory root as records are read: `elements/…`, a link followed."""
    old: Version | None
    new: Version | None


@dataclass(frozen=True, slots=True)
class Touched:
    """A commit that changed something in elements/, newest first."""

    info: CommitInfo
    changes: tuple[PathChange, ...]


def touched(repo: GitRepo, head: str, at_head: FolderAt) -> Iterator[Touched]:
    """The commits reachable from `head` that changed something in elements/, newest first,
    with what each changed there (`at_head`: where `head` keeps its element records)."""
    specs = {FOLDER} | ({at_head.path} if at_head.path else set())
    commits = list(repo.log(head, paths=sorted(specs)))
    switches = _switches(commits, specs)
    if not switches and at_head.stored == "tree":  # elements/ always a folder: the usual
        for info in commits:
            yield Touched(info, _mapped(info.changes, at_head))
        return
    states: dict[str, FolderAt] = {}
    while True:  # the folders elements/ led to, and the commits that changed where it leads
        for commit in switches:
            for rev in (commit, f"{commit}^"):
                if rev not in states:
                    states[rev] = repo.records_folder(rev, KIND)
        more = {s.path for s in states.values() if s.path} - specs
        if not more:
            break
        specs |= more
        commits = list(repo.log(head, paths=sorted(specs)))
        switches = _switches(commits, specs)
    tracked = at_head
    for info in commits:
        if info.commit in switches:
            before, after = states[f"{info.commit}^"], states[info.commit]
            changes = _compared(repo, info.commit, before, after)
            tracked = before
        else:
            changes = _mapped(info.changes, tracked)
        yield Touched(info, changes)


def _switches(commits: Iterable[CommitInfo], specs: set[str]) -> set[str]:
    """The commits that changed what is stored at elements/ or a folder it led to itself (a
    symbolic link made, changed or removed)."""
    return {info.commit for info in commits if any(c.path in specs for c in info.changes)}


def _mapped(changes: Iterable[RawChange], where: FolderAt) -> tuple[PathChange, ...]:
    """`changes` under the folder elements/ leads to (`where`), as paths in elements/."""
    if where.path is None:
        return ()
    base = f"{where.path}/"
    return tuple(
        PathChange(
            f"{FOLDER}/{c.path[len(base) :]}",
            Version(c.old_blob, c.old_mode or FILE_MODE) if c.old_blob else None,
            Version(c.new_blob, c.new_mode or FILE_MODE) if c.new_blob else None,
        )
        for c in changes
        if c.path.startswith(base)
    )


def _compared(
    repo: GitRepo, commit: str, before: FolderAt, after: FolderAt
) -> tuple[PathChange, ...]:
    """What a commit that changed where elements/ leads changed in it: its records listed
    whole on both sides (a side elements/ cannot be read on holds each path of the other as
    a version saying why)."""
    olds = _listing(repo, f"{commit}^", before)
    news = _listing(repo, commit, after)
    if olds is None and news is None:
        return ()
    if olds is None:
        olds = _unread(before, news or {})
    if news is None:
        news = _unread(after, olds)
    return tuple(
        PathChange(path, olds.get(path), news.get(path))
        for path in sorted(set(olds) | set(news))
        if olds.get(path) != news.get(path)
    )


def _listing(repo: GitRepo, rev: str, where: FolderAt) -> dict[str, Version] | None:
    """Every path in elements/ at `rev`, with its version; None when it cannot be read."""
    if where.path is None:
        return None
    base = f"{where.path}/" if where.path else ""
    return {
        f"{FOLDER}/{path[len(base) :]}": Version(oid, mode)
        for path, mode, oid in repo.files_under(rev, where.path)
        if path.startswith(base)
    }


def _unread(where: FolderAt, paths: Iterable[str]) -> dict[str, Version]:
    problem = record_folders.in_commit(KIND, where)
    return {path: Version("", folder=problem) for path in paths}
