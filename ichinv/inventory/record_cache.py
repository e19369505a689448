"""Parsed records kept between runs by git blob id: bytes parsed once are not parsed again.

Parsing a record's YAML costs about 0.6 ms; reading the same data back from this cache (in
Python's `marshal` format, which gives back exactly the types the reader made: ~30 µs a
record, JSON ~40 µs) a twentieth of that. So a record whose bytes have not changed since any
earlier run (`list`, `show`, a packet, either side of a diff) is taken from here, and a file
git vouches is unmodified is then not even read. Next to the data, each entry keeps what a
quick look at the bytes finds (the `id:` and `status:` lines, ichinv.inventory.quick_read),
so that a diff can name the records it does not parse, the record's *outline* (its id
and provinces), so that a packet of one province decodes only the records practised there,
and what a search of its texts for contacts found when it found none (NoContact, made as the
bytes were first parsed or checked), so that a public view of the record need not search them
again (ichinv.inventory.contact_texts).

Beside the entries, *notes* (ichinv.inventory.blob_notes): each record file's blob id with the
signature (size, times, inode) it had when its bytes were read. And *wholes*:
what a run learnt of a whole state at once, for the next run in the same state: a commit's
record files (ichinv.inventory.commit_files) and the outlines of the last listing (one row,
not 10,000 lookups); the `WHOLES_KEPT` of the context written or used last are kept.

Entries are keyed by blob id alone and belong to a *context* (ichinv's code, PyYAML, the
settings' size limit, the Python version, FORMAT): parsing is the same for every path and
every day. They live in the inventory's cache database (ichinv.io.cache_files), next to the
verdicts of `validate`; `ICHINV_NO_CACHE=1` leaves them alone. Of a file that does not parse,
only why is kept (ichinv.inventory.parse_failures); the number of entries is bounded by
the size of the latest run, those stored or used longest ago dropped first (STAMP_AFTER_NS).
`validate` fills it as it checks (its workers encode what they parsed), so the commands after
it find every record here.
"""

from __future__ import annotations

import gc
import marshal
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from ichinv.core import trace
from ichinv.core.model import Finding, NoContact, Record, RecordKind
from ichinv.inventory import blob_notes, record_uses
from ichinv.inventory import record_files as records
from ichinv.inventory.blob_notes import BlobNotes
from ichinv.inventory.contact_texts import with_search
from ichinv.inventory.parse_failures import ParseFailures
from ichinv.inventory.record_entries import (
    Facts,
    Outline,
    decode,
    decode_outline,
    encode,
    encode_outline,
    facts_of,
    is_outline,
)
from ichinv.inventory.record_uses import STORED
from ichinv.io import cache_files
from ichinv.io.settings import Settings

FORMAT = 4
"""Version of the table and of the entry encoding; part of the context."""

FLUSH_EVERY = 500
"""Entries written together (each write is one short transaction): memory stays flat, and
what is left to write when a cold `validate`'s workers are done is small (the last of 10,000
records took 0.08 s to write with 2,000 a write, 0.02 s with these; a transaction in
write-ahead mode costs no flush to disk)."""

MAX_ENTRIES_FACTOR = 3
MIN_ENTRIES = 1000
"""Entries kept: this many times the record files of the latest run, plus MIN_ENTRIES; the
oldest go first, one read STAMP_AFTER_NS after it was stored counting as new (record_uses)."""
STAMP_AFTER_NS = 600 * 10**9
CHUNK = 500
"""Blob ids asked for in one query."""

SCAN_FROM = 5000
"""Blob ids beyond which the table is read in one pass (their outlines kept as one whole)."""
OUTLINES = "outlines"

WHOLES_KEPT = 8
"""Wholes kept (those written or used last): a few baselines and states of the working tree."""

_OUTLINE, _DATA, _NO_CONTACT = 2, 3, 4
"""Slots of an entry learnt in this run (RecordCache._pending) holding the outline, the data and
the fields outside which its texts hold no contact."""

V = TypeVar("V")

_Entry = tuple[str | None, str | None, bytes | None, bytes | None, bytes | None]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    blob TEXT PRIMARY KEY,
    context TEXT NOT NULL,
    quick_id TEXT,
    quick_status TEXT,
    outline BLOB,
    data BLOB,
    no_contact BLOB,
    stored INTEGER NOT NULL
);
"""

_WHOLES = """
CREATE TABLE IF NOT EXISTS wholes (
    key TEXT PRIMARY KEY,
    context TEXT NOT NULL,
    value BLOB NOT NULL,
    stored INTEGER NOT NULL
);
"""


class RecordCache(cache_files.CacheTable):
    """The parsed records of one inventory, by blob id (inert when it cannot be used)."""

    def __init__(self, connection: sqlite3.Connection | None, context: str) -> None:
        self._db = connection
        self._context = context
        self._pending: dict[str, _Entry] = {}
        """Blob → (quick id, quick status, outline, data, no contact) learnt in this run, not
        written yet (slots _OUTLINE, _DATA, _NO_CONTACT)."""
        self._cleared = False
        self.size_hint = 0
        """Record files of this run (the caller says): bounds what is kept."""
        self._learnt = 0
        """Entries learnt in this run: never fewer are kept."""
        self._stale: set[str] = set()  # entries read STAMP_AFTER_NS after they were stored
        self._wholes: dict[str, bytes] = {}
        """Wholes learnt in this run, not written yet (by key)."""
        self._wholes_read: set[str] = set()
        """Keys of the wholes read in this run: kept as new when new ones are written."""
        self.blob_notes = BlobNotes(connection)
        """The notes of blob ids by their files' signatures (ichinv.inventory.blob_notes)."""
        self._shapes: dict[str, Outline] = {}
        """Outlines given to `put_encoded` (for `keep_outlines`)."""
        self.failures = ParseFailures(self)
        """Why bytes could not be parsed, by blob id (ichinv.inventory.parse_failures)."""

    @classmethod
    def open(cls, settings: Settings) -> RecordCache:
        """The record cache of `settings.root`; an inert one when caching is off or the
        database cannot be used."""
        if cache_files.disabled():
            return cls.inert(settings)
        tables = [("records", _SCHEMA), ("wholes", _WHOLES), ("blobs", blob_notes.SCHEMA)]
        uses = ("record_uses", record_uses.SCHEMA)
        return cls(cache_files.open_tables(settings.root, [*tables, uses]), cls.context(settings))

    @classmethod
    def inert(cls, settings: Settings) -> RecordCache:
        """A record cache that keeps nothing (caching is off)."""
        return cls(None, "")

    @staticmethod
    def context(settings: Settings) -> str:
        """What a parsed record depends on besides its bytes."""
        yaml = cache_files.library_stamp("yaml")
        facts = [FORMAT, cache_files.code_digest(), yaml, settings.max_file_size]
        return cache_files.digest_of([*facts, sys.version_info[:2], marshal.version])

    @property
    def active(self) -> bool:
        return self._db is not None

    # --- reading -------------------------------------------------------------------------------

    def _rows(
        self, columns: str, blobs: Iterable[str], extra: str = ""
    ) -> Iterable[tuple[Any, ...]]:
        if self._db is None:
            return
        wanted = [b for b in dict.fromkeys(blobs) if b]
        if len(wanted) > SCAN_FROM:
            # Most of the inventory: one pass over the table beats thousands of lookups.
            keep = set(wanted)
            try:
                for row in self._db.execute(
                    f"SELECT blob, {columns} FROM records WHERE context = ?{extra}",  # noqa: S608
                    (self._context,),
                ):
                    if row[0] in keep:
                        yield row
            except sqlite3.Error:
                return
            return
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            try:
                yield from self._db.execute(
                    f"SELECT blob, {columns} FROM records WHERE context = ? AND blob IN "  # noqa: S608
                    f"({marks}){extra}",
                    (self._context, *chunk),
                )
            except sqlite3.Error:
                return

    def data(self, blobs: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The parsed data of the records whose bytes have these blob ids, where known."""
        found = self._decoded(blobs, (_DATA,), ("data",), decode)
        if found:
            trace.count("record-cache", times=len(found))
        return found

    def entries(self, blobs: Iterable[str]) -> dict[str, tuple[dict[str, Any], NoContact | None]]:
        """`data`, each with what the latest search of its texts found when it found no contact
        (`validate`'s, or one made as the bytes were parsed: NoContact; None when not
        known)."""
        found = self._decoded(blobs, (_DATA, _NO_CONTACT), ("data", "no_contact"), _decode_entry)
        if found:
            trace.count("record-cache", times=len(found))
        return found

    def outlines(self, blobs: Iterable[str], listing: str = "") -> dict[str, Outline]:
        """The outlines of the records with these blob ids, where known (only records that
        parsed have one). Asked for most of an inventory, they are kept as one whole per
        `listing` (the working tree, a commit), with those asked for before up to twice as
        many (a tree switched between branches): the next run looks up only those it lacks."""
        wanted = [b for b in dict.fromkeys(blobs) if b]
        if len(wanted) <= SCAN_FROM or self._db is None:
            return self._decoded(wanted, (_OUTLINE,), ("outline",), decode_outline)
        key = f"{OUTLINES} {listing}"
        whole = self.whole(key)
        kept: dict[str, Any] = whole if type(whole) is dict else {}
        found: dict[str, Outline] = {b: o for b in wanted if is_outline(o := kept.get(b))}
        missing = [b for b in wanted if b not in found]
        more = self._decoded(missing, (_OUTLINE,), ("outline",), decode_outline)
        if more:  # something new to keep (a damaged outline of the whole is replaced too)
            found.update(more)
            sound = {b: o for b, o in kept.items() if b not in more and is_outline(o)}
            self.put_whole(key, sound | found if len(sound) < 2 * len(wanted) else found)
        return found

    def whole(self, key: str) -> Any:
        """What `put_whole` kept under `key` in this context (None when nothing is, or what
        is cannot be decoded)."""
        value = self._wholes.get(key)
        if value is None and self._db is not None:
            try:
                row = self._db.execute(
                    "SELECT value FROM wholes WHERE key = ? AND context = ?", (key, self._context)
                ).fetchone()
            except sqlite3.Error:
                row = None
            value = row[0] if row is not None and isinstance(row[0], bytes) else None
            if value is not None:
                self._wholes_read.add(key)
        if value is None:
            return None
        enabled = gc.isenabled()
        gc.disable()  # thousands of small containers: as `_decoded`
        try:
            return cache_files.unpack(value)
        finally:
            if enabled:
                gc.enable()

    def keep_outlines(self, listing: str) -> None:
        """Keep the outlines `put_encoded` was given, of most of an inventory (a cold
        `validate`), as `outlines` keeps those of `listing`: one entry for the next to read."""
        if len(self._shapes) > SCAN_FROM:
            self.put_whole(f"{OUTLINES} {listing}", self._shapes)

    def put_whole(self, key: str, value: Any) -> None:
        """Keep `value` (made of what marshal keeps) under `key`, written when the cache
        closes."""
        packed = cache_files.pack(value) if self._db is not None else None
        if packed is not None:
            self._wholes[key] = packed

    def _decoded(
        self,
        blobs: Iterable[str],
        slots: tuple[int, ...],
        columns: tuple[str, ...],
        decoder: Callable[..., V | None],
    ) -> dict[str, V]:
        """What `decoder` makes of the `columns` of these blobs (`slots` of an entry learnt in
        this run, not written yet), where known and sound: the first is never null."""
        found: dict[str, V] = {}
        wanted = [b for b in dict.fromkeys(blobs) if b]
        for blob in wanted:
            entry = self._pending.get(blob)
            values = [entry[slot] for slot in slots] if entry is not None else [None]
            made = decoder(*values) if isinstance(values[0], bytes) else None
            if made is not None:
                found[blob] = made
        rest = [b for b in wanted if b not in found]
        # Thousands of records decoded at once are kept: the cyclic collector would scan them
        # again and again for cycles they cannot have (a third of the time, measured).
        enabled = gc.isenabled()
        gc.disable()
        try:
            for blob, *values, stored in self._rows(
                f"{', '.join(columns)}, {STORED}", rest, f" AND {columns[0]} IS NOT NULL"
            ):
                made = decoder(*values) if isinstance(values[0], bytes) else None
                if made is not None:
                    found[blob] = made
                    self._note_use(blob, stored)
        finally:
            if enabled:
                gc.enable()
        return found

    def facts(self, blobs: Iterable[str]) -> dict[str, Facts]:
        """What the `id:` and `status:` lines of these blobs say, where known."""
        wanted = [b for b in dict.fromkeys(blobs) if b]
        found: dict[str, Facts] = {b: self._pending[b][:2] for b in wanted if b in self._pending}
        rest = [b for b in wanted if b not in found]
        for blob, qid, status, stored in self._rows(f"quick_id, quick_status, {STORED}", rest):
            found[blob] = (qid, status)
            self._note_use(blob, stored)
        return found

    def _note_use(self, blob: str, stored: Any) -> None:
        if type(stored) is not int or stored < time.time_ns() - STAMP_AFTER_NS:
            self._stale.add(blob)

    def parse(self, kind: RecordKind, rel: str, raw: bytes) -> Record | Finding:
        """The record in the bytes `raw` of the file `rel`: from this cache when it knows them,
        else parsed (and kept here)."""
        blob = records.blob_id(raw)
        known = self.entries([blob]).get(blob)
        if known is not None:
            return Record(kind, rel, known[0], blob, known[1])
        return self.parse_unknown(kind, rel, raw)

    def parse_unknown(self, kind: RecordKind, rel: str, raw: bytes) -> Record | Finding:
        """The record in the bytes `raw` of the file `rel`, which this cache does not know:
        parsed, its texts searched for contacts (ichinv.inventory.contact_texts.with_search),
        and kept here."""
        parsed = records.parse(kind, rel, raw)
        if isinstance(parsed, Finding):
            return parsed
        record = with_search(parsed[0])
        self.put(record.blob, raw, record.data, record.no_contact)
        return record

    # --- writing -------------------------------------------------------------------------------

    def put(
        self,
        blob: str,
        raw: bytes,
        data: Mapping[str, Any] | None = None,
        found: NoContact | None = None,
    ) -> None:
        """Keep what the bytes `raw` (blob id `blob`) say, and their parsed `data` if given
        (with what a search of its texts `found`, ichinv.inventory.contact_texts.with_search)."""
        if self._db is None or not blob:
            return
        if data is None:
            self.put_encoded(blob, facts_of(raw), None)
        else:
            around = found.kept_around() if found is not None and found.data is data else None
            encoded = (encode(data), encode_outline(data))
            self.put_encoded(blob, facts_of(raw), *encoded, no_contact=around)

    def put_encoded(
        self,
        blob: str,
        facts: Facts,
        value: bytes | None,
        outline: bytes | None = None,
        shape: Outline | None = None,
        no_contact: tuple[str, ...] | None = None,
    ) -> None:
        """Keep `facts` of a blob and its data and outline as `encode` and `encode_outline`
        gave them (made elsewhere: a worker process); `shape`: the outline itself;
        `no_contact`: the fields outside which the texts of the data hold no contact, when
        a search found none (ichinv.inventory.contact_texts.no_contact)."""
        if self._db is None or not blob:
            return
        if shape is not None:
            self._shapes[blob] = shape
        known = self._pending.get(blob)
        if known is not None and known[_DATA] is not None and value is None:
            return
        searched = None
        if value is not None:
            searched = cache_files.pack(list(no_contact)) if no_contact is not None else None
            earlier = known[_NO_CONTACT] if known is not None else None
            if searched is None and isinstance(earlier, bytes):
                searched = earlier  # the same bytes: what was found of them stands
        self._pending[blob] = (*facts, outline if value is not None else None, value, searched)
        self._learnt += 1
        if len(self._pending) >= FLUSH_EVERY:
            self._write()

    def _write(self, *, finish: bool = False) -> None:
        if finish:
            self.failures.flush()
            self._write_wholes()
        if self._db is None or not (self._pending or finish and self._cleared):
            self._pending.clear()
            return
        db = self._db
        stamp = time.time_ns()
        try:
            with cache_files.transaction(db):
                if not self._cleared:
                    gone = db.execute("DELETE FROM records WHERE context != ?", (self._context,))
                    if gone.rowcount:
                        record_uses.forget_dropped(db)
                    self._cleared = True
                db.executemany(
                    "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(blob) "
                    "DO UPDATE SET context = excluded.context, quick_id = excluded.quick_id, "
                    "quick_status = excluded.quick_status, outline = excluded.outline, "
                    "data = excluded.data, no_contact = excluded.no_contact, "
                    "stored = excluded.stored "
                    "WHERE records.context != excluded.context "
                    "OR (records.data IS NULL AND excluded.data IS NOT NULL) "
                    # The latest search stands (validate's, around the schema's fields of
                    # personal data, after one made as another command parsed the bytes).
                    "OR (excluded.no_contact IS NOT NULL "
                    "AND records.no_contact IS NOT excluded.no_contact)",
                    [
                        (blob, self._context, *entry, stamp)
                        for blob, entry in sorted(self._pending.items())
                    ],
                )
                if finish and self.size_hint:  # only a run that knows the inventory's size
                    self._prune()
        except sqlite3.Error:
            pass  # another run held the database too long, or it is read-only: not kept
        finally:
            self._pending.clear()

    def _write_wholes(self) -> None:
        """Write the notes, wholes and uses learnt in this run, and drop the wholes beyond
        `WHOLES_KEPT` (and of other contexts) and the oldest notes beyond the bound of
        entries; when the database cannot take them, they are not kept."""
        if self._db is None or not (self._wholes or self.blob_notes.learnt or self._stale):
            return
        db = self._db
        stamp = time.time_ns()
        try:
            with cache_files.transaction(db):
                db.executemany(
                    "INSERT OR REPLACE INTO wholes VALUES (?, ?, ?, ?)",
                    [(key, self._context, value, stamp) for key, value in self._wholes.items()],
                )
                # Those this run used count as new: a baseline's listing or the reasons files
                # do not parse, read by every run, outlive the listings of passing states.
                db.executemany(
                    "UPDATE wholes SET stored = ? WHERE key = ? AND context = ?",
                    [(stamp, key, self._context) for key in sorted(self._wholes_read)],
                )
                record_uses.note(db, self._stale, stamp)
                db.execute(
                    "DELETE FROM wholes WHERE context != ? OR key NOT IN (SELECT key FROM "
                    "wholes WHERE context = ? ORDER BY stored DESC, key LIMIT ?)",
                    (self._context, self._context, WHOLES_KEPT),
                )
                # Only a run that knows the inventory's size bounds them.
                limit = MAX_ENTRIES_FACTOR * self.size_hint + MIN_ENTRIES if self.size_hint else 0
                self.blob_notes.write(db, stamp, limit)
        except sqlite3.Error:
            pass  # another run held the database too long, or it is read-only: not kept
        finally:
            self._wholes.clear()
            self._wholes_read.clear()
            self.blob_notes.learnt.clear()
            self._stale.clear()

    def _prune(self) -> None:
        assert self._db is not None
        limit = MAX_ENTRIES_FACTOR * max(self.size_hint, self._learnt) + MIN_ENTRIES
        record_uses.drop_oldest(self._db, limit)


def _decode_entry(value: bytes, searched: Any) -> tuple[dict[str, Any], NoContact | None] | None:
    """A record's data (None when damaged), with what a search of its texts found (None when
    nothing is known, or the entry is not what `put_encoded` makes)."""
    data = decode(value)
    if data is None:
        return None
    around = cache_files.unpack(searched) if isinstance(searched, bytes) else None
    if type(around) is not list or not all(type(key) is str for key in around):
        return data, None
    fields = _AROUNDS.setdefault(tuple(around), frozenset(around))  # a few for thousands
    return data, NoContact(data, fields)


_AROUNDS: dict[tuple[str, ...], frozenset[str]] = {}
"""The fields searches left out, one set for each that entries name."""
