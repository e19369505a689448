"""The values a message quotes, and a message without those of them that may be contacts.

Messages quote values as Python's `repr` writes them (`'Zqsаcred'`, `"can't"`,
`'it\\'s "x"'`), between backquotes (a field name, a command), or, in Kazakh and Russian, in
«guillemets». Whatever builds a message, a value it quotes that may be an e-mail address or a
phone number is shown as `…` (ichinv.core.model.Finding): no finding ever quotes a contact,
even one a rule did not expect to quote.
"""

from __future__ import annotations

import ast
import functools
import re

from ichinv.core.contacts import (
    is_object_id,
    surely_no_contact,
    visible,
    without_contacts,
    written_date,
)

_QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|`[^`\n]*`|«[^»\n]*»")
"""A value quoted by `repr` (either quote mark, its escapes included), by backquotes or by
guillemets (the kk and ru messages' quotes)."""

QUOTE_MARKS = "'\"`«"
"""The marks a quoted value starts with."""


def quoted_values(text: str, marks: str = QUOTE_MARKS) -> list[str]:
    """The values `text` quotes (with one of `marks`), as they were before `repr` escaped
    them."""
    return [_value(m.group()) for m in _QUOTED.finditer(text) if m.group()[0] in marks]


def _value(quoted: str) -> str:
    inner = quoted[1:-1]
    if quoted[0] in "`«" or "\\" not in inner:
        return inner
    try:
        value = ast.literal_eval(quoted)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return inner
    return value if isinstance(value, str) else inner


_ELEMENT_ID = re.compile(r"(?i)(?<![\w+])KZ-(?:19|20)[0-9]{2}-[0-9]{4}(?![0-9])")
"""An element id in any case, wherever it stands in a word."""


@functools.lru_cache(maxsize=4096)
def holds_contact(value: str) -> bool:
    """Whether a quoted value (or a file's name) holds anything that may be a contact, read as
    free text is (ichinv.core.contacts.without_contacts: the ids and dates of a quoted
    command stay). Values recur (vocabulary words, file names): each is looked at once."""
    if surely_no_contact(value) or is_object_id(value) or written_date(value):
        # no digit, no `@` however written, no ` at `, no `.me/`; or a git object's id (a
        # baseline's commit, in a message about it); or a date as a whole, as `may_be_contact`
        # judges a value (`12.03.2024` where the schema wants 2024-03-12; `2024-02-30`, which
        # validate says is no day)
        return False
    # An element id in any case, whatever follows it (`kz-2013-0003.yaml`,
    # `KZ-2013-0002-draft.yaml`): free text reads those digits as a phone number's.
    value = _ELEMENT_ID.sub("KZ", value)
    return without_contacts(value) != visible(value)


RECORD_PATH = re.compile(r"(?:elements|provinces)/[^\s/'\"`«»][^/'\"`«»\n]*?\.yaml")
"""A record file's path in a message (its name may hold spaces: `+7 700 000 00 41.yaml`)."""


def without_quoted_contacts(text: str) -> str:
    """`text` with `'…'` for each value it quotes that holds what may be a contact, and each
    record file it names by its path (`elements/NAME.yaml`, quoted or not) with its name shown
    without what may be one (`id.unique`'s "also used by …" names another file)."""
    if "/" in text:
        text = RECORD_PATH.sub(_path_shown, text)
    if not any(mark in text for mark in QUOTE_MARKS):
        return text

    def shown(match: re.Match[str]) -> str:
        quoted = match.group()
        if holds_contact(_value(quoted)):
            return f"{quoted[0]}…{quoted[-1]}"
        return quoted

    return _QUOTED.sub(shown, text)


def _path_shown(match: re.Match[str]) -> str:
    folder, __, name = match.group().partition("/")
    return f"{folder}/{without_contacts(name)}" if holds_contact(name) else match.group()
