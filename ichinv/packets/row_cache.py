"""What the public's packets show of each element, kept between runs by its record's blob id.

A province packet of 1,200 elements makes, for each, the public view of its record and its row
(name, domains, viability, consent, status, date of entry in the packet's language): about
80 µs an element, most of the packet's own time. What one element shows depends only on its
record's bytes and on what this cache's *context* holds: ichinv's code, the policy of the
schemas (what is personal data, the records' shape), whether records may leave restricted
parts to the overlay (Settings.overlay_may_hold: their public views then hold placeholders for
them) and the labels of the language. So it is kept here under the blob id, for that context; a record, a
schema, a translation or ichinv's code that changes is looked at afresh.

Only the public's rows are kept: they are made from the public view (ichinv.inventory.audience
decides it, as for any packet), and hold nothing a public packet does not print. The
committee's rows, which the private overlay feeds, are never kept. Entries live in the
inventory's cache database (ichinv.io.cache_files); an entry that is not what `_encode`
makes is ignored; `ICHINV_NO_CACHE=1` leaves it alone. At most MAX_ENTRIES_FACTOR entries a
record file of the inventory are kept (one a language, and room), oldest dropped first.
"""

from __future__ import annotations

import marshal
import sqlite3
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ichinv.inventory.audience import Why, Withheld
from ichinv.io import cache_files
from ichinv.io.settings import Settings
from ichinv.packets.models import ElementRow
from ichinv.render.markdown.escape import Md
from ichinv.render.markdown.labels import Labels

FORMAT = 1
"""Version of the table and of the entry encoding; part of the context."""

MAX_ENTRIES_FACTOR = 4
MIN_ENTRIES = 1000
CHUNK = 400

_SCHEMA = """
CREATE TABLE IF NOT EXISTS packet_rows (
    blob TEXT NOT NULL,
    context TEXT NOT NULL,
    value BLOB NOT NULL,
    stored INTEGER NOT NULL,
    PRIMARY KEY (blob, context)
) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class Shows:
    """What a packet shows of one element to the public (and counts of it), whatever the
    province: made from the public view of its record."""

    eid: str
    row: ElementRow
    """Its row, but its status since a baseline (that needs a comparison)."""
    status: str | None
    domains: tuple[str, ...]
    """Its domains as the view has them (a `Withheld` where withheld)."""
    viability: str
    """Its viability for counting: the value, `withheld` or `unknown`."""
    progress: Md | None
    """The element as a province's progress lists it (new since the revision began and
    active), None when it is not listed."""
    provinces: tuple[str, ...]
    """The provinces the public view names (a `Withheld` where withheld)."""


def context(settings: Settings, policy_key: str, labels: Labels) -> str:
    """What an element's `Shows` depends on besides its record's bytes."""
    facts = [
        FORMAT,
        cache_files.code_digest(),
        sys.version_info[:2],
        marshal.version,
        policy_key,
        settings.visibility,
        settings.overlay_may_hold,
        labels.digest(),
    ]
    return cache_files.digest_of(facts)


_ROW = ("id", "name", "domains", "viability", "consent", "status", "since", "entered")
"""The text fields of ElementRow, in the order an entry holds them (then `new`)."""


def _encode(shows: Shows) -> bytes | None:
    if shows.status is not None and type(shows.status) is not str:
        return None
    return cache_files.pack(
        (
            shows.eid,
            tuple(str(getattr(shows.row, name)) for name in _ROW),
            shows.row.new,
            shows.status,
            tuple(_item(d) for d in shows.domains),
            str(shows.viability),
            None if shows.progress is None else str(shows.progress),
            tuple(_item(p) for p in shows.provinces),
        )
    )


def _item(text: str) -> str | tuple[str, str | None]:
    """An item of a list the view holds: text, or why and the reason where it is withheld."""
    return (text.why.value, text.reason) if isinstance(text, Withheld) else str(text)


def _items(found: Any) -> tuple[str, ...] | None:
    """The items `_item` made, as the view held them (None when they are not what it makes)."""
    if type(found) is not tuple:
        return None
    items: list[str] = []
    for item in found:
        if type(item) is str:
            items.append(item)
        elif (
            type(item) is tuple
            and len(item) == 2
            and item[0] in _WHYS
            and (item[1] is None or type(item[1]) is str)
        ):
            items.append(Withheld(Why(item[0]), item[1]))
        else:
            return None
    return tuple(items)


_WHYS = frozenset(why.value for why in Why)


def _texts(found: Any) -> bool:
    return type(found) is tuple and all(type(item) is str for item in found)


def _decode(value: bytes, eid: str) -> Shows | None:
    """The `Shows` of element `eid` in `value`; None when the entry is not what `_encode`
    makes, or is another element's."""
    found: Any = cache_files.unpack(value)
    if type(found) is not tuple or len(found) != 8:
        return None
    name, row, new, status, listed, viability, progress, places = found
    domains, provinces = _items(listed), _items(places)
    if (
        name != eid
        or not _texts(row)
        or len(row) != len(_ROW)
        or type(new) is not bool
        or not (status is None or type(status) is str)
        or domains is None
        or type(viability) is not str
        or not (progress is None or type(progress) is str)
        or provinces is None
    ):
        return None
    fields = dict(zip(_ROW, (Md(text) for text in row), strict=True))
    return Shows(
        eid,
        ElementRow(**fields, new=new),
        status,
        domains,
        viability,
        None if progress is None else Md(progress),
        provinces,
    )


class RowCache(cache_files.CacheTable):
    """The public's `Shows` of elements by blob id, for one context (inert when off)."""

    def __init__(self, connection: sqlite3.Connection | None, context: str) -> None:
        self._db = connection
        self._context = context
        self._pending: dict[str, bytes] = {}
        self.size_hint = 0
        """Record files of the inventory (the caller says): bounds what is kept."""

    @classmethod
    def open(cls, settings: Settings, context: str) -> RowCache:
        """The row cache of `settings.root` for `context`; an inert one when caching is off or
        the database cannot be used."""
        connection = (
            cache_files.open_table(settings.root, "packet_rows", _SCHEMA) if context else None
        )
        return cls(connection, context if connection is not None else "")

    def get(self, wanted: Iterable[tuple[str, str]]) -> dict[str, Shows]:
        """The kept `Shows` of these (element id, blob id) pairs, by element id, where known."""
        if self._db is None:
            return {}
        by_blob: dict[str, list[str]] = {}
        for eid, blob in wanted:
            if blob:
                by_blob.setdefault(blob, []).append(eid)
        blobs = list(by_blob)
        found: dict[str, Shows] = {}
        for start in range(0, len(blobs), CHUNK):
            chunk = blobs[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self._db.execute(
                    "SELECT blob, value FROM packet_rows WHERE context = ? AND "  # noqa: S608
                    f"blob IN ({marks})",
                    (self._context, *chunk),
                ).fetchall()
            except sqlite3.Error:
                return found
            for blob, value in rows:
                for eid in by_blob.get(blob, ()):
                    shows = _decode(value, eid) if isinstance(value, bytes) else None
                    if shows is not None:
                        found[eid] = shows
        return found

    def put(self, blob: str, shows: Shows) -> None:
        """Keep what the public is shown of the element whose record has blob id `blob`."""
        if self._db is None or not blob:
            return
        value = _encode(shows)
        if value is not None:
            self._pending[blob] = value

    def _write(self, *, finish: bool = False) -> None:
        db = self._db
        if db is None or not self._pending:
            self._pending.clear()
            return
        stamp = time.time_ns()
        try:
            with cache_files.transaction(db):
                db.executemany(
                    "INSERT OR REPLACE INTO packet_rows VALUES (?, ?, ?, ?)",
                    [(blob, self._context, value, stamp) for blob, value in self._pending.items()],
                )
                limit = MAX_ENTRIES_FACTOR * max(self.size_hint, len(self._pending)) + MIN_ENTRIES
                cache_files.drop_oldest(db, "packet_rows", "blob, context", limit, order="blob")
        except sqlite3.Error:
            pass  # another run held the database too long, or it is read-only: not kept
        finally:
            self._pending.clear()
