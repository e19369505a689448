"""JSON as ichinv writes it: UTF-8 text a terminal cannot be made to act on.

`json.dumps(..., ensure_ascii=False)` writes C1 control characters (U+0080–U+009F, some of
which terminals read as the start of an escape sequence), line and paragraph separators and
bidirectional overrides as they are. Written as `\\uXXXX` escapes instead they are the same
JSON value, and `cat report.json` on a terminal shows them instead of obeying them.
"""

from __future__ import annotations

import json
import re
from typing import Any

_ACTIVE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters JSON may hold raw that a terminal acts on or hides (C0 controls are escaped by
`json` itself)."""


def dumps(document: Any, *, indent: int | None = 2) -> str:
    """`document` as JSON text: UTF-8, no NaN, terminal-active characters escaped, ending with
    a newline."""
    text = json.dumps(document, ensure_ascii=False, indent=indent, allow_nan=False)
    return _ACTIVE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
