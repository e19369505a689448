"""A date written as editors write dates is no contact, as a whole value: messages quote it.

Found by an outside review: `assessed: 12.03.2024` (or `2024-3-12`, `2024/03/12`) was told as
"(Assessed on): … is not in the expected form", and `2024-02-30` as "'…' is not a date in the
calendar": `may_be_contact` took a whole value in those forms for a phone number, where
`without_contacts` keeps a dotted date of free text. A phone number stays one, whatever
dates stand beside it or however it is typed into a date's form.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ichinv.core import contacts
from ichinv.core.quoted import holds_contact, without_quoted_contacts

DATES = ["12.03.2024", "1.3.2024", "2024-3-12", "2024-03-12", "2024/03/12", "12/03/2024",
         "2024-02-30", "31.12.1999", " 12.03.2024 "]  # fmt: skip


@pytest.mark.parametrize("value", DATES)
def test_a_whole_value_written_as_a_date_is_no_contact(value: str) -> None:
    assert contacts.written_date(value)
    assert not contacts.may_be_contact(value)
    assert not holds_contact(value)
    said = f"the value {value!r} is not a date written YYYY-MM-DD"
    assert without_quoted_contacts(said) == said


@pytest.mark.parametrize(
    "value",
    [
        "8.701.1234",
        "12.13.2024",  # no month 13
        "00.03.2024",  # no day 0
        "+7 12.03.2024",
        "12.03.2024 8 701 123 45 67",
        "8 701 123 45 67",
        "8/701/123/45/67",
        "12.03.20245",
        "2024-03-12-45",
        "87011234567",
    ],
)
def test_a_phone_number_is_no_date(value: str) -> None:
    assert not contacts.written_date(value)
    assert contacts.may_be_contact(value), value
    assert holds_contact(value), value


@pytest.mark.parametrize("value", ["7011-23-45", "8701-12-34"])
def test_a_phone_number_typed_into_a_dates_form_is_not_quoted(value: str) -> None:
    """(An attack: no month 23, no year 8701.) A message does not quote it."""
    assert not contacts.written_date(value)
    assert holds_contact(value) and "…" in without_quoted_contacts(f"the value {value!r}")


_PIECES = st.sampled_from(
    ["1", "2", "7", "8", "0", "12", "03", "2024", "701", "+", "+7", " ", ".", "/", "-", "(", ")"]
)


@given(st.lists(_PIECES, max_size=10).map("".join))
def test_law_what_reads_as_a_date_is_no_phone_number(text: str) -> None:
    """A text `written_date` passes holds eight digits at most, no `+`, nothing validate warns
    of; a text validate warns of is never passed as a date."""
    if contacts.written_date(text):
        assert len(re.findall("[0-9]", text)) <= 8 and "+" not in text, text
        assert not contacts.sure_contact(text), text
    if contacts.sure_contact(text):
        assert contacts.may_be_contact(text) and holds_contact(text), text
