"""Hosts that name a user by their first label (`aigulkz.livejournal.com`, `aigul_k.t.me`):
the label is a contact wherever the host is written, and the host alone is none."""

from __future__ import annotations

import pytest

from ichinv.core import contacts
from tests.support.helpers import judged_in_linear_time


@pytest.mark.parametrize(
    "text",
    [
        "https://www.aigulkz.livejournal.com/",
        "www.aigulkz.livejournal.com",
        "blog.aigulkz.livejournal.com",
        "https://m.aigul_k6.t.me/",
        "see www.aigul_k6.t.me",
        "x" * 70 + "aigul_k6.t.me",  # a label longer than the 64 characters looked at first
    ],
)
def test_a_users_label_after_another_label_is_warned_of_and_hidden(text: str) -> None:
    """Found by a property test: with `www.` or another label before it, the user's label
    was neither warned of by validate nor hidden from public output."""
    assert contacts.sure_contact(text), text
    hidden = contacts.without_contacts(text)
    assert "aigul" not in hidden and not contacts.may_be_contact(hidden), (text, hidden)


@pytest.mark.parametrize(
    "text",
    [
        ".t.me/",
        "see .t.me/ab",
        ".livejournal.com",
        "www.t.me",
        "https://m.t.me/",
        "WWW.livejournal.com",
    ],
)
def test_the_host_with_no_users_label_is_no_contact(text: str) -> None:
    """`.t.me/` alone was taken for what may be a contact and yet shown as it was: the law
    that what without_contacts shows holds nothing that may be one failed on it."""
    assert not contacts.may_be_contact(text), text
    assert contacts.without_contacts(text) == text


def test_long_labels_are_judged_in_linear_time() -> None:
    judged_in_linear_time(
        ["a" * 50_000 + ".t.me " + "b-" * 25_000 + ".livejournal.com", "a.t.me" * 10_000]
    )
