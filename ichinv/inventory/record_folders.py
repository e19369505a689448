"""Whether elements/ and provinces/ are folders of the inventory's own repository.

A records folder that is a file, a symbolic link leading out of the inventory, or another git
repository (a submodule, or a clone inside this one) holds no record of this repository: what
`validate` would read there is not what the history holds, and a clone gets an empty folder.
Each is a finding (`file.record-folder`) on the folder, and nothing in it is read.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ichinv.core.contacts import without_contacts
from ichinv.core.errors import IchinvError
from ichinv.core.i18n import N_, _
from ichinv.core.model import Finding, RecordKind
from ichinv.io import confined, git
from ichinv.io.git_types import FolderAt
from ichinv.io.settings import Settings

RULE = "file.record-folder"

_RESTORE = N_(
    "records live in a folder {folder}/ of the inventory; restore it with `git checkout -- "
    "{folder}`"
)
_UNLINK = N_(
    "commit the records themselves in this repository, not a link to another one: "
    "`git rm --cached {folder}`, remove {folder}/.git and any entry for it in .gitmodules, "
    "then `git add {folder}`"
)
_SUBMODULE_PATH = re.compile(r'^\s*path\s*=\s*"?(.*?)"?\s*$', re.MULTILINE | re.IGNORECASE)


def _finding(kind: RecordKind, message: str, hint: str, rule: str = RULE, **values: str) -> Finding:
    """A finding on the folder of `kind`: `message` and `hint` (translated) name it `{folder}`."""
    return Finding(
        kind.folder,
        rule,
        message.format(folder=kind.folder, **values),
        hint=_(hint).format(folder=kind.folder),
    )


def check(settings: Settings, kind: RecordKind) -> Finding | None:
    """Why the folder of `kind` is not a folder of the inventory's own repository, if it is not
    (a missing folder is fine: no records of that kind yet). A few stat calls, no git."""
    folder = settings.folder(kind)
    if not os.path.lexists(folder):
        return None
    if folder.is_symlink():
        try:
            target = folder.resolve(strict=True)
        except (RuntimeError, OSError):  # a loop, or a link to nothing
            return _leads_nowhere(kind)
        if not target.is_relative_to(settings.root):
            return _leads_out(kind, str(target))
    if not folder.is_dir():
        return _not_a_folder(kind, special=not folder.is_file())
    if os.path.lexists(folder / ".git"):
        return _finding(
            kind,
            _(
                "{folder}/ is a git repository of its own (it holds .git): its records are not "
                "in this repository's history, and a clone gets an empty folder; no record in "
                "it was read"
            ),
            _UNLINK,
        )
    if _declared_submodule(settings.root, folder):
        return _finding(
            kind,
            _(
                "{folder}/ is a git submodule (.gitmodules names it): its records are another "
                "repository's, and a clone gets an empty folder; no record in it was read"
            ),
            _UNLINK,
        )
    return None


def in_commit(kind: RecordKind, where: FolderAt) -> Finding | None:
    """Why a commit's records folder of `kind`, stored as no folder (`where`: a symbolic link,
    a file, a gitlink), holds no record to read, in the words of `check`; None when its
    records are read where it leads (a link to a folder inside the inventory)."""
    if where.path is not None:
        return None
    if where.stored == "gitlink":
        return _finding(
            kind,
            _(
                "{folder}/ is committed as a link to another git repository (a gitlink), not "
                "as records; no record in it was read"
            ),
            _UNLINK,
        )
    if where.stored == "file" or where.why == "file":
        return _not_a_folder(kind, special=False)
    if where.why == "outside":
        return _leads_out(kind, where.target)
    return _leads_nowhere(kind)


def _leads_nowhere(kind: RecordKind) -> Finding:
    return _finding(
        kind,
        _("{folder}/ is a symbolic link that leads nowhere; no record in it was read"),
        _RESTORE,
    )


LEADS_OUT = N_(
    "{folder}/ is a symbolic link to {target}, outside the inventory; no record in it was read"
)
"""Words that quote where a records folder's link leads (a path of someone's machine): not
for public output (ichinv.inventory.redaction.public_problem)."""


def _leads_out(kind: RecordKind, target: str) -> Finding:
    return _finding(kind, _(LEADS_OUT), _RESTORE, target=without_contacts(target))


def _not_a_folder(kind: RecordKind, *, special: bool) -> Finding:
    message = (
        _("{folder}/ is a special file, not a folder; no record in it was read")
        if special
        else _("{folder}/ is a file, not a folder; no record in it was read")
    )
    return _finding(kind, message, _RESTORE)


def gitlink(settings: Settings, kind: RecordKind) -> Finding | None:
    """The finding for an empty records folder that git's index holds as a gitlink: what a
    clone checks out for a folder that was another repository (a submodule without
    .gitmodules, or a clone added with `git add`). Runs git: ask it of empty folders only."""
    if _git_top(settings.root) is None:
        return None
    try:
        linked = kind.folder in git.open_repo(settings.root).gitlinks([kind.folder])
    except IchinvError:  # git cannot tell; the other checks still stand
        return None
    if not linked:
        return None
    return _finding(
        kind,
        _(
            "{folder}/ is committed as a link to another git repository (a gitlink), not as "
            "records: it is empty here, as in every clone; no record in it was read"
        ),
        _UNLINK,
    )


def indexed(settings: Settings, rel: str) -> bool:
    """Whether git's index holds anything at or under the folder `rel` (empty here): a gitlink,
    whose records a clone does not check out, or a file the folder took the place of; true
    when git cannot tell. Runs git: ask it of empty folders only."""
    if _git_top(settings.root) is None:
        return False
    try:
        return git.open_repo(settings.root).indexed(rel)
    except IchinvError:
        return True


def unreadable(kind: RecordKind, exc: OSError) -> Finding:
    """The finding for a records folder that cannot be listed."""
    return _finding(
        kind,
        _("{folder}/ cannot be read ({reason}); no record in it was read"),
        N_("check the permissions of {folder}/"),
        rule="file.unreadable",
        reason=str(exc.strerror),
    )


def _git_top(root: Path) -> Path | None:
    """The top of the git working tree holding `root` (the first folder up with a .git)."""
    return next((d for d in (root, *root.parents) if os.path.lexists(d / ".git")), None)


def _declared_submodule(root: Path, folder: Path) -> bool:
    """Whether the .gitmodules of the repository holding `root` declares `folder`."""
    top = _git_top(root)
    if top is None:
        return False
    try:
        text = confined.text(top / ".gitmodules", top, errors="replace")
    except (OSError, confined.Refused):
        return False
    rel = folder.relative_to(top).as_posix()
    return any(path.strip("/") == rel for path in _SUBMODULE_PATH.findall(text))
