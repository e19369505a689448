"""Which of the inventory's schemas (and their translation tables) differ from a revision's:
what `validate --new-since REV` says beside its findings.

Both sides are judged by the schemas of the checkout (ichinv.validate.new_since), so a change
that edits `schema/` to make its own records valid (a value added to an enumeration, a pattern
loosened) reports no finding. CI judges a pull request by its base branch's schemas; a
reviewer who runs `validate --new-since` on the pull request's own checkout is told instead.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ichinv.io import confined
from ichinv.io.git import GitRepo, TooLarge
from ichinv.io.settings import Settings

SUFFIX = ".json"
"""The files compared: the schemas and their translation tables (`schema/i18n/*.json`)."""


def changed_schemas(settings: Settings, repo: GitRepo, commit: str) -> tuple[str, ...]:
    """The paths (relative to the inventory root) of the JSON files of the schema folder that
    `commit` and the working tree hold differently, or only one of them holds; compared as
    JSON, so that line endings and layout are no change. None when the folder lies outside
    the inventory (no revision holds it)."""
    folder = settings.schema_dir
    rel = settings.relative(folder)
    if rel.startswith(("/", "../")) or rel == "..":
        return ()
    then = {
        path: oid
        for path, mode, oid in repo.files_under(commit, rel)
        if mode.startswith("100") and path.endswith(SUFFIX)
    }
    now = {settings.relative(file): file for file in _files(folder)}
    old = repo.read_blobs(then.values(), max_size=confined.TEXT_LIMIT)
    changed = []
    for path in sorted(then.keys() | now.keys()):
        if path not in then or path not in now:
            changed.append(path)
            continue
        blob = old.get(then[path])
        try:
            current = confined.read(now[path], folder)
        except (OSError, confined.Refused):
            current = None  # the schema loader says why, when it reads it
        if blob is None or isinstance(blob, TooLarge) or current is None:
            changed.append(path)
        elif not _same(blob, current):
            changed.append(path)
    return tuple(changed)


def _files(folder: Path) -> list[Path]:
    """The JSON files in `folder`, at any depth (folders behind links not entered: the loader
    reads none of them)."""
    found = []
    for top, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not (Path(top) / name).is_symlink()]
        found += [Path(top) / name for name in names if name.endswith(SUFFIX)]
    return found


def _same(old: bytes, new: bytes) -> bool:
    if old == new:
        return True
    try:
        return bool(json.loads(old) == json.loads(new))
    except (ValueError, RecursionError):
        return old.replace(b"\r\n", b"\n") == new.replace(b"\r\n", b"\n")
