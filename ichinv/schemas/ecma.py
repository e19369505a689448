"""The schemas' regular expressions (`pattern`, `patternProperties`), judged as JSON Schema says:
by ECMA-262, where `$` (without the multiline flag) matches at the very end of the text only.

Python's `re`, which jsonschema and fastjsonschema both use, lets `$` match before a final line
break too, so `^KZ-([0-9]{2}|[A-Z]{3})$` took `"KZ-10\\n"` (a block scalar `code: |`) for a
province id (found by an outside test: migrate carried such a code over and validate said ok).
Every pattern of a schema goes through `python` before Python reads it: the validators get a
copy of the schema with its patterns rewritten (`for_validators`), the rest of the package
matches with `search`. The schema files themselves stay ECMA-262.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_DATA = frozenset({"const", "enum", "examples", "default"})
"""Keywords whose value is data, not schema: a `pattern` key in them is no pattern."""

_NAMED = frozenset({"properties", "$defs", "dependentSchemas"})
"""Keywords whose value maps names (of fields, of definitions) to schemas."""


def python(pattern: str) -> str:
    """`pattern` (ECMA-262) written for Python's `re`: each `$` that is an anchor becomes `\\Z`,
    each inside a character class `\\$` (the same character, and a form fastjsonschema's own
    rewriting of `$` leaves alone). Rewriting a rewritten pattern changes nothing."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
            out.append("\\$" if char == "$" else char)
        elif char == "[":
            in_class = True
            out.append(char)
        else:
            out.append("\\Z" if char == "$" else char)
        index += 1
    return "".join(out)


@lru_cache(maxsize=512)
def compiled(pattern: str) -> re.Pattern[str]:
    """`pattern` (ECMA-262) compiled; `re.error` when Python cannot read it."""
    return re.compile(python(pattern))


def search(pattern: str, text: str) -> bool:
    """Whether `text` matches `pattern` somewhere, as JSON Schema's `pattern` asks."""
    return compiled(pattern).search(text) is not None


def for_validators(node: Any, keyword: str | None = None) -> Any:
    """A copy of the schema `node` with every `pattern` and `patternProperties` key written for
    Python (`python`); data (`const`, `enum`, `examples`, `default`) as it is."""
    if keyword in _DATA:
        return node
    if isinstance(node, list):
        return [for_validators(v) for v in node]
    if not isinstance(node, dict):
        return node
    copy: dict[str, Any] = {}
    for key, value in node.items():
        if key == "pattern" and isinstance(value, str):
            copy[key] = python(value)
        elif key == "patternProperties" and isinstance(value, dict):
            copy[key] = {python(str(k)): for_validators(v) for k, v in value.items()}
        elif key in _NAMED and isinstance(value, dict):  # a field may be called `enum`
            copy[key] = {k: for_validators(v) for k, v in value.items()}
        else:
            copy[key] = for_validators(value, key)
    return copy
