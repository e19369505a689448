"""The characters no output may print as they are: the one home of the set every format
escapes (each in its own way) and of the patterns that find them.

A file's name may hold any character but `/`, and a record's text any the strict reader lets
through: printed raw, these would make a line of their own (a GitHub workflow command in CI's
log), act on a terminal, or reorder what a reader sees ("Trojan Source", CVE-2021-42574).
Each format shows them in its own way: `\\u202e` in text (ichinv.render.plain.one_line),
`%u202E` in GitHub workflow commands, `\\u202e` inside JSON strings, U+FFFD in Markdown and
HTML, where the line and paragraph separators become spaces instead (line breaks to
JavaScript and editors, but no white space to HTML).
"""

from __future__ import annotations

import re

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


def pattern(*, keep: str = "", also: str = "") -> re.Pattern[str]:
    """One character of CONTROL, SEPARATORS or BIDI, but those of `keep` (the line breaks and
    tabs a multi-line output keeps), and those of `also`: each written as a class body."""
    points = sorted(_ranges(CONTROL + SEPARATORS + BIDI + also) - _ranges(keep))
    runs: list[str] = []
    start = previous = points[0]
    for point in [*points[1:], -1]:
        if point == previous + 1:
            previous = point
            continue
        runs.append(_code(start) if start == previous else f"{_code(start)}-{_code(previous)}")
        start = previous = point
    return re.compile(f"[{''.join(runs)}]")


def _code(point: int) -> str:
    return f"\\U{point:08x}"


UNSAFE = pattern()
"""A character one line of output may not hold as it is: a control, a line or paragraph
separator, a bidirectional control."""
