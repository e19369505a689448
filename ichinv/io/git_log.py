"""The history of record files as `git log --raw` tells it, parsed (ichinv.io.git runs it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ichinv.core.model import RecordKind
from ichinv.io.git_types import CommitInfo, RawChange


def _blob(object_id: str) -> str | None:
    """An object id of `git log --raw`, None for the zeros git gives the missing side of an
    added or deleted file (40 of them, or 64 in a SHA-256 repository)."""
    return None if not object_id.strip("0") else object_id


def _mode(mode: str) -> str | None:
    """A mode of `git log --raw`, None for the zeros of the missing side."""
    return None if not mode.strip("0") else mode


def parse_log(
    output: bytes,
    relative: Callable[[str], str | None],
    *,
    every: bool = False,
) -> Iterator[CommitInfo]:
    """The commits of `git log --raw -z` output (ichinv.io.git's format), each with its
    changes to record files, or with `every` to every path git listed (`relative`: a path of
    git's, relative to the inventory root; None outside it)."""
    tokens = output.split(b"\0")
    index = 0
    header: list[str] | None = None
    changes: list[RawChange] = []
    while index < len(tokens):
        token = tokens[index].lstrip(b"\n")
        index += 1
        if token.startswith(b"\x1e"):
            if header is not None:
                yield _commit(header, changes)
            fields = [token[1:], *tokens[index : index + 3]]
            index += 3
            header = [f.decode("utf-8", "replace") for f in fields]
            changes = []
        elif token.startswith(b":") and index < len(tokens):
            meta = token[1:].decode("ascii").split(" ")
            raw_path = tokens[index].decode("utf-8", "surrogateescape")
            index += 1
            rel = relative(raw_path)
            if rel is None or not (every or record_kind(rel) is not None):
                continue
            old_blob, new_blob, status = meta[2], meta[3], meta[4][:1]
            changes.append(
                RawChange(
                    status=status,
                    path=rel,
                    old_blob=_blob(old_blob),
                    new_blob=_blob(new_blob),
                    old_mode=_mode(meta[0]),
                    new_mode=_mode(meta[1]),
                )
            )
    if header is not None:
        yield _commit(header, changes)


def _commit(header: list[str], changes: list[RawChange]) -> CommitInfo:
    commit, author, date, subject = (header + ["", "", "", ""])[:4]
    return CommitInfo(commit, author, date, subject, tuple(changes))


def record_kind(rel: str) -> RecordKind | None:
    """The kind of record the path `rel` is the file of (`elements/<name>.yaml`), if any."""
    folder, slash, name = rel.partition("/")
    if not slash or "/" in name or not name.endswith(".yaml") or name.startswith("."):
        return None
    for kind in RecordKind:
        if kind.folder == folder:
            return kind
    return None
