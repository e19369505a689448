"""What surely is a contact in a record's texts, each text judged as itself (the contact tests
of free text in general are in test_vocabulary.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ichinv.core import contacts
from ichinv.inventory.audience import PUBLIC_TEXTS


@pytest.mark.parametrize(
    "texts",
    [
        # an outside attack: a record's texts were searched joined by NUL, which is no white
        # space, so an address at the end or the start of a text ran into the web address
        # beside it and was passed by as one's `@`
        [
            "District kui contest in Syrdarya district. Organiser aigul.k@mail.ru",
            "https://opennews.kz/culture/13599.html",
        ],
        ["https://opennews.kz/culture/13599.html", "aigul.k@mail.ru organised the contest."],
        # ... and a sign spelt out with a space in it joined two words the same way
        ["see https://x.org/(", "at)a.k@mail.ru"],
        ["aigul", "at at gmail.com"],
    ],
)
def test_a_contact_in_one_of_a_records_texts_is_found_beside_the_others(texts: list[str]) -> None:
    assert [contacts.sure_contact(text) for text in texts].count(True) == 1
    assert contacts.may_hold_sure_contact(texts)
    assert contacts.may_hold_sure_contact(reversed(texts))


def test_a_web_address_after_a_spaced_at_hides_no_address_in_the_same_text() -> None:
    assert contacts.sure_contact("see https://x.org/( at )a.k@mail.ru")


_TEXT_PIECES = st.sampled_from(
    ["aigul.k@mail.ru", "https://x.org/p", "https://x.org/(", "at)a.k@mail.ru", "@", "://",
     "aigul", "at", " at ", " at gmail.com", "(at)", "( at )", "mail.ru", "x", " ", "\n", "\t",
     "(", ")", ".", "+7 701 555 12 34", "+7", "8", "701 555 12 34", "t.me/aigul_k", "t.me/",
     "vk.com/", "aigul_k", "tg://", "resolve?domain=", "skype:", "\u200b"]
)  # fmt: skip


@given(st.lists(st.lists(_TEXT_PIECES, max_size=4).map("".join), min_size=1, max_size=4))
def test_law_a_contact_in_one_of_a_records_texts_is_found_in_all_of_them(
    texts: list[str],
) -> None:
    """`check_texts` settles a record with one search over its texts (`may_hold_sure_contact`),
    then judges each text as itself: the one search must find whatever one text holds,
    whatever stands beside it."""
    if any(contacts.sure_contact(text) for text in texts):
        assert contacts.may_hold_sure_contact(texts), texts


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # an outside attack: validate passed these, show and the site printed and linked them
        (
            "https://aigul.kenzhebayeva:Secr3tPass@opennews.kz/culture/13599.html",
            "https://opennews.kz/culture/13599.html",
        ),
        ("see http://aigul@opennews.kz, or", "see http://opennews.kz, or"),
        ("https://a:b@c@opennews.kz/?q=1#top", "https://opennews.kz/?q=1#top"),
        (
            "https://web.archive.org/web/2017/https://u:p@x.org/",
            "https://web.archive.org/web/2017/https://x.org/",
        ),
        # a review: written with backslashes, which a browser reads as slashes, validate
        # warned of them (as of an e-mail address), and public views printed them whole
        (
            "see https:\\\\aigul.k:Secr3tPass@host.example.org/x",
            "see https:\\\\host.example.org/x",
        ),
        (
            "see https:/\\aigul.k:Secr3tPass@host.example.org/x",
            "see https:/\\host.example.org/x",
        ),
        ("Http:\\/aigul@host.example.org", "Http:\\/host.example.org"),
        ("HTTPS:///AIGUL.K:SECR3TPASS@HOST.EXAMPLE.ORG/X", "HTTPS:///HOST.EXAMPLE.ORG/X"),
        ("HTTPS://AIGUL.K:SECR3TPASS@HOST.EXAMPLE.ORG/X", "HTTPS://HOST.EXAMPLE.ORG/X"),
        # ... and a login left out joins its scheme to none other
        ("https://a@/b@host.example.org/", "https:///host.example.org/"),
        # a review: with no slashes (`https:aigul:…@host`), a browser reads a login after the
        # schemes it reads backslashes in (WHATWG URL), and after tabs among the slashes, which
        # it drops; validate warned of these as of an e-mail address, public views printed them
        ("https:aigul:s3cret@example.org/archive", "https:example.org/archive"),
        ("see http:aigul@example.org, or", "see http:example.org, or"),
        ("WS:aigul:s3cret@example.org", "WS:example.org"),
        ("ftp:aigul:s3cret@example.org/x", "ftp:example.org/x"),
        ("https:\t//aigul:s3cret@example.org/archive", "https:\t//example.org/archive"),
        ("git:\t//aigul@example.org/repo", "git:\t//example.org/repo"),
        ("https:a@/b@example.org/", "https:/example.org/"),
        # and what holds none: an @ in a path, a query or a map's place, an address
        ("https:\\\\commons.wikimedia.org/wiki/File:Dombra@2x.png", None),
        ("https://commons.wikimedia.org/wiki/File:Dombra@2x.png", None),
        ("https://www.google.com/maps/@43.2567,76.9286,15z", None),
        ("https://x.org/?to=a#b@c", None),
        ("https://@opennews.kz/", None),
        ("https:example.org/File:Dombra@2x.png", None),
        ("mailto:aigul@example.org, git:aigul@example.org", None),  # an e-mail address
        ("aigul.k@mail.ru", None),
    ],
)
def test_a_web_addresses_user_name_and_password_are_a_contact_left_out_of_public_views(
    text: str, shown: str | None
) -> None:
    assert contacts.without_web_login(text) == (shown or text)
    assert contacts.web_login(text) is (shown is not None)
    if shown is not None:
        assert contacts.sure_contact(text) and contacts.may_be_contact(text)
        assert not contacts.sure_contact(shown)


@pytest.mark.parametrize(
    ("text", "sure"),
    [
        # a review: `log` hid these from a commit's subject, validate passed them in a text
        ("https://example.org/form?email=someone%40example.org", True),
        ("https://example.org/form?mail=someone@example.org&lang=kk", True),
        ("https://example.org/form#to=someone.else&#64;example.org", True),
        ("https:\\\\example.org/form?email=someone%40example.org", True),
        ("https://example.org/?v=2@2x, https://example.org/wiki/File:Dombra@2x.png", False),
        ("TELEGRAM: aigul_k6", True),
        ("WHATSAPP - leak.handle8", True),
        ("WhatsApp: aigul_k", True),
        ("tElEgRaM (aigul_k)", True),
        ("INSTAGRAM leak.handle8", True),
        ("\u0412\u0410\u0422\u0421\u0410\u041f 7000000041", True),  # ВАТСАП
        ("TELEGRAM: @handle", True),
        ("a TELEGRAM channel, INSTAGRAM posts of 2023 and WHATSAPP groups", False),
        # ... and what the law below found: a word of an address after a dot, which `log`
        # printed, and a contact behind a character no reader sees, which validate passed
        ("write to...aigul.k at example.org", True),
        ("Telegram:\u200baigul_k", True),
        ("+7\u200b700\u200b000\u200b00\u200b00", True),
        ("a" * 65 + " at example.org", False),  # no address's word is that long
    ],
)
def test_what_is_hidden_from_what_ichinv_prints_is_warned_of_in_a_records_texts(
    text: str, sure: bool
) -> None:
    assert contacts.sure_contact(text) is sure
    if sure:
        assert contacts.without_contacts(text) != text
        assert not contacts.sure_contact(contacts.without_contacts(text))


def test_a_contact_of_the_new_kinds_is_told_in_linear_time() -> None:
    """What a review added is looked for within bounds: a text near a record's size limit is
    judged in well under a second."""
    import time

    for hostile in (
        "https:" + "\\" * 100_000,
        "https:/a" * 30_000,
        "https:\\x?" + "a%40" * 50_000,
        "https://x/?" + "a@" * 50_000,
        "https://x/?a@" + "b." * 50_000,
        "M" * 100_000,
        "TELEGRAM " * 20_000,
        "\u0422\u0415\u041b\u0415\u0413\u0420\u0410\u041c " * 20_000,
        # a login after a scheme with no slashes, its host looked for once (a review)
        "https:a" * 30_000 + "/@",
        "ws:" * 60_000 + "/@a",
        "https:\t" * 30_000 + "@",
    ):
        started = time.perf_counter()
        contacts.sure_contact(hostile)
        contacts.without_web_login(hostile)
        assert time.perf_counter() - started < 1.0, hostile[:20]


def test_a_public_view_leaves_out_web_logins_in_linear_time() -> None:
    """An outside review: each `@/` after a scheme was left out by a pass of its own over the
    whole text, so a 200 KB text of `a@/` took `show` 17 s, and a record of 45 texts of 20 KB
    (under the size limit) took `show`, `export` and `packet` 6 s each."""
    import time

    for hostile, shown in (
        ("https://" + "a@/" * 66_000 + "host", "https:" + "/" * 66_002 + "host"),
        ("https:\\\\" + "a:b@\\" * 40_000, "https:" + "\\" * 40_002),
        ("see https://a@/b " * 12_000, "see https:///b " * 12_000),
    ):
        started = time.perf_counter()
        assert contacts.web_login(hostile)
        assert PUBLIC_TEXTS.made(hostile) == shown
        assert time.perf_counter() - started < 1.0, hostile[:20]


_SCHEMES = st.sampled_from(["https", "HTTPS", "Http", "http", "ftp", "WSS", "git"])
_SLASHES = st.sampled_from(["//", "\\\\", "/\\", "\\/", "///", "/", "\\", "", "\t//"])
_LOGINS = st.sampled_from(["", "", "aigul.k:Secr3tPass@", "USER:PW@", "aigul@", "a:b@c@"])
_HOSTS = st.sampled_from(["host.example.org", "example.org", "opennews.kz"])
_PATHS = st.sampled_from(["", "/x", "/form", "/culture/13599.html", "/ical/aigul%40example.org/"])
_QUERIES = st.sampled_from(
    ["", "", "?q=kui", "#top", "?email=someone%40example.org", "?mail=someone@example.org",
     "?lang=kk&to=someone.else@example.org", "#to=someone&#64;example.org"]
)  # fmt: skip
_WEB_ADDRESSES = (
    st.tuples(_SCHEMES, _SLASHES, _LOGINS, _HOSTS, _PATHS, _QUERIES)
    .filter(lambda parts: parts[:2] != ("git", "///"))  # a path of no host: `git:///a@…`
    .map(
        lambda parts: (
            f"{parts[0]}:{''.join(parts[1:])}",
            # a browser reads a login after `://`, or after any slashes and backslashes of
            # its own schemes' (`https:\\`, `https:/\`, `https:`), in any case; a tab is none
            parts[2] != "" and (parts[0] != "git" or parts[1] in ("//", "\t//")),
        )
    )
)
_NAMED = st.tuples(
    st.sampled_from(
        ["TELEGRAM", "Telegram", "telegram", "tElEgRaM", "WhatsApp", "WHATSAPP", "whatsapp",
         "Instagram", "INSTAGRAM", "\u0422\u0415\u041b\u0415\u0413\u0420\u0410\u041c",
         "\u0432\u0430\u0442\u0441\u0430\u043f", "\u0412\u0410\u0422\u0421\u0410\u041f"]
    ),
    st.sampled_from([": ", " ", ":", " - ", " (", ": @"]),
    st.sampled_from(["aigul_k", "leak.handle8", "handle", "channel", "posts", "groups"]),
).map(lambda parts: ("".join(parts), False))  # fmt: skip
_WORDS = st.sampled_from(
    ["see", "the form", "kui", "a Telegram channel", "WHATSAPP groups", "at home", "—", "of",
     "someone@example.org", "someone at gmail.com", "+7 700 000 00 00", "8 700 000 00 00"]
).map(lambda word: (word, False))  # fmt: skip
_RECORD_TEXTS = st.lists(st.one_of(_WEB_ADDRESSES, _NAMED, _WORDS), min_size=1, max_size=4).flatmap(
    lambda parts: st.tuples(*(st.sampled_from([" ", "\n", ", "]) for _ in parts)).map(
        lambda gaps: (
            "".join(gap + part for gap, (part, __) in zip(gaps, parts, strict=True))[1:],
            any(login for __, login in parts),
        )
    )
)
"""Record texts of contacts as a review wrote them (web addresses however their slashes are
written, with a login or an address in their query, or none; handles after a messenger's name
in any case; e-mail addresses and phone numbers) beside words that are none, and whether a
browser reads a web address's login in the text."""


@given(_RECORD_TEXTS)
def test_law_validate_warns_of_what_a_public_output_leaves_out(written: tuple[str, bool]) -> None:
    """Validate (`sure_contact`, and `web_login` for its words) and the public outputs agree on
    each text: validate warns of a web address's login iff a browser reads one in the text,
    iff a public view of a record's texts (`PUBLIC_TEXTS`) changes the text; it warns of a
    contact iff `log` and every message (`without_contacts`) hide something of it; what either
    prints holds nothing validate warns of.

    (What `without_contacts` hides beyond that, fail closed, is no contact to validate: a
    decision's number, an `@` in a web address's path, `File:Dombra@2x.png`. Texts here hold
    none.)"""
    text, login = written
    public = PUBLIC_TEXTS.made(text)
    assert contacts.web_login(text) is login, text
    assert (public != text) is login, (text, public)
    assert not contacts.web_login(public), public
    if login:
        assert contacts.sure_contact(text), text
    hidden = contacts.without_contacts(text)
    assert contacts.sure_contact(text) is (hidden != text), (text, hidden)
    assert not contacts.sure_contact(hidden), (text, hidden)


_ANY_PIECES = st.sampled_from(
    ["https", "HTTPS", "ftp", "git", ":", "/", "\\", "@", "a", ".", "?", "#", "=", "&", " ",
     "\n", "\t", "\u200b", "%40", "&#64;", "example.org", "://", ":\\\\", "TELEGRAM",
     "Telegram", "WhatsApp", "\u0412\u0410\u0422\u0421\u0410\u041f", ": ", "aigul_k",
     "leak.handle8", "+7", "7", "8", "700 000 00 00", "1234567890", "t.me/", "wa.me/", "(at)",
     " at ", "(dot)", "\u0441\u043e\u0431\u0430\u043a\u0430", "gmail.com", "vk.com/",
     "x.com/", "youtube.com", "/@", "skype:", "tg://", "resolve?domain=", "(700) ", "000-00-00",
     "8/700/", "\u00b7", "\u2800", "\ufe0f\u20e3", "\uff18\uff17\uff10\uff10", "007 ", "0 0 0",
     "\u00a0", "\u3000at\u3000", " \u0430\u0442 ", "-at-", "www.", "Skype", "VIBER",
     "\u0432\u0430\u0439\u0431\u0435\u0440", "youtube.com/channel/UCabcdefghij_klmnopqrs-t",
     "facebook.com/people/a-b/1", "7O1", "l23 ", "O", "I", "\u041e"]
)  # fmt: skip


@given(st.lists(_ANY_PIECES, max_size=12).map("".join))
def test_law_no_public_output_prints_what_validate_warns_of(text: str) -> None:
    """For any text: validate warns of a web address's login iff a public view of a record's
    texts changes the text, which then holds none; whatever validate warns of, `log` and every
    message hide (`without_contacts`), and what they print holds nothing validate warns of."""
    public = PUBLIC_TEXTS.made(text)
    assert contacts.web_login(text) is (public != text), (text, public)
    assert not contacts.web_login(public), (text, public)
    if contacts.web_login(text):
        assert contacts.sure_contact(text), text
    hidden = contacts.without_contacts(text)
    if contacts.sure_contact(text):
        assert hidden != contacts.visible(text), text
    assert not contacts.sure_contact(hidden), (text, hidden)
