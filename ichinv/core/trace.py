"""Counters of the costly steps of one run, for `ICHINV_TRACE=1` (printed on standard error at
the command's exit) and for tests that keep every command to one pass over the inventory.

What is counted, each under a name and by the file it concerns:

* `read`: a record file's bytes read from the working tree;
* `git-read`: a record's bytes read from a git object (a baseline, a commit);
* `parse`: a record's YAML parsed into data (the strict reader), by the blob id of its bytes
  (the same path at two revisions is two files);
* `locate`: a record parsed again for line and column numbers (only files with findings);
* `schema-load`: a schema file read and decoded, by path;
* `check`: a record judged by `check_file` (schema and record rules), by blob id;
* `compare`: a comparison of two states of the inventory;
* `record-cache`: records taken from the record cache instead of being parsed;
* `list-index`, `list-commit`: git's index, or a commit's files, listed;
* `row-cache`: elements whose packet row was recalled instead of made (ichinv.packets.row_cache).
* `contact-search`: a search of a record's texts for contacts (ichinv.inventory
  .contact_texts.no_contact), made as a record's bytes are first parsed or checked, and kept by
  the record cache for later runs, by the id of the record searched.

Counting is always on and costs a dictionary update; which files were counted is kept only
while tracing (`enabled()`), so an untraced run holds no list of paths.
"""

from __future__ import annotations

import os
from collections import Counter

_totals: Counter[str] = Counter()
_by_key: dict[str, Counter[str]] = {}
_tracing: bool | None = None

ORDER = (
    "read",
    "git-read",
    "parse",
    "locate",
    "schema-load",
    "check",
    "compare",
    "record-cache",
)
"""The counters in the order `report` prints them."""


def enabled() -> bool:
    """True when `ICHINV_TRACE` is set to a true value (read once per run, see `reset`)."""
    global _tracing
    if _tracing is None:
        value = os.environ.get("ICHINV_TRACE", "").strip().lower()
        _tracing = value not in ("", "0", "false", "no")
    return _tracing


def count(event: str, key: str = "", times: int = 1) -> None:
    """Count `times` occurrences of `event` (concerning `key`, e.g. a path)."""
    _totals[event] += times
    if key and enabled():
        _by_key.setdefault(event, Counter())[key] += times


def reset() -> None:
    """Start counting afresh (a command's start); `ICHINV_TRACE` is read again."""
    global _tracing
    _totals.clear()
    _by_key.clear()
    _tracing = None


Counts = tuple[dict[str, int], dict[str, dict[str, int]]]
"""What was counted: the totals, and (while tracing) the counts by key."""


def counts() -> Counts:
    """Everything counted so far (for a forked process to send to its parent)."""
    return dict(_totals), {event: dict(keyed) for event, keyed in _by_key.items()}


def reset_counts() -> None:
    """Count afresh from here, tracing or not as before (a forked process's start)."""
    _totals.clear()
    _by_key.clear()


def merge(counted: Counts) -> None:
    """Add what another process counted (`counts`) to this one's counts."""
    totals_, keyed = counted
    _totals.update(totals_)
    if enabled():
        for event, by_key in keyed.items():
            _by_key.setdefault(event, Counter()).update(by_key)


def totals() -> dict[str, int]:
    """Each counter's total so far."""
    return dict(_totals)


def most(event: str) -> int:
    """The highest count of `event` for any one key (0 when none was counted)."""
    keyed = _by_key.get(event)
    return max(keyed.values()) if keyed else 0


def report() -> str:
    """One line naming every counter, with the most any one file was counted where known:
    `trace: read=107 (max 1 per file) parse=107 (max 1 per file) schema-load=2 …`."""
    parts = []
    for event in (*ORDER, *sorted(set(_totals) - set(ORDER))):
        total = _totals.get(event, 0)
        part = f"{event}={total}"
        if total and event in _by_key:
            part += f" (max {most(event)} per file)"
        parts.append(part)
    return "trace: " + " ".join(parts)
