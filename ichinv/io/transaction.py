"""Changing several files as one: all of them, or none.

A command that changes several records (`merge` both sides, `renumber` the record and every
record that refers to it) first stages every new file content: each goes to a temporary file
of ichinv's beside its target and is flushed to disk (as ichinv.io.atomic writes one file).
Only when all are staged, and every target still holds the bytes the command read (no one
changed it meanwhile), are they renamed into place. A failure while staging (a full disk)
removes the temporary files and changes nothing. A rename that fails after others succeeded
(rare: the data is on disk by then) puts back what was renamed, and when even that fails, the
error names exactly the files left changed. `apply_one` changes one file the same way, for a
command that goes file by file (`fmt`) and says itself what it changed before a failure.

A file that changes its name (`renumber`: `elements/<old id>.yaml` becomes
`elements/<new id>.yaml`, holding the new id) is two changes: its new bytes replace its old
ones in place, and a later change (`moved_from`) renames it. A process killed between them
(SIGKILL, a power cut: nothing can put back) leaves the file under its old name holding its
new bytes (`validate`: id.file-name), never a second live copy beside the first.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ichinv.core.errors import IchinvError, WriteRefused
from ichinv.core.i18n import _
from ichinv.io import atomic, forked, os_errors, regular


@dataclass(frozen=True, slots=True)
class Change:
    """One file of a change: its new bytes (or its removal), and the bytes it was read with."""

    path: Path
    """The file (the target of a symbolic link already followed: see atomic.edited)."""
    data: bytes | None
    """Its new bytes; None to remove the file (or, with `moved_from`, to rename that one)."""
    read: bytes | None
    """The bytes the command read and computed from; None when the file is new (it must
    not exist)."""
    private: bool = False
    """A new file that may hold personal data: 0600 (see atomic.write_bytes_atomic)."""
    like: Path | None = None
    """The file whose mode a new file takes (a renamed file's old self), as if it replaced
    it (see atomic.write_bytes_atomic)."""
    moved_from: Path | None = None
    """With no `data` and no `read`: the file renamed to `path`, which must not exist. Its
    bytes are those an earlier change of the same call gives it (that change checks them)."""


class ChangedMeanwhile(IchinvError):
    """A file changed between the command reading it and writing it (exit 2)."""


class _Untouched(Exception):
    """A change that failed before any file was changed: `failure` says what failed, with the
    file; `said` says it of the change as a whole ("…; nothing was changed")."""

    def __init__(self, failure: IchinvError, said: IchinvError | None = None) -> None:
        super().__init__(failure.message)
        self.failure = failure
        self.said = said or failure


def apply(changes: Sequence[Change]) -> None:
    """Make every change, or none (see the module's description). Raises FileSystemError
    (exit 2) saying which, if any, files were changed; ChangedMeanwhile when a file no
    longer holds what the command read."""
    try:
        _apply(changes)
    except _Untouched as untouched:
        raise untouched.said from None


def apply_one(change: Change) -> None:
    """Make one change, over the bytes it was read with, or leave the file as it was: as
    `apply`, but the error says only what failed with that file, for a command that changes
    files one by one and says itself which it changed before (`fmt`)."""
    try:
        _apply([change])
    except _Untouched as untouched:
        raise untouched.failure from None


def _apply(changes: Sequence[Change]) -> None:
    staged: list[str | None] = []
    try:
        for change in changes:
            staged.append(_stage(change))  # noqa: PERF401 - the list so far is cleaned up
        with held_signals():  # from here on, every change is made or none
            for change in changes:
                _check_unchanged(change)
            _rename_all(changes, staged)
            moved = [change.moved_from for change in changes if change.moved_from is not None]
            for folder in dict.fromkeys(
                [change.path.parent for change in changes] + [m.parent for m in moved]
            ):
                atomic.fsync_folder(folder)
    finally:
        for temporary in staged:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


@contextmanager
def held_signals() -> Iterator[None]:
    """Hold the signals a command ends by (forked.HELD: Ctrl-C, SIGTERM, SIGHUP) until the
    block ends, then have each that came take effect, after a line on standard error saying
    that the change was made in full. Putting staged files in place takes milliseconds a
    file; a signal in the middle (between two renames, or between a rename and noting it) left
    a renumber half made, its references naming an id no record held, with the hard links
    kept to put files back (an outside attack). Held as `forked.held_interrupts` holds them
    (the threads beside this one never take them); those that came are taken off before
    they are let go: a block that fails ends the command with its own error (which files it
    put back, or could not), which a signal would hide, so they are dropped then; one ignored
    (`nohup`) stays unsaid."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, forked.HELD)
    made = False
    try:
        yield
        made = True
    finally:
        came = sorted(set(signal.sigpending()) & forked.HELD - set(mask))  # (not an outer hold's)
        for signum in came:
            signal.sigtimedwait([signum], 0)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        acted = [signum for signum in came if signal.getsignal(signum) is not signal.SIG_IGN]
        if acted and made:
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(_("interrupted once every file of the change was written") + "\n")
            for signum in acted:
                signal.raise_signal(signum)


def _stage(change: Change) -> str | None:
    if change.data is None:
        return None
    try:
        atomic.check_target(change.path, overwrite=change.read is not None)
        return atomic.stage(change.path, change.data, private=change.private, like=change.like)
    except OSError as exc:
        failure = os_errors.write_failed(change.path, exc)
        if failure is None:
            raise
        said = os_errors.FileSystemError(
            _("{problem}; nothing was changed").format(problem=failure.message),
            hint=failure.hint,
            code=failure.errno,
        )
        raise _Untouched(failure, said) from None


def _held(path: Path, limit: int) -> bytes | None:
    """At most `limit` bytes of the file at `path`, never waiting on a pipe put there: None
    when it is no regular file (a pipe, a device), IsADirectoryError for a folder."""
    with regular.opened(path) as (descriptor, found):
        if not regular.is_regular(found):
            return None
        return regular.up_to(descriptor, min(found.st_size, limit - 1), limit - 1)


def _check_unchanged(change: Change) -> None:
    # Read no more than tells (the size read + 1): a large file put there was read whole.
    limit = len(change.read) + 1 if change.read is not None else 1
    try:
        if change.moved_from is not None:
            changed = os.path.lexists(change.path) or not change.moved_from.is_file()
        else:
            now = _held(change.path, limit)
            changed = now is None or now != change.read  # a pipe or device put there: changed
    except FileNotFoundError:
        changed = change.read is not None
    except OSError as exc:
        failure = os_errors.read_failed(change.path, exc)
        if failure is None:
            raise
        raise failure from None
    if changed:
        raise _Untouched(
            ChangedMeanwhile(
                _("{path} changed while ichinv was working, so it was not written").format(
                    path=change.path
                ),
                hint=_("run the command again"),
            ),
            ChangedMeanwhile(
                _("{path} changed while ichinv was working, so nothing was written").format(
                    path=change.path
                ),
                hint=_("run the command again"),
            ),
        )


def _rename_all(changes: Sequence[Change], staged: list[str | None]) -> None:
    done: list[tuple[Change, str | None]] = []
    for number, change in enumerate(changes):
        # The last file is never put back (it is the one that failed, or all went well).
        last = number == len(changes) - 1
        backup = atomic.second_name(change.path) if change.read is not None and not last else None
        try:
            temporary = staged[number]
            if change.moved_from is not None:
                atomic.place_new(str(change.moved_from), change.path)
            elif temporary is None:
                os.unlink(change.path)
            elif change.read is None:
                atomic.place_new(temporary, change.path)
            else:
                atomic.place(temporary, change.path)
            staged[number] = None
        except BaseException as exc:
            if backup is not None:
                with contextlib.suppress(OSError):
                    os.unlink(backup)
            left = _undo(done)
            if isinstance(exc, FileExistsError):
                problem: IchinvError = WriteRefused(
                    _("{path} was created by someone else while writing").format(path=change.path),
                    hint=_("run the command again"),
                )
            elif isinstance(exc, OSError):
                failure = os_errors.write_failed(change.path, exc)
                if failure is None:
                    raise
                problem = failure
            else:
                if left:
                    raise _left_changed(None, left) from exc
                raise
            if not done:  # the first file: nothing was changed
                raise _Untouched(problem, _left_changed(problem, left)) from None
            raise _left_changed(problem, left) from None
        done.append((change, backup))
    for __, backup in done:
        if backup is not None:
            with contextlib.suppress(OSError):
                os.unlink(backup)


def _undo(done: list[tuple[Change, str | None]]) -> list[Path]:
    """Put back the files changed so far, last first; the files that could not be."""
    left: list[Path] = []
    for change, backup in reversed(done):
        try:
            if change.moved_from is not None:
                atomic.place_new(str(change.path), change.moved_from)
            elif change.read is None:
                os.unlink(change.path)
            elif backup is not None:
                atomic.place(backup, change.path)
            else:
                atomic.write_bytes_atomic(change.path, change.read, overwrite=True)
        except (OSError, IchinvError):
            left.append(change.path)
    return sorted(left)


def _left_changed(problem: IchinvError | None, left: list[Path]) -> IchinvError:
    """The error after a failed rename: what failed, and which files stay changed."""
    if not left:
        assert problem is not None
        return os_errors.FileSystemError(
            _("{problem}; the files already changed were put back, so nothing was changed").format(
                problem=problem.message
            ),
            hint=problem.hint,
        )
    paths = ", ".join(str(path) for path in left)
    message = (
        _("{problem}; these files were changed and could not be put back: {paths}")
        if problem is not None
        else _("interrupted; these files were changed and could not be put back: {paths}")
    )
    return os_errors.FileSystemError(
        message.format(problem=problem.message if problem else "", paths=paths),
        hint=_("compare them with `git diff` and restore what should not have changed"),
    )
