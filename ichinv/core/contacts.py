"""What may be a contact, and what surely is one: e-mail addresses, phone numbers and messengers'
links, however written (spelt out, bracketed, in other digits, behind invisible characters).

`CONTACT_LIKE`, `may_be_contact` and `without_contacts` decide what ichinv never prints or
echoes (fail closed: a decision number or an archive's address may be hidden for nothing);
`sure_contact` names only what is one (validate's warning on a record's texts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from ichinv.core import controls
from ichinv.core.contact_patterns import (
    AT_SIGN,
    JOURNAL,
    MESSENGER,
    NAMED_LINK,
    SPELT_ADDRESS,
    SPELT_DOT,
    TELEGRAM_PAGE,
)
from ichinv.core.lazy_patterns import lazy
from ichinv.core.person_links import journal_blogs, person_link, telegram_pages
from ichinv.core.phone_numbers import digits_folded, letters_as_digits, sure_phone
from ichinv.core.phone_patterns import PHONE_NUMBER, PLUS
from ichinv.core.url_decoding import decoded_forms, encoded
from ichinv.core.vocabulary import (
    ELEMENT_ID_PATTERN,
    PROVINCE_ID_PATTERN,
    is_element_id,
    is_province_id,
)
from ichinv.core.web_logins import login_spans
from ichinv.core.written_addresses import written_address

CONTACT_LIKE = lazy(
    rf"{AT_SIGN}|{PHONE_NUMBER}|{SPELT_ADDRESS}|{MESSENGER}|{NAMED_LINK}|{JOURNAL}|{TELEGRAM_PAGE}"
)
"""What may be an e-mail address or a phone number (an `@`, also a full-width or spelt-out
one, an address spelt out plainly, a messenger's link, a handle after a messenger's name or
a social network's page or a blog's host (`….livejournal.com`, `….t.me`), a `+`
before a digit, eight digits or more, however spaced, dotted, slashed, dashed or
bracketed: `8.701.123.45.67`, `8 701 123 45 67` with no-break spaces, `8–701–123–45–67`):
never printed from an export or echoed from a command line, whatever stands around it. Read
it over `digits_folded` text: superscript and circled digits are digits to a reader."""


def sure_contact(text: str) -> bool:
    """Whether `text` surely holds an e-mail address (an `@` however written, or one spelt out:
    `aigul at gmail dot com`; or a web address's user name, `web_login`), a phone number (a
    `+` and ten to fourteen digits, or a number of Kazakhstan, `8 701 123 45 67`,
    `7 701 555 12 34`), a messenger's link or a handle after its name (`Telegram: aigul_k6`),
    or a person's page (`x.com/aigul_k`, `youtube.com/@aigul_k`): a text of a record outside
    its contacts that holds one gets a warning (`text.contact`). Unlike CONTACT_LIKE, which hides whatever may be a contact
    from what ichinv prints, this names only what is one: a record's texts hold dates,
    decision numbers and archive addresses (`order-211-2024`, `web/20170510034454/…`), of
    which no editor should be warned. Read as a reader sees it (`visible`), as without_contacts
    reads it: what no reader sees hides nothing it warns of (a zero-width space in a number,
    `8 701…`, or after `Telegram:`). Judged percent-decoded too (`decoded_forms`), as a browser
    reads a web address: `https://t.me/%61igul_k`, `?phone=%2B7%20700…`, `aigul%2540…`."""
    text = visible(text)
    return _sure(text) or any(_sure(visible(form)) for form in decoded_forms(text))


def _sure(text: str) -> bool:
    return written_address(text) or sure_phone(text) or person_link(text)


def may_hold_sure_contact(texts: Iterable[str]) -> bool:
    """A fast test before `sure_contact` of each of `texts` (a record's texts): false only when
    none of them surely holds a contact. One search over them joined (`BETWEEN_TEXTS`), where
    a search of each costs several times more: what stands between two texts ends every word
    and part a contact is read from, as the end of a text does, so that what a text holds is
    found in the join (what the join alone seems to hold across it is no text's: each is then
    judged as itself)."""
    return sure_contact(BETWEEN_TEXTS.join(texts))


BETWEEN_TEXTS = "\n\u00b6\n"
"""What joins a record's texts for `may_hold_sure_contact`: a pilcrow on a line of its own,
which no part of a contact holds (no digit, letter or separator of a phone number's digits,
as a line break is one; and a reader sees it). Joined by line breaks alone, a number ending
one text (`inv. № 0049`) and a phone number opening the next (`8 700 000 00 00`) were read as
one inventory number, and the phone number was neither warned of nor withheld (an outside
review)."""


def web_login(text: str) -> bool:
    """Whether `text` holds a web address with a user name or password in it
    (`https://aigul:secret@opennews.kz/…`, `https:\\\\aigul:secret@…`, `HTTPS://AIGUL:…@…`):
    personal data and a secret, which `sure_contact` finds as it finds an e-mail address, and
    `without_web_login` leaves out (`login_spans`, the one scan of both)."""
    return "@" in text and ":" in text and next(login_spans(visible(text)), None) is not None


def without_web_login(text: str) -> str:
    """`text` with the user name and password of each web address in it left out
    (`https://aigul:secret@opennews.kz/…` → `https://opennews.kz/…`, `https:\\\\aigul:secret@…`
    → `https:\\\\…`): what a public view shows of such an address, which still leads where it
    led. The very `text` when `web_login` finds none in it, else read as `web_login` reads it
    (`visible`), with none left (what is left out may join a scheme to another user name:
    `https://a@/b@host`, both left out)."""
    if "@" not in text or ":" not in text:
        return text
    shown = visible(text)
    parts, last = [], 0
    for start, end in login_spans(shown):
        parts.append(shown[last:start])
        last = end
    return "".join(parts) + shown[last:] if parts else text


_WRITTEN_DATE = lazy(
    r"(?P<year>[0-9]{4})(?P<s1>[-/])(?P<month>[0-9]{1,2})(?P=s1)(?P<day>[0-9]{1,2})"
    r"|(?P<day_first>[0-9]{1,2})(?P<s2>[./])(?P<month_second>[0-9]{1,2})(?P=s2)"
    r"(?P<year_last>[0-9]{4})"
)
_ISO_DATE = lazy(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_OBJECT_ID = lazy(r"[0-9a-f]{40}|[0-9a-f]{64}")


_ASCII_CONTACT_MARK = lazy(
    r"[0-9@(\[{<&]|(?i:\sat\s|-at-|sobak|sobach|\.(?:me|com|ru|am)\.?/|\.me(?![\w-])|://|skype"
    r"|callto:|gram|%[a-f]"
    r"|whatsapp|viber|vk|facebook|tiktok|wechat|twitter|youtube|snapchat|linkedin|signal|threads"
    r"|discord|tg\W|ig\W|journal|\.dog/)"
)
"""What an ASCII text holds wherever CONTACT_LIKE finds anything in it: a digit, an `@` or
the start of one written otherwise (a bracket, `&`), ` at `, `-at-` or `sobaka` of an address
written out, a messenger's `.me/` (`.me./`, a port's digits, `….t.me`), `tg://` or `skype:`,
the end of a social network's host (`vk.com/`), or a messenger's name before a handle
(Telegram's, Instagram's, WhatsApp's, Skype's, Viber's, VK's, Facebook's, TikTok's, WeChat's,
Twitter's, YouTube's, Snapchat's, LinkedIn's, Signal's, Threads', Discord's, `tg`, `IG`), or a
blog's host (`….livejournal.com`, `telegram.dog/`), or a percent-encoded byte (`%aa`; any other holds a digit): decoded, it may
be a contact's (`may_be_contact`)."""


def surely_no_contact(text: str) -> bool:
    """A cheap test, true only when CONTACT_LIKE finds nothing in `text`: ASCII text with none
    of the marks every contact it finds holds (`_ASCII_CONTACT_MARK`)."""
    return text.isascii() and _ASCII_CONTACT_MARK.search(text) is None


def may_be_contact(text: str) -> bool:
    """Whether `text` may be or hold an e-mail address or a phone number (CONTACT_LIKE finds
    one in it), unless it is, as a whole, an element id, a province id or a date
    (`KZ-2013-0099`, `2026-03-12`; written otherwise, `12.03.2026`: `written_date`), or a git
    object's whole id (40 or 64 hexadecimal digits, letters among them: a baseline's `rev`):
    their digits are no number. Read as a reader sees
    it (`visible`), as without_contacts reads it, a letter written for a digit too
    (`letters_as_digits`: `8 7O1 123 45 67`), and percent-decoded (`decoded_forms`: a contact
    in a web address, `https://t.me/%61igul_k`)."""
    text = visible(text)
    return _may_be(text) or any(_may_be(visible(form)) for form in decoded_forms(text))


def _may_be(text: str) -> bool:
    text = digits_folded(text)
    plain = text.strip()
    if is_element_id(plain.upper()) or is_province_id(plain.upper()) or _ISO_DATE.fullmatch(plain):
        return False
    if written_date(plain) or is_object_id(plain):
        return False
    if CONTACT_LIKE.search(text) is not None:
        return True
    read = letters_as_digits(text)
    return read is not text and _PHONE.search(read) is not None


def written_date(text: str) -> bool:
    """Whether `text` is, as a whole, a date written as editors write dates where the schema
    wants YYYY-MM-DD: `12.03.2024`, `1.3.2024`, `2024-3-12`, `2024/03/12`, `12/03/2024` (a year
    of 1000 to 2999, a month of 1 to 12, a day of 1 to 31; not checked against the calendar,
    so that `2024-02-30` is quoted where validate says it is no day). Its eight digits at most,
    in a date's order and bounds, are no phone number; nothing else may stand beside them
    (`+7 12.03.2024` is no date), and a number typed into a date's form is none either
    (`7011-23-45`: no month 23)."""
    found = _WRITTEN_DATE.fullmatch(text.strip())
    if found is None:
        return False
    year, month, day = (
        (found["year"], found["month"], found["day"])
        if found["year"]
        else (found["year_last"], found["month_second"], found["day_first"])
    )
    return 1000 <= int(year) < 3000 and 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def is_object_id(text: str) -> bool:
    """Whether `text` is, as a whole, a git object's id (40 or 64 hexadecimal digits, letters
    among them: a baseline's `rev`), whose digits are no phone number."""
    return _OBJECT_ID.fullmatch(text) is not None and not text.isdigit()


def visible(text: str) -> str:
    """`text` without what no reader sees (format characters, joiners, bidirectional marks,
    combining marks on a digit): a phone number hides no digit behind one (`8\ufeff701…`)."""
    if _UNSEEN.search(text) is None:
        return text  # the common case: one search of one character class
    return _MARKED_DIGIT.sub("", _INVISIBLE.sub("", text))


_NOT_CONTACTS = lazy(
    r"(?<![\w-])(?:"
    + "|".join(p.strip("^$") for p in (ELEMENT_ID_PATTERN, PROVINCE_ID_PATTERN))
    + r")(?![\w-])|(?<![0-9])(?:(?P<iso>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"|(?P<dotted>[0-9]{1,2}\.[0-9]{2}\.[0-9]{4})|(?P<years>[0-9]{4}\s?[-\u2013\u2014]\s?[0-9]{4}))"
    r"(?![0-9])"
)
"""Ids, dates and spans of years in free text: their digits are no phone number (`Add
KZ-2013-0001`, `28.05.2024г.`, `2013–2024`)."""
_AT = lazy(AT_SIGN)
_PHONE = lazy(PHONE_NUMBER)
_SPELT_OR_LINK = lazy(rf"{SPELT_ADDRESS}|{MESSENGER}")
_NAMED = lazy(NAMED_LINK)


def without_contacts(text: str) -> str:
    """`text` with `…` for each part that may be an e-mail address (the whole word) or a phone
    number, as CONTACT_LIKE finds them (a phone number also with a letter written for a digit,
    `8 7O1 123 45 67`: `letters_as_digits`); element ids, province ids and dates that are days of
    the calendar stay (free text a public output must print, such as a commit's subject or
    author: `Add KZ-2013-0001 on 01.03.2013`), unless a phone number's digits run into them
    (`+7 2026-03-12 45`, or `7011-23-45` written as a date: the whole run is hidden).

    What is left is looked at again until nothing more is hidden: the `…` of a hidden part
    may join what stood around it into another (`[At])…(dot)x6` once `+ 4` is hidden). Each
    pass that hides anything leaves fewer characters other than `…`, so the passes end.

    A contact percent-encoded (`https://t.me/%61igul_k`, `?phone=%2B7%20700…`) is hidden with
    the whole word it is written in (`_without_encoded`, in each pass: a word left out ends the
    passes as any part hidden does)."""
    shown = _without_encoded(_without_contacts_once(text))
    while (again := _without_encoded(_without_contacts_once(shown))) != shown:
        shown = again
    return shown


def _without_encoded(shown: str) -> str:
    """`shown` with `…` for each word (between white space) holding a percent-encoded byte
    of which a decoded form has a part `_without_contacts_once` hides (`decoded_forms`: a date
    decoded, `2019%2D05%2D10`, is none); or, if the text so left still decodes to one (a
    contact's encoded parts in several words: `%2B7 700%20000…`), `…` for all of it: fail
    closed, never a contact's encoded form printed."""
    if not encoded(shown) or not _decodes_to_contact(shown):
        return shown
    words = _WORDS.split(shown)
    left = "".join("…" if encoded(word) and _decodes_to_contact(word) else word for word in words)
    return "…" if _decodes_to_contact(left) else left


def _decodes_to_contact(text: str) -> bool:
    return any(_without_contacts_once(form) != visible(form) for form in decoded_forms(text))


_WORDS = lazy(r"(\s+)")


def _without_contacts_once(text: str) -> str:
    shown = visible(text)  # nothing a reader sees is lost; digits come together
    text = digits_folded(shown)  # looked at as a reader reads it; cut from what is shown
    read = letters_as_digits(text)  # phone numbers with a letter for a digit too (`7O1`)
    if CONTACT_LIKE.search(text) is None and (read is text or _PHONE.search(read) is None):
        return shown
    kept = bytearray(len(text))  # 1 where an id stands, 2 where a date or years stand
    for match in _NOT_CONTACTS.finditer(read):
        if _real(match):
            mark = b"\2" if match.lastgroup in ("iso", "dotted", "years") else b"\1"
            kept[match.start() : match.end()] = mark * (match.end() - match.start())
    hidden: list[tuple[int, int]] = []
    for at in _AT.finditer(text):  # the whole word of an `@` (each word looked at once)
        if not hidden or at.start() >= hidden[-1][1]:
            hidden.append(_word_around(text, *at.span()))
    hidden.extend(match.span() for match in _SPELT_OR_LINK.finditer(text))
    hidden.extend(_named_handles(text))
    hidden.extend(journal_blogs(text))
    hidden.extend(telegram_pages(text))
    for match in _PHONE.finditer(read):
        # Hidden unless it is ids and dates with a few digits around them (`KZ-2013-0018..0021`):
        # a phone number has more of its own, or a `+`.
        span = range(*match.span())
        own = sum(1 for i in span if read[i].isdigit() and not kept[i])
        # a date with digits of its own beside it may be a phone number's middle
        # (`870 2024-05-12` is 8 702 024 05 12): only ids take a few digits along
        dated = any(kept[i] == 2 for i in span)
        if match.group()[0] in PLUS or own >= _OWN_DIGITS or (dated and own):
            hidden.append(match.span())
    merged: list[tuple[int, int]] = []
    for start, end in sorted(hidden):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    parts, last = [], 0
    for start, end in merged:
        parts += [shown[last:start], "…"]
        last = end
    return "".join(parts) + shown[last:]


def _named_handles(text: str) -> Iterable[tuple[int, int]]:
    """The spans of the handles after a messenger's name (`Telegram: …`, the name shown), each
    with the rest of its word: a handle may be a link's host (`Telegram: t.me/aigulkz`,
    `Skype: vk.com/aigul.kenzhe`), whose path names the person. Searched apart from the links
    (`_SPELT_OR_LINK`), which a match of the name would hide from them; each word gone over
    once (linear time); the marks that end a sentence or a clause after it stay shown
    (`Telegram: aigul_k, Skype: …`)."""
    reached = 0
    for match in _NAMED.finditer(text):
        start, stop = match.span("handle")
        if stop <= reached:  # in a word gone over already
            yield start, stop
            continue
        while stop < len(text) and not text[stop].isspace():
            stop += 1
        reached = stop
        while stop > match.end("handle") and text[stop - 1] in _CLAUSE_END:
            stop -= 1
        yield start, stop


_CLAUSE_END = frozenset(".,;:!?)]}»\"'")


def _word_around(text: str, at: int, end: int) -> tuple[int, int]:
    """The span of the words (between white space) holding `text[at:end]` (an `@`), and of the
    words beside it where it stands apart (`ivan @ example.org`, `ivan (at) example.org`)."""
    start = at
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    stop = end
    while stop < len(text) and not text[stop].isspace():
        stop += 1
    if start == at:  # nothing before the @ in its word: the word before it too
        while start > 0 and text[start - 1].isspace():
            start -= 1
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    if stop == end:  # nothing after it: the word after it too
        while stop < len(text) and text[stop].isspace():
            stop += 1
        while stop < len(text) and not text[stop].isspace():
            stop += 1
    # and the words joined to them by a dot spelt out (`ivan (dot) petrov (at) mail (dot) ru`)
    while after := _DOTTED_AFTER.match(text, stop):
        stop = after.end()
    while before := _DOTTED_BEFORE.search(text, max(0, start - 200), start):
        start = before.start()
    return start, stop


_DOTTED_AFTER = lazy(rf"\s{{0,4}}{SPELT_DOT}\s{{0,4}}\S+")
_DOTTED_BEFORE = lazy(rf"\S{{1,64}}\s{{0,4}}{SPELT_DOT}\s{{0,4}}$")
"""Words joined by a dot spelt out, after and before an address's words (looked for within a
bounded reach: an address's parts are short, and free text may be long)."""


_INVISIBLE = controls.pattern(controls.BIDI, controls.INVISIBLE)
"""Characters no reader sees (format characters, joiners, bidirectional marks): dropped
from free text before it is looked at, so that no phone number hides its digits behind one."""
_MARKED_DIGIT = lazy(
    r"(?<=[\d\u00b2\u00b3\u00b9\u2070-\u209f\u2460-\u24ff\u2776-\u2793])"
    r"[\u0300-\u036f\u20d0-\u20ff\ufe00-\ufe0f]+"
)
"""Combining marks and variation selectors put on a digit (`8\u0301701…`, a keycap emoji's
`8\ufe0f\u20e3`, `8\ufe0f7\ufe0f…`): dropped as well."""
_UNSEEN = controls.pattern(
    controls.BIDI, controls.INVISIBLE, "\u0300-\u036f\u20d0-\u20ff\ufe00-\ufe0f"
)
"""A character `visible` drops, or a mark it may drop: looked for first, as one character class
(a text holds none, most often; each pattern searched costs more, the look behind most)."""


_OWN_DIGITS = 5
"""Digits of a run beside ids that make it a phone number (`KZ-2013-0018..0021` has four);
beside a date, any digit does (`870 2024-05-12` is 8 702 024 05 12)."""


def _real(match: re.Match[str]) -> bool:
    """Whether an id or a date found in free text is one: a date a day of the calendar, of
    the years 1800 to 2199 (`8 7012-05-12 34` is a phone number of Kazakhstan: 7012 no year)."""
    if match.group("iso"):
        return _day(match.group("iso"), "%Y-%m-%d")
    if match.group("dotted"):
        return _day(match.group("dotted"), "%d.%m.%Y")
    if match.group("years"):
        return all(1800 <= int(year) < 2200 for year in re.findall("[0-9]{4}", match.group()))
    return True


def _day(text: str, form: str) -> bool:
    try:
        return 1800 <= dt.datetime.strptime(text, form).year < 2200
    except ValueError:
        return False


def holds_contact(value: object) -> bool:
    """Whether a value of a record (text, number, list or map, keys included) holds anything
    that may be a contact (`may_be_contact`): such a value is never printed."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if may_be_contact(node):
                return True
        elif isinstance(node, int | float) and not isinstance(node, bool):
            if may_be_contact(str(node)):
                return True
        elif isinstance(node, Mapping):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return False
