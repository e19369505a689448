"""Where ichinv keeps what it learns between runs, and how every cache opens its database.

One SQLite file per inventory root in the user's cache folder (`$XDG_CACHE_HOME/ichinv/`,
else `~/.cache/ichinv/`), readable by its owner only: it holds verdicts that may quote record
values and parsed copies of the records. Every cache in it keys what it keeps by git blob id
(the bytes of a file) and by a *context* (what else the kept answer depends on: ichinv's code,
the libraries that read or judge records, FORMAT); a new context starts afresh and drops the
older ones. Concurrent runs are safe (write-ahead log, short write transactions); a database
that cannot be read is deleted and rebuilt; a run that cannot write just does not cache.
`ICHINV_NO_CACHE=1` switches every cache off.

The caches: verdicts of `validate` (ichinv.validate.cache), parsed records and what a quick
look at their bytes finds (ichinv.inventory.record_cache), the field changes between two
versions (ichinv.diff.change_cache), verdicts of `fmt --check` and `migrate --check`
(ichinv.edit.fmt), what the public's province packets show of each element and its status
since the baseline (ichinv.packets.row_cache, ichinv.packets.since_cache), the code Jinja
compiles of the templates (ichinv.render.compiled), and the translation tables as read
(ichinv.render.markdown.kept_labels).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import marshal
import os
import sqlite3
import weakref
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import ichinv
from ichinv.io import cache_trust

BUSY_TIMEOUT_MS = 3000
"""How long a run waits for another run's write to finish before giving up on writing."""

PACKAGE = Path(ichinv.__file__).resolve().parent
"""The whole ichinv package, wherever its modules live: any of them may take part in a cached
answer (the reader, the schemas, the rules, the vocabulary, the formatter)."""


def disabled() -> bool:
    """True when the environment asks for no cache (`ICHINV_NO_CACHE` set to a true value)."""
    return os.environ.get("ICHINV_NO_CACHE", "").strip().lower() not in ("", "0", "false", "no")


def cache_home() -> Path:
    """`$XDG_CACHE_HOME/ichinv`, else `~/.cache/ichinv` (a relative path, which no cache uses,
    when the home folder is not known or not absolute)."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    folder = Path(base) if base and os.path.isabs(base) else Path(os.path.expanduser("~"), ".cache")
    return folder / "ichinv"


def database_path(root: Path) -> Path:
    """Where the caches of the inventory at `root` live (one folder per inventory root)."""
    resolved = root.resolve()
    digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:16]
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in resolved.name)[:40]
    return cache_home() / f"{name or 'root'}-{digest}" / "results.sqlite"


def digest_of(facts: Any) -> str:
    """A digest of `facts` (JSON values): what a cache's context is kept under."""
    text = json.dumps(facts, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def package_digest(package: Path) -> str:
    """Digest of the Python source under `package` (ichinv's own: `code_digest`)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        with contextlib.suppress(OSError):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@functools.cache
def code_digest() -> str:
    """Digest of ichinv's own source (every release and every edit): an edited reader or rule
    must not be answered from a cache. Computed once per process: the code a process runs is
    the code it imported."""
    return package_digest(PACKAGE)


def library_stamp(name: str) -> str:
    """Where a library is installed and when it was: changes when it is upgraded (no import)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return f"{name}:absent"
    origin = spec.origin if spec is not None else None
    if not origin:
        return f"{name}:absent"
    try:
        stat = os.stat(origin)
    except OSError:
        return f"{name}:{origin}"
    return f"{name}:{origin}:{stat.st_size}:{stat.st_mtime_ns}"


def pack(value: Any) -> bytes | None:
    """`value` as the caches of values keep it (all but validate's verdicts, which are JSON
    text): marshal's bytes, which give back exactly the types made, behind a CRC-32 of them
    that finds damaged bytes (not forged ones); None when marshal cannot keep it."""
    try:
        payload = marshal.dumps(value)
    except ValueError:
        return None
    return zlib.crc32(payload).to_bytes(4, "big") + payload


def unpack(kept: object) -> Any:
    """What `pack` made of a value; None when `kept` is not what it makes. Damaged bytes are
    never handed to marshal: a length damaged in them can make it reserve gigabytes."""
    if type(kept) is not bytes or len(kept) < 5:
        return None
    payload = memoryview(kept)[4:]
    if zlib.crc32(payload) != int.from_bytes(kept[:4], "big"):
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError, MemoryError, RecursionError):
        return None


PAGE_SIZE = 16384
"""Bytes of a page of a new cache database: most of what the caches hold is parsed records of
a few kilobytes each, which 4 KiB pages (SQLite's default) split over overflow pages; filling
the record cache of 10,000 records took 0.22 s with them, 0.14 s with these (measured)."""


class _Connection(sqlite3.Connection):
    """A connection to a cache database, counted as open until it is closed (`any_open`)."""

    def close(self) -> None:
        _OPEN.discard(self)
        super().close()


_OPEN: weakref.WeakSet[sqlite3.Connection] = weakref.WeakSet()
"""The connections `connect` made that are still open (one collected unclosed is closed)."""


def any_open() -> bool:
    """Whether a connection to a cache database is open in this process. A process forked
    while one is must not open the database: SQLite keeps what it knows of its files' locks
    per process, and the child would take the parent's for its own (ichinv.io.forked)."""
    return len(_OPEN) > 0


def connect(
    path: Path, *, any_thread: bool = False, wait_ms: int | None = None
) -> sqlite3.Connection:
    """A connection to the cache database at `path`, created readable by its owner only, and
    opened where `cache_trust.located` says. OSError when someone else could have written it or
    put it there: parsed records, which may hold personal data, are not written where others
    can read them, and what is kept there is not believed (compiled templates are run).
    `any_thread`: the connection may be closed by another thread (a finalizer runs in whichever
    thread collects its owner; SQLite serializes what threads do with one connection).
    `wait_ms`: how long a write waits for another run's (BUSY_TIMEOUT_MS when not given; a
    cache that saves milliseconds waits for none)."""
    wait_ms = BUSY_TIMEOUT_MS if wait_ms is None else wait_ms
    real = cache_trust.located(path)
    if real is None:  # no folder is made where others could have made it first
        raise PermissionError(f"{path} could have been written by someone else")
    cache_trust.make_folders(real.parent)  # each readable by the user only, whatever the umask
    if cache_trust.located(path) != real:  # made meanwhile by someone else
        raise PermissionError(f"{path} could have been written by someone else")
    with contextlib.suppress(FileExistsError):
        # Created by us, readable by the owner only: findings may quote record values.
        nofollow = getattr(os, "O_NOFOLLOW", 0)
        os.close(os.open(real, os.O_CREAT | os.O_EXCL | os.O_WRONLY | nofollow, 0o600))
    connection = sqlite3.connect(
        real,
        timeout=wait_ms / 1000,
        isolation_level=None,
        check_same_thread=not any_thread,
        factory=_Connection,
    )
    _OPEN.add(connection)
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new database's only
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error:
        connection.close()
        raise
    return connection


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """One write transaction (taken at once, so a concurrent run waits or gives up at the
    start): committed when the block ends, rolled back when it raises (the exception goes on)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        raise


def create_table(connection: sqlite3.Connection, name: str, script: str) -> None:
    """Run `script`, which creates table `name` if it does not exist; a table of that name
    with other columns, types, constraints or keys (an older ichinv made it, or a hand) is
    dropped first: it holds only a cache."""
    found = tuple(connection.execute(f"PRAGMA table_info({name})"))
    if found and found != _columns(name, script):
        connection.execute(f"DROP TABLE {name}")
    connection.executescript(script)


@functools.cache
def _columns(name: str, script: str) -> tuple[tuple[Any, ...], ...]:
    """The columns of table `name` as `script` makes it (`PRAGMA table_info`), worked out once
    in a database in memory."""
    with contextlib.closing(sqlite3.connect(":memory:")) as scratch:
        scratch.executescript(script)
        return tuple(scratch.execute(f"PRAGMA table_info({name})"))


def open_table(
    root: Path,
    name: str,
    script: str,
    *,
    any_thread: bool = False,
    wait_ms: int | None = None,
) -> sqlite3.Connection | None:
    """A connection to the cache database of the inventory at `root` with table `name` (made
    by `script`, see `create_table`); None when caching is off or the database cannot be used
    now (the record cache, opened first by every command, rebuilds a damaged one).
    `any_thread`, `wait_ms`: see `connect`."""
    if disabled():
        return None
    connection: sqlite3.Connection | None = None
    try:
        connection = connect(database_path(root), any_thread=any_thread, wait_ms=wait_ms)
        create_table(connection, name, script)
    except (sqlite3.Error, OSError):
        if connection is not None:
            connection.close()
        return None
    return connection


def damaged(error: sqlite3.Error) -> bool:
    """Whether `error`, met opening a cache database, says the database is damaged (not one,
    or malformed: delete it and start again). One that another run holds locked, or that
    cannot be written now (read-only, disk full), is not: what it keeps is another run's, and
    this run keeps nothing."""
    return not isinstance(error, sqlite3.OperationalError)


def open_tables(root: Path, tables: Sequence[tuple[str, str]]) -> sqlite3.Connection | None:
    """A connection to the cache database of the inventory at `root` with `tables` (name and
    script each, see `create_table`); None when caching is off or the database cannot be used
    now. A damaged database (not one, or malformed) is deleted and made again, once; one that
    another run holds locked, or that cannot be written, is left as it is: what it keeps is
    another run's."""
    if disabled():
        return None
    path = database_path(root)
    for attempt in range(2):
        connection: sqlite3.Connection | None = None
        try:
            connection = connect(path)
            for name, script in tables:
                create_table(connection, name, script)
            return connection
        except sqlite3.Error as error:
            if connection is not None:
                connection.close()
            if not damaged(error) or attempt > 0:
                return None
            remove(path)  # start again from nothing, once
        except OSError:
            if connection is not None:
                connection.close()
            return None
    return None


def drop_oldest(
    db: sqlite3.Connection, table: str, key: str, keep: int, *, order: str = ""
) -> None:
    """Delete the rows of `table` but the `keep` stored last (by their `stored` time, ties by
    the columns `order`, default `key`), naming each row by the columns `key`: the bound of
    every cache table, in a transaction of the caller's."""
    (count,) = db.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
    if count > keep:
        db.execute(
            f"DELETE FROM {table} WHERE ({key}) IN (SELECT {key} FROM {table} "  # noqa: S608
            f"ORDER BY stored, {order or key} LIMIT ?)",
            (count - keep,),
        )


def remove(path: Path) -> None:
    """Delete the database at `path` with the files SQLite keeps beside it (a damaged one),
    where `cache_trust.located` finds it (nothing when it finds none)."""
    real = cache_trust.located(path)
    if real is None:
        return
    for suffix in ("", *cache_trust.SIDE_FILES):
        with contextlib.suppress(OSError):
            os.unlink(f"{real}{suffix}")


class CacheTable:
    """What the caches of one database table share (records, changes): a connection that may
    be absent (an inert cache), entries learnt during a run written by `_write`, and closing
    that writes them and lets go of the database, also as a context manager."""

    _db: sqlite3.Connection | None

    def _write(self, *, finish: bool = False) -> None:
        raise NotImplementedError

    def close(self, *, through: bool = False) -> None:
        """Write what this run learnt, drop what is beyond the bound, let go of the database.
        `through`: and copy what the database's log holds into the database itself (a
        checkpoint), which the last connection to close in any process would otherwise do,
        waiting for the disk: for work done on another core (ichinv.io.forked), so that the
        command's own last close has nothing left to copy (30 ms of a province packet's 0.47 s
        at 10,000 records, measured)."""
        if self._db is None:
            return
        try:
            self._write(finish=True)
            if through:
                with contextlib.suppress(sqlite3.Error):  # busy: the last close does it then
                    self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
