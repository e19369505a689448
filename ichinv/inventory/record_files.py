"""Find record files in the working tree and read them into Records (or findings)."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ichinv.core import trace
from ichinv.core.contacts import without_contacts
from ichinv.core.errors import UsageError
from ichinv.core.i18n import N_, _
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.inventory import record_folders
from ichinv.inventory.folder_entries import KEEP, SUFFIX, entry_problem, not_regular, shown
from ichinv.inventory.folder_entries import temporary_target as temporary_target  # re-exported
from ichinv.io import regular
from ichinv.io import strict_yaml as yamlload
from ichinv.io.git_types import GITLINK_MODE, SYMLINK_MODE
from ichinv.io.settings import Settings


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A record file found in the working tree."""

    kind: RecordKind
    location: str
    """Absolute path, as text: a `Path` for each of 100,000 files cost 30 MB and 2 seconds."""
    rel: str
    """Path relative to the inventory root, with forward slashes."""
    link: bool = False
    """True when the file is a symbolic link (to a record inside the inventory)."""

    @classmethod
    def inside(cls, root: Path, kind: RecordKind, rel: str, link: bool = False) -> SourceFile:
        """The record file at `rel` (relative, forward slashes) under the inventory `root`."""
        return cls(kind, os.path.join(root, rel), rel, link)

    @property
    def path(self) -> Path:
        """Absolute path."""
        return Path(self.location)

    @property
    def stem(self) -> str:
        name = os.path.basename(self.location)
        return name[: -len(SUFFIX)] if name.endswith(SUFFIX) else self.path.stem


RACY_NS = 2_000_000_000
"""A file changed less than this long before its signature is taken could change again within
the same timestamp tick without its signature changing: its blob id is never noted by it."""


def signature(location: str) -> tuple[str, bool] | None:
    """The signature of the file at `location` (size, times, inode, device: any write changes
    it), and whether it is settled (changed long enough ago, RACY_NS, for a blob id to be
    noted with it); None when it cannot be taken. Take it before reading the bytes."""
    try:
        stat = os.stat(location)
    except (OSError, ValueError):
        return None
    text = f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}:{stat.st_dev}"
    return text, max(stat.st_mtime_ns, stat.st_ctime_ns) < time.time_ns() - RACY_NS


def blob_id(raw: bytes) -> str:
    """The git blob id of `raw` (what `git hash-object` prints)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def file_blob_id(path: str | Path) -> str | None:
    """The git blob id of the regular file at `path`, read a piece at a time (a folder of
    scans may hold files of gigabytes); None for anything else there (a pipe, which a plain
    open would wait on for ever, a device, a link). OSError when it cannot be read."""
    with regular.opened(path, follow=False) as (descriptor, found):
        if not regular.is_regular(found):
            return None
        digest = hashlib.sha1(b"blob %d\0" % found.st_size, usedforsecurity=False)
        while piece := os.read(descriptor, 1 << 20):
            digest.update(piece)
    return digest.hexdigest()


NO_RECORD_RULES = frozenset(
    {"file.folder", "file.extension", "file.hidden", "file.temporary", "file.unreadable"}
)
"""The rules of `discover`'s findings about an entry of a records folder that is no record
file (by its name or kind alone; a commit's validation lists record files only)."""


def discover(settings: Settings) -> tuple[list[SourceFile], list[Finding]]:
    """Every record file under elements/ and provinces/, and findings for what does not belong."""
    files: list[SourceFile] = []
    findings: list[Finding] = []
    for kind in RecordKind:
        folder = settings.folder(kind)
        problem = record_folders.check(settings, kind)
        if problem is not None:
            findings.append(problem)
            continue
        if not folder.is_dir():
            continue  # no records of this kind yet
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            findings.append(record_folders.unreadable(kind, exc))
            continue
        for entry in entries:
            found = _classify(settings, kind, entry)
            if isinstance(found, Finding):
                findings.append(found)
            elif found is not None:
                files.append(found)
        if all(e.name == KEEP for e in entries):  # what a clone makes of a gitlink: ask git
            problem = record_folders.gitlink(settings, kind)
            if problem is not None:
                findings.append(problem)
    return files, findings


def _classify(
    settings: Settings, kind: RecordKind, entry: os.DirEntry[str]
) -> SourceFile | Finding | None:
    name = entry.name
    rel = f"{kind.folder}/{name}"
    if shown(rel) != rel or name.startswith("."):
        return entry_problem(kind, name, _what(entry, follow=False), empty=_empty(entry))
    if entry.is_symlink():
        try:
            target = Path(entry.path).resolve()
        except (RuntimeError, OSError):  # a loop of links (RuntimeError before Python 3.13)
            return Finding(
                rel,
                "file.symlink",
                _("{rel} is a symbolic link that leads round in a loop; it was not read").format(
                    rel=rel
                ),
                line=None,
                hint=_("replace the link with the record itself"),
            )
        if not target.is_relative_to(settings.root):
            return Finding(
                rel,
                "file.symlink",
                _(LEADS_OUT).format(rel=rel, target=without_contacts(str(target))),
                line=None,
                hint=_("replace the link with the record itself"),
            )
    if (
        entry.is_dir(follow_symlinks=False)
        and not name.lower().endswith((SUFFIX, ".yml"))  # named as a record: said to be none
        and _holds_nothing(entry.path)
        and not record_folders.indexed(settings, rel)
    ):
        return None  # as `git mv` leaves a folder it emptied, which git knows nothing of
    problem = entry_problem(kind, name, _what(entry, follow=True))
    return problem if problem is not None else SourceFile(kind, entry.path, rel, entry.is_symlink())


def _holds_nothing(folder: str) -> bool:
    """Whether `folder` holds nothing but folders that hold nothing (no record can be in it);
    one that cannot be listed may hold anything."""
    try:
        with os.scandir(folder) as entries:
            return all(e.is_dir(follow_symlinks=False) and _holds_nothing(e.path) for e in entries)
    except (OSError, RecursionError):
        return False


def _what(entry: os.DirEntry[str], *, follow: bool) -> str:
    if entry.is_dir(follow_symlinks=follow):
        return "folder"
    return "file" if entry.is_file(follow_symlinks=follow) else "other"


def _empty(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.stat(follow_symlinks=False).st_size == 0
    except OSError:
        return False


def select(
    settings: Settings,
    files: list[SourceFile],
    paths: Iterable[Path],
    others: Iterable[str] = (),
) -> set[str]:
    """Relative paths of what the command line names (files or folders): the records, and the
    `others` (paths of what is not a record: `discover`'s findings) named or in a folder named.

    A folder is walked; one that holds neither is named itself, so that a report can say it
    holds no record rather than pass over it ("ok: 0 files checked"). The inventory's root is
    the whole inventory, which may be empty.
    """
    wanted: set[str] = set()
    by_path = _resolved(settings, files)
    known = [*by_path.values(), *others]
    for given in paths:
        try:
            path = (Path.cwd() / given).resolve() if not given.is_absolute() else given.resolve()
        except (RuntimeError, OSError):  # a loop of links (RuntimeError before Python 3.13)
            raise UsageError(
                _("{rel} is a symbolic link that leads round in a loop; it was not read").format(
                    rel=given
                ),
                hint=_("replace the link with the record itself"),
            ) from None
        if not path.is_relative_to(settings.root):
            raise UsageError(
                _("{given} is not inside the inventory at {root}").format(
                    given=given, root=settings.root
                ),
                hint=_("name record files under elements/ or provinces/"),
            )
        rel = shown(path.relative_to(settings.root).as_posix())
        if rel == ".":
            wanted.update(known)
        elif path.is_dir():
            inside = [r for r in known if r == rel or r.startswith(rel + "/")]
            wanted.update(inside or [rel])
        else:
            wanted.add(by_path.get(str(path), rel))
    return wanted


def not_a_record(settings: Settings, rel: str) -> Finding:
    """Why a path named on the command line (see `select`) is no record of the inventory: it
    does not exist, or is a folder that holds none (`file.missing`), or is a file that is no
    record (`file.not-record`). `validate` reports it so, and `fmt` names it so."""
    path = settings.root / rel
    if path.is_file():
        return Finding(
            rel,
            "file.not-record",
            _("{path} is not a record file under elements/ or provinces/").format(path=rel),
            line=None,
            hint=_("name record files (elements/KZ-2013-0001.yaml) or their folders"),
        )
    return Finding(
        rel,
        "file.missing",
        _("{path}/ is a folder that holds no record file of the inventory").format(path=rel)
        if path.is_dir()
        else _("{path} does not exist").format(path=rel),
        line=None,
        hint=_("name files under elements/ or provinces/ ending in .yaml, or their folders"),
    )


def _resolved(settings: Settings, files: list[SourceFile]) -> dict[str, str]:
    """Each file's resolved path (as text) → its relative path. Without a symbolic link among
    the files and their folders, a file's path is its resolved path already (resolving 10,000
    paths one by one costs half a second)."""
    plain = all(
        settings.folder(kind).resolve() == settings.folder(kind) for kind in RecordKind
    ) and not any(f.link for f in files)
    return {f.location if plain else str(f.path.resolve()): f.rel for f in files}


LEADS_OUT = N_("{rel} is a symbolic link to {target}, outside the inventory; it was not read")
"""Words that quote where a record's link leads (a path of someone's machine): not for public
output (ichinv.inventory.redaction.public_problem)."""


def head(path: Path, size: int) -> bytes | None:
    """The first `size` bytes of the file at `path`, opened as `read` opens a record (never
    waiting on a pipe); None when it is no regular file or cannot be read."""
    try:
        with regular.opened(path) as (descriptor, found):
            return os.read(descriptor, size) if regular.is_regular(found) else None
    except OSError:
        return None


def read(file: SourceFile, max_size: int) -> bytes | Finding:
    """The bytes of a record file, or a finding when it is too large, no regular file (never
    waiting on a pipe, never reading a device) or unreadable. Every command reads records so,
    those that edit them too."""
    trace.count("read", file.rel)
    try:
        with regular.opened(file.location) as (descriptor, found):
            if not regular.is_regular(found):
                return not_regular(file.rel)
            if found.st_size > max_size:
                return too_large(file.rel, found.st_size, max_size)
            return regular.up_to(descriptor, found.st_size, max_size)
    except FileNotFoundError:
        return Finding(
            file.rel, "file.missing", _("{rel} does not exist").format(rel=file.rel), line=None
        )
    except OSError as exc:
        return Finding(
            file.rel,
            "file.unreadable",
            _("{rel} cannot be read: {strerror}").format(rel=file.rel, strerror=exc.strerror),
            line=None,
        )


def too_large(rel: str, size: int, limit: int) -> Finding:
    """The finding for a record file larger than the inventory's `max_file_size`."""
    return Finding(
        rel,
        "file.too-large",
        _("{rel} is {size:,} bytes; records are limited to {limit:,} bytes").format(
            rel=rel, size=size, limit=limit
        ),
        line=1,
        column=1,
        hint=_(
            "records are a few kilobytes; put long documents in documentation and link "
            "them (the limit is max_file_size in the settings)"
        ),
    )


def stored_in_git(rel: str, mode: str) -> Finding | None:
    """The finding for a record path that git stores as no file (`mode`): a symbolic link, or
    a gitlink (a submodule, another repository added inside this one); None for a file. Every
    reader of a commit's records (diff, log, validate --new-since) says it so."""
    if mode == SYMLINK_MODE:
        message = _("{rel} is stored in git as a symbolic link, not a record; it was not read")
    elif mode == GITLINK_MODE:
        message = _(
            "{rel} is stored in git as a link to another git repository (a gitlink, as a "
            "submodule is), not a record; it was not read"
        )
    else:
        return None
    return Finding(
        rel,
        "file.symlink",
        message.format(rel=rel),
        line=None,
        hint=_("replace the link with the record itself"),
    )


def parse(
    kind: RecordKind, rel: str, raw: bytes, *, positions: bool = False
) -> tuple[Record, yamlload.Positions | None] | Finding:
    """A Record from the bytes of a file, or the finding that says why it is not one."""
    # Counted by the bytes: the same path at two revisions is two files to parse.
    trace.count("locate" if positions else "parse", blob_id(raw) if trace.enabled() else "")
    try:
        data, where = yamlload.load(raw, positions=positions)
    except yamlload.LoadError as exc:
        return load_finding(rel, exc.problem)
    except (
        RecursionError,
        MemoryError,
        ValueError,
        TypeError,
        AssertionError,
        NotImplementedError,
    ) as exc:  # defence in depth: what a YAML parser raises besides YAMLError
        return Finding(
            rel,
            "yaml.unreadable",
            _("{rel} cannot be read as YAML: {error}").format(rel=rel, error=type(exc).__name__),
            line=1,
            column=1,
        )
    return Record(kind=kind, path=rel, data=data, blob=blob_id(raw)), where


def load_finding(rel: str, problem: yamlload.LoadProblem) -> Finding:
    return Finding(
        rel,
        problem.rule,
        problem.message,
        line=problem.line,
        column=problem.column,
        hint=problem.hint,
        pointer=problem.pointer,
    )


def load_all(settings: Settings) -> Iterator[Record | Finding]:
    """Every record of the working tree, parsed (unreadable files as findings)."""
    files, findings = discover(settings)
    yield from findings
    for file in files:
        raw = read(file, settings.max_file_size)
        if isinstance(raw, Finding):
            yield raw
            continue
        parsed = parse(file.kind, file.rel, raw)
        yield parsed if isinstance(parsed, Finding) else parsed[0]
