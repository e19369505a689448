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
from ichinv.core.i18n import N_, _


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
        N_("no space left on the device"),
        N_("free some space on the device holding {folder}, then run the command again"),
    ),
    errno.EDQUOT: (
        N_("the disk quota is exceeded"),
        N_("free some space (or ask for a larger quota), then run the command again"),
    ),
    errno.EROFS: (
        N_("the file system is read-only"),
        N_("write somewhere else, or remount the file system read-write"),
    ),
    errno.EACCES: (
        N_("permission denied"),
        N_("check that you may write to {folder} and to {path} (ls -ld), or write somewhere else"),
    ),
    errno.EPERM: (
        N_("the operation is not permitted"),
        N_(
            "check the permissions of {folder} and that {path} is not marked immutable "
            "(lsattr; chattr -i), or write somewhere else"
        ),
    ),
    errno.EISDIR: (N_("it is a folder"), N_("give the name of a file, not of a folder")),
    errno.ENOTDIR: (
        N_("a part of the path is a file, not a folder"),
        N_("check the path for a typo, or move the file that is in the way"),
    ),
    errno.ENOENT: (
        N_("no such file or folder"),
        N_("check the path; if it was moved or deleted while ichinv ran, run the command again"),
    ),
    errno.EEXIST: (
        N_("it already exists"),
        N_("pass --force to overwrite it, or choose another name"),
    ),
    errno.ENAMETOOLONG: (
        N_("the name is too long for the file system"),
        N_("choose a shorter name, or a folder with a shorter path"),
    ),
    errno.ELOOP: (
        N_("the path goes round a loop of symbolic links"),
        N_("fix the symbolic links (ls -l), or choose another path"),
    ),
    errno.EIO: (
        N_("the device reported an input/output error"),
        N_("check the disk or the network share holding {folder}, then run the command again"),
    ),
    errno.EFBIG: (
        N_("the file would be larger than the file system allows"),
        N_("write to another file system"),
    ),
    errno.ETXTBSY: (N_("the file is in use"), N_("close the program that uses it, then try again")),
    errno.EBUSY: (N_("the file is in use"), N_("close the program that uses it, then try again")),
}

_BUGS = frozenset({errno.EBADF, errno.EFAULT, errno.EINVAL})
"""Error numbers that only a mistake in ichinv's own code causes."""

_DEVICE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG, errno.EROFS})
"""Error numbers about the device rather than a path: plain even when no path is known."""


def _reason(code: int, exc: OSError) -> tuple[str, str]:
    """What went wrong and what to do, in the language of messages (the hint still holds
    `{path}` and `{folder}`)."""
    known = _REASONS.get(code)
    if known is None:
        return exc.strerror or _("the operating system refused"), _("check the path and the device")
    return _(known[0]), _(known[1])


def write_failed(path: Path, exc: OSError, *, action: str = N_("write")) -> FileSystemError | None:
    """`exc`, raised while writing `path` (or, with `action`, creating the folder `path`), in
    plain words; None when only a bug in ichinv causes it."""
    code = exc.errno
    if code is None or code in _BUGS:
        return None
    if code == errno.ENOENT and not os.path.isdir(path.parent):
        missing = _first_missing(path.parent)
        return FileSystemError(
            _("cannot {action} {path}: the folder {missing} does not exist").format(
                action=_(action), path=path, missing=missing
            ),
            hint=_(
                "check the path for a typo, or create the folder first (mkdir -p "
                "{parent}); ichinv does not create missing folders"
            ).format(parent=path.parent),
            code=code,
        )
    if code == errno.ENOTDIR:
        blocker = _first_file(path.parent)
        if blocker is not None:
            return FileSystemError(
                _("cannot {action} {path}: {blocker} is a file, not a folder").format(
                    action=_(action), path=path, blocker=blocker
                ),
                hint=_("check the path for a typo, or move that file out of the way"),
                code=code,
            )
    reason, hint = _reason(code, exc)
    if code == errno.ENAMETOOLONG and action == "write":
        hint = _(
            "{hint} (ichinv writes through a temporary file, its name 14 characters longer)"
        ).format(hint=hint)
    return FileSystemError(
        _("cannot {action} {path}: {reason}").format(action=_(action), path=path, reason=reason),
        hint=hint.format(path=path, folder=path.parent),
        code=code,
    )


def read_failed(path: Path, exc: OSError) -> FileSystemError | None:
    """`exc`, raised while reading `path`, in plain words; None when only a bug causes it."""
    code = exc.errno
    if code is None or code in _BUGS:
        return None
    reason, hint = _reason(code, exc)
    if code == errno.EACCES:
        hint = _("check that you may read {path} (ls -l)")
    return FileSystemError(
        _("cannot read {path}: {reason}").format(path=path, reason=reason),
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
    reason, hint = _reason(code, exc)
    if exc.filename is None:
        if code not in _DEVICE:
            return None
        return FileSystemError(
            _("cannot write the output: {reason}").format(reason=reason),
            hint=hint.format(path=_("the output"), folder=_("the output")),
        )
    path = Path(os.fsdecode(exc.filename))
    return FileSystemError(
        _("cannot use {path}: {reason}").format(path=path, reason=reason),
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
