"""When the record cache's entries were used, and which it drops first when full.

An entry read STAMP_AFTER_NS (ichinv.inventory.record_cache) or more after it was stored
counts as new: a baseline's records are stored once and read by every diff, and editors'
rounds of new versions must not push them out. The use is noted beside the entry, in a table
of its own, not in the entry: 1,000 entries stamped in place rewrote as many 16 KiB pages
(0.06 s of the first province packet after a break at 10,000 records); noted here they fill
a few. An entry counts as stored when it was or when its use was noted last (`STORED`, read
with it), so its use is noted at most once each STAMP_AFTER_NS, and most reads write nothing.
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

STORED = (
    "max(stored, ifnull((SELECT u.stored FROM record_uses AS u WHERE u.blob = records.blob), 0))"
)
"""When an entry of `records` counts as stored: when it was, or when its use was noted since.
An entry read STAMP_AFTER_NS after that is due to be noted again (`note`); any other read
writes nothing."""


def note(db: sqlite3.Connection, read: Collection[str], now: int) -> None:
    """Note that the entries `read` were used `now` (in a transaction of the caller's)."""
    db.executemany(
        "INSERT OR REPLACE INTO record_uses VALUES (?, ?)", [(blob, now) for blob in sorted(read)]
    )


def drop_oldest(db: sqlite3.Connection, keep: int) -> None:
    """Delete the entries of the record cache but the `keep` stored or used last, and what was
    noted of those dropped (in a transaction of the caller's)."""
    (count,) = db.execute("SELECT count(*) FROM records").fetchone()
    if count > keep:
        db.execute(
            # The whole table in its order on disk, not by the index of blob ids: 0.45 s to drop
            # 1,000 entries of 100,000 by the index, 0.2 s so (measured).
            "DELETE FROM records WHERE blob IN (SELECT r.blob FROM records AS r NOT INDEXED "
            "LEFT JOIN record_uses AS u ON u.blob = r.blob "
            "ORDER BY max(r.stored, ifnull(u.stored, 0)), r.blob LIMIT ?)",
            (count - keep,),
        )
        forget_dropped(db)


def forget_dropped(db: sqlite3.Connection) -> None:
    """Forget the uses noted of entries no longer kept (in a transaction of the caller's)."""
    db.execute("DELETE FROM record_uses WHERE blob NOT IN (SELECT blob FROM records)")
