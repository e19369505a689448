"""The schemas: valid draft 2020-12, documented field by field, and both validators agree."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from ichinv.core.model import RecordKind
from ichinv.schemas import explain
from ichinv.schemas import loader as schemas
from tests.support.helpers import BASE_INVENTORY, REPO_ROOT, Result

Run = Callable[..., Result]

SCHEMAS = load = schemas.load(REPO_ROOT / "schema")


@pytest.mark.parametrize("kind", list(RecordKind))
def test_schema_is_valid_draft_2020_12_with_an_id(kind: RecordKind) -> None:
    document = json.loads(
        (REPO_ROOT / "schema" / f"{kind.value}.schema.json").read_text(encoding="utf-8")
    )
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"].endswith(f"/{kind.value}.schema.json")


@pytest.mark.parametrize("kind", list(RecordKind))
def test_every_property_has_a_title_and_description(kind: RecordKind) -> None:
    undocumented = [
        f"{pattern}/{name}"
        for pattern, node in SCHEMAS[kind].walk()
        for name, sub in node.get("properties", {}).items()
        if not (sub.get("title") and sub.get("description"))
    ]
    assert undocumented == []


@pytest.mark.parametrize("kind", list(RecordKind))
def test_every_object_is_closed(kind: RecordKind) -> None:
    open_objects = [
        pattern
        for pattern, node in SCHEMAS[kind].walk()
        if node.get("type") == "object" and node.get("additionalProperties") is not False
    ]
    assert open_objects == []


def test_keyed_lists_are_declared_in_the_schema() -> None:
    keys = SCHEMAS[RecordKind.ELEMENT].list_keys
    assert keys["/communities"] == ("name",)
    assert keys["/safeguarding"] == ("measure",)
    assert keys["/viability/threats"] == ("threat",)
    assert keys["/provenance/sources"] == ("list", "url")
    # every list of mappings has a key, so a diff never falls back to positions
    for pattern, node in SCHEMAS[RecordKind.ELEMENT].walk():
        items = node.get("items")
        if node.get("type") == "array" and isinstance(items, dict):
            resolved = SCHEMAS[RecordKind.ELEMENT].subschema(pattern + "/0") or {}
            if resolved.get("type") == "object":
                assert pattern in keys, pattern


def test_compiling_does_not_change_the_schema() -> None:
    schema = schemas.load(REPO_ROOT / "schema")[RecordKind.ELEMENT]
    before = json.dumps(schema.document, sort_keys=True)
    assert schema.fast is not None
    assert json.dumps(schema.document, sort_keys=True) == before


# --- fastjsonschema and jsonschema must agree on every record ---------------------------------------

ELEMENT_SCHEMA = SCHEMAS[RecordKind.ELEMENT]
BASE = schemas  # noqa: F841 - keeps the module attribute importable in the REPL

text = st.text(min_size=0, max_size=12)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000), text)


def _mutations() -> st.SearchStrategy[Any]:
    values = st.recursive(
        scalars
        | st.sampled_from(
            [
                "KZ-2013-0001",
                "KZ-2013-0001\n",  # `$` lets no final line break through (ECMA-262)
                "KZ-23",
                "KZ-23\n",
                "2025-02-30",
                "2025-05-14",
                "I",
                "given",
                "public",
                "https://x.org",
            ]
        ),
        lambda children: (
            st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3)
        ),
        max_leaves=6,
    )
    return values


def _base() -> dict[str, Any]:
    from ichinv.io import strict_yaml as yamlload

    return yamlload.load((BASE_INVENTORY / "elements" / "KZ-2013-0002.yaml").read_bytes())[0]


PATHS = [p for p, _ in ELEMENT_SCHEMA.walk() if "*" not in p and p]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), _mutations()), max_size=3))
def test_fast_and_full_validators_agree(edits: list[tuple[str, Any]]) -> None:
    record = _base()
    for pointer, value in edits:
        node: Any = record
        parts = pointer.strip("/").split("/")
        for part in parts[:-1]:
            if not isinstance(node, dict):
                break
            node = node.setdefault(part, {})
        if isinstance(node, dict):
            node[parts[-1]] = value
    assert ELEMENT_SCHEMA.is_valid(record) == (explain.errors(ELEMENT_SCHEMA, record) == [])


def test_a_broken_schema_is_a_configuration_error(tmp_path: Path) -> None:
    from ichinv.core.errors import ConfigError

    path = tmp_path / "element.schema.json"
    path.write_text('{"type": "objekt"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="not a valid JSON Schema"):
        schemas.load_schema(RecordKind.ELEMENT, path)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"type": "object",}', "schema/element.schema.json:1:19: the JSON cannot be read"),
        ('{"allOf": ' * 5000 + "{}" + "}" * 5000, "nests arrays or objects too deeply"),
        ('{"const": NaN}', "holds NaN or Infinity"),
        ('{"maximum": 1e999}', "holds a number too long or too large to read"),
        (b'{"title": "\xff"}', "is not UTF-8 text (byte 12 cannot be read)"),
    ],
)
def test_a_schema_that_is_not_json_is_a_configuration_error(
    tmp_path: Path, text: str | bytes, said: str
) -> None:
    """A schema nested beyond Python's stack ended in a RecursionError (exit 3)."""
    from ichinv.core.errors import ConfigError

    (tmp_path / "schema").mkdir()
    path = tmp_path / "schema" / "element.schema.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(ConfigError, match=re.escape(said)):
        schemas.load_schema(RecordKind.ELEMENT, path)


@pytest.mark.parametrize("kind", list(RecordKind))
def test_schema_version_is_bounded_by_the_schemas_own_version(kind: RecordKind) -> None:
    """A record can be written for no format newer than its schema: what `migrate` refuses,
    `validate` refuses too (a 21-digit version passed validate and failed migrate)."""
    schema = json.loads((REPO_ROOT / "schema" / f"{kind.value}.schema.json").read_text("utf-8"))
    field = schema["properties"]["schema_version"]
    assert (field["type"], field["minimum"]) == ("integer", 1)
    assert field["maximum"] == schema["x-ichinv-schema-version"]


def _broken(edit: Callable[[dict[str, Any]], Any]) -> str:
    document = json.loads((REPO_ROOT / "schema" / "element.schema.json").read_text("utf-8"))
    replaced = edit(document)
    return json.dumps(document if replaced is None else replaced)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("true", "it is not a JSON object of keywords"),
        ("[]", "it is not a JSON object of keywords"),
        (
            _broken(lambda d: d["properties"].update(status={"$ref": "#/$defs/nope"})),
            "the $ref at /properties/status/$ref names no definition of the schema",
        ),
        (
            _broken(
                lambda d: (
                    d.update(allOf=[{"type": "object"}])
                    or d["properties"].update(names={"$ref": "#/allOf/0"})
                )
            ),
            "the $ref at /properties/names/$ref names no definition of the schema",
        ),
        (
            _broken(
                lambda d: (
                    d["$defs"].update(yes=True)
                    or d["properties"].update(names={"$ref": "#/$defs/yes"})
                )
            ),
            "/$defs/yes is not what JSON Schema has there",
        ),
        (
            _broken(
                lambda d: (
                    d["$defs"].update(parts={"community": {"type": "object"}})
                    or d["properties"].update(names={"$ref": "#/$defs/parts/community"})
                )
            ),
            "the $ref at /properties/names/$ref names no definition of the schema",
        ),
        (
            _broken(lambda d: d["properties"]["communities"].update({"x-ichinv-key": 5})),
            "/properties/communities/x-ichinv-key is not what JSON Schema has there",
        ),
        (
            _broken(lambda d: d["properties"]["names"].update(properties=[])),
            "/properties/names/properties is not what JSON Schema has there",
        ),
        (
            # A field named like a keyword that may be a boolean is no keyword (it was taken
            # for one: validate and export ended in a traceback).
            _broken(lambda d: d["properties"].update({"not": False})),
            "/properties/not is not what JSON Schema has there",
        ),
    ],
)
def test_a_schema_no_command_can_use_is_refused_by_every_command(
    repo_copy: Path, run: Run, text: str, said: str
) -> None:
    """Found by an outside review: a schema a pull request broke this way ended `show`, `list`,
    `export`, `packet` and the site in a traceback (exit 3); `validate` alone, which checks the
    schema against the metaschema, said so."""
    (repo_copy / "schema" / "element.schema.json").write_text(text, encoding="utf-8")
    for args in (["validate"], ["show", "KZ-2013-0001"], ["list"], ["export"]):
        result = run(*args)
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert f"the schema schema/element.schema.json cannot be used: {said}" in result.stderr


def test_the_field_form_says_which_field_the_schema_lacks(repo_copy: Path, run: Run) -> None:
    (repo_copy / "schema" / "element.schema.json").write_text("{}", encoding="utf-8")
    result = run("form", "-o", str(repo_copy / "form.xlsx"))
    assert result.exit_code == 2, result.stderr
    assert "the element schema has no field /schema_version" in result.stderr


@pytest.mark.parametrize("fields", [5, "ab"])
def test_a_translation_table_whose_fields_are_no_table_is_refused(
    repo_copy: Path, run: Run, fields: object
) -> None:
    path = repo_copy / "schema" / "i18n" / "kk.json"
    document = json.loads(path.read_text("utf-8"))
    document["fields"] = fields
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = run("schema-docs", "-o", str(repo_copy / "docs-out"))
    assert result.exit_code == 2, result.stderr
    assert "the translation table kk.json holds something other than texts" in result.stderr


@pytest.mark.parametrize("text", ["{oops} {min}", "{0}", "{min.__class__} {max}"])
def test_a_translated_label_must_name_the_fields_of_the_english_one(
    repo_copy: Path, run: Run, text: str
) -> None:
    """Found by an outside review: a label naming another field ended schema-docs in a
    KeyError or IndexError (exit 3); one reading an attribute was expanded."""
    path = repo_copy / "schema" / "i18n" / "kk.json"
    document = json.loads(path.read_text("utf-8"))
    document["ui"]["chars_between"] = text
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = run("schema-docs", "--lang", "kk", "-o", str(repo_copy / "docs-out"))
    assert result.exit_code == 2, result.stderr
    assert "ui.chars_between" in result.stderr and "{max}, {min}" in result.stderr
