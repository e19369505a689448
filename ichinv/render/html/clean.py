"""Characters record text may not bring into a page."""

from __future__ import annotations

import re

_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Controls and bidirectional overrides: they can disguise text, and some are not valid in HTML."""


def clean(text: str) -> str:
    """`text` with control and bidi-override characters replaced by U+FFFD."""
    return _CONTROLS.sub("\ufffd", text)
