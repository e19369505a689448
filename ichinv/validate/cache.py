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
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from ichinv.core import i18n
from ichinv.core.model import RecordKind
from ichinv.io import cache_files, confined
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

FLUSH_EVERY = 500
"""Entries written together during a run (each write is one short transaction; few are
left to write when the run ends, as ichinv.inventory.record_cache.FLUSH_EVERY says)."""

BUSY_TIMEOUT_MS = cache_files.BUSY_TIMEOUT_MS

_PACKAGE = cache_files.PACKAGE
"""The whole ichinv package, wherever its modules live: any of them may take part in a verdict
(the reader, the schemas, the rules, the vocabulary)."""
_JUDGES = ("yaml", "fastjsonschema", "jsonschema")
"""Libraries whose behaviour decides verdicts: an upgrade starts a new context."""

disabled = cache_files.disabled
cache_home = cache_files.cache_home
database_path = cache_files.database_path
_library_stamp = cache_files.library_stamp


def _code_digest() -> str:
    """Digest of ichinv's own source: an edited rule must not be answered from the cache."""
    if _PACKAGE == cache_files.PACKAGE:
        return cache_files.code_digest()  # computed once per process
    return cache_files.package_digest(_PACKAGE)


def schema_digests(settings: Settings) -> dict[str, str]:
    """sha256 of each schema file, as `schemas.load_schema` computes it (missing: empty)."""
    digests = {}
    for kind in RecordKind:
        try:
            raw = confined.read(settings.schema_file(kind), settings.schema_dir)
            digests[kind.value] = hashlib.sha256(raw).hexdigest()
        except FileNotFoundError:
            digests[kind.value] = ""
    return digests


def _language_stamp(settings: Settings) -> list[str]:
    """The language of messages and digests of what words them in it (ichinv's catalogue,
    the schema's translation table for field titles): findings are kept as worded."""
    lang = i18n.current()
    stamp = [lang]
    if lang != i18n.SOURCE:
        catalogue, schemas = i18n.catalogue_path(lang), settings.schema_dir
        for path, folder in (
            (catalogue, catalogue.parent),
            (schema_loader.translation_file(schemas, lang), schemas),
        ):
            try:
                stamp.append(hashlib.sha256(confined.read(path, folder)).hexdigest())
            except (OSError, confined.Refused):  # the field titles are then English
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
    return cache_files.digest_of(parts)


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
            connection: sqlite3.Connection | None = None
            try:
                connection = _connect(path)
                store = cls(connection, context, path)
                store._load()
                return store
            except sqlite3.Error as error:
                if connection is not None:
                    connection.close()
                # Damaged, or not a database at all: start again from nothing, once. Locked
                # by another run, or not writable now: left as it is (cache_files.damaged).
                if attempt > 0 or not cache_files.damaged(error):
                    break
                _remove(path)
            except OSError:
                break
        return cls.in_memory(settings, day, context)

    @classmethod
    def in_memory(cls, settings: Settings, day: dt.date, context: str | None = None) -> ResultStore:
        """A store for this run only (nothing kept after it): with the cache off, a file
        judged once is not judged again in the same run (`validate --new-since`)."""
        store = cls(sqlite3.connect(":memory:"), context or "run")
        store._load()
        return store

    def _load(self) -> None:
        self._db.executescript(_SCHEMA)
        self.checked_schemas = frozenset(
            digest for (digest,) in self._db.execute("SELECT digest FROM checked_schemas")
        )

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
        # Kept, not popped: `validate --new-since` asks again for the files unchanged since REV,
        # and a verdict made earlier in this run counts too.
        text = self._pending.get((path, blob)) or self._entries().get((path, blob))
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

    def put(self, path: str, blob: str, check: FileCheck, text: str | None = None) -> None:
        """Remember the verdict on `path` with bytes `blob` (written when the store closes);
        `text`: the verdict as `cache_entries.encode` made it, when it was."""
        self._pending[(path, blob)] = text if text is not None else encode(check)
        if len(self._pending) >= FLUSH_EVERY:
            self._flush()

    def _flush(self) -> None:
        """Write the entries learnt so far, in one short transaction (memory stays flat)."""
        self._write()
        if self._known is not None:
            self._known.update(self._pending)  # still answered in this run
        self._pending.clear()

    def has_inventories(self) -> bool:
        """Whether this context holds any whole-inventory verdict (a cold run has none, and
        identifies each file as it judges it)."""
        try:
            row = self._db.execute(
                "SELECT 1 FROM inventories WHERE context = ? LIMIT 1", (self._context,)
            ).fetchone()
        except sqlite3.DatabaseError:
            return False
        return row is not None

    def get_inventory(self, state: str) -> InventoryCheck | None:
        """The verdict on the whole inventory when every record file is as in `state`."""
        try:
            row = self._db.execute(
                "SELECT value FROM inventories WHERE context = ? AND state = ?",
                (self._context, state),
            ).fetchone()
            if row is None:
                return None
            findings, suppressions, fingerprints = decode_inventory(row[0])
        except sqlite3.OperationalError:
            return None
        except sqlite3.DatabaseError:
            self._damaged = True
            return None
        except ValueError:
            return None
        if any(fingerprint(path) != seen for path, seen in fingerprints):
            return None
        self.inventory_hits += 1
        return InventoryCheck(findings, suppressions, tuple(path for path, __ in fingerprints))

    def put_inventory(self, state: str, check: InventoryCheck) -> None:
        """Remember the verdict on the whole inventory in `state` (written on closing)."""
        fingerprints = [[path, fingerprint(path)] for path in check.depends]
        self._inventory = (
            state,
            encode_inventory(check.findings, check.suppressions, fingerprints),
        )

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
        if not (self._pending or new_schemas or inventory or (finish and self._written)):
            return
        db = self._db
        with cache_files.transaction(db):
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
                "INSERT OR IGNORE INTO checked_schemas VALUES (?)", [(d,) for d in new_schemas]
            )
            if inventory is not None:
                db.execute(
                    "INSERT OR REPLACE INTO inventories VALUES (?, ?, ?, ?)",
                    (self._context, *inventory, stamp),
                )
            if finish:
                self._prune()

    def _prune(self) -> None:
        """Keep at most `MAX_ENTRIES_FACTOR` × the files of this run (+ `MIN_ENTRIES`)."""
        limit = MAX_ENTRIES_FACTOR * len(self._paths) + MIN_ENTRIES
        cache_files.drop_oldest(self._db, "results", "context, path, blob", limit, order="path")
        self._db.execute(
            "DELETE FROM inventories WHERE context != ? OR state NOT IN (SELECT state FROM "
            "inventories WHERE context = ? ORDER BY stored DESC, state LIMIT ?)",
            (self._context, self._context, INVENTORY_STATES),
        )

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_connect = cache_files.connect
_remove = cache_files.remove


def entries(path: Path) -> Iterator[tuple[str, str, str]]:
    """(context, path, blob) of every entry of the database at `path` (for tests and tools)."""
    connection = sqlite3.connect(path)
    try:
        yield from connection.execute("SELECT context, path, blob FROM results ORDER BY path")
    finally:
        connection.close()
