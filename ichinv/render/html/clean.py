"""Characters record text may not bring into a page."""

from __future__ import annotations

from ichinv.core import controls

_CONTROLS = controls.pattern(keep=f"\t\n\r{controls.SEPARATORS}")
"""Controls and bidirectional controls (ichinv.core.controls): they can disguise text, and
some are not valid in HTML. Tabs and line breaks are white space in a page."""


def clean(text: str) -> str:
    """`text` with control and bidirectional control characters replaced by U+FFFD."""
    return _CONTROLS.sub("\ufffd", text)
