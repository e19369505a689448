"""When the record cache's entries were used, and which it drops first when full.

An entry read STAMP_AFTER_NS (ichinv.inventory.record_cache) or more after it was stored
counts as new: a baseline's records are stored once and read by every diff, and editors'
rounds of new versions must not push them out. The use is noted beside the entry, in a table
of its own, not in the entry: 1,000 entries stamped in place rewrote as many 16 KiB pages
(0.06 s of the first province packet after a break at 10,000 records); noted here they fill
a few. Each entry's use is noted at most once each STAMP_AFTER_NS, so most reads write
nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection

SCHEMA = """
CREATE TABLE IF NOT EXISTS record_uses (
    blob TEXT PRIMARY KEY,
    stored INTEGER NOT NULL
) WITHOUT ROWID;
"""

CHUNK = 500
"""Blob ids asked for in one query."""


def note(db: sqlite3.Connection, read: Collection[str], now: int, every: int) -> None:
    """Note that the entries `read` (stored `every` ns or more before `now`) were used now,
    unless their use was noted less than `every` ns ago (in a transaction of the caller's)."""
    due = set(read) - _noted_since(db, sorted(read), now - every)
    db.executemany(
        "INSERT OR REPLACE INTO record_uses VALUES (?, ?)", [(blob, now) for blob in sorted(due)]
    )


def _noted_since(db: sqlite3.Connection, blobs: list[str], when: int) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(blobs), CHUNK):
        chunk = blobs[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(
            blob
            for (blob,) in db.execute(
                f"SELECT blob FROM record_uses WHERE stored >= ? AND blob IN ({marks})",  # noqa: S608
                (when, *chunk),
            )
        )
    return found


def drop_oldest(db: sqlite3.Connection, keep: int) -> None:
    """Delete the entries of the record cache but the `keep` stored or used last, and what was
    noted of those dropped (in a transaction of the caller's)."""
    (count,) = db.execute("SELECT count(*) FROM records").fetchone()
    if count > keep:
        db.execute(
            "DELETE FROM records WHERE blob IN (SELECT r.blob FROM records AS r LEFT JOIN "
            "record_uses AS u ON u.blob = r.blob ORDER BY max(r.stored, ifnull(u.stored, 0)), "
            "r.blob LIMIT ?)",
            (count - keep,),
        )
        forget_dropped(db)


def forget_dropped(db: sqlite3.Connection) -> None:
    """Forget the uses noted of entries no longer kept (in a transaction of the caller's)."""
    db.execute("DELETE FROM record_uses WHERE blob NOT IN (SELECT blob FROM records)")
