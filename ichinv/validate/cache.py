"""The validation result cache: each file's verdict kept by git blob id between runs.

A `ResultStore` keeps, for every record file checked, its `FileCheck` (findings, the facts the
cross-record rules need, declared suppressions) under the file's path and git blob id. Entries
belong to a *context*: the schemas' digests, ichinv's code (a digest of its source, so every
release and every edit), the libraries that judge records, today's date (date rules depend on
it) and the inventory's settings. A change to any of them starts a fresh context, and the
entries of older ones are dropped. A verdict that depends on other files (a documentation path
that must exist) is reused only while those files are as they were.

The store is an SQLite database in the user's cache folder (`$XDG_CACHE_HOME/ichinv/`, else
`~/.cache/ichinv/`), one per inventory root, readable by its owner only (findings may quote
record values). Concurrent runs are safe (write-ahead log, short write transactions of at most
`FLUSH_EVERY` entries); a database that cannot be read is deleted and rebuilt; a run that
cannot write just does not cache. The number of entries is bounded (`MAX_ENTRIES_FACTOR` × the files of a run).
`ICHINV_NO_CACHE=1` or `validate --no-cache` bypasses it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import importlib.util
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import ichinv
from ichinv.core import i18n
from ichinv.core.model import RecordKind
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader
from ichinv.validate.cache_entries import (
    decode,
    decode_inventory,
    encode,
    encode_inventory,
    fingerprint,
)
from ichinv.validate.engine import InventoryCheck
from ichinv.validate.file_check import FileCheck

FORMAT = 1
"""Version of the database layout and of the entry encoding; part of every context."""

MAX_ENTRIES_FACTOR = 3
"""Entries kept: this many times the files of the latest run (plus `MIN_ENTRIES`), oldest
dropped first, so that switching branches back and forth stays warm without growing forever."""

MIN_ENTRIES = 1000

INVENTORY_STATES = 4
"""Whole-inventory verdicts kept (the latest ones): a few branches checked out in turn."""

FLUSH_EVERY = 2000
"""Entries written together during a run (each write is one short transaction)."""

BUSY_TIMEOUT_MS = 3000
"""How long a run waits for another run's write to finish before giving up on writing."""

_PACKAGE = Path(ichinv.__file__).resolve().parent
"""The whole ichinv package, wherever its modules live: any of them may take part in a verdict
(the reader, the schemas, the rules, the vocabulary)."""
_JUDGES = ("yaml", "fastjsonschema", "jsonschema")
"""Libraries whose behaviour decides verdicts: an upgrade starts a new context."""


def disabled() -> bool:
    """True when the environment asks for no cache (`ICHINV_NO_CACHE` set to a true value)."""
    return os.environ.get("ICHINV_NO_CACHE", "").strip().lower() not in ("", "0", "false", "no")


def cache_home() -> Path:
    """`$XDG_CACHE_HOME/ichinv`, else `~/.cache/ichinv`."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    folder = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return folder / "ichinv"


def database_path(root: Path) -> Path:
    """Where the cache of the inventory at `root` lives (one folder per inventory root)."""
    resolved = root.resolve()
    digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:16]
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in resolved.name)[:40]
    return cache_home() / f"{name or 'root'}-{digest}" / "results.sqlite"


def _code_digest() -> str:
    """Digest of ichinv's own source: an edited rule must not be answered from the cache."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        with contextlib.suppress(OSError):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _library_stamp(name: str) -> str:
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


def schema_digests(settings: Settings) -> dict[str, str]:
    """sha256 of each schema file, as `schemas.load_schema` computes it (missing: empty)."""
    digests = {}
    for kind in RecordKind:
        try:
            digests[kind.value] = hashlib.sha256(
                settings.schema_file(kind).read_bytes()
            ).hexdigest()
        except OSError:
            digests[kind.value] = ""
    return digests


def _language_stamp(settings: Settings) -> list[str]:
    """The language of messages and digests of what words them in it (ichinv's catalogue,
    the schema's translation table for field titles): findings are kept as worded."""
    lang = i18n.current()
    stamp = [lang]
    if lang != i18n.SOURCE:
        for path in (i18n.catalogue_path(lang), settings.schema_dir / "i18n" / f"{lang}.json"):
            try:
                stamp.append(hashlib.sha256(path.read_bytes()).hexdigest())
            except OSError:
                stamp.append("")
    return stamp


def context_key(settings: Settings, day: dt.date) -> str:
    """The context entries are valid in: everything besides a file's bytes that decides its
    verdict. (Suppressions are applied to verdicts afterwards: they are not part of it.)"""
    parts = {
        "format": FORMAT,
        "code": _code_digest(),
        "libraries": [_library_stamp(name) for name in _JUDGES],
        "schemas": schema_digests(settings),
        "day": day.isoformat(),
        "settings": repr(dataclasses.replace(settings, suppressions=())),
        "language": _language_stamp(settings),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


# --- the store -----------------------------------------------------------------------------------


_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    context TEXT NOT NULL,
    path TEXT NOT NULL,
    blob TEXT NOT NULL,
    value TEXT NOT NULL,
    stored INTEGER NOT NULL,
    PRIMARY KEY (context, path, blob)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS inventories (
    context TEXT NOT NULL,
    state TEXT NOT NULL,
    value TEXT NOT NULL,
    stored INTEGER NOT NULL,
    PRIMARY KEY (context, state)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blobs (
    path TEXT PRIMARY KEY,
    signature TEXT NOT NULL,
    blob TEXT NOT NULL,
    stored INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checked_schemas (digest TEXT PRIMARY KEY) WITHOUT ROWID;
"""


class ResultStore:
    """The cache of one inventory root in one context (a `validation.ResultCache`)."""

    def __init__(
        self, connection: sqlite3.Connection, context: str, path: Path | None = None
    ) -> None:
        self._db = connection
        self._context = context
        self._path = path
        self._damaged = False
        self._known: dict[tuple[str, str], str] | None = None
        """Entries of this context, read when first asked for (a run that finds the whole
        inventory as it was never needs them)."""
        self._pending: dict[tuple[str, str], str] = {}
        self._written = False
        self._inventory: tuple[str, str] | None = None
        self._blobs: dict[str, tuple[str, str]] = {}
        self._new_blobs: dict[str, tuple[str, str]] = {}
        self.inventory_hits = 0
        self._paths: set[str] = set()
        """Paths asked about in this run: the inventory's size, for bounding the cache."""
        self.checked_schemas: frozenset[str] = frozenset()
        """Digests of schema files an earlier run already checked against the metaschema."""
        self.hits = 0
        self.misses = 0

    @classmethod
    def open(cls, settings: Settings, day: dt.date, *, path: Path | None = None) -> ResultStore:
        """The cache of `settings.root` for `day`; an inert one when the cache cannot be used."""
        path = path or database_path(settings.root)
        context = context_key(settings, day)
        for attempt in range(2):
            try:
                connection = _connect(path)
                store = cls(connection, context, path)
                store._load()
                return store
            except sqlite3.Error:
                # Damaged, or not a database at all: start again from nothing, once.
                if attempt == 0:
                    _remove(path)
            except OSError:
                break
        return cls(sqlite3.connect(":memory:"), context)

    def _load(self) -> None:
        self._db.executescript(_SCHEMA)
        self.checked_schemas = frozenset(
            digest for (digest,) in self._db.execute("SELECT digest FROM checked_schemas")
        )
        self._blobs = {
            path: (signature, blob)
            for path, signature, blob in self._db.execute("SELECT path, signature, blob FROM blobs")
        }

    # --- ResultCache --------------------------------------------------------------------------

    def _entries(self) -> dict[tuple[str, str], str]:
        if self._known is None:
            try:
                self._known = {
                    (path, blob): value
                    for path, blob, value in self._db.execute(
                        "SELECT path, blob, value FROM results WHERE context = ?",
                        (self._context,),
                    )
                }
            except sqlite3.OperationalError:
                self._known = {}
            except sqlite3.DatabaseError:
                self._known = {}
                self._damaged = True
        return self._known

    def get(self, path: str, blob: str) -> FileCheck | None:
        """The verdict on `path` with bytes `blob`, when known and still true."""
        self._paths.add(path)
        # Kept, not popped: `validate --new-since` asks again for the files unchanged since REV.
        text = self._entries().get((path, blob))
        if text is None:
            self.misses += 1
            return None
        try:
            check, fingerprints = decode(text)
        except ValueError:
            self.misses += 1
            return None
        if any(fingerprint(path) != state for path, state in fingerprints):
            self.misses += 1
            return None
        self.hits += 1
        return check

    def put(self, path: str, blob: str, check: FileCheck) -> None:
        """Remember the verdict on `path` with bytes `blob` (written when the store closes)."""
        fingerprints = [[path, fingerprint(path)] for path in check.depends]
        self._pending[(path, blob)] = encode(check, fingerprints)
        if len(self._pending) >= FLUSH_EVERY:
            self._flush()

    def _flush(self) -> None:
        """Write the entries learnt so far, in one short transaction (memory stays flat)."""
        self._write()
        self._pending.clear()

    def get_inventory(self, state: str) -> InventoryCheck | None:
        """The verdict on the whole inventory when every record file is as in `state`."""
        try:
            row = self._db.execute(
                "SELECT value FROM inventories WHERE context = ? AND state = ?",
                (self._context, state),
            ).fetchone()
            check, fingerprints = decode_inventory(row[0]) if row else (None, [])
        except sqlite3.OperationalError:
            return None
        except sqlite3.DatabaseError:
            self._damaged = True
            return None
        except ValueError:
            return None
        if check is None or any(fingerprint(path) != seen for path, seen in fingerprints):
            return None
        self.inventory_hits += 1
        return check

    def put_inventory(self, state: str, check: InventoryCheck) -> None:
        """Remember the verdict on the whole inventory in `state` (written on closing)."""
        fingerprints = [[path, fingerprint(path)] for path in check.depends]
        self._inventory = (state, encode_inventory(check, fingerprints))

    def known_blob(self, path: str, signature: str) -> str | None:
        """The blob id noted for `path` with this file signature (size, times, inode)."""
        self._paths.add(path)
        noted = self._blobs.get(path)
        return noted[1] if noted is not None and noted[0] == signature else None

    def note_blob(self, path: str, signature: str, blob: str) -> None:
        """Note the blob id of `path` while its signature is `signature`."""
        self._blobs[path] = self._new_blobs[path] = (signature, blob)

    # --- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        """Write what this run learnt (entries, schema digests found valid), drop what is stale.

        Another run holding the database for longer than `BUSY_TIMEOUT_MS` means this run's
        results are not kept; nothing else changes.
        """
        try:
            self._write(finish=True, schemas=schema_loader.checked_digests())
        finally:
            self._pending.clear()
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            if self._damaged and self._path is not None:
                _remove(self._path)  # found damaged on the way: the next run starts afresh

    def _write(self, *, finish: bool = False, schemas: frozenset[str] = frozenset()) -> None:
        """Write what is pending; when the database cannot take it, this run's results are
        simply not kept (and a damaged database is removed on closing)."""
        try:
            self._write_entries(finish=finish, schemas=schemas)
        except sqlite3.OperationalError:
            pass  # another run held it for too long, or it is read-only
        except sqlite3.DatabaseError:
            self._damaged = True
        except sqlite3.Error:
            pass

    def _write_entries(
        self, *, finish: bool = False, schemas: frozenset[str] = frozenset()
    ) -> None:
        new_schemas = sorted(schemas - self.checked_schemas)
        inventory = self._inventory if finish else None
        if not (
            self._pending
            or self._new_blobs
            or new_schemas
            or inventory
            or (finish and self._written)
        ):
            return
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            if not self._written:
                db.execute("DELETE FROM results WHERE context != ?", (self._context,))
            stamp = time.time_ns()
            db.executemany(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?)",
                [
                    (self._context, path, blob, value, stamp)
                    for (path, blob), value in sorted(self._pending.items())
                ],
            )
            self._written = True
            db.executemany(
                "INSERT OR REPLACE INTO blobs VALUES (?, ?, ?, ?)",
                [(path, *noted, stamp) for path, noted in sorted(self._new_blobs.items())],
            )
            self._new_blobs.clear()
            db.executemany(
                "INSERT OR IGNORE INTO checked_schemas VALUES (?)", [(d,) for d in new_schemas]
            )
            if inventory is not None:
                db.execute(
                    "INSERT OR REPLACE INTO inventories VALUES (?, ?, ?, ?)",
                    (self._context, *inventory, stamp),
                )
            if finish:
                self._prune()
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise

    def _prune(self) -> None:
        """Keep at most `MAX_ENTRIES_FACTOR` × the files of this run (+ `MIN_ENTRIES`)."""
        limit = MAX_ENTRIES_FACTOR * len(self._paths) + MIN_ENTRIES
        (count,) = self._db.execute("SELECT count(*) FROM results").fetchone()
        if count > limit:
            self._db.execute(
                "DELETE FROM results WHERE (context, path, blob) IN (SELECT context, path, "
                "blob FROM results ORDER BY stored, path LIMIT ?)",
                (count - limit,),
            )
        (count,) = self._db.execute("SELECT count(*) FROM blobs").fetchone()
        if count > limit:
            self._db.execute(
                "DELETE FROM blobs WHERE path IN (SELECT path FROM blobs ORDER BY stored, path "
                "LIMIT ?)",
                (count - limit,),
            )
        self._db.execute(
            "DELETE FROM inventories WHERE context != ? OR state NOT IN (SELECT state FROM "
            "inventories WHERE context = ? ORDER BY stored DESC, state LIMIT ?)",
            (self._context, self._context, INVENTORY_STATES),
        )

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        # Created by us, readable by the owner only: findings may quote record values.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            os.unlink(f"{path}{suffix}")


def entries(path: Path) -> Iterator[tuple[str, str, str]]:
    """(context, path, blob) of every entry of the database at `path` (for tests and tools)."""
    connection = sqlite3.connect(path)
    try:
        yield from connection.execute("SELECT context, path, blob FROM results ORDER BY path")
    finally:
        connection.close()
