"""The operating system refusing on demand: an error number raised where ichinv's writes meet it.

Running as root ignores permissions, and a full disk or a read-only file system cannot be made
in a test without privileges, so tests raise the error the system would raise, at the call
where it would raise it, and only for ichinv's own temporary files (or the folders it makes)
under one folder: nothing else in the process is disturbed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

OPERATIONS = ("open", "write", "fsync", "link", "replace", "mkdir")
"""Where a write can fail: creating the temporary file, writing or flushing it, putting it in
place (a hard link when the target must not exist, else a rename), creating a folder."""


def refuse(monkeypatch: pytest.MonkeyPatch, under: Path, code: int, *at: str) -> list[str]:
    """From now on, the operations `at` raise OSError(`code`) under the folder `under`: `open`
    when it creates a file, `mkdir` for any folder, and the others on ichinv's temporary files.

    Returns the list of operations refused so far, to check that the fault was reached."""
    assert set(at) <= set(OPERATIONS), at
    refused: list[str] = []
    temporary_fds: set[int] = set()
    real = {name: getattr(os, name) for name in (*OPERATIONS, "close")}
    base = os.path.abspath(under)

    def below(path: Any) -> bool:
        return os.path.abspath(os.fsdecode(path)).startswith(base + os.sep)

    def temporary(path: Any) -> bool:
        return below(path) and os.fsdecode(path).endswith(".tmp")

    def fail(operation: str, path: Any = None) -> None:
        refused.append(operation)
        raise OSError(code, os.strerror(code), None if path is None else os.fsdecode(path))

    def open_(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
        if "open" in at and flags & os.O_CREAT and below(path):
            fail("open", path)
        fd: int = real["open"](path, flags, mode, dir_fd=dir_fd)
        if temporary(path):
            temporary_fds.add(fd)
        return fd

    def close(fd: int) -> None:
        temporary_fds.discard(fd)
        real["close"](fd)

    def write(fd: int, data: Any) -> int:
        if "write" in at and fd in temporary_fds:
            fail("write")
        written: int = real["write"](fd, data)
        return written

    def fsync(fd: Any) -> None:
        if "fsync" in at and fd in temporary_fds:
            fail("fsync")
        real["fsync"](fd)

    def link(src: Any, dst: Any, **kwargs: Any) -> None:
        if "link" in at and temporary(src):
            fail("link", dst)
        real["link"](src, dst, **kwargs)

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        if "replace" in at and temporary(src):
            fail("replace", dst)
        real["replace"](src, dst, **kwargs)

    def mkdir(path: Any, mode: int = 0o777, *, dir_fd: int | None = None) -> None:
        if "mkdir" in at and below(path):
            fail("mkdir", path)
        real["mkdir"](path, mode, dir_fd=dir_fd)

    fakes = {
        "open": open_,
        "close": close,
        "write": write,
        "fsync": fsync,
        "link": link,
        "replace": replace,
        "mkdir": mkdir,
    }
    for name, fake in fakes.items():
        monkeypatch.setattr(os, name, fake)
    return refused


def temporaries(folder: Path) -> list[Path]:
    """ichinv's temporary files anywhere under `folder`."""
    return sorted(p for p in folder.rglob(".*.tmp"))


def permissions_enforced(folder: Path) -> bool:
    """Whether this process is stopped by a folder without write permission (root, or any
    process with CAP_DAC_OVERRIDE, is not)."""
    probe = folder / "permission-probe"
    probe.mkdir()
    probe.chmod(0o500)
    try:
        (probe / "x").mkdir()
    except PermissionError:
        return True
    else:
        (probe / "x").rmdir()
        return False
    finally:
        probe.chmod(0o700)
        probe.rmdir()
