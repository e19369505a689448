"""Translation tables as read, kept by their bytes in the cache database of the inventory, so
that a command printing labels (a packet, `list`, `show`) reads each table's bytes but parses
none of them, nor loads the YAML parser (~20 ms of a province packet's ~0.45 s), while they stay
as they are.

A table is kept under the digest of its bytes, ichinv's code and the YAML library (which read
it), only once it was read without a problem: a table with one is read, and its problem
reported, every time. What is kept is the flat mapping of label keys to texts that reading
gives, behind the caches' CRC (ichinv.io.cache_files.pack); an entry that is not one is read
afresh.

A table read in this process is also kept in memory by the same key (`_HERE`, while caching
is on): another inventory's templates holding the same bytes (a test run's thousands) take
it from there, and keep it in their own database too.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeGuard

from ichinv.io import cache_files

FORMAT = "label-tables 1"
"""Changes when what is kept changes shape."""

KEEP = 24
"""Tables kept at most (three languages, a few versions of each, a few template folders)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS label_tables (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    stored REAL NOT NULL
) WITHOUT ROWID;
"""

Table = dict[str, str]

_HERE: dict[str, Table] = {}
"""Tables read in this process, by key (at most KEEP: the oldest let go first)."""
_HERE_LOCK = threading.Lock()


def tables(
    root: Path | None,
    names: Sequence[str],
    bytes_of: Callable[[str], bytes],
    read: Callable[[str, bytes], Table],
) -> dict[str, Table]:
    """For each table name in turn, its bytes (`bytes_of(name)`) read as `read(name, raw)` does,
    or as it did in an earlier run for the same bytes, kept in the cache database of the
    inventory at `root` (None: no cache). What `bytes_of` or `read` raises is raised, for the
    first table that has a problem, as without a cache. A run never waits for the database
    (another run writing it): then it keeps nothing."""
    db = (
        cache_files.open_table(root, "label_tables", _SCHEMA, wait_ms=0)
        if root is not None
        else None
    )
    if db is None:
        return {name: read(name, bytes_of(name)) for name in names}
    try:
        context = [FORMAT, cache_files.code_digest(), cache_files.library_stamp("yaml")]
        found: dict[str, Table] = {}
        made: dict[str, Table] = {}
        for name in names:
            raw = bytes_of(name)
            key = cache_files.digest_of([*context, hashlib.sha256(raw).hexdigest()])
            kept = _recall(db, key)
            if kept is None:
                kept = made[key] = _HERE.get(key) or read(name, raw)
            _remember(key, kept)
            found[name] = kept
        if made:
            _keep(db, made)
        return found
    finally:
        with contextlib.suppress(sqlite3.Error):
            db.close()


def _remember(key: str, table: Table) -> None:
    with _HERE_LOCK:  # two threads trimming at once would delete the same table
        _HERE.pop(key, None)
        _HERE[key] = table
        while len(_HERE) > KEEP:
            del _HERE[next(iter(_HERE))]


def _recall(db: sqlite3.Connection, key: str) -> Table | None:
    try:
        row = db.execute("SELECT value FROM label_tables WHERE key = ?", (key,)).fetchone()
    except sqlite3.Error:
        return None
    kept = cache_files.unpack(row[0]) if row is not None else None
    return kept if _is_table(kept) else None


def _is_table(kept: Any) -> TypeGuard[Table]:
    return type(kept) is dict and all(
        type(key) is str and type(text) is str for key, text in kept.items()
    )


def _keep(db: sqlite3.Connection, made: Mapping[str, Table]) -> None:
    rows = [
        (key, packed, time.time())
        for key, table in made.items()
        if (packed := cache_files.pack(table))
    ]
    with contextlib.suppress(sqlite3.Error), cache_files.transaction(db):
        db.executemany("INSERT OR REPLACE INTO label_tables VALUES (?, ?, ?)", rows)
        cache_files.drop_oldest(db, "label_tables", "key", KEEP)
