"""A phone number whose plus follows a word with no space (`Aigul+77000000000`, `tel+7…`) is
one: an outside review found it printed by every public output, unwarned. Digits glued to a
word stay no phone number (`Aigul87000000000` reads as an identifier), nor does a plus in a
sum or a query (`dombra+2024`)."""

from __future__ import annotations

import pytest

from ichinv.core.contacts import sure_contact, without_contacts

GLUED = (
    "Call Аigul+77000000000 before a visit.",
    "Айгүл+77000000000",
    "tel+77000000000",
    "WhatsApp+77000000000",
    "Aigul+7(700)0000000",
    "x+4930123456789",
)


@pytest.mark.parametrize("text", GLUED)
def test_a_phone_number_glued_by_its_plus_to_a_word_is_one(text: str) -> None:
    assert sure_contact(text)
    assert "0000000" not in without_contacts(text)


@pytest.mark.parametrize(
    "text", ["Aigul87000000000", "dombra+2024", "q=dombra+2016+2017", "C++ and 2024", "a+b=12"]
)
def test_no_phone_number_is_read_into_a_plus_of_a_sum_or_digits_of_a_word(text: str) -> None:
    assert not sure_contact(text)
