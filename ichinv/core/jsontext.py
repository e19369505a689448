"""JSON as ichinv reads and writes it.

Written: UTF-8 text a terminal cannot be made to act on.

`json.dumps(..., ensure_ascii=False)` writes C1 control characters (U+0080–U+009F, some of
which terminals read as the start of an escape sequence), line and paragraph separators,
bidirectional overrides and marks and the invisible characters (zero-width ones, tags:
ichinv.core.controls) as they are. Written as `\\uXXXX` escapes instead they are the same
JSON value, and `cat report.json` on a terminal shows them instead of obeying or hiding them.
A document of records' texts (`record_text`) keeps a soft hyphen and the joiners that spell a
word or an emoji as they are, as every output of a record's text does (ichinv.core.controls),
but in a name it holds (`controls.Name`: a file's path, an id), which escapes every one.

Read (`read`): strict JSON or one `Unreadable` saying why not in plain words, whatever the
failure (bytes that are not UTF-8, a syntax error, nesting deeper than Python's stack, an
escape that is half a surrogate pair, NaN or Infinity, a key given twice in one object, a
number longer than Python reads): every file a user gives ichinv is read
through it, so each failure is worded once and none of them ends in a traceback.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ichinv.core import controls
from ichinv.core.i18n import _
from ichinv.core.vocabulary import MAX_INT_DIGITS, reads_as_key

_ACTIVE = controls.pattern(keep="\x00-\x1f")
"""Characters JSON may hold raw that a terminal acts on, or that reorder or hide text: DEL and
the C1 controls, the separators, the bidirectional controls and the invisible characters
(ichinv.core.controls). C0 controls are escaped by `json` itself (and the line breaks left are
the layout's)."""

_ACTIVE_IN_RECORDS = controls.pattern(keep="\x00-\x1f", record_text=True)
"""`_ACTIVE` but what a record's text may hold (a soft hyphen, a joiner that spells a word)."""


def dumps(document: Any, *, indent: int | None = 2, record_text: bool = False) -> str:
    """`document` as JSON text: UTF-8, no NaN, terminal-active characters escaped, ending with
    a newline. `record_text`: the document is records' texts (an export), whose soft hyphens and
    joiners that spell a word or an emoji are written as they are, but in a `controls.Name`."""
    try:
        text = _indented(document, "\n") if indent == 2 else None
    except _Unusual:
        text = None
    if text is None:  # names are not told apart here: every such character is escaped
        text = json.dumps(document, ensure_ascii=False, indent=indent, allow_nan=False)
        record_text = False
    text = (_ACTIVE_IN_RECORDS if record_text else _ACTIVE).sub(_escaped, text)
    # `##[` only stands inside a string: its first `#` as an escape, the same text to a reader
    # of JSON, and no workflow command to a GitHub runner reading the log
    return controls.inert_commands(text, "\\u{:04x}") + "\n"


def _escaped(match: re.Match[str]) -> str:
    """One character as a JSON escape: `\\u202e`; beyond U+FFFF (a tag character), its
    UTF-16 surrogate pair, as JSON writes it (`\\udb40\\udc41`)."""
    point = ord(match.group())
    if point <= 0xFFFF:
        return f"\\u{point:04x}"
    point -= 0x10000
    return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"


class _Unusual(Exception):
    """A value `_indented` leaves to `json` (keys that are not text, types it does not know)."""


_string = json.encoder.encode_basestring  # the C encoder's, as json.dumps(ensure_ascii=False)


def _name(name: str) -> str:
    """A `controls.Name` as a JSON string, every active character escaped already."""
    return _ACTIVE.sub(_escaped, _string(name))


def _indented(value: Any, newline: str) -> str:
    """What `json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)` gives, for plain
    data, in two thirds of the time: with an indent, `json` encodes in Python, value by value
    through generators. `newline` is a line break and the indent of the current level."""
    if isinstance(value, str):
        return _name(value) if type(value) is controls.Name else _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value or value in (math.inf, -math.inf):
            raise _Unusual  # json says why (allow_nan)
        return float.__repr__(value)
    inner = newline + "  "
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = (_indented(item, inner) for item in value)
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        pairs = []
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unusual
            named = _name(key) if type(key) is controls.Name else _string(key)
            pairs.append(named + ": " + _indented(item, inner))
        return "{" + inner + ("," + inner).join(pairs) + newline + "}"
    raise _Unusual


def write_streamed(
    document: Mapping[str, Any], key: str, items: Iterable[Any], write: Callable[[str], object]
) -> None:
    """Write what `dumps` gives for `document` with `items` as the list under its top-level
    `key`, each item serialised when it comes: the whole text is never held (a diff of 100,000
    elements is 50 MB of JSON, and the document it is made from twice that)."""
    text = dumps({k: [] if k == key else v for k, v in document.items()})
    # The key's own line: at the top level a line starts with exactly two spaces and a quote,
    # and no text inside the JSON holds a line break, so no value can look like it.
    line = f"\n  {_string(key)}: []"
    if text.count(line) != 1:
        raise ValueError(f"{key!r} is not a key of the document")
    at = text.index(line) + len(line) - 2
    write(text[:at])
    first = True
    for item in items:
        body = dumps(item).rstrip("\n").replace("\n", "\n    ")
        write(("[\n    " if first else ",\n    ") + body)
        first = False
    write("[]" if first else "\n  ]")
    write(text[at + 2 :])


class Failure(Enum):
    """Why JSON text could not be read."""

    ENCODING = "encoding"  # bytes that are not UTF-8
    SYNTAX = "syntax"  # not JSON (with where and why)
    DEPTH = "depth"  # arrays or objects nested deeper than can be read
    SURROGATE = "surrogate"  # a \\uD800–\\uDFFF escape that is not half of a pair
    CONSTANT = "constant"  # NaN, Infinity or -Infinity, which Python's json reads
    DUPLICATE_KEY = "duplicate-key"  # a key twice in one object (with where, and the key)
    NUMBER = "number"  # an integer of more than MAX_INT_DIGITS digits, a float beyond range


@dataclass
class Unreadable(ValueError):
    """JSON text `read` could not read. Not frozen: raising sets an exception's attributes."""

    failure: Failure
    reason: str = ""  # json's own words, for SYNTAX
    line: int = 0
    column: int = 0
    position: int = 0  # of the character, counted from 1
    byte: int = 0  # of the first byte that is not UTF-8, counted from 1
    key: str = ""  # the key given twice, when it is a plain field name (else "")

    def __str__(self) -> str:
        return self.in_file("JSON")

    def in_file(self, name: str) -> str:
        """The failure, said of the file `name`."""
        if self.failure is Failure.ENCODING:
            return _("{name} is not UTF-8 text (byte {byte} cannot be read)").format(
                name=name, byte=self.byte
            )
        if self.failure is Failure.SYNTAX:
            return _("{name}:{line}:{column}: the JSON cannot be read: {reason}").format(
                name=name, line=self.line, column=self.column, reason=self.reason
            )
        if self.failure is Failure.DEPTH:
            return _("{name} nests arrays or objects too deeply to be read").format(name=name)
        if self.failure is Failure.SURROGATE:
            return _("{name} holds an escape ({escapes}) that is no Unicode character").format(
                name=name, escapes=_SURROGATES
            )
        if self.failure is Failure.DUPLICATE_KEY:
            where = f"{name}:{self.line}:{self.column}"
            if self.key:
                return _(
                    '{where}: an object has the key "{key}" twice (JSON readers differ on which '
                    "one counts)"
                ).format(where=where, key=self.key)
            return _(
                "{where}: an object has a key twice (JSON readers differ on which one counts; "
                "the key is not quoted)"
            ).format(where=where)
        if self.failure is Failure.NUMBER:
            return _(
                "{name} holds a number too long or too large to read (more than {limit} digits)"
            ).format(name=name, limit=MAX_INT_DIGITS)
        return _("{name} holds NaN or Infinity, which are not JSON").format(name=name)

    def in_cell(self) -> str:
        """The failure, said of a table cell that holds JSON."""
        if self.failure is Failure.SYNTAX:
            return _("the cell is not valid JSON ({reason} at character {position})").format(
                reason=self.reason, position=self.position
            )
        if self.failure is Failure.SURROGATE:
            return _("the cell holds an escape ({escapes}) that is no Unicode character").format(
                escapes=_SURROGATES
            )
        if self.failure is Failure.CONSTANT:
            return _("the cell holds NaN or Infinity, which are not JSON")
        if self.failure is Failure.DUPLICATE_KEY:
            if self.key:
                return _(
                    'the cell holds an object with the key "{key}" twice (at character {position})'
                ).format(key=self.key, position=self.position)
            return _(
                "the cell holds an object with a key twice (at character {position}; the key "
                "is not quoted)"
            ).format(position=self.position)
        if self.failure is Failure.NUMBER:
            return _(
                "the cell holds a number too long or too large to read (more than {limit} digits)"
            ).format(limit=MAX_INT_DIGITS)
        if self.failure is Failure.ENCODING:
            raise ValueError("a cell is read as text, never as bytes")
        return _("the cell nests arrays or objects too deeply to be read")


_SURROGATES = "\\uD800–\\uDFFF"
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _no_constant(word: str) -> Any:
    raise Unreadable(Failure.CONSTANT)


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise Unreadable(Failure.NUMBER)  # before int(), which takes seconds on a million
    return int(digits)


def _float(text: str) -> float:
    value = float(text)
    if value in (math.inf, -math.inf):  # `1e999`: no finite number (NaN cannot come from digits)
        raise Unreadable(Failure.NUMBER)
    return value


class _Twice(Exception):
    """A key given twice in one object (found by `_unique`, located by `_locate`)."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.position: int | None = None


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The object of `pairs`; `_Twice` when a key is given twice (the last would silently win:
    JSON readers differ on which one counts, and a list of contacts could be lost)."""
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, __ in pairs:
            if key in seen:
                raise _Twice(key)
            seen.add(key)
    return document


_JSON_OBJECT: Callable[..., tuple[Any, int]] = json.decoder.JSONObject  # type: ignore[attr-defined]
"""json's reader of an object (its Python scanner calls it), which `_locate` wraps."""


def _locate(text: str) -> int:
    """Where (counted from 0) the first object holding a key twice starts in `text`. Read again
    by json's Python scanner, whose objects can be wrapped, up to that object only: slow, but only
    for a file that is refused anyway."""
    decoder = json.JSONDecoder(object_pairs_hook=_unique, parse_constant=_no_constant)

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        try:
            return _JSON_OBJECT(s_and_end, *args)
        except _Twice as found:
            if found.position is None:  # the innermost object is the one
                found.position = s_and_end[1] - 1
            raise

    decoder.parse_object = parse_object  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        decoder.decode(text)
    except _Twice as found:
        return found.position or 0
    except (RecursionError, ValueError):  # deeper than the Python scanner goes, or no twice
        pass
    return 0


def read(raw: bytes | str, *, record_numbers: bool = True) -> Any:
    """The JSON value of `raw` (bytes as UTF-8, a byte order mark allowed), or `Unreadable`.
    `record_numbers`: refuse a number no record can hold (more than MAX_INT_DIGITS digits, or
    beyond a float's range); without it, only one Python cannot read (4,300 digits), for a
    reader that says which answer holds it and goes on (`import --from odk`)."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Unreadable(Failure.ENCODING, byte=exc.start + 1) from None
    else:
        text = raw
    try:
        # Each number is checked as it is read: a 6 MB export with 17 numbers an element takes
        # 0.26 s instead of 0.10 s (records hold three or four); a scan of the text for long
        # numbers, to check only then, cost as much.
        document = json.loads(
            text,
            parse_constant=_no_constant,
            parse_int=_int if record_numbers else None,
            parse_float=_float if record_numbers else None,
            object_pairs_hook=_unique,
        )
    except json.JSONDecodeError as exc:
        raise Unreadable(
            Failure.SYNTAX, exc.msg, line=exc.lineno, column=exc.colno, position=exc.pos + 1
        ) from None
    except RecursionError:
        raise Unreadable(Failure.DEPTH) from None
    except _Twice as found:
        at = _locate(text)
        line = text.count("\n", 0, at) + 1
        raise Unreadable(
            Failure.DUPLICATE_KEY,
            line=line,
            column=at - text.rfind("\n", 0, at),
            position=at + 1,
            key=found.key if reads_as_key(found.key) else "",  # else it may be data
        ) from None
    except Unreadable:  # NaN or Infinity (`_no_constant`)
        raise
    except ValueError:  # an integer of more digits than Python reads from text
        raise Unreadable(Failure.NUMBER) from None
    if _SURROGATE_ESCAPE.search(text):
        # Two escapes of a pair make one character; one alone gives text that is not Unicode,
        # which no record or report can hold (found here, not when it is written).
        try:
            json.dumps(document, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise Unreadable(Failure.SURROGATE) from None
    return document
