"""Facts about writing systems: Cyrillic and Latin letters, and the look-alikes that mix them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from ichinv.core import controls
from ichinv.core.i18n import _

#: Latin letters that look like Cyrillic ones, with the Cyrillic letter meant.
LATIN_LOOKALIKES: dict[str, str] = {
    "a": "а", "c": "с", "e": "е", "i": "і", "o": "о", "p": "р", "x": "х", "y": "у", "h": "һ",
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М", "O": "О",
    "P": "Р", "T": "Т", "X": "Х", "Y": "У",
    "\u0259": "ә", "\u018f": "Ә",  # Latin schwa, as in the Kazakh Latin alphabets of old
    "\u0275": "ө", "\u019f": "Ө",  # Latin barred o
}  # fmt: skip

CYRILLIC_LOOKALIKES: dict[str, str] = {
    **{cyrillic: latin for latin, cyrillic in LATIN_LOOKALIKES.items() if latin.isascii()},
    "к": "k", "ѕ": "s", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "һ": "h",
}  # fmt: skip
"""Cyrillic letters that look like Latin ones, with the Latin letter they look like."""

_WORD = re.compile(r"\w+", re.UNICODE)


def script_of(char: str) -> str | None:
    """`Cyrillic`, `Latin` or None for one letter (None for digits, punctuation, others)."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if name.startswith("CYRILLIC"):
        return "Cyrillic"
    if name.startswith("LATIN"):
        return "Latin"
    return None


@dataclass(frozen=True, slots=True)
class StrayLetter:
    """A letter of one script inside text (or a word) of another."""

    word: str
    letter: str
    index: int
    """Index of the letter in the whole text."""
    meant: str | None
    """The Cyrillic letter it imitates, when it is a known look-alike."""

    def describe(self) -> str:
        code = f"U+{ord(self.letter):04X}"
        if self.meant:
            return _(
                "Latin {letter!r} ({code}) in the word {word!r} looks like Cyrillic "
                "{meant!r} ({meant_code})"
            ).format(
                letter=self.letter,
                code=code,
                word=self.word,
                meant=self.meant,
                meant_code=f"U+{ord(self.meant):04X}",
            )
        if script_of(self.letter) == "Cyrillic":
            return _("Cyrillic {letter!r} ({code}) in the word {word!r}").format(
                letter=self.letter, code=code, word=self.word
            )
        return _("Latin {letter!r} ({code}) in the word {word!r}").format(
            letter=self.letter, code=code, word=self.word
        )


def read_as_latin(word: str) -> str | None:
    """`word` with each Cyrillic letter that looks like a Latin one read as that letter
    (`соnsent`, its `с` and `о` Cyrillic, reads `consent`); None when it holds no Cyrillic letter,
    or one that looks like no Latin letter."""
    if word.isascii():
        return None
    read = "".join(CYRILLIC_LOOKALIKES.get(char, char) for char in word)
    return read if read.isascii() else None


def cyrillic_letters(word: str) -> list[str]:
    """The Cyrillic letters of `word`, each once, in the order they first appear."""
    return list(dict.fromkeys(char for char in word if script_of(char) == "Cyrillic"))


def latin_letters(text: str) -> Iterator[StrayLetter]:
    """Every Latin letter in `text` (which should be wholly Cyrillic)."""
    for match in _WORD.finditer(text):
        word = match.group()
        for offset, char in enumerate(word):
            if script_of(char) == "Latin":
                yield StrayLetter(word, char, match.start() + offset, LATIN_LOOKALIKES.get(char))


_MAY_BE_CYRILLIC = "\u0400-\u052f\u1c80-\u1c8f\u1d2b\u2de0-\u2dff\ua640-\ua69f\U0001e030-\U0001e08f"
"""The blocks of every letter `script_of` may call Cyrillic (its name starts so)."""

_MAY_BE_LATIN = r"[^\W\d_\u0400-\u052f]"
"""A letter outside the core Cyrillic blocks: every letter `script_of` may call Latin."""

_NOT_CYRILLIC = re.compile(_MAY_BE_LATIN)

_MAY_MIX = re.compile(
    f"[{_MAY_BE_CYRILLIC}][\\d_]*{_MAY_BE_LATIN}|{_MAY_BE_LATIN}[\\d_]*[{_MAY_BE_CYRILLIC}]"
)
"""Two letters of a word, one that may be Cyrillic and one that may be Latin, with only digits
or `_` between. A word holding a Cyrillic and a Latin letter has such a pair (the last letter
that may be Cyrillic before its first Latin one and that Latin letter, or the other way
round), so no match means no word mixes scripts. Each run of digits is scanned from the one
letter before it: linear in the text."""


def may_mix_scripts(text: str) -> bool:
    """False when `text` certainly holds no word mixing scripts (a cheap test; validate runs
    it over every text of every record): ASCII text holds no Cyrillic, and a word of Kazakh
    in Latin letters with its marks (`Qazaq kúresi`) or of Cyrillic alone mixes nothing."""
    return (
        not text.isascii()
        and _NOT_CYRILLIC.search(text) is not None  # one class: the engine skips along fast
        and _MAY_MIX.search(text) is not None
    )


def mixed_words(text: str) -> Iterator[StrayLetter]:
    """The first stray letter of each word that mixes Cyrillic and Latin letters."""
    if not may_mix_scripts(text):
        return
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        scripts = [script_of(c) for c in word]
        if "Cyrillic" in scripts and "Latin" in scripts:
            cyrillic = scripts.count("Cyrillic") >= scripts.count("Latin")
            minority = "Latin" if cyrillic else "Cyrillic"
            offset = scripts.index(minority)
            char = word[offset]
            yield StrayLetter(
                word, char, match.start() + offset, LATIN_LOOKALIKES.get(char) if cyrillic else None
            )


SOFT_HYPHEN = controls.SOFT_HYPHEN

_FORBIDDEN = controls.pattern(
    controls.CONTROL, controls.BIDI, controls.INVISIBLE, keep="\t\n", record_text=True
)
"""What a multi-line text may not hold: control characters (but the line break and tab),
bidirectional controls, invisible characters (ichinv.core.controls) but the soft hyphen and a
joiner that spells a word or an emoji (controls.JOINERS). Line and paragraph separators may
stand in one (every output makes them a space or an escape)."""

_FORBIDDEN_ONE_LINE = controls.pattern(record_text=True)
"""What a one-line text may not hold: the above, line breaks, tabs, line and paragraph
separators."""

_FORBIDDEN_ANYWHERE = controls.pattern(keep="\n", record_text=True)
"""Every character either pattern above forbids, but the line break. Texts joined by line
breaks (`may_hold_invisible`) make no joiner spelt that is not: a line break is no letter."""


def may_hold_invisible(text: str) -> bool:
    """False when no line-stripped part of `text` (multi-line or not) holds a character
    `invisible_character` would report: one search over many texts joined by line breaks."""
    return _FORBIDDEN_ANYWHERE.search(text) is not None


def invisible_character(text: str, *, multiline: bool = True) -> str | None:
    """The first control, zero-width or bidirectional-override character in `text`, if any:
    not a soft hyphen, nor a joiner that spells a word or an emoji (controls.JOINERS).

    Tabs and line breaks are allowed in multi-line texts only.
    """
    match = (_FORBIDDEN if multiline else _FORBIDDEN_ONE_LINE).search(text)
    return match.group() if match else None
