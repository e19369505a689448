"""Where a text holds a messenger's link to a person, a handle after a messenger's name or a
person's page on a social network (`t.me/aigul_k`, `tg://resolve?domain=aigul_k`, `Telegram:
aigul_k6`, `vk.com/aigul_kenzhe`, `youtube.com/channel/UC…`): the messengers' side of
`ichinv.core.contacts.sure_contact`, as `ichinv.core.written_addresses` is its e-mail side."""

from __future__ import annotations

import functools
import re

from ichinv.core.contact_patterns import (
    CHANNEL_PATH,
    CLOSING,
    COLON_NAMES,
    HOST_DOT,
    HOST_END,
    JOURNAL,
    MAIL_PAGE,
    MESSENGER_NAMES,
    NAME_ENDS,
    PERSON_LINK,
    PROFILE_PATH,
    PROFILE_SITES,
    SCHEME_PERSON,
    SITE_HOSTS,
    STRICT_NAMES,
    TELEGRAM_PAGE,
    named_handle,
)
from ichinv.core.lazy_patterns import lazy

_MESSENGER_HOST = lazy(rf"(?:\.|{CLOSING})(?i:me|dog)(?![\w-])")
_PERSON_LINK = lazy(PERSON_LINK)
_SCHEME_PERSON = lazy(SCHEME_PERSON)
_SITE_PATH = lazy(rf"{HOST_DOT}(?i:com|ru|am){HOST_END}")
_PROFILE_SITE = lazy(
    rf"(?<![\w.-])(?:(?:{SITE_HOSTS}|[a-z]{{2}})\.)?(?i:{PROFILE_SITES}){HOST_END}\Z"
)
_PROFILE_PATH = lazy(PROFILE_PATH)
_CHANNEL_SITE = lazy(rf"(?<![\w.-])(?:(?:www|m)\.)?(?i:youtube\.com){HOST_END}\Z")
_CHANNEL_PATH = lazy(CHANNEL_PATH)
_MAIL_SITE = lazy(rf"(?<![\w.-])(?i:my\.mail\.ru){HOST_END}\Z")
_MAIL_PAGE = lazy(MAIL_PAGE)
_JOURNAL = lazy(JOURNAL)
_TELEGRAM_PAGE = lazy(TELEGRAM_PAGE)
_HOST_USER = lazy(r"[\w-]{1,64}\Z")
"""The end of a user's name before a host that names users so (`aigulkz.livejournal.com`,
`aigul_k.t.me`): `_user_hosts` takes the whole label, whatever stands before it
(`www.aigulkz.livejournal.com`)."""


@functools.cache
def _named_handles() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """A handle after a messenger's name (`Telegram: aigul_k`), one pattern for each last letter a
    name ends with, small or capital (`telegram`, `Instagram`, `WhatsApp`, `ватсап`, `скайп`,
    `TELEGRAM`, `WHATSAPP`, `ТЕЛЕГРАМ`), each tried only where its letter is: as
    `contacts.CONTACT_LIKE` hides them (NAMED_LINK), whatever the case of the name's letters. Each
    begins with a fixed letter. Compiled when first needed (~30 ms): a command that reads no
    text of a record, as a validate whose verdicts are all kept, never needs them."""
    return tuple((end, re.compile(named_handle(end))) for end in "mpмпMPМП")


_OTHER_ENDS = "".join(end for end in NAME_ENDS if end not in "mpмпMPМП")
_OTHER_NAMES = tuple(name for name in MESSENGER_NAMES if name[-1] in _OTHER_ENDS)
"""The same for the names that end in a letter most words end with (`Skype: aigul.kenzhe`,
`viber aigul_k8`, `вайбер …`, `VK: …`, `TikTok: …`, `WeChat: …`, in any case), tried only where
the text in small letters holds one of the names (`_named_handle`): patterns searched from each
`e` and `r` would cost every text more than all the other names' do."""
_COLON_NAMES = frozenset((*COLON_NAMES, *STRICT_NAMES))
"""The names of `COLON_NAMES` and `STRICT_NAMES`, which a handle follows only after a colon:
looked for right before each colon (`_colon_name`), a text holding few (a search for each name
costs every text about a microsecond)."""


@functools.cache
def _other_named_handle(end: str) -> re.Pattern[str]:
    """`named_handle(end)` for one of `_OTHER_ENDS`, compiled the first time a text holds one
    of its names: forty patterns of ~3 ms each to compile, which most texts never need (every
    command, `--help` too, would wait 0.13 s for them)."""
    return re.compile(named_handle(end))


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
        (
            _MESSENGER_HOST.search(text) is not None
            and (_PERSON_LINK.search(text) is not None or bool(telegram_pages(text)))
        )
        or (":" in text and _SCHEME_PERSON.search(text) is not None)
        or _named_handle(text)
        or (("ournal" in text or "OURNAL" in text) and _journal(text))
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


def journal_blogs(text: str) -> list[tuple[int, int]]:
    """The spans of the LiveJournal blogs' hosts in `text`, each with the user name its first
    part is (`aigulkz.livejournal.com`)."""
    return _user_hosts(_JOURNAL, text)


def telegram_pages(text: str) -> list[tuple[int, int]]:
    """The spans of Telegram's pages in the form whose host's first part is the handle
    (`aigul_k.t.me`, `TELEGRAM_PAGE`), each with that handle (not `www.t.me`)."""
    return _user_hosts(_TELEGRAM_PAGE, text)


def _user_hosts(host: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The spans of the hosts `host` finds in `text` whose first part is a user's name
    (`_HOST_USER`), each with that name."""
    spans = []
    for found in host.finditer(text):
        # `host` finds only hosts with a label before that is no `www` nor `m`
        # (contact_patterns.USER_LABEL_BEFORE): the whole label is hidden, however long.
        user = _HOST_USER.search(text, max(0, found.start() - 64), found.start())
        if user is not None:
            start = user.start()
            while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-"):
                start -= 1
            spans.append((start, found.end()))
    return spans


def _journal(text: str) -> bool:
    return bool(journal_blogs(text))


def _colon_name(text: str, colon: int) -> int:
    """Where the last letter of a name of `_COLON_NAMES` stands before the colon at `text[colon]`
    (`Twitter: …`, `**IG**: …`, `| YouTube | …`), with a word between them or none (`YouTube
    channel: …`, `Twitter-аккаунт: …`); -1 when none does. Bounded: a few words looked at."""
    at = colon
    while at > 0 and colon - at < 6 and text[at - 1] in " \t\u00a0*":
        at -= 1
    for _ in range(2):  # the name, or the word after it
        end = at
        while at > 0 and end - at < 30 and text[at - 1].isalpha():
            at -= 1
        if at == end:
            return -1
        if (at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_-")) and text[
            at:end
        ].lower() in _COLON_NAMES:
            return end - 1
        if at == 0 or text[at - 1] not in " \t\u00a0-\u2013":
            return -1
        at -= 1
    return -1


def _named_at(text: str, last: int, aligned: bool) -> bool:
    """Whether a handle follows the name whose last letter is `text[last]` (each of
    `_other_named_handle` tried where the text in small letters is not aligned with it)."""
    if aligned:
        end = text[last]
        return end in _OTHER_ENDS and _other_named_handle(end).match(text, last) is not None
    return any(
        end in text and _other_named_handle(end).search(text) is not None for end in _OTHER_ENDS
    )


def _named_handle(text: str) -> bool:
    """Whether `text` holds a handle after a messenger's name (`_named_handles`), or after one
    of `_OTHER_NAMES` in any case (`Skype: aigul.kenzhe`)."""
    for end, named in _named_handles():
        if end in text and named.search(text) is not None:
            return True
    small = text.lower()
    aligned = len(small) == len(text)  # (`İ` is two characters in small letters)
    for name in _OTHER_NAMES:
        found = small.find(name)
        while found >= 0:  # each place the name stands, its pattern tried from its last letter
            if _named_at(text, found + len(name) - 1, aligned):
                return True
            found = small.find(name, found + 1) if aligned else -1
    for colon in ":\uff1a|":
        found = text.find(colon)
        while found >= 0:  # each colon, the names that need one looked for before it
            last = _colon_name(text, found)
            if last >= 0 and _named_at(text, last, True):
                return True
            found = text.find(colon, found + 1)
    return False
