"""The one way ichinv writes files: atomically, inside their target, never overwriting unasked.

Every failure the user or the machine causes (a full disk, a read-only file system, a
permission, a missing folder, a folder where a file goes) is a FileSystemError naming the path,
with a hint, and leaves no temporary file behind. Missing folders are never created on the way:
a file's folder must exist (`make_folder` creates the folders a command owns, one level below
an existing one), so a mistyped path is refused rather than silently built.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Iterable
from pathlib import Path

from ichinv.core.errors import WriteRefused
from ichinv.core.i18n import N_, _
from ichinv.io import os_errors

PRIVATE_MODE = 0o600
"""Mode of a new file that may hold personal data or restricted parts, whatever the umask."""
PRIVATE_FOLDER_MODE = 0o700
"""Mode of a new folder made for such files."""
STALE_AFTER = 10 * 60
"""Seconds after which a temporary file of ichinv's is a leftover of a killed write."""

_TEMPORARY = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp")
"""The name of a temporary file of ichinv's: `.<target name>.<8 characters of mkstemp>.tmp`."""


def inside(base: Path, relative: str | Path) -> Path:
    """`base / relative`, refusing any path that would lead outside `base`."""
    try:
        base = base.resolve()
        target = (base / relative).resolve()
    except (RuntimeError, OSError):  # a loop of symbolic links
        target = None
    if target is None or not target.is_relative_to(base):
        typed = Path(os.path.normpath(base / relative)).is_relative_to(base)
        raise WriteRefused(
            _("{relative} would be written outside {base}").format(relative=relative, base=base),
            # As typed it stays inside: a symbolic link (or a loop of them) on the way leads out.
            hint=_(
                "a symbolic link on the way leads out of it: remove the link, or write elsewhere"
            )
            if typed
            else _("give a plain file name, without '..' or an absolute path"),
        )
    return target


def edited(path: Path, root: Path) -> Path:
    """The file an in-place edit of the record at `path` replaces: `path`, or the file the
    symbolic link at `path` leads to, so that a link stays a link (as editors keep it) rather
    than being replaced by a copy. The file must be inside `root` (WriteRefused otherwise)."""
    if not path.is_symlink():
        return path
    try:
        target = path.resolve(strict=True)
        inventory = root.resolve()
    except (RuntimeError, OSError):  # a loop, or nothing at the end
        target = None
    if target is None or not target.is_relative_to(inventory):
        raise WriteRefused(
            _("{path} is a symbolic link that does not lead to a file in the inventory").format(
                path=path
            ),
            hint=_("replace the link with the record itself"),
        )
    return target


def write_bytes_atomic(
    path: Path, data: bytes, *, overwrite: bool = False, private: bool = False
) -> None:
    """Write `data` to `path` so that the file is always either its old or its new self.

    The bytes go to a temporary file in the same folder, are flushed to disk, and replace the
    target in one rename. Refuses (WriteRefused) when `path` exists and `overwrite` is false;
    raises FileSystemError, leaving `path` as it was and no temporary file, when the system
    refuses. The folder of `path` must exist.

    A replaced file keeps its mode. A new one gets the umask's mode, or, when `private` (it
    may hold personal data or restricted parts), 0600 whatever the umask; a private file that
    replaces one others could read is 0600 too (a mode that keeps others out, such as 0640
    for a committee's group, is kept).
    """
    _atomic(path, data, overwrite=overwrite, private=private)


Content = bytes | Iterable[bytes]
"""What a file is written with: its bytes, or its bytes in pieces."""


def _atomic(path: Path, data: Content, *, overwrite: bool, private: bool) -> None:
    try:
        _check_target(path, overwrite=overwrite)
        _remove_stale_temporaries(path)
        _write(path, data, overwrite=overwrite, private=private)
    except FileExistsError:
        raise WriteRefused(
            _("{path} was created by someone else while writing").format(path=path),
            hint=_("run the command again"),
        ) from None
    except OSError as exc:
        failure = os_errors.write_failed(path, exc)
        if failure is None:
            raise
        raise failure from None
    _fsync_folder(path.parent)


def write_chunks_atomic(path: Path, chunks: Iterable[bytes], *, private: bool = False) -> None:
    """Write a new file `path` from bytes that come in pieces (an attachment read from a ZIP,
    never held whole in memory), as write_bytes_atomic writes one: never over a file there.
    An exception raised while the pieces are made (the source cannot be read) leaves no
    temporary file and no `path`, and is raised as it is."""
    _atomic(path, chunks, overwrite=False, private=private)


def write_text_atomic(
    path: Path, text: str, *, overwrite: bool = False, private: bool = False
) -> None:
    """Write UTF-8 `text` atomically (see write_bytes_atomic)."""
    write_bytes_atomic(path, text.encode("utf-8"), overwrite=overwrite, private=private)


def make_folder(folder: Path, *, within: Path | None = None, private: bool = False) -> None:
    """Create `folder` unless it is a folder already; its parent must exist.

    With `within` (`folder` itself or a folder above it), the folders from `within` down to
    `folder` are created: the layout a command owns inside its output folder; the parent of
    `within` must exist. `private` folders are made 0700.
    """
    levels = [folder if within is None else within]
    for part in folder.relative_to(levels[0]).parts:
        levels.append(levels[-1] / part)
    for level in levels:
        try:
            if not level.is_dir():
                os.mkdir(level, PRIVATE_FOLDER_MODE if private else 0o777)
        except FileExistsError:
            if not level.is_dir():
                raise os_errors.FileSystemError(
                    _("cannot create the folder {level}: a file of that name is in the way").format(
                        level=level
                    ),
                    hint=_("move that file away, or choose another folder"),
                    code=errno.EEXIST,
                ) from None
        except OSError as exc:
            failure = os_errors.write_failed(level, exc, action=N_("create the folder"))
            if failure is None:
                raise
            raise failure from None


def _check_target(path: Path, *, overwrite: bool) -> None:
    """Refuse a target that is a folder or a device, or that exists when not to be replaced."""
    try:
        status = os.stat(path)
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
            raise
        status = None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if status is not None and not stat.S_ISREG(status.st_mode):
        raise os_errors.FileSystemError(
            _(
                "cannot write {path}: it is not a regular file (a device, a pipe or a socket)"
            ).format(path=path),
            hint=_(
                "ichinv replaces files whole: give the name of a regular file, or write to "
                "standard output and redirect it"
            ),
        )
    if not overwrite and os.path.lexists(path):
        raise WriteRefused(
            _("{path} already exists").format(path=path),
            hint=_("pass --force to overwrite it, or choose another name"),
        )


def _write(path: Path, data: Content, *, overwrite: bool, private: bool) -> None:
    temporary = stage(path, data, private=private)
    try:
        if overwrite:
            os.replace(temporary, path)
        else:
            _create_only(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def stage(path: Path, data: Content, *, private: bool = False, like: Path | None = None) -> str:
    """Write `data` (bytes, or bytes in pieces) to a new temporary file of ichinv's beside `path`, flushed to disk and with
    the mode `path` gets (see write_bytes_atomic), or the mode a file replacing `like` would
    get (a renamed file keeps its mode); its name. Raises OSError, leaving no temporary file;
    putting it in place (a rename) is the caller's."""
    mode = _mode(like or path, private=private)
    temporary: str | None = None
    try:
        # The name is known before the file exists, so a Ctrl-C that comes while it is being
        # made (inside tempfile.mkstemp, it left an empty .NAME.XXXXXXXX.tmp behind) still
        # finds it to remove.
        for _attempt in range(100):
            temporary = os.path.join(path.parent, f".{path.name}.{_random_part()}.tmp")
            try:
                handle = os.open(temporary, _CREATE, 0o600)
                break
            except FileExistsError:
                temporary = None  # someone else's: never to be removed
        else:
            raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))
        try:
            for piece in (data,) if isinstance(data, bytes) else data:
                view = memoryview(piece)
                while view:
                    view = view[os.write(handle, view) :]
            os.fchmod(handle, mode)
            os.fsync(handle)
        finally:
            os.close(handle)
    except BaseException:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise
    return temporary


def check_target(path: Path, *, overwrite: bool) -> None:
    """Refuse (OSError, FileSystemError, WriteRefused) a target ichinv must not replace: a
    folder, a device, or a file that exists when not to be replaced."""
    _check_target(path, overwrite=overwrite)
    _remove_stale_temporaries(path)


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (renames, new files) to disk; never fails."""
    _fsync_folder(folder)


def random_part() -> str:
    """Eight random characters, as the temporary files' names hold."""
    return _random_part()


def place_new(temporary: str, path: Path) -> None:
    """Move the staged `temporary` (or a file being renamed) to `path` unless `path` exists
    (FileExistsError)."""
    _create_only(temporary, path)


def place(temporary: str | Path, path: Path) -> None:
    """Rename the staged `temporary` (or a second name made by `second_name`) over `path`."""
    os.replace(temporary, path)


def second_name(path: Path) -> str | None:
    """A hard link to `path` named as ichinv's temporary files are (so a killed run's is
    removed later), to put the file back from; None when the file system has no hard links."""
    name = os.path.join(path.parent, f".{path.name}.{_random_part()}.tmp")
    try:
        os.link(path, name)
    except OSError:
        return None
    return name


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"


def _random_part() -> str:
    """Eight random characters, as tempfile.mkstemp chooses them (see _TEMPORARY)."""
    return "".join(secrets.choice(_NAME_CHARACTERS) for __ in range(8))


def _mode(path: Path, *, private: bool) -> int:
    """The mode the written file gets (see write_bytes_atomic)."""
    try:
        existing = os.stat(path).st_mode & 0o7777
    except OSError:
        existing = None
    if existing is None:
        return PRIVATE_MODE if private else 0o666 & ~_umask()
    if private and existing & 0o007:
        return PRIVATE_MODE  # open to everyone, so not a mode chosen for private data
    return existing


def _create_only(temporary: str, path: Path) -> None:
    """Move `temporary` to `path` unless `path` exists (also if it appeared meanwhile)."""
    try:
        os.link(temporary, path)  # atomic, and fails if the target exists
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if os.path.lexists(path):
            raise FileExistsError(path) from None
        os.replace(temporary, path)
    else:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def temporaries(folder: Path, targets: Iterable[str]) -> list[str]:
    """The temporary files of ichinv's (regular files of this user) that writes of `targets`
    (paths relative to `folder`, with `/`) left in `folder` and its subfolders, relative to
    `folder`, in order; never through a link leading out of `folder`."""
    wanted: dict[str, set[str]] = {}
    for target in targets:
        parent, __, name = target.rpartition("/")
        wanted.setdefault(parent, set()).add(name)
    found = []
    for parent, names in sorted(wanted.items()):
        try:
            place = inside(folder, parent) if parent else folder
        except WriteRefused:
            continue
        with contextlib.suppress(OSError), os.scandir(place) as entries:
            for entry in entries:
                match = _TEMPORARY.fullmatch(entry.name)
                if match is None or match["target"] not in names:
                    continue
                with contextlib.suppress(OSError):
                    status = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(status.st_mode) and status.st_uid == os.geteuid():
                        found.append(f"{parent}/{entry.name}" if parent else entry.name)
    return sorted(found)


def remove_temporaries(folder: Path, targets: Iterable[str]) -> list[str]:
    """Remove, whatever their age, the temporary files that killed writes of `targets` left
    (see temporaries); those removed. For a command that owns the folder and holds its lock
    (`site`), so that no write of its own is in progress; never fails."""
    removed = []
    for rel in temporaries(folder, targets):
        with contextlib.suppress(OSError):
            os.unlink(folder / rel)
            removed.append(rel)
    return removed


_listings: dict[str, tuple[float, dict[str, list[str]]]] = {}
"""Per folder: when it was listed, and its temporary files of ichinv's by target name."""


def _remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files that killed writes of `path` left behind.

    Only ichinv's own (`.<name>.XXXXXXXX.tmp` for this very target name), only regular files
    of this user, and only those untouched for STALE_AFTER seconds: a write in progress
    elsewhere is never disturbed. Never makes the write fail.
    """
    folder = path.parent
    now = time.time()
    key = os.path.abspath(folder)
    listed = _listings.get(key)
    if listed is None or now - listed[0] > STALE_AFTER:
        # One listing per folder and STALE_AFTER: a file stale now was there back then.
        found: dict[str, list[str]] = {}
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                match = _TEMPORARY.fullmatch(entry.name)
                if match is not None:
                    found.setdefault(match["target"], []).append(entry.name)
        listed = _listings[key] = (now, found)
    leftovers = listed[1].get(path.name, [])
    for name in list(leftovers):
        candidate = folder / name
        with contextlib.suppress(OSError):
            status = os.lstat(candidate)
            if (
                stat.S_ISREG(status.st_mode)
                and status.st_uid == os.geteuid()
                and now - status.st_mtime > STALE_AFTER
            ):
                os.unlink(candidate)
                leftovers.remove(name)


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
