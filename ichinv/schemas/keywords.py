"""How a JSON Schema is read into a shape (ichinv.schemas.shape): which keywords are worked
out, which are ignored and why, and which make their part NOTHING (withheld from the public).

A shape is derived once per schema (`Schema.shape`) from its inlined document. Two laws hold
(tests/inventory/test_schema_shape.py, tests/inventory/test_shape_soundness.py):

- what a shape allows, its schema allows (up to presence and counts: `required`, `minItems`,
  `uniqueItems`…, which say what is missing, never what a value may be): a keyword the shape
  does not work out makes its part NOTHING, withheld; and a key is allowed only where the
  schema names it (`properties`) or matches it (`patternProperties`) and it reads as a field
  name or a language tag: a key an open mapping allows as any other may be anything, a contact
  included, and so may what it holds;
- where a shape is `complete`, it allows every value its schema allows whose keys read as field
  names or language tags (`validate` then takes a record its schema passed as in shape,
  ichinv.validate.rules.cross.index_entry: its findings quote ids at fields named so).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from ichinv.schemas import ecma
from ichinv.schemas.shape import NOTHING, Limits, Shape, json_equal

_SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean", "null"})


_PRESENCE = frozenset(
    {
        "required", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
        "dependentRequired", "format",
    }
)  # fmt: skip
"""Keywords that say what is missing or how many there are, never what a value may be (and
`format`, which JSON Schema 2020-12 does not assert, nor does `validate`): a shape ignores
them, and stays within its schema for a public view."""
_LIMITS = frozenset(
    {
        "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf",
    }
)  # fmt: skip
"""Bounds of single values (Limits)."""
ANNOTATIONS = frozenset(
    {
        "title", "description", "examples", "default", "$comment", "deprecated", "readOnly",
        "writeOnly", "$id", "$schema", "$defs", "contentMediaType", "contentEncoding",
    }
)  # fmt: skip
"""Keywords that describe a part without narrowing its values (`x-…` annotations aside)."""
_WORKED_OUT = frozenset(
    {
        "type", "properties", "patternProperties", "additionalProperties", "items", "enum",
        "const", "pattern", "anyOf", "oneOf", "propertyNames",
    }
)  # fmt: skip
_IF_CLOSED = frozenset({"unevaluatedProperties"})
"""Keywords that narrow which keys a mapping may have: ignored where the mapping is closed
(`additionalProperties: false`, as every object of ichinv's schemas is), where no key the
shape allows can come from them; elsewhere the part is NOTHING."""
_CONDITIONS = frozenset({"if", "then", "else", "dependentSchemas"})
"""Conditions: ignored where what they ask is presence only (`then: {required: [list]}`),
on a closed mapping; elsewhere the part is NOTHING (`then` may narrow any value)."""


def _presence_only(node: Any) -> bool:
    """Whether a sub-schema asks for presence and counts only (annotations aside)."""
    if isinstance(node, bool):
        return node
    return isinstance(node, Mapping) and all(
        k in _PRESENCE or k in ANNOTATIONS or k.startswith("x-") for k in node
    )


def _worked_out(node: Mapping[str, Any]) -> bool:
    """Whether every keyword of `node` is one the shape works out, ignores soundly, or an
    annotation (`x-…` included); any other (`prefixItems`, `contains`, `allOf`, `not`,
    `$dynamicRef`, `const` or `enum` of mappings and lists…) makes the part NOTHING."""
    closed = node.get("additionalProperties") is False
    for key in node:
        if key in _WORKED_OUT or key in _PRESENCE or key in _LIMITS or key in ANNOTATIONS:
            continue
        if key.startswith("x-") or (key in _IF_CLOSED and closed):
            continue
        if key in _CONDITIONS and closed:
            if key == "if" or (
                _presence_only(node[key])
                if key != "dependentSchemas"
                else isinstance(node[key], Mapping)
                and all(_presence_only(v) for v in node[key].values())
            ):
                continue
        return False
    if "const" in node and isinstance(node["const"], Mapping | list):
        return False
    words = node.get("enum", [])
    return isinstance(words, list) and not any(isinstance(w, Mapping | list) for w in words)


def _limits(node: Mapping[str, Any]) -> Limits | None | Literal[False]:
    """The bounds `node` sets (None: none; False: bounds the shape does not work out)."""
    given = {k: node[k] for k in _LIMITS if k in node}
    if not given:
        return None
    if not all(type(v) in (int, float) for v in given.values()) or not all(
        float(given[k]).is_integer() and given[k] >= 0
        for k in ("minLength", "maxLength")
        if k in given
    ):
        return False  # a length of 14.5 characters: no schema (`validate` says so)
    step = given.get("multipleOf")
    if step is not None and (not float(step).is_integer() or step <= 0):
        return False  # fractional steps: float arithmetic would not be JSON Schema's
    return Limits(
        min_length=int(given.get("minLength", 0)),
        max_length=given.get("maxLength", float("inf")),
        minimum=given.get("minimum", float("-inf")),
        maximum=given.get("maximum", float("inf")),
        above=given.get("exclusiveMinimum", float("-inf")),
        below=given.get("exclusiveMaximum", float("inf")),
        multiple_of=int(step) if step is not None else None,
    )


def shape_of(node: Any, depth: int = 0) -> Shape:
    """The shape of an inlined (no `$ref`) sub-schema."""
    if not isinstance(node, Mapping):
        return _open() if node is True else NOTHING
    if depth > 40 or not _worked_out(node):
        return NOTHING
    kinds = node.get("type")
    kinds = {kinds} if isinstance(kinds, str) else set(kinds) if isinstance(kinds, list) else None
    if any(k in node for k in ("anyOf", "oneOf")):
        return _either(node)
    # Keywords of objects make a mapping allowed only where no type says otherwise
    # (`{"type": "string", "properties": {}}` allows no mapping).
    objectish = kinds is None and ("properties" in node or "patternProperties" in node)
    listed = "enum" in node or "const" in node  # values from a list of single values only
    mapping = not listed and (kinds is None or "object" in kinds or objectish)
    sequence = not listed and (kinds is None or "array" in kinds)
    if kinds is not None and not kinds <= _SCALAR_TYPES | {"object", "array"}:
        return NOTHING
    limits = _limits(node)
    if limits is False:
        return NOTHING
    shape = Shape(mapping=mapping, sequence=sequence, limits=limits)
    if kinds is not None:
        shape.types = frozenset(kinds & _SCALAR_TYPES)
    words = node.get("enum", [node["const"]] if "const" in node else None)
    if isinstance(words, list):  # single values only (_worked_out): `null` and numbers too
        if "enum" in node and "const" in node:  # both apply
            words = [w for w in words if json_equal(w, node["const"])]
        shape.words = frozenset(words)
        # Python takes `true` for 1: one of the two is refused, though the schema allows it
        shape.complete = len({(type(w) is bool, w) for w in words}) == len(shape.words)
    if "pattern" in node and not isinstance(node["pattern"], str):
        return NOTHING
    if isinstance(node.get("pattern"), str):
        try:
            shape.pattern = ecma.compiled(node["pattern"])
        except re.error:
            return NOTHING
    shape.texts = kinds is None or "string" in kinds
    shape.strict = any(
        x is not None for x in (shape.words, shape.pattern, shape.types, shape.limits)
    )
    parts: list[Shape] = []
    if mapping:
        named, matching = node.get("properties") or {}, node.get("patternProperties") or {}
        shape.keys = {str(k): shape_of(v, depth + 1) for k, v in named.items()}
        alike: dict[str, Shape] = {}  # one Shape for one rule: `child` tells two rules apart
        for pattern, sub in matching.items():
            try:
                compiled = ecma.compiled(pattern)
            except re.error:
                return NOTHING
            rule = repr(_rules(sub))
            alike.setdefault(rule, shape_of(sub, depth + 1))
            shape.patterns.append((compiled, alike[rule]))
        if "propertyNames" in node:
            shape.names = shape_of(node["propertyNames"], depth + 1)
            parts.append(shape.names)
        for key in list(shape.keys):
            if shape.names is not None and not shape.names.allows(key):
                del shape.keys[key]  # a name `propertyNames` refuses: never allowed
            elif any(
                _rules(sub) != _rules(named[key])
                for p, sub in matching.items()
                if ecma.search(p, key)
            ):
                shape.keys[key] = NOTHING  # under two rules, unless one (`$ref` to one place)
        # A key only an open mapping allows is not published, nor what it holds: the schema
        # says nothing of it (`{"type": "object"}` holding `{"email": …}`); nor a key only a
        # pattern allows that does not read as a field name or a language tag (`Shape.child`;
        # `extra` stays None). Two rules of patterns may both match a key (which `child`
        # then refuses): whether they can is not worked out, so such a mapping is not complete.
        shape.complete = node.get("additionalProperties") is False and len(alike) < 2
        parts += [*shape.keys.values(), *(s for __, s in shape.patterns)]
    if sequence:
        # `items` is for every item (`prefixItems` makes the part NOTHING: _worked_out); a
        # list without `items` may hold anything, mappings with keys no schema names too.
        items = node.get("items")
        shape.items = (
            _open()
            if items is None
            else shape_of(items, depth + 1)
            if isinstance(items, Mapping)
            else NOTHING
        )
        parts.append(shape.items)
    shape.complete = shape.complete and all(part.complete for part in parts)
    return shape


def _rules(node: Any) -> Any:
    """A sub-schema without its annotations: what it asks of values."""
    if isinstance(node, Mapping):
        return {
            k: _rules(v) for k, v in node.items() if k not in ANNOTATIONS and not k.startswith("x-")
        }
    return [_rules(v) for v in node] if isinstance(node, list) else node


def _open() -> Shape:
    """The shape of a part the schema says nothing of (`true`, `{}`): any single value, lists
    of such parts, and mappings without keys (see the module's laws)."""
    shape = Shape(complete=False)
    shape.items = shape
    return shape


def _either(node: Mapping[str, Any]) -> Shape:
    """The shape of a combinator: for `anyOf`/`oneOf` of single values only (a year or a
    partial date), what any branch allows; NOTHING for any other."""
    branches = node.get("anyOf", node.get("oneOf"))
    beside = set(node) - {"anyOf", "oneOf"} - _PRESENCE - ANNOTATIONS
    if (
        ("anyOf" in node and "oneOf" in node)
        or any(not key.startswith("x-") for key in beside)  # `type`, `enum` beside: both apply
        or not isinstance(branches, list)
        or not branches
        or not all(_single_value(branch) for branch in branches)
    ):
        return NOTHING
    shapes = tuple(shape_of(branch) for branch in branches)
    # `oneOf` refuses a value two branches allow; allowing it is allowing what the schema
    # refuses, so a `oneOf` whose branches may overlap (two of one type, an integer being a
    # number too) is not worked out.
    kinds = {"number" if b["type"] == "integer" else b["type"] for b in branches}
    if "oneOf" in node and len(kinds) < len(branches):
        return NOTHING
    return Shape(
        mapping=False,
        sequence=False,
        texts=any(s.texts for s in shapes),
        strict=True,
        branches=shapes,
        complete=all(s.complete for s in shapes),
    )


def _single_value(branch: Any) -> bool:
    """Whether a branch of a combinator allows single values only, of one type, and says so
    plainly (no combinator inside)."""
    return (
        isinstance(branch, Mapping)
        and isinstance(branch.get("type"), str)
        and branch["type"] in _SCALAR_TYPES
        and not any(k in branch for k in ("anyOf", "oneOf", "allOf", "not", "$ref"))
    )
