"""Files named on the command line that a command reads whole: the table `ichinv import` takes
(CSV, xlsx, JSON), an export of ODK submissions, the reports `ichinv ci summary` gathers.

Such a file is read only when it is a regular file, opened without ever waiting
(ichinv.io.regular): a folder, a pipe, a device (a link named `x.csv` leading to /dev/zero,
which was read until memory ran out) or a socket is refused before anything is read; and at
most LIMIT bytes of it are read, a larger one refused. A refusal is a UsageError (exit 2)
naming the file, with the caller's hint. A missing file is FileNotFoundError, which each
caller words (a missing report is named as missing; a missing table is an error).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ichinv.core.errors import UsageError
from ichinv.core.i18n import _
from ichinv.io import os_errors, regular

LIMIT = 64 * 1024 * 1024
"""Most bytes read from such a file (64 MiB: a committee export of 10,000 elements is about
42 MB as CSV, 58 MB as JSON, 10 MB as xlsx; exports of thousands of ODK submissions stay far
below)."""


def read(path: Path, *, hint: str, limit: int = LIMIT) -> bytes:
    """The bytes of the regular file at `path` (see the module)."""
    try:
        with regular.opened(path) as (descriptor, found):
            _check(path, found, hint, limit)
            data = regular.up_to(descriptor, found.st_size, limit)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise _failed(path, exc, hint) from None
    if len(data) > limit:  # it grew while read
        raise _too_large(path, len(data), limit, hint)
    return data


def head(path: Path, size: int, *, hint: str) -> bytes:
    """The first `size` bytes of the regular file at `path`, of any size (an archive the
    caller reads member by member, each bounded on its own)."""
    try:
        with regular.opened(path) as (descriptor, found):
            _check(path, found, hint, None)
            return os.read(descriptor, size)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise _failed(path, exc, hint) from None


def _check(path: Path, found: os.stat_result, hint: str, limit: int | None) -> None:
    if not stat.S_ISREG(found.st_mode):
        raise UsageError(
            _("{path} is not a regular file (a device, pipe or socket); it was not read").format(
                path=path
            ),
            hint=hint,
        )
    if limit is not None and found.st_size > limit:
        raise _too_large(path, found.st_size, limit, hint)


def _too_large(path: Path, size: int, limit: int, hint: str) -> UsageError:
    return UsageError(
        _(
            "{path} is {size:,} bytes, more than the {limit:,} bytes ichinv reads from a file "
            "given to it"
        ).format(path=path, size=size, limit=limit),
        hint=hint,
    )


def _failed(path: Path, exc: OSError, hint: str) -> UsageError | os_errors.FileSystemError:
    """`exc`, raised while opening or reading `path`, in plain words (the exception itself
    when only a bug in ichinv causes it)."""
    if isinstance(exc, IsADirectoryError):
        return UsageError(_("{path} is a folder, not a file").format(path=path), hint=hint)
    failure = os_errors.read_failed(path, exc)
    if failure is None:
        raise exc
    return failure
