"""Hints that fix what a schema finding says: each checked against the schema before it is
given (`status: 5` was offered quotes, and "5" is not allowed either: an outside review).
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from ichinv.core import pointers
from ichinv.core.i18n import _
from ichinv.core.vocabulary import is_language_tag
from ichinv.schemas import ecma

if TYPE_CHECKING:
    from ichinv.schemas.loader import Schema


def passes(schema: Schema, data: Any, pointer: str, value: Any) -> bool:
    """Whether the record would have no schema error at `pointer` with `value` there instead:
    what a hint proposes must fix what the finding says."""
    parts = pointers.split(pointer)
    if not parts:
        return schema.is_valid(value)
    candidate = copy.deepcopy(data)
    node = candidate
    try:
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[int(parts[-1]) if isinstance(node, list) else parts[-1]] = value
    except (LookupError, TypeError, ValueError):  # a key no pointer names as it is (`2016:`)
        return False
    return not any(
        pointers.within(pointers.join(e.absolute_path), pointer)
        for e in schema.raw_errors(candidate)
    )


def number(text: str) -> int | float | None:
    """The number `text` writes as YAML reads a number (`"2016"`, `"2.5"`), or None."""
    written = _NUMBER.fullmatch(text.strip())
    if written is None:
        return None
    return float(written.group()) if "." in written.group() else int(written.group())


_NUMBER = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?")


def fields_hint(sub: dict[str, Any]) -> str:
    """How to write the fields of a mapping on the lines under its key: one line a language
    where its keys are language tags (`names`, `description`), else one `key: value` a line."""
    named = [str(k) for k in sub.get("required", sub.get("properties", {}))]
    if any(ecma.search(p, "kk") for p in sub.get("patternProperties", {})) or (
        named and all(is_language_tag(k) for k in named)
    ):
        return _("write one indented line for each language under it, such as `kk: …`")
    if named:
        return _(
            "write its fields on the lines under it, indented, one `key: value` a line, "
            "such as `{field}: …`"
        ).format(field=named[0])
    return _("write its fields on the lines under it, indented, one `key: value` a line")


def single_value_hint(pointer: str, instance: Any, allowed: list[Any]) -> str | None:
    """For a list of one allowed value where the value alone belongs (`status:` then
    `- active`): how to write it."""
    if not (isinstance(instance, list) and len(instance) == 1 and pointer):
        return None
    (only,) = instance
    if not isinstance(only, str) or only not in allowed:
        return None
    return _("write the value itself, not a list: `{key}: {value}`").format(
        key=pointers.split(pointer)[-1], value=only
    )
