"""Contacts an outside attack found passed by validate as none, and printed as links by the
site, public packets and `show`: percent-encoded in a web address or in free text, and a
messenger's or social network's host written with a dot after it, `www.`, a port, or
Telegram's form with the handle as the host's first part (fictitious data)."""

from __future__ import annotations

import pytest

from ichinv.core import contacts
from ichinv.inventory import contact_texts
from tests.support import reading_data as d
from tests.support.helpers import judged_in_linear_time

ENCODED = [
    "https://t.me/%61igul_k",
    "https://wa.me/%2B77000000000",
    "https://api.whatsapp.com/send?phone=%2B77000000000",
    "https://example.org/redirect?to=https%3A%2F%2Ft.me%2Faigul_k",
    "See https://example.org/?tel=%2B77000000000 for bookings",
    "https://example.org/book?phone=%2B7%20700%20000%2000%2000",
    "https://example.org/call/%2B7-700-000-00-00",
    "Dial tel:%2B77000000000 now",
    "Phone: %2B77000000000",
    "https://example.org/form?e=aigul%40example%2Eorg",
    "https://example.org/form?email=aigul%2540example.org",  # encoded twice
]
HOSTS = [
    "https://t.me./aigul_k",
    "https://vk.com./aigul_k",
    "https://instagram.com./aigul.k",
    "https://www.t.me/aigul_k",
    "https://t.me:443/aigul_k",
    "https://aigul_k.t.me",
    "See https://aigul_k.t.me/ for lessons",
]
CONTROLS = [
    "https://wa.me/77000000000",
    "https://T.ME/aigul_k",
    "https://telegram.me/aigul_k",
    "https://m.vk.com/aigul_k",
    "www.instagram.com/aigul.k",
    "https://example.org/book?tel=+77000000000",
    "https://example.org/form?m=aigul%40example.org",
]
SHOWN = ("aigul", "%61igul", "77000000000", "000%2000", "%2B7", "t.me%2F")
"""What no output may print of the texts above: a handle, a number, their encoded forms."""


def _warned_hidden_and_withheld(text: str) -> None:
    """`text` is warned of, `log` and the messages hide it (what they print, decoded, is no
    contact either), and a public view withholds it, in a free text or as a source's address."""
    assert contacts.sure_contact(text), text
    assert contacts.may_be_contact(text) and contacts.holds_contact({"x": [text]}), text
    hidden = contacts.without_contacts(text)
    assert hidden != text and not contacts.sure_contact(hidden), (text, hidden)
    assert not contacts.may_be_contact(hidden), (text, hidden)
    assert not [part for part in SHOWN if part in hidden], (text, hidden)
    source = {"list": "other", "url": text}
    data = d.element("KZ-2026-0001", description={"en": text})
    data["provenance"] = {"entered": "2026-04-01", "sources": [source]}
    assert contact_texts.contact_texts(data, ["/contacts"]) == [
        "/description/en",
        "/provenance/sources/0/url",
    ]


@pytest.mark.parametrize("text", ENCODED)
def test_a_contact_percent_encoded_is_warned_of_hidden_and_withheld(text: str) -> None:
    _warned_hidden_and_withheld(text)


@pytest.mark.parametrize("text", HOSTS)
def test_a_messengers_host_with_a_dot_www_a_port_or_the_handle_first_is_a_contact(
    text: str,
) -> None:
    _warned_hidden_and_withheld(text)


@pytest.mark.parametrize("text", CONTROLS)
def test_the_forms_told_before_are_told_still(text: str) -> None:
    _warned_hidden_and_withheld(text)


@pytest.mark.parametrize(
    "text",
    [
        "https://ru.wikipedia.org/wiki/%D0%90%D0%B9%D1%82%D1%8B%D1%81",
        "https://web.archive.org/web/20170510034454/https://example.org/page%201",
        "https://example.org/search?q=%D0%B0%D0%B9%D1%82%D1%8B%D1%81+2019&page=2",
        "https://example.org/a%20b/c%2Fd?x=%25",
        "Discount 50% off, 25%25 of it",
        "https://www.t.me",
        "https://t.me/nmrk_kz/707",
        "https://example.org/t.me/",
        "https://t.me.example.org/aigul_k",
    ],
)
def test_an_encoded_address_or_host_holding_no_contact_is_none(text: str) -> None:
    assert not contacts.sure_contact(text), text


def test_the_encoded_forms_and_hosts_are_told_in_linear_time() -> None:
    judged_in_linear_time(
        (
            "%2B" * 10_000,
            "%25" * 10_000,
            "%2B7%20" * 5_000,
            "%61 " * 8_000,
            "https%3A%2F%2Ft.me%2F" * 1_500,
            "t.me." * 5_000,
            "a.t.me" * 5_000,
            "a" * 25_000 + ".t.me",
            "t.me:443" * 3_000,
            "www.t.me/" * 3_000,
            "vk.com.:1/" * 3_000,
        )
    )
