"""What a finding tells of a field the schema does not know where it stands, and its hint.

A key unknown in its place is, most often, one of three mistakes (found by an outside review):
a line indented one level too few or too many (`threats:` moved out of `viability`, which
"did you mean `status`?" sent the wrong way), a field name typed with Cyrillic letters that
look like Latin ones (`соnsent`, which looks the same as `consent` in any message), or a typo.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ichinv.core import pointers
from ichinv.core.alphabets import cyrillic_letters, read_as_latin
from ichinv.core.i18n import N_, _
from ichinv.schemas import ecma
from ichinv.schemas.naming import show

if TYPE_CHECKING:
    from ichinv.schemas.loader import Schema


@dataclass(frozen=True, slots=True)
class UnknownKey:
    """What to say of one unknown key."""

    message: str
    hint: str | None
    meant: str | None = None
    """The field of the same mapping the key surely stands for (look-alike letters, a typo of
    one letter or two): a finding that that field is missing tells the same mistake again."""


LANGUAGE_KEYS = N_(
    "each field here is a language code (such as kk, ru or en) with the text in that language"
)

MOST_PLACES = 3
"""The most places a hint names where a key belongs (`kind` has four: none is named)."""

SURELY_MEANT = 0.8
"""How alike (difflib's ratio) a key and a field must be for the key to stand for the field
(`nam` and `name`: 0.86; `notes` and `names`: 0.6)."""


def unknown_key(schema: Schema, pointer: str, key: str, where: str) -> UnknownKey:
    """What to say of `key`, unknown in the mapping at `pointer` (named `where`)."""
    sub = schema.subschema(pointer) or {}
    allowed = [str(k) for k in sub.get("properties", {})]
    patterns = [str(p) for p in sub.get("patternProperties", {})]
    latin = read_as_latin(key)
    if latin is not None and (latin in allowed or any(ecma.search(p, latin) for p in patterns)):
        letters = ", ".join(
            _("Cyrillic {letter} ({code})").format(letter=show(char), code=f"U+{ord(char):04X}")
            for char in cyrillic_letters(key)
        )
        return UnknownKey(
            _(
                "unknown field `{key}` in {where}: it is written with {letters}, which look "
                "like Latin letters"
            ).format(key=key, where=where, letters=letters),
            _("retype it in Latin letters: `{field}`").format(field=latin),
            meant=f"{pointer}/{pointers.escape(latin)}",
        )
    message = _("unknown field `{key}` in {where}").format(key=key, where=where)
    places = _elsewhere(schema, pointer, key)
    if places:
        return UnknownKey(
            message,
            _("`{key}` belongs {places}; check its indentation").format(
                key=key, places=_(" or ").join(places)
            ),
        )
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6) or [
        name for name in allowed if name.lower() == key.lower().strip()
    ]
    if close:
        sure = difflib.SequenceMatcher(None, key, close[0]).ratio() >= SURELY_MEANT
        return UnknownKey(
            message,
            _("did you mean `{guess}`?").format(guess=close[0]),
            meant=f"{pointer}/{pointers.escape(close[0])}" if sure else None,
        )
    if allowed:
        return UnknownKey(message, _("allowed fields: {fields}").format(fields=", ".join(allowed)))
    if patterns and all(ecma.search(p, "kk") for p in patterns):
        return UnknownKey(message, _(LANGUAGE_KEYS))
    return UnknownKey(message, None)


def _elsewhere(schema: Schema, pointer: str, key: str) -> list[str]:
    """Where else in a record the schema has a field `key` (`at the top level of the record`,
    `inside viability`, `inside an item of communities`), unless in more than MOST_PLACES."""
    here = pointers.pattern(pointers.split(pointer))
    found = [
        pattern
        for pattern, names in schema.property_order.items()
        if key in names and pattern != here
    ]
    if not found or len(found) > MOST_PLACES:
        return []
    return [_place(pattern) for pattern in found]


def _place(pattern: str) -> str:
    """Where the fields of the mapping at `pattern` stand, as a hint says it."""
    parts = pointers.split(pattern)
    if not parts:
        return _("at the top level of the record")
    star = max((i for i, part in enumerate(parts) if part == "*"), default=-1)
    if star < 0:
        return _("inside `{field}`").format(field=".".join(parts))
    listed = ".".join(part for part in parts[:star] if part != "*")
    if star == len(parts) - 1:
        return _("inside an item of `{list}`").format(list=listed)
    return _("inside `{field}` in an item of `{list}`").format(
        field=".".join(parts[star + 1 :]), list=listed
    )


def unknown_in(sub: dict[str, Any], key: str) -> bool:
    """Whether `key` is unknown to the mapping schema `sub` (neither named nor matched)."""
    return key not in sub.get("properties", {}) and not any(
        ecma.search(p, key) for p in sub.get("patternProperties", {})
    )
