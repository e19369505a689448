"""How schema findings are worded for editors (heritage specialists, not programmers): each
field as they know it, list items counted from 1, one finding for one mistake, no hint that
would not fix it, no jargon, one quoting style a language. Found by an outside review."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from ichinv.core import i18n
from ichinv.core.model import RecordKind
from ichinv.io import strict_yaml
from ichinv.schemas import explain
from ichinv.schemas import loader as schemas
from tests.support.helpers import REPO_ROOT

SCHEMA = schemas.load(REPO_ROOT / "schema")[RecordKind.ELEMENT]


def _record() -> dict[str, Any]:
    data = strict_yaml.load((REPO_ROOT / "elements" / "KZ-2013-0002.yaml").read_bytes())[0]
    return copy.deepcopy(data)


def _errors(edit: Callable[[dict[str, Any]], None], lang: str = "en") -> list[explain.SchemaError]:
    record = _record()
    edit(record)
    i18n.use(lang)
    try:
        return explain.check(SCHEMA, record)
    finally:
        i18n.use(None)


def _said(errors: list[explain.SchemaError]) -> Iterator[str]:
    for error in errors:
        yield error.message
        yield error.hint or ""


# --- item 4: positions counted from 1 everywhere --------------------------------------------------


def test_a_field_of_a_list_item_is_named_with_the_item_counted_from_1() -> None:
    def edit(record: dict[str, Any]) -> None:
        record["provenance"]["sources"][1]["row"] = 2

    (error,) = _errors(edit)
    assert error.message.startswith("`row` (Row) in item 2 of `provenance.sources` (Sources) ")
    assert ".1." not in error.message


def test_a_field_missing_from_a_list_item_is_named_by_its_own_key() -> None:
    def edit(record: dict[str, Any]) -> None:
        del record["communities"][0]["name"]

    (error,) = _errors(edit)
    assert error.message.startswith("`name` (Name) is missing from item 1 of `communities`")
    assert ".0." not in error.message
