"""The history of one element from git: the commits that touched it and what each changed.

The record is followed by its `id`, not its file name: when a commit adds the file at a path
and deletes another one holding the same id, that is a move, and the history continues at the
old path. One `git log --raw` pass lists every commit touching elements/; one `git cat-file
--batch` stream reads the versions needed; the diff engine says which fields each commit
changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ichinv.core.contacts import without_contacts
from ichinv.core.i18n import _
from ichinv.core.model import ElementStatus, Finding, HistoryEntry, Record, RecordKind
from ichinv.diff import compare as comparison
from ichinv.diff import engine as diffing
from ichinv.diff.positions import Locator
from ichinv.inventory import audience as redact
from ichinv.inventory import record_files as records
from ichinv.inventory import redaction
from ichinv.inventory.audience import Audience
from ichinv.inventory.changes_view import Locate, OtherVersion, other_version, public_changes
from ichinv.inventory.policy import Policy, policy_for
from ichinv.inventory.quick_read import quick_id
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.snapshots import WorkingTreeSnapshot
from ichinv.io.git import BlobReader, CommitInfo, GitRepo, RawChange, TooLarge, open_repo
from ichinv.io.settings import Settings


@dataclass(frozen=True, slots=True)
class _Step:
    """One commit's effect on the element, before the versions are parsed."""

    info: CommitInfo
    path: str
    old_blob: str | None
    new_blob: str | None
    old_path: str | None = None


class _Versions:
    """Blobs read through one cat-file stream, kept, and their ids; each version parsed once
    (or taken from the record cache)."""

    def __init__(
        self,
        reader: BlobReader,
        max_size: int,
        cache: RecordCache,
        known: dict[str, Record] | None = None,
    ) -> None:
        self.reader = reader
        self.max_size = max_size
        self.cache = cache
        self.known = known or {}
        """Records this run parsed already, by blob id (the working tree's)."""
        self.raw: dict[str, bytes | TooLarge] = {}
        self.parsed: dict[tuple[str, str], Record | Finding] = {}

    def get(self, blob: str) -> bytes | TooLarge:
        if blob not in self.raw:
            self.raw[blob] = self.reader.read(blob, max_size=self.max_size)
        return self.raw[blob]

    def id_of(self, blob: str, path: str) -> str | None:
        raw = self.get(blob)
        if isinstance(raw, TooLarge):
            return None
        found = quick_id(raw)
        if found is None:
            parsed = records.parse(RecordKind.ELEMENT, path, raw)
            found = None if isinstance(parsed, Finding) else parsed[0].id
        return found

    def record(self, blob: str, path: str) -> Record | Finding:
        if (blob, path) not in self.parsed:
            self.parsed[(blob, path)] = self._record(blob, path)
        return self.parsed[(blob, path)]

    def _record(self, blob: str, path: str) -> Record | Finding:
        if blob in self.known:
            return replace(self.known[blob], kind=RecordKind.ELEMENT, path=path)
        known = self.cache.data([blob]).get(blob)
        if known is not None:
            return Record(RecordKind.ELEMENT, path, known, blob)
        raw = self.get(blob)
        if isinstance(raw, TooLarge):
            return Finding(
                path,
                "file.too-large",
                _(
                    "{path} was {size:,} bytes in this commit; records are limited to "
                    "{max_size:,} bytes"
                ).format(path=path, size=raw.size, max_size=self.max_size),
                line=None,
            )
        parsed = records.parse(RecordKind.ELEMENT, path, raw)
        if isinstance(parsed, Finding):
            return parsed
        self.cache.put(blob, raw, parsed[0].data)
        return parsed[0]


def element_history(
    settings: Settings,
    element_id: str,
    *,
    rev: str = "HEAD",
    audience: Audience = Audience.PUBLIC,
    tree: WorkingTreeSnapshot | None = None,
) -> list[HistoryEntry]:
    """Every commit reachable from `rev` that touched the element, newest first.

    For the public (the default), a change inside anything withheld by either version, or by
    the record as it is today, says where and what kind, never what: today's restrictions
    apply to every past value. Empty when no commit ever held the element. Raises GitError
    when the inventory is not in a git repository, RevisionNotFound when `rev` does not exist.
    `tree`: the run's snapshot of the working tree, when it has read one (its provinces and
    today's record are not read again).
    """
    repo = open_repo(settings.root)
    head = repo.head() if rev == "HEAD" else repo.resolve(rev)
    if head is None:  # a repository without commits
        return []
    with RecordCache.open(settings) as cache, repo.blob_reader() as reader:
        rules = _rules(settings, tree, cache)
        known = tree.by_blob() if tree is not None else {}
        versions = _Versions(reader, settings.max_file_size, cache, known)
        start = _locate(repo, head, element_id, versions)
        steps = _walk(repo, head, element_id, start, versions)
        entries = [_entry(step, element_id, versions, rules) for step in steps]
        stops = repo.shallow_commits()
        if stops:
            entries = [replace(e, cut=e.commit in stops) for e in entries]
        if audience is Audience.COMMITTEE:
            return entries
        today, unreadable = _today(settings, element_id, start, versions, tree, cache)
        policy = policy_for(settings.schema_dir)
        held = [
            record
            for step in steps
            for blob, path in (
                (step.new_blob, step.path),
                (step.old_blob, step.old_path or step.path),
            )
            if blob is not None and isinstance(record := versions.record(blob, path), Record)
        ]
        if today is None and not unreadable and held:
            today = held[0]  # deleted: its last version says what stays withheld
        # A part any version restricted stays withheld in every step (restricted in one commit,
        # the record broken or deleted in the next), judged where each change lies in that
        # version (versions that judge alike, once); while the record as it is today cannot be
        # read, so is everything but its identification.
        where = Locator(rules)
        restricting = [
            other_version(record.data, policy=policy, only=redact.Why.RESTRICTED)
            for record in {r.blob: r for r in held}.values()
        ]
        if today is not None:
            restricting.append(other_version(today.data, policy=policy))
        others = tuple(
            {where.signature(v.data, [p.pointer for p in v.parts]): v for v in restricting}.values()
        )
        also = (
            (redact.WithheldPart(redact.WHOLE_RECORD, redact.Why.UNREADABLE),) if unreadable else ()
        )
        return [
            _public(entry, step, versions, policy, others, where, also)
            for entry, step in zip(entries, steps, strict=True)
        ]


def unreadable_versions(entries: Sequence[HistoryEntry]) -> list[tuple[str, Finding]]:
    """The versions of the record in `entries` that could not be read, each once, oldest
    first: (the commit that made it, as far as the history shows, and why). A broken version
    is the new one of the commit that made it and the old one of the next."""
    found: dict[Finding, str] = {}
    for entry in reversed(entries):  # oldest first: the first commit to show it made it
        for problem in entry.problems:
            found.setdefault(problem, entry.commit)
    return [(commit, problem) for problem, commit in found.items()]


def is_cut(entries: Sequence[HistoryEntry]) -> bool:
    """Whether the history shown is cut short by a shallow clone."""
    return any(e.cut for e in entries)


def _locate(
    repo: GitRepo, head: str, element_id: str, versions: _Versions
) -> tuple[str, str | None]:
    """Path and blob of the element at `head`; (expected path, None) when it is not there."""
    entries = [e for e in repo.record_blobs(head) if e.kind is RecordKind.ELEMENT]
    expected = f"{RecordKind.ELEMENT.folder}/{element_id}{records.SUFFIX}"
    by_path = {e.path: e for e in entries}
    if expected in by_path and versions.id_of(by_path[expected].blob, expected) in (
        element_id,
        None,  # cannot be read: the file's name says whose it is
    ):
        return expected, by_path[expected].blob
    # A misnamed file: look at the id inside every record (one stream).
    contents = versions.reader.read_many((e.blob for e in entries), max_size=versions.max_size)
    versions.raw.update(contents)
    for entry in entries:
        if versions.id_of(entry.blob, entry.path) == element_id:
            return entry.path, entry.blob
    return expected, None


def _walk(
    repo: GitRepo,
    head: str,
    element_id: str,
    start: tuple[str, str | None],
    versions: _Versions,
) -> list[_Step]:
    path, blob = start
    alive = blob is not None
    steps: list[_Step] = []
    for info in repo.log(head):
        change = next((c for c in info.changes if c.path == path), None)
        if change is None:
            continue
        if alive and change.new_blob is not None:
            if change.old_blob is None:
                moved = _moved_from(info, change, element_id, versions)
                if moved is not None:
                    steps.append(_Step(info, path, moved.old_blob, change.new_blob, moved.path))
                    path, blob = moved.path, moved.old_blob
                else:
                    steps.append(_Step(info, path, None, change.new_blob))
                    alive = False
                continue
            if versions.id_of(change.old_blob, path) not in (element_id, None):
                # The path held another element before: this commit brought ours here.
                steps.append(_Step(info, path, None, change.new_blob))
                alive = False
                continue
            steps.append(_Step(info, path, change.old_blob, change.new_blob))
            blob = change.old_blob
        elif not alive and change.new_blob is None and change.old_blob is not None:
            if versions.id_of(change.old_blob, path) in (element_id, None):
                steps.append(_Step(info, path, change.old_blob, None))
                alive, blob = True, change.old_blob
    return steps


def _moved_from(
    info: CommitInfo, added: RawChange, element_id: str, versions: _Versions
) -> RawChange | None:
    """The file deleted by the same commit that held the element, if the addition is a move."""
    for change in info.changes:
        if change.path != added.path and change.new_blob is None and change.old_blob is not None:
            if versions.id_of(change.old_blob, change.path) == element_id:
                return change
    return None


def _rules(
    settings: Settings, tree: WorkingTreeSnapshot | None, cache: RecordCache
) -> diffing.DiffRules:
    """Diff rules from the working tree's schema and provinces (today's successors)."""
    if tree is not None:
        found = list(tree.records(tree.paths(RecordKind.PROVINCE)).values())
    else:
        files, __ = records.discover(settings)
        found = []
        for file in files:
            if file.kind is RecordKind.PROVINCE:
                raw = records.read(file, settings.max_file_size)
                found.append(
                    cache.parse(file.kind, file.rel, raw) if isinstance(raw, bytes) else raw
                )
    return comparison.inventory_rules(settings, [r for r in found if isinstance(r, Record)])


def _entry(
    step: _Step, element_id: str, versions: _Versions, rules: diffing.DiffRules
) -> HistoryEntry:
    info = step.info
    old = versions.record(step.old_blob, step.old_path or step.path) if step.old_blob else None
    new = versions.record(step.new_blob, step.path) if step.new_blob else None
    problems = tuple(v for v in (old, new) if isinstance(v, Finding))
    if problems:
        status = (
            ElementStatus.ADDED
            if old is None
            else ElementStatus.REMOVED
            if new is None
            else ElementStatus.REVISED
        )
        diff = None
    else:
        assert not isinstance(old, Finding) and not isinstance(new, Finding)
        diff = diffing.element_diff(element_id, old, new, rules)
        status = diff.status
    return HistoryEntry(
        commit=info.commit,
        author=info.author,
        date=info.date,
        subject=info.subject,
        status=status,
        path=step.path,
        changes=diff.changes if diff else (),
        old_path=step.old_path,
        problems=problems,
    )


def _today(
    settings: Settings,
    element_id: str,
    start: tuple[str, str | None],
    versions: _Versions,
    tree: WorkingTreeSnapshot | None,
    cache: RecordCache,
) -> tuple[Record | None, bool]:
    """The record as it is today: in the working tree, else at the revision walked from; and
    whether it is there but cannot be read."""
    rel = f"{RecordKind.ELEMENT.folder}/{element_id}{records.SUFFIX}"
    current: Record | Finding | None = None
    if tree is not None:
        tree.adopt({r.blob: r for r in versions.parsed.values() if isinstance(r, Record)})
        current = tree.record(rel) if tree.kind_of(rel) is not None else None
    else:
        source = records.SourceFile.inside(settings.root, RecordKind.ELEMENT, rel)
        raw = records.read(source, settings.max_file_size)
        parsed = {r.blob: r for r in versions.parsed.values() if isinstance(r, Record)}
        held = records.blob_id(raw) if isinstance(raw, bytes) else ""
        current = (
            replace(parsed[held], path=rel)
            if held in parsed
            else cache.parse(RecordKind.ELEMENT, rel, raw)
            if isinstance(raw, bytes)
            else raw
        )
    if isinstance(current, Record) and current.id == element_id:
        return current, False
    broken = isinstance(current, Finding) and current.rule != "file.missing"
    path, blob = start
    found = versions.record(blob, path) if blob is not None else None
    if isinstance(found, Record):
        return found, broken
    return None, broken or isinstance(found, Finding)


def _public(
    entry: HistoryEntry,
    step: _Step,
    versions: _Versions,
    policy: Policy,
    others: Sequence[OtherVersion],
    where: Locate,
    also: tuple[redact.WithheldPart, ...],
) -> HistoryEntry:
    old = versions.record(step.old_blob, step.old_path or step.path) if step.old_blob else None
    new = versions.record(step.new_blob, step.path) if step.new_blob else None
    changes = public_changes(
        entry.changes,
        before=old.data if isinstance(old, Record) else None,
        after=new.data if isinstance(new, Record) else None,
        others=others,
        locate=where,
        also=also,
        policy=policy,
    )
    # An author's name and a subject are free text written by whoever committed: what in
    # them may be a contact (`user.name` set to an e-mail address) is not shown.
    return replace(
        entry,
        changes=changes,
        author=without_contacts(entry.author),
        subject=without_contacts(entry.subject),
        path=redaction.public_path(entry.path),
        old_path=redaction.public_path(entry.old_path) if entry.old_path else None,
        problems=tuple(redaction.public_problem(p) for p in entry.problems),
    )
