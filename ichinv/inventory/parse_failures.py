"""Why the bytes of a record file could not be parsed, kept in the record cache by blob id:
a file that does not parse is not read and parsed again by the next run while its bytes are
the same (a packet of one province named the same defective files, parsing each, every run).

Kept as one whole of the record cache (ichinv.inventory.record_cache) per language and state of
its translations, since the reasons are messages in the language of the run that found them;
the newest FAILURES_KEPT.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, Protocol

from ichinv.core import i18n, trace
from ichinv.core.model import Finding
from ichinv.inventory.record_entries import Failure, decode_failure, encode_failure
from ichinv.inventory.record_files import blob_id

FAILURES_KEPT = 4096
"""Reasons kept (the newest), in each language."""


class Wholes(Protocol):
    """Where the reasons are kept (a RecordCache)."""

    @property
    def active(self) -> bool: ...
    def whole(self, key: str) -> Any: ...
    def put_whole(self, key: str, value: Any) -> None: ...


class ParseFailures:
    """The reasons of one run's record cache (read when first asked for)."""

    def __init__(self, store: Wholes) -> None:
        self._store = store
        self._known: dict[str, Failure] | None = None
        self._changed = False
        self._key = ""

    def of(self, blobs: Mapping[str, str]) -> dict[str, Finding]:
        """Why the files at these paths (path → blob id) could not be parsed, where an earlier
        run found it for the same bytes in the language of this one."""
        known = self._read()
        found = {
            path: reason
            for path, blob in blobs.items()
            if blob in known and (reason := decode_failure(path, known[blob])) is not None
        }
        if found:
            trace.count("record-cache", times=len(found))
        return found

    def keep(self, raw: bytes, reason: Finding) -> None:
        """Keep why the bytes `raw` could not be parsed, under their blob id (of the bytes
        read: a listing's may be older); not when the reason names its file, since another
        file may hold the same bytes."""
        failure = encode_failure(reason)
        if not self._store.active or failure is None:
            return
        blob = blob_id(raw)
        known = self._read()
        if known.get(blob) == failure:
            return
        known.pop(blob, None)
        known[blob] = failure  # the newest last
        while len(known) > FAILURES_KEPT:
            del known[next(iter(known))]
        self._changed = True

    def flush(self) -> None:
        """Hand what this run learnt to the store (once, when the cache closes: a run that
        finds thousands of defective files encodes the reasons once, not once each)."""
        if self._changed and self._known is not None:
            self._store.put_whole(self._key, self._known)
            self._changed = False

    def _read(self) -> dict[str, Failure]:
        if self._known is None:
            self._key = _key()  # once: the table read is the table written back
            found = self._store.whole(self._key) if self._store.active else None
            self._known = found if type(found) is dict else {}
        return self._known


def _key() -> str:
    """The reasons' key: the run's language and the digest of its translations (reasons are
    messages: a translation edited, the reasons are found afresh)."""
    lang = i18n.current()
    try:
        digest = hashlib.sha256(i18n.catalogue_path(lang).read_bytes()).hexdigest()
    except OSError:  # English, the language of the source: no catalogue
        digest = ""
    return f"failures {lang} {digest}"
