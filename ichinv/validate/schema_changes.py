"""Which of the inventory's schemas (and their translation tables) differ from a revision's:
what `validate --new-since REV` says beside its findings.

Both sides are judged by the schemas of the checkout (ichinv.validate.new_since), so a change
that edits `schema/` to make its own records valid (a value added to an enumeration, a pattern
loosened) reports no finding. CI judges a pull request by its base branch's schemas; a
reviewer who runs `validate --new-since` on the pull request's own checkout is told instead.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from ichinv.io import confined
from ichinv.io.git import GitRepo, TooLarge
from ichinv.io.settings import Settings

SCHEMAS = "*.schema.json"
TABLES = "i18n/*.json"
"""The files compared, as the schema loader reads them: the schemas, and their translation
tables (other files in the folder are no schema's, and are not named)."""


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
        if mode.startswith("100") and _read_by_loader(PurePosixPath(path).relative_to(rel))
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
    # The schemas first: what the note names before its "…" (translation tables after).
    return tuple(sorted(changed, key=lambda path: (not path.endswith(".schema.json"), path)))


def _files(folder: Path) -> list[Path]:
    """The files of `folder` the schema loader reads (`_read_by_loader`)."""
    return sorted(
        path
        for pattern in (SCHEMAS, TABLES)
        for path in folder.glob(pattern)
        if path.is_file() or path.is_symlink()
    )


def _read_by_loader(path: PurePosixPath) -> bool:
    return (
        path.match(SCHEMAS)
        and len(path.parts) == 1
        or (len(path.parts) == 2 and path.match(TABLES))
    )


def _same(old: bytes, new: bytes) -> bool:
    """Whether two versions of a file say the same JSON (`true` and `1` differ, as they do to
    a schema's `enum`), whatever their layout and line endings."""
    if old == new:
        return True
    try:
        return _canonical(json.loads(old)) == _canonical(json.loads(new))
    except (ValueError, RecursionError):
        return old.replace(b"\r\n", b"\n") == new.replace(b"\r\n", b"\n")


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
