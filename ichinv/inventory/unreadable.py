"""Which elements the working tree's unreadable things in elements/ may hold.

A file that cannot be read, or a folder inside elements/ (whose records are not read), may be
an element's record: a command asked about that element says its record cannot be read, and a
diff gives it no status, rather than "no such element" or "removed". The id comes from the
file name when it is an id's form, else from the file's top-level `id:` line. A command that
edits a record reads it as every record is read, and says so when it cannot (`read_record`).
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable, Iterator
from pathlib import Path

from ichinv.core.errors import RecordUnreadable
from ichinv.core.i18n import _
from ichinv.core.model import Finding, RecordKind
from ichinv.core.vocabulary import is_element_id
from ichinv.inventory import record_files as records
from ichinv.inventory.quick_read import quick_id
from ichinv.inventory.record_files import SUFFIX
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


def held_ids(settings: Settings, problems: Iterable[Finding]) -> dict[str, Finding]:
    """Element id → the problem of the unreadable thing directly in elements/ that holds it
    (the first, in the order of `problems`): a file named by the id, or whose `id:` line
    names it; a folder, for each file in it (at any depth) so named."""
    found: dict[str, Finding] = {}
    folder = settings.folder(RecordKind.ELEMENT)
    for problem in problems:
        path = settings.root / problem.path
        if path.parent != folder:
            continue
        candidates = _files_in(path) if path.is_dir() and not path.is_symlink() else [path]
        for candidate in candidates:
            element_id = _id_of(candidate)
            if element_id is not None:
                found.setdefault(element_id, problem)
    return found


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


def _id_of(path: Path) -> str | None:
    stem = path.name.removesuffix(SUFFIX).upper()
    if is_element_id(stem):
        return stem
    if not path.name.endswith(SUFFIX):
        return None
    raw = records.head(path, LOOKED_AT)  # never waiting on a pipe of that name
    return quick_id(raw) if raw is not None else None


def _files_in(folder: Path) -> Iterator[Path]:
    """The files under `folder`, links not followed, at most FILES_IN_A_FOLDER."""
    count = 0
    for top, __, names in os.walk(folder):
        for name in sorted(names):
            if count >= FILES_IN_A_FOLDER:
                return
            count += 1
            yield Path(top, name)
