"""JSON as ichinv writes it: the fast indented encoder and the streamed writer give exactly
the text `json.dumps` gives, so that a diff of 100,000 elements is the same bytes as before."""

from __future__ import annotations

import io
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ichinv.core import jsontext

TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12
)  # any text: controls, C1, bidi, astral
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(TEXT, inner, max_size=4)
    ),
    max_leaves=25,
)


def reference(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)
    return jsontext._ACTIVE.sub(lambda m: json.dumps(m.group())[1:-1], text) + "\n"


@given(VALUES)
@settings(max_examples=60)
def test_dumps_is_the_text_json_gives(value: Any) -> None:
    assert jsontext.dumps(value) == reference(value)


@given(st.dictionaries(TEXT, VALUES, max_size=4), st.lists(VALUES, max_size=5))
@settings(max_examples=40)
def test_a_streamed_list_is_the_text_of_the_whole_document(
    head: dict[str, Any], items: list[Any]
) -> None:
    document = {**head, "elements": None, "problems": [1, {"a": []}]}
    out = io.StringIO()
    jsontext.write_streamed(document, "elements", iter(items), out.write)
    assert out.getvalue() == jsontext.dumps({**document, "elements": items})


def test_values_json_refuses_are_refused_as_before() -> None:
    for value in ({"x": math.nan}, [math.inf]):
        with pytest.raises(ValueError, match="Out of range"):
            jsontext.dumps(value)
    with pytest.raises(TypeError):
        jsontext.dumps({"x": {1, 2}})


def test_keys_that_are_not_text_are_written_as_json_writes_them() -> None:
    assert jsontext.dumps({1: "a", None: [], 2.5: {}}) == reference({1: "a", None: [], 2.5: {}})


def test_terminal_active_characters_are_escaped_in_streamed_items() -> None:
    out = io.StringIO()
    jsontext.write_streamed({"elements": None}, "elements", ["\x9b31m", "\u202e"], out.write)
    assert "\\u009b31m" in out.getvalue() and "\\u202e" in out.getvalue()
    assert json.loads(out.getvalue()) == {"elements": ["\x9b31m", "\u202e"]}


def test_invisible_marks_are_escaped_and_the_value_is_the_same() -> None:
    # Zero-width space and joiners, left-to-right and right-to-left marks, the byte-order mark:
    # `cat report.json` shows where they are instead of hiding them or turning text around.
    marks = "a\u200bb\u200cc\u200dd\u200ee\u200ff\ufeffg"
    text = jsontext.dumps({"name": marks})
    for code in ("200b", "200c", "200d", "200e", "200f", "feff"):
        assert f"\\u{code}" in text
    assert not any(ch in text for ch in "\u200b\u200c\u200d\u200e\u200f\ufeff")
    assert json.loads(text) == {"name": marks}


def test_a_tag_character_is_escaped_as_json_writes_it() -> None:
    """Tag characters (U+E0001-U+E007F) show as nothing: escaped, beyond U+FFFF, as the
    surrogate pair JSON knows (`\\ue0041` would be U+E004 and a `1`)."""
    tagged = "KZ\U000e0041\U000e007f"
    text = jsontext.dumps({"id": tagged})
    assert "\\udb40\\udc41\\udb40\\udc7f" in text and json.loads(text) == {"id": tagged}


def test_no_value_can_move_the_streamed_list() -> None:
    """Text that looks like the list's line, or like any marker, stays a value where it is."""
    lures = [
        "\x00ichinv: written item by item\x00",
        '\n  "elements": []',
        '"elements": []',
        "[]",
    ]
    for lure in lures:
        document = {"label": lure, "elements": None, "nested": {"elements": lure}}
        out = io.StringIO()
        jsontext.write_streamed(document, "elements", iter([{"id": 1}]), out.write)
        assert json.loads(out.getvalue()) == {
            "label": lure,
            "elements": [{"id": 1}],
            "nested": {"elements": lure},
        }
        assert out.getvalue() == jsontext.dumps({**document, "elements": [{"id": 1}]})


# --- reading ------------------------------------------------------------------------------------


def test_a_key_given_twice_in_one_object_is_refused_where_the_object_is() -> None:
    # Found by an outside review: `{"contacts": [...], "contacts": []}` read as the last one,
    # so that a contact was lost without a word (JSON readers differ on which one counts).
    text = '{\n  "value": [\n    {"contacts": [{"name": "Ivan"}],\n     "contacts": []}\n  ]\n}'
    with pytest.raises(jsontext.Unreadable) as found:
        jsontext.read(text)
    assert found.value.failure is jsontext.Failure.DUPLICATE_KEY
    assert (found.value.line, found.value.column) == (3, 5)
    assert found.value.in_file("export.json") == (
        'export.json:3:5: an object has the key "contacts" twice (JSON readers differ on '
        "which one counts)"
    )
    assert found.value.in_cell() == (
        'the cell holds an object with the key "contacts" twice (at character 20)'
    )
    # the same key in different objects, or nested, is no duplicate
    assert jsontext.read('[{"a": 1}, {"a": {"a": 2}}]') == [{"a": 1}, {"a": {"a": 2}}]


@pytest.mark.parametrize("key", ["leak@example.org", "+7 700 000 91 91", "a b", "x" * 80])
def test_a_key_given_twice_is_named_only_when_it_is_a_plain_field_name(key: str) -> None:
    text = json.dumps({"a": 1})[:-1] + f", {json.dumps(key)}: 1, {json.dumps(key)}: 2}}"
    with pytest.raises(jsontext.Unreadable) as found:
        jsontext.read(text.encode("utf-8"))
    shown = found.value.in_file("export.json") + found.value.in_cell()
    assert key not in shown and "91 91" not in shown and "example.org" not in shown
    assert "export.json:1:1: an object has a key twice" in shown, shown


def test_a_number_too_long_to_read_is_refused_in_words() -> None:
    # Python refuses integers of more than 4,300 digits with a ValueError of its own.
    with pytest.raises(jsontext.Unreadable) as found:
        jsontext.read('{"year": ' + "9" * 5000 + "}")
    assert found.value.failure is jsontext.Failure.NUMBER
    assert "holds a number too long or too large to read" in found.value.in_file("export.json")
