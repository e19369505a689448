"""What the inventory keeps, which no command's output may go into or replace, whatever
`--force` says: its folders (records, schemas, templates, git's folder, attachments, the
private overlay) and its own files at the root (the settings, README, LICENSE…). Every command
that writes where `--output` names (`export`, `form`, `ci summary`, `packet`, `schema-docs`,
`site`) asks `refuse_kept` first, so that an export full of contacts cannot land in a folder
git tracks and a generated page cannot replace the inventory's README.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ichinv.core.errors import WriteRefused
from ichinv.core.i18n import _
from ichinv.core.model import RecordKind
from ichinv.core.vocabulary import ATTACHMENT_FOLDERS
from ichinv.io.settings import Settings

KEPT_FILES = frozenset(
    {"pyproject.toml", "ichinv.toml", ".gitignore", ".gitattributes", ".gitmodules"}
)
"""Files at the root of the inventory that are its own (its settings, git's)."""
KEPT_STEMS = frozenset({"readme", "license", "licence", "copying", "security", "changelog"})
"""Names (any case, any extension) of the files at the root that document the inventory (kept
when they are there)."""


def folders(settings: Settings) -> list[Path]:
    """The folders of the inventory no output may be written into."""
    found = [settings.folder(kind) for kind in RecordKind]
    # By name, not through Settings.schema_dir/templates_dir, which refuse a link leading out
    # (the command that reads them says so; an output is only kept out of them).
    found += [settings.root / name for name in ("schema", "templates", ".git")]
    found += [settings.root / name for name in ATTACHMENT_FOLDERS]
    if settings.private_overlay is not None:
        found.append(settings.private_overlay)
    return found


def refuse_kept(
    target: Path,
    settings: Settings | None,
    *,
    folder: bool,
    option: str = "--output",
    names: Sequence[str] = (),
    beside: str = "",
    usable: Callable[[Path], bool] | None = None,
    holds_contacts: bool = False,
) -> None:
    """Refuse (WriteRefused, exit 2) to write at `target` (as typed; links followed) when it
    is an inventory itself or a folder holding it, lies in or holds a folder it keeps, or is
    one of its own files: of the inventory of `settings` (the command's, if it has one) and of
    the inventory `target` lies in. `folder`: the command writes a folder of files there (else
    one file). The hint offers a place to write instead, the first that is free of all that
    and `usable` (default: not there yet, or an empty folder for a folder): each of `names` in
    the inventory, then `<inventory>-<beside>` beside it (and beside the git repository
    holding it). An output that `holds_contacts` and restricted parts (a committee export or
    packets) is offered only a place that `git add` does not take (`git_takes`)."""
    inventories = [settings] if settings is not None else []
    holding = _holding(target)
    if holding is not None and all(s.root.resolve() != holding.root for s in inventories):
        inventories.append(holding)
    for inventory in inventories:
        _refuse_in(target, inventory, folder, option, names, beside, usable, holds_contacts)


def _holding(target: Path) -> Settings | None:
    """The settings of the inventory `target` lies in, found as a command finds its own from
    the current folder (its default ones when they cannot be read); None when there is none."""
    from ichinv.core.errors import ConfigError
    from ichinv.io import settings as inventory_settings

    start = _resolved(target).parent
    while not start.is_dir() and start != start.parent:
        start = start.parent
    try:
        root = inventory_settings.find_root(start)
    except ConfigError:
        return None
    try:
        return inventory_settings.load(root)
    except ConfigError:
        return Settings(root=root)


def _refuse_in(
    target: Path,
    settings: Settings,
    folder: bool,
    option: str,
    names: Sequence[str],
    beside: str,
    usable: Callable[[Path], bool] | None,
    holds_contacts: bool,
) -> None:
    """refuse_kept for one inventory."""
    root = settings.root.resolve()
    owned = [_resolved(kept) for kept in folders(settings)]
    clash = _clash(target, root, owned)
    if clash is None and not folder:
        clash = _kept_file(target, root, settings)
        if clash is not None:
            raise WriteRefused(
                _("{option} {path} would replace {kept}, a file the inventory keeps").format(
                    option=option, path=target, kept=clash.name
                ),
                hint=_hint(target, settings, owned, folder, names, beside, usable, holds_contacts),
            )
    if clash is None:
        return
    message = (
        _("{option} {path} would write over the inventory itself")
        if clash == root
        else _("{option} {path} would write into {kept}, which the inventory keeps")
    )
    raise WriteRefused(
        message.format(option=option, path=target, kept=_shown_folder(settings, clash)),
        hint=_hint(target, settings, owned, folder, names, beside, usable, holds_contacts),
    )


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link in a loop (RuntimeError before Python 3.13)
        return Path(os.path.abspath(path))


def _clash(target: Path, root: Path, owned: Iterable[Path]) -> Path | None:
    """What writing at `target` would overwrite: the inventory (its root), or a folder it
    keeps (of `owned`, resolved) that `target` is, lies in or holds; None when nothing."""
    resolved = _resolved(target)
    if resolved == root or root.is_relative_to(resolved):
        return root
    for kept in owned:
        if resolved == kept or resolved.is_relative_to(kept) or kept.is_relative_to(resolved):
            return kept
    return None


def _kept_file(target: Path, root: Path, settings: Settings) -> Path | None:
    """The inventory's own file at the root that `target` is (links followed), if any."""
    resolved = _resolved(target)
    if resolved.parent != root:
        return None
    config = settings.config_file
    if (
        resolved.name in KEPT_FILES
        # A document of the inventory that is there (a new `changelog.xlsx` replaces none)
        or (resolved.name.split(".", 1)[0].lower() in KEPT_STEMS and resolved.exists())
        or (config is not None and _resolved(config) == resolved)
    ):
        return resolved
    return None


def _shown_folder(settings: Settings, folder: Path) -> str:
    """A kept folder as a message names it: relative to the root, with a slash (`elements/`)."""
    try:
        return folder.relative_to(settings.root.resolve()).as_posix() + "/"
    except ValueError:
        return folder.as_posix()


def _hint(
    refused: Path,
    settings: Settings,
    owned: list[Path],
    folder: bool,
    names: Sequence[str],
    beside: str,
    usable: Callable[[Path], bool] | None,
    holds_contacts: bool,
) -> str:
    """A place the output may be written to instead (never `refused`), as typed here."""
    root = settings.root
    candidates = [root / name for name in names]
    if beside:
        candidates.append(root.parent / f"{root.name}-{beside}")
        if holds_contacts:  # in a folder of its repository, or a repository in another one
            candidates += [top.parent / f"{root.name}-{beside}" for top in _work_trees(root)]
    takes = usable or (free_folder if folder else _free_file)
    for candidate in dict.fromkeys(candidates):
        if holds_contacts and git_takes(candidate):
            continue
        try:  # a link in a loop there: not a place to offer
            if candidate.resolve() == _resolved(refused):
                continue
        except (OSError, RuntimeError):
            continue
        if _clash(candidate, root.resolve(), owned) is not None:
            continue
        if not folder and _kept_file(candidate, root.resolve(), settings) is not None:
            continue
        if not takes(candidate):
            continue
        try:
            shown = os.path.relpath(candidate)
        except ValueError:  # another drive
            shown = str(candidate)
        return (
            _("give a folder of its own, e.g. --output {folder}")
            if folder
            else _("give a file of its own, e.g. --output {file}")
        ).format(folder=shlex.quote(shown), file=shlex.quote(shown))
    if holds_contacts:
        return _(
            "give a place of its own outside the repository: what is written holds contacts "
            "and restricted parts, which git must not take"
        )
    if folder:
        return _("give a folder of its own, outside the folders the inventory keeps")
    return _("give a file of its own, outside the folders the inventory keeps")


def git_takes(path: Path) -> bool:
    """Whether `git add` in the repository whose working tree holds `path` would take it: the
    nearest one around it (the inventory's, or one it is a folder or submodule of), where git
    does not ignore it (as git decides). False outside any repository; True when git cannot
    tell: a place for contacts is offered only when it is sure."""
    from ichinv.core.errors import GitError, NotARepository
    from ichinv.io import git_ignore
    from ichinv.io.git import open_repo

    target = _resolved(path)
    folder = target.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    try:
        open_repo(folder)
    except NotARepository:
        return False
    except (GitError, OSError):
        return True
    try:
        return bool(git_ignore.unignored(folder, [target.as_posix()]))
    except (GitError, OSError):
        return True


def committable(path: Path) -> str | None:
    """A note for a file or folder of contacts and restricted parts just written at `path`
    (a committee export or packets), when `git add` would take it (`git_takes`); else None."""
    if not git_takes(path):
        return None
    return _(
        "note: {path} holds contacts and restricted parts, and `git add` would take it: keep "
        "it outside the repository, or list it in .gitignore"
    ).format(path=path)


def _work_trees(root: Path) -> list[Path]:
    """The tops of the git working trees around `root`, nearest first: its repository's, and
    those of repositories around that one (a superproject of a submodule, a repository that
    another's working tree holds)."""
    from ichinv.core.errors import GitError
    from ichinv.io.git import open_repo

    tops: list[Path] = []
    folder = root.resolve()
    while len(tops) < 8:
        try:
            top = open_repo(folder).top.resolve()
        except (GitError, OSError):
            break
        tops.append(top)
        if top.parent == top:
            break
        folder = top.parent
    return tops


def free_folder(folder: Path) -> bool:
    """A folder a command writes into without --force: a new one (its parent is a folder) or
    an empty one."""
    try:
        if not folder.exists():
            return folder.parent.is_dir()
        if not folder.is_dir():
            return False
        with os.scandir(folder) as entries:
            return not any(True for __ in entries)
    except OSError:
        return False


def _free_file(file: Path) -> bool:
    """A file a command writes without --force: not there yet, in a folder that is."""
    try:
        return not os.path.lexists(file) and file.parent.is_dir()
    except OSError:
        return False
