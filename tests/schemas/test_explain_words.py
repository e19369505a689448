"""How schema findings are worded for editors (heritage specialists, not programmers): each
field as they know it, list items counted from 1, one finding for one mistake, no hint that
would not fix it, no jargon, one quoting style a language. Found by an outside review."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest

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


# --- item 5: one finding for one mistake, and no hint that would not fix it -----------------------


def _set(pointer: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(record: dict[str, Any]) -> None:
        node: Any = record
        *parents, last = pointer.strip("/").split("/")
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[int(last) if isinstance(node, list) else last] = value

    return edit


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_a_number_outside_the_allowed_values_is_one_finding_with_no_hint_to_quote_it(
    lang: str,
) -> None:
    """`status: 5`: "5" is not allowed either, so quoting it fixes nothing."""
    (error,) = _errors(_set("/status", 5), lang)
    assert error.rule == "schema.enum" and error.hint is None
    assert "active, retired, merged" in error.message


def test_an_empty_status_is_one_finding_that_says_it_is_empty() -> None:
    (error,) = _errors(_set("/status", None))
    assert error.message == (
        "`status` (Status in the inventory) is empty; it must be one of the allowed values: "
        "active, retired, merged"
    )


def test_a_list_where_one_value_belongs_is_told_without_json() -> None:
    (error,) = _errors(_set("/status", ["active"]))
    assert error.rule == "schema.enum"
    assert "[" not in error.message and "not a list" in error.message
    assert error.hint == "write the value itself, not a list: `status: active`"


def test_quotes_are_offered_only_where_they_fix_the_value() -> None:
    (error,) = _errors(_set("/provenance/sources/1/row", 2))
    assert error.hint == "put the value in quotes to keep it as text"
    (error,) = _errors(_set("/id", 2013))  # "2013" is no id either
    assert error.rule == "schema.type" and error.hint is None


def test_a_number_written_as_text_is_offered_to_lose_its_quotes() -> None:
    (error,) = _errors(_set("/unesco/0/year", "2016"))
    assert error.hint == "write the number without quotation marks"
    for text in ("two thousand", "\u0662\u0660\u0661\u0666", "2_016", "nan"):
        (error,) = _errors(_set("/unesco/0/year", text))  # YAML reads none of them as a number
        assert error.hint is None, text


# --- item 6: plain words, one quoting style a language --------------------------------------------

_JARGON = {"en": ("mapping", "null", "JSON"), "kk": ("mapping", "карта", "null"),
           "ru": ("mapping", "отображени", "null")}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
@pytest.mark.parametrize(
    ("pointer", "value"),
    [("/names", "Құсбегілік"), ("/names", ["Құсбегілік"]), ("/access", "level public"),
     ("/status", None), ("/viability/status", None), ("/provinces", None)],
)  # fmt: skip
def test_no_jargon(lang: str, pointer: str, value: Any) -> None:
    said = " ".join(_said(_errors(_set(pointer, value), lang)))
    assert said and not any(word in said for word in _JARGON[lang]), said


def test_a_mapping_of_languages_is_told_how_to_write_it() -> None:
    (error,) = _errors(_set("/names", "Құсбегілік"))
    assert error.message.startswith("`names` (Names) must be a group of fields")
    assert error.hint is not None and "`kk: …`" in error.hint


def test_a_repeated_entry_of_fields_is_not_shown_as_json() -> None:
    errors = _errors(_set("/domains", ["knowledge-nature", {"x": 1}, {"x": 1}]))
    (error,) = [e for e in errors if e.rule == "schema.uniqueItems"]
    assert error.message.endswith(": item 3 is the same as item 2")
    assert "{" not in " ".join(_said(errors))


@pytest.mark.parametrize(("lang", "marks"), [("en", '"'), ("kk", "«»"), ("ru", "«»")])
def test_one_kind_of_quotation_marks_in_a_line(lang: str, marks: str) -> None:
    """`"performing-art" … did you mean 'performing-arts'?`: two kinds in one line."""
    (error,) = _errors(_set("/domains/0", "performing-art"), lang)
    line = f"{error.message}; {error.hint}"
    used = {mark for mark in "'\"«»" if mark in line}
    assert used == set(marks), line
    assert "performing-arts" in (error.hint or "")


# --- item 3: a field moved one level ----------------------------------------------------------------


def _move_up(name: str) -> Callable[[dict[str, Any]], None]:
    def edit(record: dict[str, Any]) -> None:
        record[name] = record["viability"].pop(name)

    return edit


@pytest.mark.parametrize("name", ["threats", "notes"])
def test_a_field_moved_out_of_its_mapping_is_told_where_it_belongs(name: str) -> None:
    """`threats` got "did you mean `status`?", `notes` "did you mean `names`?"."""
    (error,) = _errors(_move_up(name))
    assert error.message == f"unknown field `{name}` in the record"
    assert error.hint == f"`{name}` belongs inside `viability`; check its indentation"


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_a_field_indented_under_another_is_told_where_it_belongs(lang: str) -> None:
    """`transmission` under `description` got "allowed fields: " and nothing after it."""

    def edit(record: dict[str, Any]) -> None:
        record["description"]["transmission"] = record.pop("transmission")

    (error,) = _errors(edit, lang)
    assert error.hint and "`transmission`" in error.hint and not error.hint.endswith(": ")
    if lang == "en":
        assert error.hint == (
            "`transmission` belongs at the top level of the record; check its indentation"
        )


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_an_unknown_language_key_is_told_what_belongs_there(lang: str) -> None:
    def edit(record: dict[str, Any]) -> None:
        record["description"]["english"] = record["description"].pop("en")

    (error,) = _errors(edit, lang)
    assert error.hint and error.hint.strip() and "kk" in error.hint and "en" in error.hint


# --- item 7: a field name typed with Cyrillic letters -------------------------------------------


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_a_field_name_with_cyrillic_look_alikes_says_which_letters_are_cyrillic(
    lang: str,
) -> None:
    """`соnsent` (Cyrillic с and о) got "did you mean `consent`?", which looks the same, and
    "`consent` is missing" besides."""
    key = "\u0441\u043ensent"  # соnsent

    def edit(record: dict[str, Any]) -> None:
        record[key] = record.pop("consent")

    (error,) = _errors(edit, lang)  # no "`consent` is missing"
    assert error.rule == "schema.additionalProperties"
    assert "U+0441" in error.message and "U+043E" in error.message
    assert error.hint and "`consent`" in error.hint
    if lang == "en":
        assert 'Cyrillic "с" (U+0441)' in error.message
        assert error.hint == "retype it in Latin letters: `consent`"


def test_a_typo_of_a_required_field_is_one_finding() -> None:
    def edit(record: dict[str, Any]) -> None:
        record["communities"][0]["nam"] = record["communities"][0].pop("name")

    (error,) = _errors(edit)
    assert error.hint == "did you mean `name`?"


# --- item 2: a date in another form is told the form expected ---------------------------------


@pytest.mark.parametrize("value", ["12.03.2024", "2024-3-12", "2024/03/12", "12/03/2024"])
def test_a_date_written_otherwise_is_quoted_and_told_the_form(value: str) -> None:
    """(Assessed on): … is not in the expected form: the date was taken for a phone number,
    and the form was not said."""
    (error,) = _errors(_set("/viability/assessed", value))
    assert error.message == (
        f'`viability.assessed` (Assessed on): "{value}" is not a date written YYYY-MM-DD'
    )
    assert error.hint == "write it YYYY-MM-DD, for example 2024-03-12"


def test_a_province_id_in_small_letters_is_told_to_use_capitals() -> None:
    (error,) = _errors(_set("/provinces/0", "kz-10"))
    assert error.message.endswith('"kz-10" is not a province identifier')
    assert error.hint == "write it in capital letters"


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_the_schema_rules_are_summed_up_without_jargon(lang: str) -> None:
    """The summaries `validate --format sarif` and the rules page give of schema rules."""
    i18n.use(lang)
    try:
        said = [i18n._(text) for text in explain.SCHEMA_RULES.values()]
    finally:
        i18n.use(None)
    assert not [
        text for text in said if any(word.lower() in text.lower() for word in _JARGON[lang])
    ]
