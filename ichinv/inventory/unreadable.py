"""Which elements the unreadable things in elements/ (of the working tree or a commit) may hold.

A file that cannot be read, or a folder inside elements/ (whose records are not read), may be
an element's record: a command asked about that element says its record cannot be read, and a
diff gives it no status, rather than "no such element" or "removed". The id comes from the
name (of the file, or of the folder) when it is `<id>.yaml`, else from a .yaml file's
top-level `id:` line; a record of that id that can be read is the element's all the same. A
command that edits a record reads it as every record is read, and says so when it cannot
(`read_record`).
"""

from __future__ import annotations

import os
import re
import shlex
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from ichinv.core.errors import RecordUnreadable
from ichinv.core.i18n import N_, _
from ichinv.core.model import Finding, RecordKind
from ichinv.core.vocabulary import is_element_id
from ichinv.inventory import record_files as records
from ichinv.inventory.quick_read import quick_id
from ichinv.inventory.record_files import SUFFIX
from ichinv.io.git_types import FILE_MODES
from ichinv.io.settings import Settings

LOOKED_AT = 1 << 20
"""Bytes of a file read for its `id:` line."""

FILES_IN_A_FOLDER = 10_000
"""Files of one folder inside elements/ looked at for the ids they hold, at most."""


def about_elements(problem: Finding) -> bool:
    """Whether `problem` is about elements/ or a file or folder in it (any of which may be an
    element's record)."""
    folder = RecordKind.ELEMENT.folder
    return problem.path.rstrip("/") == folder or problem.path.startswith(folder + "/")


UNREAD_RULES = frozenset({"file.symlink", "file.folder", "file.unreadable", "file.record-folder"})
"""Rules of the records folders' problems (record_files.discover's, a snapshot's) that are a
record file, or a whole records folder, that could not be read."""


def unread_records(problems: Iterable[Finding]) -> list[Finding]:
    """Of the problems of the records folders, those a command that goes over every record
    names as records it could not read (exit 1), as `validate` names them, never passing
    over them: a link leading out or nowhere, a folder in a record's place, a pipe, a name
    that is not text, a records folder that is no folder of the repository (`whole_folder`),
    and a file that is a record by its name, of another spelling (`.yml`, `.YAML`:
    RECORD_LIKE) or an element's id with its ending lost (`named_id`). Files that are no
    record by their name (hidden files, the leftovers of a killed write, other endings) are
    `validate`'s to report."""
    return [p for p in problems if p.rule in UNREAD_RULES or _record_by_name(p)]


def _record_by_name(problem: Finding) -> bool:
    name = problem.path.rpartition("/")[2]
    return problem.rule == "file.extension" and (
        name.lower().endswith(RECORD_LIKE) or named_id(name) is not None
    )


def whole_folder(problems: Iterable[Finding]) -> Finding | None:
    """The problem of elements/ itself when none of its records was read (a symbolic link
    leading out of the inventory or nowhere, a file, a gitlink, a folder that cannot be
    listed: ichinv.inventory.record_folders), of the working tree or a commit: it may hold
    any element."""
    folder = RecordKind.ELEMENT.folder
    return next((p for p in problems if p.path == folder), None)


def held_ids(settings: Settings, problems: Iterable[Finding]) -> dict[str, Finding]:
    """Element id → the problem of the unreadable thing directly in elements/ that holds it
    (the first, in the order of `problems`): see `holdings`."""
    return first_holders(holdings(settings, problems))


def holdings(settings: Settings, problems: Iterable[Finding]) -> dict[Finding, frozenset[str]]:
    """The problem of each unreadable thing directly in elements/ (of `problems`) → the ids of
    the elements it may hold (none known: it may hold any): what `by_names` says each file,
    and the folder itself, holds (a folder named `KZ-2013-0001.yaml`, a file in it at any
    depth)."""
    found: dict[Finding, frozenset[str]] = {}
    folder = settings.folder(RecordKind.ELEMENT)
    for problem in problems:
        path = settings.root / problem.path
        if path.parent != folder:
            continue
        ids: set[str | None] = {named_id(path.name, folder=path.is_dir())}
        inside = _files_in(path) if path.is_dir() and not path.is_symlink() else [path]
        for file in inside:
            named, read = by_names(file.relative_to(folder).as_posix())
            ids |= named
            if read:
                raw = records.head(file, LOOKED_AT)  # never waiting on a pipe of that name
                ids.add(quick_id(raw) if raw is not None else None)
        found[problem] = found.get(problem, frozenset()) | {i for i in ids if i is not None}
    return found


def first_holders(holding: Mapping[Finding, Iterable[str]]) -> dict[str, Finding]:
    """Element id → the first problem of `holding` (problem → the ids it may hold) that may
    hold it."""
    found: dict[str, Finding] = {}
    for problem, ids in holding.items():
        for element_id in sorted(ids):
            found.setdefault(element_id, problem)
    return found


def holdings_in_commit(
    problems: Iterable[Finding],
    listed: Iterable[tuple[str, str, str]],
    read: Callable[[list[str]], Mapping[str, bytes | None]],
) -> dict[Finding, frozenset[str]]:
    """`holdings` for a commit: `problems` on entries of its elements/, `listed` (path
    relative to where its element records are, mode, object id) what is under that folder at
    any depth, `read` the first LOOKED_AT bytes of blobs (None: larger)."""
    under: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for path, mode, oid in listed:
        top = path.partition("/")[0]
        if len(under[top]) < FILES_IN_A_FOLDER:
            under[top].append((path, mode, oid))
    wanted: list[tuple[Finding, set[str | None], list[str]]] = []
    for problem in problems:
        name = problem.path.partition("/")[2]
        ids: set[str | None] = {named_id(name, folder=name in under)}
        blobs = []
        for path, mode, oid in under.get(name, []):
            named, read_it = by_names(path)
            ids |= named
            if read_it and mode in FILE_MODES:
                blobs.append(oid)
        wanted.append((problem, ids, blobs))
    contents = read([b for *__, blobs in wanted for b in blobs])
    found: dict[Finding, frozenset[str]] = {}
    for problem, ids, blobs in wanted:
        ids |= {quick_id(raw) if (raw := contents.get(b)) is not None else None for b in blobs}
        found[problem] = found.get(problem, frozenset()) | {i for i in ids if i is not None}
    return found


def by_names(rel: str) -> tuple[set[str | None], bool]:
    """What a file in elements/ that is no record file (`rel`, relative to elements/:
    `drafts/KZ-2013-0001.yaml`, `KZ-2013-0001.yaml/notes.txt`, `.draft.yaml`) holds by its
    names: the ids its folder's name and its own name give; and whether its `id:` line is to
    be read for the id it holds (a .yaml file its own name does not name). The one rule for
    the working tree, a commit and the history (`ichinv log`)."""
    top, slash, __ = rel.partition("/")
    leaf = rel.rpartition("/")[2]
    own = named_id(leaf)
    record_like = leaf.lower().endswith(RECORD_LIKE)
    return {named_id(top, folder=True) if slash else None, own}, own is None and record_like


RECORD_LIKE = (SUFFIX, ".yml")
"""Endings of a name that says it holds a record (in any case: `.YAML` too)."""


def named_id(name: str, *, folder: bool = False) -> str | None:
    """The element id a name in elements/ gives, if any: a file's or a folder's named as a
    record is (`KZ-2013-0001.yaml`, `.yml`, `.YAML`), and a file's of the id alone
    (`KZ-2013-0001`, an ending lost); a folder of the id alone (`KZ-2013-0001/`, photographs)
    and another ending (`KZ-2013-0001.jpg`) give none, as they name no record."""
    ending = next((e for e in RECORD_LIKE if name.lower().endswith(e)), None)
    if ending is not None:
        stem = name[: -len(ending)]
    elif folder or "." in name:
        return None
    else:
        stem = name
    return stem.upper() if is_element_id(stem.upper()) else None


def naming(element_id: str, problem: Finding) -> Finding:
    """`problem` (a file that cannot be read), saying whose record it is when neither its
    path nor its message names the element: "the record of KZ-… cannot be read: …"."""
    if not is_element_id(element_id) or named_id(problem.path.rpartition("/")[2]) == element_id:
        return problem
    if element_id in problem.message:
        return problem
    return replace(problem, message=_(NAMING).format(id=element_id, message=problem.message))


NAMING = N_("the record of {id} cannot be read: {message}")


def named_by(problem: Finding) -> str | None:
    """The element `naming` made `problem` name in its words (None: none), for a public
    output that keeps that and not the rest of them."""
    pattern = re.escape(_(NAMING)).replace(r"\{id\}", r"(\S+)", 1)
    found = re.fullmatch(pattern.replace(r"\{message\}", ".*", 1), problem.message, re.DOTALL)
    return found.group(1) if found and is_element_id(found.group(1)) else None


def cannot_read(record_id: str, problem: Finding) -> RecordUnreadable:
    """The error of a command asked about `record_id`, whose file cannot be read (`problem`):
    where and why, and what says more (exit 1)."""
    return RecordUnreadable(
        _("the record of {id} cannot be read: {where}: {message}").format(
            id=record_id, where=problem.place, message=problem.message
        ),
        hint=(
            problem.hint
            or _("`ichinv validate {path}` says what is wrong").format(
                path=shlex.quote(problem.path)
            )
        ),
    )


def read_record(settings: Settings, rel: str, record_id: str) -> bytes:
    """The bytes of the element record at `rel`, for a command that edits it, read as every
    listed record is (`record_files.read`: at most max_file_size bytes, a regular file only,
    never waiting on a pipe put in its place); the error of `cannot_read` (exit 1) when it
    cannot be."""
    source = records.SourceFile.inside(settings.root, RecordKind.ELEMENT, rel)
    raw = records.read(source, settings.max_file_size)
    if isinstance(raw, Finding):
        raise cannot_read(record_id, raw)
    return raw


def _files_in(folder: Path) -> Iterator[Path]:
    """The files under `folder`, links not followed, at most FILES_IN_A_FOLDER."""
    count = 0
    for top, __, names in os.walk(folder):
        for name in sorted(names):
            if count >= FILES_IN_A_FOLDER:
                return
            count += 1
            yield Path(top, name)
