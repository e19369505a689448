"""Small JSON Schemas and values generated for the laws of the shape (tests/inventory:
test_schema_shape.py, test_shape_soundness.py): the keywords a shape works out, those it
ignores (presence and counts), and those it must not misread (prefixItems, array `items`,
combinators of mappings, conditions, unevaluated*)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

PHONE = 87000000000
"""A phone number written as a number (fictitious, of the +7 700 000 00 00 kind)."""

KEYS = st.sampled_from(["a", "b", "x-1", "x-a", "c d", "cd"])
WORDS = st.sampled_from(["a", "b", "KZ-23", "zq@example.org", ""])
NUMBERS = st.sampled_from([0, 1, 2, 3, 1.5, 2.0, -1, PHONE])


def schemas(depth: int = 2) -> st.SearchStrategy[Any]:
    """A schema of at most `depth` levels of mappings and lists."""
    leaf = st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(
                ["string", "integer", "number", "boolean", "null", ["string", "null"]]
            ),
            "enum": st.lists(WORDS | NUMBERS | st.none() | st.booleans(), min_size=1, max_size=3),
            "const": WORDS | NUMBERS | st.booleans(),
            "pattern": st.sampled_from(["^KZ-", "@", "^[ab]$"]),
            "minLength": st.integers(0, 2),
            "maxLength": st.integers(0, 3),
            "minimum": NUMBERS,
            "maximum": NUMBERS,
            "exclusiveMaximum": NUMBERS,
            "multipleOf": st.sampled_from([1, 2, 0.5]),
            "format": st.just("email"),
        },
    )
    if depth == 0:
        return st.booleans() | leaf
    inner = schemas(depth - 1)
    return st.one_of(
        leaf,
        st.fixed_dictionaries(
            {},
            optional={
                "type": st.sampled_from(["object", "array", ["object", "array"]]),
                "properties": st.dictionaries(KEYS, inner, max_size=2),
                "patternProperties": st.dictionaries(
                    st.sampled_from(["^x-", "^c", "^[ab]$"]), inner, max_size=2
                ),
                "additionalProperties": inner,
                "items": inner | st.lists(inner, max_size=2),
                "prefixItems": st.lists(inner, min_size=1, max_size=2),
                "additionalItems": inner,
                "anyOf": st.lists(leaf, min_size=1, max_size=2) | st.lists(inner, max_size=2),
                "oneOf": st.lists(leaf, min_size=1, max_size=2),
                "allOf": st.lists(inner, min_size=1, max_size=2),
                "not": inner,
                "required": st.lists(KEYS, max_size=2),
                "minItems": st.integers(0, 2),
                "uniqueItems": st.booleans(),
                "if": inner,
                "then": inner | st.just({"required": ["a"]}),
                "dependentSchemas": st.dictionaries(KEYS, inner, max_size=1),
                "propertyNames": inner,
                "unevaluatedProperties": inner,
                "unevaluatedItems": inner,
            },
        ),
    )


DATA = st.recursive(
    st.none() | st.booleans() | NUMBERS | WORDS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=8,
)
"""Values for those schemas: single values, lists and mappings of the keys above."""
