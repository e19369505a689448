"""The record files of a commit, listed once: `git ls-tree` the first time, then the record
cache (a commit id names the same files for ever)."""

from __future__ import annotations

import re

from ichinv.core.model import RecordKind
from ichinv.inventory.record_cache import RecordCache
from ichinv.io.git import GitRepo

_KINDS = {kind.value: kind for kind in RecordKind}
_COMMIT_ID = re.compile("[0-9a-f]{40}|[0-9a-f]{64}")


def listed(
    repo: GitRepo, commit: str, cache: RecordCache | None
) -> list[tuple[RecordKind, str, str, bool]]:
    """The record files of `commit`: kind, path, blob id and whether git stores a symbolic
    link. From the record cache when an earlier run listed the same commit (a commit id names
    the same files for ever: ichinv.io.git_blobs turns `git replace` off), else from `git
    ls-tree`, and then kept there. At 10,000 records: 3 ms against 40 ms."""
    key = f"files {repo.prefix}\0{commit}" if _COMMIT_ID.fullmatch(commit) else None
    if cache is not None and key is not None:
        known = cache.whole(key)
        if type(known) is list:
            try:
                files = [(_KINDS[k], path, blob, link) for k, path, blob, link in known]
            except (KeyError, TypeError, ValueError):
                files = []  # not what put_whole was given: ask git
            if files and all(
                type(path) is str and type(blob) is str and type(link) is bool
                for __, path, blob, link in files
            ):
                return files
    files = [(e.kind, e.path, e.blob, e.symlink) for e in repo.record_blobs(commit)]
    if cache is not None and key is not None:
        cache.put_whole(key, [(k.value, path, blob, link) for k, path, blob, link in files])
    return files
