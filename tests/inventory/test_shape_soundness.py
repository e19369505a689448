"""What a public view publishes, the schema allows: a value the shape lets through is one
`validate` would pass (up to presence and counts), so no schema a pull request may write, and
no value an editor may put anywhere, makes a public output print what the schema refuses (a
phone number written as a number where a name belongs, a year of eleven digits, a key an open
mapping allows as any other). And personal data is personal wherever the schema marks it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings

from ichinv.core.model import RecordKind
from ichinv.inventory import audience as redact
from ichinv.inventory.audience import Why
from ichinv.inventory.policy import policy_for
from ichinv.schemas.keywords import shape_of
from ichinv.schemas.shape import NOTHING, fits
from tests.support import reading_data as d
from tests.support.helpers import REPO_ROOT, examples
from tests.support.schema_strategies import DATA, PHONE, schemas

POLICY = policy_for(REPO_ROOT / "schema")


def public_text(data: Any, policy: Any = POLICY) -> str:
    return json.dumps(redact.public_view(data, policy=policy), ensure_ascii=False)


@pytest.mark.parametrize(
    "where",
    [
        ("communities", 0, "name"),  # a text field: a number is not a text
        ("unesco", 0, "year"),  # a year: eleven digits is beyond its maximum
        ("schema_version",),  # a version: beyond its maximum
        ("consent", "evidence"),  # a text
    ],
)
def test_a_number_the_schema_refuses_where_it_stands_is_withheld(where: tuple[Any, ...]) -> None:
    data = d.element("KZ-2026-0001")
    data["unesco"] = [{"list": "representative", "year": 2016, "title": "Kazakh traditional"}]
    data["communities"] = [{"name": "Masters", "kind": "group", "role": "practitioners"}]
    node: Any = data
    for part in where[:-1]:
        node = node.setdefault(part, {}) if isinstance(part, str) else node[part]
    node[where[-1]] = PHONE
    assert str(PHONE) not in public_text(data)
    assert any(p.why is Why.UNKNOWN for p in redact.withheld_parts(data, policy=POLICY))
    assert str(PHONE) in json.dumps(redact.committee_view(data))


def test_values_within_the_schemas_bounds_and_types_stay_public() -> None:
    data = d.element("KZ-2026-0001")
    data["unesco"] = [{"list": "representative", "year": 2016, "title": "Kazakh traditional"}]
    assert redact.public_view(data, policy=POLICY)["unesco"] == data["unesco"]
    assert fits(data, POLICY.shapes[RecordKind.ELEMENT])


def _schema_dir(tmp_path: Path, element: dict[str, Any]) -> Path:
    folder = tmp_path / "schema"
    folder.mkdir()
    (folder / "element.schema.json").write_text(json.dumps(element))
    province = (REPO_ROOT / "schema" / "province.schema.json").read_text()
    (folder / "province.schema.json").write_text(province)
    return folder


def _element_schema(**fields: Any) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": False,
        "properties": {"id": {"type": "string"}, **fields},
    }


PERSONAL = {"type": "string", "x-ichinv-personal-data": True}


@pytest.mark.parametrize(
    "field",
    [
        {"type": "object", "additionalProperties": PERSONAL},  # found by an outside review
        {"type": "object", "additionalProperties": False, "patternProperties": {"^p": PERSONAL}},
        {"anyOf": [PERSONAL, {"type": "integer"}]},
        {"type": "array", "items": {"oneOf": [PERSONAL, {"type": "integer"}]}},
        # what the text holds, decoded, is marked: the text holds personal data
        {"type": "string", "contentMediaType": "application/json", "contentSchema": PERSONAL},
        {"type": "object", "propertyNames": {"pattern": "^p", "x-ichinv-personal-data": True}},
        # deeper than the walk of the other annotations goes
        json.loads(
            '{"type": "object", "properties": {"a": ' * 22 + json.dumps(PERSONAL) + "}}" * 22
        ),
    ],
)
def test_personal_data_is_personal_wherever_the_schema_marks_it(
    tmp_path: Path, field: dict[str, Any]
) -> None:
    policy = policy_for(_schema_dir(tmp_path, _element_schema(bearer=field)))
    patterns = policy.personal_fields(RecordKind.ELEMENT)
    assert patterns and all(p.startswith("/bearer") for p in patterns[1:])
    assert any(p.startswith("/bearer") for p in patterns)  # read from the schema
    value: Any = (
        {"p1": "zq@example.org"}
        if re.search("Properties|propertyNames", json.dumps(field)[:80])
        else ("zq@example.org")
    )
    if field.get("type") == "array":
        value = ["zq@example.org"]
    if "properties" in field and "a" in field["properties"]:
        value = json.loads('{"a": ' * 22 + '"zq@example.org"' + "}" * 22)
    data = {"id": "KZ-2026-0001", "bearer": value}
    assert "zq@" not in public_text(data, policy)


def test_a_key_under_two_rules_is_withheld_unless_they_are_one(tmp_path: Path) -> None:
    names = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"kk": {"type": "string", "title": "Kazakh"}, "code": {"type": "string"}},
        "patternProperties": {
            "^[a-z]{2}$": {"type": "string", "title": "Another language"},
            "^c": {"type": "string", "pattern": "^[A-Z]+$"},
        },
    }
    shape = shape_of(_element_schema(names=names))
    names_shape = shape.child("names")
    assert names_shape is not None
    assert names_shape.child("kk") is not NOTHING  # the same rule, titles aside: published
    assert names_shape.child("code") is NOTHING  # `code` must also be capitals: not worked out
    assert names_shape.child("cd") is None  # two patterns, two rules: withheld, name and all
    assert names_shape.child("ru") is not None


def test_one_rule_under_two_patterns_is_one_rule() -> None:
    shape = shape_of(
        {
            "type": "object",
            "additionalProperties": False,
            "patternProperties": {
                "^k": {"type": "string"},
                "^[a-z]{2}$": {"type": "string", "title": "A language"},
            },
        }
    )
    assert fits({"kk": "x"}, shape) and shape.complete


def test_a_vocabulary_python_cannot_tell_apart_is_not_complete() -> None:
    """`{1, True}` is one value to Python: one of the two is refused, so the shape says it
    is not complete (and `validate` does not take a valid record as in shape)."""
    shape = shape_of({"enum": [1, True]})
    assert shape.allows(1) and not shape.complete


@pytest.mark.parametrize(
    "field",
    [
        {"type": "string", "pattern": ["^a"]},
        {"type": "string", "minLength": 14.5},
        {"type": "string", "maxLength": -1},
        {"type": "object", "properties": {"a": 5}},
    ],
)
def test_a_keyword_of_the_wrong_form_is_not_worked_out(field: dict[str, Any]) -> None:
    """Public commands read schemas without the metaschema check (`validate` makes it): a
    keyword of another form was ignored (a list as `pattern`) or rounded (`minLength: 14.5`
    let a 14-character e-mail address through)."""
    shape = shape_of(field)
    assert shape is NOTHING or shape.child("a") is NOTHING
    assert shape_of({"type": "array", "items": 5}).items is NOTHING


# --- the law ------------------------------------------------------------------------------------

_PRESENCE = {"required", "minItems", "maxItems", "uniqueItems", "minProperties"}


def _without_presence(node: Any) -> Any:
    """The schema without the keywords that say what is missing or how many (which a shape
    ignores: they never make a value one the schema refuses to hold)."""
    if isinstance(node, dict):
        return {k: _without_presence(v) for k, v in node.items() if k not in _PRESENCE}
    return [_without_presence(v) for v in node] if isinstance(node, list) else node


@given(schemas(), DATA)
@example(
    {"type": "object", "additionalProperties": False, "properties": {"a": {}}}, {"a": {"b": 1}}
)
@example(
    {"properties": {"a": {"type": "string"}}, "patternProperties": {"^[ab]$": {"pattern": "@"}}},
    {"a": "x"},
)
@example({"oneOf": [{"type": "integer"}, {"type": "number"}]}, 1)
@example({"type": "integer", "maximum": 3}, PHONE)
@settings(max_examples=examples(150, 1500), deadline=None)
def test_law_what_a_shape_allows_its_schema_allows(schema: Any, data: Any) -> None:
    """Whatever a public view publishes as in shape, `validate` would pass there: a value a
    shape allows is one its schema allows (up to presence and counts)."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError:
        return
    shape = shape_of(schema)
    if fits(data, shape) if isinstance(data, dict | list) else shape.allows(data):
        assert Draft202012Validator(_without_presence(schema)).is_valid(data), (schema, data)
