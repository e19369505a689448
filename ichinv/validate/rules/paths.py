"""Paths in records: inside the repository, and leading to files that exist."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ichinv.core import pointers
from ichinv.core.catalogue import rule
from ichinv.core.i18n import _
from ichinv.core.model import Finding
from ichinv.validate.rules.context import RecordContext, looked_up

PATH_FIELDS = ("/documentation/*/path",)
"""Fields that hold a path of a file in the repository (`#/$defs/repo_path`)."""

LOOSE_PATH_FIELDS = ("/consent/evidence",)
"""Fields that hold a path or a reference in words; checked only when the value looks like a
path (one word with a slash or a file extension, or starting with `/`, `~` or a drive)."""

_PATH_START = re.compile(r"[/\\~]|[A-Za-z]:|\.\.?[/\\]")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}\Z")


def _looks_like_path(value: str) -> bool:
    """Whether `value` starts as a path does, or is one word holding a slash or ending in a
    file extension: in time linear in its length (a pattern written as one regular expression,
    `^\\S*(?:[/\\\\]\\S*|…)$`, took seconds on 40,000 slashes followed by a space, and hours
    on a record's largest text: an outside review)."""
    if _PATH_START.match(value):
        return True
    if any(c.isspace() for c in value):
        return False
    return "/" in value or "\\" in value or _EXTENSION.search(value) is not None


def _leads_outside(value: str) -> bool:
    return (
        value.startswith(("/", "\\", "~"))
        or ".." in value.replace("\\", "/").split("/")
        or (len(value) > 1 and value[1] == ":" and value[0].isalpha())
    )


def _resolves_inside(target: str, root: Path) -> bool:
    """Whether the link `target` leads inside `root` (the resolved inventory root): a loop of
    links leads nowhere, certainly not inside; a link to nothing is judged by where it points."""
    try:
        real = os.path.realpath(target, strict=True)
    except FileNotFoundError:
        real = os.path.realpath(target)
    except (OSError, RuntimeError):
        return False
    base = os.fspath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


_FOLDERS: dict[str, bool] | None = None
"""While a validation run remembers them (`folders_remembered`): each folder a path passed
through (absolute) → whether it is a link leading out of the inventory. Every record names
`documentation/` and its own folder: each is looked at once a run, not once a path."""


@contextmanager
def folders_remembered() -> Iterator[None]:
    """Remember, for the run inside it, what each folder on the way of a path is (worker
    processes forked inside it remember for themselves). Outside a run nothing is
    remembered: a folder may be replaced by a link between two commands of one process."""
    global _FOLDERS
    before = _FOLDERS
    _FOLDERS = {} if before is None else before
    try:
        yield
    finally:
        _FOLDERS = before


def _link_out(root: Path, value: str) -> tuple[bool, str]:
    """Whether a folder on the way of the path `value` (relative to `root`) is a symbolic
    link leading out of the inventory, or into a loop; and the path (absolute) to look at.
    Each part is looked up as `looked_up` notes it, so that a cached verdict depends on it too
    (a folder that becomes a link ends the verdict)."""
    parts = [part for part in value.split("/") if part not in ("", ".")]
    folder = ""
    for part in parts[:-1]:
        folder = f"{folder}/{part}" if folder else part
        target = looked_up(root, folder)
        known = _FOLDERS.get(target) if _FOLDERS is not None else None
        if known is None:
            known = os.path.islink(target) and not _resolves_inside(target, root)
            if _FOLDERS is not None:
                _FOLDERS[target] = known
        if known:
            return True, target
    return False, looked_up(root, "/".join(parts))


def check_paths(ctx: RecordContext) -> Iterator[Finding]:
    for pattern in PATH_FIELDS + LOOSE_PATH_FIELDS:
        strict = pattern in PATH_FIELDS
        for pointer, value in pointers.matches(ctx.data, pattern):
            if not isinstance(value, str) or not value.strip():
                continue
            value = value.strip()
            if not strict and not _looks_like_path(value):
                continue
            yield from _check_path(ctx, pointer, value, strict=strict)


def _check_path(ctx: RecordContext, pointer: str, value: str, *, strict: bool) -> Iterator[Finding]:
    if _leads_outside(value):
        yield rule("path.outside").finding(
            ctx.path,
            _("the path {value!r} leads outside the repository").format(value=value),
            pointer=pointer,
            hint=_("give a path relative to the repository root, without '..'"),
        )
        return
    through, target = _link_out(ctx.root, value)
    if through:
        yield rule("path.outside").finding(
            ctx.path,
            _("the path {value!r} passes through a link that leads outside the repository").format(
                value=value
            ),
            pointer=pointer,
            hint=_(
                "make each folder on the way a folder of the repository, not a link to one "
                "elsewhere, and keep the files in it"
            ),
        )
    elif os.path.islink(target) and not _resolves_inside(target, ctx.root):
        yield rule("path.outside").finding(
            ctx.path,
            _("the path {value!r} is a link to a file outside the repository").format(value=value),
            pointer=pointer,
        )
    elif strict and not os.path.exists(target):
        yield rule("path.missing").finding(
            ctx.path,
            _("the file {value!r} does not exist in the repository").format(value=value),
            pointer=pointer,
            hint=_("add the file, correct the path, or give a url instead"),
        )
