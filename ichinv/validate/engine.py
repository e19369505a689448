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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ichinv.core import dates, trace
from ichinv.core.model import (
    Finding,
    Suppression,
    ValidationResult,
)
from ichinv.inventory import record_files as records
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.snapshots import WorkingTreeSnapshot
from ichinv.io.git import GitRepo
from ichinv.io.git_types import SYMLINK_MODE
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader
from ichinv.schemas.loader import SchemaSet
from ichinv.validate import attachments, overlay
from ichinv.validate.file_check import FileCheck, Kept, check_and_keep
from ichinv.validate.locate import locate_each
from ichinv.validate.rules import cross as cross_rules
from ichinv.validate.rules.paths import folders_remembered
from ichinv.validate.sources import (
    CommitFiles,
    Files,
    Source,
    WorkingTreeFiles,
    read_many,
)
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

    def put(self, path: str, blob: str, check: FileCheck, text: str | None = None) -> None:
        """Keep `check` (`text`: as ichinv.validate.cache_entries encoded it, when it was)."""

    def get_inventory(self, state: str) -> InventoryCheck | None: ...

    def put_inventory(self, state: str, check: InventoryCheck) -> None: ...

    def has_inventories(self) -> bool:
        """Whether any whole-inventory verdict is kept (else none is looked up)."""


# --- the pipeline -------------------------------------------------------------------------------


def validate(
    settings: Settings,
    paths: Iterable[Path] | None = None,
    *,
    schemas: SchemaSet | None = None,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    day: dt.date | None = None,
    tree: WorkingTreeSnapshot | None = None,
    notes: RecordCache | None = None,
) -> ValidationResult:
    """Validate the working tree's inventory (or report on `paths` only, still checking them
    against all). `tree`: this run's snapshot of the working tree, when it has one (a packet):
    its listing, blob ids, bytes and parsed records are used, not read again. `notes`: the
    record cache, given every record parsed here (see ichinv.inventory.record_cache)."""
    schemas = schemas or schema_loader.load(
        settings.schema_dir, checked=getattr(cache, "checked_schemas", ())
    )
    day = day or dates.today()
    files, findings = (
        (tree.sources(), list(tree.problems)) if tree is not None else records.discover(settings)
    )
    selected = (
        records.select(settings, files, paths, (f.path for f in findings))
        if paths is not None
        else None
    )
    if selected is not None:
        known = {f.rel for f in files} | {f.path for f in findings}
        findings.extend(records.not_a_record(settings, rel) for rel in sorted(selected - known))
    sources = [Source(f.kind, f.rel) for f in files]
    if notes is not None:
        notes.size_hint = max(notes.size_hint, len(sources))
    on_disk = WorkingTreeFiles(settings, tree)
    judged = judge(sources, on_disk, settings, schemas, day, cache, progress, notes)
    findings.extend(judged.findings)
    declared = [*settings.suppressions, *judged.suppressions]
    if settings.private_overlay is not None:
        findings.extend(overlay.check(settings, schemas, day, notes=notes, files=files))
    if selected is None:  # folders, not records: reported when every record is checked
        findings.extend(attachments.check(settings, files))
    if selected is not None:
        # With a record, the overlay file that keeps some of its fields.
        shown = selected | overlay.files_of(settings, selected)
        findings = [f for f in findings if f.path in shown]
        declared = [
            s for s in declared if s.path is None or s.path in selected or s.source == "settings"
        ]
    kept, suppressed, bookkeeping = apply_suppressions(findings, declared, day, settings)
    bookkeeping = locate_each(bookkeeping, _reader(on_disk, sources))
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
    notes: RecordCache | None = None,
) -> ValidationResult:
    """Validate the inventory as it was at `commit`, read from git objects (no checkout), with
    today's schemas, rules, settings and date. `notes`: where what the bytes read say (id,
    status) is noted for later readers.

    Every finding is kept, suppressed or not (a finding the committee accepted at the commit
    existed there). Record rules that look at files (documentation paths) look at the working
    tree: the question is whether the *records* already had the problem.
    """
    entries = repo.record_blobs(commit)
    sources = [Source(e.kind, e.path, e.blob) for e in entries]
    with repo.blob_reader() as reader:
        links = {e.path: SYMLINK_MODE for e in entries if e.symlink}
        files = CommitFiles(reader, settings.max_file_size, links, notes)
        judged = judge(sources, files, settings, schemas, day, cache, None, notes)
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
    notes: RecordCache | None = None,
) -> InventoryCheck:
    """Every file judged, then the rules across records: from the cache where it can answer.

    The whole inventory's verdict is looked up first (every file as in a state judged before:
    one answer) when the cache has any; otherwise each file is identified as it is judged,
    so that a cold run reads each file once."""
    state: str | None = None
    identified: list[tuple[str, bytes | None] | Finding] | None = None
    if cache is not None and cache.has_inventories():
        identified = _identify_all(sources, files, notes)
        state = _state(sources, identified)
        known = cache.get_inventory(state) if state is not None else None
        if known is not None:
            return known
    findings: list[Finding] = []
    suppressions: list[Suppression] = []
    depends: list[str] = []
    entries: list[cross_rules.IndexEntry] = []
    blobs: list[str] = []
    with collector_paused(), folders_remembered():
        checked = _check_all(sources, files, settings, schemas, day, cache, identified, notes)
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
    cross = [
        f for f in cross_rules.check(entries, unquote=False) if (f.path, f.pointer) not in rejected
    ]
    # Located at the value itself, then without the words that would quote a withheld part.
    findings.extend(cross_rules.unquoted_refs(locate_each(cross, _reader(files, sources)), entries))
    judged = InventoryCheck(tuple(findings), tuple(suppressions), tuple(dict.fromkeys(depends)))
    seen = _digest(sources, blobs) if "" not in blobs else None
    if cache is not None and seen is not None and state in (None, seen):
        cache.put_inventory(seen, judged)  # unless a file changed while it was being judged
    return judged


def _reader(files: Files, sources: Sequence[Source]) -> Callable[[str], bytes | None]:
    """The bytes of a record file by path, for locating findings (None when not a record)."""
    by_path = {s.path: s for s in sources}

    def read(path: str) -> bytes | None:
        source = by_path.get(path)
        raw = files.read(source) if source is not None else None
        return raw if isinstance(raw, bytes) else None

    return read


HOLD = 32 << 20
"""Bytes of files read to identify them kept until they are judged (beyond it, read again)."""


def _identify_all(
    sources: Sequence[Source], files: Files, notes: RecordCache | None
) -> list[tuple[str, bytes | None] | Finding]:
    """Each file's blob id, and its bytes when they had to be read for it (up to HOLD)."""
    found: list[tuple[str, bytes | None] | Finding] = []
    held = 0
    for source in sources:
        item = files.identify(source, notes.blob_notes if notes else None)
        raw = item[1] if not isinstance(item, Finding) else None
        if raw is not None and not isinstance(item, Finding):
            if held + len(raw) > HOLD:
                item = (item[0], None)
            else:
                held += len(raw)
        found.append(item)
    return found


def _state(
    sources: Sequence[Source], identified: Sequence[tuple[str, bytes | None] | Finding]
) -> str | None:
    """A digest of every record file's path and bytes; None when a file cannot be read."""
    blobs = []
    for item in identified:
        if isinstance(item, Finding):
            return None
        blobs.append(item[0])
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
    identified: Sequence[tuple[str, bytes | None] | Finding] | None = None,
    notes: RecordCache | None = None,
) -> Iterator[tuple[FileCheck, str] | Finding]:
    """The verdict on each file and its blob id, in order: from the cache when it knows it,
    else checked. `identified`: what `_identify_all` found, when it was asked; `notes`: the
    record cache, given every record parsed to check it.

    With worker processes, one batch is in their hands while the next is read and looked up
    here: the workers never wait for this process (they did, a tenth of a cold run)."""
    public = settings.visibility == "public"
    elsewhere = settings.overlay_may_hold
    keep = notes is not None and notes.active
    pool: Workers | None = None
    in_flight: tuple[list[tuple[FileCheck, str] | Finding], list[_Miss], Iterator[Any]] | None
    in_flight = None
    try:
        for start in range(0, len(sources), BATCH):
            batch = sources[start : start + BATCH]
            results, misses = _look_up(batch, start, files, cache, identified, notes)
            if start == 0:
                # Decided once, before any progress bar thread exists: fork only then.
                pool = Workers.start(
                    len(misses) / max(len(batch), 1) * len(sources),
                    schemas,
                    settings.root,
                    day,
                    public=public,
                    elsewhere=elsewhere,
                    keep=keep,
                )
            if pool is not None:  # what the workers do, counted here (their counts stay there)
                for _index, _source, _raw, blob in misses:
                    trace.count("check", blob)
                    trace.count("parse", blob)
                checks: Iterator[Any] = pool.map(
                    [(s.kind, s.path, raw) for _i, s, raw, _b in misses]
                )
            else:
                checks = (
                    (
                        *check_and_keep(
                            source.kind,
                            source.path,
                            raw,
                            schemas,
                            settings.root,
                            day,
                            public=public,
                            elsewhere=elsewhere,
                            parsed=files.parsed(source, blob),
                            keep=keep,
                        ),
                        None,
                    )
                    for __, source, raw, blob in misses
                )
            if in_flight is not None:
                yield from _verdicts(*in_flight, cache, notes)
            in_flight = (results, misses, checks)
        if in_flight is not None:
            yield from _verdicts(*in_flight, cache, notes)
    finally:
        if pool is not None:
            pool.close()


_Miss = tuple[int, Source, bytes, str]
"""A file to check: its place in the batch's results, its source, its bytes and blob id."""


def _look_up(
    batch: Sequence[Source],
    start: int,
    files: Files,
    cache: ResultCache | None,
    identified: Sequence[tuple[str, bytes | None] | Finding] | None,
    notes: RecordCache | None,
) -> tuple[list[tuple[FileCheck, str] | Finding], list[_Miss]]:
    """The verdicts the cache knows for a batch of files (placeholders for the rest), and the
    files left to check, read (files are known by the signatures `notes` holds)."""
    results: list[tuple[FileCheck, str] | Finding] = []
    misses: list[_Miss] = []
    unread: list[tuple[int, Source]] = []
    for number, source in enumerate(batch, start=start):
        found = (
            identified[number]
            if identified
            else files.identify(source, notes.blob_notes if notes else None)
        )
        if isinstance(found, Finding):
            results.append(found)
            continue
        blob, raw = found
        known = cache.get(source.path, blob) if cache is not None else None
        if known is not None:
            results.append((known, blob))
            continue
        if raw is None:  # known by its signature or from git only: read below
            unread.append((len(results), source))
            results.append((_PENDING, blob))
            continue
        misses.append((len(results), source, raw, blob))
        results.append((_PENDING, blob))
    contents = read_many(files, [source for __, source in unread])
    for index, source in unread:
        read = contents[source.path]
        if isinstance(read, Finding):
            results[index] = read
        else:
            misses.append((index, source, read, records.blob_id(read)))
    misses.sort(key=lambda miss: miss[0])
    return results, misses


def _verdicts(
    results: list[tuple[FileCheck, str] | Finding],
    misses: list[_Miss],
    checks: Iterator[tuple[FileCheck, Kept | None, str | None]],
    cache: ResultCache | None,
    notes: RecordCache | None,
) -> Iterator[tuple[FileCheck, str] | Finding]:
    """A batch's results, the verdicts made for it filled in (and kept in the caches)."""
    for (index, source, _raw, blob), (check, kept, text) in zip(misses, checks, strict=True):
        if cache is not None:
            cache.put(source.path, blob, check, text)
        if kept is not None and notes is not None:
            notes.put_encoded(
                blob, kept.facts, kept.data, kept.outline, kept.shape, no_contact=kept.no_contact
            )
        results[index] = (check, blob)
    yield from results
