"""The shape a schema gives records: which keys each mapping may have, which values are lists,
mappings or single values, and which single values. The audience view publishes only what has
that shape, so that a field the schema does not know (a misplaced `contacts`, a quoted `"<<"`
key, a phone number written as a number where a name belongs) is never shown to the public
before `ichinv validate` has had it fixed.

A shape is derived once per schema (`Schema.shape`) from its inlined document. Two laws hold
(tests/inventory/test_schema_shape.py):

- what a shape allows, its schema allows (up to presence and counts: `required`, `minItems`,
  `uniqueItems`…, which say what is missing, never what a value may be): a keyword the shape
  does not work out makes its part NOTHING, withheld; and a key is allowed only where the
  schema names it (`properties`) or matches it (`patternProperties`): a key an open mapping
  allows as any other may be anything, a contact included, and so may what it holds;
- where a shape is `complete`, it allows every value its schema allows (`validate` then takes
  a record its schema passed as in shape, ichinv.validate.rules.cross.index_entry).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ichinv.core import pointers

_SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean", "null"})


@dataclass(frozen=True, slots=True)
class Limits:
    """The bounds a schema sets on single values (`minLength`, `maximum`, `multipleOf`…)."""

    min_length: int = 0
    max_length: float = float("inf")
    minimum: float = float("-inf")
    maximum: float = float("inf")
    above: float = float("-inf")
    """`exclusiveMinimum`."""
    below: float = float("inf")
    """`exclusiveMaximum`."""
    multiple_of: int | None = None

    def allow(self, value: Any) -> bool:
        if type(value) is str:
            return self.min_length <= len(value) <= self.max_length
        if type(value) not in (int, float):
            return True  # the limits of texts and numbers say nothing of other values
        return (
            self.minimum <= value <= self.maximum
            and self.above < value < self.below
            and (
                self.multiple_of is None
                or (float(value).is_integer() and int(value) % self.multiple_of == 0)
            )
        )


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
    """Any other key; None: no other key is allowed (see the module's laws)."""
    items: Shape | None = None
    """The items of a list; None: any item."""
    words: frozenset[Any] | None = None
    """The single values allowed here (`enum`, `const`); None: any."""
    pattern: re.Pattern[str] | None = None
    """The pattern a text must match (`pattern`); None: any text."""
    types: frozenset[str] | None = None
    """The JSON types a single value may have here (`type`); None: any."""
    limits: Limits | None = None
    """Bounds of texts' lengths and of numbers."""
    branches: tuple[Shape, ...] | None = None
    """Single values: what any of these allows (`anyOf`/`oneOf` of single values)."""
    complete: bool = True
    """Allows every value its schema allows, throughout (see the module's laws)."""

    texts: bool = True
    """A text is allowed here (a text where the schema wants a number is withheld too)."""
    strict: bool = False
    """A single value here must pass `allows` (any single value does when False)."""
    matching: set[str] = field(default_factory=set)
    """Texts already found to match `pattern`."""
    matched: dict[str, Shape | None] = field(default_factory=dict)
    """Keys already matched against the patterns (language tags, mostly), and their shapes."""

    def allows(self, value: Any) -> bool:
        """Whether a single value is one the schema allows here: of its types, in its
        vocabulary, pattern and bounds (anything else may be anything: an e-mail address in
        `status`, a phone number as a community's name)."""
        if self.branches is not None:
            return any(branch.allows(value) for branch in self.branches)
        if type(value) is not str:
            return (
                (self.types is None or _of_type(value, self.types))
                and (self.words is None or any(_same(value, w) for w in self.words))
                and (self.limits is None or self.limits.allow(value))
            )
        if not self.texts:
            return False
        if self.words is not None and value not in self.words:
            return False
        limits = self.limits  # (Limits.allow, without a call: most texts have bounds)
        if limits is not None and not limits.min_length <= len(value) <= limits.max_length:
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
        # Every rule matching a key applies: a value under two is one neither refuses, which
        # the shape does not work out (withheld), unless the rules are one.
        rules = {id(s): s for p, s in self.patterns if p.search(key)}
        found = next(iter(rules.values())) if len(rules) == 1 else NOTHING if rules else self.extra
        if len(self.matched) < 512:
            self.matched[key] = found
        return found


def _of_type(value: Any, types: frozenset[str]) -> bool:
    """Whether a single value (not a text) has one of the JSON types (`True` is no number)."""
    kind = type(value)
    if kind is bool:
        return "boolean" in types
    if kind is int:
        return "integer" in types or "number" in types
    if kind is float:
        return "number" in types or ("integer" in types and value.is_integer())
    return value is None and "null" in types


def _same(value: Any, word: Any) -> bool:
    """JSON equality of single values (`True` is not `1`, as Python has it)."""
    return value == word and (type(value) is bool) == (type(word) is bool)


ANYTHING = Shape(extra=None)
ANYTHING.extra = ANYTHING
"""No check: the shape of a kind without a schema (its callers' default)."""

NOTHING = Shape(
    mapping=False, sequence=False, words=frozenset(), texts=False, strict=True, complete=False
)
"""The shape of a part whose schema is not worked out here (`not`, a combinator of objects, a
type JSON Schema does not have, a keyword that narrows values in a way the shape does not
check): no value is in it, so a public view withholds the part (it may hold anything: a
contact), and `validate` checks it with the schema itself. Before, such a part allowed
anything, and public outputs printed what it held."""


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
        "const", "pattern", "anyOf", "oneOf",
    }
)  # fmt: skip
_IF_CLOSED = frozenset({"propertyNames", "unevaluatedProperties"})
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
    if not all(type(v) in (int, float) for v in given.values()):
        return False
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
            words = [w for w in words if _same(w, node["const"])]
        shape.words = frozenset(words)
    if isinstance(node.get("pattern"), str):
        try:
            shape.pattern = re.compile(node["pattern"])
        except re.error:
            return NOTHING
    shape.texts = kinds is None or "string" in kinds
    shape.strict = any(
        x is not None for x in (shape.words, shape.pattern, shape.types, shape.limits)
    )
    parts: list[Shape] = []
    if mapping:
        shape.keys = {
            str(k): shape_of(v, depth + 1) for k, v in (node.get("properties") or {}).items()
        }
        for pattern, sub in (node.get("patternProperties") or {}).items():
            try:
                shape.patterns.append((re.compile(pattern), shape_of(sub, depth + 1)))
            except re.error:
                return NOTHING
        named, matching = node.get("properties") or {}, node.get("patternProperties") or {}
        for key in shape.keys:  # a named key a pattern matches too: under both rules
            also = [sub for p, sub in matching.items() if re.search(p, key)]
            if any(_rules(sub) != _rules(named[key]) for sub in also):
                shape.keys[key] = NOTHING  # unless they are one rule (`$ref` to one place)
        # A key only an open mapping allows is not published, nor what it holds: the schema
        # says nothing of it (`{"type": "object"}` holding `{"email": …}`).
        shape.extra = None
        shape.complete = node.get("additionalProperties") is False
        parts += [*shape.keys.values(), *(s for __, s in shape.patterns)]
    if sequence:
        # `items` is for every item (`prefixItems` makes the part NOTHING: _worked_out); a
        # list without `items` may hold anything, mappings with keys no schema names too.
        items = node.get("items")
        shape.items = shape_of(items, depth + 1) if isinstance(items, Mapping) else _open()
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
    shape = Shape(extra=None, complete=False)
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
