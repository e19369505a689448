"""Where a text holds an e-mail address however written: an `@` (also spaced, bracketed or spelt
out in brackets, `&#64;`, `%40`) outside a web address, or in one where it is a user name's,
a handle's or an address in its query or path; or ` at ` between words ending in a top-level
domain (`aigul at gmail dot com`). The e-mail side of `ichinv.core.contacts.sure_contact`."""

from __future__ import annotations

import re

from ichinv.core.contact_patterns import (
    AT_SIGN,
    CLOSING,
    HANDLE_PAGE,
    OPENING,
    PATH_ADDRESS,
    QUERY_ADDRESS,
    SCHEME_SLASHES,
    SPELT_HOST,
    WORD,
)
from ichinv.core.web_logins import login_spans

_ADDRESS_SIGN = re.compile(AT_SIGN)
_SIGNS = ("@", "&", "%40", "\uff20", "\ufe6b")
"""What an `@` however written but in brackets (`_BRACKETED_AT`) holds: an `@`, also a full-width
or small one, the `&` of an HTML character reference, or the `%40` of a URL-encoded one."""
_BRACKETED_AT = re.compile(
    rf"{OPENING}\s*(?i:[aа\uff41\uff21][tт\uff54\uff34]|собака|собачка|айқұлақ)\s*{CLOSING}"
)
_SPELT_AT = re.compile(r"\s{1,4}(?i:at|собака|собачка)(?=\s)")
"""` at ` of an address written out, up to the white space after it (where the address's
host begins, `_AFTER_SPELT_AT`): a match takes no white space the next one begins with
(`aigul\nat at gmail.com`, where an `at` ends a line)."""
_SPELT_AT_WORDS = (" at ", " AT ", "\t")
_RUSSIAN_AT_WORDS = ("обак", "ОБАК", "обач", "ОБАЧ")
"""How ` at ` (`_SPELT_AT`) is written in an address as people write one, looked for as plain
text first (each word looked for costs about 2 µs a record; the pattern, searched from every
white space, costs ten times more): a tab, rare in a record's texts, lets the pattern look
(`aigul\tat\tgmail.com`, pasted from a spreadsheet); in a text that is not ASCII, the Russian
word, also capitalised or in capitals (`собака`, `Собака`, `СОБАКА`, `собачка`). An address
written with ` At ` or line breaks around `at` is still hidden from what ichinv prints
(CONTACT_LIKE), though not warned of."""
_ODD_SPELT_AT = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
"""What else lets the pattern look in a text that is not ASCII: white space other than ASCII's
(a word processor's no-break or thin space, `aigul\u00a0at\u00a0gmail.com`). `at` in Cyrillic
letters (`aigul ат gmail.com`) and `aigul-at-gmail.com` are hidden from what ichinv prints
(SPELT_ADDRESS) but not warned of: `ат` is the Kazakh word for a horse (`Бәйгеде озған ат
qazaqat.kz порталында`), and `-at-` is in the names of sites (`heritage-at-risk.org`)."""
_BEFORE_SPELT_AT = re.compile(rf"(?<![\w-]){WORD}\Z")
_AFTER_SPELT_AT = re.compile(rf"\s{{1,4}}(?i:{SPELT_HOST})")
"""What stands before and after ` at ` in an address written out (`SPELT_ADDRESS`): a word of an
address's (searched for up to where ` at ` begins), and its host (matched where it stands)."""


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
                if not _file_name(text, found.start(), found.end()):  # (`logo@2x.jpg`)
                    return True
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
        and before.group().lower() not in _PROSE_BEFORE_AT
        and _ARTICLE.search(text, max(0, before.start() - 12), before.start()) is None
        and _AFTER_SPELT_AT.match(text, found.end()) is not None
        for found in _SPELT_AT.finditer(text)
    )


def _file_name(text: str, start: int, end: int) -> bool:
    """Whether the `@` at `text[start:end]` is in a file's name (`Dombra@2x.png`, `logo@2x.jpg`,
    `Scan@300dpi.pdf`): a word before it, and after it a word with no dot and the extension of
    an image or a document (`_FILE_END`); `aigul@gmail.com.png` is an address."""
    return start > 0 and text[start - 1].isalnum() and _FILE_END.match(text, end) is not None


_FILE_END = re.compile(r"[\w-]{1,64}\.(?i:png|jpe?g|gif|svg|webp|pdf|tiff?)(?![\w-]|\.\w)")


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


_PROSE_BEFORE_AT = frozenset(
    """available published online information info more found posted held located accessible
    read see visit article text here there festival website site page portal archived kept
    stored hosted listed registered shown seen cited quoted described documented filmed
    recorded broadcast streamed presented performed celebrated exhibited displayed details
    materials publication report list database catalogue catalog record records festivals
    concert concerts museum museums exhibition exhibitions event events ceremony ceremonies
    competition competitions contest contests gallery galleries theatre theatres theater
    theaters library libraries centre centres center centers school schools university
    institute forum fair fairs celebration celebrations meeting meetings workshop workshops
    seminar seminars lecture lectures performance performances show shows screening""".split()
)
"""Words that stand before ` at ` and a site's name in prose, never an address's user name:
what is read or found there (`published at adilet.zan.kz`, `available at e-history.kz`, `more
information at www.unesco.org`: an outside attack found each warned of as an address, and
refused as a `--decision`), and the events and places a site is named after (`festival at
Almaty.kz`, `concerts at astana.kz`, `the museum at kazmuseum.kz`). Log still hides them
(CONTACT_LIKE)."""
_ARTICLE = re.compile(
    r"(?<![\w-])(?:a|an|(?i:the|this|these|those|its|their|our|every|each))[ \t\u00a0]{1,4}\Z"
)
"""An article or a determiner before the word before ` at ` (`the concert at Astana.kz`, `this
year's fair`, `our workshop at kazart.kz`): that word is a noun of prose, never an address's
user name (`aigul at example.org`, `write to aigul_n at gmail.com` are still addresses).
Not `that`, `his` or `her`, which may stand before a name (`note that aigul at …`, `write to
her aigul_n at …`), nor a capital `A` (an initial: `A Kenzhe at gmail.com`), nor across a line
break."""


_WEB_ADDRESS = re.compile(SCHEME_SLASHES)
_HANDLE_PAGE = re.compile(HANDLE_PAGE)
_QUERY_ADDRESS = re.compile(QUERY_ADDRESS)
_PATH_ADDRESS = re.compile(PATH_ADDRESS)


def _in_query(text: str, start: int, end: int) -> bool:
    """Whether the query or fragment of the web address in `text[start:end]` (one word) holds
    an e-mail address (`QUERY_ADDRESS`)."""
    marks = [at for at in (text.find("?", start, end), text.find("#", start, end)) if at >= 0]
    return bool(marks) and _QUERY_ADDRESS.search(text, min(marks), end) is not None
