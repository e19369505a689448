"""An inventory state (the working tree or a commit) as record files by path, parsed on demand.

A snapshot knows every record file's path and git blob id up front (the working tree's are
computed from the bytes, a commit's come from `git ls-tree`), and parses a record only when
asked: a diff never parses a file whose blob is the same on both sides. A commit's records are
read straight from git objects through one `git cat-file --batch` stream: no checkout, no
temporary files. A file that cannot be read or parsed becomes a Finding, never an exception.

With a record cache (ichinv.inventory.record_cache), a record an earlier run parsed (or failed
to parse) is taken from it unread, and what is parsed here is kept there. Within a run each
file is parsed at most once; `forget` lets a caller working in batches keep memory flat.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from types import TracebackType
from typing import Self

from ichinv.core.errors import IchinvError
from ichinv.core.i18n import N_
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.inventory import commit_files, revisions
from ichinv.inventory import record_files as records
from ichinv.inventory.commit_files import FILE_MODE
from ichinv.inventory.contact_texts import with_search
from ichinv.inventory.quick_read import quick_id
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.record_entries import Facts, Outline, facts_of, outline_of
from ichinv.io.git import BlobReader, GitRepo, TooLarge, open_repo
from ichinv.io.settings import Settings

WORKING_TREE = "working-tree"
"""The label of the working tree (what SPEC's JSON calls `against` by default)."""


@dataclass(frozen=True, slots=True)
class FileRef:
    """A record file of a snapshot, before any parsing."""

    kind: RecordKind
    path: str
    """Relative to the inventory root, with forward slashes."""
    blob: str
    """Git blob id of the bytes; empty when the file could not be read."""
    id_hint: str | None = None
    """The id from the `id:` line, when the bytes were read; names records whose bytes did not
    change (the file name does when it is None)."""


class Snapshot:
    """Record files of one state of the inventory; records parsed on demand and kept."""

    label: str
    """`working-tree`, or the 40-hex id of the commit."""
    problems: tuple[Finding, ...]
    """What the records folders hold that is no record (`ichinv validate` names it)."""

    def __init__(
        self,
        label: str,
        entries: Iterable[tuple[RecordKind, str, str, str | None]],
        max_size: int,
        cache: RecordCache | None = None,
    ) -> None:
        """`entries`: (kind, path, blob id, id hint) of every record file."""
        self.label = label
        self.max_size = max_size
        self.cache = cache
        """Where parsed records are kept between runs (None: nowhere)."""
        self._parsed: dict[str, Record | Finding] = {}
        self._kinds: dict[str, RecordKind] = {}
        self._blobs: dict[RecordKind, dict[str, str]] = {kind: {} for kind in RecordKind}
        self.hints: dict[str, str | None] = {}
        """Path → id known without parsing (for the files that were read)."""
        self._outlines: dict[str, Outline] = {}  # those the record cache gave: asked once
        for kind, path, blob, hint in entries:
            self._kinds[path] = kind
            self._blobs[kind][path] = blob
            if hint is not None:
                self.hints[path] = hint

    @cached_property
    def files(self) -> dict[str, FileRef]:
        """Every record file, by path."""
        return {
            path: FileRef(kind, path, self._blobs[kind][path], self.hints.get(path))
            for path, kind in self._kinds.items()
        }

    def listed(self) -> Iterable[str]:  # the paths of `files`, in order, without making them
        return self._kinds.keys()

    @property
    def file_count(self) -> int:
        """The number of record files (without making `files`: 100,000 FileRefs, 10 MB)."""
        return len(self._kinds)

    def kind_of(self, path: str) -> RecordKind | None:
        return self._kinds.get(path)

    @property
    def commit(self) -> str | None:
        """The commit id, or None for the working tree."""
        return None if self.label == WORKING_TREE else self.label

    def blobs(self, kind: RecordKind = RecordKind.ELEMENT) -> dict[str, str]:
        """Path → blob id of the records of `kind` (do not modify)."""
        return self._blobs[kind]

    def paths(self, kind: RecordKind) -> list[str]:
        return list(self._blobs[kind])

    def blob_of(self, path: str) -> str:
        """The blob id of the record file at `path` (empty when unknown or unreadable)."""
        kind = self._kinds.get(path)
        return self._blobs[kind].get(path, "") if kind is not None else ""

    def records(self, paths: Iterable[str]) -> dict[str, Record | Finding]:
        """The parsed records at `paths` (a Finding for each one that cannot be read)."""
        wanted = [p for p in dict.fromkeys(paths) if p in self._kinds]
        missing = [p for p in wanted if p not in self._parsed]
        if missing and self.cache is not None:
            blobs = {p: self.blob_of(p) for p in missing}
            known = self.cache.entries(blobs.values())
            for path in (p for p in missing if blobs[p] in known):
                data, searched = known[blobs[path]]
                self._parsed[path] = Record(self._kinds[path], path, data, blobs[path], searched)
            missing = [p for p in missing if p not in self._parsed]
            self._parsed.update(self.cache.failures.of({p: blobs[p] for p in missing}))
            missing = [p for p in missing if p not in self._parsed]
        if missing:
            for path, raw in self._raw(missing).items():
                parsed = self._parse(path, raw)
                self._parsed[path] = parsed
                if self.cache is None or not isinstance(raw, bytes):
                    continue
                if isinstance(parsed, Record):
                    self.cache.put(parsed.blob, raw, parsed.data, parsed.no_contact)
                elif len(raw) <= self.max_size:  # no parse failed on a file too large
                    self.cache.failures.keep(raw, parsed)
        return {p: self._parsed[p] for p in wanted}

    @contextmanager
    def caching(self, cache: RecordCache) -> Iterator[Self]:
        """This snapshot taking records from `cache` (and keeping what it parses there) while
        inside, when the cache it was made with is closed or absent: a snapshot outlives the
        cache of the run that read it (Inventory.tree)."""
        before = self.cache
        if before is None or not before.active:
            self.cache = cache
        try:
            yield self
        finally:
            self.cache = before

    def by_blob(self, paths: Iterable[str] | None = None) -> dict[str, Record]:
        """The records parsed so far (at `paths`, default all), by blob id (for `adopt` by
        another snapshot)."""
        found = self._parsed.values() if paths is None else (self._parsed.get(p) for p in paths)
        return {r.blob: r for r in found if isinstance(r, Record) and r.blob}

    def adopt(self, known: Mapping[str, Record], paths: Iterable[str] | None = None) -> None:
        """Take records another snapshot parsed (`known`, by blob id) for the files here (at
        `paths`, default all) with the same bytes: the same bytes are not parsed twice."""
        if not known:
            return
        for path in self._kinds if paths is None else paths:
            kind = self._kinds.get(path)
            found = known.get(self.blob_of(path)) if kind and path not in self._parsed else None
            if found is not None and kind is not None:
                self._parsed[path] = replace(found, kind=kind, path=path)

    def parsed(self, path: str) -> Record | None:
        """The record at `path` if it was parsed already (nothing is read or parsed here)."""
        found = self._parsed.get(path)
        return found if isinstance(found, Record) else None

    def forget(self, paths: Iterable[str]) -> None:
        """Let go of the parsed records at `paths` when a record cache can give them back
        (asked for again, they come from it); files that are no record stay as found."""
        if self.cache is None or not self.cache.active:
            return
        for path in paths:
            if isinstance(self._parsed.get(path), Record):
                del self._parsed[path]

    def lazy(self, paths: Iterable[str]) -> Parsed:
        """The records at `paths` as a mapping that parses each when first looked up. Up to
        `Parsed.KEEP` of them stay in memory once read; more are let go batch by batch."""
        return Parsed(self, paths)

    def facts(self, paths: Iterable[str]) -> dict[str, Facts]:
        """What the `id:` and `status:` lines of the files at `paths` say, without parsing
        them: from the record cache by blob id, else from their bytes (then kept there)."""
        wanted = [p for p in dict.fromkeys(paths) if p in self._kinds]
        blobs = {p: self.blob_of(p) for p in wanted}
        known = self.cache.facts(blobs.values()) if self.cache is not None else {}
        found = {p: known[blobs[p]] for p in wanted if blobs[p] in known}
        rest = [p for p in wanted if p not in found]
        for start in range(0, len(rest), 2000):  # a batch of bytes in memory at a time
            for path, raw in self.raw(rest[start : start + 2000]).items():
                if isinstance(raw, bytes):
                    found[path] = facts_of(raw)
                    if self.cache is not None:
                        # Kept under the id of the bytes read, not the one listed: a file of
                        # the working tree may have changed since the listing.
                        self.cache.put(records.blob_id(raw), raw)
                else:
                    found[path] = (None, None)
        return found

    def outlines(self, paths: Iterable[str]) -> dict[str, Outline]:
        """The outlines (id and provinces) of the records at `paths` that were parsed here or
        by an earlier run (the record cache knows them), without reading anything; a file
        neither knows is left out (read it to know)."""
        wanted = [p for p in dict.fromkeys(paths) if p in self._kinds]
        found = {
            p: outline_of(r.data) for p in wanted if isinstance(r := self._parsed.get(p), Record)
        }
        rest = {p: self.blob_of(p) for p in wanted if p not in found and p not in self._outlines}
        if rest and self.cache is not None:
            known = self.cache.outlines(rest.values(), self.label)
            self._outlines.update((p, known[b]) for p, b in rest.items() if b in known)
        found.update((p, o) for p in wanted if p not in found and (o := self._outlines.get(p)))
        return found

    def record(self, path: str) -> Record | Finding:
        return self.records([path])[path]

    def raw(self, paths: Iterable[str]) -> dict[str, bytes | Finding]:
        """The bytes of the record files at `paths`, unparsed (a Finding when unreadable)."""
        wanted = [p for p in dict.fromkeys(paths) if p in self._kinds]
        return self._raw(wanted) if wanted else {}

    def _parse(self, path: str, raw: bytes | Finding) -> Record | Finding:
        if isinstance(raw, Finding):
            return raw
        if len(raw) > self.max_size:
            return records.too_large(path, len(raw), self.max_size)
        parsed = records.parse(self._kinds[path], path, raw)
        return parsed if isinstance(parsed, Finding) else with_search(parsed[0])

    def _raw(self, paths: list[str]) -> dict[str, bytes | Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        """Release what the snapshot holds open (a git process)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class Parsed(Mapping[str, Record | Finding]):
    """Some records of a snapshot by path, parsed when looked up (`prefetch` reads many at
    once, `release` lets them go again: see Snapshot.records and Snapshot.forget)."""

    KEEP = 2000
    """Records kept once read up to this many (a small diff reads each once); beyond it
    `release` lets them go, and memory stays flat."""

    def __init__(self, snapshot: Snapshot, paths: Iterable[str]) -> None:
        self._snapshot = snapshot
        self._paths = dict.fromkeys(paths)
        self._keep = len(self._paths) <= self.KEEP

    def __getitem__(self, path: str) -> Record | Finding:
        if path not in self._paths:
            raise KeyError(path)
        return self._snapshot.records([path])[path]

    def __contains__(self, path: object) -> bool:
        return path in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def prefetch(self, paths: Sequence[str]) -> None:
        self._snapshot.records(p for p in paths if p in self._paths)

    def release(self, paths: Iterable[str]) -> None:
        if not self._keep:
            self._snapshot.forget(paths)


class WorkingTreeSnapshot(Snapshot):
    """The records on disk now, committed or not, tracked or not (the files `validate` reads).

    Blob ids come from git's index for the tracked files git vouches are unmodified; any other
    file is known without reading it while its signature (size, times, inode) is the one
    noted with its blob id in the record cache, else read and hashed. Without git, every file
    the notes do not know is read.
    """

    HOLD = 8 << 20
    """Bytes of the files read for their blob id (those git cannot vouch for) kept for the rest
    of the run, for what needs them next (parsing, validation); beyond it, read again. About
    2,700 records: at 32 MB, a diff of 9,800 changed records held bytes the cache knew."""

    def __init__(
        self,
        settings: Settings,
        *,
        repo: GitRepo | None = None,
        cache: RecordCache | None = None,
    ) -> None:
        self._root = settings.root
        self._unreadable: dict[str, Finding] = {}
        self._held: dict[str, bytes] = {}
        held = 0
        files: list[tuple[RecordKind, str, str, str | None]] = []
        listed: list[tuple[list[records.SourceFile], list[Finding]]] = []
        # The files on disk are listed while git lists its index (in a process of its own).
        clean = (
            repo.clean_blobs(lambda: listed.append(records.discover(settings)))
            if repo is not None
            else {}
        )
        found, problems = listed[0] if listed else records.discover(settings)
        self._links = {f.rel for f in found if f.link}
        self.problems = tuple(problems)
        """Files in elements/ or provinces/ that are not records (`ichinv validate` names them)."""
        notes = cache if cache is not None and cache.active else None
        # A file git does not vouch for (modified, untracked) is known without reading it
        # while its signature is the one the record cache noted with its blob id, and the
        # cache knows what a quick look at those bytes finds (the id that names it unread,
        # as reading it would give). Else it is read, hashed and noted.
        rest = [f for f in found if f.rel not in clean and not f.link]
        taken = {f.rel: records.signature(f.location) for f in rest} if notes else {}
        known = (
            notes.blob_notes.known_blobs({rel: sig[0] for rel, sig in taken.items() if sig})
            if notes and taken
            else {}
        )
        facts = notes.facts(known.values()) if notes and known else {}
        for kind, rel in ((f.kind, f.rel) for f in found):
            blob = clean.get(rel)
            if blob is not None:
                files.append((kind, rel, blob, None))
                continue
            blob = known.get(rel)
            if blob is not None and blob in facts:
                files.append((kind, rel, blob, facts[blob][0]))
                continue
            raw = records.read(self._source(kind, rel), settings.max_file_size)
            if isinstance(raw, Finding):
                self._unreadable[rel] = raw
                files.append((kind, rel, "", None))
            else:
                blob = records.blob_id(raw)
                files.append((kind, rel, blob, quick_id(raw)))
                sig = taken.get(rel)
                if notes and sig and sig[1]:
                    notes.blob_notes.note_blob(rel, sig[0], blob)
                    notes.put(blob, raw)  # what a quick look finds, for the next run
                if held + len(raw) <= self.HOLD:
                    self._held[rel] = raw
                    held += len(raw)
        self._holding = held
        super().__init__(WORKING_TREE, files, settings.max_file_size, cache)

    def _raw(self, paths: list[str]) -> dict[str, bytes | Finding]:
        result: dict[str, bytes | Finding] = {}
        for path in paths:
            if path in self._unreadable:
                result[path] = self._unreadable[path]
            elif path in self._held:
                result[path] = self._held[path]
            else:
                raw = records.read(self._source(self._kinds[path], path), self.max_size)
                result[path] = raw
                if isinstance(raw, bytes) and self._holding + len(raw) <= self.HOLD:
                    self._held[path] = raw  # validation may want them after parsing
                    self._holding += len(raw)
        return result

    def _source(self, kind: RecordKind, rel: str) -> records.SourceFile:
        return records.SourceFile.inside(self._root, kind, rel)

    def held(self, path: str) -> bytes | None:
        """The bytes of `path` if this snapshot read them (None: read them yourself)."""
        return self._held.get(path)

    def read(self, path: str) -> bytes | Finding:
        """The bytes of the record file at `path`, kept for whatever in this run asks next
        (up to HOLD bytes in all)."""
        return self._raw([path])[path]

    def unreadable(self, path: str) -> Finding | None:
        """Why `path` could not be read when the snapshot was taken (None: it could be)."""
        return self._unreadable.get(path)

    def sources(self) -> list[records.SourceFile]:
        """Every record file, as `records.discover` found it (made again when asked: kept, the
        100,000 of a large inventory held 17 MB through every diff)."""
        return [
            records.SourceFile.inside(self._root, kind, rel, rel in self._links)
            for rel, kind in self._kinds.items()
        ]


class CommitSnapshot(Snapshot):
    """The records of one commit, read from git objects."""

    def __init__(
        self, repo: GitRepo, commit: str, max_size: int, cache: RecordCache | None = None
    ) -> None:
        self._repo = repo
        self._reader: BlobReader | None = None
        self._listing = commit_files.listed(repo, commit, cache)
        self._stored = {
            path: mode for *__, path, _blob, mode in self._listing.files if mode != FILE_MODE
        }
        """Path → mode of the record paths git stores as no file (a link, a gitlink)."""
        self.problems = commit_files.problems(self._listing)  # as the working tree's
        files = ((kind, path, blob, None) for kind, path, blob, __ in self._listing.files)
        super().__init__(commit, files, max_size, cache)

    def blob_of(self, path: str) -> str:
        # A link's blob is its target, a gitlink's id another repository's commit: no record,
        # never looked up in the cache.
        return "" if path in self._stored else super().blob_of(path)

    def holdings(self, problems: Iterable[Finding] | None = None) -> dict[Finding, frozenset[str]]:
        """ichinv.inventory.unreadable.holdings of `problems` (default: what in elements/ is
        no record) in this commit."""
        found = self.problems if problems is None else problems
        return commit_files.holdings(self._repo, self.label, self._listing, found)

    def _raw(self, paths: list[str]) -> dict[str, bytes | Finding]:
        result: dict[str, bytes | Finding] = {
            path: problem
            for path in paths
            if (problem := records.stored_in_git(path, self._stored.get(path, FILE_MODE)))
        }
        blobs = {p: self._blobs[self._kinds[p]][p] for p in paths if p not in result}
        if blobs:
            if self._reader is None:
                self._reader = self._repo.blob_reader()
            contents = self._reader.read_many(blobs.values(), max_size=self.max_size)
            for path, blob in blobs.items():
                content = contents[blob]
                result[path] = (
                    records.too_large(path, content.size, self.max_size)
                    if isinstance(content, TooLarge)
                    else content
                )
        return result

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None


def working_tree(
    settings: Settings, *, repo: GitRepo | None = None, cache: RecordCache | None = None
) -> WorkingTreeSnapshot:
    """The inventory as it is on disk, uncommitted and untracked records included.

    With `repo` (the git repository holding the inventory), files git knows to be unmodified
    are not read: their blob ids come from the index. With `cache`, records parsed by an
    earlier run are taken from it."""
    return WorkingTreeSnapshot(settings, repo=repo, cache=cache)


def current(settings: Settings, *, cache: RecordCache | None = None) -> WorkingTreeSnapshot:
    """`working_tree` through the git repository holding the inventory when there is one (its
    index names the unmodified files), else by reading every file."""
    try:
        repo: GitRepo | None = open_repo(settings.root)
    except IchinvError:
        repo = None
    return WorkingTreeSnapshot(settings, repo=repo, cache=cache)


def at_commit(
    settings: Settings,
    rev: str,
    *,
    repo: GitRepo | None = None,
    what: str = N_("revision"),
    cache: RecordCache | None = None,
) -> CommitSnapshot:
    """The inventory at git revision `rev`, or at the baseline `rev` names (RevisionNotFound /
    GitError when it cannot be read)."""
    repo = repo or open_repo(settings.root)
    commit = revisions.resolve(settings, repo, rev, what=what)
    return CommitSnapshot(repo, commit, settings.max_file_size, cache)
