"""Counting by a fixed vocabulary: every other value in one row that names none of them."""

from __future__ import annotations

from ichinv.core.tally import NOT_IN_VOCABULARY, Gender, tally
from ichinv.core.vocabulary import is_province_id

EMAIL = "zhanar@example.org"


def test_words_in_their_order_absent_values_and_all_else_in_one_row() -> None:
    values = ["male", None, EMAIL, "female", 42, ["female"], "female", None]
    assert tally(values, Gender, absent="not-stated") == {
        "female": 2,
        "male": 1,
        "not-stated": 2,
        NOT_IN_VOCABULARY: 3,
    }
    assert list(tally(values, Gender, absent="not-stated")) == [
        "female",
        "male",
        "not-stated",
        NOT_IN_VOCABULARY,
    ]


def test_every_word_listed_when_asked_and_none_outside_unless_counted() -> None:
    assert tally(["male"], Gender, every=True) == {
        "female": 0,
        "male": 1,
        "other": 0,
        "not-stated": 0,
    }
    assert tally([None], ["a"], absent="none", every=True) == {"a": 0, "none": 1}
    assert tally([None, None], ["a"]) == {}


def test_an_open_vocabulary_counts_only_what_has_its_form() -> None:
    assert tally(["KZ-23", EMAIL, "KZ-11", "KZ-23", "kz-23"], form=is_province_id) == {
        "KZ-11": 1,
        "KZ-23": 2,
        NOT_IN_VOCABULARY: 2,
    }


def test_the_key_of_the_other_row_is_no_word_it_may_stand_for() -> None:
    assert tally([NOT_IN_VOCABULARY], form=lambda text: True) == {NOT_IN_VOCABULARY: 1}
