"""Where JSON Schema (draft 2020-12) keeps sub-schemas, and which part of a value each one
describes: the one table read by the schema's checks (`sanity`: every `$ref` must resolve)
and by the personal-data marks (`loader.personal_fields`: a mark anywhere counts).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any


class Form(Enum):
    """How a keyword holds its sub-schemas."""

    ONE = "one"
    """The value is a schema."""
    LIST = "list"
    """The value is a list of schemas."""
    BY_NAME = "by name"
    """The value maps names (of fields, patterns, definitions) to schemas."""


class Place(Enum):
    """What part of the value a sub-schema describes."""

    SAME = "same"
    """The value itself (`allOf`, `not`, `if`/`then`/`else`, `dependentSchemas`)."""
    NAMED = "named"
    """The value under the name the sub-schema stands under (`properties`)."""
    INSIDE = "inside"
    """Some or all of the values inside it, whatever their key or index (`items`,
    `patternProperties`, `additionalProperties`…)."""
    KEYS = "keys"
    """The keys of the mapping (`propertyNames`)."""
    CONTENT = "content"
    """What the text holds once decoded (`contentSchema`): the text itself, for ichinv."""
    NOWHERE = "nowhere"
    """No part: definitions, described where a `$ref` names them (`$defs`)."""


@dataclass(frozen=True, slots=True)
class Keyword:
    """A keyword holding sub-schemas."""

    name: str
    form: Form
    place: Place


KEYWORDS = (
    Keyword("properties", Form.BY_NAME, Place.NAMED),
    Keyword("anyOf", Form.LIST, Place.SAME),
    Keyword("oneOf", Form.LIST, Place.SAME),
    Keyword("allOf", Form.LIST, Place.SAME),
    Keyword("not", Form.ONE, Place.SAME),
    Keyword("if", Form.ONE, Place.SAME),
    Keyword("then", Form.ONE, Place.SAME),
    Keyword("else", Form.ONE, Place.SAME),
    Keyword("patternProperties", Form.BY_NAME, Place.INSIDE),
    Keyword("dependentSchemas", Form.BY_NAME, Place.SAME),
    Keyword("additionalProperties", Form.ONE, Place.INSIDE),
    Keyword("unevaluatedProperties", Form.ONE, Place.INSIDE),
    Keyword("items", Form.ONE, Place.INSIDE),
    Keyword("unevaluatedItems", Form.ONE, Place.INSIDE),
    Keyword("contains", Form.ONE, Place.INSIDE),
    Keyword("propertyNames", Form.ONE, Place.KEYS),
    Keyword("prefixItems", Form.LIST, Place.INSIDE),
    Keyword("contentSchema", Form.ONE, Place.CONTENT),
    Keyword("$defs", Form.BY_NAME, Place.NOWHERE),
)
"""Every keyword of draft 2020-12 whose value holds sub-schemas."""


def held(node: dict[str, Any]) -> Iterator[tuple[Keyword, str | None, Any]]:
    """Each sub-schema `node` holds directly: its keyword, the name or index it stands under
    (as text; None for a keyword holding one), and the sub-schema. Values of the wrong form
    (`properties` as a list) are passed over: `sanity` names them."""
    for keyword in KEYWORDS:
        if keyword.name not in node:
            continue
        value = node[keyword.name]
        if keyword.form is Form.ONE:
            yield keyword, None, value
        elif keyword.form is Form.LIST and isinstance(value, list):
            for number, sub in enumerate(value):
                yield keyword, str(number), sub
        elif keyword.form is Form.BY_NAME and isinstance(value, dict):
            for name, sub in value.items():
                yield keyword, str(name), sub
