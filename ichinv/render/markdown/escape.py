"""Record text made harmless in Markdown that GitHub renders: the `Md` type and its escapers.

What any text from a record goes through before it reaches a packet:

* every character Markdown gives a meaning to is backslash-escaped, so no raw HTML, no
  emphasis, link, image, entity, math or strikethrough comes from record text, and `|` cannot
  split a table cell; a line cannot start a heading, list, quote or rule;
* line breaks become spaces in inline text (tables, lists) and paragraph breaks in blocks;
* GitHub turns `@name` into a mention and `#12`, `GH-12`, `owner/repo#12` into references
  *after* Markdown, so backslashes do not stop them; such words are put in code spans, where
  GitHub neither pings nor links (no invisible characters are inserted);
* control characters, bidirectional controls (marks, embeddings, overrides, isolates) and
  invisible characters (zero-width ones, tags: ichinv.core.controls), which can disguise
  text, become U+FFFD;
* links are made only for http(s) addresses.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from ichinv.core import controls

REPLACEMENT = "\ufffd"


class Md(str):
    """Text that is already safe Markdown (escaped record text, or markup built from it)."""

    __slots__ = ()


_DISGUISE = controls.pattern(keep=f"\t\n\r{controls.SEPARATORS}", record_text=True)
"""Controls, bidirectional controls and invisible characters (Trojan-source style disguises);
tabs and line breaks are left to the escapers, which make them spaces or paragraph breaks, and
a record's soft hyphen and a joiner that spells a word or an emoji stay (controls.SOFT_HYPHEN,
controls.JOINERS)."""

_NAME_DISGUISE = controls.pattern()
"""`_DISGUISE` in a name (a file's, an id), which is no record's text: every control, line
break, separator and invisible character, a soft hyphen and a joiner too."""

_SPACE = re.compile(r"[\s\u2028\u2029]+")

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$#])")
"""Characters escaped wherever they are: they can open markup anywhere on a line."""

_LINE_START = re.compile(r"^(?:[-+](?=[ \t]|$)|[-=][-= \t]*$|\d{1,9}(?=[.)](?:[ \t]|$)))")
"""What only means something at the start of a line: a list item (`- `, `+ `, `1. `, `1) `),
a thematic break or a setext underline (`---`, `===`)."""

_PINGS = re.compile(
    r"(?<![A-Za-z0-9_])@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?"
    r"|(?:(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)?#[0-9]+"
    r"|(?<![A-Za-z0-9_-])[Gg][Hh]-[0-9]+"
)
"""Words GitHub turns into mentions (`@someone`, `@org/team`) or references (`#12`,
`owner/repo#12`, `GH-12`). A mention needs no space before it, only no ASCII letter, digit or
`_`: after a backtick, a bracket or a non-ASCII letter, `@someone` still pings. An
`owner/repo` part starts only where a word starts: tried inside every long word, it made
escaping quadratic (100,000 letters without a space took 11 s)."""

_MAYBE_PING = re.compile(r"[@#]|[Gg][Hh]-")
"""What every match of `_PINGS` contains: text without it is not searched for them."""

_URL = re.compile(r"^https?://[^\s<>\"\\`\x00-\x1f\x7f]+$", re.IGNORECASE)


def clean(text: str) -> str:
    """`text` with disguising characters replaced by U+FFFD (no other change): `_DISGUISE`."""
    return _DISGUISE.sub(REPLACEMENT, text)


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def inline(text: object) -> Md:
    """Any value as one line of harmless Markdown (for table cells, list items, headings)."""
    if isinstance(text, Md):
        return text
    return _inline(text if type(text) is str else str(text))


_PLAIN_PUNCTUATION = ",.;:()'\"!?/+=%\u2013\u2014\u2019\u201c\u201d\u00ab\u00bb-"
_NOT_PLAIN = re.compile(f"[^\\w \\t\\n\\r{_PLAIN_PUNCTUATION}]")
_NOT_PLAIN_WORD = re.compile(f"[_{controls.word_like(controls.INVISIBLE)}]")
"""What makes text more than plain, which `inline` leaves as it is but for a line-start marker
and its spaces (a run of spaces, tabs and line breaks one space, none at the ends): plain text
is letters and digits (but `_` and the invisible characters a pattern's `\\w` takes, the
Hangul fillers), common punctuation and those spaces (no disguise, nothing to escape; with no
`@`, `#` or `GH-`, no ping either). Most names, dates and descriptions are such text, and a
change packet escapes ten thousand it has not seen. Two character classes searched, not a
pattern per character matched: a 250-character description costs ~3 µs here, not ~25."""


@functools.lru_cache(maxsize=8192)
def _inline(text: str) -> Md:
    # Remembered: a packet escapes the same labels and vocabulary values thousands of times.
    if _plain(text):  # but for its spaces: a run of them becomes one, none at the ends
        return _line_start_escaped(" ".join(text.split()))
    flat = " ".join(clean(text).split())  # as _SPACE and strip would
    out: list[str] = []
    start = 0
    for match in _PINGS.finditer(flat) if _MAYBE_PING.search(flat) else ():
        out.append(_escape(flat[start : match.start()]))
        out.append(f"`{match.group()}`")
        start = match.end()
    out.append(_escape(flat[start:]))
    return _line_start_escaped("".join(out))


def _plain(text: str) -> bool:
    return (
        not _NOT_PLAIN.search(text)
        and not _NOT_PLAIN_WORD.search(text)
        and not ("-" in text and _MAYBE_PING.search(text))  # `@` and `#` are not plain
    )


def _line_start_escaped(text: str) -> Md:
    """`text` (escaped inline) with what would make its start a list item, a thematic break or
    a setext underline escaped."""
    marker = _LINE_START.match(text)
    if marker:
        cut = marker.end() if marker.group()[:1].isdigit() else 0
        text = text[:cut] + "\\" + text[cut:]
    return Md(text)


def block(text: object) -> Md:
    """Text as paragraphs of harmless Markdown: blank lines separate paragraphs, other line
    breaks join lines (as Markdown itself would)."""
    if isinstance(text, Md):
        return text
    paragraphs = re.split(r"\n[ \t]*\n", clean(str(text)).replace("\r\n", "\n").replace("\r", "\n"))
    return Md("\n\n".join(p for p in (inline(p) for p in paragraphs) if p))


def code(text: object) -> Md:
    """An identifier (element id, pointer, commit) as a code span; other text as `inline`."""
    value = str(text)
    if value and re.fullmatch(r"[A-Za-z0-9 ._:/+-]+", value) and value.strip() == value:
        return Md(f"`{value}`")
    return inline(value)


def name(text: object) -> Md:
    """A file's name (or an id) as `code` gives it, every disguising character U+FFFD: a joiner
    between two Arabic letters too (`_NAME_DISGUISE`), which `inline` keeps in a record's text."""
    return code(_NAME_DISGUISE.sub(REPLACEMENT, str(text)))


NON_BREAKING_HYPHEN = "\u2011"
"""Looks like `-` but never ends a line: ids in table cells stay whole (`KZ-2013-0001`, not
`KZ-2013-` / `0001`). Every id option of the CLI reads it back as `-`."""


def ident(text: object) -> Md:
    """An id for a table cell: a code span whose hyphens never break the line."""
    value = str(text)
    if value and re.fullmatch(r"[A-Za-z0-9-]+", value):
        return Md(f"`{value.replace('-', NON_BREAKING_HYPHEN)}`")
    return code(value)


def is_web_address(url: object) -> bool:
    """True for an http(s) address that can be a Markdown link destination as it is."""
    return isinstance(url, str) and bool(_URL.match(url))


def link(label: object, url: object) -> Md:
    """A link when `url` is an http(s) address; otherwise the label and the address as text."""
    shown = inline(label) if str(label).strip() else inline(url)
    if not is_web_address(url):
        return shown if str(label).strip() == str(url).strip() else Md(f"{shown} ({inline(url)})")
    destination = str(url).replace("(", "%28").replace(")", "%29").replace("|", "%7C")
    return Md(f"[{shown}](<{destination}>)")


def join(parts: Iterable[object], separator: str = ", ") -> Md:
    """Items joined, each escaped unless already `Md` (the separator is trusted)."""
    return Md(separator.join(inline(p) for p in parts))


def emphasis(text: object) -> Md:
    """Escaped text in italics (empty stays empty)."""
    value = inline(text)
    return Md(f"*{value}*") if value else value


def strong(text: object) -> Md:
    """Escaped text in bold (empty stays empty)."""
    value = inline(text)
    return Md(f"**{value}**") if value else value


def mermaid_label(text: object, width: int = 60) -> Md:
    """A label for a Mermaid chart: letters, digits, spaces and plain punctuation only, short,
    so that it can neither end its quotes nor carry directives or markup."""
    kept = re.sub(r"[^\w .,()'/-]", " ", clean(str(text)))
    kept = _SPACE.sub(" ", kept).strip()
    if len(kept) > width:
        kept = kept[: width - 1].rstrip() + "…"
    return Md(kept or "-")


def cell(text: object) -> Md:
    """Text for one table cell: every line as `inline`, the line breaks kept as `<br>`."""
    if isinstance(text, Md):
        return text
    lines = clean(str(text)).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Md("<br>".join(inline(line) for line in lines))


def word_diff(pieces: Sequence[tuple[str, str]]) -> Md:
    """A word-level diff as Markdown: ~~removed~~ and **added**, unchanged words as they are."""
    out = []
    for op, text in pieces:
        escaped = inline(text)
        if not escaped:
            out.append(" " if text else "")
            continue
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() else ""
        if op == "-":
            out.append(f"{lead}~~{escaped}~~{trail}")
        elif op == "+":
            out.append(f"{lead}**{escaped}**{trail}")
        else:
            out.append(f"{lead}{escaped}{trail}")
    return Md(" ".join("".join(out).split()))


def tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one newline at the end: templates
    can then lay out blocks freely without changing what Markdown renders."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"
