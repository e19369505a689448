"""Which of the inventory's schemas (and their translation tables) differ from a revision's:
what `validate --new-since REV` says beside its findings.

Both sides are judged by the schemas of the checkout (ichinv.validate.new_since), so a change
that edits `schema/` to make its own records valid (a value added to an enumeration, a pattern
loosened) reports no finding. CI judges a pull request by its base branch's schemas; a
reviewer who runs `validate --new-since` on the pull request's own checkout is told instead.
"""

from __future__ import annotations

import json

from ichinv.core.i18n import LANGUAGES
from ichinv.core.model import RecordKind
from ichinv.io import confined
from ichinv.io.git import GitRepo, TooLarge
from ichinv.io.settings import Settings
from ichinv.schemas.loader import translation_file


def changed_schemas(settings: Settings, repo: GitRepo, commit: str) -> tuple[str, ...]:
    """The paths (relative to the inventory root) of the files the schema loader reads (each
    kind's schema, each language's translation table) that `commit` and the working tree hold
    differently, or only one of them holds; compared as JSON, so that line endings and layout
    are no change; the schemas first (what the note names before its "…"). Nothing when the
    schema folder lies outside the inventory (no revision holds it)."""
    folder = settings.schema_dir
    rel = settings.relative(folder)
    if rel.startswith(("/", "../")) or rel == "..":
        return ()
    read = [settings.schema_file(kind) for kind in RecordKind]
    read += [translation_file(folder, lang) for lang in LANGUAGES]
    wanted = [settings.relative(path) for path in read]
    then = {
        path: oid for path, mode, oid in repo.files_under(commit, rel) if mode.startswith("100")
    }
    old = repo.read_blobs([then[p] for p in wanted if p in then], max_size=confined.TEXT_LIMIT)
    changed = []
    for path, file in zip(wanted, read, strict=True):
        try:
            current: bytes | None = confined.read(file, folder)
        except FileNotFoundError:
            current = None
        except (OSError, confined.Refused):
            current = b""  # the schema loader says why, when it reads it: no version's bytes
        blob = old.get(then[path]) if path in then else None
        if (blob is None) != (current is None):
            changed.append(path)  # only one of them holds it
        elif blob is not None and current is not None:
            if isinstance(blob, TooLarge) or not _same(blob, current):
                changed.append(path)
    return tuple(changed)


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
