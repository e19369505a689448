"""An inventory state (the working tree or a commit) as record files by path, parsed on demand.

A snapshot knows every record file's path and git blob id up front (the working tree's are
computed from the bytes, a commit's come from `git ls-tree`), and parses a record only when
asked: a diff never parses a file whose blob is the same on both sides. A commit's records are
read straight from git objects through one `git cat-file --batch` stream: no checkout, no
temporary files. A file that cannot be read or parsed becomes a Finding, never an exception.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from types import TracebackType

from ichinv.core.errors import RevisionNotFound
from ichinv.core.i18n import N_, _
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.inventory import record_files as records
from ichinv.inventory.quick_read import quick_id
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

    def __init__(
        self,
        label: str,
        entries: Iterable[tuple[RecordKind, str, str, str | None]],
        max_size: int,
    ) -> None:
        """`entries`: (kind, path, blob id, id hint) of every record file."""
        self.label = label
        self.max_size = max_size
        self._parsed: dict[str, Record | Finding] = {}
        self._kinds: dict[str, RecordKind] = {}
        self._blobs: dict[RecordKind, dict[str, str]] = {kind: {} for kind in RecordKind}
        self.hints: dict[str, str | None] = {}
        """Path → id known without parsing (for the files that were read)."""
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

    def records(self, paths: Iterable[str]) -> dict[str, Record | Finding]:
        """The parsed records at `paths` (a Finding for each one that cannot be read)."""
        wanted = [p for p in dict.fromkeys(paths) if p in self._kinds]
        missing = [p for p in wanted if p not in self._parsed]
        if missing:
            for path, raw in self._raw(missing).items():
                self._parsed[path] = self._parse(path, raw)
        return {p: self._parsed[p] for p in wanted}

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
        return parsed if isinstance(parsed, Finding) else parsed[0]

    def _raw(self, paths: list[str]) -> dict[str, bytes | Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        """Release what the snapshot holds open (a git process)."""

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class WorkingTreeSnapshot(Snapshot):
    """The records on disk now, committed or not, tracked or not (the files `validate` reads).

    Blob ids come from git's index for the tracked files git vouches are unmodified; every
    other file is read and hashed. Without git, every file is read.
    """

    def __init__(self, settings: Settings, *, repo: GitRepo | None = None) -> None:
        self._root = settings.root
        self._unreadable: dict[str, Finding] = {}
        clean = repo.clean_blobs() if repo is not None else {}
        files: list[tuple[RecordKind, str, str, str | None]] = []
        found, problems = records.discover(settings)
        self.problems: tuple[Finding, ...] = tuple(problems)
        """Files in elements/ or provinces/ that are not records (`ichinv validate` names them)."""
        for kind, rel in ((f.kind, f.rel) for f in found):
            blob = clean.get(rel)
            if blob is not None:
                files.append((kind, rel, blob, None))
                continue
            raw = records.read(self._source(kind, rel), settings.max_file_size)
            if isinstance(raw, Finding):
                self._unreadable[rel] = raw
                files.append((kind, rel, "", None))
            else:
                files.append((kind, rel, records.blob_id(raw), quick_id(raw)))
        super().__init__(WORKING_TREE, files, settings.max_file_size)

    def _raw(self, paths: list[str]) -> dict[str, bytes | Finding]:
        result: dict[str, bytes | Finding] = {}
        for path in paths:
            if path in self._unreadable:
                result[path] = self._unreadable[path]
            else:
                result[path] = records.read(self._source(self._kinds[path], path), self.max_size)
        return result

    def _source(self, kind: RecordKind, rel: str) -> records.SourceFile:
        return records.SourceFile(kind, self._root / rel, rel)


class CommitSnapshot(Snapshot):
    """The records of one commit, read from git objects."""

    def __init__(self, repo: GitRepo, commit: str, max_size: int) -> None:
        self._repo = repo
        self._reader: BlobReader | None = None
        self._symlinks: set[str] = set()
        files = []
        for entry in repo.record_blobs(commit):
            if entry.symlink:
                self._symlinks.add(entry.path)
            files.append((entry.kind, entry.path, entry.blob, None))
        super().__init__(commit, files, max_size)

    def _raw(self, paths: list[str]) -> dict[str, bytes | Finding]:
        result: dict[str, bytes | Finding] = {}
        for path in paths:
            if path in self._symlinks:
                result[path] = records.symlink_in_git(path)
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


def working_tree(settings: Settings, *, repo: GitRepo | None = None) -> WorkingTreeSnapshot:
    """The inventory as it is on disk, uncommitted and untracked records included.

    With `repo` (the git repository holding the inventory), files git knows to be unmodified
    are not read: their blob ids come from the index.
    """
    return WorkingTreeSnapshot(settings, repo=repo)


def at_commit(
    settings: Settings, rev: str, *, repo: GitRepo | None = None, what: str = N_("revision")
) -> CommitSnapshot:
    """The inventory at git revision `rev`, or at the baseline `rev` names (RevisionNotFound /
    GitError when it cannot be read)."""
    repo = repo or open_repo(settings.root)
    try:
        commit = repo.resolve(settings.revision(rev), what=what)
    except RevisionNotFound as exc:
        close = difflib.get_close_matches(rev, list(settings.baselines), n=1, cutoff=0.6)
        if not close:
            raise
        raise RevisionNotFound(
            exc.message,
            hint=_("did you mean the baseline {close!r}? ({hint})").format(
                close=close[0], hint=exc.hint
            ),
        ) from None
    return CommitSnapshot(repo, commit, settings.max_file_size)
