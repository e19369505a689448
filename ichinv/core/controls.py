"""The characters no output may print as they are: the one home of the sets every format
escapes (each in its own way) and of the patterns that find them.

A file's name may hold any character but `/`, and a record's text any the strict reader lets
through: printed raw, these would make a line of their own (a GitHub workflow command in CI's
log), act on a terminal, reorder what a reader sees ("Trojan Source", CVE-2021-42574) or make
one name look like another. Each format shows them in its own way: `\\u202e` in text
(ichinv.render.plain.one_line), `%u202E` in GitHub workflow commands, `\\u202e` inside JSON
strings, U+FFFD in Markdown and HTML, where the line and paragraph separators become spaces
instead (line breaks to JavaScript and editors, but no white space to HTML). Each user takes
the sets it needs by name (`pattern`).

A record's text keeps two kinds of them where they belong to its words
(`pattern(record_text=True)`: what `validate` takes in a record and what prints a record's text
leaves as it is): the soft hyphen, and a joiner that is part of a word's spelling
(`JOINERS`). A name (a file's, a value quoted in a message) escapes them all.
"""

from __future__ import annotations

import re
import unicodedata

CONTROL = "\x00-\x1f\x7f-\x9f"
"""C0 controls (line feed, carriage return, tab, ESC, which starts a terminal's escape
sequences), DEL and C1 controls (NEL U+0085, which ends a line for some readers; CSI U+009B
and OSC U+009D, which some terminals obey as ESC [ and ESC ])."""

SEPARATORS = "\u2028\u2029"
"""LINE SEPARATOR and PARAGRAPH SEPARATOR: a line break to JavaScript, to editors and to
GitHub's pages."""

BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""The bidirectional controls: the marks (ARABIC LETTER MARK, LEFT-TO-RIGHT MARK,
RIGHT-TO-LEFT MARK), embeddings and overrides (U+202A-U+202E) and isolates
(U+2066-U+2069). They reorder the text around them on its line."""

INVISIBLE = (
    "\u200b-\u200d\u2060\ufeff"
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u2061-\u2065\u206a-\u206f"
    "\u3164\uffa0\ufff9-\ufffb\U000e0001-\U000e007f"
)
"""Characters that show as nothing, or as nothing of their own, in most fonts: the zero-width
ones (ZERO WIDTH SPACE, NON-JOINER and JOINER U+200B-U+200D, WORD JOINER U+2060, ZERO WIDTH
NO-BREAK SPACE U+FEFF, the byte-order mark), SOFT HYPHEN, COMBINING GRAPHEME JOINER, the
Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the Khmer inherent vowels U+17B4 and U+17B5,
MONGOLIAN VOWEL SEPARATOR, the invisible operators U+2061-U+2064 (and U+2065, not assigned),
the deprecated format characters U+206A-U+206F, the interlinear annotation marks
U+FFF9-U+FFFB and the tag characters U+E0001-U+E007F. A name holding one looks like the name
without it (`elements/KZ-2013-0001\u200b.yaml` like `elements/KZ-2013-0001.yaml`), and a
phone number may hide its digits behind them."""

SOFT_HYPHEN = "\u00ad"
"""A hyphenation point word processors leave in pasted text (`Қазақ\u00adстан`), one of
INVISIBLE: shown as a hyphen where a line breaks there, else as nothing. A name holding one is
printed escaped, but a record's text may hold it (`validate` takes it: an outside attack found
every text pasted from Word refused when it did not), and what prints a record's text keeps it
(a packet, a page, the terminal)."""

JOINERS = "\u200c\u200d"
"""ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER, two of INVISIBLE, which the scripts of joined
letters spell words with: Persian, Uyghur, Urdu and Kazakh in Arabic script keep two letters
of a word apart with U+200C (`کتاب‌ها`, "books" in Persian), the Indic scripts choose the
form of a conjunct with them (`ශ්‍රී`, "Sri" in Sinhala, holds U+200D), and U+200D joins
emoji into one (a family, the rainbow flag). A record's text keeps one between two letters (or
combining marks) of JOINING_SCRIPTS, and U+200D between two PICTOGRAPHS; anywhere else (at a
text's start or end, in a Latin or Cyrillic word, between digits, twice in a row, beside a
bidirectional control) it spells nothing and is refused and escaped as the others are."""

JOINING_SCRIPTS = (
    "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe"  # Arabic
    "\u0700-\u074f"  # Syriac
    "\u1800-\u18af"  # Mongolian
    "\u0900-\u0dff"  # the Indic scripts, Devanagari to Sinhala
)
"""The blocks of the scripts whose words a joiner may be part of: Arabic (its supplement,
extended-A and presentation forms), Syriac, Mongolian, and the Indic blocks from Devanagari to
Sinhala, whose conjuncts take joiners as Arabic's letters do. Of these blocks the letters and
combining marks count (a vowel sign, a virama), and the code points Unicode has not assigned
yet; not the digits (a joiner between `۸۷۰۰` and `۰۰۰` spells no word), punctuation, symbols
or format characters (ARABIC LETTER MARK U+061C is a bidirectional control, MONGOLIAN VOWEL
SEPARATOR U+180E an invisible one), as Python's Unicode data tells them."""

PICTOGRAPHS = "\u2600-\u27bf\U0001f000-\U0001faff"
"""Emoji and the symbols and dingbats they grew from: U+200D joins two of them into one, the
first maybe followed by VARIATION SELECTOR-16 U+FE0F (`🏳️‍🌈`: white flag, VS16, ZWJ,
rainbow)."""

EVERY = (CONTROL, SEPARATORS, BIDI, INVISIBLE)
"""Every set above: what no output prints as it is."""


def _ranges(chars: str) -> set[int]:
    """The code points of a character class body such as `\\x00-\\x1f\\u2028`."""
    points: set[int] = set()
    index = 0
    while index < len(chars):
        if index + 2 < len(chars) and chars[index + 1] == "-":
            points.update(range(ord(chars[index]), ord(chars[index + 2]) + 1))
            index += 3
        else:
            points.add(ord(chars[index]))
            index += 1
    return points


def word_like(chars: str) -> str:
    """The characters of a character class body such as INVISIBLE that a pattern's `\\w`
    matches (of INVISIBLE, the Hangul fillers: letters to Unicode), as a class body."""
    return "".join(
        re.escape(chr(point)) for point in sorted(_ranges(chars)) if re.match(r"\w", chr(point))
    )


def _class(points: set[int]) -> str:
    """A character class body holding exactly `points` (one or more), in runs."""
    ordered = sorted(points)
    runs: list[str] = []
    start = previous = ordered[0]
    for point in [*ordered[1:], -1]:
        if point == previous + 1:
            previous = point
            continue
        runs.append(_code(start) if start == previous else f"{_code(start)}-{_code(previous)}")
        start = previous = point
    return "".join(runs)


def _code(point: int) -> str:
    return f"\\U{point:08x}"


_NO_LETTER = {"Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So"}
_NO_LETTER |= {"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co"}
"""The general categories of what no joiner spells a word beside: numbers, punctuation,
symbols, spaces, controls and format characters."""

_LETTER = _class(
    {p for p in _ranges(JOINING_SCRIPTS) if unicodedata.category(chr(p)) not in _NO_LETTER}
)
"""A letter or combining mark of JOINING_SCRIPTS, or a code point not assigned yet: 73 runs of
code points, where the letters and marks alone make 262 (each pattern compiles it twice)."""

_SPELT = (
    f"(?<=[{_LETTER}][{JOINERS}])(?=[{_LETTER}])"
    f"|(?<=[{PICTOGRAPHS}]\u200d)(?=[{PICTOGRAPHS}])"
    f"|(?<=[{PICTOGRAPHS}]\ufe0f\u200d)(?=[{PICTOGRAPHS}])"
)
"""Holds just after a joiner that is part of a word's spelling (JOINERS): one between two
letters of a joining script, or U+200D between two pictographs (the first maybe followed by
VS16). The joiner is matched first and this tried after it only: a search skips along the
text by the first character's class alone."""


def pattern(*sets: str, keep: str = "", record_text: bool = False) -> re.Pattern[str]:
    """One character of `sets` (each a character class body such as CONTROL; none: EVERY) but
    those of `keep` (the line breaks and tabs a multi-line output keeps). `record_text`: what a
    record's text may hold is no match either: a soft hyphen, and a joiner that is part of a
    word's spelling (JOINERS); else every one is."""
    points = _ranges("".join(sets or EVERY)) - _ranges(keep)
    if not record_text:
        return re.compile(f"[{_class(points)}]")
    points -= _ranges(SOFT_HYPHEN)
    spelt = f"(?!{_SPELT})" if points & _ranges(JOINERS) else ""
    return re.compile(f"[{_class(points)}]{spelt}")


UNSAFE = pattern()
"""A character one line of output may not hold as it is: a control, a line or paragraph
separator, a bidirectional control, an invisible character."""


LEGACY_COMMAND = "##["
"""Where a GitHub Actions runner reads an old-style workflow command anywhere in a line of a
step's log (`##[add-mask]…`, `##[stop-commands]…`, `##[error …]…`), as it reads `::command::`
at a line's start (after white space). Record text, a file's name or a commit subject printed
in a report must start neither: every format breaks them (`inert_commands`, and JSON by an
escape of its first `#`)."""

_LINE_COMMAND = re.compile(r"^([^\S\n]*):(?=:)", re.MULTILINE)


def inert_commands(text: str, escape: str = "\\x{:02x}") -> str:
    """`text` with no GitHub workflow command a runner would obey: the first `#` of each
    LEGACY_COMMAND and the first `:` of a line's `::` written as `escape` (formatted with the
    character's code point, `\\x23`, as `one_line` shows other characters a line may not
    hold). Two substring tests when there is none, as most texts have."""
    if LEGACY_COMMAND in text:
        text = text.replace(LEGACY_COMMAND, escape.format(ord("#")) + "#[")
    if "::" in text:
        text = _LINE_COMMAND.sub(lambda m: m.group(1) + escape.format(ord(":")), text)
    return text


class Name(str):
    """A name in a document of records' texts (a file's path, an id): every character of EVERY
    is escaped in it, a soft hyphen and a joiner too, wherever the texts around it keep them
    (`jsontext.dumps(..., record_text=True)`). `elements/کتاب‌ها.yaml` and
    `elements/کتابها.yaml` are two files that look alike."""

    __slots__ = ()
