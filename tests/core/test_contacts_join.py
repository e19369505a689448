"""A record's texts are searched for contacts joined (`may_hold_sure_contact`): whatever ends
the text before a contact or opens the one after it, the join still holds the contact.

An outside review found a number ending one text (`inv. № 0049`) read with the phone number
opening the next as one inventory number: the phone number was neither warned of by
`validate` nor withheld from the public.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ichinv.core.contacts import may_hold_sure_contact, sure_contact
from tests.support.helpers import examples

CONTACTS = (
    "8 700 000 00 00",
    "+7 700 000 00 00 — Aigul",
    "(7172) 12-34-56",
    "тел. 12-34-56",
    "0049 30 1234567",
    "aigul@example.org",
    "aigul(at)example.org",
    "aigul собака mail точка ru",
    "t.me/aigul_k",
    "Telegram: aigul_k6",
)
"""Fictitious contacts of the forms `sure_contact` takes, each as a text of its own."""

NEIGHBOURS = (
    "Inv. № 0049",
    "инв. № 007",
    "No. 00",
    "№ 001",
    "ISBN 0075 6160",
    "Fund 12-34",
    "2025-05-14",
    "+7",
    "8 700",
    "Telegram:",
    "aigul at",
    "mail dot",
    "https://",
    "(",
    "@",
    "—",
    "",
)
"""Ends and openings of texts that could be read with a contact beside them."""

NEIGHBOUR = st.one_of(st.sampled_from(NEIGHBOURS), st.text(max_size=20))


def test_each_contact_is_one() -> None:
    assert all(sure_contact(contact) for contact in CONTACTS)


@given(before=NEIGHBOUR, contact=st.sampled_from(CONTACTS), after=NEIGHBOUR)
@settings(max_examples=examples(300, 3000), deadline=None)
@example(before="Akyns whose recordings are in the museum fund, inv. № 0049", contact=CONTACTS[0],
         after="")  # fmt: skip
def test_law_a_contact_is_found_whatever_texts_stand_beside_it(
    before: str, contact: str, after: str
) -> None:
    assert may_hold_sure_contact([before, contact, after])


def test_every_neighbour_before_and_after_every_contact() -> None:
    for contact in CONTACTS:
        for before in NEIGHBOURS:
            for after in NEIGHBOURS:
                assert may_hold_sure_contact([before, contact, after]), (before, contact, after)
