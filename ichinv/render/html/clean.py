"""Characters record text may not bring into a page."""

from __future__ import annotations

import re

from ichinv.core import controls

_UNSAFE = controls.pattern(keep="\t\n\r", record_text=True)
"""Controls, line and paragraph separators, bidirectional controls, invisible characters
(ichinv.core.controls): they can disguise text, some are not valid in HTML, and the separators
are no white space to HTML (a page shows them as they are; to JavaScript and to editors they
end a line). Tabs and line breaks are white space in a page; a record's soft hyphen is a
hyphenation point in a page too, and a joiner that spells a word or an emoji is part of it
(controls.SOFT_HYPHEN, controls.JOINERS)."""


def clean(text: str) -> str:
    """`text` with control, bidirectional control and invisible characters replaced by U+FFFD,
    and line and paragraph separators by spaces, as Markdown packets write them
    (ichinv.render.markdown.escape)."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_replaced, text)


def _replaced(match: re.Match[str]) -> str:
    return " " if match.group() in controls.SEPARATORS else "\ufffd"
