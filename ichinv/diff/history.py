"""The history of one element from git: the commits that touched it and what each changed.

The record is followed by its `id`, not its file name: when a commit adds the file at a path
and deletes another one holding the same id, that is a move, and the history continues at the
old path. One `git log --raw` pass lists every commit touching elements/; one `git cat-file
--batch` stream reads the versions needed; the diff engine says which fields each commit
changed.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace

from ichinv.core.i18n import _
from ichinv.core.model import ElementStatus, Finding, HistoryEntry, Record, RecordKind
from ichinv.diff import compare as comparison
from ichinv.diff import engine as diffing
from ichinv.diff.history_paths import PathChange, Touched, Version, touched
from ichinv.diff.history_public import public_entry
from ichinv.inventory import audience as redact
from ichinv.inventory import commit_files, overlay
from ichinv.inventory import record_files as records
from ichinv.inventory.audience import Audience
from ichinv.inventory.policy import policy_for
from ichinv.inventory.positions import Locator
from ichinv.inventory.quick_read import quick_id
from ichinv.inventory.quoting import Quotes
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.snapshots import WorkingTreeSnapshot
from ichinv.inventory.today import todays_records
from ichinv.inventory.unreadable import by_names, named_id, naming
from ichinv.inventory.withheld_since import OtherVersion, other_version
from ichinv.io.git import BlobReader, CommitInfo, FolderAt, TooLarge, open_repo
from ichinv.io.git_log import record_kind
from ichinv.io.git_types import FILE_MODES
from ichinv.io.settings import Settings


@dataclass(frozen=True, slots=True)
class _Step:
    """One commit's effect on the element, before the versions are parsed."""

    info: CommitInfo
    path: str
    old: Version | None
    new: Version | None
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
        self.parsed: dict[tuple[Version, str], Record | Finding] = {}

    def get(self, blob: str) -> bytes | TooLarge:
        if blob not in self.raw:
            self.raw[blob] = self.reader.read(blob, max_size=self.max_size)
        return self.raw[blob]

    def id_of(self, version: Version, path: str) -> str | None:
        """The id the record file `version` at `path` holds; None when it cannot be read."""
        if version.folder is not None or version.mode not in FILE_MODES:
            return None
        raw = self.get(version.blob)
        if isinstance(raw, TooLarge):
            return None
        found = quick_id(raw)
        if found is None:
            parsed = records.parse(RecordKind.ELEMENT, path, raw)
            found = None if isinstance(parsed, Finding) else parsed[0].id
        return found

    def ours(self, version: Version, path: str, element_id: str) -> bool | None:
        """Whether `version` at `path` holds the element (None: that cannot be told). What
        in elements/ is no record file (in a subfolder, named otherwise) holds what a diff
        finds such a thing to hold (ichinv.inventory.unreadable.by_names)."""
        if record_kind(path) is not None:
            found = self.id_of(version, path)
        else:
            named, read = by_names(path.partition("/")[2])
            ids = {i for i in named if i is not None}
            if read and (found := self.id_of(version, path)) is not None:
                ids.add(found)
            if not ids:
                return None
            return element_id in ids
        return None if found is None else found == element_id

    def record(self, version: Version, path: str, element_id: str) -> Record | Finding:
        """The record `version` at `path` holds, or why it cannot be read (naming the
        element when the path does not)."""
        key = (version, path)
        if key not in self.parsed:
            found = self._record(version, path)
            self.parsed[key] = naming(element_id, found) if isinstance(found, Finding) else found
        return self.parsed[key]

    def _record(self, version: Version, path: str) -> Record | Finding:
        if version.folder is not None:
            return version.folder
        if record_kind(path) is None:  # in a folder inside elements/, or named otherwise
            name, slash, __ = path.partition("/")[2].partition("/")
            what = "folder" if slash or version.mode not in FILE_MODES else "file"
            problem = records.entry_problem(RecordKind.ELEMENT, name, what)
            if problem is not None:
                return problem
        stored = records.stored_in_git(path, version.mode)
        if stored is not None:
            return stored
        blob = version.blob
        if blob in self.known:
            return replace(self.known[blob], kind=RecordKind.ELEMENT, path=path)
        known = self.cache.entries([blob]).get(blob)
        if known is not None:
            return Record(RecordKind.ELEMENT, path, known[0], blob, known[1])
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
        return self.cache.parse_unknown(RecordKind.ELEMENT, path, raw)


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
        listing = commit_files.listed(repo, head, cache)
        start = _locate(listing, element_id, versions)
        folder = listing.folders.get(RecordKind.ELEMENT, FolderAt(RecordKind.ELEMENT.folder))
        steps = _walk(list(touched(repo, head, folder)), element_id, start, versions)
        entries = [_entry(step, element_id, versions, rules) for step in steps]
        stops = repo.shallow_commits()
        if stops:
            entries = [replace(e, cut=e.commit in stops) for e in entries]
        if audience is Audience.COMMITTEE:
            return entries
        today, unreadable = _today(settings, element_id, start, versions, tree, cache)
        if today is None and steps and steps[0].new is not None:
            # Its latest version is no record (in a folder, a link): what it says is not known.
            latest = versions.record(steps[0].new, steps[0].path, element_id)
            unreadable = unreadable or isinstance(latest, Finding)
        policy = policy_for(settings.schema_dir)
        # Every version judged as `show` judges the record: a restricted part it lists but
        # does not hold is kept in the overlay (ichinv.inventory.overlay.for_public).
        kept = overlay.for_public(settings)
        today = kept.attach(today, Audience.PUBLIC) if today is not None else None
        held = [
            kept.attach(record, Audience.PUBLIC)
            for step in steps
            for version, path in (
                (step.new, step.path),
                (step.old, step.old_path or step.path),
            )
            if version is not None
            and isinstance(record := versions.record(version, path, element_id), Record)
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
        # One version for each way of restricting, with the texts of all that restrict so:
        # a sentence one version restricted and a later one reworded stays unquotable.
        by_way: dict[Hashable, OtherVersion] = {}
        for version in restricting:
            key = where.signature(version.data, [p.pointer for p in version.parts])
            if key in by_way:
                version = replace(version, texts=by_way[key].texts | version.texts)
            by_way[key] = version
        others = tuple(by_way.values())
        also = (
            (redact.WithheldPart(redact.WHOLE_RECORD, redact.Why.UNREADABLE),) if unreadable else ()
        )
        now = today.data if today is not None else None
        quotes = Quotes(set().union(*(o.texts for o in others)))  # what no subject may quote
        return [
            public_entry(
                entry,
                versions.record(step.old, step.old_path or step.path, element_id)
                if step.old
                else None,
                versions.record(step.new, step.path, element_id) if step.new else None,
                policy=policy,
                others=others,
                where=where,
                also=also,
                today=now,
                kept=kept,
                quotes=quotes,
            )
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
    listing: commit_files.Listing, element_id: str, versions: _Versions
) -> tuple[str, Version | None]:
    """Path and version of the element in `listing` (the records of the commit walked from);
    (expected path, None) when it is not there."""
    files = [
        (path, Version(blob, mode))
        for kind, path, blob, mode in listing.files
        if kind is RecordKind.ELEMENT
    ]
    expected = f"{RecordKind.ELEMENT.folder}/{element_id}{records.SUFFIX}"
    by_path = dict(files)
    if expected in by_path and versions.id_of(by_path[expected], expected) in (
        element_id,
        None,  # cannot be read: the file's name says whose it is
    ):
        return expected, by_path[expected]
    # A misnamed file: look at the id inside every record (one stream).
    readable = (v.blob for __, v in files if v.mode in FILE_MODES)
    versions.raw.update(versions.reader.read_many(readable, max_size=versions.max_size))
    for path, version in files:
        if versions.id_of(version, path) == element_id:
            return path, version
    return expected, None


def _walk(
    commits: list[Touched],
    element_id: str,
    start: tuple[str, Version | None],
    versions: _Versions,
) -> list[_Step]:
    """The commits that changed the element, newest first, followed by its id from where it
    is at the start (`start`): across moves, into a folder inside elements/ and out of it."""
    path, version = start
    alive = version is not None
    steps: list[_Step] = []
    for commit in commits:
        info = commit.info
        change = next((c for c in commit.changes if c.path == path), None)
        if not alive:
            # Not at a record path since: it may be in a folder inside elements/ (or under
            # another name there), as a record moved there; or deleted from there.
            found = _elsewhere(commit, element_id, versions, deleted=False)
            if found is None and not (change is not None and change.new is None):
                found = _elsewhere(commit, element_id, versions, deleted=True)
            if found is not None:
                path, change, alive = found.path, found, found.new is not None
        if change is None:
            continue
        if alive and change.new is not None:
            if change.old is None:
                moved = _moved_from(commit, change, element_id, versions)
                if moved is not None and moved.old is not None:
                    steps.append(_Step(info, path, moved.old, change.new, moved.path))
                    path = moved.path
                else:
                    steps.append(_Step(info, path, None, change.new))
                    alive = False
                continue
            if versions.ours(change.old, path, element_id) is False:
                # The path held another element before: this commit brought ours here.
                steps.append(_Step(info, path, None, change.new))
                alive = False
                continue
            steps.append(_Step(info, path, change.old, change.new))
        elif not alive and change.new is None and change.old is not None:
            if versions.ours(change.old, path, element_id) is not False:
                steps.append(_Step(info, path, change.old, None))
                alive = True
    return steps


def _elsewhere(
    commit: Touched, element_id: str, versions: _Versions, *, deleted: bool
) -> PathChange | None:
    """A change in `commit` that leaves the element where no record is read (or, `deleted`,
    that deleted it from there): in a folder inside elements/, in a file named otherwise
    there (as no id: `bogus.yaml`, `KZ-2026-0007 copy.yaml`; one named for another id is
    another element's, and looking inside every such file of the history is not done), or
    behind an elements/ turned into a link that cannot be followed (the earlier version says
    whose the path was)."""
    for change in commit.changes:
        if deleted:
            version, there = change.old, change.new is None
        else:
            version, there = change.new, change.new is not None
        if version is None or not there:
            continue
        if record_kind(change.path) is None or named_id(change.path.rpartition("/")[2]) is None:
            if versions.ours(version, change.path, element_id):
                return change
        elif not deleted and version.folder is not None and change.old is not None:
            if versions.ours(change.old, change.path, element_id):
                return change
    return None


def _moved_from(
    commit: Touched, added: PathChange, element_id: str, versions: _Versions
) -> PathChange | None:
    """The path deleted by the same commit that held the element, if the addition is a move."""
    for change in commit.changes:
        if change.path != added.path and change.new is None and change.old is not None:
            if versions.ours(change.old, change.path, element_id):
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
    old = versions.record(step.old, step.old_path or step.path, element_id) if step.old else None
    new = versions.record(step.new, step.path, element_id) if step.new else None
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
    start: tuple[str, Version | None],
    versions: _Versions,
    tree: WorkingTreeSnapshot | None,
    cache: RecordCache,
) -> tuple[Record | None, bool]:
    """The record as it is today: in the working tree (ichinv.inventory.today), else at the
    revision walked from; and whether something there holds it but cannot be read."""
    if tree is not None:
        tree.adopt({r.blob: r for r in versions.parsed.values() if isinstance(r, Record)})
    current = todays_records(settings, [element_id], tree=tree, cache=cache).get(element_id)
    if current is not None:
        return (current, False) if isinstance(current, Record) else (None, True)
    path, version = start
    found = versions.record(version, path, element_id) if version is not None else None
    if isinstance(found, Record):
        return found, False
    return None, isinstance(found, Finding)
