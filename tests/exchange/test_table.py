"""The spreadsheet form of records (ichinv.table): every value survives a cell."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ichinv.exchange import table
from ichinv.exchange.table import ABSENT, CellKind, Column

TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r") | st.just("\n"),
    min_size=1,
).filter(lambda s: s.strip())
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), TEXT)
JSONISH = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


def roundtrip(value: Any, kind: CellKind) -> Any:
    column = Column(("field",), kind)
    return table.decode(table.encode(value, column), column)


@given(TEXT)
def test_text(value: str) -> None:
    assert table.same(roundtrip(value, CellKind.TEXT), value)


@given(st.integers())
def test_integer(value: int) -> None:
    assert roundtrip(value, CellKind.INTEGER) == value


@given(st.booleans())
def test_boolean(value: bool) -> None:
    assert roundtrip(value, CellKind.BOOLEAN) is value


@given(st.lists(TEXT, max_size=5))
def test_list_of_texts(value: list[str]) -> None:
    assert roundtrip(value, CellKind.LIST) == value


@given(JSONISH)
def test_json(value: Any) -> None:
    back = roundtrip(value, CellKind.JSON)
    assert back == (ABSENT if value is None else value)


@given(st.dates())
def test_date(value: Any) -> None:
    assert roundtrip(value.isoformat(), CellKind.DATE) == value.isoformat()


def test_simple_lists_read_like_people_write_them() -> None:
    column = Column(("domains",), CellKind.LIST)
    assert (
        table.encode(["craftsmanship", "performing-arts"], column)
        == "craftsmanship; performing-arts"
    )
    assert table.decode("craftsmanship ;performing-arts;", column) == [
        "craftsmanship",
        "performing-arts",
    ]
    assert table.decode('["a; b", "c"]', column) == ["a; b", "c"]
    assert table.encode(["a; b", "c"], column) == '["a; b", "c"]'
    assert table.encode([], column) == "[]"


def test_spreadsheet_forms_of_dates_and_booleans() -> None:
    date = Column(("viability", "assessed"), CellKind.DATE)
    assert table.decode("14.05.2025", date) == "2025-05-14"
    assert table.decode("2025-05-14 00:00:00", date) == "2025-05-14"
    with pytest.raises(table.CellError):
        table.decode("31.02.2025", date)
    flag = Column(("provenance", "illustrative"), CellKind.BOOLEAN)
    assert table.decode("TRUE", flag) is True
    with pytest.raises(table.CellError, match="not true or false"):
        table.decode("maybe", flag)


def test_bad_cells_say_why() -> None:
    with pytest.raises(table.CellError, match="not valid JSON"):
        table.decode('[{"name": "x"', Column(("communities",), CellKind.JSON))
    # Read as JSON these are a string no record can hold (it is not Unicode: the import ended
    # in exit 3 when the record was written) and a float the schema's numbers do not mean.
    with pytest.raises(table.CellError, match="no Unicode character"):
        table.decode('[{"name": "x\\ud800"}]', Column(("communities",), CellKind.JSON))
    with pytest.raises(table.CellError, match="NaN or Infinity"):
        table.decode("[NaN]", Column(("communities",), CellKind.LIST))
    for number in ("1" + "0" * 5000, "-1" + "0" * 100, "1e999"):  # 5,000 digits: exit 3 before
        with pytest.raises(table.CellError, match="a number too long or too large"):
            table.decode(f'[{{"year": {number}}}]', Column(("unesco",), CellKind.JSON))
    assert table.decode('[{"year": 2024}]', Column(("unesco",), CellKind.JSON)) == [{"year": 2024}]
    assert table.decode('["\\ud83d\\ude00"]', Column(("communities",), CellKind.LIST)) == ["😀"]
    with pytest.raises(table.CellError, match="not a whole number"):
        table.decode("1.5", Column(("schema_version",), CellKind.INTEGER))


def test_an_empty_cell_is_an_absent_field() -> None:
    assert table.decode("  ", Column(("names", "en"), CellKind.TEXT)) is ABSENT
    assert table.encode(ABSENT, Column(("names", "en"), CellKind.TEXT)) == ""


def test_a_lost_final_line_break_is_no_change() -> None:
    assert table.same("Two\nlines", "Two\nlines\n")
    assert not table.same("Two\nlines.", "Two\nlines\n")
    assert not table.same(1, True)


@given(st.text())
def test_formula_guard_is_undone_exactly(cell: str) -> None:
    guarded = table.guard_formula(cell)
    assert not guarded.startswith(table.FORMULA_START)
    assert table.unguard(guarded) == cell


def test_columns_follow_the_schema_and_keep_unknown_fields() -> None:
    from ichinv.core.model import RecordKind
    from ichinv.schemas import loader as schemas
    from tests.support.helpers import REPO_ROOT

    schema = schemas.load(REPO_ROOT / "schema")[RecordKind.ELEMENT]
    records = [{"id": "KZ-2026-0001", "names": {"kk": "а", "ru": "б", "uz": "c"}, "odd": 1}]
    names = [c.name for c in table.columns(schema, records)]
    assert names[:6] == [
        "id",
        "schema_version",
        "names.kk",
        "names.ru",
        "names.en",
        "names.kk-Latn",
    ]
    assert "names.uz" in names and "odd" in names
    assert names.index("consent.status") < names.index("access.level") < names.index("contacts")
    kinds = {c.name: c.kind for c in table.columns(schema)}
    assert kinds["domains"] is CellKind.LIST
    assert kinds["communities"] is CellKind.JSON
    assert kinds["viability.assessed"] is CellKind.DATE
    assert kinds["provenance.illustrative"] is CellKind.BOOLEAN
    assert kinds["description.kk"] is CellKind.TEXT


def test_header_names_unknown_columns_with_a_suggestion() -> None:
    known = [
        Column(("consent", "status"), CellKind.TEXT),
        Column(("description", "en"), CellKind.TEXT),
    ]
    assert table.resolve_header(["description.kk-Latn"], known)[0].path == (
        "description",
        "kk-Latn",
    )
    with pytest.raises(table.CellError, match="did you mean 'consent.status'"):
        table.resolve_header(["consent.statu"], known)
    with pytest.raises(table.CellError, match="appears twice"):
        table.resolve_header(["consent.status", "consent.status"], known)


def test_a_list_cell_holding_json_texts_reads_them_without_quote_marks() -> None:
    # An outside attack: `"felt"` (export's cell for a list field holding a text) read back
    # as the item `'"felt"'`.
    column = Column(("characteristics", "tangible_elements"), CellKind.LIST)
    assert table.decode('"felt"', column) == ["felt"]
    assert table.decode('"felt; wool"', column) == ["felt; wool"]
    assert table.decode('"felt"; wool;""', column) == ["felt", "wool"]
    assert table.decode('"Alasha" carpets', column) == ['"Alasha" carpets']
    assert table.encode(['"felt"', "wool"], column) == '["\\"felt\\"", "wool"]'
    assert table.unedited('"felt"', "felt", column)
    assert not table.unedited('"wool"', "felt", column)


def test_a_cell_is_named_by_its_id_and_field_or_else_by_its_numbers() -> None:
    # A too-long cell's message (xlsx and CSV exports) names the row and the column: neither
    # a cell that is no id nor a header that is no field name is quoted (it may be a contact).
    header = ["id", "description.en", "aigul@example.org"]
    assert table.cell_place(header, ["KZ-2013-0002", "x", "y"], 3, 2) == (
        "KZ-2013-0002",
        "description.en",
    )
    assert table.cell_place(header, ["+7 700 000 00 00", "x", "y"], 3, 3) == ("row 3", "3")
