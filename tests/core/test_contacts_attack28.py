"""Contacts an outside attack (the session of 7 December 2026) found passed by validate as none,
and what it found warned of for nothing."""

from __future__ import annotations

import pytest

from ichinv.core import contacts


def _warned_and_hidden(text: str) -> None:
    """`text` is warned of, `log` and the messages hide it, and what they print is no contact."""
    assert contacts.sure_contact(text), text
    assert contacts.may_be_contact(text), text
    hidden = contacts.without_contacts(text)
    assert hidden != text and not contacts.sure_contact(hidden), (text, hidden)


@pytest.mark.parametrize(
    "text",
    [
        "Telegram: aigulkz",
        "WhatsApp: aigulkz",
        "Viber: aigulkz",
        "Skype:aigulkenzhe",
        "\u0422\u0435\u043b\u0435\u0433\u0440\u0430\u043c: aigulkz",  # Телеграм
        "INSTAGRAM: AigulKZ.",
        "Telegram: aigulkz, WhatsApp: aigulkenzhe",
        "Telegram: aigulkz or Instagram: aigulkenzhe",
        "Telegram: aigulkz\nthe next text",
        "contact via VK: aigulkz; photos of 2023",
    ],
)
def test_a_handle_of_letters_only_after_a_messengers_name_and_a_colon_is_a_contact(
    text: str,
) -> None:
    _warned_and_hidden(text)


@pytest.mark.parametrize(
    "text",
    [
        "Telegram channel of the festival",
        "Telegram channel",
        "the festival's Telegram: channel, Instagram: none",
        "Interviews held via Skype: notes added",
        "Telegram: the festival's channel",
        "Telegram - festival",  # no colon: a handle of letters only is no handle
        "\u0422\u0435\u043b\u0435\u0433\u0440\u0430\u043c: \u043a\u0430\u043d\u0430\u043b",
    ],
)
def test_a_word_after_a_messengers_name_is_no_handle_but_right_after_its_colon(text: str) -> None:
    assert not contacts.sure_contact(text)
