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

_LOOKS_LIKE_PATH = re.compile(
    r"^(?:[/\\~]|[A-Za-z]:|\.\.?[/\\])|^\S*(?:[/\\]\S*|\.[A-Za-z0-9]{1,5})$"
)


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
            if not strict and not _LOOKS_LIKE_PATH.search(value):
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
