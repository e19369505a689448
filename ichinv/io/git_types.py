"""What git tells of the inventory's history, as plain values (ichinv.io.git reads them)."""

from __future__ import annotations

from dataclasses import dataclass

from ichinv.core.model import RecordKind


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """A record file as stored in a commit."""

    kind: RecordKind
    path: str
    """Relative to the inventory root, e.g. `elements/KZ-2013-0001.yaml`."""
    blob: str
    """40-hex git blob id."""
    symlink: bool = False
    """True when git stores the path as a symbolic link (its blob is the link target)."""


@dataclass(frozen=True, slots=True)
class RawChange:
    """One file changed by a commit, as `git log --raw` reports it (renames as delete + add)."""

    status: str
    """`A` added, `D` deleted, `M` modified, `T` type changed."""
    path: str
    """Relative to the inventory root."""
    old_blob: str | None
    """Blob before the commit; None when the commit added the file."""
    new_blob: str | None
    """Blob after the commit; None when the commit deleted the file."""


@dataclass(frozen=True, slots=True)
class CommitInfo:
    """A commit of `git log`, with the record files it changed."""

    commit: str
    author: str
    date: str
    """Author date, strict ISO 8601."""
    subject: str
    changes: tuple[RawChange, ...]
