"""What git tells of the inventory's history, as plain values (ichinv.io.git reads them)."""

from __future__ import annotations

from dataclasses import dataclass

from ichinv.core.model import RecordKind

FILE_MODES = frozenset({"100644", "100755"})
"""The modes of a file in git's trees (`100755`: executable)."""
SYMLINK_MODE = "120000"
"""The mode of a symbolic link (its blob holds the link's target)."""
GITLINK_MODE = "160000"
"""The mode of a gitlink: a submodule, or a repository added inside this one (its object id
names a commit of that other repository, not a blob of this one)."""
EMPTY_BLOBS = frozenset(
    {
        "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391",
        "473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813",
    }
)
"""The ids git gives an empty file (in a SHA-1 repository, and in a SHA-256 one)."""


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
    old_mode: str | None = None
    """The mode before the commit (`100644`, SYMLINK_MODE, GITLINK_MODE…); None when the
    commit added the path."""
    new_mode: str | None = None
    """The mode after the commit; None when the commit deleted the path."""


@dataclass(frozen=True, slots=True)
class FolderAt:
    """Where a commit keeps the records of one kind: in their folder, or where that folder,
    stored as a symbolic link, leads inside the inventory (as the working tree follows it)."""

    path: str | None
    """The folder holding the records, relative to the inventory root: the records folder
    itself (also when the commit has none), or where its link leads; None when there is none
    to read (see `stored` and `why`)."""
    stored: str = "tree"
    """What git stores at the records folder's path: `tree` (a folder, or nothing), `link`
    (a symbolic link), `file` or `gitlink`."""
    target: str = ""
    """The link's target as stored (for `stored == "link"`)."""
    why: str = ""
    """Why a link is not followed: `outside` (it leads out of the inventory), `nowhere` (to
    nothing there), `loop` (round in a loop), `file` (to no folder); empty when it is."""


@dataclass(frozen=True, slots=True)
class CommitInfo:
    """A commit of `git log`, with the record files it changed."""

    commit: str
    author: str
    date: str
    """Author date, strict ISO 8601."""
    subject: str
    changes: tuple[RawChange, ...]
