"""A value outside a field's vocabulary is not quoted, but the field's words are offered.

Found by an outside review: `status: Active`, `activX` or `domains: [Performing-arts]` got
only "its value is not quoted (personal data or a restricted part)", with neither the allowed
values nor a "did you mean". The value itself stays unquoted (it may be anything); the words
the schema allows, and the one closest to the value, are the schema's own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import reading_data as d
from tests.support.helpers import Result

Run = Callable[..., Result]


def _finding(run: Run, pointer: str) -> dict[str, str]:
    result = run("validate", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    # (a contact written into a field is also warned of as such: text.contact)
    (found,) = [f for f in findings if f["pointer"] == pointer and f["rule"] != "text.contact"]
    return found


@pytest.mark.parametrize("typed", ["Active", "activX", "act1ve"])
def test_a_misspelt_status_is_offered_the_right_word(inventory: Path, run: Run, typed: str) -> None:
    d.write(inventory, d.element("KZ-2026-0001", status=typed))
    found = _finding(run, "/status")
    assert typed not in found["message"] + (found["hint"] or "")
    assert found["hint"] == 'did you mean "active"?'
    assert "is not one of the allowed values: active, retired, merged" in found["message"]


def test_a_value_far_from_every_word_gets_the_allowed_values(inventory: Path, run: Run) -> None:
    d.write(inventory, d.element("KZ-2026-0001", status="zhanar@example.org"))
    found = _finding(run, "/status")
    assert "zhanar" not in run("validate", "--format", "json").stdout
    said = found["message"] + " " + (found["hint"] or "")
    assert "allowed values: active, retired, merged" in said


def test_a_value_in_a_restricted_part_gets_no_suggestion(inventory: Path, run: Run) -> None:
    """A suggestion would say something of a withheld value: not given."""
    record = d.secret_element("KZ-2026-0009")
    record["access"]["restricted_parts"] = ["/viability"]
    record["viability"] = {"status": "Viable", "assessed": "2026-01-01"}
    d.write(inventory, record)
    found = _finding(run, "/viability")  # named down to the withheld part only
    assert "did you mean" not in (found["hint"] or "")


def test_a_value_in_none_of_a_fields_forms_is_not_quoted(inventory: Path, run: Run) -> None:
    """Found by an outside review: jsonschema's own words for `anyOf` quoted the value (a
    phone number written as the end of a province's ISO code)."""
    path = inventory / "provinces" / "KZ-23.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + 'iso_codes:\n  - code: KZ-ATY\n    until: "+7 700 000 91 91"\n',
        encoding="utf-8",
    )
    result = run("validate", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert "91 91" not in result.stdout + result.stderr
    assert any(f["rule"] == "schema.anyOf" for f in findings), findings
