"""The validation pipeline: every record file judged (from the cache where it can answer), the
rules across records, the private overlay, suppressions, every finding located and sorted.

One pipeline for both states the inventory is validated in: the working tree (`validate`) and
a commit read from git objects (`validate_at`, what `validate --new-since REV` compares with).
Each file's verdict comes from `ichinv.validate.file_check.check_file`, and is kept in the
result cache by the file's git blob id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ichinv.core import dates
from ichinv.core.i18n import _
from ichinv.core.model import (
    Finding,
    RecordKind,
    Suppression,
    ValidationResult,
)
from ichinv.inventory import record_files as records
from ichinv.io.git import BlobReader, GitRepo, TooLarge
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader
from ichinv.schemas.loader import SchemaSet
from ichinv.validate import overlay
from ichinv.validate.file_check import FileCheck, check_file
from ichinv.validate.locate import locate_each
from ichinv.validate.rules import cross as cross_rules
from ichinv.validate.suppressions import apply_suppressions
from ichinv.validate.workers import Workers, collector_paused

Progress = Callable[[int, int], None]


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
    settings: see ichinv.validate.cache) and must check `depends` before answering.
    """

    def get(self, path: str, blob: str) -> FileCheck | None: ...

    def put(self, path: str, blob: str, check: FileCheck) -> None: ...

    def get_inventory(self, state: str) -> InventoryCheck | None: ...

    def put_inventory(self, state: str, check: InventoryCheck) -> None: ...

    def known_blob(self, path: str, signature: str) -> str | None:
        """The blob id noted for `path` with this file signature (size, times, inode)."""

    def note_blob(self, path: str, signature: str, blob: str) -> None: ...


# --- where the bytes come from ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """A record file to judge."""

    kind: RecordKind
    path: str
    """Relative to the inventory root, with forward slashes."""
    blob: str = ""
    """Its git blob id when known without reading it (a commit's files)."""


class Files(Protocol):
    """Reads the record files of one state of the inventory."""

    def identify(
        self, source: Source, cache: ResultCache | None
    ) -> tuple[str, bytes | None] | Finding:
        """The blob id of `source`, and its bytes when they had to be read for it."""

    def read(self, source: Source) -> bytes | Finding:
        """The bytes of `source` (a Finding when they cannot be read)."""


RACY_NS = 2_000_000_000
"""A file changed less than this long before its signature is taken could change again within
the same timestamp tick without its signature changing: its bytes are read on every run."""


class WorkingTreeFiles:
    """The record files on disk. A file's blob id is known without reading it while its
    signature (size, times, inode) is the one the cache noted with it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _file(self, source: Source) -> records.SourceFile:
        return records.SourceFile(source.kind, self.settings.root / source.path, source.path)

    def read(self, source: Source) -> bytes | Finding:
        return records.read(self._file(source), self.settings.max_file_size)

    def identify(
        self, source: Source, cache: ResultCache | None
    ) -> tuple[str, bytes | None] | Finding:
        path = self.settings.root / source.path
        try:
            stat = os.stat(path) if cache is not None else None
        except OSError:
            stat = None
        signature = (
            f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}:{stat.st_dev}"
            if stat is not None
            else None
        )
        if signature is not None and cache is not None:
            blob = cache.known_blob(source.path, signature)
            if blob is not None:
                return blob, None
        raw = self.read(source)
        if isinstance(raw, Finding):
            return raw
        blob = records.blob_id(raw)
        if (
            stat is not None
            and signature is not None
            and cache is not None
            and max(stat.st_mtime_ns, stat.st_ctime_ns) < time.time_ns() - RACY_NS
        ):
            cache.note_blob(source.path, signature, blob)
        return blob, raw


class CommitFiles:
    """The record files of a commit, read from git objects through one stream."""

    def __init__(self, reader: BlobReader, max_size: int, symlinks: Iterable[str] = ()) -> None:
        self.reader = reader
        self.max_size = max_size
        self.symlinks = frozenset(symlinks)

    def read(self, source: Source) -> bytes | Finding:
        if source.path in self.symlinks:
            return records.symlink_in_git(source.path)
        content = self.reader.read(source.blob, max_size=self.max_size)
        if isinstance(content, TooLarge):
            return records.too_large(source.path, content.size, self.max_size)
        return content

    def identify(
        self, source: Source, cache: ResultCache | None
    ) -> tuple[str, bytes | None] | Finding:
        if source.path in self.symlinks:
            return records.symlink_in_git(source.path)
        return source.blob, None


# --- the pipeline -------------------------------------------------------------------------------


def validate(
    settings: Settings,
    paths: Iterable[Path] | None = None,
    *,
    schemas: SchemaSet | None = None,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    day: dt.date | None = None,
) -> ValidationResult:
    """Validate the working tree's inventory (or report on `paths` only, still checking them
    against all)."""
    schemas = schemas or schema_loader.load(
        settings.schema_dir, checked=getattr(cache, "checked_schemas", ())
    )
    day = day or dates.today()
    files, findings = records.discover(settings)
    selected = (
        records.select(settings, files, paths, (f.path for f in findings))
        if paths is not None
        else None
    )
    if selected is not None:
        known = {f.rel for f in files} | {f.path for f in findings}
        findings.extend(
            Finding(
                rel,
                "file.missing",
                _("{path}/ is a folder that holds no record file of the inventory").format(path=rel)
                if (settings.root / rel).is_dir()
                else _("{path} is not a record file of the inventory").format(path=rel),
                line=None,
                hint=_(
                    "name files under elements/ or provinces/ ending in .yaml, or their folders"
                ),
            )
            for rel in sorted(selected - known)
        )
    sources = [Source(f.kind, f.rel) for f in files]
    tree = WorkingTreeFiles(settings)
    judged = judge(sources, tree, settings, schemas, day, cache, progress)
    findings.extend(judged.findings)
    declared = [*settings.suppressions, *judged.suppressions]
    if settings.private_overlay is not None:
        findings.extend(overlay.check(settings, schemas, day))
    if selected is not None:
        findings = [f for f in findings if f.path in selected]
        declared = [
            s for s in declared if s.path is None or s.path in selected or s.source == "settings"
        ]
    kept, suppressed, bookkeeping = apply_suppressions(findings, declared, day, settings)
    bookkeeping = locate_each(bookkeeping, _reader(tree, sources))
    return ValidationResult(
        checked=len(files) if selected is None else len(selected),
        findings=tuple(sorted(kept + bookkeeping, key=Finding.sort_key)),
        suppressed=tuple(sorted(suppressed, key=lambda s: s.finding.sort_key())),
    )


def validate_at(
    settings: Settings,
    repo: GitRepo,
    commit: str,
    *,
    schemas: SchemaSet,
    day: dt.date,
    cache: ResultCache | None = None,
) -> ValidationResult:
    """Validate the inventory as it was at `commit`, read from git objects (no checkout), with
    today's schemas, rules, settings and date.

    Every finding is kept, suppressed or not (a finding the committee accepted at the commit
    existed there). Record rules that look at files (documentation paths) look at the working
    tree: the question is whether the *records* already had the problem.
    """
    entries = repo.record_blobs(commit)
    sources = [Source(e.kind, e.path, e.blob) for e in entries]
    with repo.blob_reader() as reader:
        files = CommitFiles(reader, settings.max_file_size, (e.path for e in entries if e.symlink))
        judged = judge(sources, files, settings, schemas, day, cache, None)
        declared = [*settings.suppressions, *judged.suppressions]
        kept, suppressed, bookkeeping = apply_suppressions(
            list(judged.findings), declared, day, settings
        )
        bookkeeping = locate_each(bookkeeping, _reader(files, sources))
    everything = kept + [s.finding for s in suppressed] + bookkeeping
    return ValidationResult(
        checked=len(sources), findings=tuple(sorted(everything, key=Finding.sort_key))
    )


def judge(
    sources: Sequence[Source],
    files: Files,
    settings: Settings,
    schemas: SchemaSet,
    day: dt.date,
    cache: ResultCache | None,
    progress: Progress | None,
) -> InventoryCheck:
    """Every file judged, then the rules across records: from the cache where it can answer."""
    state = _state(sources, files, cache) if cache is not None else None
    if state is not None and cache is not None:
        known = cache.get_inventory(state)
        if known is not None:
            return known
    findings: list[Finding] = []
    suppressions: list[Suppression] = []
    depends: list[str] = []
    entries: list[cross_rules.IndexEntry] = []
    blobs: list[str] = []
    with collector_paused():
        checked = _check_all(sources, files, settings, schemas, day, cache)
        for number, result in enumerate(checked, start=1):
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
                progress(number, len(sources))
    # A value the schema rejects is not reported again by the cross-record rules.
    rejected = {(f.path, f.pointer) for f in findings if f.rule.startswith("schema.")}
    cross = [f for f in cross_rules.check(entries) if (f.path, f.pointer) not in rejected]
    findings.extend(locate_each(cross, _reader(files, sources)))
    judged = InventoryCheck(tuple(findings), tuple(suppressions), tuple(dict.fromkeys(depends)))
    if state is not None and cache is not None and state == _digest(sources, blobs):
        cache.put_inventory(state, judged)  # unless a file changed while it was being judged
    return judged


def _reader(files: Files, sources: Sequence[Source]) -> Callable[[str], bytes | None]:
    """The bytes of a record file by path, for locating findings (None when not a record)."""
    by_path = {s.path: s for s in sources}

    def read(path: str) -> bytes | None:
        source = by_path.get(path)
        raw = files.read(source) if source is not None else None
        return raw if isinstance(raw, bytes) else None

    return read


def _state(sources: Sequence[Source], files: Files, cache: ResultCache) -> str | None:
    """A digest of every record file's path and bytes; None when a file cannot be read."""
    blobs = []
    for source in sources:
        found = files.identify(source, cache)
        if isinstance(found, Finding):
            return None
        blobs.append(found[0])
    return _digest(sources, blobs)


def _digest(sources: Sequence[Source], blobs: list[str]) -> str:
    digest = hashlib.sha256()
    for source, blob in zip(sources, blobs, strict=True):
        digest.update(f"{source.path}\0{blob}\n".encode())
    return digest.hexdigest()


BATCH = 512
"""Files read, looked up in the cache and checked together: bounds what is held in memory."""

_PENDING = FileCheck((), None)
"""Placeholder for a verdict still to be made."""


def _check_all(
    sources: Sequence[Source],
    files: Files,
    settings: Settings,
    schemas: SchemaSet,
    day: dt.date,
    cache: ResultCache | None,
) -> Iterator[tuple[FileCheck, str] | Finding]:
    """The verdict on each file and its blob id, in order: from the cache when it knows it,
    else checked."""
    public = settings.visibility == "public"
    pool: Workers | None = None
    try:
        for start in range(0, len(sources), BATCH):
            batch = sources[start : start + BATCH]
            results: list[tuple[FileCheck, str] | Finding] = []
            misses: list[tuple[int, Source, bytes, str]] = []
            for source in batch:
                found = files.identify(source, cache)
                if isinstance(found, Finding):
                    results.append(found)
                    continue
                blob, raw = found
                known = cache.get(source.path, blob) if cache is not None else None
                if known is not None:
                    results.append((known, blob))
                    continue
                if raw is None:  # known by its signature or from git only: read it now
                    read = files.read(source)
                    if isinstance(read, Finding):
                        results.append(read)
                        continue
                    raw, blob = read, records.blob_id(read)
                misses.append((len(results), source, raw, blob))
                results.append((_PENDING, blob))
            if start == 0:
                # Decided once, before any progress bar thread exists: fork only then.
                pool = Workers.start(
                    len(misses) / max(len(batch), 1) * len(sources),
                    schemas,
                    settings.root,
                    day,
                    public=public,
                )
            items = [(source.kind, source.path, raw) for _index, source, raw, _blob in misses]
            checks = (
                pool.map(items)
                if pool is not None
                else (
                    check_file(kind, rel, raw, schemas, settings.root, day, public=public)
                    for kind, rel, raw in items
                )
            )
            for (index, source, __, blob), check in zip(misses, checks, strict=True):
                if cache is not None:
                    cache.put(source.path, blob, check)
                results[index] = (check, blob)
            yield from results
    finally:
        if pool is not None:
            pool.close()
