"""What an entry of elements/ or provinces/ that is no record file is, in the words every
reader uses: a folder, a file of another name, a hidden file, a temporary file left by an
interrupted write, a name that is not UTF-8, something no regular file. The working tree's
listing (ichinv.inventory.record_files.discover) and a commit's (its snapshot) judge their
entries here.
"""

from __future__ import annotations

from ichinv.core.i18n import _
from ichinv.core.model import Finding, RecordKind

SUFFIX = ".yaml"
"""The ending of a record file's name."""


def shown(rel: str) -> str:
    """`rel` as reports can print it: the bytes of a file name that are not UTF-8 (which
    Python carries as lone surrogates) written as `\\xNN`."""
    if rel.isascii():  # no surrogate: as it is (10,000 names a run)
        return rel
    try:
        raw = rel.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that no file system gave
        return rel.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def not_regular(rel: str) -> Finding:
    """The finding for a record path that is no regular file (a pipe, a device)."""
    return Finding(
        rel,
        "file.unreadable",
        _("{rel} is not a regular file (a device, pipe or broken link); it was not read").format(
            rel=rel
        ),
        hint=_("records are ordinary text files"),
    )


def entry_problem(kind: RecordKind, name: str, what: str, *, empty: bool = True) -> Finding | None:
    """The finding for the entry `name` of a records folder that is no record file, by its
    name and what it is (`folder`, `file`, or `other`: no regular file), None for a record
    file; `empty`: whether a `.gitkeep` file is empty. `discover` judges the working tree's
    entries so, and a commit's snapshot its own (a gitlink there is what a clone makes a
    folder of)."""
    rel = f"{kind.folder}/{name}"
    printable = shown(rel)
    if printable != rel:
        # Such a name cannot be an id, and must not reach reports, caches or git as it is.
        return Finding(
            printable,
            "file.unreadable",
            _("the name of {name} is not valid UTF-8; the file was not read").format(
                name=printable
            ),
            hint=_(
                "rename the file to <id>.yaml (the id it holds) or move it out of {folder}/"
            ).format(folder=kind.folder),
        )
    if name.startswith("."):
        return _hidden(kind, name, rel, kept=name == KEEP and what == "file" and empty)
    if what == "folder":
        return Finding(
            rel,
            "file.folder",
            _(
                "{folder}/ holds a folder {name!r}; records are files directly inside {folder}/"
            ).format(folder=kind.folder, name=name),
            hint=_("move its records into {folder}/ or the folder out of it").format(
                folder=kind.folder
            ),
        )
    if what != "file":
        return not_regular(rel)
    if not name.endswith(SUFFIX):
        # A record's name in another spelling (`.yml`, `.YAML`, `.Yml`): renamed, it is read.
        ending = next((e for e in (SUFFIX, ".yml") if name.lower().endswith(e)), None)
        hint = (
            _("rename it to {name}").format(name=name[: -len(ending)] + SUFFIX)
            if ending is not None
            else _("{folder}/ holds only records named <id>.yaml; move this file elsewhere").format(
                folder=kind.folder
            )
        )
        return Finding(
            rel, "file.extension", _("{rel} is not a .yaml record file").format(rel=rel), hint=hint
        )
    return None


KEEP = ".gitkeep"
"""The one hidden file a records folder may hold, empty: it lets git keep the folder."""


def temporary_target(name: str) -> str | None:
    """The file an interrupted atomic write (ichinv.io.atomic) was replacing, for the name of
    its leftover temporary file (`.KZ-2013-0001.yaml.k2j4x9a1.tmp` → `KZ-2013-0001.yaml`);
    None for any other name."""
    if not (name.startswith(".") and name.endswith(".tmp")) or len(name) < len("..tmp") + 1:
        return None
    target = name[1 : -len(".tmp")]
    if not target.endswith(SUFFIX):
        target = target.rpartition(".")[0] or target  # the random part
    return target


def _hidden(kind: RecordKind, name: str, rel: str, *, kept: bool) -> Finding | None:
    """The finding for a hidden entry of a records folder (`kept`: an empty .gitkeep file,
    which is fine): no reader looks at it, a file listing hides it, and git commits it unless
    told otherwise."""
    target = temporary_target(name)
    if target is not None:
        return Finding(
            rel,
            "file.temporary",
            _(
                "{rel} is a temporary file left by an interrupted write of "
                "{folder}/{target}; it may hold a whole record, contacts included, and no "
                "check reads it"
            ).format(rel=rel, folder=kind.folder, target=target),
            hint=_(
                "compare it with {folder}/{target}, keep in the record what is right, then "
                "delete the temporary file (and list .*.tmp in .gitignore)"
            ).format(folder=kind.folder, target=target),
        )
    if kept:
        return None
    return Finding(
        rel,
        "file.hidden",
        _(
            "{rel} is hidden (its name starts with '.'): {folder}/ holds only records "
            "named <id>.yaml, and a hidden file escapes file listings, review and every "
            "check"
        ).format(rel=rel, folder=kind.folder),
        hint=_(
            "if it is a record, rename it to <id>.yaml; otherwise delete it or move it out "
            "of {folder}/ (an empty {keep} is allowed)"
        ).format(folder=kind.folder, keep=KEEP),
    )
