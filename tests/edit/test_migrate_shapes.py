"""`ichinv migrate` on values of any shape in the fields its steps move (province format 1 → 2:
`iso_code`, beside an `iso_codes` of any shape): it never raises, and what it writes has the
shape the current schema asks of the field; anything else is refused and left as it was.

An outside review found a list in `iso_code` ending in an internal error, a mapping migrated
into `- code: {code: …}` and an empty `iso_code` left in a record marked version 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ichinv.edit import migrate as migrations
from ichinv.io import settings as inventory_settings
from ichinv.io import strict_yaml
from tests.support.helpers import REPO_ROOT, examples

RECORD = "provinces/KZ-YUZ.yaml"
HEAD = (
    "id: KZ-YUZ\nnames:\n  kk: Оңтүстік Қазақстан облысы\n  ru: Южно-Казахстанская область\n"
    "  en: South Kazakhstan Region\nkind: region\n"
)
TAIL = "valid_until: 2018-06-18\nsuccessors: [KZ-61, KZ-79]\n"

ABSENT = "absent"
"""No such field in the record."""

CODES = st.from_regex(r"\AKZ-([0-9]{2}|[A-Z]{3})\Z")
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | CODES
    | st.sampled_from(["2022-06-08", "yes", "~", "", "KZ-35 ", "KZ-35\n", "null"])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["code", "from", "until", "note"]), inner, max_size=3)
    ),
    max_leaves=6,
)


def _schema_of_iso_codes() -> dict[str, Any]:
    schema = json.loads((REPO_ROOT / "schema" / "province.schema.json").read_text("utf-8"))
    return {"$defs": schema.get("$defs", {}), **schema["properties"]["iso_codes"]}


SHAPE = jsonschema.Draft202012Validator(_schema_of_iso_codes())


def _field(key: str, value: Any, comment: bool) -> str:
    if value is ABSENT:
        return ""
    text = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=10**6)
    if comment and text.count("\n") == 1:
        text = text[:-1] + "  # checked\n"
    return text


@st.composite
def records(draw: st.DrawFn) -> tuple[Any, Any, bool]:
    code = draw(VALUES | CODES)
    entry = st.fixed_dictionaries({"code": st.just(code)}) if isinstance(code, str) else VALUES
    codes = draw(
        st.just(ABSENT) | st.none() | VALUES | st.lists(entry | VALUES, min_size=1, max_size=3)
    )
    return code, codes, draw(st.booleans())


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
@settings(
    max_examples=examples(150, 1500),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(record=records())
def test_migrate_never_raises_and_writes_only_the_shape_of_the_schema(
    inventory: Path, record: tuple[Any, Any, bool]
) -> None:
    code, codes, comment = record
    path = inventory / RECORD
    text = HEAD + _field("iso_code", code, comment) + _field("iso_codes", codes, False) + TAIL
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    result = migrations.migrate(inventory_settings.load(inventory), write=True)
    refused = [problem for problem in result.problems if problem.path == RECORD]
    if refused:
        event("refused")
        assert path.read_bytes() == before
        return
    assert RECORD in {m.path for m in result.migrated}
    data = strict_yaml.load(path.read_bytes())[0]
    assert data["schema_version"] == 2
    assert "iso_code" not in data
    if codes is ABSENT or codes is None or codes == []:
        # Made by the step from the one code: an entry of the schema's shape, the code as it
        # was (validate judges whether it is one: only its pattern may fail).
        event("made from iso_code")
        assert isinstance(code, str)
        assert data["iso_codes"] == [{"code": code}]
        assert {error.validator for error in SHAPE.iter_errors(data["iso_codes"])} <= {"pattern"}
    else:
        event("iso_code dropped, as iso_codes lists it")
        assert data["iso_codes"] == codes  # the editor's own list, untouched
        # An entry of it holds the code (with a period, perhaps: `from`, `until`).
        assert isinstance(codes, list)
        assert any(isinstance(e, dict) and e.get("code") == code for e in codes)
