"""The note a view puts where it withheld a value (`Withheld`), and telling such a note from a
value (`is_note`): `[withheld: restricted: Sacred.]` says why a value is left out, never what it
is. Public exports write these notes into their cells; an import must never take one for a value.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any


class Why(StrEnum):
    """Why something was left out of a public view."""

    PERSONAL = "personal-data"
    """Personal data of bearers and of the inventory team: never published."""
    RESTRICTED = "restricted"
    """Restricted by customary practice (Convention Art. 13(d)(ii)), see `access.reason`."""
    CONSENT_NOT_GIVEN = "consent-not-given"
    """The communities' consent is not given: nothing but the identification until it is.
    Which state consent is in (pending, withdrawn, not sought, none recorded) is not said:
    a record withheld until its consent is given shows no consent state."""
    UNREADABLE = "unreadable"
    """The record's `access` cannot be read, or other files hold its id too (which of them
    says what is restricted cannot be told): withheld until it is fixed."""
    UNKNOWN = "unknown-field"
    """A part not in the form the schema describes (a key it does not know, a list or mapping
    where it wants a single value): withheld until it is fixed."""


_NOTES: Mapping[Why, str] = {
    Why.PERSONAL: "personal data",
    Why.RESTRICTED: "restricted",
    Why.CONSENT_NOT_GIVEN: "consent not given",
    Why.UNREADABLE: "access rules unreadable",
    Why.UNKNOWN: "not in the schema's form",
}
"""The English words of a `Withheld` note, by reason."""

_FORMER_NOTES = ("consent pending", "consent withdrawn", "no consent recorded")
"""Words of notes that earlier versions wrote (naming the state of consent): a public export
made then still holds them, and is still told from data (`is_note`)."""


class Withheld(str):
    """Stands where a view withheld a value: says why (and the published reason), never what.

    A `str`, so that views stay plain data (JSON, CSV); its text is an English note.
    Renderers that know the type show a translated note instead.
    """

    why: Why
    reason: str | None

    def __new__(cls, why: Why, reason: str | None = None) -> Withheld:
        reason = reason if why is not Why.PERSONAL else None
        note = _NOTES[why]
        text = f"[withheld: {note}: {reason}]" if reason else f"[withheld: {note}]"
        self = super().__new__(cls, text)
        self.why = why
        self.reason = reason
        return self

    def __getnewargs__(self) -> tuple[Any, ...]:
        return (self.why, self.reason)

    def __deepcopy__(self, memo: dict[int, Any]) -> Withheld:
        return self


_NOTE = re.compile(
    r"\[withheld: (?:"
    + "|".join(re.escape(n) for n in (*_NOTES.values(), *_FORMER_NOTES))
    + r")(?:: .*)?\]",
    re.DOTALL,
)
"""A `Withheld` note, with the published reason or without one."""

_PLACEHOLDER = re.compile(r"\\\{[a-z_]+\\\}")
"""A `{reason}` in a phrasing, once escaped for a pattern."""


def is_note(text: str, phrasings: Iterable[str] = ()) -> bool:
    """Whether `text` is, as a whole, a note saying that a value was withheld, as a public
    output writes it: the `[withheld: …]` of views and public exports (`Withheld`), or one of
    `phrasings`, the sentences packets and the site word the note in, each language's
    (`Withheld by customary restriction: {reason}`, a `{placeholder}` standing for any text).
    Spaces and line breaks around it, and a Markdown emphasis (`*…*`), do not count."""
    return note_test(phrasings)(text)


def note_test(phrasings: Iterable[str] = ()) -> Callable[[str], bool]:
    """`is_note` with its `phrasings` made into a pattern once, for many texts."""
    phrased = _phrased(tuple(sorted(set(phrasings))))

    def test(text: str) -> bool:
        plain = text.strip()
        if plain[:1] in "*_" and plain[:1] == plain[-1:]:
            plain = plain[1:-1].strip()
        if _NOTE.fullmatch(plain):
            return True
        return phrased is not None and phrased.fullmatch(plain) is not None

    return test


@functools.lru_cache(maxsize=8)
def _phrased(phrasings: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern matching any of `phrasings` (None for none)."""
    forms = [_PLACEHOLDER.sub(".+", re.escape(p.strip())) for p in phrasings if p.strip()]
    return re.compile("|".join(f"(?:{f})" for f in forms), re.DOTALL) if forms else None
