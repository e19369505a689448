"""The one way ichinv writes files: atomically, inside their target, never overwriting unasked."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ichinv.core.errors import WriteRefused


def inside(base: Path, relative: str | Path) -> Path:
    """`base / relative`, refusing any path that would lead outside `base`."""
    try:
        base = base.resolve()
        target = (base / relative).resolve()
    except (RuntimeError, OSError):  # a loop of symbolic links
        target = None
    if target is None or not target.is_relative_to(base):
        raise WriteRefused(
            f"{relative} would be written outside {base}",
            hint="give a plain file name, without '..' or an absolute path",
        )
    return target


def write_bytes_atomic(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write `data` to `path` so that the file is always either its old or its new self.

    The bytes go to a temporary file in the same folder, are flushed to disk, and replace the
    target in one rename. Refuses (WriteRefused) when `path` exists and `overwrite` is false.
    """
    if path.exists() and not overwrite:
        raise WriteRefused(
            f"{path} already exists",
            hint="pass --force to overwrite it, or choose another name",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        if overwrite:
            os.replace(temporary, path)
        else:
            _create_only(temporary, path)
    except FileExistsError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteRefused(
            f"{path} was created by someone else while writing",
            hint="run the command again",
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_folder(path.parent)


def write_text_atomic(path: Path, text: str, *, overwrite: bool = False) -> None:
    """Write UTF-8 `text` atomically (see write_bytes_atomic)."""
    write_bytes_atomic(path, text.encode("utf-8"), overwrite=overwrite)


def _create_only(temporary: str, path: Path) -> None:
    """Move `temporary` to `path` unless `path` exists (also if it appeared meanwhile)."""
    try:
        os.link(temporary, path)  # atomic, and fails if the target exists
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(temporary, path)
    else:
        os.unlink(temporary)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
