"""Compiled templates kept between runs: the Python code Jinja makes of each packet or site
template, in the cache database of the inventory (ichinv.io.cache_files), so that a run does
not compile its templates again (about 30 ms of a province packet's 0.5 s at 10,000 records).

Kept code is used only for the template source it was made from (Jinja compares a checksum of
the source with the one kept beside the code) and only in the context it was made in: ichinv's
own code (the sandboxes rewrite every template as they compile it), Jinja's and Python's. Bytes
that do not check out (cache_files.unpack) are compiled again, never run. A run that cannot
use the database compiles as before.

Kept code is run, so it is taken only from a database that no one but this user (and the
administrator) can have written or put in its place (ichinv.io.cache_trust, checked
before the database is opened): elsewhere, and on systems without user ids, every template is
compiled. Jinja runs almost nothing of a template as it compiles it (the sandboxes see to it:
only the expression of an `{% autoescape %}` tag, which the code works out again as it runs),
so the code does not depend on the labels or on what a render has spent of its budget; the
labels are part of the context all the same. Code beyond MAX_CODE bytes is not kept.

Code compiled in this process is also kept in memory (`_HERE`, while caching is on), for
another renderer of the same kind over the same template source: a process that renders the
packets or pages of several inventories, or of the same one again (a test suite's thousands
of runs), compiles each template once. It is placed at the file of the template that asks for
it (Jinja names the template's file in its code, for tracebacks), and kept in the database of
that inventory too, as code compiled there would be.
"""

from __future__ import annotations

import marshal
import sqlite3
import sys
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from pathlib import Path
from types import CodeType

import jinja2
from jinja2.bccache import Bucket

from ichinv.io import cache_files, cache_trust

FORMAT = 1
"""Version of the table; part of the context."""

MAX_ENTRIES = 200
"""Templates kept (the packets and the site have about forty)."""

MAX_CODE = 1 << 20
"""Bytes of code kept for one template (the largest of ichinv's own makes about 30,000)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS template_code (
    key TEXT NOT NULL,
    context TEXT NOT NULL,
    checksum TEXT NOT NULL,
    code BLOB NOT NULL,
    stored INTEGER NOT NULL,
    PRIMARY KEY (key, context)
)
"""


_Kept = tuple[CodeType, tuple[str, ...] | None]
"""A template's code, and the templates it imports or includes by name when known (what the
sandbox notes as it parses one: `BoundedSandbox.referenced`, which `prepare` follows)."""

_HERE: OrderedDict[tuple[Hashable, ...], _Kept] = OrderedDict()
"""Code compiled in this process (or taken from a database), by `_here_key` (at most
MAX_ENTRIES, the least recently used let go first)."""
_HERE_LOCK = threading.Lock()


def _here_key(
    environment: jinja2.Environment, variant: str, name: str, checksum: str
) -> tuple[Hashable, ...]:
    """What the code of a template depends on within one process: the kind of environment and
    its settings that change the code Jinja writes (with the names of its filters and tests,
    which Jinja checks as it compiles), the variant, the template's name (Jinja writes it into
    the code) and its source (by checksum)."""
    settings = (
        type(environment),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.finalize is not None,
        environment.autoescape,
        environment.is_async,
        tuple(sorted(environment.extensions)),
        tuple(sorted(environment.filters)),
        tuple(sorted(environment.tests)),
    )
    return (settings, variant, name, checksum)


def _keep_here(here: tuple[Hashable, ...], kept: _Kept) -> None:
    """Keep `kept` in `_HERE` under `here`, as the most recently used; code beyond MAX_CODE
    bytes is not kept (a template of a megabyte can make 15 MB of code)."""
    with _HERE_LOCK:
        if here not in _HERE and len(marshal.dumps(kept[0])) > MAX_CODE:
            return
        _HERE[here] = kept
        _HERE.move_to_end(here)
        while len(_HERE) > MAX_ENTRIES:
            _HERE.popitem(last=False)


def _placed(code: CodeType, filename: str) -> CodeType:
    """`code` (and the code of the functions it defines) as compiled from the file `filename`."""
    if code.co_filename == filename:
        return code
    consts = tuple(_placed(c, filename) if type(c) is CodeType else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def _context(variant: str) -> str:
    facts = [
        FORMAT,
        variant,
        cache_files.code_digest(),
        cache_files.library_stamp("jinja2"),
        sys.version,
    ]
    return cache_files.digest_of(facts)


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache, kept in the cache database of the inventory at `root` (opened
    when a template is first looked up; inert when caching is off or the database cannot be
    used), for environments of one `variant` (what their filters depend on: the labels of the
    language; the code should not, see above, but were a Jinja version to run a filter as it
    compiles, the code would differ by language)."""

    def __init__(self, root: Path, variant: str = "") -> None:
        self._root = root
        self._variant = variant
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self._context = ""
        self._compiling: dict[tuple[str, str], tuple[tuple[Hashable, ...], str]] = {}
        """What `_HERE` will keep the code of a template under, and the template's name, by
        bucket key and source checksum, as Jinja compiles it."""

    def _connection(self) -> sqlite3.Connection | None:
        if not self._opened:
            self._opened = True
            # Kept code is run: only from a database that no one else can have written (the
            # connection checks it: ichinv.io.cache_trust), never where that cannot be told.
            if cache_trust.owners_known():
                self._db = cache_files.open_table(
                    self._root, "template_code", _SCHEMA, any_thread=True
                )
            if self._db is not None:
                self._context = _context(self._variant)
                # Closed when this cache is collected, in whichever thread collects it (a
                # connection tied to its thread raised there, and the error was printed).
                weakref.finalize(self, self._db.close)
        return self._db

    def get_bucket(
        self,
        environment: jinja2.Environment,
        name: str,
        filename: str | None,
        source: str,
    ) -> Bucket:
        """Jinja's bucket for the template `name`, with its code from the database, else with
        the code compiled in this process (then kept in the database too). Not for an
        environment that works out constant expressions as it compiles (`optimized`, which
        ichinv's sandboxes turn off): their values depend on more than the key says."""
        bucket = super().get_bucket(environment, name, filename, source)
        if cache_files.disabled() or environment.optimized:
            return bucket
        here = _here_key(environment, self._variant, name, bucket.checksum)
        if bucket.code is not None:
            _keep_here(here, (bucket.code, None))
            return bucket
        with _HERE_LOCK:
            kept = _HERE.get(here)
        if kept is None:
            # Jinja compiles the source, then `set_bucket` (by checksum: another thread may
            # ask for the same template, edited meanwhile).
            self._compiling[bucket.key, bucket.checksum] = here, name
            return bucket
        _keep_here(here, kept)
        code, names = kept
        referenced = getattr(environment, "referenced", None)
        if names is not None and isinstance(referenced, dict):
            referenced.setdefault(name, names)
        bucket.code = _placed(code, filename if filename is not None else "<template>")
        self.dump_bytecode(bucket)
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        pending = self._compiling.pop((bucket.key, bucket.checksum), None)
        if pending is not None and bucket.code is not None:
            here, name = pending
            names = getattr(bucket.environment, "referenced", {}).get(name)
            _keep_here(here, (bucket.code, names if isinstance(names, tuple) else None))
        super().set_bucket(bucket)

    def may_hand_over(self) -> bool:
        """Whether code compiled by a process forked from this one now reaches this one through
        the database: caching is on, kept code may be run here, and the database is not open yet
        (a connection must not be shared with a forked process)."""
        return not self._opened and not cache_files.disabled() and cache_trust.owners_known()

    def holds(self, environment: jinja2.Environment, names: Iterable[str]) -> bool:
        """Whether code is kept for each of the templates `names` as their sources are now
        (not those they import), in this process or in the database, looked up there on a
        connection of its own, closed at once: nothing then stays open for a process forked
        next (ichinv.io.forked)."""
        loader = environment.loader
        if loader is None or not self.may_hand_over():
            return False
        db = cache_files.open_table(self._root, "template_code", _SCHEMA)
        if db is None:
            return False
        try:
            context = _context(self._variant)
            for name in names:
                source, filename, __ = loader.get_source(environment, name)
                checksum = self.get_source_checksum(source)
                if not environment.optimized and (
                    _here_key(environment, self._variant, name, checksum) in _HERE
                ):
                    continue
                row = db.execute(
                    "SELECT checksum FROM template_code WHERE key = ? AND context = ?",
                    (self.get_cache_key(name, filename), context),
                ).fetchone()
                if row is None or row[0] != checksum:
                    return False
            return True
        except (sqlite3.Error, jinja2.TemplateError, OSError):
            return False
        finally:
            db.close()

    def close(self) -> None:
        """Let go of the database (nothing is looked up or kept there after; code compiled
        in this process is still kept in memory)."""
        self._opened = True
        if self._db is not None:
            db, self._db = self._db, None
            db.close()

    def load_bytecode(self, bucket: Bucket) -> None:
        db = self._connection()
        if db is None:
            return
        try:
            row = db.execute(
                "SELECT checksum, code FROM template_code WHERE key = ? AND context = ?",
                (bucket.key, self._context),
            ).fetchone()
        except sqlite3.Error:
            return
        if row is None or row[0] != bucket.checksum:
            return
        code = cache_files.unpack(row[1])
        if type(code) is CodeType:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        db = self._connection()
        value = cache_files.pack(bucket.code) if bucket.code is not None else None
        if db is None or value is None or len(value) > MAX_CODE:
            return
        try:
            with cache_files.transaction(db):
                db.execute(
                    "INSERT OR REPLACE INTO template_code VALUES (?, ?, ?, ?, ?)",
                    (bucket.key, self._context, bucket.checksum, value, time.time_ns()),
                )
                cache_files.drop_oldest(db, "template_code", "key, context", MAX_ENTRIES)
        except sqlite3.Error:
            pass  # another run held the database too long, or it is read-only: not kept
