"""The unified diff `fmt --diff` prints of a record, with no personal data in it.

A record's `contacts` (and any field its schema marks as personal data) hold phone numbers and
e-mail addresses; `fmt --diff` printed them as any other line, in a public repository too (an
outside attack), where every other output withholds them. Each line of the diff that lies
inside such a field, in the text before or after, is shown as a note instead, with its diff
mark and indentation: what changed there is layout, which the note says nothing of. Elsewhere
a word that may be a contact (in a comment, a description) is hidden as every message hides
one (`contacts.without_contacts`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection

from ichinv.core import pointers
from ichinv.core.contacts import without_contacts
from ichinv.core.i18n import _
from ichinv.io import strict_yaml as yamlload

_HUNK = re.compile(r"@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def shown_hunks(raw: bytes, text: str, personal: Collection[str]) -> str:
    """The hunks of the unified diff from `raw` to `text` (without its two lines of names),
    each line inside a top-level field of `personal` (in the text it comes from) shown as a
    note, and every word that may be a contact hidden (see the module)."""
    before = raw.decode("utf-8", "replace").splitlines(keepends=True)
    after = text.splitlines(keepends=True)
    hidden = (_inside(before, personal), _inside(after, personal))
    shown = []
    note = _("(personal data, not shown)")
    old = new = 0
    for line in list(difflib.unified_diff(before, after))[2:]:
        header = _HUNK.match(line)
        if header is not None:
            old, new = int(header.group(1)), int(header.group(2))
            shown.append(line)
            continue
        mark, content = line[:1], line[1:]
        at_old = mark in " -" and old in hidden[0]
        at_new = mark in " +" and new in hidden[1]
        if mark in " -":
            old += 1
        if mark in " +":
            new += 1
        if mark == "\\":  # `\ No newline at end of file`
            shown.append(line)
        elif not (at_old or at_new):
            shown.append(mark + without_contacts(content))
        else:
            indent = content[: len(content) - len(content.lstrip(" "))]
            ending = "\n" if line.endswith("\n") else ""
            shown.append(f"{mark}{indent}{note}{ending}")
    return "".join(shown)


def _inside(lines: list[str], personal: Collection[str]) -> set[int]:
    """The numbers (from 1) of the lines of a record's text inside a top-level field of
    `personal`, as the strict reader places its fields: from its key's line to the line
    before the next top-level key's (comments and blank lines between count as inside: what a
    comment there says may be personal too), and on to the last line any of its values starts
    on (a record in flow style). Every line, when the text cannot be read so."""
    everything = set(range(1, len(lines) + 1))
    try:
        __, places = yamlload.parse("".join(lines), positions=True)
    except (yamlload.LoadError, RecursionError):
        return everything
    if places is None:
        return everything
    keys = {pointer: place[2] for pointer, place in places.items() if pointer.count("/") == 1}
    found: set[int] = set()
    for pointer, first in keys.items():
        if pointers.top(pointer) not in personal:
            continue
        after = [line for other, line in keys.items() if other != pointer and line > first]
        last = min(after) - 1 if after else len(lines)
        within = pointer + "/"
        deepest = max(
            (place[0] for inner, place in places.items() if inner.startswith(within)),
            default=first,
        )
        found.update(range(first, max(last, deepest, first) + 1))
    return found
