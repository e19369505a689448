"""Validate the inventory: every file against its schema and the record rules, then across records.

`check_file` judges one file from its bytes alone; what it returns can be cached by the file's
git blob id. `validate` runs it over the inventory, adds the cross-record rules, locates every
finding at a line and column, applies suppressions and sorts.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from ichinv.core import dates, pointers
from ichinv.core.catalogue import rule
from ichinv.core.model import (
    Finding,
    Record,
    RecordKind,
    SuppressedFinding,
    Suppression,
    ValidationResult,
)
from ichinv.inventory import record_files as records
from ichinv.io import strict_yaml as yamlload
from ichinv.io.settings import Settings
from ichinv.schemas.loader import SchemaSet
from ichinv.validate import cross_rules as inventory
from ichinv.validate import record_rules as record

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class FileCheck:
    """The verdict on one file, from its bytes alone."""

    findings: tuple[Finding, ...]
    """Findings of the file itself (YAML, schema, record rules), located."""
    entry: inventory.IndexEntry | None
    """Facts for the cross-record rules; None when the file is not a readable record."""
    suppressions: tuple[Suppression, ...] = ()
    """Suppressions declared in the record."""
    depends: tuple[str, ...] = ()
    """Absolute paths the record rules looked up: the verdict also depends on whether they
    exist and where they lead, so a cache must look at them again before reusing it."""


@dataclass(frozen=True, slots=True)
class InventoryCheck:
    """The verdict on every record file of an inventory and across them, before suppressions
    and selection apply: what a run finds again when no file has changed."""

    findings: tuple[Finding, ...]
    suppressions: tuple[Suppression, ...]
    """Suppressions declared in records."""
    depends: tuple[str, ...] = ()
    """Every path the record rules looked up (see FileCheck.depends)."""


class ResultCache(Protocol):
    """Where `validate` keeps verdicts between runs: FileChecks by file path and blob id, and
    InventoryChecks by a digest of every record file's path and blob id.

    An implementation answers only for the context it was opened in (schemas, code, day,
    settings: see ichinv.cache) and must check `depends` before answering.
    """

    def get(self, path: str, blob: str) -> FileCheck | None: ...

    def put(self, path: str, blob: str, check: FileCheck) -> None: ...

    def get_inventory(self, state: str) -> InventoryCheck | None: ...

    def put_inventory(self, state: str, check: InventoryCheck) -> None: ...

    def known_blob(self, path: str, signature: str) -> str | None:
        """The blob id noted for `path` with this file signature (size, times, inode)."""

    def note_blob(self, path: str, signature: str, blob: str) -> None: ...


def check_file(
    kind: RecordKind,
    rel: str,
    raw: bytes,
    schemas: SchemaSet,
    root: Path,
    day: dt.date,
    *,
    public: bool = False,
) -> FileCheck:
    """Judge one record file: YAML, schema, record rules; locate what is found.

    `public`: the repository is public, so personal data and restricted parts must be kept in
    the private overlay, and are not missing from the record when absent (rule privacy.*)."""
    parsed = records.parse(kind, rel, raw)
    if isinstance(parsed, Finding):
        return FileCheck((parsed,), None)
    rec = parsed[0]
    schema = schemas[kind]
    findings = [
        Finding(
            path=rel,
            rule=error.rule,
            message=error.message,
            severity=error.severity,
            pointer=error.pointer,
            hint=error.hint,
            at_key=error.at_key,
        )
        for error in schema.check(rec.data)
    ]
    if public:
        held = record.held_privately(rec.data, schema)
        findings = [
            f
            for f in findings
            if not (
                f.rule == "schema.required" and any(pointers.within(f.pointer, h) for h in held)
            )
        ]
    _LOOKED_UP.clear()
    context = record.RecordContext(rec, schema, _watched(root), day, public=public)
    findings.extend(record.check(context))
    if findings:
        findings = locate(findings, raw)
    return FileCheck(
        tuple(findings),
        inventory.index_entry(rec),
        tuple(_record_suppressions(rec)),
        tuple(dict.fromkeys(_LOOKED_UP)),
    )


_LOOKED_UP: list[str] = []
"""Paths looked up under the root by the record rules of the file being checked."""


@functools.lru_cache(maxsize=8)
def _watched(root: Path) -> _WatchedRoot:
    return _WatchedRoot(root)


class _WatchedRoot(type(Path())):  # type: ignore[misc]
    """The inventory root as record rules see it: every path they look up under it
    (`root / "docs/x.pdf"`) is noted, so that a cached verdict is trusted only while those
    paths are as they were. What it derives is a plain Path."""

    def __truediv__(self, key: Any) -> Path:
        target = Path(os.fspath(self)) / key
        _LOOKED_UP.append(os.fspath(target))
        return target

    def joinpath(self, *parts: Any) -> Path:
        target = Path(os.fspath(self)).joinpath(*parts)
        _LOOKED_UP.append(os.fspath(target))
        return target


def _record_suppressions(rec: Record) -> list[Suppression]:
    entries = rec.data.get("suppressions")
    return [
        Suppression(
            rule=entry["rule"],
            reason=entry["reason"],
            until=entry["until"],
            path=rec.path,
            pointer=entry.get("pointer"),
            source="record",
        )
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict)
        and all(isinstance(entry.get(k), str) for k in ("rule", "reason", "until"))
    ]


def locate(findings: Iterable[Finding], raw: bytes) -> list[Finding]:
    """Give every unlocated finding the line and column of its pointer in `raw`."""
    try:
        _, positions = yamlload.load(raw, positions=True)
    except yamlload.LoadError:
        positions = None
    return [_place(f, positions) for f in findings]


def _place(finding: Finding, positions: Mapping[str, yamlload.Position] | None) -> Finding:
    if finding.line is not None or positions is None:
        return finding
    pointer = finding.pointer
    exact = True
    while pointer not in positions and pointer:
        pointer = pointer.rsplit("/", 1)[0]
        exact = False
    line, column, key_line, key_column = positions.get(pointer, (1, 1, 1, 1))
    if finding.at_key or not exact:
        line, column = key_line, key_column
    return replace(finding, line=line, column=column)


def validate(
    settings: Settings,
    paths: Iterable[Path] | None = None,
    *,
    schemas: SchemaSet | None = None,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    day: dt.date | None = None,
) -> ValidationResult:
    """Validate the inventory (or report on `paths` only, still checking them against all)."""
    from ichinv.schemas import loader as schema_module

    schemas = schemas or schema_module.load(
        settings.schema_dir, checked=getattr(cache, "checked_schemas", ())
    )
    day = day or dates.today()
    files, findings = records.discover(settings)
    selected = records.select(settings, files, paths) if paths is not None else None
    if selected is not None:
        known = {f.rel for f in files} | {f.path for f in findings}
        findings.extend(
            Finding(
                rel,
                "file.missing",
                f"{rel} is not a record file of the inventory",
                line=None,
                hint="name files under elements/ or provinces/ ending in .yaml",
            )
            for rel in sorted(selected - known)
        )
    with _collector_paused():
        judged = _judge(files, settings, schemas, day, cache, progress)
    findings.extend(judged.findings)
    declared = [*settings.suppressions, *judged.suppressions]
    if settings.private_overlay is not None:
        from ichinv.inventory import overlay

        findings.extend(overlay.check(settings, schemas, day))
    if selected is not None:
        findings = [f for f in findings if f.path in selected]
        declared = [
            s for s in declared if s.path is None or s.path in selected or s.source == "settings"
        ]
    kept, suppressed, bookkeeping = apply_suppressions(findings, declared, day, settings)
    bookkeeping = _locate_cross(bookkeeping, settings)
    final = sorted(kept + bookkeeping, key=Finding.sort_key)
    return ValidationResult(
        checked=len(files) if selected is None else len(selected),
        findings=tuple(final),
        suppressed=tuple(sorted(suppressed, key=lambda s: s.finding.sort_key())),
    )


def _judge(
    files: list[records.SourceFile],
    settings: Settings,
    schemas: SchemaSet,
    day: dt.date,
    cache: ResultCache | None,
    progress: Progress | None,
) -> InventoryCheck:
    """Every file judged, then the rules across records: from the cache where it can answer."""
    state = _state(files, settings, cache) if cache is not None else None
    if state is not None and cache is not None:
        known = cache.get_inventory(state)
        if known is not None:
            return known
    findings: list[Finding] = []
    suppressions: list[Suppression] = []
    depends: list[str] = []
    entries: list[inventory.IndexEntry] = []
    blobs: list[str] = []
    for number, result in enumerate(_check_all(files, settings, schemas, day, cache), start=1):
        if isinstance(result, Finding):
            findings.append(result)
            blobs.append("")
        else:
            check, blob = result
            blobs.append(blob)
            findings.extend(check.findings)
            suppressions.extend(check.suppressions)
            depends.extend(check.depends)
            if check.entry is not None:
                entries.append(check.entry)
        if progress is not None:
            progress(number, len(files))
    # A value the schema rejects is not reported again by the cross-record rules.
    rejected = {(f.path, f.pointer) for f in findings if f.rule.startswith("schema.")}
    cross = [f for f in inventory.check(entries) if (f.path, f.pointer) not in rejected]
    findings.extend(_locate_cross(cross, settings))
    judged = InventoryCheck(tuple(findings), tuple(suppressions), tuple(dict.fromkeys(depends)))
    if state is not None and cache is not None and state == _digest(files, blobs):
        cache.put_inventory(state, judged)  # unless a file changed while it was being judged
    return judged


def _state(files: list[records.SourceFile], settings: Settings, cache: ResultCache) -> str | None:
    """A digest of every record file's path and bytes; None when a file cannot be read."""
    blobs = []
    for file in files:
        found = _blob_of(file, settings, cache)
        if isinstance(found, Finding):
            return None
        blobs.append(found[0])
    return _digest(files, blobs)


RACY_NS = 2_000_000_000
"""A file changed less than this long before its signature is taken could change again within
the same timestamp tick without its signature changing: its bytes are read on every run."""


def _blob_of(
    file: records.SourceFile, settings: Settings, cache: ResultCache | None
) -> tuple[str, bytes | None] | Finding:
    """The blob id of a file, and its bytes when they had to be read: the cache knows the blob
    while the file's signature (size, times, inode) is the one noted with it."""
    try:
        stat = os.stat(file.path) if cache is not None else None
    except OSError:
        stat = None
    signature = (
        f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}:{stat.st_dev}"
        if stat is not None
        else None
    )
    if signature is not None and cache is not None:
        blob = cache.known_blob(file.rel, signature)
        if blob is not None:
            return blob, None
    raw = records.read(file, settings.max_file_size)
    if isinstance(raw, Finding):
        return raw
    blob = records.blob_id(raw)
    if (
        stat is not None
        and signature is not None
        and cache is not None
        and max(stat.st_mtime_ns, stat.st_ctime_ns) < time.time_ns() - RACY_NS
    ):
        cache.note_blob(file.rel, signature, blob)
    return blob, raw


def _digest(files: list[records.SourceFile], blobs: list[str]) -> str:
    digest = hashlib.sha256()
    for file, blob in zip(files, blobs, strict=True):
        digest.update(f"{file.rel}\0{blob}\n".encode())
    return digest.hexdigest()


BATCH = 512
"""Files read, looked up in the cache and checked together: bounds what is held in memory."""

PARALLEL_FROM = 2000
"""Check files in worker processes (one per core) when at least this many files are to
be checked: below it, starting the workers costs more than they save."""


def _check_all(
    files: list[records.SourceFile],
    settings: Settings,
    schemas: SchemaSet,
    day: dt.date,
    cache: ResultCache | None,
) -> Iterator[tuple[FileCheck, str] | Finding]:
    """The verdict on each file and its blob id, in order: from the cache when it knows it,
    else checked."""
    public = settings.visibility == "public"
    pool: _Workers | None = None
    try:
        for start in range(0, len(files), BATCH):
            batch = files[start : start + BATCH]
            results: list[tuple[FileCheck, str] | Finding] = []
            misses: list[tuple[int, records.SourceFile, bytes, str]] = []
            for file in batch:
                found = _blob_of(file, settings, cache)
                if isinstance(found, Finding):
                    results.append(found)
                    continue
                blob, raw = found
                known = cache.get(file.rel, blob) if cache is not None else None
                if known is not None:
                    results.append((known, blob))
                    continue
                if raw is None:  # known by its signature only: read it now
                    read = records.read(file, settings.max_file_size)
                    if isinstance(read, Finding):
                        results.append(read)
                        continue
                    raw, blob = read, records.blob_id(read)
                misses.append((len(results), file, raw, blob))
                results.append((_PENDING, blob))
            if start == 0:
                # Decided once, before any progress bar thread exists: fork only then.
                pool = _Workers.start(
                    len(misses) / max(len(batch), 1) * len(files),
                    schemas,
                    settings.root,
                    day,
                    public=public,
                )
            items = [(file.kind, file.rel, raw) for _, file, raw, _ in misses]
            checks = (
                pool.map(items)
                if pool is not None
                else (
                    check_file(kind, rel, raw, schemas, settings.root, day, public=public)
                    for kind, rel, raw in items
                )
            )
            for (index, file, _, blob), check in zip(misses, checks, strict=True):
                if cache is not None:
                    cache.put(file.rel, blob, check)
                results[index] = (check, blob)
            yield from results
    finally:
        if pool is not None:
            pool.close()


_PENDING = FileCheck((), None)
"""Placeholder for a verdict still to be made."""


def _worker_count() -> int:
    """Processes to check files with: `ICHINV_WORKERS` when set, else one per core available.

    Every core, even one that another job is using: the scheduler then shares the cores among
    all runnable processes, so a second worker still adds to this run's share. An earlier
    version left cores it saw busy alone, and a background `git gc` right after a commit made
    a 100,000-record cold run single-process (132 s instead of 80 s, measured).
    """
    wanted = os.environ.get("ICHINV_WORKERS", "").strip()
    if wanted.isascii() and wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


_STATE: tuple[SchemaSet, Path, dt.date, bool] | None = None
"""What a worker process checks with (inherited when it is forked)."""


def _check_in_worker(item: tuple[RecordKind, str, bytes]) -> FileCheck:
    assert _STATE is not None
    schemas, root, day, public = _STATE
    return check_file(item[0], item[1], item[2], schemas, root, day, public=public)


class _Workers:
    """Worker processes forked from this one, checking files in order."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    @classmethod
    def start(
        cls, expected: float, schemas: SchemaSet, root: Path, day: dt.date, *, public: bool = False
    ) -> _Workers | None:
        """Workers when `expected` files to check make them pay off (and fork is possible)."""
        import multiprocessing

        if "ICHINV_WORKERS" in os.environ:
            expected = max(expected, PARALLEL_FROM)  # asked for: even for a few files
        if expected < PARALLEL_FROM:
            return None
        workers = _worker_count()
        if workers < 2:
            return None
        if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover
            return None
        global _STATE
        _STATE = (schemas, root, day, public)
        for schema in schemas.values():
            _ = schema.fast  # compiled once, here, and inherited by every worker
        return cls(multiprocessing.get_context("fork").Pool(workers))

    def map(self, items: list[tuple[RecordKind, str, bytes]]) -> Iterator[FileCheck]:
        return self._pool.imap(_check_in_worker, items, chunksize=32)

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while records are checked.

    Checking allocates many short-lived containers and keeps a growing list of small results;
    the collector scans them again and again (2.4 % of a 10,000-file run, measured; more as
    the list grows) to find no cycles: records are trees, freed by reference counting as soon
    as they are judged.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _locate_cross(findings: list[Finding], settings: Settings) -> list[Finding]:
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    located: list[Finding] = []
    for path, group in by_path.items():
        if not path.endswith(records.SUFFIX):
            located.extend(group)
            continue
        try:
            raw = (settings.root / path).read_bytes()
        except OSError:
            located.extend(group)
            continue
        located.extend(locate(group, raw))
    return located


def apply_suppressions(
    findings: list[Finding],
    declared: list[Suppression],
    day: dt.date,
    settings: Settings | None = None,
) -> tuple[list[Finding], list[SuppressedFinding], list[Finding]]:
    """Split findings into kept and suppressed; report expired and unused suppressions.

    A suppression declared in the settings is reported at its table in the settings file
    (when `settings` are given), a record's at its `until` field."""
    kept: list[Finding] = []
    suppressed: list[SuppressedFinding] = []
    used: set[int] = set()
    active = [(i, s) for i, s in enumerate(declared) if s.until >= day.isoformat()]
    for finding in findings:
        match = next(
            (
                (i, s)
                for i, s in active
                if _covers(s, finding) and not finding.rule.startswith("suppression.")
            ),
            None,
        )
        if match is None:
            kept.append(finding)
        else:
            used.add(match[0])
            suppressed.append(SuppressedFinding(finding, match[1]))
    bookkeeping: list[Finding] = []
    config = settings.config_file if settings is not None else None
    config_name = settings.relative(config) if settings and config else "pyproject.toml"
    tables = settings.suppression_lines() if settings is not None else ()
    in_settings = {id(s): n for n, s in enumerate(s for s in declared if s.source == "settings")}
    for index, suppression in enumerate(declared):
        where = suppression.path or config_name
        pointer = _suppression_pointer(suppression, declared)
        line: int | None = None
        if suppression.source == "settings":
            where = config_name
            number = in_settings[id(suppression)]
            line = tables[number] if number < len(tables) else None
        if suppression.until < day.isoformat():
            bookkeeping.append(
                rule("suppression.expired").finding(
                    where,
                    f"the suppression of {suppression.rule}"
                    + (
                        f" for {suppression.path}"
                        if suppression.source == "settings" and suppression.path
                        else ""
                    )
                    + f" expired on {suppression.until} (reason given: {suppression.reason})",
                    pointer=pointer,
                    line=line,
                    column=1 if line is not None else None,
                    hint="fix what the rule reports, or renew the suppression with a new date "
                    "and the committee's reason",
                )
            )
        elif index not in used and suppression.source == "record":
            bookkeeping.append(
                rule("suppression.unused").finding(
                    where,
                    f"the suppression of {suppression.rule} no longer covers any finding",
                    pointer=pointer,
                    hint="remove it",
                )
            )
    return kept, suppressed, bookkeeping


def _covers(suppression: Suppression, finding: Finding) -> bool:
    if suppression.path is not None and any(c in suppression.path for c in "*?["):
        if not fnmatch.fnmatchcase(finding.path, suppression.path):
            return False
        suppression = replace(suppression, path=None)
    return suppression.covers(finding)


def _suppression_pointer(suppression: Suppression, declared: list[Suppression]) -> str:
    if suppression.source != "record":
        return ""
    same_file = [s for s in declared if s.path == suppression.path and s.source == "record"]
    return f"/suppressions/{same_file.index(suppression)}/until"
