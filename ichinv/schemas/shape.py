"""The shape of records: which keys each mapping may have, which values are lists, mappings
or single values, and which single values (ichinv.schemas.keywords derives it from a schema).
The audience view publishes only what has that shape, so that a field the schema does not know
(a misplaced `contacts`, a quoted `"<<"` key, a phone number written as a number where a name
belongs) is never shown to the public before `ichinv validate` has had it fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ichinv.core import pointers
from ichinv.core.vocabulary import reads_as_key


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
    """Any other key; None: no other key is allowed. Only ANYTHING (no check) has one: a
    mapping a schema leaves open allows no key it does not name (ichinv.schemas.keywords)."""
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
    names: Shape | None = None
    """What every key must be (`propertyNames`); None: any key its rules allow."""
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
                and (self.words is None or any(json_equal(value, w) for w in self.words))
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
        # A key only a pattern allows may be any text: published where it reads as a field
        # name or a language tag, else its mapping is withheld, name and all (and so where
        # two rules match it: the value must be one neither refuses, which is not worked
        # out, unless the rules are one: ichinv.schemas.keywords makes one Shape a rule).
        rules = {id(s): s for p, s in self.patterns if p.search(key)}
        if not rules:
            found = self.extra
        elif len(rules) > 1 or not reads_as_key(key):
            found = None
        else:
            found = next(iter(rules.values()))
            if found is NOTHING or (self.names is not None and not self.names.allows(key)):
                found = None  # not worked out, or a name `propertyNames` refuses
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


def json_equal(value: Any, word: Any) -> bool:
    """JSON equality of single values (`True` is not `1`, as Python has it)."""
    return value == word and (type(value) is bool) == (type(word) is bool)


ANYTHING = Shape()
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


class Out(Enum):
    """How a part of a record is not in the schema's shape."""

    KEY = "key"
    """A key the schema does not allow (the part is the key and its value)."""
    KIND = "kind"
    """A mapping or list where the schema wants none (a single value, mostly), or one nested
    too deep to be looked into."""
    VALUE = "value"
    """A single value outside the schema's types, vocabulary, pattern or bounds."""


def out_of_shape(data: Any, shape: Shape) -> Iterator[tuple[str, Out]]:
    """Every part of `data` that is not in the schema's shape, by pointer, in the order of the
    data: the one walk both readers of the shape take (`unknown_parts` for a public view,
    `ichinv show` for the committee's), so that they never disagree on what it holds. A part
    of the wrong kind is not looked into; every other part is."""
    if not fits(data, shape):
        for where, out in _walk(data, shape, [], 0):
            yield pointers.join(where), out


def _walk(
    value: Any, shape: Shape, where: list[str], depth: int
) -> Iterator[tuple[list[str], Out]]:
    if shape is ANYTHING:
        return
    if isinstance(value, Mapping):
        if not shape.mapping or depth > 60:
            yield where, Out.KIND
            return
        for key, child in value.items():
            sub = shape.child(key) if isinstance(key, str) else None
            inside = [*where, str(key)]
            if sub is None:
                yield inside, Out.KEY
            elif isinstance(child, Mapping | list):
                yield from _walk(child, sub, inside, depth + 1)
            elif not sub.allows(child):
                yield inside, Out.VALUE
    elif isinstance(value, list):
        if not shape.sequence or depth > 60:
            yield where, Out.KIND
            return
        items = shape.items or ANYTHING
        for index, child in enumerate(value):
            inside = [*where, str(index)]
            if isinstance(child, Mapping | list):
                yield from _walk(child, items, inside, depth + 1)
            elif not items.allows(child):
                yield inside, Out.VALUE


def unknown_parts(data: Any, shape: Shape) -> Iterator[str]:
    """Pointers of the values in `data` that do not have the schema's shape (`out_of_shape`),
    as a public view withholds them: the containers holding a key the schema does not allow
    (the container, never the key: an unknown key's name may itself be personal data), each
    whole with what it holds, values of the wrong kind (a mapping or list where the schema
    wants a single value), and single values outside the schema's vocabulary or pattern (an
    e-mail address as a `status`). `""` is the record itself, first: its other fields are
    still looked into (a public view of it keeps the identification)."""
    found = [
        (pointers.split(where)[:-1], out) if out is Out.KEY else (pointers.split(where), out)
        for where, out in out_of_shape(data, shape)
    ]
    whole = {tuple(where) for where, out in found if out is Out.KEY and where}
    shown: set[tuple[str, ...]] = set()
    if any(out is Out.KEY and not where for where, out in found):
        shown.add(())
        yield ""
    for where, __ in found:
        part = tuple(where)
        if part in shown or any(part[:n] in whole for n in range(1, len(part))):
            continue
        shown.add(part)
        yield pointers.join(where)
