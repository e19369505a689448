"""Each record file's blob id, noted with the signature (size, times, inode) the file had when
its bytes were read: a file with the same signature is known unread (`validate` and the
snapshots of the working tree take and note them). Kept in the record cache's database beside
its entries (ichinv.inventory.record_cache), and bounded with them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from ichinv.io import cache_files

SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs (
    path TEXT PRIMARY KEY,
    signature TEXT NOT NULL,
    blob TEXT NOT NULL,
    stored INTEGER NOT NULL
) WITHOUT ROWID;
"""

LOOK_UP_TO = 5000
"""Paths looked up one by one at most (beyond, every note is read in one pass)."""
CHUNK = 500
"""Paths asked for in one query."""


class BlobNotes:
    """The notes of one inventory (inert without a database)."""

    def __init__(self, db: sqlite3.Connection | None) -> None:
        self._db = db
        self._notes: dict[str, tuple[str, str]] | None = None
        """Path → (signature, blob id): the notes, read when first asked for."""
        self.learnt: dict[str, tuple[str, str]] = {}
        """Notes of this run, not written yet."""

    def known_blob(self, path: str, signature: str) -> str | None:
        """The blob id noted for the record file at `path` with this signature."""
        noted = self._noted().get(path)
        return noted[1] if noted is not None and noted[0] == signature else None

    def known_blobs(self, signatures: Mapping[str, str]) -> dict[str, str]:
        """`known_blob` for many paths at once (path → signature): a few of an inventory are
        looked up, not every note read."""
        if self._notes is None and self._db is not None and len(signatures) <= LOOK_UP_TO:
            noted: dict[str, tuple[str, str]] = {}
            paths = list(signatures)
            try:
                for start in range(0, len(paths), CHUNK):
                    chunk = paths[start : start + CHUNK]
                    marks = ",".join("?" * len(chunk))
                    query = f"SELECT path, signature, blob FROM blobs WHERE path IN ({marks})"
                    noted.update((p, (sig, b)) for p, sig, b in self._db.execute(query, chunk))
            except sqlite3.Error:
                noted = {}
            noted.update(self.learnt)
        else:
            noted = self._noted()
        return {
            path: found[1]
            for path, signature in signatures.items()
            if (found := noted.get(path)) is not None and found[0] == signature
        }

    def note_blob(self, path: str, signature: str, blob: str) -> None:
        """Note the blob id of `path` while its signature is `signature` (a settled one:
        ichinv.inventory.record_files.signature), written when the cache closes."""
        if self._db is not None and blob:
            self.learnt[path] = (signature, blob)
            if self._notes is not None:
                self._notes[path] = (signature, blob)

    def write(self, db: sqlite3.Connection, stamp: int, limit: int) -> None:
        """Write the notes of this run (in a transaction of the caller's), then keep the
        `limit` noted last (all when 0)."""
        db.executemany(
            "INSERT OR REPLACE INTO blobs VALUES (?, ?, ?, ?)",
            [(path, *noted, stamp) for path, noted in sorted(self.learnt.items())],
        )
        if limit:
            cache_files.drop_oldest(db, "blobs", "path", limit)

    def _noted(self) -> dict[str, tuple[str, str]]:
        if self._notes is None:
            self._notes = {}
            if self._db is not None:
                try:
                    self._notes = {
                        path: (signature, blob)
                        for path, signature, blob in self._db.execute(
                            "SELECT path, signature, blob FROM blobs"
                        )
                    }
                except sqlite3.Error:
                    pass
        return self._notes
