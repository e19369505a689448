"""JSON pointers (RFC 6901): the one module that splits, joins and follows them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ichinv.core import pointers

DATA = {
    "locations": [{"place": "the hill"}, {"place": "the square"}],
    "notes": {"a/b": 1, "c~d": 2, "": 3},
}


def test_keys_with_slashes_and_tildes_survive_a_round_trip() -> None:
    assert pointers.split("/notes/a~1b") == ["notes", "a/b"]
    assert pointers.split("/notes/c~0d") == ["notes", "c~d"]
    assert pointers.join(["notes", "a/b", 0]) == "/notes/a~1b/0"
    assert pointers.split("") == []


@given(st.lists(st.text(max_size=8), max_size=5))
def test_split_undoes_join(keys: list[str]) -> None:
    assert pointers.split(pointers.join(keys)) == keys


def test_an_empty_key_is_a_key() -> None:
    # The looser splitters this module replaced read //x as /x: a restricted part "//x" must
    # name nothing in a record without an empty key, so that the record fails closed.
    assert pointers.split("//x") == ["", "x"]
    assert pointers.at(DATA, "/notes/") == 3
    assert list(pointers.matches({"x": "secret"}, "//x")) == []


def test_at_follows_list_indices_as_rfc_6901_writes_them() -> None:
    assert pointers.at(DATA, "/locations/1/place") == "the square"
    assert pointers.at(DATA, "/locations/01/place") is pointers.MISSING
    assert pointers.at(DATA, "/locations/2") is pointers.MISSING
    assert pointers.at(DATA, "/notes/0") is pointers.MISSING


def test_text_that_is_not_a_pointer_names_nothing() -> None:
    assert pointers.at(DATA, "locations") is pointers.MISSING
    assert list(pointers.matches(DATA, "locations")) == []
    with pytest.raises(ValueError):
        pointers.split("locations")


def test_matches_expands_wildcards_over_items_and_keys() -> None:
    assert list(pointers.matches(DATA, "/locations/*/place")) == [
        ("/locations/0/place", "the hill"),
        ("/locations/1/place", "the square"),
    ]
    assert [p for p, _ in pointers.matches(DATA, "/notes/*")] == [
        "/notes/a~1b",
        "/notes/c~0d",
        "/notes/",
    ]


def test_pattern_top_within_and_overlaps() -> None:
    assert pointers.pattern(["locations", 3, "place"]) == "/locations/*/place"
    assert pointers.top("/safeguarding/0/measure") == "safeguarding"
    assert pointers.within("/a/b", "/a") and not pointers.within("/ab", "/a")
    assert pointers.overlaps("/a", "/a/b") and pointers.overlaps("/a/b", "/a")
    assert not pointers.overlaps("/a/b", "/a/c")


def test_texts_lists_every_text_with_its_pointer() -> None:
    assert sorted(pointers.texts(DATA)) == [
        ("/locations/0/place", "the hill"),
        ("/locations/1/place", "the square"),
    ]


@given(
    st.recursive(
        st.none() | st.integers() | st.text(max_size=3),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.sampled_from(["a", "b", "*", "0", "a/b", "~"]), inner, max_size=3)
        ),
        max_leaves=12,
    ),
    st.lists(
        st.lists(st.sampled_from(["a", "b", "*", "0", "1", "01", "a~1b", "~0"]), max_size=3).map(
            lambda parts: "".join("/" + p for p in parts)
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_matches_each_finds_what_matches_finds_for_each_pattern(
    data: object, wanted: list[str]
) -> None:
    assert pointers.matches_each(data, tuple(wanted)) == [
        list(pointers.matches(data, w)) for w in wanted
    ]
