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

CUSTOM_KEY = "x-ichinv-key"
"""Annotation on an array of mappings: the item field (or fields, as a list) that identify an
item, so that diffs match items by key rather than by position."""

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
"""Keywords whose value maps names to schemas."""
_SCHEMA_VALUES = (
    "items", "additionalProperties", "unevaluatedProperties", "contains", "not",
    "propertyNames", "if", "then", "else", "unevaluatedItems", "contentSchema",
)  # fmt: skip
"""Keywords whose value is one schema (a `$ref` in any of them must resolve: one under
`propertyNames` ended `validate` in a traceback)."""
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
"""Keywords whose value is a list of schemas."""


def problem(document: Any) -> str | None:
    """What makes `document` unusable as a record schema, in plain words; None when nothing."""
    if not isinstance(document, dict):
        return _("it is not a JSON object of keywords")
    for where, node in _schemas(document, ""):
        if isinstance(node, bool) and where.rsplit("/", 1)[-1] in _MAY_BE_BOOLEAN:
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
    wrong = [k for k in _SCHEMA_MAPS if k in node and not isinstance(node[k], dict)]
    wrong += [k for k in _SCHEMA_LISTS if k in node and not isinstance(node[k], list)]
    return wrong[0] if wrong else None


def _texts(value: Any) -> bool:
    """Whether `value` is a list of texts."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _schemas(node: Any, where: str) -> Iterator[tuple[str, Any]]:
    """Every schema inside `node` (itself first), with its JSON pointer."""
    stack = [(where, node)]
    while stack:
        where, node = stack.pop()
        yield where, node
        if not isinstance(node, dict):
            continue
        for keyword in _SCHEMA_MAPS:
            inner = node.get(keyword)
            if isinstance(inner, dict):
                stack.extend(
                    (f"{where}/{keyword}/{pointers.escape(name)}", value)
                    for name, value in inner.items()
                )
        stack.extend((f"{where}/{k}", node[k]) for k in _SCHEMA_VALUES if k in node)
        for keyword in _SCHEMA_LISTS:
            inner = node.get(keyword)
            if isinstance(inner, list):
                stack.extend((f"{where}/{keyword}/{n}", value) for n, value in enumerate(inner))


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
