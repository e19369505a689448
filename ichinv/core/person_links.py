"""Where a text holds a messenger's link to a person, a handle after a messenger's name or a
person's page on a social network (`t.me/aigul_k`, `tg://resolve?domain=aigul_k`, `Telegram:
aigul_k6`, `vk.com/aigul_kenzhe`, `youtube.com/channel/UC…`): the messengers' side of
`ichinv.core.contacts.sure_contact`, as `ichinv.core.written_addresses` is its e-mail side."""

from __future__ import annotations

import re

from ichinv.core.contact_patterns import (
    CHANNEL_PATH,
    CLOSING,
    MAIL_PAGE,
    MESSENGER_NAMES,
    NAME_ENDS,
    PERSON_LINK,
    PROFILE_PATH,
    PROFILE_SITES,
    SCHEME_PERSON,
    SITE_HOSTS,
    named_handle,
)

_MESSENGER_HOST = re.compile(rf"(?:\.|{CLOSING})(?i:me)/")
_PERSON_LINK = re.compile(PERSON_LINK)
_SCHEME_PERSON = re.compile(SCHEME_PERSON)
_SITE_PATH = re.compile(r"\.(?i:com|ru|am)/")
_PROFILE_SITE = re.compile(rf"(?<![\w.-])(?:(?:{SITE_HOSTS}|[a-z]{{2}})\.)?(?i:{PROFILE_SITES})/\Z")
_PROFILE_PATH = re.compile(PROFILE_PATH)
_CHANNEL_SITE = re.compile(r"(?<![\w.-])(?:(?:www|m)\.)?(?i:youtube\.com)/\Z")
_CHANNEL_PATH = re.compile(CHANNEL_PATH)
_MAIL_SITE = re.compile(r"(?<![\w.-])(?i:my\.mail\.ru)/\Z")
_MAIL_PAGE = re.compile(MAIL_PAGE)
_NAMED_HANDLES = tuple((end, re.compile(named_handle(end))) for end in "mpмпMPМП")
"""A handle after a messenger's name (`Telegram: aigul_k`), one pattern for each last letter a
name ends with, small or capital (`telegram`, `Instagram`, `WhatsApp`, `ватсап`, `скайп`,
`TELEGRAM`, `WHATSAPP`, `ТЕЛЕГРАМ`), each tried only where its letter is: as
`contacts.CONTACT_LIKE` hides them (NAMED_LINK), whatever the case of the name's letters. Each
begins with a fixed letter."""
_OTHER_ENDS = "".join(end for end in NAME_ENDS if end not in "mpмпMPМП")
_OTHER_NAMED_HANDLES = {end: re.compile(named_handle(end)) for end in _OTHER_ENDS}
_OTHER_NAMES = tuple(name for name in MESSENGER_NAMES if name[-1] in _OTHER_ENDS)
"""The same for the names that end in a letter most words end with (`Skype: aigul.kenzhe`,
`viber aigul_k8`, `вайбер …`, `VK: …`, `TikTok: …`, `WeChat: …`, in any case), tried only where
the text in small letters holds one of the names (`_named_handle`): patterns searched from each
`e` and `r` would cost every text more than all the other names' do."""
# Each pattern begins with a fixed character, what stands before it looked at behind, after
# it: the engine skips from one such character to the next. They are tried one by one (an
# alternation of them is searched character by character, eight times slower), the rarer
# characters looked for first as plain text.


def person_link(text: str) -> bool:
    """Whether `text` (as a reader sees it: `contacts.visible`) holds a messenger's link to a
    person (`PERSON_LINK`, or with its own scheme, `SCHEME_PERSON`), a handle after a
    messenger's name (`_named_handle`) or a person's page (`_person_page`), each looked for only
    where a character or word it needs is."""
    return (
        (_MESSENGER_HOST.search(text) is not None and _PERSON_LINK.search(text) is not None)
        or (":" in text and _SCHEME_PERSON.search(text) is not None)
        or _named_handle(text)
        or any(
            _person_page(text, found.start(), found.end()) for found in _SITE_PATH.finditer(text)
        )
    )


def _person_page(text: str, start: int, end: int) -> bool:
    """Whether the address around `text[start:end]` (a host's `.com/`, `.ru/`, `.am/`) is a
    person's page: a social network's (`_PROFILE_SITE`, `PROFILE_PATH`), Mail.ru's
    (`my.mail.ru/mail/…`, `MAIL_PAGE`) or a YouTube channel's (`CHANNEL_PATH`)."""
    if _PROFILE_PATH.match(text, end) is not None:
        if _PROFILE_SITE.search(text, max(0, start - 24), end) is not None:
            return True
    if _MAIL_PAGE.match(text, end) is not None:
        if _MAIL_SITE.search(text, max(0, start - 8), end) is not None:
            return True
    return (
        _CHANNEL_PATH.match(text, end) is not None
        and _CHANNEL_SITE.search(text, max(0, start - 12), end) is not None
    )


def _named_handle(text: str) -> bool:
    """Whether `text` holds a handle after a messenger's name (`_NAMED_HANDLES`), or after one
    of `_OTHER_NAMES` in any case (`Skype: aigul.kenzhe`)."""
    for end, named in _NAMED_HANDLES:
        if end in text and named.search(text) is not None:
            return True
    small = text.lower()
    aligned = len(small) == len(text)  # (`İ` is two characters in small letters)
    for name in _OTHER_NAMES:
        found = small.find(name)
        while found >= 0:  # each place the name stands, its pattern tried from its last letter
            last = found + len(name) - 1
            other = _OTHER_NAMED_HANDLES.get(text[last]) if aligned else None
            if other is not None and other.match(text, last) is not None:
                return True
            if not aligned and any(
                end in text and pattern.search(text) is not None
                for end, pattern in _OTHER_NAMED_HANDLES.items()
            ):
                return True
            found = small.find(name, found + 1) if aligned else -1
    return False
