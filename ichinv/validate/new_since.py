"""`validate --new-since REV`: keep only the findings that did not already exist at a revision.

The inventory as it was at REV is validated from git objects (no checkout, nothing written),
with today's schemas, rules, settings and date: a finding it gives there is *old*, even if
the rule that finds it is newer than REV. That is what lets an inventory adopt a stricter rule
without blocking every pull request until the backlog is cleared.

Findings are matched by record (its id, else its path), rule, field (JSON pointer) and
message, never by line, so edits that move lines do not make old findings new; a second pass
also matches findings whose list positions moved (an item inserted above them). Matching
counts: two identical findings where REV had one make one new finding. An expired
suppression (`suppression.expired`) is always reported: its date is a deadline, not debt.

What only history shows is reported too: an element deleted since REV (`status.deleted`), and an
item restricted by its position at REV that moved to a position nothing restricts
(`access.shifted`, ichinv.validate.shifted).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import shlex
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from ichinv.core import dates, i18n
from ichinv.core.catalogue import rule
from ichinv.core.i18n import N_, _
from ichinv.core.model import Finding, RecordKind, ValidationResult
from ichinv.core.vocabulary import is_element_id
from ichinv.inventory import commit_files, record_files, revisions, snapshots
from ichinv.inventory.list_items import ListRules
from ichinv.inventory.quick_read import quick_id
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.snapshots import WorkingTreeSnapshot
from ichinv.io.git import GitRepo, TooLarge, open_repo
from ichinv.io.git_types import GITLINK_MODE as GITLINK
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader
from ichinv.schemas import naming
from ichinv.schemas.loader import SchemaSet
from ichinv.validate import attachments
from ichinv.validate.engine import ResultCache, validate_at
from ichinv.validate.schema_changes import changed_schemas
from ichinv.validate.shifted import shifted

ALWAYS_NEW = frozenset({"suppression.expired"})
"""Rules whose findings are reported even when they existed at the revision."""

WORKING_TREE_RULES = record_files.NO_RECORD_RULES | {attachments.RULE}
"""Rules a commit's validation never gives (it judges record files only): their findings are
old when the entry they name was there with the same problem."""

REV_HINT = N_(
    "name a branch, tag or commit that exists locally (`git branch -a`, `git log --oneline`); "
    "in CI, check out with full history (actions/checkout with `fetch-depth: 0`) and name the "
    "base branch as origin/<branch>"
)


@dataclass(frozen=True, slots=True)
class NewSince:
    """How a result was limited to new findings: the revision and what was left out."""

    rev: str
    """The revision as given."""
    commit: str
    """The 40-hex commit it resolved to."""
    old: int
    """Findings of the current run that already existed at the revision (not reported)."""
    schemas_changed: tuple[str, ...] = ()
    """The schema files the working tree holds otherwise than the revision: both were judged by
    the working tree's (ichinv.validate.schema_changes)."""

    def as_json(self) -> dict[str, object]:
        return {
            "rev": self.rev,
            "commit": self.commit,
            "already_there": self.old,
            "schemas_changed": list(self.schemas_changed),
        }


@dataclass(frozen=True, slots=True)
class NewFindings:
    """The current result restricted to new findings, and how."""

    result: ValidationResult
    """Findings not present at the revision (suppressed ones are listed as usual)."""
    since: NewSince


# --- matching ----------------------------------------------------------------------------------

_INDEX = re.compile(r"(?<=/)[0-9]+(?=/|$)")
_DOTTED_INDEX = re.compile(r"(?<=[.`])[0-9]+(?=[.`])")


@functools.cache
def _item_words(lang: str) -> tuple[re.Pattern[str], str]:
    """How messages in `lang` name an item of a list (`item 3 of`, from naming.ITEM without
    the list), as a pattern and with the number left out."""
    template = _(naming.ITEM)
    before, _sep, after = template.partition("{index}")
    before = re.split(r"\{[a-z_]+\}", before)[-1]
    after = re.split(r"\{[a-z_]+\}", after)[0]
    return re.compile(re.escape(before) + "[0-9]+" + re.escape(after)), before + "#" + after


def exact_key(finding: Finding, identity: str) -> tuple[str, str, str, str]:
    """What identifies a finding: its record, rule, field and message (never its line)."""
    return (identity, finding.rule, finding.pointer, finding.message)


def loose_key(finding: Finding, identity: str) -> tuple[str, str, str, str]:
    """The same, with list positions left out (`/communities/3/name` → `/communities/#/name`);
    a problem of the file itself (`file.symlink`, `file.too-large`) by its rule alone: git and
    the working tree word it differently ("stored in git as a symbolic link")."""
    if finding.rule.startswith("file."):
        return (identity, finding.rule, finding.pointer, "")
    words, blank = _item_words(i18n.current())
    message = words.sub(blank, finding.message)
    message = _DOTTED_INDEX.sub("#", message)
    return (identity, finding.rule, _INDEX.sub("#", finding.pointer), message)


def split(
    current: Sequence[Finding],
    identity_now: Mapping[str, str],
    old: Iterable[Finding],
    identity_then: Mapping[str, str],
) -> tuple[list[Finding], list[Finding]]:
    """(new, already there): `current` split by whether `old` had each finding.

    `identity_*` maps a file path to its record's identity (its id); a path not in it is its
    own identity.
    """
    old = list(old)
    exact = Counter(exact_key(f, identity_then.get(f.path, f.path)) for f in old)
    loose = Counter(loose_key(f, identity_then.get(f.path, f.path)) for f in old)
    pending: list[tuple[int, Finding]] = []
    matched: set[int] = set()
    for number, finding in enumerate(current):
        if finding.rule in ALWAYS_NEW:
            continue
        who = identity_now.get(finding.path, finding.path)
        key = exact_key(finding, who)
        if exact[key] > 0:
            exact[key] -= 1
            loose[loose_key(finding, who)] -= 1
            matched.add(number)
        else:
            pending.append((number, finding))
    for number, finding in pending:
        key = loose_key(finding, identity_now.get(finding.path, finding.path))
        if loose[key] > 0:
            loose[key] -= 1
            matched.add(number)
    new = [f for number, f in enumerate(current) if number not in matched]
    seen = [f for number, f in enumerate(current) if number in matched]
    return new, seen


def identities(
    paths: Iterable[str],
    read: Mapping[str, bytes | TooLarge | None],
    keys: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Path → record id, for the paths whose bytes name an id (see ichinv.inventory.quick_read).

    `read` holds the bytes by path, or by `keys[path]` (a blob id) when `keys` are given."""
    found: dict[str, str] = {}
    for path in paths:
        raw = read.get(keys.get(path, "") if keys is not None else path)
        raw = raw if isinstance(raw, bytes) else None
        record_id = quick_id(raw) if raw else None
        if record_id is not None:
            found[path] = record_id
    return found


def new_since(
    settings: Settings,
    current: ValidationResult,
    rev: str,
    *,
    schemas: SchemaSet | None = None,
    day: dt.date | None = None,
    cache: ResultCache | None = None,
    tree: WorkingTreeSnapshot | None = None,
    notes: RecordCache | None = None,
) -> NewFindings:
    """The findings of `current` (the working tree's) that did not exist at revision `rev`.

    `tree`: the working tree as the run read it; `notes`: the record cache, which knows the
    id of most records by blob id (only what they cannot say is read)."""
    repo = open_repo(settings.root)
    commit = revisions.resolve(settings, repo, rev, what="--new-since", hint=_(REV_HINT))
    schemas = schemas or schema_loader.load(settings.schema_dir)
    day = day or dates.today()
    then = validate_at(settings, repo, commit, schemas=schemas, day=day, cache=cache, notes=notes)
    paths_then = {f.path for f in then.findings}
    others_then: dict[str, tuple[str, str]] = {}
    entries_then = repo.record_blobs(commit, others_then)
    blobs = {e.path: e.blob for e in entries_then if e.path in paths_then}
    known = notes.facts(blobs.values()) if notes is not None else {}
    unknown = [b for b in blobs.values() if b not in known]
    read_then: dict[str, bytes | TooLarge | None] = dict(
        repo.read_blobs(unknown) if unknown else {}
    )
    identity_then = identities(paths_then, read_then, blobs)
    identity_then.update(
        (path, facts[0])
        for path, blob in blobs.items()
        if (facts := known.get(blob)) is not None and facts[0] is not None
    )
    paths_now = {f.path for f in current.findings}
    in_tree = tree.facts(p for p in paths_now if tree.kind_of(p)) if tree is not None else {}
    rest = [p for p in paths_now if p not in in_tree]
    identity_now = identities(rest, {p: _read(settings, p) for p in rest})
    identity_now.update((p, facts[0]) for p, facts in in_tree.items() if facts[0] is not None)
    # A file whose id one side can read and the other cannot (too large, a link, at one of the
    # revisions) is the same file by its path (an outside review found the problems of every
    # record above a new, stricter max_file_size all "new", on a tree with nothing changed).
    for path in paths_now & paths_then:
        if (path in identity_now) != (path in identity_then):
            identity_now.pop(path, None)
            identity_then.pop(path, None)
    # What is no record file (a folder, a gitlink, a file of another name) is reported by
    # its path alone, and never at a commit: the problem one there by that path had then
    # (the rule a commit's snapshot names it by) is old; a folder only while it holds what it
    # held (a record added inside it, or a file rewritten, is new). An entry that was fine
    # then (an empty `.gitkeep`) had no problem: one it has now is new. So is a folder of
    # elements' files that belonged to no element then (`path.orphan`, judged on the working
    # tree alone).
    there = {
        problem.path: problem.rule
        for path, (kind, oid) in others_then.items()
        if (problem := commit_files.other_problem(path, kind, oid)) is not None
    }
    folders = [path for path, (kind, __) in others_then.items() if kind == "tree"]
    if any(f.rule == attachments.RULE for f in current.findings):
        orphans = attachments.orphaned_at(settings, repo, commit, entries_then)
        there.update((record_files.shown(folder), attachments.RULE) for folder in orphans)
        folders += orphans
    for folder in folders:
        if not _holds_what_it_held(settings, repo, commit, folder):
            there.pop(record_files.shown(folder), None)

    def old(finding: Finding) -> bool:
        """Whether `finding` is about an entry that was there with the same problem (a file
        that became a folder is new, and so is a `.gitkeep` that was empty)."""
        return finding.rule in WORKING_TREE_RULES and there.get(finding.path) == finding.rule

    new, seen = split(
        [f for f in current.findings if not old(f)], identity_now, then.findings, identity_then
    )
    seen += [f for f in current.findings if old(f)]
    new += deleted(settings, repo, commit, rev)
    tree = tree or snapshots.working_tree(settings, repo=repo, cache=notes)
    rules = ListRules(schemas[RecordKind.ELEMENT].list_keys)
    new += shifted(repo, rev, entries_then, tree, rules, settings.max_file_size, notes)
    result = replace(current, findings=tuple(sorted(new, key=Finding.sort_key)))
    changed = changed_schemas(settings, repo, commit)
    return NewFindings(result, NewSince(rev, commit, len(seen), changed))


def _holds_what_it_held(settings: Settings, repo: GitRepo, commit: str, folder: str) -> bool:
    """Whether `folder` (relative to the root) holds in the working tree, at any depth, the
    files it held at `commit`, byte for byte, and nothing more: a file rewritten under its
    name (contacts, a record no check reads), added (an ignored one too) or removed makes it
    another folder. Told by the blob ids of the bytes themselves, not by git's index, which a
    flag (skip-worktree), a content filter or a line-ending conversion can make vouch for a
    file that changed (a checkout that converts line endings finds a text file changed). A
    repository inside (a submodule) is the same only while its folder is empty, as a clone
    leaves it."""
    held = repo.files_under(commit, folder)
    then = {path: oid for path, __, oid in held}
    repositories = {path for path, mode, __ in held if mode == GITLINK}
    now: dict[str, str] = {}
    try:
        for where, subfolders, names in os.walk(settings.root / folder, onerror=_raise):
            rel = os.path.relpath(where, settings.root).replace(os.sep, "/")
            for name in list(subfolders):
                path = os.path.join(where, name)
                if f"{rel}/{name}" in repositories and not os.path.islink(path):
                    if os.listdir(path):
                        return False
                    now[f"{rel}/{name}"] = then[f"{rel}/{name}"]
                    subfolders.remove(name)
                elif os.path.islink(path):
                    names.append(name)
            for name in names:
                path = os.path.join(where, name)
                blob = (
                    record_files.blob_id(os.fsencode(os.readlink(path)))
                    if os.path.islink(path)
                    else record_files.file_blob_id(path)
                )
                if blob is None:  # a pipe, a device: nothing a commit holds
                    return False
                now[f"{rel}/{name}"] = blob
    except OSError:
        return False
    return now == then


def _raise(error: OSError) -> None:
    raise error


def deleted(settings: Settings, repo: GitRepo, commit: str, rev: str) -> list[Finding]:
    """A finding for every element that `commit` holds and the working tree does not: the
    inventory's rule is that elements are retired or merged, never deleted. Elements are
    followed by id (a renamed file is no deletion)."""
    then = [e for e in repo.record_blobs(commit) if e.kind is RecordKind.ELEMENT]
    ids_then = _ids(
        {e.path: e.blob for e in then}, lambda blobs: repo.read_blobs(blobs.values()), keyed=True
    )
    files, __ = record_files.discover(settings)
    now = {f.rel: f for f in files if f.kind is RecordKind.ELEMENT}
    by_path_now = _ids({p: p for p in now}, lambda paths: {p: _read(settings, p) for p in paths})
    ids_now = set(by_path_now.values())
    return [
        rule("status.deleted").finding(
            path,
            _(
                "{element_id} was in the inventory at {rev} ({path}) and its record is "
                "gone: elements are retired or merged, never deleted"
            ).format(element_id=element_id, rev=rev, path=path),
            line=None,
            hint=_(
                "restore the file (`git checkout {commit} -- {path}`), then run `ichinv "
                "retire {element_id} --reason …` or `ichinv merge {element_id} --into ID "
                "--reason …`"
            ).format(commit=commit[:12], path=shlex.quote(path), element_id=element_id),
        )
        for path, element_id in sorted(ids_then.items())
        # a file still there whose id cannot be read now (a link, too large) is no deletion:
        # its own finding says what is wrong with it (one that names another id is)
        if element_id not in ids_now
        and (path in by_path_now or not os.path.lexists(settings.root / path))
    ]


def _ids(
    keys: Mapping[str, str],
    read: Callable[[Mapping[str, str]], Mapping[str, bytes | TooLarge | None]],
    *,
    keyed: bool = False,
) -> dict[str, str]:
    """Path → element id: the file name when it is an id, else the `id:` line of its bytes
    (read only for those). `keys`: path → what `read` looks bytes up by (a blob id when
    `keyed`, else the path)."""
    found: dict[str, str] = {}
    unnamed: dict[str, str] = {}
    for path, key in keys.items():
        stem = path.rpartition("/")[2].removesuffix(record_files.SUFFIX)
        if is_element_id(stem):
            found[path] = stem
        else:
            unnamed[path] = key
    if unnamed:
        contents = read(unnamed)
        for path, key in unnamed.items():
            raw = contents.get(key if keyed else path)
            element_id = quick_id(raw) if isinstance(raw, bytes) else None
            if element_id is not None:
                found[path] = element_id
    return found


def _read(settings: Settings, path: str) -> bytes | None:
    target = settings.root / path
    try:
        if target.is_file() and target.stat().st_size <= settings.max_file_size:
            return target.read_bytes()
    except OSError:
        return None
    return None
