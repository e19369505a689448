"""What every command needs of a schema before it reads records with it, checked at each load.

The full check against the draft 2020-12 metaschema takes 85 ms, so only `validate` makes it;
the other commands read the schema as it is. A schema a pull request broke (a file holding
`true` or `[]`, a `$ref` to a definition that is not there, `properties` as a list, an
`x-ichinv-key` that is no field name) then ended every command in a traceback. These few
checks take well under a millisecond and say what is wrong, with the place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ichinv.core import pointers
from ichinv.core.i18n import _
from ichinv.schemas import subschemas
from ichinv.schemas.subschemas import Form

CUSTOM_KEY = "x-ichinv-key"
"""Annotation on an array of mappings: the item field (or fields, as a list) that identify an
item, so that diffs match items by key rather than by position."""


def problem(document: Any) -> str | None:
    """What makes `document` unusable as a record schema, in plain words; None when nothing."""
    if not isinstance(document, dict):
        return _("it is not a JSON object of keywords")
    for where, keyword, node in _schemas(document, ""):
        if isinstance(node, bool) and keyword in _MAY_BE_BOOLEAN:
            continue  # `additionalProperties: false`
        if not isinstance(node, dict):  # a boolean elsewhere too: ichinv reads objects there
            return _("{pointer} is not what JSON Schema has there").format(pointer=where or "/")
        ref = next((k for k in ("$dynamicRef", "$recursiveRef") if k in node), None)
        if ref is None and "$ref" in node and not _resolves(document, node["$ref"]):
            ref = "$ref"
        if ref is not None:
            return _("the $ref at {pointer} names no definition of the schema").format(
                pointer=f"{where}/{ref}"
            )
        wrong = _misshapen_keyword(node)
        if wrong is not None:
            return _("{pointer} is not what JSON Schema has there").format(
                pointer=f"{where}/{wrong}"
            )
    return None


def _misshapen_keyword(node: dict[str, Any]) -> str | None:
    """The first keyword of `node` whose value is not of the kind ichinv's readers take."""
    kinds, key = node.get("type"), node.get(CUSTOM_KEY)
    if kinds is not None and not (isinstance(kinds, str) or _texts(kinds)):
        return "type"
    if key is not None and not (isinstance(key, str) or (_texts(key) and key)):
        return CUSTOM_KEY
    if "required" in node and not _texts(node["required"]):
        return "required"
    wrong = [
        keyword.name
        for keyword in subschemas.KEYWORDS
        if keyword.name in node
        and (
            (keyword.form is Form.BY_NAME and not isinstance(node[keyword.name], dict))
            or (keyword.form is Form.LIST and not isinstance(node[keyword.name], list))
        )
    ]
    return wrong[0] if wrong else None


def _texts(value: Any) -> bool:
    """Whether `value` is a list of texts."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _schemas(node: Any, where: str) -> Iterator[tuple[str, str | None, Any]]:
    """Every schema inside `node` (itself first), with its JSON pointer and, for one that is
    a keyword's value itself (`additionalProperties`, not `properties/name`), the keyword."""
    stack: list[tuple[str, str | None, Any]] = [(where, None, node)]
    while stack:
        where, keyword, node = stack.pop()
        yield where, keyword, node
        if not isinstance(node, dict):
            continue
        for held, name, sub in subschemas.held(node):
            if name is None:
                stack.append((f"{where}/{held.name}", held.name, sub))
            else:
                stack.append((f"{where}/{held.name}/{pointers.escape(name)}", None, sub))


_LOCAL_REF = re.compile(r"#/\$defs/([A-Za-z0-9_.-]+)")
"""The one form of `$ref` ichinv follows: a definition of the same schema, by a plain name."""

_MAY_BE_BOOLEAN = frozenset(
    {
        "additionalProperties", "unevaluatedProperties", "not", "propertyNames", "if", "then",
        "else", "unevaluatedItems", "contentSchema",
    }
)  # fmt: skip
"""Where a subschema may be `true` or `false` for ichinv (elsewhere its readers want keywords)."""


def _resolves(document: dict[str, Any], ref: Any) -> bool:
    """Whether `ref` names a schema ichinv can follow: a definition of `document`
    (`#/$defs/<name>`) that is an object of keywords. A pointer elsewhere (`#/allOf/0`,
    `#/$defs/group/member`, `#/definitions/…`, an escaped name), to a boolean schema, or
    outside the document ended commands in a traceback, or had validate fetch an address."""
    match = _LOCAL_REF.fullmatch(ref) if isinstance(ref, str) else None
    if match is None:
        return False
    definitions = document.get("$defs")
    return isinstance(definitions, dict) and isinstance(definitions.get(match.group(1)), dict)
