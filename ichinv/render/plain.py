"""What every renderer shares: text from records made safe for one line of a report, and JSON
serialised for output."""

from __future__ import annotations

import json
import re
from typing import Any

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters shown as escapes."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def dumps(document: Any) -> str:
    """Serialise for output: UTF-8 text, no NaN, ends with a newline."""
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
