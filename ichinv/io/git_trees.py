"""A commit's records folders as git stores them: the entries of each (`git ls-tree`), a
records folder stored as a symbolic link followed where it leads inside the inventory (as the
working tree follows one), and the files under a folder.

ichinv.io.git runs the commands (`Run`: its own way of running git); nothing here starts a
process. Paths given and returned are relative to the inventory root, `prefix` being the
inventory's folder in the repository (empty, or ending in a slash).
"""

from __future__ import annotations

import re
import subprocess
from typing import Protocol

from ichinv.core import trace
from ichinv.core.model import RecordKind
from ichinv.io.cache_trust import MAX_LINKS
from ichinv.io.git_types import GITLINK_MODE, SYMLINK_MODE, FolderAt, TreeEntry

TREE_LINE = re.compile(rb"([0-7]+) (\w+) ([0-9a-f]{40})\t([^\0]*)\0")
"""`git ls-tree -z`: mode, type, object id, path."""


_SYMLINK = SYMLINK_MODE.encode()
_GITLINK = GITLINK_MODE.encode()

_Item = tuple[bytes, bytes, bytes, str]
"""An entry of a folder: mode, object type, object id, name."""


class Run(Protocol):
    """How ichinv.io.git runs one git command and waits for it."""

    def __call__(
        self, *args: str, check: bool = True, stdin: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]: ...


def record_entries(
    run: Run,
    commit: str,
    prefix: str,
    others: dict[str, tuple[str, str]] | None = None,
    folders: dict[RecordKind, FolderAt] | None = None,
) -> list[TreeEntry]:
    """Every record file (`elements/*.yaml`, `provinces/*.yaml`) at `commit`, sorted by path.

    A records folder stored as a symbolic link is read where it leads, when that is a folder
    inside the inventory; `folders`, when given, gets where each folder stored as something
    other than a folder leads (FolderAt). Files in subfolders and files not ending in `.yaml`
    are not records and are left out, as the working tree reader does; `others`, when given,
    gets their paths, the kind of git object each is (`tree` for a folder, `commit` for a
    gitlink, `blob` for a file of another name) and its id. One `git ls-tree` (about 15 ms for 10,000
    records), and a few more for a folder stored as a link.
    """
    trace.count("list-commit", commit)
    wanted = {f"{prefix}{kind.folder}": kind for kind in RecordKind}
    done = run("ls-tree", "-z", "--full-tree", commit, "--", *(f"{w}/" for w in wanted), *wanted)
    listed: dict[RecordKind, list[_Item]] = {kind: [] for kind in RecordKind}
    stored: dict[RecordKind, tuple[bytes, bytes]] = {}
    for mode, object_type, oid, raw_path in TREE_LINE.findall(done.stdout):
        path = raw_path.decode("utf-8", "surrogateescape")
        if path in wanted:  # the folder's own entry: shown when it is no folder
            if object_type != b"tree":
                stored[wanted[path]] = (mode, oid)
            continue
        folder, __, name = path.rpartition("/")
        if folder in wanted:
            listed[wanted[folder]].append((mode, object_type, oid, name))
    for kind, (mode, oid) in stored.items():
        where = _stored_folder(run, commit, prefix, kind.folder, mode, oid)
        if folders is not None:
            folders[kind] = where
        if where.path is not None:
            listed[kind] = _entries(run, commit, prefix, where.path)
    entries: list[TreeEntry] = []
    for kind, items in listed.items():
        for mode, object_type, oid, name in items:
            path = f"{kind.folder}/{name}"
            if object_type != b"blob" or not is_record_name(name):
                if others is not None:
                    others[path] = (object_type.decode("ascii"), oid.decode("ascii"))
                continue
            entries.append(TreeEntry(kind, path, oid.decode("ascii"), mode == _SYMLINK))
    entries.sort(key=lambda e: e.path)
    return entries


def records_folder(run: Run, commit: str, prefix: str, kind: RecordKind) -> FolderAt:
    """Where `commit` keeps the records of `kind` (`commit` may be `SHA^`: a first commit's
    parent holds none, in the records folder itself)."""
    path = f"{prefix}{kind.folder}"
    found = _entry(run, commit, path)
    if found is None or found[1] == b"tree":
        return FolderAt(kind.folder)
    return _stored_folder(run, commit, prefix, kind.folder, found[0], found[2])


def files_under(run: Run, commit: str, prefix: str, folder: str) -> list[tuple[str, str, str]]:
    """(path, mode, object id) of every file, symbolic link and gitlink under `folder` at
    `commit`, at any depth; paths relative to the inventory root (none when `commit` names no
    commit: a first commit's parent `SHA^`)."""
    path = f"{prefix}{folder}".rstrip("/")
    done = run(
        "ls-tree", "-r", "-z", "--full-tree", commit, "--", f"{path}/" if path else ".",
        check=False,
    )  # fmt: skip
    found = []
    for mode, __, oid, raw_path in TREE_LINE.findall(done.stdout):
        path = raw_path.decode("utf-8", "surrogateescape")
        if path.startswith(prefix):
            found.append((path[len(prefix) :], mode.decode("ascii"), oid.decode("ascii")))
    return found


def names_in(run: Run, commit: str, prefix: str, folders: list[str]) -> dict[str, set[str]]:
    """The names of what each of `folders` held at `commit`, one level down."""
    wanted = {f"{prefix}{folder}": folder for folder in folders}
    found: dict[str, set[str]] = {folder: set() for folder in wanted.values()}
    if not wanted:
        return found
    done = run("ls-tree", "-z", "--full-tree", commit, "--", *(f"{w}/" for w in wanted))
    for __, __, __, raw_path in TREE_LINE.findall(done.stdout):
        parent, __, name = raw_path.decode("utf-8", "surrogateescape").rpartition("/")
        if parent in wanted:
            found[wanted[parent]].add(name)
    return found


def is_record_name(name: str) -> bool:
    """Whether an entry of a records folder is named as a record file is."""
    return name.endswith(".yaml") and not name.startswith(".") and "/" not in name


def _entries(run: Run, commit: str, prefix: str, folder: str) -> list[_Item]:
    """The entries of `folder` (relative to the inventory root; empty: the root) at `commit`."""
    path = f"{prefix}{folder}".rstrip("/")
    done = run("ls-tree", "-z", "--full-tree", commit, "--", f"{path}/" if path else ".")
    start = len(path) + 1 if path else 0
    return [
        (mode, object_type, oid, raw_path[start:].decode("utf-8", "surrogateescape"))
        for mode, object_type, oid, raw_path in TREE_LINE.findall(done.stdout)
    ]


def _entry(run: Run, commit: str, path: str) -> tuple[bytes, bytes, bytes] | None:
    """Mode, object type and object id of what `commit` stores at `path` (relative to the top
    of the repository); None when nothing (or `commit` names no commit)."""
    done = run("ls-tree", "-z", "--full-tree", commit, "--", path, check=False)
    wanted = path.encode("utf-8", "surrogateescape")
    return next(
        (
            (mode, kind, oid)
            for mode, kind, oid, raw in TREE_LINE.findall(done.stdout)
            if raw == wanted
        ),
        None,
    )


def _stored_folder(
    run: Run, commit: str, prefix: str, folder: str, mode: bytes, oid: bytes
) -> FolderAt:
    """Where the records folder `folder`, stored as `mode` (no folder), leads."""
    if mode == _GITLINK:
        return FolderAt(None, "gitlink")
    if mode != _SYMLINK:
        return FolderAt(None, "file")
    target = _link(run, oid)
    path, why = _follow(run, commit, prefix, f"{prefix}{folder}", target)
    return FolderAt(path, "link", target, why)


def _link(run: Run, oid: bytes) -> str:
    """The target of the symbolic link whose blob is `oid`."""
    return run("cat-file", "blob", oid.decode("ascii")).stdout.decode("utf-8", "surrogateescape")


def _follow(run: Run, commit: str, prefix: str, link: str, target: str) -> tuple[str | None, str]:
    """Where the symbolic link at `link` (from the top of the repository), leading to
    `target`, leads at `commit`, one component at a time as the system resolves a path: the
    folder relative to the inventory root and "", or None and why not (`outside`,
    `nowhere`, `loop`, `file`)."""
    done = link.split("/")[:-1]
    pending = target.split("/")
    hops = 1
    if target.startswith("/"):
        return None, "outside"
    while pending:
        name = pending.pop(0)
        if name in ("", "."):
            continue
        if name == "..":
            if not done:
                return None, "outside"
            done.pop()
            continue
        found = _entry(run, commit, "/".join([*done, name]))
        if found is None:
            return None, "nowhere"
        mode, object_type, oid = found
        if mode == _SYMLINK:
            hops += 1
            if hops > MAX_LINKS:
                return None, "loop"
            further = _link(run, oid)
            if further.startswith("/"):
                return None, "outside"
            pending = [*further.split("/"), *pending]
            continue
        if object_type != b"tree":
            return None, "nowhere" if pending else "file"
        done.append(name)
    inside = "/".join(done)
    root = prefix.rstrip("/")
    if inside == root:
        return "", ""
    if not (inside + "/").startswith(prefix):
        return None, "outside"
    return inside[len(prefix) :], ""
