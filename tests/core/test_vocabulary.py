"""The vocabulary ichinv's code relies on is the vocabulary the schemas define."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ichinv.core import vocabulary
from tests.support.helpers import REPO_ROOT

ELEMENT = json.loads((REPO_ROOT / "schema" / "element.schema.json").read_text("utf-8"))
PROVINCE = json.loads((REPO_ROOT / "schema" / "province.schema.json").read_text("utf-8"))


def _at(schema: dict[str, Any], pointer: str) -> dict[str, Any]:
    node: Any = schema
    for part in pointer.split("/"):
        node = node[part]
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


@pytest.mark.parametrize(
    ("enum", "pointer"),
    [
        (vocabulary.Domain, "$defs/domain"),
        (vocabulary.Category, "properties/national_category"),
        (vocabulary.Status, "properties/status"),
        (vocabulary.Consent, "properties/consent/properties/status"),
        (vocabulary.Access, "properties/access/properties/level"),
        (vocabulary.Viability, "properties/viability/properties/status"),
        (vocabulary.SourceList, "properties/provenance/properties/sources/items/properties/list"),
    ],
)
def test_every_enumeration_is_the_schemas(enum: type, pointer: str) -> None:
    assert [e.value for e in enum] == _at(ELEMENT, pointer)["enum"]


def test_the_id_patterns_are_the_schemas() -> None:
    assert vocabulary.ELEMENT_ID_PATTERN == ELEMENT["$defs"]["element_id"]["pattern"]
    assert vocabulary.PROVINCE_ID_PATTERN == ELEMENT["$defs"]["province_id"]["pattern"]
    assert vocabulary.PROVINCE_ID_PATTERN == _at(PROVINCE, "properties/id")["pattern"]


@pytest.mark.parametrize(
    ("text", "year"),
    [("KZ-2013-0001", 2013), ("KZ-1999-9999", 1999), ("KZ-1850-0001", None),
     ("KZ-2013-001", None), ("kz-2013-0001", None), ("KZ-2013-0001 ", None)],
)  # fmt: skip
def test_element_ids(text: str, year: int | None) -> None:
    assert vocabulary.is_element_id(text) is (year is not None)
    assert vocabulary.element_year(text) == year


def test_every_language_has_a_fallback_order_through_all_the_others() -> None:
    for lang in vocabulary.Lang:
        assert sorted([lang, *vocabulary.FALLBACK[lang]]) == sorted(vocabulary.Lang)


def test_a_wholly_restricted_record_in_a_public_repository_keeps_what_the_public_sees() -> None:
    assert vocabulary.PUBLIC_IDENTIFICATION < vocabulary.KEPT_IN_PUBLIC_REPOSITORY
