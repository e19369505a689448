"""Which record files `fmt` found canonical and `migrate` found current, kept by blob id.

Formatting a record reads it with the round-trip editor (ruamel.yaml, tens of milliseconds a
file): `fmt --check` in a pre-commit hook would cost minutes at 10,000 records. A file whose
bytes (git blob id) were found already in canonical form, or already at its schema's format
version, is the same file again: it is not read a second time. Only that verdict is kept
("nothing to do"): a file that would change, or cannot be read, is looked at on every run.

Each verdict belongs to a context: ichinv's code (the formatter and the migrations), the
round-trip editor's and the strict reader's libraries, the schemas (key order, format
version) and the size limit; a change of any starts afresh. The verdicts live in the
inventory's cache database (ichinv.io.cache_files); `ICHINV_NO_CACHE=1` leaves them alone.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from types import TracebackType

from ichinv.core.model import RecordKind
from ichinv.io import cache_files, confined
from ichinv.io.settings import Settings

FORMAT = 1
"""Version of the table; part of every context."""

MAX_ENTRIES_FACTOR = 3
MIN_ENTRIES = 1000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS verdicts (
    what TEXT NOT NULL,
    context TEXT NOT NULL,
    kind TEXT NOT NULL,
    blob TEXT NOT NULL,
    stored INTEGER NOT NULL,
    PRIMARY KEY (what, kind, blob)
) WITHOUT ROWID;
"""


def context(settings: Settings) -> str:
    """What `fmt` and `migrate` decide with besides a file's bytes."""
    schemas = []
    for kind in RecordKind:
        try:
            raw = confined.read(settings.schema_file(kind), settings.schema_dir)
            schemas.append(hashlib.sha256(raw).hexdigest())
        except FileNotFoundError:
            schemas.append("")
    return json.dumps(
        [
            FORMAT,
            cache_files.code_digest(),
            cache_files.library_stamp("ruamel.yaml"),
            cache_files.library_stamp("yaml"),
            schemas,
            settings.max_file_size,
        ]
    )


class Verdicts:
    """The files found to need nothing, for one command (`what`: "fmt" or "migrate")."""

    def __init__(self, connection: sqlite3.Connection | None, what: str, context: str) -> None:
        self._db = connection
        self._what = what
        self._context = context
        self._known: set[tuple[str, str]] = set()
        self._new: set[tuple[str, str]] = set()
        self.size_hint = 0
        """Record files of this run: bounds what is kept."""
        if connection is not None:
            try:
                self._known = {
                    (kind, blob)
                    for kind, blob in connection.execute(
                        "SELECT kind, blob FROM verdicts WHERE what = ? AND context = ?",
                        (what, context),
                    )
                }
            except sqlite3.Error:
                self._db = None

    @classmethod
    def open(cls, settings: Settings, what: str) -> Verdicts:
        """The verdicts of `what` for the inventory at `settings.root` (none kept when the
        cache is off or cannot be used)."""
        connection = cache_files.open_tables(settings.root, [("verdicts", _SCHEMA)])
        if connection is not None:
            return cls(connection, what, context(settings))
        return cls(None, what, "")

    @property
    def active(self) -> bool:
        """Whether verdicts are kept (the cache is on and usable)."""
        return self._db is not None

    def settled(self, kind: RecordKind, blob: str) -> bool:
        """Whether a file of `kind` with these bytes was found to need nothing."""
        return bool(blob) and (kind.value, blob) in self._known

    def settle(self, kind: RecordKind, blob: str) -> None:
        """Note that a file of `kind` with these bytes needs nothing."""
        if self._db is not None and blob and (kind.value, blob) not in self._known:
            self._known.add((kind.value, blob))
            self._new.add((kind.value, blob))

    def close(self) -> None:
        """Write what this run learnt (or nothing, when another run holds the database)."""
        db, self._db = self._db, None
        if db is None:
            return
        try:
            if self._new:
                with cache_files.transaction(db):
                    db.execute(
                        "DELETE FROM verdicts WHERE what = ? AND context != ?",
                        (self._what, self._context),
                    )
                    stamp = time.time_ns()
                    db.executemany(
                        "INSERT OR REPLACE INTO verdicts VALUES (?, ?, ?, ?, ?)",
                        [(self._what, self._context, k, b, stamp) for k, b in sorted(self._new)],
                    )
                    self._prune(db)
        except sqlite3.Error:
            pass
        finally:
            db.close()

    def _prune(self, db: sqlite3.Connection) -> None:
        limit = MAX_ENTRIES_FACTOR * self.size_hint + MIN_ENTRIES
        (count,) = db.execute(
            "SELECT count(*) FROM verdicts WHERE what = ?", (self._what,)
        ).fetchone()
        if count > limit:
            db.execute(
                "DELETE FROM verdicts WHERE what = ? AND (kind, blob) IN (SELECT kind, blob "
                "FROM verdicts WHERE what = ? ORDER BY stored, blob LIMIT ?)",
                (self._what, self._what, count - limit),
            )

    def __enter__(self) -> Verdicts:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
