"""One writing command at a time per inventory.

Every command that changes records takes the inventory's lock before it reads them and keeps it
until it has written: a second command waits for the first to finish, then reads what the
first wrote, so neither undoes the other's change. The lock is an advisory lock (flock) on the
inventory's root folder itself: no lock file to create, commit or leave behind, and the
operating system releases it when the process ends, however it ends.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from ichinv.core.errors import IchinvError
from ichinv.core.i18n import _
from ichinv.io import os_errors

WAIT = 300.0
"""Seconds to wait for another command to finish writing before giving up."""

_held: dict[str, int] = {}
"""Roots this process holds the lock of, and how many times (a command within a command)."""


class InventoryBusy(IchinvError):
    """Another command kept writing to the inventory for longer than WAIT (exit 2)."""


@contextlib.contextmanager
def held(root: Path, *, wait: float | None = None) -> Iterator[None]:
    """Hold the inventory's write lock for the block, waiting up to `wait` seconds (WAIT)."""
    key = os.path.realpath(root)
    if key in _held or not hasattr(os, "O_DIRECTORY"):
        _held[key] = _held.get(key, 0) + 1
        try:
            yield
        finally:
            _held[key] -= 1
            if not _held[key]:
                del _held[key]
        return
    import fcntl

    try:
        descriptor = os.open(key, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        failure = os_errors.read_failed(Path(key), exc)
        if failure is None:
            raise
        raise failure from None
    try:
        limit = time.monotonic() + (WAIT if wait is None else wait)
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= limit:
                    raise InventoryBusy(
                        _("another ichinv command has been writing to {root} for too long").format(
                            root=key
                        ),
                        hint=_("wait for it to finish, then run the command again"),
                    ) from None
                time.sleep(0.05)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
    finally:
        os.close(descriptor)
