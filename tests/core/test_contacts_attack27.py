"""Contacts an outside attack (7 December 2026) found printed by `log` and the messages, passed
by validate, or warned of for nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ichinv.core import contacts
from ichinv.core.contact_patterns import MESSENGER_NAMES

_LINK_HOSTS = st.sampled_from(
    ["t.me/", "telegram.me/", "instagram.com/", "vk.com/", "x.com/", "linkedin.com/in/",
     "facebook.com/", "ok.ru/", "m.me/", "wa.me/", "vk.me/", "tiktok.com/@", "youtube.com/@",
     "twitter.com/", "T.ME/", "Instagram.com/"]
)  # fmt: skip
_LINK_STARTS = st.sampled_from(["", "", "https://", "http://", "www.", "https://www.", "@"])
_HANDLES = st.from_regex(r"[qjzQJZ][qjzQJZ0369_.]{2,12}[qjzQJZ0369_]", fullmatch=True)
"""A handle of letters and digits that no other part of the text holds (`q`, `j`, `z`, `3`…)."""
_NAMES = st.sampled_from(MESSENGER_NAMES).flatmap(
    lambda name: st.sampled_from([name, name.upper(), name.capitalize()])
)


@given(
    _NAMES,
    st.sampled_from([": ", " ", ":", " - ", " (", " = ", ":\u00a0"]),
    _LINK_STARTS,
    _LINK_HOSTS,
    _HANDLES,
    st.sampled_from(["", "/", ".", ",", ")", "/reels/", "?hl=en", " and more", ", Skype: "]),
)
def test_law_no_part_of_a_handle_in_a_link_after_a_messengers_name_is_printed(
    name: str, gap: str, start: str, host: str, handle: str, end: str
) -> None:
    """An outside attack: `Telegram: t.me/aigulkz` was printed `Telegram: …/aigulkz` (the name's
    pattern took the host for the handle, and hid no more): whatever link follows a messenger's
    name, `log` and the messages print nothing of the person it names."""
    text = f"Agreed with the bearer, {name}{gap}{start}{host}{handle}{end}"
    shown = contacts.without_contacts(text)
    assert not set(handle.lower()) & set(shown.lower()) - set(text.replace(handle, "").lower()), (
        text,
        shown,
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "Instagram: instagram.com/aigul.kenzhe and Telegram: t.me/aigul_k",
            "Instagram: … and Telegram: …",
        ),
        (
            "Agreed with the bearer, Telegram: t.me/aigulkz8, Skype: vk.com/aigul.kenzhe",
            "Agreed with the bearer, Telegram: …, Skype: …",
        ),
        ("(Skype: vk.com/aigulkz) and Telegram: aigul_k.", "(Skype: …) and Telegram: …."),
    ],
)
def test_a_link_after_a_messengers_name_is_hidden_whole(text: str, shown: str) -> None:
    assert contacts.without_contacts(text) == shown


@pytest.mark.parametrize(
    ("text", "sure"),
    [
        ("VK: aigul.kenzhe8", True),
        ("vk aigul_k", True),
        ("Facebook - aigul.kenzhe", True),
        ("TikTok: aigul.kenzhe8", True),
        ("WECHAT: aigul_k", True),
        ("\u0412\u041a: aigul_k8", True),  # ВК
        ("Facebook posts of 2023 and a VK group of the museum", False),
        ("https://vk.com/club123 and https://www.facebook.com/nmrk/posts/1", False),
    ],
)
def test_a_handle_after_a_social_networks_name_is_a_contact(text: str, sure: bool) -> None:
    assert contacts.sure_contact(text) is sure
    if sure:
        assert not contacts.sure_contact(contacts.without_contacts(text))


@pytest.mark.parametrize(
    ("text", "sure"),
    [
        # the +7 zone after an 8, Russia's codes too, and a four-digit area code
        ("call 8 (916) 123-45-67", True),
        ("8 912 345 67 89", True),
        ("8 (495) 123-45-67", True),
        ("8 3532 12-34-56", True),
        # digits a reader reads as digits, as log reads them
        ("\u2467 \u2466\u24ea\u2460 \u2460\u2461\u2462 \u2463\u2464 \u2465\u2466", True),
        ("\u277d \u277c\u24ff\u2776 \u2776\u2777\u2778 \u2779\u277a \u277b\u277c", True),
        ("\u2078 \u2077\u2070\u00b9 \u00b9\u00b2\u00b3 \u2074\u2075 \u2076\u2077", True),
        ("\u043c\u043e\u0431.: 701 1234567", True),  # моб.: a mobile code, then seven digits
        ("8 000 000 000 tenge, in 1995 8 400 000 people", False),
        ("\u2116 701 1234567", False),  # a number sign
    ],
)
def test_a_phone_number_as_people_write_one_is_a_contact(text: str, sure: bool) -> None:
    assert contacts.sure_contact(text) is sure
    if sure:
        assert not contacts.sure_contact(contacts.without_contacts(text))


@pytest.mark.parametrize(
    "text",
    [
        # a sum with a Kazakh case ending, or a word of millions after its digits
        "\u049a\u0430\u0440\u0436\u044b\u043b\u0430\u043d\u0434\u044b\u0440\u0443 +1 700 000 000 "
        "\u0442\u0435\u04a3\u0433\u0435\u0433\u0435 \u0430\u0440\u0442\u0442\u044b",  # теңгеге
        "+1 700 000 000 \u0442\u0435\u04a3\u0433\u0435\u0434\u0435\u043d",  # теңгеден
        "+1 700 000 000 \u0442\u0435\u04a3\u0433\u0435\u043d\u0456",  # теңгені
        "+1 700 000 000 \u043c\u043b\u043d, +2 500 000 000 \u043c\u043b\u0440\u0434",  # млн, млрд
        "+1 700 000 000 \u043c\u044b\u04a3",  # мың
        # a file's name with an @, of a sound, a video or a phone's photo
        "tokpe_kui@48kHz.wav, aitys_2019@1080p.mp4, IMG@2x.HEIC, kui@44k.flac, clip@4k.webm",
        # a book's, a shelf's or a catalogue's number
        "ISBN 7040123456",
        "\u0428\u0438\u0444\u0440 7011234567; \u0448\u0438\u0444\u0440 701 123 4567",  # Шифр
        "Catalogue number 7011234567, Cat. No 7011234567, Inv. No 7011234567",
        "\u0410\u0440\u0445. \u0448\u0438\u0444\u0440 701-123-4567; \u0410\u0440\u0445. 7011234567",
        # a site's name after ` at ` in prose
        "Its text is at adilet.zan.kz",
        "Ministry of Culture at gov.kz",
        "Documentation at ich.unesco.org",
        "A recording at kazakhkuis.kz",
        "Aitys of 2019 at khabar.kz",
        "Order No. 50 of 1 March 2013 is at adilet.zan.kz",
        "Decision of the ministry; photos at e-history.kz",
        "Information on COVID-19 at who.int",
    ],
)
def test_a_sum_a_files_name_a_catalogue_number_and_a_site_are_no_contact(text: str) -> None:
    """An outside attack: validate warned of these, and retire and merge refused them as a
    `--decision` (exit 2, with no way past)."""
    assert not contacts.sure_contact(text)


@pytest.mark.parametrize(
    "text",
    [
        "aigul at gmail.com",
        "aigul_n at gmail.com",
        "aigul.k at yahoo.co.jp",
        # no word of prose makes a host of personal mail a site
        "festival at gmail.com",
        "museum at mail.ru",
        "the concert at gmail.com",
        # a word asking to write before another host, or `dot` spelt out
        "E-mail: info at ich.kz",
        "\u044d\u043b. \u043f\u043e\u0447\u0442\u0430: info at ich.kz",  # эл. почта
        "write to aigul at example.org",
        "Contact: aigul88 at example.org",
        "aigul dot k at example.org",
        "aigul at example dot org",
        "phone 7011234567",
        "tel. 701 123 4567 (ISBN 7040123456)",
        "+7 701 555 12 34",
    ],
)
def test_an_address_written_out_and_a_phone_number_are_still_contacts(text: str) -> None:
    assert contacts.sure_contact(text)
    assert not contacts.sure_contact(contacts.without_contacts(text))
