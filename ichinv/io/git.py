"""Read-only access to the inventory's git history: revisions, record blobs, commits, merge bases.

With ichinv.io.git_blobs (how git is run: one command, or the `git cat-file --batch` stream,
re-exported here) the one place that runs git; tests/test_layers.py reserves GitPython to this module. It needs none of
GitPython, though: git's plumbing is faster and simpler. `git ls-tree -z` lists the records of
a commit in milliseconds and one long-lived `git cat-file --batch` streams every blob needed,
whereas GitPython's tree walk and `commit.diff()` cost ~0.4 ms per entry and its import alone
~0.15 s per run (reference/perf-measurements.md §4). Nothing here writes to the repository, its
index or its working tree, and nothing is checked out. Nor does any git command started here
run a program the repository's config or attributes name (fsmonitor, filters, textconv,
external diff, pager, hooks, gpg, a transport): see ichinv.io.git_blobs.git_command.

Paths given and returned are relative to the inventory root, with forward slashes, even when
the inventory lives in a subfolder of the git repository.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ichinv.core import trace
from ichinv.core.errors import GitError, NotARepository, RevisionNotFound, ShallowClone, typed
from ichinv.core.i18n import N_, _
from ichinv.core.model import RecordKind
from ichinv.io import git_index, git_trees, one_command
from ichinv.io.git_blobs import (
    SHALLOW_HINT,
    BlobReader,
    TooLarge,
    git_executable,
    git_message,
    run_git,
    run_git_together,
)
from ichinv.io.git_log import parse_log, record_kind
from ichinv.io.git_types import GITLINK_MODE, CommitInfo, FolderAt, RawChange, TreeEntry

__all__ = [
    "SHALLOW_HINT",
    "BlobReader",
    "CommitInfo",
    "FolderAt",
    "GitRepo",
    "RawChange",
    "TooLarge",
    "TreeEntry",
    "open_repo",
]

INFO_ATTRIBUTES = "info/attributes"
"""The repository's attributes file, inside its git folder (`git rev-parse --git-path`)."""

_SHA = re.compile(r"^[0-9a-f]{40}$")

_INDEX_LINE = re.compile(rb"(\S) ([0-7]+) ([0-9a-f]{40}) ([0-3])\t([^\0]*)\0")
"""`git ls-files -s -v -z`: tag, mode, object id, stage, path."""


def open_repo(root: Path) -> GitRepo:
    """The git repository holding the inventory at `root`: one for a command, however many of
    its parts ask (ichinv.io.one_command), with what it has resolved.

    Raises GitError (with a hint) when `root` is not inside a git working tree, or git cannot
    be run there.
    """
    git = git_executable()
    root = root.resolve()
    return one_command.kept(("git-repository", root, git), lambda: _opened(root, git))


def _opened(root: Path, git: str) -> GitRepo:
    done = run_git(
        git, root, "rev-parse", "--show-toplevel", "--git-path", INFO_ATTRIBUTES, check=False
    )
    if done.returncode != 0:
        message = git_message(done.stderr)
        if "dubious ownership" in message:
            raise GitError(
                _("git refuses to read {root}: the folder belongs to another user").format(
                    root=root
                ),
                hint=_(
                    "if you trust it, run `git config --global --add safe.directory {root}`"
                ).format(root=root),
            )
        if "not a git repository" in message.lower():
            raise NotARepository(
                _(
                    "{root} is not in a git repository, so there is no history to compare with"
                ).format(root=root),
                hint=_(
                    "run ichinv in a clone of the inventory (`git clone URL`), or start "
                    "one with `git init` and commit the records"
                ),
            )
        raise GitError(_("git cannot read {root}: {message}").format(root=root, message=message))
    lines = done.stdout.decode("utf-8", "surrogateescape").removesuffix("\n").split("\n")
    if len(lines) != 2:  # a folder's name holds a line break: each asked for alone
        lines = [
            run_git(git, root, "rev-parse", *asked).stdout.decode("utf-8", "surrogateescape")
            for asked in (("--show-toplevel",), ("--git-path", INFO_ATTRIBUTES))
        ]
        lines = [line.removesuffix("\n") for line in lines]
    top = Path(lines[0]).resolve()
    try:
        prefix = root.relative_to(top).as_posix()
    except ValueError:
        raise GitError(
            _("{root} is outside its git working tree {top}").format(root=root, top=top)
        ) from None
    return GitRepo(
        top=top,
        root=root,
        prefix="" if prefix == "." else prefix + "/",
        git=git,
        info_attributes=root / lines[1],
    )


@dataclass(eq=False)
class GitRepo:
    """A git working tree that holds an inventory, possibly in a subfolder (`prefix`)."""

    top: Path
    """Top folder of the git working tree."""
    root: Path
    """The inventory root."""
    prefix: str
    """The inventory root relative to `top`, with a trailing slash; empty when they coincide."""
    git: str
    """The git executable."""
    info_attributes: Path
    """The repository's own attributes file (`info/attributes`: in a linked worktree, the one
    of the repository it shares, not of its own git folder)."""
    _commits: dict[str, str] = field(default_factory=dict, repr=False)
    """Revisions resolved by this object, and the commit ids they name (a command resolves a
    baseline more than once, and `HEAD`, and what it found)."""
    _listed: dict[tuple[Any, ...], subprocess.CompletedProcess[bytes]] = field(
        default_factory=dict, repr=False
    )
    """What `_listing` was told, by the words it asked with."""

    def _run(
        self, *args: str, check: bool = True, stdin: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        return run_git(self.git, self.top, *args, check=check, stdin=stdin)

    def _listing(
        self, *args: str, check: bool = True, stdin: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        """`_run` for what a commit's trees hold (ichinv.io.git_trees): git's answer, given
        once, stands until the command ends (commits do not change, and refs do not while a
        command runs: ichinv never writes to git), however many of its parts ask."""
        key = (args, check, stdin)
        done = self._listed.get(key)
        if done is None:
            done = self._run(*args, check=check, stdin=stdin)
            if done.returncode == 0:
                self._listed[key] = done
        return done

    # --- revisions ------------------------------------------------------------------------

    def is_shallow(self) -> bool:
        """True when the repository is a shallow clone (history cut off)."""
        done = self._run("rev-parse", "--is-shallow-repository", check=False)
        return done.stdout.strip() == b"true"

    def shallow_commits(self) -> frozenset[str]:
        """The commits where a shallow clone's history stops (their parents are not in the
        clone); empty for a whole clone."""
        done = self._run("rev-parse", "--git-path", "shallow", check=False)
        if done.returncode != 0:
            return frozenset()
        path = self.top / done.stdout.decode("utf-8", "surrogateescape").strip()
        try:
            text = path.read_text(encoding="ascii", errors="replace")
        except OSError:  # no such file: not shallow
            return frozenset()
        return frozenset(line.strip() for line in text.splitlines() if line.strip())

    def resolve(self, rev: str, *, what: str = N_("revision")) -> str:
        """The 40-hex commit id that `rev` (a commit id, tag, branch, `HEAD~3`…) names.

        Raises RevisionNotFound, or GitError when the clone is shallow and the commit may
        simply not have been fetched. `what` names the revision in messages (e.g. "baseline").
        """
        if not rev.strip() or "\0" in rev or "\n" in rev:
            raise RevisionNotFound(
                _("{what} revision {rev!r} is not a git revision").format(what=_(what), rev=rev),
                hint=_("give a commit id, a tag or a branch name"),
            )
        if rev in self._commits:
            return self._commits[rev]
        trace.count("git-resolve", rev)
        done = self._run(
            "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False
        )
        found: str | None = done.stdout.decode("ascii", "replace").strip()
        kind = None
        if done.returncode != 0 or not _SHA.match(found or ""):
            # `:/text` and `rev:path` take no suffix (`^{commit}` became part of the text or
            # the path): what they name is looked up whole, then peeled.
            found, kind = self._peeled(rev)
        if found is not None:
            self._commits[rev] = self._commits[found] = found  # a commit id names itself
            return found
        if kind is not None:  # a tag of a tree or a blob (an outside review): it is there
            raise RevisionNotFound(
                _("{what} revision {rev!r} names a git {kind}, not a commit").format(
                    what=_(what), rev=typed(rev), kind=kind
                ),
                hint=_("point it at a commit (`git tag -f NAME COMMIT`) or name a commit"),
            )
        if self.is_shallow():
            raise ShallowClone(
                _("{what} revision {rev!r} is not in this shallow clone").format(
                    what=_(what), rev=typed(rev)
                ),
                hint=_(SHALLOW_HINT),
            )
        raise RevisionNotFound(
            _("{what} revision {rev!r} not found in the git repository at {top}").format(
                what=_(what), rev=typed(rev), top=self.top
            ),
            hint=_(
                "check the name with `git tag` or `git log --oneline`; fetch missing tags "
                "with `git fetch --tags`"
            ),
        )

    def _peeled(self, rev: str) -> tuple[str | None, str | None]:
        """(the commit `rev` names, None) when the object it names, as a whole, peels to a
        commit; (None, its kind) when it names a tree or a blob; (None, None) when it names
        nothing."""
        done = self._run("rev-parse", "--verify", "--quiet", "--end-of-options", rev, check=False)
        sha = done.stdout.decode("ascii", "replace").strip()
        if done.returncode != 0 or not _SHA.match(sha):
            return None, None
        done = self._run("rev-parse", "--verify", "--quiet", f"{sha}^{{commit}}", check=False)
        commit = done.stdout.decode("ascii", "replace").strip()
        if done.returncode == 0 and _SHA.match(commit):
            return commit, None
        done = self._run("cat-file", "-t", f"{sha}^{{}}", check=False)
        kind = done.stdout.decode("ascii", "replace").strip()
        return None, kind if kind in ("tree", "blob") else None

    def head(self) -> str | None:
        """The commit HEAD points to; None in a repository without commits."""
        if "HEAD" in self._commits:
            return self._commits["HEAD"]
        done = self._run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
        sha = done.stdout.decode("ascii", "replace").strip()
        if done.returncode != 0 or not _SHA.match(sha):
            return None
        self._commits["HEAD"] = self._commits[sha] = sha
        return sha

    def ref_names(self) -> list[str]:
        """The short names of the repository's branches (remote ones too) and tags."""
        done = self._run(
            "for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes", "refs/tags",
            check=False,
        )  # fmt: skip
        text = done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""
        return [name for name in text.splitlines() if name]

    def merge_base(self, a: str, b: str = "HEAD") -> str | None:
        """The best common ancestor of revisions `a` and `b` (e.g. a PR's base); None if they
        share no history. Both must exist (RevisionNotFound / GitError otherwise)."""
        first, second = self.resolve(a), self.resolve(b)
        done = self._run("merge-base", first, second, check=False)
        sha = done.stdout.decode("ascii", "replace").strip()
        if done.returncode == 0 and _SHA.match(sha):
            return sha
        if done.returncode == 1:
            if self.is_shallow():
                raise GitError(
                    _("{a!r} and {b!r} share no commit in this shallow clone").format(a=a, b=b),
                    hint=_(SHALLOW_HINT),
                )
            return None
        raise GitError(
            _("git merge-base failed: {message}").format(message=git_message(done.stderr))
        )

    # --- trees and blobs -----------------------------------------------------------------

    def record_blobs(
        self,
        commit: str,
        others: dict[str, tuple[str, str]] | None = None,
        folders: dict[RecordKind, FolderAt] | None = None,
    ) -> list[TreeEntry]:
        """Every record file at `commit`, sorted by path; `others` and `folders`, when given,
        get what else the records folders hold and where a folder stored as no folder leads
        (ichinv.io.git_trees.record_entries)."""
        return git_trees.record_entries(self._listing, commit, self.prefix, others, folders)

    def records_folder(self, commit: str, kind: RecordKind) -> FolderAt:
        """Where `commit` (or `SHA^`) keeps the records of `kind`, a folder stored as a
        symbolic link followed inside the inventory."""
        return git_trees.records_folder(self._listing, commit, self.prefix, kind)

    def files_under(self, commit: str, folder: str) -> list[tuple[str, str, str]]:
        """(path, mode, object id) of everything under `folder` at `commit`, at any depth."""
        return git_trees.files_under(self._listing, commit, self.prefix, folder)

    def clean_blobs(self, meanwhile: Callable[[], object] = lambda: None) -> dict[str, str]:
        """Blob ids of the record files that git vouches are unmodified in the working tree
        (`meanwhile` runs once, while git lists them).

        From the index (`git ls-files -s`) minus what `git diff-files` reports as modified: a
        file left out (modified, untracked, conflicted, marked assume-unchanged or
        skip-worktree, a symbolic link) must be read and hashed. Read-only: the index is not
        refreshed or written. Empty when git cannot tell.

        `git diff-files` compares each file's size, times and inode with the index (in full,
        whatever `core.trustctime` and `core.checkStat` say), and reads a file whose entry is
        "racily clean" to compare its content: every content filter driver is switched off by
        name for this call, and submodules are not looked into (that would run `git status`
        inside them). Where a conversion may make a file's bytes differ from its blob's
        (`core.autocrlf`, `text`/`eol` attributes), those files are hashed; when git cannot
        be asked safely, every file is: slower, never wrong (see ichinv.io.git_index).
        """
        trace.count("list-index")
        folders = [f"{self.prefix}{kind.folder}/" for kind in RecordKind]
        config = self._run("config", "-z", "--get-regexp", git_index.CONFIG_PATTERN, check=False)
        filters_off = git_index.usable_filters(config.returncode, config.stdout)
        if filters_off is None:
            meanwhile()
            return {}
        staged, dirty = run_git_together(
            self.git,
            self.top,
            ["ls-files", "-s", "-v", "-z", "--", *folders],
            [
                *filters_off,
                *git_index.STAT_OPTIONS,
                "diff-files",
                "--name-only",
                "-z",
                "--ignore-submodules",
                "--no-ext-diff",
                "--no-textconv",
                "--",
                *folders,
            ],
            meanwhile=meanwhile,
        )
        if staged is None or dirty is None:
            return {}
        modified = set(dirty.split(b"\0"))
        entries = [
            (blob, raw_path)
            for tag, mode, blob, stage, raw_path in _INDEX_LINE.findall(staged)
            if tag == b"H"
            and stage == b"0"
            and mode in (b"100644", b"100755")
            and raw_path not in modified
        ]
        if entries and git_index.attribute_files(
            config.stdout, self.top, self.info_attributes, folders
        ):
            attributes = self._run(
                "check-attr", "-z", "--stdin", *git_index.CONVERTING,
                stdin=b"\0".join(p for __, p in entries) + b"\0", check=False,
            )  # fmt: skip
            if attributes.returncode != 0:
                return {}
            converted = git_index.converted_paths(attributes.stdout)
            entries = [(blob, p) for blob, p in entries if p not in converted]
        result: dict[str, str] = {}
        for blob, raw_path in entries:
            rel = self._relative(raw_path.decode("utf-8", "surrogateescape"))
            if rel is not None:
                result[rel] = blob.decode("ascii")
        return result

    def names_in(self, commit: str, folders: Iterable[str]) -> dict[str, set[str]]:
        """The names of what each of `folders` (relative to the inventory root) held at
        `commit`, one level down."""
        return git_trees.names_in(self._listing, commit, self.prefix, list(folders))

    def gitlinks(self, paths: Iterable[str]) -> set[str]:
        """Which of `paths` (relative to the inventory root) the index holds as a gitlink: a
        submodule or a repository added inside this one, checked out as an empty folder by a
        clone. Empty when git cannot tell."""
        wanted = {f"{self.prefix}{path}".encode(): path for path in paths}
        if not wanted:
            return set()
        done = self._run(
            "ls-files", "-s", "-v", "-z", "--", *(w.decode() for w in wanted), check=False
        )
        if done.returncode != 0:
            return set()
        return {
            wanted[raw_path]
            for _x, mode, _y, _z, raw_path in _INDEX_LINE.findall(done.stdout)
            if mode == GITLINK_MODE.encode() and raw_path in wanted
        }

    def indexed(self, path: str) -> bool:
        """Whether git's index holds anything at `path` (relative to the inventory root) or
        under it: a file, or a gitlink (a submodule's folder); true when git cannot tell."""
        done = self._run("ls-files", "-z", "--", f":(literal){self.prefix}{path}", check=False)
        return done.returncode != 0 or bool(done.stdout)

    def blob_reader(self) -> BlobReader:
        """A `git cat-file --batch` stream for reading many blobs (use as a context manager)."""
        return BlobReader(self.git, self.top)

    def read_blobs(
        self, blobs: Iterable[str], *, max_size: int | None = None
    ) -> dict[str, bytes | TooLarge]:
        """The contents of `blobs`, read through one `git cat-file --batch` stream."""
        with self.blob_reader() as reader:
            return reader.read_many(blobs, max_size=max_size)

    # --- history ---------------------------------------------------------------------------

    def log(
        self,
        rev: str = "HEAD",
        *,
        kinds: Iterable[RecordKind] = (RecordKind.ELEMENT,),
        paths: Iterable[str] | None = None,
    ) -> Iterator[CommitInfo]:
        """Commits reachable from `rev` that changed record files, newest first.

        One `git log --raw` pass; a rename shows as a deletion and an addition in the same
        commit, so callers can follow records by id rather than by git's similarity guess.
        Merge commits appear without changes (their parents carry them). With `paths`
        (relative to the inventory root), every change to each path and under it, at any
        depth, instead of the record files of `kinds`: a records folder's own entry (a
        symbolic link made or changed), files in its subfolders.
        """
        sha = self.resolve(rev)
        wanted = (
            [f"{self.prefix}{kind.folder}/" for kind in kinds]
            if paths is None
            else [f"{self.prefix}{path}" for path in paths]
        )
        done = self._run(
            "log",
            "--no-renames",
            "--raw",
            "-z",
            "--no-abbrev",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--no-show-signature",
            "--format=%x1e%H%x00%an%x00%aI%x00%s",
            sha,
            "--",
            *wanted,
        )
        yield from parse_log(done.stdout, self._relative, every=paths is not None)

    def paths_ever_committed(self, kinds: Iterable[RecordKind] = (RecordKind.ELEMENT,)) -> set[str]:
        """Record paths committed at any time on any local or remote-tracking branch (e.g. to
        allocate ids no branch has used). Empty in a repository without commits; GitError
        when git fails (a partial answer would let an id be reused)."""
        folders = [f"{self.prefix}{kind.folder}/" for kind in kinds]
        done = self._run(
            "log", "--branches", "--remotes", "--format=", "--name-only", "--no-renames", "-z",
            "--no-ext-diff", "--no-textconv", "--no-show-signature", "--", *folders, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise GitError(
                _("git cannot read the history of {root}: {message}").format(
                    root=self.root, message=git_message(done.stderr)
                )
            )
        found = set()
        for raw in done.stdout.split(b"\0"):
            rel = self._relative(raw.strip(b"\n").decode("utf-8", "surrogateescape"))
            if rel is not None and record_kind(rel) is not None:
                found.add(rel)
        return found

    def _relative(self, path: str) -> str | None:
        if not path.startswith(self.prefix):
            return None
        return path[len(self.prefix) :]
