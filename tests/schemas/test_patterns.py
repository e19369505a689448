"""The schemas' patterns are judged as JSON Schema (ECMA-262) judges them, by both validators:
`$` matches at the very end of a text only, not before a final line break.

Found by an outside test: Python's `re` let `"KZ-10\\n"` (a block scalar `code: |`) through
`^KZ-([0-9]{2}|[A-Z]{3})$` in jsonschema, while fastjsonschema refused it, so validate found
the record wrong yet named no error: "ok"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ichinv.core.model import RecordKind
from ichinv.io import strict_yaml
from ichinv.schemas import ecma, explain
from ichinv.schemas import loader as schemas
from tests.support.helpers import BASE_INVENTORY, REPO_ROOT, Result

Run = Callable[..., Result]

SCHEMAS = schemas.load(REPO_ROOT / "schema")


def _record(path: str) -> dict[str, Any]:
    data: dict[str, Any] = strict_yaml.load((BASE_INVENTORY / path).read_bytes())[0]
    return data


def _verdicts(kind: RecordKind, data: dict[str, Any]) -> tuple[bool, list[str]]:
    """What the fast validator says, and the rules of the errors the explaining one finds."""
    schema = SCHEMAS[kind]
    assert schema.fast is not None
    return schema.is_valid(data), [error.rule for error in explain.errors(schema, data)]


@pytest.mark.parametrize(("value", "valid"), [("KZ-10", True), ("KZ-10\n", False)])
def test_a_province_id_with_a_line_break_fails_its_pattern_in_both_validators(
    value: str, valid: bool
) -> None:
    province = _record("provinces/KZ-23.yaml")
    province["iso_codes"] = [{"code": value}]
    element = _record("elements/KZ-2013-0002.yaml")
    element["provinces"] = [value]
    for kind, data in ((RecordKind.PROVINCE, province), (RecordKind.ELEMENT, element)):
        assert _verdicts(kind, data) == ((True, []) if valid else (False, ["schema.pattern"]))


def test_a_key_with_a_line_break_fails_a_key_pattern_in_both_validators() -> None:
    element = _record("elements/KZ-2013-0002.yaml")
    element["names"] = {**element["names"], "kk-Latn\n": "Aitys"}
    fast, rules = _verdicts(RecordKind.ELEMENT, element)
    assert not fast and rules


def test_validate_names_a_province_id_with_a_line_break(inventory: Path, run: Run) -> None:
    path = inventory / "elements" / "KZ-2013-0002.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("provinces: [KZ-43]", 'provinces: ["KZ-43\\n"]'), "utf-8")
    result = run("validate", "elements/KZ-2013-0002.yaml")
    assert result.exit_code == 1
    line = path.read_text(encoding="utf-8").splitlines().index('provinces: ["KZ-43\\n"]') + 1
    assert result.stdout.startswith(
        f"elements/KZ-2013-0002.yaml:{line}:13: error [schema.pattern] item 1 of `provinces` "
        "(Provinces) must be a province identifier (the value itself is not shown here"
    )


@pytest.mark.parametrize(
    ("pattern", "python"),
    [
        ("^KZ-([0-9]{2}|[A-Z]{3})$", "^KZ-([0-9]{2}|[A-Z]{3})\\Z"),
        ("^a|b$", "^a|b\\Z"),
        ("^[$]+$", "^[\\$]+\\Z"),  # a `$` in a class is the character
        ("^\\$[0-9]$", "^\\$[0-9]\\Z"),  # so is an escaped one
        ("^[\\]$]$", "^[\\]\\$]\\Z"),
    ],
)
def test_a_pattern_is_read_as_ecma_reads_it(pattern: str, python: str) -> None:
    assert ecma.python(pattern) == python
    assert ecma.python(python) == python  # a rewritten pattern stays as it is


def test_the_schema_files_keep_their_ecma_patterns() -> None:
    schema = SCHEMAS[RecordKind.PROVINCE]
    assert schema.fast is not None
    assert schema.inlined["properties"]["id"]["pattern"] == "^KZ-([0-9]{2}|[A-Z]{3})$"
    assert schema.checked["properties"]["id"]["pattern"] == "^KZ-([0-9]{2}|[A-Z]{3})\\Z"
