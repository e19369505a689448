"""Whether a cache database may be used: no one but the user (and the administrator) can have
written it, or put another in its place, or steered the path to it elsewhere.

A cache database holds parsed records (personal data too) and code that ichinv runs (compiled
templates), so it is opened only at a place `located` has checked, by that place's resolved
path. The folder the user chose for caches (`$XDG_CACHE_HOME`, else `~/.cache`) is followed
through links only the user or the administrator made; it and every folder above it must be
theirs, no link, and writable by no one else unless sticky (as /tmp is: no one can replace
what another put in it). Below it, ichinv's own names (`ichinv/<inventory>/results.sqlite` and
the files SQLite keeps beside it) are never followed: each must be the user's, writable by no
one else (not even a group), no link, and a file with one name only. Above them, write for a
group counts as anyone's unless the group is the user's own (a user private group, as Debian
and Fedora make for every user: named as the user, no other member, no other account's
primary group) and no access control list shares the folder.
Where the system has no user ids (Windows), nothing is checked, and code is never kept between
runs (what a process compiles, it keeps in its memory: ichinv.render.compiled).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
from pathlib import Path

SIDE_FILES = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database (its write-ahead log, index, rollback journal)."""

MAX_LINKS = 40
"""Symbolic links followed one after another, at most (Linux's limit: more is a loop), while
resolving the folder chosen for caches, or a link git stores (ichinv.io.git_trees)."""


def owners_known() -> bool:
    """Whether the system tells files' owners by user id (not on Windows)."""
    return hasattr(os, "getuid")


@functools.cache
def _own_group(gid: int) -> bool:
    """Whether group `gid` is the user's own: their primary group, named as they are, with no
    other member and no other account's primary group (False when that cannot be told)."""
    if gid != os.getgid():
        return False
    try:
        import grp
        import pwd

        group, user = grp.getgrgid(gid), pwd.getpwuid(os.getuid())
        others = [a for a in pwd.getpwall() if a.pw_gid == gid and a.pw_uid != user.pw_uid]
    except (ImportError, KeyError, OSError):
        return False
    return group.gr_name == user.pw_name and set(group.gr_mem) <= {user.pw_name} and not others


def _unfollowed(place: Path | int) -> dict[str, bool]:
    """How to name `place` to the extended-attribute calls: a path is not followed if a link;
    an open handle cannot say so."""
    return {} if isinstance(place, int) else {"follow_symlinks": False}


def _access_list(place: Path | int) -> bool:
    """Whether `place` (a path or an open handle) has an access control list (then its group
    bits show the list's mask, not what its group may do); True when that cannot be told, but
    for a path where nothing is (any more)."""
    getxattr = getattr(os, "getxattr", None)
    if getxattr is None:
        return False  # no extended attributes here (not Linux): no access lists of this kind
    try:
        getxattr(place, "system.posix_acl_access", **_unfollowed(place))
    except OSError as exc:
        return exc.errno not in (errno.ENODATA, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOENT)
    return True


def _unshared(place: Path, found: os.stat_result, users: tuple[int, ...], *, above: bool) -> bool:
    """Whether what is at `place` (as `os.lstat` found it) is no link, belongs to one of `users`,
    and no one else can write it. For the folders `above` ichinv's own names, a sticky folder
    passes too, and so does write for the user's own group (`_own_group`) when no access list
    shares it further."""
    if stat.S_ISLNK(found.st_mode) or found.st_uid not in users:
        return False
    if above and stat.S_ISDIR(found.st_mode) and found.st_mode & stat.S_ISVTX:
        return True
    if found.st_mode & 0o002:
        return False
    if not found.st_mode & 0o020:
        return True
    return above and _own_group(found.st_gid) and not _access_list(place)


def _settled(folder: Path) -> bool:
    """Whether `folder` (resolved) and every folder above it are real folders no one but the
    user and the administrator can change or put anything in place of."""
    users = (os.getuid(), 0)
    for place in (folder, *folder.parents):
        try:
            found = os.lstat(place)
        except FileNotFoundError:
            continue  # not made yet: the user's when made
        except OSError:
            return False
        if not stat.S_ISDIR(found.st_mode) or not _unshared(place, found, users, above=True):
            return False
    return True


def _resolved(base: Path) -> Path | None:
    """`base` with every link on the way followed, when each belongs to the user or the
    administrator (None otherwise: another user could steer the caches elsewhere, or when it
    is no absolute path). What does not exist yet is kept as it is named."""
    if not base.is_absolute():
        return None
    users = (os.getuid(), 0)
    current, todo, followed = Path(base.anchor), list(base.parts[1:]), 0
    while todo:
        name = todo.pop(0)
        if name in ("", "."):
            continue
        if name == "..":
            current = current.parent
            continue
        place = current / name
        try:
            found = os.lstat(place)
        except FileNotFoundError:
            return None if ".." in todo else Path(place, *todo)
        except OSError:
            return None
        if not stat.S_ISLNK(found.st_mode):
            current = place
            continue
        followed += 1
        if found.st_uid not in users or followed > MAX_LINKS:
            return None
        target = Path(os.readlink(place))
        if target.is_absolute():
            current = Path(target.anchor)
        todo[:0] = target.parts[1:] if target.is_absolute() else target.parts
    return current


def _own(place: Path, *, folder: bool) -> bool:
    """Whether what is at `place` (a name of ichinv's own) is the user's, writable by no one
    else, no link, and a folder (`folder`) or a file with one name only; True when nothing is
    there yet (it will be made the user's)."""
    try:
        found = os.lstat(place)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if folder:
        kind_ok = stat.S_ISDIR(found.st_mode)
    else:
        kind_ok = stat.S_ISREG(found.st_mode) and found.st_nlink == 1
    return kind_ok and _unshared(place, found, (os.getuid(),), above=False)


def _tighten(place: Path, *, folder: bool = True) -> bool:
    """Close a folder (0700) or a file (0600) of ichinv's own that an older version made with
    the umask's bits (0775 under umask 002), or that has an access list, when it is the user's
    (the folder above is checked, so it is the one meant). Whether it was open to others (then
    what is in it may be theirs).

    A folder is changed through a handle opened without following links. A file is changed by
    its name, never opened: closing any handle on a database file drops the locks SQLite's
    connections in this process hold on it (POSIX locks are per process and file), and another
    process could then rewrite the shared index under them (a crash, found by the tests). No
    one else can put a link in its place: its folder is checked."""
    if not folder:
        try:
            found = os.lstat(place)
        except OSError:
            return False
        return stat.S_ISREG(found.st_mode) and _close(place, found, 0o600)
    try:
        handle = os.open(place, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        return _close(handle, os.fstat(handle), 0o700)
    finally:
        os.close(handle)


def _close(place: Path | int, found: os.stat_result, mode: int) -> bool:
    """`_tighten` of what `found` describes, named by `place` (a path or an open handle)."""
    if found.st_uid != os.getuid():
        return False
    shared = bool(found.st_mode & 0o022) or _access_list(place)
    if shared or found.st_mode & 0o077:
        with contextlib.suppress(OSError):
            os.chmod(place, mode)
        _drop_access_lists(place)
    return shared


def _drop_access_lists(place: Path | int) -> None:
    """Remove the access lists of `place` (a path or an open handle): a mode change leaves
    them, and they would make it look shared at every run."""
    removexattr = getattr(os, "removexattr", None)
    if removexattr is None:
        return
    for name in ("system.posix_acl_access", "system.posix_acl_default"):
        with contextlib.suppress(OSError):
            removexattr(place, name, **_unfollowed(place))


def _forget(folder: Path) -> None:
    """Delete the cache databases in `folder` (closed by now) and beside them: someone else
    could write there before, so what they hold may be theirs."""
    for name in ("results.sqlite", *(f"results.sqlite{s}" for s in SIDE_FILES)):
        with contextlib.suppress(OSError):
            os.unlink(folder / name)


def make_folders(folder: Path) -> None:
    """Make the missing folders of `folder` (a place `located` checked), readable by the user
    only, each inside the one above it opened without following links: a link put in the way
    meanwhile sends nothing elsewhere (OSError instead)."""
    if not owners_known() or os.mkdir not in os.supports_dir_fd:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # nothing is checked here
        return
    missing: list[str] = []
    existing = folder
    while not os.path.lexists(existing):
        missing.append(existing.name)
        existing = existing.parent
    handle = os.open(existing, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        for name in reversed(missing):
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, 0o700, dir_fd=handle)
            inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=handle)
            os.close(handle)
            handle = inner
    finally:
        os.close(handle)


def located(path: Path) -> Path | None:
    """Where to open the cache database `path` (`<chosen folder>/ichinv/<inventory>/<file>`):
    its resolved path, when no one but the user can have written it or put another in its
    place (see above); None when someone could have. `path` itself when the system has no user
    ids to tell by. Closes ichinv's own folders and files that were open to others, deleting
    the databases that others could have written (`_tighten`, `_forget`)."""
    if not owners_known():
        return path
    base = _resolved(path.parents[2])
    if base is None or not _settled(base):
        return None
    names = path.parts[-3:]
    home = base / names[0]
    folder = home / names[1]
    # Each in a folder already checked, so it is the one meant. A folder that was open to
    # others is closed and nothing kept in it is believed: the databases of every inventory
    # in a cache folder that was open (another user could have put any folder there), and
    # those of one inventory's folder that was open, are deleted.
    if _tighten(home) and _own(home, folder=True):
        for entry in os.scandir(home):
            if entry.is_dir(follow_symlinks=False):
                _tighten(Path(entry.path))
                _forget(Path(entry.path))
    if not _own(home, folder=True):
        return None
    if _tighten(folder):
        _forget(folder)
    if not _own(folder, folder=True):
        return None
    real = folder / names[2]
    files = (real, *(Path(f"{real}{suffix}") for suffix in SIDE_FILES))
    opened = [_tighten(file, folder=False) for file in files]
    if any(opened):
        _forget(folder)
    return real if all(_own(f, folder=False) for f in files) else None
