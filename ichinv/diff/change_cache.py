"""The field changes between two versions of a record, kept by the blob ids of both.

Comparing two versions of a record costs about a millisecond, most of it the word-level diff
of long texts; a pull request's change packet, its `diff-2013` and the status since the
baseline of every packet compare the same pairs of blobs again and again. The changes found
are kept here under (old blob id, new blob id), in the inventory's cache database
(ichinv.io.cache_files), for a context: ichinv's code and the diff rules (the schema's keyed
lists, the provinces' successors, the long-text threshold). An entry made with word diffs
answers a comparison without them too. `ICHINV_NO_CACHE=1` leaves it alone.
"""

from __future__ import annotations

import marshal
import sqlite3
import sys
import time
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ichinv.core.model import Change, ChangeKind
from ichinv.diff.fields import DiffRules
from ichinv.io import cache_files
from ichinv.io.settings import Settings

FORMAT = 3
FLUSH_EVERY = 2000
MAX_ENTRIES_FACTOR = 3
MIN_ENTRIES = 1000
CHUNK = 400

_SCHEMA = """
CREATE TABLE IF NOT EXISTS changes (
    old TEXT NOT NULL,
    new TEXT NOT NULL,
    context TEXT NOT NULL,
    words INTEGER NOT NULL,
    value BLOB NOT NULL,
    stored INTEGER NOT NULL,
    PRIMARY KEY (old, new)
);
"""


def context(rules: DiffRules) -> str:
    """What the changes between two blobs depend on besides their bytes."""
    facts = [
        FORMAT,
        cache_files.code_digest(),
        sys.version_info[:2],
        marshal.version,
        sorted((k, list(v) if isinstance(v, tuple) else v) for k, v in rules.list_keys.items()),
        sorted((k, list(v)) for k, v in rules.successors.items()),
        list(rules.province_fields),
        rules.long_text,
    ]
    return cache_files.digest_of(facts)


def _encode(changes: tuple[Change, ...]) -> bytes | None:
    return cache_files.pack(
        tuple(
            (c.pointer, c.kind.value, c.old, c.new, c.remapped, c.words, c.sides) for c in changes
        )
    )


def _decode(value: bytes) -> tuple[Change, ...] | None:
    rows: Any = cache_files.unpack(value)
    try:
        return tuple(
            Change(pointer, ChangeKind(kind), old, new, remapped, words, sides=_sides(sides))
            for pointer, kind, old, new, remapped, words, sides in rows
        )
    except (ValueError, TypeError):  # not what `_encode` makes
        return None


def _sides(value: Any) -> tuple[str, str] | None:
    """`Change.sides` as `_encode` kept it (anything else: not known, judged as any place)."""
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return (value[0], value[1])
    return None


class ChangeCache(cache_files.CacheTable):
    """Changes by (old blob, new blob) for one set of diff rules (inert when off)."""

    def __init__(self, connection: sqlite3.Connection | None, context: str, words: bool) -> None:
        self._db = connection
        self._context = context
        self._words = words
        self._known: dict[tuple[str, str], tuple[Change, ...]] = {}
        self._pending: dict[tuple[str, str], bytes] = {}
        self._cleared = False
        self.size_hint = 0
        self._learnt = 0

    @classmethod
    def open(cls, settings: Settings, rules: DiffRules) -> ChangeCache:
        """The change cache of `settings.root` for `rules` (word diffs when `rules.words`)."""
        connection = cache_files.open_tables(settings.root, [("changes", _SCHEMA)])
        if connection is not None:
            return cls(connection, context(rules), rules.words)
        return cls(None, "", rules.words)

    def prefetch(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Look up these (old blob, new blob) pairs together (then `get` answers)."""
        if self._db is None:
            return
        wanted = [p for p in dict.fromkeys(pairs) if p[0] and p[1] and p not in self._known]
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ",".join("(?, ?)" for _ in chunk)
            try:
                rows = self._db.execute(
                    "SELECT old, new, words, value FROM changes WHERE context = ? AND "  # noqa: S608
                    f"(old, new) IN (VALUES {marks})",
                    (self._context, *(blob for pair in chunk for blob in pair)),
                ).fetchall()
            except sqlite3.Error:
                return
            for old, new, words, value in rows:
                if self._words and not words:
                    continue
                changes = _decode(value) if isinstance(value, bytes) else None
                if changes is None:
                    continue
                if not self._words:
                    changes = tuple(replace(c, words=()) if c.words else c for c in changes)
                self._known[(old, new)] = changes

    def get(self, old: str, new: str) -> tuple[Change, ...] | None:
        """The changes from blob `old` to blob `new`, when known (after `prefetch`)."""
        return self._known.pop((old, new), None)

    def put(self, old: str, new: str, changes: tuple[Change, ...]) -> None:
        """Keep the changes found from blob `old` to blob `new`."""
        if self._db is None or not old or not new:
            return
        value = _encode(changes)
        if value is None:
            return
        self._pending[(old, new)] = value
        self._learnt += 1
        if len(self._pending) >= FLUSH_EVERY:
            self._write()

    def _write(self, *, finish: bool = False) -> None:
        db = self._db
        if db is None or not (self._pending or finish and self._cleared):
            self._pending.clear()
            return
        stamp = time.time_ns()
        try:
            with cache_files.transaction(db):
                if not self._cleared:
                    db.execute("DELETE FROM changes WHERE context != ?", (self._context,))
                    self._cleared = True
                db.executemany(
                    "INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(old, new) DO "
                    "UPDATE SET context = excluded.context, words = excluded.words, value = "
                    "excluded.value, stored = excluded.stored WHERE changes.context != "
                    "excluded.context OR excluded.words > changes.words",
                    [
                        (old, new, self._context, int(self._words), value, stamp)
                        for (old, new), value in sorted(self._pending.items())
                    ],
                )
                if finish and self.size_hint:
                    limit = MAX_ENTRIES_FACTOR * max(self.size_hint, self._learnt) + MIN_ENTRIES
                    cache_files.drop_oldest(db, "changes", "rowid", limit)
        except sqlite3.Error:
            pass
        finally:
            self._pending.clear()
