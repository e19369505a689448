"""Each element's status since a baseline, as a province packet shows it, kept between runs
for one state of the whole inventory.

Comparing a province's elements with the baseline takes about a tenth of a second at 10,000
records (the baseline's files listed and paired with the working tree's, the changes looked
up), and gives the same answer for as long as the baseline's commit and every record file stay
the same. So its answer, each element's status since the baseline (`revised`, `added, now
retired`), is kept in the inventory's cache database (ichinv.io.cache_files) under a key made
of everything it depends on: ichinv's code, the baseline's commit, the path and blob id of
every record file of the working tree, the elements asked about, the audience, the schemas and
the size limit. When any of them changes, the comparison is made afresh. So it is whenever
the working tree holds a record file that cannot be read or something in the records' folders
that is no record: what becomes of those is not told by blob ids. The newest KEPT answers are
kept; `ICHINV_NO_CACHE=1` leaves them alone.
"""

from __future__ import annotations

import hashlib
import marshal
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ichinv.core.errors import IchinvError
from ichinv.core.model import DiffResult, RecordKind
from ichinv.inventory.audience import Audience
from ichinv.inventory.snapshots import WorkingTreeSnapshot
from ichinv.io import cache_files
from ichinv.io.git import GitRepo
from ichinv.io.settings import Settings
from ichinv.packets.builder import Builder

FORMAT = 1
KEPT = 64
"""Answers kept, the newest: one for each province and audience is 40 in Kazakhstan (20
provinces), and room for the states a pull request goes through."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS since_statuses (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    stored INTEGER NOT NULL
);
"""


def key(b: Builder, name: str) -> str | None:
    """The key of the statuses since baseline `name` of the builder's elements, in the
    working tree as the builder read it; None when they are not to be kept (see above)."""
    tree = b.inventory.tree
    if tree is None:
        return None
    return key_for(
        b.settings,
        tree,
        name,
        b.comparisons.repo,
        b.audience,
        b.inventory.policy.key,
        b.inventory.by_id,
    )


def key_for(
    settings: Settings,
    tree: WorkingTreeSnapshot,
    name: str,
    repo: Callable[[], GitRepo],
    audience: Audience,
    policy: str,
    ids: Iterable[str],
) -> str | None:
    """`key` of the elements `ids` in `tree` for `audience` under the policy with key `policy`
    (`repo` opens the git repository, once the key needs it)."""
    if tree.problems or name not in settings.baselines:
        return None
    try:
        commit = repo().resolve(settings.baselines[name].rev, what="baseline")
    except IchinvError:
        return None  # the comparison says why
    digest = hashlib.sha256()
    for part in (
        f"since {FORMAT}",
        cache_files.code_digest(),
        f"{sys.version_info[:2]} {marshal.version}",
        commit,
        audience.value,
        policy,
        str(settings.max_file_size),
        *sorted(ids),
    ):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for kind in RecordKind:
        listed = tree.blobs(kind)
        if "" in listed.values():
            return None  # a file that cannot be read
        # The paths and then their blob ids, each ended by a NUL (which no path holds), after
        # how many there are: one listing gives one string (in 2 ms at 10,000 files).
        paths = sorted(listed)
        digest.update(f"{kind.value}\0{len(paths)}\0".encode())
        digest.update("".join(f"{p}\0" for p in paths).encode("utf-8", "surrogateescape"))
        digest.update("".join(f"{listed[p]}\0" for p in paths).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def recall(root: Path, at: str | None) -> dict[str, str] | None:
    """The statuses kept under key `at` (element id → status since, `revised`) in the cache
    database of the inventory at `root`, or None."""
    db = cache_files.open_table(root, "since_statuses", _SCHEMA) if at else None
    if db is None:
        return None
    try:
        row = db.execute("SELECT value FROM since_statuses WHERE key = ?", (at,)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        db.close()
    found = cache_files.unpack(row[0]) if row is not None else None
    if type(found) is not dict or not all(
        type(k) is str and type(v) is str for k, v in found.items()
    ):
        return None
    return found


def statuses_of(found: DiffResult) -> dict[str, str]:
    """Element id → its status since the baseline, as a comparison with it found."""
    return {e.id: e.status_now for e in found.elements}


def keep(root: Path, at: str | None, statuses: Mapping[str, str]) -> None:
    """Keep `statuses` under key `at` (nothing when None) in the cache database of the
    inventory at `root`, and the newest KEPT of them all."""
    db = cache_files.open_table(root, "since_statuses", _SCHEMA) if at else None
    packed = cache_files.pack(dict(statuses)) if db is not None else None
    if db is None or packed is None:
        return
    try:
        with cache_files.transaction(db):
            db.execute(
                "INSERT OR REPLACE INTO since_statuses VALUES (?, ?, ?)",
                (at, packed, time.time_ns()),
            )
            cache_files.drop_oldest(db, "since_statuses", "key", KEPT)
    except sqlite3.Error:
        pass  # another run held the database too long, or it is read-only: not kept
    finally:
        db.close()
