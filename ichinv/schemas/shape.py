"""The shape a schema gives records: which keys each mapping may have, which values are lists,
mappings or single values. The audience view publishes only what has that shape, so that a
field the schema does not know (a misplaced `contacts`, a quoted `"<<"` key) is never shown
to the public before `ichinv validate` has had it fixed.

A shape is derived once per schema (`Schema.shape`) from its inlined document: `properties`,
`patternProperties`, `additionalProperties`, `items` and the scalar `type`s. A part of a
schema this does not understand allows anything: the shape never hides what the schema allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ichinv.core import pointers

_SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean", "null"})


@dataclass(slots=True)
class Shape:
    """What a value described by one sub-schema may be."""

    mapping: bool = True
    """A mapping (object) is allowed here."""
    sequence: bool = True
    """A list (array) is allowed here."""
    keys: dict[str, Shape] = field(default_factory=dict)
    """The named keys of a mapping (`properties`)."""
    patterns: list[tuple[re.Pattern[str], Shape]] = field(default_factory=list)
    """Keys matching a pattern (`patternProperties`)."""
    extra: Shape | None = None
    """Any other key (`additionalProperties`); None: no other key is allowed."""
    items: Shape | None = None
    """The items of a list; None: any item."""
    words: frozenset[str] | None = None
    """The texts a single value may be (`enum` of texts); None: any."""
    pattern: re.Pattern[str] | None = None
    """The pattern a text must match (`pattern`); None: any text."""

    texts: bool = True
    """A text is allowed here (a text where the schema wants a number is withheld too)."""
    strict: bool = False
    """A single value here must be one of `words`, match `pattern` or not be a text."""
    matching: set[str] = field(default_factory=set)
    """Texts already found to match `pattern`."""
    matched: dict[str, Shape | None] = field(default_factory=dict)
    """Keys already matched against the patterns (language tags, mostly), and their shapes."""

    def allows(self, value: Any) -> bool:
        """Whether a single value is one the schema allows here, as far as its vocabulary and
        patterns go (a text outside them may be anything: an e-mail address in `status`)."""
        if type(value) is not str:
            return self.words is None or value in self.words
        if not self.texts:
            return False
        if self.words is not None and value not in self.words:
            return False
        if self.pattern is None or value in self.matching:
            return True
        if self.pattern.search(value) is None:
            return False
        if len(self.matching) < 4096:  # province ids and dates recur: matched once each
            self.matching.add(value)
        return True

    def child(self, key: str) -> Shape | None:
        """The shape of a mapping's value under `key`; None when the key is not allowed."""
        found = self.keys.get(key)
        if found is not None:
            return found
        if key in self.matched:
            return self.matched[key]
        found = next((shape for p, shape in self.patterns if p.search(key)), self.extra)
        if len(self.matched) < 512:
            self.matched[key] = found
        return found


ANYTHING = Shape(extra=None)
ANYTHING.extra = ANYTHING

NOTHING = Shape(mapping=False, sequence=False, words=frozenset(), texts=False, strict=True)
"""The shape of a part whose schema is not worked out here (`allOf`, `not`, a combinator of
objects, a type JSON Schema does not have, a pattern Python cannot compile): no value is in
it, so a public view withholds the part (it may hold anything: a contact), and `validate`
checks it with the schema itself. Before, such a part was ANYTHING, and public outputs
printed what it held."""


_VALUE_LIMITS = frozenset(
    {
        "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "format", "minItems", "maxItems", "uniqueItems", "required",
    }
)  # fmt: skip
"""Keywords that only narrow the values a shape allows (a shape ignores them: it is never
stricter than its schema)."""
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
        "const", "pattern", "anyOf", "oneOf", "allOf", "not",
    }
)  # fmt: skip
_IF_CLOSED = frozenset(
    {
        "if", "then", "else", "dependentSchemas", "dependentRequired", "minProperties",
        "maxProperties", "propertyNames", "unevaluatedProperties",
    }
)  # fmt: skip
"""Keywords that narrow which keys a mapping may have: ignored where the mapping is closed
(`additionalProperties: false`, as every object of ichinv's schemas is), where no key the
shape allows can come from them; elsewhere the part is NOTHING (`else: {additionalProperties:
false}` on an open mapping let a public view print keys the schema refused)."""


def _worked_out(node: Mapping[str, Any]) -> bool:
    """Whether every keyword of `node` is one the shape works out, ignores safely, or an
    annotation (`x-…` included); any other (`prefixItems`, `contains`, `$dynamicRef`, `const`
    or `enum` of mappings and lists…) makes the part NOTHING."""
    closed = node.get("additionalProperties") is False
    for key in node:
        if key in _WORKED_OUT or key in _VALUE_LIMITS or key in ANNOTATIONS:
            continue
        if key.startswith("x-") or (key in _IF_CLOSED and closed):
            continue
        return False
    if "const" in node and isinstance(node["const"], Mapping | list):
        return False
    words = node.get("enum", [])
    return isinstance(words, list) and not any(isinstance(w, Mapping | list) for w in words)


def shape_of(node: Any, depth: int = 0) -> Shape:
    """The shape of an inlined (no `$ref`) sub-schema."""
    if not isinstance(node, Mapping):
        return ANYTHING  # `true`
    if depth > 40 or not _worked_out(node):
        return NOTHING
    kinds = node.get("type")
    kinds = {kinds} if isinstance(kinds, str) else set(kinds) if isinstance(kinds, list) else None
    if any(k in node for k in ("anyOf", "oneOf", "allOf", "not")):
        return _either(node)
    # Keywords of objects make a mapping allowed only where no type says otherwise
    # (`{"type": "string", "properties": {}}` allows no mapping).
    objectish = kinds is None and ("properties" in node or "patternProperties" in node)
    listed = "enum" in node or "const" in node  # values from a list of single values only
    mapping = not listed and (kinds is None or "object" in kinds or objectish)
    sequence = not listed and (kinds is None or "array" in kinds)
    if kinds is not None and not kinds <= _SCALAR_TYPES | {"object", "array"}:
        return NOTHING
    shape = Shape(mapping=mapping, sequence=sequence)
    words = node.get("enum", [node["const"]] if "const" in node else None)
    if isinstance(words, list):  # single values only (_worked_out): `null` and numbers too
        shape.words = frozenset(words)
    if isinstance(node.get("pattern"), str):
        try:
            shape.pattern = re.compile(node["pattern"])
        except re.error:
            return NOTHING
    shape.texts = kinds is None or "string" in kinds
    shape.strict = shape.words is not None or shape.pattern is not None or not shape.texts
    if mapping:
        shape.keys = {
            str(k): shape_of(v, depth + 1) for k, v in (node.get("properties") or {}).items()
        }
        for pattern, sub in (node.get("patternProperties") or {}).items():
            try:
                shape.patterns.append((re.compile(pattern), shape_of(sub, depth + 1)))
            except re.error:
                return NOTHING
        extra = node.get("additionalProperties", True)
        shape.extra = None if extra is False else shape_of(extra, depth + 1)
    if sequence:
        # `items` is for every item only without `prefixItems` (which gives the first ones
        # schemas of their own): a shape stricter than its schema would let a valid record
        # pass unchecked where the shape's check is skipped (ichinv.validate.file_check).
        items = node.get("items") if "prefixItems" not in node else None
        shape.items = shape_of(items, depth + 1) if isinstance(items, Mapping) else ANYTHING
    return shape


def _either(node: Mapping[str, Any]) -> Shape:
    """The shape of a combinator: for `anyOf`/`oneOf` of single values only (a year or a
    partial date), what any branch allows; NOTHING for any other."""
    branches = node.get("anyOf", node.get("oneOf"))
    beside = set(node) - {"anyOf", "oneOf"} - _VALUE_LIMITS - ANNOTATIONS
    if (
        "allOf" in node
        or "not" in node
        or ("anyOf" in node and "oneOf" in node)
        or any(not key.startswith("x-") for key in beside)  # `type`, `enum` beside: both apply
        or not isinstance(branches, list)
        or not branches
        or not all(_single_value(branch) for branch in branches)
    ):
        return NOTHING
    shapes = [shape_of(branch) for branch in branches]
    texts = [s for s in shapes if s.texts]
    shape = Shape(mapping=False, sequence=False, texts=bool(texts))
    if all(s.words is not None for s in shapes):
        shape.words = frozenset().union(*(s.words or () for s in shapes))
    if texts and all(s.pattern is not None for s in texts):
        shape.pattern = re.compile("|".join(f"(?:{s.pattern.pattern})" for s in texts if s.pattern))
    shape.strict = shape.words is not None or shape.pattern is not None or not shape.texts
    return shape


def _single_value(branch: Any) -> bool:
    """Whether a branch of a combinator allows single values only, of one type, and says so
    plainly (no combinator inside)."""
    return (
        isinstance(branch, Mapping)
        and isinstance(branch.get("type"), str)
        and branch["type"] in _SCALAR_TYPES
        and not any(k in branch for k in ("anyOf", "oneOf", "allOf", "not", "$ref"))
    )


_LEAVES = frozenset({str, int, float, bool, type(None)})


def fits(value: Any, shape: Shape) -> bool:
    """Whether `value` has the shape throughout (the quick answer for most records)."""
    if shape is ANYTHING:
        return True
    kind = type(value)
    if kind is dict or (kind not in _LEAVES and isinstance(value, Mapping)):
        if not shape.mapping:
            return False
        named = shape.keys
        for key, child in value.items():
            sub = named.get(key)
            if sub is None:
                sub = shape.child(key) if isinstance(key, str) else None
                if sub is None:
                    return False
            if type(child) in _LEAVES:
                if sub.strict and not sub.allows(child):
                    return False
            elif not fits(child, sub):
                return False
        return True
    if kind is list:
        if not shape.sequence:
            return False
        items = shape.items or ANYTHING
        if items.strict:
            allows = items.allows
            for item in value:
                if not (allows(item) if type(item) in _LEAVES else fits(item, items)):
                    return False
            return True
        for item in value:
            if type(item) not in _LEAVES and not fits(item, items):
                return False
        return True
    return True


def unknown_parts(data: Any, shape: Shape) -> Iterator[str]:
    """Pointers of the values in `data` that do not have the schema's shape: the containers
    holding a key the schema does not allow (the container, never the key: an unknown key's
    name may itself be personal data), values of the wrong kind (a mapping or list where
    the schema wants a single value), and single values outside the schema's vocabulary or
    pattern (an e-mail address as a `status`). `""` is the record itself: its other fields are still
    looked into (a public view of it keeps the identification)."""
    if not fits(data, shape):
        yield from _unknown(data, shape, [], 0)


def _unknown(value: Any, shape: Shape, where: list[str], depth: int) -> Iterator[str]:
    if shape is ANYTHING:
        return
    if isinstance(value, Mapping):
        if not shape.mapping or depth > 60:
            yield pointers.join(where)
            return
        children: list[tuple[str, Any, Shape]] = []
        for key, child in value.items():
            sub = shape.child(key) if isinstance(key, str) else None
            if sub is not None:
                children.append((key, child, sub))
        if len(children) < len(value):
            yield pointers.join(where)
            if where:
                return
        for key, child, sub in children:
            if isinstance(child, Mapping | list):
                yield from _unknown(child, sub, [*where, key], depth + 1)
            elif not sub.allows(child):
                yield pointers.join([*where, key])
    elif isinstance(value, list):
        if not shape.sequence or depth > 60:
            yield pointers.join(where)
            return
        items = shape.items or ANYTHING
        for index, child in enumerate(value):
            if isinstance(child, Mapping | list):
                yield from _unknown(child, items, [*where, str(index)], depth + 1)
            elif not items.allows(child):
                yield pointers.join([*where, str(index)])
