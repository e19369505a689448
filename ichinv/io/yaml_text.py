"""The text of a record file: its bytes decoded strictly, and why a file cannot be a record.

A record file is UTF-8, with at most one byte-order mark, at the very start. It holds no
control characters, and its lines end with LF, CRLF or CR only: NEL, U+2028 and U+2029 are line
breaks to libyaml (YAML 1.1) but not to YAML 1.2, ruamel.yaml or git, so the two readers of
ichinv and `git diff` would count lines differently and could read different data. Each of
these is a `LoadProblem` with its line and column, found in one search of the text. A file
saved as UTF-16 or UTF-32 is named so, with or without a byte-order mark. (A syntax error
libyaml found is told in `yaml_syntax`.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ichinv.core.i18n import N_, _

MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences accepted; real records stay below 8."""


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """Why a file could not be read as a record, and where."""

    rule: str
    message: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    pointer: str = ""


class LoadError(Exception):
    """Raised by `decode` and `parse` with the problem found."""

    def __init__(self, problem: LoadProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


# --- decoding -------------------------------------------------------------------------------

_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufeff\ufffe\uffff]"
)
"""Every character a record file must not hold raw, found in one search of the text: control
characters, NEL and the Unicode line and paragraph separators, and a byte-order mark anywhere
but at the very start (a first one is dropped before the search)."""

_LINE_BREAKS = {
    "\x85": N_("the line break NEL (U+0085)"),
    "\u2028": N_("the LINE SEPARATOR (U+2028)"),
    "\u2029": N_("the PARAGRAPH SEPARATOR (U+2029)"),
}
"""Characters YAML 1.1 (and libyaml, the fast reader) take as line breaks, but YAML 1.2,
ruamel.yaml (the round-trip reader) and git do not: where they stand, the readers would see
different keys and values, and count lines differently. Only LF, CRLF and CR end a line."""

UTF8_REASONS = (
    N_("invalid start byte"),
    N_("invalid continuation byte"),
    N_("unexpected end of data"),
)
"""What Python says of bytes that are not UTF-8 (shown in the language of messages)."""

_BREAK = re.compile("\r\n?|\n")


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of character `index` in `text`, lines ending with LF, CRLF or
    CR as in YAML (and in the marks of the parser)."""
    if "\r" not in text:
        line = text.count("\n", 0, index) + 1
        start = text.rfind("\n", 0, index) + 1
        return line, index - start + 1
    line, start = 1, 0
    for end in _BREAK.finditer(text, 0, index):
        line, start = line + 1, end.end()
    return line, index - start + 1


def _wide_encoding(raw: bytes) -> str | None:
    """ "UTF-16" or "UTF-32" when `raw` has the NUL bytes of one of them in the places they
    take (a record's keys, spaces and line breaks are ASCII: one NUL beside each in UTF-16,
    three in UTF-32), with or without a byte-order mark; else None."""
    if raw[:3] == b"\xef\xbb\xbf":
        return None
    if raw[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
        return "UTF-32"
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    sample = raw[:4096]
    if sample.count(0) < 8:  # a stray NUL is a control character, told as such
        return None
    share = [sample[k::4].count(0) / len(sample[k::4]) for k in range(4)]
    if min(share[0], share[1]) > 0.9 or min(share[2], share[3]) > 0.9:
        return "UTF-32"
    even, odd = (share[0] + share[2]) / 2, (share[1] + share[3]) / 2
    if max(even, odd) >= 0.25 and min(even, odd) <= 0.02:
        return "UTF-16"
    return None


def decode(raw: bytes) -> str:
    """Decode a record file strictly as UTF-8 (a leading BOM is dropped)."""
    wide = _wide_encoding(raw)
    if wide is not None:
        raise LoadError(
            LoadProblem(
                "yaml.encoding",
                _("the file is saved as {encoding}; records must be UTF-8").format(encoding=wide),
                1,
                1,
                hint=_("save the file again with the encoding UTF-8"),
            )
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, column = line_col(good, len(good))
        raise LoadError(
            LoadProblem(
                "yaml.encoding",
                _("byte {byte} is not valid UTF-8 ({reason})").format(
                    byte=f"0x{raw[exc.start]:02X}", reason=_(exc.reason)
                ),
                line,
                column,
                hint=_(
                    "save the file with the encoding UTF-8; text pasted from old documents "
                    "is often in Windows-1251 or Latin-1"
                ),
            )
        ) from None
    bad = _FORBIDDEN.search(text)
    if bad is not None:
        raise LoadError(_forbidden(text, bad.start()))
    return text


def _forbidden(text: str, index: int) -> LoadProblem:
    """The problem of the character at `index`, one of `_FORBIDDEN`."""
    char = text[index]
    line, column = line_col(text, index)
    if char in _LINE_BREAKS:
        return LoadProblem(
            "yaml.line-break",
            _(
                "the file contains {character}, which some YAML readers take as the end of a "
                "line and others (and git) do not; lines end with LF or CRLF only"
            ).format(character=_(_LINE_BREAKS[char])),
            line,
            column,
            hint=_(
                "replace it with an ordinary line break, or with a space inside a sentence; "
                "it often comes from text copied out of a web page or a word processor"
            ),
        )
    if char == "\ufeff":
        return LoadProblem(
            "yaml.bom",
            _(
                "the file contains a second byte-order mark; one may only open the file, "
                "before its first line"
            )
            if index == 0
            else _(
                "the file contains a byte-order mark (U+FEFF); one may only open the file, "
                "before its first line"
            ),
            line,
            column,
            hint=_(
                "delete the invisible character U+FEFF; editors that save with a BOM add only "
                "one, so this one was probably pasted or the file was joined from two"
            ),
        )
    return LoadProblem(
        "yaml.control-character",
        _("the file contains the control character {code}, which YAML does not allow").format(
            code=f"U+{ord(char):04X}"
        ),
        line,
        column,
        hint=_(
            "delete the invisible character; it often comes from copying text out of "
            "a PDF or a word processor"
        ),
    )


def glued_comment(text: str, event: Any) -> bool:
    """Whether a `#` follows a quoted scalar or a block scalar's indicator with no space
    between (`"value"# note`, `>#note`): YAML 1.2 makes that an error; libyaml reads a
    comment, and ruamel.yaml drops its text when `fmt` rewrites the file."""
    if event.style in "'\"":
        at = event.end_mark.index
        return text[at : at + 1] == "#"
    at = event.start_mark.index + 1  # past `|` or `>`
    while text[at : at + 1] in ("+", "-") or text[at : at + 1].isdigit():
        at += 1
    return text[at : at + 1] == "#"
