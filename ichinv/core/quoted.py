"""The values a message quotes, and a message without those of them that may be contacts.

Messages quote values as Python's `repr` writes them (`'Zqsаcred'`, `"can't"`, `'it\\'s "x"'`)
or between backquotes (a field name, a command). Whatever builds a message, a value it quotes
that may be an e-mail address or a phone number is shown as `…` (ichinv.core.model.Finding):
no finding ever quotes a contact, even one a rule did not expect to quote.
"""

from __future__ import annotations

import ast
import functools
import re

from ichinv.core.vocabulary import visible, without_contacts

_QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|`[^`\n]*`")
"""A value quoted by `repr` (either quote mark, its escapes included) or by backquotes."""


def quoted_values(text: str, marks: str = "'\"`") -> list[str]:
    """The values `text` quotes (with one of `marks`), as they were before `repr` escaped
    them."""
    return [_value(m.group()) for m in _QUOTED.finditer(text) if m.group()[0] in marks]


def _value(quoted: str) -> str:
    inner = quoted[1:-1]
    if quoted[0] == "`" or "\\" not in inner:
        return inner
    try:
        value = ast.literal_eval(quoted)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return inner
    return value if isinstance(value, str) else inner


@functools.lru_cache(maxsize=4096)
def holds_contact(value: str) -> bool:
    """Whether a quoted value (or a file's name) holds anything that may be a contact, read as
    free text is (ichinv.core.vocabulary.without_contacts: the ids and dates of a quoted
    command stay). Values recur (vocabulary words, file names): each is looked at once."""
    if value.isascii() and not any(c.isdigit() or c in _MAY_START for c in value):
        return False  # no digit, no `@`, no bracket of a spelt-out `(at)`: nothing to find
    return without_contacts(value) != visible(value)


_MAY_START = frozenset("@([{<")


def without_quoted_contacts(text: str) -> str:
    """`text` with `'…'` for each value it quotes that holds what may be a contact."""
    if not any(mark in text for mark in "'\"`"):
        return text

    def shown(match: re.Match[str]) -> str:
        quoted = match.group()
        if holds_contact(_value(quoted)):
            return f"{quoted[0]}…{quoted[-1]}"
        return quoted

    return _QUOTED.sub(shown, text)
