"""Whether git ignores paths of the working tree, as git itself decides (`git check-ignore`).

Part of the git access of ichinv.io.git (git is run through ichinv.io.git_blobs). The answer is
git's, never a reading of `.gitignore` here: a later `!` line that includes a path again, a
`.gitignore` in a subfolder, `.git/info/exclude`, the user's `core.excludesFile` and files git
already tracks (which no ignore rule can hide) all count as git counts them.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ichinv.core.errors import GitError, NotARepository
from ichinv.core.i18n import _
from ichinv.io.git import open_repo
from ichinv.io.git_blobs import git_executable, git_message, run_git


def unignored(root: Path, paths: Sequence[str], *, tracked: bool = True) -> list[str]:
    """Those of `paths` that git would not ignore, in their order (`tracked`: a path git
    tracks, or a folder holding one, counts as not ignored, as git counts it; else only the
    ignore rules are read).

    `paths` are relative to `root` (the inventory root), with forward slashes; a folder's ends
    with `/` (it need not exist yet). A path outside the git working tree holding `root` is
    left out: git never sees it. Outside any git repository, the answer is the one git would
    give in a repository made at `root` (a folder copied without its history may become one),
    and a path outside `root` is left out. GitError when git cannot be run or answer."""
    asked, out = _check_ignore(root, paths, () if tracked else ("--no-index",))
    ignored = {p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p}
    return [given for where, given in asked.items() if where not in ignored]


def tracked(root: Path, paths: Sequence[str]) -> list[str]:
    """Those of `paths` (as `unignored` takes them) that git tracks, or folders holding a file
    it tracks: no line of a .gitignore keeps them from being committed. Empty outside a git
    repository. GitError when git cannot be run or answer."""
    try:
        repo = open_repo(root)
    except NotARepository:
        return []
    asked = _in_repository(root, repo.top, paths)
    if not asked:
        return []
    folders = [where for where in asked if where.endswith("/")]
    # Not what an asked folder holds already (the overlay's files: thousands of arguments);
    # `--literal-pathspecs`: a path, never a pattern or pathspec magic (`:secret/`, `*`).
    wanted = [w for w in asked if not any(w != f and w.startswith(f) for f in folders)]
    done = run_git(
        git_executable(), repo.top, "--literal-pathspecs", "ls-files", "-z", "--", *wanted
    )
    files = {p.decode("utf-8", "surrogateescape") for p in done.stdout.split(b"\0") if p}
    return [
        given
        for where, given in asked.items()
        if (any(f.startswith(where) for f in files) if where.endswith("/") else where in files)
    ]


def including_line(root: Path, path: str) -> tuple[str, int] | None:
    """The line starting with `!` that makes git include `path` (as `unignored` takes it)
    again, as (its ignore file, as git names it; its line number), looking at the folders
    leading to `path` from the outermost, then `path`; None when git names none (git matches a
    line meant for folders only against a folder that exists)."""
    parts = path.strip("/").split("/")
    steps = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    __, out = _check_ignore(root, steps, ("--no-index", "-v", "-n"))
    fields = out.split(b"\0")
    for at in range(0, len(fields) - 3, 4):
        source, line, pattern = fields[at : at + 3]
        if pattern.startswith(b"!") and line.isdigit():
            return source.decode("utf-8", "surrogateescape"), int(line)
    return None


def _in_repository(root: Path, top: Path, paths: Sequence[str]) -> dict[str, str]:
    """Each of `paths` (relative to `root`; a folder's ending in `/`) that is inside the
    working tree at `top`, relative to `top` (→ as given)."""
    found: dict[str, str] = {}
    for path in paths:
        folder = path.endswith("/")
        where = os.path.relpath(os.path.normpath(root.resolve() / path), top)
        if where == ".." or where.startswith("../") or where == ".":
            continue
        found[Path(where).as_posix() + ("/" if folder else "")] = path
    return found


def _check_ignore(
    root: Path, paths: Sequence[str], options: Sequence[str]
) -> tuple[dict[str, str], bytes]:
    """`git check-ignore -z --stdin` with `options` asked about `paths` (see `unignored`): the
    paths as git was asked about them (→ as given), and what git wrote."""
    git = git_executable()
    try:
        repo = open_repo(root)
    except NotARepository:
        repo = None
    top = repo.top if repo is not None else root.resolve()
    # A path, not a pathspec: git reads a leading `:` as pathspec magic (`:secret/` was asked
    # about as `secret/`), and check-ignore takes no --literal-pathspecs.
    asked = {
        f"./{name}" if name.startswith(":") else name: path
        for name, path in _in_repository(root, top, paths).items()
    }
    if not asked:
        return asked, b""
    stdin = b"".join(p.encode("utf-8", "surrogateescape") + b"\0" for p in asked)
    ask = ("check-ignore", "-z", "--stdin", *options)
    if repo is not None:
        done = run_git(git, top, *ask, check=False, stdin=stdin)
    else:
        with tempfile.TemporaryDirectory(prefix="ichinv-ignore-") as empty:
            run_git(git, Path(empty), "init", "-q", "--bare", "repository", own=True)
            done = run_git(
                git,
                top,
                f"--git-dir={Path(empty) / 'repository'}",
                f"--work-tree={top}",
                *ask,
                check=False,
                stdin=stdin,
                own=True,
            )
    if done.returncode not in (0, 1):  # 1: none of them is ignored
        raise GitError(
            _("git cannot tell which files it ignores: {message}").format(
                message=git_message(done.stderr)
            ),
            hint=_("run `git check-ignore -v PATH` in the inventory to see what git says"),
        )
    return asked, done.stdout
