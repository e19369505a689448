"""Where a text holds what surely is a phone number, its digits read as a reader reads them
(superscript, circled and full-width digits too): the phones' side of
`ichinv.core.contacts.sure_contact`, and the digits `contacts.CONTACT_LIKE` is read over."""

from __future__ import annotations

import re
import unicodedata

from ichinv.core.lazy_patterns import lazy
from ichinv.core.phone_patterns import (
    DIGIT_LETTERS,
    LINE_WORD,
    NUMBER_SIGN,
    PHONE_WITH_LETTERS,
    PHONE_WORD,
    SURE_PHONE,
)

_SURE_PHONE = lazy(SURE_PHONE)
_PHONE_WITH_LETTERS = lazy(PHONE_WITH_LETTERS)


def sure_phone(text: str) -> bool:
    """Whether `text` (as a reader sees it: `contacts.visible`) holds what surely is a phone
    number (`SURE_PHONE`, `_phone_number`), read over ASCII digits, also with a letter written
    for a digit here and there (`8 7O1 123 45 67`, `letters_as_digits`). One search finds where
    either may begin (`PHONE_WITH_LETTERS`): most texts hold none."""
    digits = _ascii_digits(_reader_digits(text))
    found = _PHONE_WITH_LETTERS.search(digits)
    if found is None:
        return False
    if _phone_number(digits, _SURE_PHONE.search(digits, found.start())):
        return True
    read = letters_as_digits(digits)
    return read is not digits and _phone_number(
        read, _SURE_PHONE.search(read, found.start()), written=digits
    )


_DIGIT_WORD = lazy(rf"(?<!\w)[\d{DIGIT_LETTERS}]++(?!\w)")
_AS_DIGITS = str.maketrans(DIGIT_LETTERS, "0000111")


def letters_as_digits(text: str) -> str:
    """`text` with each letter written for a digit (`DIGIT_LETTERS`) in a word of digits and
    such letters read as the digit (`7O1` → `701`, `l23` → `123`, `6І` → `61`): as long as `text`,
    character for character, so that what is found in it can be cut from `text`. The very
    `text` when it holds no such word; a word of letters only (`lOl`, `I`) or with other
    letters (`7Ox`, `Room`) stays."""
    if not any(letter in text for letter in DIGIT_LETTERS):
        return text
    read = _DIGIT_WORD.sub(_word_as_digits, text)
    return text if read == text else read


def _word_as_digits(word: re.Match[str]) -> str:
    written = word.group()
    if written.isdigit() or not any(char.isdigit() for char in written):
        return written
    return written.translate(_AS_DIGITS)


_NOT_DECIMAL_DIGIT = lazy(r"[\u00b2\u00b3\u00b9\u2070-\u209f\u2460-\u24ff\u2776-\u2793]")
"""A superscript, subscript, circled or dingbat digit (`⁸`, `₈`, `⑧`, `❽`, `⓪`): one character
class, looked for before a text is folded (`digits_folded`), which costs any text that is not
ASCII more."""


def _reader_digits(text: str) -> str:
    """`text` with its superscript, subscript, circled and dingbat digits read as digits
    (`digits_folded`, as CONTACT_LIKE reads them: `⑧ ⑦⓪① ①②③ ④⑤ ⑥⑦` is a phone number)."""
    if text.isascii() or _NOT_DECIMAL_DIGIT.search(text) is None:
        return text
    return digits_folded(text)


def _phone_number(text: str, found: re.Match[str] | None, written: str | None = None) -> bool:
    """Whether `text` (over ASCII digits) holds what surely is a phone number (`SURE_PHONE`),
    the first found that is one where it stands (`_told`). With `written`, `text` is it with
    its letters read as digits (`letters_as_digits`): a number is one only where a third of its
    digits at most are letters (`8 7OO OOO OO OO` is none). After a local number that is none,
    the search goes on from its second character (a number may begin at a group of it)."""
    while found is not None:
        if _told(text, found) and (
            written is None or _few_letters(written[found.start() : found.end()])
        ):
            return True
        after = found.start() + 1 if found["local"] is not None else found.end()
        found = _SURE_PHONE.search(text, after)
    return False


def _told(text: str, found: re.Match[str]) -> bool:
    """Whether the number `found` in `text` is a phone number where it stands: a local number
    (the way of `local`: `12-34-56`, `2-50-12`) only right after a word naming a phone's line
    (`_after_phone_word`: `тел. 12-34-56`, `дом. тел. 21-45-67`; alone, it may be a date, a
    score or a code), any other unless it is an inventory's, an order's or a book's number
    (`_numbered`)."""
    if found["local"] is not None:
        return _after_phone_word(text, found.start())
    return not _numbered(text, found)


def _after_phone_word(text: str, start: int) -> bool:
    """Whether a word naming a phone's line (`LINE_WORD`) stands right before `start` in
    `text`, or before a number sign right before it (`Тел. № 21-45-67`)."""
    if _named(_LINE_WORD, text, start):
        return True
    sign = _NUMBERED.search(text, max(0, start - 24), start)
    return sign is not None and _named(_LINE_WORD, text, sign.start())


def _named(word: re.Pattern[str], text: str, end: int) -> bool:
    """Whether `word` (`LINE_WORD`, `PHONE_WORD`) ends right before `end` in `text` (read
    within 16 characters before it)."""
    return word.search(text, max(0, end - 16), end) is not None


def _numbered(text: str, found: re.Match[str]) -> bool:
    """Whether the number `found` in `text` is an inventory's, an order's or a book's: right
    after a number sign (`NUMBER_SIGN`) with no word naming a phone before it (`PHONE_WORD`:
    `Tel. No.`), a mobile number with no `8` or `7` before it (the ways of `gap`, `gap4` and
    `gap7`: `№ 701 123 45 67`), one written with `00` for the `+` (the way of `zeros`: `No.
    0049 30 1234567`), or one with an `8` or a `7` written with no space (`Order No.
    87771234567`); one spaced as a phone number is (`No. 8 777 123 45 67`), or after a `+`,
    is a phone number."""
    if all(found[way] is None for way in ("gap", "gap4", "gap7", "zeros")):
        if not found.group().isdigit():  # an `8`, a `7` or a `+` before it, spaced or dashed
            return False
    sign = _NUMBERED.search(text, max(0, found.start() - 24), found.start())
    return sign is not None and not _named(_PHONE_WORD, text, sign.start())


def _few_letters(number: str) -> bool:
    """Whether a third at most of the digits of `number` are letters (`DIGIT_LETTERS`)."""
    letters = sum(1 for char in number if char in DIGIT_LETTERS)
    return 3 * letters <= letters + sum(1 for char in number if char.isdigit())


_NUMBERED = lazy(NUMBER_SIGN)
_PHONE_WORD = lazy(PHONE_WORD)
_LINE_WORD = lazy(LINE_WORD)


def digits_folded(text: str) -> str:
    """`text` with each digit that is no decimal digit written as one (`²` → `2`, `①` → `1`,
    `⑴` → `1`), but for one right after a decimal digit (a footnote's mark: `2013¹`): as long
    as `text`, character for character, so that what is found in it can be cut from `text`.
    Decimal digits of other scripts (`٣`, `３`) stay: `\\d` reads them."""
    if text.isascii():
        return text
    folded = text.translate(_FOLDED)
    if folded == text:
        return text
    chars = list(folded)
    for number in range(1, len(text)):
        if chars[number] != text[number] and text[number - 1].isdecimal():
            chars[number] = text[number]
    return "".join(chars)


class _Folded(dict[int, str]):
    """A translation table: the ASCII digit of each digit that is no decimal digit (or, with
    `decimal`, of each decimal digit of another script: `８`, `٨`), any other character itself;
    each character worked out at its first use."""

    def __init__(self, *, decimal: bool = False) -> None:
        super().__init__()
        self.decimal = decimal

    def __missing__(self, code: int) -> str:
        char = chr(code)
        digit = unicodedata.digit(char, None) if char.isdecimal() is self.decimal else None
        folded = self[code] = char if digit is None else str(digit)
        return folded


_FOLDED = _Folded()
_DECIMALS = _Folded(decimal=True)
_OTHER_DECIMAL = lazy(r"[^\D0-9]")
"""A decimal digit of another script (`８`, `٨`): one character class, which the engine reads
three times faster than `(?![0-9])\\d`, the same set."""


def _ascii_digits(text: str) -> str:
    """`text` with each decimal digit of another script written as an ASCII one (`８` → `8`):
    `SURE_PHONE` names the digits a number of Kazakhstan begins with, and a number written in
    full-width digits (`８ ７００ …`) is one to a reader."""
    if text.isascii() or _OTHER_DECIMAL.search(text) is None:
        return text
    return text.translate(_DECIMALS)
