"""Paths in records: inside the repository, and leading to files that exist."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ichinv.core import pointers
from ichinv.core.catalogue import rule
from ichinv.core.i18n import _
from ichinv.core.model import Finding
from ichinv.validate.rules.context import RecordContext

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
    parts = PurePosixPath(value.replace("\\", "/")).parts
    return (
        value.startswith(("/", "\\", "~"))
        or ".." in parts
        or (len(value) > 1 and value[1] == ":" and value[0].isalpha())
    )


def _resolves_inside(target: Path, root: Path) -> bool:
    try:
        return target.resolve().is_relative_to(root)
    except (RuntimeError, OSError):  # a loop of links leads nowhere, certainly not inside
        return False


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
    target = ctx.root / value
    if target.is_symlink() and not _resolves_inside(target, ctx.root):
        yield rule("path.outside").finding(
            ctx.path,
            _("the path {value!r} is a link to a file outside the repository").format(value=value),
            pointer=pointer,
        )
    elif strict and not target.exists():
        yield rule("path.missing").finding(
            ctx.path,
            _("the file {value!r} does not exist in the repository").format(value=value),
            pointer=pointer,
            hint=_("add the file, correct the path, or give a url instead"),
        )
