"""Where the validation pipeline gets the bytes of record files: the working tree or a commit.

A source is identified by its git blob id before anything else: the result cache answers by
blob id, so an unchanged file is not read at all. On disk, a file's blob id is known without
reading it while its signature (size, times, inode) is the one noted with it, or when the
run's snapshot of the working tree knows it; in a commit, git's tree gives it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from ichinv.core.model import Finding, Record, RecordKind
from ichinv.inventory import record_files as records
from ichinv.inventory.blob_notes import BlobNotes
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.snapshots import WorkingTreeSnapshot
from ichinv.io.git import BlobReader, TooLarge
from ichinv.io.settings import Settings


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
        self, source: Source, cache: BlobNotes | None
    ) -> tuple[str, bytes | None] | Finding:
        """The blob id of `source`, and its bytes when they had to be read for it."""

    def read(self, source: Source) -> bytes | Finding:
        """The bytes of `source` (a Finding when they cannot be read)."""

    def parsed(self, source: Source, blob: str) -> Record | None:
        """The record of `source` with bytes `blob` if this run parsed it already."""


def read_many(files: Files, sources: Sequence[Source]) -> dict[str, bytes | Finding]:
    """The bytes of `sources` by path (together where the files can: a commit's)."""
    many = getattr(files, "read_many", None)
    if many is not None:
        return dict(many(sources))
    return {s.path: files.read(s) for s in sources}


class WorkingTreeFiles:
    """The record files on disk. A file's blob id is known without reading it while its
    signature (size, times, inode) is the one the cache noted with it, or when the run's
    snapshot of the working tree (`tree`) knows it (from git's index, or from the bytes it
    read, which it then gives too)."""

    def __init__(self, settings: Settings, tree: WorkingTreeSnapshot | None = None) -> None:
        self.settings = settings
        self.tree = tree

    def _file(self, source: Source) -> records.SourceFile:
        return records.SourceFile.inside(self.settings.root, source.kind, source.path)

    def read(self, source: Source) -> bytes | Finding:
        if self.tree is not None and self.tree.kind_of(source.path) is not None:
            return self.tree.read(source.path)
        return records.read(self._file(source), self.settings.max_file_size)

    def parsed(self, source: Source, blob: str) -> Record | None:
        found = self.tree.parsed(source.path) if self.tree is not None else None
        return found if found is not None and found.blob == blob else None

    def identify(
        self, source: Source, cache: BlobNotes | None
    ) -> tuple[str, bytes | None] | Finding:
        if self.tree is not None:
            listed = self.tree.blob_of(source.path)
            if listed:
                return listed, self.tree.held(source.path)
        taken = (
            records.signature(os.path.join(self.settings.root, source.path))
            if cache is not None
            else None
        )
        if taken is not None and cache is not None:
            blob = cache.known_blob(source.path, taken[0])
            if blob is not None:
                return blob, None
        raw = self.read(source)
        if isinstance(raw, Finding):
            return raw
        blob = records.blob_id(raw)
        if taken is not None and taken[1] and cache is not None:
            cache.note_blob(source.path, taken[0], blob)
        return blob, raw


class CommitFiles:
    """The record files of a commit, read from git objects through one stream. What a quick
    look at the bytes read finds is noted in the record cache (`notes`), so that nothing
    needs to read them again for it (ichinv.validate.new_since)."""

    def __init__(
        self,
        reader: BlobReader,
        max_size: int,
        stored: Mapping[str, str] | None = None,
        notes: RecordCache | None = None,
    ) -> None:
        self.reader = reader
        self.max_size = max_size
        self.stored = stored or {}
        """Path → mode of the record paths git stores as no file (ichinv.io.git_types)."""
        self.notes = notes

    def read(self, source: Source) -> bytes | Finding:
        return self.read_many([source])[source.path]

    def read_many(self, sources: Sequence[Source]) -> dict[str, bytes | Finding]:
        """The bytes of `sources` by path, requested from git together."""
        found: dict[str, bytes | Finding] = {
            s.path: problem for s in sources if (problem := self._stored(s.path)) is not None
        }
        wanted = [s for s in sources if s.path not in found]
        contents = self.reader.read_many((s.blob for s in wanted), max_size=self.max_size)
        for source in wanted:
            content = contents[source.blob]
            if isinstance(content, TooLarge):
                found[source.path] = records.too_large(source.path, content.size, self.max_size)
            else:
                found[source.path] = content
                if self.notes is not None:
                    self.notes.put(source.blob, content)
        return found

    def identify(
        self, source: Source, cache: BlobNotes | None
    ) -> tuple[str, bytes | None] | Finding:
        problem = self._stored(source.path)
        return (source.blob, None) if problem is None else problem

    def _stored(self, path: str) -> Finding | None:
        mode = self.stored.get(path)
        return records.stored_in_git(path, mode) if mode is not None else None

    def parsed(self, source: Source, blob: str) -> Record | None:
        return None
