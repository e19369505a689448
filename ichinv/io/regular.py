"""Opening a file to read it without ever waiting: a pipe, a device or a folder put where a
file was expected is told apart before anything is read from it (a plain open of a pipe no one
writes to waits for ever; a device such as /dev/zero never ends).

Records (ichinv.inventory.record_files), the files that configure an inventory
(ichinv.io.confined) and a file read again before it is replaced (ichinv.io.transaction) are
all opened so.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_FLAGS |= getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@contextlib.contextmanager
def opened(
    path: str | os.PathLike[str], *, follow: bool = True
) -> Iterator[tuple[int, os.stat_result]]:
    """The file at `path` opened read-only without waiting, and what the system says of what
    was opened (a pipe or a device is opened too: the caller tells, `stat.S_ISREG`);
    IsADirectoryError for a folder. `follow=False`: a symbolic link is refused (OSError)."""
    descriptor = os.open(path, _FLAGS | (0 if follow else _NOFOLLOW))
    try:
        found = os.fstat(descriptor)
        if stat.S_ISDIR(found.st_mode):  # said as a plain open of a folder says it
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
        yield descriptor, found
    finally:
        os.close(descriptor)


def is_regular(found: os.stat_result) -> bool:
    return stat.S_ISREG(found.st_mode)


def up_to(descriptor: int, size: int, limit: int) -> bytes:
    """At most `limit` + 1 bytes of the open file of `size` bytes (at most `limit`): what is
    left of `size` is asked for, +1 to see growth, and only then up to the limit (asking for
    the limit would allocate it on every read: 4× the cost of a record's read)."""
    parts: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = os.read(descriptor, (size if total <= size else limit) + 1 - total)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)
