"""Why the editor leaves a record as it is, located (file, line, column) and in plain words.

The editor refuses a record that ruamel.yaml cannot read, one that its two readers read
differently, and a rewrite that would not read back as the same data. Each refusal names the
line of the value concerned where it can be told (never its text: it may be anything, a
contact too), and says what to do; none claims to be a fault of ichinv when the cause is a
form of YAML the writer does not keep (an outside review found "this is a bug in ichinv" for
a tab inside a folded block).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ichinv.core import pointers
from ichinv.core.errors import IchinvError
from ichinv.core.i18n import _
from ichinv.io import strict_yaml as yamlload


class UnreadableRecord(IchinvError):
    """A record that cannot be opened for editing (exit 2): the file is left untouched."""


class UnsafeWrite(IchinvError):
    """Writing the record back would change data it was not asked to change (exit 2)."""


def not_opened(path: str, text: str, exc: Exception) -> UnreadableRecord:
    """ruamel.yaml could not read `text` (what the strict reader read): where it stopped, and
    what it said."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    where = path
    hint = _("simplify the unusual YAML in it; `ichinv validate` reads it, the writer does not")
    if mark is not None and isinstance(getattr(mark, "line", None), int):
        where = f"{path}:{mark.line + 1}:{mark.column + 1}"
        lines = text.split("\n")
        if 0 <= mark.line < len(lines) and "\t" in lines[mark.line]:
            hint = _("the line holds a tab character; write spaces instead, then run it again")
    return UnreadableRecord(
        _("{where} cannot be opened for editing: {error}").format(where=where, error=problem),
        hint=hint,
    )


def read_differently(path: str, raw: bytes, strict: Any, edited: Any) -> UnreadableRecord:
    """The two readers read the record differently: at the first value where they part."""
    where = _located(path, raw, strict, edited)
    return UnreadableRecord(
        _(
            "{where} is read differently by ichinv's two YAML readers, so it cannot be "
            "rewritten safely; the file was not changed"
        ).format(where=where),
        hint=_(
            "write unusual values (escapes, special characters, odd line breaks) in a "
            "plainer way and run the command again"
        ),
    )


def would_change(path: str, raw: bytes | None, before: Any, after: Any) -> UnsafeWrite:
    """The rewritten text would not read back as the data: at the first value that differs."""
    where = _located(path, raw, before, after) if raw is not None else path
    return UnsafeWrite(
        _(
            "{where}: the writer cannot keep this value as it is written, so the record was "
            "not rewritten; the file was not changed"
        ).format(where=where),
        hint=_(
            "write the value another way (a literal block `|`, or double quotes with "
            "escapes), then run the command again"
        ),
    )


def unreadable_rewrite(path: str, problem: str) -> UnsafeWrite:
    """The rewritten text would not be readable: a fault of the writer, to report."""
    return UnsafeWrite(
        _(
            "{path}: the rewritten record would not be readable ({message}); the file "
            "was not changed"
        ).format(path=path, message=problem),
        hint=_("this is a bug in ichinv; please report it with the record"),
    )


def _located(path: str, raw: bytes | None, one: Any, other: Any) -> str:
    """`path`, with the line and column of the first value where `one` and `other` differ
    (as the strict reader places it in `raw`), when it can be told."""
    pointer = _first_difference(one, other)
    if raw is None or pointer is None:
        return path
    try:
        __, positions = yamlload.load(raw, positions=True)
    except yamlload.LoadError:
        return path
    while pointer not in (positions or {}) and pointer:
        pointer = pointer.rpartition("/")[0]  # the nearest place the file has
    found = (positions or {}).get(pointer)
    return f"{path}:{found[0]}:{found[1]}" if found is not None else path


def _first_difference(one: Any, other: Any, pointer: str = "") -> str | None:
    """The JSON pointer of the first place where `one` and `other` differ (None: nowhere)."""
    if isinstance(one, Mapping) and isinstance(other, Mapping):
        for key in dict.fromkeys([*one, *other]):
            if key not in one or key not in other:
                return pointer
            found = _first_difference(
                one[key], other[key], f"{pointer}/{pointers.escape(str(key))}"
            )
            if found is not None:
                return found
        return None
    if isinstance(one, list) and isinstance(other, list):
        if len(one) != len(other):
            return pointer
        for index, (a, b) in enumerate(zip(one, other, strict=True)):
            found = _first_difference(a, b, f"{pointer}/{index}")
            if found is not None:
                return found
        return None
    return None if one == other else pointer
