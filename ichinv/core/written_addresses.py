"""Where a text holds an e-mail address however written: an `@` (also spaced, bracketed or spelt
out in brackets, `&#64;`, `%40`) outside a web address, or in one where it is a user name's,
a handle's or an address in its query or path; or ` at ` between words ending in a top-level
domain (`aigul at gmail dot com`). The e-mail side of `ichinv.core.contacts.sure_contact`."""

from __future__ import annotations

import re

from ichinv.core.contact_patterns import (
    AT_SIGN,
    AT_WORDS,
    BARE_PROVIDERS,
    CLOSING,
    DOT,
    HANDLE_PAGE,
    MAIL_PROVIDERS,
    OPENING,
    PATH_ADDRESS,
    QUERY_ADDRESS,
    SCHEME_SLASHES,
    SPELT_DOT,
    SPELT_HOST,
    WORD,
)
from ichinv.core.lazy_patterns import lazy
from ichinv.core.web_logins import login_spans

_ADDRESS_SIGN = lazy(AT_SIGN)
_SIGNS = ("@", "&", "%40", "\uff20", "\ufe6b")
"""What an `@` however written but in brackets (`_BRACKETED_AT`) holds: an `@`, also a full-width
or small one, the `&` of an HTML character reference, or the `%40` of a URL-encoded one."""
_BRACKETED_AT = lazy(
    rf"{OPENING}\s*(?i:[aа\uff41\uff21][tт\uff54\uff34]|{AT_WORDS}|айқұлақ)\s*{CLOSING}"
)
_SPELT_AT = lazy(rf"\s{{1,4}}(?=[aAсСsS])(?i:at|{AT_WORDS})(?=\s)")
"""` at ` of an address written out, up to the white space after it (where the address's
host begins, `_AFTER_SPELT_AT`): a match takes no white space the next one begins with
(`aigul\nat at gmail.com`, where an `at` ends a line)."""
_SPELT_AT_WORDS = (" at ", " AT ", "\t", "oba", "OBA")
_RUSSIAN_AT_WORDS = ("обак", "ОБАК", "обач", "ОБАЧ")
"""How ` at ` (`_SPELT_AT`) is written in an address as people write one, looked for as plain
text first (each word looked for costs about 2 µs a record; the pattern, searched from every
white space, costs ten times more): a tab, rare in a record's texts, lets the pattern look
(`aigul\tat\tgmail.com`, pasted from a spreadsheet), and so does the Russian word in Latin
letters (the `oba` or `OBA` of `sobaka`, `Sobaka`, `SOBAKA`, `sobachka`: rare in prose); in a
text that is not ASCII, the Russian word, also capitalised or in capitals (`собака`, `Собака`,
`СОБАКА`, `собачка`). An address
written with ` At ` or line breaks around `at` is still hidden from what ichinv prints
(CONTACT_LIKE), though not warned of."""
_ODD_SPELT_AT = lazy(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
"""What else lets the pattern look in a text that is not ASCII: white space other than ASCII's
(a word processor's no-break or thin space, `aigul\u00a0at\u00a0gmail.com`). `at` in Cyrillic
letters (`aigul ат gmail.com`) and `aigul-at-gmail.com` are hidden from what ichinv prints
(SPELT_ADDRESS) but not warned of: `ат` is the Kazakh word for a horse (`Бәйгеде озған ат
qazaqat.kz порталында`), and `-at-` is in the names of sites (`heritage-at-risk.org`)."""
_BEFORE_SPELT_AT = lazy(rf"(?<![\w-]){WORD}\Z")
_AFTER_SPELT_AT = lazy(rf"\s{{1,4}}(?i:{SPELT_HOST}|(?P<bare>{BARE_PROVIDERS})(?![\w-]))")
"""What stands before and after ` at ` in an address written out (`SPELT_ADDRESS`): a word of an
address's (searched for up to where ` at ` begins), and its host (matched where it stands), or
a host of personal mail named alone (`bare`: `aigul.k at gmail`)."""


def written_address(text: str) -> bool:
    """Whether `text` holds an e-mail address however written: an `@` (also spaced, bracketed
    or spelt out, `aigul @ mail.ru`, `aigul(at)gmail.com`, `&#64;`, `%40`) or ` at ` between
    words ending in a top-level domain (`aigul at gmail dot com`), in `text` as a reader sees
    it (`contacts.visible`). Each pattern is searched for only when a character or word it needs is
    there."""
    if _holds_any(text, _SIGNS) or _BRACKETED_AT.search(text) is not None:
        after = 0  # where the word of the last web address found ends: its @ are passed by
        plain = 0  # where the last word with no web address in it ends
        for found in _ADDRESS_SIGN.finditer(text):
            if found.start() < after:
                continue
            if found.start() >= plain:  # a word not yet looked at
                start, end = found.start(), found.end()
                while start > 0 and not text[start - 1].isspace():
                    start -= 1
                while end < len(text) and not text[end].isspace():
                    end += 1
                if _WEB_ADDRESS.search(text, start, end) is None:
                    plain = end
            if found.start() < plain:  # an `@` outside a web address, but a file's name's
                if _file_name(text, found.start(), found.end()):  # (`logo@2x.jpg`)
                    continue
                page = _bare_page(text, start, end, found.start())
                if page is None:
                    return True
                if page:  # a page's handle written with no scheme (`youtube.com/@aigul_k`)
                    return True
                after = end  # a page's tab or post (`youtube.com/@khabar/videos`)
                continue
            if next(login_spans(text, start, end), None) is not None:  # a web address's `@`
                return True  # (`File:Dombra@2x.png`) is none, but its user name's,
            if _HANDLE_PAGE.search(text, start, end) is not None:  # or a handle's
                return True  # (`youtube.com/@aigul_k`),
            if _in_query(text, start, end):  # or an address in its query's
                return True  # (`?email=aigul%40example.org`)
            if _PATH_ADDRESS.search(text, start, end) is not None:  # or in its path's
                return True  # (a calendar's `…/ical/aigul%40example.org/…`)
            # Each word looked at once: linear, however many `@` it holds. A sign with white
            # space in it (`https://x.org/( at )aigul@…`) joins two words: the `@` after it
            # are looked at in the word they stand in.
            spaced = any(char.isspace() for char in found.group())
            after = found.end() if spaced else end
    if not _may_spell_at(text):
        return False  # (the pattern, searched from every white space, costs ten times more)
    return any(
        (before := _BEFORE_SPELT_AT.search(text, max(0, found.start() - 64), found.start()))
        is not None
        and (host := _AFTER_SPELT_AT.match(text, found.end())) is not None
        and _spelt_address(text, found, before, host)
        for found in _SPELT_AT.finditer(text)
    )


def _spelt_address(
    text: str, at: re.Match[str], before: re.Match[str], host: re.Match[str]
) -> bool:
    """Whether the word `before`, ` at ` (or `собака`) and the `host` after it are an e-mail
    address written out, not a site named in prose (`Its text is at adilet.zan.kz`, `Aitys of
    2019 at khabar.kz`, `Recorded by Zh.Aitbayev at kazakh-tv.kz`, `Published as Vol.2 at
    archive.org`): `собака` always, ` at ` at a host of personal mail (`MAIL_PROVIDERS`: `aigul
    at gmail.com`, `festival at gmail.com`, `museum at mail.ru`; not one written as a company's
    name is, with a capital, `He performed at Mail.ru Group's festival`, `Recorded at Proton.kz
    studio`, unless as an address's) or written with `dot` (`aigul at example dot org`, `aigul
    dot k at example.org`), and at any other host only after a word asking to write (`_MAIL_WORD`:
    `E-mail: info at ich.kz`, `write to aigul at example.org`): a word of an address's before
    it, `aigul.kenzhe at kazakh-tv.kz`, is written as a name, a number or a file's is
    (`Zh.Aitbayev at …`, `Order No.50 at …`, `Track_05 at soundcloud.com`), and is not warned
    of; log hides them all (CONTACT_LIKE). A host of personal mail named alone (`bare`, `aigul.k
    at gmail`), or written with a capital, needs a word of an address's before it (`_MAIL_NAME`:
    `aigul_n`, `aigul88`, `…aigul.k`): `photos at gmail` and `worked at Yandex` are prose; after
    `собака` it is an address (`aigul sobaka gmail`)."""
    spelt = at.group().strip().lower() != "at"  # `собака`, `sobaka`
    if spelt or _DOT_WORD.search(host.group()) is not None:
        return True
    start = before.start()
    if _DOT_BEFORE.search(text, max(0, start - 12), start) is not None:
        return True  # (a dot spelt out in the address's user name: `aigul dot k at …`)
    name = start  # where the user name begins, its dotted words too (`…aigul.kenzhe at`)
    while name > max(1, start - 64) and text[name - 1] == "." and text[name - 2].isalnum():
        name -= 2  # (a dot between two letters or digits: not `write to...aigul`)
        while name > 0 and text[name - 1].isalnum():
            name -= 1
    if _MAIL_WORD.search(text, max(0, name - 24), name) is not None:
        return True
    if host["bare"] is None and not _PROVIDER_HOST.match(host.group()):
        user = text[name : before.end()]  # an address's as its owner writes it: small letters
        return user == user.lower() and _LOWER_MAIL_NAME.fullmatch(user) is not None
    if host["bare"] is None and not host.group().lstrip()[0].isupper():
        return True
    return any(_MAIL_NAME.search(part) for part in before.group().split("-")) or (
        start > 1 and text[start - 1] == "." and text[start - 2].isalnum()
    )


_PROVIDER_HOST = lazy(rf"\s{{1,4}}(?i:{MAIL_PROVIDERS}(?:{DOT}[a-z]{{2,6}}){{1,2}})\Z")
_DOT_WORD = lazy(r"\s(?i:dot|точка)\s")
_MAIL_NAME = lazy(r"[^\W\d_][^\W_]*[\d_]|[\d_]\w*[^\W\d_]")
"""A part (between hyphens) of the word before ` at ` with a letter and a digit or an
underscore (`aigul_n`, `aigul88`; not `2019`, `COVID-19`)."""
_LOWER_MAIL_NAME = lazy(r"(?=.*[^\W\d_])(?=.*[\d_.])[\w.-]+")
"""A user name in small letters with a letter and a digit, an underscore or a dot (`aigul88`,
`aigul_n`, `aigul.kenzhe`; not `Zh.Aitbayev`, `Vol.2`, `Track_05`, `Aitys2019`, `2.0`)."""
_DOT_BEFORE = lazy(r"\w(?:\s{1,4}(?i:dot|точка)\s{1,4}|\s{0,4}" + SPELT_DOT + r"\s{0,4})\Z")
"""A dot spelt out or bracketed before the word before ` at ` (`aigul dot k at …`, `aigul[.]k at
…`)."""
_MAIL_WORD = lazy(
    r"(?<![\w-])(?i:e-?mail|mail|почта|пошта|write\s{1,3}to|contact|пишите|напишите|жазыңыз)"
    r"[\s:.,\-\u2013\u2014]{1,4}\Z"
)
"""A word asking to write to an address, right before its user name (`E-mail: info at
ich.kz`, `эл. почта: …`, `write to aigul at example.org`, `Contact: …`)."""


def _bare_page(text: str, start: int, end: int, at: int) -> bool | None:
    """What the `@` at `text[at]`, in the word `text[start:end]` with no scheme, is when it
    stands right after a host's `/` and is the word's only one (`youtube.com/@aigul_k`,
    `tiktok.com/@aitys.kz/video/…`): a handle naming a person's page (True) when it is the
    address's whole path (`HANDLE_PAGE`), else a page's tab or post (False: `…/@khabar/videos`);
    None when it is no such `@` (an e-mail address's, `aigul@example.org`, or one of several in
    the word, `example.org/@aigul@example.org`)."""
    if at == 0 or text[at - 1] != "/" or text.count("@", start, end) != 1:
        return None
    if any(sign in text[start:end] for sign in _SIGNS[1:]):
        return None
    if _BARE_HOST.search(text, max(start, at - 300), at) is None:
        return None
    return _BARE_HANDLE.match(text, at) is not None


_BARE_HOST = lazy(r"(?:\A|(?<![\w.@%+-]))(?:[\w-]{1,63}\.){1,8}[^\W\d_]{2,63}(?::\d{1,5})?/\Z")
"""A web address's host and `/`, with no scheme, right before an `@` (`youtube.com/`)."""
_BARE_HANDLE = lazy(r"@[^\W\d][\w.%+-]{0,63}+/?+(?![\w.%+/@-])")
"""A handle as a page's whole path, after a host with no scheme (`HANDLE_PAGE`)."""


def _file_name(text: str, start: int, end: int) -> bool:
    """Whether the `@` at `text[start:end]` is in a file's name (`Dombra@2x.png`, `logo@2x.jpg`,
    `Scan@300dpi.pdf`, `tokpe_kui@48kHz.wav`): a word before it, and after it a word with no
    dot and the extension of an image, a document, a sound or a video (`_FILE_END`);
    `aigul@gmail.com.png` is an address."""
    return start > 0 and text[start - 1].isalnum() and _FILE_END.match(text, end) is not None


_FILE_END = lazy(
    r"[\w-]{1,64}\.(?i:png|jpe?g|gif|svg|webp|pdf|tiff?|heic|heif|wav|mp3|m4a|ogg|flac|mp4|mov"
    r"|avi|mkv|webm)(?![\w-]|\.\w)"
)
"""The extension of an image, a document, a sound or a video after a file's name's word
(`logo@2x.png`, `tokpe_kui@48kHz.wav`, `aitys_2019@1080p.mp4`, a phone's `IMG@2x.HEIC`)."""


def _may_spell_at(text: str) -> bool:
    """Whether `text` holds a word or a space ` at ` is written with (`_SPELT_AT_WORDS`,
    `_ODD_SPELT_AT`)."""
    if _holds_any(text, _SPELT_AT_WORDS):
        return True
    if text.isascii():
        return False
    return _holds_any(text, _RUSSIAN_AT_WORDS) or _ODD_SPELT_AT.search(text) is not None


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` holds any of `words` (a loop: `any` over a generator costs a short text
    several times more)."""
    for word in words:
        if word in text:
            return True
    return False


_WEB_ADDRESS = lazy(SCHEME_SLASHES)
_HANDLE_PAGE = lazy(HANDLE_PAGE)
_QUERY_ADDRESS = lazy(QUERY_ADDRESS)
_PATH_ADDRESS = lazy(PATH_ADDRESS)


def _in_query(text: str, start: int, end: int) -> bool:
    """Whether the query or fragment of the web address in `text[start:end]` (one word) holds
    an e-mail address (`QUERY_ADDRESS`)."""
    marks = [at for at in (text.find("?", start, end), text.find("#", start, end)) if at >= 0]
    return bool(marks) and _QUERY_ADDRESS.search(text, min(marks), end) is not None
