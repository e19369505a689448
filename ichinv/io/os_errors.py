"""The operating system's refusals in plain words: which path, what went wrong, what to do.

A full disk, a read-only file system, a missing folder or a permission are the user's or the
machine's doing, never a bug in ichinv: they end in exit 2 with a message and a hint. Errors
that only a bug causes (a bad file descriptor, a bad argument) are left alone, so that the
boundary still reports them as bugs.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ichinv.core.errors import IchinvError


class FileSystemError(IchinvError):
    """The operating system refused to read or write a path: a full disk, a read-only file
    system, a permission, a missing folder, a folder where a file goes (exit 2)."""

    def __init__(self, message: str, hint: str | None = None, *, code: int | None = None) -> None:
        super().__init__(message, hint)
        self.errno = code
        """The operating system's error number, when there was one."""


_REASONS: dict[int, tuple[str, str]] = {
    # errno: (what went wrong, what to do); {path} and {folder} are filled in
    errno.ENOSPC: (
        "no space left on the device",
        "free some space on the device holding {folder}, then run the command again",
    ),
    errno.EDQUOT: (
        "the disk quota is exceeded",
        "free some space (or ask for a larger quota), then run the command again",
    ),
    errno.EROFS: (
        "the file system is read-only",
        "write somewhere else, or remount the file system read-write",
    ),
    errno.EACCES: (
        "permission denied",
        "check that you may write to {folder} and to {path} (ls -ld), or write somewhere else",
    ),
    errno.EPERM: (
        "the operation is not permitted",
        "check the permissions of {folder} and that {path} is not marked immutable "
        "(lsattr; chattr -i), or write somewhere else",
    ),
    errno.EISDIR: ("it is a folder", "give the name of a file, not of a folder"),
    errno.ENOTDIR: (
        "a part of the path is a file, not a folder",
        "check the path for a typo, or move the file that is in the way",
    ),
    errno.ENOENT: (
        "no such file or folder",
        "check the path; if it was moved or deleted while ichinv ran, run the command again",
    ),
    errno.EEXIST: ("it already exists", "pass --force to overwrite it, or choose another name"),
    errno.ENAMETOOLONG: (
        "the name is too long for the file system",
        "choose a shorter name, or a folder with a shorter path",
    ),
    errno.ELOOP: (
        "the path goes round a loop of symbolic links",
        "fix the symbolic links (ls -l), or choose another path",
    ),
    errno.EIO: (
        "the device reported an input/output error",
        "check the disk or the network share holding {folder}, then run the command again",
    ),
    errno.EFBIG: (
        "the file would be larger than the file system allows",
        "write to another file system",
    ),
    errno.ETXTBSY: ("the file is in use", "close the program that uses it, then try again"),
    errno.EBUSY: ("the file is in use", "close the program that uses it, then try again"),
}

_BUGS = frozenset({errno.EBADF, errno.EFAULT, errno.EINVAL})
"""Error numbers that only a mistake in ichinv's own code causes."""

_DEVICE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG, errno.EROFS})
"""Error numbers about the device rather than a path: plain even when no path is known."""


def write_failed(path: Path, exc: OSError, *, action: str = "write") -> FileSystemError | None:
    """`exc`, raised while writing `path` (or, with `action`, creating the folder `path`), in
    plain words; None when only a bug in ichinv causes it."""
    code = exc.errno
    if code is None or code in _BUGS:
        return None
    if code == errno.ENOENT and not os.path.isdir(path.parent):
        missing = _first_missing(path.parent)
        return FileSystemError(
            f"cannot {action} {path}: the folder {missing} does not exist",
            hint=f"check the path for a typo, or create the folder first (mkdir -p {path.parent}); "
            "ichinv does not create missing folders",
            code=code,
        )
    if code == errno.ENOTDIR:
        blocker = _first_file(path.parent)
        if blocker is not None:
            return FileSystemError(
                f"cannot {action} {path}: {blocker} is a file, not a folder",
                hint="check the path for a typo, or move that file out of the way",
                code=code,
            )
    reason, hint = _REASONS.get(
        code,
        (exc.strerror or "the operating system refused", "check the path and the device"),
    )
    if code == errno.ENAMETOOLONG and action == "write":
        hint += " (ichinv writes through a temporary file, its name 14 characters longer)"
    return FileSystemError(
        f"cannot {action} {path}: {reason}",
        hint=hint.format(path=path, folder=path.parent),
        code=code,
    )


def read_failed(path: Path, exc: OSError) -> FileSystemError | None:
    """`exc`, raised while reading `path`, in plain words; None when only a bug causes it."""
    code = exc.errno
    if code is None or code in _BUGS:
        return None
    reason, hint = _REASONS.get(
        code, (exc.strerror or "the operating system refused", "check the path and the device")
    )
    if code == errno.EACCES:
        hint = "check that you may read {path} (ls -l)"
    return FileSystemError(
        f"cannot read {path}: {reason}",
        hint=hint.format(path=path, folder=path.parent),
        code=code,
    )


def escaped(exc: OSError) -> FileSystemError | None:
    """An error of the operating system that no command turned into words (reading a file that
    vanished, a full disk under standard output), in plain words; None when it may be a bug.

    Narrow on purpose: only the error numbers the user or the machine cause, and for those
    about a path only when the error names it."""
    code = exc.errno
    if code is None or code not in _REASONS or code == errno.EEXIST:
        return None
    reason, hint = _REASONS[code]
    if exc.filename is None:
        if code not in _DEVICE:
            return None
        return FileSystemError(
            f"cannot write the output: {reason}",
            hint=hint.format(path="the output", folder="the output"),
        )
    path = Path(os.fsdecode(exc.filename))
    return FileSystemError(
        f"cannot use {path}: {reason}",
        hint=hint.format(path=path, folder=path.parent),
        code=code,
    )


def _first_missing(folder: Path) -> Path:
    """The outermost folder of `folder`'s ancestry (itself included) that does not exist."""
    missing = folder
    for ancestor in folder.parents:
        if os.path.lexists(ancestor):
            break
        missing = ancestor
    return missing


def _first_file(folder: Path) -> Path | None:
    """The part of `folder` (itself or an ancestor) that exists and is not a folder."""
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate):
            return None if os.path.isdir(candidate) else candidate
    return None
